"""vmos-gdb.py - gdb commands that walk vmos's kernel structures.

tools/gdbinit sources this file, so tools/gdb (and a scripted `gdb -batch`
over tools/gdbinit) has these commands.  They read a stopped kernel
through the debug information of build/kernel.elf; they change nothing
and call no kernel function, so they are safe at any stop -- but a
structure the kernel was in the middle of changing when it stopped may
look torn (a list walk then stops at LIST_LIMIT nodes).

    vmos-ps                 every process: pid, parent, uid, state, name,
                            its struct proc and vmspace, what it sleeps on
    vmos-map PID            a process's map entries, each with its chain of
                            VM objects (id, address, type, size, resident and
                            swapped pages, references, shadows, shadow depth)
    vmos-object OBJ         one VM object: its fields, backing object and
                            shadows, every resident page (index, struct
                            vm_page, physical address, queue, flags,
                            mappings) and every swap slot.  OBJ is an
                            address or expression, or #ID (the id vmmap,
                            kvmmap and vmos-map show)
    vmos-files PID          a process's descriptor table: each descriptor's
                            struct file, type, references, open flags,
                            offset, and for shm its name and object
    vmos-shm                the shm name space: every name with its struct
                            shm, size, mode, owner and VM object

PID 0, or no PID, means the process running on the CPU gdb has selected
(`info threads`: QEMU's thread N is CPU N-1, whose block is cpus[N-1]).
`help vmos-map` and so on repeat this.  The layout they know is the
kernel's: kernel/kern/list.h (lists), kernel/kern/proc.h,
kernel/vm/vm_map.h, vm_object.h, vm_page.h, swap_pager.c, kernel/kern/
fdtable.c, file.h and kernel/ipc/uipc_shm.c.  A field renamed there is a
Python error here; tests/gdbhelp_test.py checks every command against
values gdb reads directly.
"""

import gdb

PAGE_SIZE = 4096
LIST_LIMIT = 100000             # nodes before a list walk gives up (a torn list)
OBJ_ONEMAPPING = 0x1            # kernel/vm/vm_object.h
OBJ_SHM = 0x2
OBJ_BOOTFS = 0x4
PG_FLAGS = [(0x0001, 'BUSY'), (0x0002, 'DIRTY'), (0x0004, 'REFERENCED'),
            (0x0008, 'RESERVED'), (0x0010, 'SLAB'), (0x0020, 'KMEM_LARGE'),
            (0x0040, 'WANTED'), (0x0080, 'READAHEAD')]          # kernel/vm/vm_page.h
QUEUES = {0: 'none', 1: 'free', 2: 'active', 3: 'inactive'}
SWB_PAGES = 16                  # kernel/vm/swap_pager.c
SLOT_NONE = 0xffffffff
SLOT_UNREADABLE = 0x80000000
INHERIT = {0: 'share', 1: 'copy', 2: 'none'}
STATE = {'P_UNUSED': 'unused', 'P_EMBRYO': 'embryo', 'P_RUNNABLE': 'runnable',
         'P_RUNNING': 'running', 'P_SLEEPING': 'sleeping', 'P_ZOMBIE': 'zombie'}


# ------------------------------------------------------------ small helpers

def addr(v):
    """A pointer (or an address as an int) as an int."""
    return int(v) if isinstance(v, int) else int(v.cast(gdb.lookup_type('unsigned long')))


def ptr(address, type_name):
    """address as a `type_name *`."""
    return gdb.Value(address).cast(gdb.lookup_type(type_name).pointer())


def offset_of(type_name, member):
    for f in gdb.lookup_type(type_name).strip_typedefs().fields():
        if f.name == member:
            return f.bitpos // 8
    raise gdb.GdbError('%s has no member %s' % (type_name, member))


