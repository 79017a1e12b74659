/*
 * passfd_test.c - the "passfd" suite: descriptors passed over UNIX sockets
 * with SCM_RIGHTS, and the garbage collector for descriptors in flight.
 *
 * One, 253 and 254 (EINVAL) descriptors in a message; several control
 * messages in one call; EBADF with nothing sent; lowest free slots and
 * MSG_CMSG_CLOEXEC; MSG_CTRUNC closing what did not fit; EMFILE keeping
 * the message; senders that close or exit first; pipes, sockets and shm
 * objects passed; queued references dropped on close and when the
 * receiver exits; the per-user bound (ETOOMANYREFS); the three cycles the
 * collector must free; and the shmpass demo.  testlib checks after every
 * case that sockets, files, descriptors in flight, shm objects and pages
 * are back to their counts; the gc cases also check it explicitly before
 * the case exits, so the collector (not the exit) is what freed them.
 *
 * (FreeBSD's tests/sys/kern/unix_passfd_test.c was read as a catalogue
 * of cases; these are written afresh.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

#define MAXFDS    254
#define PATH_L    "/tmp/passfd_test.l"
#define PATH_D    "/tmp/passfd_test.d"
#define INFLIGHT_USER_MAX 512   /* the kernel's UNP_INFLIGHT_USER_MAX */

/* Room for a control buffer of MAXFDS descriptors, aligned for cmsghdr. */
union control {
	struct cmsghdr align;
	char buf[CMSG_SPACE(MAXFDS * sizeof(int)) + CMSG_SPACE(8 * sizeof(int))];
};

/* ------------------------------------------------------------ helpers */

/* sendmsg one byte with n descriptors in one SCM_RIGHTS record. */
static ssize_t send_fds(int s, const int *fds, int n)
{
	union control c;
	char data = 'D';
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n > 0) {
		memset(&c, 0, sizeof(c));
		msg.msg_control = c.buf;
		msg.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
		memcpy(CMSG_DATA(h), fds, (size_t)n * sizeof(int));
	}
	return sendmsg(s, &msg, MSG_NOSIGNAL);
}

static void send_fds_ok(int s, const int *fds, int n)
{
	ssize_t r = send_fds(s, fds, n);

	CHECKF(r == 1, "sendmsg with %d fds: %zd errno %d", n, r, errno);
}

/*
 * recvmsg one byte with room for `room` descriptors (-1: no control
 * buffer).  Answers the count received into fds; *flags gets msg_flags.
 * Returns -1 with errno on failure.
 */
static int recv_fds_flags(int s, int *fds, int room, int *flags, int rflags)
{
	union control c;
	char data;
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int n = 0;

	if (room >= 0) {
		msg.msg_control = c.buf;
		msg.msg_controllen = room == 0 ? sizeof(struct cmsghdr) - 1 :
		    CMSG_LEN((size_t)room * sizeof(int));
	}
	ssize_t r = recvmsg(s, &msg, rflags);
	if (r < 0)
		return -1;
	CHECKF(r == 1 && data == 'D', "recvmsg got %zd bytes", r);
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h != NULL; h = CMSG_NXTHDR(&msg, h)) {
		CHECK(h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS);
		int k = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds + n, CMSG_DATA(h), (size_t)k * sizeof(int));
		n += k;
	}
	if (flags != NULL)
		*flags = msg.msg_flags;
	return n;
}

static int recv_fds(int s, int *fds, int room)
{
	int n = recv_fds_flags(s, fds, room, NULL, 0);

	CHECKF(n >= 0, "recvmsg: errno %d", errno);
	return n;
}

static void pair(int type, int sv[2])
{
	CHECKF(socketpair(AF_UNIX, type, 0, sv) == 0, "socketpair: errno %d", errno);
}

static void wait_ok(pid_t pid)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s",
	       test_status_str(status, buf, sizeof(buf)));
}

/* The pipe behind read end rfd still works: write through wfd, read back. */
static void check_pipe_pair(int rfd, int wfd)
{
	char buf[4];

	CHECK(write(wfd, "via", 3) == 3);
	CHECK(read(rfd, buf, 4) == 3 && memcmp(buf, "via", 3) == 0);
}

static struct kcounters baseline;

static void take_baseline(void)
{
	test_kcounters(&baseline);
}

/* Sockets, files and descriptors in flight back to the baseline. */
static void check_back_to_baseline(const char *what)
{
	struct kcounters now;

	test_kcounters(&now);
	CHECKF(now.sockets == baseline.sockets && now.fds_in_flight == baseline.fds_in_flight &&
	       now.open_files == baseline.open_files,
	       "%s: sockets %llu->%llu, in flight %llu->%llu, files %llu->%llu", what,
	       (unsigned long long)baseline.sockets, (unsigned long long)now.sockets,
	       (unsigned long long)baseline.fds_in_flight, (unsigned long long)now.fds_in_flight,
	       (unsigned long long)baseline.open_files, (unsigned long long)now.open_files);
}

