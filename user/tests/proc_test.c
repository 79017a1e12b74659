/*
 * proc_test.c - the "proc" suite: processes, exec, wait, signals, ids, time.
 *
 * fork/exec/wait statuses, execve's errors and argument passing, the
 * process table limit (a fork bomb must end in EAGAIN, not a panic),
 * orphans reparented to init and reaped, kill(), pids, uids, umask,
 * nanosleep, the clocks, and sysinfo() against the kernel counters.
 *
 * Assumes: the suite runs as uid 0; init is pid 1 and reaps orphans;
 * /bin/echo exists; /test/fixtures/badelf is a truncated ELF put in the boot image
 * by the build; the process table is finite (fork answers EAGAIN when it
 * is full, well before PROC_BOMB_MAX).
 *
 * This program doubles as an exec target: `proc_test --proc-helper MODE`
 * (see helper_main) reports what it was given, so the argv/envp and
 * pid-across-exec cases can check from the outside.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

extern char **environ;           /* POSIX: the application declares it */

#define HELPER_FLAG     "--proc-helper"
#define PROC_BOMB_MAX   1024            /* give up if fork never fails */
#define NS_PER_SEC      1000000000ll

static int exit_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void wait_ok(pid_t pid)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(exit_ok(status), "child %d: %s", (int)pid,
	       test_status_str(status, buf, sizeof(buf)));
}

/* A child that sleeps on a pipe until its write end closes, then exits 0. */
static pid_t spawn_blocked_child(int *release_fd)
{
	int fds[2];
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = test_fork();
	if (pid == 0) {
		char c;

		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[0]);
	*release_fd = fds[1];
	return pid;
}

/* Run path with argv (and envp, NULL: no environment) in a child; capture stdout. */
static size_t run_capture(const char *path, char *const argv[], char *const envp[],
			  char *out, size_t size, int *status)
{
	int fds[2];
	size_t len = 0;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = test_fork();
	if (pid == 0) {
		static char *const empty[] = { NULL };

		close(fds[0]);
		if (dup2(fds[1], 1) != 1)
			_exit(126);
		close(fds[1]);
		execve(path, argv, envp != NULL ? envp : empty);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		CHECKF(n >= 0, "reading the output of %s", path);
		if (n == 0)
			break;
		len += (size_t)n;
		CHECKF(len < size - 1, "%s wrote more than %zu bytes", path, size);
	}
	out[len] = '\0';
	close(fds[0]);
	*status = test_wait(pid);
	return len;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
}

/* ------------------------------------------------------ exit and wait */

static void exit_statuses_0_1_42_255_are_reported(void)
{
	static const int codes[] = { 0, 1, 42, 255 };

	for (size_t i = 0; i < TEST_COUNT(codes); i++) {
		pid_t pid = test_fork();
		int status;

		if (pid == 0)
			_exit(codes[i]);
		status = test_wait(pid);
		CHECKF(WIFEXITED(status) && !WIFSIGNALED(status),
		       "exit(%d): status %#x", codes[i], status);
		CHECKF(WEXITSTATUS(status) == codes[i], "exit(%d) reported as %d",
		       codes[i], WEXITSTATUS(status));
	}
}

static void exit_status_keeps_only_low_8_bits(void)
{
	pid_t pid = test_fork();
	int status;

	if (pid == 0)
		_exit(256 + 7);
	status = test_wait(pid);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 7, "status %#x", status);
}

static void kill_with_signal(int sig)
{
	int release, status;
	pid_t pid = spawn_blocked_child(&release);

	CHECK(kill(pid, sig) == 0);
	status = test_wait(pid);
	close(release);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == sig,
	       "kill(%d): status %#x", sig, status);
}

static void sigkill_is_reported_by_wait(void)
{
	kill_with_signal(SIGKILL);
}

static void sigterm_is_reported_by_wait(void)
{
	kill_with_signal(SIGTERM);
}

static void sigkill_cannot_be_ignored(void)
{
	int release, status;
	pid_t pid;

	signal(SIGTERM, SIG_IGN);
	CHECKF(signal(SIGKILL, SIG_IGN) == SIG_ERR, "signal(SIGKILL, SIG_IGN) was accepted");
	CHECK(errno == EINVAL);
	pid = spawn_blocked_child(&release);   /* inherits SIGTERM ignored */
	CHECK(kill(pid, SIGTERM) == 0);
	CHECK(kill(pid, SIGKILL) == 0);
	status = test_wait(pid);
	close(release);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %#x", status);
}

/* Is pid alive (not yet a zombie) after giving it a few milliseconds? */
static int still_running_after_a_while(pid_t pid)
{
	struct timespec ms = { 0, 20 * 1000000 };
	int status;

	nanosleep(&ms, NULL);
	return waitpid(pid, &status, WNOHANG) == 0;
}

/*
 * SIGCHLD, SIGURG and SIGWINCH are ignored by default, and so is SIGCONT
 * sent to a process that is not stopped: none may kill a process, nor
 * cut its read short.  The child sleeps in read(2) on a pipe while they
 * arrive, then must read the byte that comes after them.
 */
static void default_ignored_signals_do_not_kill_a_blocked_reader(void)
{
	static const int sigs[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };
	int fds[2], status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = test_fork();
	if (pid == 0) {
		char c = 0;
		ssize_t n;

		close(fds[1]);
		n = read(fds[0], &c, 1);
		_exit(n == 1 && c == 'g' ? 0 : n < 0 && errno == EINTR ? 2 : 3);
	}
	close(fds[0]);
	CHECK(still_running_after_a_while(pid));  /* asleep in read by now */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		CHECK(kill(pid, sigs[i]) == 0);
		CHECKF(still_running_after_a_while(pid), "signal %d killed the child", sigs[i]);
	}
	CHECK(write(fds[1], "g", 1) == 1);
	status = test_wait(pid);
	close(fds[1]);
	CHECKF(exit_ok(status), "child: status %#x (exit 2: read interrupted, 3: wrong byte)",
	       status);
}

