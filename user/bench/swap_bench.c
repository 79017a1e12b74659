/*
 * swap_bench.c - paging to swap: an anonymous object 1.5 times the size of
 * RAM, written then read back (kernel/vm/vm_pageout.c, swap_pager.c).
 *
 *   swap_write  one word per 512 bytes of every page, in order: every page
 *               but the last RAM's worth goes out to swap (ns per page)
 *   swap_read   the same words read back and checked, in order: pages come
 *               back from swap with read-ahead (ns per page)
 * Each also reports the MiB moved to and from the disk (page-outs and
 * page-ins times 4 KiB).  Run with `make bench` (MEM=128M, a swap disk);
 * wall-clock time here includes waiting for the disk, so compare several
 * runs: under ICOUNT=1 the idle time spent on the disk does not count.
 */
#include "benchlib.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <vmos.h>

#define PG   4096ul
#define STEP 512ul

int main(void)
{
	struct kcounters k0, k1, k2;
	bench_prog = "swap_bench";
	if (kcounters(&k0) < 0)
		bench_die("kcounters");
	if (k0.swap_total == 0) {
		printf("swap_bench: no swap disk: skipped\n");
		return 0;
	}
	size_t len = k0.total_pages * PG * 3 / 2, pages = len / PG;
	volatile uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		bench_die("mmap");
	uint64_t t0 = bench_now_ns();
	for (size_t off = 0; off < len; off += STEP)
		p[off / 8] = off ^ 0x9e3779b97f4a7c15ull;
	uint64_t t1 = bench_now_ns();
	kcounters(&k1);
	for (size_t off = 0; off < len; off += STEP)
		if (p[off / 8] != (off ^ 0x9e3779b97f4a7c15ull)) {
			fprintf(stderr, "swap_bench: word at %zu is wrong\n", off);
			return 1;
		}
	uint64_t t2 = bench_now_ns();
	kcounters(&k2);
	bench_report("swap_write", t1 - t0, pages);
	bench_report_value("swap_write_out", "mib", (k1.pageouts - k0.pageouts) * PG >> 20);
	bench_report("swap_read", t2 - t1, pages);
	bench_report_value("swap_read_in", "mib", (k2.pageins - k1.pageins) * PG >> 20);
	munmap((void *)p, len);
	return 0;
}
