/*
 * blk.c - the registry of block devices and the checked transfer calls
 * (see blk.h).  Drivers register their disks at boot, before any user
 * process runs, so the list needs no lock.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "dev/blk.h"

#define BLK_DEVS_MAX 8

static struct blk_dev *blk_devs[BLK_DEVS_MAX];
static int blk_ndevs;

void blk_register(struct blk_dev *dev)
{
	KASSERT(blk_ndevs < BLK_DEVS_MAX, "blk_register: more than %d disks", BLK_DEVS_MAX);
	blk_devs[blk_ndevs++] = dev;
}

struct blk_dev *blk_first(void)
{
	return blk_ndevs > 0 ? blk_devs[0] : NULL;
}

static int blk_transfer(struct blk_dev *dev, uint64_t sector, struct vm_page **pages, int npages,
    bool write)
{
	if (npages < 1 || npages > BLK_MAX_PAGES || sector > dev->sectors ||
	    (uint64_t)npages * BLK_SECTORS_PER_PAGE > dev->sectors - sector)
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
