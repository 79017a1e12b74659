/*
 * vm_mmap.c - mmap, munmap, mprotect and brk (see vm_mmap.h).
 *
 * mmap follows the order of the kernel's syscall convention: check every
 * argument (EINVAL), then find the object to map and check the descriptor's
 * access (EBADF, EACCES, whatever the file type's mmap answers), then take
 * the map lock, choose the address (ENOMEM, EEXIST), remove what MAP_FIXED
 * replaces, and insert the entry.  What gets mapped:
 *
 *   MAP_PRIVATE|MAP_ANONYMOUS  an entry with no object: the first fault
 *                              makes a zero-fill object sized to the entry;
 *                              fork copies it copy-on-write.
 *   MAP_SHARED|MAP_ANONYMOUS   a zero-fill object made now, so that fork
 *                              shares it (inheritance share).
 *   MAP_SHARED, descriptor     the object the file's mmap op hands back;
 *                              writes go to it.  Without write access to
 *                              the file, PROT_WRITE is refused (EACCES) and
 *                              is not in max_prot, so mprotect cannot add it.
 *   MAP_PRIVATE, descriptor    the same object, needs_copy: a copy-on-write
 *                              snapshot (a shadow object goes in front of
 *                              it at the first write), writable even from a
 *                              read-only descriptor.
 *
 * Every file mapping needs a descriptor open for reading, as in Linux.
 *
 * mlockall keeps a process's memory in RAM: its pmap is marked locked and
 * the pageout daemon passes over any page a locked pmap maps.  With
 * MCL_CURRENT every page the process holds but does not map -- on swap, or
 * unmapped by the daemon and not yet freed -- is faulted back first (a
 * page that was never touched holds no data and stays untouched: the 8 MiB
 * stack is not filled in).  Only the superuser may, as in FreeBSD, so that
 * nobody else can pin memory the rest of the system needs.  Locks are not
 * inherited by fork and end at exec (a new pmap), as POSIX says.  The test
 * runner locks itself so that paging tests do not move its own pages.
 *
 * Limits (uapi/resource.h): a mapping or a bigger break that would take
 * the address space past RLIMIT_AS fails with ENOMEM (what MAP_FIXED
 * replaces does not count twice), and a break past RLIMIT_DATA bytes from
 * the start of the data segment stays where it was.  A map also holds at
 * most VM_MAP_ENTRIES_MAX entries (Linux's vm.max_map_count):
 * each costs kernel memory, and mprotect on every other page of a huge
 * mapping would otherwise let a user fill the kernel heap with them.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/rlimit.h"
#include "arch/x86_64/vmparam.h"
#include "vm/vm_mmap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_fault.h"
#include "arch/x86_64/pmap.h"
#include "uapi/mman.h"
#include "uapi/fcntl.h"

#define MMAP_KNOWN_FLAGS (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
	MAP_NORESERVE | MAP_POPULATE | MAP_FIXED_NOREPLACE)

/* What a new mapping will map, and how. */
struct mmap_target {
	struct vm_object *object;       /* one reference, or NULL */
	uint64_t offset;
	int max_prot;
	int inheritance;
	bool needs_copy;
	bool writer_held;               /* fo_mmap counted a writable mapping for us */
};

static struct vmspace *cur_vmspace(void)
{
	struct proc *p = curproc();
	return p ? p->vmspace : NULL;
}

static int mmap_check_args(uint64_t addr, uint64_t len, int prot, int flags, int64_t off)
{
	int type = flags & MAP_TYPE;
	if (len == 0 || (flags & ~MMAP_KNOWN_FLAGS) || (prot & ~VM_PROT_ALL))
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE)
		return -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & PAGE_MASK))
		return -EINVAL;
	if (off < 0 || (off & PAGE_MASK))
		return -EINVAL;
	return 0;
}

static int mmap_anon_target(uint64_t npages, int flags, struct mmap_target *t)
{
	t->max_prot = VM_PROT_ALL;
	t->offset = 0;
	t->needs_copy = false;
	if ((flags & MAP_TYPE) == MAP_PRIVATE) {
		t->object = NULL;
		t->inheritance = VM_INHERIT_COPY;
		return 0;
	}
	t->object = vm_object_allocate_anon(npages);
	t->inheritance = VM_INHERIT_SHARE;
	return t->object ? 0 : -ENOMEM;
}

/* Access checks a descriptor must pass before its object is mapped. */
static int mmap_file_access(struct file *fp, int prot, int flags)
{
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) && !file_writable(fp))
		return -EACCES;
	if (!file_readable(fp))
		return -EACCES;
	return 0;
}