def list_items(lst, type_name, member):
    """The structs on a kernel list (struct list), as `type_name *`."""
    head = addr(lst['head'].address)
    off = offset_of(type_name, member)
    node = lst['head']['next']
    for _ in range(LIST_LIMIT):
        if addr(node) in (head, 0):
            return
        yield ptr(addr(node) - off, type_name)
        node = node['next']
    print('(list at %#x: stopped after %d nodes)' % (head, LIST_LIMIT))


def cstr(array):
    """A char array or char * as a Python string."""
    try:
        return array.string(errors='replace')
    except gdb.error:
        return '?'


def prot_str(p):
    p = int(p)
    return ('r' if p & 1 else '-') + ('w' if p & 2 else '-') + ('x' if p & 4 else '-')


def page_flags(flags):
    names = [n for bit, n in PG_FLAGS if int(flags) & bit]
    return '|'.join(names) or '-'


def plural(n, word, words=None):
    return '%d %s' % (n, word if n == 1 else words or word + 's')


def symbol_at(address):
    """'name+off' for an address in the kernel image, else its hex."""
    if address >= 0xffffffff80000000:
        try:
            text = gdb.execute('info symbol %#x' % address, to_string=True).split(' in section')[0]
            if 'No symbol' not in text:
                return text.strip().replace(' + ', '+')
        except gdb.error:
            pass
    return '%#x' % address


def global_value(name):
    try:
        return gdb.parse_and_eval(name)
    except gdb.error as e:
        raise gdb.GdbError('vmos: cannot read %s (%s): is build/kernel.elf loaded?' % (name, e))


# --------------------------------------------------------------- processes

def all_procs():
    return list(list_items(global_value('allproc'), 'struct proc', 'allproc_link'))


def current_proc():
    """The process on the CPU gdb looks at: QEMU's gdb stub shows each CPU
    as a thread, numbered from 1, and cpus[] is indexed from 0."""
    thread = gdb.selected_thread()
    cpu = thread.num - 1 if thread is not None else 0
    p = global_value('cpus')[cpu]['proc']
    return p if addr(p) else None


def find_proc(arg):
    """The struct proc * named by a command's argument (a pid; none or 0:
    the running process)."""
    text = arg.strip()
    pid = int(gdb.parse_and_eval(text)) if text else 0
    if pid == 0:
        p = current_proc()
        if p is None:
            raise gdb.GdbError('vmos: no process is running on the CPU (give a pid)')
        return p
    for p in all_procs():
        if int(p['pid']) == pid:
            return p
    raise gdb.GdbError('vmos: no process %d' % pid)


def proc_title(p):
    return 'pid %d (%s)' % (int(p['pid']), cstr(p['name']))


def wchan_name(wchan, by_addr):
    """What a sleeper waits on: a process (wait4 sleeps on the parent's
    struct proc), a kernel variable, or an address."""
    if wchan in by_addr:
        return 'proc %d' % by_addr[wchan]
    return symbol_at(wchan)


