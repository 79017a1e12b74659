/*
 * malloc.c - the memory allocator: malloc, free, calloc, realloc.
 *
 * Small and medium blocks come from a heap grown with sbrk() (or, if the
 * program break cannot move, from mmap'd regions).  The heap is cut into
 * chunks, each with its size at both ends ("boundary tags"):
 *
 *     chunk: | size|flags | magic |  payload ...            | size|flags |
 *            0            8       16                        size-8
 *
 * The payload handed to the caller starts 16 bytes in, so it is 16-byte
 * aligned like the chunk.  The copy of the size at the end lets free()
 * find the chunk to the left and merge with it if it is free; the chunk
 * to the right is found by adding the size.  So two free chunks are never
 * neighbours: free() coalesces at once.  The magic word tells free() that
 * a pointer really is a live block (catching double frees).
 *
 * Free chunks sit in doubly linked lists ("bins"), one per power of two
 * of the size; malloc takes the first chunk that fits, searching from the
 * bin of the size it needs upwards, and splits off what it does not need.
 *
 * A region of heap ("segment") starts and ends with a "fence": a tiny
 * chunk marked in use, so merging never runs off the region.  When sbrk
 * grows the heap right after the last segment, the old end fence becomes
 * part of the new free space and the segment just gets longer.
 *
 * Large blocks (MMAP_THRESHOLD and up) get their own anonymous mmap and
 * go straight back with munmap on free: no fragmentation of the heap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGNMENT      16
#define HEADER         16               /* size word + magic word */
#define FOOTER          8
#define MIN_CHUNK      48               /* header, two list pointers, footer */
#define PAGE         4096
#define GROW_MIN     (64 * 1024)        /* sbrk at least this much at a time */
#define SEGMENT_MIN  (1024 * 1024)      /* mmap'd heap regions, when brk fails */
#define MMAP_THRESHOLD (128 * 1024)     /* blocks this big get their own mmap */
#define NBINS          64

#define IN_USE   ((size_t)1)
#define MMAPPED  ((size_t)2)
#define FLAGS    ((size_t)15)
#define MAGIC    ((size_t)0x6b636f6c6c616d21)   /* "!malloc" in little endian */

struct chunk {
	size_t head;            /* size | flags */
	size_t magic;           /* MAGIC while allocated */
	struct chunk *next;     /* free chunks only: bin list */
	struct chunk *prev;
};

/* The start fence of a segment: a 32-byte in-use chunk that links segments. */
struct segment {
	size_t head;            /* sizeof(struct segment) | IN_USE */
	struct segment *next;   /* next segment, for malloc_check() */
	struct chunk *end;      /* the end fence (16 bytes, in use) */
	size_t foot;
};

static struct chunk *bins[NBINS];
static struct segment *segments;        /* all segments, newest first */
static struct segment *brk_segment;     /* the one sbrk extends, if any */

/* ---- Chunk arithmetic ---- */

static size_t chunk_size(const struct chunk *c) { return c->head & ~FLAGS; }
static int chunk_used(const struct chunk *c)    { return (c->head & IN_USE) != 0; }
static void *payload(struct chunk *c)           { return (char *)c + HEADER; }
static struct chunk *from_payload(void *p)      { return (struct chunk *)((char *)p - HEADER); }
static struct chunk *right_of(struct chunk *c)  { return (struct chunk *)((char *)c + chunk_size(c)); }

static size_t *footer_of(struct chunk *c)
{
	return (size_t *)((char *)c + chunk_size(c) - FOOTER);
}

/* The chunk to the left, found through its footer just before c. */
static struct chunk *left_of(struct chunk *c)
{
	size_t left_size = ((size_t *)c)[-1] & ~FLAGS;

	return (struct chunk *)((char *)c - left_size);
}

static int left_used(struct chunk *c)
{
	return (((size_t *)c)[-1] & IN_USE) != 0;
}

