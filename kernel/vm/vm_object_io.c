/*
 * vm_object_io.c - an object's bytes from the kernel (see vm_object_io.h).
 *
 * Each page is reached through vm_fault_object_page, which finds it in
 * memory or reads it from the pager, wired so that the pageout daemon
 * leaves it alone while the bytes move; the copy then goes through the
 * direct map.  A write that finds nobody holding the page makes a zero
 * page and inserts it, as a zero-fill fault would.  No lock is held across
 * a copy: copyin and copyout may fault, and a fault may need this very
 * object (a program writing a file from a mapping of the same file).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/copyio.h"
#include "vm/vm_object_io.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_pager.h"
#include "vm/vm_fault.h"
#include "vm/vm_pageout.h"

/* A zero page for (obj, pindex), inserted and wired, unless someone else
 * has the page by now.  0, -EAGAIN (look again) or -ENOMEM. */
static int object_page_make(struct vm_object *obj, uint64_t pindex, struct vm_page **mp)
{
	struct vm_page *m = vm_page_alloc(VM_ALLOC_NORMAL | VM_ALLOC_ZERO);
	if (m == NULL)
		return vm_page_wait() ? -EAGAIN : -ENOMEM;
	int r = -EAGAIN;
	vm_object_lock(obj);
	if (pindex >= obj->size) {
		r = -EINVAL;
	} else if (vm_page_lookup(obj, pindex) == NULL && !vm_pager_has_page(obj, pindex)) {
		__atomic_fetch_or(&m->flags, PG_DIRTY, __ATOMIC_RELAXED);
		vm_page_insert(m, obj, pindex);
		vm_page_wire(m);
		*mp = m;
		r = 0;
	}
	vm_object_unlock(obj);
	if (r != 0)
		vm_page_free(m);
	return r;
}

/* The page at pindex, wired; with make, a zero page where there is none.
 * Without make, -ENOENT for a page nobody has. */
static int object_page(struct vm_object *obj, uint64_t pindex, bool make, struct vm_page **mp)
{
	for (;;) {
		int r = vm_fault_object_page(obj, pindex, mp);
		if (r != -ENOENT || !make)
			return r;
		r = object_page_make(obj, pindex, mp);
		if (r != -EAGAIN)
			return r;
	}
}

static long object_io(struct vm_object *obj, uint64_t off, void __user *ubuf, size_t n, bool write)
{
	static const char zeros[256];
	size_t done = 0;
	int r = 0;
	while (r == 0 && done < n) {
		uint64_t pos = off + done, in = pos & PAGE_MASK;
		size_t len = MIN(n - done, PAGE_SIZE - in);
		char __user *u = (char __user *)ubuf + done;
		struct vm_page *m;
		r = object_page(obj, pos >> PAGE_SHIFT, write, &m);
		if (r == -ENOENT) {             /* a read of a hole: zeros */
			r = 0;
			for (size_t z = 0; r == 0 && z < len; z += sizeof(zeros))
				r = copyout(zeros, u + z, MIN(len - z, sizeof(zeros)));
		} else if (r == 0) {
			char *k = (char *)vm_page_to_dmap(m) + in;
			r = write ? copyin(u, k, len) : copyout(k, u, len);
			if (r == 0 && write)
				vm_fault_page_dirtied(obj, m);
			vm_page_unwire(m);
		}
		if (r == 0)
			done += len;
	}
	return done > 0 ? (long)done : r;
}

long vm_object_read(struct vm_object *obj, uint64_t off, void __user *ubuf, size_t n)
{
	return object_io(obj, off, ubuf, n, false);
}

long vm_object_write(struct vm_object *obj, uint64_t off, const void __user *ubuf, size_t n)
{
	return object_io(obj, off, (void __user *)ubuf, n, true);
}

void vm_object_zero_tail(struct vm_object *obj, uint64_t bytes)
{
	uint64_t in = bytes & PAGE_MASK;
	struct vm_page *m;
	if (in == 0)
		return;
	if (vm_fault_object_page(obj, bytes >> PAGE_SHIFT, &m) != 0)
		return;         /* none, unreadable or no memory: a later touch says */
	memset((char *)vm_page_to_dmap(m) + in, 0, PAGE_SIZE - in);
	vm_fault_page_dirtied(obj, m);
	vm_page_unwire(m);
}
