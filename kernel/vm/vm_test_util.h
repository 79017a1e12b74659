/*
 * vm_test_util.h - helpers shared by the VM self-tests (vm_*_test.c):
 * resource snapshots for leak checks, and reading a byte of a vmspace.
 */
#ifndef VM_VM_TEST_UTIL_H
#define VM_VM_TEST_UTIL_H

#include "kern/kernel.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"
#include "vm/vm_object.h"
#include "arch/x86_64/pmap.h"

struct vm_snap {
	uint64_t free_pages, objects, kmem_bytes, pv_entries, active, inactive;
};

static inline void vm_snap_take(struct vm_snap *s)
{
	s->free_pages = vm_page_free_count();
	s->objects = vm_object_count();
	s->kmem_bytes = kmem_bytes_in_use();
	s->pv_entries = pmap_pv_entry_count();
	s->active = vm_page_active_count();
	s->inactive = vm_page_inactive_count();
}

/* NULL if *a == now, else a description of the first difference. */
static inline const char *vm_snap_diff(const struct vm_snap *a)
{
	struct vm_snap b;
	vm_snap_take(&b);
	if (a->free_pages != b.free_pages)
		return "free pages";
	if (a->objects != b.objects)
		return "vm objects";
	if (a->kmem_bytes != b.kmem_bytes)
		return "kmem bytes";
	if (a->pv_entries != b.pv_entries)
		return "pv entries";
	if (a->active != b.active || a->inactive != b.inactive)
		return "queued pages";
	return NULL;
}

#define KTEST_NO_LEAK(snap) do { \
		const char *what_ = vm_snap_diff(snap); \
		KTEST_ASSERT(what_ == NULL, "leak: %s differ", what_); \
	} while (0)

#endif
