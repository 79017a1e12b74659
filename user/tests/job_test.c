/*
 * job_test.c - the "job" suite: process groups, sessions, stopping and
 * continuing, and the terminal's job control.
 *
 * setpgid/setsid/getpgid/getsid and POSIX's error rules, kill() of a
 * group, SIGSTOP/SIGTSTP/SIGCONT as wait4 reports them (WUNTRACED,
 * WCONTINUED), a stopped system call that goes on when continued, a
 * background reader stopped by SIGTTIN, tcsetpgrp and its errors, and
 * the SIGHUP + SIGCONT an orphaned group with a stopped member gets.
 *
 * Assumes: the suite runs as uid 0, started by init through "sh -c"
 * (kernel command line cmd=...), so it is in session 1, whose controlling
 * terminal is the console (descriptor 0), with the suite's group in the
 * foreground; init is pid 1 and reaps orphans.  Cases that take the
 * terminal give it back before they end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define NO_SUCH_PID 99998       /* below PID_MAX, never reached by the suite */

/* ------------------------------------------------------------ helpers */

/* A child that blocks reading a pipe until its write end closes, then
 * exits with the number of bytes it read.  *release_fd is that end.  It
 * joins group pgid (0: its own; -1: stays in ours). */
static pid_t spawn_reader(int *release_fd, pid_t pgid)
{
	int fds[2];
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = test_fork();
	if (pid == 0) {
		char buf[16];
		ssize_t n, total = 0;

		for (int fd = 3; fd < 64; fd++)        /* other readers' write ends too */
			if (fd != fds[0])
				close(fd);
		if (pgid >= 0)
			CHECK(setpgid(0, pgid) == 0);
		while ((n = read(fds[0], buf, sizeof buf)) != 0) {
			CHECKF(n > 0, "read: errno %d", errno);     /* never EINTR */
			total += n;
		}
		_exit((int)total);
	}
	close(fds[0]);
	if (pgid >= 0)
		setpgid(pid, pgid == 0 ? pid : pgid);   /* as the child does: either wins */
	*release_fd = fds[1];
	return pid;
}

/* waitpid with options; must answer pid.  Returns the status. */
static int wait_opts(pid_t pid, int options)
{
	int status;
	pid_t r;

	do
		r = waitpid(pid, &status, options);
	while (r < 0 && errno == EINTR);
	CHECKF(r == pid, "waitpid(%d, %#x) = %d, errno %d", (int)pid, options, (int)r, errno);
	return status;
}

static void expect_exit(pid_t pid, int code)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == code, "child %d: %s, want exit %d",
	       (int)pid, test_status_str(status, buf, sizeof buf), code);
}

static void expect_killed(pid_t pid, int sig)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == sig, "child %d: %s, want signal %d",
	       (int)pid, test_status_str(status, buf, sizeof buf), sig);
}

/* The state ps shows for pid: 'S', 'T', ... ('?' if not found). */
static char proc_state(pid_t pid)
{
	static struct kproc procs[256];
	int n = kprocs(procs, 256);

	for (int i = 0; i < n; i++)
		if (procs[i].pid == pid)
			return procs[i].state;
	return '?';
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void block_signal(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
}

static void ignore_signal(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

/* ---------------------------------------------------- groups, sessions */

static void fork_inherits_group_and_session(void)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(getpgrp() == getpgid(getppid()));
		CHECK(getsid(0) == getsid(getppid()));
		_exit(0);
	}
	expect_exit(pid, 0);
	CHECK(getpgid(0) == getpgrp());
	CHECK(getpgid(getpid()) == getpgrp());
}

static void setpgid_makes_and_joins_groups(void)
{
	int fd1, fd2;
	pid_t a = spawn_reader(&fd1, 0);        /* leads group a */
	pid_t b = spawn_reader(&fd2, a);        /* joins it */

	CHECK(getpgid(a) == a);
	CHECK(getpgid(b) == a);
	CHECK(getsid(a) == getsid(0));          /* groups never leave the session */
	CHECK(setpgid(b, getpgrp()) == 0);      /* and back to ours */
	CHECK(getpgid(b) == getpgrp());
	CHECK(setpgid(0, 0) == 0);              /* we lead a group of our own */
	CHECK(getpgrp() == getpid());
	CHECK(setpgid(0, getpid()) == 0);       /* already there: fine */
	close(fd1);
	close(fd2);
	expect_exit(a, 0);
	expect_exit(b, 0);
}

