/*
 * ksyms.h - the kernel's own symbol table, embedded at link time
 * (tools/gensyms.py), so a backtrace can name functions without a debugger.
 */
#ifndef KERN_KSYMS_H
#define KERN_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr, and the offset into it; NULL if unknown. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

#endif
