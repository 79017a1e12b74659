/*
 * sigframe.h - the signal frame on the user stack (sigframe.c).
 */
#ifndef ARCH_X86_64_SIGFRAME_H
#define ARCH_X86_64_SIGFRAME_H

#include "kern/kernel.h"
#include "uapi/signal.h"

struct trapframe;

/* tf->err of a system call's frame holds the call's number (syscall_entry.S),
 * so that an interrupted call can be restarted; this value means "none". */
#define SIGFRAME_NO_SYSCALL (~0ul)

/*
 * Build the frame for act's handler on the user stack (on altstack when
 * use_altstack) and point tf at the handler: rdi = signal, rsi = siginfo,
 * rdx = ucontext.  oldmask is the mask rt_sigreturn will put back.
 * 0, or -EFAULT when the stack cannot be written.
 */
int sigframe_push(struct trapframe *tf, const struct sigaction *act, const siginfo_t *info,
    uint64_t oldmask, const stack_t *altstack, bool use_altstack);

/*
 * rt_sigreturn: read the frame at tf->rsp, check it (sigframe.c's top
 * comment), and restore tf, the FPU registers and *mask from it.  0, or
 * -EFAULT/-EINVAL with the reason in why (tf untouched then).
 */
int sigframe_pop(struct trapframe *tf, uint64_t *mask, char *why, size_t whylen);

/* Is the user stack pointer of tf on the alternate stack ss? */
bool sigframe_on_altstack(const struct trapframe *tf, const stack_t *ss);

#endif
