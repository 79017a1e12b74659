"""Suites that end in every way a suite can end: the manifest the harness's
own test (tests/harness_test.py) runs tests/run.py on, with --manifest.

Host suites stand in for a guest where a host command can play the part
(a wrong answer, a hang, a flood, a crash); the rest boot the real ISO
with command lines that panic, hang or never start the kernel.  Suites
meant to fail quickly have short timeouts; the others have long ones, so
a loaded machine does not turn them into timeouts.
"""

import sys

PY = sys.executable


def host(name, code, **more):
    """A host suite whose command is the Python program code."""
    return dict({'name': name, 'expect': 'host', 'command': [PY, '-c', code],
                 'timeout': 60}, **more)


SUITES = [
    # Finishes last of the quick ones although it comes first: its lines
    # must still come first.
    host('slow', 'import time; time.sleep(2)\n'
         'print("TEST-PASS slow.a"); print("TEST-DONE slow passed=1 failed=0")'),
    # A wrong answer whose output holds characters XML cannot carry.
    host('wrong', 'import sys\n'
         'print("TEST-PASS wrong.a")\n'
         'print("got \\x1b[1m<3> & \\x00\\x07 bytes")\n'
         'print("TEST-FAIL wrong.b: expected 2, got 3 <&>")\n'
         'print("TEST-DONE wrong passed=1 failed=1"); sys.exit(1)'),
    # One case passes, then silence.
    host('hang', 'import time\n'
         'print("TEST-PASS hang.first", flush=True); time.sleep(600)', silence=1),
    # Output without end, in lines and without a single newline.
    host('flood', 'import sys\nwhile True: sys.stdout.write("y" * 63 + "\\n")'),
    host('flood_noline', 'import sys\nwhile True: sys.stdout.write("y" * 4096)'),
    # Case b brings the "kernel" down (exit status 3) and the cases after
    # it with it; alone, each other case passes (the cases named come as
    # arguments).
    host('retry', 'import sys\n'
         'cases = sys.argv[1:] or ["a", "b", "c"]\n'
         'for case in cases:\n'
         '    if case == "b": print("going down", flush=True); sys.exit(3)\n'
         '    print("TEST-PASS retry." + case)\n'
         'print("TEST-DONE retry passed=%d failed=0" % len(cases))'),
    # A host command that dies of a signal: the harness could not run it.
    host('crash', 'import os, signal; os.kill(os.getpid(), signal.SIGKILL)'),
    # The kernel panics where a pass was expected.
    {'name': 'kpanic', 'cmdline': 'ktest=panic', 'expect': 'pass', 'timeout': 60,
     'disk': 0},
    # The guest runs past its time limit (sleep 100 in the guest).  The
    # limit leaves a loaded machine time to print the banner first (else
    # it would be no_output).
    {'name': 'ktimeout', 'cmdline': 'cmd=/bin/sleep 100', 'expect': 'pass',
     'timeout': 15, 'disk': 0},
    # QEMU halted before the first instruction (-S): no kernel output at all.
    {'name': 'silent', 'cmdline': 'ktest', 'expect': 'pass', 'timeout': 60,
     'silence': 2, 'disk': 0, 'qemu_extra': ['-S']},
    # Two real passes at once with the same command line and the same
    # blkdebug rules: they share those files (named by contents) and must
    # not share a disk.  The second is 'early': it starts before every
    # other suite and must still print last.
    {'name': 'kpass_a', 'cmdline': 'ktest=kmem_sizes', 'expect': 'pass', 'timeout': 120,
     'disk': 8, 'blkdebug': '[inject-error]\nevent = "none"\nsector = "9999"\n'},
    {'name': 'kpass_b', 'cmdline': 'ktest=kmem_sizes', 'expect': 'pass', 'timeout': 120,
     'early': True,
     'disk': 8, 'blkdebug': '[inject-error]\nevent = "none"\nsector = "9999"\n'},
]
