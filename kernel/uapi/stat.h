/*
 * uapi/stat.h - struct stat and the file mode bits (Linux x86-64 layout).
 *
 * stat() and fstat() fill a struct stat.  Its layout is Linux x86-64's
 * exactly (144 bytes), field by field; that is why some fields look
 * oddly ordered (st_nlink before st_mode).
 */
#ifndef UAPI_STAT_H
#define UAPI_STAT_H

#include "uapi/types.h"
#include "uapi/time.h"

struct stat {
	dev_t     st_dev;       /* device holding the file */
	ino_t     st_ino;       /* inode number */
	nlink_t   st_nlink;     /* number of hard links */
	mode_t    st_mode;      /* file type (S_IFMT bits) and permissions */
	uid_t     st_uid;       /* owner */
	gid_t     st_gid;       /* group */
	int       __pad0;
	dev_t     st_rdev;      /* device number, for device files */
	off_t     st_size;      /* size in bytes */
	blksize_t st_blksize;   /* preferred I/O size */
	blkcnt_t  st_blocks;    /* 512-byte blocks allocated */
	struct timespec st_atim;        /* last access */
	struct timespec st_mtim;        /* last modification */
	struct timespec st_ctim;        /* last status change */
	__INT64_TYPE__ __reserved[3];
};

/* The traditional names of the seconds fields. */
#define st_atime st_atim.tv_sec
#define st_mtime st_mtim.tv_sec
#define st_ctime st_ctim.tv_sec

/* File type: the S_IFMT bits of st_mode (octal). */
#define S_IFMT   0170000
#define S_IFSOCK 0140000        /* socket */
#define S_IFLNK  0120000        /* symbolic link */
#define S_IFREG  0100000        /* regular file */
#define S_IFBLK  0060000        /* block device */
#define S_IFDIR  0040000        /* directory */
#define S_IFCHR  0020000        /* character device (the console) */
#define S_IFIFO  0010000        /* pipe */

#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)

/* Permission bits (octal). */
/* utimensat(2): a tv_nsec that means "the time now" or "leave this one". */
#define UTIME_NOW   ((1l << 30) - 1l)
#define UTIME_OMIT  ((1l << 30) - 2l)

#define S_ISUID  04000          /* set user id on execution */
#define S_ISGID  02000          /* set group id on execution */
#define S_ISVTX  01000          /* sticky */
#define S_IRWXU  00700          /* owner: read, write, execute */
#define S_IRUSR  00400
#define S_IWUSR  00200
#define S_IXUSR  00100
#define S_IRWXG  00070          /* group */
#define S_IRGRP  00040
#define S_IWGRP  00020
#define S_IXGRP  00010
#define S_IRWXO  00007          /* others */
#define S_IROTH  00004
#define S_IWOTH  00002
#define S_IXOTH  00001

#endif /* UAPI_STAT_H */
