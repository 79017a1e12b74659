#!/usr/bin/env python3
"""The "gdbhelp" host suite: the gdb helpers of tools/vmos-gdb.py against a
stopped kernel, each checked against values gdb reads directly.

    tests/gdbhelp_test.py [CASE ...]

Two scripted `gdb -batch` sessions (tests/gdbsession.py) over tools/gdbinit,
as a student gets them from tools/gdb:

1. The guest runs `shmctl create /gdb-probe`, `shmctl truncate -s 12288
   /gdb-probe` and `vmmap -demo`; gdb stops at the first sys_kvmmap, which
   is vmmap's first look at its own map.  By then vmmap has mapped two
   private pages and written 'x' to the first and 'y' to the second, and
   made two pipes.  Then:
     ps_lists_every_process   vmos-ps: nprocs lines; init is pid 1; the
                              running process (cpus[0].proc) is vmmap, marked *
     map_matches_the_kernel   vmos-map: nentries lines; the demo's entry has
                              one object whose id, refs and resident pages
                              are those of `print *(struct vm_object *)ADDR`
     map_matches_kvmmap       the same object, as vmmap itself prints it
                              from kvmmap once gdb lets the guest go on
     object_pages_hold_the_data  vmos-object #ID: pages 0 and 1 at physical
                              addresses whose first bytes (read through the
                              direct map) are 'x' and 'y'
     files_match_the_table    vmos-files: the descriptors, struct files and
                              types of ((struct fdtable *)...)->files[]
     shm_lists_the_name       vmos-shm: /gdb-probe, 12288 bytes, its bucket
                              and object as shm_table[bucket] holds them
2. A 32 MiB guest with a swap disk runs the swap suite's
   kvmmap_counts_the_pages_on_swap; gdb stops at its first sys_kvmmap,
   when a mapping larger than RAM is partly on swap:
     object_lists_its_swap_slots  vmos-object #ID lists as many slots as
                              the swap pager's nslots, all distinct, and as
                              many pages as resident_count

It prints the harness protocol (tests/run.py, "Host suites").
"""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gdbsession import Reporter, Session  # noqa: E402

DMAP_BASE = 0xffff800000000000
# ';', not '&&': where shm_open fails (the shm lab's stub) vmmap still
# runs, and only shm_lists_the_name fails instead of the whole session.
DEMO_CMD = ('cmd=shmctl create /gdb-probe; shmctl truncate -s 12288 /gdb-probe; '
            'vmmap -demo')
SWAP_CMD = 'cmd=/test/swap_test kvmmap_counts_the_pages_on_swap'


def scale():
    return float(os.environ.get('TEST_TIMEOUT_SCALE', '1'))


# Runs inside gdb (a `python` block after the breakpoint): each step's
# output after a line @@NAME, so the test can split them.  Later steps use
# what earlier helpers printed (an object's id, a page's physical address),
# so everything happens at one stop: gdb -batch detaches at its end, and
# QEMU then lets the guest run on.
GDB_SIDE = r"""
import re
def step(name, cmd):
    try:
        out = gdb.execute(cmd, to_string=True)
    except gdb.error as e:
        out = 'gdb error: %s\n' % e
    print('@@' + name)
    print(out, end='')
    return out
"""


def run_plan(session, plan):
    """Stop at the first sys_kvmmap, then run plan (Python source using
    step(name, command)) inside gdb; {name: what that step printed}."""
    body = GDB_SIDE + plan
    commands = ['hbreak sys_kvmmap', 'continue', 'python'] + body.strip('\n').split('\n') + \
        ['end', 'echo @@end\\n']
    out = session.gdb(commands, timeout=180 * scale())
    parts = {'_all': out}
    chunks = re.split(r'^@@(\w+)$', out, flags=re.M)
    for i in range(1, len(chunks) - 1, 2):
        parts[chunks[i]] = chunks[i + 1]
    return parts


