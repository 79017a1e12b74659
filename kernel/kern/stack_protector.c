/*
 * stack_protector.c - support for gcc's -fstack-protector-strong.
 *
 * gcc puts a copy of __stack_chk_guard (the "canary") below the return
 * address of every function with a local array, and checks it before
 * returning; a mismatch means a buffer on the stack overflowed, and gcc calls
 * __stack_chk_fail().  We build with -mstack-protector-guard=global, so the
 * canary is this global rather than a per-thread value at %fs:0x28.
 * stack_protector_init() replaces the fixed initial value with a less
 * guessable one; it runs first thing in kmain(), before any protected frame
 * that will return is on the stack.
 */
#include "kern/kernel.h"
#include "kern/stack_protector.h"
#include "arch/x86_64/cpu.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ul;

void stack_protector_init(void)
{
	uint64_t t = rdtsc();
	__stack_chk_guard ^= (t << 32) | (t >> 32) | 0xff;  /* keep a NUL-free low byte */
}

void __noreturn __stack_chk_fail(void)
{
	panic("__stack_chk_fail: stack buffer overflow detected in the calling function");
}