/*
 * A blocked signal stays pending and does nothing -- it does not even
 * interrupt a read -- until it is unblocked; then it acts at once.  The
 * child blocks SIGTERM, receives it, proves it is alive after reading
 * from a pipe, unblocks it and must die of it there.
 */
static void blocked_signal_waits_and_acts_when_unblocked(void)
{
	int go[2], alive[2], status;
	char c;
	pid_t pid;

	CHECK(pipe(go) == 0 && pipe(alive) == 0);
	pid = test_fork();
	if (pid == 0) {
		sigset_t set;

		close(go[1]);
		close(alive[0]);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
		CHECK(write(alive[1], "r", 1) == 1);    /* ready: SIGTERM is blocked */
		CHECK(read(go[0], &c, 1) == 1);         /* SIGTERM arrives meanwhile */
		CHECK(write(alive[1], "a", 1) == 1);    /* still alive */
		sigprocmask(SIG_UNBLOCK, &set, NULL);   /* SIGTERM acts now */
		_exit(4);
	}
	close(go[0]);
	close(alive[1]);
	test_read_full(alive[0], &c, 1);
	CHECK(kill(pid, SIGTERM) == 0);
	CHECKF(still_running_after_a_while(pid), "blocked SIGTERM killed the child");
	CHECK(write(go[1], "g", 1) == 1);
	CHECKF(read(alive[0], &c, 1) == 1 && c == 'a', "the child died before unblocking");
	status = test_wait(pid);
	close(go[1]);
	close(alive[0]);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	       "child: status %#x (exit 4: survived unblocking)", status);
}

static void wnohang_answers_0_while_child_runs(void)
{
	int release, status = -1;
	pid_t pid = spawn_blocked_child(&release);

	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	CHECK(waitpid(-1, &status, WNOHANG) == 0);
	close(release);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(exit_ok(status));
}

static void waitpid_on_non_child_echild(void)
{
	int status;

	CHECK_ERR(waitpid(-1, &status, 0), ECHILD);     /* no children at all */
	CHECK_ERR(waitpid(1, &status, 0), ECHILD);      /* init is not our child */
	CHECK_ERR(waitpid(getppid(), &status, WNOHANG), ECHILD);
}

static void waitpid_on_grandchild_echild(void)
{
	int fds[2], status;
	pid_t child, grandchild;

	CHECK(pipe(fds) == 0);
	child = test_fork();
	if (child == 0) {
		int release, st;
		pid_t gc = spawn_blocked_child(&release);

		test_write_full(fds[1], &gc, sizeof(gc));
		st = test_wait(gc);     /* the case kills it */
		close(release);
		_exit(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 1);
	}
	test_read_full(fds[0], &grandchild, sizeof(grandchild));
	CHECK_ERR(waitpid(grandchild, &status, WNOHANG), ECHILD);
	CHECK(kill(grandchild, SIGKILL) == 0);
	wait_ok(child);
}

static void child_is_reaped_only_once(void)
{
	pid_t pid = test_fork();
	int status;

	if (pid == 0)
		_exit(3);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK_ERR(waitpid(pid, &status, 0), ECHILD);
	CHECK_ERR(kill(pid, 0), ESRCH);
}

static void wait_reports_each_of_several_children(void)
{
	pid_t pids[5];
	int seen = 0;

	for (int i = 0; i < 5; i++) {
		pids[i] = test_fork();
		if (pids[i] == 0)
			_exit(10 + i);
	}
	for (int n = 0; n < 5; n++) {
		int status;
		pid_t got = wait(&status);
		int i;

		for (i = 0; i < 5 && pids[i] != got; i++)
			;
		CHECKF(i < 5, "wait answered %d, not one of ours", (int)got);
		CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 10 + i,
		       "child %d: status %#x", i, status);
		CHECK(!(seen & (1 << i)));
		seen |= 1 << i;
	}
	CHECK_ERR(wait(NULL), ECHILD);
}

/* ----------------------------------------------------------------- exec */

static char *const no_env[] = { NULL };

static void execve_of_directory_eacces(void)
{
	char *argv[] = { "bin", NULL };

	CHECK(test_exec_errno("/bin", argv, no_env) == EACCES);
}

static void execve_of_missing_path_enoent(void)
{
	char *argv[] = { "nothing", NULL };
	int err = test_exec_errno("/bin/no-such-program", argv, no_env);

	CHECKF(err == ENOENT, "errno %d %s", err, test_errno_name(err));
	err = test_exec_errno("/no-such-dir/prog", argv, no_env);
	CHECKF(err == ENOENT, "errno %d %s", err, test_errno_name(err));
}

static void execve_of_truncated_elf_enoexec(void)
{
	char *argv[] = { "badelf", NULL };
	struct stat st;
	int err;

	CHECKF(stat("/test/fixtures/badelf", &st) == 0,
	       "/test/fixtures/badelf (a truncated ELF) is missing from the boot image");
	err = test_exec_errno("/test/fixtures/badelf", argv, no_env);
	CHECKF(err == ENOEXEC, "errno %d %s", err, test_errno_name(err));
}

/*
 * Every malformed variant tools/mkbadelf.py makes from /bin/true (bad magic,
 * 32-bit class, program headers past the end, a segment claiming more file
 * than exists, an entry point outside the code, a segment at a kernel
 * address) must be refused with ENOEXEC, and the caller must live on.
 */
static void execve_of_each_malformed_elf_enoexec(void)
{
	static const char *const variants[] = {
		"/test/fixtures/badelf_magic", "/test/fixtures/badelf_class",
		"/test/fixtures/badelf_phoff", "/test/fixtures/badelf_filesz",
		"/test/fixtures/badelf_entry", "/test/fixtures/badelf_kernel",
	};
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		char *argv[] = { (char *)variants[i], NULL };
		int err = test_exec_errno(variants[i], argv, no_env);
		CHECKF(err == ENOEXEC, "%s: errno %d %s", variants[i], err, test_errno_name(err));
	}
}

