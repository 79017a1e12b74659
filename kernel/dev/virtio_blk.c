/*
 * virtio_blk.c - the virtio block device, as a disk behind blk.h.
 *
 * A request is one descriptor chain on the device's single virtqueue:
 *
 *   header   16 bytes the device reads: type (IN = read, OUT = write),
 *            a reserved word, the first 512-byte sector
 *   data     one descriptor per page, 4 KiB each, in order; the device
 *            writes them for a read and reads them for a write.  The
 *            pages need not be contiguous, so a 16-page clustered
 *            pageout is one request of 18 descriptors.
 *   status   1 byte the device writes last: OK, IOERR or UNSUPP
 *
 * Header and status must be memory the device can reach by physical
 * address.  They live in `slots`, one page-backed array allocated at
 * attach time, so a request never allocates memory: it may be the
 * pageout daemon's, made because memory is short.  A request needs at
 * least 3 descriptors, so no more than size / 3 requests are ever on the
 * ring, and that is how many slots there are: a request that got its
 * descriptors always finds a slot.
 *
 * Threads.  Any number of threads may call vtblk_transfer at once.  Under
 * sc->lock each one waits until the ring has descriptors for its chain
 * (sleeping on &sc->vq; every completion wakes that channel), takes a
 * slot, enqueues, notifies the device and sleeps on its own request until
 * the interrupt handler marks it done.  The struct vtblk_req that handler
 * and thread share is on the thread's stack: it holds no DMA memory, only
 * the slot number, the done flag and the status copied out of the slot.
 * The handler sets `done` and wakes the thread under sc->lock, and the
 * thread tests it under sc->lock, so no wakeup is lost and the stack frame
 * stays put until the thread has seen it.
 *
 * Interrupts.  The device raises its INTx line (level-triggered, maybe
 * shared) and sets bit 0 of its ISR byte when it puts chains on the used
 * ring.  The handler reads the ISR, which clears it and lowers the line,
 * then takes every finished chain off the used ring; the EOI follows the
 * handler (trap_set_level_irq_handler), so the I/O APIC finds the line
 * low and does not deliver it again.  An ISR without the queue bit means
 * the interrupt was not for us: another device on a shared line, or only
 * a configuration change (which a swap disk does not act on).
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "kern/sched.h"
#include "kern/spinlock.h"
#include "dev/blk.h"
#include "dev/pci.h"
#include "dev/virtio.h"
#include "dev/virtio_blk.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX   1       /* size_max: the longest segment */
#define VIRTIO_BLK_F_SEG_MAX    2       /* seg_max: the most data segments in a request */
/* Device configuration. */
#define VIRTIO_BLK_CFG_CAPACITY 0       /* 64: size in 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX 8       /* 32 */
#define VIRTIO_BLK_CFG_SEG_MAX  12      /* 32 */
/* Request types and status. */
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_S_IOERR      1
#define VIRTIO_BLK_S_UNSUPP     2
#define VTBLK_STATUS_UNSET      0xff    /* what a status byte holds until the device writes it */

#define PCI_DEVICE_VIRTIO_BLK_TRANSITIONAL  0x1001
#define PCI_DEVICE_VIRTIO_BLK_MODERN        0x1042     /* 0x1040 + device type 2 */

/* The device-visible part of one request.  32-byte aligned: never crosses a page. */
struct vtblk_slot {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
	uint8_t status;
} __attribute__((aligned(32)));

/* One request, on its caller's stack; see the essay. */
struct vtblk_req {
	uint16_t slot;
	bool done;                      /* (l) the device has finished it */
	uint8_t status;                 /* (l) its status, once done */
};

/* Locking: (l) sc->lock; (c) constant after attach. */
struct vtblk_softc {
	struct spinlock lock;
	struct virtio_dev vdev;         /* (c) */
	struct virtqueue *vq;           /* (l) */
	struct blk_dev blk;             /* (c) */
	char name[8];                   /* (c) "vda" */
	struct vtblk_slot *slots;       /* (l) device-visible request parts */
	uint64_t slots_phys;            /* (c) */
	struct vm_page *slot_pages;     /* (c) */
	uint64_t slot_npages;           /* (c) */
	uint16_t *free_slots;           /* (l) a stack of free slot numbers */
	uint16_t nslots, nfree_slots;   /* (c), (l) */
	int ncallers;                   /* (l) vtblk_transfer calls inside: queued or waiting */
	bool held;                      /* (l) vtblk_hold: enqueue, but do not notify */
};

static int vtblk_units;                 /* disks attached so far: vda, vdb, ... */

static uint64_t slot_phys(const struct vtblk_softc *sc, uint16_t slot, size_t field)
{
	return sc->slots_phys + slot * sizeof(struct vtblk_slot) + field;
}

