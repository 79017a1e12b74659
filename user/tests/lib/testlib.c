/*
 * testlib.c - the runner behind test_main() and the helpers cases use.
 *
 * How a failure reason gets from a case to the TEST-FAIL line: the runner
 * maps one MAP_SHARED|MAP_ANONYMOUS page before the first case, so every
 * process forked from it (cases, their children, grandchildren) sees the
 * same page.  A failing CHECK claims the page with a compare-and-swap and
 * copies its message in; the first claim of a case wins, later failures
 * (often consequences of the first) go to stderr.  The runner clears the
 * page before each case and reads it after reaping the case's child.
 * Nothing to drain, no descriptor held open in the cases, no deadlock if
 * a grandchild outlives the case.
 *
 * How leaks are found: the runner reads kcounters() just before forking
 * a case and again after reaping it.  The kernel may finish freeing a
 * process (or collapsing the runner's own shadow objects) slightly after
 * wait() returns, so the second read is retried for up to SETTLE_NS,
 * yielding in between, until the resource counters match again.  The
 * runner itself must not allocate between the two reads: it only writes
 * into memory it already touched (a warm-up case runs first, and the
 * stack is pre-faulted), and prints with write(2) after comparing.
 *
 * The same holds inside a case, which often compares the counters itself
 * (free pages, heap bytes) around what it tests.  After fork every page of
 * the runner is copy-on-write, so the runner's first stack writes (calling
 * waitpid) copy pages and add reverse-map records.  On several CPUs those
 * copies could land in the middle of the case's own window and read as a
 * page lost ("free+heap+cache pages 62315, was 62316" in CI).  So the
 * child waits for report->go, and the runner sets it only after it has
 * written its stack again (prefault_stack), taking every copy it will need
 * until the case ends.
 *
 * Side by side (env VMOS_TEST_CONCURRENT=1): the counters are the whole
 * kernel's, so while other programs run at the same time (the smp suite
 * runs five suites at once) they move under every case, and a per-case
 * comparison would report the others' work as leaks.  With that variable
 * set the runner skips the comparison and says so once on stderr; the
 * program that started the suites checks the counters when all of them
 * are done (smp_test.c: its own runner's check covers the lot).
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG_MAX         1024
#define LINE_MAX_OUT    1400
#define SETTLE_NS       200000000ull    /* 200 ms */
#define MAX_FILTERS     128

struct report {
	volatile int claimed;           /* 0 until a process of this case failed */
	int go;                         /* the runner's pages are its own: start the case */
	char msg[MSG_MAX];
};

static struct report *report;           /* the shared page, NULL if mmap failed */
static const char *suite_name = "?";
static const char *case_name = "?";
static char self_path_buf[256];
static const char *self_path = "";
static int concurrent;                  /* VMOS_TEST_CONCURRENT: no per-case leak check */

uintptr_t test_initial_sp;

/*
 * The counters that must come back after every case.  Pages are compared
 * as free_pages + kmem_pages ("pages outside the heap"): which slab pages
 * the kernel heap holds depends on the order of allocations (the runner's
 * own copy-on-write faults during a case move its reverse-map records
 * between slabs), so free_pages alone can move by one page and back with
 * nothing lost.  Heap leaks are caught exactly by kmem_bytes.  Pages of
 * boot files in memory (cache_pages: program text, clean copies of the
 * archive the pageout daemon frees at will) count as free too: running a
 * program for the first time leaves its text there, and the daemon may
 * free them during a case; neither is a leak.
 */
#define PAGES_OUTSIDE_HEAP ((size_t)-1)
static const struct {
	const char *name;
	size_t off;
} resources[] = {
	{ "free+heap+cache pages", PAGES_OUTSIDE_HEAP },
	{ "vm_objects",    offsetof(struct kcounters, vm_objects) },
	{ "open_files",    offsetof(struct kcounters, open_files) },
	{ "processes",     offsetof(struct kcounters, processes) },
	{ "shm_objects",   offsetof(struct kcounters, shm_objects) },
	{ "sockets",       offsetof(struct kcounters, sockets) },
	{ "fds_in_flight", offsetof(struct kcounters, fds_in_flight) },
	{ "swap_used",     offsetof(struct kcounters, swap_used) },
	{ "kmem_bytes",    offsetof(struct kcounters, kmem_bytes) },
	{ "pt_pages",      offsetof(struct kcounters, pt_pages) },
};

#define NRESOURCES (sizeof(resources) / sizeof(resources[0]))

/* ---------------------------------------------------------------- output */

