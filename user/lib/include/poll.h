/* poll.h - waiting on several descriptors (uapi/poll.h). */
#ifndef _POLL_H
#define _POLL_H

#include "uapi/types.h"
#include "uapi/poll.h"

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

#endif /* _POLL_H */