/* A failed exec must leave the caller's image and memory as they were. */
static void failed_execve_leaves_caller_intact(void)
{
	static volatile int marker = 1234;
	char *argv[] = { "badelf", NULL };
	char local[64];

	memset(local, 'q', sizeof(local));
	execve("/bin/no-such-program", argv, no_env);
	CHECK(errno == ENOENT);
	execve("/bin", argv, no_env);
	CHECK(errno == EACCES);
	CHECK(marker == 1234);
	for (size_t i = 0; i < sizeof(local); i++)
		CHECK(local[i] == 'q');
}

static void execve_passes_argv_to_echo(void)
{
	char *argv[] = { "echo", "hello", "two  spaces", "", "end", NULL };
	char out[256];
	int status;
	const char *want = "hello two  spaces  end\n";

	run_capture("/bin/echo", argv, NULL, out, sizeof(out), &status);
	CHECKF(exit_ok(status), "/bin/echo exited with status %#x", status);
	CHECKF(strcmp(out, want) == 0, "echo printed \"%s\", want \"%s\"", out, want);
}

#define ENV_VALUE "value with spaces=and equals"

static void execve_passes_argv_and_env_to_self(void)
{
	char *argv[] = { "proc_test", HELPER_FLAG, "env", "hello world", "", "x", NULL };
	char *envp[] = { "VMOS_TEST_VAR=" ENV_VALUE, "VMOS_TEST_OTHER=2", NULL };
	char out[256];
	int status;

	run_capture(test_self_path(), argv, envp, out, sizeof(out), &status);
	CHECKF(exit_ok(status), "helper said \"%s\" and exited with status %#x", out, status);
	CHECKF(strcmp(out, "ok\n") == 0, "helper said \"%s\"", out);
}

static void execve_keeps_pid_and_parent(void)
{
	char *argv[] = { "proc_test", HELPER_FLAG, "pid", NULL };
	char out[128], want[128];
	int fds[2], status;
	size_t len = 0;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = test_fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		execve(test_self_path(), argv, no_env);
		_exit(127);
	}
	close(fds[1]);
	for (ssize_t n; (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0;)
		len += (size_t)n;
	out[len] = '\0';
	status = test_wait(pid);
	CHECKF(exit_ok(status), "helper status %#x", status);
	snprintf(want, sizeof(want), "pid=%d ppid=%d\n", (int)pid, (int)getpid());
	CHECKF(strcmp(out, want) == 0, "helper said \"%s\", want \"%s\"", out, want);
}

/* ------------------------------------------------------------ fork bomb */