def value(text):
    """The value of a gdb `print`: '$1 = 42' -> '42'."""
    m = re.search(r'^\$\d+ = (.*)$', text or '', re.M)
    return m.group(1).strip() if m else None


def num(text):
    v = value(text)
    try:
        return int(v.split()[0], 0) if v else None
    except ValueError:
        return None


DEMO_PLAN = r"""
for n, c in [('ps', 'vmos-ps'), ('nprocs', 'print nprocs'), ('curpid', 'print cpus[0].proc->pid'),
             ('curname', 'print cpus[0].proc->name'), ('map', 'vmos-map'),
             ('nentries', 'print cpus[0].proc->vmspace->map.nentries'), ('files', 'vmos-files'),
             ('shm', 'vmos-shm')]:
    out = step(n, c)
    if n == 'map':
        demo = re.search(r'7effffffe000 7f0000000000 rw- rwx copy\s+-\s+#(\d+) (0x[0-9a-f]+)', out)
    if n == 'shm':
        shm = re.search(r'/gdb-probe\s+0x[0-9a-f]+(?:\s+\d+){5}\s+(\d+) #', out)
for fd in range(8):
    step('fd%d' % fd, 'print/x ((struct fdtable *)cpus[0].proc->fdtable)->files[%d]' % fd)
    step('fdname%d' % fd, 'print ((struct fdtable *)cpus[0].proc->fdtable)->files[%d]->ops->name' % fd)
if demo:
    obj = step('object', 'vmos-object #' + demo.group(1))
    step('objstruct', 'print *(struct vm_object *)' + demo.group(2))
    for page in (0, 1):
        m = re.search(r'pindex %d\s+page 0x[0-9a-f]+ phys (0x[0-9a-f]+)' % page, obj)
        if m:
            step('byte%d' % page, 'print/c *(char *)%#x' % (DMAP_BASE + int(m.group(1), 16)))
if shm:
    b = shm.group(1)
    for n, f in [('shmaddr', '/x shm_table[B]'), ('shmpath', ' shm_table[B]->path'),
                 ('shmsize', ' shm_table[B]->size'), ('shmrefs', ' shm_table[B]->refs'),
                 ('shmobj', '/x shm_table[B]->object'), ('shmobjid', ' shm_table[B]->object->id')]:
        step(n, 'print' + f.replace('B', b))
""".replace('DMAP_BASE', str(DMAP_BASE))


def demo_session(rep, want):
    with Session(cmdline=DEMO_CMD, name='gdbhelp-demo') as s:
        parts = run_plan(s, DEMO_PLAN)
        serial = wait_serial(s, '2. after fork')
    demo = demo_object(parts.get('map', ''))
    check_ps(rep, want, parts)
    check_map(rep, want, parts, demo)
    check_map_kvmmap(rep, want, parts, serial)
    check_object(rep, want, parts)
    check_files(rep, want, parts)
    check_shm(rep, want, parts)


def wait_serial(session, text, seconds=60):
    """The guest's output once it shows text (or after seconds)."""
    deadline = time.time() + seconds * scale()
    while time.time() < deadline:
        out = session.serial()
        if text in out:
            time.sleep(0.5)
            return session.serial()
        time.sleep(0.2)
    return session.serial()


DEMO_LINE = re.compile(r'^\s*7effffffe000 7f0000000000 rw- rwx copy\s+-\s+#(\d+) (0x[0-9a-f]+) '
                       r'anon (\d+)p res (\d+) swp (\d+) ref (\d+) shd (\d+) d(\d+)$', re.M)


def demo_object(map_text):
    """(id, address) of the object behind the demo's two pages, from vmos-map."""
    m = DEMO_LINE.search(map_text)
    return (int(m.group(1)), int(m.group(2), 16)) if m else None


def page_phys(object_text, pindex):
    m = re.search(r'^\s*pindex %d\s+page 0x[0-9a-f]+ phys (0x[0-9a-f]+)' % pindex, object_text, re.M)
    return int(m.group(1), 16) if m else None


