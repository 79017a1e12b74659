/*
 * virtio.h - virtio devices on PCI: the transport (virtio.c) and the split
 * virtqueue (virtqueue.c), after the OASIS virtio 1.x specification.
 *
 * A virtio device is a PCI function with vendor 0x1af4.  Its driver
 * (virtio_blk.c) brings it up in the order the specification fixes:
 *
 *   virtio_pci_attach    choose the transport, reset, ACKNOWLEDGE | DRIVER
 *   virtio_negotiate     agree on features (FEATURES_OK for modern devices)
 *   virtio_config_read*  read the device-specific configuration
 *   virtio_queue_setup   give the device its virtqueue(s)
 *   virtio_driver_ok     DRIVER_OK: the device is live
 *
 * and on failure calls virtio_fail (status FAILED).  Requests are chains
 * of descriptors put on a virtqueue (virtqueue_enqueue), announced to the
 * device (virtqueue_notify) and taken back when the device has used them
 * (virtqueue_dequeue), usually from the interrupt handler after
 * virtio_isr() said the queue has news.
 *
 * Locking: a virtqueue has no lock of its own.  Its driver serialises
 * every call on it with one spinlock (the interrupt handler takes it too),
 * marked (d) below; (c) is constant after setup.
 */
#ifndef DEV_VIRTIO_H
#define DEV_VIRTIO_H

#include "kern/kernel.h"

struct pci_dev;
struct vm_page;

#define VIRTIO_PCI_VENDOR       0x1af4

/* Device status bits (the order they are set in). */
#define VIRTIO_STATUS_ACKNOWLEDGE   0x01    /* we saw the device */
#define VIRTIO_STATUS_DRIVER        0x02    /* and have a driver for it */
#define VIRTIO_STATUS_DRIVER_OK     0x04    /* the driver is ready: the device may work */
#define VIRTIO_STATUS_FEATURES_OK   0x08    /* feature negotiation done (modern only) */
#define VIRTIO_STATUS_FAILED        0x80    /* the driver gave up on the device */

/* Feature bits of every device type. */
#define VIRTIO_F_VERSION_1          32      /* a virtio 1.x (modern) device */

/* ISR status bits (reading the register clears them and lowers INTx). */
#define VIRTIO_ISR_QUEUE            0x01
#define VIRTIO_ISR_CONFIG           0x02

enum virtio_transport {
	VIRTIO_LEGACY,                  /* virtio 0.9.5: registers in I/O BAR 0 */
	VIRTIO_MODERN,                  /* virtio 1.x: structures in memory BARs */
};

struct virtio_dev {
	struct pci_dev *pci;            /* (c) */
	enum virtio_transport transport;        /* (c) */
	uint64_t features;              /* (c) negotiated */
	/* legacy: the I/O BAR */
	uint16_t iobase;                /* (c) */
	/* modern: the structures the vendor capabilities point at, mapped */
	volatile uint8_t *common;       /* (c) common configuration */
	volatile uint8_t *isr;          /* (c) ISR status byte */
	volatile uint8_t *device_cfg;   /* (c) device-specific configuration */
	uint32_t device_cfg_len;        /* (c) */
	volatile uint8_t *notify_base;  /* (c) notification area */
	uint32_t notify_len;            /* (c) */
	uint32_t notify_multiplier;     /* (c) bytes between queues' notify addresses */
};

/* ------------------------------------------------------------ transport */

/*
 * Take over pci as a virtio device: pick its transport (modern when it
 * offers both; see virtio.c), map what that needs, reset the device and
 * set ACKNOWLEDGE and DRIVER.  0, or -ENODEV (neither transport usable) /
 * -ENOMEM / -EIO (the device did not reset).  At boot.
 */
int virtio_pci_attach(struct virtio_dev *vd, struct pci_dev *pci);
/*
 * Accept the features in `wanted` that the device offers (a modern
 * device must offer VIRTIO_F_VERSION_1, which is always accepted; the
 * transport adds it).  0 with vd->features set, or -ENODEV when the
 * device refuses the set (it does not keep FEATURES_OK).
 */
