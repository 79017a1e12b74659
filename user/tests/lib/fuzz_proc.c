/*
 * fuzz_proc.c - one fuzzing process: which call next, running it,
 * counting it, and loops.
 *
 * The main loop is short: draw a kind and a call seed from the process's
 * generator, run the call, count its answer in the shared page, remember
 * it.  What makes the calls fit together is in how the next kind is
 * drawn and in loops:
 *
 *   - Kinds have weights (the table below), and each kind has four
 *     likely successors: after socketpair a sendmsg is likelier, after
 *     shm_open an ftruncate or mmap, after fork a kill or setuid.  Three
 *     draws in ten follow the previous call that way.  The draw depends
 *     only on the generator and the previous kind, never on results, so
 *     the kinds a process calls are fixed by its seed.
 *
 *   - A loop (FZ_LOOP) replays the last one to six calls, with their own
 *     seeds, from 2 to 400 times.  A replayed call picks "the newest
 *     socket" again, which is now the one the previous iteration made:
 *     [socketpair; sendmsg(newest, rights = the pair before)] run 300
 *     times is a chain of 300 sockets, each queued on the next, and
 *     closing the last one frees them all, one inside the other.  One
 *     call at a time, a fuzzer would never get there.  Half the loops
 *     start their body at the last call that made something (a socket,
 *     a pipe, a mapping), so that each iteration makes a new one and
 *     does to it what the previous iteration did to the one before.
 *
 * The round's root process (depth 0) sets the scene first: fds 0-2 on
 * /dev/null (so nothing the calls write reaches the console, where the
 * test protocol lives), the console kept at FZ_LOG_FD for -v output,
 * umask 022 (fuzz_names.c computes modes with it), SIGPIPE ignored (a
 * write to a pipe nobody reads should be an error, not the end), and the
 * signals the test runner ignores back to their defaults.
 */
#include "fuzz_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "uapi/syscall.h"

struct fz_proc fz;

