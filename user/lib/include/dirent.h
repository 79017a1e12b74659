/*
 * dirent.h - reading directories: opendir(), readdir(), closedir().
 * Built on getdents64(), whose records are struct linux_dirent64
 * (uapi/dirent.h); readdir() hands back a copy as a struct dirent.
 */
#ifndef _DIRENT_H
#define _DIRENT_H

#include "uapi/types.h"
#include "uapi/dirent.h"

struct dirent {
	ino_t          d_ino;           /* inode number */
	off_t          d_off;
	unsigned short d_reclen;
	unsigned char  d_type;          /* DT_REG, DT_DIR, ... */
	char           d_name[256];     /* NUL-terminated name */
};

typedef struct __dirstream DIR;

DIR           *opendir(const char *path);
DIR           *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
int            closedir(DIR *dir);
void           rewinddir(DIR *dir);
int            dirfd(DIR *dir);
ssize_t        getdents64(int fd, void *buf, size_t size);

#endif /* _DIRENT_H */
