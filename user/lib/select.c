/*
 * select.c - select() over poll(): one pollfd per descriptor that is in
 * any set.  Readable is POLLIN, POLLHUP or POLLERR (a read would not
 * block); writable is POLLOUT or POLLERR; exceptional is POLLPRI.  A
 * descriptor poll reports as POLLNVAL (not open, or a type that cannot be
 * polled) makes select fail with EBADF, as the real call does.
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <sys/select.h>

static int wanted(int fd, fd_set *r, fd_set *w, fd_set *e)
{
	int ev = 0;
	if (r && FD_ISSET(fd, r))
		ev |= POLLIN;
	if (w && FD_ISSET(fd, w))
		ev |= POLLOUT;
	if (e && FD_ISSET(fd, e))
		ev |= POLLPRI;
	return ev;
}

static int timeout_ms(const struct timeval *tv)
{
	if (tv == NULL)
		return -1;
	long long ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
	return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

/* Set fd in s (when s was given and cond holds); answers 1 if set. */
static int mark(fd_set *s, int fd, int cond)
{
	if (s == NULL || !cond)
		return 0;
	FD_SET(fd, s);
	return 1;
}

int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	struct pollfd pfds[FD_SETSIZE];
	nfds_t n = 0;
	int ready = 0;

	if (nfds < 0 || nfds > FD_SETSIZE || (tv && (tv->tv_sec < 0 || tv->tv_usec < 0))) {
		errno = EINVAL;
		return -1;
	}
	for (int fd = 0; fd < nfds; fd++) {
		int ev = wanted(fd, r, w, e);
		if (ev != 0)
			pfds[n++] = (struct pollfd){ .fd = fd, .events = (short)ev };
	}
	int got = poll(pfds, n, timeout_ms(tv));
	if (got < 0)
		return -1;
	for (nfds_t i = 0; i < n; i++) {
		if (pfds[i].revents & POLLNVAL) {
			errno = EBADF;
			return -1;
		}
	}
	if (r) FD_ZERO(r);
	if (w) FD_ZERO(w);
	if (e) FD_ZERO(e);
	for (nfds_t i = 0; i < n; i++) {
		int fd = pfds[i].fd, re = pfds[i].revents;
		ready += mark(r, fd, (pfds[i].events & POLLIN) && (re & (POLLIN | POLLHUP | POLLERR)));
		ready += mark(w, fd, (pfds[i].events & POLLOUT) && (re & (POLLOUT | POLLERR)));
		ready += mark(e, fd, (pfds[i].events & POLLPRI) && (re & POLLPRI));
	}
	if (tv && ready == 0)
		tv->tv_sec = tv->tv_usec = 0;
	return ready;
}
