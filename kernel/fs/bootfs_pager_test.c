/*
 * bootfs_pager_test.c - self-tests of the boot-file pager: an object over
 * bytes of our own (not the archive), paged in through the fault handler.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/selftest.h"
#include "fs/bootfs_pager.h"
#include "vm/vm_fault.h"
#include "vm/vm_pager.h"
#include "vm/vm_test_util.h"
#include "uapi/mman.h"

#define BASE    0x400000ul
#define TAIL    100             /* bytes of the file in its last page */

static char file[PAGE_SIZE + TAIL];

/* Page 0 holds 0x10s, page 1 its TAIL bytes of 0x11, then zeros to the page's end. */
int test_bootfs_pager_pages_are_the_files_bytes_then_zeros(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	memset(file, 0x10, PAGE_SIZE);
	memset(file + PAGE_SIZE, 0x11, TAIL);
	uint64_t cached = bootfs_pager_resident_pages();
	struct vm_object *obj = bootfs_pager_alloc(file, sizeof(file));
	KTEST_ASSERT(obj != NULL && obj->size == 2, "object of a file of one page and %d bytes", TAIL);
	KTEST_ASSERT(vm_pager_has_page(obj, 1) && !vm_pager_has_page(obj, 2), "has_page");

	struct vm_page *m;
	KTEST_ASSERT(vm_fault_object_page(obj, 1, &m) == 0, "page-in of the last page");
	const uint8_t *b = vm_page_to_dmap(m);
	KTEST_ASSERT(b[0] == 0x11 && b[TAIL - 1] == 0x11 && b[TAIL] == 0 && b[PAGE_SIZE - 1] == 0,
	    "the last page reads %#x %#x %#x %#x", b[0], b[TAIL - 1], b[TAIL], b[PAGE_SIZE - 1]);
	KTEST_ASSERT(!(m->flags & PG_DIRTY), "a page read from the file is dirty");
	vm_page_unwire(m);
	KTEST_ASSERT(bootfs_pager_resident_pages() == cached + 1, "cache_pages did not count it");
	KTEST_ASSERT(vm_fault_object_page(obj, 2, &m) == -EINVAL, "a page past the file");

	/* Mapped copy-on-write, as exec maps it: a (forced) write copies the
	 * page into a shadow; the object's page stays the file's, and clean. */
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs != NULL, "vmspace");
	vm_object_reference(obj);
	KTEST_ASSERT(vm_map_object_cow_fixed(vs, BASE, 2 * PAGE_SIZE, obj, 0, PROT_READ) == 0, "map");
	KTEST_ASSERT(vm_test_byte_at(vs, BASE + 5) == 0x10, "read through the mapping");
	uint8_t w = 0x77;
	KTEST_ASSERT(vmspace_copyout(vs, BASE + 5, &w, 1) == 0, "forced write");
	KTEST_ASSERT(vm_test_byte_at(vs, BASE + 5) == 0x77 && vm_test_byte_at(vs, BASE + 6) == 0x10,
	    "the writer's copy");
	KTEST_ASSERT(vm_fault_object_page(obj, 0, &m) == 0, "the object's page 0");
	b = vm_page_to_dmap(m);
	bool intact = b[5] == 0x10 && !(m->flags & PG_DIRTY);
	vm_page_unwire(m);
	KTEST_ASSERT(intact, "a write through a copy-on-write mapping reached the file's object");
	vmspace_free(vs);
	vm_object_deallocate(obj);
	KTEST_ASSERT(bootfs_pager_resident_pages() == cached, "cache_pages after the object died");
	KTEST_NO_LEAK(&s);
	return 0;
}