static uint64_t in_flight(void)
{
	struct kcounters k;

	test_kcounters(&k);
	return k.fds_in_flight;
}

/* ------------------------------------------------------------ sending */

static void one_descriptor_arrives_and_works(void)
{
	int sv[2], p[2], got;

	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	uint64_t before = in_flight();
	send_fds_ok(sv[0], &p[0], 1);
	CHECK(in_flight() == before + 1);
	close(p[0]);
	CHECK(recv_fds(sv[1], &got, 1) == 1);
	CHECK(in_flight() == before);
	check_pipe_pair(got, p[1]);
}

static void descriptors_253_in_one_message(void)
{
	int sv[2], p[2], fds[MAXFDS], got[MAXFDS];

	pair(SOCK_DGRAM, sv);
	CHECK(pipe(p) == 0);
	for (int i = 0; i < 253; i++)
		fds[i] = p[0];
	send_fds_ok(sv[0], fds, 253);
	close(p[0]);
	close(sv[0]);
	for (int fd = 0; fd < 3; fd++)
		close(fd);                      /* 253 free slots are needed */
	CHECK(recv_fds(sv[1], got, 253) == 253);
	for (int i = 0; i < 253; i++)
		CHECKF(got[i] >= 0 && (i == 0 || got[i] > got[i - 1]), "fd %d is %d", i, got[i]);
	check_pipe_pair(got[252], p[1]);
}

static void descriptors_254_in_one_message_einval(void)
{
	int sv[2], fds[MAXFDS];

	take_baseline();

	pair(SOCK_STREAM, sv);
	for (int i = 0; i < 254; i++)
		fds[i] = sv[0];
	CHECK_ERR(send_fds(sv[0], fds, 254), EINVAL);
	CHECK(in_flight() == baseline.fds_in_flight);
}

static void several_control_messages_in_one_call(void)
{
	union control c;
	char data = 'D';
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf };
	int sv[2], p[2], got[8];

	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	memset(&c, 0, sizeof(c));
	msg.msg_controllen = CMSG_SPACE(2 * sizeof(int)) + CMSG_SPACE(3 * sizeof(int));
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	for (int k = 2; k <= 3; k++) {
		int fds[3] = { p[0], p[1], p[0] };
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN((size_t)k * sizeof(int));
		memcpy(CMSG_DATA(h), fds, (size_t)k * sizeof(int));
		h = CMSG_NXTHDR(&msg, h);
	}
	CHECK(sendmsg(sv[0], &msg, 0) == 1);
	CHECK(recv_fds(sv[1], got, 8) == 5);
	check_pipe_pair(got[4], got[1]);
}

static void bad_descriptor_ebadf_and_nothing_sent(void)
{
	int sv[2], fds[3];
	char b;

	take_baseline();

	pair(SOCK_STREAM, sv);
	fds[0] = sv[0];
	fds[1] = 99;
	fds[2] = sv[1];
	CHECK_ERR(send_fds(sv[0], fds, 3), EBADF);
	CHECK_ERR(recv(sv[1], &b, 1, MSG_DONTWAIT), EAGAIN);
	CHECK(in_flight() == baseline.fds_in_flight);
}

static void any_descriptor_type_can_be_passed(void)
{
	int sv[2], fds[4], got[4];

	pair(SOCK_SEQPACKET, sv);
	fds[0] = open("/bin/sh", O_RDONLY);
	fds[1] = open("/dev/null", O_WRONLY);
	fds[2] = open("/dev/console", O_WRONLY);
	fds[3] = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0 && fds[3] >= 0);
	send_fds_ok(sv[0], fds, 4);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	CHECK(recv_fds(sv[1], got, 4) == 4);
	char elf[4];
	CHECK(read(got[0], elf, 4) == 4 && memcmp(elf, "\177ELF", 4) == 0);
	CHECK(write(got[1], "x", 1) == 1);
	int type;
	socklen_t len = sizeof(type);
	CHECK(getsockopt(got[3], SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM);
}

/* ---------------------------------------------------------- receiving */

static void received_descriptors_take_lowest_slots(void)
{
	int sv[2], p[2], got[3], fds[3];

	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	int hole1 = dup(p[0]), filler = dup(p[0]), hole2 = dup(p[0]);
	fds[0] = fds[1] = fds[2] = p[1];
	send_fds_ok(sv[0], fds, 3);
	close(hole1);
	close(hole2);
	CHECK(recv_fds(sv[1], got, 3) == 3);
	CHECKF(got[0] == hole1 && got[1] == hole2 && got[2] == hole2 + 1, "got %d %d %d",
	       got[0], got[1], got[2]);
	close(filler);
}

