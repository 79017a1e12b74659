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
 * One case (or a few) per way a hostile user was once able to hurt the
 * kernel or other users here (each was found and fixed):
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
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define HOSTILE_UID 1000
#define PID_MAX_TEST 99998         /* a pid nobody has: below PID_MAX, never reached here */

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

#define SLEEPERS 200

/*
 * A user's hundreds of processes in nanosleep must cost the system nothing
 * while they sleep: the timer tick wakes a sleeper at its deadline, not at
 * every tick to look at the clock (that would be 200 context switches per
 * tick here).  Counted with the context-switch counter, not timed.
 */
static void timed_sleepers_are_not_woken_every_tick(void)
{
	pid_t pids[SLEEPERS];
	struct timespec pause = { 0, 300000000 };
	for (int i = 0; i < SLEEPERS; i++) {
		pids[i] = test_fork();
		if (pids[i] == 0) {
			struct timespec ts = { 100, 0 };
			become_hostile();
			nanosleep(&ts, NULL);
			_exit(0);
		}
	}
	nanosleep(&pause, NULL);                /* everyone is asleep now */
	struct kcounters a, b;
	CHECK(kcounters(&a) == 0);
	nanosleep(&pause, NULL);                /* 30 ticks */
	CHECK(kcounters(&b) == 0);
	uint64_t switches = b.context_switches - a.context_switches;
	CHECKF(switches < 100, "%llu context switches in 0.3 s with %d sleepers",
	       (unsigned long long)switches, SLEEPERS);
	for (int i = 0; i < SLEEPERS; i++)
		CHECK(kill(pids[i], SIGKILL) == 0);
	for (int i = 0; i < SLEEPERS; i++)
		test_wait(pids[i]);
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

/* ------------------------------------------------------ fragmented memory */

#define PAGE 4096ul

/*
 * Touch free pages until fewer than `leave` beyond the kernel's reserve
 * are free, then unmap every other one: half of memory is free again, in
 * single pages with no two side by side (the page allocator hands out the
 * lowest frames first, so the reserve, left untouched, is the only run;
 * kernel/vm/kva_test.c fragments even that).  Answers the region; *lenp
 * gets its length.
 */
static char *fragment_memory(uint64_t leave, size_t *lenp)
{
	struct kcounters k = counters_now();
	size_t len = k.total_pages * PAGE;
	char *r = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	CHECK(r != MAP_FAILED);
	size_t touched = 0, next_check = 0;
	for (;; touched++) {
		if (touched == next_check) {
			CHECK(kcounters(&k) == 0);
			if (k.free_pages < k.free_reserved + leave)
				break;
			/* Look often near the end: a page table now and then comes too. */
			next_check += k.free_pages > k.free_reserved + 4 * leave + 128 ? 64 : 1;
		}
		r[touched * PAGE] = 1;
	}
	for (size_t i = 0; i < touched; i += 2)
		CHECK(munmap(r + i * PAGE, PAGE) == 0);
	CHECK(kcounters(&k) == 0);
	CHECKF(k.free_pages > touched / 3, "only %llu pages free after unmapping half",
	       (unsigned long long)k.free_pages);
	*lenp = len;
	return r;
}

/* With free memory in single pages, the calls that used to need ARG_MAX
 * or a big kernel buffer physically contiguous still work. */
static void fragmented_memory_still_execs_and_makes_pipes_and_sockets(void)
{
	size_t len;

	become_hostile();
	char *region = fragment_memory(24, &len);
	char *argv[] = { "true", NULL };
	for (int i = 0; i < 3; i++)
		CHECKF(test_exec_errno("/bin/true", argv, NULL) == 0, "exec failed with memory fragmented");
	int p[2], sv[2];
	CHECKF(pipe(p) == 0, "pipe: errno %d", errno);
	CHECK(write(p[1], "x", 1) == 1);
	int fd = open("/bin/true", O_RDONLY);
	CHECKF(fd >= 0, "open: errno %d", errno);
	pair(SOCK_STREAM, sv);
	static char big[100000];
	memset(big, 'b', sizeof(big));
	CHECKF(send(sv[0], big, 60000, 0) == 60000, "a 60 KB send: errno %d", errno);
	struct pollfd many[300];
	for (int i = 0; i < 300; i++)
		many[i] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	CHECKF(poll(many, 300, 0) == 300, "poll of 300: errno %d", errno);
	close(p[0]);
	close(p[1]);
	close(fd);
	close(sv[0]);
	close(sv[1]);
	CHECK(munmap(region, len) == 0);
}

/* ------------------------------------------------------------ page tables */

#define SPARSE_LEN (8ul << 30)          /* 8 GiB */
#define SPAN_2M    (2ul << 20)

static void unmapping_a_sparse_region_frees_its_page_tables(void)
{
	struct kcounters before = counters_now();

	become_hostile();
	char *r = mmap(NULL, SPARSE_LEN, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(r != MAP_FAILED);
	for (size_t off = 0; off < SPARSE_LEN; off += SPAN_2M)
		r[off] = 1;                     /* one page and one page table per 2 MiB */
	struct kcounters touched = counters_now();
	uint64_t spans = SPARSE_LEN / SPAN_2M;
	CHECKF(touched.pt_pages >= before.pt_pages + spans, "pt_pages %llu -> %llu for %llu spans",
	       (unsigned long long)before.pt_pages, (unsigned long long)touched.pt_pages,
	       (unsigned long long)spans);
	/* Half first: the tables of the half unmapped go, the others stay. */
	CHECK(munmap(r, SPARSE_LEN / 2) == 0);
	struct kcounters half = counters_now();
	CHECKF(half.pt_pages <= touched.pt_pages - spans / 2 && half.pt_pages >= before.pt_pages + spans / 2,
	       "after half: pt_pages %llu (touched %llu)", (unsigned long long)half.pt_pages,
	       (unsigned long long)touched.pt_pages);
	CHECK(munmap(r + SPARSE_LEN / 2, SPARSE_LEN / 2) == 0);
	struct kcounters after = counters_now();
	CHECKF(after.pt_pages == before.pt_pages, "pt_pages %llu, was %llu before",
	       (unsigned long long)after.pt_pages, (unsigned long long)before.pt_pages);
	CHECKF(after.free_pages + after.kmem_pages + after.cache_pages ==
	       before.free_pages + before.kmem_pages + before.cache_pages,
	       "free+heap+cache pages %llu, was %llu",
	       (unsigned long long)(after.free_pages + after.kmem_pages + after.cache_pages),
	       (unsigned long long)(before.free_pages + before.kmem_pages + before.cache_pages));
}

/* The tables also go when the pages leave by other ways than munmap:
 * shrinking a shared object unmaps its pages through the reverse map. */
static void shrinking_a_mapped_object_frees_its_page_tables(void)
{
	struct kcounters before = counters_now();
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 64 * PAGE) == 0);
	/* Map it at a 1 GiB-aligned spot of its own, so its tables are its alone. */
	char *want = (char *)0x500000000000ul;
	char *r = mmap(want, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	CHECK(r == want);
	for (int i = 0; i < 64; i++)
		r[i * PAGE] = 1;
	CHECK(counters_now().pt_pages == before.pt_pages + 3);  /* a PDPT, a PD and a PT */
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(counters_now().pt_pages == before.pt_pages);
	CHECK(munmap(r, 64 * PAGE) == 0);
	close(fd);
}

/* ---------------------------------------------------- processes per user */

/* Fork children that wait on `hold` until fork fails; answers how many
 * (they exit when hold's write end closes) and the errno in *err. */
static int fork_until_failure(int hold_read, int *err)
{
	int n = 0;
	for (;;) {
		pid_t pid = fork();
		if (pid < 0) {
			*err = errno;
			return n;
		}
		if (pid == 0) {
			char c;
			read(hold_read, &c, 1);
			_exit(0);
		}
		n++;
	}
}

static void reap_all(void)
{
	while (wait(NULL) > 0)
		;
}

struct bomb_report {
	int forked;
	int err;
	int second_user_err;            /* another unprivileged user's fork then */
	int root_forked;                /* did root's fork succeed while full? */
};

/*
 * uid 1000 forks until EAGAIN with RLIMIT_NPROC `limit`; meanwhile (while
 * its children hold their slots) another user and root try to fork.
 */
static void fork_bomb(rlim_t limit, struct bomb_report *rep)
{
	int hold[2], done[2];
	CHECK(pipe(hold) == 0 && pipe(done) == 0);
	struct rlimit rl = { limit, limit };
	pid_t bomber = test_fork();
	if (bomber == 0) {
		CHECK(setrlimit(RLIMIT_NPROC, &rl) == 0);
		become_hostile();
		close(hold[1]);
		int err = 0;
		int n = fork_until_failure(hold[0], &err);
		CHECK(write(done[1], &n, sizeof(n)) == sizeof(n));
		CHECK(write(done[1], &err, sizeof(err)) == sizeof(err));
		reap_all();                     /* after root closes hold[1] */
		_exit(0);
	}
	close(hold[0]);
	test_read_full(done[0], &rep->forked, sizeof(rep->forked));
	test_read_full(done[0], &rep->err, sizeof(rep->err));
	/* The table (or uid 1000's share of it) is full now. */
	pid_t other = test_fork();
	if (other == 0) {
		CHECK(setuid(HOSTILE_UID + 1) == 0);
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (c > 0)
			waitpid(c, NULL, 0);
		_exit(c > 0 ? 0 : errno);
	}
	int status = test_wait(other);
	rep->second_user_err = WEXITSTATUS(status);
	pid_t root_child = fork();
	rep->root_forked = root_child > 0;
	if (root_child == 0)
		_exit(0);
	if (root_child > 0)
		test_wait(root_child);
	close(hold[1]);                         /* the bomb's children exit */
	test_wait(bomber);
	close(done[0]);
	close(done[1]);
}

/* RLIMIT_NPROC stops uid 1000 at its limit; others are not affected. */
static void rlimit_nproc_stops_a_fork_bomb(void)
{
	struct kcounters before = counters_now();
	struct bomb_report rep;

	fork_bomb(40, &rep);
	/* The bomber itself counts: 39 children make 40 processes of uid 1000. */
	CHECKF(rep.forked == 39 && rep.err == EAGAIN, "forked %d, then errno %d", rep.forked, rep.err);
	CHECKF(rep.second_user_err == 0, "another user's fork failed: errno %d", rep.second_user_err);
	CHECK(rep.root_forked);
	CHECK(counters_now().processes == before.processes);
}

/* With no per-user limit, uid 1000 fills the table but for root's slots:
 * other users get EAGAIN, root can still fork. */
static void a_full_process_table_keeps_slots_for_root(void)
{
	struct kcounters before = counters_now();
	struct bomb_report rep;

	fork_bomb(RLIM_INFINITY, &rep);
	CHECKF(rep.err == EAGAIN, "fork failed with errno %d", rep.err);
	CHECKF(rep.forked > 500, "only %d forks: the table is too small for a course", rep.forked);
	CHECKF(rep.second_user_err == EAGAIN, "another user could fork in a full table (errno %d)",
	       rep.second_user_err);
	CHECK(rep.root_forked);
	CHECK(counters_now().processes == before.processes);
}

/* ------------------------------------------------------------- rlimits */

static void rlimits_follow_the_posix_rules(void)
{
	struct rlimit rl, old;

	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECKF(rl.rlim_cur == 256 && rl.rlim_max == 256, "NOFILE %llu/%llu",
	       (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
	CHECK(getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY);
	CHECK_ERR(getrlimit(RLIM_NLIMITS, &rl), EINVAL);
	CHECK_ERR(getrlimit(-1, &rl), EINVAL);
	CHECK_ERR(getrlimit(RLIMIT_AS, test_addr(0xffffffff80100000ul)), EFAULT);
	CHECK_ERR(setrlimit(RLIMIT_AS, NULL), EFAULT);
	rl = (struct rlimit){ 10, 5 };
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EINVAL);          /* soft above hard */
	rl = (struct rlimit){ 64, 128 };
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(prlimit(0, RLIMIT_NOFILE, NULL, &old) == 0 && old.rlim_cur == 64 && old.rlim_max == 128);
	become_hostile();
	rl = (struct rlimit){ 128, 128 };
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);                  /* soft up to hard: anyone */
	rl = (struct rlimit){ 128, 200 };
	CHECK_ERR(setrlimit(RLIMIT_NOFILE, &rl), EPERM);            /* hard up: root only */
	rl = (struct rlimit){ 100, 100 };
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);                  /* anyone may lower */
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 100 && rl.rlim_max == 100);
	/* Another user's process: EPERM; no such process: ESRCH. */
	CHECK_ERR(prlimit(1, RLIMIT_NOFILE, NULL, &old), EPERM);
	CHECK_ERR(prlimit(PID_MAX_TEST, RLIMIT_NOFILE, NULL, &old), ESRCH);
}

