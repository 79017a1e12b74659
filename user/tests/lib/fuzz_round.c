/*
 * fuzz_round.c - the supervisor: running a round, ending it, judging it.
 *
 * A round, as the supervisor (root) sees it:
 *
 *   1. Read the kernel counters (the baseline).
 *   2. Fork the canary: a root process that sleeps and does not ignore
 *      the signals a hostile process may broadcast with kill(-1).  No
 *      fuzzing process may be able to hurt it.
 *   3. Fork the round's root fuzzing process; it forks the others.
 *   4. Wait until every process of the round has exited, or until no
 *      process has made a call for STALL_NS (they are all blocked: an
 *      accept nobody will answer, a read of an empty pipe), or until
 *      ROUND_LIMIT_NS.
 *   5. If the canary is dead, a process that gave up root signalled root.
 *   6. Kill every process of the round, and wait until each is gone.
 *   7. Remove every name the round could have made (fuzz_names.c).
 *   8. The counters must be back at the baseline.
 *
 * Which processes are "of the round".  Fuzzing processes fork, exit and
 * die in any order, so children are re-parented to init and no parent
 * knows them all; a pid table in shared memory would miss a child forked
 * by a parent killed before it wrote it down.  But pids are never reused
 * (the kernel counts them up), and while a round runs nothing else in the
 * guest forks -- the runner and the supervisor wait, init only reaps.
 * So the round's processes are exactly those with a pid at or above the
 * canary's, the round's first fork, and kprocs() lists them all, zombies
 * and orphans included.  The supervisor SIGKILLs each one until none is
 * left; an orphan's zombie is init's to reap, and the sweep waits for that
 * too, so the process counter can come back.
 *
 * The shared page (struct fz_shared) is mapped once per run, before the
 * first round, so its pages are part of every baseline; the supervisor
 * clears it, without allocating, between rounds.  A warm-up round with no
 * calls runs first, so that everything the supervisor itself touches has
 * been faulted in before any baseline is read.
 */
#include "fuzz.h"
#include "fuzz_impl.h"
#include "testlib.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#define STALL_NS        500000000ull    /* no call anywhere for 0.5 s: all blocked */
#define ASLEEP_NS       50000000ull     /* all asleep and no call for 50 ms: blocked */
#define ROUND_LIMIT_NS  30000000000ull  /* a round never takes longer than 30 s */
#define DEATH_LIMIT_NS  5000000000ull   /* after SIGKILL, gone within 5 s */
#define SETTLE_NS       2000000000ull   /* counters back within 2 s */
#define PROGRESS_NS     3000000000ull   /* a progress line every 3 s */
#define SHARED_SIZE     ((sizeof(struct fz_shared) + 4095) & ~4095ul)

static const int killall_signals[] = { SIGHUP, SIGTERM, SIGUSR1, SIGUSR2 };

static struct fz_shared *shared;
static struct kproc procs[64];

/* The distinct failures of a run: a reason with its numbers and names blanked. */
#define MAX_KINDS_OF_FAILURE 16
static struct {
	char shape[100];
	unsigned rounds;
	uint64_t first_seed;
} failure_kinds[MAX_KINDS_OF_FAILURE];
static unsigned nfailure_kinds;

/* What a run has done so far. */
static struct {
	uint64_t calls, loop_calls, ok[FZ_NKINDS], err[FZ_NKINDS], ebadf[FZ_NKINDS], skip[FZ_NKINDS];
	uint64_t procs, stalled, timed_out;
	uint64_t peak_in_flight, peak_sockets;  /* sampled while rounds run */
} total;

