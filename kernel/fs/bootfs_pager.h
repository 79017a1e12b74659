/*
 * bootfs_pager.h - VM objects whose pages are a boot file's bytes (the
 * vnode pager of this kernel, for the read-only boot file system).
 *
 * bootfs.c makes one object per regular file at boot and keeps a reference
 * on it for as long as the kernel runs; exec maps program text and data
 * from it (kern/exec.c), so every process running a program shares the
 * pages of its text.  See bootfs_pager.c for the rules.
 */
#ifndef FS_BOOTFS_PAGER_H
#define FS_BOOTFS_PAGER_H

#include "kern/kernel.h"

struct vm_object;

/* A new object over the size bytes at data (which live as long as the
 * kernel), with one reference (the caller's), or NULL (no memory). */
struct vm_object *bootfs_pager_alloc(const void *data, size_t size);

/* Pages of boot files now in memory, all objects together.  Clean copies
 * of the archive that the pageout daemon frees whenever it wants them, so
 * the leak checks count them with the free pages (kcounters cache_pages). */
uint64_t bootfs_pager_resident_pages(void);

#endif