static void write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

/* One line, in one write(2), newlines inside turned into spaces. */
static void emit(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(int fd, const char *fmt, ...)
{
	char line[LINE_MAX_OUT];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len > sizeof(line) - 2)
		len = (int)sizeof(line) - 2;
	for (int i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[len++] = '\n';
	write_all(fd, line, (size_t)len);
}

/* ------------------------------------------------------------ failures */

const char *test_errno_name(int err)
{
	const char *name = strerrorname_np(err);
	return name != NULL ? name : "E?";
}

/*
 * Record msg as this case's failure (first one wins) and end the process.
 * A process that is not under the runner (e.g. after execve) has no
 * report page and writes to stderr.
 */
static void __attribute__((noreturn)) fail_with(const char *msg)
{
	if (report != NULL && __sync_bool_compare_and_swap(&report->claimed, 0, 1)) {
		size_t n = strlen(msg);

		if (n >= MSG_MAX)
			n = MSG_MAX - 1;
		memcpy(report->msg, msg, n);
		report->msg[n] = '\0';
	} else {
		emit(2, "[%s.%s pid %d] %s", suite_name, case_name, (int)getpid(), msg);
	}
	_exit(1);
}

/* "file:line: " then the formatted text, then " (errno N ENAME)" if err != 0. */
static void __attribute__((noreturn, format(printf, 4, 0)))
fail_v(const char *file, int line, int err, const char *fmt, va_list ap)
{
	char msg[MSG_MAX];
	size_t len;
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
	len = n < 0 ? 0 : (size_t)n;
	if (len < sizeof(msg)) {
		n = vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
		if (n > 0)
			len += (size_t)n;
	}
	if (err != 0 && len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, " (errno %d %s)",
			 err, test_errno_name(err));
	fail_with(msg);
}

static void __attribute__((noreturn, format(printf, 4, 5)))
fail_at(const char *file, int line, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_v(file, line, err, fmt, ap);
}

void test_fail_check(const char *file, int line, const char *expr)
{
	fail_at(file, line, errno, "CHECK(%s) failed", expr);
}

void test_fail_checkf(const char *file, int line, const char *expr,
		      const char *fmt, ...)
{
	char what[MSG_MAX];
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (expr == NULL)
		fail_at(file, line, err, "%s", what);
	fail_at(file, line, err, "CHECK(%s) failed: %s", expr, what);
}

void test_fail_err(const char *file, int line, const char *expr,
		   int want, long got, int got_errno)
{
	fail_at(file, line, 0, "%s: want -1 with %s, got %ld with errno %d %s",
		expr, test_errno_name(want), got, got_errno,
		got_errno ? test_errno_name(got_errno) : "(none)");
}

/* ---------------------------------------------------- processes, status */

const char *test_status_str(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
	else if (WIFSTOPPED(status))
		snprintf(buf, size, "stopped by signal %d", WSTOPSIG(status));
	else
		snprintf(buf, size, "wait status %#x", status);
	return buf;
}

pid_t test_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		fail_at(__FILE__, __LINE__, errno, "fork failed");
	return pid;
}

int test_wait(pid_t pid)
{
	int status;
	pid_t got;

	do
		got = waitpid(pid, &status, 0);
	while (got < 0 && errno == EINTR);
	if (got != pid)
		fail_at(__FILE__, __LINE__, errno, "waitpid(%d) answered %d",
			(int)pid, (int)got);
	return status;
}

int run_in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return test_wait(pid);
}

void test_expect_signal(const char *file, int line, const char *what,
			void (*fn)(void *), void *arg, int sig)
{
	int status = run_in_child(fn, arg);
	char buf[64];

	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
		fail_at(file, line, 0, "%s: want death by signal %d, got %s",
			what, sig, test_status_str(status, buf, sizeof(buf)));
}

int test_exec_errno(const char *path, char *const argv[], char *const envp[])
{
	int fds[2], err = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		fail_at(__FILE__, __LINE__, errno, "pipe failed");
	if (fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0)
		fail_at(__FILE__, __LINE__, errno, "fcntl(F_SETFD) failed");
	pid = test_fork();
	if (pid == 0) {
		close(fds[0]);
		execve(path, argv, envp);
		err = errno;
		write(fds[1], &err, sizeof(err));
		_exit(127);
	}
	close(fds[1]);
	do
		n = read(fds[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(fds[0]);
	test_wait(pid);
	if (n == 0)
		return 0;               /* the write end closed on exec: it worked */
	if (n != (ssize_t)sizeof(err))
		fail_at(__FILE__, __LINE__, errno, "reading exec result: %ld", (long)n);
	return err;
}

const char *test_self_path(void)
{
	return self_path;
}

/* ------------------------------------------------------------ utilities */

uint64_t test_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		fail_at(__FILE__, __LINE__, errno, "clock_gettime(CLOCK_MONOTONIC)");
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void test_read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			fail_at(__FILE__, __LINE__, r < 0 ? errno : 0,
				"read(%d) answered %ld with %zu bytes to go",
				fd, (long)r, n);
		p += r;
		n -= (size_t)r;
	}
}

