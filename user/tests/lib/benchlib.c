/*
 * benchlib.c - clock and reporting shared by the benchmarks (benchlib.h).
 */
#include "benchlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

const char *bench_prog = "bench";

void bench_die(const char *what)
{
	dprintf(2, "%s: %s failed: errno %d\n", bench_prog, what, errno);
	exit(1);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		bench_die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void bench_report_value(const char *name, const char *key, uint64_t value)
{
	printf("bench %s %s=%llu\n", name, key, (unsigned long long)value);
	fflush(stdout);
}

void bench_xfer_byte(int fd, char *c, int writing)
{
	for (;;) {
		ssize_t n = writing ? write(fd, c, 1) : read(fd, c, 1);
		if (n == 1)
			return;
		if (n < 0 && errno == EINTR)
			continue;
		bench_die(writing ? "write of one byte" : "read of one byte");
	}
}

void bench_report(const char *name, uint64_t ns, uint64_t ops)
{
	bench_report_value(name, "ns_per_op", ns / (ops ? ops : 1));
}
