#!/usr/bin/env python3
"""The test harness: boot vmos once per suite, read the results off the serial port.

    tests/run.py [--iso build/os.iso] [--coverage DIR] [--list] [--swap SIZE]
                 [--disk-transport legacy|modern|transitional] [-j N]
                 [--junit FILE] [--results FILE] [--points FILE]
                 [--output-limit BYTES] [--record DIR] [NAME ...]
    tests/run.py --lab LAB [options]     grade a lab (make grade; tests/grade.py)

NAME is a suite (`kernel`) or one case of it (`kernel.kmem_sizes`, which
boots that suite with the kernel command line filter `=kmem_sizes`).
Without NAMEs every suite in tests/suites.py runs.

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

Results.  Every test ends as one Result record: a case the guest
reported, or a boot as a whole (a 'panic' or 'script' suite that passed,
or any boot that failed).  Its kind says how it ended:

    pass       it passed
    fail       a wrong answer: TEST-FAIL, a missing TEST-DONE or
               must_match line, an unexpected exit status
    timeout    the boot ran past its time limit, or went silent too long
    panic      the kernel panicked (or the CPU reset) where no panic was
               expected
    no_output  the kernel never printed its banner (it never got going)
    flood      the boot printed more than --output-limit bytes; what it
               printed up to the limit is kept
    error      the harness could not run the test: QEMU did not start, a
               host command died, Ctrl-C

The last line printed is `N passed, M failed` (M counts every kind but
pass); before it, one line per kind other than fail that happened, e.g.
`timeouts: vm (no output for 30s)`.  The exit status is 0 only when
M == 0 and N > 0, 1 otherwise, 2 for a usage error.

Outputs for machines.  --junit FILE writes JUnit XML: a <testsuite> per
suite, a <testcase> per Result; a wrong answer is a <failure>, every other
kind an <error> whose type is the kind; the message is the reason and the
text the tail of what the test printed.  --results FILE writes
Gradescope's results.json: a top-level score and one entry per Result with
name, score, max_score, status (passed/failed) and output; its kind, suite
and time are in the entry's extra_data.

Points.  Without --points every Result is worth 1.  --points FILE (JSON,
{"suite.case": points, ...}) grades: those cases run (unless NAMEs are
given), each is worth its points, a graded case that never reported is
recorded as failed with the kind of its boot's failure ("did not run"),
and every other Result is worth 0.  A graded case left without a result
because its boot ended early (a panic, a hang) is booted again on its
own, so that one case that brings the kernel down costs only its own
points (retry_alone(); its log is test-logs/SUITE.CASE.log).  weigh()
gives the points.  --lab LAB is --points with the graded list of lab LAB
in tests/labs.py; after the summary it prints a line per graded case and
`score: X/Y` (tests/grade.py), and exits 0 only for full marks.

Parallel suites.  -j N (env JOBS; default: the number of CPUs) boots
suites at once, each in its own QEMU, while their guest CPUs add up to at
most N (a host suite counts one; a suite with more CPUs than N runs
alone).  Giving a guest more CPUs than the host has free does not only
slow it: a vCPU thread that the host deschedules while its guest holds a
spinlock leaves the guest's other CPUs spinning for a whole host time
slice (lock-holder preemption).  Two boots of two CPUs each on a 2-core
host made the swap suites six times slower than one such boot alone, and
past their time limit on CI (CpuBudget).  What each suite prints is held
back and printed in manifest order, so the console reads as a serial run
(only the time each took differs).  Suites share no scratch file: each has
its own disk image and log, and tools/qemu.py names the command line and
blkdebug files by their contents.

The swap disk.  Every suite boots with a fresh sparse image of --swap
bytes (make test passes SWAP, default 256M; 0: none) as a virtio disk,
unless its entry sets 'disk' (MiB; 0 says no disk); 'disk_transport' and
'blkdebug' pick the virtio device and inject errors (tests/suites.py).

Each boot's serial output goes to test-logs/<suite>.log beside the ISO
(build/test-logs for the default ISO), cut at --output-limit bytes.

Coverage.  With --coverage DIR (make coverage, on a kernel built with
GCOV=1) every boot gets QEMU's debug console, and the kernel's gcov
counters arrive in DIR/<suite>.gcov as the run ends (tools/gcov-collect
turns them into .gcda files).  A boot that should end normally but left
no complete dump fails.  The 'panic' suites end in a panic by design,
which dumps nothing; they run without the device.

Recording.  --record DIR (make test RECORD=1: build/rr) records every
boot with QEMU's record/replay (tools/rr.py) into DIR/<suite>.  The
recording of a suite that passed is deleted, unless suites were named on
the command line (make test T=fault RECORD=1: you asked for that one);
the others are kept, and the harness prints the command that replays
each (make replay RR=DIR/<suite>).  Host suites boot nothing themselves
and are not recorded.

Host suites.  A suite with expect='host' boots nothing itself: it runs
its 'command' (argv, from the top of the tree) on the host, and reads the
same protocol from the command's output.  The command exits 0 when every
case passed and 1 when some failed; anything else, a missing TEST-DONE or
counts that disagree count as one more failure, as for a boot.  Host
suites test what happens outside the guest: the book's citations, the
labs, gdb sessions against a stopped kernel, the grader.  The command gets
the ISO in env VMOS_ISO and the log directory in env VMOS_TEST_LOGS; the
cases named on the command line are its arguments.

--manifest FILE reads the suites from another Python file defining SUITES
(the harness's own tests use it).

Environment: TEST_TIMEOUT_SCALE multiplies every timeout (default 1);
VERBOSE=1 echoes the serial output; KVM=1 runs QEMU with KVM; JOBS is the
default of -j.
"""