static void rlimits_survive_fork_and_exec(void)
{
	struct rlimit rl = { 33, 44 };
	CHECK(setrlimit(RLIMIT_DATA, &rl) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		struct rlimit got;
		CHECK(getrlimit(RLIMIT_DATA, &got) == 0 && got.rlim_cur == 33 && got.rlim_max == 44);
		rl = (struct rlimit){ 30, 44 };
		CHECK(setrlimit(RLIMIT_DATA, &rl) == 0);
		_exit(0);
	}
	test_wait(pid);
	struct rlimit got;
	CHECK(getrlimit(RLIMIT_DATA, &got) == 0 && got.rlim_cur == 33);  /* the child's change stays its own */
	char *argv[] = { "harden_test", "--exit-with-rlimit-data", NULL };
	pid = test_fork();
	if (pid == 0) {
		execv(test_self_path(), argv);
		_exit(99);
	}
	int status = test_wait(pid);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 33, "after exec: status %#x", status);
	rl = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	CHECK(setrlimit(RLIMIT_DATA, &rl) == 0);                   /* root may raise it again */
}

static void rlimit_nofile_bounds_every_new_descriptor(void)
{
	struct rlimit rl = { 10, 10 };
	int fds[16], n = 0, sv[2];

	become_hostile();
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			CHECK(errno == EMFILE);
			break;
		}
		CHECKF(fd < 10, "descriptor %d made past the limit", fd);
		fds[n++] = fd;
	}
	CHECK_ERR(dup2(0, 10), EBADF);
	CHECK_ERR(dup2(0, 255), EBADF);
	CHECK_ERR(fcntl(0, F_DUPFD, 10), EINVAL);
	CHECK_ERR(pipe(sv), EMFILE);
	CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), EMFILE);
	CHECK_ERR(shm_open(SHM_ANON, O_RDWR, 0600), EMFILE);
	CHECK(close(fds[--n]) == 0);
	CHECK(close(fds[--n]) == 0);
	CHECK(pipe(sv) == 0 && sv[0] < 10 && sv[1] < 10);
	/* A descriptor above a lowered limit stays usable. */
	rl = (struct rlimit){ 3, 10 };
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	CHECK(write(sv[1], "k", 1) == 1);
	char c;
	CHECK(read(sv[0], &c, 1) == 1 && c == 'k');
	CHECK_ERR(dup(sv[0]), EMFILE);
}

