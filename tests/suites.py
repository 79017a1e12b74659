"""The test manifest: every suite tests/run.py knows, in the order it runs them.

Each suite is one boot of the kernel.  Fields:

    name        what you type: `tests/run.py kernel`, or `kernel.some_case`
    cmdline     kernel command line; `{filter}` becomes `=case1,case2`
                when cases were named, else the empty string; `{cases}`
                becomes `case1 case2` (for in-guest programs, which take
                the cases to run as arguments)
    timeout     seconds the whole boot may take
    expect      'pass':  the guest exits with V = 0, prints a TEST-DONE
                         line with failed=0 and at least one TEST-PASS
                'panic': the kernel panics (V = 127) and every regex in
                         must_match appears in the serial output
    must_match  (optional) regexes the serial output must contain
    silence     (optional) seconds without output before giving up
                (default 30)
    disk        (optional) size in MiB of a fresh scratch virtio disk
    mem         (optional) guest memory, e.g. '64M' (default 256M)
    script      (expect 'script') steps [regex, keys]: when the console
                output since the previous step matches regex, the keys
                are typed into the serial port; the boot then must end
                with exit status `status` and show every must_match

Timeouts are multiplied by env TEST_TIMEOUT_SCALE (e.g. 3 on a slow
machine).  The serial protocol is described in tests/run.py.
"""

SUITES = [
    {
        'name': 'kernel',
        'cmdline': 'ktest{filter}',
        'expect': 'pass',
        'timeout': 60,
    },
    {
        'name': 'panic',
        'cmdline': 'ktest=panic',
        'expect': 'panic',
        'must_match': [
            r'panic: selftest: deliberate panic',
            r'selftest_panic_deliberately\+0x[0-9a-f]+',
        ],
        'timeout': 30,
    },
    {
        'name': 'fault',
        'cmdline': 'ktest=fault',
        'expect': 'panic',
        'must_match': [
            r'trap 14 \(page fault\) err 0 kernel mode',
            r'fault address 0 \(not present, read, kernel\)',
            r'rip [0-9a-f]{16} cs 0008',
            r'selftest_fault_deliberately\+0x[0-9a-f]+',
        ],
        'timeout': 30,
    },
    {
        # Debug builds refuse to sleep with a spinlock held.
        'name': 'sleep_with_spinlock',
        'cmdline': 'ktest=sleep_with_spinlock',
        'expect': 'panic',
        'must_match': [
            r'panic: sleeping at selftest_sleep_with_spinlock_deliberately\+0x[0-9a-f]+ '
            r'with spinlock selftest_held held, taken at '
            r'selftest_sleep_with_spinlock_deliberately\+0x[0-9a-f]+',
        ],
        'timeout': 30,
    },
    {
        'name': 'vm',
        'cmdline': 'cmd=/bin/vm_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'proc',
        'cmdline': 'cmd=/bin/proc_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'fd',
        'cmdline': 'cmd=/bin/fd_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'shm',
        'cmdline': 'cmd=/bin/shm_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'libc',
        'cmdline': 'cmd=/bin/libc_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'unix',
        'cmdline': 'cmd=/bin/unix_test {cases}',
        'expect': 'pass',
        'timeout': 300,
    },
    {
        'name': 'passfd',
        'cmdline': 'cmd=/bin/passfd_test {cases}',
        'expect': 'pass',
        'timeout': 300,
    },
    {
        'name': 'harden',
        'cmdline': 'cmd=/bin/harden_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'fuzz',
        'cmdline': 'cmd=/bin/fuzz_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        # The interactive path a student uses in `make qemu`: the serial
        # interrupt, the console's line editing (backspace, Ctrl-D) and
        # Ctrl-C, the shell's prompt, pipes and its report of a signal.
        'name': 'console',
        'cmdline': '',
        'expect': 'script',
        'script': [
            [r'\$ ', 'echo hx\x7fi there | cat\r'],
            [r'\nhi there\r?\n\$ ', 'cat\r'],
            [r'cat\r?\n', 'line one\r'],
            [r'line one\r?\nline one\r?\n', '\x03'],
            [r'killed by signal 2 \(SIGINT\)[^$]*\$ ', 'cat\rabc\r'],
            [r'abc\r?\nabc\r?\n', '\x04'],
            [r'\$ ', 'poweroff 3\r'],
        ],
        'status': 3,
        'must_match': [
            r'Welcome to vmos',
            r'\nhi there\r?\n',
            r'sh: cat: killed by signal 2 \(SIGINT\)',
        ],
        'timeout': 60,
    },
]