import argparse
import concurrent.futures
import dataclasses
import importlib.util
import json
import os
import re
import selectors
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'tools'))
sys.path.insert(0, HERE)
import qemu  # noqa: E402
import grade  # noqa: E402
import rr  # noqa: E402

DEFAULT_SILENCE = 30
DEFAULT_MEM = '256M'
DEFAULT_SWAP = '256M'
DEFAULT_OUTPUT_LIMIT = 4 << 20      # bytes of output one boot may print
LONGEST_LINE = 64 << 10             # a longer "line" is cut into pieces
TAIL_LINES = 40
BANNER = 'vmos: kernel'

PASS_RE = re.compile(r'^\s*TEST-PASS (\S+)\s*$')
FAIL_RE = re.compile(r'^\s*TEST-FAIL ([^\s:]+):?\s*(.*)$')
DONE_RE = re.compile(r'^\s*TEST-DONE (\S+) passed=(\d+) failed=(\d+)\s*$')

# The kinds of Result (see the docstring), and the word the console
# summary uses for each kind that gets a line of its own.
PASS, FAIL, TIMEOUT, PANIC, NO_OUTPUT, FLOOD, ERROR = (
    'pass', 'fail', 'timeout', 'panic', 'no_output', 'flood', 'error')
KINDS = (PASS, FAIL, TIMEOUT, PANIC, NO_OUTPUT, FLOOD, ERROR)
SUMMARY_WORDS = [(TIMEOUT, 'timeouts'), (PANIC, 'panics'), (NO_OUTPUT, 'no output'),
                 (FLOOD, 'floods'), (ERROR, 'errors')]

# Set on Ctrl-C: every running boot stops at its next look at the clock.
STOP = threading.Event()


def rel(path):
    """A path as short as possible for messages."""
    return os.path.relpath(path)


@dataclasses.dataclass
class Result:
    """How one test ended.  name is the case as the guest printed it
    ('vm.fork_shares_nothing') or, for a boot as a whole, the suite's name;
    suite is the boot it came from.  score and max_score are set by
    weigh()."""
    suite: str
    name: str
    kind: str
    reason: str = ''
    output: str = ''
    seconds: float = 0.0
    score: float = 0
    max_score: float = 0

    def title(self):
        """A name unique in the run: the kernel suite's cases also run in
        other boots (blk_legacy runs kernel.blk_*), so those carry the
        boot's name in front."""
        if self.name == self.suite or self.name.startswith(self.suite + '.'):
            return self.name
        return '%s/%s' % (self.suite, self.name)


# ---------------------------------------------------------------------------
# Choosing what to run

def parse_args(argv=None):
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
    p.add_argument('-j', '--jobs', default=os.environ.get('JOBS') or None, metavar='N',
                   help='suites to run at once (default: $JOBS or the number of CPUs)')
    p.add_argument('--junit', metavar='FILE', default=None,
                   help='also write the results as JUnit XML to FILE')
    p.add_argument('--results', metavar='FILE', default=None,
                   help="also write the results as Gradescope's results.json to FILE")
    p.add_argument('--points', metavar='FILE', default=None,
                   help='grade: a JSON object {"suite.case": points}; runs those '
                   'cases unless NAMEs are given, and scores only them')
    p.add_argument('--output-limit', type=int, default=DEFAULT_OUTPUT_LIMIT,
                   metavar='BYTES',
                   help='stop a boot that prints more than this (default %d)'
                   % DEFAULT_OUTPUT_LIMIT)
    p.add_argument('--lab', metavar='LAB', default=None,
                   help="grade lab LAB: --points with its graded cases (tests/labs.py), "
                   "then a line per case and the score (make grade; tests/grade.py)")
    p.add_argument('--record', metavar='DIR', default=None,
                   help='record each boot into DIR/SUITE (QEMU record/replay); keep '
                   'the recordings of failed suites, or of all when NAMEs are given')
    p.add_argument('--cpus', type=int, default=None, metavar='N',
                   help="guest CPUs for suites that do not set 'cpus' "
                   "(default: env CPUS, make test CPUS=N, or 1)")
    p.add_argument('--also-cpus', type=int, default=None, metavar='N',
                   help="then run every guest suite that does not set 'cpus' again "
                   "with N CPUs, as SUITE_Ncpu (make test: the uniprocessor round)")
    p.add_argument('--manifest', metavar='FILE', default=None,
                   help='read SUITES from this Python file instead of tests/suites.py')
    p.add_argument('names', nargs='*', metavar='NAME',
                   help='suite or suite.case (default: every suite)')
    return p.parse_args(argv)


