#!/usr/bin/env python3
"""The "profile" host suite: does the profiler find what a program does?

Boots /test/prof_test (user/tests/prof_test.c) with QEMU's debug console
attached, passes the guest's own TEST lines (suite "prof") through, then
reads the profile its last case left with tools/profile and checks that
the known answer is at the top (suite "profile"):

    dump_is_complete               the dump arrived whole, with samples
    user_and_kernel_time_both_seen both modes hold a fair share
    top_user_function_is_the_spinner
    system_call_tops_the_kernel_stacks
    report_and_folded_stacks       tools/profile prints both names and
                                   writes well-formed folded stacks

Run by tests/run.py (tests/suites.py); VMOS_ISO names the ISO, and its
directory holds kernel.elf and user/bin.
"""

import collections
import importlib.machinery
import importlib.util
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, 'tools'))
sys.path.insert(0, HERE)
import qemu  # noqa: E402
from gdbsession import Reporter, iso_path, log_dir  # noqa: E402

SPINNER = 'spin_in_user_code'
SYSCALL = 'sys_kcounters'
WRAPPER = 'kcounters'           # libc's wrapper holds the syscall instruction


def load_profile_tool():
    path = os.path.join(TOP, 'tools', 'profile')
    loader = importlib.machinery.SourceFileLoader('vmos_profile', path)
    spec = importlib.util.spec_from_loader('vmos_profile', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def boot(iso, raw):
    """Run prof_test; echo its output; return QEMU's exit status."""
    args = qemu.qemu_args(iso, cmdline='cmd=/test/prof_test', debugcon=raw)
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    for line in proc.stdout:
        sys.stdout.write(line.decode('utf-8', 'replace'))
        sys.stdout.flush()
    return proc.wait()


def main():
    rep = Reporter('profile')
    iso = iso_path()
    build = os.path.dirname(os.path.abspath(iso))
    raw = os.path.join(log_dir(), 'profile.raw')
    folded = os.path.join(log_dir(), 'profile.folded')
    status = boot(iso, raw)
    kind, value = qemu.exit_status_meaning(status)
    if (kind, value) != ('exit', 0):        # its own TEST-FAIL lines say why
        print('profile: the guest ended with %s' % qemu.describe_status(status))
    tool = load_profile_tool()
    try:
        hz, dropped, samples = tool.read_samples(raw)
    except SystemExit as e:
        rep.check('dump_is_complete', False, e)
        return rep.done()
    mine = [s for s in samples if s[2] == 'prof_test']
    rep.check('dump_is_complete', hz == 10000 and len(mine) > 1000,
              '%d samples at %d Hz, %d of prof_test' % (len(samples), hz, len(mine)))

    kernel = tool.Symbols(os.path.join(build, 'kernel.elf'))
    user = tool.Symbols(os.path.join(build, 'user', 'bin', 'prof_test'))
    modes = collections.Counter(s[0] for s in mine)
    rep.check('user_and_kernel_time_both_seen',
              modes['user'] > len(mine) // 5 and modes['kernel'] > len(mine) // 5,
              'modes of prof_test: %s' % dict(modes))

    user_fns = collections.Counter(user.name(s[3][0], '?') for s in mine if s[0] == 'user')
    top = user_fns.most_common(1)
    rep.check('top_user_function_is_the_spinner', top and top[0][0] == SPINNER,
              'user functions: %s' % user_fns.most_common(5))

    ksamples = [s for s in mine if s[0] == 'kernel']
    with_call = sum(1 for s in ksamples if SYSCALL in {kernel.name(pc, '?') for pc in s[3]})
    entries = collections.Counter(user.name(s[4], '?') for s in ksamples if s[4])
    rep.check('system_call_tops_the_kernel_stacks',
              ksamples and with_call * 2 >= len(ksamples) and
              bool(entries) and entries.most_common(1)[0][0] == WRAPPER,
              '%s on %d of %d kernel stacks; entered from %s' % (
                  SYSCALL, with_call, len(ksamples), entries.most_common(3)))

    r = subprocess.run([sys.executable, os.path.join(TOP, 'tools', 'profile'), '--build', build,
                        '--folded', folded, raw], capture_output=True, text=True)
    lines_ok = True
    try:
        with open(folded) as f:
            for line in f:
                stack, _, n = line.rstrip('\n').rpartition(' ')
                lines_ok = lines_ok and stack != '' and n.isdigit()
    except OSError:
        lines_ok = False
    rep.check('report_and_folded_stacks',
              r.returncode == 0 and 'prof_test:' + SPINNER in r.stdout and SYSCALL in r.stdout
              and lines_ok, r.stdout[-800:] + r.stderr[-300:])
    mine_failed = rep.done()
    return 1 if mine_failed or (kind, value) != ('exit', 0) else 0


if __name__ == '__main__':
    sys.exit(main())
