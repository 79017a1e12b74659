/* sys/stat.h - file status (struct stat from uapi/stat.h). */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include "uapi/types.h"
#include "uapi/stat.h"

int    stat(const char *path, struct stat *st);
int    fstat(int fd, struct stat *st);
int    lstat(const char *path, struct stat *st);   /* a symbolic link itself */
int    fchmod(int fd, mode_t mode);
int    chmod(const char *path, mode_t mode);
/* dirfd AT_FDCWD (or an absolute path); flags 0 or AT_SYMLINK_NOFOLLOW;
 * tv_nsec UTIME_NOW or UTIME_OMIT allowed; times NULL: both now. */
int    utimensat(int dirfd, const char *path, const struct timespec times[2], int flags);
int    mkdir(const char *path, mode_t mode);
mode_t umask(mode_t mask);

#endif /* _SYS_STAT_H */
