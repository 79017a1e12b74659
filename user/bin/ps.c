/*
 * ps - list the processes.
 *
 *   ps
 *
 *     PID  PPID   UID STATE CPU  RSS(KiB)  VSZ(KiB) NAME
 *       1     0     0 S       1        16        48 init
 *
 * The kernel fills an array of struct kproc (see <vmos.h>) through the vmos
 * system call kprocs(buf, max), which returns how many entries it stored.
 * We do not know the number of processes in advance, so we offer a buffer,
 * and if the kernel fills it completely there may have been more: we try
 * again with a buffer twice as big.
 *
 * STATE: R running or runnable, S sleeping, Z zombie (exited, not yet
 * waited for by its parent).  CPU: the CPU it runs on, or last ran on
 * (`make qemu CPUS=N` boots N).  RSS: memory resident in RAM; VSZ: size of
 * the mapped address space.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vmos.h>

#define PAGE_KIB 4              /* pages are 4 KiB (see docs/design.md) */
#define MAX_PROCS (1 << 20)     /* give up growing the buffer here */

/* Get every process into a new array; returns the count in *count. */
static struct kproc *get_procs(int *count)
{
	for (int max = 64; max <= MAX_PROCS; max *= 2) {
		struct kproc *procs = malloc((size_t)max * sizeof *procs);
		int n;

		if (procs == NULL) {
			fprintf(stderr, "ps: out of memory\n");
			exit(1);
		}
		n = kprocs(procs, max);
		if (n < 0) {
			fprintf(stderr, "ps: kprocs: %s\n", strerror(errno));
			exit(1);
		}
		if (n < max) {          /* it all fitted */
			*count = n;
			return procs;
		}
		free(procs);
	}
	fprintf(stderr, "ps: more than %d processes\n", MAX_PROCS);
	exit(1);
}

static int by_pid(const void *a, const void *b)
{
	const struct kproc *p = a, *q = b;

	return (p->pid > q->pid) - (p->pid < q->pid);
}

int main(int argc, char **argv)
{
	struct kproc *procs;
	int n;

	if (argc > 1) {
		fprintf(stderr, "ps: unexpected argument '%s'\nusage: ps\n", argv[1]);
		return 2;
	}
	procs = get_procs(&n);
	qsort(procs, (size_t)n, sizeof *procs, by_pid);
	printf("%5s %5s %5s %-5s %3s %9s %9s %s\n",
	       "PID", "PPID", "UID", "STATE", "CPU", "RSS(KiB)", "VSZ(KiB)", "NAME");
	for (int i = 0; i < n; i++) {
		const struct kproc *p = &procs[i];

		/* %.*s: never read past the array, even if the name lacks its '\0' */
		printf("%5d %5d %5d %-5c %3u %9llu %9llu %.*s\n",
		       p->pid, p->ppid, p->uid, p->state, (unsigned)p->cpu,
		       (unsigned long long)p->rss * PAGE_KIB,
		       (unsigned long long)p->vsize / 1024,
		       (int)sizeof p->name, p->name);
	}
	free(procs);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "ps: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
