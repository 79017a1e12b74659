/*
 * benchlib.h - what every benchmark program shares: a monotonic clock in
 * nanoseconds and the one output format `make bench` documents:
 *
 *     bench NAME ns_per_op=X        (or another KEY=VALUE, e.g. mib_per_s=X)
 *
 * Benchmarks measure; they never assert a time (docs/design.md: performance is
 * measured by `make bench`, never by timed assertions in tests).
 */
#ifndef BENCHLIB_H
#define BENCHLIB_H

#include <stdint.h>

/* The program's name for error messages; set it first thing in main. */
extern const char *bench_prog;

/* Print "<prog>: <what> failed: errno N" and exit 1. */
void bench_die(const char *what) __attribute__((noreturn));
/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);
/* "bench NAME ns_per_op=ns/ops" */
void bench_report(const char *name, uint64_t ns, uint64_t ops);
/* "bench NAME KEY=VALUE" */
void bench_report_value(const char *name, const char *key, uint64_t value);
/* Move the one byte *c through fd: write it if writing, else read it.
 * Retries when a signal interrupts the call; any other result is fatal. */
void bench_xfer_byte(int fd, char *c, int writing);

#endif
