/*
 * setjmp.h - non-local jumps.  A jmp_buf holds the registers the x86-64
 * calling convention says a function must preserve (rbx, rbp, r12-r15),
 * the stack pointer and the return address.  setjmp does not save the
 * signal mask; sigsetjmp(env, 1) does, in two more words, and siglongjmp
 * puts it back -- the way out of a signal handler (setjmp.S, signal.c).
 */
#ifndef _SETJMP_H
#define _SETJMP_H

typedef long jmp_buf[8];

int  setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int val) __attribute__((noreturn));

typedef long sigjmp_buf[10];
#define SIGJMP_SAVED 8          /* sigjmp_buf[8]: was the mask saved? */
#define SIGJMP_MASK  9          /* sigjmp_buf[9]: the mask */

int  sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
void siglongjmp(sigjmp_buf env, int val) __attribute__((noreturn));

#endif /* _SETJMP_H */
