/*
 * unix_test.c - the "unix" suite: UNIX-domain sockets without descriptor
 * passing (that is passfd_test.c), and poll/select.
 *
 * Stream order over a 1 MiB transfer, short reads, datagram and seqpacket
 * boundaries with MSG_TRUNC, EOF, EPIPE with SIGPIPE and MSG_NOSIGNAL, the
 * name space (bind/connect/listen/accept, EADDRINUSE, ENOENT,
 * ECONNREFUSED, ENAMETOOLONG, unlink), non-blocking EAGAIN, a full buffer
 * that blocks, SO_PEERCRED and the other options, shutdown, and poll on
 * pipes, sockets, the console, closed descriptors and shm objects.
 *
 * Assumes: socket names may be bound anywhere the boot file system has no
 * name (the tests use /tmp/...); a bound name lives until unlink(2), so
 * every case that binds also unlinks (the leak check counts kernel heap
 * bytes).  Default buffers are 64 KiB.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define MIB     (1024 * 1024)
#define PATH_A  "/tmp/unix_test.a"
#define PATH_B  "/tmp/unix_test.b"

/* ------------------------------------------------------------ helpers */

static socklen_t make_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strncpy(sun->sun_path, path, sizeof(sun->sun_path) - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static int bound_socket(int type, const char *path)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, path);
	int s = socket(AF_UNIX, type, 0);

	CHECKF(s >= 0, "socket: errno %d", errno);
	unlink(path);
	CHECKF(bind(s, (struct sockaddr *)&sun, len) == 0, "bind %s: errno %d", path, errno);
	return s;
}

static int listener(const char *path)
{
	int s = bound_socket(SOCK_STREAM, path);

	CHECK(listen(s, 5) == 0);
	return s;
}

static int connect_to(int type, const char *path)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, path);
	int s = socket(AF_UNIX, type, 0);

	CHECK(s >= 0);
	CHECKF(connect(s, (struct sockaddr *)&sun, len) == 0, "connect %s: errno %d", path, errno);
	return s;
}

static void pair(int type, int sv[2])
{
	CHECKF(socketpair(AF_UNIX, type, 0, sv) == 0, "socketpair type %d: errno %d", type, errno);
}

static void wait_ok(pid_t pid)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %s",
	       test_status_str(status, buf, sizeof(buf)));
}

static void ignore_sigpipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static short poll1(int fd, short events, int timeout)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, timeout);

	CHECKF(n >= 0, "poll: errno %d", errno);
	return n == 0 ? 0 : p.revents;
}

/* -------------------------------------------------------------- streams */

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + (i >> 9));
}

/* 1 MiB through a socketpair in ragged writes and reads: every byte in order. */
static void stream_keeps_order_over_1mib(void)
{
	static uint8_t buf[70000];
	int sv[2];

	pair(SOCK_STREAM, sv);
	pid_t pid = test_fork();
	if (pid == 0) {
		close(sv[0]);
		for (size_t done = 0, k = 1; done < MIB; k++) {
			size_t n = (k * 4099) % sizeof(buf) + 1;
			if (n > MIB - done)
				n = MIB - done;
			for (size_t i = 0; i < n; i++)
				buf[i] = pattern(done + i);
			test_write_full(sv[1], buf, n);
			done += n;
		}
		_exit(0);
	}
	close(sv[1]);
	size_t got = 0;
	for (size_t k = 1;; k++) {
		ssize_t n = read(sv[0], buf, (k * 3001) % sizeof(buf) + 1);
		CHECKF(n >= 0, "read: errno %d", errno);
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			CHECKF(buf[i] == pattern(got + (size_t)i), "byte %zu", got + (size_t)i);
		got += (size_t)n;
	}
	CHECKF(got == MIB, "got %zu bytes", got);
	wait_ok(pid);
}

static void stream_allows_short_reads(void)
{
	char buf[16];
	int sv[2];

	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "0123456789abcdef", 16) == 16);
	CHECK(read(sv[1], buf, 5) == 5 && memcmp(buf, "01234", 5) == 0);
	CHECK(recv(sv[1], buf, 16, 0) == 11 && memcmp(buf, "56789abcdef", 11) == 0);
}

static void stream_peek_leaves_data_queued(void)
{
	char buf[8];
	int sv[2];

	pair(SOCK_STREAM, sv);
	CHECK(send(sv[0], "abc", 3, 0) == 3);
	CHECK(send(sv[0], "def", 3, 0) == 3);
	CHECK(recv(sv[1], buf, 8, MSG_PEEK) == 6 && memcmp(buf, "abcdef", 6) == 0);
	CHECK(recv(sv[1], buf, 8, 0) == 6 && memcmp(buf, "abcdef", 6) == 0);
}

static void every_type_makes_a_working_pair(void)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	char buf[4];

	for (size_t i = 0; i < 3; i++) {
		int sv[2];
		pair(types[i], sv);
		CHECK(write(sv[0], "ab", 2) == 2);
		CHECK(write(sv[1], "cd", 2) == 2);
		CHECK(read(sv[1], buf, 4) == 2 && memcmp(buf, "ab", 2) == 0);
		CHECK(read(sv[0], buf, 4) == 2 && memcmp(buf, "cd", 2) == 0);
		close(sv[0]);
		close(sv[1]);
	}
}

static void read_after_peer_close_is_eof(void)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
	char buf[8];

	for (size_t i = 0; i < 3; i++) {
		int sv[2];
		pair(types[i], sv);
		CHECK(write(sv[0], "bye", 3) == 3);
		close(sv[0]);
		CHECK(read(sv[1], buf, sizeof(buf)) == 3);
		CHECKF(read(sv[1], buf, sizeof(buf)) == 0, "type %d: no EOF", types[i]);
		close(sv[1]);
	}
}

static void write_to_closed_peer_raises_sigpipe_child(void *arg)
{
	int *sv = arg;

	write(sv[0], "x", 1);
}

static void write_to_closed_peer_raises_sigpipe(void)
{
	int sv[2];

	pair(SOCK_STREAM, sv);
	close(sv[1]);
	expect_signal(write_to_closed_peer_raises_sigpipe_child, sv, SIGPIPE);
}

static void write_to_closed_peer_epipe_when_ignored(void)
{
	int sv[2];

	ignore_sigpipe();
	pair(SOCK_SEQPACKET, sv);
	close(sv[1]);
	CHECK_ERR(write(sv[0], "x", 1), EPIPE);
}

static void msg_nosignal_gives_epipe_without_signal(void)
{
	int sv[2];

	pair(SOCK_STREAM, sv);
	close(sv[1]);
	CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
}

static void shutdown_wr_gives_peer_eof_and_writer_epipe(void)
{
	char buf[4];
	int sv[2];

	ignore_sigpipe();
	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "hi", 2) == 2);
	CHECK(shutdown(sv[0], SHUT_WR) == 0);
	CHECK(read(sv[1], buf, 4) == 2);
	CHECK(read(sv[1], buf, 4) == 0);
	CHECK_ERR(write(sv[0], "x", 1), EPIPE);
	CHECK(write(sv[1], "ok", 2) == 2);      /* the other direction still works */
	CHECK(read(sv[0], buf, 4) == 2);
	CHECK_ERR(shutdown(sv[0], 7), EINVAL);
}

/* ------------------------------------------------------------ messages */

static void dgram_keeps_message_boundaries(void)
{
	static char big[3000], buf[4000];
	static const size_t sizes[] = { 1, 0, 100, 3000, 7 };
	int sv[2];

	pair(SOCK_DGRAM, sv);
	memset(big, 'z', sizeof(big));
	for (size_t i = 0; i < 5; i++)
		CHECK(send(sv[0], big, sizes[i], 0) == (ssize_t)sizes[i]);
	for (size_t i = 0; i < 5; i++)
		CHECKF(recv(sv[1], buf, sizeof(buf), 0) == (ssize_t)sizes[i], "message %zu", i);
}

