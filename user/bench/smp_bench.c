/*
 * smp_bench.c - how independent work scales with the CPUs (issue 14).
 *
 * Each benchmark runs W worker processes that share nothing but the
 * kernel, each doing the same fixed amount of work.  The time runs from
 * a start flag every worker waits on (in a shared page) to the exit of
 * the last one (CLOCK_MONOTONIC), and the figure is the operations of
 * all workers together per second.  W is 1, then the number of CPUs
 * running the kernel (kcounters().cpus, at most MAX_WORKERS); with one
 * CPU only W = 1 runs.  It prints
 *
 *   bench smp_cpus cpus=N
 *   bench smp_NAME_1proc ops_per_sec=X
 *   bench smp_NAME_Nproc ops_per_sec=X
 *
 * With perfect scaling, X of N processes is N times X of one; with the
 * work all on one CPU, it is about the same.  `make bench-smp` boots with
 * one CPU and then two and prints the ratio (tools/bench-smp).
 *
 *   null_syscall   getppid(), the cheapest round trip into the kernel
 *   page_fault     first touch of each page of a fresh anonymous mapping
 *                  of the worker's own (per page; mmap, touch every page,
 *                  munmap, FAULT_ROUNDS times)
 *   shm_lifecycle  shm_open(O_CREAT|O_EXCL) of a name of the worker's
 *                  own, ftruncate to one page, close, shm_unlink
 *   sched_yield    sched_yield(): a trip through the scheduler and its
 *                  one run queue, whose lock every CPU takes (what a run
 *                  queue per CPU would spare; kernel/kern/sched.c)
 *
 * Each figure is the best of REPS runs (TCG's wall-clock time varies
 * 10-30 % from run to run, and the host may be busy).  The whole program
 * takes a few seconds on one CPU under TCG.  It must not run under
 * -icount (make bench ICOUNT=1): that puts every CPU on one host thread,
 * so no number of CPUs can do more than one's work.
 */
#include "benchlib.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmos.h>

#define PG              4096ul
#define MAX_WORKERS     16
#define REPS            3

#define NULL_OPS        1000000         /* getppid calls per worker */
#define FAULT_PAGES     2048            /* 8 MiB mapping ... */
#define FAULT_ROUNDS    16              /* ... faulted in this many times per worker */
#define SHM_OPS         24000           /* lifecycles per worker */
#define YIELD_OPS       200000          /* sched_yield calls per worker */

/* The page every worker and the parent share. */
struct start {
	volatile int ready;                     /* workers waiting for go */
	volatile int go;
};

static struct start *start;

/* ----------------------------------------------------------- the work */

/* Each runs in a worker after the start, and does its bench's ops. */

static void work_null_syscall(void)
{
	for (int i = 0; i < NULL_OPS; i++)
		if (getppid() < 0)
			bench_die("getppid");
}

static void work_page_fault(void)
{
	for (int r = 0; r < FAULT_ROUNDS; r++) {
		volatile char *p = mmap(NULL, FAULT_PAGES * PG, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			bench_die("mmap");
		for (unsigned long i = 0; i < FAULT_PAGES; i++)
			p[i * PG] = 1;
		if (munmap((void *)p, FAULT_PAGES * PG) < 0)
			bench_die("munmap");
	}
}

static void work_shm_lifecycle(void)
{
	char name[48];

	snprintf(name, sizeof(name), "/smp_bench.%d", (int)getpid());
	shm_unlink(name);
	for (int i = 0; i < SHM_OPS; i++) {
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);

		if (fd < 0)
			bench_die("shm_open");
		if (ftruncate(fd, (off_t)PG) < 0)
			bench_die("ftruncate");
		if (close(fd) < 0 || shm_unlink(name) < 0)
			bench_die("close/shm_unlink");
	}
}

static void work_sched_yield(void)
{
	for (int i = 0; i < YIELD_OPS; i++)
		if (sched_yield() < 0)
			bench_die("sched_yield");
}

static const struct bench {
	const char *name;
	void (*work)(void);
	uint64_t ops;                           /* what work() does, per worker */
} benches[] = {
	{ "null_syscall", work_null_syscall, NULL_OPS },
	{ "page_fault", work_page_fault, (uint64_t)FAULT_PAGES * FAULT_ROUNDS },
	{ "shm_lifecycle", work_shm_lifecycle, SHM_OPS },
	{ "sched_yield", work_sched_yield, YIELD_OPS },
};

/* ------------------------------------------------------------ running */

static void __attribute__((noreturn)) worker(const struct bench *b)
{
	__atomic_add_fetch(&start->ready, 1, __ATOMIC_SEQ_CST);
	while (!start->go)
		sched_yield();                  /* on one CPU the others must get to wait too */
	b->work();
	_exit(0);
}

/* One run of b with w workers; answers operations per second. */
static uint64_t run_once(const struct bench *b, int w)
{
	pid_t pids[MAX_WORKERS];
	uint64_t t0, ns;

	start->ready = 0;
	start->go = 0;
	for (int i = 0; i < w; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			bench_die("fork");
		if (pids[i] == 0)
			worker(b);
	}
	while (start->ready < w)
		sched_yield();
	t0 = bench_now_ns();
	start->go = 1;
	for (int i = 0; i < w; i++) {
		int status;

		if (waitpid(pids[i], &status, 0) != pids[i])
			bench_die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			dprintf(2, "%s: a %s worker failed (status %#x)\n", bench_prog, b->name, status);
			exit(1);
		}
	}
	ns = bench_now_ns() - t0;
	return ns == 0 ? 0 : b->ops * (uint64_t)w * 1000000000ull / ns;
}

static void run_bench(const struct bench *b, int w)
{
	char name[64];
	uint64_t best = 0;

	for (int r = 0; r < REPS; r++) {
		uint64_t x = run_once(b, w);

		if (x > best)
			best = x;
	}
	snprintf(name, sizeof(name), "smp_%s_%dproc", b->name, w);
	bench_report_value(name, "ops_per_sec", best);
}

int main(int argc, char **argv)
{
	struct kcounters k;
	int cpus;

	bench_prog = "smp_bench";
	if (kcounters(&k) < 0)
		bench_die("kcounters");
	cpus = k.cpus < 1 ? 1 : (k.cpus > MAX_WORKERS ? MAX_WORKERS : (int)k.cpus);
	start = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (start == MAP_FAILED)
		bench_die("mmap");
	bench_report_value("smp_cpus", "cpus", (uint64_t)cpus);
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (argc > 1 && strcmp(argv[1], benches[i].name) != 0)
			continue;
		run_bench(&benches[i], 1);
		if (cpus > 1)
			run_bench(&benches[i], cpus);
	}
	return 0;
}
