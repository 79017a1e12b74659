/*
 * vm_pager_test.c - self-tests of paging in through a pager.
 *
 * The swap pager's suites page in from a real disk, where what happens
 * when depends on the pageout daemon.  A small pager made here makes the
 * fault handler's page-in cases happen exactly when the test says.  It
 * plays a backing store that "holds" pages 0..3 of its object, page i
 * filled with the byte 0x10 + i, except page 2, a bad block that reads with -EIO.  Its other
 * slots are left NULL on purpose, so the vm_pager_* wrappers' defaults
 * are what answers for them.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/selftest.h"
#include "vm/vm_map.h"
#include "vm/vm_fault.h"
#include "vm/vm_pager.h"
#include "vm/swap_space.h"
#include "vm/vm_test_util.h"
#include "uapi/mman.h"

#define BASE      0x400000ul
#define STORED    4             /* the store holds pages 0..STORED-1 */
#define BAD_BLOCK 2

static int store_reads;

static bool store_has_page(struct vm_object *obj __unused, uint64_t pindex)
{
	return pindex < STORED;
}

static int store_get_pages(struct vm_object *obj __unused, struct vm_page **ma, int count)
{
	for (int i = 0; i < count; i++) {
		store_reads++;
		if (ma[i]->pindex == BAD_BLOCK)
			return -EIO;
		memset(vm_page_to_dmap(ma[i]), 0x10 + (int)ma[i]->pindex, PAGE_SIZE);
	}
	return 0;
}

static const struct pager_ops store_pager_ops = {
	.name = "selftest store",
	.has_page = store_has_page,
	.get_pages = store_get_pages,
};

static int map_store(struct vmspace *vs, struct vm_object *obj, bool shared)
{
	vm_object_reference(obj);
	vm_map_lock(&vs->map);
	int err = vm_map_insert(&vs->map, BASE, BASE + 6 * PAGE_SIZE, obj, 0,
	    PROT_READ | PROT_WRITE, VM_PROT_ALL, shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY,
	    !shared);
	vm_map_unlock(&vs->map);
	if (err)
		vm_object_deallocate(obj);
	return err;
}

