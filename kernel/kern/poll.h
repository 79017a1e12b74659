/*
 * poll.h - poll(2), and the wakeup every file type calls when its
 * readiness may have changed.
 *
 * A file type reports readiness through its file_ops.poll slot (what is
 * true now, never blocking).  Whenever something that poll slot looks at
 * changes -- data arrives, room frees up, an end closes -- the type calls
 * poll_wakeup() (after its own wakeup of blocked readers/writers).  See
 * poll.c for the single wait channel this feeds and why.
 */
#ifndef KERN_POLL_H
#define KERN_POLL_H

#include "kern/kernel.h"
#include "kern/copyio.h"
#include "uapi/poll.h"

/* Readiness of something may have changed: wake every poll() to re-scan.
 * Cheap when nobody polls (two atomic operations).  Callable from
 * interrupt handlers and with spinlocks held. */
void poll_wakeup(void);

/* poll(2): see poll.c.  nfds is Linux's unsigned long nfds_t. */
long sys_poll(struct pollfd __user *ufds, unsigned long nfds, int timeout_ms);

#endif