int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted);
/* Read the device-specific configuration at byte offset off. */
uint8_t virtio_config_read8(struct virtio_dev *vd, unsigned off);
uint32_t virtio_config_read32(struct virtio_dev *vd, unsigned off);
uint64_t virtio_config_read64(struct virtio_dev *vd, unsigned off);
void virtio_driver_ok(struct virtio_dev *vd);
/* Give up: reset the device (so it lets go of its queues) and mark it FAILED. */
void virtio_fail(struct virtio_dev *vd);
/* Read (and so clear) the ISR status: VIRTIO_ISR_* bits.  Interrupt context. */
uint8_t virtio_isr(struct virtio_dev *vd);
struct virtqueue;
/* Tell the device vq has new buffers (virtqueue_notify calls it). */
void virtio_notify(struct virtio_dev *vd, struct virtqueue *vq);
/* "legacy" / "modern", for messages. */
const char *virtio_transport_name(const struct virtio_dev *vd);

/* ------------------------------------------------------------ virtqueue */

struct virtq_desc;
struct virtq_avail;
struct virtq_used;

struct virtqueue {
	struct virtio_dev *vdev;        /* (c) */
	uint16_t index;                 /* (c) queue number within the device */
	uint16_t size;                  /* (c) descriptors: a power of 2 */
	struct virtq_desc *desc;        /* (c) the three parts of the ring, in */
	struct virtq_avail *avail;      /* (c)   physically contiguous pages */
	struct virtq_used *used;        /* (c) */
	struct vm_page *ring_pages;     /* (c) */
	uint64_t ring_npages;           /* (c) */
	uint64_t ring_phys;             /* (c) */
	volatile uint16_t *notify;      /* (c) modern: where to write `index` to notify */
	uint16_t free_head;             /* (d) first free descriptor (a list through .next) */
	uint16_t nfree;                 /* (d) free descriptors */
	uint16_t avail_idx;             /* (d) our copy of avail->idx */
	uint16_t last_used;             /* (d) used->idx up to which we have looked */
	void **cookie;                  /* (d) per head descriptor: the caller's token */
};

/*
 * Set up virtqueue `index` of vd: allocate its ring (with as many
 * descriptors as the device offers, up to VIRTQUEUE_MAX_SIZE) and tell the
 * device where it is.  0 with *vqp, or -ENODEV (no such queue) / -ENOMEM.
 * Before virtio_driver_ok.
 */
#define VIRTQUEUE_MAX_SIZE      256
int virtio_queue_setup(struct virtio_dev *vd, uint16_t index, struct virtqueue **vqp);

/* One buffer of a chain: physical address, length, who writes it. */
struct virtqueue_seg {
	uint64_t phys;
	uint32_t len;
	bool device_writes;             /* device-writable (data in), else device-readable */
};

/*
 * The ring's memory, laid out as the legacy interface requires it
 * (descriptors, then the available ring, then the used ring at the next
 * 4 KiB boundary), in physically contiguous pages below 4 GiB.  0 with
 * *vqp, or -ENOMEM.  (virtio.c calls it; drivers call virtio_queue_setup.)
 */
int virtqueue_alloc(struct virtio_dev *vd, uint16_t index, uint16_t size, struct virtqueue **vqp);
void virtqueue_free(struct virtqueue *vq);
/* The offsets of the available and used rings from ring_phys. */
uint64_t virtqueue_avail_offset(const struct virtqueue *vq);
uint64_t virtqueue_used_offset(const struct virtqueue *vq);

/* Free descriptors: a chain of n segments needs n. */
int virtqueue_free_count(const struct virtqueue *vq);
/*
 * Put the chain segs[0..nsegs) on the available ring, remembering cookie
 * (not NULL) for virtqueue_dequeue.  0, or -ENOSPC when fewer than nsegs
 * descriptors are free.  The device is not told until virtqueue_notify.
 */
int virtqueue_enqueue(struct virtqueue *vq, const struct virtqueue_seg *segs, int nsegs,
    void *cookie);
/* Tell the device there is new work, unless it said it does not need telling. */
void virtqueue_notify(struct virtqueue *vq);
/*
 * The cookie of the next chain the device has finished with, its
 * descriptors freed, and in *len (if not NULL) the bytes the device wrote;
 * NULL when there is none.
 */
void *virtqueue_dequeue(struct virtqueue *vq, uint32_t *len);

#endif
