/*
 * bootfs_pager.c - the pager of boot files: an object's page i is bytes
 * [i * PAGE_SIZE, (i + 1) * PAGE_SIZE) of a file in the boot archive.
 *
 * This is the vnode pager of a BSD kernel cut down to a read-only file
 * system that lives in memory.  The cpio archive GRUB loaded stays where it
 * is; a fault on a page of a file's object asks get_pages, which copies the
 * page out of the archive (zero-filling the tail of the last page, past the
 * file's end).  has_page is true for every page inside the file: the file
 * is the backing store, and it always holds every page.
 *
 * Hard invariants:
 *
 *   - The pages are never written, so they are never dirty: a page here is
 *     always an exact copy of the archive, and the pageout daemon may free
 *     it at any time without writing it (vm_pageout.c frees a page that is
 *     not dirty, not modified through a mapping, and that its pager has).
 *     Nothing writes them because exec maps the object only copy-on-write
 *     (a needs_copy entry; a write, even the kernel's forced one, faults
 *     and copies the page into a shadow first) and with no write
 *     permission on a page of the object itself (vm_fault.c's fault_prot
 *     maps a page of a backing object, or through a needs_copy entry,
 *     read-only).  put_pages is therefore never called; it would be a bug.
 *
 *   - bootfs.c holds one reference on each object for the life of the
 *     kernel.  That reference is what keeps the invariant above: with it,
 *     a needs_copy entry's reference is never the object's only one, so
 *     vm_fault never "adopts" the object instead of shadowing it, and a
 *     shadow is never collapsed into it.  It also keeps the object and its
 *     resident pages alive between two execs of the same program: the
 *     second exec finds the text already in memory.
 *
 * The objects are made at boot, one per regular file (bootfs_init), and
 * never die.  So the vm_objects counter does not move when a program runs
 * for the first time; the pages they hold do, and they are counted apart
 * (bootfs_pager_resident_pages, kcounters' cache_pages): they are as good
 * as free memory, the pageout daemon's to take.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/list.h"
#include "kern/spinlock.h"
#include "fs/bootfs_pager.h"
#include "vm/kmem.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_pager.h"

/* What an object's pager_data points to. */
struct bootfs_pager_file {
	const void *data;               /* (c) the file's bytes, in the archive */
	size_t size;                    /* (c) their number */
	struct vm_object *obj;          /* (c) the object it backs */
	struct list_node link;          /* (l) on all_files */
};

/* Locking: (l) files_lock. */
static struct spinlock files_lock = SPINLOCK_INIT("bootfs_pager");
static struct list all_files = LIST_INIT(all_files);    /* (l) */

static struct bootfs_pager_file *file_of(struct vm_object *obj)
{
	return obj->pager_data;
}

static bool bootfs_pager_has_page(struct vm_object *obj, uint64_t pindex)
{
	return pindex < obj->size;
}

/* Copy each page out of the archive; past the end of the file, zeros. */
static int bootfs_pager_get_pages(struct vm_object *obj, struct vm_page **ma, int count)
{
	struct bootfs_pager_file *f = file_of(obj);
	for (int i = 0; i < count; i++) {
		uint64_t off = ma[i]->pindex * PAGE_SIZE;
		size_t n = off < f->size ? MIN(f->size - off, PAGE_SIZE) : 0;
		char *dst = vm_page_to_dmap(ma[i]);
		memcpy(dst, (const char *)f->data + off, n);
		memset(dst + n, 0, PAGE_SIZE - n);
	}
	return 0;
}

/* Never called: the pages are never dirty (see the top). */
static int bootfs_pager_put_pages(struct vm_object *obj, struct vm_page **ma __unused,
    int count __unused)
{
	KASSERT(false, "bootfs_pager: object %lu has a dirty page", obj->id);
	return -EIO;
}

static void bootfs_pager_dealloc(struct vm_object *obj)
{
	struct bootfs_pager_file *f = file_of(obj);
	spinlock_acquire(&files_lock);
	list_remove(&f->link);
	spinlock_release(&files_lock);
	kfree(f);
	obj->pager_data = NULL;
}

static const struct pager_ops bootfs_pager_ops = {
	.name = "bootfs",
	.has_page = bootfs_pager_has_page,
	.get_pages = bootfs_pager_get_pages,
	.put_pages = bootfs_pager_put_pages,
	/* free_range, collapse, page_count: nothing to free, move or count
	 * (the archive is not ours), the defaults of vm_pager.c */
	.dealloc = bootfs_pager_dealloc,
};

struct vm_object *bootfs_pager_alloc(const void *data, size_t size)
{
	struct bootfs_pager_file *f = kmalloc(sizeof(*f), KM_ZERO);
	if (f == NULL)
		return NULL;
	struct vm_object *obj = vm_object_allocate(&bootfs_pager_ops, page_round(size) >> PAGE_SHIFT);
	if (obj == NULL) {
		kfree(f);
		return NULL;
	}
	f->data = data;
	f->size = size;
	f->obj = obj;
	obj->pager_data = f;
	obj->flags |= OBJ_BOOTFS;
	spinlock_acquire(&files_lock);
	list_push_back(&all_files, &f->link);
	spinlock_release(&files_lock);
	return obj;
}

uint64_t bootfs_pager_resident_pages(void)
{
	uint64_t n = 0;
	spinlock_acquire(&files_lock);
	list_foreach(&all_files, node) {
		struct bootfs_pager_file *f = list_entry(node, struct bootfs_pager_file, link);
		n += __atomic_load_n(&f->obj->resident_count, __ATOMIC_RELAXED);
	}
	spinlock_release(&files_lock);
	return n;
}