/* Kinds, their weights (relative) and the four kinds likeliest after them. */
static const struct {
	const char *name;
	fz_call_fn fn;
	unsigned weight;
	int next[4];
} kinds[FZ_NKINDS] = {
	[FZ_PIPE]       = { "pipe", fz_call_pipe, 30,
			    { FZ_WRITE, FZ_READ, FZ_SENDMSG, FZ_POLL } },
	[FZ_OPEN]       = { "open", fz_call_open, 20,
			    { FZ_READ, FZ_SENDMSG, FZ_LSEEK, FZ_MMAP } },
	[FZ_SHM_OPEN]   = { "shm_open", fz_call_shm_open, 50,
			    { FZ_FTRUNCATE, FZ_MMAP, FZ_SENDMSG, FZ_SHM_RENAME } },
	[FZ_DUP]        = { "dup", fz_call_dup, 30,
			    { FZ_CLOSE, FZ_SENDMSG, FZ_DUP, FZ_FCNTL } },
	[FZ_CLOSE]      = { "close", fz_call_close, 60,
			    { FZ_SOCKETPAIR, FZ_CLOSE, FZ_RECVMSG, FZ_SOCKET } },
	[FZ_READ]       = { "read", fz_call_read, 25,
			    { FZ_WRITE, FZ_CLOSE, FZ_READ, FZ_POLL } },
	[FZ_WRITE]      = { "write", fz_call_write, 25,
			    { FZ_READ, FZ_CLOSE, FZ_SENDMSG, FZ_POLL } },
	[FZ_POLL]       = { "poll", fz_call_poll, 15,
			    { FZ_READ, FZ_RECVMSG, FZ_ACCEPT, FZ_WRITE } },
	[FZ_FSTAT]      = { "fstat", fz_call_fstat, 10,
			    { FZ_MMAP, FZ_FTRUNCATE, FZ_CLOSE, FZ_READ } },
	[FZ_FCNTL]      = { "fcntl", fz_call_fcntl, 15,
			    { FZ_READ, FZ_ACCEPT, FZ_RECVMSG, FZ_DUP } },
	[FZ_LSEEK]      = { "lseek", fz_call_lseek, 5,
			    { FZ_READ, FZ_READ, FZ_CLOSE, FZ_LSEEK } },
	[FZ_FTRUNCATE]  = { "ftruncate", fz_call_ftruncate, 40,
			    { FZ_MMAP, FZ_TOUCH, FZ_FTRUNCATE, FZ_SENDMSG } },
	[FZ_FCHMOD]     = { "fchmod", fz_call_fchmod, 8,
			    { FZ_SETUID, FZ_SHM_OPEN, FZ_SHM_UNLINK, FZ_FSTAT } },
	[FZ_SHM_UNLINK] = { "shm_unlink", fz_call_shm_unlink, 20,
			    { FZ_SHM_OPEN, FZ_MMAP, FZ_CLOSE, FZ_SHM_OPEN } },
	[FZ_SHM_RENAME] = { "shm_rename", fz_call_shm_rename, 20,
			    { FZ_SHM_OPEN, FZ_SHM_UNLINK, FZ_SHM_RENAME, FZ_FSTAT } },
	[FZ_MMAP]       = { "mmap", fz_call_mmap, 40,
			    { FZ_TOUCH, FZ_MUNMAP, FZ_FORK, FZ_TOUCH } },
	[FZ_MUNMAP]     = { "munmap", fz_call_munmap, 25,
			    { FZ_MMAP, FZ_TOUCH, FZ_CLOSE, FZ_MUNMAP } },
	[FZ_MPROTECT]   = { "mprotect", fz_call_mprotect, 10,
			    { FZ_TOUCH, FZ_FORK, FZ_MUNMAP, FZ_MPROTECT } },
	[FZ_TOUCH]      = { "touch", fz_call_touch, 40,
			    { FZ_FTRUNCATE, FZ_MUNMAP, FZ_FORK, FZ_TOUCH } },
	[FZ_SOCKET]     = { "socket", fz_call_socket, 30,
			    { FZ_BIND, FZ_CONNECT, FZ_BIND, FZ_SENDMSG } },
	[FZ_SOCKETPAIR] = { "socketpair", fz_call_socketpair, 60,
			    { FZ_SENDMSG, FZ_SENDMSG, FZ_RECVMSG, FZ_CLOSE } },
	[FZ_BIND]       = { "bind", fz_call_bind, 40,
			    { FZ_LISTEN, FZ_CONNECT, FZ_UNLINK, FZ_LISTEN } },
	[FZ_LISTEN]     = { "listen", fz_call_listen, 30,
			    { FZ_CONNECT, FZ_ACCEPT, FZ_FORK, FZ_SOCKET } },
	[FZ_CONNECT]    = { "connect", fz_call_connect, 40,
			    { FZ_ACCEPT, FZ_SENDMSG, FZ_SENDMSG, FZ_CLOSE } },
	[FZ_ACCEPT]     = { "accept", fz_call_accept, 30,
			    { FZ_SENDMSG, FZ_RECVMSG, FZ_CLOSE, FZ_ACCEPT } },
	[FZ_SENDMSG]    = { "sendmsg", fz_call_sendmsg, 90,
			    { FZ_CLOSE, FZ_RECVMSG, FZ_SENDMSG, FZ_SOCKETPAIR } },
	[FZ_RECVMSG]    = { "recvmsg", fz_call_recvmsg, 60,
			    { FZ_CLOSE, FZ_SENDMSG, FZ_MMAP, FZ_RECVMSG } },
	[FZ_SHUTDOWN]   = { "shutdown", fz_call_shutdown, 10,
			    { FZ_SENDMSG, FZ_RECVMSG, FZ_CLOSE, FZ_POLL } },
	[FZ_SOCKOPT]    = { "sockopt", fz_call_sockopt, 10,
			    { FZ_SENDMSG, FZ_RECVMSG, FZ_SOCKOPT, FZ_POLL } },
	[FZ_UNLINK]     = { "unlink", fz_call_unlink, 20,
			    { FZ_BIND, FZ_CONNECT, FZ_BIND, FZ_SETUID } },
	[FZ_FORK]       = { "fork", fz_call_fork, 20,
			    { FZ_KILL, FZ_SETUID, FZ_WAIT, FZ_CLOSE } },
	[FZ_KILL]       = { "kill", fz_call_kill, 15,
			    { FZ_WAIT, FZ_FORK, FZ_KILL, FZ_CLOSE } },
	[FZ_WAIT]       = { "wait", fz_call_wait, 15,
			    { FZ_FORK, FZ_KILL, FZ_CLOSE, FZ_RECVMSG } },
	[FZ_SETUID]     = { "setuid", fz_call_setuid, 8,
			    { FZ_UNLINK, FZ_SHM_UNLINK, FZ_KILL, FZ_BIND } },
	[FZ_EXIT]       = { "exit", fz_call_exit, 2,
			    { FZ_CLOSE, FZ_CLOSE, FZ_CLOSE, FZ_CLOSE } },
	[FZ_EXEC]       = { "exec", fz_call_exec, 2,
			    { FZ_CLOSE, FZ_CLOSE, FZ_CLOSE, FZ_CLOSE } },
	[FZ_PGRP]       = { "pgrp", fz_call_pgrp, 15,
			    { FZ_KILL, FZ_WAIT, FZ_PGRP, FZ_FORK } },
	[FZ_YIELD]      = { "yield", fz_call_yield, 10,
			    { FZ_RECVMSG, FZ_ACCEPT, FZ_WAIT, FZ_READ } },
	[FZ_SIGNAL]     = { "signal", fz_call_signal, 15,
			    { FZ_SIGNAL, FZ_READ, FZ_WAIT, FZ_YIELD } },
	[FZ_LOOP]       = { "loop", fz_call_loop, 12,
			    { FZ_CLOSE, FZ_CLOSE, FZ_FORK, FZ_LOOP } },
};