int test_vm_fault_pages_in_from_the_pager_and_reports_io_errors(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	struct vm_object *obj = vm_object_allocate(&store_pager_ops, 6);
	KTEST_ASSERT(vs && obj && map_store(vs, obj, true) == 0, "setup");
	uint64_t pageins = COUNTER_READ(pageins);
	store_reads = 0;

	/* Page 0 with read-ahead of 1..3 in one request: the bad block fails
	 * it, and the fault reads page 0 alone. */
	KTEST_ASSERT(vm_fault(vs, BASE, VM_FAULT_READ) == VM_FAULT_OK, "page-in of page 0");
	KTEST_ASSERT(vm_test_byte_at(vs, BASE + 100) == 0x10, "page 0 holds %#x", vm_test_byte_at(vs, BASE + 100));
	KTEST_ASSERT(COUNTER_READ(pageins) == pageins + 1, "page-ins %lu", COUNTER_READ(pageins) - pageins);
	KTEST_ASSERT(vm_page_lookup(obj, 1) == NULL && vm_page_lookup(obj, 3) == NULL,
	    "pages of the failed read-ahead kept");
	int reads = store_reads;
	KTEST_ASSERT(vm_fault(vs, BASE, VM_FAULT_WRITE) == VM_FAULT_OK, "write page 0");
	KTEST_ASSERT(store_reads == reads, "a resident page was read again");
	/* Page 3 alone: nothing follows it in the store. */
	KTEST_ASSERT(vm_test_byte_at(vs, BASE + 3 * PAGE_SIZE) == 0x13, "page 3");

	uint64_t free_before = kmem_free_and_heap_pages();
	KTEST_ASSERT(vm_fault(vs, BASE + BAD_BLOCK * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_IOERR,
	    "bad block not reported");
	KTEST_ASSERT(vm_page_lookup(obj, BAD_BLOCK) == NULL, "failed page left in the object");
	KTEST_ASSERT(kmem_free_and_heap_pages() == free_before, "failed page-in kept a page");
	KTEST_ASSERT(vm_fault(vs, BASE + 5 * PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_OK, "page 5");
	KTEST_ASSERT(vm_test_byte_at(vs, BASE + 5 * PAGE_SIZE) == 0, "page the store lacks not zero-filled");

	/* A private mapping pages in into the object it reads through, and a
	 * write then copies the paged-in page. */
	struct vmspace *pr = vmspace_alloc();
	KTEST_ASSERT(pr && map_store(pr, obj, false) == 0, "private map");
	KTEST_ASSERT(vm_test_byte_at(pr, BASE + 3 * PAGE_SIZE) == 0x13, "private read of page 3");
	KTEST_ASSERT(vm_page_lookup(obj, 3) != NULL, "page 3 not in the backing object");
	uint8_t w = 0x77;
	KTEST_ASSERT(vmspace_copyout(pr, BASE + PAGE_SIZE, &w, 1) == 0, "private write of page 1");
	KTEST_ASSERT(vm_test_byte_at(pr, BASE + PAGE_SIZE) == 0x77 && vm_test_byte_at(pr, BASE + PAGE_SIZE + 1) == 0x11,
	    "copy of the paged-in page");
	KTEST_ASSERT(vm_test_byte_at(vs, BASE + PAGE_SIZE) == 0x11, "private write reached the object");
	KTEST_ASSERT(vmspace_copyout(pr, BASE + BAD_BLOCK * PAGE_SIZE, &w, 1) == -EFAULT,
	    "I/O error under a private write not reported");

	/* The slots this pager leaves empty answer the wrappers' defaults:
	 * nowhere to put pages, nothing to free on a shrink or a collapse. */
	struct vm_page *m = vm_page_lookup(obj, 0);
	KTEST_ASSERT(m != NULL && vm_pager_put_pages(obj, &m, 1) == -ENODEV, "put_pages default");
	vm_object_set_size(obj, 5);                     /* shrink: page 5 goes */
	KTEST_ASSERT(vm_page_lookup(obj, 5) == NULL, "shrunk page kept");
	/* The shared side goes; the object is left to the private mapping's
	 * shadow alone and collapses into it, paged-in pages and all. */
	vmspace_free(vs);
	vm_object_deallocate(obj);
	KTEST_ASSERT(vm_test_byte_at(pr, BASE + 3 * PAGE_SIZE) == 0x13 && vm_test_byte_at(pr, BASE) == 0x10,
	    "pages lost in the collapse");
	KTEST_ASSERT(vm_test_byte_at(pr, BASE + PAGE_SIZE) == 0x77, "the private copy lost");
	vmspace_free(pr);
	KTEST_NO_LEAK(&s);
	return 0;
}

/* The anonymous pager has nothing to read and nowhere to write, and says so. */
int test_vm_anon_pager_refuses_page_in_and_out(void)
{
	struct vm_object *obj = vm_object_allocate_anon(1);
	struct vm_page *m = vm_page_alloc(VM_ALLOC_ZERO);
	KTEST_ASSERT(obj && m, "setup");
	vm_object_lock(obj);
	vm_page_insert(m, obj, 0);
	vm_object_unlock(obj);
	KTEST_ASSERT(!vm_pager_has_page(obj, 0), "anon has_page");
	KTEST_ASSERT(vm_pager_get_pages(obj, &m, 1) == -EIO, "anon get_pages");
	KTEST_ASSERT(swap_space_total() > 0 || vm_pager_put_pages(obj, &m, 1) == -ENODEV, "anon put_pages");
	vm_object_deallocate(obj);      /* frees the page with the object */
	return 0;
}