static void truncated_record_sets_msg_trunc(int type)
{
	char buf[10], big[100];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int sv[2];

	pair(type, sv);
	memset(big, 'q', sizeof(big));
	CHECK(send(sv[0], big, 100, 0) == 100);
	CHECK(send(sv[0], "next", 4, 0) == 4);
	CHECK(recvmsg(sv[1], &msg, 0) == 10);
	CHECK(msg.msg_flags & MSG_TRUNC);
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 4 && memcmp(buf, "next", 4) == 0);
	CHECK(send(sv[0], big, 100, 0) == 100);
	CHECKF(recv(sv[1], buf, sizeof(buf), MSG_TRUNC) == 100, "MSG_TRUNC returns the real length");
}

static void dgram_truncation_sets_msg_trunc(void)
{
	truncated_record_sets_msg_trunc(SOCK_DGRAM);
}

static void seqpacket_truncation_sets_msg_trunc(void)
{
	truncated_record_sets_msg_trunc(SOCK_SEQPACKET);
}

static void dgram_too_big_for_sndbuf_emsgsize(void)
{
	int sv[2], size = 4096;
	char *big = malloc(8192);

	pair(SOCK_DGRAM, sv);
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) == 0);
	CHECK_ERR(send(sv[0], big, 8192, 0), EMSGSIZE);
	free(big);
}

static void dgram_sendto_path_and_recvfrom_address(void)
{
	struct sockaddr_un to, from;
	socklen_t tolen = make_addr(&to, PATH_A), fromlen = sizeof(from);
	char buf[8];
	int a = bound_socket(SOCK_DGRAM, PATH_A), b = bound_socket(SOCK_DGRAM, PATH_B);
	int anon = socket(AF_UNIX, SOCK_DGRAM, 0);

	CHECK(sendto(b, "hey", 3, 0, (struct sockaddr *)&to, tolen) == 3);
	CHECK(recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen) == 3);
	CHECKF(strcmp(from.sun_path, PATH_B) == 0, "from %s", from.sun_path);
	CHECK(fromlen == offsetof(struct sockaddr_un, sun_path) + strlen(PATH_B) + 1);
	CHECK(sendto(anon, "x", 1, 0, (struct sockaddr *)&to, tolen) == 1);
	fromlen = sizeof(from);
	CHECK(recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen) == 1);
	CHECKF(fromlen == offsetof(struct sockaddr_un, sun_path), "unnamed sender len %u", fromlen);
	CHECK_ERR(send(anon, "x", 1, 0), ENOTCONN);
	CHECK(unlink(PATH_A) == 0 && unlink(PATH_B) == 0);
}

/* ------------------------------------------------------------ the names */

static void listen_connect_accept_and_addresses(void)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	char buf[8];
	int l = listener(PATH_A);

	CHECK(getsockname(l, (struct sockaddr *)&sun, &len) == 0);
	CHECK(strcmp(sun.sun_path, PATH_A) == 0);
	int c = connect_to(SOCK_STREAM, PATH_A);
	CHECK(write(c, "early", 5) == 5);       /* before accept: it waits in the queue */
	len = sizeof(sun);
	int s = accept(l, (struct sockaddr *)&sun, &len);
	CHECKF(s >= 0, "accept: errno %d", errno);
	CHECKF(len == offsetof(struct sockaddr_un, sun_path), "unnamed client len %u", len);
	CHECK(read(s, buf, 8) == 5 && memcmp(buf, "early", 5) == 0);
	CHECK(write(s, "back", 4) == 4);
	CHECK(read(c, buf, 8) == 4);
	len = sizeof(sun);
	CHECK(getpeername(c, (struct sockaddr *)&sun, &len) == 0 && strcmp(sun.sun_path, PATH_A) == 0);
	len = sizeof(sun);
	CHECK_ERR(getpeername(l, (struct sockaddr *)&sun, &len), ENOTCONN);
	CHECK_ERR(connect(c, (struct sockaddr *)&sun, make_addr(&sun, PATH_A)), EISCONN);
	CHECK(unlink(PATH_A) == 0);
}

static void accept_waits_for_a_client_in_another_process(void)
{
	int l = listener(PATH_A);
	pid_t pid = test_fork();
	char buf[4];

	if (pid == 0) {
		msleep(30);
		int c = connect_to(SOCK_STREAM, PATH_A);
		test_write_full(c, "abc", 3);
		_exit(0);
	}
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0);
	test_read_full(s, buf, 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	wait_ok(pid);
	CHECK(unlink(PATH_A) == 0);
}

static void seqpacket_connects_by_path(void)
{
	char buf[8];
	int l = bound_socket(SOCK_SEQPACKET, PATH_A);

	CHECK(listen(l, 1) == 0);
	int c = connect_to(SOCK_SEQPACKET, PATH_A);
	int s = accept(l, NULL, NULL);
	CHECK(send(c, "one", 3, 0) == 3 && send(c, "two", 3, 0) == 3);
	CHECK(recv(s, buf, 8, 0) == 3 && recv(s, buf, 8, 0) == 3);
	struct sockaddr_un sun;
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(st, (struct sockaddr *)&sun, make_addr(&sun, PATH_A)), EPROTOTYPE);
	CHECK(unlink(PATH_A) == 0);
}

static void connect_to_missing_path_enoent(void)
{
	struct sockaddr_un sun;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	CHECK_ERR(connect(s, (struct sockaddr *)&sun, make_addr(&sun, "/tmp/nobody.here")), ENOENT);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(sendto(s, "x", 1, 0, (struct sockaddr *)&sun, make_addr(&sun, "/tmp/nobody")), ENOENT);
}

static void connect_to_socket_not_listening_econnrefused(void)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, PATH_A);
	int b = bound_socket(SOCK_STREAM, PATH_A);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	CHECK_ERR(connect(s, (struct sockaddr *)&sun, len), ECONNREFUSED);
	CHECK(listen(b, 1) == 0);
	CHECK(connect(s, (struct sockaddr *)&sun, len) == 0);
	close(b);                               /* a dead name: still refused */
	int t = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(connect(t, (struct sockaddr *)&sun, len), ECONNREFUSED);
	CHECK(unlink(PATH_A) == 0);
	CHECK_ERR(connect(t, (struct sockaddr *)&sun, len), ENOENT);
}

static void bind_to_name_in_use_eaddrinuse(void)
{
	struct sockaddr_un sun;
	int a = bound_socket(SOCK_STREAM, PATH_A);
	int b = socket(AF_UNIX, SOCK_DGRAM, 0);

	CHECK_ERR(bind(b, (struct sockaddr *)&sun, make_addr(&sun, PATH_A)), EADDRINUSE);
	CHECK_ERR(bind(b, (struct sockaddr *)&sun, make_addr(&sun, "/bin/sh")), EADDRINUSE);
	CHECK_ERR(bind(a, (struct sockaddr *)&sun, make_addr(&sun, PATH_B)), EINVAL);
	close(a);                               /* the name outlives the socket */
	CHECK_ERR(bind(b, (struct sockaddr *)&sun, make_addr(&sun, PATH_A)), EADDRINUSE);
	CHECK(unlink(PATH_A) == 0);
	CHECK(bind(b, (struct sockaddr *)&sun, make_addr(&sun, PATH_A)) == 0);
	CHECK(unlink(PATH_A) == 0);
}

/*
 * One socket, two processes (it is one file after fork), both binding it
 * at once to different names, many times over: exactly one bind wins, the
 * other is refused with EALREADY (the first was still binding) or EINVAL
 * (it had finished), and the loser has left no name behind.  The kernel
 * makes the node with no spinlock held, so on two CPUs the binds overlap
 * in most rounds; before UNP_BINDING the loser's name stayed in /tmp.
 */
#define BIND_RACE_ROUNDS 200

