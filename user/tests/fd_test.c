/*
 * fd_test.c - the "fd" suite: descriptors, pipes, the boot file system,
 * and the kernel's handling of bad user pointers.
 *
 * dup/dup2/dup3 and fcntl, close-on-exec across execve, pipes (EOF, EPIPE
 * and SIGPIPE, big transfers, several writers), the 256-slot descriptor
 * table, stat/fstat/getdents64 on the read-only boot FS, /dev/null, and
 * EFAULT from every call given a pointer it cannot use.
 *
 * Assumes: the boot FS is read-only and holds /bin/sh and /bin/echo;
 * /dev/null exists; a process has 256 descriptor slots; pipes hold at
 * least PIPE_BUF (4096) bytes and writes up to PIPE_BUF are atomic.
 *
 * This program doubles as an exec target: `fd_test --fd-helper N...`
 * exits with bit i set iff descriptor argv[2+i] is open.
 */
#include <dirent.h>
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
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define HELPER_FLAG     "--fd-helper"
#define FD_LIMIT        256
#define KERNEL_ADDR     0xffffffff80100000ul
#define PG              4096ul

/* Bad pointers the compiler cannot see through (it would warn about them). */
static void *bad_low(void)
{
	return test_addr(1);
}

static void *bad_kernel(void)
{
	return test_addr(KERNEL_ADDR);
}

static int open_sh(void)
{
	int fd = open("/bin/sh", O_RDONLY);

	CHECKF(fd >= 0, "open /bin/sh");
	return fd;
}

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* The lowest descriptor slot not in use. */
static int lowest_free_fd(void)
{
	int fd = 0;

	while (fd < FD_LIMIT && is_open(fd))
		fd++;
	return fd;
}

static void wait_ok(pid_t pid)
{
	char buf[64];
	int status = test_wait(pid);

	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d: %s",
	       (int)pid, test_status_str(status, buf, sizeof(buf)));
}

static void same_file(int a, int b)
{
	struct stat sa, sb;

	CHECK(fstat(a, &sa) == 0);
	CHECK(fstat(b, &sb) == 0);
	CHECKF(sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev,
	       "fd %d and fd %d are different files", a, b);
}

/* --------------------------------------------------------------- dup */

static void dup_shares_file_offset(void)
{
	int fd = open_sh(), copy;
	char a[16], b[16];

	copy = dup(fd);
	CHECK(copy >= 0 && copy != fd);
	CHECK(lseek(fd, 100, SEEK_SET) == 100);
	CHECKF(lseek(copy, 0, SEEK_CUR) == 100, "the duplicate's offset did not move");
	CHECK(read(copy, a, sizeof(a)) == (ssize_t)sizeof(a));
	CHECK(lseek(fd, 0, SEEK_CUR) == 100 + (off_t)sizeof(a));
	CHECK(read(fd, b, sizeof(b)) == (ssize_t)sizeof(b));
	CHECK(lseek(copy, 0, SEEK_CUR) == 100 + 2 * (off_t)sizeof(a));
	close(fd);
	CHECK(lseek(copy, 0, SEEK_CUR) == 100 + 2 * (off_t)sizeof(a));  /* still open */
	CHECK(close(copy) == 0);
}

static void dup_answers_lowest_free_slot(void)
{
	int fd = open_sh(), low, got;

	low = lowest_free_fd();
	got = dup(fd);
	CHECKF(got == low, "dup answered %d, lowest free slot is %d", got, low);
	CHECK(close(got) == 0);
	CHECK(close(0) == 0);           /* now slot 0 is the lowest */
	got = dup(fd);
	CHECKF(got == 0, "dup answered %d after closing 0", got);
}

static void dup_shares_offset_across_fork(void)
{
	int fd = open_sh();
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(lseek(fd, 333, SEEK_SET) == 333);
		_exit(0);
	}
	wait_ok(pid);
	CHECKF(lseek(fd, 0, SEEK_CUR) == 333, "the child's lseek is not seen by the parent");
}

