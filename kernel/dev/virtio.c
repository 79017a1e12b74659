/*
 * virtio.c - the virtio PCI transport, legacy and modern (virtio.h).
 *
 * A virtio device is the same device behind either of two register
 * interfaces, and QEMU's default ("transitional") virtio-pci device offers
 * both at once:
 *
 *   legacy (virtio 0.9.5)  a fixed block of registers in I/O BAR 0:
 *                          32 feature bits, a queue given as one page
 *                          number, status and ISR bytes, then the device's
 *                          configuration.  PCI device ids 0x1000..0x103f.
 *   modern (virtio 1.x)    PCI capabilities of vendor type 0x09, each
 *                          naming a BAR, an offset and a length: the common
 *                          configuration (features in 32-bit windows,
 *                          status, per-queue size/addresses/enable), the
 *                          notification area, the ISR byte and the device
 *                          configuration.  Ids 0x1040 + device type, or a
 *                          transitional id with the capabilities present.
 *
 * When a device offers both we use modern.  It is the interface the
 * specification defines (legacy is described only so old drivers keep
 * working), and it is the better one: the device can refuse a feature set
 * (FEATURES_OK) instead of misbehaving, there are 64 feature bits, the
 * ring's three parts are given as full 64-bit addresses, the driver may
 * shrink a queue, everything is little-endian by definition, and the
 * registers are memory-mapped, so they work where a platform has no I/O
 * space.  Legacy stays for devices that offer nothing else
 * (-device virtio-blk-pci,disable-modern=on).
 *
 * The legacy device configuration starts at offset 0x14 of the I/O BAR
 * only while MSI-X is off (0x18 when on); we never enable MSI-X, and the
 * device interrupts through INTx.
 *
 * Device status is written in the order the specification fixes: reset
 * (0; a modern device must read back 0 before we go on), ACKNOWLEDGE,
 * DRIVER, features, FEATURES_OK (modern), queues, DRIVER_OK; FAILED when
 * the driver gives up.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "arch/x86_64/cpu.h"
#include "dev/pci.h"
#include "dev/virtio.h"

/* Legacy registers: offsets into I/O BAR 0. */
#define VIRTIO_LEGACY_HOST_FEATURES     0x00    /* 32 */
#define VIRTIO_LEGACY_GUEST_FEATURES    0x04    /* 32 */
#define VIRTIO_LEGACY_QUEUE_PFN         0x08    /* 32: ring address >> 12 */
#define VIRTIO_LEGACY_QUEUE_SIZE        0x0c    /* 16, read-only */
#define VIRTIO_LEGACY_QUEUE_SELECT      0x0e    /* 16 */
#define VIRTIO_LEGACY_QUEUE_NOTIFY      0x10    /* 16 */
#define VIRTIO_LEGACY_STATUS            0x12    /* 8 */
#define VIRTIO_LEGACY_ISR               0x13    /* 8 */
#define VIRTIO_LEGACY_CONFIG            0x14    /* device configuration (MSI-X off) */
#define VIRTIO_LEGACY_PFN_SHIFT         12

/* Modern: the vendor capability (struct virtio_pci_cap) ... */
#define VIRTIO_CAP_CFG_TYPE             3       /* 8 */
#define VIRTIO_CAP_BAR                  4       /* 8 */
#define VIRTIO_CAP_OFFSET               8       /* 32 */
#define VIRTIO_CAP_LENGTH               12      /* 32 */
#define VIRTIO_CAP_NOTIFY_MULTIPLIER    16      /* 32, notify capability only */
#define VIRTIO_PCI_CAP_COMMON_CFG       1
#define VIRTIO_PCI_CAP_NOTIFY_CFG       2
#define VIRTIO_PCI_CAP_ISR_CFG          3
#define VIRTIO_PCI_CAP_DEVICE_CFG       4
/* ... and the common configuration it points at. */
#define VIRTIO_COMMON_DFSELECT          0x00    /* 32: device feature window */
#define VIRTIO_COMMON_DF                0x04    /* 32 */
#define VIRTIO_COMMON_GFSELECT          0x08    /* 32: driver feature window */
#define VIRTIO_COMMON_GF                0x0c    /* 32 */
#define VIRTIO_COMMON_STATUS            0x14    /* 8 */
#define VIRTIO_COMMON_CFGGENERATION     0x15    /* 8 */
#define VIRTIO_COMMON_Q_SELECT          0x16    /* 16 */
#define VIRTIO_COMMON_Q_SIZE            0x18    /* 16 */
#define VIRTIO_COMMON_Q_ENABLE          0x1c    /* 16 */
#define VIRTIO_COMMON_Q_NOFF            0x1e    /* 16: queue_notify_off */
#define VIRTIO_COMMON_Q_DESCLO          0x20    /* 64 as two 32s */
#define VIRTIO_COMMON_Q_AVAILLO         0x28
#define VIRTIO_COMMON_Q_USEDLO          0x30
#define VIRTIO_COMMON_LEN               0x38