static void setpgid_errors(void)
{
	int fd;
	pid_t c = spawn_reader(&fd, -1);

	CHECK_ERR(setpgid(0, -1), EINVAL);
	CHECK_ERR(setpgid(NO_SUCH_PID, 0), ESRCH);
	CHECK_ERR(setpgid(getppid(), 0), ESRCH);        /* not ours: our parent */
	CHECK_ERR(setpgid(1, 0), ESRCH);
	CHECK_ERR(setpgid(0, NO_SUCH_PID), EPERM);      /* no such group */
	CHECK_ERR(setpgid(c, getpid()), EPERM);         /* a group only we can start */
	close(fd);
	expect_exit(c, 0);
}

/* A child that has exec'd is its own master now: EACCES. */
static void setpgid_after_exec_is_eacces(void)
{
	int sync[2], in[2];
	char c;
	pid_t pid;

	CHECK(pipe2(sync, O_CLOEXEC) == 0);
	CHECK(pipe(in) == 0);
	pid = test_fork();
	if (pid == 0) {
		char *argv[] = { "cat", NULL };

		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		close(sync[0]);
		execv("/bin/cat", argv);
		_exit(127);
	}
	close(in[0]);
	close(sync[1]);
	CHECK(read(sync[0], &c, 1) == 0);       /* the exec closed it */
	CHECK_ERR(setpgid(pid, pid), EACCES);
	close(sync[0]);
	close(in[1]);                           /* cat sees end of file */
	expect_exit(pid, 0);
}

static void setsid_makes_a_session_without_terminal(void)
{
	pid_t pid;

	if (getpgrp() != getpid())
		CHECK(setpgid(0, 0) == 0);
	CHECK_ERR(setsid(), EPERM);             /* a group leader may not */
	pid = test_fork();
	if (pid == 0) {
		pid_t self = getpid();

		CHECK(setsid() == self);
		CHECK(getsid(0) == self);
		CHECK(getpgrp() == self);
		CHECK(getsid(getppid()) != self);
		CHECK_ERR(setsid(), EPERM);     /* now it leads one */
		CHECK_ERR(setpgid(0, 0), EPERM);        /* a leader never moves */
		CHECK_ERR(tcgetpgrp(0), ENOTTY);        /* not its terminal */
		CHECK_ERR(tcsetpgrp(0, self), ENOTTY);
		/* The console is session 1's: opening it or asking for it
		 * does not take it away. */
		int fd = open("/dev/console", O_RDWR);
		CHECK(fd >= 0);
		CHECK_ERR(tcgetpgrp(fd), ENOTTY);
		CHECK_ERR(ioctl(fd, TIOCSCTTY, 0), EPERM);
		close(fd);
		_exit(0);
	}
	expect_exit(pid, 0);
}

/* The parent cannot move a child that went to another session. */
static void setpgid_across_sessions_is_eperm(void)
{
	int sync[2], hold[2];
	char c;
	pid_t pid;

	CHECK(pipe(sync) == 0);
	CHECK(pipe(hold) == 0);
	pid = test_fork();
	if (pid == 0) {
		close(sync[0]);
		close(hold[1]);
		CHECK(setsid() == getpid());
		CHECK(write(sync[1], "s", 1) == 1);
		CHECK(read(hold[0], &c, 1) == 0);
		_exit(0);
	}
	close(sync[1]);
	close(hold[0]);
	CHECK(read(sync[0], &c, 1) == 1);
	CHECK_ERR(setpgid(pid, pid), EPERM);            /* a session leader */
	CHECK_ERR(setpgid(pid, getpgrp()), EPERM);
	CHECK(getsid(pid) == pid);
	close(hold[1]);
	close(sync[0]);
	expect_exit(pid, 0);
}

static void getpgid_getsid_errors(void)
{
	CHECK_ERR(getpgid(NO_SUCH_PID), ESRCH);
	CHECK_ERR(getsid(NO_SUCH_PID), ESRCH);
	CHECK_ERR(getpgid(-1), ESRCH);
	CHECK_ERR(getsid(-5), ESRCH);
	CHECK(getpgid(1) == 1);                 /* init leads group 1 ... */
	CHECK(getsid(1) == 1);                  /* ... and session 1 */
}

