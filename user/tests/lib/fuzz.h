/*
 * fuzz.h - the stateful system call fuzzer (used by fuzz_test).
 *
 * fuzz_test's first mode calls one random system call at a time with
 * random arguments.  That finds a kernel that trusts a pointer or a
 * length, but never a bug that needs a *state*: a socket that exists,
 * is bound, has a descriptor queued on it, belongs to a process that
 * forked and then gave up root.  This is the second mode, in the spirit
 * of syzkaller: the calls keep what they create -- descriptors of every
 * type, mappings, child processes, names -- in tables, and later calls
 * take their arguments from those tables (mostly live resources, some
 * closed or garbage ones).  See fuzz_impl.h for how the pieces fit.
 *
 * A run is a series of rounds.  A round is decided by one 64-bit seed:
 * a supervisor (the caller of fuzz_run, as root) forks a fuzzing process
 * that makes `calls` calls, forking up to eight more that carry on with
 * the tables they inherit.  When they are done (or all blocked, or out of
 * time) the supervisor kills every process of the round, removes every
 * name the round may have made, and checks that the kernel's counters are
 * back where they were.  Round r of a run started at seed S has seed
 * S + r, so `fuzz_test -seed S+r` replays it alone.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fuzz_options {
	uint64_t seed;          /* the first round's seed */
	unsigned rounds;        /* how many rounds (seeds seed, seed+1, ...) */
	unsigned calls;         /* calls each fuzzing process makes */
	int verbose;            /* 1: statistics per round; 2: also every call */
	bool keep_going;        /* after a failing round, go on with the next */
	bool progress;          /* a progress line every few seconds */
};

#define FUZZ_DEFAULT_CALLS 250

/*
 * Run o->rounds rounds.  Answers 0 when every round passed; otherwise 1,
 * with the first failure (its seed, round and what went wrong) in why.
 * Prints the seed of the run, each round's seed while it runs, and, in
 * verbose mode, what the calls did.  Must run as root (uid 0): it kills
 * and cleans up after processes that became other users.
 */
int fuzz_run(const struct fuzz_options *o, char *why, size_t size);

/*
 * Ignore the signals a fuzzing process may send with kill(-1, sig) once
 * it has given up root (SIGHUP, SIGTERM, SIGUSR1, SIGUSR2).  On a correct
 * kernel they never reach a root process; on a kernel that lets them
 * through, the processes that must survive to report it (the test
 * runner, the supervisor) do.  Call it in main() before anything forks.
 */
void fuzz_ignore_killall_signals(void);

#endif /* FUZZ_H */