#define VIRTIO_PCI_MODERN_BASE          0x1040  /* device ids from here on are modern only */
#define VIRTIO_RESET_SPINS              1000000

/* ----------------------------------------------------- register access */

static inline void mmio_write8(volatile uint8_t *base, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(base + off) = v;
}

static inline void mmio_write16(volatile uint8_t *base, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(base + off) = v;
}

static inline void mmio_write32(volatile uint8_t *base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static inline uint8_t mmio_read8(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint8_t *)(base + off);
}

static inline uint16_t mmio_read16(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint16_t *)(base + off);
}

static inline uint32_t mmio_read32(volatile uint8_t *base, unsigned off)
{
	return *(volatile uint32_t *)(base + off);
}

static void mmio_write64(volatile uint8_t *base, unsigned off, uint64_t v)
{
	mmio_write32(base, off, (uint32_t)v);
	mmio_write32(base, off + 4, (uint32_t)(v >> 32));
}

static uint8_t get_status(struct virtio_dev *vd)
{
	if (vd->transport == VIRTIO_MODERN)
		return mmio_read8(vd->common, VIRTIO_COMMON_STATUS);
	return inb(vd->iobase + VIRTIO_LEGACY_STATUS);
}

static void set_status(struct virtio_dev *vd, uint8_t status)
{
	if (vd->transport == VIRTIO_MODERN)
		mmio_write8(vd->common, VIRTIO_COMMON_STATUS, status);
	else
		outb(vd->iobase + VIRTIO_LEGACY_STATUS, status);
}

static void add_status(struct virtio_dev *vd, uint8_t bits)
{
	set_status(vd, get_status(vd) | bits);
}

const char *virtio_transport_name(const struct virtio_dev *vd)
{
	return vd->transport == VIRTIO_MODERN ? "modern" : "legacy";
}

/* ---------------------------------------------------- choosing a transport */

/* Map the region a modern capability at `cap` describes: NULL if unusable. */
static volatile uint8_t *map_cap_region(struct pci_dev *pci, unsigned cap, uint32_t *len)
{
	uint8_t bar = pci_cfg_read8(pci, cap + VIRTIO_CAP_BAR);
	uint32_t off = pci_cfg_read32(pci, cap + VIRTIO_CAP_OFFSET);
	void *va;

	*len = pci_cfg_read32(pci, cap + VIRTIO_CAP_LENGTH);
	if (bar >= PCI_NUM_BARS || (uint64_t)off + *len > pci->bar[bar].size)
		return NULL;
	if (pci_bar_map(pci, bar, &va) != 0)
		return NULL;
	return (volatile uint8_t *)va + off;
}

/* One capability: keep the first usable structure of each type (as the spec asks). */
static void modern_cap(struct virtio_dev *vd, unsigned cap)
{
	struct pci_dev *pci = vd->pci;
	uint8_t type = pci_cfg_read8(pci, cap + VIRTIO_CAP_CFG_TYPE);
	volatile uint8_t *p;
	uint32_t len;

	switch (type) {
	case VIRTIO_PCI_CAP_COMMON_CFG:
		if (vd->common == NULL && (p = map_cap_region(pci, cap, &len)) && len >= VIRTIO_COMMON_LEN)
			vd->common = p;
		break;
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		if (vd->notify_base == NULL && (p = map_cap_region(pci, cap, &len)) && len >= 2) {
			vd->notify_base = p;
			vd->notify_len = len;
			vd->notify_multiplier = pci_cfg_read32(pci, cap + VIRTIO_CAP_NOTIFY_MULTIPLIER);
		}
		break;
	case VIRTIO_PCI_CAP_ISR_CFG:
		if (vd->isr == NULL && (p = map_cap_region(pci, cap, &len)) && len >= 1)
			vd->isr = p;
		break;
	case VIRTIO_PCI_CAP_DEVICE_CFG:
		if (vd->device_cfg == NULL && (p = map_cap_region(pci, cap, &len))) {
			vd->device_cfg = p;
			vd->device_cfg_len = len;
		}
		break;
	default:
		break;                  /* PCI config access, shared memory: not used */
	}
}