static void dup2_onto_open_fd_replaces_it(void)
{
	int sh = open_sh(), null = open("/dev/null", O_RDONLY);

	CHECK(null >= 0);
	CHECK(dup2(sh, null) == null);
	same_file(sh, null);
	CHECK(lseek(sh, 7, SEEK_SET) == 7);
	CHECK(lseek(null, 0, SEEK_CUR) == 7);
	CHECK(dup2(sh, 100) == 100);
	same_file(sh, 100);
	CHECKF(dup2(sh, sh) == sh, "dup2 onto itself must answer the fd");
	CHECK(is_open(sh));
}

static void dup2_with_bad_fds_ebadf(void)
{
	int fd = open_sh();

	CHECK_ERR(dup2(200, 201), EBADF);
	CHECK_ERR(dup2(-1, 5), EBADF);
	CHECK_ERR(dup2(fd, FD_LIMIT), EBADF);
	CHECK_ERR(dup2(fd, -1), EBADF);
	CHECK_ERR(dup(200), EBADF);
	CHECK(!is_open(201));
}

static void dup_clears_and_dup3_sets_cloexec(void)
{
	int fd = open_sh(), d;

	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0);
	d = dup(fd);
	CHECK(d >= 0);
	CHECKF(fcntl(d, F_GETFD) == 0, "dup copied FD_CLOEXEC");
	CHECK(dup2(fd, 50) == 50);
	CHECKF(fcntl(50, F_GETFD) == 0, "dup2 copied FD_CLOEXEC");
	CHECK(dup3(fd, 51, O_CLOEXEC) == 51);
	CHECKF(fcntl(51, F_GETFD) == FD_CLOEXEC, "dup3(O_CLOEXEC) did not set it");
	CHECK(dup3(fd, 51, 0) == 51);
	CHECK(fcntl(51, F_GETFD) == 0);
}

static void dup3_rejects_same_fd_and_bad_flags(void)
{
	int fd = open_sh();

	CHECK_ERR(dup3(fd, fd, 0), EINVAL);
	CHECK_ERR(dup3(fd, 60, O_NONBLOCK), EINVAL);
	CHECK(!is_open(60));
}

/* Bit i of the helper's exit status is set iff fds[i] is open after exec. */
static int fds_open_after_exec(const int *fds, int n)
{
	char args[8][16];
	char *argv[12];
	int status;
	pid_t pid;

	argv[0] = "fd_test";
	argv[1] = HELPER_FLAG;
	for (int i = 0; i < n; i++) {
		snprintf(args[i], sizeof(args[i]), "%d", fds[i]);
		argv[2 + i] = args[i];
	}
	argv[2 + n] = NULL;
	pid = test_fork();
	if (pid == 0) {
		static char *const envp[] = { NULL };

		execve(test_self_path(), argv, envp);
		_exit(200);
	}
	status = test_wait(pid);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) < 200,
	       "helper status %#x (200: exec failed, 201: bad fcntl)", status);
	return WEXITSTATUS(status);
}

static void cloexec_fds_are_closed_by_exec(void)
{
	int fds[6], got, want;

	fds[0] = open("/dev/null", O_RDONLY);                   /* FD_CLOEXEC via fcntl */
	fds[1] = open("/dev/null", O_RDONLY);                   /* plain */
	fds[2] = open("/dev/null", O_RDONLY | O_CLOEXEC);       /* O_CLOEXEC */
	CHECK(fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0);
	CHECK(fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0);
	fds[3] = dup3(fds[1], 40, O_CLOEXEC);                   /* dup3 O_CLOEXEC */
	fds[4] = dup2(fds[0], 41);                              /* dup2 of a cloexec fd */
	fds[5] = fcntl(fds[1], F_DUPFD_CLOEXEC, 42);
	CHECK(fds[3] == 40 && fds[4] == 41 && fds[5] == 42);
	want = (1 << 1) | (1 << 4);
	got = fds_open_after_exec(fds, 6);
	CHECKF(got == want, "open after exec: mask %#x, want %#x", got, want);
}

static void cloexec_flag_cleared_survives_exec(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), got;

	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_SETFD, 0) == 0);
	got = fds_open_after_exec(&fd, 1);
	CHECKF(got == 1, "fd %d closed by exec after FD_CLOEXEC was cleared", fd);
}