static void binds_racing_on_one_socket_leave_one_name(void)
{
	volatile int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int already = 0;

	CHECK(word != MAP_FAILED);
	for (int round = 0; round < BIND_RACE_ROUNDS; round++) {
		struct sockaddr_un sun;
		int s = socket(AF_UNIX, SOCK_STREAM, 0), status, mine;
		struct stat st;

		CHECK(s >= 0);
		unlink(PATH_A);
		unlink(PATH_B);
		word[0] = 0;
		pid_t pid = test_fork();
		if (pid == 0) {
			__atomic_store_n(&word[0], 1, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(&word[0], __ATOMIC_SEQ_CST) != 2)
				sched_yield();
			_exit(bind(s, (struct sockaddr *)&sun, make_addr(&sun, PATH_B)) == 0 ?
			      0 : errno);
		}
		while (__atomic_load_n(&word[0], __ATOMIC_SEQ_CST) != 1)
			sched_yield();
		__atomic_store_n(&word[0], 2, __ATOMIC_SEQ_CST);
		mine = bind(s, (struct sockaddr *)&sun, make_addr(&sun, PATH_A)) == 0 ? 0 : errno;
		status = test_wait(pid);
		CHECK(WIFEXITED(status));
		int theirs = WEXITSTATUS(status);
		CHECKF((mine == 0) != (theirs == 0), "round %d: binds answered %s and %s", round,
		       test_errno_name(mine), test_errno_name(theirs));
		int lost = mine ? mine : theirs;
		CHECKF(lost == EALREADY || lost == EINVAL, "round %d: the losing bind: %s", round,
		       test_errno_name(lost));
		already += lost == EALREADY;
		const char *loser = mine ? PATH_A : PATH_B;
		CHECKF(stat(loser, &st) < 0 && errno == ENOENT,
		       "round %d: the losing bind (%s) left its name %s", round,
		       test_errno_name(lost), loser);
		CHECK(stat(mine ? PATH_B : PATH_A, &st) == 0 && S_ISSOCK(st.st_mode));
		CHECK(unlink(mine ? PATH_B : PATH_A) == 0);
		close(s);
	}
	printf("binds_racing: %d of %d rounds overlapped (EALREADY)\n", already,
	       BIND_RACE_ROUNDS);
	munmap((void *)word, 4096);
}

static void path_longer_than_sun_path_enametoolong(void)
{
	char raw[offsetof(struct sockaddr_un, sun_path) + 200];
	struct sockaddr_un *sun = (struct sockaddr_un *)raw;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(raw, 'p', sizeof(raw));
	sun->sun_family = AF_UNIX;
	sun->sun_path[0] = '/';
	raw[sizeof(raw) - 1] = '\0';
	CHECK_ERR(bind(s, (struct sockaddr *)raw, sizeof(raw)), ENAMETOOLONG);
	CHECK_ERR(connect(s, (struct sockaddr *)raw, sizeof(raw)), ENAMETOOLONG);
}

static void unlink_removes_the_binding(void)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, PATH_A);
	int l = listener(PATH_A);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);

	CHECK(unlink(PATH_A) == 0);
	CHECK_ERR(unlink(PATH_A), ENOENT);
	CHECK_ERR(connect(c, (struct sockaddr *)&sun, len), ENOENT);
	len = sizeof(sun);
	CHECK(getsockname(l, (struct sockaddr *)&sun, &len) == 0 && strcmp(sun.sun_path, PATH_A) == 0);
	CHECK(bound_socket(SOCK_STREAM, PATH_A) >= 0);  /* the name is free again */
	CHECK(unlink(PATH_A) == 0);
	CHECK_ERR(unlink("/bin/sh"), EROFS);
}

static void relative_path_names_the_same_socket(void)
{
	CHECK(chdir("/tmp") == 0);
	int l = listener("rel.sock");
	int c = connect_to(SOCK_STREAM, "/tmp/rel.sock");
	CHECK(accept(l, NULL, NULL) >= 0);
	close(c);
	CHECK(unlink("/tmp/../tmp/rel.sock") == 0);
}

/* connect(2) to path, answering its errno (0 on success). */
static int connect_errno(const char *path)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, path);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(s >= 0);
	int r = connect(s, (struct sockaddr *)&sun, len) == 0 ? 0 : errno;
	close(s);
	return r;
}

/*
 * A bound name is a node of the file tree: stat and readdir show a
 * socket, open refuses it, rename moves it (connect follows the new name),
 * and unlink removes it while the socket lives on.  Names go where the file
 * system allows: not in the read-only boot file system, not over a file.
 */
static void names_are_nodes_of_the_file_tree(void)
{
	struct stat st;
	int l = listener(PATH_A);
	CHECK(stat(PATH_A, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_size == 0);
	DIR *d = opendir("/tmp");
	CHECK(d != NULL);
	int seen = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (strcmp(e->d_name, "unix_test.a") == 0)
			seen = e->d_type == DT_SOCK;
	closedir(d);
	CHECKF(seen, "readdir of /tmp does not show the name as a socket");
	CHECK_ERR(open(PATH_A, O_RDWR), ENXIO);
	CHECK(rename(PATH_A, PATH_B) == 0);
	CHECK(connect_errno(PATH_A) == ENOENT);
	int c = connect_to(SOCK_STREAM, PATH_B);
	CHECK(accept(l, NULL, NULL) >= 0);
	close(c);
	CHECK(unlink(PATH_B) == 0);
	CHECK(connect_errno(PATH_B) == ENOENT);
	CHECK(listen(l, 5) == 0);                       /* the socket itself lives on */
	close(l);

	struct sockaddr_un sun;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(s >= 0);
	socklen_t len = make_addr(&sun, "/unix_test.sock");
	CHECK_ERR(bind(s, (struct sockaddr *)&sun, len), EROFS);
	len = make_addr(&sun, "/tmp/no/such/dir.sock");
	CHECK_ERR(bind(s, (struct sockaddr *)&sun, len), ENOENT);
	int f = open(PATH_A, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(f >= 0);
	close(f);
	len = make_addr(&sun, PATH_A);
	CHECK_ERR(bind(s, (struct sockaddr *)&sun, len), EADDRINUSE);
	CHECK(connect_errno(PATH_A) == ECONNREFUSED);   /* a file, not a socket */
	CHECK(unlink(PATH_A) == 0);
	close(s);
}

static void closing_listener_drops_pending_connection(void)
{
	char buf[4];
	int l = listener(PATH_A);
	int c = connect_to(SOCK_STREAM, PATH_A);

	close(l);
	CHECK(read(c, buf, sizeof(buf)) == 0);
	CHECK(unlink(PATH_A) == 0);
}

static void socket_flags_set_cloexec_and_nonblock(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int sv[2];

	CHECK(s >= 0);
	CHECK(fcntl(s, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);
	pair(SOCK_DGRAM | SOCK_CLOEXEC, sv);
	CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC && fcntl(sv[1], F_GETFD) == FD_CLOEXEC);
	CHECK(!(fcntl(sv[0], F_GETFL) & O_NONBLOCK));

	int l = listener(PATH_A);
	int c = connect_to(SOCK_STREAM, PATH_A);
	int a = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	CHECK(a >= 0 && fcntl(a, F_GETFD) == FD_CLOEXEC && (fcntl(a, F_GETFL) & O_NONBLOCK));
	char buf[2];
	CHECK_ERR(read(a, buf, 2), EAGAIN);
	CHECK_ERR(accept4(l, NULL, NULL, 0x1234), EINVAL);
	close(c);
	CHECK(unlink(PATH_A) == 0);
}

static void bad_arguments_are_refused(void)
{
	int p[2], sv[2];

	CHECK_ERR(socket(AF_INET, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, 3, 0), ESOCKTNOSUPPORT);
	CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 6), EPROTONOSUPPORT);
	CHECK_ERR(socketpair(AF_INET, SOCK_STREAM, 0, sv), EAFNOSUPPORT);
	CHECK(pipe(p) == 0);
	CHECK_ERR(listen(p[0], 1), ENOTSOCK);
	CHECK_ERR(send(p[1], "x", 1, 0), ENOTSOCK);
	CHECK_ERR(listen(99, 1), EBADF);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(listen(d, 1), EOPNOTSUPP);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(listen(s, 1), EINVAL);        /* not bound */
	CHECK_ERR(accept(s, NULL, NULL), EINVAL);
	char buf[1];
	CHECK_ERR(read(s, buf, 1), ENOTCONN);
	CHECK_ERR(write(s, "x", 1), ENOTCONN);
	CHECK_ERR(lseek(s, 0, SEEK_SET), ESPIPE);
}

