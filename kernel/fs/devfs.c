/*
 * devfs.c - the /dev device table, and /dev/null.
 *
 * /dev/null: reads are at end of file, writes swallow everything, seeks
 * succeed and stay at 0 (as Linux's), and poll is always ready.
 * /dev/console is the terminal's file type (kern/tty.c).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "fs/devfs.h"
#include "kern/tty.h"
#include "uapi/stat.h"
#include "uapi/poll.h"

#define DEV_NULL_RDEV     0x103         /* major 1, minor 3 */
#define DEV_CONSOLE_RDEV  0x501         /* major 5, minor 1 */

static long null_read(struct file *fp __unused, void __user *buf __unused, size_t n __unused)
{
	return 0;
}

static long null_write(struct file *fp __unused, const void __user *buf __unused, size_t n)
{
	return (long)MIN(n, (size_t)INT64_MAX);
}

static long null_lseek(struct file *fp __unused, int64_t off __unused, int whence __unused)
{
	return 0;
}

static int null_stat(struct file *fp __unused, struct stat *st)
{
	file_stat_init(st);
	st->st_mode = S_IFCHR | 0666;
	st->st_rdev = DEV_NULL_RDEV;
	return 0;
}

static int null_poll(struct file *fp __unused, int events)
{
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

static const struct file_ops null_ops = {
	.name = "/dev/null",
	.read = null_read,
	.write = null_write,
	.lseek = null_lseek,
	.stat = null_stat,
	.ioctl = file_ioctl_notsupp,
	.poll = null_poll,
	.mmap = file_mmap_notsupp,
	.truncate = file_truncate_notsupp,
	.chmod = file_chmod_notsupp,
	.chown = file_chown_notsupp,
	.close = file_close_nop,
};

static int null_open(int flags, struct file **fpp)
{
	*fpp = file_alloc(&null_ops, NULL, flags);
	return *fpp ? 0 : -ENOMEM;
}

static const struct devfs_dev devfs_devices[] = {
	{ "console", S_IFCHR | 0620, DEV_CONSOLE_RDEV, tty_console_open },
	{ "null",    S_IFCHR | 0666, DEV_NULL_RDEV,    null_open },
};

const struct devfs_dev *devfs_device(size_t i)
{
	return i < ARRAY_SIZE(devfs_devices) ? &devfs_devices[i] : NULL;
}
