/*
 * vm_oom_test.c - self-tests of the VM running out of memory.
 *
 * Every allocation in the VM can fail, and each failure must leave the
 * address spaces as they were (or changed harmlessly) and leak nothing.
 * These tests do not aim at one allocation: they take every free page
 * and every free slot of the kernel heap's slabs, give back `leave`
 * pages, run the operation, and try again with one page more, from none
 * up to enough for it to work -- so each allocation on the way fails in
 * turn.
 * Each attempt sets up its own address spaces (with memory to spare),
 * checks the outcome -- success, or the documented failure and an
 * address space that still works once memory is back -- tears everything
 * down, and compares the resource counters with the start.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/selftest.h"
#include "vm/vm_map.h"
#include "vm/vm_fault.h"
#include "vm/vm_mmap.h"
#include "vm/vm_map_info.h"
#include "vm/vm_pageout.h"
#include "vm/vm_test_util.h"
#include "uapi/mman.h"

#define BASE      0x400000ul
#define MAX_LEAVE 48            /* every operation below works with this many free pages */

/* Pages and heap blocks taken out of circulation, each chained through
 * its own first word. */
static struct vm_page *hog;
static void *heap_hog;

static void hog_pages(uint64_t leave)
{
	while (vm_page_free_count() > leave) {
		struct vm_page *m = vm_page_alloc(0);
		if (m == NULL)
			break;
		*(struct vm_page **)vm_page_to_dmap(m) = hog;
		hog = m;
	}
}

static void unhog_pages(uint64_t n)
{
	for (; hog != NULL && n > 0; n--) {
		struct vm_page *next = *(struct vm_page **)vm_page_to_dmap(hog);
		vm_page_free(hog);
		hog = next;
	}
}

/* Leave exactly `leave` free pages and no free slot in any slab. */
static void hog_take(uint64_t leave)
{
	static const size_t sizes[] = { 8, 24, 56, 120, 248, 504, 1016, 2000 };
	hog_pages(0);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p;
		while ((p = kmalloc(sizes[i], 0)) != NULL) {
			*(void **)p = heap_hog;
			heap_hog = p;
		}
	}
	unhog_pages(leave);
}

static void hog_free(void)
{
	while (heap_hog != NULL) {
		void *next = *(void **)heap_hog;
		kfree(heap_hog);
		heap_hog = next;
	}
	unhog_pages(~0ul);
}

/* A space with a written private page at BASE and a shared anonymous
 * entry (no object yet) at BASE + 16 pages. */
static struct vmspace *space_with_two_entries(void)
{
	struct vmspace *vs = vmspace_alloc();
	int v = 42;
	if (vs == NULL || vm_map_anon_fixed(vs, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE) != 0 ||
	    vmspace_copyout(vs, BASE, &v, sizeof(v)) != 0)
		return NULL;
	vm_map_lock(&vs->map);
	int err = vm_map_insert(&vs->map, BASE + 16 * PAGE_SIZE, BASE + 18 * PAGE_SIZE, NULL, 0,
	    PROT_READ | PROT_WRITE, VM_PROT_ALL, VM_INHERIT_SHARE, false);
	vm_map_unlock(&vs->map);
	return err == 0 ? vs : NULL;
}

/* One attempt of each operation with `leave` free pages: 1 if it worked,
 * 0 if it failed cleanly, -1 (after selftest_fail) if it went wrong. */

static int try_vmspace_alloc(uint64_t leave)
{
	hog_take(leave);
	struct vmspace *vs = vmspace_alloc();
	hog_free();
	vmspace_free(vs);
	return vs != NULL;
}

static int try_fork(uint64_t leave)
{
	struct vmspace *p = space_with_two_entries();
	KTEST_ASSERT(p != NULL, "setup");
	hog_take(leave);
	struct vmspace *c = vmspace_fork(p);
	hog_free();
	KTEST_ASSERT(vm_test_get32(p, BASE) == 42, "parent lost its page (fork %s)", c ? "worked" : "failed");
	int v = 7;
	KTEST_ASSERT(vmspace_copyout(p, BASE, &v, sizeof(v)) == 0, "parent cannot write after fork");
	if (c != NULL) {
		KTEST_ASSERT(vm_test_get32(c, BASE) == 42, "child sees %d", vm_test_get32(c, BASE));
		vmspace_free(c);
	}
	vmspace_free(p);
	return c != NULL;
}

static int try_fault(uint64_t leave, bool after_fork)
{
	struct vmspace *p = space_with_two_entries();
	struct vmspace *c = p && after_fork ? vmspace_fork(p) : NULL;
	KTEST_ASSERT(p != NULL && (c != NULL || !after_fork), "setup");
	struct vmspace *vs = after_fork ? c : p;
	uint64_t va = after_fork ? BASE : BASE + 2 * PAGE_SIZE;     /* copy, or zero-fill */
	hog_take(leave);
	enum vm_fault_result r = vm_fault(vs, va, VM_FAULT_WRITE);
	enum vm_fault_result r2 = vm_fault(vs, BASE + 17 * PAGE_SIZE, VM_FAULT_WRITE);
	hog_free();
	KTEST_ASSERT(r == VM_FAULT_OK || r == VM_FAULT_OOM, "fault answered %s",
	    vm_fault_result_name(r));
	KTEST_ASSERT(r2 == VM_FAULT_OK || r2 == VM_FAULT_OOM, "shared fault answered %s",
	    vm_fault_result_name(r2));
	int v = 9;
	KTEST_ASSERT(vmspace_copyout(vs, va, &v, sizeof(v)) == 0 && vm_test_get32(vs, va) == 9,
	    "no write after memory came back");
	KTEST_ASSERT(vm_test_get32(p, BASE) == 42, "parent's page changed");
	if (c != NULL)
		vmspace_free(c);
	vmspace_free(p);
	return r == VM_FAULT_OK && r2 == VM_FAULT_OK;
}

