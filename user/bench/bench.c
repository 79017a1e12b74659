/*
 * bench.c - micro-benchmarks of the kernel's common paths.
 *
 * Prints one line per benchmark, `bench NAME ns_per_op=X` (integer ns):
 *
 *   null_syscall      getppid(), the cheapest round trip into the kernel
 *   fork_1mib         fork + child _exit + wait, the parent holding 1 MiB
 *                     of touched private memory (copy-on-write makes this
 *                     much cheaper than copying the 1 MiB)
 *   fork_1mib_cow     the same, but the child writes all 256 pages
 *                     (every write a copy-on-write fault)
 *   page_fault        first touch of a fresh anonymous page (per page)
 *   pipe_roundtrip    1 byte to a child and 1 byte back over two pipes
 *   memcpy_1mib       copying 1 MiB in user space, for comparison
 *
 * Timed with CLOCK_MONOTONIC; iteration counts keep the whole run to a few
 * seconds on a slow emulator.  Exits 0 unless something fails outright.
 */
#include "benchlib.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG              4096ul
#define MIB             (1024ul * 1024ul)

#define NULL_ITERS      20000
#define FORK_ITERS      50
#define FAULT_BYTES     (32ul * MIB)
#define FAULT_ROUNDS    2
#define PIPE_ITERS      2000
#define MEMCPY_ITERS    50

/* Keep the compiler from dropping work whose result is unused. */
static void clobber(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

static char *map_touched(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bench_die("mmap");
	memset(p, 1, len);
	return p;
}

static void reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		dprintf(2, "bench: child status %#x\n", status);
		exit(1);
	}
}

static void bench_null_syscall(void)
{
	uint64_t t0 = bench_now_ns();

	for (int i = 0; i < NULL_ITERS; i++)
		if (getppid() < 0)
			bench_die("getppid");
	bench_report("null_syscall", bench_now_ns() - t0, NULL_ITERS);
}

/* child_writes: the child dirties every page before exiting. */
static void bench_fork(const char *name, int child_writes)
{
	char *buf = map_touched(MIB);
	uint64_t t0 = bench_now_ns();

	for (int i = 0; i < FORK_ITERS; i++) {
		pid_t pid = fork();

		if (pid < 0)
			bench_die("fork");
		if (pid == 0) {
			if (child_writes)
				for (size_t off = 0; off < MIB; off += PG)
					buf[off] = 2;
			_exit(0);
		}
		reap(pid);
	}
	bench_report(name, bench_now_ns() - t0, FORK_ITERS);
	munmap(buf, MIB);
}

static void bench_page_fault(void)
{
	uint64_t total = 0;

	for (int round = 0; round < FAULT_ROUNDS; round++) {
		char *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t t0;

		if (p == MAP_FAILED)
			bench_die("mmap");
		t0 = bench_now_ns();
		for (size_t off = 0; off < FAULT_BYTES; off += PG)
			p[off] = 1;
		total += bench_now_ns() - t0;
		clobber(p);
		if (munmap(p, FAULT_BYTES) < 0)
			bench_die("munmap");
	}
	bench_report("page_fault", total, FAULT_ROUNDS * (FAULT_BYTES / PG));
}

static void bench_pipe_roundtrip(void)
{
	int ping[2], pong[2];
	uint64_t t0;
	pid_t pid;
	char c = 'x';

	if (pipe(ping) < 0 || pipe(pong) < 0)
		bench_die("pipe");
	pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		for (int i = 0; i < PIPE_ITERS; i++) {
			bench_xfer_byte(ping[0], &c, 0);
			bench_xfer_byte(pong[1], &c, 1);
		}
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	bench_xfer_byte(ping[1], &c, 1);           /* one warm-up exchange, not timed */
	bench_xfer_byte(pong[0], &c, 0);
	t0 = bench_now_ns();
	for (int i = 1; i < PIPE_ITERS; i++) {
		bench_xfer_byte(ping[1], &c, 1);
		bench_xfer_byte(pong[0], &c, 0);
	}
	bench_report("pipe_roundtrip", bench_now_ns() - t0, PIPE_ITERS - 1);
	close(ping[1]);
	close(pong[0]);
	reap(pid);
}

static void bench_memcpy(void)
{
	char *src = map_touched(MIB), *dst = map_touched(MIB);
	uint64_t t0 = bench_now_ns();

	for (int i = 0; i < MEMCPY_ITERS; i++) {
		memcpy(dst, src, MIB);
		clobber(dst);
	}
	bench_report("memcpy_1mib", bench_now_ns() - t0, MEMCPY_ITERS);
	munmap(src, MIB);
	munmap(dst, MIB);
}

int main(void)
{
	bench_prog = "bench";
	bench_null_syscall();
	bench_fork("fork_1mib", 0);
	bench_fork("fork_1mib_cow", 1);
	bench_page_fault();
	bench_pipe_roundtrip();
	bench_memcpy();
	return 0;
}
