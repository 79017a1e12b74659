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
                'host':  no boot: 'command' runs on the host and prints
                         the protocol itself (tests/run.py, "Host suites")
    command     (expect 'host') argv of the host command, from the top
                of the tree; the cases named are appended to it
    must_match  (optional) regexes the serial output must contain (for
                any expect)
    silence     (optional) seconds without output before giving up
                (default 30)
    disk        (optional) size in MiB of the suite's fresh scratch virtio
                disk, 0 for none; without it the suite gets a disk of
                `make test SWAP=...` (tests/run.py --swap, default 256M)
    disk_transport  (optional) 'legacy' (disable-modern=on), 'modern'
                (disable-legacy=on) or 'transitional' (QEMU's default: both;
                the kernel takes modern)
    blkdebug    (optional) text of a QEMU blkdebug configuration: the disk
                is attached through QEMU's error injection (see
                tools/qemu.py for the rules that work in QEMU 7.2)
    qemu_extra  (optional) more QEMU arguments
    mem         (optional) guest memory, e.g. '64M' (default 256M)
    cpus        (optional) guest CPUs (-smp); without it, `make test
                CPUS=N` (tests/run.py --cpus, default 1)
    early       (optional) True: start this suite before the others when
                suites run in parallel (a long one, so the run does not end
                waiting for it alone); it still prints in manifest order
    script      (expect 'script') steps [regex, keys]: when the console
                output since the previous step matches regex, the keys
                are typed into the serial port; the boot then must end
                with exit status `status` and show every must_match

Timeouts are multiplied by env TEST_TIMEOUT_SCALE (e.g. 3 on a slow
machine).  The serial protocol is described in tests/run.py.
"""

# The blkerr suite's disk fails the first write that touches sector 2056
# and the first read of sector 4096 with EIO (errno 5): the sectors
# BLKERR_WRITE_SECTOR and BLKERR_READ_SECTOR of kernel/dev/blk_test.c.
# The "none" event makes a rule active from the start; iotype and sector
# say which request it fails, and once = "on" only the first.
BLKERR_RULES = """\
[inject-error]
event = "none"
iotype = "write"
sector = "2056"
errno = "5"
once = "on"