/*
 * dup2(fd, fd) only checks fd and answers it: it must not touch the
 * close-on-exec flag (dup2 onto another slot clears it there, which is
 * what a careless implementation would do here too), and exec must then
 * close that descriptor.
 */
static void dup2_onto_itself_keeps_cloexec_and_exec_closes_it(void)
{
	int fd = open("/dev/null", O_RDONLY), got;

	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0);
	CHECK(dup2(fd, fd) == fd);
	CHECKF(fcntl(fd, F_GETFD) == FD_CLOEXEC, "dup2(fd, fd) changed FD_CLOEXEC to %d",
	       fcntl(fd, F_GETFD));
	got = fds_open_after_exec(&fd, 1);
	CHECKF(got == 0, "fd %d still open after exec", fd);
	CHECK(fcntl(fd, F_SETFD, 0) == 0);      /* and the other way round */
	CHECK(dup2(fd, fd) == fd);
	CHECK(fcntl(fd, F_GETFD) == 0);
	CHECKF(fds_open_after_exec(&fd, 1) == 1, "fd %d closed by exec without FD_CLOEXEC", fd);
}

/* --------------------------------------------------------------- fcntl */

static void fcntl_getfd_setfd_round_trip(void)
{
	int fd = open_sh();

	CHECK(fcntl(fd, F_GETFD) == 0);
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(fd, F_SETFD, 0) == 0);
	CHECK(fcntl(fd, F_GETFD) == 0);
}

