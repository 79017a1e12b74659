/*
 * proc.h - processes.
 *
 * A process is one address space (struct vmspace), one descriptor table
 * (struct fdtable), credentials, and one kernel thread of control: a kernel
 * stack holding the trap frame of its user state and, while it is switched
 * out, its saved kernel registers (struct context).
 *
 * Life cycle:   UNUSED -> EMBRYO (being built by fork or kthread_create)
 *               -> RUNNABLE <-> RUNNING -> SLEEPING -> RUNNABLE ...
 *               -> ZOMBIE (exited; holds its status until the parent waits)
 *               -> UNUSED (reaped by wait)
 *
 * The process table is dynamic (proc.c): a struct proc is allocated at
 * fork and freed when reaped, found by pid through a hash, and every
 * process is on the allproc list and on its parent's children list, so
 * wait and exit look only at the children they concern.  maxproc bounds
 * the number of processes (set from the size of memory); the last
 * PROC_RESERVED_ROOT slots are kept for the superuser, and RLIMIT_NPROC
 * bounds each user (uidinfo.h).
 *
 * Locking: (t) proc_table_lock (the scheduler's lock too); (c) constant
 * after creation; (p) touched only by the process itself (curproc).
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/spinlock.h"
#include "arch/x86_64/percpu.h"
#include "uapi/types.h"
#include "uapi/signal.h"
#include "uapi/resource.h"

#define PROC_NAME_MAX   32
#define PROC_MAXPROC_MIN     64         /* maxproc is total pages / 64 within these */
#define PROC_MAXPROC_MAX     4096
#define PROC_RESERVED_ROOT   10         /* the last slots only root may take (FreeBSD's) */
#define PID_MAX         99999           /* pids wrap round after this (FreeBSD's) */
#define KSTACK_PAGES    4       /* 16 KiB kernel stack, plus an unmapped guard page below */

struct trapframe;
struct vmspace;
struct fdtable;
struct pgrp;

enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

/* Callee-saved registers of a switched-out kernel thread (swtch.S). */
struct context {
	uint64_t r15, r14, r13, r12, rbx, rbp, rip;
};

/* What a pending signal carries to its handler's siginfo_t (signal.c). */
struct sig_queued {
	int code;                       /* si_code */
	pid_t pid;                      /* SI_USER: sender */
	uid_t uid;
	uint64_t addr;                  /* SIGSEGV, SIGBUS, SIGILL, SIGFPE: si_addr */
};

struct proc {
	struct spinlock *lock;          /* = &proc_table_lock, for assertions */
	enum proc_state state;          /* (t) */
	pid_t pid;                      /* (c) */
	struct proc *parent;            /* (t) init adopts orphans */
	struct list children;           /* (t) our children, zombies included */
	struct list_node sibling;       /* (t) on parent->children */
	struct list_node allproc_link;  /* (t) on the list of every process */
	struct list_node pidhash_link;  /* (t) on its pid hash chain */
	void *wchan;                    /* (t) what a sleeping process waits for */
	bool sleep_interruptible;       /* (t) may a signal cut the sleep short? */
	uint64_t sleep_deadline;        /* (t) a timed sleep ends at this clock_ns() */
	struct list_node timeout_link;  /* (t) on the scheduler's deadline-sorted list */
	struct list_node runq;          /* (t) on the run queue while RUNNABLE, on
	                                   its channel's sleep queue while SLEEPING */
	int cpu;                        /* (t) the CPU it runs on, or last ran on */
	int vm_walks;                   /* (p) shadow-chain walks under way (vm_object.c) */
	char name[PROC_NAME_MAX];       /* (p) base name of the program */

	/* execution state */
	uint64_t kstack;                /* (c) lowest address of the kernel stack */
	struct trapframe *tf;           /* (p) user registers, at the top of kstack */
	struct context *context;        /* (t) saved kernel registers while switched out */

	/* resources */
	struct vmspace *vmspace;        /* (p) the address space; changed under (t)
	                                   as well, so that another process may
	                                   read it holding (t) (and vmspace_hold it) */
	struct fdtable *fdtable;        /* (p) open descriptors */

	/* credentials */
	uid_t uid, euid;                /* (p) */
	gid_t gid, egid;                /* (p) */
	mode_t umask;                   /* (p) */
	struct rlimit rlim[RLIM_NLIMITS];       /* (p) resource limits (rlimit.c) */

	/* signals (kern/signal.c) */
	uint64_t sig_pending;           /* (t) bit (sig-1) */
	uint64_t sig_blocked;           /* (t) bit (sig-1); written by p only */
	uint64_t sig_waitset;           /* (t) rt_sigtimedwait is waiting for these */
	uint64_t sig_saved_mask;        /* (p) rt_sigsuspend's mask to put back ... */
	bool sig_mask_saved;            /* (p) ... once a handler frame holds it */
	struct sigaction sig_action[NSIG];      /* (t) dispositions; written by p only */
	struct sig_queued sig_info[NSIG];       /* (t) who sent each pending signal */
	stack_t sig_altstack;           /* (p) sigaltstack */
	uint64_t itimer_deadline;       /* (t) ITIMER_REAL's next expiry (clock_ns), 0 = off */
	uint64_t itimer_interval;       /* (t) its reload, ns; 0 = one shot */
	struct list_node itimer_link;   /* (t) on signal.c's list of armed timers */

