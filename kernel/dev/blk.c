/*
 * blk.c - the block devices registered by drivers, and the checked entry
 * points the rest of the kernel calls (see blk.h).
 *
 * Disks are registered at boot, before any process runs, and never go
 * away, so the table needs no lock once the first process exists.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/spinlock.h"
#include "arch/x86_64/vmparam.h"
#include "dev/blk.h"

#define BLK_MAX_DEVS 8

static struct blk_dev *blk_devs[BLK_MAX_DEVS];
static int blk_ndevs;

_Static_assert(BLK_SECTOR_SIZE * BLK_SECTORS_PER_PAGE == PAGE_SIZE, "blk.h: page size");

void blk_register(struct blk_dev *dev)
{
	KASSERT(dev->ops != NULL && dev->ops->transfer != NULL, "blk_register: %s has no ops",
	    dev->name);
	if (blk_ndevs == BLK_MAX_DEVS) {
		kprintf("blk: %s ignored: already %d disks\n", dev->name, BLK_MAX_DEVS);
		return;
	}
	blk_devs[blk_ndevs++] = dev;
}

struct blk_dev *blk_first(void)
{
	return blk_ndevs > 0 ? blk_devs[0] : NULL;
}

/* Range and count checks, then the driver (which sleeps). */
static int blk_transfer(struct blk_dev *dev, uint64_t sector, struct vm_page **pages,
    int npages, bool write)
{
	KASSERT(dev != NULL && pages != NULL, "blk_transfer: dev %p pages %p", dev, pages);
	KASSERT(curproc() != NULL && intr_state_save().depth == 0,
	    "blk_transfer: %s: the caller must be able to sleep (no process, or a spinlock held)",
	    dev->name);
	if (npages < 1 || npages > BLK_MAX_PAGES)
		return -EINVAL;
	uint64_t nsectors = (uint64_t)npages * BLK_SECTORS_PER_PAGE;
	if (sector > dev->sectors || nsectors > dev->sectors - sector)
		return -EINVAL;
	return dev->ops->transfer(dev, sector, pages, npages, write);
}

int blk_read_pages(struct blk_dev *dev, uint64_t sector, struct vm_page **pages, int npages)
{
	return blk_transfer(dev, sector, pages, npages, false);
}

int blk_write_pages(struct blk_dev *dev, uint64_t sector, struct vm_page **pages, int npages)
{
	return blk_transfer(dev, sector, pages, npages, true);
}

int blk_hold(struct blk_dev *dev, bool hold)
{
	return dev->ops->hold != NULL ? dev->ops->hold(dev, hold) : -EOPNOTSUPP;
}
