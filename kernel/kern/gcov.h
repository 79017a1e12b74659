/*
 * gcov.h - code coverage of the kernel itself (`make coverage`).
 *
 * Only the coverage build (make GCOV=1, which compiles the kernel with
 * -fprofile-arcs -ftest-coverage -DGCOV) has a gcov runtime; everywhere
 * else these calls are empty inline functions, so the normal kernel does
 * not change by a byte.  See gcov.c for how the counters leave the guest.
 */
#ifndef KERN_GCOV_H
#define KERN_GCOV_H

#ifdef GCOV
/* Run the constructors gcc emitted (each registers one object file's
 * counters).  Call once, first thing at boot. */
void gcov_init(void);
/* Write every registered object's counters to the debug console (port
 * 0xe9), if QEMU has one.  Call just before the run ends. */
void gcov_dump(void);
#else
static inline void gcov_init(void) { }
static inline void gcov_dump(void) { }
#endif

#endif
