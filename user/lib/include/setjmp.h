/*
 * setjmp.h - non-local jumps.  A jmp_buf holds the registers the x86-64
 * calling convention says a function must preserve (rbx, rbp, r12-r15),
 * the stack pointer and the return address.  The signal mask is not saved.
 */
#ifndef _SETJMP_H
#define _SETJMP_H

typedef long jmp_buf[8];

int  setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));

#endif /* _SETJMP_H */