class VmosPs(gdb.Command):
    """List every process: vmos-ps

PID, parent's pid, uid, state, name, the struct proc and its vmspace, the
number of map entries, and the channel a sleeping process waits on.  The
process running on the CPU is marked with *."""

    def __init__(self):
        super().__init__('vmos-ps', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cur = current_proc()
        procs = all_procs()
        by_addr = {addr(p): int(p['pid']) for p in procs}
        print('  %5s %5s %5s %-9s %-16s %-18s %-18s %7s %s' % (
            'PID', 'PPID', 'UID', 'STATE', 'NAME', 'PROC', 'VMSPACE', 'ENTRIES', 'WCHAN'))
        for p in procs:
            parent = p['parent']
            vs = p['vmspace']
            entries = int(vs['map']['nentries']) if addr(vs) else 0
            state = STATE.get(str(p['state']), str(p['state']))
            wchan = addr(p['wchan'])
            print('%s %5d %5d %5d %-9s %-16s %#-18x %#-18x %7d %s' % (
                '*' if cur is not None and addr(p) == addr(cur) else ' ',
                int(p['pid']), int(parent['pid']) if addr(parent) else 0, int(p['uid']),
                state, cstr(p['name']), addr(p), addr(vs), entries,
                wchan_name(wchan, by_addr) if wchan and state == 'sleeping' else '-'))


# ----------------------------------------------------------------- objects

def swap_blocks(obj):
    """The swap pager's blocks of obj (struct swblk *), if it has any."""
    pager = obj['pager']
    if not addr(pager) or cstr(pager['name']) != 'swap' or not addr(obj['pager_data']):
        return []
    so = ptr(addr(obj['pager_data']), 'struct swap_obj')
    return list(list_items(so['blocks'], 'struct swblk', 'link'))


def swapped_pages(obj):
    pager = obj['pager']
    if not addr(pager) or cstr(pager['name']) != 'swap' or not addr(obj['pager_data']):
        return 0
    return int(ptr(addr(obj['pager_data']), 'struct swap_obj')['nslots'])


def object_type(obj):
    if int(obj['flags']) & OBJ_SHM:
        return 'shm'
    if int(obj['flags']) & OBJ_BOOTFS:
        return 'bootfs'
    return 'swap' if swapped_pages(obj) else 'anon'


def object_depth(obj):
    depth, b = 0, obj['backing_object']
    while addr(b) and depth < LIST_LIMIT:
        depth += 1
        b = b['backing_object']
    return depth


def object_summary(obj):
    return '#%d %#x %s %dp res %d swp %d ref %d shd %d d%d' % (
        int(obj['id']), addr(obj), object_type(obj), int(obj['size']),
        int(obj['resident_count']), swapped_pages(obj), int(obj['ref_count']),
        int(obj['shadow_count']), object_depth(obj))


def chain(obj):
    """obj and its backing objects, first to last."""
    out = []
    while addr(obj) and len(out) < LIST_LIMIT:
        out.append(obj)
        obj = obj['backing_object']
    return out


def map_entries(vs):
    return list(list_items(vs['map']['entries'], 'struct vm_map_entry', 'link'))


def find_object(arg):
    """OBJ for vmos-object: #ID (searched in every process's chains) or an
    address expression."""
    text = arg.strip()
    if not text:
        raise gdb.GdbError('usage: vmos-object ADDRESS | #ID')
    if not text.startswith('#'):
        return ptr(addr(gdb.parse_and_eval(text)), 'struct vm_object')
    want = int(text[1:])
    for p in all_procs():
        vs = p['vmspace']
        if not addr(vs):
            continue
        for e in map_entries(vs):
            for obj in chain(e['object']):
                if int(obj['id']) == want:
                    return obj
    for obj in shm_objects_vm():
        if int(obj['id']) == want:
            return obj
    raise gdb.GdbError('vmos: no map or shm reaches object #%d' % want)


def pv_count(page):
    n, pv = 0, page['pv_list']
    while addr(pv) and n < LIST_LIMIT:
        n += 1
        pv = pv['next']
    return n


class VmosObject(gdb.Command):
    """Show one VM object: vmos-object ADDRESS | #ID

Its id, size, references, shadows and flags; its backing object and the
objects that shadow it; every resident page (page index, the struct
vm_page, the physical address, the paging queue, flags, wire count and how
many mappings the reverse map holds); and every swap slot it holds.  #ID
finds the object by the id vmmap and vmos-map show."""

    def __init__(self):
        super().__init__('vmos-object', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        obj = find_object(arg)
        flags = int(obj['flags'])
        names = [n for bit, n in ((OBJ_ONEMAPPING, 'ONEMAPPING'), (OBJ_SHM, 'SHM'),
                                          (OBJ_BOOTFS, 'BOOTFS')) if flags & bit]
        print('object #%d at %#x: %s, %s, ref %d, shadows %d, depth %d, flags %s, '
              'paging %d' % (int(obj['id']), addr(obj), object_type(obj),
                             plural(int(obj['size']), 'page'),
                             int(obj['ref_count']), int(obj['shadow_count']), object_depth(obj),
                             '|'.join(names) or '-', int(obj['paging_in_progress'])))
        b = obj['backing_object']
        print('  backing: %s' % ('#%d at %#x, offset %d pages' % (
            int(b['id']), addr(b), int(obj['backing_offset'])) if addr(b) else 'none'))
        shadows = list(list_items(obj['shadows'], 'struct vm_object', 'shadow_link'))
        print('  shadowed by: %s' % (', '.join('#%d at %#x' % (int(s['id']), addr(s))
                                               for s in shadows) or 'none'))
        self.pages(obj)
        self.slots(obj)

    @staticmethod
    def pages(obj):
        base = addr(global_value('vm_page_array'))
        size = gdb.lookup_type('struct vm_page').sizeof
        pages = sorted(list_items(obj['memq'], 'struct vm_page', 'listq'),
                       key=lambda m: int(m['pindex']))
        print('  resident pages: %d' % len(pages))
        for m in pages:
            phys = (addr(m) - base) // size * PAGE_SIZE
            print('    pindex %-6d page %#x phys %#x %-8s %s wired %d mapped %d' % (
                int(m['pindex']), addr(m), phys, QUEUES.get(int(m['queue']), '?'),
                page_flags(m['flags']), int(m['wire_count']), pv_count(m)))

    @staticmethod
    def slots(obj):
        slots = []
        for b in swap_blocks(obj):
            for i in range(SWB_PAGES):
                v = int(b['slots'][i])
                if v != SLOT_NONE:
                    slots.append((int(b['base']) + i, v))
        print('  swap slots: %d' % len(slots))
        for pindex, v in sorted(slots):
            print('    pindex %-6d slot %d%s' % (pindex, v & ~SLOT_UNREADABLE,
                                               ' (unreadable)' if v & SLOT_UNREADABLE else ''))


# --------------------------------------------------------------------- maps

class VmosMap(gdb.Command):
    """Show a process's map: vmos-map [PID]

One line per map entry: its range, protection and maximum protection,
inheritance, needs_copy, and the chain of VM objects behind it, first
object first (">" leads to the object it shadows).  Each object: #id, its
address (for vmos-object), type (anon, swap: with pages on swap, shm, bootfs: a boot file's pages),
size in pages, resident pages, pages on swap, references, shadows, and
shadow depth (d0: it shadows nothing).  "-" is a private mapping nobody
has touched yet.  No PID: the running process."""

    def __init__(self):
        super().__init__('vmos-map', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        p = find_proc(arg)
        vs = p['vmspace']
        if not addr(vs):
            print('%s: no address space (a kernel thread, or exiting)' % proc_title(p))
            return
        m = vs['map']
        print('%s: vmspace %#x, %s, %d KiB mapped, heap %#x..%#x' % (
            proc_title(p), addr(vs), plural(int(m['nentries']), 'entry', 'entries'),
            int(m['size']) // 1024,
            int(vs['heap_start']), int(vs['brk'])))
        print('  %12s %12s PRT MAX %-5s NC CHAIN' % ('START', 'END', 'INH'))
        for e in map_entries(vs):
            objs = chain(e['object'])
            print('  %12x %12x %s %s %-5s %s %s' % (
                int(e['start']), int(e['end']), prot_str(e['prot']), prot_str(e['max_prot']),
                INHERIT.get(int(e['inheritance']), '?'), 'nc' if bool(e['needs_copy']) else '- ',
                ' > '.join(object_summary(o) for o in objs) if objs else '-'))


# -------------------------------------------------------------------- files

def open_mode(flags):
    f = int(flags)
    mode = {0: 'O_RDONLY', 1: 'O_WRONLY', 2: 'O_RDWR'}.get(f & 3, '?')
    extra = [n for bit, n in ((0o4000, 'O_NONBLOCK'), (0o2000, 'O_APPEND')) if f & bit]
    return '|'.join([mode] + extra)


def shm_detail(fp):
    shm = ptr(addr(fp['data']), 'struct shm')
    path = cstr(shm['path']) if addr(shm['path']) else '(no name)'
    obj = shm['object']
    return '%s, %d bytes, object #%d at %#x' % (path, int(shm['size']), int(obj['id']), addr(obj))


class VmosFiles(gdb.Command):
    """Show a process's descriptors: vmos-files [PID]

For each open descriptor: the struct file, its type (the name of its
file_ops), references, references held by SCM_RIGHTS messages in flight,
the open flags, the offset and close-on-exec; for shm, the name (or none),
the size and the VM object.  No PID: the running process."""

    def __init__(self):
        super().__init__('vmos-files', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        p = find_proc(arg)
        fdt = p['fdtable']
        if not addr(fdt):
            print('%s: no descriptor table' % proc_title(p))
            return
        fdt = ptr(addr(fdt), 'struct fdtable')
        files = fdt['files']
        n = files.type.range()[1] + 1
        open_fds = [fd for fd in range(n) if addr(files[fd])]
        print('%s: cwd %s, %s' % (proc_title(p), cstr(fdt['cwd']),
                                  plural(len(open_fds), 'descriptor')))
        print('  %3s %-18s %-18s %4s %4s %-20s %6s %s' % (
            'FD', 'FILE', 'TYPE', 'REFS', 'MSGS', 'FLAGS', 'OFFSET', 'CLOEXEC/DETAIL'))
        for fd in open_fds:
            fp = files[fd]
            kind = cstr(fp['ops']['name'])
            detail = shm_detail(fp) if kind == 'shm' else ''
            print('  %3d %#-18x %-18s %4d %4d %-20s %6d %s%s' % (
                fd, addr(fp), kind, int(fp['refcount']), int(fp['msgcount']),
                open_mode(fp['flags']), int(fp['offset']),
                'cloexec ' if int(fdt['cloexec'][fd]) else '', detail))


# ---------------------------------------------------------------------- shm

def shm_all():
    """Every named struct shm *, in hash-table order."""
    table = global_value('shm_table')
    out = []
    for b in range(table.type.range()[1] + 1):
        s = table[b]
        while addr(s) and len(out) < LIST_LIMIT:
            out.append(s)
            s = s['hnext']
    return out


def shm_objects_vm():
    return [s['object'] for s in shm_all()]


class VmosShm(gdb.Command):
    """Show the shm name space: vmos-shm

Every name in the hash table (kernel/ipc/uipc_shm.c) with its struct shm,
its references (1 for the name + 1 per open file), size, mode, owner, the
hash bucket, and its VM object (id, address, references, resident and
swapped pages)."""

    def __init__(self):
        super().__init__('vmos-shm', gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        names = shm_all()
        nbuckets = global_value('shm_table').type.range()[1] + 1
        print('shm name space: %s' % plural(len(names), 'name'))
        print('  %-24s %-18s %4s %8s %4s %5s %5s %6s OBJECT' % (
            'PATH', 'SHM', 'REFS', 'SIZE', 'MODE', 'UID', 'GID', 'BUCKET'))
        for s in names:
            obj = s['object']
            print('  %-24s %#-18x %4d %8d %04o %5d %5d %6d #%d %#x ref %d, %d resident, %d on swap'
                  % (cstr(s['path']), addr(s), int(s['refs']), int(s['size']), int(s['mode']),
                     int(s['uid']), int(s['gid']), int(s['hash']) & (nbuckets - 1), int(obj['id']),
                     addr(obj), int(obj['ref_count']), int(obj['resident_count']),
                     swapped_pages(obj)))


VmosPs()
VmosMap()
VmosObject()
VmosFiles()
VmosShm()
