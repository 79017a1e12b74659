/*
 * ring.h - a byte ring buffer, the storage of a pipe (pipe.c).
 *
 * buf holds size bytes.  The data are the count bytes from index head on,
 * wrapping at size; the free part follows them.  A producer copies into
 * the free part and then ring_produce()s; a consumer copies out of the
 * data and then ring_consume()s.  The segment functions give the first
 * contiguous run of each, so any copy is at most two pieces.
 *
 * The ring has no lock of its own: its owner's lock guards head and count.
 * pipe.c explains how a pipe copies into and out of the ring without
 * holding that lock (the two parts never overlap).
 */
#ifndef KERN_RING_H
#define KERN_RING_H

#include "kern/kernel.h"

struct ring {
	char *buf;                      /* size bytes */
	size_t size;
	size_t head;                    /* index of the oldest byte */
	size_t count;                   /* bytes held */
};

static inline size_t ring_free(const struct ring *r)
{
	return r->size - r->count;
}

/* The first contiguous run of data: its start index, its length in *len. */
static inline size_t ring_data_seg(const struct ring *r, size_t *len)
{
	*len = MIN(r->count, r->size - r->head);
	return r->head;
}

/* The first contiguous run of free bytes after the data. */
static inline size_t ring_space_seg(const struct ring *r, size_t *len)
{
	size_t tail = (r->head + r->count) % r->size;
	*len = MIN(ring_free(r), r->size - tail);
	return tail;
}

/* n bytes were copied into the free part: they are data now. */
static inline void ring_produce(struct ring *r, size_t n)
{
	KASSERT(n <= ring_free(r), "ring_produce: %zu bytes, %zu free", n, ring_free(r));
	r->count += n;
}

/* n bytes were copied out of the data: their room is free now. */
static inline void ring_consume(struct ring *r, size_t n)
{
	KASSERT(n <= r->count, "ring_consume: %zu bytes, %zu held", n, r->count);
	r->head = (r->head + n) % r->size;
	r->count -= n;
}

#endif
