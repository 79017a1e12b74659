"""make grade: the score lines of a lab, like xv6's grade-lab-*.

    tests/run.py --lab NAME [--iso ISO] [--swap SIZE] [-j N] [--junit FILE] [--results FILE]

NAME is a lab of tests/labs.py.  run.py does all the running: --lab is
--points with the lab's graded list (labs.points), so the graded cases
boot exactly as they do in `make test`, a case whose boot ended before it
reported is booted again alone (run.py's retry_alone), and the records
(--junit, --results) are the ones any graded run writes.  This module
only formats what run.py's weigh() made of them, one line per graded case
in the lab's order, then the score:

    cow: vm.fork_shares_pages_until_write .............. OK (20/20)
    cow: kernel.vm_fork_cow_isolates_both_ways ......... FAIL (0/15)
        vm_object_test.c:68: parent not write-protected by fork
    score: 20/35

A case that failed in a way other than a wrong answer says its kind
(timeout, panic, ...) in place of FAIL.  The exit status of `run.py
--lab` is 0 when the score is full, 1 when it is not, 2 for a usage error
(no such lab).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labs  # noqa: E402

LINE_WIDTH = 60                 # where the dots of a case line end


def case_line(lab, case, word, got, points):
    head = '%s: %s ' % (lab, case)
    return '%s%s %s (%g/%g)' % (head, '.' * max(3, LINE_WIDTH - len(head)), word, got, points)


def report(lab, results, case_key, say=print):
    """Print lab's case lines and score from run.py's weighed results
    (case_key: run.py's, which matches a graded name to a Result).
    Returns (score, total)."""
    by_key = {}
    for r in results:
        if r.max_score > 0:
            by_key.setdefault(case_key(r.name, r.suite), r)
    score = total = 0
    for case, points in lab['graded']:
        total += points
        r = by_key.get(case_key(case))
        if r is None:           # weigh() records every graded case; this is a harness bug
            say(case_line(lab['name'], case, 'FAIL', 0, points))
            say('    no result')
            continue
        score += r.score
        if r.score == r.max_score:
            say(case_line(lab['name'], case, 'OK', r.score, points))
        else:
            word = 'FAIL' if r.kind == 'fail' else r.kind.upper()
            say(case_line(lab['name'], case, word, r.score, points))
            if r.reason:
                say('    ' + r.reason)
    say('score: %g/%g' % (score, total))
    return score, total


def lab_or_usage(name):
    """The lab called name; ValueError naming the labs when there is none."""
    lab = labs.by_name(name)
    if lab is None:
        raise ValueError('no lab %r; the labs are %s (make grade LAB=name)'
                         % (name, ', '.join(labs.names())))
    return lab
