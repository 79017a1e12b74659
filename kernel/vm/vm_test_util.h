/*
 * vm_test_util.h - helpers shared by the VM self-tests (vm_*_test.c):
 * resource snapshots for leak checks, and reading and writing a vmspace
 * from the kernel, through the fault handler or as the CPU sees it now.
 */
#ifndef VM_VM_TEST_UTIL_H
#define VM_VM_TEST_UTIL_H

#include "kern/kernel.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"
#include "vm/vm_object.h"
#include "vm/vm_map.h"
#include "arch/x86_64/pmap.h"

struct vm_snap {
	uint64_t free_pages;             /* free, or the heap's (kmem_free_and_heap_pages) */
	uint64_t objects, kmem_bytes, pv_entries, active, inactive;
};

static inline void vm_snap_take(struct vm_snap *s)
{
	s->free_pages = kmem_free_and_heap_pages();
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

/* The int at va of vs, read through the fault handler; -2 if that fails. */
static inline int vm_test_get32(struct vmspace *vs, uint64_t va)
{
	int v = -1;
	return vmspace_copyin(vs, va, &v, sizeof(v)) == 0 ? v : -2;
}

/* Store v at va of vs through the fault handler: 0 or -errno. */
static inline int vm_test_put32(struct vmspace *vs, uint64_t va, int v)
{
	return vmspace_copyout(vs, va, &v, sizeof(v));
}

/* The byte at va of vs, read through the fault handler; -1 if that fails. */
static inline int vm_test_byte_at(struct vmspace *vs, uint64_t va)
{
	uint8_t b;
	return vmspace_copyin(vs, va, &b, 1) == 0 ? b : -1;
}

/* The byte at va of vs as the CPU would see it now, without faulting
 * anything in: 0x100 if no page is mapped there. */
static inline int vm_test_peek(struct vmspace *vs, uint64_t va)
{
	uint64_t pa = pmap_extract(vmspace_pmap(vs), va);
	return pa ? *(uint8_t *)PHYS_TO_DMAP(pa) : 0x100;
}

#define KTEST_NO_LEAK(snap) do { \
		const char *what_ = vm_snap_diff(snap); \
		KTEST_ASSERT(what_ == NULL, "leak: %s differ", what_); \
	} while (0)

#endif
