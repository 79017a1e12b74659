/*
 * pci.c - the PCI bus (see pci.h).
 *
 * Configuration space.  Every PCI function has 256 bytes of registers,
 * named by (bus, slot, function, offset).  Mechanism 1 reaches them
 * through two ports: write 0x80000000 | bus << 16 | slot << 11 |
 * function << 8 | offset (aligned to 4) to CONFIG_ADDRESS (0xcf8), then
 * read or write the 32-bit window CONFIG_DATA (0xcfc); a narrower access
 * uses the matching byte of the window.  The pair of port accesses is one
 * operation, so it is made under cfg_lock.
 *
 * Enumeration.  A slot whose function 0 reads vendor 0xffff is empty.  A
 * function 0 with bit 7 of its header type set has functions 1..7 too.  A
 * PCI-to-PCI bridge (header type 1) leads to the bus numbered in its
 * secondary-bus register, which the firmware (SeaBIOS) programmed; that
 * bus is scanned in turn, once (a bitmap of the buses seen guards against
 * a loop).  QEMU's pc machine has no bridge unless one is asked for with
 * -device pci-bridge.
 *
 * BARs.  Writing all ones to a BAR and reading it back shows which
 * address bits the device decodes, hence the size of the region: for
 * memory, size = ~(value & ~0xf) + 1.  A 64-bit memory BAR is two
 * registers, both sized together.  Decoding is switched off in the
 * command register while a BAR holds the all-ones pattern, so the device
 * never answers at that bogus address, and the firmware's value is put
 * back.  The firmware has already assigned every address; we never move
 * one.
 *
 * Where the BARs are.  SeaBIOS puts 32-bit BARs in the PCI hole below
 * 4 GiB, normally in [3.5 GiB, 4 GiB), which the direct map covers
 * uncached (pmap.c).  But it lowers the hole's start when a big BAR needs
 * room (a 1 GiB BAR moved the hole to 2 GiB in QEMU 7.2, putting BARs
 * where the direct map caches), and when the 32-bit hole cannot hold them
 * all it moves every 64-bit BAR above 4 GiB (with a 2 GiB ivshmem device
 * the virtio BAR landed at 6 GiB).  pci_bar_map therefore uses the direct
 * map only for [3 GiB, 4 GiB) and maps anything else uncached into the
 * kernel arena.
 *
 * Interrupts.  On QEMU's i440fx/PIIX3 the four INTx pins of the slots are
 * wired to four PIRQ lines, which the PIIX routes to ISA IRQs; SeaBIOS
 * programs that routing (IRQs 10 and 11) and writes the result into each
 * function's interrupt-line register.  The I/O APIC sees ISA IRQ n on its
 * input n, and QEMU's ACPI MADT declares the PCI IRQs 5, 9, 10 and 11
 * "active high, level triggered" (interrupt source overrides to the same
 * input), so that is how they are programmed: INTx is active low on the
 * PCI wire, but what the I/O APIC input sees is what the MADT says.
 * Level-triggered lines may be shared, so each IRQ has a list of
 * handlers, and one dispatcher per vector calls them all; the EOI comes
 * after the dispatcher (trap_set_level_irq_handler), once the handlers
 * have made their devices lower the line.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "kern/spinlock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/pmap.h"
#include "arch/x86_64/vmparam.h"
#include "dev/pci.h"
#include "vm/kmem.h"
#include "vm/kva.h"

#define CONFIG_ADDRESS  0xcf8
#define CONFIG_DATA     0xcfc
#define PCI_MAX_BUS     256
#define PCI_MAX_SLOT    32
#define PCI_MAX_FUNC    8
#define PCI_ISA_IRQS    16
#define PCI_MAX_CAPS    48      /* (256 - 64) / 4: a longer list is a loop */

#define BAR_IO          0x1
#define BAR_MEM_TYPE    0x6
#define BAR_MEM_64      0x4
#define BAR_MEM_PREF    0x8

struct pci_intr {
	void (*fn)(void *arg);
	void *arg;
	struct pci_intr *next;
};

static struct spinlock cfg_lock = SPINLOCK_INIT("pci_cfg");
static struct spinlock intr_lock = SPINLOCK_INIT("pci_intr");
static struct pci_dev *pci_devices;             /* (c) */
static struct pci_driver *pci_drivers;          /* (b) */
static uint8_t bus_seen[PCI_MAX_BUS / 8];       /* (b) */
static struct pci_intr *pci_intr_handlers[PCI_ISA_IRQS];       /* (b) */

/* ------------------------------------------------------ configuration space */

static uint32_t cfg_address(uint8_t bus, uint8_t slot, uint8_t func, unsigned off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)slot << 11 |
	    (uint32_t)func << 8 | (off & 0xfc);
}

