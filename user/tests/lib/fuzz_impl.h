/*
 * fuzz_impl.h - the inside of the stateful fuzzer (see fuzz.h).
 *
 * The pieces, one file each:
 *
 *   fuzz_round.c      the supervisor: rounds, the shared page, the root-
 *                     owned canary, killing every process of a round,
 *                     cleaning up names, the counter check, progress.
 *   fuzz_proc.c       a fuzzing process: choose a call, run it, count it,
 *                     remember it (for loops); the table of call kinds.
 *   fuzz_table.c      what a process holds: its descriptors, mappings and
 *                     child pids, and how arguments are picked from them.
 *   fuzz_names.c      the round's names (shm and socket paths) and the
 *                     ownership record that tells when a process that gave
 *                     up root removed something it had no right to.
 *   fuzz_calls_fd.c   descriptors, files, pipes, shm and memory.
 *   fuzz_calls_sock.c UNIX sockets and SCM_RIGHTS.
 *   fuzz_calls_proc.c fork, kill, wait, setuid, exit, exec.
 *
 * Determinism.  Each process draws, for every call, a kind and a 64-bit
 * call seed from its own generator, and nothing else: whatever the calls
 * answer, call number i of a process always has the same kind and seed.
 * The call turns its seed into arguments against the process's tables,
 * so a process repeats exactly when the kernel answers the same (it does,
 * unless processes race); a child's generator is seeded from its parent's
 * seed and its fork number, not from timing.  A loop replays recorded
 * (kind, seed) pairs, so "the newest socket" means the newest one of each
 * iteration: that is how a loop builds chains.
 */
#ifndef FUZZ_IMPL_H
#define FUZZ_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ------------------------------------------------------------ limits */

#define FZ_FDS          256     /* the kernel's OPEN_MAX: the table is by fd */
#define FZ_LOG_FD       255     /* the console, kept for -v; never an argument */
#define FZ_MAPS         24
#define FZ_MAP_BUDGET   (4u << 20)      /* bytes one process may have mapped */
#define FZ_TOUCH_PAGES  8               /* pages one touch writes at most */
#define FZ_PIDS         16
#define FZ_HIST         6               /* calls a loop can replay */
#define FZ_LOOP_MAX     1000            /* calls one loop makes at most */
#define FZ_NAMES        8               /* shm names and socket names per round */
#define FZ_SOCK_NAMES   (FZ_NAMES + 1)  /* plus one that fills sun_path exactly */
#define FZ_MAX_DEPTH    2               /* the round's root is depth 0 */
#define FZ_HOSTILE_UID  1000
#define FZ_SKIP         (-100000L)      /* a call that found nothing to do */
#define FZ_COUNTED      (-100001L)      /* a call that counted itself already */

/* ---------------------------------------------------- random numbers */

/* splitmix64: one 64-bit state, good enough and trivially seeded. */
struct fz_rng {
	uint64_t s;
};

