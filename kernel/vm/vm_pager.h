/*
 * vm_pager.h - the interface between VM objects and their backing store.
 *
 * A pager is a `const struct pager_ops` table; every object points at one.
 * The VM reaches a pager only through the vm_pager_* wrappers below, never
 * through the table directly, so a pager type can leave an optional slot
 * NULL and the wrapper supplies the default.
 *
 * Anonymous objects have the swap pager (swap_pager.c): a page nobody has
 * yet is zero-filled by the fault handler on first touch; put_pages writes
 * pages to swap slots, has_page/get_pages find and read them back,
 * free_range and dealloc give slots back, and collapse moves a dying backing
 * object's slots into its shadow.
 *
 * Page states across a get_pages call: the fault handler allocates the
 * page, marks it PG_BUSY, inserts it into the object at its index, and asks
 * the pager to fill it; the pager returns 0 (filled) or -EIO.  A pager may
 * sleep in get_pages and put_pages (disk I/O), so callers hold no spinlock
 * across them; the other slots never sleep.
 */
#ifndef VM_VM_PAGER_H
#define VM_VM_PAGER_H

#include "kern/kernel.h"

struct vm_object;
struct vm_page;

struct pager_ops {
	const char *name;
	/* Does the backing store hold page pindex of obj?  Never sleeps. */
	bool (*has_page)(struct vm_object *obj, uint64_t pindex);
	/* Fill ma[0..count) (busy, inserted at consecutive indices) from backing
	 * store.  Returns 0 or -EIO.  May sleep.  A pager short of room may
	 * drop its copies of the pages it read; it then marks them PG_DIRTY. */
	int (*get_pages)(struct vm_object *obj, struct vm_page **ma, int count);
	/* Write ma[0..count) to backing store.  Returns 0, -ENOSPC (no room
	 * left), -ENODEV (no backing store at all) or -EIO.  May sleep. */
	int (*put_pages)(struct vm_object *obj, struct vm_page **ma, int count);
	/* Forget the backing store of pages [start, end).  Never sleeps. */
	void (*free_range)(struct vm_object *obj, uint64_t start, uint64_t end);
	/* Move backing store of src's pages [offset, offset + dst->size) to dst
	 * at index - offset, where dst has none of its own and no resident
	 * page (collapse, before src's resident pages move).  Store outside that
	 * window or shadowed by dst is freed.  0, or -ENOMEM with nothing
	 * changed (the collapse is abandoned).  Never sleeps. */
	int (*collapse)(struct vm_object *src, struct vm_object *dst, uint64_t offset);
	/* How many of obj's pages the backing store holds.  Never sleeps. */
	uint64_t (*page_count)(struct vm_object *obj);
	/* The object is dying: free all its pager state.  Never sleeps. */
	void (*dealloc)(struct vm_object *obj);
};


bool vm_pager_has_page(struct vm_object *obj, uint64_t pindex);
int vm_pager_get_pages(struct vm_object *obj, struct vm_page **ma, int count);
int vm_pager_put_pages(struct vm_object *obj, struct vm_page **ma, int count);
void vm_pager_free_range(struct vm_object *obj, uint64_t start, uint64_t end);
int vm_pager_collapse(struct vm_object *src, struct vm_object *dst, uint64_t offset);
uint64_t vm_pager_page_count(struct vm_object *obj);
void vm_pager_dealloc(struct vm_object *obj);

#endif
