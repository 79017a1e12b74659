/*
 * syscall.h - the system call table and the conventions of sys_* functions.
 *
 * Every system call is a C function `long sys_NAME(args...)` taking up to
 * six integer or pointer arguments in the natural types (user pointers are
 * marked __user and must only be passed to copyin/copyout), and returning a
 * non-negative result or a negative errno.  kern/syscalls.c holds the table
 * from number (uapi/syscall.h) to function; it is the one file that names
 * every subsystem's entry points.  Unknown numbers return -ENOSYS.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <stdint.h>

struct trapframe;

void syscall_init(void);                /* program the syscall MSRs */
void syscall_dispatch(struct trapframe *tf);

#endif
