/*
 * uapi/limits.h - limits the kernel enforces and user space may rely on.
 *
 * The values are Linux's defaults, which POSIX programs expect.
 */
#ifndef UAPI_LIMITS_H
#define UAPI_LIMITS_H

#define PATH_MAX     4096       /* longest path, including the NUL */
#define NAME_MAX      255       /* longest file name component */
#define PIPE_BUF     4096       /* pipe writes up to this size are atomic */
#define ARG_MAX    131072       /* bytes of argv + envp strings that execve accepts */
#define IOV_MAX      1024       /* most struct iovec pieces in one sendmsg/recvmsg */

#endif /* UAPI_LIMITS_H */