static void msg_cmsg_cloexec_marks_close_on_exec(void)
{
	int sv[2], got[2], flags;

	pair(SOCK_STREAM, sv);
	send_fds_ok(sv[0], sv, 1);
	send_fds_ok(sv[0], sv, 1);
	CHECK(recv_fds_flags(sv[1], got, 1, &flags, MSG_CMSG_CLOEXEC) == 1);
	CHECK(fcntl(got[0], F_GETFD) == FD_CLOEXEC);
	CHECK(recv_fds_flags(sv[1], got + 1, 1, &flags, 0) == 1);
	CHECK(fcntl(got[1], F_GETFD) == 0);
}

static void small_control_buffer_ctrunc_closes_the_rest(void)
{
	int sv[2], p[3][2], fds[3], got[3], flags;

	take_baseline();

	signal(SIGPIPE, SIG_IGN);
	pair(SOCK_STREAM, sv);
	for (int i = 0; i < 3; i++) {
		CHECK(pipe(p[i]) == 0);
		fds[i] = p[i][0];
	}
	send_fds_ok(sv[0], fds, 3);
	for (int i = 0; i < 3; i++)
		close(p[i][0]);
	CHECK(recv_fds_flags(sv[1], got, 1, &flags, 0) == 1);
	CHECK(flags & MSG_CTRUNC);
	check_pipe_pair(got[0], p[0][1]);
	CHECK_ERR(write(p[1][1], "x", 1), EPIPE);       /* closed, not leaked */
	CHECK_ERR(write(p[2][1], "x", 1), EPIPE);
	CHECK(in_flight() == baseline.fds_in_flight);
}

static void no_control_buffer_closes_everything(void)
{
	int sv[2], fds[2], got[2], flags;

	take_baseline();

	pair(SOCK_DGRAM, sv);
	fds[0] = socket(AF_UNIX, SOCK_STREAM, 0);
	fds[1] = socket(AF_UNIX, SOCK_STREAM, 0);
	send_fds_ok(sv[0], fds, 2);
	close(fds[0]);
	close(fds[1]);
	CHECK(recv_fds_flags(sv[1], got, -1, &flags, 0) == 0);
	CHECK(flags & MSG_CTRUNC);
	close(sv[0]);
	close(sv[1]);
	check_back_to_baseline("after MSG_CTRUNC");
}

static void peek_shows_data_without_descriptors(void)
{
	int sv[2], got[1], flags;

	pair(SOCK_SEQPACKET, sv);
	send_fds_ok(sv[0], &sv[0], 1);
	CHECK(recv_fds_flags(sv[1], got, 1, &flags, MSG_PEEK) == 0);
	CHECK(recv_fds(sv[1], got, 1) == 1);
}

/* A full table: EMFILE and the message stays for a later try (kept). */
static void emfile_keeps_the_message_for_later(void)
{
	int sv[2], p[2], got[2], last = -1;

	take_baseline();

	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	int fds[2] = { p[0], p[0] };
	send_fds_ok(sv[0], fds, 2);
	close(p[0]);
	for (int fd; (fd = dup(sv[0])) >= 0;)
		last = fd;
	CHECK(errno == EMFILE);
	close(last);                            /* one free slot: two are needed */
	CHECK(recv_fds_flags(sv[1], got, 2, NULL, 0) == -1 && errno == EMFILE);
	CHECK(in_flight() == baseline.fds_in_flight + 2);
	close(last - 1);
	CHECK(recv_fds(sv[1], got, 2) == 2);
	check_pipe_pair(got[1], p[1]);
}

/* ------------------------------------------------------------ lifetimes */

static void sender_may_exit_before_the_receiver_reads(void)
{
	int sv[2], got;
	char buf[8];

	pair(SOCK_STREAM, sv);
	pid_t pid = test_fork();
	if (pid == 0) {
		int p[2];
		CHECK(pipe(p) == 0);
		CHECK(write(p[1], "from kid", 8) == 8);
		close(p[1]);
		send_fds_ok(sv[0], &p[0], 1);
		_exit(0);
	}
	wait_ok(pid);
	CHECK(recv_fds(sv[1], &got, 1) == 1);
	CHECK(read(got, buf, 8) == 8 && memcmp(buf, "from kid", 8) == 0);
	CHECK(read(got, buf, 8) == 0);
}

static void socket_passed_over_a_socket_carries_traffic(void)
{
	int sv[2], inner[2];
	char buf[8];

	pair(SOCK_STREAM, sv);
	pair(SOCK_DGRAM, inner);
	pid_t pid = test_fork();
	if (pid == 0) {
		close(sv[0]);
		close(inner[0]);
		close(inner[1]);
		int s = -1;
		CHECK(recv_fds(sv[1], &s, 1) == 1);
		CHECK(send(s, "inner", 5, 0) == 5);
		_exit(0);
	}
	send_fds_ok(sv[0], &inner[1], 1);
	close(inner[1]);
	CHECK(recv(inner[0], buf, 8, 0) == 5 && memcmp(buf, "inner", 5) == 0);
	wait_ok(pid);
}