static void fork_bomb_stops_with_eagain(void)
{
	static pid_t pids[PROC_BOMB_MAX];
	int release[2], err = 0;
	size_t n = 0;
	pid_t again;

	CHECK(pipe(release) == 0);
	while (n < PROC_BOMB_MAX) {
		pid_t pid = fork();

		if (pid == 0) {
			char c;

			close(release[1]);
			while (read(release[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		pids[n++] = pid;
	}
	/* Kill every other child; the rest see EOF on the pipe and exit. */
	for (size_t i = 0; i < n; i += 2)
		CHECK(kill(pids[i], SIGKILL) == 0);
	close(release[1]);
	for (size_t i = 0; i < n; i++) {
		int status = test_wait(pids[i]);

		if (i % 2 == 0)
			CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			       "child %zu: status %#x", i, status);
		else
			CHECKF(exit_ok(status), "child %zu: status %#x", i, status);
	}
	CHECKF(n < PROC_BOMB_MAX, "%d forks and no error", PROC_BOMB_MAX);
	CHECKF(err == EAGAIN, "fork %zu failed with errno %d %s, want EAGAIN",
	       n + 1, err, test_errno_name(err));
	CHECKF(n > 8, "only %zu forks before EAGAIN", n);
	again = test_fork();            /* the table has room again */
	if (again == 0)
		_exit(7);
	CHECK(WEXITSTATUS(test_wait(again)) == 7);
}

/* --------------------------------------------------------------- orphans */

static void orphan_is_reparented_to_init_and_reaped(void)
{
	struct kcounters start, now;
	int go[2], report[2];
	pid_t child, reported_ppid = -1;

	CHECK(pipe(go) == 0);
	CHECK(pipe(report) == 0);
	test_kcounters(&start);
	child = test_fork();
	if (child == 0) {
		pid_t gc = test_fork();

		if (gc == 0) {
			char c;
			pid_t pp;

			close(go[1]);
			close(report[0]);
			test_read_full(go[0], &c, 1);   /* our parent is gone by now */
			pp = getppid();
			test_write_full(report[1], &pp, sizeof(pp));
			_exit(0);
		}
		_exit(0);
	}
	close(go[0]);
	close(report[1]);
	wait_ok(child);
	test_write_full(go[1], "x", 1);
	test_read_full(report[0], &reported_ppid, sizeof(reported_ppid));
	CHECKF(reported_ppid == 1, "orphan's parent is %d, want init (1)", (int)reported_ppid);
	for (uint64_t t0 = test_now_ns(); test_now_ns() - t0 < 3000000000ull;) {
		test_kcounters(&now);
		if (now.processes == start.processes)
			break;
	}
	CHECKF(now.processes == start.processes,
	       "processes %llu, was %llu: orphan not reaped",
	       (unsigned long long)now.processes, (unsigned long long)start.processes);
}

/* --------------------------------------------------------------- kill, ids */

static void kill_signal_0_checks_existence(void)
{
	int release;
	pid_t pid = spawn_blocked_child(&release);

	CHECK(kill(pid, 0) == 0);
	CHECK(kill(getpid(), 0) == 0);
	close(release);
	wait_ok(pid);
	CHECK_ERR(kill(pid, 0), ESRCH);
}

static void kill_of_nonexistent_pid_esrch(void)
{
	CHECK_ERR(kill(999999, SIGTERM), ESRCH);
	CHECK_ERR(kill(999999, 0), ESRCH);
}

/* init (pid 1) cannot be killed: its death would end the system. */
static void kill_of_init_is_ignored(void)
{
	struct timespec ms = { 0, 20000000 };

	CHECK(kill(1, SIGKILL) == 0);
	CHECK(kill(1, SIGTERM) == 0);
	nanosleep(&ms, NULL);
	CHECK(kill(1, 0) == 0);         /* still there (and the kernel did not panic) */
}

static void kill_with_invalid_signal_einval(void)
{
	CHECK_ERR(kill(getpid(), 1000), EINVAL);
	CHECK_ERR(kill(getpid(), -1), EINVAL);
}

static void fork_answers_child_pid_and_child_sees_parent(void)
{
	int fds[2];
	pid_t pid, ids[2], me = getpid();

	CHECK(pipe(fds) == 0);
	pid = test_fork();
	if (pid == 0) {
		ids[0] = getpid();
		ids[1] = getppid();
		test_write_full(fds[1], ids, sizeof(ids));
		_exit(0);
	}
	test_read_full(fds[0], ids, sizeof(ids));
	wait_ok(pid);
	CHECKF(pid > 0 && pid != me, "fork answered %d in the parent %d", (int)pid, (int)me);
	CHECKF(ids[0] == pid, "child's getpid %d, fork answered %d", (int)ids[0], (int)pid);
	CHECKF(ids[1] == me, "child's getppid %d, parent is %d", (int)ids[1], (int)me);
	CHECK(getpid() == me);
}

static void setuid_drops_root_for_good(void)
{
	pid_t pid;

	CHECKF(getuid() == 0 && geteuid() == 0, "the suite must run as root (uid %d)",
	       (int)getuid());
	pid = test_fork();
	if (pid == 0) {
		CHECK(setuid(1000) == 0);
		CHECK(getuid() == 1000);
		CHECK(geteuid() == 1000);
		CHECK_ERR(setuid(0), EPERM);
		CHECK(getuid() == 1000 && geteuid() == 1000);
		CHECK(setuid(1000) == 0);       /* to itself is always allowed */
		_exit(0);
	}
	wait_ok(pid);
	CHECK(getuid() == 0);           /* the parent keeps its own */
}

static void setuid_is_inherited_by_fork(void)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		pid_t gc;

		CHECK(setuid(1000) == 0);
		gc = test_fork();
		if (gc == 0) {
			CHECK(getuid() == 1000 && geteuid() == 1000);
			CHECK_ERR(setuid(0), EPERM);
			_exit(0);
		}
		wait_ok(gc);
		_exit(0);
	}
	wait_ok(pid);
}

static void umask_round_trips(void)
{
	mode_t old = umask(022);

	CHECK(umask(077) == 022);
	CHECK(umask(0777) == 077);
	CHECKF(umask(01777) == 0777, "umask keeps only the permission bits");
	CHECKF((umask(old) & ~0777) == 0, "umask answered bits beyond 0777");
}

static void umask_is_inherited_by_fork(void)
{
	pid_t pid;

	umask(027);
	pid = test_fork();
	if (pid == 0) {
		CHECK(umask(0) == 027);
		_exit(0);
	}
	wait_ok(pid);
	CHECK(umask(022) == 027);       /* the child's change is its own */
}

/* ------------------------------------------------------------------ time */

static void nanosleep_sleeps_at_least_the_time_asked(void)
{
	static const long ms[] = { 1, 20, 120 };

	for (size_t i = 0; i < TEST_COUNT(ms); i++) {
		struct timespec req = { 0, ms[i] * 1000000l }, t0, t1;
		int64_t slept;

		CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
		CHECK(nanosleep(&req, NULL) == 0);
		CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
		slept = ts_ns(&t1) - ts_ns(&t0);
		CHECKF(slept >= ms[i] * 1000000l, "asked %ld ms, slept %lld ns",
		       ms[i], (long long)slept);
	}
}

static void nanosleep_whole_seconds(void)
{
	struct timespec req = { 1, 0 }, t0, t1;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	CHECK(nanosleep(&req, NULL) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
	CHECKF(ts_ns(&t1) - ts_ns(&t0) >= NS_PER_SEC, "slept %lld ns",
	       (long long)(ts_ns(&t1) - ts_ns(&t0)));
}

static void nanosleep_invalid_time_einval(void)
{
	struct timespec big = { 0, 1000000000l }, neg = { -1, 0 }, negns = { 0, -1 };

	CHECK_ERR(nanosleep(&big, NULL), EINVAL);
	CHECK_ERR(nanosleep(&neg, NULL), EINVAL);
	CHECK_ERR(nanosleep(&negns, NULL), EINVAL);
}

static void clock_realtime_is_after_2020(void)
{
	struct timespec ts;

	CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0);
	CHECKF(ts.tv_sec > 1577836800, "CLOCK_REALTIME says %lld s", (long long)ts.tv_sec);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < NS_PER_SEC);
	CHECKF(time(NULL) >= ts.tv_sec, "time() is behind clock_gettime");
}

static void clock_monotonic_never_goes_back(void)
{
	struct timespec prev, now;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &prev) == 0);
	for (int i = 0; i < 2000; i++) {
		CHECK(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
		CHECK(now.tv_nsec >= 0 && now.tv_nsec < NS_PER_SEC);
		CHECKF(ts_ns(&now) >= ts_ns(&prev), "went from %lld to %lld ns",
		       (long long)ts_ns(&prev), (long long)ts_ns(&now));
		prev = now;
		if (i % 100 == 0)
			sched_yield();
	}
}

static void clock_gettime_unknown_clock_einval(void)
{
	struct timespec ts;

	CHECK_ERR(clock_gettime(12345, &ts), EINVAL);
	CHECK_ERR(clock_gettime(-77, &ts), EINVAL);
}

/* ---------------------------------------------------------------- sysinfo */

#define SI_PAGE         4096u
#define SI_SLACK        64              /* pages the counts may move meanwhile */

static void sysinfo_ok(struct sysinfo *si)
{
	memset(si, 0xa5, sizeof(*si));  /* whatever the kernel leaves shows */
	CHECKF(sysinfo(si) == 0, "sysinfo: errno %d", errno);
	CHECKF(si->mem_unit == SI_PAGE, "mem_unit %u, want the page size", si->mem_unit);
}