/* A reaped group's id is no pid for anyone while the group lives. */
static void group_outlives_its_leader(void)
{
	int fd1, fd2;
	pid_t a = spawn_reader(&fd1, 0);
	pid_t b = spawn_reader(&fd2, a);

	close(fd1);
	expect_exit(a, 0);                      /* the leader is gone ... */
	CHECK(getpgid(b) == a);                 /* ... its group is not */
	CHECK(setpgid(b, a) == 0);
	CHECK(kill(-a, 0) == 0);
	close(fd2);
	expect_exit(b, 0);
	CHECK_ERR(kill(-a, 0), ESRCH);          /* now it is */
}

/* ------------------------------------------------------ kill of a group */

static void kill_negative_pgid_signals_every_member(void)
{
	int fd1, fd2, fd3;
	pid_t a = spawn_reader(&fd1, 0);
	pid_t b = spawn_reader(&fd2, a);
	pid_t other = spawn_reader(&fd3, -1);   /* stays in our group */

	CHECK(kill(-a, SIGTERM) == 0);
	expect_killed(a, SIGTERM);
	expect_killed(b, SIGTERM);
	close(fd3);
	expect_exit(other, 0);                  /* not in the group: untouched */
	close(fd1);
	close(fd2);
	CHECK_ERR(kill(-NO_SUCH_PID, SIGTERM), ESRCH);
	CHECK_ERR(kill(-a, SIGTERM), ESRCH);    /* empty once reaped */
}

/* kill(0, sig) is the caller's own group, the caller included. */
static void kill_zero_signals_own_group(void)
{
	int fd;
	pid_t pid;

	CHECK(setpgid(0, 0) == 0);
	pid = spawn_reader(&fd, -1);            /* in our new group */
	block_signal(SIGUSR1);                  /* we survive our own signal */
	CHECK(kill(0, SIGUSR1) == 0);
	expect_killed(pid, SIGUSR1);
	close(fd);
	CHECK(kill(0, 0) == 0);
}

/* The per-process permission rule holds for every member. */
static void kill_pgid_needs_permission(void)
{
	int fd;
	pid_t a = spawn_reader(&fd, 0);         /* root's group */
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(setuid(1000) == 0);
		CHECK_ERR(kill(-a, SIGTERM), EPERM);
		CHECK_ERR(kill(-a, 0), EPERM);
		_exit(0);
	}
	expect_exit(pid, 0);
	close(fd);
	expect_exit(a, 0);                      /* never signalled */
}

/* ------------------------------------------------- stop and continue */

static void sigstop_and_sigcont_are_reported_by_wait(void)
{
	int fd, status;
	/* In a group of its own, which we (in another group of the session)
	 * keep from being orphaned, so that SIGTSTP may stop it too. */
	pid_t pid = spawn_reader(&fd, 0);

	sleep_ms(100);                          /* let it block in read */
	CHECK(kill(pid, SIGSTOP) == 0);
	status = wait_opts(pid, WUNTRACED);
	CHECKF(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP, "status %#x", status);
	CHECK(proc_state(pid) == 'T');          /* as ps shows it */
	CHECK(waitpid(pid, &status, WNOHANG | WUNTRACED) == 0);     /* reported once */
	CHECK(kill(pid, SIGCONT) == 0);
	status = wait_opts(pid, WCONTINUED);
	CHECKF(WIFCONTINUED(status), "status %#x", status);
	CHECK(proc_state(pid) != 'T');
	CHECK(waitpid(pid, &status, WNOHANG | WCONTINUED) == 0);
	sleep_ms(100);                          /* back in its read */
	CHECK(kill(pid, SIGTSTP) == 0);
	status = wait_opts(pid, WUNTRACED);
	CHECKF(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP, "status %#x", status);
	CHECK(kill(pid, SIGCONT) == 0);
	/* The read it was stopped in goes on: the byte arrives, no EINTR. */
	CHECK(write(fd, "xyz", 3) == 3);
	close(fd);
	expect_exit(pid, 3);
}

/* Without WUNTRACED a stop is no news; a stopped child can still be killed. */
static void stopped_child_waits_and_dies(void)
{
	int fd, status;
	pid_t pid = spawn_reader(&fd, -1);

	CHECK(kill(pid, SIGSTOP) == 0);
	sleep_ms(50);
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	CHECK(kill(pid, SIGKILL) == 0);
	expect_killed(pid, SIGKILL);
	close(fd);
}

