/*
 * bench.c - micro-benchmarks of the kernel's common paths.
 *
 * Prints one line per benchmark, `bench NAME ns_per_op=X` (integer ns):
 *
 *   null_syscall      getppid(), the cheapest round trip into the kernel
 *   signal_roundtrip  kill(getpid(), SIGUSR1) with an empty handler: the
 *                     kill call, building the signal frame, the handler,
 *                     and rt_sigreturn checking and restoring the frame
 *   fork_1mib         fork + child _exit + wait, the parent holding 1 MiB
 *                     of touched private memory (copy-on-write makes this
 *                     much cheaper than copying the 1 MiB)
 *   fork_1mib_cow     the same, but the child writes all 256 pages
 *                     (every write a copy-on-write fault)
 *   fork_32mib_private, fork_32mib_shared
 *                     fork + _exit + wait with 32 MiB of touched private,
 *                     or shared (MAP_SHARED|MAP_ANONYMOUS), memory: how
 *                     fork's cost grows with the parent's size
 *   exec_true         fork + execve of /bin/true (a small static program)
 *                     + wait
 *   sleep_pages       not a time: free pages consumed by each of 10 more
 *                     running `sleep` processes, once one runs already
 *                     (`bench sleep_pages pages_per_proc=N`); what sharing
 *                     program text saves
 *   pipe_64kib        64 KiB written into a pipe and read by a child (per
 *                     64 KiB: the ring holds 8 KiB, so writer and reader
 *                     take turns)
 *   page_fault        first touch of a fresh anonymous page (per page)
 *   pipe_roundtrip    1 byte to a child and 1 byte back over two pipes
 *   memcpy_1mib       copying 1 MiB in user space, for comparison
 *
 * Timed with CLOCK_MONOTONIC; iteration counts keep the whole run to a few
 * seconds on a slow emulator.  Exits 0 unless something fails outright.
 */
#include "benchlib.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>
#include <vmos.h>

#define PG              4096ul
#define MIB             (1024ul * 1024ul)

#define NULL_ITERS      20000
#define SIGNAL_ITERS    5000
#define FORK_ITERS      50
#define FAULT_BYTES     (32ul * MIB)
#define FAULT_ROUNDS    2
#define PIPE_ITERS      2000
#define MEMCPY_ITERS    50
#define EXEC_ITERS      50
#define PIPE64_ITERS    200

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

static void empty_handler(int sig)
{
	(void)sig;
}

static void bench_signal_roundtrip(void)
{
	struct sigaction sa;
	pid_t self = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = empty_handler;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		bench_die("sigaction");
	uint64_t t0 = bench_now_ns();
	for (int i = 0; i < SIGNAL_ITERS; i++)
		if (kill(self, SIGUSR1) < 0)
			bench_die("kill");
	bench_report("signal_roundtrip", bench_now_ns() - t0, SIGNAL_ITERS);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
}

/* The parent holds len bytes of touched memory (flags: MAP_PRIVATE or
 * MAP_SHARED); child_writes: the child dirties every page before exiting. */
static void bench_fork(const char *name, size_t len, int flags, int child_writes)
{
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		bench_die("mmap");
	memset(buf, 1, len);
	uint64_t t0 = bench_now_ns();
	for (int i = 0; i < FORK_ITERS; i++) {
		pid_t pid = fork();

		if (pid < 0)
			bench_die("fork");
		if (pid == 0) {
			if (child_writes)
				for (size_t off = 0; off < len; off += PG)
					buf[off] = 2;
			_exit(0);
		}
		reap(pid);
	}
	bench_report(name, bench_now_ns() - t0, FORK_ITERS);
	munmap(buf, len);
}

static void bench_exec(void)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };
	uint64_t t0 = bench_now_ns();

	for (int i = 0; i < EXEC_ITERS; i++) {
		pid_t pid = fork();

		if (pid < 0)
			bench_die("fork");
		if (pid == 0) {
			execve("/bin/true", argv, envp);
			_exit(127);
		}
		reap(pid);
	}
	bench_report("exec_true", bench_now_ns() - t0, EXEC_ITERS);
}

