#!/usr/bin/env python3
"""The harness's own test (the 'harness' host suite): run tests/run.py on
tests/harness_suites.py, whose suites end in every way a suite can end,
and check what it reports.

    tests/harness_test.py [CASE ...]

It runs run.py three times in a scratch directory beside the ISO
(build/harness-test/): all the suites 4 at a time, with --junit and
--results; all again one at a time; and the wrong and hang suites with
--points.  Each case checks one promise of run.py:

    console_in_manifest_order   suites print in manifest order, each in
                                one block, whatever order they finish in
    parallel_reads_as_serial    -j 4 prints what -j 1 prints (less times
                                and log tails)
    last_line_counts_every_kind `6 passed, 9 failed`, timeouts and the
                                rest counted as failures
    summary_names_each_kind     the timeouts:, panics:, no output:,
                                floods: and errors: lines, a panic by
                                its message
    junit_is_valid_xml          Python's XML parser reads the JUnit file;
                                wrong answers are failures, the rest
                                errors typed by kind; control characters
                                in the output are escaped
    results_json_is_gradescope  results.json loads, one entry per test
                                with name, score, max_score, status,
                                output; its kind in extra_data
    flood_is_cut_at_the_limit   a flooding suite's log stops at the limit
    points_grade_only_the_graded_cases  --points scores the graded cases,
                                the rest are worth 0; a case its boot
                                did not reach is booted again alone,
                                unless it was alone already: then it
                                counts as its boot's failure
    bad_arguments_exit_2        -j 0, a --points file that is not an
                                object, an unknown suite
    timeout_asks_the_kernel_where_it_hangs  a guest that timed out
                                gets an NMI, and its log holds the
                                kernel's report: the sleeping process's
                                backtrace
    cpu_budget_keeps_guests_within_the_host  suites run at once only
                                while their guest CPUs fit in -j N,
                                first come first served

It prints the harness protocol (TEST-PASS/FAIL/DONE) through
tests/gdbsession.py's Reporter.
"""

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from gdbsession import Reporter, iso_path  # noqa: E402
import harness_suites  # noqa: E402

RUN = os.path.join(HERE, 'run.py')
MANIFEST = os.path.join(HERE, 'harness_suites.py')
LIMIT = 200000          # --output-limit of the runs, in bytes
ORDER = [s['name'] for s in harness_suites.SUITES]
# How each test of the manifest must end (run.py's kinds).
KINDS = {
    'slow.a': 'pass', 'wrong.a': 'pass', 'wrong.b': 'fail', 'hang.first': 'pass',
    'hang': 'timeout', 'flood': 'flood', 'flood_noline': 'flood', 'retry.a': 'pass',
    'retry': 'error', 'crash': 'error',
    'kpanic': 'panic', 'ktimeout': 'timeout', 'silent': 'no_output',
    'kpass_a/kernel.kmem_sizes': 'pass', 'kpass_b/kernel.kmem_sizes': 'pass',
}


def scratch():
    """build/harness-test beside the ISO, with the ISO linked into it, so
    the runs' logs and disks stay out of the real test-logs."""
    iso = os.path.abspath(iso_path())
    d = os.path.join(os.path.dirname(iso), 'harness-test')
    os.makedirs(d, exist_ok=True)
    link = os.path.join(d, 'os.iso')
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(iso, link)
    return d


def run(args):
    """Run run.py with args; returns (exit status, output lines)."""
    p = subprocess.run([sys.executable, RUN] + args, cwd=TOP, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors='replace')
    return p.returncode, p.stdout.splitlines()


def blocks(lines):
    """The console output cut into [(suite, lines)] at each `== suite:`."""
    out = []
    for line in lines:
        m = re.match(r'== (\S+):', line)
        if m:
            out.append((m.group(1), []))
        elif out:
            out[-1][1].append(line)
    return out