/* The shm object made by a child that has exited is still there, intact. */
static void shm_object_outlives_its_sender(void)
{
	int sv[2], got = -1;

	pair(SOCK_STREAM, sv);
	pid_t pid = test_fork();
	if (pid == 0) {
		int fd = shm_open(SHM_ANON, O_RDWR, 0600);
		CHECKF(fd >= 0, "shm_open: errno %d", errno);
		CHECK(ftruncate(fd, 8192) == 0);
		char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		CHECK(p != MAP_FAILED);
		memset(p, 0x5a, 8192);
		strcpy(p + 4096, "shm from a dead process");
		send_fds_ok(sv[0], &fd, 1);
		_exit(0);
	}
	wait_ok(pid);
	CHECK(recv_fds(sv[1], &got, 1) == 1);
	char *p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, got, 0);
	CHECK(p != MAP_FAILED);
	CHECK((unsigned char)p[0] == 0x5a && (unsigned char)p[4095] == 0x5a);
	CHECK(strcmp(p + 4096, "shm from a dead process") == 0);
	CHECK(munmap(p, 8192) == 0);
}

static void closing_socket_drops_queued_references(void)
{
	int sv[2], p[2], fds[4];

	take_baseline();
	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	fds[0] = p[0];
	fds[1] = p[1];
	fds[2] = socket(AF_UNIX, SOCK_STREAM, 0);
	fds[3] = fds[2];
	send_fds_ok(sv[0], fds, 4);
	send_fds_ok(sv[1], fds, 2);
	close(p[0]);
	close(p[1]);
	close(fds[2]);
	CHECK(in_flight() == baseline.fds_in_flight + 6);
	close(sv[0]);
	close(sv[1]);
	check_back_to_baseline("after closing both ends");
}

static void receiver_exiting_without_reading_frees_in_flight(void)
{
	int sv[2], p[2], go[2];

	take_baseline();
	CHECK(pipe(go) == 0);
	pair(SOCK_DGRAM, sv);
	pid_t pid = test_fork();
	if (pid == 0) {
		char b;
		close(sv[0]);
		close(go[1]);
		CHECK(read(go[0], &b, 1) == 0); /* wait until the parent has sent */
		_exit(0);
	}
	close(sv[1]);
	close(go[0]);
	CHECK(pipe(p) == 0);
	send_fds_ok(sv[0], p, 2);
	send_fds_ok(sv[0], &sv[0], 1);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(go[1]);
	wait_ok(pid);
	check_back_to_baseline("after the receiver exited");
}

static void too_many_in_flight_etoomanyrefs(void)
{
	int sv[2], p[2], fds[253], sent = 0;

	pair(SOCK_DGRAM, sv);
	CHECK(pipe(p) == 0);
	for (int i = 0; i < 253; i++)
		fds[i] = p[0];
	for (;;) {
		ssize_t r = send_fds(sv[0], fds, 253);
		if (r < 0) {
			CHECKF(errno == ETOOMANYREFS, "send %d: errno %d", sent, errno);
			break;
		}
		sent++;
		CHECKF(sent * 253 <= INFLIGHT_USER_MAX, "no bound after %d messages", sent);
	}
	CHECK(sent == INFLIGHT_USER_MAX / 253);
	int flags;                              /* reading makes room again */
	CHECK(recv_fds_flags(sv[1], NULL, -1, &flags, 0) == 0 && (flags & MSG_CTRUNC));
	send_fds_ok(sv[0], fds, 253);
}

/* --------------------------------------------------------------- cycles */

