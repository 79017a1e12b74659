/*
 * vmstat - print the kernel's counters.
 *
 *   vmstat        one "name value" per line; pages and bytes also in KiB
 *   vmstat -d     all on one line as name=value pairs, for scripts:
 *                 "total_pages=65536 free_pages=60000 ..."
 *   vmstat N [C]  every N seconds a line of the paging activity since the
 *                 line before (C lines, or until killed), as BSD's vmstat:
 *                 free memory, swap in use, faults, zero fills, copies on
 *                 write, pages in and out, pages the pageout daemon scanned
 *                 and reactivated, and write requests (clusters).  Run it
 *                 in the background (`vmstat 1 &`) and watch the daemon
 *                 work while another program runs.
 *
 * The numbers come from the vmos system call kcounters(), which fills a
 * struct kcounters (see <vmos.h>).  The table below names every field and
 * says what unit it counts, so printing is one loop.  offsetof() gives the
 * position of a field inside the struct, which lets a table point at fields.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vmos.h>

#define PAGE_SIZE 4096          /* bytes in a page (see docs/design.md) */

enum unit {
	COUNT,                  /* a plain number */
	PAGES,                  /* pages (a swap slot holds one page, too) */
	BYTES,
};

#define FIELD(name, unit) { #name, offsetof(struct kcounters, name), unit }

static const struct field {
	const char *name;
	size_t offset;
	enum unit unit;
} fields[] = {
	/* resources: back to the same values after a test that cleans up */
	FIELD(total_pages, PAGES),
	FIELD(free_pages, PAGES),
	FIELD(vm_objects, COUNT),
	FIELD(processes, COUNT),
	FIELD(open_files, COUNT),
	FIELD(shm_objects, COUNT),
	FIELD(sockets, COUNT),
	FIELD(fds_in_flight, COUNT),
	FIELD(swap_total, PAGES),
	FIELD(swap_used, PAGES),
	FIELD(kmem_bytes, BYTES),
	/* events: only ever grow */
	FIELD(page_faults, COUNT),
	FIELD(cow_copies, COUNT),
	FIELD(zero_fills, COUNT),
	FIELD(pageins, COUNT),
	FIELD(pageouts, COUNT),
	FIELD(syscalls, COUNT),
	FIELD(context_switches, COUNT),
	/* resources added later */
	FIELD(kmem_pages, PAGES),
	FIELD(pt_pages, PAGES),
	FIELD(swap_bad, PAGES),
	FIELD(pageout_scans, COUNT),
	FIELD(pages_reactivated, COUNT),
	FIELD(pageout_clusters, COUNT),
	FIELD(readahead_used, COUNT),
	FIELD(swap_io_errors, COUNT),
	FIELD(free_reserved, PAGES),
	FIELD(cache_pages, PAGES),
	FIELD(cpus, COUNT),
	FIELD(tlb_shootdowns, COUNT),
	FIELD(kernel_preemptions, COUNT),
};

#define NFIELDS (sizeof fields / sizeof fields[0])

/*
 * Every counter is 64 bits.  If this fails to compile, a counter was added
 * to struct kcounters (taking a slot from reserved[]): add it to the table.
 */
_Static_assert(NFIELDS * 8 + sizeof(((struct kcounters *)0)->reserved) ==
	       sizeof(struct kcounters), "vmstat: fields[] misses a counter");

static unsigned long long value_of(const struct kcounters *k, const struct field *f)
{
	unsigned long long v;

	memcpy(&v, (const char *)k + f->offset, sizeof v);
	return v;
}

/* One line every `interval` seconds, `count` times (0: until killed). */
static int watch(int interval, long count)
{
	struct kcounters prev, now;
	struct timespec ts = { interval, 0 };

	if (kcounters(&prev) < 0) {
		fprintf(stderr, "vmstat: kcounters: %s\n", strerror(errno));
		return 1;
	}
	printf("%8s %8s %7s %7s %7s %7s %7s %7s %7s %7s\n", "free KiB", "swap KiB", "faults",
	       "zero", "cow", "pi", "po", "scanned", "react", "clust");
	for (long n = 0; count == 0 || n < count; n++) {
		nanosleep(&ts, NULL);
		if (kcounters(&now) < 0)
			return 1;
		printf("%8llu %8llu %7llu %7llu %7llu %7llu %7llu %7llu %7llu %7llu\n",
		       (unsigned long long)now.free_pages * (PAGE_SIZE / 1024),
		       (unsigned long long)now.swap_used * (PAGE_SIZE / 1024),
		       (unsigned long long)(now.page_faults - prev.page_faults),
		       (unsigned long long)(now.zero_fills - prev.zero_fills),
		       (unsigned long long)(now.cow_copies - prev.cow_copies),
		       (unsigned long long)(now.pageins - prev.pageins),
		       (unsigned long long)(now.pageouts - prev.pageouts),
		       (unsigned long long)(now.pageout_scans - prev.pageout_scans),
		       (unsigned long long)(now.pages_reactivated - prev.pages_reactivated),
		       (unsigned long long)(now.pageout_clusters - prev.pageout_clusters));
		fflush(stdout);
		prev = now;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kcounters k;
	int one_line = 0;

	if (argc >= 2 && argc <= 3 && atoi(argv[1]) > 0)
		return watch(atoi(argv[1]), argc == 3 ? atol(argv[2]) : 0);
	if (argc == 2 && strcmp(argv[1], "-d") == 0) {
		one_line = 1;
	} else if (argc != 1) {
		fprintf(stderr, "usage: vmstat [-d | interval [count]]\n");
		return 2;
	}
	if (kcounters(&k) < 0) {
		fprintf(stderr, "vmstat: kcounters: %s\n", strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		unsigned long long v = value_of(&k, f);

		if (one_line) {
			printf("%s%s=%llu", i ? " " : "", f->name, v);
			continue;
		}
		printf("%-17s %llu", f->name, v);
		if (f->unit == PAGES)
			printf(" (%llu KiB)", v * (PAGE_SIZE / 1024));
		else if (f->unit == BYTES)
			printf(" (%llu KiB)", v / 1024);
		putchar('\n');
	}
	if (one_line)
		putchar('\n');
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "vmstat: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
