/*
 * vm_object_io.h - an object's bytes read and written by the kernel, with
 * no mapping: the data path of tmpfs's read and write (FreeBSD's
 * uiomove_object), and the tail zeroing that shm and tmpfs do when a size
 * changes.
 */
#ifndef VM_VM_OBJECT_IO_H
#define VM_VM_OBJECT_IO_H

#include "kern/kernel.h"
#include "kern/copyio.h"

struct vm_object;

/*
 * Copy n bytes at byte offset off of obj out to the user buffer ubuf.  A
 * page nobody has (never written) reads as zeros without being made.  The
 * range must lie inside the object (the caller clips reads at its file
 * size).  Returns the bytes copied, or -EFAULT / -EIO / -ENOMEM when none
 * was; a fault part way returns what was done before it.  Sleeps.
 */
long vm_object_read(struct vm_object *obj, uint64_t off, void __user *ubuf, size_t n);
/*
 * Copy n bytes from ubuf into obj at byte offset off, making zero pages
 * where nobody has one; the object must already be big enough.  Each page
 * written is dirty and loses its copy on swap.  Same returns as
 * vm_object_read.  Sleeps.
 */
long vm_object_write(struct vm_object *obj, uint64_t off, const void __user *ubuf, size_t n);
/*
 * Zero the bytes of page (bytes / PAGE_SIZE) from bytes to the page's end,
 * if the page exists, in memory or on swap (a page never touched reads as
 * zeros anyway).  A page on swap is read back first: otherwise its old
 * tail would return with it.  The page is then dirty.  Sleeps.
 */
void vm_object_zero_tail(struct vm_object *obj, uint64_t bytes);

#endif
