#!/usr/bin/env python3
"""The test harness: boot vmos once per suite, read the results off the serial port.

    tests/run.py [--iso build/os.iso] [--coverage DIR] [--list] [--swap SIZE]
                 [--disk-transport legacy|modern|transitional] [NAME ...]
    tests/run.py --lab LAB ...      grade a lab (make grade; tests/grade.py)

NAME is a suite (`kernel`) or one case of it (`kernel.heap_redzone`, which
boots that suite with the kernel command line filter `=heap_redzone`).
Without NAMEs every suite in tests/suites.py runs, in order.

Protocol.  The guest prints, one per line on the serial port (a trailing
\\r is ignored):

    TEST-PASS <suite>.<case>
    TEST-FAIL <suite>.<case>: <reason>
    TEST-DONE <suite> passed=N failed=M

then leaves through the debug-exit device, so QEMU exits with 2*V+1:
V = 0 when every case passed, V = 1 when some failed, V = 127 on a kernel
panic (tools/qemu.py decodes the status).  A boot that ends any other way
(timeout, unexpected status, no TEST-DONE, TEST-DONE counts that disagree
with the lines seen) counts as one extra failure named after the suite.
A suite with expect='panic' passes when the kernel panics (V = 127) and
prints everything its must_match regexes ask for (a 'pass' suite must
print them too, besides its results).

The swap disk.  Every suite boots with a fresh sparse image of --swap
bytes (make test passes SWAP, default 256M; 0: none) as a virtio disk,
unless its entry sets 'disk' (MiB; 0 says no disk); 'disk_transport' and
'blkdebug' pick the virtio device and inject errors (tests/suites.py).

Each boot's serial output goes to test-logs/<suite>.log beside the ISO
(build/test-logs for the default ISO).  The last line printed is
`N passed, M failed`; the exit status is 0 only when M == 0 and N > 0,
1 otherwise, 2 for a usage error.

Coverage.  With --coverage DIR (make coverage, on a kernel built with
GCOV=1) every boot gets QEMU's debug console, and the kernel's gcov
counters arrive in DIR/<suite>.gcov as the run ends (tools/gcov-collect
turns them into .gcda files).  A boot that should end normally but left
no complete dump fails.  The 'panic' suites end in a panic by design,
which dumps nothing; they run without the device.

Host suites.  A suite with expect='host' boots nothing itself: it runs
its 'command' (argv, from the top of the tree) on the host, and reads the
same protocol from the command's output.  The command exits 0 when every
case passed and 1 when some failed; anything else, a missing TEST-DONE or
counts that disagree count as one more failure, as for a boot.  Host
suites test what happens outside the guest: the book's citations, the
labs, gdb sessions against a stopped kernel.  The command gets the ISO in
env VMOS_ISO and the log directory in env VMOS_TEST_LOGS; the cases named
on the command line are its arguments.

Environment: TEST_TIMEOUT_SCALE multiplies every timeout (default 1);
VERBOSE=1 echoes the serial output; KVM=1 runs QEMU with KVM.
"""

import argparse
import os
import re
import selectors
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'tools'))
sys.path.insert(0, HERE)
import qemu  # noqa: E402
from suites import SUITES  # noqa: E402

DEFAULT_SILENCE = 30
DEFAULT_MEM = '256M'
DEFAULT_SWAP = '256M'
TAIL_LINES = 40
BANNER = 'vmos: kernel'

PASS_RE = re.compile(r'^\s*TEST-PASS (\S+)\s*$')
FAIL_RE = re.compile(r'^\s*TEST-FAIL ([^\s:]+):?\s*(.*)$')
DONE_RE = re.compile(r'^\s*TEST-DONE (\S+) passed=(\d+) failed=(\d+)\s*$')


def say(*args):
    print(*args, flush=True)


def rel(path):
    """A path as short as possible for messages."""
    return os.path.relpath(path)


# ---------------------------------------------------------------------------
# Choosing what to run