static uint32_t cfg_read(uint8_t bus, uint8_t slot, uint8_t func, unsigned off, int size)
{
	uint32_t v;
	uint16_t port = CONFIG_DATA + (off & 3);

	KASSERT(off < 256 && (off & (size - 1)) == 0, "cfg_read: offset %#x size %d", off, size);
	spinlock_acquire(&cfg_lock);
	outl(CONFIG_ADDRESS, cfg_address(bus, slot, func, off));
	v = size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
	spinlock_release(&cfg_lock);
	return v;
}

static void cfg_write(uint8_t bus, uint8_t slot, uint8_t func, unsigned off, int size, uint32_t v)
{
	uint16_t port = CONFIG_DATA + (off & 3);

	KASSERT(off < 256 && (off & (size - 1)) == 0 && size >= 2, "cfg_write: offset %#x size %d",
	    off, size);
	spinlock_acquire(&cfg_lock);
	outl(CONFIG_ADDRESS, cfg_address(bus, slot, func, off));
	if (size == 4)
		outl(port, v);
	else
		outw(port, (uint16_t)v);
	spinlock_release(&cfg_lock);
}

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off)
{
	return (uint8_t)cfg_read(d->bus, d->slot, d->func, off, 1);
}

uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off)
{
	return (uint16_t)cfg_read(d->bus, d->slot, d->func, off, 2);
}

uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off)
{
	return cfg_read(d->bus, d->slot, d->func, off, 4);
}

void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	cfg_write(d->bus, d->slot, d->func, off, 2, v);
}

void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	cfg_write(d->bus, d->slot, d->func, off, 4, v);
}