void test_write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fail_at(__FILE__, __LINE__, w < 0 ? errno : 0,
				"write(%d) answered %ld with %zu bytes to go",
				fd, (long)w, n);
		p += w;
		n -= (size_t)w;
	}
}

static uint64_t resource(const struct kcounters *k, size_t i)
{
	uint64_t v;

	if (resources[i].off == PAGES_OUTSIDE_HEAP)
		return k->free_pages + k->kmem_pages + k->cache_pages;
	memcpy(&v, (const char *)k + resources[i].off, sizeof(v));
	return v;
}

static int resources_equal(const struct kcounters *a, const struct kcounters *b)
{
	for (size_t i = 0; i < NRESOURCES; i++)
		if (resource(a, i) != resource(b, i))
			return 0;
	return 1;
}

/* Give the kernel a moment: a few yields first, then 1 ms sleeps. */
static void pause_briefly(unsigned round)
{
	struct timespec ms = { 0, 1000000 };

	if (round < 8)
		sched_yield();
	else
		nanosleep(&ms, NULL);
}

void test_kcounters(struct kcounters *out)
{
	struct kcounters prev;
	uint64_t deadline = test_now_ns() + SETTLE_NS;

	if (kcounters(&prev) < 0)
		fail_at(__FILE__, __LINE__, errno, "kcounters failed");
	for (unsigned round = 0;; round++) {
		pause_briefly(round);
		if (kcounters(out) < 0)
			fail_at(__FILE__, __LINE__, errno, "kcounters failed");
		if (resources_equal(&prev, out) || test_now_ns() > deadline)
			return;
		prev = *out;
	}
}

/*
 * Wait until the resource counters equal *want again (at most SETTLE_NS).
 * Answers 0 when they do, 1 when some still differ (*now has the last
 * read), -errno if kcounters fails.
 */
static int settle_to(const struct kcounters *want, struct kcounters *now)
{
	uint64_t deadline = test_now_ns() + SETTLE_NS;

	for (unsigned round = 0;; round++) {
		if (kcounters(now) < 0)
			return -errno;
		if (resources_equal(want, now))
			return 0;
		if (round >= 8 && test_now_ns() > deadline)
			return 1;
		pause_briefly(round);
	}
}

/* "free_pages -3, vm_objects +1" for every counter that moved. */
static void describe_leaks(const struct kcounters *before, const struct kcounters *after,
			   char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NRESOURCES && len < size; i++) {
		int64_t d = (int64_t)(resource(after, i) - resource(before, i));
		int n;

		if (d == 0)
			continue;
		n = snprintf(buf + len, size - len, "%s%s %+lld",
			     len ? ", " : "", resources[i].name, (long long)d);
		if (n > 0)
			len += (size_t)n;
	}
}

/* --------------------------------------------------------------- runner */

/* Touch the stack the runner will use so its first faults happen before any snapshot. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[64 * 1024];

	for (size_t i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

static void note_self_path(const char *argv0)
{
	if (argv0 == NULL || argv0[0] == '\0')
		return;
	if (strchr(argv0, '/') != NULL)
		snprintf(self_path_buf, sizeof(self_path_buf), "%s", argv0);
	else
		snprintf(self_path_buf, sizeof(self_path_buf), "/bin/%s", argv0);
	self_path = self_path_buf;
}

/*
 * Run one case: fork, run it, reap it, compare counters.  Writes the
 * reason it failed into why, or "" when it passed.
 */