static void rlimit_as_bounds_mmap_and_brk(void)
{
	become_hostile();
	char *probe = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(probe != MAP_FAILED);
	/* The current size, read off ps's record of ourselves. */
	struct kproc procs[64];
	int n = kprocs(procs, 64);
	uint64_t vsize = 0;
	for (int i = 0; i < n; i++)
		if (procs[i].pid == getpid())
			vsize = procs[i].vsize;
	CHECK(vsize > 0);
	struct rlimit rl = { vsize + 16 * PAGE, RLIM_INFINITY };
	CHECK(setrlimit(RLIMIT_AS, &rl) == 0);
	CHECK_ERR(mmap(NULL, 32 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	char *ok = mmap(NULL, 8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ok != MAP_FAILED);
	/* Replacing a mapping in place is no growth. */
	CHECK(mmap(ok, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == ok);
	CHECK_ERR(mmap(ok, 24 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	ok[0] = 1;                              /* the old mapping is still there */
	void *cur = sbrk(0);
	CHECK(sbrk(64 * PAGE) == (void *)-1 && errno == ENOMEM);
	CHECK(sbrk(0) == cur);
	CHECK(munmap(ok, 8 * PAGE) == 0);
	CHECK(sbrk(4 * PAGE) == cur);           /* within the limit again */
}

static void rlimit_data_bounds_the_break(void)
{
	struct rlimit rl;

	become_hostile();
	CHECK(getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY);
	char *start = sbrk(0);
	CHECK(sbrk(2 * PAGE) == start);
	/* The data segment and heap are already bigger than this: no growth. */
	rl.rlim_cur = PAGE;
	CHECK(setrlimit(RLIMIT_DATA, &rl) == 0);
	CHECK(sbrk(PAGE) == (void *)-1 && errno == ENOMEM);
	CHECK(sbrk(0) == start + 2 * PAGE);
	CHECK(sbrk(-(intptr_t)PAGE) == start + 2 * PAGE);      /* shrinking is always allowed */
	rl.rlim_cur = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_DATA, &rl) == 0);
	CHECK(sbrk(PAGE) == start + PAGE);
	CHECK(sbrk(-(intptr_t)(2 * PAGE)) == start + 2 * PAGE);
}

/* Linux's vm.max_map_count: a user cannot make the kernel hold unbounded map entries. */
#define MAP_ENTRIES_MAX 65530
static void map_entries_are_bounded(void)
{
	size_t pages = 2 * MAP_ENTRIES_MAX + 100, len = pages * PAGE;
	become_hostile();
	char *r = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(r != MAP_FAILED);
	int made = 0, err = 0;
	for (size_t i = 1; i < pages; i += 2) {
		if (mprotect(r + i * PAGE, PAGE, PROT_NONE) != 0) {
			err = errno;
			break;
		}
		made++;
	}
	/* Each mprotect of a page inside the entry makes two more entries. */
	CHECKF(err == ENOMEM && made > MAP_ENTRIES_MAX / 2 - 100 && made <= MAP_ENTRIES_MAX / 2,
	       "%d splits, then errno %d", made, err);
	/* At the limit a new mapping is refused too, and one entry freed lets it in. */
	CHECK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(munmap(r + PAGE, PAGE) == 0);                  /* one PROT_NONE entry less */
	char *q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECKF(q != MAP_FAILED, "mmap after freeing entries: errno %d", errno);
	CHECK(munmap(q, PAGE) == 0);
	CHECK(munmap(r, len) == 0);
}

/* ------------------------------------------------------------ socket names */

#define ROOT_PATH  "/tmp/harden_root.sock"
#define USER_PATH  "/tmp/harden_user.sock"

static int bound_socket(int type, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, type, 0);
	CHECK(s >= 0);
	strcpy(a.sun_path, path);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static int connect_to(int type, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, type, 0);
	CHECK(s >= 0);
	strcpy(a.sun_path, path);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		int e = errno;
		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static void impostor(void *arg)
{
	(void)arg;
	become_hostile();
	CHECK_ERR(unlink(ROOT_PATH), EPERM);
	CHECK_ERR(bound_socket(SOCK_STREAM, ROOT_PATH), EADDRINUSE);
	/* Its own name is its own to remove. */
	int s = bound_socket(SOCK_STREAM, USER_PATH);
	CHECK(s >= 0);
	CHECK(unlink(USER_PATH) == 0);
	CHECK_ERR(unlink(USER_PATH), ENOENT);
	close(s);
	_exit(0);
}

/* uid 1000 can neither remove root's listening socket's name nor take it over. */
static void socket_name_belongs_to_its_owner(void)
{
	int l = bound_socket(SOCK_STREAM, ROOT_PATH);
	CHECK(l >= 0 && listen(l, 4) == 0);
	char buf[64];
	int status = run_in_child(impostor, NULL);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "impostor: %s",
	       test_status_str(status, buf, sizeof(buf)));
	/* Root's next client reaches root's listener. */
	int c = connect_to(SOCK_STREAM, ROOT_PATH);
	CHECK(c >= 0);
	int a = accept(l, NULL, NULL);
	CHECK(a >= 0);
	CHECK(write(c, "r", 1) == 1);
	CHECK(read(a, buf, 1) == 1 && buf[0] == 'r');
	/* Root may remove anyone's name. */
	pid_t pid = test_fork();
	if (pid == 0) {
		become_hostile();
		CHECK(bound_socket(SOCK_DGRAM, USER_PATH) >= 0);
		_exit(0);
	}
	test_wait(pid);
	CHECK(unlink(USER_PATH) == 0);
	CHECK(unlink(ROOT_PATH) == 0);
	close(a);
	close(c);
	close(l);
}

struct conn_try {
	gid_t gid;                      /* setgid to this first (0: stay) */
	int want_errno;                 /* 0: must connect */
};

static void try_connect(void *arg)
{
	struct conn_try *t = arg;
	if (t->gid != 0)
		CHECK(setgid(t->gid) == 0);
	become_hostile();
	int s = connect_to(SOCK_STREAM, ROOT_PATH);
	if (t->want_errno == 0) {
		CHECKF(s >= 0, "connect: errno %d", errno);
	} else {
		CHECKF(s < 0 && errno == t->want_errno, "connect: %d errno %d", s, errno);
	}
	if (t->want_errno == EACCES) {
		/* A datagram to a name without write permission is refused the same way. */
		struct sockaddr_un to = { .sun_family = AF_UNIX };
		strcpy(to.sun_path, ROOT_PATH ".d");
		int d = socket(AF_UNIX, SOCK_DGRAM, 0);
		CHECK_ERR(sendto(d, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), t->want_errno);
	}
	_exit(0);
}

static void expect_connect(gid_t gid, int want_errno)
{
	struct conn_try t = { gid, want_errno };
	char buf[64];
	int status = run_in_child(try_connect, &t);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "gid %u: %s", gid,
	       test_status_str(status, buf, sizeof(buf)));
}

/* Connecting needs write permission on the name, by owner/group/other. */
static void connecting_needs_write_permission(void)
{
	umask(022);                             /* srwxr-xr-x: nobody else may connect */
	int l = bound_socket(SOCK_STREAM, ROOT_PATH);
	int d = bound_socket(SOCK_DGRAM, ROOT_PATH ".d");
	CHECK(l >= 0 && d >= 0 && listen(l, 8) == 0);
	expect_connect(0, EACCES);              /* group 0, but the group may not write */
	close(l);
	expect_connect(0, EACCES);              /* a dead name: EACCES comes before ECONNREFUSED */
	CHECK(unlink(ROOT_PATH) == 0 && unlink(ROOT_PATH ".d") == 0);
	close(d);
	umask(002);                             /* srwxrwxr-x: the group may */
	l = bound_socket(SOCK_STREAM, ROOT_PATH);
	d = bound_socket(SOCK_DGRAM, ROOT_PATH ".d");
	CHECK(l >= 0 && d >= 0 && listen(l, 8) == 0);
	expect_connect(0, 0);
	expect_connect(HOSTILE_UID, EACCES);    /* another group: the others' bits */
	close(l);
	expect_connect(0, ECONNREFUSED);        /* permitted, but nobody listens */
	CHECK(unlink(ROOT_PATH) == 0 && unlink(ROOT_PATH ".d") == 0);
	close(d);
	umask(0);
}

#define NAMES_USER_MAX 512

static void bind_until_edquot(void *arg)
{
	(void)arg;
	char path[64];
	int n;
	become_hostile();
	for (n = 0; n < 2 * NAMES_USER_MAX; n++) {
		snprintf(path, sizeof(path), "/tmp/hq.%d", n);
		int s = bound_socket(SOCK_DGRAM, path);
		if (s < 0) {
			CHECKF(errno == EDQUOT, "bind %d: errno %d", n, errno);
			break;
		}
		close(s);                       /* the name stays: a dead name */
	}
	CHECKF(n == NAMES_USER_MAX, "%d names before EDQUOT", n);
	CHECK(unlink("/tmp/hq.7") == 0);
	int s = bound_socket(SOCK_DGRAM, "/tmp/hq.7");
	CHECK(s >= 0);
	close(s);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/tmp/hq.%d", i);
		CHECK(unlink(path) == 0);
	}
	_exit(0);
}