static void gc_frees_socket_sent_over_itself(void)
{
	int sv[2];

	take_baseline();
	pair(SOCK_STREAM, sv);
	send_fds_ok(sv[0], &sv[1], 1);  /* sv[1]'s file sits in sv[1]'s own queue */
	close(sv[0]);
	close(sv[1]);
	check_back_to_baseline("stream socket in its own queue");

	pair(SOCK_STREAM, sv);
	send_fds_ok(sv[0], &sv[1], 1);
	close(sv[1]);                   /* the other order */
	close(sv[0]);
	check_back_to_baseline("closed in the other order");

	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = PATH_D };
	unlink(PATH_D);
	CHECK(bind(d, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	CHECK(connect(d, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	send_fds_ok(d, &d, 1);          /* a datagram socket sent to itself */
	close(d);
	CHECK(unlink(PATH_D) == 0);
	check_back_to_baseline("datagram socket sent to itself");
}

static void gc_frees_two_sockets_sent_over_each_other(void)
{
	int a[2], b[2];

	take_baseline();
	pair(SOCK_STREAM, a);
	pair(SOCK_SEQPACKET, b);
	send_fds_ok(a[0], &b[1], 1);    /* b[1] in a[1]'s queue */
	send_fds_ok(b[0], &a[1], 1);    /* a[1] in b[1]'s queue */
	close(a[1]);
	close(b[1]);
	/* Only each other's queues hold them now: garbage already, even with
	 * a[0] and b[0] open (they can send in, but nobody can ever read). */
	CHECK(in_flight() == baseline.fds_in_flight);
	close(a[0]);
	close(b[0]);
	check_back_to_baseline("two sockets in each other's queues");
}

static void gc_frees_listener_held_by_its_pending_connection(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = PATH_L };

	take_baseline();
	unlink(PATH_L);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(l, (struct sockaddr *)&sun, sizeof(sun)) == 0 && listen(l, 1) == 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	send_fds_ok(c, &l, 1);          /* into the not-yet-accepted server end */
	close(l);
	close(c);
	CHECK(unlink(PATH_L) == 0);
	check_back_to_baseline("listener in its own accept queue");
}

static void gc_spares_sockets_still_on_their_way(void)
{
	int carrier[2], cyc[2], victim[2], got;
	char buf[4];

	take_baseline();

	pair(SOCK_STREAM, carrier);
	pair(SOCK_STREAM, victim);
	send_fds_ok(carrier[0], &victim[0], 1);     /* in flight, but reachable */
	close(victim[0]);
	pair(SOCK_STREAM, cyc);                     /* make garbage: the collector runs */
	send_fds_ok(cyc[0], &cyc[1], 1);
	close(cyc[1]);
	close(cyc[0]);
	CHECK(in_flight() == baseline.fds_in_flight + 1);
	CHECK(recv_fds(carrier[1], &got, 1) == 1);
	CHECK(write(got, "ok", 2) == 2);
	CHECK(read(victim[1], buf, 4) == 2);
}

static void gc_frees_a_chain_hanging_off_a_cycle(void)
{
	int a[2], chain[2], p[2];

	take_baseline();
	pair(SOCK_DGRAM, a);
	pair(SOCK_STREAM, chain);
	CHECK(pipe(p) == 0);
	send_fds_ok(chain[0], p, 2);            /* a pipe in chain[1]'s queue */
	send_fds_ok(a[0], &chain[1], 1);        /* chain[1] in a[1]'s queue */
	send_fds_ok(a[0], &a[1], 1);            /* a[1] in its own queue */
	close(p[0]);
	close(p[1]);
	close(chain[1]);
	close(chain[0]);
	close(a[1]);
	close(a[0]);
	check_back_to_baseline("a cycle holding a chain");
}

/* ------------------------------------------------------------ shmpass */

static void shmpass_demo_with_three_clients(void)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		char *argv[] = { "shmpass", "demo", "3", NULL };
		execv("/bin/shmpass", argv);
		_exit(127);
	}
	wait_ok(pid);
}

/*
 * The collector marks from the roots and must follow every chain to its
 * end.  Here the innermost socket is two hops from a descriptor: c[0]
 * (with data queued) sits in b[0]'s queue, and b[0] in a[0]'s, and only
 * a[0] has a descriptor.  The pairs are made innermost first, so the
 * collector's list (creation order) meets c[0] and b[0] before a[0],
 * whose scan marks b[0]: a collector that marked in a single pass over
 * the list would never scan b[0], would take c[0] for garbage and flush
 * its data -- and, since c[0] does not die of it, find it again on the
 * next pass, for ever: then close(b[0]) never returns and the kernel
 * spins, which the harness reports as a suite that went silent.  A hang
 * in user space (a read that never ends) is caught here: the work runs in
 * a child that the parent kills after 10 s.
 */
static void gc_two_hops_worker(void)
{
	int a[2], b[2], c[2], gotb, gotc;
	char buf[8];

	take_baseline();
	pair(SOCK_STREAM, c);                   /* first in the collector's list */
	pair(SOCK_STREAM, b);
	pair(SOCK_STREAM, a);
	CHECK(write(c[1], "inner", 5) == 5);    /* queued on c[0] */
	send_fds_ok(b[1], &c[0], 1);            /* c[0] in b[0]'s queue */
	close(c[0]);
	close(c[1]);
	send_fds_ok(a[1], &b[0], 1);            /* b[0] in a[0]'s queue */
	close(b[0]);                            /* in flight only: the collector runs */
	close(b[1]);
	CHECK(in_flight() == baseline.fds_in_flight + 2);
	CHECK(recv_fds(a[0], &gotb, 1) == 1);
	CHECK(recv_fds(gotb, &gotc, 1) == 1);
	ssize_t n = read(gotc, buf, sizeof(buf));
	CHECKF(n == 5 && memcmp(buf, "inner", 5) == 0,
	       "innermost socket read %zd bytes: the collector flushed it", n);
	close(gotc);
	close(gotb);
	close(a[0]);
	close(a[1]);
	check_back_to_baseline("after the chain was received and closed");
}