/* ---------------------------------------------------- blocking and room */

static void nonblocking_recv_eagain_and_msg_dontwait(void)
{
	char buf[4];
	int sv[2];

	pair(SOCK_STREAM, sv);
	CHECK_ERR(recv(sv[0], buf, 4, MSG_DONTWAIT), EAGAIN);
	CHECK(fcntl(sv[1], F_SETFL, O_NONBLOCK) == 0);
	CHECK_ERR(read(sv[1], buf, 4), EAGAIN);
	CHECK(write(sv[0], "a", 1) == 1);
	CHECK(read(sv[1], buf, 4) == 1);
}

/* Fill the peer's buffer with non-blocking writes; answers the bytes it took. */
static size_t fill_until_eagain(int fd)
{
	static char chunk[4096];
	size_t total = 0;

	for (;;) {
		ssize_t n = send(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n < 0) {
			CHECKF(errno == EAGAIN, "send: errno %d", errno);
			return total;
		}
		total += (size_t)n;
		CHECKF(total < 64 * MIB, "the buffer never fills");
	}
}

static void full_buffer_blocks_until_reader_drains(void)
{
	int sv[2], sndbuf = 0, rcvbuf = 0;
	socklen_t len = sizeof(int);

	pair(SOCK_STREAM, sv);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == 0 && sndbuf > 0);
	len = sizeof(int);
	CHECK(getsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) == 0 && rcvbuf > 0);
	size_t filled = fill_until_eagain(sv[0]);
	CHECKF(filled > 0 && filled <= (size_t)rcvbuf, "filled %zu of %d", filled, rcvbuf);
	CHECK(!(poll1(sv[0], POLLOUT, 0) & POLLOUT));
	pid_t pid = test_fork();
	if (pid == 0) {
		static char drain[8192];
		msleep(100);
		for (size_t got = 0; got < filled + 4096;) {
			ssize_t n = read(sv[1], drain, sizeof(drain));
			CHECK(n > 0);
			got += (size_t)n;
		}
		_exit(0);
	}
	uint64_t t0 = test_now_ns();
	char chunk[4096] = { 0 };
	test_write_full(sv[0], chunk, sizeof(chunk));   /* blocks until the child reads */
	CHECKF(test_now_ns() - t0 > 50000000ull, "the write did not wait");
	wait_ok(pid);
}

static void so_peercred_names_the_peer(void)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int sv[2];

	pair(SOCK_STREAM, sv);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0);
	CHECK(len == sizeof(cred) && cred.pid == getpid() && cred.uid == getuid() && cred.gid == getgid());

	int l = listener(PATH_A);
	pid_t pid = test_fork();
	if (pid == 0) {
		struct ucred c;
		socklen_t clen = sizeof(c);
		int s = connect_to(SOCK_STREAM, PATH_A);
		CHECK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &c, &clen) == 0);
		CHECKF(c.pid == getppid(), "client sees pid %d", c.pid);   /* the listener's */
		char b;
		CHECK(read(s, &b, 1) == 1);
		_exit(0);
	}
	int s = accept(l, NULL, NULL);
	len = sizeof(cred);
	CHECK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0);
	CHECKF(cred.pid == pid, "server sees pid %d, child is %d", cred.pid, pid);
	CHECK(write(s, "k", 1) == 1);
	wait_ok(pid);
	int lone = socket(AF_UNIX, SOCK_STREAM, 0);
	len = sizeof(cred);
	CHECK_ERR(getsockopt(lone, SOL_SOCKET, SO_PEERCRED, &cred, &len), ENOTCONN);
	CHECK(unlink(PATH_A) == 0);
}

static void socket_options_read_back(void)
{
	int sv[2], v, big = 200000;
	socklen_t len = sizeof(v);

	pair(SOCK_SEQPACKET, sv);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_SEQPACKET);
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)) == 0);
	len = sizeof(v);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v == big);
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &big, sizeof(big)) == 0);
	CHECK(setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &big, sizeof(big)) == 0);
	len = sizeof(v);
	CHECK(getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0);
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, 9999, &big, sizeof(big)), ENOPROTOOPT);
	CHECK_ERR(getsockopt(sv[0], 6, SO_TYPE, &v, &len), ENOPROTOOPT);
	CHECK_ERR(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, 1), EINVAL);
}

/* ------------------------------------------------------------------ poll */

static void poll_on_pipe_reports_in_out_hup_err(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK(poll1(p[0], POLLIN, 0) == 0);
	CHECK(poll1(p[1], POLLOUT, 0) == POLLOUT);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(poll1(p[0], POLLIN, 0) == POLLIN);
	close(p[1]);
	CHECK(poll1(p[0], POLLIN, 0) == (POLLIN | POLLHUP));
	CHECK(pipe(p) == 0);
	close(p[0]);
	CHECK(poll1(p[1], POLLOUT, 0) & POLLERR);
}

static void poll_on_socket_reports_in_out_hup(void)
{
	int sv[2];

	pair(SOCK_STREAM, sv);
	CHECK(poll1(sv[0], POLLIN | POLLOUT, 0) == POLLOUT);
	CHECK(write(sv[1], "x", 1) == 1);
	CHECK(poll1(sv[0], POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT));
	close(sv[1]);
	CHECK(poll1(sv[0], POLLIN, 0) & POLLHUP);
	pair(SOCK_DGRAM, sv);
	CHECK(poll1(sv[0], POLLIN | POLLOUT, 0) == POLLOUT);
}

static void poll_on_socket_whose_peer_left_data_unread_reports_pollerr(void)
{
	int sv[2];

	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "unread", 6) == 6);
	close(sv[1]);
	CHECK(poll1(sv[0], POLLIN, 0) & POLLERR);
	char b;
	CHECK_ERR(read(sv[0], &b, 1), ECONNRESET);
	CHECK(read(sv[0], &b, 1) == 0);
}

static void poll_on_listening_socket_sees_connection(void)
{
	int l = listener(PATH_A);

	CHECK(poll1(l, POLLIN, 0) == 0);
	int c = connect_to(SOCK_STREAM, PATH_A);
	CHECK(poll1(l, POLLIN, 0) == POLLIN);
	close(c);
	CHECK(unlink(PATH_A) == 0);
}

/*
 * A poll that is already asleep on a listener wakes when a connection
 * arrives: the connect must call poll_wakeup, not only wake accept().  The
 * child connects once the parent sleeps in poll, then waits without
 * exiting (an exit's closes would wake poll for other reasons).  poll has
 * no timeout: a lost wakeup leaves it asleep until the watchdog alarm
 * (15 s, inside the harness's 30 s of silence) interrupts it, which fails
 * the case.  (A timeout would not do: poll looks once more when it runs
 * out, and sees the connection.)
 */
static void on_alarm(int sig)
{
	(void)sig;
}

static void poll_asleep_on_listener_wakes_for_a_connection(void)
{
	int l = listener(PATH_A), go[2];

	CHECK(pipe(go) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		char c;
		usleep(200000);                 /* let the parent fall asleep in poll */
		int cfd = connect_to(SOCK_STREAM, PATH_A);
		test_read_full(go[0], &c, 1);   /* hold the connection until told */
		close(cfd);
		_exit(0);
	}
	struct sigaction sa = { .sa_handler = on_alarm };
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	alarm(15);
	struct pollfd p = { .fd = l, .events = POLLIN };
	int n = poll(&p, 1, -1), e = errno;
	alarm(0);
	CHECKF(n == 1 && p.revents == POLLIN, "poll on the listener: %d (errno %d), revents %#x: "
	       "the connection did not wake it", n, n < 0 ? e : 0, p.revents);
	CHECK(write(go[1], "x", 1) == 1);
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(go[0]);
	close(go[1]);
	close(l);
	CHECK(unlink(PATH_A) == 0);
}