[inject-error]
event = "none"
iotype = "read"
sector = "4096"
errno = "5"
once = "on"
"""

# blkdebug rules for the swap fault-injection suites (see tools/qemu.py):
# the first write touching sector 0 (slot 0) fails once; every read of
# sector 320 (slot 40) fails.
SWAP_WRITE_ERROR = """
[inject-error]
event = "none"
iotype = "write"
sector = "0"
errno = "5"
once = "on"
"""

SWAP_READ_ERROR = """
[inject-error]
event = "none"
iotype = "read"
sector = "320"
errno = "5"
"""

# A swap case prints nothing while it pages (a few seconds alone), and
# with two guest CPUs it slows the most when the host is loaded: two
# boots of two CPUs each on a 2-core host leave a vCPU that holds a
# spinlock descheduled while the other spins for it, and a case that takes
# 5 s alone took over 30 s in make test, and 15 s beside two host
# programs that only spin.  A spinlock deadlock still panics at 20 s;
# a sleeping hang still ends here, after two minutes of silence.
SWAP_SILENCE = 120

SUITES = [
    {
        'name': 'kernel',
        'cmdline': 'ktest{filter}',
        'expect': 'pass',
        'timeout': 60,
    },
    {
        # The disk tests again on a legacy-only virtio device (the kernel
        # suite's default device is transitional, so it runs them on the
        # modern interface); its own disk, so SWAP=0 still runs them.
        'name': 'blk_legacy',
        'cmdline': 'ktest=pci_*,blk_*',
        'expect': 'pass',
        'disk': 64,
        'disk_transport': 'legacy',
        'must_match': [r'vmos: vda: virtio-blk \(legacy\), 131072 sectors'],
        'timeout': 60,
    },
    {
        # A modern-only device (id 0x1042) whose BAR SeaBIOS moves above
        # 4 GiB, where the direct map does not reach: a 2 GiB ivshmem BAR
        # does not fit under 4 GiB, so every 64-bit BAR goes up (its RAM
        # is never touched, so it costs the host nothing).
        'name': 'blk_highbar',
        'cmdline': 'ktest=pci_*,blk_*',
        'expect': 'pass',
        'disk': 64,
        'disk_transport': 'modern',
        'qemu_extra': ['-object', 'memory-backend-ram,id=bar2g,size=2G',
                       '-device', 'ivshmem-plain,memdev=bar2g'],
        'must_match': [r'1af4:1042 .* bar4 mem64 pref 0x[1-9a-f][0-9a-f]{8} ',
                       r'vmos: vda: virtio-blk \(modern\)'],
        'timeout': 60,
    },
    {
        # An I/O error the disk reports reaches the caller as -EIO, with a
        # message naming the disk, the sector and the status.
        'name': 'blkerr',
        'cmdline': 'ktest=blk_injected_errors_reach_the_caller',
        'expect': 'pass',
        'disk': 64,
        'blkdebug': BLKERR_RULES,
        'must_match': [
            r'vda: write of 16 page\(s\) at sector 2048 failed: status 1 \(I/O error\)',
            r'vda: read of 1 page\(s\) at sector 4096 failed: status 1 \(I/O error\)',
        ],
        'timeout': 30,
    },
    {
        # Four CPUs: the kernel finds them in the ACPI MADT, starts the
        # three others (INIT-SIPI-SIPI) and parks them (arch/x86_64/mp.c);
        # then the ACPI and MP self-tests.  Only those: the others are the
        # kernel suite's, and a lab that strips what they test must see
        # them fail there alone (tools/check-labs).
        'name': 'smp_boot',
        'cmdline': 'ktest=acpi_*,mp_*',
        'expect': 'pass',
        'cpus': 4,
        'must_match': [r'vmos: cpu1: up \(apic id 1\)',
                       r'vmos: cpu2: up \(apic id 2\)',
                       r'vmos: cpu3: up \(apic id 3\)',
                       r'vmos: 4 CPUs up of 4 in the MADT'],
        'timeout': 90,
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
        # The same on two CPUs: the report ends with where the CPU the
        # NMI stopped was, a backtrace of its own (the other half of a
        # deadlock is there).
        'name': 'panic_smp',
        'cmdline': 'ktest=panic',
        'expect': 'panic',
        'cpus': 2,
        'must_match': [
            r'panic: selftest: deliberate panic',
            r'^cpu with APIC id \d+ stopped in the kernel at:\nbacktrace:\n'
            r'  #0  0x[0-9a-f]+ \w+\+0x[0-9a-f]+$',
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
        # An NMI that lands where GS is still the user's (as between a
        # `syscall` and its swapgs): the NMI's own entry reads the GS base
        # MSR instead of trusting cs (vectors.S: nmi_entry), so the report
        # comes out whole.  On alltraps' path the kernel ran on the
        # user's base and hung without a word, even to the host's NMI.
        'name': 'nmi_user_gs',
        'cmdline': 'ktest=nmi_user_gs',
        'expect': 'panic',
        'must_match': [
            r'selftest: an NMI to this CPU while GS holds the user',
            r'panic: NMI from the host',
            r'selftest_nmi_on_user_gs_deliberately\+0x[0-9a-f]+',
        ],
        'timeout': 30,
    },
    {
        # A kernel variable overwritten long before the check that panics
        # (the rr suite then finds the writer by going backwards).
        'name': 'corrupt',
        'cmdline': 'ktest=corrupt',
        'expect': 'panic',
        'must_match': [
            r'selftest: wrote somewhere we should not have',
            r'TEST-PASS kernel.clock_timer_ticks',
            r'panic: selftest: selftest_canary is 0xbadc0ffee, not 0x600dc0de',
            r'selftest_check_canary\+0x[0-9a-f]+',
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
        # The lock-order checker (kern/witness.c, debug builds): two test
        # locks taken in both orders panic at the second, naming both
        # locks and where each order was first seen.
        'name': 'witness_reversal',
        'cmdline': 'ktest=witness_reversal',
        'expect': 'panic',
        'must_match': [
            r'panic: witness: lock order reversal: "selftest_b" then "selftest_a" here, '
            r'but "selftest_a" then "selftest_b" before',
            r'here, first "selftest_b" at:\n\s+#0\s+0x[0-9a-f]+ selftest_witness_lock_ba\+0x',
            r'here, then "selftest_a" at:\n\s+#0\s+0x[0-9a-f]+ selftest_witness_lock_ba\+0x',
            r'before, first "selftest_a" at:\n\s+#0\s+0x[0-9a-f]+ selftest_witness_lock_ab\+0x',
            r'before, then "selftest_b" at:\n\s+#0\s+0x[0-9a-f]+ selftest_witness_lock_ab\+0x',
        ],
        'timeout': 30,
    },
    {
        # ... a mutex unlocked by a thread that does not hold it ...
        'name': 'witness_not_owner',
        'cmdline': 'ktest=witness_not_owner',
        'expect': 'panic',
        'must_match': [
            r'panic: witness: mutex "selftest_owned" unlocked by ktest \(pid \d+\), '
            r'which does not hold it',
            r'selftest_witness_not_owner_deliberately\+0x[0-9a-f]+',
        ],
        'timeout': 30,
    },
    {
        # ... and a spinlock taken again by the CPU that holds it.
        'name': 'witness_recursive',
        'cmdline': 'ktest=witness_recursive',
        'expect': 'panic',
        'must_match': [
            r'panic: witness: spinlock "selftest_twice" taken recursively',
            r'held "selftest_twice" at:\n\s+#0\s+0x[0-9a-f]+ '
            r'selftest_witness_recursive_deliberately\+0x',
            r'taken now "selftest_twice" at:\n\s+#0\s+0x[0-9a-f]+ '
            r'selftest_witness_recursive_deliberately\+0x',
        ],
        'timeout': 30,
    },
    {
        # Without swap: running out of memory must kill (the swap suites
        # cover paging; their out-of-swap case is the same with a disk).
        'name': 'vm',
        'cmdline': 'cmd=/test/vm_test {cases}',
        'expect': 'pass',
        'disk': 0,
        'timeout': 240,
    },
    {
        # kvmmap: what a process's map and shadow chains look like.
        'name': 'vmmap',
        'cmdline': 'cmd=/test/vmmap_test {cases}',
        'expect': 'pass',
        'timeout': 120,
    },
    {
        # tools/vmgraph on `vmmap -demo -dot`, and the graph it draws.
        'name': 'vmgraph',
        'expect': 'host',
        'command': ['python3', 'tests/vmgraph_test.py'],
        'timeout': 300,
    },
    {
        # The gdb helpers (tools/vmos-gdb.py) against a stopped kernel,
        # checked against what gdb reads directly.
        'name': 'gdbhelp',
        'expect': 'host',
        'command': ['python3', 'tests/gdbhelp_test.py'],
        'timeout': 300,
    },
    {
        # Record and replay (tools/rr.py, tools/replay): a recorded run
        # replays byte for byte; by name, reverse-continue and a reverse
        # watchpoint under gdb (tests/rr_test.py says why only by name).
        'name': 'rr',
        'expect': 'host',
        'command': ['python3', 'tests/rr_test.py'],
        'timeout': 600,
        'silence': 300,
    },
    {
        # klockstat, the count of contended spinlocks: on two CPUs (and
        # again on one in make test's second round) it must count what
        # the CPUs really fought over (user/tests/lockstat_test.c).
        'name': 'lockstat',
        'cmdline': 'cmd=/test/lockstat_test {cases}',
        'expect': 'pass',
        'timeout': 120,
    },
    {
        'name': 'proc',
        'cmdline': 'cmd=/test/proc_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        # Process groups, sessions, stop/continue and the terminal's job
        # control (user/tests/job_test.c).
        'name': 'job',
        'cmdline': 'cmd=/test/job_test {cases}',
        'expect': 'pass',
        'timeout': 120,
    },
    {
        'name': 'signal',
        'cmdline': 'cmd=/test/signal_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'fd',
        'cmdline': 'cmd=/test/fd_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        # tmpfs=2G: the 1 GiB file of a_file_stops_at_its_limit fits under
        # the file system's limit, so the file's own limit is what stops it.
        'name': 'tmpfs',
        'cmdline': 'tmpfs=2G cmd=/test/tmpfs_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'tmpfs_full',
        'cmdline': 'tmpfs=64K cmd=/test/tmpfs_test a_full_tmpfs_says_enospc',
        'expect': 'pass',
        'timeout': 120,
    },
    {
        'name': 'shm',
        'cmdline': 'cmd=/test/shm_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'libc',
        'cmdline': 'cmd=/test/libc_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'unix',
        'cmdline': 'cmd=/test/unix_test {cases}',
        'expect': 'pass',
        'timeout': 300,
    },
    {
        'name': 'passfd',
        'cmdline': 'cmd=/test/passfd_test {cases}',
        'expect': 'pass',
        'timeout': 300,
    },
    {
        # Memory larger than RAM: 32 MiB of RAM and a 256 MiB swap disk
        # behind each virtio transport.  SWAP_SILENCE: see its definition.
        'name': 'swap',
        'cmdline': 'cmd=/test/swap_test {cases}',
        'expect': 'pass',
        'mem': '32M',
        'disk': 256,
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        # (Also: a pageout= word the kernel does not know falls back to clock.)
        'name': 'swap_legacy',
        'cmdline': 'pageout=lru cmd=/test/swap_test {cases}',
        'expect': 'pass',
        'mem': '32M',
        'disk': 256,
        'disk_transport': 'legacy',
        'must_match': [r'vda: virtio-blk \(legacy\)',
                       r'pageout=lru: no such policy \(clock, fifo, random\): using clock',
                       r'pageout: policy clock'],
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        # A swap disk smaller than the work: the process that faults is
        # killed, and the kernel goes on.
        'name': 'swap_full',
        'cmdline': 'cmd=/test/swap_test swap_full_kills_the_process_that_faults '
                   'work_that_fits_runs_after_swap_was_full',
        'expect': 'pass',
        'mem': '32M',
        'disk': 24,
        'must_match': [r'killed by SIGKILL: write out of swap'],
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        # The disk fails the first write of slot 0 (sector 0): the pages stay
        # dirty in memory and go elsewhere; the slots are retired.
        'name': 'swap_writeerr',
        'cmdline': 'cmd=/test/swap_test failed_pageout_keeps_the_pages_and_retires_the_slots '
                   'work_that_fits_runs_after_swap_was_full',
        'expect': 'pass',
        'mem': '32M',
        'disk': 256,
        'blkdebug': SWAP_WRITE_ERROR,
        'must_match': [r'vmos: swap: write of \d+ page\(s\) at slot 0 failed: slots retired'],
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        # Every read of slot 40 (sector 320) fails: the process that needs
        # that page dies of SIGBUS; the others, and the next case, go on.
        'name': 'swap_readerr',
        'cmdline': 'cmd=/test/swap_test failed_pagein_kills_only_the_process_that_needed_the_page '
                   'work_that_fits_runs_after_swap_was_full',
        'expect': 'pass',
        'mem': '32M',
        'disk': 256,
        'blkdebug': SWAP_READ_ERROR,
        'must_match': [r'vda: read of \d+ page\(s\) at sector \d+ failed',
                       r'killed by SIGBUS: read I/O error paging in'],
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        # The same workload under the two other replacement policies; the
        # 'swap' suite runs it under clock.  Each prints its page-outs.
        'name': 'swap_fifo',
        'cmdline': 'pageout=fifo cmd=/test/swap_test policy_workload_reports_its_paging',
        'expect': 'pass',
        'mem': '32M',
        'disk': 256,
        'must_match': [r'pageout: policy fifo', r'policy workload: pageouts=\d+'],
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        'name': 'swap_random',
        'cmdline': 'pageout=random cmd=/test/swap_test policy_workload_reports_its_paging',
        'expect': 'pass',
        'mem': '32M',
        'disk': 256,
        'must_match': [r'pageout: policy random', r'policy workload: pageouts=\d+'],
        'timeout': 300,
        'silence': SWAP_SILENCE,
    },
    {
        'name': 'harden',
        'cmdline': 'cmd=/test/harden_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        'name': 'fuzz',
        'cmdline': 'cmd=/test/fuzz_test {cases}',
        'expect': 'pass',
        'timeout': 240,
    },
    {
        # Several CPUs at work at once (issue 14; user/tests/smp_test.c):
        # getcpu, busy processes spread over the CPUs, a storm of faults,
        # truncates and unmaps on one shm object, descriptors round a ring
        # while the unix collector runs, TLB shootdown on ftruncate, and
        # five suites side by side.  Four CPUs on a 2-core host under TCG
        # are slow: the suite takes well under a minute on one CPU, the
        # timeout leaves room for four busy ones.
        'name': 'smp',
        'cmdline': 'cmd=/test/smp_test {cases}',
        'expect': 'pass',
        'cpus': 4,
        'timeout': 300,
        'silence': 120,
    },
    {
        # The profiler: the guest's kprof cases (suite "prof") and, on the
        # host, the profile they leave checked with tools/profile.
        'name': 'profile',
        'expect': 'host',
        'command': ['python3', 'tests/profile_check.py'],
        'timeout': 180,
    },
    {
        # The interactive path a student uses in `make qemu`: the serial
        # interrupt, the terminal's line editing (backspace, Ctrl-D) and
        # Ctrl-C, the shell's prompt, pipes and its report of a signal,
        # and job control (Ctrl-Z, jobs, bg, fg, SIGTTIN).
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
            # Job control: Ctrl-Z stops the job in front, jobs lists it,
            # bg continues it behind (where its read stops it again with
            # SIGTTIN), fg brings it back, Ctrl-C ends it; the shell, in
            # a group of its own, gets none of these signals.
            [r'\$ ', 'cat\r'],
            [r'cat\r?\n', 'one\r'],
            [r'one\r?\none\r?\n', '\x1a'],
            [r'\^Z\r?\n\[1\]\+ Stopped \(SIGTSTP\) +cat\r?\n\$ ', 'jobs\r'],
            [r'\[1\]\+ Stopped \(SIGTSTP\) +cat\r?\n\$ ', 'bg %1\r'],
            # cat may stop before the shell's next prompt, and the shell
            # reports a stop when it sees one, before it prompts: so the
            # notice may come here or only from jobs below.
            [r'\[1\] cat &\r?\n(\[1\]\+ Stopped \(SIGTTIN\) +cat\r?\n)?\$ ',
             'sleep 1; jobs\r'],
            [r'\[1\]\+ Stopped \(SIGTTIN\) +cat\r?\n\$ ', 'fg %1\r'],
            [r'fg %1\r?\ncat\r?\n', 'two\r'],
            [r'two\r?\ntwo\r?\n', '\x03'],
            [r'killed by signal 2 \(SIGINT\)[^$]*\$ ', 'echo alive $$\r'],
            # A background job that reads the terminal is stopped by SIGTTIN.
            [r'alive \d+\r?\n\$ ', 'cat &\r'],
            [r'\[1\] \d+\r?\n[^$]*\$ ', 'sleep 1; jobs\r'],
            [r'\[1\]\+ Stopped \(SIGTTIN\) +cat\r?\n\$ ', 'fg\r'],
            [r'\ncat\r?\n', 'three\r'],
            [r'three\r?\nthree\r?\n', '\x04'],
            [r'\$ ', 'jobs; echo none left\r'],
            [r'\nnone left\r?\n\$ ', 'cat\r'],
            [r'cat\r?\n', 'four\r'],       # cat's echo: it has the terminal
            [r'four\r?\nfour\r?\n', '\x1c'],  # Ctrl-\: SIGQUIT, to the job in front
            # The shell leads the console's session: when it exits, the
            # terminal hangs up and the job it left stopped, orphaned, gets
            # SIGHUP and SIGCONT and dies; the next shell's ps has no cat.
            [r'killed by signal 3 \(SIGQUIT\)[^$]*\$ ', 'cat\r'],
            [r'cat\r?\n', 'five\r'],
            [r'five\r?\nfive\r?\n', '\x1a'],
            [r'Stopped \(SIGTSTP\) +cat\r?\n\$ ', 'exit\r'],
            [r'new shell[^$]*\$ ', 'sleep 1; ps\r'],
            [r'NAME\r?\n((?!cat)[^$])*\$ ', 'poweroff 3\r'],
        ],
        'status': 3,
        'must_match': [
            r'Welcome to vmos',
            r'\nhi there\r?\n',
            r'sh: cat: killed by signal 2 \(SIGINT\)',
            r'\[1\]\+ Stopped \(SIGTSTP\) +cat',
            r'\[1\]\+ Stopped \(SIGTTIN\) +cat',
        ],
        'timeout': 60,
    },
    {
        # The harness itself: tests/run.py on tests/harness_suites.py, whose
        # suites end in every way one can (a wrong answer, a timeout, a
        # panic, no output, a flood, a crash); checks the console, JUnit,
        # results.json, --points and -j (tests/harness_test.py).
        'name': 'harness',
        'expect': 'host',
        'early': True,
        'command': ['python3', 'tests/harness_test.py'],
        'timeout': 300,
        'silence': 120,
    },
    {
        # tools/grade-all on a directory of submissions: a correct tree, a
        # stripped (or wrong) one, one that does not build, one that
        # panics and rewrites the grading code, unsafe tarballs
        # (tests/gradeall_test.py).  Three builds: about 30 s when ccache
        # has seen the code, a minute or two when not.
        'name': 'gradeall',
        'expect': 'host',
        'early': True,
        'command': ['python3', 'tests/gradeall_test.py'],
        'timeout': 900,
        'silence': 600,
    },
    {
        # Every lab honest (tools/check-labs): its student tree builds;
        # there, every graded case fails and every other case of every
        # suite but the tool suites passes, and make grade scores below
        # full marks; make grade on this kernel scores full marks.  Five
        # trees built (seconds each once ccache has seen the code) and
        # about 28 boots each: some 5 minutes on two CPUs alone, 7 to 8
        # beside the rest.  Not 'early': its runs boot two QEMUs at once,
        # and beside the other suites' two that starves timing-sensitive
        # cases (harden, gdbhelp) on two CPUs; last in the manifest, it
        # starts when the others are nearly done.
        'name': 'labs',
        'expect': 'host',
        'command': ['python3', 'tools/check-labs'],
        'timeout': 1500,
        'silence': 400,
    },
]
