/*
 * unix_bench.c - benchmarks of UNIX-domain sockets.
 *
 *   unix_roundtrip     1 byte to a child and 1 byte back over one stream
 *                      socketpair                         ns_per_op=X
 *   unix_stream_mibps  1 MiB at a time in 64 KiB writes to a child that
 *                      reads it all                      mib_per_s=X
 *   passfd_roundtrip   one shm descriptor (a pipe's if shm_open fails)
 *                      sent to a child, which receives it, closes it and
 *                      answers one byte                   ns_per_op=X
 *   passfd_local       the same send, receive and close within one
 *                      process (no second process)        ns_per_op=X
 *
 * One line each, `bench NAME key=X`.  Timed with CLOCK_MONOTONIC.
 */
#include "benchlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RT_ITERS        2000
#define STREAM_MIB      32
#define CHUNK           (64 * 1024)
#define PASS_ITERS      1000

static void reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_die("child");
}

static void pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		bench_die("socketpair");
}

static void bench_roundtrip(void)
{
	int sv[2];
	char c = 'x';

	pair(sv);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		close(sv[0]);
		for (int i = 0; i < RT_ITERS; i++) {
			bench_xfer_byte(sv[1], &c, 0);
			bench_xfer_byte(sv[1], &c, 1);
		}
		_exit(0);
	}
	close(sv[1]);
	bench_xfer_byte(sv[0], &c, 1);             /* warm-up, not timed */
	bench_xfer_byte(sv[0], &c, 0);
	uint64_t t0 = bench_now_ns();
	for (int i = 1; i < RT_ITERS; i++) {
		bench_xfer_byte(sv[0], &c, 1);
		bench_xfer_byte(sv[0], &c, 0);
	}
	bench_report_value("unix_roundtrip", "ns_per_op", (bench_now_ns() - t0) / (RT_ITERS - 1));
	close(sv[0]);
	reap(pid);
}

static void bench_stream(void)
{
	static char buf[CHUNK];
	int sv[2];

	pair(sv);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		close(sv[0]);
		for (;;) {
			ssize_t n = read(sv[1], buf, sizeof(buf));
			if (n < 0)
				bench_die("read");
			if (n == 0)
				_exit(0);
		}
	}
	close(sv[1]);
	memset(buf, 'b', sizeof(buf));
	uint64_t t0 = bench_now_ns();
	for (size_t done = 0; done < (size_t)STREAM_MIB << 20; done += CHUNK)
		if (write(sv[0], buf, CHUNK) != CHUNK)
			bench_die("write");
	close(sv[0]);
	reap(pid);                      /* the child has read everything */
	uint64_t ns = bench_now_ns() - t0;
	bench_report_value("unix_stream_mibps", "mib_per_s", (uint64_t)STREAM_MIB * 1000000000ull / (ns ? ns : 1));
}

/* An shm object to pass, or a pipe's read end if there is no shm. */
static int object_to_pass(void)
{
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	int p[2];

	if (fd >= 0)
		return fd;
	if (pipe(p) < 0)
		bench_die("pipe");
	dprintf(2, "unix_bench: shm_open failed (errno %d), passing a pipe\n", errno);
	return p[0];
}

static void send_fd(int s, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char data = 'f';
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	if (sendmsg(s, &msg, 0) != 1)
		bench_die("sendmsg");
}

/* Receive one descriptor and close it. */
static void recv_close_fd(int s)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char data;
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	int fd;

	if (recvmsg(s, &msg, 0) != 1 || CMSG_FIRSTHDR(&msg) == NULL)
		bench_die("recvmsg");
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	if (close(fd) < 0)
		bench_die("close");
}

static void bench_passfd(void)
{
	int sv[2], obj = object_to_pass();
	char c = 'x';

	pair(sv);
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		close(sv[0]);
		close(obj);
		for (int i = 0; i < PASS_ITERS; i++) {
			recv_close_fd(sv[1]);
			bench_xfer_byte(sv[1], &c, 1);
		}
		_exit(0);
	}
	close(sv[1]);
	send_fd(sv[0], obj);            /* warm-up */
	bench_xfer_byte(sv[0], &c, 0);
	uint64_t t0 = bench_now_ns();
	for (int i = 1; i < PASS_ITERS; i++) {
		send_fd(sv[0], obj);
		bench_xfer_byte(sv[0], &c, 0);
	}
	bench_report_value("passfd_roundtrip", "ns_per_op", (bench_now_ns() - t0) / (PASS_ITERS - 1));
	close(sv[0]);
	reap(pid);

	pair(sv);                       /* the same within one process */
	t0 = bench_now_ns();
	for (int i = 0; i < PASS_ITERS; i++) {
		send_fd(sv[0], obj);
		recv_close_fd(sv[1]);
	}
	bench_report_value("passfd_local", "ns_per_op", (bench_now_ns() - t0) / PASS_ITERS);
	close(sv[0]);
	close(sv[1]);
	close(obj);
}

int main(void)
{
	bench_prog = "unix_bench";
	bench_roundtrip();
	bench_stream();
	bench_passfd();
	return 0;
}