/* Dead names cannot pile up: each user may hold NAMES_USER_MAX of them. */
static void socket_names_are_bounded_per_user(void)
{
	struct kcounters before = counters_now();
	char buf[64];
	int status = run_in_child(bind_until_edquot, NULL);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s",
	       test_status_str(status, buf, sizeof(buf)));
	CHECK(counters_now().kmem_bytes == before.kmem_bytes);
	/* Root is not bound by it. */
	char path[64];
	for (int i = 0; i < NAMES_USER_MAX + 10; i++) {
		snprintf(path, sizeof(path), "/tmp/hr.%d", i);
		int s = bound_socket(SOCK_DGRAM, path);
		CHECKF(s >= 0, "root's bind %d: errno %d", i, errno);
		close(s);
	}
	for (int i = 0; i < NAMES_USER_MAX + 10; i++) {
		snprintf(path, sizeof(path), "/tmp/hr.%d", i);
		CHECK(unlink(path) == 0);
	}
}

static void shm_names_until_edquot(void *arg)
{
	(void)arg;
	char path[64];
	int n;
	become_hostile();
	for (n = 0; n < 2 * NAMES_USER_MAX; n++) {
		snprintf(path, sizeof(path), "/hq.%d", n);
		int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			CHECKF(errno == EDQUOT, "shm_open %d: errno %d", n, errno);
			break;
		}
		close(fd);
	}
	CHECKF(n == NAMES_USER_MAX, "%d shm names before EDQUOT", n);
	/* A rename moves a name; it makes no new one. */
	CHECK(shm_rename("/hq.3", "/hq.renamed", 0) == 0);
	CHECK_ERR(shm_open("/hq.new", O_RDWR | O_CREAT, 0600), EDQUOT);
	/* Replacing a name drops one. */
	CHECK(shm_rename("/hq.renamed", "/hq.4", 0) == 0);
	int fd = shm_open("/hq.new", O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK(shm_unlink("/hq.new") == 0);
	for (int i = 0; i < n; i++) {
		if (i == 3)
			continue;
		snprintf(path, sizeof(path), "/hq.%d", i);
		CHECKF(shm_unlink(path) == 0, "%s: errno %d", path, errno);
	}
	_exit(0);
}

