/*
 * shm_bench.c - benchmarks of POSIX shared memory (kernel/ipc/uipc_shm.c).
 *
 * Prints one line per benchmark, `bench NAME ns_per_op=X` (integer ns), as
 * bench.c does:
 *
 *   shm_anon_lifecycle   shm_open(SHM_ANON), ftruncate to one page, mmap,
 *                        touch the page, munmap, close
 *   shm_named_lifecycle  shm_open(O_CREAT|O_EXCL) of a name, shm_unlink, close
 *   shm_fault            first touch of each page of a 32 MiB shm mapping
 *                        (per page; the object is sized, not yet populated)
 *   shm_fork_write       fork; the child writes 4096 ints into an inherited
 *                        MAP_SHARED shm mapping and exits; the parent waits
 *                        and checks them
 *
 * Timed with CLOCK_MONOTONIC; the iteration counts keep the run to a few
 * seconds under TCG.  Exits 0 unless something fails outright.
 */
#include "benchlib.h"

#include <errno.h>
#include <fcntl.h>
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
#define ANON_ITERS      2000
#define NAMED_ITERS     5000
#define FAULT_BYTES     (32ul * MIB)
#define FAULT_ROUNDS    2
#define FORK_ITERS      100
#define FORK_INTS       4096

static void anon_once(void)
{
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	volatile char *p;

	if (fd < 0)
		bench_die("shm_open");
	if (ftruncate(fd, PG) < 0)
		bench_die("ftruncate");
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		bench_die("mmap");
	p[0] = 1;
	if (munmap((void *)p, PG) < 0 || close(fd) < 0)
		bench_die("munmap/close");
}

static void bench_anon_lifecycle(void)
{
	anon_once();                            /* warm up */
	uint64_t t0 = bench_now_ns();
	for (int i = 0; i < ANON_ITERS; i++)
		anon_once();
	bench_report("shm_anon_lifecycle", bench_now_ns() - t0, ANON_ITERS);
}

static void bench_named_lifecycle(void)
{
	const char *name = "/shm_bench.named";
	shm_unlink(name);
	uint64_t t0 = bench_now_ns();
	for (int i = 0; i < NAMED_ITERS; i++) {
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			bench_die("shm_open");
		if (shm_unlink(name) < 0 || close(fd) < 0)
			bench_die("shm_unlink/close");
	}
	bench_report("shm_named_lifecycle", bench_now_ns() - t0, NAMED_ITERS);
}

static void bench_fault(void)
{
	uint64_t total = 0;

	for (int round = 0; round < FAULT_ROUNDS; round++) {
		int fd = shm_open(SHM_ANON, O_RDWR, 0600);
		char *p;

		if (fd < 0 || ftruncate(fd, FAULT_BYTES) < 0)
			bench_die("shm_open/ftruncate");
		p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			bench_die("mmap");
		uint64_t t0 = bench_now_ns();
		for (size_t off = 0; off < FAULT_BYTES; off += PG)
			p[off] = 1;
		total += bench_now_ns() - t0;
		__asm__ volatile("" : : "r"(p) : "memory");
		if (munmap(p, FAULT_BYTES) < 0 || close(fd) < 0)
			bench_die("munmap/close");
	}
	bench_report("shm_fault", total, FAULT_ROUNDS * (FAULT_BYTES / PG));
}

static void bench_fork_write(void)
{
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	if (fd < 0 || ftruncate(fd, FORK_INTS * sizeof(int)) < 0)
		bench_die("shm_open/ftruncate");
	int *p = mmap(NULL, FORK_INTS * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		bench_die("mmap");
	memset(p, 0, FORK_INTS * sizeof(int));
	uint64_t t0 = bench_now_ns();
	for (int round = 1; round <= FORK_ITERS; round++) {
		pid_t pid = fork();
		if (pid < 0)
			bench_die("fork");
		if (pid == 0) {
			for (int i = 0; i < FORK_INTS; i++)
				p[i] = round + i;
			_exit(0);
		}
		int status;
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				bench_die("waitpid");
		for (int i = 0; i < FORK_INTS; i++)
			if (p[i] != round + i)
				bench_die("the child's writes");
	}
	bench_report("shm_fork_write", bench_now_ns() - t0, FORK_ITERS);
	munmap(p, FORK_INTS * sizeof(int));
	close(fd);
}

int main(void)
{
	bench_prog = "shm_bench";
	bench_anon_lifecycle();
	bench_named_lifecycle();
	bench_fault();
	bench_fork_write();
	return 0;
}