static void set_chunk(struct chunk *c, size_t size, size_t flags)
{
	c->head = size | flags;
	*footer_of(c) = size | flags;
	c->magic = (flags & IN_USE) ? MAGIC : 0;
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

/* Chunk size for a request of n bytes, or 0 if n is absurdly large. */
static size_t request_size(size_t n)
{
	size_t size;

	if (n > PTRDIFF_MAX - HEADER - FOOTER - PAGE)
		return 0;
	size = round_up(n + HEADER + FOOTER, ALIGNMENT);
	return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/* ---- Bins ---- */

static int bin_index(size_t size)
{
	return 63 - __builtin_clzl(size);       /* floor(log2(size)) */
}

static void bin_insert(struct chunk *c)
{
	struct chunk **bin = &bins[bin_index(chunk_size(c))];

	c->prev = NULL;
	c->next = *bin;
	if (*bin != NULL)
		(*bin)->prev = c;
	*bin = c;
}

static void bin_remove(struct chunk *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		bins[bin_index(chunk_size(c))] = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
}

/* First free chunk of at least size bytes, or NULL. */
static struct chunk *find_fit(size_t size)
{
	for (int i = bin_index(size); i < NBINS; i++) {
		for (struct chunk *c = bins[i]; c != NULL; c = c->next) {
			if (chunk_size(c) >= size)
				return c;
		}
	}
	return NULL;
}

/*
 * Make c (not in a bin) free, merge it with free neighbours and put the
 * result in its bin.
 */
static void release(struct chunk *c)
{
	size_t size = chunk_size(c);
	struct chunk *right = right_of(c);

	if (!chunk_used(right)) {
		bin_remove(right);
		size += chunk_size(right);
	}
	if (!left_used(c)) {
		c = left_of(c);
		bin_remove(c);
		size += chunk_size(c);
	}
	set_chunk(c, size, 0);
	bin_insert(c);
}

/* Cut c (in use, not in a bin) down to size; the rest becomes free. */
static void trim_to(struct chunk *c, size_t size)
{
	size_t total = chunk_size(c);
	struct chunk *rest;

	if (total - size < MIN_CHUNK)
		return;                         /* too little to be a chunk */
	set_chunk(c, size, IN_USE);
	rest = right_of(c);
	set_chunk(rest, total - size, IN_USE);
	release(rest);
}

/* ---- Getting memory from the kernel ---- */

/* Lay out a new segment over [start, end): fence, one free chunk, fence. */
static struct segment *new_segment(char *start, char *end)
{
	struct segment *seg;
	struct chunk *free_chunk, *fence;

	start = (char *)round_up((uintptr_t)start, ALIGNMENT);
	end = (char *)((uintptr_t)end & ~(uintptr_t)(ALIGNMENT - 1));
	seg = (struct segment *)start;
	seg->head = seg->foot = sizeof(*seg) | IN_USE;
	fence = (struct chunk *)(end - HEADER);
	fence->head = fence->magic = HEADER | IN_USE;   /* magic = its footer */
	seg->end = fence;
	seg->next = segments;
	segments = seg;
	free_chunk = (struct chunk *)(start + sizeof(*seg));
	set_chunk(free_chunk, (size_t)((char *)fence - (char *)free_chunk), IN_USE);
	release(free_chunk);
	return seg;
}

/* sbrk more heap: extend the brk segment if the new memory follows it. */
static int grow_brk(size_t need)
{
	size_t amount = round_up(need + sizeof(struct segment) + HEADER, PAGE);
	uintptr_t now = (uintptr_t)sbrk(0);
	char *p;

	if (amount < GROW_MIN)
		amount = GROW_MIN;
	amount += round_up(now, ALIGNMENT) - now;       /* keep the end aligned */
	p = sbrk((intptr_t)amount);
	if (p == (char *)-1)
		return -1;
	if (brk_segment != NULL && p == (char *)brk_segment->end + HEADER) {
		/* Right after our heap: the old end fence starts the new space. */
		struct chunk *old_fence = brk_segment->end, *fence;
		fence = (struct chunk *)(p + amount - HEADER);
		fence->head = fence->magic = HEADER | IN_USE;
		brk_segment->end = fence;
		set_chunk(old_fence, amount, IN_USE);
		release(old_fence);
		return 0;
	}
	brk_segment = new_segment(p, p + amount);
	return 0;
}

static int grow_mmap(size_t need)
{
	size_t amount = round_up(need + sizeof(struct segment) + HEADER, PAGE);
	char *p;

	if (amount < SEGMENT_MIN)
		amount = SEGMENT_MIN;
	p = mmap(NULL, amount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	new_segment(p, p + amount);
	return 0;
}

static void *malloc_large(size_t n)
{
	size_t total = round_up(n + HEADER, PAGE);
	struct chunk *c = mmap(NULL, total, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (c == MAP_FAILED)
		return NULL;                    /* errno = ENOMEM from mmap */
	c->head = total | IN_USE | MMAPPED;
	c->magic = MAGIC;
	return payload(c);
}

/* ---- The interface ---- */

void *malloc(size_t n)
{
	size_t size = request_size(n);
	struct chunk *c;

	if (size == 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (size >= MMAP_THRESHOLD)
		return malloc_large(n);
	c = find_fit(size);
	if (c == NULL && (grow_brk(size) == 0 || grow_mmap(size) == 0))
		c = find_fit(size);
	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	bin_remove(c);
	set_chunk(c, chunk_size(c), IN_USE);
	trim_to(c, size);
	return payload(c);
}

/* The chunk of a block being freed or resized; aborts on a bad pointer. */
static struct chunk *checked_chunk(void *p, const char *who)
{
	struct chunk *c = from_payload(p);

	if (((uintptr_t)p & (ALIGNMENT - 1)) != 0 || c->magic != MAGIC || !chunk_used(c)) {
		fprintf(stderr, "%s(%p): not an allocated block (double free?)\n", who, p);
		abort();
	}
	return c;
}

void free(void *p)
{
	struct chunk *c;

	if (p == NULL)
		return;
	c = checked_chunk(p, "free");
	c->magic = 0;
	if (c->head & MMAPPED)
		munmap(c, chunk_size(c));
	else
		release(c);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p != NULL && !(from_payload(p)->head & MMAPPED))
		memset(p, 0, n * size);         /* fresh mmap memory is already zero */
	return p;
}

/* Bytes the caller may use in the block of chunk c. */
static size_t usable(struct chunk *c)
{
	return chunk_size(c) - HEADER - ((c->head & MMAPPED) ? 0 : FOOTER);
}

/* Try to resize a heap chunk where it is; 0 on success. */
static int resize_in_place(struct chunk *c, size_t size)
{
	struct chunk *right;

	if (c->head & MMAPPED)
		return size <= chunk_size(c) && size > chunk_size(c) / 2 ? 0 : -1;
	if (size >= MMAP_THRESHOLD && size > chunk_size(c))
		return -1;                      /* becomes large: move to its own mmap */
	right = right_of(c);
	if (size > chunk_size(c)) {
		if (chunk_used(right) || chunk_size(c) + chunk_size(right) < size)
			return -1;
		bin_remove(right);
		set_chunk(c, chunk_size(c) + chunk_size(right), IN_USE);
	}
	trim_to(c, size);
	return 0;
}

void *realloc(void *p, size_t n)
{
	size_t size = request_size(n);
	struct chunk *c;
	void *q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	c = checked_chunk(p, "realloc");
	if (size == 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (resize_in_place(c, size) == 0)
		return p;
	q = malloc(n);
	if (q == NULL)
		return NULL;                    /* the old block stays valid */
	memcpy(q, p, usable(c) < n ? usable(c) : n);
	free(p);
	return q;
}

/*
 * Walk every heap segment and check the invariants: tags agree at both
 * ends, no two free chunks touch, and the bins hold exactly the free
 * chunks.  Returns the number of problems found (0 = healthy).  Not in
 * any header: tests declare it themselves.
 */
int __malloc_check(void)
{
	size_t free_in_heap = 0, free_in_bins = 0;
	int problems = 0;

	for (struct segment *s = segments; s != NULL; s = s->next) {
		struct chunk *c = (struct chunk *)(s + 1);
		int prev_free = 0;
		for (; c != s->end; c = right_of(c)) {
			if (chunk_size(c) < MIN_CHUNK || *footer_of(c) != c->head)
				return problems + 1;    /* cannot walk further safely */
			if (!chunk_used(c) && prev_free)
				problems++;
			prev_free = !chunk_used(c);
			free_in_heap += prev_free;
		}
	}
	for (int i = 0; i < NBINS; i++) {
		for (struct chunk *c = bins[i]; c != NULL; c = c->next) {
			free_in_bins++;
			if (chunk_used(c) || bin_index(chunk_size(c)) != i)
				problems++;
		}
	}
	return problems + (free_in_heap != free_in_bins);
}