def parse_args():
    p = argparse.ArgumentParser(
        description='Boot vmos in QEMU and run its test suites.')
    p.add_argument('--iso', default=os.path.join(qemu.BUILD, 'os.iso'),
                   help='ISO to boot (default: build/os.iso)')
    p.add_argument('--coverage', metavar='DIR', default=None,
                   help='collect the gcov dump of each boot in DIR '
                   '(a kernel built with GCOV=1)')
    p.add_argument('--list', action='store_true',
                   help='print the suite names and exit')
    p.add_argument('--swap', default=os.environ.get('SWAP', DEFAULT_SWAP),
                   metavar='SIZE',
                   help='size of the fresh swap disk each suite gets unless it '
                   'says otherwise (default: $SWAP or %s; 0: none)' % DEFAULT_SWAP)
    p.add_argument('--disk-transport', default=None,
                   choices=['legacy', 'modern', 'transitional'],
                   help='the virtio device of suites that do not choose one '
                   '(default: transitional)')
    p.add_argument('--lab', metavar='LAB', default=None,
                   help="grade lab LAB's graded cases instead (make grade; tests/grade.py)")
    p.add_argument('names', nargs='*', metavar='NAME',
                   help='suite or suite.case (default: every suite)')
    return p.parse_args()


def select_suites(names):
    """Map the NAMEs to [(suite, cases)], in manifest order.  cases is None
    for a whole suite, else the list of case names.  Exits 2 on a name
    that is not a suite."""
    by_name = {s['name']: s for s in SUITES}
    wanted = {}
    for name in names:
        suite, _, case = name.partition('.')
        if suite not in by_name:
            sys.stderr.write('run.py: unknown suite %r; known suites: %s\n'
                             % (suite, ', '.join(by_name)))
            sys.exit(2)
        if not case:
            wanted[suite] = None            # the whole suite wins
        elif wanted.get(suite, []) is not None:
            wanted.setdefault(suite, []).append(case)
    if not names:
        wanted = {s['name']: None for s in SUITES}
    return [(s, wanted[s['name']]) for s in SUITES if s['name'] in wanted]


def suite_cmdline(suite, cases):
    """The kernel command line for one boot of suite."""
    filt = '=' + ','.join(cases) if cases else ''
    return suite['cmdline'].format(filter=filt, cases=' '.join(cases or [])).rstrip()


def scale():
    try:
        return float(os.environ.get('TEST_TIMEOUT_SCALE', '1'))
    except ValueError:
        sys.exit('run.py: TEST_TIMEOUT_SCALE must be a number')


# ---------------------------------------------------------------------------
# One boot: what the serial port said

class Boot:
    """Everything learnt from one boot's serial output, as it arrives.
    Prints a PASS/FAIL line for every result line."""

    def __init__(self, name, log, verbose):
        self.name = name
        self.log = log
        self.verbose = verbose
        self.start = time.monotonic()
        self.last_result = self.start
        self.first_byte = None
        self.banner = None
        self.lines = []
        self.passed = 0
        self.failed = 0
        self.seen = {}          # suite prefix -> [passed, failed]
        self.done = []          # (suite, passed, failed) from TEST-DONE
        self.qemu_errors = []   # QEMU's own error messages
        self.raw = ''           # all output so far, for 'script' steps
        self.step_from = 0      # where in raw the current step looks
        self.steps_done = 0

    def elapsed(self):
        return time.monotonic() - self.start

    def got_bytes(self):
        if self.first_byte is None:
            self.first_byte = self.elapsed()

    def line(self, text):
        """Handle one complete line of output (without its newline)."""
        text = text.strip('\r')
        self.lines.append(text)
        self.log.write(text + '\n')
        self.log.flush()
        if self.verbose:
            say(text)
        if self.banner is None and BANNER in text:
            self.banner = self.elapsed()
            self.print_boot_times()
        if text.startswith(qemu.QEMU + ':') and 'warning:' not in text:
            self.qemu_errors.append(text)
        self.match_protocol(text)

    def match_protocol(self, text):
        m = PASS_RE.match(text)
        if m:
            return self.result(m.group(1), True, None)
        m = FAIL_RE.match(text)
        if m:
            return self.result(m.group(1), False,
                               m.group(2) or '(no reason given)')
        m = DONE_RE.match(text)
        if m:
            self.done.append((m.group(1), int(m.group(2)), int(m.group(3))))

    def result(self, case, ok, reason):
        now = time.monotonic()
        took = '(%.2fs)' % (now - self.last_result)
        self.last_result = now
        counts = self.seen.setdefault(case.split('.', 1)[0], [0, 0])
        if ok:
            self.passed += 1
            counts[0] += 1
            say('PASS %s %s' % (case, took))
        else:
            self.failed += 1
            counts[1] += 1
            say('FAIL %s %s: %s' % (case, took, reason))

    def print_boot_times(self):
        first = ('%.2fs' % self.first_byte if self.first_byte is not None
                 else 'none')
        banner = '%.2fs' % self.banner if self.banner is not None \
            else 'not seen'
        say('  boot: first byte %s, banner %s' % (first, banner))

    def text(self):
        return '\n'.join(self.lines)