/* An ignored SIGTSTP does not stop; SIGSTOP cannot be ignored. */
static void ignored_sigtstp_does_not_stop(void)
{
	int fd, status;
	pid_t pid = test_fork();

	if (pid == 0) {
		ignore_signal(SIGTSTP);
		CHECK(kill(getpid(), SIGTSTP) == 0);    /* ignored */
		_exit(7);
	}
	status = wait_opts(pid, WUNTRACED);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 7, "status %#x", status);
	pid = spawn_reader(&fd, -1);
	CHECK(kill(pid, SIGSTOP) == 0);
	status = wait_opts(pid, WUNTRACED);
	CHECK(WIFSTOPPED(status));
	CHECK_ERR(kill(pid, -1), EINVAL);
	close(fd);
	CHECK(kill(pid, SIGCONT) == 0);
	expect_exit(pid, 0);
}

/* wait4(0) and wait4(-pgid) pick children by group. */
static void wait_by_group(void)
{
	int fd1, fd2, status;
	pid_t a = spawn_reader(&fd1, 0);
	pid_t b = spawn_reader(&fd2, -1);       /* in our group */

	close(fd1);
	close(fd2);
	CHECK(waitpid(-a, &status, 0) == a);    /* group a: only a */
	CHECK_ERR(waitpid(-a, &status, WNOHANG), ECHILD);
	CHECK(waitpid(0, &status, 0) == b);     /* our group: b */
	CHECK(WIFEXITED(status));
	CHECK_ERR(waitpid(0, &status, 0), ECHILD);
}

/* ----------------------------------------------------------- terminal */

/* A background process reading its terminal is stopped by SIGTTIN. */
static void background_read_gets_sigttin(void)
{
	int status;
	pid_t pid;

	CHECK(tcgetpgrp(0) == getpgrp());       /* the suite is in front */
	pid = test_fork();
	if (pid == 0) {
		char c;

		CHECK(setpgid(0, 0) == 0);      /* behind now */
		(void)read(0, &c, 1);
		FAIL("the read came back");
	}
	status = wait_opts(pid, WUNTRACED);
	CHECKF(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN, "status %#x", status);
	CHECK(kill(pid, SIGKILL) == 0);
	expect_killed(pid, SIGKILL);
}

/* ... and if it ignores SIGTTIN, or its group is orphaned, the read fails with EIO. */
static void background_read_ignoring_sigttin_is_eio(void)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		char c;

		CHECK(setpgid(0, 0) == 0);
		ignore_signal(SIGTTIN);
		CHECK_ERR(read(0, &c, 1), EIO);
		_exit(0);
	}
	expect_exit(pid, 0);
}

static void tcsetpgrp_errors(void)
{
	int fds[2];
	pid_t front = tcgetpgrp(0);

	CHECK(front == getpgrp());
	CHECK(pipe(fds) == 0);
	CHECK_ERR(tcsetpgrp(fds[0], getpgrp()), ENOTTY);        /* not a terminal */
	CHECK_ERR(tcgetpgrp(fds[0]), ENOTTY);
	CHECK_ERR(tcsetpgrp(99, getpgrp()), EBADF);
	CHECK_ERR(tcsetpgrp(0, -3), EINVAL);
	CHECK_ERR(tcsetpgrp(0, NO_SUCH_PID), EPERM);            /* no such group */
	CHECK_ERR(tcsetpgrp(0, 0), EPERM);
	CHECK(ioctl(0, TIOCSCTTY, 0) == 0);     /* already ours: nothing to do */
	CHECK_ERR(ioctl(fds[0], TIOCSCTTY, 0), ENOTTY);
	CHECK_ERR(ioctl(0, TIOCSPGRP, test_addr(8)), EFAULT);      /* bad pointers */
	CHECK_ERR(ioctl(0, TIOCGPGRP, test_addr(8)), EFAULT);
	CHECK(tcgetpgrp(0) == front);
	close(fds[0]);
	close(fds[1]);
}

/* From the background tcsetpgrp stops the caller with SIGTTOU, unless it
 * ignores SIGTTOU (as a shell does); then it hands the terminal over. */
static void tcsetpgrp_from_background(void)
{
	pid_t front = tcgetpgrp(0);
	int status;
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(setpgid(0, 0) == 0);
		(void)tcsetpgrp(0, getpgrp());
		FAIL("tcsetpgrp from the background did not stop");
	}
	status = wait_opts(pid, WUNTRACED);
	CHECKF(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU, "status %#x", status);
	CHECK(kill(pid, SIGKILL) == 0);
	expect_killed(pid, SIGKILL);
	CHECK(tcgetpgrp(0) == front);

	pid = test_fork();
	if (pid == 0) {
		ignore_signal(SIGTTOU);
		CHECK(setpgid(0, 0) == 0);
		CHECK(tcsetpgrp(0, getpgrp()) == 0);
		CHECK(tcgetpgrp(0) == getpgrp());
		CHECK(tcsetpgrp(0, front) == 0);        /* give it back */
		_exit(0);
	}
	expect_exit(pid, 0);
	CHECK(tcgetpgrp(0) == front);
}

