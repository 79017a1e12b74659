#!/usr/bin/env python3
"""The test of tools/grade-all (the 'gradeall' host suite).

    tests/gradeall_test.py

It makes a directory of submissions from this tree, in every form
grade-all takes, in build/gradeall-test/subs:

    correct.tar.gz   this tree's kernel/ and user/, in a directory inside
                     the tarball                          -> full
    stripped.bundle  with labs (`make lab`): the stripped tree of the
                     first lab in tests/labs.py, as a git bundle; without
                     them: a tree whose basename() is wrong -> partial
    broken/          a tree that does not compile       -> build_failed
    panic/           a tree whose kernel panics at boot; it also rewrites
                     the grading code (its tests/run.py fakes passes, its
                     Makefile builds nothing, its kernel self-test and
                     user test files do not compile), which must not
                     matter: the kit's copies grade it   -> panic
    escape.tar       an entry ../escape.txt              -> bad_submission
    absolute.tar     an entry with an absolute path      -> bad_submission
    notes.txt        not a submission at all             -> bad_submission

and grades them with grade-all -j 2 (by LAB with labs, else with --tests
naming two libc cases).  It checks the CSV row of each, that every log
is there, that nothing was written outside the output directory, and
that the graders' work trees are gone.  A second, short run grades the
correct tree with --timeout 5, which it cannot meet: its row must say
timeout.  A third hands GNU parallel an --sshloginfile whose one machine
is reached through a stand-in for ssh.  Last, it checks grade-all's verdict() on a results.json of
each kind of trouble run.py reports (flood, panic, no output, timeout).
"""

import csv
import importlib.machinery
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from gdbsession import Reporter  # noqa: E402

GRADE_ALL = os.path.join(TOP, 'tools', 'grade-all')
TESTS = 'libc.getopt_parses_options libc.basename_and_dirname_split_paths'
SCRATCH = os.path.join(TOP, 'build', 'gradeall-test')
ESCAPE = os.path.join(SCRATCH, 'escape.txt')          # where ../escape.txt would land
ABSOLUTE = os.path.join(SCRATCH, 'absolute.txt')