# ---------------------------------------------------------------------------
# Running QEMU

def script_advance(proc, boot, script):
    """A 'script' suite types at the console like a person: each step is
    (regex, keys); once the output since the previous step matches the
    regex, the keys are written to the serial port."""
    while boot.steps_done < len(script):
        regex, keys = script[boot.steps_done]
        m = re.compile(regex).search(boot.raw, boot.step_from)
        if not m:
            return
        boot.step_from = m.end()
        boot.steps_done += 1
        proc.stdin.write(keys.encode())
        proc.stdin.flush()


def stream(proc, boot, total, silence, script=None):
    """Feed QEMU's output to boot line by line until QEMU closes it,
    typing the script's keys as their prompts appear.
    Returns None, or a description of the timeout that fired."""
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    deadline = time.monotonic() + total
    quiet_until = time.monotonic() + silence
    pending = b''
    while True:
        now = time.monotonic()
        if now >= deadline:
            why = 'timeout (still running after %gs)' % total
            break
        if now >= quiet_until:
            why = 'timeout (no output for %gs)' % silence
            break
        if not sel.select(min(deadline, quiet_until) - now):
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            why = None
            break
        boot.got_bytes()
        if script:
            boot.raw += chunk.decode('utf-8', errors='replace')
            script_advance(proc, boot, script)
        quiet_until = time.monotonic() + silence
        *complete, pending = (pending + chunk).split(b'\n')
        for raw in complete:
            boot.line(raw.decode('utf-8', errors='replace'))
    if pending:
        boot.line(pending.decode('utf-8', errors='replace'))
    sel.close()
    return why


def disk_path(suite, opts):
    """Beside the ISO, so that two builds (say the coverage one) never share a disk."""
    return os.path.join(os.path.dirname(os.path.abspath(opts.iso)),
                        'test-disk-%s.img' % suite['name'])


def disk_bytes(suite, opts):
    """Size of the suite's swap disk: its own 'disk' (MiB; 0 for none),
    else --swap."""
    if 'disk' in suite:
        return (suite['disk'] or 0) * 1024 * 1024
    return qemu.parse_size(opts.swap)


def make_disk(suite, opts):
    """A fresh, sparse scratch disk for suite (sparse, so a big one costs
    nothing until written), or None."""
    size = disk_bytes(suite, opts)
    return qemu.make_scratch_disk(disk_path(suite, opts), size) if size else None


def disk_options(suite, opts):
    """The transport and blkdebug rules of the suite's disk."""
    transport = suite.get('disk_transport', opts.disk_transport)
    return transport, suite.get('blkdebug')


# What a complete coverage dump ends with (kernel/kern/gcov.c).
GCOV_TRAILER = b'GCOVDONE'


def coverage_path(suite, coverage_dir):
    """Where suite's gcov dump goes, or None when it makes none."""
    if coverage_dir is None or suite['expect'] == 'panic':
        return None
    return os.path.join(coverage_dir, suite['name'] + '.gcov')


def coverage_problem(path):
    """Why the dump at path is missing or cut short, or None."""
    try:
        with open(path, 'rb') as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - len(GCOV_TRAILER)))
            tail = f.read()
    except OSError as e:
        return 'no coverage dump (%s)' % e.strerror
    if size == 0:
        return 'no coverage dump (was the kernel built with GCOV=1?)'
    if tail != GCOV_TRAILER:
        return 'coverage dump cut short (%d bytes)' % size
    return None


