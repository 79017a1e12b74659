/*
 * sealdemo - why a receiver can trust the size of a sealed memfd.
 *
 *   sealdemo
 *
 * A process that maps memory someone else hands it must fear that the
 * sender shrinks the object under it: its next load past the new end is
 * SIGBUS, and a parser that checked a length field a moment ago now
 * reads garbage or dies.  Linux's answer, and FreeBSD's since 13, is
 * file seals: the sender makes the object with memfd_create(...,
 * MFD_ALLOW_SEALING), fills it, and adds F_SEAL_SHRINK | F_SEAL_GROW |
 * F_SEAL_WRITE | F_SEAL_SEAL with fcntl(F_ADD_SEALS).  From then on
 * nobody -- the sender included, through any descriptor -- can change
 * the size or the bytes, and F_SEAL_SEAL says no seal can be taken away
 * or added.  The receiver only has to look: F_GET_SEALS on the descriptor
 * it got, and if all four are there, the size fstat reports and the
 * bytes it maps stay as they are for as long as it holds them.
 *
 * Here a parent sends two memfds over a socketpair (SCM_RIGHTS) to a
 * child: one sealed, one not.  The child accepts only the sealed one,
 * then shows that shrinking, writing and a writable shared mapping are
 * all refused (EPERM) -- for it, and for the sender, which tries too.
 * Exit status 0 when everything behaved so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "uapi/memfd.h"

#define ALL_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

static const char message[] = "a message whose length the receiver can trust";

static int send_fd(int s, int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char byte = 'f';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	memset(&c, 0, sizeof(c));
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(s, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int s)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	int fd = -1;
	if (recvmsg(s, &msg, 0) != 1)
		return -1;
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	if (h != NULL && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

/* A memfd holding the message; sealed, or not. */
static int make_memfd(int sealed)
{
	int fd = memfd_create("sealdemo", MFD_ALLOW_SEALING);
	if (fd < 0 || write(fd, message, sizeof(message)) != (ssize_t)sizeof(message))
		return -1;
	if (sealed && fcntl(fd, F_ADD_SEALS, ALL_SEALS) < 0)
		return -1;
	return fd;
}

/* Expect call to fail with EPERM; say what happened.  1 if it did. */
static int refused(const char *who, const char *what, long r)
{
	int ok = r < 0 && errno == EPERM;
	printf("  %-9s %-34s %s\n", who, what, ok ? "refused (EPERM)" : "ALLOWED: wrong");
	return ok;
}

/* Try to change fd every way a seal forbids.  1 if all were refused. */
static int try_to_change(const char *who, int fd)
{
	int ok = refused(who, "ftruncate to 1 byte", ftruncate(fd, 1));
	ok &= refused(who, "ftruncate to 1 MiB", ftruncate(fd, 1 << 20));
	ok &= refused(who, "pwrite over the message", pwrite(fd, "X", 1, 0));
	void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok &= refused(who, "a writable MAP_SHARED mapping", w == MAP_FAILED ? -1 : 0);
	ok &= refused(who, "F_ADD_SEALS taking nothing away", fcntl(fd, F_ADD_SEALS, 0));
	return ok;
}

/* The receiver: accept an object only with every seal, then use it. */
static int receiver(int s)
{
	int ok = 1;
	for (int i = 0; i < 2; i++) {
		int fd = recv_fd(s);
		int seals = fd < 0 ? -1 : fcntl(fd, F_GET_SEALS);
		if (seals < 0) {
			perror("sealdemo: receiving");
			return 1;
		}
		if ((seals & ALL_SEALS) != ALL_SEALS) {
			printf("receiver: object %d has seals %#x: not all four, the sender "
			    "could still shrink it under me; refused\n", i, (unsigned)seals);
			close(fd);
			continue;
		}
		struct stat st;
		fstat(fd, &st);
		const char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			perror("sealdemo: mmap");
			return 1;
		}
		printf("receiver: object %d is sealed (%#x): its %lld bytes stay as they are\n",
		    i, (unsigned)seals, (long long)st.st_size);
		printf("  it says: \"%.*s\"\n", (int)st.st_size - 1, p);
		ok &= try_to_change("receiver:", fd);
		ok &= st.st_size == (off_t)sizeof(message) && memcmp(p, message, sizeof(message)) == 0;
		write(s, "k", 1);               /* the sender may now try too */
		close(fd);
	}
	return ok ? 0 : 1;
}

int main(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("sealdemo: socketpair");
		return 1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		fflush(stdout);
		_exit(receiver(sv[1]));
	}
	close(sv[1]);
	int open_fd = make_memfd(0), sealed_fd = make_memfd(1);
	if (open_fd < 0 || sealed_fd < 0 || send_fd(sv[0], open_fd) < 0 ||
	    send_fd(sv[0], sealed_fd) < 0) {
		perror("sealdemo: making and sending the objects");
		return 1;
	}
	char k;
	int ok = read(sv[0], &k, 1) == 1;
	if (ok)
		ok = try_to_change("sender:", sealed_fd);        /* the sender is bound too */
	int status;
	waitpid(pid, &status, 0);
	ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	printf("sealdemo: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
