/*
 * shmdemo - N producer processes and one consumer share a ring buffer in
 * one anonymous POSIX shared memory object.
 *
 *   shmdemo [children [items-per-child]]      (defaults: 4 children, 20000 items)
 *
 * The parent makes the object with shm_open(SHM_ANON), sizes it with
 * ftruncate, maps it MAP_SHARED, and forks the children: the mapping is
 * inherited shared, so all of them see the same pages.  The object has no
 * name, so nothing is left behind; it dies with the last mapping.
 *
 * The ring is a bounded multi-producer queue of RING_SLOTS slots, each a
 * sequence number and a value (Dmitry Vyukov's design):
 *
 *   - slot i starts with seq = i;
 *   - a producer claims a position with an atomic fetch-and-add on `head`,
 *     waits until its slot's seq equals the position (the slot is empty
 *     for this lap), stores the value, then publishes seq = pos + 1 with a
 *     release store;
 *   - the consumer waits until slot[tail].seq == tail + 1 (acquire load),
 *     reads the value, and frees the slot for the next lap with
 *     seq = tail + RING_SLOTS.
 *
 * Each value is (child << 32 | n), and each child's positions increase, so
 * the consumer must see every child's items in order 0, 1, 2 ...: it checks
 * that, counts everything, and prints the throughput.  Waiting yields the
 * CPU (sched_yield) rather than spinning, since producers and consumer may
 * share one CPU.  Exit status 0 when every item arrived exactly once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RING_SLOTS   256                /* a power of two */
#define MAX_CHILDREN 32

struct slot {
	_Atomic uint64_t seq;
	uint64_t value;
};

struct ring {
	_Atomic uint64_t head;                  /* next position a producer claims */
	char pad[56];                           /* keep head and the slots apart */
	struct slot slots[RING_SLOTS];
};

static void die(const char *what)
{
	dprintf(2, "shmdemo: %s: errno %d\n", what, errno);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct ring *ring_create(void)
{
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	struct ring *r;

	if (fd < 0)
		die("shm_open");
	if (ftruncate(fd, sizeof(struct ring)) < 0)
		die("ftruncate");
	r = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap");
	close(fd);                              /* the mapping keeps the object */
	for (uint64_t i = 0; i < RING_SLOTS; i++)
		atomic_store_explicit(&r->slots[i].seq, i, memory_order_relaxed);
	atomic_store(&r->head, 0);
	return r;
}

static void produce(struct ring *r, uint64_t child, uint64_t items)
{
	for (uint64_t n = 0; n < items; n++) {
		uint64_t pos = atomic_fetch_add_explicit(&r->head, 1, memory_order_relaxed);
		struct slot *s = &r->slots[pos % RING_SLOTS];

		while (atomic_load_explicit(&s->seq, memory_order_acquire) != pos)
			sched_yield();
		s->value = child << 32 | n;
		atomic_store_explicit(&s->seq, pos + 1, memory_order_release);
	}
}

/* Take total items off the ring; 0 if every child's items came in order. */
static int consume(struct ring *r, uint64_t total, int children, uint64_t *next)
{
	for (uint64_t tail = 0; tail < total; tail++) {
		struct slot *s = &r->slots[tail % RING_SLOTS];
		uint64_t v, child;

		while (atomic_load_explicit(&s->seq, memory_order_acquire) != tail + 1)
			sched_yield();
		v = s->value;
		atomic_store_explicit(&s->seq, tail + RING_SLOTS, memory_order_release);
		child = v >> 32;
		if (child >= (uint64_t)children || (v & 0xffffffffu) != next[child]) {
			dprintf(2, "shmdemo: item %llu: got child %llu #%llu, wanted #%llu\n",
				(unsigned long long)tail, (unsigned long long)child,
				(unsigned long long)(v & 0xffffffffu),
				child < (uint64_t)children ? (unsigned long long)next[child] : 0ull);
			return 1;
		}
		next[child]++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int children = argc > 1 ? atoi(argv[1]) : 4;
	uint64_t items = argc > 2 ? strtoull(argv[2], NULL, 0) : 20000;
	uint64_t next[MAX_CHILDREN] = { 0 };
	pid_t pids[MAX_CHILDREN];
	int bad = 0;

	if (children < 1 || children > MAX_CHILDREN || items == 0 || items > 0xffffffffu) {
		dprintf(2, "usage: shmdemo [children (1-%d) [items-per-child]]\n", MAX_CHILDREN);
		return 2;
	}
	struct ring *r = ring_create();
	uint64_t t0 = now_ns();
	for (int c = 0; c < children; c++) {
		pid_t pid = pids[c] = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			produce(r, (uint64_t)c, items);
			_exit(0);
		}
	}
	bad = consume(r, items * (uint64_t)children, children, next);
	uint64_t ns = now_ns() - t0;
	for (int c = 0; bad && c < children; c++)
		kill(pids[c], SIGKILL);         /* producers may wait for room forever */
	for (int c = 0; c < children; c++) {
		int status;
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	}
	uint64_t total = items * (uint64_t)children;
	printf("shmdemo: %d children x %llu items = %llu items in %llu ms (%llu items/s) %s\n",
	       children, (unsigned long long)items, (unsigned long long)total,
	       (unsigned long long)(ns / 1000000),
	       (unsigned long long)(ns ? total * 1000000000ull / ns : 0),
	       bad ? "FAILED" : "all verified");
	munmap(r, sizeof(*r));
	return bad;
}
