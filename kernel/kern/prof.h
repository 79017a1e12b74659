/*
 * prof.h - the sampling profiler (prof.c): where the time goes.
 */
#ifndef KERN_PROF_H
#define KERN_PROF_H

#include "kern/kernel.h"

#define PROF_HZ          10000  /* samples a second while sampling is on */
#define PROF_DEPTH       12     /* interrupted pc plus up to 11 callers */
#define PROF_MAX_SAMPLES 65536  /* 8 MiB of buffer: 6.5 s at PROF_HZ */

/* What one sample records (also the dump's record: tools/profile reads it). */
enum prof_mode { PROF_USER = 1, PROF_KERNEL = 2, PROF_IDLE = 3 };
struct prof_sample {
	uint64_t pc[PROF_DEPTH];        /* pc[0] where the CPU was; then the callers */
	uint64_t user_pc;               /* PROF_KERNEL in a process: where it entered the kernel */
	int32_t pid;                    /* 0: idle */
	uint8_t mode;                   /* enum prof_mode */
	uint8_t depth;                  /* pcs used */
	uint16_t reserved;
	char comm[16];                  /* the program's name (or the kernel thread's) */
};
_Static_assert(sizeof(struct prof_sample) == 128, "the dump format has 128-byte records");

/* Start sampling into a fresh buffer (earlier samples are dropped):
 * 0, -EBUSY (already on) or -ENOMEM.  May sleep. */
int prof_start(void);
/* Stop sampling; the samples stay until the next prof_start or the dump. */
void prof_stop(void);
/* Samples taken since the last prof_start. */
uint64_t prof_count(void);
/* At the end of a run: stop, and hand the samples to the host through the
 * debug console, if it is there and there are samples. */
void prof_dump(void);

long sys_kprof(int op);

#endif