def load_suites(path):
    """SUITES from tests/suites.py, or from the file path."""
    if path is None:
        from suites import SUITES
        return SUITES
    spec = importlib.util.spec_from_file_location('manifest', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SUITES


def job_count(text):
    """The number of suites to run at once: text, or the CPUs we may use."""
    if text is None:
        return len(os.sched_getaffinity(0))
    if not str(text).isdigit() or int(text) < 1:
        raise ValueError('-j/JOBS must be a number of at least 1, not %r' % text)
    return int(text)


def load_points(path):
    """The --points file: {"suite.case": points}.  ValueError if it is not
    such an object."""
    with open(path) as f:
        points = json.load(f)
    if not isinstance(points, dict) or not all(
            isinstance(k, str) and '.' in k and isinstance(v, (int, float))
            and not isinstance(v, bool) and v >= 0 for k, v in points.items()):
        raise ValueError('%s: expected a JSON object {"suite.case": points >= 0, ...}' % path)
    return points


def select_suites(suites, names):
    """Map the NAMEs to [(suite, cases)], in manifest order.  cases is None
    for a whole suite, else the list of case names.  Exits 2 on a name
    that is not a suite."""
    by_name = {s['name']: s for s in suites}
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
        wanted = {s['name']: None for s in suites}
    return [(s, wanted[s['name']]) for s in suites if s['name'] in wanted]


# The longest kernel command line the kernel reads whole (BOOTINFO_CMDLINE_MAX
# in kernel/arch/x86_64/multiboot.h, less its NUL).
CMDLINE_MAX = 1023


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
# The console: suites finish in any order, their lines come out in order

class Console:
    """Prints the lines of n suites in manifest order.  The first suite not
    yet finished (the head) prints as it goes; the others keep their lines
    until every suite before them has finished."""

    def __init__(self, n):
        self.lock = threading.Lock()
        self.held = [[] for _ in range(n)]
        self.finished = [False] * n
        self.head = 0

    def write(self, index, text):
        with self.lock:
            if index == self.head:
                print(text, flush=True)
            else:
                self.held[index].append(text)

    def finish(self, index):
        """Suite index has printed its last line."""
        with self.lock:
            self.finished[index] = True
            while self.head < len(self.finished) and self.finished[self.head]:
                self.head += 1
                if self.head < len(self.held):
                    for text in self.held[self.head]:
                        print(text)
                    self.held[self.head] = []
            sys.stdout.flush()

    def channel(self, index):
        """The say() function of suite index."""
        return lambda *args: self.write(index, ' '.join(str(a) for a in args))


# ---------------------------------------------------------------------------
# One boot: what the serial port said

class Boot:
    """Everything learnt from one boot's serial output, as it arrives.
    Prints a PASS/FAIL line and records a Result for every result line."""

    def __init__(self, name, log, verbose, say, limit=DEFAULT_OUTPUT_LIMIT):
        self.name = name
        self.log = log
        self.verbose = verbose
        self.say = say
        self.limit = limit
        self.start = time.monotonic()
        self.last_result = self.start
        self.first_byte = None
        self.banner = None
        self.received = 0       # bytes of output, kept or not
        self.lines = []
        self.case_from = 0      # where in lines the next case's output starts
        self.results = []       # a Result per TEST-PASS/TEST-FAIL line
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

    def got_bytes(self, count):
        """count more bytes arrived.  Returns False once the boot has
        printed more than its limit: the caller stops it."""
        if self.first_byte is None:
            self.first_byte = self.elapsed()
        self.received += count
        return self.received <= self.limit

    def flooded(self):
        return self.received > self.limit

    def line(self, text):
        """Handle one complete line of output (without its newline)."""
        text = text.strip('\r')
        self.lines.append(text)
        self.log.write(text + '\n')
        self.log.flush()
        if self.verbose:
            self.say(text)
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
        seconds = now - self.last_result
        took = '(%.2fs)' % seconds
        self.last_result = now
        # The case's output: what the guest printed since the previous
        # result line, this one included.
        output = '\n'.join(self.lines[self.case_from:][-TAIL_LINES:])
        self.case_from = len(self.lines)
        counts = self.seen.setdefault(case.split('.', 1)[0], [0, 0])
        if ok:
            self.passed += 1
            counts[0] += 1
            self.say('PASS %s %s' % (case, took))
        else:
            self.failed += 1
            counts[1] += 1
            self.say('FAIL %s %s: %s' % (case, took, reason))
        self.results.append(Result(self.name, case, PASS if ok else FAIL,
                                   reason or '', output, seconds))

    def print_boot_times(self):
        first = ('%.2fs' % self.first_byte if self.first_byte is not None
                 else 'none')
        banner = '%.2fs' % self.banner if self.banner is not None \
            else 'not seen'
        self.say('  boot: first byte %s, banner %s' % (first, banner))

    def text(self):
        return '\n'.join(self.lines)

    def tail(self):
        """The last TAIL_LINES lines, with a note of how many came before."""
        tail = self.lines[-TAIL_LINES:]
        before = len(self.lines) - len(tail)
        return (['... (%d lines before)' % before] if before else []) + tail


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


def stream(proc, boot, total, silence, script=None, copy=None):
    """Feed QEMU's output to boot line by line until QEMU closes it,
    typing the script's keys as their prompts appear.  Returns None, or
    (kind, why) when it stopped early: a timeout, output past the boot's
    limit (a flood), or Ctrl-C.  copy: a file that gets every byte read,
    as read (a recording's serial.log)."""
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    deadline = time.monotonic() + total
    quiet_until = time.monotonic() + silence
    pending = b''
    while True:
        now = time.monotonic()
        if STOP.is_set():
            why = (ERROR, 'interrupted')
            break
        if now >= deadline:
            why = (TIMEOUT, 'timeout (still running after %gs)' % total)
            break
        if now >= quiet_until:
            why = (TIMEOUT, 'timeout (no output for %gs)' % silence)
            break
        if not sel.select(min(deadline, quiet_until, now + 0.5) - now):
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            why = None
            break
        if not boot.got_bytes(len(chunk)):
            # Keep what fits under the limit; the rest is not read.
            chunk = chunk[:len(chunk) - (boot.received - boot.limit)]
        if copy:
            copy.write(chunk)
        if script:
            boot.raw += chunk.decode('utf-8', errors='replace')
            script_advance(proc, boot, script)
        quiet_until = time.monotonic() + silence
        *complete, pending = (pending + chunk).split(b'\n')
        while len(pending) > LONGEST_LINE:          # output without newlines
            complete.append(pending[:LONGEST_LINE])
            pending = pending[LONGEST_LINE:]
        for raw in complete:
            boot.line(raw.decode('utf-8', errors='replace'))
        if boot.flooded():
            why = (FLOOD, 'output flood: more than %d bytes' % boot.limit)
            break
    if pending:
        boot.line(pending.decode('utf-8', errors='replace'))
    if why and why[0] == FLOOD:
        boot.line('[run.py: output cut here, after %d bytes]' % boot.limit)
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
    if coverage_dir is None or suite['expect'] in ('panic', 'host'):
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


def record_path(suite, opts):
    """Where suite's boot is recorded (--record), or None."""
    if opts.record is None or suite['expect'] == 'host':
        return None
    return os.path.join(opts.record, suite.get('_log', suite['name']))


def with_cpus_round(plan, n):
    """plan, then a second boot of each guest suite in it that does not set
    its own 'cpus', with n CPUs, named SUITE_Ncpu (its log, disk and
    results apart from the first).  Host suites run once: they test host
    tools, or boot what they need themselves."""
    again = [(dict(suite, name='%s_%dcpu' % (suite['name'], n), cpus=n), cases)
             for suite, cases in plan
             if suite['expect'] != 'host' and not suite.get('cpus')]
    return plan + again


def suite_cpus(suite, opts):
    """The suite's own 'cpus', else --cpus, else env CPUS, else 1."""
    return int(suite.get('cpus') or qemu.cpus_requested(opts.cpus))


def boot_suite(suite, cmdline, iso, boot, opts, gcov=None):
    """Boot QEMU once for suite, feeding its output to boot.  Returns
    (status, stopped): stopped as stream() returns it.  With --record the
    boot is recorded into record_path()."""
    transport, blkdebug = disk_options(suite, opts)
    rec_dir = record_path(suite, opts)
    if rec_dir is not None:
        size = disk_bytes(suite, opts)
        rec = rr.prepare(rec_dir, iso, mem=suite.get('mem', DEFAULT_MEM), cmdline=cmdline,
                         disk_bytes=size, disk_transport=transport if size else None,
                         blkdebug=blkdebug, extra=suite.get('qemu_extra'),
                         what='make test T=%s' % suite['name'], cpus=suite_cpus(suite, opts))
        args = qemu.qemu_args(iso, debugcon=gcov, **rec.qemu_kwargs('record'))
    else:
        rec = None
        disk = make_disk(suite, opts)
        args = qemu.qemu_args(iso, mem=suite.get('mem', DEFAULT_MEM),
                              cmdline=cmdline, disk=disk,
                              disk_transport=transport if disk else None,
                              blkdebug=blkdebug, extra=suite.get('qemu_extra'),
                              debugcon=gcov, cpus=suite_cpus(suite, opts))
    qmp_dir = None
    if rec is None:
        qmp_dir = tempfile.mkdtemp(prefix='vmos-qmp-')
        args += qemu.qmp_args(os.path.join(qmp_dir, 'qmp'))
    if boot.verbose:
        boot.say('  $ ' + ' '.join(shlex.quote(a) for a in args))
    script = suite.get('script')
    # A recording's serial.log gets the serial output alone: QEMU's own
    # messages go to the boot's log as before, not into it.
    proc = subprocess.Popen(args,
                            stdin=subprocess.PIPE if script else subprocess.DEVNULL,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE if rec else subprocess.STDOUT)
    copy = open(rec.file('serial.log'), 'wb') if rec else None
    errors = []
    if rec:
        relay = threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True)
        relay.start()
    try:
        stopped = stream(proc, boot, suite['timeout'] * scale(),
                         suite.get('silence', DEFAULT_SILENCE) * scale(), script, copy)
        if stopped and stopped[0] == TIMEOUT and qmp_dir and proc.poll() is None:
            report_hang(proc, boot, os.path.join(qmp_dir, 'qmp'))
    finally:
        if qmp_dir:
            shutil.rmtree(qmp_dir, ignore_errors=True)
        if proc.poll() is None and rec:
            # SIGTERM, so that QEMU closes its event log properly: a
            # recording of a boot that hung is worth replaying too.
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            proc.kill()
        status = proc.wait()
        if rec:
            copy.close()
            relay.join(timeout=5)
            proc.stderr.close()
            for line in errors:
                boot.line(line.decode('utf-8', errors='replace').rstrip('\n'))
            rr.finish(rec, status, boot.elapsed())
        proc.stdout.close()
        if proc.stdin:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
    if boot.banner is None:
        boot.print_boot_times()
    return status, stopped


