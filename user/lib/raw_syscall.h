/*
 * raw_syscall.h - entering the kernel (private to the C library).
 *
 * raw_syscallN(nr, args...) executes the `syscall` instruction with the
 * Linux x86-64 convention: number in rax, arguments in rdi, rsi, rdx,
 * r10, r8, r9, result in rax.  The instruction overwrites rcx and r11,
 * and the kernel may read or write any memory the arguments point to, so
 * both are declared clobbered.
 *
 * The kernel answers -errno on failure; syscall_result() turns that into
 * the C library convention (errno set, -1 returned).
 */
#ifndef LIBC_RAW_SYSCALL_H
#define LIBC_RAW_SYSCALL_H

#include "uapi/syscall.h"
#include "uapi/errno.h"

extern int errno;

static inline long raw_syscall6(long nr, long a1, long a2, long a3,
				long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3),
			   "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Shorter forms; the unused argument registers are passed as 0. */
#define raw_syscall0(nr)                raw_syscall6(nr, 0, 0, 0, 0, 0, 0)
#define raw_syscall1(nr, a)             raw_syscall6(nr, (long)(a), 0, 0, 0, 0, 0)
#define raw_syscall2(nr, a, b)          raw_syscall6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define raw_syscall3(nr, a, b, c) \
	raw_syscall6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define raw_syscall4(nr, a, b, c, d) \
	raw_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define raw_syscall5(nr, a, b, c, d, e) \
	raw_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* Is this raw result an error (-4095 .. -1)? */
static inline int syscall_failed(long ret)
{
	return (unsigned long)ret >= (unsigned long)-UAPI_MAX_ERRNO;
}

/* Raw result -> C convention: -1 with errno set, or the value. */
static inline long syscall_result(long ret)
{
	if (syscall_failed(ret)) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

#endif /* LIBC_RAW_SYSCALL_H */
