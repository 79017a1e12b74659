/*
 * uapi/resource.h - resource limits: getrlimit, setrlimit, prlimit64
 * (Linux numbers and layout).
 *
 * Each limit has a soft value (rlim_cur, what is enforced) and a hard one
 * (rlim_max, the ceiling for the soft one).  Anyone may lower either or
 * raise the soft limit up to the hard one; only the superuser may raise a
 * hard limit.  What this kernel enforces, and where:
 *   RLIMIT_NPROC   processes of the caller's real user, at fork (EAGAIN);
 *                  the superuser is exempt
 *   RLIMIT_NOFILE  the lowest descriptor number that may not be made
 *                  (open, dup, pipe, socket ... EMFILE; dup2 EBADF)
 *   RLIMIT_AS      bytes of address space, at mmap and brk (ENOMEM)
 *   RLIMIT_DATA    bytes from the start of the data segment to the break,
 *                  at brk (the break stays put), as FreeBSD counts it
 * The others are kept and reported, and limit nothing yet.
 */
#ifndef UAPI_RESOURCE_H
#define UAPI_RESOURCE_H

typedef __UINT64_TYPE__ rlim_t;

struct rlimit {
	rlim_t rlim_cur;        /* soft limit */
	rlim_t rlim_max;        /* hard limit */
};

#define RLIM_INFINITY   (~(rlim_t)0)

#define RLIMIT_CPU        0
#define RLIMIT_FSIZE      1
#define RLIMIT_DATA       2
#define RLIMIT_STACK      3
#define RLIMIT_CORE       4
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6
#define RLIMIT_NOFILE     7
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9
#define RLIMIT_LOCKS     10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE  12
#define RLIMIT_NICE      13
#define RLIMIT_RTPRIO    14
#define RLIMIT_RTTIME    15
#define RLIM_NLIMITS     16

#endif /* UAPI_RESOURCE_H */