def report_hang(proc, boot, qmp):
    """A boot that timed out is still running: send its CPUs an NMI,
    which the kernel answers with its panic report (every CPU's
    backtrace, every process and where it waits), and keep that in the
    log.  The boot still counts as a timeout."""
    if not qemu.qmp_inject_nmi(qmp):
        boot.line('[run.py: timed out; QEMU did not take the NMI that asks for a report]')
        return
    boot.line('[run.py: timed out; sent an NMI: the kernel\'s report of where everything '
              'is follows]')
    stream(proc, boot, 20 * scale(), 20 * scale())


def run_host(suite, cases, iso, boot):
    """Run a host suite's command, feeding its output to boot.  Returns
    (status, stopped), as boot_suite does; the status is the command's
    exit status."""
    top = os.path.dirname(HERE)
    env = dict(os.environ, VMOS_ISO=os.path.abspath(iso),
               VMOS_TEST_LOGS=os.path.dirname(os.path.abspath(boot.log.name)))
    boot.banner = 0.0           # no boot to time
    proc = subprocess.Popen(list(suite['command']) + list(cases or []), cwd=top, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        stopped = stream(proc, boot, suite['timeout'] * scale(),
                         suite.get('silence', DEFAULT_SILENCE) * scale())
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)     # the command and whatever it started
        status = proc.wait()
        proc.stdout.close()
    return status, stopped