static void fcntl_getfl_reports_access_mode(void)
{
	int sh = open_sh(), null = open("/dev/null", O_RDWR), p[2];

	CHECK(null >= 0);
	CHECK(pipe(p) == 0);
	CHECK((fcntl(sh, F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK((fcntl(null, F_GETFL) & O_ACCMODE) == O_RDWR);
	CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
}

static void fcntl_dupfd_answers_lowest_slot_at_minimum(void)
{
	int fd = open_sh(), a, b;

	close(10);
	close(11);
	a = fcntl(fd, F_DUPFD, 10);
	CHECKF(a == 10, "F_DUPFD 10 answered %d", a);
	b = fcntl(fd, F_DUPFD, 10);
	CHECKF(b == 11, "F_DUPFD 10 with 10 taken answered %d", b);
	CHECK(close(a) == 0);
	CHECK(fcntl(fd, F_DUPFD, 10) == 10);
	CHECK(fcntl(fd, F_DUPFD, FD_LIMIT - 1) == FD_LIMIT - 1);
	same_file(fd, FD_LIMIT - 1);
}

static void fcntl_errors(void)
{
	int fd = open_sh();

	CHECK_ERR(fcntl(200, F_GETFD), EBADF);
	CHECK_ERR(fcntl(-1, F_GETFL), EBADF);
	CHECK_ERR(fcntl(fd, F_DUPFD, FD_LIMIT), EINVAL);
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK_ERR(fcntl(fd, 9999), EINVAL);
}

static void close_of_bad_fd_ebadf(void)
{
	int fd = open_sh();

	CHECK(close(fd) == 0);
	CHECK_ERR(close(fd), EBADF);
	CHECK_ERR(close(-1), EBADF);
	CHECK_ERR(close(FD_LIMIT + 10), EBADF);
	CHECK_ERR(read(fd, &fd, 1), EBADF);
}

/* --------------------------------------------------------------- pipes */

static void pipe_read_returns_eof_after_writer_closes(void)
{
	int p[2];
	char buf[8];

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "abc", 3) == 3);
	CHECK(close(p[1]) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 0);
	CHECK(read(p[0], buf, sizeof(buf)) == 0);
}

/* A reader blocked on an empty pipe wakes for data, then for EOF only when the last writer goes. */
static void pipe_eof_waits_for_every_writer(void)
{
	int p[2];
	char buf[8];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = test_fork();
	if (pid == 0) {
		struct timespec ms50 = { 0, 50000000 };

		close(p[0]);
		nanosleep(&ms50, NULL);
		test_write_full(p[1], "z", 1);
		nanosleep(&ms50, NULL);
		_exit(0);
	}
	CHECK(close(p[1]) == 0);        /* the child's copy keeps the pipe open */
	CHECK(read(p[0], buf, sizeof(buf)) == 1 && buf[0] == 'z');
	CHECK(read(p[0], buf, sizeof(buf)) == 0);
	wait_ok(pid);
}

static void pipe_write_without_reader_epipe_when_sigpipe_ignored(void)
{
	int p[2];

	CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	CHECK(pipe(p) == 0);
	CHECK(close(p[0]) == 0);
	CHECK_ERR(write(p[1], "x", 1), EPIPE);
	CHECK_ERR(write(p[1], "xy", 2), EPIPE);
}

static void write_to_readerless_pipe(void *arg)
{
	int *p = arg;

	close(p[0]);
	write(p[1], "x", 1);
	FAIL("survived writing to a pipe without readers (errno %d)", errno);
}

static void pipe_write_without_reader_kills_with_sigpipe(void)
{
	int p[2];

	CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
	CHECK(pipe(p) == 0);
	close(p[0]);
	expect_signal(write_to_readerless_pipe, p, SIGPIPE);
}

static uint32_t xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

#define BIG_TRANSFER (4ul * 1024 * 1024)

static void pipe_moves_4mib_between_processes_intact(void)
{
	static const size_t wsizes[] = { 1, 7, 4093, 4096, 4097, 65537, 333, 12289, 2 };
	static const size_t rsizes[] = { 4099, 1, 65521, 17, 8192, 3, 4096 };
	static unsigned char buf[70000];
	uint32_t seed = 12345;
	size_t total = 0, ri = 0;
	int p[2];
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = test_fork();
	if (pid == 0) {
		size_t sent = 0, wi = 0;

		close(p[0]);
		while (sent < BIG_TRANSFER) {
			size_t n = wsizes[wi++ % TEST_COUNT(wsizes)];

			if (n > BIG_TRANSFER - sent)
				n = BIG_TRANSFER - sent;
			for (size_t i = 0; i < n; i++)
				buf[i] = (unsigned char)xorshift(&seed);
			test_write_full(p[1], buf, n);
			sent += n;
		}
		_exit(0);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf, rsizes[ri++ % TEST_COUNT(rsizes)]);

		if (n < 0 && errno == EINTR)
			continue;
		CHECKF(n >= 0, "read after %zu bytes", total);
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			unsigned char want = (unsigned char)xorshift(&seed);

			CHECKF(buf[i] == want, "byte %zu is %#x, want %#x",
			       total + (size_t)i, buf[i], want);
		}
		total += (size_t)n;
		CHECKF(total <= BIG_TRANSFER, "more than %lu bytes arrived", BIG_TRANSFER);
	}
	CHECKF(total == BIG_TRANSFER, "EOF after %zu of %lu bytes", total, BIG_TRANSFER);
	wait_ok(pid);
}

#define WRITERS  4
#define RECORDS  100
#define RECSIZE  1000           /* < PIPE_BUF: each write is atomic */

static unsigned char record_byte(int id, int seq, int i)
{
	return (unsigned char)(id * 31 + seq * 7 + i);
}

static void pipe_shared_by_four_writers_keeps_records_whole(void)
{
	static unsigned char all[WRITERS * RECORDS * RECSIZE + 1];
	int p[2], next_seq[WRITERS] = { 0 };
	pid_t pids[WRITERS];
	size_t total = 0;

	CHECK(pipe(p) == 0);
	for (int id = 0; id < WRITERS; id++) {
		pids[id] = test_fork();
		if (pids[id] == 0) {
			unsigned char rec[RECSIZE];

			close(p[0]);
			for (int seq = 0; seq < RECORDS; seq++) {
				rec[0] = (unsigned char)id;
				rec[1] = (unsigned char)seq;
				for (int i = 2; i < RECSIZE; i++)
					rec[i] = record_byte(id, seq, i);
				CHECK(write(p[1], rec, RECSIZE) == RECSIZE);
				if (seq % 10 == id)
					sched_yield();
			}
			_exit(0);
		}
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], all + total, sizeof(all) - total);

		if (n < 0 && errno == EINTR)
			continue;
		CHECK(n >= 0);
		if (n == 0)
			break;
		total += (size_t)n;
		CHECKF(total < sizeof(all), "more than %d records arrived", WRITERS * RECORDS);
	}
	for (int id = 0; id < WRITERS; id++)
		wait_ok(pids[id]);
	CHECKF(total == sizeof(all) - 1, "EOF after %zu bytes, want %zu", total, sizeof(all) - 1);
	for (size_t r = 0; r < total / RECSIZE; r++) {
		const unsigned char *rec = all + r * RECSIZE;
		int id = rec[0], seq = rec[1];

		CHECKF(id < WRITERS, "record %zu has writer id %d", r, id);
		CHECKF(seq == next_seq[id], "record %zu: writer %d seq %d, want %d",
		       r, id, seq, next_seq[id]);
		for (int i = 2; i < RECSIZE; i++)
			CHECKF(rec[i] == record_byte(id, seq, i),
			       "record %zu (writer %d seq %d) torn at byte %d", r, id, seq, i);
		next_seq[id]++;
	}
}

