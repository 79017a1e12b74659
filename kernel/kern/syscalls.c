/*
 * syscalls.c - the system call table and dispatcher.
 *
 * This is the one file that names every subsystem's system calls (docs/design.md:
 * the only other upward call besides the trap entry).  A call is looked up
 * by its number (uapi/syscall.h, Linux's numbering; uapi/vmos.h for ours),
 * called with the six argument registers, and its result (a value, or a
 * negative errno) goes back in rax.  Each sys_* function has its natural C
 * prototype; all arguments travel in registers in the System V ABI, so the
 * call through the generic six-argument type is what the C compiler would
 * have done anyway.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/syscall.h"
#include "kern/proc.h"
#include "kern/pgrp.h"
#include "kern/counters.h"
#include "kern/file.h"
#include "kern/sys_file.h"
#include "kern/poll.h"
#include "vm/vm_mmap.h"
#include "kern/prof.h"
#include "kern/lockstat.h"
#include "vm/vm_map_info.h"
#include "ipc/uipc_shm.h"
#include "ipc/uipc_usrreq.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "uapi/syscall.h"

typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

#define SYSCALL(name) [SYS_##name] = (syscall_fn)(void (*)(void))sys_##name

static long sys_exit_group(int status) { return sys_exit(status); }

static const syscall_fn syscall_table[] = {
	/* files and descriptors (kern/sys_file.c) */
	SYSCALL(read), SYSCALL(write), SYSCALL(open), SYSCALL(close), SYSCALL(stat),
	SYSCALL(fstat), SYSCALL(lseek), SYSCALL(ioctl), SYSCALL(pipe), SYSCALL(pipe2),
	SYSCALL(dup), SYSCALL(dup2), SYSCALL(dup3), SYSCALL(fcntl), SYSCALL(getdents64),
	SYSCALL(ftruncate), SYSCALL(fchmod), SYSCALL(fchown), SYSCALL(getcwd),
	SYSCALL(chdir), SYSCALL(unlink), SYSCALL(mkdir), SYSCALL(rmdir), SYSCALL(rename),
	SYSCALL(pread64), SYSCALL(pwrite64), SYSCALL(fsync), SYSCALL(fdatasync), SYSCALL(poll),
	SYSCALL(lstat), SYSCALL(link), SYSCALL(symlink), SYSCALL(readlink), SYSCALL(chmod),
	SYSCALL(chown), SYSCALL(lchown), SYSCALL(utimensat),
	/* memory (vm/vm_mmap.c) */
	SYSCALL(mmap), SYSCALL(munmap), SYSCALL(mprotect), SYSCALL(brk),
	SYSCALL(mlockall), SYSCALL(munlockall),
	/* processes (kern/fork.c, exit.c, exec.c, signal.c, sys_proc.c) */
	SYSCALL(fork), SYSCALL(execve), SYSCALL(exit), SYSCALL(exit_group), SYSCALL(wait4),
	SYSCALL(kill), SYSCALL(rt_sigaction), SYSCALL(rt_sigprocmask), SYSCALL(rt_sigreturn),
	SYSCALL(rt_sigpending), SYSCALL(rt_sigsuspend), SYSCALL(rt_sigtimedwait),
	SYSCALL(sigaltstack), SYSCALL(alarm), SYSCALL(setitimer), SYSCALL(getitimer),
	SYSCALL(clock_nanosleep),
	SYSCALL(getpid), SYSCALL(getppid), SYSCALL(getuid), SYSCALL(geteuid),
	SYSCALL(getgid), SYSCALL(getegid), SYSCALL(setuid), SYSCALL(setgid),
	SYSCALL(umask), SYSCALL(sched_yield), SYSCALL(getcpu), SYSCALL(nanosleep), SYSCALL(clock_gettime),
	SYSCALL(getrlimit), SYSCALL(setrlimit), SYSCALL(prlimit64),
	/* process groups and sessions (kern/pgrp.c) */
	SYSCALL(setpgid), SYSCALL(getpgrp), SYSCALL(setsid), SYSCALL(getpgid), SYSCALL(getsid),
	/* UNIX-domain sockets (ipc/uipc_syscalls.c) */
	SYSCALL(socket), SYSCALL(socketpair), SYSCALL(bind), SYSCALL(listen),
	SYSCALL(accept), SYSCALL(accept4), SYSCALL(connect), SYSCALL(getsockname),
	SYSCALL(getpeername), SYSCALL(shutdown), SYSCALL(sendto), SYSCALL(recvfrom),
	SYSCALL(sendmsg), SYSCALL(recvmsg), SYSCALL(setsockopt), SYSCALL(getsockopt),
	/* the machine at a glance (kern/counters.c) */
#if 1 /* LAB syscall: BEGIN */
	SYSCALL(sysinfo),
#else /* LAB syscall: STUB */
	/* LAB syscall: sysinfo's entry goes here. */
#endif /* LAB syscall: END */
	/* vmos's own */
	SYSCALL(kcounters), SYSCALL(kprocs), SYSCALL(poweroff),
	SYSCALL(kvmmap),                /* vm/vm_map_info.c */
	SYSCALL(kprof),                 /* kern/prof.c */
	SYSCALL(klockstat),             /* kern/lockstat.c */
	/* POSIX shared memory (ipc/uipc_shm.c) */
	SYSCALL(shm_open), SYSCALL(memfd_create), SYSCALL(shm_unlink), SYSCALL(shm_rename), SYSCALL(shm_list),
};

void syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->rax;
	long ret = -ENOSYS;

	intr_enable();                  /* the entry path left them off */
	COUNTER_INC(syscalls);
	tf->err = nr;                   /* kept: a stopped call restarts (kern/jobctl.c) */
	if (nr < ARRAY_SIZE(syscall_table) && syscall_table[nr] != NULL)
		ret = syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	tf->rax = (uint64_t)ret;
	trap_return_to_user();
}
