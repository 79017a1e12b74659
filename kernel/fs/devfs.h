/*
 * devfs.h - the device nodes of /dev: a fixed table the boot file system
 * turns into character-device nodes under /dev (see bootfs_init).  Opening
 * a node calls the device's open function, which makes a file of the
 * device's own type.
 */
#ifndef FS_DEVFS_H
#define FS_DEVFS_H

#include "kern/kernel.h"
#include "uapi/types.h"

struct file;

struct devfs_dev {
	const char *name;               /* under /dev */
	mode_t mode;                    /* S_IFCHR | permissions */
	dev_t rdev;                     /* Linux's major << 8 | minor */
	/* Make a file for this device; flags are open()'s.  0 or -errno. */
	int (*open)(int flags, struct file **fpp);
};

/* The i-th device, or NULL past the end. */
const struct devfs_dev *devfs_device(size_t i);

#endif
