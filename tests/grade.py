"""make grade: run one lab's graded tests and score them, like xv6's grade-lab-*.

    tests/run.py --lab NAME [--iso ISO] [--swap SIZE] [--disk-transport T]

NAME is a lab of tests/labs.py.  Its graded cases run suite by suite, in
the manifest's order, each through the harness itself (tests/run.py as a
child process, with the same ISO and disk options), so a graded case runs
exactly as it does in `make test`.  The verdict of each case is read from
the guest's own result lines (TEST-PASS, TEST-FAIL) in the suite's serial
log, test-logs/SUITE.log beside the ISO.  The output is one line per case
and the score:

    cow: vm.fork_shares_pages_until_write ........... OK (10/10)
    cow: kernel.vm_fork_cow_isolates_both_ways ...... FAIL (0/10)
        vm_object_test.c:68: parent not write-protected by fork
    score: 10/20

A boot that ends before every case of it has reported (a kernel panic, a
hang that runs into the suite's timeout) costs only the points of the
cases that did not report: the others keep theirs, and each case left is
booted again on its own, so one case that crashes the kernel does not
take the rest with it.  A case that does not report even alone scores 0,
and its line says why ("did not finish: kernel panic: ...").

The exit status is 0 when the score is full, 1 when it is not, 2 for a
usage error (no such lab).  Everything the harness printed is kept in
grade-NAME.log beside the ISO.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import labs  # noqa: E402

PASS_RE = re.compile(r'^\s*TEST-PASS (\S+)\s*$')
FAIL_RE = re.compile(r'^\s*TEST-FAIL ([^\s:]+):?\s*(.*)$')
PANIC_RE = re.compile(r'panic: (.*)$')
LINE_WIDTH = 60                 # where the dots of a case line end


def say(*args):
    print(*args, flush=True)


def usage_error(msg):
    sys.stderr.write('grade: %s\n' % msg)
    return 2


class Grader:
    """Runs cases through tests/run.py and remembers what each said."""

    def __init__(self, lab, opts):
        self.lab = lab
        self.opts = opts
        self.iso = os.path.abspath(opts.iso)
        self.logs = os.path.join(os.path.dirname(self.iso), 'test-logs')
        self.harness_log = os.path.join(os.path.dirname(self.iso), 'grade-%s.log' % lab['name'])
        self.verdicts = {}      # case -> (True, '') | (False, reason) | (None, why not run)

    def harness(self, cases):
        """Boot the suite of cases with only them.  Returns what the harness printed."""
        argv = [sys.executable, os.path.join(HERE, 'run.py'), '--iso', self.iso,
                '--swap', self.opts.swap]
        if self.opts.disk_transport:
            argv += ['--disk-transport', self.opts.disk_transport]
        proc = subprocess.run(argv + list(cases), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = proc.stdout.decode('utf-8', errors='replace')
        with open(self.harness_log, 'a') as f:
            f.write(out)
        return out

    def serial_log(self, suite):
        try:
            with open(os.path.join(self.logs, suite + '.log'), errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def boot(self, suite, cases):
        """One boot of suite running cases; record every verdict it gave.
        Returns the cases it left without one, and why."""
        out = self.harness(cases)
        serial = self.serial_log(suite)
        for line in serial.splitlines():
            m = PASS_RE.match(line)
            if m and m.group(1) in cases:
                self.verdicts[m.group(1)] = (True, '')
            m = FAIL_RE.match(line)
            if m and m.group(1) in cases:
                self.verdicts[m.group(1)] = (False, m.group(2))
        left = [c for c in cases if c not in self.verdicts]
        return left, why_unfinished(suite, out, serial)

    def run_suite(self, suite, cases):
        left, why = self.boot(suite, cases)
        if left and len(cases) > 1:
            for case in left:               # each on its own: one crash costs one case
                still, why = self.boot(suite, [case])
                if still:
                    self.verdicts[case] = (None, why)
        else:
            for case in left:
                self.verdicts[case] = (None, why)


def why_unfinished(suite, out, serial):
    """Why a boot ended before its cases reported: the panic, or what the
    harness said about the suite."""
    for line in serial.splitlines():
        m = PANIC_RE.search(line)
        if m:
            return 'kernel panic: ' + m.group(1).strip()
    for line in out.splitlines():
        if line.startswith('FAIL %s:' % suite):
            return line[len('FAIL %s:' % suite):].strip()
    for line in out.splitlines():
        if line.startswith('run.py:'):
            return line
    return 'the boot ended without a result (see the log)'


def case_line(lab, case, word, got, points):
    head = '%s: %s ' % (lab, case)
    return '%s%s %s (%d/%d)' % (head, '.' * max(3, LINE_WIDTH - len(head)), word, got, points)


def main(opts):
    """run.py --lab: grade the lab opts.lab on opts.iso."""
    lab = labs.by_name(opts.lab)
    if lab is None:
        return usage_error('no lab %r; the labs are %s (make grade LAB=name)'
                           % (opts.lab, ', '.join(labs.names())))
    if not os.path.isfile(opts.iso):
        return usage_error('%s not found; run make first' % opts.iso)
    g = Grader(lab, opts)
    if os.path.exists(g.harness_log):
        os.unlink(g.harness_log)
    say('== grade %s: %s (%s)' % (lab['name'], lab['title'], lab['handout']))
    by_suite = {}
    for case, _ in lab['graded']:
        by_suite.setdefault(case.split('.', 1)[0], []).append(case)
    score = total = 0
    for suite, cases in by_suite.items():
        g.run_suite(suite, cases)
        for case in cases:
            points = dict(lab['graded'])[case]
            ok, why = g.verdicts[case]
            total += points
            if ok:
                score += points
                say(case_line(lab['name'], case, 'OK', points, points))
            elif ok is False:
                say(case_line(lab['name'], case, 'FAIL', 0, points))
                say('    ' + why)
            else:
                say(case_line(lab['name'], case, 'FAIL', 0, points))
                say('    did not finish: ' + why)
    say('  log: %s and %s' % (os.path.relpath(g.harness_log), os.path.relpath(g.logs)))
    say('score: %d/%d' % (score, total))
    return 0 if score == total else 1