static void poll_on_console_is_writable(void)
{
	int fd = open("/dev/console", O_RDWR);

	CHECK(fd >= 0);
	CHECK(poll1(fd, POLLOUT, 0) == POLLOUT);
}

static void poll_on_closed_fd_and_shm_is_pollnval(void)
{
	struct pollfd p[3] = { { .fd = 77, .events = POLLIN }, { .fd = -1, .events = POLLIN } };

	CHECK(poll(p, 2, 0) == 1);
	CHECK(p[0].revents == POLLNVAL && p[1].revents == 0);
	int shm = shm_open(SHM_ANON, O_RDWR, 0600);
	CHECKF(shm >= 0, "shm_open: errno %d", errno);
	CHECK(poll1(shm, POLLIN | POLLOUT, 0) == POLLNVAL);
}

static void poll_waits_for_data_and_times_out(void)
{
	int sv[2];

	pair(SOCK_STREAM, sv);
	uint64_t t0 = test_now_ns();
	CHECK(poll1(sv[0], POLLIN, 100) == 0);
	uint64_t waited = test_now_ns() - t0;
	CHECKF(waited >= 90000000ull && waited < 2000000000ull, "waited %llu ns",
	       (unsigned long long)waited);
	pid_t pid = test_fork();
	if (pid == 0) {
		msleep(50);
		CHECK(write(sv[1], "x", 1) == 1);
		_exit(0);
	}
	t0 = test_now_ns();
	CHECK(poll1(sv[0], POLLIN, -1) == POLLIN);
	CHECK(test_now_ns() - t0 >= 30000000ull);
	wait_ok(pid);
}

static void poll_sees_one_ready_among_many(void)
{
	struct pollfd p[4];
	int a[2], b[2];

	CHECK(pipe(a) == 0);
	pair(SOCK_DGRAM, b);
	p[0] = (struct pollfd){ .fd = a[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = b[0], .events = POLLIN };
	p[2] = (struct pollfd){ .fd = b[1], .events = POLLIN };
	p[3] = (struct pollfd){ .fd = a[0], .events = POLLIN };
	CHECK(send(b[0], "d", 1, 0) == 1);
	CHECK(poll(p, 4, 1000) == 1);
	CHECK(p[0].revents == 0 && p[1].revents == 0 && p[2].revents == POLLIN && p[3].revents == 0);
}

static void select_sees_readable_and_writable_sockets(void)
{
	fd_set r, w;
	struct timeval tv = { 0, 0 };
	int sv[2];

	pair(SOCK_STREAM, sv);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(sv[0], &r);
	FD_SET(sv[1], &w);
	CHECK(select(sv[1] + 1, &r, &w, NULL, &tv) == 1);
	CHECK(!FD_ISSET(sv[0], &r) && FD_ISSET(sv[1], &w));
	CHECK(write(sv[1], "x", 1) == 1);
	FD_ZERO(&r);
	FD_SET(sv[0], &r);
	tv.tv_sec = 1;
	CHECK(select(sv[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(sv[0], &r));
	FD_ZERO(&r);
	FD_SET(50, &r);
	CHECK_ERR(select(51, &r, NULL, NULL, &tv), EBADF);
}

/* ------------------------------------------------ errors and edge cases */

/* A connection-oriented socket takes no destination address. */
static void seqpacket_sendto_with_address_eisconn_or_eopnotsupp(void)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, PATH_A);
	int sv[2], s = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	pair(SOCK_SEQPACKET, sv);
	CHECK(s >= 0);
	CHECK_ERR(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&sun, len), EISCONN);
	CHECK_ERR(sendto(s, "x", 1, 0, (struct sockaddr *)&sun, len), EOPNOTSUPP);
}

/* A datagram socket whose connected destination closed: ECONNREFUSED. */
static void dgram_send_to_closed_destination_econnrefused(void)
{
	int srv = bound_socket(SOCK_DGRAM, PATH_A);
	int c = connect_to(SOCK_DGRAM, PATH_A);

	CHECK(send(c, "x", 1, 0) == 1);
	close(srv);
	CHECK_ERR(send(c, "x", 1, 0), ECONNREFUSED);
	CHECK(unlink(PATH_A) == 0);
}

/* connect() again moves a datagram socket to the new destination, and the
 * old one no longer counts it among the sockets pointing at it. */
static void dgram_reconnect_moves_the_destination(void)
{
	int a = bound_socket(SOCK_DGRAM, PATH_A), b = bound_socket(SOCK_DGRAM, PATH_B);
	int c = connect_to(SOCK_DGRAM, PATH_A);
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, PATH_B);
	char buf[4];

	CHECK(connect(c, (struct sockaddr *)&sun, len) == 0);
	CHECK(send(c, "to-b", 4, 0) == 4);
	CHECK(recv(b, buf, sizeof(buf), MSG_DONTWAIT) == 4 && memcmp(buf, "to-b", 4) == 0);
	CHECK_ERR(recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(a);                               /* must not disconnect c */
	CHECK(send(c, "more", 4, 0) == 4);
	CHECK(recv(b, buf, sizeof(buf), 0) == 4 && memcmp(buf, "more", 4) == 0);
	close(b);
	CHECK_ERR(send(c, "x", 1, 0), ECONNREFUSED);
	CHECK(unlink(PATH_A) == 0 && unlink(PATH_B) == 0);
}

/* A stream send of no bytes sends nothing but says what a send would. */
static void zero_byte_stream_send_reports_the_connection_state(void)
{
	int sv[2], s = socket(AF_UNIX, SOCK_STREAM, 0);

	pair(SOCK_STREAM, sv);
	CHECK(send(sv[0], "", 0, 0) == 0);
	CHECK_ERR(recv(sv[1], sv, 1, MSG_DONTWAIT), EAGAIN);    /* nothing queued */
	CHECK_ERR(send(s, "", 0, 0), ENOTCONN);
	close(sv[1]);
	CHECK_ERR(send(sv[0], "", 0, MSG_NOSIGNAL), EPIPE);
}

static void recv_on_listening_or_unconnected_socket_fails(void)
{
	int l = listener(PATH_A), s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	char c;

	CHECK_ERR(recv(l, &c, 1, 0), EINVAL);
	CHECK_ERR(recv(s, &c, 1, 0), ENOTCONN);
	CHECK(unlink(PATH_A) == 0);
}

static void fstat_of_socket_is_a_socket_owned_by_its_creator(void)
{
	struct stat a, b;
	int sv[2];

	pair(SOCK_DGRAM, sv);
	CHECK(fstat(sv[0], &a) == 0 && fstat(sv[1], &b) == 0);
	CHECKF(S_ISSOCK(a.st_mode), "st_mode %#o", (unsigned)a.st_mode);
	CHECK(a.st_uid == geteuid() && a.st_gid == getegid());
	CHECK(a.st_ino != b.st_ino);
}

static int getopt_int(int s, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	CHECKF(getsockopt(s, SOL_SOCKET, name, &v, &len) == 0 && len == sizeof(v),
	       "getsockopt(%d): errno %d", name, errno);
	return v;
}

static void getsockopt_answers_the_fixed_options(void)
{
	int s = bound_socket(SOCK_STREAM, PATH_A);
	struct { int onoff, linger; } lg = { 7, 7 };
	socklen_t len = sizeof(lg);

	CHECK(getopt_int(s, SO_ACCEPTCONN) == 0);
	CHECK(listen(s, 1) == 0);
	CHECK(getopt_int(s, SO_ACCEPTCONN) == 1);
	CHECK(getopt_int(s, SO_DOMAIN) == AF_UNIX);
	CHECK(getopt_int(s, SO_PROTOCOL) == 0);
	CHECK(getopt_int(s, SO_RCVLOWAT) == 1);
	CHECK(getopt_int(s, SO_SNDLOWAT) == 2048);      /* the kernel's UNP_LOWAT */
	CHECK(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len) == 0);
	CHECK(len == sizeof(lg) && lg.onoff == 0 && lg.linger == 0);
	CHECK(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(int)), EINVAL);
	CHECK(unlink(PATH_A) == 0);
}