static void pipe_nonblocking_read_eagain(void)
{
	int p[2];
	char c;

	CHECK(pipe(p) == 0);
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	CHECK(write(p[1], "q", 1) == 1);
	CHECK(read(p[0], &c, 1) == 1 && c == 'q');
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 0);
}

static void pipe_ends_are_one_way(void)
{
	int p[2];
	char c = 0;

	CHECK(pipe(p) == 0);
	CHECK_ERR(read(p[1], &c, 1), EBADF);
	CHECK_ERR(write(p[0], &c, 1), EBADF);
}

static void lseek_on_pipe_espipe(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(lseek(p[1], 0, SEEK_CUR), ESPIPE);
}

/* --------------------------------------------------------- the table */

static void open_until_emfile_at_256(void)
{
	static int fds[FD_LIMIT + 8];
	int n = 0, err = 0, last = -1, p[2];

	while (n < (int)TEST_COUNT(fds)) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd < 0) {
			err = errno;
			break;
		}
		fds[n++] = last = fd;
	}
	CHECKF(err == EMFILE, "open failed with errno %d %s after %d opens, want EMFILE",
	       err, test_errno_name(err), n);
	CHECKF(last == FD_LIMIT - 1, "the last descriptor was %d, want %d", last, FD_LIMIT - 1);
	CHECK_ERR(dup(0), EMFILE);
	CHECK_ERR(fcntl(0, F_DUPFD, 0), EMFILE);
	CHECK_ERR(pipe(p), EMFILE);
	CHECK(close(fds[n / 2]) == 0);
	CHECK(open("/dev/null", O_RDONLY) == fds[n / 2]);
	for (int i = 0; i < n; i++)
		CHECK(close(fds[i]) == 0);
	CHECK(pipe(p) == 0);
}

static void pipe_with_one_free_slot_emfile_without_leaking(void)
{
	static int fds[FD_LIMIT];
	int n = 0, p[2], free_slot;

	for (int fd; n < FD_LIMIT && (fd = open("/dev/null", O_RDONLY)) >= 0;)
		fds[n++] = fd;
	CHECKF(n < FD_LIMIT && errno == EMFILE, "%d opens, then errno %d", n, errno);
	free_slot = fds[--n];
	CHECK(close(free_slot) == 0);
	CHECK_ERR(pipe(p), EMFILE);
	CHECKF(open("/dev/null", O_RDONLY) == free_slot, "the failed pipe kept slot %d", free_slot);
}

/* --------------------------------------------------------------- files */

static void stat_of_bin_sh_is_regular_and_nonempty(void)
{
	struct stat st;

	CHECK(stat("/bin/sh", &st) == 0);
	CHECKF(S_ISREG(st.st_mode), "mode %#o", (unsigned)st.st_mode);
	CHECKF(st.st_size > 0, "size %lld", (long long)st.st_size);
}

static void fstat_agrees_with_stat(void)
{
	struct stat a, b;
	int fd = open_sh();
	off_t end;

	CHECK(stat("/bin/sh", &a) == 0);
	CHECK(fstat(fd, &b) == 0);
	CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK(a.st_mode == b.st_mode && a.st_size == b.st_size);
	end = lseek(fd, 0, SEEK_END);
	CHECKF(end == b.st_size, "SEEK_END %lld, st_size %lld", (long long)end,
	       (long long)b.st_size);
}