static void run_case(const struct test_case *tc, char *why, size_t size)
{
	struct kcounters before, after;
	char status_buf[64], leaks[512];
	int status, settled;
	pid_t pid;

	why[0] = '\0';
	report->claimed = 0;
	report->msg[0] = '\0';
	report->go = 0;
	case_name = tc->name;
	if (kcounters(&before) < 0) {
		snprintf(why, size, "kcounters failed: errno %d %s", errno,
			 test_errno_name(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "runner: fork failed: errno %d %s", errno,
			 test_errno_name(errno));
		return;
	}
	if (pid == 0) {
		while (!__atomic_load_n(&report->go, __ATOMIC_ACQUIRE))
			sched_yield();
		tc->fn();
		_exit(0);
	}
	/* Make our copies of the stack pages waitpid writes now, not in the case's window. */
	prefault_stack();
	__atomic_store_n(&report->go, 1, __ATOMIC_RELEASE);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(why, size, "runner: waitpid failed: errno %d %s",
				 errno, test_errno_name(errno));
			return;
		}
	}
	settled = concurrent ? 0 : settle_to(&before, &after);

	if (report->claimed)
		snprintf(why, size, "%s", report->msg);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		snprintf(why, size, "%s", test_status_str(status, status_buf, sizeof(status_buf)));
	if (settled < 0) {
		size_t len = strlen(why);

		snprintf(why + len, size - len, "%skcounters failed: errno %d",
			 len ? "; " : "", -settled);
	} else if (settled > 0) {
		size_t len = strlen(why);

		describe_leaks(&before, &after, leaks, sizeof(leaks));
		snprintf(why + len, size - len, "%sleak: %s", len ? "; " : "", leaks);
	}
}

static void warm_up_case(void)
{
}

/* Split argv into case names: "a,b", "=a", "vm.a" all name case a. */
static size_t parse_filters(const char *suite, int argc, char **argv,
			    const char **names, size_t max)
{
	size_t n = 0, slen = strlen(suite);

	for (int i = 1; i < argc; i++) {
		char *s = argv[i];

		if (*s == '=')
			s++;
		while (*s != '\0' && n < max) {
			char *comma = strchr(s, ',');

			if (comma != NULL)
				*comma = '\0';
			if (strncmp(s, suite, slen) == 0 && s[slen] == '.')
				s += slen + 1;
			if (*s != '\0')
				names[n++] = s;
			if (comma == NULL)
				break;
			s = comma + 1;
		}
	}
	return n;
}

static int wanted(const char *name, const char **names, size_t n)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

int test_main(const char *suite, const struct test_case *cases, size_t n,
	      int argc, char **argv)
{
	static const struct test_case warm_up = { "warm_up", warm_up_case };
	static const char *names[MAX_FILTERS];
	static char why[MSG_MAX + 600];
	volatile char here = 0;
	unsigned passed = 0, failed = 0;
	size_t nnames;

	test_initial_sp = (uintptr_t)&here;
	suite_name = suite;
	note_self_path(argc > 0 ? argv[0] : NULL);
	nnames = parse_filters(suite, argc, argv, names, MAX_FILTERS);
	concurrent = getenv("VMOS_TEST_CONCURRENT") != NULL;
	if (concurrent)
		emit(2, "%s: VMOS_TEST_CONCURRENT set: other programs share the kernel's "
		     "counters, so no per-case leak check here", suite);

	report = mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (report == MAP_FAILED) {
		emit(1, "TEST-FAIL %s.runner: mmap of the report page failed: errno %d",
		     suite, errno);
		emit(1, "TEST-DONE %s passed=0 failed=1", suite);
		return 1;
	}
	prefault_stack();
	/* The runner's own pages must not move to swap while a case pages
	 * (they would show as pages freed and slots taken): lock them in. */
	if (geteuid() == 0 && mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
		emit(1, "TEST-FAIL %s.runner: mlockall failed: errno %d", suite, errno);
		emit(1, "TEST-DONE %s passed=0 failed=1", suite);
		return 1;
	}
	/* Fault in everything a case run touches in the runner, twice. */
	run_case(&warm_up, why, sizeof(why));
	run_case(&warm_up, why, sizeof(why));

	for (size_t i = 0; i < nnames; i++) {
		size_t j;

		for (j = 0; j < n && strcmp(cases[j].name, names[i]) != 0; j++)
			;
		if (j == n) {
			emit(1, "TEST-FAIL %s.%s: no such case", suite, names[i]);
			failed++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!wanted(cases[i].name, names, nnames))
			continue;
		run_case(&cases[i], why, sizeof(why));
		if (why[0] == '\0') {
			emit(1, "TEST-PASS %s.%s", suite, cases[i].name);
			passed++;
		} else {
			emit(1, "TEST-FAIL %s.%s: %s", suite, cases[i].name, why);
			failed++;
		}
	}
	case_name = "?";
	emit(1, "TEST-DONE %s passed=%u failed=%u", suite, passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
