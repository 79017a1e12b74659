/* fcntl.h - open(), fcntl() and their flags (values from uapi/fcntl.h). */
#ifndef _FCNTL_H
#define _FCNTL_H

#include "uapi/types.h"
#include "uapi/fcntl.h"
#include "uapi/stat.h"          /* S_IRUSR ... for open()'s mode */

int open(const char *path, int flags, ... /* mode_t mode */);
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ... /* arg */);

#endif /* _FCNTL_H */