static void gc_spares_socket_two_hops_from_a_held_descriptor(void)
{
	uint64_t deadline = test_now_ns() + 10 * 1000000000ull;
	pid_t pid = test_fork();
	int status;

	if (pid == 0) {
		gc_two_hops_worker();
		_exit(0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (test_now_ns() > deadline) {
			kill(pid, SIGKILL);
			test_wait(pid);
			FAIL("the worker hung for 10 s (in close, or reading a flushed socket)");
		}
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "worker status %#x", status);
}

/*
 * The collector follows a listener's accept queue: a connection waiting
 * there has no descriptor of its own, so what was sent to it is reached
 * only through the listener.  Here the listener itself is in flight
 * (inside a socket someone holds) and a socket with data waits in its
 * pending connection's queue: both must survive, and the data arrive.
 */
static void gc_follows_the_accept_queue_of_a_listener_in_flight(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = PATH_L };
	int carrier[2], x[2], l, c, gotl, srv, gotx;
	char buf[8];

	take_baseline();
	unlink(PATH_L);
	pair(SOCK_STREAM, carrier);
	pair(SOCK_STREAM, x);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(l, (struct sockaddr *)&sun, sizeof(sun)) == 0 && listen(l, 1) == 0);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	CHECK(write(x[1], "queued", 6) == 6);
	send_fds_ok(c, &x[0], 1);               /* x[0] waits in the pending connection */
	close(x[0]);
	close(x[1]);
	send_fds_ok(carrier[0], &l, 1);         /* the listener in flight */
	close(l);                               /* in flight only: the collector runs */
	CHECK(recv_fds(carrier[1], &gotl, 1) == 1);
	srv = accept(gotl, NULL, NULL);
	CHECK(srv >= 0);
	CHECK(recv_fds(srv, &gotx, 1) == 1);
	CHECKF(read(gotx, buf, sizeof(buf)) == 6 && memcmp(buf, "queued", 6) == 0,
	       "the socket in the pending connection's queue was flushed");
	close(gotx);
	close(srv);
	close(gotl);
	close(c);
	close(carrier[0]);
	close(carrier[1]);
	CHECK(unlink(PATH_L) == 0);
	check_back_to_baseline("after the listener and its connection closed");
}

/*
 * A socket queued in two places: inside a cycle that is garbage and
 * inside a socket someone holds.  Freeing the cycle releases one of its
 * references, which leaves it with in-flight references only and asks for
 * a collection while one is running; that request must lead to another
 * pass (not be lost, not recurse), which finds the socket reachable.
 */
static void gc_run_during_a_collection_spares_a_socket_queued_twice(void)
{
	int carrier[2], cyc[2], y[2], got;
	char buf[4];

	take_baseline();
	pair(SOCK_STREAM, carrier);
	pair(SOCK_STREAM, y);
	pair(SOCK_STREAM, cyc);
	send_fds_ok(carrier[0], &y[0], 1);      /* reachable: carrier[1] is held */
	send_fds_ok(cyc[0], &y[0], 1);          /* and inside the cycle */
	send_fds_ok(cyc[0], &cyc[1], 1);        /* cyc[1] sent over itself */
	close(y[0]);
	close(cyc[0]);
	close(cyc[1]);                          /* the cycle is garbage now */
	CHECK(in_flight() == baseline.fds_in_flight + 1);
	CHECK(recv_fds(carrier[1], &got, 1) == 1);
	CHECK(write(got, "ok", 2) == 2);
	CHECK(read(y[1], buf, sizeof(buf)) == 2);
	close(got);
	close(y[1]);
	close(carrier[0]);
	close(carrier[1]);
	check_back_to_baseline("after the cycle was collected");
}

/*
 * recvmsg whose control buffer cannot be written: EFAULT, no descriptor
 * installed, and the message stays queued for a better call.
 */
static void unwritable_control_buffer_efault_keeps_the_message(void)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int p[2];

	CHECK(ro != MAP_FAILED);
	CHECK(pipe(p) == 0);
	for (int t = 0; t < 2; t++) {
		int sv[2], got, probe, lowest;
		char data;
		struct iovec iov = { &data, 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ro,
				      .msg_controllen = CMSG_SPACE(sizeof(int)) };

		pair(types[t], sv);
		send_fds_ok(sv[0], &p[1], 1);
		lowest = dup(0);
		close(lowest);
		CHECK_ERR(recvmsg(sv[1], &msg, 0), EFAULT);
		probe = dup(0);                         /* no descriptor was installed */
		CHECKF(probe == lowest, "lowest free slot %d, was %d", probe, lowest);
		close(probe);
		CHECK(recv_fds(sv[1], &got, 1) == 1);   /* still there */
		check_pipe_pair(p[0], got);
		close(got);
		close(sv[0]);
		close(sv[1]);
	}
	close(p[0]);
	close(p[1]);
}

/* Descriptors in a send that fails are released, never left in flight:
 * to a peer that closed (EPIPE) and on a descriptor that is no socket. */