static void stat_of_bin_is_directory(void)
{
	struct stat st;
	int fd;

	CHECK(stat("/bin", &st) == 0);
	CHECKF(S_ISDIR(st.st_mode), "mode %#o", (unsigned)st.st_mode);
	CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode));
	fd = open("/bin", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
}

static void stat_errors(void)
{
	struct stat st;

	CHECK_ERR(stat("/bin/no-such-file", &st), ENOENT);
	CHECK_ERR(stat("/bin/sh/x", &st), ENOTDIR);
	CHECK_ERR(stat("", &st), ENOENT);
	CHECK_ERR(fstat(200, &st), EBADF);
}

static void readdir_of_bin_lists_sh(void)
{
	DIR *d = opendir("/bin");
	struct dirent *e;
	int sh = 0, echo = 0, n = 0;

	CHECKF(d != NULL, "opendir /bin");
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		n++;
		if (strcmp(e->d_name, "sh") == 0) {
			sh++;
			CHECKF(e->d_type == DT_REG || e->d_type == DT_UNKNOWN,
			       "sh has d_type %d", e->d_type);
		}
		if (strcmp(e->d_name, "echo") == 0)
			echo++;
	}
	CHECKF(errno == 0, "readdir ended with an error");
	CHECKF(sh == 1 && echo == 1, "sh listed %d times, echo %d times in %d entries",
	       sh, echo, n);
	CHECK(closedir(d) == 0);
}

static void getdents64_on_regular_file_enotdir(void)
{
	char buf[1024];
	int fd = open_sh();

	CHECK_ERR(getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	CHECK(opendir("/bin/sh") == NULL && errno == ENOTDIR);
	CHECK_ERR(open("/bin/sh", O_RDONLY | O_DIRECTORY), ENOTDIR);
}

static void read_of_directory_eisdir(void)
{
	char buf[16];
	int fd = open("/bin", O_RDONLY);

	CHECKF(fd >= 0, "open /bin");
	CHECK_ERR(read(fd, buf, sizeof(buf)), EISDIR);
}

static void dev_null_reads_eof_and_swallows_writes(void)
{
	int fd = open("/dev/null", O_RDWR);
	char buf[64];

	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(write(fd, "hello", 5) == 5);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
}

static void open_missing_file_enoent(void)
{
	CHECK_ERR(open("/bin/no-such-file", O_RDONLY), ENOENT);
	CHECK_ERR(open("/no-such-dir/file", O_RDONLY), ENOENT);
	CHECK_ERR(open("/bin/sh/x", O_RDONLY), ENOTDIR);
}

static void open_creat_on_readonly_fs_erofs(void)
{
	const char *path = "/bin/vmos-test-created";
	int fd;

	errno = 0;
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		unlink(path);
	CHECKF(fd < 0 && errno == EROFS, "open(O_CREAT) answered %d", fd);
}

static void open_for_write_on_readonly_fs_erofs(void)
{
	CHECK_ERR(open("/bin/sh", O_WRONLY), EROFS);
	CHECK_ERR(open("/bin/sh", O_RDWR), EROFS);
}

static void lseek_whence_and_errors(void)
{
	int fd = open_sh();
	off_t size = lseek(fd, 0, SEEK_END);

	CHECK(size > 10);
	CHECK(lseek(fd, -10, SEEK_END) == size - 10);
	CHECK(lseek(fd, 4, SEEK_CUR) == size - 6);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, 0, 42), EINVAL);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0);
	CHECK(lseek(fd, size + 100, SEEK_SET) == size + 100);      /* past the end is allowed */
	CHECK(read(fd, &size, 1) == 0);
}

/* ----------------------------------------------------------- EFAULT */

static void read_into_bad_pointer_efault(void)
{
	int fd = open_sh(), p[2];

	CHECK_ERR(read(fd, bad_low(), 10), EFAULT);
	CHECK_ERR(read(fd, bad_kernel(), 10), EFAULT);
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "data", 4) == 4);
	CHECK_ERR(read(p[0], bad_kernel(), 4), EFAULT);
}

