/*
 * mem.c - the byte-array functions: memcpy, memmove, memset, memcmp,
 * memchr (and the BSD bzero/bcmp).
 *
 * The compiler also calls memcpy, memmove and memset on its own, for
 * struct copies and initialisers, so these must exist and must not call
 * themselves (the library is built with -fno-tree-loop-distribute-patterns,
 * so gcc does not turn these loops back into calls).
 *
 * Unrolled loops of 8-byte moves rather than `rep movs`/`rep stos`: under
 * QEMU's TCG emulator each iteration of a rep-prefixed instruction is
 * emulated separately, and a 1 MiB rep movsq took ~10 ms; the loop runs as
 * translated native code, many times faster, and is fine on hardware too.
 */
#include <string.h>
#include <strings.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 64; n -= 64, d += 64, s += 64) {
			uint64_t *dw = (uint64_t *)d;
			const uint64_t *sw = (const uint64_t *)s;
			uint64_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
			uint64_t f = sw[4], g = sw[5], h = sw[6], i = sw[7];
			dw[0] = a; dw[1] = b; dw[2] = c; dw[3] = e;
			dw[4] = f; dw[5] = g; dw[6] = h; dw[7] = i;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)dst - (uintptr_t)src >= n)
		return memcpy(dst, src, n);     /* dst below src, or no overlap */
	while (n--)                             /* dst overlaps the end of src */
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = 0x0101010101010101ull * (unsigned char)c;

	if (((uintptr_t)d & 7) == 0) {
		for (; n >= 64; n -= 64, d += 64) {
			uint64_t *w = (uint64_t *)d;
			w[0] = v; w[1] = v; w[2] = v; w[3] = v;
			w[4] = v; w[5] = v; w[6] = v; w[7] = v;
		}
		for (; n >= 8; n -= 8, d += 8)
			*(uint64_t *)d = v;
	}
	while (n--)
		*d++ = (unsigned char)c;
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
