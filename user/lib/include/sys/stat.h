/* sys/stat.h - file status (struct stat from uapi/stat.h). */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include "uapi/types.h"
#include "uapi/stat.h"

int    stat(const char *path, struct stat *st);
int    fstat(int fd, struct stat *st);
int    lstat(const char *path, struct stat *st);   /* = stat(): vmos has no symlinks */
int    fchmod(int fd, mode_t mode);
int    mkdir(const char *path, mode_t mode);
mode_t umask(mode_t mask);

#endif /* _SYS_STAT_H */
