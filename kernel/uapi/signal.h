/*
 * uapi/signal.h - signal numbers, signal sets and struct sigaction.
 *
 * Numbers are Linux x86-64's.  A signal set is a 64-bit mask: signal n is
 * bit (n - 1).  struct sigaction is the layout the Linux rt_sigaction
 * system call takes (which is not glibc's user-level layout): handler,
 * flags, restorer, mask.  rt_sigaction's fourth argument is
 * sizeof(sigset_t), always 8.
 *
 * The C library sets SA_RESTORER and points sa_restorer at a trampoline
 * that calls rt_sigreturn; a kernel that delivers a signal to a handler
 * pushes sa_restorer as the handler's return address.
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#include "uapi/types.h"

#define SIGHUP     1    /* terminal hung up */
#define SIGINT     2    /* interrupt (^C) */
#define SIGQUIT    3    /* quit (^\) */
#define SIGILL     4    /* illegal instruction */
#define SIGTRAP    5    /* breakpoint / trace trap */
#define SIGABRT    6    /* abort() */
#define SIGIOT     SIGABRT
#define SIGBUS     7    /* bus error: e.g. touching a mapping past end of object */
#define SIGFPE     8    /* arithmetic error (divide by zero) */
#define SIGKILL    9    /* kill: cannot be caught or ignored */
#define SIGUSR1   10
#define SIGSEGV   11    /* invalid memory reference */
#define SIGUSR2   12
#define SIGPIPE   13    /* write to a pipe or socket with no reader */
#define SIGALRM   14
#define SIGTERM   15    /* polite termination request */
#define SIGSTKFLT 16
#define SIGCHLD   17    /* a child stopped or exited */
#define SIGCONT   18
#define SIGSTOP   19    /* stop: cannot be caught or ignored */
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPOLL   SIGIO
#define SIGPWR    30
#define SIGSYS    31
#define NSIG      65    /* signals are numbered 1 .. NSIG-1 */

/* A set of signals: bit (n - 1) stands for signal n. */
typedef __UINT64_TYPE__ sigset_t;

/* Special handler values. */
#define SIG_DFL ((void (*)(int))0)      /* default action */
#define SIG_IGN ((void (*)(int))1)      /* ignore the signal */

/* sa_flags. */
#define SA_NOCLDSTOP 0x00000001 /* no SIGCHLD when a child stops */
#define SA_NOCLDWAIT 0x00000002 /* children do not become zombies */
#define SA_SIGINFO   0x00000004 /* handler is sa_sigaction(sig, info, ctx) */
#define SA_RESTORER  0x04000000 /* sa_restorer is valid */
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000 /* restart interrupted system calls */
#define SA_NODEFER   0x40000000 /* do not block the signal in its handler */
#define SA_RESETHAND 0x80000000 /* reset to SIG_DFL on delivery */

/* rt_sigprocmask "how". */
#define SIG_BLOCK    0          /* mask |= set */
#define SIG_UNBLOCK  1          /* mask &= ~set */
#define SIG_SETMASK  2          /* mask = set */

/* si_code: who sent a signal, or why the kernel did. */
#define SI_USER      0          /* kill(): si_pid, si_uid */
#define SI_KERNEL    0x80       /* the kernel (a timer, a protection fault) */
#define SI_TIMER     (-2)
#define ILL_ILLOPN   2          /* SIGILL: illegal operand/opcode */
#define FPE_INTDIV   1          /* SIGFPE: integer divide by zero */
#define SEGV_MAPERR  1          /* SIGSEGV: no mapping at si_addr */
#define SEGV_ACCERR  2          /* SIGSEGV: mapped, but the access is not allowed */
#define BUS_ADRALN   1          /* SIGBUS: misaligned address */
#define BUS_ADRERR   2          /* SIGBUS: past the end of the object */
#define BUS_OBJERR   3          /* SIGBUS: the object could not be read (I/O error) */
#define TRAP_BRKPT   1          /* SIGTRAP: breakpoint */

/* What a handler installed with SA_SIGINFO learns (Linux layout, 128 bytes). */
typedef struct {
	int si_signo;           /* signal number */
	int si_errno;
	int si_code;            /* why it was sent */
	int __pad0;
	union {
		struct {        /* kill(), SIGCHLD */
			pid_t si_pid;
			uid_t si_uid;
			int   si_status;        /* SIGCHLD: exit status or signal */
		};
		void *si_addr;  /* SIGSEGV, SIGBUS: faulting address */
		char __pad1[112];
	};
} siginfo_t;

/* Argument of rt_sigaction (the kernel's layout). */
struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	__UINT64_TYPE__ sa_flags;       /* SA_* */
	void (*sa_restorer)(void);      /* return trampoline (SA_RESTORER) */
	sigset_t sa_mask;               /* blocked while the handler runs */
};

/* sigaltstack: an alternate stack for handlers installed with SA_ONSTACK. */
typedef struct {
	void *ss_sp;            /* lowest address */
	int ss_flags;           /* SS_ONSTACK (running on it, read only), SS_DISABLE */
	__SIZE_TYPE__ ss_size;
} stack_t;

#define SS_ONSTACK   1
#define SS_DISABLE   2
#define MINSIGSTKSZ  2048       /* smaller is ENOMEM */
#define SIGSTKSZ     8192

/*
 * The registers a handler's third argument (ucontext_t *) shows, in the
 * order Linux x86-64 (and glibc's REG_* names) have them.  rt_sigreturn
 * puts them back, so a handler may change them (but see signal.c: only
 * to values a user program could have had).
 */
enum {
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
	REG_RDI, REG_RSI, REG_RBP, REG_RBX, REG_RDX, REG_RAX, REG_RCX, REG_RSP,
	REG_RIP, REG_EFL,
	REG_CSGSFS,     /* cs in bits 0-15, gs 16-31, fs 32-47, ss 48-63 */
	REG_ERR, REG_TRAPNO, REG_OLDMASK, REG_CR2,
	NGREG
};

/* The fxsave image of the x87/SSE registers (512 bytes, 16-byte aligned). */
struct _libc_fpstate {
	__UINT16_TYPE__ cwd, swd, ftw, fop;
	__UINT64_TYPE__ rip, rdp;
	__UINT32_TYPE__ mxcsr, mxcr_mask;
	__UINT32_TYPE__ st[32];         /* 8 registers of 16 bytes */
	__UINT32_TYPE__ xmm[64];        /* 16 registers of 16 bytes */
	__UINT32_TYPE__ padding[24];
};

typedef struct {
	long long gregs[NGREG];
	struct _libc_fpstate *fpregs;   /* the FPU state, inside the signal frame */
	unsigned long long __reserved1[8];
} mcontext_t;

typedef struct ucontext {
	unsigned long uc_flags;
	struct ucontext *uc_link;
	stack_t uc_stack;               /* the alternate stack when the signal came */
	mcontext_t uc_mcontext;
	sigset_t uc_sigmask;            /* the mask rt_sigreturn puts back */
} ucontext_t;

#endif /* UAPI_SIGNAL_H */