/* SHUT_RD: this end reads EOF and the peer's sends fail; SHUT_RDWR on an
 * unconnected stream is ENOTCONN. */
static void shutdown_rd_gives_eof_here_and_epipe_there(void)
{
	int sv[2], s = socket(AF_UNIX, SOCK_STREAM, 0);
	char c;

	pair(SOCK_STREAM, sv);
	CHECK(shutdown(sv[0], SHUT_RD) == 0);
	CHECK(read(sv[0], &c, 1) == 0);
	CHECK_ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK(write(sv[0], "y", 1) == 1);       /* the other direction still works */
	CHECK(read(sv[1], &c, 1) == 1 && c == 'y');
	CHECK(shutdown(sv[1], SHUT_RDWR) == 0);
	CHECK(read(sv[1], &c, 1) == 0);
	CHECK_ERR(shutdown(s, SHUT_RDWR), ENOTCONN);
	CHECK_ERR(shutdown(sv[0], 7), EINVAL);
}

static void accept_reports_the_bound_clients_path(void)
{
	int l = listener(PATH_A), c = bound_socket(SOCK_STREAM, PATH_B), a;
	struct sockaddr_un sun, peer;
	socklen_t len = make_addr(&sun, PATH_A), plen = sizeof(peer);

	CHECK(connect(c, (struct sockaddr *)&sun, len) == 0);
	a = accept(l, (struct sockaddr *)&peer, &plen);
	CHECK(a >= 0);
	CHECKF(strcmp(peer.sun_path, PATH_B) == 0, "peer %s", peer.sun_path);
	CHECK(unlink(PATH_A) == 0 && unlink(PATH_B) == 0);
}

static void listen_when_connected_and_connect_when_listening_einval(void)
{
	int l = listener(PATH_A), c = bound_socket(SOCK_STREAM, PATH_B);
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, PATH_A);

	CHECK(connect(c, (struct sockaddr *)&sun, len) == 0);
	CHECK_ERR(listen(c, 1), EINVAL);
	CHECK_ERR(connect(l, (struct sockaddr *)&sun, len), EINVAL);
	CHECK_ERR(connect(c, (struct sockaddr *)&sun, len), EISCONN);
	CHECK(unlink(PATH_A) == 0 && unlink(PATH_B) == 0);
}

/* listen(s, 1): the queue holds the backlog plus one, then refuses until
 * accept makes room. */
static void full_backlog_refuses_connections_until_accept(void)
{
	int l = bound_socket(SOCK_STREAM, PATH_A), c[4];
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, PATH_A);

	CHECK(listen(l, 1) == 0);
	for (int i = 0; i < 4; i++)
		CHECK((c[i] = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	CHECK(connect(c[0], (struct sockaddr *)&sun, len) == 0);
	CHECK(connect(c[1], (struct sockaddr *)&sun, len) == 0);
	CHECK_ERR(connect(c[2], (struct sockaddr *)&sun, len), ECONNREFUSED);
	int a = accept(l, NULL, NULL);
	CHECK(a >= 0);
	CHECK(connect(c[3], (struct sockaddr *)&sun, len) == 0);
	CHECK(unlink(PATH_A) == 0);
}

/* A bad user buffer is EFAULT and costs no data: the record stays queued. */
static void bad_buffers_efault_and_keep_the_data(void)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	char *bad = test_addr(0x10);            /* page 0 is never mapped */
	char *big = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(big != MAP_FAILED);
	CHECK(munmap(big + 2 * 4096, 4096) == 0);       /* 8 KiB readable, then a hole */
	for (size_t t = 0; t < 2; t++) {
		int sv[2];
		char buf[8];

		pair(types[t], sv);
		CHECK_ERR(send(sv[0], bad, 4, 0), EFAULT);
		CHECK_ERR(send(sv[0], big + 4096, 2 * 4096, 0), EFAULT);     /* paged record */
		CHECK_ERR(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);      /* nothing sent */
		CHECK(send(sv[0], "data", 4, 0) == 4);
		CHECK_ERR(recv(sv[1], bad, 4, 0), EFAULT);
		CHECK(recv(sv[1], buf, sizeof(buf), 0) == 4 && memcmp(buf, "data", 4) == 0);
		close(sv[0]);
		close(sv[1]);
	}
	munmap(big, 2 * 4096);
}

/* More iovecs than the kernel keeps on its stack, in order; a total past
 * what one call may move is EINVAL. */
static void sendmsg_and_recvmsg_with_many_iovecs(void)
{
	char out[16], in[16] = { 0 };
	struct iovec iov[16];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 16 };
	int sv[2];

	pair(SOCK_SEQPACKET, sv);
	for (int i = 0; i < 16; i++) {
		out[i] = (char)('a' + i);
		iov[i].iov_base = &out[15 - i];         /* backwards: order matters */
		iov[i].iov_len = 1;
	}
	CHECK(sendmsg(sv[0], &msg, 0) == 16);
	for (int i = 0; i < 16; i++)
		iov[i].iov_base = &in[i];
	CHECK(recvmsg(sv[1], &msg, 0) == 16);
	for (int i = 0; i < 16; i++)
		CHECKF(in[i] == 'p' - i, "byte %d is %c", i, in[i]);
	for (int i = 0; i < 16; i++)
		iov[i].iov_len = 0x10000000;            /* 4 GiB in all */
	CHECK_ERR(sendmsg(sv[0], &msg, 0), EINVAL);
}

/* A stream has no sender address: recvfrom reports a length of 0. */
static void recvfrom_on_stream_reports_no_address(void)
{
	struct sockaddr_un from;
	socklen_t len = sizeof(from);
	int sv[2];
	char c;

	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "x", 1) == 1);
	CHECK(recvfrom(sv[1], &c, 1, 0, (struct sockaddr *)&from, &len) == 1 && c == 'x');
	CHECKF(len == 0, "address length %u", (unsigned)len);
}

/* Leave exactly `free_slots` descriptors free; answers the first of the
 * descriptors it opened (they are the caller's to close). */
static int fill_fd_table_but(int free_slots, int *count)
{
	int first = -1, n = 0, fd;

	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		if (first < 0)
			first = fd;
		n++;
	}
	CHECK(errno == EMFILE);
	for (int i = 0; i < free_slots; i++)
		close(first + n - 1 - i);
	*count = n - free_slots;
	return first;
}

static void socketpair_without_room_for_both_emfile_without_leaking(void)
{
	int sv[2], n, first;
	struct kcounters before, after;

	test_kcounters(&before);
	first = fill_fd_table_but(0, &n);
	CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), EMFILE);     /* no slot */
	close(first + n - 1);
	CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), EMFILE);     /* one slot */
	close(first + n - 2);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);            /* two */
	close(sv[0]);
	close(sv[1]);
	for (int i = 0; i < n - 2; i++)
		close(first + i);
	test_kcounters(&after);
	CHECK(after.sockets == before.sockets && after.open_files == before.open_files);
}

/* accept into a full table is EMFILE and the connection waits; a bad
 * address buffer is EFAULT and the connection is dropped. */
static void accept_emfile_keeps_the_connection_waiting(void)
{
	int l = listener(PATH_A), c = connect_to(SOCK_STREAM, PATH_A), n, first, a;
	char buf[2];

	first = fill_fd_table_but(0, &n);
	CHECK_ERR(accept(l, NULL, NULL), EMFILE);
	close(first);
	a = accept(l, NULL, NULL);
	CHECK(a >= 0);
	CHECK(write(c, "hi", 2) == 2 && read(a, buf, 2) == 2);
	for (int i = 1; i < n; i++)
		close(first + i);
	int c2 = connect_to(SOCK_STREAM, PATH_A);
	socklen_t len = 100;
	CHECK_ERR(accept(l, test_addr(0x10), &len), EFAULT);
	CHECK(read(c2, buf, 1) <= 0);           /* the server end went away */
	CHECK(unlink(PATH_A) == 0);
}

