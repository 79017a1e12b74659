/*
 * sys_file.h - the descriptor and file-name system calls (sys_file.c).
 * Linux numbers, arguments, semantics and errno values; each returns a
 * non-negative result or a negative errno (see kern/syscall.h).
 */
#ifndef KERN_SYS_FILE_H
#define KERN_SYS_FILE_H

#include "kern/kernel.h"
#include "kern/copyio.h"
#include "uapi/types.h"
#include "uapi/stat.h"

long sys_read(int fd, void __user *buf, size_t n);
long sys_write(int fd, const void __user *buf, size_t n);
long sys_open(const char __user *path, int flags, mode_t mode);
long sys_close(int fd);
long sys_lseek(int fd, int64_t offset, int whence);
long sys_fstat(int fd, struct stat __user *st);
long sys_stat(const char __user *path, struct stat __user *st);
long sys_lstat(const char __user *path, struct stat __user *st);
long sys_link(const char __user *from, const char __user *to);
long sys_symlink(const char __user *target, const char __user *path);
long sys_readlink(const char __user *path, char __user *buf, size_t size);
long sys_chmod(const char __user *path, mode_t mode);
long sys_chown(const char __user *path, uid_t uid, gid_t gid);
long sys_lchown(const char __user *path, uid_t uid, gid_t gid);
long sys_utimensat(int dirfd, const char __user *path, const struct timespec __user *times,
    int flags);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_fcntl(int fd, int cmd, unsigned long arg);
long sys_pipe(int __user *fds);
long sys_pipe2(int __user *fds, int flags);
long sys_getdents64(int fd, void __user *buf, size_t n);
long sys_ioctl(int fd, unsigned long cmd, void __user *arg);
long sys_ftruncate(int fd, int64_t length);
long sys_fchmod(int fd, mode_t mode);
long sys_fchown(int fd, uid_t uid, gid_t gid);
long sys_chdir(const char __user *path);
long sys_getcwd(char __user *buf, size_t size);
long sys_unlink(const char __user *path);
long sys_mkdir(const char __user *path, mode_t mode);
long sys_rmdir(const char __user *path);
long sys_rename(const char __user *from, const char __user *to);
long sys_pread64(int fd, void __user *buf, size_t n, int64_t off);
long sys_fsync(int fd);
long sys_fdatasync(int fd);
long sys_pwrite64(int fd, const void __user *buf, size_t n, int64_t off);

#endif
