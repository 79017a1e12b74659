/*
 * pipe_test.c - self-tests of the ring buffer under a pipe (ring.h) and of
 * a pipe's poll answers and lifetime (pipe.c).  The blocking behaviour is
 * tested from user space (fd_test.c), where readers and writers can wait.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/file.h"
#include "kern/pipe.h"
#include "kern/ring.h"
#include "kern/selftest.h"
#include "vm/kmem.h"
#include "uapi/poll.h"

/* Put n bytes of kernel memory in, as the pipe's write copies user memory. */
static size_t ring_put(struct ring *r, const char *src, size_t n)
{
	size_t done = 0;
	while (done < n && ring_free(r) > 0) {
		size_t len, start = ring_space_seg(r, &len);
		len = MIN(len, n - done);
		memcpy(r->buf + start, src + done, len);
		ring_produce(r, len);
		done += len;
	}
	return done;
}

static size_t ring_get(struct ring *r, char *dst, size_t n)
{
	size_t done = 0;
	while (done < n && r->count > 0) {
		size_t len, start = ring_data_seg(r, &len);
		len = MIN(len, n - done);
		memcpy(dst + done, r->buf + start, len);
		ring_consume(r, len);
		done += len;
	}
	return done;
}

/* Stream a counting pattern through the ring in awkward sizes: FIFO order
 * must survive every wrap-around, and the ring must never over-fill. */
int test_pipe_ring_wraparound(void)
{
	static char chunk[3000];
	struct ring r = { .buf = kmalloc(PIPE_SIZE, 0), .size = PIPE_SIZE };
	KTEST_ASSERT(r.buf != NULL, "kmalloc failed");
	uint8_t next_in = 0, next_out = 0;
	size_t total = 0;
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(round * 977) % sizeof(chunk) + 1;
		for (size_t i = 0; i < n; i++)
			chunk[i] = (char)(next_in + i);
		size_t put = ring_put(&r, chunk, n);
		KTEST_ASSERT(put == MIN(n, PIPE_SIZE - (r.count - put)), "round %d put %zu", round, put);
		next_in = (uint8_t)(next_in + put);
		size_t got = ring_get(&r, chunk, (size_t)(round * 613) % sizeof(chunk));
		for (size_t i = 0; i < got; i++)
			KTEST_ASSERT((uint8_t)chunk[i] == (uint8_t)(next_out + i), "round %d byte %zu", round, i);
		next_out = (uint8_t)(next_out + got);
		total += got;
		KTEST_ASSERT(r.count <= PIPE_SIZE && r.head < PIPE_SIZE, "round %d bad indices", round);
	}
	KTEST_ASSERT(total > 4 * PIPE_SIZE, "only %zu bytes went through", total);
	kfree(r.buf);
	return 0;
}

/* Poll bits follow the ends' states; closing both ends frees everything. */
int test_pipe_poll_and_close(void)
{
	uint64_t files = COUNTER_READ(open_files);
	struct file *r, *w;
	KTEST_ASSERT(pipe_create(0, &r, &w) == 0, "pipe_create failed");
	KTEST_ASSERT(COUNTER_READ(open_files) == files + 2, "open_files %lu", COUNTER_READ(open_files));
	KTEST_ASSERT(r->ops->poll(r, POLLIN) == 0, "empty pipe readable");
	KTEST_ASSERT(w->ops->poll(w, POLLOUT) == POLLOUT, "empty pipe not writable");
	struct pipe *p = r->data;
	p->ring.count = PIPE_SIZE;      /* pretend it is full */
	KTEST_ASSERT(r->ops->poll(r, POLLIN) == POLLIN, "full pipe not readable");
	KTEST_ASSERT(w->ops->poll(w, POLLOUT) == 0, "full pipe writable");
	file_release(w);
	KTEST_ASSERT(r->ops->poll(r, POLLIN) == (POLLIN | POLLHUP), "no POLLHUP after writer closed");
	file_release(r);
	KTEST_ASSERT(COUNTER_READ(open_files) == files, "open_files leaked: %lu", COUNTER_READ(open_files));
	return 0;
}
