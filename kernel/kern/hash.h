/*
 * hash.h - the string hash the kernel's name spaces use.
 *
 * 32-bit FNV-1 (for each byte: multiply by the prime, then xor the byte),
 * started at 33554467 as FreeBSD's fnv_32_str is, keyed on a NUL-
 * terminated string.  The shm name space (ipc/uipc_shm.c) and the socket
 * name space (ipc/uipc_usrreq.c) both use it; lookups always compare the
 * whole string too, so collisions (/cdywcnqe and /dtflfocj share a hash)
 * cost a comparison, never a wrong answer.
 */
#ifndef KERN_HASH_H
#define KERN_HASH_H

#include <stdint.h>

#define HASH_FNV1_32_INIT  33554467u
#define HASH_FNV1_32_PRIME 16777619u

static inline uint32_t hash_fnv1_32(const char *str)
{
#if 1 /* LAB shm: BEGIN */
	uint32_t h = HASH_FNV1_32_INIT;
	for (const unsigned char *s = (const unsigned char *)str; *s != '\0'; s++) {
		h *= HASH_FNV1_32_PRIME;
		h ^= *s;
	}
	return h;
#else /* LAB shm: STUB */
	/* LAB shm: FNV-1 as above: start at HASH_FNV1_32_INIT; for each byte
	 * (as unsigned char) multiply by HASH_FNV1_32_PRIME, then xor the byte.
	 * Until then every name lands in one bucket: slow, but still right. */
	(void)str;
	return 0;
#endif /* LAB shm: END */
}

#endif