const char *fz_kind_name(int kind)
{
	return kind >= 0 && kind < FZ_NKINDS ? kinds[kind].name : "?";
}

/* ------------------------------------------------------------ output */

/* One line to the console kept at FZ_LOG_FD, in one write. */
void fz_proc_log(const char *fmt, ...)
{
	char line[400];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	fz_sys3(SYS_write, FZ_LOG_FD, line, n);
}

void fz_note(struct fz_call *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (fz.verbose < 2 || c->note_len >= sizeof(c->note) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(c->note + c->note_len, sizeof(c->note) - c->note_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->note_len += (size_t)n;
	if (c->note_len >= sizeof(c->note))
		c->note_len = sizeof(c->note) - 1;
}

void fz_report(const char *fmt, ...)
{
	struct fz_shared *sh = fz.sh;
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fz.verbose)
		fz_proc_log("fuzz: p%d call %u: BROKEN RULE: %s", fz.id, fz.calls, msg);
	if (!__sync_bool_compare_and_swap(&sh->failed, 0, 1))
		return;
	snprintf(sh->failure, sizeof(sh->failure), "p%d (pid %ld, uid %d) call %u: %s",
		 fz.id, fz_sys0(SYS_getpid), fz.uid, fz.calls, msg);
}

/* ---------------------------------------------------------- running */

void fz_proc_count(int kind, long r)
{
	struct fz_shared *sh = fz.sh;

	if (r == FZ_COUNTED)
		return;
	if (r == FZ_SKIP)
		__atomic_add_fetch(&sh->skip[kind], 1, __ATOMIC_RELAXED);
	else if (r < 0 && r > -4096)
		__atomic_add_fetch(&sh->err[kind], 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&sh->ok[kind], 1, __ATOMIC_RELAXED);
	if (r == -EBADF)
		__atomic_add_fetch(&sh->ebadf[kind], 1, __ATOMIC_RELAXED);
}

/* Run one call (kind, seed) now: the unit both the main loop and loops use. */
long fz_proc_run(int kind, uint64_t seed)
{
	struct fz_call c;
	unsigned index = ++fz.calls;
	long r;

	c.kind = kind;
	c.seed = seed;
	c.r.s = seed;
	c.note[0] = '\0';
	c.note_len = 0;
	if (kind != FZ_LOOP)
		__atomic_add_fetch(&fz.sh->calls, 1, __ATOMIC_RELAXED);
	else
		fz.calls--;                     /* a loop is counted by what it runs */
	if (fz.verbose >= 3)                    /* before: in case it never returns */
		fz_proc_log("p%d #%u %s ...", fz.id, index, kinds[kind].name);
	r = kinds[kind].fn(&c);
	if (kind == FZ_FORK && r == 0)
		return 0;                       /* the child: the parent counts the fork */
	fz_proc_count(kind, r);
	if (fz.verbose >= 2 && r == FZ_SKIP)
		fz_proc_log("p%d #%u %s%s%s: skipped", fz.id, index, fz.in_loop ? "  " : "",
			    kinds[kind].name, c.note);
	else if (fz.verbose >= 2 && kind != FZ_LOOP)
		fz_proc_log("p%d #%u %s%s%s -> %ld", fz.id, index, fz.in_loop ? "  " : "",
			    kinds[kind].name, c.note, r);
	return r;
}

/* Calls a loop may replay: those that make and use things, not those
 * that end or multiply the process. */
static bool replayable(int kind)
{
	return kind != FZ_LOOP && kind != FZ_FORK && kind != FZ_EXIT &&
	       kind != FZ_EXEC && kind != FZ_SETUID;
}

/* What the root's first calls make, so that later calls have arguments. */
static const int creators[] = {
	FZ_SOCKETPAIR, FZ_SOCKETPAIR, FZ_SOCKET, FZ_PIPE, FZ_SHM_OPEN, FZ_SHM_OPEN, FZ_MMAP,
};
#define BOOT_CALLS 6

static int choose_kind(void)
{
	static unsigned total;
	uint64_t x = fz_next(&fz.rng);
	unsigned w;

	if (total == 0)
		for (int k = 0; k < FZ_NKINDS; k++)
			total += kinds[k].weight;
	if (fz.depth == 0 && fz.calls < BOOT_CALLS)
		return creators[x % (sizeof(creators) / sizeof(creators[0]))];
	if (fz.prev_kind >= 0 && x % 100 < 35)
		return kinds[fz.prev_kind].next[(x >> 8) % 4];
	w = (unsigned)((x >> 16) % total);
	for (int k = 0; k < FZ_NKINDS; k++) {
		if (w < kinds[k].weight)
			return k;
		w -= kinds[k].weight;
	}
	return FZ_YIELD;
}

static void step(void)
{
	int kind = choose_kind();
	uint64_t seed = fz_next(&fz.rng);

	fz.prev_kind = kind;
	if (replayable(kind)) {
		fz.hist[fz.nhist % FZ_HIST] = (struct fz_recipe){ kind, seed };
		fz.nhist++;
	}
	fz_proc_run(kind, seed);
}

static bool makes_something(int kind)
{
	return kind == FZ_SOCKETPAIR || kind == FZ_SOCKET || kind == FZ_PIPE ||
	       kind == FZ_SHM_OPEN || kind == FZ_MMAP || kind == FZ_OPEN ||
	       kind == FZ_DUP || kind == FZ_ACCEPT;
}

/* How many of the last calls a loop replays. */
static unsigned loop_length(struct fz_call *c)
{
	static const unsigned lens[] = { 1, 2, 2, 2, 3, 3, 4, 6 };
	unsigned len = FZ_PICK(&c->r, lens), avail = fz.nhist < FZ_HIST ? fz.nhist : FZ_HIST;

	if (fz_percent(&c->r, 50))              /* from the last call that made something */
		for (unsigned back = 1; back <= avail; back++)
			if (makes_something(fz.hist[(fz.nhist - back) % FZ_HIST].kind))
				return back;
	return len < avail ? len : avail;
}

/*
 * A loop: replay the last L recorded calls C times.  L is mostly 1 to 3.
 * C is mostly small; a body that makes something may run long enough to
 * build a chain of hundreds.  A loop runs to its end even past the
 * process's budget (it is one decision of the generator), but never makes
 * more than FZ_LOOP_MAX calls.
 */
long fz_call_loop(struct fz_call *c)
{
	unsigned len, times, roll = fz_below(&c->r, 100), done = 0, made = 0;

	if (fz.in_loop || fz.nhist == 0)
		return FZ_SKIP;
	len = loop_length(c);
	if (makes_something(fz.hist[(fz.nhist - len) % FZ_HIST].kind))
		times = roll < 40 ? 2 + fz_below(&c->r, 7) :
			roll < 70 ? 8 + fz_below(&c->r, 57) : 64 + fz_below(&c->r, 337);
	else
		times = roll < 65 ? 2 + fz_below(&c->r, 7) : 8 + fz_below(&c->r, 25);
	struct fz_recipe body[FZ_HIST];
	for (unsigned i = 0; i < len; i++)
		body[i] = fz.hist[(fz.nhist - len + i) % FZ_HIST];
	fz_note(c, " %u calls x %u", len, times);
	if (fz.verbose >= 2)
		fz_proc_log("p%d loop of %u calls x %u", fz.id, len, times);
	fz.in_loop = true;
	for (; done < times && made + len <= FZ_LOOP_MAX; done++, made += len)
		for (unsigned i = 0; i < len; i++)
			fz_proc_run(body[i].kind, body[i].seed);
	fz.in_loop = false;
	__atomic_add_fetch(&fz.sh->loop_calls, made, __ATOMIC_RELAXED);
	return done;
}

/* ------------------------------------------------------- the process */

/* The root's scene: quiet descriptors, a log descriptor, known signals. */
static void setup_root(void)
{
	static const int defaults[] = { SIGHUP, SIGTERM, SIGUSR1, SIGUSR2 };
	long null;

	fz_sys1(SYS_umask, 022);
	fz_sys2(SYS_dup2, 1, FZ_LOG_FD);
	null = fz_sys2(SYS_open, "/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		fz_sys2(SYS_dup2, null, fd);
	if (null > 2)
		fz_sys1(SYS_close, null);
	memset(fz.fds, 0, sizeof(fz.fds));
	for (int fd = 0; fd < 3; fd++)
		fz_fd_add(fd, FZ_FD_NULL);
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		signal(defaults[i], SIG_DFL);
}

void fz_proc_child(int fork_no)
{
	fz.seed = fz_mix(fz.seed ^ ((uint64_t)fork_no + 1) * 0xd1b54a32d192ed03ull);
	fz.rng.s = fz_mix(fz.seed);
	fz.id = fz.id * 8 + fork_no + 1;
	fz.depth++;
	fz.forks = 0;
	fz.calls = 0;
	fz.nhist = 0;
	fz.prev_kind = -1;
	fz.in_loop = false;
	for (int i = 0; i < FZ_PIDS; i++)
		fz.pids[i].mine = false;
	__atomic_add_fetch(&fz.sh->procs, 1, __ATOMIC_RELAXED);
	if (fz.verbose >= 2)
		fz_proc_log("p%d: pid %ld, depth %d, uid %d", fz.id, fz_sys0(SYS_getpid),
			    fz.depth, fz.uid);
}

void fz_proc_main(struct fz_shared *sh, uint64_t seed, int id, int depth)
{
	memset(&fz, 0, sizeof(fz));
	fz.sh = sh;
	fz.seed = seed;
	fz.rng.s = fz_mix(seed);
	fz.id = id;
	fz.depth = depth;
	fz.budget = sh->budget;
	fz.verbose = sh->verbose;
	fz.prev_kind = -1;
	fz.uid = (int)fz_sys0(SYS_geteuid);
	setup_root();
	__atomic_add_fetch(&sh->procs, 1, __ATOMIC_RELAXED);
	if (fz.verbose >= 2)
		fz_proc_log("p%d: pid %ld, seed %llu", fz.id, fz_sys0(SYS_getpid),
			    (unsigned long long)seed);
	while (fz.calls < fz.budget)
		step();
	if (fz.verbose >= 2)
		fz_proc_log("p%d: done after %u calls", fz.id, fz.calls);
	fz_sys1(SYS_exit, 0);
	for (;;)
		;
}
