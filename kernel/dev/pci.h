/*
 * pci.h - the PCI bus: the devices found at boot, their configuration
 * space, and the drivers that claim them.
 *
 * pci_init() walks bus 0 and every bus behind a PCI-to-PCI bridge through
 * configuration mechanism 1 (ports 0xcf8/0xcfc), records each function in
 * a struct pci_dev and prints one line for it.  A driver never probes
 * ports: it registers a struct pci_driver whose table names the
 * (vendor, device) pairs it handles, and pci_register_driver() offers it
 * every such device nobody has claimed yet, with I/O and memory decoding
 * and bus mastering switched on for the attach (and off again if the
 * driver declines).
 *
 * Devices are found once, at boot, and never go away, so a struct pci_dev,
 * a mapped BAR and an interrupt handler live as long as the kernel.
 * Locking: (c) constant after pci_init; (b) set once at boot, before any
 * process runs.
 */
#ifndef DEV_PCI_H
#define DEV_PCI_H

#include "kern/kernel.h"

#define PCI_NUM_BARS            6

/* Configuration space registers (a type-0 header unless noted). */
#define PCI_CFG_VENDOR          0x00    /* 16 bits; 0xffff: no function here */
#define PCI_CFG_DEVICE          0x02
#define PCI_CFG_COMMAND         0x04
#define PCI_CFG_STATUS          0x06
#define PCI_CFG_REVISION        0x08
#define PCI_CFG_PROGIF          0x09
#define PCI_CFG_SUBCLASS        0x0a
#define PCI_CFG_CLASS           0x0b
#define PCI_CFG_HEADER_TYPE     0x0e
#define PCI_CFG_BAR0            0x10
#define PCI_CFG_SECONDARY_BUS   0x19    /* type-1 (bridge) header */
#define PCI_CFG_SUBVENDOR       0x2c
#define PCI_CFG_SUBDEVICE       0x2e
#define PCI_CFG_CAP_PTR         0x34
#define PCI_CFG_INTR_LINE       0x3c
#define PCI_CFG_INTR_PIN        0x3d

#define PCI_COMMAND_IO          0x0001
#define PCI_COMMAND_MEMORY      0x0002
#define PCI_COMMAND_MASTER      0x0004
#define PCI_COMMAND_INTX_OFF    0x0400
#define PCI_STATUS_CAP_LIST     0x0010

#define PCI_CAP_VENDOR          0x09    /* vendor-specific capability (virtio uses it) */

enum pci_bar_type {
	PCI_BAR_NONE = 0,               /* not implemented */
	PCI_BAR_IO,                     /* I/O ports */
	PCI_BAR_MEM32,                  /* memory, 32-bit address */
	PCI_BAR_MEM64,                  /* memory, 64-bit address (takes two BAR slots) */
};

struct pci_bar {
	uint64_t base;                  /* (c) port number or physical address */
	uint64_t size;                  /* (c) bytes (0: not implemented) */
	uint8_t type;                   /* (c) enum pci_bar_type */
	bool prefetchable;              /* (c) */
	void *va;                       /* (b) kernel mapping made by pci_bar_map, or NULL */
};

struct pci_driver;

struct pci_dev {
	uint8_t bus, slot, func;        /* (c) */
	uint8_t header_type;            /* (c) 0: a device, 1: a PCI-to-PCI bridge */
	uint16_t vendor, device;        /* (c) */
	uint16_t subvendor, subdevice;  /* (c) */
	uint8_t class, subclass, progif, revision;  /* (c) */
	uint8_t irq_line;               /* (c) ISA IRQ the firmware routed INTx to; 0xff: none */
	uint8_t irq_pin;                /* (c) 1..4 = INTA..INTD; 0: no interrupt */
	struct pci_bar bar[PCI_NUM_BARS];       /* (c) a 64-bit BAR fills slot i; slot i+1 is NONE */
	const struct pci_driver *driver;        /* (b) who claimed it, or NULL */
	struct pci_dev *next;           /* (c) all devices, in the order they were found */
};

struct pci_id {
	uint16_t vendor, device;        /* a table ends with { 0, 0 } */
};

struct pci_driver {
	const char *name;
	const struct pci_id *ids;
	/*
	 * Take the device: 0, or a negative errno after printing why not
	 * (the device is then left to other drivers, with its decoding and
	 * bus mastering switched off again).  Called at boot, may not sleep.
	 */
	int (*attach)(struct pci_dev *dev);
	struct pci_driver *next;        /* (b) registered drivers */
};

/* Find and print every PCI function (once, at boot, before any driver). */
void pci_init(void);
/* Register drv and attach it to every matching device not yet claimed. */
void pci_register_driver(struct pci_driver *drv);
/* Every device found, in bus order (for tests and diagnostics). */
struct pci_dev *pci_first(void);

uint8_t pci_cfg_read8(const struct pci_dev *dev, unsigned off);
uint16_t pci_cfg_read16(const struct pci_dev *dev, unsigned off);
uint32_t pci_cfg_read32(const struct pci_dev *dev, unsigned off);
void pci_cfg_write16(const struct pci_dev *dev, unsigned off, uint16_t v);
void pci_cfg_write32(const struct pci_dev *dev, unsigned off, uint32_t v);

/*
 * The configuration-space offset of the next capability with this id
 * after offset `after` (0: from the start of the list), or 0 when there
 * is none.  Walk every capability of one kind with
 *     for (c = pci_cap_find(d, id, 0); c; c = pci_cap_find(d, id, c))
 */
unsigned pci_cap_find(const struct pci_dev *dev, uint8_t id, unsigned after);

/*
 * The kernel virtual address of memory BAR `bar`, mapped uncached: 0 with
 * *va, or -EINVAL (not a memory BAR) / -ENOMEM.  A BAR inside [3 GiB,
 * 4 GiB) is reached through the direct map, which is uncached there; any
 * other (a 64-bit BAR the firmware put above 4 GiB, or a 32-bit one below
 * 3 GiB) is mapped into the kernel arena.  The mapping is made once and
 * kept.  At boot only.
 */
int pci_bar_map(struct pci_dev *dev, int bar, void **va);

/*
 * Call fn(arg) on every interrupt of dev's INTx line (level-triggered,
 * possibly shared with other devices: fn must check its own device and
 * make it lower the line).  0, or -ENXIO when the device has no routed
 * interrupt, -ENOMEM.  At boot only.
 */
int pci_intr_establish(struct pci_dev *dev, void (*fn)(void *arg), void *arg);

#endif