	/* job control (pgrp.c, jobctl.c) */
	struct pgrp *pgrp;              /* (t) our process group */
	struct list_node pgrp_link;     /* (t) on pgrp->members */
	bool did_exec;                  /* (t) has run exec since fork: setpgid says EACCES */
	bool stopped;                   /* (t) stopped by a signal */
	int stop_sig;                   /* (t) the signal that stopped it */
	int jobctl_report;              /* (t) JOBCTL_STOPPED/CONTINUED, not yet waited for */

	/* user floating-point/SSE registers while switched out (fpu.h) */
	uint8_t fpu[512] __attribute__((aligned(16)));

	/* files whose last release came while this thread was closing
	 * another (kern/file.c: closing without recursion) */
	bool closing;                   /* (p) inside file_release's close loop */
	struct list close_deferred;     /* (p) struct file.close_link, to close next */

	/* exit */
	int exit_status;                /* (t) wait status (uapi/wait.h encoding) once ZOMBIE */
	uint64_t fault_addr;            /* (p) for the "killed by" report */

#ifdef KERNEL_DEBUG
	struct witness_thread witness;  /* (p) mutexes held, for the lock-order checker */
#endif
};

extern struct spinlock proc_table_lock;

/* The process running on this CPU (NULL in the scheduler and during boot):
 * its struct cpu's proc, read as %gs:PERCPU_PROC in one instruction (as
 * FreeBSD's curthread), since nearly every system call asks.  volatile:
 * after a sleep the thread may run on another CPU, so an answer from
 * before must not be reused. */
static inline struct proc *curproc(void)
{
	struct proc *p;
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(p) : "i"(PERCPU_PROC));
	return p;
}

void proc_init(void);
/* Start /bin/init (pid 1) with argv {"/bin/init", cmdline}. */
void proc_start_init(const char *cmdline);
struct proc *proc_find(pid_t pid);             /* proc_table_lock held */
/*
 * A new process in state EMBRYO with a kernel stack, charged to real uid
 * `uid` (RLIMIT_NPROC `nproc_limit`, RLIM_INFINITY for none) and counted
 * against maxproc, where only `privileged` callers may take the last
 * PROC_RESERVED_ROOT slots.  0 with *pp, or -EAGAIN (a limit) / -ENOMEM.
 */
int proc_alloc(uid_t uid, uint64_t nproc_limit, bool privileged, struct proc **pp);
void proc_free(struct proc *p);                /* a reaped zombie or a failed EMBRYO */
/* Make child p's parent `parent` (proc_table_lock held). */
void proc_set_parent_locked(struct proc *p, struct proc *parent);
/* The process's real uid changes: move its RLIMIT_NPROC charge.  0 or -ENOMEM. */
int proc_change_ruid(struct proc *p, uid_t uid);
/* The most processes there may be at once. */
extern uint64_t maxproc;
/*
 * A kernel thread running fn(arg); it has no user space and is never
 * preempted (preemption happens on the way back to user mode).  Its parent
 * is the creating process, which reaps it with sys_wait4(), or init when
 * created at boot.  Returning from fn exits with status 0.
 */
struct proc *kthread_create(const char *name, void (*fn)(void *), void *arg);
extern struct proc *initproc;
void proc_forkret(void);                       /* first code of every new process */
void proc_foreach_locked(void (*fn)(struct proc *p, void *arg), void *arg);
/* Every process and where it waits, for a panic report (no lock taken). */
void proc_dump(void);

/* System calls implemented in kern/ (fork.c, exit.c, signal.c, proc.c, exec.c). */
long sys_fork(void);
long sys_execve(const char *path, char *const argv[], char *const envp[]);
long sys_exit(int status);
long sys_wait4(pid_t pid, int *status, int options, void *rusage);
/* wait4 for the kernel: the child's pid with its wait status in *status,
 * 0 (WNOHANG, none yet), or -ECHILD/-EINTR/-EINVAL. */
int kern_wait4(pid_t pid, int *status, int options);
long sys_kill(pid_t pid, int sig);
long sys_rt_sigaction(int sig, const void *act, void *oldact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const void *set, void *oldset, size_t sigsetsize);
long sys_rt_sigreturn(void);
long sys_rt_sigpending(void *set, size_t sigsetsize);
long sys_rt_sigsuspend(const void *mask, size_t sigsetsize);
long sys_rt_sigtimedwait(const void *set, void *info, const void *timeout, size_t sigsetsize);
long sys_sigaltstack(const void *ss, void *old_ss);
long sys_alarm(unsigned int seconds);
long sys_setitimer(int which, const void *value, void *ovalue);
long sys_getitimer(int which, void *value);
long sys_clock_nanosleep(int clock, int flags, const void *req, void *rem);
long sys_getpid(void);
long sys_getppid(void);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_setuid(uid_t uid);
long sys_setgid(gid_t gid);
long sys_umask(mode_t mask);
long sys_sched_yield(void);
long sys_getcpu(unsigned *ucpu, unsigned *unode, void *unused);
long sys_nanosleep(const void *req, void *rem);
long sys_clock_gettime(int clock, void *ts);
long sys_kprocs(void *buf, int max);
long sys_getrlimit(int resource, void *rlim);
long sys_setrlimit(int resource, const void *rlim);
long sys_prlimit64(pid_t pid, int resource, const void *new_rlim, void *old_rlim);
long sys_poweroff(int status);

/* Terminate the current process with a wait status (from exit or a signal). */
void proc_exit(int wait_status) __noreturn;

/* Counting for kcounters. */
uint64_t proc_count(void);

#endif
