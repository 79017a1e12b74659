/*
 * blk.h - block devices, as the rest of the kernel sees them.
 *
 * The swap pager (vm/swap_pager.c) reaches its disk only through this
 * interface: it names no driver and no virtio type (docs/design.md: "the swap
 * pager reaches its disk through a block interface that names no
 * driver").  A driver (dev/virtio_blk.c) registers each disk it finds
 * with blk_register(); the kernel takes the first one as its swap disk.
 *
 * Transfers are in whole pages to or from a list of page frames (struct
 * vm_page), which need not be contiguous in memory: a clustered pageout
 * of 16 pages is one call and one device request.  The offset is in
 * 512-byte sectors; a page is BLK_SECTORS_PER_PAGE of them.
 *
 * Calls sleep until the device is done (the driver's interrupt wakes the
 * caller), so they are made with no spinlock held.  Any number of
 * threads may have requests in flight on one disk at once.
 */
#ifndef DEV_BLK_H
#define DEV_BLK_H

#include "kern/kernel.h"

#define BLK_SECTOR_SIZE      512
#define BLK_SECTORS_PER_PAGE 8          /* PAGE_SIZE / BLK_SECTOR_SIZE */
#define BLK_MAX_PAGES        32         /* the most pages one request may carry */

struct vm_page;
struct blk_dev;

/* What a driver provides for one disk. */
struct blk_ops {
	/*
	 * Read (write = false) or write npages pages starting at `sector`,
	 * the i-th page at sector + i * BLK_SECTORS_PER_PAGE.  Sleeps until
	 * done.  0, or -EIO (the driver has printed a message naming the
	 * sector and the device's status).  1 <= npages <= BLK_MAX_PAGES.
	 */
	int (*transfer)(struct blk_dev *dev, uint64_t sector, struct vm_page **pages, int npages,
	    bool write);
	/*
	 * For self-tests only (may be NULL).  While held, the driver puts
	 * requests on its queue but does not tell the device, so none
	 * completes; releasing starts the device on all of them.  Returns the
	 * number of transfer calls inside the driver right now: on the queue,
	 * or waiting for room on it.  A test holds the disk to see many
	 * requests in flight at once whatever the host's timing.
	 */
	int (*hold)(struct blk_dev *dev, bool hold);
};

struct blk_dev {
	const char *name;               /* "vda" ... for messages */
	uint64_t sectors;               /* capacity in 512-byte sectors */
	const struct blk_ops *ops;
	void *driver;                   /* the driver's own state */
};

/* A driver found a disk (at boot, before any user process runs). */
void blk_register(struct blk_dev *dev);
/* The first disk registered, or NULL when there is none (no swap). */
struct blk_dev *blk_first(void);

/* Checked wrappers around ops->transfer (range, count): 0, -EINVAL, -EIO. */
int blk_read_pages(struct blk_dev *dev, uint64_t sector, struct vm_page **pages, int npages);
int blk_write_pages(struct blk_dev *dev, uint64_t sector, struct vm_page **pages, int npages);
/* ops->hold (self-tests): the calls inside the driver, or -EOPNOTSUPP without the hook. */
int blk_hold(struct blk_dev *dev, bool hold);

#endif
