/*
 * vm_pager.c - the wrappers through which the VM calls a pager (vm_pager.h).
 *
 * Each supplies the meaning of an empty slot: a pager without has_page has
 * nothing, one without get_pages cannot page in (-EIO), one without
 * put_pages has nowhere to write (-ENODEV), and the others do nothing.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "vm/vm_pager.h"
#include "vm/vm_object.h"

bool vm_pager_has_page(struct vm_object *obj, uint64_t pindex)
{
	return obj->pager->has_page ? obj->pager->has_page(obj, pindex) : false;
}

int vm_pager_get_pages(struct vm_object *obj, struct vm_page **ma, int count)
{
	return obj->pager->get_pages ? obj->pager->get_pages(obj, ma, count) : -EIO;
}

int vm_pager_put_pages(struct vm_object *obj, struct vm_page **ma, int count)
{
	return obj->pager->put_pages ? obj->pager->put_pages(obj, ma, count) : -ENODEV;
}

void vm_pager_free_range(struct vm_object *obj, uint64_t start, uint64_t end)
{
	if (obj->pager->free_range && start < end)
		obj->pager->free_range(obj, start, end);
}

int vm_pager_collapse(struct vm_object *src, struct vm_object *dst, uint64_t offset)
{
	return src->pager->collapse ? src->pager->collapse(src, dst, offset) : 0;
}

uint64_t vm_pager_page_count(struct vm_object *obj)
{
	return obj->pager->page_count ? obj->pager->page_count(obj) : 0;
}

void vm_pager_dealloc(struct vm_object *obj)
{
	if (obj->pager->dealloc)
		obj->pager->dealloc(obj);
}