/* Every field against the counters the kernel keeps (kcounters). */
static void sysinfo_reports_memory_swap_and_processes(void)
{
	struct kcounters k;
	struct sysinfo si;

	test_kcounters(&k);
	sysinfo_ok(&si);
	CHECKF(si.totalram == k.total_pages, "totalram %llu, want %llu pages",
	       (unsigned long long)si.totalram, (unsigned long long)k.total_pages);
	CHECKF(si.freeram + SI_SLACK >= k.free_pages && si.freeram <= k.free_pages + SI_SLACK,
	       "freeram %llu pages, the counters say %llu", (unsigned long long)si.freeram,
	       (unsigned long long)k.free_pages);
	CHECKF(si.totalswap == k.swap_total, "totalswap %llu, want %llu pages",
	       (unsigned long long)si.totalswap, (unsigned long long)k.swap_total);
	CHECKF(si.freeswap == k.swap_total - k.swap_used, "freeswap %llu, want %llu pages",
	       (unsigned long long)si.freeswap, (unsigned long long)(k.swap_total - k.swap_used));
	CHECKF(si.procs == k.processes, "procs %u, want %llu", si.procs,
	       (unsigned long long)k.processes);
	CHECKF(si.uptime >= 0 && si.uptime < 24 * 3600, "uptime %lld s", (long long)si.uptime);
	CHECKF(si.loads[0] == 0 && si.loads[1] == 0 && si.loads[2] == 0 && si.sharedram == 0 &&
	       si.bufferram == 0 && si.totalhigh == 0 && si.freehigh == 0 && si.pad == 0,
	       "the fields vmos has nothing for are not 0");
}

/* uptime is the monotonic clock's whole seconds. */
static void sysinfo_uptime_follows_the_monotonic_clock(void)
{
	struct timespec before, after;
	struct sysinfo si, later;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &before) == 0);
	sysinfo_ok(&si);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &after) == 0);
	CHECKF(si.uptime >= before.tv_sec && si.uptime <= after.tv_sec,
	       "uptime %lld s, the clock said %lld s then %lld s", (long long)si.uptime,
	       (long long)before.tv_sec, (long long)after.tv_sec);
	sleep(1);
	sysinfo_ok(&later);
	CHECKF(later.uptime >= si.uptime + 1, "uptime %lld s, then %lld s a second later",
	       (long long)si.uptime, (long long)later.uptime);
}

/* procs counts every process, a zombie too, until it is reaped. */
static void sysinfo_counts_a_new_process(void)
{
	struct sysinfo si;
	int release;

	sysinfo_ok(&si);
	unsigned before = si.procs;
	pid_t pid = spawn_blocked_child(&release);
	sysinfo_ok(&si);
	CHECKF(si.procs == before + 1, "procs %u with a child, %u before", si.procs, before);
	close(release);
	wait_ok(pid);
	sysinfo_ok(&si);
	CHECKF(si.procs == before, "procs %u after the child was reaped, %u before",
	       si.procs, before);
}