static void rights_of_a_failed_send_are_released(void)
{
	int sv[2], p[2];

	signal(SIGPIPE, SIG_IGN);
	take_baseline();
	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	close(sv[1]);
	CHECKF(send_fds(sv[0], &p[0], 1) == -1 && errno == EPIPE, "send to a closed peer: errno %d",
	       errno);
	CHECKF(send_fds(p[1], &p[0], 1) == -1 && errno == ENOTSOCK, "send on a pipe: errno %d",
	       errno);
	close(sv[0]);
	close(p[0]);
	CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);   /* no reader left anywhere */
	close(p[1]);
	check_back_to_baseline("after the failed sends");
}

/*
 * The in-flight bound is per user: what root has in flight does not count
 * against uid 1000, who may still put a full INFLIGHT_USER_MAX in flight
 * (over a stream here) and is then refused.
 */
static void in_flight_bound_is_counted_per_user(void)
{
	int sv[2], root_sv[2], p[2];
	pid_t pid;

	pair(SOCK_DGRAM, root_sv);
	CHECK(pipe(p) == 0);
	send_fds_ok(root_sv[0], &p[0], 1);      /* root's own, in flight meanwhile */
	pair(SOCK_STREAM, sv);
	pid = test_fork();
	if (pid == 0) {
		int fds[253], left = INFLIGHT_USER_MAX;

		CHECK(setgid(1000) == 0 && setuid(1000) == 0);
		for (int i = 0; i < 253; i++)
			fds[i] = p[0];
		while (left > 0) {
			int n = left < 253 ? left : 253;
			send_fds_ok(sv[0], fds, n);
			left -= n;
		}
		CHECKF(send_fds(sv[0], fds, 1) == -1 && errno == ETOOMANYREFS,
		       "uid 1000 past its bound: errno %d", errno);
		_exit(0);
	}
	wait_ok(pid);
	CHECK(in_flight() >= (uint64_t)INFLIGHT_USER_MAX + 1);
	close(sv[0]);
	close(sv[1]);                           /* the queued rights go with it */
	close(root_sv[0]);
	close(root_sv[1]);
}

/*
 * More garbage than one sweep takes (GC_BATCH, 32): forty sockets in the
 * queue of a socket sent over itself.  One collection must free them all.
 */
#define GC_MANY 40

static void gc_frees_more_garbage_than_one_batch(void)
{
	int hub[2], s[GC_MANY][2];

	take_baseline();
	pair(SOCK_DGRAM, hub);
	for (int i = 0; i < GC_MANY; i++) {
		pair(SOCK_DGRAM, s[i]);
		send_fds_ok(hub[0], &s[i][0], 1);       /* into hub[1]'s queue */
		close(s[i][0]);
		close(s[i][1]);
	}
	send_fds_ok(hub[0], &hub[1], 1);            /* hub[1] in its own queue */
	CHECK(in_flight() == baseline.fds_in_flight + GC_MANY + 1);
	close(hub[1]);
	close(hub[0]);
	check_back_to_baseline("forty sockets behind one cycle");
}

/*
 * The same garbage, the other way round: the sockets come first in the
 * kernel's list and the cycle that holds them all comes last.  A collector
 * that swept the garbage 32 sockets at a time took the first 32 -- held
 * only by the later cycle, so never freed -- and did so again for ever:
 * the kernel hung in close (found by the stateful fuzzer, seed 84).  The
 * work is done in a child with a deadline, so a hang fails the case.
 */
static void build_forty_then_the_cycle_and_close(void *arg)
{
	int hub[2], s[GC_MANY][2], fds[GC_MANY + 1];
	(void)arg;
	for (int i = 0; i < GC_MANY; i++)
		pair(SOCK_DGRAM, s[i]);
	pair(SOCK_DGRAM, hub);                      /* last in the list */
	for (int i = 0; i < GC_MANY; i++)
		fds[i] = s[i][0];
	fds[GC_MANY] = hub[1];                      /* hub[1] in its own queue */
	send_fds_ok(hub[0], fds, GC_MANY + 1);
	for (int i = 0; i < GC_MANY; i++) {
		close(s[i][0]);
		close(s[i][1]);
	}
	close(hub[1]);
	close(hub[0]);
	_exit(0);
}

static void gc_frees_garbage_whose_cycle_comes_later_in_the_list(void)
{
	take_baseline();
	pid_t pid = test_fork();
	if (pid == 0)
		build_forty_then_the_cycle_and_close(NULL);
	uint64_t deadline = test_now_ns() + 10000000000ull;
	int status;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		CHECKF(test_now_ns() < deadline, "the collector did not finish in 10 s");
		usleep(10000);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	check_back_to_baseline("forty sockets before their cycle");
}

/* A stream read stops before a record that carries descriptors, so the
 * descriptors arrive with their own bytes. */