def boot_suite(suite, cmdline, iso, log, opts, gcov=None):
    """Boot QEMU once for suite.  Returns (boot, status, timeout)."""
    disk = make_disk(suite, opts)
    transport, blkdebug = disk_options(suite, opts)
    if disk is None and blkdebug:
        sys.exit('run.py: suite %s has blkdebug rules but no disk (its disk is %r, '
                 '--swap %s)' % (suite['name'], suite.get('disk'), opts.swap))
    args = qemu.qemu_args(iso, mem=suite.get('mem', DEFAULT_MEM),
                          cmdline=cmdline, disk=disk,
                          disk_transport=transport if disk else None,
                          blkdebug=blkdebug, extra=suite.get('qemu_extra'),
                          debugcon=gcov)
    boot = Boot(suite['name'], log, os.environ.get('VERBOSE') == '1')
    if boot.verbose:
        say('  $ ' + ' '.join(shlex.quote(a) for a in args))
    script = suite.get('script')
    proc = subprocess.Popen(args,
                            stdin=subprocess.PIPE if script else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        timeout = stream(proc, boot, suite['timeout'] * scale(),
                         suite.get('silence', DEFAULT_SILENCE) * scale(), script)
    finally:
        if proc.poll() is None:
            proc.kill()
        status = proc.wait()
        proc.stdout.close()
        if proc.stdin:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
    if boot.banner is None:
        boot.print_boot_times()
    return boot, status, timeout


def run_host(suite, cases, iso, log):
    """Run a host suite's command.  Returns (boot, status, timeout), as
    boot_suite does; the status is the command's exit status."""
    top = os.path.dirname(HERE)
    env = dict(os.environ, VMOS_ISO=os.path.abspath(iso),
               VMOS_TEST_LOGS=os.path.dirname(os.path.abspath(log.name)))
    boot = Boot(suite['name'], log, os.environ.get('VERBOSE') == '1')
    boot.banner = 0.0           # no boot to time
    proc = subprocess.Popen(list(suite['command']) + list(cases or []), cwd=top, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        timeout = stream(proc, boot, suite['timeout'] * scale(),
                         suite.get('silence', DEFAULT_SILENCE) * scale())
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)     # the command and whatever it started
        status = proc.wait()
        proc.stdout.close()
    return boot, status, timeout


def host_status_problem(status):
    """Why a host command's exit status is wrong, or None."""
    if status in (0, 1):
        return None
    if status < 0:
        return 'killed by signal %d' % -status
    return 'exit status %d (expected 0 or 1)' % status


# ---------------------------------------------------------------------------
# Verdicts

def status_problem(boot, status, expected_kind):
    """Why the exit status is wrong for a boot that should end with
    expected_kind ('exit' or 'panic'), or None."""
    if status == 1 and boot.qemu_errors:
        return 'QEMU could not start: ' + boot.qemu_errors[0]
    kind, value = qemu.exit_status_meaning(status)
    if kind == expected_kind == 'panic':
        return None
    if kind == expected_kind == 'exit' and value in (0, 1):
        return None
    if kind == 'panic':
        return 'kernel panic'
    what = qemu.describe_status(status)
    if kind == 'exit':
        what += ' (expected %s)' % ('0 or 1' if expected_kind == 'exit'
                                    else 'a kernel panic')
    return 'QEMU exit status %d: %s' % (status, what)


def protocol_problem(boot, value):
    """Why the result lines of a finished 'pass' boot do not add up, or
    None.  value is V (0: all passed, 1: some failed)."""
    if value == 0 and boot.failed:
        return 'exit status 0 but %d case(s) failed' % boot.failed
    if value == 1 and not boot.failed:
        return 'exit status 1 but no TEST-FAIL line'
    if not boot.done:
        return 'no TEST-DONE line'
    for suite, passed, failed in boot.done:
        seen = boot.seen.get(suite, [0, 0])
        if [passed, failed] != seen:
            return ('TEST-DONE %s says passed=%d failed=%d, but %d passed '
                    'and %d failed were seen' % (suite, passed, failed, *seen))
    missing = sorted(set(boot.seen) - {s for s, _, _ in boot.done})
    if missing:
        return 'no TEST-DONE line for %s' % ', '.join(missing)
    if not boot.passed and not boot.failed:
        return 'no test case ran (does the filter name a case?)'
    return None


def panic_problem(suite, boot):
    """Why the serial output of a panic boot lacks what it must show."""
    text = boot.text()
    for regex in suite.get('must_match', []):
        if not re.search(regex, text, re.MULTILINE):
            return 'output does not match /%s/' % regex
    return None


def script_problem(suite, boot, status):
    """Why a 'script' suite failed: a step whose prompt never came, the
    wrong exit status, or output it must show and did not."""
    script = suite['script']
    if boot.steps_done < len(script):
        return 'step %d never saw /%s/' % (boot.steps_done + 1,
                                           script[boot.steps_done][0])
    kind, value = qemu.exit_status_meaning(status)
    if (kind, value) != ('exit', suite.get('status', 0)):
        return 'QEMU exit status %d: %s (expected exit %d)' % (
            status, qemu.describe_status(status), suite.get('status', 0))
    return panic_problem(suite, boot)


def judge(suite, boot, status, timeout):
    """Return the reason the boot as a whole failed, or None."""
    if timeout and suite['expect'] == 'script':
        return '%s (at step %d of %d)' % (timeout, boot.steps_done + 1,
                                          len(suite['script']))
    if timeout:
        return timeout
    if suite['expect'] == 'script':
        return script_problem(suite, boot, status)
    if suite['expect'] == 'panic':
        return (status_problem(boot, status, 'panic')
                or panic_problem(suite, boot))
    if suite['expect'] == 'host':
        return (host_status_problem(status)
                or protocol_problem(boot, status)
                or panic_problem(suite, boot))
    return (status_problem(boot, status, 'exit')
            or protocol_problem(boot, qemu.exit_status_meaning(status)[1])
            or panic_problem(suite, boot))


def show_tail(boot):
    tail = boot.lines[-TAIL_LINES:]
    if len(boot.lines) > len(tail):
        say('  | ... (%d lines before)' % (len(boot.lines) - len(tail)))
    for line in tail:
        say('  | ' + line)


def run_suite(suite, cases, iso, opts):
    """Boot one suite and report it.  Returns (passed, failed)."""
    cmdline = '' if suite['expect'] == 'host' else suite_cmdline(suite, cases)
    name = suite['name']
    host = suite['expect'] == 'host'
    if (cases and not host and '{filter}' not in suite['cmdline']
            and '{cases}' not in suite['cmdline']):
        say('note: suite %s cannot run single cases; running all of it'
            % name)
    if host:
        cmdline = ' '.join(shlex.quote(w) for w in list(suite['command']) + list(cases or []))
    say('== %s: %s' % (name, cmdline))
    log_dir = os.path.join(os.path.dirname(os.path.abspath(iso)), 'test-logs')
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, name + '.log')
    gcov = coverage_path(suite, opts.coverage)
    with open(log_path, 'w') as log:
        if host:
            gcov = None
            boot, status, timeout = run_host(suite, cases, iso, log)
        else:
            boot, status, timeout = boot_suite(suite, cmdline, iso, log, opts, gcov)
    passed, failed = boot.passed, boot.failed
    problem = judge(suite, boot, status, timeout)
    if problem is None and gcov is not None:
        problem = coverage_problem(gcov)
    took = '(%.2fs)' % boot.elapsed()
    if problem:
        failed += 1
        say('FAIL %s: %s' % (name, problem))
        show_tail(boot)
    elif suite['expect'] in ('panic', 'script'):
        passed += 1
        say('PASS %s %s' % (name, took))
    if failed:
        say('  log: %s' % rel(log_path))
        say('  rerun: ' + (cmdline if host else rerun_command(suite, cmdline, opts)))
    return passed, failed