static void read_into_readonly_page_efault(void)
{
	char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open_sh();

	CHECK(ro != MAP_FAILED);
	CHECK_ERR(read(fd, ro, 10), EFAULT);
	CHECK(ro[0] == 0);
}

static void write_from_bad_pointer_efault(void)
{
	int p[2];
	char c;

	CHECK(pipe(p) == 0);
	CHECK_ERR(write(p[1], bad_low(), 10), EFAULT);
	CHECK_ERR(write(p[1], bad_kernel(), 10), EFAULT);
	CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);   /* nothing half-written */
}

static void open_and_stat_with_bad_path_pointer_efault(void)
{
	struct stat st;

	CHECK_ERR(open(bad_low(), O_RDONLY), EFAULT);
	CHECK_ERR(open(bad_kernel(), O_RDONLY), EFAULT);
	CHECK_ERR(stat(bad_low(), &st), EFAULT);
	CHECK_ERR(stat(bad_kernel(), &st), EFAULT);
}

static void stat_and_fstat_into_bad_buffer_efault(void)
{
	int fd = open_sh();

	CHECK_ERR(stat("/bin/sh", bad_low()), EFAULT);
	CHECK_ERR(stat("/bin/sh", bad_kernel()), EFAULT);
	CHECK_ERR(fstat(fd, bad_low()), EFAULT);
	CHECK_ERR(fstat(fd, bad_kernel()), EFAULT);
}

static void pipe_into_bad_array_efault_without_leaking_fds(void)
{
	int low = lowest_free_fd();

	CHECK_ERR(pipe(bad_low()), EFAULT);
	CHECK_ERR(pipe(bad_kernel()), EFAULT);
	CHECKF(lowest_free_fd() == low, "lowest free fd moved from %d to %d", low,
	       lowest_free_fd());
	CHECK(!is_open(low + 1));
}

static void clock_gettime_and_nanosleep_bad_pointer_efault(void)
{
	CHECK_ERR(clock_gettime(CLOCK_MONOTONIC, bad_low()), EFAULT);
	CHECK_ERR(clock_gettime(CLOCK_REALTIME, bad_kernel()), EFAULT);
	CHECK_ERR(nanosleep(bad_low(), NULL), EFAULT);
}

static void wait4_with_bad_status_pointer_efault(void)
{
	pid_t pid = test_fork();
	int status;
	pid_t again;

	if (pid == 0)
		_exit(3);
	CHECK_ERR(wait4(pid, bad_low(), 0, NULL), EFAULT);
	/* Whether the child was reaped by the failed call is the kernel's choice. */
	again = waitpid(pid, &status, 0);
	CHECKF(again == pid || (again < 0 && errno == ECHILD), "waitpid answered %d", (int)again);
}

static void getcwd_into_bad_buffer_efault(void)
{
	char *r;

	errno = 0;
	r = getcwd(bad_low(), 100);
	CHECKF(r == NULL && errno == EFAULT, "getcwd answered %p", (void *)r);
	errno = 0;
	r = getcwd(bad_kernel(), 100);
	CHECKF(r == NULL && errno == EFAULT, "getcwd answered %p", (void *)r);
}

static void execve_with_bad_pointers_efault(void)
{
	char *argv[] = { "echo", "ok", NULL };
	char *bad_argv[] = { "echo", bad_low(), NULL };
	char *bad_envp[] = { bad_kernel(), NULL };
	char *envp[] = { NULL };
	int err;

	err = test_exec_errno(bad_low(), argv, envp);
	CHECKF(err == EFAULT, "bad path: errno %d %s", err, test_errno_name(err));
	err = test_exec_errno("/bin/echo", bad_low(), envp);
	CHECKF(err == EFAULT, "bad argv: errno %d %s", err, test_errno_name(err));
	err = test_exec_errno("/bin/echo", bad_argv, envp);
	CHECKF(err == EFAULT, "bad argv[1]: errno %d %s", err, test_errno_name(err));
	err = test_exec_errno("/bin/echo", argv, bad_kernel());
	CHECKF(err == EFAULT, "bad envp: errno %d %s", err, test_errno_name(err));
	err = test_exec_errno("/bin/echo", argv, bad_envp);
	CHECKF(err == EFAULT, "bad envp[0]: errno %d %s", err, test_errno_name(err));
}