def normal(lines):
    """The lines without what differs between two runs: times, boot
    times, the tails of logs."""
    keep = []
    for line in lines:
        if line.startswith('  | ') or line.startswith('  boot:'):
            continue
        keep.append(re.sub(r' \(\d+\.\d+s\)', '', line))
    return keep


def check_order(rep, lines):
    got = [name for name, _ in blocks(lines)]
    if got != ORDER:
        return rep.check('console_in_manifest_order', False,
                         'suites printed in the order %s, not %s' % (got, ORDER))
    for name, body in blocks(lines):
        for line in body:
            m = re.match(r'(PASS|FAIL) (\S+?):? ', line + ' ')
            if m and not (m.group(2) == name or m.group(2).startswith(name + '.')
                          or name.startswith('kpass')):
                return rep.check('console_in_manifest_order', False,
                                 'line %r inside the block of %s' % (line, name))
    return rep.check('console_in_manifest_order', True)


def check_summary(rep, lines):
    want = {'timeouts': {'hang', 'ktimeout'}, 'panics': {'kpanic'},
            'no output': {'silent'}, 'floods': {'flood', 'flood_noline'},
            'errors': {'crash', 'retry'}}
    summary = lines[-1 - len(want):-1]
    got = {}
    for line in summary:
        word, _, rest = line.partition(': ')
        got[word] = set(re.findall(r'(?:^|, )([\w/.]+) \(', rest))
    # A panic is named by its message: often all a CI log keeps of it.
    panics = [l for l in summary if l.startswith('panics: ')]
    named = bool(panics) and 'kpanic (kernel panic: selftest: deliberate panic' in panics[0]
    return rep.check('summary_names_each_kind', got == want and named,
                     'summary lines %r, expected one per kind naming %r, the panic by '
                     'its message' % (summary, want))