/* Start `sleep 1000` and wait until it sleeps in the new program. */
static pid_t start_sleep(void)
{
	char *argv[] = { "sleep", "1000", NULL }, *envp[] = { NULL };
	static struct kproc procs[64];
	pid_t pid = fork();

	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		execve("/bin/sleep", argv, envp);
		_exit(127);
	}
	for (;;) {
		int n = kprocs(procs, 64);

		if (n < 0)
			bench_die("kprocs");
		for (int i = 0; i < n && i < 64; i++)
			if (procs[i].pid == pid && procs[i].state == 'S' &&
			    strcmp(procs[i].name, "sleep") == 0)
				return pid;
		sched_yield();
	}
}

static uint64_t free_pages(void)
{
	struct kcounters k;

	if (kcounters(&k) < 0)
		bench_die("kcounters");
	return k.free_pages;
}

#define SLEEPERS 10

static void bench_sleep_pages(void)
{
	pid_t pids[SLEEPERS + 1];

	pids[0] = start_sleep();        /* its text is now in memory, if it is shared */
	uint64_t before = free_pages();
	for (int i = 1; i <= SLEEPERS; i++)
		pids[i] = start_sleep();
	uint64_t after = free_pages();
	for (int i = 0; i <= SLEEPERS; i++) {
		int status;

		kill(pids[i], SIGKILL);
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
	}
	bench_report_value("sleep_pages", "pages_per_proc", (before - after + SLEEPERS / 2) / SLEEPERS);
}

static void bench_pipe_64kib(void)
{
	static char buf[64 * 1024];
	int p[2];

	if (pipe(p) < 0)
		bench_die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		close(p[1]);
		for (;;) {
			ssize_t n = read(p[0], buf, sizeof(buf));
			if (n == 0)
				_exit(0);
			if (n < 0 && errno != EINTR)
				_exit(1);
		}
	}
	close(p[0]);
	uint64_t t0 = bench_now_ns();
	for (int i = 0; i < PIPE64_ITERS; i++)
		for (size_t done = 0; done < sizeof(buf);) {
			ssize_t n = write(p[1], buf + done, sizeof(buf) - done);
			if (n < 0 && errno != EINTR)
				bench_die("write");
			done += n > 0 ? (size_t)n : 0;
		}
	close(p[1]);
	reap(pid);
	bench_report("pipe_64kib", bench_now_ns() - t0, PIPE64_ITERS);
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

static void fork_1mib(void) { bench_fork("fork_1mib", MIB, MAP_PRIVATE, 0); }
static void fork_1mib_cow(void) { bench_fork("fork_1mib_cow", MIB, MAP_PRIVATE, 1); }
static void fork_32mib_private(void) { bench_fork("fork_32mib_private", 32 * MIB, MAP_PRIVATE, 0); }
static void fork_32mib_shared(void) { bench_fork("fork_32mib_shared", 32 * MIB, MAP_SHARED, 0); }

static const struct {
	const char *name;
	void (*fn)(void);
} benches[] = {
	{ "null_syscall", bench_null_syscall },
	{ "signal_roundtrip", bench_signal_roundtrip },
	{ "fork_1mib", fork_1mib },
	{ "fork_1mib_cow", fork_1mib_cow },
	{ "fork_32mib_private", fork_32mib_private },
	{ "fork_32mib_shared", fork_32mib_shared },
	{ "exec_true", bench_exec },
	{ "sleep_pages", bench_sleep_pages },
	{ "page_fault", bench_page_fault },
	{ "pipe_roundtrip", bench_pipe_roundtrip },
	{ "pipe_64kib", bench_pipe_64kib },
	{ "memcpy_1mib", bench_memcpy },
};

/* bench [NAME...]: every benchmark, or only those named (to profile one:
 * make profile CMD='/test/bench fork_1mib_cow'). */
int main(int argc, char **argv)
{
	bench_prog = "bench";
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		bool wanted = argc == 1;
		for (int a = 1; a < argc; a++)
			wanted = wanted || strcmp(argv[a], benches[i].name) == 0;
		if (wanted)
			benches[i].fn();
	}
	return 0;
}