/*
 * The file-backed case: get the object from descriptor fd through the
 * file's mmap op (kern/file.h).  On success t->object holds a reference.
 */
static int mmap_file_target(int fd, uint64_t off, uint64_t len, int prot, int flags,
    struct mmap_target *t)
{
	struct file *fp;
	int err = fd_get(fd, &fp);
	if (err)
		return err;
	err = mmap_file_access(fp, prot, flags);
	bool shared = (flags & MAP_TYPE) == MAP_SHARED;
	t->max_prot = VM_PROT_ALL;
	if (shared && !file_writable(fp))
		t->max_prot &= ~PROT_WRITE;
	if (err == 0)
		err = fp->ops->mmap(fp, off, len, prot, flags, &t->max_prot, &t->object);
	if (err == 0) {
		t->offset = off;
		t->needs_copy = !shared;
		t->inheritance = shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
		t->writer_held = shared && (t->max_prot & PROT_WRITE);
	}
	file_release(fp);
	return err;
}

/* Choose where the mapping goes.  Map locked. */
static int mmap_place(struct vm_map *map, uint64_t addr, uint64_t len, int flags, uint64_t *out)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr < USER_MIN)
			return -EINVAL;
		if (addr >= USER_MAX || len > USER_MAX - addr)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !vm_map_range_free(map, addr, addr + len))
			return -EEXIST;
		*out = addr;
		return 0;
	}
	addr = page_trunc(addr);
	if (addr >= VM_MMAP_MIN && addr < USER_MAX && len <= USER_MAX - addr &&
	    vm_map_range_free(map, addr, addr + len)) {
		*out = addr;            /* the hint is free: take it */
		return 0;
	}
	return vm_map_findspace(map, len, out);
}

/* Would the map grow past RLIMIT_AS if [addr, addr + len) were mapped?  Map locked. */
static bool mmap_exceeds_as(struct vm_map *map, uint64_t addr, uint64_t len)
{
	struct proc *p = curproc();
	if (p == NULL)
		return false;
	uint64_t limit = rlimit_cur(p, RLIMIT_AS);
	uint64_t after = map->size - vm_map_bytes_mapped(map, addr, addr + len) + len;
	return after > limit;
}

static int mmap_install(struct vmspace *vs, uint64_t *addrp, uint64_t len, int prot, int flags,
    struct mmap_target *t)
{
	struct vm_map *map = &vs->map;
	vm_map_lock(map);
	int err = mmap_place(map, *addrp, len, flags, addrp);
	if (err == 0 && mmap_exceeds_as(map, *addrp, len))
		err = -ENOMEM;
	if (err == 0 && (flags & MAP_FIXED))
		err = vm_map_delete(map, *addrp, *addrp + len);
	if (err == 0)
		err = vm_map_insert(map, *addrp, *addrp + len, t->object, t->offset, prot,
		    t->max_prot, t->inheritance, t->needs_copy);
	vm_map_unlock(map);
	return err;
}

static void mmap_populate(struct vmspace *vs, uint64_t addr, uint64_t len, int prot)
{
	int type = (prot & PROT_WRITE) ? VM_FAULT_WRITE : VM_FAULT_READ;
	for (uint64_t va = addr; va < addr + len; va += PAGE_SIZE)
		if (vm_fault(vs, va, type) != VM_FAULT_OK)
			return;
}

long vm_mmap(struct vmspace *vs, uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off)
{
	struct mmap_target t = { 0 };
	bool anon = flags & MAP_ANONYMOUS;
	int err = mmap_check_args(addr, len, prot, flags, off);
	if (err == 0 && !anon)
		err = mmap_file_target(fd, off, len, prot, flags, &t);  /* EACCES before sizes */
	if (err)
		return err;
	uint64_t size = page_round(len);
	if (size < len || size > USER_MAX)
		err = -ENOMEM;
	else if (!anon && (uint64_t)off + size < (uint64_t)off)
		err = -EOVERFLOW;
	else if (anon)
		err = mmap_anon_target(size >> PAGE_SHIFT, flags, &t);
	if (err == 0)
		err = mmap_install(vs, &addr, size, prot, flags, &t);
	if (t.writer_held)                      /* the entry counts its own now */
		vm_object_count_writers(t.object, -1);
	if (err) {
		if (t.object != NULL)
			vm_object_deallocate(t.object);
		return err;
	}
	if (flags & MAP_POPULATE)
		mmap_populate(vs, addr, size, prot);
	return (long)addr;
}

long vm_munmap(struct vmspace *vs, uint64_t addr, uint64_t len)
{
	uint64_t size = page_round(len);
	if ((addr & PAGE_MASK) || len == 0 || size < len || addr >= USER_MAX || size > USER_MAX - addr)
		return -EINVAL;
	vm_map_lock(&vs->map);
	int err = vm_map_delete(&vs->map, addr, addr + size);
	vm_map_unlock(&vs->map);
	return err;
}