static void stream_read_stops_before_a_record_with_descriptors(void)
{
	int sv[2], p[2], got;
	char buf[16];

	pair(SOCK_STREAM, sv);
	CHECK(pipe(p) == 0);
	CHECK(write(sv[0], "ab", 2) == 2);
	send_fds_ok(sv[0], &p[1], 1);           /* the byte 'D' with a descriptor */
	CHECK(write(sv[0], "cd", 2) == 2);
	CHECK(read(sv[1], buf, sizeof(buf)) == 2 && memcmp(buf, "ab", 2) == 0);
	CHECK(recv_fds(sv[1], &got, 1) == 1);   /* 'D' alone, with its descriptor */
	CHECK(read(sv[1], buf, sizeof(buf)) == 2 && memcmp(buf, "cd", 2) == 0);
	check_pipe_pair(p[0], got);
}

/* More users than the old fixed table of 64 had room for. */
#define MANY_USERS 100

static int send_as_user(int s, int fd, uid_t uid)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(setgid(uid) == 0 && setuid(uid) == 0);
		_exit(send_fds(s, &fd, 1) == 1 ? 0 : errno == ETOOMANYREFS ? 3 : 4);
	}
	int status = test_wait(pid);
	CHECKF(WIFEXITED(status), "sender %d: status %#x", (int)uid, status);
	return WEXITSTATUS(status);
}

/*
 * Each user's in-flight count is its own (kern/uidinfo.c): any number of
 * users may have descriptors in flight at once -- there is no table of
 * users to fill -- and each record goes when its user has nothing left.
 */
static void many_users_have_descriptors_in_flight_at_once(void)
{
	int sv[2], p[2], got;

	take_baseline();
	pair(SOCK_DGRAM, sv);
	CHECK(pipe(p) == 0);
	for (int i = 0; i < MANY_USERS; i++)
		CHECKF(send_as_user(sv[0], p[0], 2000 + i) == 0, "user %d of %d refused", i, MANY_USERS);
	CHECK(in_flight() == baseline.fds_in_flight + MANY_USERS);
	for (int i = 0; i < MANY_USERS; i++) {
		CHECK(recv_fds(sv[1], &got, 1) == 1);
		close(got);
	}
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
	check_back_to_baseline("after many users");
}

static const struct test_case cases[] = {
	TEST_CASE(one_descriptor_arrives_and_works),
	TEST_CASE(descriptors_253_in_one_message),
	TEST_CASE(descriptors_254_in_one_message_einval),
	TEST_CASE(several_control_messages_in_one_call),
	TEST_CASE(bad_descriptor_ebadf_and_nothing_sent),
	TEST_CASE(any_descriptor_type_can_be_passed),
	TEST_CASE(received_descriptors_take_lowest_slots),
	TEST_CASE(msg_cmsg_cloexec_marks_close_on_exec),
	TEST_CASE(small_control_buffer_ctrunc_closes_the_rest),
	TEST_CASE(no_control_buffer_closes_everything),
	TEST_CASE(peek_shows_data_without_descriptors),
	TEST_CASE(emfile_keeps_the_message_for_later),
	TEST_CASE(sender_may_exit_before_the_receiver_reads),
	TEST_CASE(socket_passed_over_a_socket_carries_traffic),
	TEST_CASE(shm_object_outlives_its_sender),
	TEST_CASE(closing_socket_drops_queued_references),
	TEST_CASE(receiver_exiting_without_reading_frees_in_flight),
	TEST_CASE(too_many_in_flight_etoomanyrefs),
	TEST_CASE(gc_frees_socket_sent_over_itself),
	TEST_CASE(gc_frees_two_sockets_sent_over_each_other),
	TEST_CASE(gc_frees_listener_held_by_its_pending_connection),
	TEST_CASE(gc_spares_sockets_still_on_their_way),
	TEST_CASE(gc_spares_socket_two_hops_from_a_held_descriptor),
	TEST_CASE(gc_follows_the_accept_queue_of_a_listener_in_flight),
	TEST_CASE(gc_run_during_a_collection_spares_a_socket_queued_twice),
	TEST_CASE(unwritable_control_buffer_efault_keeps_the_message),
	TEST_CASE(rights_of_a_failed_send_are_released),
	TEST_CASE(in_flight_bound_is_counted_per_user),
	TEST_CASE(many_users_have_descriptors_in_flight_at_once),
	TEST_CASE(gc_frees_more_garbage_than_one_batch),
	TEST_CASE(gc_frees_garbage_whose_cycle_comes_later_in_the_list),
	TEST_CASE(stream_read_stops_before_a_record_with_descriptors),
	TEST_CASE(gc_frees_a_chain_hanging_off_a_cycle),
	TEST_CASE(shmpass_demo_with_three_clients),
};

int main(int argc, char **argv)
{
	return test_main("passfd", cases, TEST_COUNT(cases), argc, argv);
}