def check_junit(rep, path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return rep.check('junit_is_valid_xml', False, 'cannot parse %s: %s' % (path, e))
    problems = []
    suites = [s.get('name') for s in root.findall('testsuite')]
    if suites != ORDER:
        problems.append('testsuites %s' % suites)
    if (root.get('tests'), root.get('failures'), root.get('errors')) != ('15', '1', '8'):
        problems.append('totals tests=%s failures=%s errors=%s' % (
            root.get('tests'), root.get('failures'), root.get('errors')))
    for case in root.iter('testcase'):
        title = case.get('name')
        if case.get('classname') != title.split('.')[0]:
            title = '%s/%s' % (case.get('classname'), title)
        kind = KINDS.get(title)
        failure, error = case.find('failure'), case.find('error')
        got = ('pass' if failure is None and error is None else
               'fail' if failure is not None else error.get('type'))
        if got != kind:
            problems.append('%s is %s, expected %s' % (title, got, kind))
        if title == 'wrong.b' and failure is not None:
            if failure.get('message') != 'expected 2, got 3 <&>':
                problems.append('wrong.b message %r' % failure.get('message'))
            if '\\x1b[1m<3> & \\x00\\x07 bytes' not in (failure.text or ''):
                problems.append('wrong.b text %r' % failure.text)
    return rep.check('junit_is_valid_xml', not problems, '; '.join(problems))


def check_results(rep, path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return rep.check('results_json_is_gradescope', False, 'cannot load %s: %s' % (path, e))
    problems = []
    tests = data.get('tests', [])
    for t in tests:
        missing = {'name', 'score', 'max_score', 'status', 'output'} - set(t)
        if missing:
            problems.append('%s lacks %s' % (t.get('name'), sorted(missing)))
    kinds = {t.get('name'): t.get('extra_data', {}).get('kind') for t in tests}
    if kinds != KINDS:
        problems.append('kinds %s' % kinds)
    status = {t.get('name'): t.get('status') for t in tests}
    if any((status[n] == 'passed') != (k == 'pass') for n, k in kinds.items() if n in status):
        problems.append('status %s' % status)
    if data.get('score') != 6 or data.get('extra_data', {}).get('max_score') != 15:
        problems.append('score %s of %s' % (data.get('score'),
                                            data.get('extra_data', {}).get('max_score')))
    wrong = [t for t in tests if t.get('name') == 'wrong.b']
    if wrong and 'expected 2, got 3' not in wrong[0]['output']:
        problems.append('wrong.b output %r' % wrong[0]['output'])
    return rep.check('results_json_is_gradescope', not problems, '; '.join(problems))


def check_flood(rep, d):
    problems = []
    for name in ('flood', 'flood_noline'):
        path = os.path.join(d, 'test-logs', name + '.log')
        size = os.path.getsize(path)
        with open(path, 'rb') as f:
            f.seek(max(0, size - 200))
            end = f.read()
        if size > LIMIT + 200 or b'[run.py: output cut here' not in end:
            problems.append('%s: %d bytes, ending %r' % (name, size, end[-80:]))
    return rep.check('flood_is_cut_at_the_limit', not problems, '; '.join(problems))


def check_points(rep, d):
    points = os.path.join(d, 'points.json')
    results = os.path.join(d, 'points-results.json')
    with open(points, 'w') as f:
        json.dump({'wrong.a': 2, 'wrong.b': 3, 'hang.first': 1, 'hang.never': 4,
                   'retry.a': 1, 'retry.b': 2, 'retry.c': 4, 'crash.x': 5}, f)
    status, lines = run(['--manifest', MANIFEST, '--iso', os.path.join(d, 'os.iso'),
                         '-j', '2', '--points', points, '--results', results])
    try:
        with open(results) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return rep.check('points_grade_only_the_graded_cases', False, str(e))
    got = {t['name']: (t['score'], t['max_score'], t['extra_data']['kind'])
           for t in data['tests']}
    want = {'wrong.a': (2, 2, 'pass'), 'wrong.b': (0, 3, 'fail'),
            'hang.first': (1, 1, 'pass'), 'hang': (0, 0, 'timeout'),
            'hang.never': (0, 4, 'timeout'),
            'retry.a': (1, 1, 'pass'), 'retry': (0, 0, 'error'),
            'retry.b': (0, 2, 'error'), 'retry.c': (4, 4, 'pass'),
            'crash': (0, 0, 'error'), 'crash.x': (0, 5, 'error')}
    problems = []
    if got != want:
        problems.append('tests %s, expected %s' % (got, want))
    if (data['score'], data['extra_data']['max_score']) != (8, 22):
        problems.append('score %s of %s' % (data['score'], data['extra_data']['max_score']))
    ran = [name for name, _ in blocks(lines)]
    if ran != ['wrong', 'hang', 'retry', 'crash', 'hang', 'retry', 'retry'] or status != 1:
        problems.append('boots %s, exit status %d' % (ran, status))
    again = 'booting again, each alone: hang.never, retry.b, retry.c'
    if not any(line.startswith(again) for line in lines):
        problems.append('no line %r' % again)
    output = {t['name']: t['output'] for t in data['tests']}
    for name, words in (('hang.never', 'did not finish alone'), ('retry.b', 'did not finish alone'),
                        ('crash.x', 'did not run')):
        if words not in output.get(name, ''):
            problems.append('%s output %r' % (name, output.get(name)))
    if not os.path.isfile(os.path.join(d, 'test-logs', 'retry.c.log')):
        problems.append('no log of the boot of retry.c alone')
    return rep.check('points_grade_only_the_graded_cases', not problems, '; '.join(problems))


def check_bad_arguments(rep, d):
    bad = os.path.join(d, 'bad-points.json')
    with open(bad, 'w') as f:
        f.write('[1, 2]\n')
    iso = ['--iso', os.path.join(d, 'os.iso'), '--manifest', MANIFEST]
    problems = []
    for args in (['-j', '0'], ['--points', bad], ['no_such_suite']):
        status, lines = run(iso + args)
        if status != 2:
            problems.append('%s: exit status %d, output %s' % (args, status, lines[-3:]))
    return rep.check('bad_arguments_exit_2', not problems, '; '.join(problems))


def check_hang_report(rep, d):
    """A guest boot that timed out was sent an NMI, and its log holds the
    kernel's report: the sleeping process and the backtrace it sleeps in."""
    path = os.path.join(d, 'test-logs', 'ktimeout.log')
    try:
        with open(path, errors='replace') as f:
            text = f.read()
    except OSError as e:
        return rep.check('timeout_asks_the_kernel_where_it_hangs', False, str(e))
    want = [r'\[run.py: timed out; sent an NMI',
            r'panic: NMI from the host',
            r'pid \d+ sleep: sleeping on cpu \d+, waiting on ',
            r'sys_nanosleep\+0x']
    missing = [w for w in want if not re.search(w, text)]
    return rep.check('timeout_asks_the_kernel_where_it_hangs', not missing,
                     '%s lacks %s' % (path, missing))


def check_cpu_budget(rep):
    """Threads standing for suites of 2, 1, 1, 2, 1 guest CPUs (and one
    host suite) share 2 host CPUs: at no moment may the running ones add
    up to more than 2, and they start in the order they asked."""
    sys.path.insert(0, HERE)
    import run as runpy
    import threading
    import time
    budget = runpy.CpuBudget(2)
    opts = type('Opts', (), {'cpus': None})()
    suites = [{'expect': 'pass', 'cpus': c} for c in (2, 1, 1, 2, 1)] + [{'expect': 'host'}]
    lock = threading.Lock()
    state = {'running': 0, 'most': 0, 'started': []}

    def suite(i, s):
        n = budget.weight(s, opts)
        budget.take(n)
        with lock:
            state['running'] += n
            state['most'] = max(state['most'], state['running'])
            state['started'].append(i)
        time.sleep(0.05)
        with lock:
            state['running'] -= n
        budget.give(n)

    threads = []
    for i, s in enumerate(suites):
        threads.append(threading.Thread(target=suite, args=(i, s)))
        threads[-1].start()
        time.sleep(0.01)                # ask in this order
    for t in threads:
        t.join()
    weights = [budget.weight(s, opts) for s in suites]
    return rep.check('cpu_budget_keeps_guests_within_the_host',
                     state['most'] == 2 and state['started'] == list(range(len(suites)))
                     and weights == [2, 1, 1, 2, 1, 1] and budget.free == 2,
                     'at most %d CPUs at once (want 2), started %s, weights %s, %d free at the '
                     'end' % (state['most'], state['started'], weights, budget.free))


def main():
    rep = Reporter('harness')
    check_cpu_budget(rep)
    d = scratch()
    junit = os.path.join(d, 'junit.xml')
    results = os.path.join(d, 'results.json')
    for path in (junit, results):
        if os.path.exists(path):
            os.unlink(path)
    common = ['--manifest', MANIFEST, '--iso', os.path.join(d, 'os.iso'),
              '--output-limit', str(LIMIT)]
    status, parallel = run(common + ['-j', '4', '--junit', junit, '--results', results])
    print('run.py -j 4 exited with %d; its last lines:' % status)
    for line in parallel[-7:]:
        print('  ' + line)
    check_order(rep, parallel)
    _, serial = run(common + ['-j', '1'])
    a, b = normal(parallel), normal(serial)
    diff = [(x, y) for x, y in zip(a, b) if x != y][:3]
    rep.check('parallel_reads_as_serial', a == b,
              'first differences (-j 4, -j 1): %s; %d and %d lines' % (diff, len(a), len(b)))
    rep.check('last_line_counts_every_kind',
              parallel[-1:] == ['6 passed, 9 failed'] and status == 1,
              'last line %r, exit status %d' % (parallel[-1:], status))
    check_summary(rep, parallel)
    check_hang_report(rep, d)
    check_junit(rep, junit)
    check_results(rep, results)
    check_flood(rep, d)
    check_points(rep, d)
    check_bad_arguments(rep, d)
    return rep.done()


if __name__ == '__main__':
    sys.exit(main())
