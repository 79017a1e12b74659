#!/usr/bin/env python3
"""The "vmgraph" host suite: tools/vmgraph and the DOT that `vmmap -dot` prints.

    tests/vmgraph_test.py [CASE ...]

One run of tools/vmgraph on `vmmap -demo -dot` (a boot of the ISO in env
VMOS_ISO), then checks on the graph it wrote:

    demo_graph_is_written       vmgraph exits 0 and writes the .dot (and, when
                                Graphviz is installed, an .svg that is SVG)
    demo_graph_parses_as_dot    `dot -Tcanon` accepts it (without Graphviz: the
                                braces, brackets and quotes balance)
    demo_stages_are_five        one cluster per step of the demo
    fork_shares_one_object      after fork both entries point at one object
                                node, defined once
    cow_write_adds_one_shadow   the child's write puts one shadow edge in, to
                                the object still shared; the parent's write
                                a second, into the same object
    exit_collapses_the_chain    after the child's exit the parent's entry
                                points at its own shadow of step 4, which
                                shadows nothing now
    kernel_thread_is_drawn_empty  `vmmap -dot 2` (the pagedaemon) parses and
                                says it has no address space

It prints the harness protocol (tests/run.py, "Host suites").
"""

import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from gdbsession import Reporter, iso_path, log_dir  # noqa: E402

EDGE_RE = re.compile(r'^\s*(\w+)\s*->\s*(\w+)\s*(\[[^\]]*\])?;')
NODE_RE = re.compile(r'^\s*(\w+)\s*\[')


def vmgraph(out, command=None):
    """Run tools/vmgraph; (exit status, its output)."""
    argv = [sys.executable, os.path.join(TOP, 'tools', 'vmgraph'), '--iso', iso_path(),
            '-o', out]
    if command:
        argv.append(command)
    scale = float(os.environ.get('TEST_TIMEOUT_SCALE', '1'))
    argv += ['--timeout', str(120 * scale)]
    r = subprocess.run(argv, cwd=TOP, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def balanced(text):
    """Without Graphviz: do the braces, brackets and quotes of text balance?"""
    depth = {'{': 0, '[': 0}
    closing = {'}': '{', ']': '['}
    inside = False
    prev = ''
    for c in text:
        if c == '"' and prev != '\\':
            inside = not inside
        elif not inside and c in depth:
            depth[c] += 1
        elif not inside and c in closing:
            depth[closing[c]] -= 1
            if depth[closing[c]] < 0:
                return False
        prev = c
    return not inside and all(v == 0 for v in depth.values())


def parses(path):
    """(ok, why) for a DOT file."""
    with open(path) as f:
        text = f.read()
    if shutil.which('dot') is None:
        return balanced(text), 'unbalanced DOT (Graphviz not installed)'
    r = subprocess.run(['dot', '-Tcanon', path], capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def stages(text):
    """{stage number: [lines of that stage's cluster]}."""
    out, current = {}, None
    for line in text.splitlines():
        m = re.match(r'^\tsubgraph cluster_s(\d+) \{', line)
        if m:
            current = int(m.group(1))
            out[current] = []
        elif line == '\t}':
            current = None
        elif current is not None:
            out[current].append(line)
    return out


def edges(lines):
    """[(from, to, attributes)] of the lines."""
    found = []
    for line in lines:
        m = EDGE_RE.match(line)
        if m:
            found.append((m.group(1), m.group(2), m.group(3) or ''))
    return found


def defined(lines, node):
    return sum(1 for l in lines if NODE_RE.match(l) and NODE_RE.match(l).group(1) == node)


def entry_edges(lines):
    return [(a, b) for a, b, attrs in edges(lines) if 'shadows' not in attrs]


def shadow_edges(lines):
    return [(a, b) for a, b, attrs in edges(lines) if 'shadows' in attrs]


def main(argv):
    rep = Reporter('vmgraph')
    want = set(argv)

    def case(name):
        return not want or name in want

    out = os.path.join(log_dir(), 'vmgraph', 'demo.svg')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    for f in ('demo.dot', 'demo.svg'):
        if os.path.exists(os.path.join(os.path.dirname(out), f)):
            os.unlink(os.path.join(os.path.dirname(out), f))
    status, said = vmgraph(out)
    dot_path = out[:-4] + '.dot'
    text = open(dot_path).read() if os.path.exists(dot_path) else ''
    st = stages(text)

    if case('demo_graph_is_written'):
        svg_ok = shutil.which('dot') is None or \
            (os.path.exists(out) and '<svg' in open(out).read())
        rep.check('demo_graph_is_written', status == 0 and text != '' and svg_ok,
                  'status %d: %s' % (status, said))
    if case('demo_graph_parses_as_dot'):
        ok, why = parses(dot_path) if text else (False, 'no .dot written')
        rep.check('demo_graph_parses_as_dot', ok, why)
    if case('demo_stages_are_five'):
        rep.check('demo_stages_are_five', sorted(st) == [1, 2, 3, 4, 5],
                  'stages %s' % sorted(st))
    if case('fork_shares_one_object'):
        e2 = entry_edges(st.get(2, []))
        targets = {b for a, b in e2}
        ok = len(e2) == 2 and len(targets) == 1 and \
            defined(st.get(2, []), next(iter(targets), '')) == 1
        rep.check('fork_shares_one_object', ok, 'stage 2 edges %s' % e2)
    if case('cow_write_adds_one_shadow'):
        s3, s4 = shadow_edges(st.get(3, [])), shadow_edges(st.get(4, []))
        e3 = entry_edges(st.get(3, []))
        shared = [b for a, b in e3]
        ok = len(s3) == 1 and s3[0][1] in shared and len(s4) == 2 and \
            s4[0][1] == s4[1][1] and s4[0][0] != s4[1][0]
        rep.check('cow_write_adds_one_shadow', ok, 'stage 3 %s %s, stage 4 %s' % (e3, s3, s4))
    if case('exit_collapses_the_chain'):
        e4, e5 = entry_edges(st.get(4, [])), entry_edges(st.get(5, []))
        s4 = shadow_edges(st.get(4, []))
        # The parent's entry (the one whose pid also appears in stage 5).
        parent = e5[0][0][3:] if len(e5) == 1 else None
        before = [b[3:] for a, b in e4 if a[3:] == parent]
        ok = len(e5) == 1 and shadow_edges(st.get(5, [])) == [] and before and \
            e5[0][1][3:] == before[0] and any(a[3:] == before[0] for a, b in s4)
        rep.check('exit_collapses_the_chain', ok, 'stage 4 %s, stage 5 %s' % (e4, e5))
    if case('kernel_thread_is_drawn_empty'):
        kt = os.path.join(os.path.dirname(out), 'kthread.svg')
        status, said = vmgraph(kt, 'vmmap -dot 2')
        ktdot = kt[:-4] + '.dot'
        ok, why = parses(ktdot) if os.path.exists(ktdot) else (False, said)
        body = open(ktdot).read() if os.path.exists(ktdot) else ''
        rep.check('kernel_thread_is_drawn_empty',
                  status == 0 and ok and 'no address space' in body and '->' not in body,
                  'status %d: %s %s' % (status, why, said))
    return rep.done()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
