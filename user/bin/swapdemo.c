/*
 * swapdemo - more shared memory than the machine has, in one POSIX shm
 * object, paged to the swap disk and back.
 *
 *   swapdemo [MiB [workers [passes]]]      (defaults: 64 MiB, 2 workers, 2 passes)
 *
 * Boot with little memory to see it page: `make qemu MEM=32M`, then
 *
 *   $ vmstat 1 &
 *   $ swapdemo 64
 *
 * and watch the pi/po columns as the workers write and the parent reads.
 * The parent makes an anonymous shm object (shm_open(SHM_ANON)) of the
 * size asked, maps it shared and forks the workers.  In each pass, worker
 * w writes a word naming (pass, page) into every page p with p % workers
 * == w; when they are done the parent checks every page.  Most of the
 * object is on swap at any moment, so both the writes and the check page
 * in and out.  Exit status 0 when every page held what it should.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#define PG 4096ul

static uint64_t word_for(unsigned pass, size_t page)
{
	return ((uint64_t)pass << 40) | page;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void work(volatile uint64_t *p, size_t pages, int w, int workers, unsigned pass)
{
	for (size_t page = (size_t)w; page < pages; page += (size_t)workers)
		p[page * PG / 8] = word_for(pass, page);
	_exit(0);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	int workers = argc > 2 ? atoi(argv[2]) : 2;
	unsigned passes = argc > 3 ? (unsigned)atoi(argv[3]) : 2;
	if (mib == 0 || workers < 1 || workers > 64 || passes < 1) {
		fprintf(stderr, "usage: swapdemo [MiB [workers [passes]]]\n");
		return 2;
	}
	size_t len = mib << 20, pages = len / PG;
	struct kcounters k0, k1;
	kcounters(&k0);
	printf("swapdemo: %zu MiB of shared memory, %lu MiB of RAM, %lu MiB of swap\n", mib,
	       (unsigned long)(k0.total_pages * PG >> 20), (unsigned long)(k0.swap_total * PG >> 20));
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)len) != 0) {
		perror("swapdemo: shm_open/ftruncate");
		return 1;
	}
	volatile uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("swapdemo: mmap");
		return 1;
	}
	close(fd);
	for (unsigned pass = 1; pass <= passes; pass++) {
		double t0 = now_s();
		for (int w = 0; w < workers; w++)
			if (fork() == 0)
				work(p, pages, w, workers, pass);
		int status, ok = 1;
		while (wait(&status) > 0)
			ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
		size_t bad = 0;
		for (size_t page = 0; page < pages; page++)
			bad += p[page * PG / 8] != word_for(pass, page);
		kcounters(&k1);
		printf("pass %u: %s, %zu bad pages, %.1f s, %llu pages out, %llu in so far\n", pass,
		       ok ? "workers done" : "a worker failed", bad, now_s() - t0,
		       (unsigned long long)(k1.pageouts - k0.pageouts),
		       (unsigned long long)(k1.pageins - k0.pageins));
		if (!ok || bad)
			return 1;
	}
	munmap((void *)p, len);
	return 0;
}
