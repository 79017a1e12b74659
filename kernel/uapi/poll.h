/*
 * uapi/poll.h - struct pollfd and poll() event bits (Linux values).
 *
 * poll(fds, nfds, timeout_ms) waits until one of the descriptors has one
 * of the events asked for in `events`; the kernel writes what happened in
 * `revents`.  POLLERR, POLLHUP and POLLNVAL are reported even unasked.
 */
#ifndef UAPI_POLL_H
#define UAPI_POLL_H

struct pollfd {
	int   fd;               /* descriptor; negative entries are skipped */
	short events;           /* what to wait for */
	short revents;          /* what happened (filled by the kernel) */
};

#define POLLIN      0x0001  /* data to read (or EOF, or a connection to accept) */
#define POLLPRI     0x0002
#define POLLOUT     0x0004  /* a write would not block */
#define POLLERR     0x0008  /* error condition */
#define POLLHUP     0x0010  /* peer closed: e.g. pipe with no writers */
#define POLLNVAL    0x0020  /* fd is not open */
#define POLLRDNORM  0x0040
#define POLLRDBAND  0x0080
#define POLLWRNORM  0x0100
#define POLLWRBAND  0x0200

#endif /* UAPI_POLL_H */
