/*
 * uapi/dirent.h - directory entries as getdents64() returns them.
 *
 * getdents64(fd, buf, size) fills buf with as many whole records as fit
 * and returns the number of bytes used (0 at the end of the directory).
 * Records have variable length: d_reclen is the distance to the next
 * record, a multiple of 8, and d_name is NUL-terminated inside it.
 */
#ifndef UAPI_DIRENT_H
#define UAPI_DIRENT_H

struct linux_dirent64 {
	__UINT64_TYPE__ d_ino;          /* inode number */
	__INT64_TYPE__  d_off;          /* position of the next entry (for lseek) */
	unsigned short  d_reclen;       /* length of this record */
	unsigned char   d_type;         /* DT_* */
	char            d_name[];       /* NUL-terminated name */
};

/* d_type values. */
#define DT_UNKNOWN  0
#define DT_FIFO     1
#define DT_CHR      2
#define DT_DIR      4
#define DT_BLK      6
#define DT_REG      8
#define DT_LNK     10
#define DT_SOCK    12

#endif /* UAPI_DIRENT_H */