static int try_unmap_middle(uint64_t leave)
{
	struct vmspace *vs = space_with_two_entries();
	KTEST_ASSERT(vs != NULL, "setup");
	uint64_t n = vs->map.nentries;
	hog_take(leave);
	long r = vm_munmap(vs, BASE + PAGE_SIZE, PAGE_SIZE);
	hog_free();
	KTEST_ASSERT(r == 0 || r == -ENOMEM, "munmap answered %ld", r);
	KTEST_ASSERT(r != 0 || vs->map.nentries == n + 1, "entries %lu after a middle unmap",
	    vs->map.nentries);
	KTEST_ASSERT(vm_test_get32(vs, BASE) == 42, "first page lost");
	vmspace_free(vs);
	return r == 0;
}

static int try_mmap(uint64_t leave)
{
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs != NULL, "setup");
	hog_take(leave);
	long a = vm_mmap(vs, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long b = vm_mmap(vs, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hog_free();
	KTEST_ASSERT(a > 0 || a == -ENOMEM, "shared mmap answered %ld", a);
	KTEST_ASSERT(b > 0 || b == -ENOMEM, "private mmap answered %ld", b);
	vmspace_free(vs);
	return a > 0 && b > 0;
}

/* A snapshot (kvmmap's) of a space with more objects than its first
 * arrays hold, so that growing them fails too. */
static int try_map_info(uint64_t leave)
{
	struct vmspace *vs = vmspace_alloc();
	struct vm_map_info info;
	KTEST_ASSERT(vs != NULL, "setup");
	for (int i = 0; i < 20; i++) {
		uint64_t va = BASE + 2 * i * PAGE_SIZE;
		KTEST_ASSERT(vm_map_anon_fixed(vs, va, PAGE_SIZE, PROT_READ) == 0 &&
		    vm_fault(vs, va, VM_FAULT_READ) == VM_FAULT_OK, "setup %d", i);
	}
	hog_take(leave);
	int r = vm_map_info_take(vs, &info);
	hog_free();
	KTEST_ASSERT(r == 0 || r == -ENOMEM, "snapshot answered %d", r);
	KTEST_ASSERT(r != 0 || (info.nentries == 20 && info.nobjects == 20), "%d entries, %d objects",
	    info.nentries, info.nobjects);
	KTEST_ASSERT(r == 0 || (info.entries == NULL && info.objects == NULL), "kept a failed snapshot");
	vm_map_info_free(&info);
	vmspace_free(vs);
	return r == 0;
}

static int try_op(int op, uint64_t leave)
{
	switch (op) {
	case 0: return try_vmspace_alloc(leave);
	case 1: return try_fork(leave);
	case 2: return try_fault(leave, false);
	case 3: return try_fault(leave, true);
	case 4: return try_unmap_middle(leave);
	case 5: return try_mmap(leave);
	default: return try_map_info(leave);
	}
}

static const char *const op_names[] = {
	"vmspace_alloc", "fork", "zero-fill fault", "copy-on-write fault", "munmap split", "mmap",
	"map snapshot",
};

int test_vm_out_of_memory_fails_cleanly_at_every_step(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	/* Counted from zero here: user pages may not dip into the kernel's
	 * reserve (vm_pageout.c), which would otherwise be the floor. */
	uint64_t reserved = vm_free_reserved;
	vm_free_reserved = 0;
	/* Keep MAX_LEAVE + spare pages for the setups; hold the rest throughout. */
	struct vm_page *outer;
	hog_pages(MAX_LEAVE + 256);
	outer = hog;
	hog = NULL;
	int failed = 0;
	for (int op = 0; op < (int)ARRAY_SIZE(op_names) && !failed; op++) {
		int worked = 0, failures = 0;
		for (uint64_t leave = 0; leave <= MAX_LEAVE && !worked; leave++) {
			int r = try_op(op, leave);
			if (r < 0) {
				failed = 1;
				break;
			}
			worked = r;
			failures += !r;
		}
		if (!failed && !worked)
			failed = selftest_fail(__func__, __LINE__, "%s failed even with %d free pages",
			    op_names[op], MAX_LEAVE);
		if (!failed && failures == 0)
			failed = selftest_fail(__func__, __LINE__, "%s never ran out of memory",
			    op_names[op]);
	}
	hog = outer;
	unhog_pages(~0ul);
	vm_free_reserved = reserved;
	if (failed)
		return -1;
	KTEST_NO_LEAK(&s);
	return 0;
}
