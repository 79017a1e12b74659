/*
 * sys/uio.h - struct iovec, and readv()/writev().
 *
 * vmos has no readv/writev system calls; the C library does them one
 * piece at a time, so unlike Linux a writev() to a pipe is not atomic.
 */
#ifndef _SYS_UIO_H
#define _SYS_UIO_H

#include "uapi/types.h"
#include "uapi/uio.h"

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif /* _SYS_UIO_H */