/* 2 MiB touched are 512 pages less free; unmapped, they are back. */
static void sysinfo_sees_memory_being_used(void)
{
	const size_t npages = 512;
	struct sysinfo a, b, c;

	sysinfo_ok(&a);
	char *p = mmap(NULL, npages * SI_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	for (size_t i = 0; i < npages; i++)
		p[i * SI_PAGE] = 1;
	sysinfo_ok(&b);
	CHECKF(a.freeram >= b.freeram + npages - SI_SLACK,
	       "freeram %llu before touching %zu pages, %llu after", (unsigned long long)a.freeram,
	       npages, (unsigned long long)b.freeram);
	CHECK(munmap(p, npages * SI_PAGE) == 0);
	sysinfo_ok(&c);
	CHECKF(c.freeram >= b.freeram + npages - SI_SLACK,
	       "freeram %llu while mapped, %llu after munmap", (unsigned long long)b.freeram,
	       (unsigned long long)c.freeram);
}

/* A pointer the process cannot write is EFAULT, never a crash. */
static void sysinfo_bad_pointer_efault(void)
{
	char *p = mmap(NULL, 2 * SI_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(munmap(p + SI_PAGE, SI_PAGE) == 0);
	CHECK_ERR(sysinfo(NULL), EFAULT);
	CHECK_ERR(sysinfo((struct sysinfo *)0xffffffff80100000ul), EFAULT);   /* the kernel */
	CHECK_ERR(sysinfo((struct sysinfo *)(uintptr_t)sysinfo), EFAULT);    /* read-only text */
	CHECK_ERR(sysinfo((struct sysinfo *)(p + SI_PAGE - 8)), EFAULT);     /* runs off the end */
	CHECK(munmap(p, SI_PAGE) == 0);
}

/* ---------------------------------------------------- shared program text */

/*
 * exec maps a program from its boot file's VM object (kern/exec.c): the
 * text is one copy in memory however many processes run it, and the data
 * is copy-on-write over the same object.  Read the program's own ELF file
 * to know where its segments are.
 */
#define ELF_PT_LOAD     1
#define ELF_PF_W        2
#define ELF_MAX_PHDRS   16
#define SLEEPERS        10
#define PG              4096ul

struct elf_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf_image {
	struct elf_ehdr eh;
	struct elf_phdr ph[ELF_MAX_PHDRS];
	int nph;
};

/* Read n bytes at off of path into buf (the whole file's bytes must be there). */
static void read_at(const char *path, uint64_t off, void *buf, size_t n)
{
	int fd = open(path, O_RDONLY);

	CHECKF(fd >= 0, "open %s", path);
	CHECKF(lseek(fd, (off_t)off, SEEK_SET) == (off_t)off, "lseek %s", path);
	for (size_t done = 0; done < n;) {
		ssize_t r = read(fd, (char *)buf + done, n - done);

		CHECKF(r > 0, "read %s at %llu", path, (unsigned long long)(off + done));
		done += (size_t)r;
	}
	close(fd);
}

static void elf_read(const char *path, struct elf_image *im)
{
	read_at(path, 0, &im->eh, sizeof(im->eh));
	CHECKF(im->eh.phnum <= ELF_MAX_PHDRS && im->eh.phentsize == sizeof(struct elf_phdr),
	       "%s: %d program headers", path, im->eh.phnum);
	im->nph = im->eh.phnum;
	read_at(path, im->eh.phoff, im->ph, sizeof(im->ph[0]) * (size_t)im->nph);
}

/* Pages of the read-only PT_LOAD segments (text, rodata, headers). */
static uint64_t elf_text_pages(const struct elf_image *im)
{
	uint64_t pages = 0;

	for (int i = 0; i < im->nph; i++) {
		const struct elf_phdr *p = &im->ph[i];

		if (p->type == ELF_PT_LOAD && !(p->flags & ELF_PF_W))
			pages += ((p->vaddr + p->memsz + PG - 1) / PG) - p->vaddr / PG;
	}
	return pages;
}

/* The first writable PT_LOAD segment, or NULL. */
static const struct elf_phdr *elf_data(const struct elf_image *im)
{
	for (int i = 0; i < im->nph; i++)
		if (im->ph[i].type == ELF_PT_LOAD && (im->ph[i].flags & ELF_PF_W))
			return &im->ph[i];
	return NULL;
}

static struct kvmmap_entry map_entries[64];
static struct kvmmap_object map_objects[64];

/* kvmmap of pid into map_entries/map_objects; answers the entry count. */
static int map_of(pid_t pid, int *nobjects)
{
	struct kvmmap req = { .entries = map_entries, .objects = map_objects,
			      .max_entries = 64, .max_objects = 64 };
	int n = kvmmap(pid, &req);

	CHECKF(n >= 0, "kvmmap(%d)", (int)pid);
	*nobjects = req.nobjects;
	return n;
}

/* The entry of pid's map holding va. */
static const struct kvmmap_entry *entry_at(int n, uint64_t va)
{
	for (int i = 0; i < n; i++)
		if (map_entries[i].start <= va && va < map_entries[i].end)
			return &map_entries[i];
	FAIL("no entry holds %#llx", (unsigned long long)va);
}

/*
 * Resident pages of pid's own memory: of the objects in the chains of its
 * writable entries (data, bss, heap, stack) that only it holds (one
 * reference).  Text, whether shared or a private copy, is not counted.
 */
static uint64_t private_pages(pid_t pid)
{
	static char seen[64];
	int nobj, n = map_of(pid, &nobj);
	uint64_t pages = 0;

	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < n; i++) {
		if (!(map_entries[i].prot & PROT_WRITE))
			continue;
		for (int o = map_entries[i].object; o >= 0 && !seen[o]; o = map_objects[o].backing) {
			seen[o] = 1;
			if (map_objects[o].ref_count == 1)
				pages += map_objects[o].resident;
		}
	}
	return pages;
}

/* Has pid reached a sleep in the program called name? */
static int is_sleeping_in(pid_t pid, const char *name)
{
	static struct kproc procs[128];
	int n = kprocs(procs, 128);

	CHECKF(n >= 0, "kprocs");
	for (int i = 0; i < n && i < 128; i++)
		if (procs[i].pid == pid)
			return procs[i].state == 'S' && strcmp(procs[i].name, name) == 0;
	return 0;
}

static void wait_sleeping_in(pid_t pid, const char *name)
{
	uint64_t deadline = test_now_ns() + 10 * (uint64_t)NS_PER_SEC;

	while (!is_sleeping_in(pid, name)) {
		CHECKF(test_now_ns() < deadline, "pid %d never slept in %s", (int)pid, name);
		sched_yield();
	}
}

static pid_t start_sleep(void)
{
	char *argv[] = { "sleep", "1000", NULL };
	pid_t pid = test_fork();

	if (pid == 0) {
		execve("/bin/sleep", argv, no_env);
		_exit(127);
	}
	wait_sleeping_in(pid, "sleep");
	return pid;
}

static void kill_all(const pid_t *pids, int n)
{
	for (int i = 0; i < n; i++) {
		CHECK(kill(pids[i], SIGKILL) == 0);
		test_wait(pids[i]);
	}
}

/*
 * Pages that n new processes cost and that neither their own memory
 * (objects only they hold) nor page tables nor the kernel heap explain:
 * their kernel stacks, and their text if each had a copy.
 */
static int64_t unexplained_pages(const struct kcounters *before, const struct kcounters *after,
				 const pid_t *pids, int n)
{
	int64_t pages = (int64_t)before->free_pages - (int64_t)after->free_pages;

	pages -= (int64_t)after->pt_pages - (int64_t)before->pt_pages;
	pages -= (int64_t)after->kmem_pages - (int64_t)before->kmem_pages;
	pages += (int64_t)after->cache_pages - (int64_t)before->cache_pages;
	for (int i = 0; i < n; i++)
		pages -= (int64_t)private_pages(pids[i]);
	return pages;
}

static void ten_sleeps_share_one_copy_of_text(void)
{
	struct elf_image im;
	struct kcounters k0, k1;
	pid_t warm, pids[SLEEPERS];
	int fds[SLEEPERS];

	elf_read("/bin/sleep", &im);
	uint64_t text = elf_text_pages(&im);

	warm = start_sleep();           /* its text is in memory from now on */
	/* The control: SLEEPERS forks of this process, blocked in read. */
	CHECK(kcounters(&k0) == 0);
	for (int i = 0; i < SLEEPERS; i++) {
		pids[i] = spawn_blocked_child(&fds[i]);
		wait_sleeping_in(pids[i], "proc_test");
	}
	CHECK(kcounters(&k1) == 0);
	int64_t control = unexplained_pages(&k0, &k1, pids, SLEEPERS);
	kill_all(pids, SLEEPERS);       /* each holds the pipes of those before it */
	for (int i = 0; i < SLEEPERS; i++)
		close(fds[i]);
	/* SLEEPERS more sleeps. */
	CHECK(kcounters(&k0) == 0);
	for (int i = 0; i < SLEEPERS; i++)
		pids[i] = start_sleep();
	CHECK(kcounters(&k1) == 0);
	int64_t sleeps = unexplained_pages(&k0, &k1, pids, SLEEPERS);

	/* The same text object in every map: what to complain about, if anything,
	 * is found first, and the sleeps are gone before any CHECK ends the case. */
	char bad[160] = "";
	uint64_t text_id = 0;
	for (int i = 0; i < SLEEPERS && bad[0] == '\0'; i++) {
		int nobj, n = map_of(pids[i], &nobj);
		const struct kvmmap_entry *e = entry_at(n, im.eh.entry);

		if (e->object < 0 || map_objects[e->object].type != KVMMAP_OBJ_BOOTFS)
			snprintf(bad, sizeof(bad), "sleep %d: the text's object is not the boot file's",
				 (int)pids[i]);
		else if (i > 0 && e->object_id != text_id)
			snprintf(bad, sizeof(bad), "sleep %d: text object #%llu, the first's #%llu",
				 (int)pids[i], (unsigned long long)e->object_id,
				 (unsigned long long)text_id);
		else if (map_objects[e->object].ref_count < SLEEPERS)
			snprintf(bad, sizeof(bad), "the text object has %u references, not one a sleep",
				 map_objects[e->object].ref_count);
		text_id = e->object_id;
	}
	kill_all(pids, SLEEPERS);
	kill_all(&warm, 1);
	/* Ten copies would be SLEEPERS * text more than the control. */
	CHECKF(sleeps - control < (int64_t)(SLEEPERS * text / 2),
	       "%d sleeps cost %lld unexplained pages, %d forks %lld; the text is %llu pages",
	       SLEEPERS, (long long)sleeps, SLEEPERS, (long long)control, (unsigned long long)text);
	CHECKF(bad[0] == '\0', "%s", bad);
}

/* Data the helper changes: more than a page, so exec maps it from the file. */
static volatile unsigned char big_data[3 * PG] = { [0] = 1, [PG] = 2, [3 * PG - 1] = 3 };
static volatile unsigned char zero_bss[2 * PG];

static int big_data_is_original(void)
{
	for (size_t i = 0; i < sizeof(big_data); i++) {
		unsigned char want = i == 0 ? 1 : i == PG ? 2 : i == 3 * PG - 1 ? 3 : 0;

		if (big_data[i] != want)
			return 0;
	}
	for (size_t i = 0; i < sizeof(zero_bss); i++)
		if (zero_bss[i] != 0)
			return 0;
	return 1;
}

/* Are the read-only segments of this process the file's bytes? */
static int text_is_the_files(const char *path, const struct elf_image *im)
{
	static char buf[PG];

	for (int i = 0; i < im->nph; i++) {
		const struct elf_phdr *p = &im->ph[i];

		if (p->type != ELF_PT_LOAD || (p->flags & ELF_PF_W))
			continue;
		for (uint64_t off = 0; off < p->filesz; off += PG) {
			size_t n = p->filesz - off < PG ? p->filesz - off : PG;

			read_at(path, p->offset + off, buf, n);
			if (memcmp(buf, (const void *)(uintptr_t)(p->vaddr + off), n) != 0)
				return 0;
		}
	}
	return 1;
}

/* The helper: check the data, write every page of it, say so, wait for EOF. */
static int helper_data(const char *self)
{
	struct elf_image im;
	char c;

	if (!big_data_is_original())
		return write(1, "bad start\n", 10), 1;
	elf_read(self, &im);
	const struct elf_phdr *d = elf_data(&im);
	if (d == NULL)
		return write(1, "no data\n", 8), 1;
	/* A copy-on-write fault on every page of the data, values unchanged */
	for (uint64_t va = d->vaddr; va < d->vaddr + d->memsz; va = (va | (PG - 1)) + 1) {
		volatile unsigned char *b = (volatile unsigned char *)(uintptr_t)va;
		*b = *b;
	}
	for (size_t i = 0; i < sizeof(big_data); i++)
		big_data[i] = 0x5a;
	for (size_t i = 0; i < sizeof(zero_bss); i++)
		zero_bss[i] = 0xa5;
	write(1, "ok\n", 3);
	for (;;) {
		ssize_t r = read(0, &c, 1);

		if (r == 0 || (r < 0 && errno != EINTR))
			return 0;
	}
}

/* Start the data helper; it has written its data when this returns. */
static pid_t start_data_helper(int *stdin_w)
{
	char *argv[] = { "proc_test", HELPER_FLAG, "data", (char *)test_self_path(), NULL };
	int in[2], out[2];
	char buf[16] = "";
	pid_t pid;

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	pid = test_fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execve(test_self_path(), argv, no_env);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	ssize_t n = read(out[0], buf, sizeof(buf) - 1);
	close(out[0]);
	CHECKF(n == 3 && strcmp(buf, "ok\n") == 0, "data helper said \"%s\"", n > 0 ? buf : "");
	*stdin_w = in[1];
	return pid;
}

static void data_writes_do_not_reach_other_processes_or_text(void)
{
	struct elf_image im;
	int w1, w2, nobj;

	elf_read(test_self_path(), &im);
	pid_t h1 = start_data_helper(&w1);
	CHECKF(big_data_is_original(), "another process's writes show in this one's data");
	CHECKF(text_is_the_files(test_self_path(), &im), "text differs from the file after a data write");
	/* Its data: a shadow in front of the file's object, which we share. */
	int n = map_of(h1, &nobj);
	const struct kvmmap_entry *e = entry_at(n, (uint64_t)(uintptr_t)big_data);
	CHECKF(e->chain == 2, "the helper's data entry has a chain of %d objects", e->chain);
	int back = map_objects[e->object].backing;
	CHECKF(back >= 0 && map_objects[back].type == KVMMAP_OBJ_BOOTFS,
	       "the helper's data is not a copy-on-write over the file");
	/* A second exec of the program starts from the file, not from h1's copy. */
	pid_t h2 = start_data_helper(&w2);
	close(w1);
	close(w2);
	wait_ok(h1);
	wait_ok(h2);
}

/*
 * Bytes of a data segment past p_filesz read as zero, though the file goes
 * on with other bytes (0xff) in the same page: the fixtures check it
 * themselves (tools/mkelftail.py) and exit 0 if so.  elf_bsstail is mapped
 * from the file's object; elf_unaligned cannot be, and is copied.
 */
static void exec_zero_fills_bss_past_the_files_bytes(void)
{
	static const char *const fixtures[] = {
		"/test/fixtures/elf_bsstail", "/test/fixtures/elf_unaligned",
	};

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		char *argv[] = { (char *)fixtures[i], NULL };
		char buf[64];
		pid_t pid = test_fork();

		if (pid == 0) {
			execve(fixtures[i], argv, no_env);
			_exit(127);
		}
		int status = test_wait(pid);
		CHECKF(exit_ok(status), "%s: %s (1: its data or bss read wrong)", fixtures[i],
		       test_status_str(status, buf, sizeof(buf)));
	}
}