/* ---------------------------------------------------------------- helper */

static int helper_main(int argc, char **argv)
{
	int mask = 0;

	for (int i = 2; i < argc && i < 2 + 8; i++) {
		int fd = atoi(argv[i]);

		if (fcntl(fd, F_GETFD) >= 0)
			mask |= 1 << (i - 2);
		else if (errno != EBADF)
			return 201;
	}
	return mask;
}

static const struct test_case cases[] = {
	TEST_CASE(dup_shares_file_offset),
	TEST_CASE(dup_answers_lowest_free_slot),
	TEST_CASE(dup_shares_offset_across_fork),
	TEST_CASE(dup2_onto_open_fd_replaces_it),
	TEST_CASE(dup2_with_bad_fds_ebadf),
	TEST_CASE(dup_clears_and_dup3_sets_cloexec),
	TEST_CASE(dup3_rejects_same_fd_and_bad_flags),
	TEST_CASE(cloexec_fds_are_closed_by_exec),
	TEST_CASE(cloexec_flag_cleared_survives_exec),
	TEST_CASE(dup2_onto_itself_keeps_cloexec_and_exec_closes_it),
	TEST_CASE(fcntl_getfd_setfd_round_trip),
	TEST_CASE(fcntl_getfl_reports_access_mode),
	TEST_CASE(fcntl_dupfd_answers_lowest_slot_at_minimum),
	TEST_CASE(fcntl_errors),
	TEST_CASE(close_of_bad_fd_ebadf),
	TEST_CASE(pipe_read_returns_eof_after_writer_closes),
	TEST_CASE(pipe_eof_waits_for_every_writer),
	TEST_CASE(pipe_write_without_reader_epipe_when_sigpipe_ignored),
	TEST_CASE(pipe_write_without_reader_kills_with_sigpipe),
	TEST_CASE(pipe_moves_4mib_between_processes_intact),
	TEST_CASE(pipe_shared_by_four_writers_keeps_records_whole),
	TEST_CASE(pipe_nonblocking_read_eagain),
	TEST_CASE(pipe_ends_are_one_way),
	TEST_CASE(lseek_on_pipe_espipe),
	TEST_CASE(open_until_emfile_at_256),
	TEST_CASE(pipe_with_one_free_slot_emfile_without_leaking),
	TEST_CASE(stat_of_bin_sh_is_regular_and_nonempty),
	TEST_CASE(fstat_agrees_with_stat),
	TEST_CASE(stat_of_bin_is_directory),
	TEST_CASE(stat_errors),
	TEST_CASE(readdir_of_bin_lists_sh),
	TEST_CASE(getdents64_on_regular_file_enotdir),
	TEST_CASE(read_of_directory_eisdir),
	TEST_CASE(dev_null_reads_eof_and_swallows_writes),
	TEST_CASE(open_missing_file_enoent),
	TEST_CASE(open_creat_on_readonly_fs_erofs),
	TEST_CASE(open_for_write_on_readonly_fs_erofs),
	TEST_CASE(lseek_whence_and_errors),
	TEST_CASE(read_into_bad_pointer_efault),
	TEST_CASE(read_into_readonly_page_efault),
	TEST_CASE(write_from_bad_pointer_efault),
	TEST_CASE(open_and_stat_with_bad_path_pointer_efault),
	TEST_CASE(stat_and_fstat_into_bad_buffer_efault),
	TEST_CASE(pipe_into_bad_array_efault_without_leaking_fds),
	TEST_CASE(clock_gettime_and_nanosleep_bad_pointer_efault),
	TEST_CASE(wait4_with_bad_status_pointer_efault),
	TEST_CASE(getcwd_into_bad_buffer_efault),
	TEST_CASE(execve_with_bad_pointers_efault),
};

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], HELPER_FLAG) == 0)
		return helper_main(argc, argv);
	return test_main("fd", cases, TEST_COUNT(cases), argc, argv);
}
