/*
 * uapi/syscall.h - system call numbers.
 *
 * The numbers are Linux x86-64's, so `man 2 read` and a Linux syscall
 * table describe our calls too.  vmos's own calls (500 and up) are in
 * uapi/vmos.h, included at the end.
 *
 * The calling convention is Linux's as well:
 *
 *     rax = number;  arguments in rdi, rsi, rdx, r10, r8, r9
 *     syscall
 *     rax = result, or -errno (a value in -4095..-1) on failure
 *
 * The `syscall` instruction itself overwrites rcx (return rip) and r11
 * (saved rflags); every other register survives the call.
 *
 * Only the calls vmos implements are listed.  Any other number makes the
 * kernel answer -ENOSYS.
 */
#ifndef UAPI_SYSCALL_H
#define UAPI_SYSCALL_H

/* Files and descriptors. */
#define SYS_read             0
#define SYS_write            1
#define SYS_open             2
#define SYS_close            3
#define SYS_stat             4
#define SYS_fstat            5
#define SYS_lstat            6
#define SYS_poll             7
#define SYS_lseek            8
#define SYS_ioctl           16
#define SYS_pipe            22
#define SYS_dup             32
#define SYS_dup2            33
#define SYS_fcntl           72
#define SYS_ftruncate       77
#define SYS_getcwd          79
#define SYS_chdir           80
#define SYS_link            86
#define SYS_unlink          87
#define SYS_symlink         88
#define SYS_readlink        89
#define SYS_chmod           90
#define SYS_pread64         17
#define SYS_memfd_create   319
#define SYS_pwrite64        18
#define SYS_fsync           74
#define SYS_fdatasync       75
#define SYS_rename          82
#define SYS_mkdir           83
#define SYS_rmdir           84
#define SYS_fchmod          91
#define SYS_chown           92
#define SYS_fchown          93
#define SYS_lchown          94
#define SYS_umask           95
#define SYS_getdents64     217
#define SYS_utimensat      280
#define SYS_dup3           292
#define SYS_pipe2          293

/* Memory. */
#define SYS_mmap             9
#define SYS_mprotect        10
#define SYS_munmap          11
#define SYS_brk             12
#define SYS_mlockall       151
#define SYS_munlockall     152

/* Signals. */
#define SYS_rt_sigaction    13
#define SYS_rt_sigprocmask  14
#define SYS_rt_sigreturn    15      /* only called by the C library's signal trampoline */
#define SYS_rt_sigpending  127
#define SYS_rt_sigtimedwait 128
#define SYS_rt_sigsuspend  130
#define SYS_sigaltstack    131
#define SYS_kill            62

/* Processes. */
#define SYS_sched_yield     24
#define SYS_getpid          39
#define SYS_fork            57
#define SYS_execve          59
#define SYS_exit            60
#define SYS_wait4           61
#define SYS_getuid         102
#define SYS_getgid         104
#define SYS_setuid         105
#define SYS_setgid         106
#define SYS_geteuid        107
#define SYS_getegid        108
#define SYS_getppid        110

/* Process groups and sessions (job control). */
#define SYS_setpgid        109
#define SYS_getpgrp        111
#define SYS_setsid         112
#define SYS_getpgid        121
#define SYS_getsid         124
#define SYS_exit_group     231

/* Resource limits (uapi/resource.h). */
#define SYS_getrlimit       97
#define SYS_setrlimit      160
#define SYS_prlimit64      302

/* Time. */
#define SYS_nanosleep       35
#define SYS_clock_gettime  228
#define SYS_clock_nanosleep 230
#define SYS_getitimer       36
#define SYS_alarm           37
#define SYS_setitimer       38

/* Which CPU the caller runs on (Linux: getcpu(&cpu, &node, NULL)). */
#define SYS_getcpu         309

/* The machine at a glance (uapi/sysinfo.h). */
#if 1 /* LAB syscall: BEGIN */
#define SYS_sysinfo         99
#else /* LAB syscall: STUB */
/* LAB syscall: sysinfo's number is Linux's, 99: define SYS_sysinfo here. */
#endif /* LAB syscall: END */

/* UNIX-domain sockets. */
#define SYS_socket          41
#define SYS_connect         42
#define SYS_accept          43
#define SYS_sendto          44
#define SYS_recvfrom        45
#define SYS_sendmsg         46
#define SYS_recvmsg         47
#define SYS_shutdown        48
#define SYS_bind            49
#define SYS_listen          50
#define SYS_getsockname     51
#define SYS_getpeername     52
#define SYS_socketpair      53
#define SYS_setsockopt      54
#define SYS_getsockopt      55
#define SYS_accept4        288

/* vmos's own calls: SYS_shm_open, SYS_kcounters, ... (500 and up). */
#include "uapi/vmos.h"

#endif /* UAPI_SYSCALL_H */