/* ---------------------------------------------------- orphaned groups */

/*
 * P leads a new session; its child C, in a group of its own, stops.  When
 * P exits, C's group has nobody left to continue it (C's parent is now
 * init, in another session): POSIX sends SIGHUP then SIGCONT.  C blocks
 * SIGHUP, so it lives to tell us it was continued, then unblocks it and
 * dies of it.  We read C's report on a pipe: "c", then end of file.
 */
static void orphaned_stopped_group_gets_sighup_and_sigcont(void)
{
	int fds[2];
	char buf[8];
	ssize_t n, len = 0;
	pid_t p;

	CHECK(pipe(fds) == 0);
	p = test_fork();
	if (p == 0) {
		pid_t c;
		int status;

		close(fds[0]);
		CHECK(setsid() == getpid());
		c = test_fork();
		if (c == 0) {
			sigset_t set;

			CHECK(setpgid(0, 0) == 0);
			block_signal(SIGHUP);
			CHECK(kill(getpid(), SIGSTOP) == 0);
			CHECK(write(fds[1], "c", 1) == 1);     /* continued */
			sigemptyset(&set);
			CHECK(sigprocmask(SIG_SETMASK, &set, NULL) == 0);
			CHECK(write(fds[1], "n", 1) == 1);     /* no SIGHUP came */
			_exit(0);
		}
		setpgid(c, c);
		status = wait_opts(c, WUNTRACED);
		CHECKF(WIFSTOPPED(status), "status %#x", status);
		_exit(0);                       /* orphans c's group */
	}
	close(fds[1]);
	expect_exit(p, 0);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };

		CHECKF(poll(&pfd, 1, 5000) == 1, "C neither continued nor died");
		n = read(fds[0], buf + len, sizeof buf - 1 - len);
		CHECK(n >= 0);
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	CHECKF(strcmp(buf, "c") == 0, "C said \"%s\", want \"c\"", buf);
	close(fds[0]);
}

/* A group that no parent in the session can continue ignores the
 * terminal's stop signals (SIGSTOP still stops it). */
static void orphaned_group_ignores_sigtstp(void)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		pid_t self = getpid();

		CHECK(setsid() == self);        /* our parent is in another session */
		CHECK(kill(self, SIGTSTP) == 0);
		CHECK(kill(self, SIGTTIN) == 0);
		CHECK(kill(self, SIGTTOU) == 0);
		_exit(5);
	}
	int status = wait_opts(pid, WUNTRACED);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 5, "status %#x", status);
}

static const struct test_case cases[] = {
	TEST_CASE(fork_inherits_group_and_session),
	TEST_CASE(setpgid_makes_and_joins_groups),
	TEST_CASE(setpgid_errors),
	TEST_CASE(setpgid_after_exec_is_eacces),
	TEST_CASE(setsid_makes_a_session_without_terminal),
	TEST_CASE(setpgid_across_sessions_is_eperm),
	TEST_CASE(getpgid_getsid_errors),
	TEST_CASE(group_outlives_its_leader),
	TEST_CASE(kill_negative_pgid_signals_every_member),
	TEST_CASE(kill_zero_signals_own_group),
	TEST_CASE(kill_pgid_needs_permission),
	TEST_CASE(sigstop_and_sigcont_are_reported_by_wait),
	TEST_CASE(stopped_child_waits_and_dies),
	TEST_CASE(ignored_sigtstp_does_not_stop),
	TEST_CASE(wait_by_group),
	TEST_CASE(background_read_gets_sigttin),
	TEST_CASE(background_read_ignoring_sigttin_is_eio),
	TEST_CASE(tcsetpgrp_errors),
	TEST_CASE(tcsetpgrp_from_background),
	TEST_CASE(orphaned_stopped_group_gets_sighup_and_sigcont),
	TEST_CASE(orphaned_group_ignores_sigtstp),
};

int main(int argc, char **argv)
{
	return test_main("job", cases, TEST_COUNT(cases), argc, argv);
}