void fuzz_ignore_killall_signals(void)
{
	for (size_t i = 0; i < sizeof(killall_signals) / sizeof(killall_signals[0]); i++)
		signal(killall_signals[i], SIG_IGN);
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* --------------------------------------------------------- the canary */

static void __attribute__((noreturn)) canary_main(void)
{
	for (size_t i = 0; i < sizeof(killall_signals) / sizeof(killall_signals[0]); i++)
		signal(killall_signals[i], SIG_DFL);
	for (;;)
		pause_ms(1000);
}

/* The canary must be alive; if not, say who may have killed it. */
static void check_canary(int canary, char *why, size_t size)
{
	char status[64];
	int st;
	size_t len;

	if (waitpid(canary, &st, WNOHANG) != canary)
		return;
	len = (size_t)snprintf(why, size, "root's canary (pid %d) was %s; hostile kills:",
			       canary, test_status_str(st, status, sizeof(status)));
	for (unsigned i = 0; i < shared->kill_log_n && i < FZ_KILL_LOG && len < size; i++)
		len += (size_t)snprintf(why + len, size - len,
					" p%d (pid %d) call %d kill(%d, %d) = %ld;",
					shared->kill_log[i].id, shared->kill_log[i].pid,
					shared->kill_log[i].call, shared->kill_log[i].target,
					shared->kill_log[i].sig, shared->kill_log[i].result);
}

/* ------------------------------------------------- the round's processes */

/*
 * Processes with pid >= first other than `except` that have not exited;
 * *awake gets how many of them are not asleep.
 */
static int count_live(int first, int except, int *awake)
{
	int n = kprocs(procs, 64), live = 0;

	*awake = 0;
	for (int i = 0; i < n; i++) {
		if (procs[i].pid < first || procs[i].pid == except || procs[i].state == 'Z')
			continue;
		live++;
		*awake += procs[i].state != 'S' && procs[i].state != 'T';   /* asleep or stopped */
	}
	return live;
}

/*
 * Step 4: until they are done, all blocked, or out of time.  "Blocked" is
 * no call made for ASLEEP_NS while every process sleeps (no call sleeps
 * that long but on something that may never come), or for STALL_NS at all.
 */
static void wait_round(int first, int canary, int root)
{
	uint64_t start = test_now_ns(), last = start, calls = shared->calls;
	struct kcounters k;
	int st, awake;

	for (;;) {
		uint64_t now = test_now_ns();

		if (kcounters(&k) == 0) {
			if (k.fds_in_flight > total.peak_in_flight)
				total.peak_in_flight = k.fds_in_flight;
			if (k.sockets > total.peak_sockets)
				total.peak_sockets = k.sockets;
		}
		waitpid(root, &st, WNOHANG);
		if (count_live(first, canary, &awake) == 0)
			return;
		if (shared->calls != calls) {
			calls = shared->calls;
			last = now;
		}
		if (now - last > STALL_NS || (awake == 0 && now - last > ASLEEP_NS)) {
			total.stalled++;
			return;
		}
		if (now - start > ROUND_LIMIT_NS) {
			total.timed_out++;
			return;
		}
		pause_ms(2);
	}
}

/* Step 6: SIGKILL everything from `first` on until nothing is left. */
static void sweep(int first, char *why, size_t size)
{
	uint64_t deadline = test_now_ns() + DEATH_LIMIT_NS;
	int self = getpid();

	for (;;) {
		int n = kprocs(procs, 64), pending = 0, last = -1;

		for (int i = 0; i < n; i++) {
			if (procs[i].pid < first || procs[i].pid == self)
				continue;
			pending++;
			last = i;
			if (procs[i].state != 'Z')
				kill(procs[i].pid, SIGKILL);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (pending == 0)
			return;
		if (test_now_ns() > deadline) {
			if (why[0] == '\0')
				snprintf(why, size, "pid %d (%s, state %c, parent %d) still there "
					 "5 s after SIGKILL", procs[last].pid, procs[last].name,
					 procs[last].state, procs[last].ppid);
			return;
		}
		pause_ms(1);
	}
}

/* ------------------------------------------------------------ counters */

#define PAGES ((size_t)-1)
static const struct {
	const char *name;
	size_t off;
} counters[] = {
	{ "free+kmem+cache pages", PAGES },
	{ "vm_objects",    offsetof(struct kcounters, vm_objects) },
	{ "open_files",    offsetof(struct kcounters, open_files) },
	{ "processes",     offsetof(struct kcounters, processes) },
	{ "shm_objects",   offsetof(struct kcounters, shm_objects) },
	{ "sockets",       offsetof(struct kcounters, sockets) },
	{ "fds_in_flight", offsetof(struct kcounters, fds_in_flight) },
	{ "kmem_bytes",    offsetof(struct kcounters, kmem_bytes) },
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static uint64_t counter(const struct kcounters *k, size_t i)
{
	uint64_t v;

	if (counters[i].off == PAGES)
		return k->free_pages + k->kmem_pages + k->cache_pages;
	memcpy(&v, (const char *)k + counters[i].off, sizeof(v));
	return v;
}

/* Step 8: wait for the counters to come back; describe any that do not. */
static void check_counters(const struct kcounters *before, char *buf, size_t size)
{
	uint64_t deadline = test_now_ns() + SETTLE_NS;
	struct kcounters now;
	size_t len = 0;
	bool same;

	buf[0] = '\0';
	do {
		if (kcounters(&now) < 0) {
			snprintf(buf, size, "kcounters: errno %d", errno);
			return;
		}
		same = true;
		for (size_t i = 0; i < NCOUNTERS; i++)
			same = same && counter(&now, i) == counter(before, i);
		if (!same)
			pause_ms(2);
	} while (!same && test_now_ns() < deadline);
	for (size_t i = 0; i < NCOUNTERS && len < size; i++) {
		int64_t d = (int64_t)(counter(&now, i) - counter(before, i));

		if (d != 0)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %+lld",
						len ? ", " : "leak: ", counters[i].name,
						(long long)d);
	}
}

/* ----------------------------------------------------------- one round */

static void reset_shared(uint64_t seed, unsigned budget, int verbose)
{
	memset(shared, 0, SHARED_SIZE);
	shared->seed = seed;
	shared->budget = budget;
	shared->verbose = verbose;
	fz_names_reset(shared);
}

/*
 * The shape of a reason, for counting failures of the same kind once:
 * without the "pN (pid, uid) call N: " it starts with, numbers as '#',
 * names as '<name>', up to the first ';'.
 */
static void shape_of(const char *reason, char *out, size_t size)
{
	const char *p = reason, *colon = strstr(reason, ") call ");
	size_t n = 0;

	if (reason[0] == 'p' && colon != NULL && (colon = strstr(colon, ": ")) != NULL)
		p = colon + 2;
	while (*p != '\0' && *p != ';' && n + 7 < size) {
		if (*p >= '0' && *p <= '9') {
			out[n++] = '#';
			while (*p >= '0' && *p <= '9')
				p++;
		} else if ((*p == '/' || strncmp(p, "tmp/", 4) == 0) &&
			   (p == reason || p[-1] == ' ' || p[-1] == '(')) {
			memcpy(out + n, "<name>", 6);
			n += 6;
			while (*p != '\0' && *p != ' ' && *p != ',' && *p != ')')
				p++;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
}

static void count_failure(const char *reason, uint64_t seed)
{
	char shape[sizeof(failure_kinds[0].shape)];
	unsigned i;

	shape_of(reason, shape, sizeof(shape));
	for (i = 0; i < nfailure_kinds && strcmp(failure_kinds[i].shape, shape) != 0; i++)
		;
	if (i == nfailure_kinds) {
		if (nfailure_kinds == MAX_KINDS_OF_FAILURE)
			return;
		nfailure_kinds++;
		strcpy(failure_kinds[i].shape, shape);
		failure_kinds[i].first_seed = seed;
		failure_kinds[i].rounds = 0;
	}
	failure_kinds[i].rounds++;
}

/* Append "; what" to why (or start it), and count it as a kind of failure. */
static void add_reason(char *why, size_t size, const char *what, uint64_t seed)
{
	size_t len = strlen(why);

	if (what[0] == '\0')
		return;
	count_failure(what, seed);
	if (len < size)
		snprintf(why + len, size - len, "%s%s", len ? "; " : "", what);
}

/*
 * Run the round of this seed; answers 0 if it passed, else 1 with why.
 * budget 0 is the warm-up: no calls, and no counter check (it is there to
 * fault in what the supervisor touches, which is what would differ).
 */
static int round_run(uint64_t seed, unsigned budget, int verbose, char *why, size_t size)
{
	static char part[768];
	struct kcounters before;
	int canary, root;

	why[0] = '\0';
	reset_shared(seed, budget, verbose);
	test_kcounters(&before);
	canary = fork();
	if (canary == 0)
		canary_main();
	if (canary < 0) {
		snprintf(why, size, "supervisor: fork: errno %d", errno);
		return 1;
	}
	shared->canary_pid = canary;
	root = fork();
	if (root == 0)
		fz_proc_main(shared, seed, 0, 0);
	if (root < 0)
		snprintf(why, size, "supervisor: fork: errno %d", errno);
	else
		wait_round(canary, canary, root);
	if (shared->failed)
		add_reason(why, size, shared->failure, seed);
	part[0] = '\0';
	check_canary(canary, part, sizeof(part));
	add_reason(why, size, part, seed);
	part[0] = '\0';
	sweep(canary, part, sizeof(part));
	add_reason(why, size, part, seed);
	part[0] = '\0';
	fz_names_cleanup(seed, part, sizeof(part));
	add_reason(why, size, part, seed);
	if (budget > 0) {
		check_counters(&before, part, sizeof(part));
		add_reason(why, size, part, seed);
	}
	return why[0] != '\0';
}

/* --------------------------------------------------------------- output */

static void add_totals(void)
{
	total.calls += shared->calls;
	total.loop_calls += shared->loop_calls;
	total.procs += (uint64_t)shared->procs;
	for (int k = 0; k < FZ_NKINDS; k++) {
		total.ok[k] += shared->ok[k];
		total.err[k] += shared->err[k];
		total.ebadf[k] += shared->ebadf[k];
		total.skip[k] += shared->skip[k];
	}
}

/* The calls by kind: how many the kernel accepted, refused, refused with EBADF. */
static void print_kinds(const uint64_t *ok, const uint64_t *err, const uint64_t *ebadf,
			const uint64_t *skip)
{
	uint64_t all_ok = 0, all_err = 0, all_ebadf = 0, all_skip = 0;

	for (int k = 0; k < FZ_NKINDS; k++) {
		all_ok += ok[k];
		all_err += err[k];
		all_ebadf += ebadf[k];
		all_skip += skip[k];
		if (ok[k] + err[k] + skip[k] == 0)
			continue;
		dprintf(1, "fuzz:   %-11s ok %7llu  err %7llu (EBADF %6llu)  skipped %6llu\n",
			fz_kind_name(k), (unsigned long long)ok[k], (unsigned long long)err[k],
			(unsigned long long)ebadf[k], (unsigned long long)skip[k]);
	}
	dprintf(1, "fuzz:   %-11s ok %7llu  err %7llu (EBADF %6llu)  skipped %6llu"
		"  (%llu%% ok)\n", "all", (unsigned long long)all_ok,
		(unsigned long long)all_err, (unsigned long long)all_ebadf,
		(unsigned long long)all_skip,
		(unsigned long long)(all_ok * 100 / (all_ok + all_err ? all_ok + all_err : 1)));
}

static uint64_t ok_percent(void)
{
	uint64_t ok = 0, err = 0;

	for (int k = 0; k < FZ_NKINDS; k++) {
		ok += total.ok[k];
		err += total.err[k];
	}
	return ok * 100 / (ok + err ? ok + err : 1);
}

static void print_progress(unsigned done, unsigned rounds, uint64_t seed, uint64_t start)
{
	uint64_t ms = (test_now_ns() - start) / 1000000;

	dprintf(1, "\rfuzz: progress: %u/%u rounds, %llu calls, %llu calls/s, %llu%% ok, "
		"seed %llu\n", done, rounds, (unsigned long long)total.calls,
		(unsigned long long)(ms ? total.calls * 1000 / ms : 0),
		(unsigned long long)ok_percent(), (unsigned long long)seed);
}

/* Touch the stack the supervisor will use, before any baseline is read. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[32 * 1024];

	for (size_t i = 0; i < sizeof(pad); i += 512)
		pad[i] = 0;
}

/* What the round did, at -v; and, if it failed, why and how to replay it. */
static void report_round(const struct fuzz_options *o, unsigned r, uint64_t seed, int bad,
			 const char *reason)
{
	if (o->verbose) {
		dprintf(1, "fuzz: round %u seed %llu: %llu calls by %d processes\n", r,
			(unsigned long long)seed, (unsigned long long)shared->calls, shared->procs);
		print_kinds(shared->ok, shared->err, shared->ebadf, shared->skip);
	}
	if (!bad)
		return;
	dprintf(1, "\rfuzz: FAIL seed %llu (round %u): %s\n", (unsigned long long)seed, r, reason);
	dprintf(1, "fuzz: replay: fuzz_test -seed %llu -calls %u -v -v\n",
		(unsigned long long)seed, o->calls);
}

/* The run's last lines: totals, and (at -v or with progress) what the calls did. */
static void print_summary(const struct fuzz_options *o, unsigned rounds, unsigned failed,
			  uint64_t start)
{
	uint64_t ms = (test_now_ns() - start) / 1000000;

	dprintf(1, "\rfuzz: seed %llu: %u round%s, %llu calls by %llu processes in %llu.%03llu s "
		"(%llu calls/s), %llu%% ok, %llu rounds ended blocked, %u failed\n",
		(unsigned long long)o->seed, rounds, rounds == 1 ? "" : "s",
		(unsigned long long)total.calls, (unsigned long long)total.procs,
		(unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000),
		(unsigned long long)(ms ? total.calls * 1000 / ms : 0),
		(unsigned long long)ok_percent(),
		(unsigned long long)(total.stalled + total.timed_out), failed);
	if (o->progress || o->verbose) {
		print_kinds(total.ok, total.err, total.ebadf, total.skip);
		dprintf(1, "fuzz: %llu%% of the calls in loops; at most %llu descriptors in "
			"flight and %llu sockets at once\n",
			(unsigned long long)(total.loop_calls * 100 / (total.calls ? total.calls : 1)),
			(unsigned long long)total.peak_in_flight,
			(unsigned long long)total.peak_sockets);
	}
	for (unsigned i = 0; i < nfailure_kinds; i++)
		dprintf(1, "fuzz: failure %u: %u round%s, first seed %llu: %s\n", i + 1,
			failure_kinds[i].rounds, failure_kinds[i].rounds == 1 ? "" : "s",
			(unsigned long long)failure_kinds[i].first_seed, failure_kinds[i].shape);
}

/* Everything a run needs before its first round; 0, or 1 with why. */
static int run_start(const struct fuzz_options *o, char *why, size_t size)
{
	static char reason[1600];

	fuzz_ignore_killall_signals();
	if (geteuid() != 0) {
		snprintf(why, size, "the stateful fuzzer must run as root");
		return 1;
	}
	shared = mmap(NULL, SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		snprintf(why, size, "mmap of the shared page: errno %d", errno);
		return 1;
	}
	memset(&total, 0, sizeof(total));
	memset(procs, 0, sizeof(procs));
	prefault_stack();
	dprintf(1, "fuzz: stateful: seed %llu, %u round%s, %u calls per process\n",
		(unsigned long long)o->seed, o->rounds, o->rounds == 1 ? "" : "s", o->calls);
	round_run(o->seed, 0, 0, reason, sizeof(reason));      /* the warm-up */
	nfailure_kinds = 0;
	return 0;
}

int fuzz_run(const struct fuzz_options *o, char *why, size_t size)
{
	static char reason[1600];
	uint64_t start, last_progress;
	unsigned failed = 0, r;

	why[0] = '\0';
	if (run_start(o, why, size) != 0)
		return 1;
	start = last_progress = test_now_ns();
	for (r = 0; r < o->rounds; r++) {
		uint64_t seed = o->seed + r;

		if (o->verbose)
			dprintf(1, "fuzz: round %u seed %llu\n", r, (unsigned long long)seed);
		else if (o->progress)   /* overwritten by the next: the last names the seed */
			dprintf(1, "\rfuzz: round %u seed %llu ", r, (unsigned long long)seed);
		int bad = round_run(seed, o->calls, o->verbose, reason, sizeof(reason));
		add_totals();
		report_round(o, r, seed, bad, reason);
		if (bad && failed++ == 0)
			snprintf(why, size, "seed %llu (round %u): %s", (unsigned long long)seed,
				 r, reason);
		if (bad && !o->keep_going) {
			r++;
			break;
		}
		if (o->progress && test_now_ns() - last_progress > PROGRESS_NS) {
			last_progress = test_now_ns();
			print_progress(r + 1, o->rounds, seed, start);
		}
	}
	print_summary(o, r, failed, start);
	munmap(shared, SHARED_SIZE);
	return failed ? 1 : 0;
}
