/*
 * ksyms.c - address to function name, by binary search in the table that
 * tools/gensyms.py generated from the kernel's own `nm` output.
 */
#include "kern/kernel.h"
#include "kern/ksyms.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_offsets[];
extern const char ksyms_names[];
extern const char _text_start[], _text_end[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	if (ksyms_count == 0 || addr < ksyms_addrs[0] ||
	    addr >= (uint64_t)_text_end)
		return NULL;
	/* Find the last symbol whose address is <= addr. */
	uint64_t lo = 0, hi = ksyms_count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addrs[lo];
	return ksyms_names + ksyms_offsets[lo];
}
