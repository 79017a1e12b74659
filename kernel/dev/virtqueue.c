/*
 * virtqueue.c - the split virtqueue: how a driver hands buffers to a
 * virtio device and gets them back (virtio 1.x, "Split Virtqueues").
 *
 * A virtqueue of size N is three arrays in memory both sides share:
 *
 *   descriptor table  N x { addr, len, flags, next }: one buffer each;
 *                     NEXT chains a descriptor to another, WRITE marks a
 *                     buffer the device writes (else it only reads it)
 *   available ring    { flags, idx, ring[N] }: written by the driver; the
 *                     head of every new chain goes into ring[idx % N],
 *                     then idx is incremented (it runs freely and wraps
 *                     at 65536)
 *   used ring         { flags, idx, ring[N] of { id, len } }: written by
 *                     the device; each finished chain's head and the bytes
 *                     written into it, then idx is incremented
 *
 * Ownership.  A descriptor is the driver's while it is on our free list
 * (linked through .next, free_head/nfree) and the device's from the moment
 * its chain's head is published in the available ring until the head
 * comes back in the used ring; only then is the chain walked and its
 * descriptors freed.  Chains are any length and any descriptors: the
 * free list makes no promise of contiguity.
 *
 * Ordering.  The device may run in parallel (another host thread), so the
 * descriptors and the ring entry must be visible before the idx store that
 * publishes them (a release fence); after publishing, the check of the
 * device's "no notify" flag must not be hoisted above the idx store (a
 * full fence: store then load).  On the used side, the entries are read
 * only after reading used->idx (an acquire fence).  On x86 the release and
 * acquire fences cost nothing but stop the compiler; the full one is an
 * mfence.
 *
 * Memory.  The legacy interface gives the device one page number and
 * fixes the layout: the used ring starts at the first 4 KiB boundary after
 * the available ring.  The modern interface takes three addresses; we give
 * it the same layout, so both transports share this code.  The pages are
 * physically contiguous and below 4 GiB (a legacy page number is 32 bits).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "dev/virtio.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"

#define VIRTQ_DESC_F_NEXT       1
#define VIRTQ_DESC_F_WRITE      2
#define VIRTQ_USED_F_NO_NOTIFY  1
#define VIRTQ_LEGACY_ALIGN      4096

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];                /* then uint16_t used_event (unused: no EVENT_IDX) */
};

struct virtq_used_elem {
	uint32_t id;                    /* head of the finished chain */
	uint32_t len;                   /* bytes the device wrote into it */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];  /* then uint16_t avail_event */
};

_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc layout");
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtq_used_elem layout");

uint64_t virtqueue_avail_offset(const struct virtqueue *vq)
{
	return (uint64_t)vq->size * sizeof(struct virtq_desc);
}

uint64_t virtqueue_used_offset(const struct virtqueue *vq)
{
	uint64_t avail_end = virtqueue_avail_offset(vq) + 2 * sizeof(uint16_t) +
	    (vq->size + 1) * sizeof(uint16_t);
	return ROUNDUP(avail_end, VIRTQ_LEGACY_ALIGN);
}

static uint64_t ring_bytes(const struct virtqueue *vq)
{
	return virtqueue_used_offset(vq) + 2 * sizeof(uint16_t) +
	    vq->size * sizeof(struct virtq_used_elem) + sizeof(uint16_t);
}