static inline uint64_t fz_next(struct fz_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * A seed made into a generator state.  splitmix64 steps its state by a
 * constant, so two raw seeds that differ by a multiple of it would give
 * the same sequence shifted; mixing the seed first avoids that.
 */
static inline uint64_t fz_mix(uint64_t z)
{
	z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdull;
	z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ull;
	return z ^ (z >> 33);
}

/* 0 <= answer < n (0 when n == 0). */
static inline unsigned fz_below(struct fz_rng *r, unsigned n)
{
	return n ? (unsigned)(fz_next(r) % n) : 0;
}

static inline bool fz_percent(struct fz_rng *r, unsigned pct)
{
	return fz_below(r, 100) < pct;
}

#define FZ_PICK(r, array) ((array)[fz_below((r), sizeof(array) / sizeof((array)[0]))])

/* ----------------------------------------------------- system calls */

/* The raw call: the kernel's answer, a value or -errno, no C library. */
static inline long fz_sys(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define fz_sys0(n)                   fz_sys((n), 0, 0, 0, 0, 0, 0)
#define fz_sys1(n, a)                fz_sys((n), (long)(a), 0, 0, 0, 0, 0)
#define fz_sys2(n, a, b)             fz_sys((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define fz_sys3(n, a, b, c)          fz_sys((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define fz_sys4(n, a, b, c, d)       fz_sys((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define fz_sys6(n, a, b, c, d, e, f) fz_sys((n), (long)(a), (long)(b), (long)(c), (long)(d), \
					(long)(e), (long)(f))

/* ---------------------------------------------------- the call kinds */

enum fz_kind {
	/* descriptors, files, shm, memory (fuzz_calls_fd.c) */
	FZ_PIPE, FZ_OPEN, FZ_SHM_OPEN, FZ_DUP, FZ_CLOSE, FZ_READ, FZ_WRITE, FZ_POLL,
	FZ_FSTAT, FZ_FCNTL, FZ_LSEEK, FZ_FTRUNCATE, FZ_FCHMOD, FZ_SHM_UNLINK,
	FZ_SHM_RENAME, FZ_MMAP, FZ_MUNMAP, FZ_MPROTECT, FZ_TOUCH,
	/* sockets (fuzz_calls_sock.c) */
	FZ_SOCKET, FZ_SOCKETPAIR, FZ_BIND, FZ_LISTEN, FZ_CONNECT, FZ_ACCEPT,
	FZ_SENDMSG, FZ_RECVMSG, FZ_SHUTDOWN, FZ_SOCKOPT, FZ_UNLINK,
	/* processes (fuzz_calls_proc.c) */
	FZ_FORK, FZ_KILL, FZ_WAIT, FZ_SETUID, FZ_EXIT, FZ_EXEC, FZ_YIELD, FZ_PGRP,
	FZ_SIGNAL,
	/* replay the last few calls many times (fuzz_proc.c) */
	FZ_LOOP,
	FZ_NKINDS
};

/* One call being made: its kind, its seed and the generator made from it. */
struct fz_call {
	int kind;
	uint64_t seed;
	struct fz_rng r;
	char note[200];         /* what it did, kept only at -v -v */
	size_t note_len;
};

typedef long (*fz_call_fn)(struct fz_call *c);

/* The call functions; each answers the kernel's result (or FZ_SKIP). */
long fz_call_pipe(struct fz_call *c);
long fz_call_open(struct fz_call *c);
long fz_call_shm_open(struct fz_call *c);
long fz_call_dup(struct fz_call *c);
long fz_call_close(struct fz_call *c);
long fz_call_read(struct fz_call *c);
long fz_call_write(struct fz_call *c);
long fz_call_poll(struct fz_call *c);
long fz_call_fstat(struct fz_call *c);
long fz_call_fcntl(struct fz_call *c);
long fz_call_lseek(struct fz_call *c);
long fz_call_ftruncate(struct fz_call *c);
long fz_call_fchmod(struct fz_call *c);
long fz_call_shm_unlink(struct fz_call *c);
long fz_call_shm_rename(struct fz_call *c);
long fz_call_mmap(struct fz_call *c);
long fz_call_munmap(struct fz_call *c);
long fz_call_mprotect(struct fz_call *c);
long fz_call_touch(struct fz_call *c);
long fz_call_socket(struct fz_call *c);
long fz_call_socketpair(struct fz_call *c);
long fz_call_bind(struct fz_call *c);
long fz_call_listen(struct fz_call *c);
long fz_call_connect(struct fz_call *c);
long fz_call_accept(struct fz_call *c);
long fz_call_sendmsg(struct fz_call *c);
long fz_call_recvmsg(struct fz_call *c);
long fz_call_shutdown(struct fz_call *c);
long fz_call_sockopt(struct fz_call *c);
long fz_call_unlink(struct fz_call *c);
long fz_call_fork(struct fz_call *c);
long fz_call_kill(struct fz_call *c);
long fz_call_wait(struct fz_call *c);
long fz_call_pgrp(struct fz_call *c);
long fz_call_setuid(struct fz_call *c);
long fz_call_exit(struct fz_call *c);
long fz_call_exec(struct fz_call *c);
long fz_call_yield(struct fz_call *c);
long fz_call_signal(struct fz_call *c);
long fz_call_loop(struct fz_call *c);

/* "fmt" appended to the call's note, at -v -v only. */
void fz_note(struct fz_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The name of a call kind ("sendmsg"). */
const char *fz_kind_name(int kind);

/* ----------------------------------------------- the shared page */

/*
 * One name's record in the shared page (fuzz_names.c).  Every process of
 * the round updates it around its own operations on that name; the
 * counters let a process tell whether anyone else touched the name while
 * its own call ran.
 */
struct fz_name_rec {
	int busy;               /* operations on the name in progress */
	uint64_t state;         /* changes by compare-and-swap only: a count of
				   changes (32 bits), owner + 2 (16: the uid that
				   made it, or FZ_OWNER_NONE / _UNKNOWN) and, for
				   shm, the permission bits (16) */
};

#define FZ_OWNER_NONE    (-1)   /* no such name (as far as the record knows) */
#define FZ_OWNER_UNKNOWN (-2)   /* exists or not, owner unknown: no verdicts */

#define FZ_KILL_LOG 8

/*
 * Shared by the supervisor and every process of a round (MAP_SHARED, made
 * before the first round).  The supervisor clears it between rounds.
 */
struct fz_shared {
	uint64_t seed;                          /* this round's */
	uint64_t calls;                         /* calls made by every process */
	uint64_t loop_calls;                    /* of which inside loops */
	uint64_t ok[FZ_NKINDS];                 /* per kind: the kernel said yes */
	uint64_t err[FZ_NKINDS];                /*           -errno */
	uint64_t ebadf[FZ_NKINDS];              /*           of which EBADF */
	uint64_t skip[FZ_NKINDS];               /*           nothing to do */
	int procs;                              /* fuzzing processes started */
	int canary_pid;
	unsigned budget;                        /* calls per process */
	int verbose;
	struct fz_name_rec shm_names[FZ_NAMES];
	struct fz_name_rec sock_names[FZ_SOCK_NAMES];
	unsigned kill_log_n;                    /* hostile kill(-1)s and kills of the canary */
	struct {
		int id, pid, call, target, sig;
		long result;
	} kill_log[FZ_KILL_LOG];
	int failed;                             /* 0 until a process claims failure[] */
	char failure[512];
};

/* Record a broken rule; the first one per round wins. */
void fz_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --------------------------------------------------- a process's tables */

enum fz_fd_type {
	FZ_FD_NONE,             /* no descriptor here (as far as we know) */
	FZ_FD_PIPE_R, FZ_FD_PIPE_W,
	FZ_FD_SOCK,
	FZ_FD_SHM,
	FZ_FD_FILE,             /* boot fs file or directory */
	FZ_FD_NULL,             /* /dev/null */
	FZ_FD_OTHER,
};

/* Socket state bits, as far as this process knows. */
#define FZ_SO_BOUND     0x01
#define FZ_SO_LISTEN    0x02
#define FZ_SO_CONN      0x04
#define FZ_SO_NONBLOCK  0x08
#define FZ_SO_SENT      0x10    /* passed with SCM_RIGHTS at least once */

struct fz_fd {
	uint8_t type;           /* enum fz_fd_type */
	uint8_t sotype;         /* SOCK_STREAM / SOCK_DGRAM / SOCK_SEQPACKET */
	uint8_t state;          /* FZ_SO_* (FZ_SO_NONBLOCK for any type) */
	int8_t name;            /* socket: the name bound, -1 if none */
	uint32_t seq;           /* creation order: the newest has the largest */
	uint32_t obj;           /* shm: which object (dup'ed fds share it) */
	int64_t size;           /* shm: its size as far as we know */
};

struct fz_map {
	uintptr_t addr;         /* 0: a free slot */
	size_t len;
	int prot;               /* -1 when part of it was changed */
	bool shared;
	size_t safe;            /* bytes from addr a touch should not fault on */
	uint32_t seq;
};

struct fz_pid {
	int pid;                /* 0: a free slot */
	bool mine;              /* my child (an inherited entry is a sibling's) */
	bool reaped;
	uint32_t seq;
};

/* A call as a loop replays it. */
struct fz_recipe {
	int kind;
	uint64_t seed;
};

struct fz_proc {
	struct fz_shared *sh;
	struct fz_rng rng;      /* kinds and call seeds, nothing else */
	uint64_t seed;
	int id;                 /* p0 the root; child n of p is 8p + n + 1 */
	int depth;
	int forks;
	bool hostile;           /* gave up root (one way) */
	int uid;
	unsigned calls;         /* made so far (loops count every iteration) */
	unsigned budget;
	uint32_t seq;
	int prev_kind;
	bool in_loop;
	int verbose;
	size_t mapped;          /* bytes of mappings in maps[] */
	uint32_t next_obj;
	struct fz_fd fds[FZ_FDS];
	struct fz_map maps[FZ_MAPS];
	struct fz_pid pids[FZ_PIDS];
	int closed[8];          /* recently closed descriptors, for stale arguments */
	unsigned nclosed;
	struct fz_recipe hist[FZ_HIST];
	unsigned nhist;
	/* Names this process believes exist because of its own calls: the
	 * likeliest to mean something to the next call (a bit per name). */
	unsigned shm_made;
	unsigned sock_bound;
	unsigned sock_listening;
};

extern struct fz_proc fz;                       /* this process (fuzz_proc.c) */

/* Scratch memory calls may use freely (fuzz_table.c). */
extern unsigned char fz_buf[65536 + 8192];

/* fuzz_proc.c */
void fz_proc_main(struct fz_shared *sh, uint64_t seed, int id, int depth)
	__attribute__((noreturn));
void fz_proc_child(int fork_no);                /* in a child just forked */
void fz_proc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
long fz_proc_run(int kind, uint64_t seed);
void fz_proc_count(int kind, long r);

/* fuzz_table.c: descriptors */
bool fz_is_any(const struct fz_fd *f);
bool fz_is_sock(const struct fz_fd *f);
bool fz_is_listener(const struct fz_fd *f);
bool fz_is_shm(const struct fz_fd *f);
bool fz_is_sized_shm(const struct fz_fd *f);
bool fz_is_readable(const struct fz_fd *f);
bool fz_is_writable(const struct fz_fd *f);
int fz_fd_pick(struct fz_call *c, bool (*want)(const struct fz_fd *));
int fz_fd_pick_live(struct fz_call *c, bool (*want)(const struct fz_fd *));
int fz_fd_pick_newest(struct fz_call *c, bool (*want)(const struct fz_fd *));
struct fz_fd *fz_fd_add(int fd, int type);
void fz_fd_forget(int fd);
void fz_fd_closed(int fd);
void fz_fd_copy(int to, int from);
void fz_fd_identify(int fd);
struct fz_fd *fz_fd_get(int fd);
void fz_fd_set_size(uint32_t obj, int64_t size);
int fz_fd_count(void);
/* fuzz_table.c: mappings and pids */
struct fz_map *fz_map_pick(struct fz_call *c);
struct fz_map *fz_map_pick_touchable(struct fz_call *c);
struct fz_map *fz_map_add(uintptr_t addr, size_t len, int prot, bool shared, size_t safe);
void fz_map_remove_range(uintptr_t addr, size_t len);
struct fz_pid *fz_pid_pick(struct fz_call *c);
void fz_pid_add(int pid);
struct fz_pid *fz_pid_find(int pid);

/* fuzz_names.c */
struct fz_name_rec;
int fz_names_pick(struct fz_call *c);
int fz_names_pick_known(struct fz_call *c, unsigned mask, unsigned pct);
unsigned fz_names_sock_existing(void);
const char *fz_shm_name(int n, char *buf, size_t size);
const char *fz_sock_name(int n, char *buf, size_t size);
void fz_names_cleanup(uint64_t seed, char *why, size_t size);
void fz_names_reset(struct fz_shared *sh);
long fz_names_bind(int fd, int n, const void *addr, unsigned addrlen);
long fz_names_unlink(int n, const char *path);
long fz_names_shm_open(int n, const char *path, int flags, int mode);
long fz_names_shm_unlink(int n, const char *path);
long fz_names_shm_rename(int from, int to, const char *pfrom, const char *pto, int flags);
long fz_names_fchmod(int fd, int mode, bool chown, int uid, int gid);

#endif /* FUZZ_IMPL_H */