/* ---------------------------------------------------------------- helper */

/* Runs after execve: report to stdout, exit 0 iff all is as sent. */
static int helper_main(int argc, char **argv)
{
	char out[128];

	if (argc >= 3 && strcmp(argv[2], "pid") == 0) {
		snprintf(out, sizeof(out), "pid=%d ppid=%d\n", (int)getpid(), (int)getppid());
		write(1, out, strlen(out));
		return 0;
	}
	if (argc >= 3 && strcmp(argv[2], "env") == 0) {
		const char *v = getenv("VMOS_TEST_VAR"), *o = getenv("VMOS_TEST_OTHER");
		int nenv = 0;
		const char *bad = NULL;

		while (environ != NULL && environ[nenv] != NULL)
			nenv++;
		if (argc != 6)
			bad = "argc";
		else if (strcmp(argv[0], "proc_test") != 0)
			bad = "argv[0]";
		else if (strcmp(argv[3], "hello world") != 0 || argv[4][0] != '\0' ||
			 strcmp(argv[5], "x") != 0)
			bad = "argv[3..5]";
		else if (argv[argc] != NULL)
			bad = "argv[argc] not NULL";
		else if (v == NULL || strcmp(v, ENV_VALUE) != 0)
			bad = "VMOS_TEST_VAR";
		else if (o == NULL || strcmp(o, "2") != 0)
			bad = "VMOS_TEST_OTHER";
		else if (nenv != 2)
			bad = "environ count";
		else if (getenv("PATH") != NULL)
			bad = "PATH leaked into the environment";
		snprintf(out, sizeof(out), "%s%s\n", bad ? "bad " : "ok", bad ? bad : "");
		write(1, out, strlen(out));
		return bad ? 1 : 0;
	}
	if (argc >= 4 && strcmp(argv[2], "data") == 0)
		return helper_data(argv[3]);
	return 2;
}