def check_ps(rep, want, parts):
    if want and 'ps_lists_every_process' not in want:
        return
    ps = parts.get('ps', '')
    rows = [l for l in ps.splitlines() if re.match(r'^[ *]\s+\d+\s+\d+\s+\d+ ', l)]
    cur = [l for l in rows if l.startswith('*')]
    curpid, nprocs = num(parts.get('curpid')), num(parts.get('nprocs'))
    init = [l for l in rows if l.split()[0] == '1' and 'init' in l]
    ok = nprocs is not None and len(rows) == nprocs and len(cur) == 1 and init and \
        cur[0].split()[1] == str(curpid) and 'vmmap' in cur[0] and \
        '"vmmap"' in (value(parts.get('curname')) or '')
    rep.check('ps_lists_every_process', ok, 'nprocs %s, pid %s: %s' % (nprocs, curpid, ps))


def check_map(rep, want, parts, demo):
    if want and 'map_matches_the_kernel' not in want:
        return
    text = parts.get('map', '')
    rows = [l for l in text.splitlines() if re.match(r'^\s+[0-9a-f]+\s+[0-9a-f]+ [r-][w-][x-] ', l)]
    nentries = num(parts.get('nentries'))
    m = DEMO_LINE.search(text)
    st = parts.get('objstruct', '')
    fields = dict(re.findall(r'\b(id|ref_count|shadow_count|resident_count|size) = (\d+)', st))
    ok = m is not None and nentries == len(rows) and demo is not None and \
        fields.get('id') == m.group(1) and fields.get('ref_count') == m.group(6) and \
        fields.get('resident_count') == m.group(4) == '2' and fields.get('size') == m.group(3) and \
        fields.get('shadow_count') == m.group(7)
    rep.check('map_matches_the_kernel', ok, 'nentries %s, %d rows; %s | %s' % (
        nentries, len(rows), text, st))


def check_map_kvmmap(rep, want, parts, serial):
    if want and 'map_matches_kvmmap' not in want:
        return
    m = DEMO_LINE.search(parts.get('map', ''))
    stage1 = serial.split('1. before fork', 1)[-1].split('2. after fork', 1)[0]
    k = re.search(r'7effffffe000 7f0000000000 rw- rwx copy\s+cow\s+#(\d+) anon (\d+)p (\d+)r '
                  r'(\d+)s ref(\d+) shd(\d+) d(\d+)', stage1)
    ok = m is not None and k is not None and \
        k.groups() == (m.group(1), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7),
                       m.group(8))
    rep.check('map_matches_kvmmap', ok, 'gdb: %s | vmmap: %s' % (
        m.group(0) if m else None, k.group(0) if k else stage1[-300:]))


def check_object(rep, want, parts):
    if want and 'object_pages_hold_the_data' not in want:
        return
    text = parts.get('object', '')
    b0, b1 = value(parts.get('byte0')), value(parts.get('byte1'))
    ok = 'resident pages: 2' in text and page_phys(text, 0) is not None and \
        b0 is not None and "'x'" in b0 and b1 is not None and "'y'" in b1
    rep.check('object_pages_hold_the_data', ok, '%s | byte0 %s byte1 %s' % (text, b0, b1))


def check_files(rep, want, parts):
    if want and 'files_match_the_table' not in want:
        return
    text = parts.get('files', '')
    rows = {int(l.split()[0]): l for l in text.splitlines() if re.match(r'^\s+\d+ 0x', l)}
    problems = []
    for fd in range(8):
        fp = num(parts.get('fd%d' % fd))
        name = value(parts.get('fdname%d' % fd))
        if not fp:
            if fd in rows:
                problems.append('fd %d listed but empty in the table' % fd)
            continue
        row = rows.get(fd, '')
        kind = (re.search(r'"([^"]*)"', name or '') or [None, None])[1]
        if ('%#x' % fp) not in row or not kind or kind not in row:
            problems.append('fd %d: table %#x %s, listed %r' % (fd, fp, kind, row))
    ok = not problems and len(rows) == 7 and 'pipe (read end)' in rows.get(3, '')
    rep.check('files_match_the_table', ok, '; '.join(problems) + ' | ' + text)