def host_status_problem(status):
    """Why a host command's exit status is wrong, or None."""
    if status in (0, 1):
        return None
    if status < 0:
        return 'killed by signal %d' % -status
    return 'exit status %d (expected 0 or 1)' % status


# ---------------------------------------------------------------------------
# Verdicts: each returns None, or (kind, reason)

def status_problem(boot, status, expected_kind):
    """Why the exit status is wrong for a boot that should end with
    expected_kind ('exit' or 'panic'), or None."""
    if status == 1 and boot.qemu_errors:
        return ERROR, 'QEMU could not start: ' + boot.qemu_errors[0]
    kind, value = qemu.exit_status_meaning(status)
    if kind == expected_kind == 'panic':
        return None
    if kind == expected_kind == 'exit' and value in (0, 1):
        return None
    if kind == 'panic':
        return PANIC, 'kernel panic'
    what = qemu.describe_status(status)
    if kind == 'reset':
        return PANIC, 'QEMU exit status %d: %s' % (status, what)
    if kind == 'exit':
        what += ' (expected %s)' % ('0 or 1' if expected_kind == 'exit'
                                    else 'a kernel panic')
    return FAIL, 'QEMU exit status %d: %s' % (status, what)


def protocol_problem(boot, value):
    """Why the result lines of a finished 'pass' boot do not add up, or
    None.  value is V (0: all passed, 1: some failed)."""
    why = None
    if value == 0 and boot.failed:
        why = 'exit status 0 but %d case(s) failed' % boot.failed
    elif value == 1 and not boot.failed:
        why = 'exit status 1 but no TEST-FAIL line'
    elif not boot.done:
        why = 'no TEST-DONE line'
    else:
        for suite, passed, failed in boot.done:
            seen = boot.seen.get(suite, [0, 0])
            if [passed, failed] != seen:
                why = ('TEST-DONE %s says passed=%d failed=%d, but %d passed '
                       'and %d failed were seen' % (suite, passed, failed, *seen))
                break
        else:
            missing = sorted(set(boot.seen) - {s for s, _, _ in boot.done})
            if missing:
                why = 'no TEST-DONE line for %s' % ', '.join(missing)
            elif not boot.passed and not boot.failed:
                why = 'no test case ran (does the filter name a case?)'
    return (FAIL, why) if why else None


def panic_problem(suite, boot):
    """Why the serial output lacks what the suite says it must show."""
    text = boot.text()
    for regex in suite.get('must_match', []):
        if not re.search(regex, text, re.MULTILINE):
            return FAIL, 'output does not match /%s/' % regex
    return None


def script_problem(suite, boot, status):
    """Why a 'script' suite failed: a step whose prompt never came, the
    wrong exit status, or output it must show and did not."""
    script = suite['script']
    if boot.steps_done < len(script):
        return FAIL, 'step %d never saw /%s/' % (boot.steps_done + 1,
                                                 script[boot.steps_done][0])
    kind, value = qemu.exit_status_meaning(status)
    if kind == 'panic':
        return PANIC, 'kernel panic'
    if (kind, value) != ('exit', suite.get('status', 0)):
        return FAIL, 'QEMU exit status %d: %s (expected exit %d)' % (
            status, qemu.describe_status(status), suite.get('status', 0))
    return panic_problem(suite, boot)


def judge(suite, boot, status, stopped):
    """Return (kind, reason) when the boot as a whole failed, else None."""
    problem = judge_exit(suite, boot, status, stopped)
    # A kernel that hung or reset before printing its banner never got
    # going at all: that is a kind of its own.  (A kernel panic prints,
    # so it stays a panic.)
    silent_end = problem and (problem[0] == TIMEOUT or (
        problem[0] == PANIC and qemu.exit_status_meaning(status)[0] == 'reset'))
    if silent_end and boot.banner is None:
        return NO_OUTPUT, 'the kernel printed nothing (%s)' % detail(problem[1])
    if problem and problem[0] == PANIC and problem[1] == 'kernel panic':
        # Name the panic in the summary, the last lines a CI log keeps.
        m = re.search(r'^panic: (.+)$', boot.text(), re.MULTILINE)
        if m:
            return PANIC, 'kernel panic: %s' % m.group(1).strip()[:160]
    return problem