static bool modern_found(struct virtio_dev *vd)
{
	for (unsigned c = pci_cap_find(vd->pci, PCI_CAP_VENDOR, 0); c != 0;
	    c = pci_cap_find(vd->pci, PCI_CAP_VENDOR, c))
		modern_cap(vd, c);
	return vd->common != NULL && vd->notify_base != NULL && vd->isr != NULL;
}

static bool legacy_found(struct virtio_dev *vd)
{
	const struct pci_bar *b = &vd->pci->bar[0];
	if (vd->pci->device >= VIRTIO_PCI_MODERN_BASE || b->type != PCI_BAR_IO ||
	    b->size < VIRTIO_LEGACY_CONFIG)
		return false;
	vd->iobase = (uint16_t)b->base;
	return true;
}

static int reset(struct virtio_dev *vd)
{
	set_status(vd, 0);
	if (vd->transport == VIRTIO_LEGACY)
		return 0;               /* a legacy reset takes effect at once */
	for (int i = 0; i < VIRTIO_RESET_SPINS; i++) {
		if (get_status(vd) == 0)
			return 0;
		cpu_pause();
	}
	return -EIO;
}

int virtio_pci_attach(struct virtio_dev *vd, struct pci_dev *pci)
{
	vd->pci = pci;
	if (modern_found(vd))
		vd->transport = VIRTIO_MODERN;
	else if (legacy_found(vd))
		vd->transport = VIRTIO_LEGACY;
	else
		return -ENODEV;
	if (reset(vd) != 0)
		return -EIO;
	set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
	add_status(vd, VIRTIO_STATUS_DRIVER);
	return 0;
}

/* --------------------------------------------------------------- features */

static uint64_t device_features(struct virtio_dev *vd)
{
	if (vd->transport == VIRTIO_LEGACY)
		return inl(vd->iobase + VIRTIO_LEGACY_HOST_FEATURES);
	mmio_write32(vd->common, VIRTIO_COMMON_DFSELECT, 0);
	uint64_t lo = mmio_read32(vd->common, VIRTIO_COMMON_DF);
	mmio_write32(vd->common, VIRTIO_COMMON_DFSELECT, 1);
	uint64_t hi = mmio_read32(vd->common, VIRTIO_COMMON_DF);
	return hi << 32 | lo;
}

static void driver_features(struct virtio_dev *vd, uint64_t features)
{
	if (vd->transport == VIRTIO_LEGACY) {
		outl(vd->iobase + VIRTIO_LEGACY_GUEST_FEATURES, (uint32_t)features);
		return;
	}
	mmio_write32(vd->common, VIRTIO_COMMON_GFSELECT, 0);
	mmio_write32(vd->common, VIRTIO_COMMON_GF, (uint32_t)features);
	mmio_write32(vd->common, VIRTIO_COMMON_GFSELECT, 1);
	mmio_write32(vd->common, VIRTIO_COMMON_GF, (uint32_t)(features >> 32));
}

int virtio_negotiate(struct virtio_dev *vd, uint64_t wanted)
{
	uint64_t offered = device_features(vd);
	uint64_t accepted = offered & wanted & ~(1ul << VIRTIO_F_VERSION_1);

	if (vd->transport == VIRTIO_MODERN) {
		if (!(offered & (1ul << VIRTIO_F_VERSION_1)))
			return -ENODEV;         /* a modern interface without 1.x semantics */
		accepted |= 1ul << VIRTIO_F_VERSION_1;
	}
	driver_features(vd, accepted);
	if (vd->transport == VIRTIO_MODERN) {
		add_status(vd, VIRTIO_STATUS_FEATURES_OK);
		if (!(get_status(vd) & VIRTIO_STATUS_FEATURES_OK))
			return -ENODEV;
	}
	vd->features = accepted;
	return 0;
}

/* ------------------------------------------------- device configuration */

static void check_config(struct virtio_dev *vd, unsigned off, unsigned size)
{
	KASSERT(vd->transport == VIRTIO_LEGACY || off + size <= vd->device_cfg_len,
	    "virtio_config_read: offset %u size %u beyond %u", off, size, vd->device_cfg_len);
}

uint8_t virtio_config_read8(struct virtio_dev *vd, unsigned off)
{
	check_config(vd, off, 1);
	if (vd->transport == VIRTIO_LEGACY)
		return inb(vd->iobase + VIRTIO_LEGACY_CONFIG + off);
	return mmio_read8(vd->device_cfg, off);
}

uint32_t virtio_config_read32(struct virtio_dev *vd, unsigned off)
{
	check_config(vd, off, 4);
	if (vd->transport == VIRTIO_LEGACY)
		return inl(vd->iobase + VIRTIO_LEGACY_CONFIG + off);
	return mmio_read32(vd->device_cfg, off);
}