static const char *status_name(uint8_t status)
{
	switch (status) {
	case VIRTIO_BLK_S_IOERR: return "I/O error";
	case VIRTIO_BLK_S_UNSUPP: return "unsupported";
	case VTBLK_STATUS_UNSET: return "never written by the device";
	default: return "unknown status";
	}
}

/* ---------------------------------------------------------- the I/O path */

/* Build the chain for req in segs; returns its length. */
static int build_chain(struct vtblk_softc *sc, struct vtblk_req *req, uint64_t sector,
    struct vm_page **pages, int npages, bool write, struct virtqueue_seg *segs)
{
	struct vtblk_slot *s = &sc->slots[req->slot];
	s->type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	s->reserved = 0;
	s->sector = sector;
	s->status = VTBLK_STATUS_UNSET;
	segs[0] = (struct virtqueue_seg){ slot_phys(sc, req->slot, 0), 16, false };
	for (int i = 0; i < npages; i++)
		segs[1 + i] = (struct virtqueue_seg){ VM_PAGE_TO_PHYS(pages[i]), PAGE_SIZE, !write };
	segs[1 + npages] = (struct virtqueue_seg){
		slot_phys(sc, req->slot, offsetof(struct vtblk_slot, status)), 1, true };
	return npages + 2;
}

/* blk_ops.transfer: see blk.h.  Sleeps; no spinlock may be held. */
static int vtblk_transfer(struct blk_dev *bd, uint64_t sector, struct vm_page **pages,
    int npages, bool write)
{
	struct vtblk_softc *sc = bd->driver;
	struct virtqueue_seg segs[BLK_MAX_PAGES + 2];
	struct vtblk_req req = { .done = false };

	KASSERT(npages >= 1 && npages <= BLK_MAX_PAGES, "vtblk_transfer: %d pages", npages);
	spinlock_acquire(&sc->lock);
	sc->ncallers++;
	while (virtqueue_free_count(sc->vq) < npages + 2)
		sleep_on(&sc->vq, &sc->lock, false);    /* the ring is full */
	KASSERT(sc->nfree_slots > 0, "vtblk_transfer: %s: descriptors but no slot", sc->name);
	req.slot = sc->free_slots[--sc->nfree_slots];
	int nsegs = build_chain(sc, &req, sector, pages, npages, write, segs);
	int err = virtqueue_enqueue(sc->vq, segs, nsegs, &req);
	KASSERT(err == 0, "vtblk_transfer: enqueue failed (%d) with descriptors free", err);
	if (!sc->held)
		virtqueue_notify(sc->vq);
	while (!req.done)
		sleep_on(&req, &sc->lock, false);
	sc->ncallers--;
	spinlock_release(&sc->lock);

	if (req.status == VIRTIO_BLK_S_OK)
		return 0;
	kprintf("%s: %s of %d page(s) at sector %lu failed: status %u (%s)\n", sc->name,
	    write ? "write" : "read", npages, sector, req.status, status_name(req.status));
	return -EIO;
}

static void vtblk_intr(void *arg)
{
	struct vtblk_softc *sc = arg;
	struct vtblk_req *req;
	bool freed = false;

	if (!(virtio_isr(&sc->vdev) & VIRTIO_ISR_QUEUE))
		return;         /* not ours, or only a configuration change */
	spinlock_acquire(&sc->lock);
	while ((req = virtqueue_dequeue(sc->vq, NULL)) != NULL) {
		req->status = sc->slots[req->slot].status;
		sc->free_slots[sc->nfree_slots++] = req->slot;
		req->done = true;
		wakeup(req);
		freed = true;
	}
	if (freed)
		wakeup(&sc->vq);
	spinlock_release(&sc->lock);
}

/*
 * blk_ops.hold: see blk.h.  Nothing on the ring completes while held: the
 * device looks at the ring only when notified, and before the hold it had
 * finished every request it was told of (each caller waits for its own).
 */
static int vtblk_hold(struct blk_dev *bd, bool hold)
{
	struct vtblk_softc *sc = bd->driver;
	spinlock_acquire(&sc->lock);
	sc->held = hold;
	if (!hold)
		virtqueue_notify(sc->vq);       /* what was queued meanwhile (none: harmless) */
	int n = sc->ncallers;
	spinlock_release(&sc->lock);
	return n;
}

static const struct blk_ops vtblk_ops = {
	.transfer = vtblk_transfer,
	.hold = vtblk_hold,
};

/* ---------------------------------------------------------------- attach */