def judge_exit(suite, boot, status, stopped):
    """judge() before the no_output rule: how the boot ended, by the kind
    of suite."""
    if stopped and suite['expect'] == 'script' and stopped[0] == TIMEOUT:
        return TIMEOUT, '%s (at step %d of %d)' % (stopped[1], boot.steps_done + 1,
                                                   len(suite['script']))
    if stopped:
        return stopped
    if suite['expect'] == 'script':
        return script_problem(suite, boot, status)
    if suite['expect'] == 'panic':
        return (status_problem(boot, status, 'panic')
                or panic_problem(suite, boot))
    if suite['expect'] == 'host':
        why = host_status_problem(status)
        return ((ERROR, why) if why else None) or \
            protocol_problem(boot, status) or panic_problem(suite, boot)
    return (status_problem(boot, status, 'exit')
            or protocol_problem(boot, qemu.exit_status_meaning(status)[1])
            or panic_problem(suite, boot))


def run_suite(suite, cases, iso, opts, say):
    """Boot one suite and report it on say.  Returns its Results.  The
    serial log is test-logs/NAME.log, or the suite's '_log' (a boot of
    retry_alone(), which must not write over the first boot's log)."""
    cmdline = '' if suite['expect'] == 'host' else suite_cmdline(suite, cases)
    name = suite['name']
    host = suite['expect'] == 'host'
    only = None                 # the cases to report, when the boot runs more
    if cases and not host and len(cmdline) > CMDLINE_MAX:
        # So many cases (a lab's graded list) that the kernel would cut
        # the command line: boot the whole suite, report only them.
        say('note: %d cases of %s make a command line longer than the kernel '
            'takes (%d bytes); running all of it, reporting only them'
            % (len(cases), name, CMDLINE_MAX))
        only, cases = set(cases), None
        cmdline = suite_cmdline(suite, None)
    if (cases and not host and '{filter}' not in suite['cmdline']
            and '{cases}' not in suite['cmdline']):
        say('note: suite %s cannot run single cases; running all of it'
            % name)
    if host:
        cmdline = ' '.join(shlex.quote(w) for w in list(suite['command']) + list(cases or []))
    say('== %s: %s' % (name, cmdline))
    log_dir = os.path.join(os.path.dirname(os.path.abspath(iso)), 'test-logs')
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, suite.get('_log', name) + '.log')
    gcov = coverage_path(suite, opts.coverage)
    with open(log_path, 'w') as log:
        boot = Boot(name, log, os.environ.get('VERBOSE') == '1', say, opts.output_limit)
        if host:
            status, stopped = run_host(suite, cases, iso, boot)
        else:
            status, stopped = boot_suite(suite, cmdline, iso, boot, opts, gcov)
    results = boot.results
    if only is not None:
        results = [r for r in results if r.name.partition('.')[2] in only]
    problem = judge(suite, boot, status, stopped)
    if problem is None and gcov is not None:
        why = coverage_problem(gcov)
        problem = (ERROR, why) if why else None
    took = '(%.2fs)' % boot.elapsed()
    if problem:
        kind, why = problem
        results.append(Result(name, name, kind, why, '\n'.join(boot.tail()),
                              boot.elapsed()))
        say('FAIL %s: %s' % (name, why))
        for line in boot.tail():
            say('  | ' + line)
    elif suite['expect'] in ('panic', 'script'):
        results.append(Result(name, name, PASS, '', '', boot.elapsed()))
        say('PASS %s %s' % (name, took))
    failed = any(r.kind != PASS for r in results)
    if failed:
        say('  log: %s' % rel(log_path))
        say('  rerun: ' + (cmdline if host else rerun_command(suite, cmdline, opts)))
    rec_dir = record_path(suite, opts)
    if rec_dir is not None and (failed or opts.names):
        say('  replay: make replay RR=%s   (backwards under gdb: make replay-gdb RR=%s)'
            % (rel(rec_dir), rel(rec_dir)))
    elif rec_dir is not None:
        shutil.rmtree(rec_dir, ignore_errors=True)      # it passed: nothing to replay
    return results


def rerun_command(suite, cmdline, opts):
    """The command that boots this suite by hand, to watch or debug it."""
    words = ['tools/run-in-qemu', '--cmdline', cmdline]
    if os.path.abspath(opts.iso) != os.path.join(qemu.BUILD, 'os.iso'):
        words += ['--iso', rel(opts.iso)]
    if suite.get('mem'):
        words += ['--mem', suite['mem']]
    if suite_cpus(suite, opts) != 1:
        words += ['--cpus', str(suite_cpus(suite, opts))]
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


def run_one(index, suite, cases, opts, console, budget):
    """run_suite for a worker thread, once its guest's CPUs are free: a
    bug in the harness becomes an 'error' Result of this suite instead of
    ending the whole run."""
    say = console.channel(index)
    weight = budget.weight(suite, opts)
    budget.take(weight)
    try:
        return run_suite(suite, cases, opts.iso, opts, say)
    except Exception:
        why = traceback.format_exc()
        say('FAIL %s: harness error' % suite['name'])
        for line in why.splitlines():
            say('  | ' + line)
        return [Result(suite['name'], suite['name'], ERROR,
                       'harness error: ' + why.splitlines()[-1], why)]
    finally:
        budget.give(weight)
        console.finish(index)