unsigned pci_cap_find(const struct pci_dev *d, uint8_t id, unsigned after)
{
	if (!(pci_cfg_read16(d, PCI_CFG_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	unsigned off = after ? pci_cfg_read8(d, after + 1) : pci_cfg_read8(d, PCI_CFG_CAP_PTR);
	for (int n = 0; n < PCI_MAX_CAPS && off >= 0x40; n++) {
		off &= 0xfc;                    /* the low two bits are reserved */
		if (pci_cfg_read8(d, off) == id)
			return off;
		off = pci_cfg_read8(d, off + 1);
	}
	return 0;
}

/* ---------------------------------------------------------------- BARs */

/* The value of BAR register `reg` with all ones written to it (decoding is off). */
static uint32_t bar_probe(struct pci_dev *d, unsigned reg, uint32_t *orig)
{
	*orig = pci_cfg_read32(d, reg);
	pci_cfg_write32(d, reg, 0xffffffff);
	uint32_t v = pci_cfg_read32(d, reg);
	pci_cfg_write32(d, reg, *orig);
	return v;
}

/* Size BAR i; returns how many BAR registers it uses (2 for a 64-bit one). */
static int bar_size(struct pci_dev *d, int i)
{
	unsigned reg = PCI_CFG_BAR0 + 4 * i;
	struct pci_bar *b = &d->bar[i];
	uint32_t lo, hi, mask_lo, mask_hi = 0xffffffff;

	mask_lo = bar_probe(d, reg, &lo);
	if (mask_lo == 0)
		return 1;                               /* not implemented */
	if (lo & BAR_IO) {
		b->type = PCI_BAR_IO;
		b->base = lo & ~3u;
		b->size = (uint16_t)(~(mask_lo & ~3u) + 1);
		return 1;
	}
	b->prefetchable = (lo & BAR_MEM_PREF) != 0;
	b->base = lo & ~0xfu;
	if ((lo & BAR_MEM_TYPE) == BAR_MEM_64 && i + 1 < PCI_NUM_BARS) {
		b->type = PCI_BAR_MEM64;
		mask_hi = bar_probe(d, reg + 4, &hi);
		b->base |= (uint64_t)hi << 32;
	} else {
		b->type = PCI_BAR_MEM32;
	}
	b->size = ~(((uint64_t)mask_hi << 32) | (mask_lo & ~0xfu)) + 1;
	return b->type == PCI_BAR_MEM64 ? 2 : 1;
}

static void bars_size(struct pci_dev *d)
{
	int nbars = d->header_type == 0 ? 6 : d->header_type == 1 ? 2 : 0;
	uint16_t cmd = pci_cfg_read16(d, PCI_CFG_COMMAND);

	pci_cfg_write16(d, PCI_CFG_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < nbars; )
		i += bar_size(d, i);
	pci_cfg_write16(d, PCI_CFG_COMMAND, cmd);
}

static bool in_uncached_dmap(uint64_t pa, uint64_t size)
{
	return pa >= 3 * GiB && pa + size <= 4 * GiB && pa + size > pa;
}

static int bar_map_arena(struct pci_bar *b)
{
	uint64_t npages = page_round((b->base & PAGE_MASK) + b->size) / PAGE_SIZE, va;
	int err = kva_alloc(npages, &va);
	if (err)
		return err;
	for (uint64_t i = 0; i < npages; i++) {
		err = pmap_kenter(va + i * PAGE_SIZE, page_trunc(b->base) + i * PAGE_SIZE,
		    PTE_W | PTE_NX | PTE_PCD | PTE_PWT);
		if (err) {
			while (i-- > 0)
				pmap_kremove(va + i * PAGE_SIZE);
			kva_free(va, npages);
			return err;
		}
	}
	b->va = (void *)(va + (b->base & PAGE_MASK));
	return 0;
}

int pci_bar_map(struct pci_dev *d, int i, void **va)
{
	KASSERT(i >= 0 && i < PCI_NUM_BARS, "pci_bar_map: bar %d", i);
	struct pci_bar *b = &d->bar[i];
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64)
		return -EINVAL;
	if (b->va == NULL) {
		if (in_uncached_dmap(b->base, b->size))
			b->va = PHYS_TO_DMAP(b->base);
		else if (bar_map_arena(b) != 0)
			return -ENOMEM;
	}
	*va = b->va;
	return 0;
}

/* ---------------------------------------------------------- enumeration */

static const char *class_name(uint8_t class)
{
	static const char *const names[] = {
		"unclassified", "storage", "network", "display", "multimedia", "memory",
		"bridge", "communication", "system", "input", "docking", "processor",
		"serial bus", "wireless", "intelligent I/O", "satellite", "encryption",
		"signal processing",
	};
	return class < ARRAY_SIZE(names) ? names[class] : "other";
}

/* "4 KiB", "128 B": sizes of BARs are powers of two. */
static void format_size(char *buf, size_t len, uint64_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	while (size >= 1024 && size % 1024 == 0 && u + 1 < (int)ARRAY_SIZE(units)) {
		size /= 1024;
		u++;
	}
	ksnprintf(buf, len, "%lu %s", size, units[u]);
}

static void pci_print(const struct pci_dev *d)
{
	static const char *const kinds[] = { "", "io", "mem", "mem64" };
	char line[256], size[16];
	int n = ksnprintf(line, sizeof(line), "pci: %02x:%02x.%x %04x:%04x %s (%02x.%02x)",
	    d->bus, d->slot, d->func, d->vendor, d->device, class_name(d->class), d->class,
	    d->subclass);
	if (d->irq_pin != 0 && d->irq_line != 0xff)
		n += ksnprintf(line + n, sizeof(line) - n, " irq %u (INT%c)", d->irq_line,
		    'A' + d->irq_pin - 1);
	for (int i = 0; i < PCI_NUM_BARS && n < (int)sizeof(line); i++) {
		const struct pci_bar *b = &d->bar[i];
		if (b->type == PCI_BAR_NONE)
			continue;
		format_size(size, sizeof(size), b->size);
		n += ksnprintf(line + n, sizeof(line) - n, ", bar%d %s%s %#lx (%s)", i,
		    kinds[b->type], b->prefetchable ? " pref" : "", b->base, size);
	}
	kprintf("%s\n", line);
}

static void scan_bus(uint8_t bus);

static void pci_add(struct pci_dev *d)
{
	struct pci_dev **tail = &pci_devices;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = d;
}

static void scan_function(uint8_t bus, uint8_t slot, uint8_t func)
{
	struct pci_dev *d = kmalloc(sizeof(*d), KM_ZERO);
	if (d == NULL)
		panic("pci_init: out of memory for %02x:%02x.%x", bus, slot, func);
	d->bus = bus;
	d->slot = slot;
	d->func = func;
	d->vendor = pci_cfg_read16(d, PCI_CFG_VENDOR);
	d->device = pci_cfg_read16(d, PCI_CFG_DEVICE);
	d->revision = pci_cfg_read8(d, PCI_CFG_REVISION);
	d->progif = pci_cfg_read8(d, PCI_CFG_PROGIF);
	d->subclass = pci_cfg_read8(d, PCI_CFG_SUBCLASS);
	d->class = pci_cfg_read8(d, PCI_CFG_CLASS);
	d->header_type = pci_cfg_read8(d, PCI_CFG_HEADER_TYPE) & 0x7f;
	if (d->header_type == 0) {
		d->subvendor = pci_cfg_read16(d, PCI_CFG_SUBVENDOR);
		d->subdevice = pci_cfg_read16(d, PCI_CFG_SUBDEVICE);
	}
	d->irq_line = pci_cfg_read8(d, PCI_CFG_INTR_LINE);
	d->irq_pin = pci_cfg_read8(d, PCI_CFG_INTR_PIN);
	bars_size(d);
	pci_add(d);
	pci_print(d);
	if (d->header_type == 1)
		scan_bus(pci_cfg_read8(d, PCI_CFG_SECONDARY_BUS));
}

static void scan_bus(uint8_t bus)
{
	if (bus_seen[bus / 8] & (1u << (bus % 8)))
		return;
	bus_seen[bus / 8] |= 1u << (bus % 8);
	for (uint8_t slot = 0; slot < PCI_MAX_SLOT; slot++) {
		if ((uint16_t)cfg_read(bus, slot, 0, PCI_CFG_VENDOR, 2) == 0xffff)
			continue;
		bool multi = cfg_read(bus, slot, 0, PCI_CFG_HEADER_TYPE, 1) & 0x80;
		for (uint8_t func = 0; func < (multi ? PCI_MAX_FUNC : 1); func++)
			if ((uint16_t)cfg_read(bus, slot, func, PCI_CFG_VENDOR, 2) != 0xffff)
				scan_function(bus, slot, func);
	}
}

struct pci_dev *pci_first(void)
{
	return pci_devices;
}

/* ------------------------------------------------------------ drivers */

static bool pci_match(const struct pci_driver *drv, const struct pci_dev *d)
{
	for (const struct pci_id *id = drv->ids; id->vendor != 0; id++)
		if (id->vendor == d->vendor && id->device == d->device)
			return true;
	return false;
}

/* Switch on what the device decodes and let it master the bus; returns the old command. */
static uint16_t pci_enable(struct pci_dev *d)
{
	uint16_t cmd = pci_cfg_read16(d, PCI_CFG_COMMAND), on = PCI_COMMAND_MASTER;
	for (int i = 0; i < PCI_NUM_BARS; i++) {
		if (d->bar[i].type == PCI_BAR_IO)
			on |= PCI_COMMAND_IO;
		else if (d->bar[i].type != PCI_BAR_NONE)
			on |= PCI_COMMAND_MEMORY;
	}
	pci_cfg_write16(d, PCI_CFG_COMMAND, (cmd | on) & ~PCI_COMMAND_INTX_OFF);
	return cmd;
}

static void pci_offer(struct pci_driver *drv, struct pci_dev *d)
{
	if (d->driver != NULL || !pci_match(drv, d))
		return;
	uint16_t cmd = pci_enable(d);
	int err = drv->attach(d);
	if (err == 0) {
		d->driver = drv;
		return;
	}
	pci_cfg_write16(d, PCI_CFG_COMMAND, cmd);       /* no DMA from a device nobody drives */
	kprintf("pci: %02x:%02x.%x: %s did not attach (error %d)\n", d->bus, d->slot, d->func,
	    drv->name, err);
}

void pci_register_driver(struct pci_driver *drv)
{
	drv->next = pci_drivers;
	pci_drivers = drv;
	for (struct pci_dev *d = pci_devices; d != NULL; d = d->next)
		pci_offer(drv, d);
}

void pci_init(void)
{
	KASSERT(pci_devices == NULL, "pci_init: called twice");
	scan_bus(0);
	for (struct pci_driver *drv = pci_drivers; drv != NULL; drv = drv->next)
		for (struct pci_dev *d = pci_devices; d != NULL; d = d->next)
			pci_offer(drv, d);
}

/* ---------------------------------------------------------- interrupts */

static void pci_intr_dispatch(struct trapframe *tf)
{
	int irq = (int)tf->trapno - IOAPIC_ISA_VECTOR(0);
	KASSERT(irq >= 0 && irq < PCI_ISA_IRQS, "pci_intr_dispatch: vector %lu", tf->trapno);
	for (struct pci_intr *h = pci_intr_handlers[irq]; h != NULL; h = h->next)
		h->fn(h->arg);
}

int pci_intr_establish(struct pci_dev *d, void (*fn)(void *arg), void *arg)
{
	int irq = d->irq_line;
	if (d->irq_pin == 0 || irq >= PCI_ISA_IRQS)
		return -ENXIO;
	struct pci_intr *h = kmalloc(sizeof(*h), 0);
	if (h == NULL)
		return -ENOMEM;
	h->fn = fn;
	h->arg = arg;
	spinlock_acquire(&intr_lock);           /* the dispatcher may run: publish whole */
	h->next = pci_intr_handlers[irq];
	pci_intr_handlers[irq] = h;
	spinlock_release(&intr_lock);
	if (h->next == NULL) {
		trap_set_level_irq_handler(IOAPIC_ISA_VECTOR(irq), pci_intr_dispatch);
		ioapic_enable_level_irq(irq, IOAPIC_ISA_VECTOR(irq), false);
	}
	return 0;
}