/* Two 32-bit halves; a modern device's generation count tells a torn read. */
uint64_t virtio_config_read64(struct virtio_dev *vd, unsigned off)
{
	uint8_t gen = 0;
	uint64_t lo, hi;

	check_config(vd, off, 8);
	if (vd->transport == VIRTIO_LEGACY) {
		lo = inl(vd->iobase + VIRTIO_LEGACY_CONFIG + off);
		hi = inl(vd->iobase + VIRTIO_LEGACY_CONFIG + off + 4);
		return hi << 32 | lo;
	}
	do {
		gen = mmio_read8(vd->common, VIRTIO_COMMON_CFGGENERATION);
		lo = mmio_read32(vd->device_cfg, off);
		hi = mmio_read32(vd->device_cfg, off + 4);
	} while (gen != mmio_read8(vd->common, VIRTIO_COMMON_CFGGENERATION));
	return hi << 32 | lo;
}

/* ----------------------------------------------------------------- queues */

static int legacy_queue_setup(struct virtio_dev *vd, uint16_t index, struct virtqueue **vqp)
{
	outw(vd->iobase + VIRTIO_LEGACY_QUEUE_SELECT, index);
	uint16_t size = inw(vd->iobase + VIRTIO_LEGACY_QUEUE_SIZE);
	if (size == 0 || !IS_POWER_OF_2(size))
		return -ENODEV;         /* the legacy size is the device's: we cannot pick one */
	int err = virtqueue_alloc(vd, index, size, vqp);
	if (err)
		return err;
	outl(vd->iobase + VIRTIO_LEGACY_QUEUE_PFN,
	    (uint32_t)((*vqp)->ring_phys >> VIRTIO_LEGACY_PFN_SHIFT));
	return 0;
}

static int modern_queue_setup(struct virtio_dev *vd, uint16_t index, struct virtqueue **vqp)
{
	volatile uint8_t *c = vd->common;
	mmio_write16(c, VIRTIO_COMMON_Q_SELECT, index);
	uint16_t size = mmio_read16(c, VIRTIO_COMMON_Q_SIZE);
	if (size == 0)
		return -ENODEV;
	while (size > VIRTQUEUE_MAX_SIZE || !IS_POWER_OF_2(size))
		size &= (uint16_t)(size - 1);   /* clear the lowest bit: toward a power of 2 */
	uint32_t noff = (uint32_t)mmio_read16(c, VIRTIO_COMMON_Q_NOFF) * vd->notify_multiplier;
	if (noff + 2 > vd->notify_len)
		return -ENODEV;
	int err = virtqueue_alloc(vd, index, size, vqp);
	if (err)
		return err;
	struct virtqueue *vq = *vqp;
	vq->notify = (volatile uint16_t *)(vd->notify_base + noff);
	mmio_write16(c, VIRTIO_COMMON_Q_SIZE, size);
	mmio_write64(c, VIRTIO_COMMON_Q_DESCLO, vq->ring_phys);
	mmio_write64(c, VIRTIO_COMMON_Q_AVAILLO, vq->ring_phys + virtqueue_avail_offset(vq));
	mmio_write64(c, VIRTIO_COMMON_Q_USEDLO, vq->ring_phys + virtqueue_used_offset(vq));
	mmio_write16(c, VIRTIO_COMMON_Q_ENABLE, 1);
	return 0;
}

int virtio_queue_setup(struct virtio_dev *vd, uint16_t index, struct virtqueue **vqp)
{
	if (vd->transport == VIRTIO_MODERN)
		return modern_queue_setup(vd, index, vqp);
	return legacy_queue_setup(vd, index, vqp);
}

void virtio_notify(struct virtio_dev *vd, struct virtqueue *vq)
{
	if (vd->transport == VIRTIO_MODERN)
		*vq->notify = vq->index;
	else
		outw(vd->iobase + VIRTIO_LEGACY_QUEUE_NOTIFY, vq->index);
}

/* ------------------------------------------------------------ the rest */

void virtio_driver_ok(struct virtio_dev *vd)
{
	add_status(vd, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_fail(struct virtio_dev *vd)
{
	(void)reset(vd);                /* it forgets its queues: their memory may go */
	set_status(vd, VIRTIO_STATUS_FAILED);
}

uint8_t virtio_isr(struct virtio_dev *vd)
{
	if (vd->transport == VIRTIO_MODERN)
		return mmio_read8(vd->isr, 0);
	return inb(vd->iobase + VIRTIO_LEGACY_ISR);
}
