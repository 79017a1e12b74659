/*
 * testlib.h - the table-driven runner every in-guest test suite uses.
 *
 * A suite is a table of cases, each named after its function, and a
 * main() that hands it to test_main():
 *
 *	static const struct test_case cases[] = {
 *		TEST_CASE(cow_child_write_invisible_to_parent),
 *		...
 *	};
 *	int main(int argc, char **argv)
 *	{
 *		return test_main("vm", cases, TEST_COUNT(cases), argc, argv);
 *	}
 *
 * test_main() runs every case (or only those named on the command line,
 * as separate words or comma separated, with or without a leading '=' or
 * "suite." prefix) in its own forked child.  A case passes when its child
 * exits 0 and the kernel's resource counters (free_pages plus kmem_pages,
 * vm_objects, open_files, processes, shm_objects, sockets, fds_in_flight,
 * swap_used, kmem_bytes, pt_pages; see <vmos.h> and testlib.c) are back
 * where they were before the fork (unless env VMOS_TEST_CONCURRENT is set:
 * then other programs run beside the suite and move those kernel-wide
 * counters too, and the runner skips that comparison; see testlib.c).
 * The runner prints, one line each, with write(2):
 *
 *	TEST-PASS <suite>.<case>
 *	TEST-FAIL <suite>.<case>: <reason>
 *	TEST-DONE <suite> passed=N failed=M
 *
 * and returns 0 iff every case passed.  The protocol is the one
 * tests/run.py reads off the serial port.
 *
 * Inside a case, CHECK()/CHECKF()/CHECK_ERR()/FAIL() end the process
 * with _exit(1) after recording the reason (file:line, the expression,
 * errno) in a page shared with the runner, which relays it on the
 * TEST-FAIL line.  The first failure recorded wins, so when a grandchild
 * fails, its reason is the one reported.  They may be used in any process
 * forked from a case, not across execve (after exec a failure goes to
 * stderr only).
 *
 * Cases must not use stdio (buffers would be duplicated by fork and lost
 * by _exit); use dprintf(2, ...) or write(2) for extra output.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <sys/types.h>
#include <vmos.h>

struct test_case {
	const char *name;               /* a phrase: shm_unlink_keeps_mapping_alive */
	void (*fn)(void);               /* runs in a forked child; returns = pass */
};

/* One entry of a case table: TEST_CASE(shm_unlink_keeps_mapping_alive)
 * names the case after its function.  The kernel's self-tests
 * (kern/selftest.h) and libc_test use the same macro. */
#define TEST_CASE(fn) { #fn, fn }

#define TEST_COUNT(a) (sizeof(a) / sizeof((a)[0]))

int test_main(const char *suite, const struct test_case *cases, size_t n,
	      int argc, char **argv);

/* ----------------------------------------------------------- assertions */

#define CHECK(cond) do {                                                \
	if (!(cond))                                                    \
		test_fail_check(__FILE__, __LINE__, #cond);             \
} while (0)

/* CHECKF(cond, "fmt", args...): CHECK with an explanation. */
#define CHECKF(cond, ...) do {                                          \
	if (!(cond))                                                    \
		test_fail_checkf(__FILE__, __LINE__, #cond, __VA_ARGS__); \
} while (0)

/* FAIL("fmt", args...): fail unconditionally. */
#define FAIL(...) test_fail_checkf(__FILE__, __LINE__, NULL, __VA_ARGS__)

/*
 * CHECK_ERR(expr, EFAULT): expr (a system call, returning an integer or
 * a pointer) must give -1 (MAP_FAILED, (void *)-1) with errno EFAULT.
 */
#define CHECK_ERR(expr, err) do {                                       \
	long test_r_;                                                   \
	int test_e_;                                                    \
	errno = 0;                                                      \
	test_r_ = (long)(expr);                                         \
	test_e_ = errno;                                                \
	if (test_r_ != -1 || test_e_ != (err))                          \
		test_fail_err(__FILE__, __LINE__, #expr, (err), test_r_, test_e_); \
} while (0)

void test_fail_check(const char *file, int line, const char *expr)
	__attribute__((noreturn));
void test_fail_checkf(const char *file, int line, const char *expr,
		      const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
void test_fail_err(const char *file, int line, const char *expr,
		   int want, long got, int got_errno)
	__attribute__((noreturn));

/* ------------------------------------------------------ child processes */

/*
 * run_in_child(fn, arg): fork, run fn(arg) in the child, _exit(0) if it
 * returns; answers the raw wait status.  For "this must die" checks.
 */
int run_in_child(void (*fn)(void *), void *arg);

/* expect_signal(fn, arg, SIGSEGV): fn(arg) run in a child must be killed by the signal. */
#define expect_signal(fn, arg, sig) \
	test_expect_signal(__FILE__, __LINE__, #fn, (fn), (arg), (sig))
void test_expect_signal(const char *file, int line, const char *what,
			void (*fn)(void *), void *arg, int sig);

/* waitpid(pid) retrying EINTR; fails the case if waitpid fails.  Answers the status. */
int test_wait(pid_t pid);

/* Fork, fail the case if fork fails.  Answers as fork does. */
pid_t test_fork(void);

/* "exit status N", "killed by signal N" or "stopped by signal N" into buf. */
const char *test_status_str(int status, char *buf, size_t size);

/* The name of an errno value ("EFAULT"), or "E?" when unknown. */
const char *test_errno_name(int err);

/*
 * test_exec_errno(path, argv, envp): execve in a forked child.  Answers
 * the errno the exec failed with, or 0 if it succeeded (the new program
 * is then waited for and its status ignored).
 */
int test_exec_errno(const char *path, char *const argv[], char *const envp[]);

/* The path this test program was started from, for exec'ing itself. */
const char *test_self_path(void);

/* ------------------------------------------------------------ utilities */

/*
 * test_kcounters(out): read the kernel counters once they are steady
 * (the same resource values twice in a row, or after ~200 ms), so that
 * frees the kernel does just after wait() returns are counted.
 */
void test_kcounters(struct kcounters *out);

/* Nanoseconds on CLOCK_MONOTONIC. */
uint64_t test_now_ns(void);

/* Read or write exactly n bytes (retrying short transfers); fail the case otherwise. */
void test_read_full(int fd, void *buf, size_t n);
void test_write_full(int fd, const void *buf, size_t n);

/* An address the compiler cannot reason about (so *test_addr(0) is a real load). */
static inline void *test_addr(uintptr_t a)
{
	__asm__ volatile("" : "+r"(a));
	return (void *)a;
}

/* Roughly the stack pointer when test_main() was entered. */
extern uintptr_t test_initial_sp;

#endif /* TESTLIB_H */
