/*
 * shmpass - share a POSIX shm object between processes by passing its
 * descriptor over a UNIX socket (SCM_RIGHTS).
 *
 *   shmpass server PATH [-n] [-c N]   bind PATH, make an shm object
 *                                     (SHM_ANON; -n: a named one, unlinked
 *                                     at once), fill it, and hand its
 *                                     descriptor to each client that
 *                                     connects (N clients, default: forever)
 *   shmpass client PATH               get the descriptor, map the object,
 *                                     check its contents, write a mark
 *   shmpass demo [N]                  one command: a server and N clients
 *                                     (default 3) in forked processes
 *
 * The object: PAGES pages; every byte of the first page is FILL(i), and
 * client slot k (64 bytes at MARKS + 64k) is where the client the server
 * numbered k writes "mark <k> pid <pid>".  With the descriptor the server
 * sends k as the message's data; the client answers one byte when its mark
 * is written; the server then checks the mark against the pid SO_PEERCRED
 * gave it.  Exit status 0 when every check passed.
 *
 * From the shell:  shmpass server /tmp/s &   then   shmpass client /tmp/s
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES      4
#define SIZE       (PAGES * 4096)
#define MARKS      4096
#define SLOT       64
#define MAX_SLOTS  ((SIZE - MARKS) / SLOT)
#define FILL(i)    ((unsigned char)((i) * 13 + 7))

static const char *prog = "shmpass";

static void warn(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
}

static socklen_t make_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strncpy(sun->sun_path, path, sizeof(sun->sun_path) - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sun->sun_path) + 1);
}

/* ------------------------------------------------------------- server */

/* A filled shm object, mapped at *map; the descriptor or -1. */
static int make_object(int named, unsigned char **map)
{
	char name[64];
	int fd;

	if (named) {
		snprintf(name, sizeof(name), "/shmpass.%d", (int)getpid());
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd >= 0 && shm_unlink(name) < 0)
			warn("shm_unlink");
	} else {
		fd = shm_open(SHM_ANON, O_RDWR, 0600);
	}
	if (fd < 0 || ftruncate(fd, SIZE) < 0) {
		warn("shm_open/ftruncate");
		return -1;
	}
	*map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED) {
		warn("mmap");
		return -1;
	}
	for (int i = 0; i < MARKS; i++)
		(*map)[i] = FILL(i);
	return fd;
}

/* Send the slot number with the descriptor. */
static int send_object(int s, int fd, uint32_t slot)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { &slot, sizeof(slot) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);

	memset(&c, 0, sizeof(c));
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(s, &msg, MSG_NOSIGNAL) == (ssize_t)sizeof(slot) ? 0 : -1;
}

/* Serve one connection: 0 if the client wrote the right mark. */
static int serve_one(int c, int fd, unsigned char *map, uint32_t slot)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char want[SLOT], ack;

	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    send_object(c, fd, slot) < 0) {
		warn("send");
		return -1;
	}
	if (read(c, &ack, 1) != 1) {
		fprintf(stderr, "%s: client %u went away without a mark\n", prog, slot);
		return -1;
	}
	snprintf(want, sizeof(want), "mark %u pid %d", slot, (int)cred.pid);
	if (strcmp((char *)map + MARKS + SLOT * slot, want) != 0) {
		fprintf(stderr, "%s: slot %u holds \"%.63s\", want \"%s\"\n", prog, slot,
			(char *)map + MARKS + SLOT * slot, want);
		return -1;
	}
	printf("%s: client %u (pid %d) shared the object\n", prog, slot, (int)cred.pid);
	return 0;
}

/* Bind and listen on path; ready (if >= 0) gets one byte when it is. */
static int server_socket(const char *path, int ready)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&sun, len) < 0 || listen(s, 16) < 0) {
		warn(path);
		return -1;
	}
	if (ready >= 0 && write(ready, "r", 1) != 1)
		warn("ready");
	return s;
}

static int server(const char *path, int named, int clients, int ready)
{
	unsigned char *map;
	int failed = 0, fd = make_object(named, &map);
	int s = fd < 0 ? -1 : server_socket(path, ready);

	if (s < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	for (uint32_t slot = 0; clients == 0 || (int)slot < clients; slot++) {
		int c = accept(s, NULL, NULL);
		if (c < 0) {
			warn("accept");
			failed++;
			break;
		}
		if (serve_one(c, fd, map, slot % MAX_SLOTS) < 0)
			failed++;
		close(c);
	}
	close(s);
	unlink(path);
	munmap(map, SIZE);
	close(fd);
	return failed ? 1 : 0;
}

/* ------------------------------------------------------------- client */

/* Receive the descriptor and slot: the fd or -1. */
static int recv_object(int s, uint32_t *slot)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { slot, sizeof(*slot) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	int fd = -1;

	if (recvmsg(s, &msg, 0) != (ssize_t)sizeof(*slot))
		return -1;
	struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
	if (h != NULL && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

static int client(const char *path)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(&sun, path);
	uint32_t slot;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0 || connect(s, (struct sockaddr *)&sun, len) < 0) {
		warn(path);
		return 1;
	}
	int fd = recv_object(s, &slot);
	if (fd < 0 || slot >= MAX_SLOTS) {
		fprintf(stderr, "%s: no descriptor from the server\n", prog);
		return 1;
	}
	unsigned char *map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		warn("mmap");
		return 1;
	}
	for (int i = 0; i < MARKS; i++) {
		if (map[i] != FILL(i)) {
			fprintf(stderr, "%s: byte %d is %u, want %u\n", prog, i, map[i], FILL(i));
			return 1;
		}
	}
	snprintf((char *)map + MARKS + SLOT * slot, SLOT, "mark %u pid %d", slot, (int)getpid());
	munmap(map, SIZE);
	close(fd);
	return write(s, "k", 1) == 1 ? 0 : 1;
}

/* --------------------------------------------------------------- demo */

static int wait_status_ok(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int demo(int clients)
{
	char path[64];
	int ready[2], ok = 1;
	char b;

	snprintf(path, sizeof(path), "/tmp/shmpass.%d", (int)getpid());
	unlink(path);
	if (pipe(ready) < 0)
		return 1;
	fflush(stdout);
	pid_t srv = fork();
	if (srv == 0) {
		close(ready[0]);
		_exit(server(path, 0, clients, ready[1]));
	}
	close(ready[1]);
	if (srv < 0 || read(ready[0], &b, 1) != 1) {
		fprintf(stderr, "%s: the server did not start\n", prog);
		return 1;
	}
	close(ready[0]);
	pid_t kids[MAX_SLOTS];
	for (int i = 0; i < clients; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(client(path));
	}
	for (int i = 0; i < clients; i++)
		ok &= kids[i] > 0 && wait_status_ok(kids[i]);
	ok &= wait_status_ok(srv);
	printf("%s: demo with %d clients %s\n", prog, clients, ok ? "passed" : "FAILED");
	return ok ? 0 : 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: %s server PATH [-n] [-c N] | client PATH | demo [N]\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "demo") == 0) {
		int n = argc >= 3 ? atoi(argv[2]) : 3;
		return n >= 1 && n <= MAX_SLOTS ? demo(n) : usage();
	}
	if (argc >= 3 && strcmp(argv[1], "client") == 0)
		return client(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "server") == 0) {
		int named = 0, clients = 0;
		for (int i = 3; i < argc; i++) {
			if (strcmp(argv[i], "-n") == 0)
				named = 1;
			else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
				clients = atoi(argv[++i]);
			else
				return usage();
		}
		return server(argv[2], named, clients, -1);
	}
	return usage();
}