static void shm_names_are_bounded_per_user(void)
{
	char buf[64];
	int status = run_in_child(shm_names_until_edquot, NULL);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s",
	       test_status_str(status, buf, sizeof(buf)));
}

/* ------------------------------------------------------- leaving 64-bit mode */

/* 32-bit code: `syscall`, then spin.  Linked low, so its address fits a far pointer. */
__asm__(".text\n"
	"harden_compat_code:\n"
	"\t.byte 0x0f, 0x05\n"            /* syscall, in compatibility mode */
	"1:\tjmp 1b\n");
extern char harden_compat_code[];

static void far_jump_to_32bit_code(void *arg)
{
	static struct {
		uint32_t off;
		uint16_t sel;
	} __attribute__((packed)) far;
	(void)arg;
	become_hostile();
	far.off = (uint32_t)(uintptr_t)harden_compat_code;
	far.sel = 0x18 | 3;                     /* the GDT slot sysret's layout reserves */
	__asm__ volatile("ljmpl *%0" :: "m"(far) : "memory");
	_exit(0);
}

/*
 * A far jump to the 32-bit user code slot would enter compatibility mode,
 * where `syscall` jumps to MSR_CSTAR -- never set, so ring 0 at address 0.
 * The slot holds no segment: the jump itself faults and only the process dies.
 */