int virtqueue_alloc(struct virtio_dev *vd, uint16_t index, uint16_t size, struct virtqueue **vqp)
{
	KASSERT(IS_POWER_OF_2(size), "virtqueue_alloc: size %u", size);
	struct virtqueue *vq = kmalloc(sizeof(*vq), KM_ZERO);
	if (vq == NULL)
		return -ENOMEM;
	vq->vdev = vd;
	vq->index = index;
	vq->size = size;
	vq->cookie = kmalloc(size * sizeof(void *), KM_ZERO);
	if (vq->cookie == NULL)
		goto fail_vq;
	vq->ring_npages = page_round(ring_bytes(vq)) / PAGE_SIZE;
	vq->ring_pages = vm_page_alloc_contig(vq->ring_npages, 4 * GiB, VM_ALLOC_ZERO);
	if (vq->ring_pages == NULL)
		goto fail_cookie;
	vq->ring_phys = VM_PAGE_TO_PHYS(vq->ring_pages);
	uint8_t *base = PHYS_TO_DMAP(vq->ring_phys);
	vq->desc = (struct virtq_desc *)base;
	vq->avail = (struct virtq_avail *)(base + virtqueue_avail_offset(vq));
	vq->used = (struct virtq_used *)(base + virtqueue_used_offset(vq));
	for (uint16_t i = 0; i < size; i++)
		vq->desc[i].next = (uint16_t)(i + 1);   /* the last one's next is never followed */
	vq->free_head = 0;
	vq->nfree = size;
	*vqp = vq;
	return 0;

fail_cookie:
	kfree(vq->cookie);
fail_vq:
	kfree(vq);
	return -ENOMEM;
}

void virtqueue_free(struct virtqueue *vq)
{
	vm_page_free_contig(vq->ring_pages, vq->ring_npages);
	kfree(vq->cookie);
	kfree(vq);
}

int virtqueue_free_count(const struct virtqueue *vq)
{
	return vq->nfree;
}

int virtqueue_enqueue(struct virtqueue *vq, const struct virtqueue_seg *segs, int nsegs,
    void *cookie)
{
	KASSERT(nsegs > 0 && cookie != NULL, "virtqueue_enqueue: nsegs %d cookie %p", nsegs,
	    cookie);
	if (nsegs > vq->nfree)
		return -ENOSPC;
	uint16_t head = vq->free_head, i = head, last = head;
	for (int n = 0; n < nsegs; n++) {
		struct virtq_desc *d = &vq->desc[i];
		d->addr = segs[n].phys;
		d->len = segs[n].len;
		d->flags = (segs[n].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
		    (n + 1 < nsegs ? VIRTQ_DESC_F_NEXT : 0);
		last = i;
		i = d->next;
	}
	vq->free_head = vq->desc[last].next;
	vq->nfree -= nsegs;
	vq->cookie[head] = cookie;
	vq->avail->ring[vq->avail_idx % vq->size] = head;
	__atomic_thread_fence(__ATOMIC_RELEASE);        /* chain and entry before idx */
	vq->avail_idx++;
	*(volatile uint16_t *)&vq->avail->idx = vq->avail_idx;
	return 0;
}

void virtqueue_notify(struct virtqueue *vq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* idx store before the flags load */
	if (*(volatile uint16_t *)&vq->used->flags & VIRTQ_USED_F_NO_NOTIFY)
		return;
	virtio_notify(vq->vdev, vq);
}

/* Put the chain starting at head back on the free list. */
static void free_chain(struct virtqueue *vq, uint16_t head)
{
	uint16_t i = head;
	int n = 1;
	while (vq->desc[i].flags & VIRTQ_DESC_F_NEXT) {
		i = vq->desc[i].next;
		n++;
		KASSERT(n <= vq->size, "free_chain: chain at %u loops", head);
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
	vq->nfree += n;
}

void *virtqueue_dequeue(struct virtqueue *vq, uint32_t *len)
{
	uint16_t used_idx = *(volatile uint16_t *)&vq->used->idx;
	if (used_idx == vq->last_used)
		return NULL;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);        /* idx before the entry */
	struct virtq_used_elem e = vq->used->ring[vq->last_used % vq->size];
	vq->last_used++;
	KASSERT(e.id < vq->size && vq->cookie[e.id] != NULL,
	    "virtqueue_dequeue: the device returned descriptor %u, which it does not own", e.id);
	void *cookie = vq->cookie[e.id];
	vq->cookie[e.id] = NULL;
	free_chain(vq, (uint16_t)e.id);
	if (len != NULL)
		*len = e.len;
	return cookie;
}