SHM_LINE = re.compile(r'^\s*/gdb-probe\s+(0x[0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+'
                      r'(\d+)\s+(\d+) #(\d+) (0x[0-9a-f]+) ref (\d+)', re.M)


def check_shm(rep, want, parts):
    if want and 'shm_lists_the_name' not in want:
        return
    text = parts.get('shm', '')
    m = SHM_LINE.search(text)
    ok = m is not None and m.group(2) == '1' and m.group(3) == '12288' and \
        num(parts.get('shmaddr')) == int(m.group(1), 16) and \
        '"/gdb-probe"' in (value(parts.get('shmpath')) or '') and \
        num(parts.get('shmsize')) == 12288 and num(parts.get('shmrefs')) == 1 and \
        num(parts.get('shmobj')) == int(m.group(9), 16) and \
        num(parts.get('shmobjid')) == int(m.group(8))
    rep.check('shm_lists_the_name', ok, text + ' | ' + ' '.join(
        '%s=%s' % (k, value(parts.get(k))) for k in ('shmaddr', 'shmpath', 'shmsize',
                                                        'shmrefs', 'shmobj', 'shmobjid')))


# The biggest object of the map: the mapping larger than RAM.
SWAP_PLAN = r"""
out = step('map', 'vmos-map')
objs = re.findall(r'#(\d+) (0x[0-9a-f]+) (?:anon|swap) (\d+)p', out)
if objs:
    oid, oaddr, size = max(objs, key=lambda o: int(o[2]))
    step('object', 'vmos-object #' + oid)
    step('nslots', 'print ((struct swap_obj *)((struct vm_object *)%s)->pager_data)->nslots' % oaddr)
    step('resident', 'print ((struct vm_object *)%s)->resident_count' % oaddr)
"""


def swap_session(rep, want):
    if want and 'object_lists_its_swap_slots' not in want:
        return
    with Session(cmdline=SWAP_CMD, mem='32M', disk_mb=256, name='gdbhelp-swap') as s:
        parts = run_plan(s, SWAP_PLAN)
    text = parts.get('map', '')
    objs = re.findall(r'#(\d+) (0x[0-9a-f]+) (?:anon|swap) (\d+)p res (\d+) swp (\d+)', text)
    big = max(objs, key=lambda o: int(o[2])) if objs else None
    obj = parts.get('object', '')
    slots = re.findall(r'^\s*pindex (\d+)\s+slot (\d+)', obj, re.M)
    pages = re.findall(r'^\s*pindex (\d+)\s+page ', obj, re.M)
    nslots, resident = num(parts.get('nslots')), num(parts.get('resident'))
    ok = big is not None and nslots and len(slots) == nslots == int(big[4]) and \
        len({s for p, s in slots}) == len(slots) and len(pages) == resident and \
        ('swap slots: %d' % nslots) in obj
    rep.check('object_lists_its_swap_slots', ok, 'object %s: %d slots listed, nslots %s, '
              '%d pages listed, resident %s | %s' % (big, len(slots), nslots, len(pages),
                                                     resident, text[-800:] + obj[:400]))


def main(argv):
    rep = Reporter('gdbhelp')
    want = set(argv)
    demo_cases = {'ps_lists_every_process', 'map_matches_the_kernel', 'map_matches_kvmmap',
                  'object_pages_hold_the_data', 'files_match_the_table', 'shm_lists_the_name'}
    if not want or want & demo_cases:
        demo_session(rep, want)
    swap_session(rep, want)
    return rep.done()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