static void compatibility_mode_is_out_of_reach(void)
{
	char buf[64];
	int status = run_in_child(far_jump_to_32bit_code, NULL);
	CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "%s",
	       test_status_str(status, buf, sizeof(buf)));
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--exit-with-rlimit-data") == 0) {
		struct rlimit rl;
		return getrlimit(RLIMIT_DATA, &rl) == 0 ? (int)rl.rlim_cur : 100;
	}
	static const struct test_case cases[] = {
		TEST_CASE(socket_chain_closed_by_close_does_not_recurse),
		TEST_CASE(socket_chain_closed_by_exit_does_not_recurse),
		TEST_CASE(kill_all_spares_other_users),
		TEST_CASE(kill_all_with_nobody_permitted_is_eperm),
		TEST_CASE(nanosleep_of_centuries_sleeps),
		TEST_CASE(nanosleep_rejects_bad_fields),
		TEST_CASE(timed_sleepers_are_not_woken_every_tick),
		TEST_CASE(fragmented_memory_still_execs_and_makes_pipes_and_sockets),
		TEST_CASE(unmapping_a_sparse_region_frees_its_page_tables),
		TEST_CASE(shrinking_a_mapped_object_frees_its_page_tables),
		TEST_CASE(rlimit_nproc_stops_a_fork_bomb),
		TEST_CASE(a_full_process_table_keeps_slots_for_root),
		TEST_CASE(rlimits_follow_the_posix_rules),
		TEST_CASE(rlimits_survive_fork_and_exec),
		TEST_CASE(rlimit_nofile_bounds_every_new_descriptor),
		TEST_CASE(rlimit_as_bounds_mmap_and_brk),
		TEST_CASE(rlimit_data_bounds_the_break),
		TEST_CASE(map_entries_are_bounded),
		TEST_CASE(socket_name_belongs_to_its_owner),
		TEST_CASE(connecting_needs_write_permission),
		TEST_CASE(socket_names_are_bounded_per_user),
		TEST_CASE(shm_names_are_bounded_per_user),
		TEST_CASE(compatibility_mode_is_out_of_reach),
	};
	return test_main("harden", cases, TEST_COUNT(cases), argc, argv);
}