class CpuBudget:
    """The host CPUs the running suites' guests may use (-j N): a suite
    takes as many as its guest has (at most all of them) for as long as
    it runs, waiting until they are free.  First come, first served, so
    that one-CPU suites cannot keep a two-CPU suite waiting for ever."""

    def __init__(self, cpus):
        self.free = self.cpus = cpus
        self.cond = threading.Condition()
        self.queue = []                 # the waiting suites' tickets, oldest first
        self.tickets = 0

    def weight(self, suite, opts):
        if suite['expect'] == 'host':
            return 1
        return max(1, min(suite_cpus(suite, opts), self.cpus))

    def take(self, n):
        with self.cond:
            ticket = self.tickets
            self.tickets += 1
            self.queue.append(ticket)
            while (self.queue[0] != ticket or self.free < n) and not STOP.is_set():
                self.cond.wait(timeout=1)
            self.queue.remove(ticket)
            self.free -= n
            self.cond.notify_all()

    def give(self, n):
        with self.cond:
            self.free += n
            self.cond.notify_all()


def run_plan(plan, opts, jobs):
    """Run every (suite, cases) of plan, up to jobs at once, printing in
    plan order.  Returns the Results in plan order."""
    console = Console(len(plan))
    per_suite = [[] for _ in plan]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    # Long suites marked 'early' start first, so that a parallel run does
    # not end with one of them running alone; a serial run keeps the
    # manifest's order, so that its output comes as it runs.
    order = list(range(len(plan)))
    if jobs > 1:
        order.sort(key=lambda i: not plan[i][0].get('early'))
    futures = [None] * len(plan)
    budget = CpuBudget(jobs)
    for i in order:
        futures[i] = pool.submit(run_one, i, plan[i][0], plan[i][1], opts, console, budget)
    try:
        for i, future in enumerate(futures):
            per_suite[i] = future.result()
    except KeyboardInterrupt:
        STOP.set()
        pool.shutdown(wait=True, cancel_futures=True)
        print('interrupted', flush=True)
        done = [f.result() for f in futures if f.done() and not f.cancelled()]
        return [r for rs in done for r in rs] + [
            Result('run.py', 'run.py', ERROR, 'interrupted')]
    pool.shutdown()
    return [r for rs in per_suite for r in rs]


# ---------------------------------------------------------------------------
# Scores and reports

def case_key(name, suite=None):
    """What a graded name and a Result have in common: (boot, case).  A
    graded name is "suite.case" as run.py takes it; a Result is named as
    the guest printed it, whose prefix may differ from its boot's name
    (blk_legacy prints kernel.blk_*), so a Result is keyed by its boot."""
    prefix, _, case = name.partition('.')
    return (suite or prefix, case)


def weigh(results, points=None):
    """Give every Result its score and max_score, and return the list to
    report.  Without points every Result is worth 1.  With points
    ({"suite.case": n}), a graded case is worth its n, everything else 0,
    and each graded case that never reported is added as a failure with
    the kind of its boot's failure (or fail): it did not run."""
    if points is None:
        for r in results:
            r.max_score = 1
            r.score = 1 if r.kind == PASS else 0
        return results
    graded = {case_key(name): value for name, value in points.items()}
    reported = {case_key(r.name, r.suite) for r in results}
    boot_failures = {r.suite: r for r in results if r.name == r.suite and r.kind != PASS}
    out = list(results)
    for name in points:
        if case_key(name) in reported:
            continue
        suite = name.split('.', 1)[0]
        boot = boot_failures.get(suite)
        out.append(Result(suite, name, boot.kind if boot else FAIL,
                          'did not run' + (' (%s: %s)' % (suite, boot.reason) if boot else '')))
    for r in out:
        r.max_score = 0 if r.name == r.suite else graded.get(case_key(r.name, r.suite), 0)
        r.score = r.max_score if r.kind == PASS else 0
    return out


def detail(reason):
    """A reason without the word its summary line already says:
    'timeout (no output for 30s)' is 'no output for 30s'."""
    m = re.match(r'timeout \((.*)\)$', reason)
    return m.group(1) if m else reason


def retry_alone(plan, results, points, opts):
    """With points: a graded case left without a result because its boot
    ended early (a panic, a hang) is booted again on its own, one after
    another, so that a case that brings the kernel down costs only its
    own points.  A suite whose boot ran only that case is not booted
    again.  Returns one Result per case booted again: its own, or, when
    it did not report even alone, one with the kind and reason of that
    boot's failure."""
    reported = {case_key(r.name, r.suite) for r in results}
    failed = {r.suite for r in results if r.name == r.suite and r.kind != PASS}
    planned = {suite['name']: (suite, cases) for suite, cases in plan}
    again = []
    for name in points:
        suite_name, case = case_key(name)
        suite, cases = planned.get(suite_name, (None, None))
        if (case_key(name) not in reported and suite_name in failed
                and (cases is None or len(cases) > 1)):
            again.append((name, suite, case))
    if not again:
        return []
    print('booting again, each alone: %s (their boot ended before they reported)'
          % ', '.join(name for name, _, _ in again), flush=True)
    out = []
    for name, suite, case in again:
        if STOP.is_set():
            break
        alone = dict(suite, _log='%s.%s' % (suite['name'], case))
        got = run_plan([(alone, [case])], opts, 1)
        mine = [r for r in got if case_key(r.name, r.suite) == case_key(name)]
        boot = [r for r in got if r.name == r.suite and r.kind != PASS]
        if mine:
            out += mine
        elif boot:
            out.append(Result(suite['name'], name, boot[0].kind,
                              'did not finish alone: ' + boot[0].reason, boot[0].output,
                              boot[0].seconds))
        else:
            out.append(Result(suite['name'], name, FAIL, 'did not report alone'))
    return out