/* Does the device take requests as big as blk.h promises?  0 or -ENODEV. */
static int check_limits(struct vtblk_softc *sc)
{
	struct virtio_dev *vd = &sc->vdev;
	if ((vd->features & (1ul << VIRTIO_BLK_F_SEG_MAX)) &&
	    virtio_config_read32(vd, VIRTIO_BLK_CFG_SEG_MAX) < BLK_MAX_PAGES) {
		kprintf("%s: the device takes only %u segments a request, not %d\n", sc->name,
		    virtio_config_read32(vd, VIRTIO_BLK_CFG_SEG_MAX), BLK_MAX_PAGES);
		return -ENODEV;
	}
	if ((vd->features & (1ul << VIRTIO_BLK_F_SIZE_MAX)) &&
	    virtio_config_read32(vd, VIRTIO_BLK_CFG_SIZE_MAX) < PAGE_SIZE) {
		kprintf("%s: the device takes segments of %u bytes, not a page\n", sc->name,
		    virtio_config_read32(vd, VIRTIO_BLK_CFG_SIZE_MAX));
		return -ENODEV;
	}
	return 0;
}

/* The queue and the request slots.  0 or -ENODEV / -ENOMEM. */
static int alloc_queue(struct vtblk_softc *sc)
{
	int err = virtio_queue_setup(&sc->vdev, 0, &sc->vq);
	if (err)
		return err;
	if (sc->vq->size < BLK_MAX_PAGES + 2) {
		kprintf("%s: a queue of %u descriptors cannot hold a %d-page request\n", sc->name,
		    sc->vq->size, BLK_MAX_PAGES);
		return -ENODEV;
	}
	sc->nslots = sc->vq->size / 3;
	sc->slot_npages = page_round(sc->nslots * sizeof(struct vtblk_slot)) / PAGE_SIZE;
	sc->slot_pages = vm_page_alloc_contig(sc->slot_npages, UINT64_MAX, VM_ALLOC_ZERO);
	sc->free_slots = kmalloc(sc->nslots * sizeof(uint16_t), 0);
	if (sc->slot_pages == NULL || sc->free_slots == NULL)
		return -ENOMEM;
	sc->slots_phys = VM_PAGE_TO_PHYS(sc->slot_pages);
	sc->slots = PHYS_TO_DMAP(sc->slots_phys);
	for (uint16_t i = 0; i < sc->nslots; i++)
		sc->free_slots[i] = i;
	sc->nfree_slots = sc->nslots;
	return 0;
}

/* Undo a failed attach: the device lets go of the ring before it is freed. */
static void vtblk_detach(struct vtblk_softc *sc)
{
	virtio_fail(&sc->vdev);
	if (sc->vq != NULL)
		virtqueue_free(sc->vq);
	if (sc->slot_pages != NULL)
		vm_page_free_contig(sc->slot_pages, sc->slot_npages);
	kfree(sc->free_slots);
	kfree(sc);
}

static int vtblk_attach(struct pci_dev *pci)
{
	struct vtblk_softc *sc = kmalloc(sizeof(*sc), KM_ZERO);
	if (sc == NULL)
		return -ENOMEM;
	spinlock_init(&sc->lock, "virtio_blk");
	ksnprintf(sc->name, sizeof(sc->name), "vd%c", 'a' + vtblk_units);
	int err = virtio_pci_attach(&sc->vdev, pci);
	if (err) {
		kfree(sc);
		return err;
	}
	err = virtio_negotiate(&sc->vdev, 1ul << VIRTIO_BLK_F_SEG_MAX | 1ul << VIRTIO_BLK_F_SIZE_MAX);
	if (err == 0)
		err = check_limits(sc);
	if (err == 0)
		err = alloc_queue(sc);
	if (err == 0)
		err = pci_intr_establish(pci, vtblk_intr, sc);
	if (err) {
		vtblk_detach(sc);
		return err;
	}
	virtio_driver_ok(&sc->vdev);

	sc->blk = (struct blk_dev){
		.name = sc->name,
		.sectors = virtio_config_read64(&sc->vdev, VIRTIO_BLK_CFG_CAPACITY),
		.ops = &vtblk_ops,
		.driver = sc,
	};
	vtblk_units++;
	kprintf("vmos: %s: virtio-blk (%s), %lu sectors (%lu MiB)\n", sc->name,
	    virtio_transport_name(&sc->vdev), sc->blk.sectors,
	    sc->blk.sectors * BLK_SECTOR_SIZE / MiB);
	blk_register(&sc->blk);
	return 0;
}

static const struct pci_id vtblk_ids[] = {
	{ VIRTIO_PCI_VENDOR, PCI_DEVICE_VIRTIO_BLK_TRANSITIONAL },
	{ VIRTIO_PCI_VENDOR, PCI_DEVICE_VIRTIO_BLK_MODERN },
	{ 0, 0 },
};

struct pci_driver virtio_blk_driver = {
	.name = "virtio_blk",
	.ids = vtblk_ids,
	.attach = vtblk_attach,
};