/* A process asleep in accept, recv or a send to a full queue dies of a
 * signal like any other, and its socket goes with it. */
static void blocked_accept_recv_and_send_die_of_signals(void)
{
	int l = listener(PATH_A), sv[2], full[2];
	pid_t pid[3];

	pair(SOCK_STREAM, sv);
	pair(SOCK_DGRAM, full);
	while (send(full[0], "x", 1, MSG_DONTWAIT) == 1)
		;
	CHECK(errno == EAGAIN);
	for (int i = 0; i < 3; i++) {
		pid[i] = test_fork();
		if (pid[i] == 0) {
			char c;

			if (i == 0)
				accept(l, NULL, NULL);
			else if (i == 1)
				recv(sv[0], &c, 1, 0);
			else
				send(full[0], "x", 1, 0);
			_exit(9);
		}
	}
	msleep(50);                             /* all three asleep by now */
	for (int i = 0; i < 3; i++) {
		CHECK(kill(pid[i], SIGTERM) == 0);
		int status = test_wait(pid[i]);
		CHECKF(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "child %d: %#x", i, status);
	}
	CHECK(unlink(PATH_A) == 0);
}

/* Never connected: a datagram socket can always send (to an address), a
 * stream socket cannot. */
static void poll_on_never_connected_sockets(void)
{
	int d = socket(AF_UNIX, SOCK_DGRAM, 0), st = socket(AF_UNIX, SOCK_STREAM, 0);

	CHECK(d >= 0 && st >= 0);
	CHECK(poll1(d, POLLOUT | POLLIN, 0) == POLLOUT);
	CHECK((poll1(st, POLLOUT | POLLIN, 0) & POLLOUT) == 0);
}

/*
 * Results that cannot be copied out are EFAULT: the socketpair's
 * descriptors (none left behind), an option's value, a sender's address,
 * a stream's address length, and recvmsg's msghdr fields (a msghdr that
 * runs into a read-only page).  The data was consumed by then, as in
 * Linux: what is checked is the error and that nothing leaks.
 */
static void results_copied_to_bad_addresses_efault(void)
{
	char *bad = test_addr(0x10), buf[8];
	int v, sv[2], before = dup(0);
	socklen_t len = sizeof(v);

	close(before);
	CHECK_ERR(socketpair(AF_UNIX, SOCK_STREAM, 0, (int *)bad), EFAULT);
	CHECKF(dup(0) == before, "socketpair left descriptors behind");
	close(before);
	pair(SOCK_STREAM, sv);
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, bad, &len), EFAULT);
	CHECK(write(sv[0], "ab", 2) == 2);
	CHECK_ERR(recvfrom(sv[1], buf, 1, 0, (struct sockaddr *)buf, (socklen_t *)bad), EFAULT);

	int srv = bound_socket(SOCK_DGRAM, PATH_A), cli = bound_socket(SOCK_DGRAM, PATH_B);
	struct sockaddr_un to;
	socklen_t tolen = make_addr(&to, PATH_A);
	socklen_t fromlen = sizeof(struct sockaddr_un);
	CHECK(sendto(cli, "d1", 2, 0, (struct sockaddr *)&to, tolen) == 2);
	CHECK_ERR(recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)bad, &fromlen), EFAULT);

	/* a msghdr whose msg_controllen lies in a read-only page */
	char *pages = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(pages != MAP_FAILED);
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr *m = (struct msghdr *)(pages + 4096 - offsetof(struct msghdr, msg_controllen));
	memset(m, 0, sizeof(*m));
	m->msg_iov = &iov;
	m->msg_iovlen = 1;
	CHECK(mprotect(pages + 4096, 4096, PROT_READ) == 0);
	CHECK(write(sv[0], "cd", 2) == 2);
	CHECK_ERR(recvmsg(sv[1], m, 0), EFAULT);
	/* and a sender's address that cannot be written */
	struct msghdr m2 = { .msg_name = pages + 4096, .msg_namelen = sizeof(struct sockaddr_un),
			     .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK(sendto(cli, "d2", 2, 0, (struct sockaddr *)&to, tolen) == 2);
	CHECK_ERR(recvmsg(srv, &m2, 0), EFAULT);
	CHECK(unlink(PATH_A) == 0 && unlink(PATH_B) == 0);
}

/* Addresses, options and control data at the edges of what the system
 * calls take. */
static void socket_call_argument_edges(void)
{
	struct sockaddr_un sun;
	char path[sizeof(sun.sun_path) + 1];
	int s = socket(AF_UNIX, SOCK_STREAM, 0), v = 1, sv[2];
	socklen_t len = (socklen_t)-1;

	CHECK(s >= 0);
	/* a path that fills sun_path without a NUL is the whole path */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memset(path, 'x', sizeof(sun.sun_path));
	memcpy(path, "/tmp/", 5);
	path[sizeof(sun.sun_path)] = '\0';
	memcpy(sun.sun_path, path, sizeof(sun.sun_path));
	unlink(path);
	CHECK(bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	CHECK(listen(s, 1) == 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(connect(c, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	CHECK(unlink(path) == 0);
	/* an abstract name (leading NUL) is not supported */
	sun.sun_path[0] = '\0';
	CHECK_ERR(bind(socket(AF_UNIX, SOCK_DGRAM, 0), (struct sockaddr *)&sun, sizeof(sun)), EINVAL);
	/* option and address lengths */
	CHECK_ERR(setsockopt(s, SOL_SOCKET, SO_RCVBUF, NULL, sizeof(v)), EFAULT);
	CHECK_ERR(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	len = (socklen_t)-1;
	CHECK_ERR(getsockname(s, (struct sockaddr *)&sun, &len), EINVAL);
	/* control data: too much, not SCM_RIGHTS, a record longer than the buffer */
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	char big[9000];
	char data = 'x';
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = big,
			      .msg_controllen = sizeof(big) };
	pair(SOCK_DGRAM, sv);
	memset(big, 0, sizeof(big));
	CHECK_ERR(sendmsg(sv[0], &msg, 0), ENOBUFS);
	memset(&ctl, 0, sizeof(ctl));
	ctl.h.cmsg_len = CMSG_LEN(sizeof(int));
	ctl.h.cmsg_level = SOL_SOCKET;
	ctl.h.cmsg_type = 2;                    /* SCM_CREDENTIALS: not taken */
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	CHECK_ERR(sendmsg(sv[0], &msg, 0), EINVAL);
	ctl.h.cmsg_type = SCM_RIGHTS;
	ctl.h.cmsg_len = sizeof(ctl.buf) + 8;
	CHECK_ERR(sendmsg(sv[0], &msg, 0), EINVAL);
	ctl.h.cmsg_len = 4;                     /* shorter than its own header */
	CHECK_ERR(sendmsg(sv[0], &msg, 0), EINVAL);
	CHECK_ERR(recv(sv[1], &data, 1, MSG_DONTWAIT), EAGAIN);    /* nothing was sent */
	ctl.h.cmsg_len = CMSG_LEN(0);           /* SCM_RIGHTS with no descriptor */
	msg.msg_controllen = CMSG_SPACE(0);
	CHECK(sendmsg(sv[0], &msg, 0) == 1);
	CHECK(recv(sv[1], &data, 1, 0) == 1 && data == 'x');
	/* accept on a non-blocking listener with nobody waiting */
	int l = listener(PATH_A);
	CHECK(fcntl(l, F_SETFL, O_NONBLOCK) == 0);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN);
	CHECK(unlink(PATH_A) == 0);
}

/* shutdown of a datagram socket connected one way: it can no longer send,
 * the destination is not affected. */
static void shutdown_of_one_way_dgram_leaves_the_destination_alone(void)
{
	int srv = bound_socket(SOCK_DGRAM, PATH_A), c = connect_to(SOCK_DGRAM, PATH_A);
	int other = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un to;
	socklen_t tolen = make_addr(&to, PATH_A);
	char buf[4];

	CHECK(shutdown(c, SHUT_RDWR) == 0);
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK(sendto(other, "ok", 2, 0, (struct sockaddr *)&to, tolen) == 2);
	CHECK(recv(srv, buf, sizeof(buf), 0) == 2);
	CHECK(unlink(PATH_A) == 0);
}

/*
 * A stream read that faults after it copied a whole record answers the
 * bytes it copied, and the next record stays for the next read.
 */
static void stream_read_faulting_midway_answers_what_it_copied(void)
{
	static char big[2000];
	char *pages = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int sv[2];
	char buf[4];

	CHECK(pages != MAP_FAILED);
	CHECK(munmap(pages + 4096, 4096) == 0);
	pair(SOCK_STREAM, sv);
	memset(big, 'b', sizeof(big));
	CHECK(write(sv[0], big, sizeof(big)) == (ssize_t)sizeof(big));  /* a paged record */
	CHECK(write(sv[0], "xyz", 3) == 3);                             /* a second record */
	char *dst = pages + 4096 - sizeof(big);         /* room for the first record only */
	CHECKF(read(sv[1], dst, 4096) == (ssize_t)sizeof(big), "errno %d", errno);
	CHECK(dst[0] == 'b' && dst[sizeof(big) - 1] == 'b');
	CHECK(read(sv[1], buf, sizeof(buf)) == 3 && memcmp(buf, "xyz", 3) == 0);
}

/* More edges of the socket calls: reading no bytes, addresses copied to
 * bad places, options on what is not a socket, bad control pointers, a
 * datagram connect to nothing, shutdown of an unconnected datagram socket. */
static void more_socket_call_edges(void)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	char *bad = test_addr(0x10), c;
	int sv[2], v = 1, p[2];

	pair(SOCK_STREAM, sv);
	CHECK(write(sv[0], "q", 1) == 1);
	CHECK(recv(sv[1], &c, 0, 0) == 0);      /* asks for nothing: gets nothing */
	CHECK(recv(sv[1], &c, 1, 0) == 1 && c == 'q');
	CHECK_ERR(getsockname(sv[0], (struct sockaddr *)&sun, (socklen_t *)bad), EFAULT);
	CHECK_ERR(getsockname(sv[0], (struct sockaddr *)bad, &len), EFAULT);
	CHECK(pipe(p) == 0);
	CHECK_ERR(setsockopt(p[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), ENOTSOCK);
	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED);
	len = sizeof(v);
	CHECK_ERR(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, (socklen_t *)ro), EFAULT);
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = bad,
			      .msg_controllen = 32 };
	CHECK_ERR(sendmsg(sv[0], &msg, 0), EFAULT);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	socklen_t alen = make_addr(&sun, "/tmp/unix_test.none");
	CHECK_ERR(connect(d, (struct sockaddr *)&sun, alen), ENOENT);
	CHECK(shutdown(d, SHUT_RDWR) == 0);
}

