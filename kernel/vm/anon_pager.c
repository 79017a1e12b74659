/*
 * anon_pager.c - the pager of anonymous memory before it has any swap.
 *
 * Anonymous objects (private mappings, MAP_SHARED|MAP_ANONYMOUS, shadow
 * objects, shm objects) are "zero-fill on first touch": a page nobody has
 * yet is created zeroed by the fault handler, and it then lives only in
 * memory.  So this pager never has a page and has nowhere to put one.  It
 * fills every slot anyway, so the swap pager of a later issue replaces
 * these bodies, not the shape of the table: has_page and get_pages will look
 * in the object's swap slots, put_pages will allocate them, free_range,
 * collapse and dealloc will give them back or move them.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "vm/vm_pager.h"
#include "vm/vm_object.h"

static bool anon_pager_has_page(struct vm_object *obj __unused, uint64_t pindex __unused)
{
	return false;
}

static int anon_pager_get_pages(struct vm_object *obj __unused, struct vm_page **ma __unused,
    int count __unused)
{
	return -EIO;            /* has_page said no: asking anyway is a caller's bug */
}

static int anon_pager_put_pages(struct vm_object *obj __unused, struct vm_page **ma __unused,
    int count __unused)
{
	return -ENOSPC;         /* no swap yet: the page must stay in memory */
}

static void anon_pager_free_range(struct vm_object *obj __unused, uint64_t start __unused,
    uint64_t end __unused)
{
}

static void anon_pager_collapse(struct vm_object *src __unused, struct vm_object *dst __unused,
    uint64_t offset __unused)
{
}

static void anon_pager_dealloc(struct vm_object *obj __unused)
{
}

const struct pager_ops anon_pager_ops = {
	.name = "anon",
	.has_page = anon_pager_has_page,
	.get_pages = anon_pager_get_pages,
	.put_pages = anon_pager_put_pages,
	.free_range = anon_pager_free_range,
	.collapse = anon_pager_collapse,
	.dealloc = anon_pager_dealloc,
};