long vm_mprotect(struct vmspace *vs, uint64_t addr, uint64_t len, int prot)
{
	uint64_t size = page_round(len);
	if ((addr & PAGE_MASK) || (prot & ~VM_PROT_ALL))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (size < len || addr >= USER_MAX || size > USER_MAX - addr)
		return -ENOMEM;
	vm_map_lock(&vs->map);
	int err = vm_map_protect(&vs->map, addr, addr + size, prot);
	vm_map_unlock(&vs->map);
	return err;
}

/* Move the break's page-rounded end from old_end to new_end.  Map locked. */
static int brk_resize(struct vm_map *map, uint64_t old_end, uint64_t new_end)
{
	if (new_end < old_end)
		return vm_map_delete(map, new_end, old_end);
	if (new_end == old_end)
		return 0;
	if (!vm_map_range_free(map, old_end, new_end) || mmap_exceeds_as(map, old_end, new_end - old_end))
		return -ENOMEM;
	return vm_map_insert(map, old_end, new_end, NULL, 0, PROT_READ | PROT_WRITE, VM_PROT_ALL,
	    VM_INHERIT_COPY, false);
}

/*
 * Linux brk: set the break to addr and return it; on any failure (below the
 * heap start, no room, no memory) leave it and return the current break.
 * brk(0) therefore reports the break.  Pages given back and taken again
 * come back zeroed (the heap's private pages are freed on shrink).
 */
/* Would a break at addr pass RLIMIT_DATA?  (Shrinking is always allowed.) */
static bool brk_exceeds_data(struct vmspace *vs, uint64_t addr)
{
	struct proc *p = curproc();
	return p != NULL && addr > vs->brk && addr - vs->data_start > rlimit_cur(p, RLIMIT_DATA);
}

long vm_brk(struct vmspace *vs, uint64_t addr)
{
	vm_map_lock(&vs->map);
	if (vs->heap_start != 0 && addr >= vs->heap_start && addr < USER_MAX &&
	    !brk_exceeds_data(vs, addr) &&
	    brk_resize(&vs->map, page_round(vs->brk), page_round(addr)) == 0)
		vs->brk = addr;
	long ret = (long)vs->brk;
	vm_map_unlock(&vs->map);
	return ret;
}

/*
 * Map every page of [start, end) that the object chain holds and the pmap
 * does not map: pages on swap, and pages still in memory that the pageout
 * daemon already unmapped on its way to freeing them.  The daemon passes
 * over what a locked pmap maps, so what is mapped now stays.
 */
static void mlock_fault_in(struct vmspace *vs, uint64_t start, uint64_t end)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		if (pmap_extract(vmspace_pmap(vs), va) == 0 && vm_fault_page_exists(vs, va))
			(void)vm_fault(vs, va, VM_FAULT_READ);
}

long sys_mlockall(int flags)
{
	struct proc *p = curproc();
	if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE)))
		return -EINVAL;
	if (p->euid != 0)
		return -EPERM;
	struct vmspace *vs = p->vmspace;
	pmap_set_locked(vmspace_pmap(vs), true);
	if (!(flags & MCL_CURRENT))
		return 0;
	/* Each entry's range, read under the map lock, faulted outside it. */
	uint64_t va = 0;
	for (;;) {
		uint64_t start, end;
		vm_map_lock(&vs->map);
		bool more = vm_map_next_range(&vs->map, va, &start, &end);
		vm_map_unlock(&vs->map);
		if (!more)
			return 0;
		mlock_fault_in(vs, start, end);
		va = end;
	}
}

long sys_munlockall(void)
{
	pmap_set_locked(vmspace_pmap(curproc()->vmspace), false);
	return 0;
}

long sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, int64_t off)
{
	struct vmspace *vs = cur_vmspace();
	return vs ? vm_mmap(vs, addr, len, prot, flags, fd, off) : -ENOMEM;
}

long sys_munmap(uint64_t addr, uint64_t len)
{
	struct vmspace *vs = cur_vmspace();
	return vs ? vm_munmap(vs, addr, len) : -EINVAL;
}

long sys_mprotect(uint64_t addr, uint64_t len, int prot)
{
	struct vmspace *vs = cur_vmspace();
	return vs ? vm_mprotect(vs, addr, len, prot) : -ENOMEM;
}

long sys_brk(uint64_t addr)
{
	struct vmspace *vs = cur_vmspace();
	return vs ? vm_brk(vs, addr) : 0;
}
