/*
 * unistd.h - the POSIX system interface: descriptors, processes, ids,
 * the working directory, sleeping, getopt.
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include "uapi/types.h"
#include "uapi/fcntl.h"         /* SEEK_SET, SEEK_CUR, SEEK_END */

#ifndef NULL
#define NULL ((void *)0)
#endif

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

typedef unsigned int useconds_t;
typedef __INTPTR_TYPE__ intptr_t;

/* sysconf() names (the C library answers these itself). */
#define _SC_CLK_TCK    2
#define _SC_OPEN_MAX   4
#define _SC_PAGESIZE   30
#define _SC_PAGE_SIZE  _SC_PAGESIZE

extern char **environ;

/* Descriptors. */
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int     close(int fd);
off_t   lseek(int fd, off_t offset, int whence);
int     pipe(int fds[2]);
int     pipe2(int fds[2], int flags);
int     dup(int fd);
int     dup2(int oldfd, int newfd);
int     dup3(int oldfd, int newfd, int flags);
int     ftruncate(int fd, off_t length);
int     fchown(int fd, uid_t owner, gid_t group);
int     isatty(int fd);

/* Files and directories. */
int     unlink(const char *path);
int     link(const char *from, const char *to);
int     symlink(const char *target, const char *path);
ssize_t readlink(const char *path, char *buf, size_t size);
int     chown(const char *path, uid_t owner, gid_t group);
int     lchown(const char *path, uid_t owner, gid_t group);
ssize_t pread(int fd, void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
int     rmdir(const char *path);
int     fsync(int fd);
int     fdatasync(int fd);
int     chdir(const char *path);
char   *getcwd(char *buf, size_t size);

/* Processes. */
pid_t   fork(void);
int     execve(const char *path, char *const argv[], char *const envp[]);
int     execv(const char *path, char *const argv[]);
int     execvp(const char *file, char *const argv[]);
int     execl(const char *path, const char *arg0, ...);
int     execlp(const char *file, const char *arg0, ...);
int     execle(const char *path, const char *arg0, ... /*, (char *)0, char *const envp[] */);
void    _exit(int status) __attribute__((noreturn));
pid_t   getpid(void);
pid_t   getppid(void);
uid_t   getuid(void);
uid_t   geteuid(void);
gid_t   getgid(void);
gid_t   getegid(void);
int     setuid(uid_t uid);
int     setgid(gid_t gid);

/* Job control: process groups, sessions, the terminal's foreground group. */
int     setpgid(pid_t pid, pid_t pgid);
pid_t   getpgid(pid_t pid);
pid_t   getpgrp(void);
pid_t   setsid(void);
pid_t   getsid(pid_t pid);
int     tcsetpgrp(int fd, pid_t pgrp);
pid_t   tcgetpgrp(int fd);

/* Memory: the program break (malloc uses these). */
int     brk(void *addr);
void   *sbrk(intptr_t increment);
int     getpagesize(void);
long    sysconf(int name);

/* Time. */
unsigned int sleep(unsigned int seconds);
unsigned int alarm(unsigned int seconds);
int     pause(void);
int     usleep(useconds_t usec);

/* Any system call by number: returns -1 and sets errno on failure. */
long    syscall(long number, ...);

/* Command-line options. */
int     getopt(int argc, char *const argv[], const char *optstring);
extern char *optarg;
extern int optind, opterr, optopt;

#endif /* _UNISTD_H */