static const struct test_case cases[] = {
	TEST_CASE(exit_statuses_0_1_42_255_are_reported),
	TEST_CASE(exit_status_keeps_only_low_8_bits),
	TEST_CASE(sigkill_is_reported_by_wait),
	TEST_CASE(sigterm_is_reported_by_wait),
	TEST_CASE(sigkill_cannot_be_ignored),
	TEST_CASE(default_ignored_signals_do_not_kill_a_blocked_reader),
	TEST_CASE(blocked_signal_waits_and_acts_when_unblocked),
	TEST_CASE(wnohang_answers_0_while_child_runs),
	TEST_CASE(waitpid_on_non_child_echild),
	TEST_CASE(waitpid_on_grandchild_echild),
	TEST_CASE(child_is_reaped_only_once),
	TEST_CASE(wait_reports_each_of_several_children),
	TEST_CASE(execve_of_directory_eacces),
	TEST_CASE(execve_of_missing_path_enoent),
	TEST_CASE(execve_of_truncated_elf_enoexec),
	TEST_CASE(execve_of_each_malformed_elf_enoexec),
	TEST_CASE(failed_execve_leaves_caller_intact),
	TEST_CASE(execve_passes_argv_to_echo),
	TEST_CASE(execve_passes_argv_and_env_to_self),
	TEST_CASE(execve_keeps_pid_and_parent),
	TEST_CASE(ten_sleeps_share_one_copy_of_text),
	TEST_CASE(data_writes_do_not_reach_other_processes_or_text),
	TEST_CASE(exec_zero_fills_bss_past_the_files_bytes),
	TEST_CASE(fork_bomb_stops_with_eagain),
	TEST_CASE(orphan_is_reparented_to_init_and_reaped),
	TEST_CASE(kill_signal_0_checks_existence),
	TEST_CASE(kill_of_nonexistent_pid_esrch),
	TEST_CASE(kill_of_init_is_ignored),
	TEST_CASE(kill_with_invalid_signal_einval),
	TEST_CASE(fork_answers_child_pid_and_child_sees_parent),
	TEST_CASE(setuid_drops_root_for_good),
	TEST_CASE(setuid_is_inherited_by_fork),
	TEST_CASE(umask_round_trips),
	TEST_CASE(umask_is_inherited_by_fork),
	TEST_CASE(nanosleep_sleeps_at_least_the_time_asked),
	TEST_CASE(nanosleep_whole_seconds),
	TEST_CASE(nanosleep_invalid_time_einval),
	TEST_CASE(clock_realtime_is_after_2020),
	TEST_CASE(clock_monotonic_never_goes_back),
	TEST_CASE(clock_gettime_unknown_clock_einval),
	TEST_CASE(sysinfo_reports_memory_swap_and_processes),
	TEST_CASE(sysinfo_uptime_follows_the_monotonic_clock),
	TEST_CASE(sysinfo_counts_a_new_process),
	TEST_CASE(sysinfo_sees_memory_being_used),
	TEST_CASE(sysinfo_bad_pointer_efault),
};

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], HELPER_FLAG) == 0)
		return helper_main(argc, argv);
	return test_main("proc", cases, TEST_COUNT(cases), argc, argv);
}
