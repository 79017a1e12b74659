/*
 * uapi/fcntl.h - flags for open(), fcntl() and lseek() (Linux values).
 *
 * Linux writes these in octal; so do we, so they can be compared with
 * `man 2 open` and strace output.
 */
#ifndef UAPI_FCNTL_H
#define UAPI_FCNTL_H

/* open(): access mode, the low two bits (exactly one of these). */
#define O_RDONLY        00
#define O_WRONLY        01
#define O_RDWR          02
#define O_ACCMODE       03

/* open(): creation flags, acted on once while opening. */
#define O_CREAT       0100          /* create the file if missing */
#define O_EXCL        0200          /* with O_CREAT: fail with EEXIST if it exists */
#define O_NOCTTY      0400
#define O_TRUNC      01000          /* cut a regular file to length 0 */
#define O_DIRECTORY 0200000         /* fail with ENOTDIR unless a directory */
#define O_NOFOLLOW  0400000
#define O_CLOEXEC  02000000         /* set FD_CLOEXEC on the new descriptor */

/* open() and F_SETFL: status flags, kept in the open file. */
#define O_APPEND     02000          /* every write goes to the end */
#define O_NONBLOCK   04000          /* EAGAIN instead of sleeping */
#define O_NDELAY     O_NONBLOCK
#define O_DSYNC     010000
#define O_SYNC    04010000
#define O_LARGEFILE 0100000         /* always implied on 64-bit */

/* fcntl() commands. */
#define F_DUPFD          0          /* dup to the lowest free fd >= arg */
#define F_GETFD          1          /* get descriptor flags (FD_CLOEXEC) */
#define F_SETFD          2          /* set descriptor flags */
#define F_GETFL          3          /* get status flags and access mode */
#define F_SETFL          4          /* set status flags (O_APPEND, O_NONBLOCK) */
#define F_DUPFD_CLOEXEC 1030        /* F_DUPFD, and set FD_CLOEXEC */
#define F_ADD_SEALS     1033        /* add seals to a memfd / shm object */
#define F_GET_SEALS     1034        /* its seals */

/* Seals (F_ADD_SEALS): each forbids a change for good. */
#define F_SEAL_SEAL     0x0001      /* no more seals */
#define F_SEAL_SHRINK   0x0002      /* the size may not go down */
#define F_SEAL_GROW     0x0004      /* ... nor up */
#define F_SEAL_WRITE    0x0008      /* the bytes may not change */

/* Descriptor flags (F_GETFD / F_SETFD). */
#define FD_CLOEXEC       1          /* close this descriptor on execve() */

/* lseek() whence. */
#define SEEK_SET         0          /* offset from the start */
#define SEEK_CUR         1          /* offset from the current position */
#define SEEK_END         2          /* offset from the end */

/* The "current directory" file descriptor of the *at() calls. */
#define AT_FDCWD      (-100)
/* utimensat()'s flag: act on a final symbolic link itself. */
#define AT_SYMLINK_NOFOLLOW 0x100

#endif /* UAPI_FCNTL_H */
