/*
 * mem.c - the byte-array functions: memcpy, memmove, memset, memcmp,
 * memchr (and the BSD bzero/bcmp).
 *
 * The compiler also calls memcpy, memmove and memset on its own, for
 * struct copies and initialisers, so these must exist and must not call
 * themselves: the copies use the x86 string instructions (rep movs,
 * rep stos), which copy 8 bytes per step and which modern CPUs speed up
 * in microcode.  The x86-64 ABI guarantees the direction flag is clear
 * (forward) when a function is called; memmove sets it only briefly.
 */
#include <string.h>
#include <strings.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;
	const void *s = src;
	size_t words = n / 8, bytes = n % 8;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
	return dst;
}

/*
 * Copy downwards, last byte first: right when dst overlaps the end of src.
 * First the 8-byte words at the top, then the n % 8 bytes at the bottom.
 */
static void copy_backward(char *dst, const char *src, size_t n)
{
	size_t words = n / 8, bytes = n % 8;
	uintptr_t d = (uintptr_t)dst + n - 8, s = (uintptr_t)src + n - 8;

	__asm__ volatile("std; rep movsq; cld"
			 : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	d = (uintptr_t)dst + bytes - 1;
	s = (uintptr_t)src + bytes - 1;
	__asm__ volatile("std; rep movsb; cld"
			 : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
}

void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		return memcpy(dst, src, n);     /* dst below src, or no overlap */
	copy_backward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (size_t i = 0; i < n; i++) {
		if (p[i] != q[i])
			return p[i] - q[i];
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	}
	return NULL;
}

void bzero(void *s, size_t n)
{
	memset(s, 0, n);
}

int bcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}
