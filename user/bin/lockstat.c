/*
 * lockstat - which kernel spinlocks the CPUs fight over, and for how long.
 *
 *     lockstat             the counts since boot (or the last reset)
 *     lockstat CMD ARGS    zero the counts, run CMD, print them (root)
 *
 * One line per kind of lock that was ever found held (klockstat(2) in
 * <vmos.h>; kernel/kern/lockstat.c), the longest total spin first:
 *
 *     lock                   contended    spin ms   avg ns   max us
 *     pmap                       11992      44.70     3727      812
 *
 * contended counts acquisitions that found the lock held and spun; spin
 * is their waiting, summed over all CPUs.  On one CPU nothing is ever
 * contended, so there is nothing to print.  A sleeping lock (a mutex)
 * shows only the spinning on its inner lock, not the sleeping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmos.h>

#define MAX_LOCKS 80

static struct klockstat stats[MAX_LOCKS];

static int fail(const char *what)
{
	fprintf(stderr, "lockstat: %s: %s\n", what, strerror(errno));
	return 1;
}

static int by_spin(const void *a, const void *b)
{
	const struct klockstat *x = a, *y = b;
	return x->spin_ns < y->spin_ns ? 1 : x->spin_ns > y->spin_ns ? -1 : 0;
}

static int print(void)
{
	int n = klockstat(stats, MAX_LOCKS, 0);
	if (n < 0)
		return fail("klockstat");
	if (n == 0) {
		printf("lockstat: no lock was contended\n");
		return 0;
	}
	qsort(stats, (size_t)n, sizeof(stats[0]), by_spin);
	printf("%-22s %10s %10s %8s %8s\n", "lock", "contended", "spin ms", "avg ns", "max us");
	for (int i = 0; i < n; i++) {
		const struct klockstat *s = &stats[i];
		unsigned long long spin = s->spin_ns, cnt = s->contended;
		printf("%-22s %10llu %7llu.%02llu %8llu %8llu\n", s->name, cnt,
		       spin / 1000000, spin / 10000 % 100, cnt ? spin / cnt : 0,
		       (unsigned long long)s->max_spin_ns / 1000);
	}
	return 0;
}

static int run(char **argv)
{
	if (klockstat(NULL, 0, KLOCKSTAT_RESET) < 0)
		return fail("reset");
	pid_t pid = fork();
	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "lockstat: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid");
	if (print() != 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && argv[1][0] == '-') {
		fprintf(stderr, "usage: lockstat [CMD [ARGS...]]\n");
		return 2;
	}
	return argc >= 2 ? run(argv + 1) : print();
}