def rerun_command(suite, cmdline, opts):
    """The command that boots this suite by hand, to watch or debug it."""
    words = ['tools/run-in-qemu', '--cmdline', cmdline]
    if os.path.abspath(opts.iso) != os.path.join(qemu.BUILD, 'os.iso'):
        words += ['--iso', rel(opts.iso)]
    if suite.get('mem'):
        words += ['--mem', suite['mem']]
    if disk_bytes(suite, opts):
        words += ['--disk', rel(disk_path(suite, opts))]
        transport, blkdebug = disk_options(suite, opts)
        if transport:
            words += ['--disk-transport', transport]
        if blkdebug:
            words += ['--blkdebug', rel(qemu.write_blkdebug_file(blkdebug))]
    if suite.get('qemu_extra'):
        words += ['--'] + list(suite['qemu_extra'])
    return ' '.join(shlex.quote(w) for w in words)


def main():
    opts = parse_args()
    if opts.lab is not None:            # make grade: tests/grade.py
        import grade
        return grade.main(opts)
    if opts.list:
        for suite in SUITES:
            say(suite['name'])
        return 0
    plan = select_suites(opts.names)
    try:
        qemu.parse_size(opts.swap)
    except ValueError as e:
        sys.stderr.write('run.py: --swap/SWAP: %s\n' % e)
        return 2
    if not os.path.isfile(opts.iso):
        sys.stderr.write('run.py: %s not found; run make first\n' % opts.iso)
        return 2
    if opts.coverage is not None:
        os.makedirs(opts.coverage, exist_ok=True)
    passed = failed = 0
    try:
        for suite, cases in plan:
            p, f = run_suite(suite, cases, opts.iso, opts)
            passed, failed = passed + p, failed + f
    except KeyboardInterrupt:
        say('interrupted')
        failed += 1
    say('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