def load_grade_all():
    """tools/grade-all as a module (it has no .py)."""
    loader = importlib.machinery.SourceFileLoader('grade_all', GRADE_ALL)
    spec = importlib.util.spec_from_loader('grade_all', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def first_lab():
    """The first lab of tests/labs.py when this tree has labs and `make
    lab`, else None."""
    with open(os.path.join(TOP, 'Makefile')) as f:
        if not re.search(r'^lab\s*:', f.read(), re.MULTILINE):
            return None
    try:
        import labs
    except ImportError:
        return None
    names = [lab['name'] for lab in getattr(labs, 'LABS', [])]
    return names[0] if names else None


def copy_tree(dst):
    """This tree's kernel/ and user/ (what a student hands in) at dst."""
    for part in ('kernel', 'user'):
        shutil.copytree(os.path.join(TOP, part), os.path.join(dst, part))


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        raise RuntimeError('%s no longer contains %r: update tests/gradeall_test.py'
                           % (path, old))
    with open(path, 'w') as f:
        f.write(text.replace(old, new, 1))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def make_bundle(tree, bundle):
    git = ['git', '-c', 'user.name=student', '-c', 'user.email=student@example.org',
           '-c', 'init.defaultBranch=main', '-C', tree]
    for args in (['init', '-q'], ['add', '-A'], ['commit', '-q', '-m', 'my lab'],
                 ['bundle', 'create', '-q', bundle, 'HEAD', 'main']):
        subprocess.run(git + args, check=True, stdout=subprocess.DEVNULL)


def make_submissions(subs, lab):
    """The submissions of the docstring; returns {name: expected status}."""
    work = os.path.join(SCRATCH, 'trees')
    os.makedirs(work)
    os.makedirs(subs)
    expect = {}

    copy_tree(os.path.join(work, 'correct'))
    with tarfile.open(os.path.join(subs, 'correct.tar.gz'), 'w:gz') as tar:
        tar.add(os.path.join(work, 'correct'), arcname='correct')
    expect['correct'] = 'full'

    stripped = os.path.join(work, 'stripped')
    if lab:
        subprocess.run(['make', '--no-print-directory', 'lab', 'LAB=' + lab], cwd=TOP,
                       check=True, stdout=subprocess.DEVNULL)
        shutil.copytree(os.path.join(TOP, 'build', 'labs', lab), stripped)
        shutil.rmtree(os.path.join(stripped, 'build'), ignore_errors=True)
    else:
        copy_tree(stripped)
        edit(os.path.join(stripped, 'user/lib/libgen.c'),
             "return slash == NULL || slash[1] == '\\0' ? path : slash + 1;",
             "return slash == NULL || slash[1] == '\\0' ? path : slash;")
    make_bundle(stripped, os.path.join(subs, 'stripped.bundle'))
    expect['stripped'] = 'partial'

    copy_tree(os.path.join(subs, 'broken'))
    edit(os.path.join(subs, 'broken/kernel/arch/x86_64/debug_exit.c'), '#include',
         'this is not C;\n#include')
    expect['broken'] = 'build_failed'

    panic = os.path.join(subs, 'panic')
    copy_tree(panic)
    edit(os.path.join(panic, 'kernel/kern/main.c'), '\tintr_enable();\n',
         '\tintr_enable();\n\tpanic("student: not implemented");\n')
    write(os.path.join(panic, 'Makefile'), 'all:\n\t@echo nothing to build\n')
    write(os.path.join(panic, 'tests/run.py'),
          'print("TEST-PASS libc.getopt_parses_options")\n')
    write(os.path.join(panic, 'kernel/vm/kmem_test.c'), 'this is not C;\n')
    write(os.path.join(panic, 'user/tests/libc_test.c'), 'this is not C either;\n')
    write(os.path.join(panic, 'user/user.mk'), '$(error the student build file was used)\n')
    expect['panic'] = 'panic'

    with tarfile.open(os.path.join(subs, 'escape.tar'), 'w') as tar:
        add_bytes(tar, 'kernel/x.c', b'int x;\n')
        add_bytes(tar, '../../../escape.txt', b'outside\n')
    expect['escape'] = 'bad_submission'
    with tarfile.open(os.path.join(subs, 'absolute.tar'), 'w') as tar:
        add_bytes(tar, ABSOLUTE, b'outside\n')
    expect['absolute'] = 'bad_submission'
    write(os.path.join(subs, 'notes.txt'), 'my lab is in the cloud\n')
    expect['notes.txt'] = 'bad_submission'
    return expect


def grade(subs, out, lab, *more):
    """Run grade-all; returns (exit status, output, CSV rows by name)."""
    argv = [sys.executable, GRADE_ALL, subs] + ([lab] if lab else ['--tests', TESTS])
    argv += ['--out', out] + list(more)
    p = subprocess.run(argv, cwd=TOP, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors='replace')
    rows = {}
    path = os.path.join(out, 'grades.csv')
    if os.path.exists(path):
        with open(path, newline='') as f:
            rows = {r['submission']: r for r in csv.DictReader(f)}
    return p.returncode, p.stdout, rows


def check_rows(rep, rows, expect, out):
    for name, status in expect.items():
        row = rows.get(name)
        if row is None:
            rep.check(name, False, 'no CSV row for %s' % name)
            continue
        problems = []
        if row['status'] != status:
            problems.append('status %s, expected %s (%s)' % (row['status'], status, row['reason']))
        score, most = row['score'], row['max_score']
        if status == 'full' and (score != most or score in ('', '0')):
            problems.append('score %s of %s' % (score, most))
        if status == 'partial' and not (most not in ('', '0') and float(score) < float(most)):
            problems.append('score %s of %s' % (score, most))
        if status != 'full' and not row['reason']:
            problems.append('no reason given')
        if name in ('escape', 'absolute') and not row['reason'].startswith('unsafe tarball'):
            problems.append('reason %r, expected grade-all to refuse it itself' % row['reason'])
        if most in ('', '0'):
            problems.append('no max_score')
        if not os.path.isfile(os.path.join(out, row['log'])):
            problems.append('no log at %s' % row['log'])
        if status in ('full', 'partial', 'panic') and not os.path.isfile(
                os.path.join(out, 'logs', name, 'results.json')):
            problems.append('no results.json kept')
        rep.check(name, not problems, '; '.join(problems))


def check_verdicts(rep, grade_all):
    problems = []
    for kind, status in (('flood', 'flood'), ('panic', 'panic'), ('no_output', 'no_output'),
                         ('timeout', 'timeout'), ('error', 'grader_error'),
                         ('fail', 'partial'), ('pass', 'full')):
        results = {'score': 1, 'extra_data': {'max_score': 1 if kind == 'pass' else 2},
                   'tests': [{'name': 'a.b', 'score': 1, 'max_score': 1, 'output': '',
                              'extra_data': {'kind': 'pass'}},
                             {'name': 'a.c' if kind != 'pass' else 'a', 'score': 0,
                              'max_score': 1 if kind == 'fail' else 0, 'output': 'why',
                              'extra_data': {'kind': kind}}]}
        got = grade_all.verdict(results)[0]
        if got != status:
            problems.append('%s gave %s, expected %s' % (kind, got, status))
    rep.check('verdict_of_each_kind', not problems, '; '.join(problems))


def main():
    rep = Reporter('gradeall')
    shutil.rmtree(SCRATCH, ignore_errors=True)
    subs = os.path.join(SCRATCH, 'subs')
    out = os.path.join(SCRATCH, 'out')
    lab = first_lab()
    print('gradeall: %s' % ('grading lab %s' % lab if lab else
                            'no labs in this tree (make lab): grading --tests %r, with a '
                            'hand-broken tree in place of the stripped one' % TESTS))
    expect = make_submissions(subs, lab)
    start = time.monotonic()
    status, output, rows = grade(subs, out, lab, '-j', '2')
    print('grade-all took %.0fs and exited with %d:' % (time.monotonic() - start, status))
    print(output.rstrip())
    rep.check('exit_status', status == 0, 'grade-all exited with %d' % status)
    check_rows(rep, rows, expect, out)
    rep.check('only_its_rows', set(rows) == set(expect),
              'rows for %s, expected %s' % (sorted(rows), sorted(expect)))
    outside = [p for p in (ESCAPE, ABSOLUTE) if os.path.exists(p)]
    rep.check('nothing_written_outside', not outside, 'a tarball wrote %s' % outside)
    rep.check('work_trees_removed', not os.listdir(os.path.join(out, 'work')),
              'left in work/: %s' % os.listdir(os.path.join(out, 'work')))

    # The wall-clock limit: the correct tree alone, 5 s to build and test.
    alone = os.path.join(SCRATCH, 'alone')
    os.makedirs(alone)
    os.rename(os.path.join(subs, 'correct.tar.gz'), os.path.join(alone, 'correct.tar.gz'))
    start = time.monotonic()
    status, output, rows = grade(alone, os.path.join(SCRATCH, 'out-timeout'), lab,
                                 '--timeout', '5')
    took = time.monotonic() - start
    row = rows.get('correct', {})
    rep.check('wall_clock_limit', row.get('status') == 'timeout' and took < 60,
              'row %s after %.0fs; output %s' % (row, took, output[-300:]))
    check_sshloginfile(rep, subs)
    check_verdicts(rep, load_grade_all())
    return rep.done()


def check_sshloginfile(rep, subs):
    """--sshloginfile reaches GNU parallel, and the jobs run over ssh.  The
    file names one machine, reached through a stand-in for ssh that notes
    the host and runs the command here (as ssh would run it there); the
    joblog and the stand-in's notes must show both jobs went that way.
    The submissions are the ones that need no build."""
    few = os.path.join(SCRATCH, 'few')
    os.makedirs(few)
    for name in ('escape.tar', 'notes.txt'):
        shutil.copy(os.path.join(subs, name), few)
    fake_ssh = os.path.join(SCRATCH, 'fake-ssh')
    notes = os.path.join(SCRATCH, 'fake-ssh.log')
    write(fake_ssh, '#!/bin/sh\n'
          '# ssh HOST [--] COMMAND...: note HOST, run COMMAND here.\n'
          '# sshd gives the command a login environment, SHELL included, and\n'
          "# parallel's wrapper runs the job with $SHELL: CI may have none.\n"
          'SHELL=/bin/sh; export SHELL\n'
          'echo "$1" >> %s\nshift\n[ "$1" = "--" ] && shift\nexec /bin/sh -c "$*"\n' % notes)
    os.chmod(fake_ssh, 0o755)
    hosts = os.path.join(SCRATCH, 'hosts')
    write(hosts, '2/%s gradehost\n' % fake_ssh)
    out = os.path.join(SCRATCH, 'out-ssh')
    status, output, rows = grade(few, out, None, '--sshloginfile', hosts)
    try:
        with open(os.path.join(out, 'joblog')) as f:
            hosts_used = [line.split('\t')[1] for line in f.read().splitlines()[1:]]
        with open(notes) as f:
            logins = f.read().split()
    except OSError as e:
        hosts_used = logins = [str(e)]
    ok = (status == 0 and sorted(rows) == ['escape', 'notes.txt'] and logins == ['gradehost'] * 2
          and len(hosts_used) == 2 and all(h.endswith(' gradehost') for h in hosts_used))
    rep.check('sshloginfile', ok, 'exit %d, rows %s, joblog hosts %s, ssh logins %s, output %s'
              % (status, sorted(rows), hosts_used, logins, output[-300:]))


if __name__ == '__main__':
    sys.exit(main())
