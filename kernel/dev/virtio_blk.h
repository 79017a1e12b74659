/*
 * virtio_blk.h - the virtio block driver.  It registers each disk it finds
 * with blk_register() (dev/blk.h), which is all the rest of the kernel
 * sees of it; only the device configuration (dev/autoconf.c) names it.
 */
#ifndef DEV_VIRTIO_BLK_H
#define DEV_VIRTIO_BLK_H

#include "dev/pci.h"

extern struct pci_driver virtio_blk_driver;

#endif