static const struct test_case cases[] = {
	TEST_CASE(stream_keeps_order_over_1mib),
	TEST_CASE(stream_allows_short_reads),
	TEST_CASE(stream_peek_leaves_data_queued),
	TEST_CASE(every_type_makes_a_working_pair),
	TEST_CASE(read_after_peer_close_is_eof),
	TEST_CASE(write_to_closed_peer_raises_sigpipe),
	TEST_CASE(write_to_closed_peer_epipe_when_ignored),
	TEST_CASE(msg_nosignal_gives_epipe_without_signal),
	TEST_CASE(shutdown_wr_gives_peer_eof_and_writer_epipe),
	TEST_CASE(dgram_keeps_message_boundaries),
	TEST_CASE(dgram_truncation_sets_msg_trunc),
	TEST_CASE(seqpacket_truncation_sets_msg_trunc),
	TEST_CASE(dgram_too_big_for_sndbuf_emsgsize),
	TEST_CASE(dgram_sendto_path_and_recvfrom_address),
	TEST_CASE(listen_connect_accept_and_addresses),
	TEST_CASE(accept_waits_for_a_client_in_another_process),
	TEST_CASE(seqpacket_connects_by_path),
	TEST_CASE(connect_to_missing_path_enoent),
	TEST_CASE(connect_to_socket_not_listening_econnrefused),
	TEST_CASE(bind_to_name_in_use_eaddrinuse),
	TEST_CASE(binds_racing_on_one_socket_leave_one_name),
	TEST_CASE(path_longer_than_sun_path_enametoolong),
	TEST_CASE(unlink_removes_the_binding),
	TEST_CASE(relative_path_names_the_same_socket),
	TEST_CASE(names_are_nodes_of_the_file_tree),
	TEST_CASE(closing_listener_drops_pending_connection),
	TEST_CASE(socket_flags_set_cloexec_and_nonblock),
	TEST_CASE(bad_arguments_are_refused),
	TEST_CASE(nonblocking_recv_eagain_and_msg_dontwait),
	TEST_CASE(full_buffer_blocks_until_reader_drains),
	TEST_CASE(so_peercred_names_the_peer),
	TEST_CASE(socket_options_read_back),
	TEST_CASE(poll_on_pipe_reports_in_out_hup_err),
	TEST_CASE(poll_on_socket_reports_in_out_hup),
	TEST_CASE(poll_on_socket_whose_peer_left_data_unread_reports_pollerr),
	TEST_CASE(poll_on_listening_socket_sees_connection),
	TEST_CASE(poll_asleep_on_listener_wakes_for_a_connection),
	TEST_CASE(poll_on_console_is_writable),
	TEST_CASE(poll_on_closed_fd_and_shm_is_pollnval),
	TEST_CASE(poll_waits_for_data_and_times_out),
	TEST_CASE(poll_sees_one_ready_among_many),
	TEST_CASE(select_sees_readable_and_writable_sockets),
	TEST_CASE(seqpacket_sendto_with_address_eisconn_or_eopnotsupp),
	TEST_CASE(dgram_send_to_closed_destination_econnrefused),
	TEST_CASE(dgram_reconnect_moves_the_destination),
	TEST_CASE(zero_byte_stream_send_reports_the_connection_state),
	TEST_CASE(recv_on_listening_or_unconnected_socket_fails),
	TEST_CASE(fstat_of_socket_is_a_socket_owned_by_its_creator),
	TEST_CASE(getsockopt_answers_the_fixed_options),
	TEST_CASE(shutdown_rd_gives_eof_here_and_epipe_there),
	TEST_CASE(accept_reports_the_bound_clients_path),
	TEST_CASE(listen_when_connected_and_connect_when_listening_einval),
	TEST_CASE(full_backlog_refuses_connections_until_accept),
	TEST_CASE(bad_buffers_efault_and_keep_the_data),
	TEST_CASE(sendmsg_and_recvmsg_with_many_iovecs),
	TEST_CASE(recvfrom_on_stream_reports_no_address),
	TEST_CASE(socketpair_without_room_for_both_emfile_without_leaking),
	TEST_CASE(accept_emfile_keeps_the_connection_waiting),
	TEST_CASE(blocked_accept_recv_and_send_die_of_signals),
	TEST_CASE(poll_on_never_connected_sockets),
	TEST_CASE(results_copied_to_bad_addresses_efault),
	TEST_CASE(socket_call_argument_edges),
	TEST_CASE(stream_read_faulting_midway_answers_what_it_copied),
	TEST_CASE(more_socket_call_edges),
	TEST_CASE(shutdown_of_one_way_dgram_leaves_the_destination_alone),
};

int main(int argc, char **argv)
{
	return test_main("unix", cases, TEST_COUNT(cases), argc, argv);
}