def summary_lines(results):
    """The console lines for the kinds other than pass and fail, e.g.
    `timeouts: vm (no output for 30s)`."""
    lines = []
    for kind, word in SUMMARY_WORDS:
        hit = [r for r in results if r.kind == kind]
        if hit:
            lines.append('%s: %s' % (word, ', '.join('%s (%s)' % (r.title(), detail(r.reason))
                                                     for r in hit)))
    return lines


# XML 1.0 allows only these characters; a serial log may hold any byte.
_XML_BAD = re.compile('[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')


def xml_text(text):
    """text with every character XML cannot hold written as \\xNN."""
    return _XML_BAD.sub(lambda m: '\\x%02x' % ord(m.group()), text)


def junit_xml(results, seconds):
    """The JUnit XML document (a string) for results."""
    def count(rs, kinds):
        return str(sum(r.kind in kinds for r in rs))
    problems = set(KINDS) - {PASS, FAIL}
    top = ET.Element('testsuites', name='vmos', tests=str(len(results)),
                     failures=count(results, {FAIL}), errors=count(results, problems),
                     time='%.3f' % seconds)
    suites = {}
    for r in results:
        suites.setdefault(r.suite, []).append(r)
    for suite, rs in suites.items():
        el = ET.SubElement(top, 'testsuite', name=suite, tests=str(len(rs)),
                           failures=count(rs, {FAIL}), errors=count(rs, problems),
                           skipped='0', time='%.3f' % sum(r.seconds for r in rs))
        for r in rs:
            case = ET.SubElement(el, 'testcase', classname=suite, name=r.name,
                                 time='%.3f' % r.seconds)
            if r.kind != PASS:
                bad = ET.SubElement(case, 'failure' if r.kind == FAIL else 'error',
                                    message=xml_text(r.reason), type=r.kind)
                bad.text = xml_text(r.output)
    ET.indent(top)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding='unicode') + '\n'


def gradescope_json(results, seconds, summary):
    """Gradescope's results.json (a dict) for weighed results."""
    tests = []
    for r in results:
        output = '\n'.join(part for part in (r.reason, r.output) if part)
        tests.append({
            'name': r.title(),
            'score': r.score,
            'max_score': r.max_score,
            'status': 'passed' if r.kind == PASS else 'failed',
            'output': output,
            'extra_data': {'suite': r.suite, 'kind': r.kind, 'seconds': round(r.seconds, 3)},
        })
    kinds = {k: sum(r.kind == k for r in results) for k in KINDS}
    return {
        'score': sum(r.score for r in results),
        'execution_time': round(seconds, 1),
        'output': '\n'.join(summary),
        'tests': tests,
        'extra_data': {'max_score': sum(r.max_score for r in results),
                       'kinds': {k: n for k, n in kinds.items() if n}},
    }


def write_file(path, text):
    """Write text to path through a temporary file, so a reader never
    sees half of it."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = '%s.%d.tmp' % (path, os.getpid())
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    opts = parse_args(argv)
    lab = None
    try:
        suites = load_suites(opts.manifest)
        jobs = job_count(opts.jobs)
        points = load_points(opts.points) if opts.points else None
        if opts.lab is not None:        # make grade: the lab's graded list is the points
            if opts.points:
                raise ValueError('--lab and --points: give one of them')
            lab = grade.lab_or_usage(opts.lab)
            points = dict(lab['graded'])
        qemu.parse_size(opts.swap)
    except (ValueError, OSError) as e:
        sys.stderr.write('run.py: %s\n' % e)
        return 2
    if opts.list:
        for suite in suites:
            print(suite['name'])
        return 0
    names = opts.names or (list(points) if points else [])
    plan = select_suites(suites, names)
    if opts.also_cpus is not None:
        if opts.also_cpus < 1:
            sys.stderr.write('run.py: --also-cpus must be at least 1\n')
            return 2
        plan = with_cpus_round(plan, opts.also_cpus)
    if not os.path.isfile(opts.iso):
        sys.stderr.write('run.py: %s not found; run make first\n' % opts.iso)
        return 2
    for suite, _ in plan:
        if suite.get('blkdebug') and not disk_bytes(suite, opts):
            sys.stderr.write('run.py: suite %s has blkdebug rules but no disk (its disk '
                             'is %r, --swap %s)\n' % (suite['name'], suite.get('disk'),
                                                      opts.swap))
            return 2
    if opts.coverage is not None:
        os.makedirs(opts.coverage, exist_ok=True)
    start = time.monotonic()
    results = run_plan(plan, opts, jobs)
    if points is not None and not STOP.is_set():
        results += retry_alone(plan, results, points, opts)
    results = weigh(results, points)
    seconds = time.monotonic() - start
    passed = sum(r.kind == PASS for r in results)
    failed = len(results) - passed
    summary = summary_lines(results) + ['%d passed, %d failed' % (passed, failed)]
    if opts.junit:
        write_file(opts.junit, junit_xml(results, seconds))
    if opts.results:
        write_file(opts.results, json.dumps(gradescope_json(results, seconds, summary),
                                            indent=1) + '\n')
    for line in summary:
        print(line, flush=True)
    if lab is not None:                 # make grade: the case lines and the score last
        score, total = grade.report(lab, results, case_key)
        return 0 if score == total else 1
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
