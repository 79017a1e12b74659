/*
 * acpi.c - find the CPUs and the APICs in the ACPI tables.
 *
 * The firmware leaves a chain of tables in memory (ACPI 6, chapter 5.2):
 *
 *   RSDP  "RSD PTR "   the root pointer: where the RSDT (32-bit entries)
 *    |                 and, from revision 2, the XSDT (64-bit entries) are
 *    v
 *   RSDT / XSDT        a header followed by the physical addresses of the
 *    |                 other tables
 *    v
 *   MADT  "APIC"       the interrupt controllers: the local APICs' address,
 *                      then variable-length entries: one per processor
 *                      (type 0; type 9 for x2APIC ids above 254), one per
 *                      I/O APIC (type 1), overrides, NMI wiring ...
 *
 * Where the RSDP is: GRUB copies it into the multiboot2 information (tags
 * 14 and 15, kept by multiboot.c); without that, the ACPI spec says to
 * look on 16-byte boundaries in the first KiB of the EBDA (whose segment
 * the BIOS stores at 0x40e) and in the BIOS ROM area 0xe0000-0xfffff.
 *
 * The invariant this file keeps: nothing from firmware is believed before
 * it is checked.  Every table is read only through acpi_table_check(): its
 * signature, a length at least its header and at most what is mapped, and
 * a checksum that makes all its bytes sum to zero.  The MADT's entries are
 * walked with each length checked against what is left, so an entry of
 * length 0 cannot loop forever and a long one cannot run off the table.  A
 * table that fails is reported once and ignored; the kernel then runs as a
 * uniprocessor at the PC's usual APIC addresses.
 *
 * The tables are read through the direct map (vmparam.h).  It covers at
 * least the low 4 GiB, where PC firmware puts them; a table above that is
 * refused like a malformed one (no temporary mappings in this kernel).
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/printf.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/multiboot.h"
#include "arch/x86_64/vmparam.h"

#define DMAP_REACH      (4 * GiB)       /* the part of the direct map always there */
#define RSDP_V1_LEN     20
#define RSDP_V2_LEN     36
#define BDA_EBDA_SEG    0x40e           /* the BIOS data area's word: EBDA segment */
#define BIOS_ROM_START  0xe0000
#define BIOS_ROM_END    0x100000

/* The root pointer (ACPI 6, 5.2.5.3).  Not a table: no acpi_header. */
struct acpi_rsdp {
	char signature[8];              /* "RSD PTR " */
	uint8_t checksum;               /* the first 20 bytes sum to 0 */
	char oem_id[6];
	uint8_t revision;               /* 0: ACPI 1 (RSDT only); 2: ACPI 2+ */
	uint32_t rsdt_phys;
	/* revision >= 2 */
	uint32_t length;                /* of this structure: 36 */
	uint64_t xsdt_phys;
	uint8_t ext_checksum;           /* all `length` bytes sum to 0 */
	uint8_t reserved[3];
} __attribute__((packed));

/* The MADT's fixed part (ACPI 6, 5.2.12), then its entries. */
struct madt {
	struct acpi_header h;
	uint32_t lapic_phys;
	uint32_t flags;                 /* bit 0: the PC's 8259s are present too */
} __attribute__((packed));

#define MADT_LAPIC              0       /* processor: acpi uid, apic id, flags */
#define MADT_IOAPIC             1       /* id, reserved, address, first GSI */
#define MADT_LAPIC_OVERRIDE     5       /* reserved, 64-bit local APIC address */
#define MADT_X2APIC             9       /* reserved, x2apic id, flags, uid */
#define MADT_CPU_ENABLED        1u      /* flags bit 0 of types 0 and 9 */

struct acpi_madt acpi_madt;

static uint8_t checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;
	while (n-- > 0)
		sum += *b++;
	return sum;
}

int acpi_table_check(const void *t, size_t avail, const char *sig)
{
	const struct acpi_header *h = t;
	if (avail < sizeof(*h))
		return -EINVAL;
	if (sig != NULL && memcmp(h->signature, sig, 4) != 0)
		return -EINVAL;
	if (h->length < sizeof(*h) || h->length > avail || h->length > ACPI_TABLE_MAX)
		return -EINVAL;
	return checksum(h, h->length) == 0 ? 0 : -EBADMSG;
}

int acpi_rsdp_check(const void *p, size_t avail)
{
	const struct acpi_rsdp *r = p;
	if (avail < RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8) != 0)
		return -EINVAL;
	if (checksum(r, RSDP_V1_LEN) != 0)
		return -EBADMSG;
	if (r->revision < 2)
		return 0;
	if (avail < RSDP_V2_LEN || r->length < RSDP_V2_LEN || r->length > avail)
		return -EINVAL;
	return checksum(r, r->length) == 0 ? 0 : -EBADMSG;
}

/* Look for a valid RSDP on 16-byte boundaries of physical [start, end). */
static const struct acpi_rsdp *rsdp_scan(uint64_t start, uint64_t end)
{
	for (uint64_t pa = ROUNDUP(start, 16); pa + RSDP_V2_LEN <= end; pa += 16) {
		const struct acpi_rsdp *r = PHYS_TO_DMAP(pa);
		if (acpi_rsdp_check(r, end - pa) == 0)
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *rsdp_find(void)
{
	if (bootinfo.rsdp_len > 0) {
		int err = acpi_rsdp_check(bootinfo.rsdp, bootinfo.rsdp_len);
		if (err == 0)
			return (const struct acpi_rsdp *)bootinfo.rsdp;
		kprintf("vmos: acpi: GRUB's copy of the RSDP is invalid (error %d); scanning\n", err);
	}
	uint64_t ebda = (uint64_t)*(const uint16_t *)PHYS_TO_DMAP(BDA_EBDA_SEG) << 4;
	const struct acpi_rsdp *r = NULL;
	if (ebda >= 0x80000 && ebda < 0xa0000)  /* a sane EBDA: just below 640 KiB */
		r = rsdp_scan(ebda, ebda + 1024);
	return r ? r : rsdp_scan(BIOS_ROM_START, BIOS_ROM_END);
}

/* The table at physical pa, if it is within reach and passes the checks. */
static const struct acpi_header *table_at(uint64_t pa, const char *sig)
{
	if (pa == 0 || pa >= DMAP_REACH || DMAP_REACH - pa < sizeof(struct acpi_header)) {
		kprintf("vmos: acpi: %s table at %#lx is out of reach; ignored\n", sig, pa);
		return NULL;
	}
	const struct acpi_header *h = PHYS_TO_DMAP(pa);
	int err = acpi_table_check(h, MIN(DMAP_REACH - pa, (uint64_t)ACPI_TABLE_MAX), sig);
	if (err) {
		kprintf("vmos: acpi: %s table at %#lx is malformed (%s); ignored\n", sig, pa,
		    err == -EBADMSG ? "bad checksum" : "bad signature or length");
		return NULL;
	}
	return h;
}

/* Does the table at pa (unchecked yet) say it is a `sig`? */
static bool table_is(uint64_t pa, const char *sig)
{
	return pa != 0 && pa < DMAP_REACH - 4 && memcmp(PHYS_TO_DMAP(pa), sig, 4) == 0;
}

/* The MADT, through the XSDT (revision >= 2) or the RSDT, or NULL. */
static const struct acpi_header *madt_find(const struct acpi_rsdp *r)
{
	bool x = r->revision >= 2 && r->xsdt_phys != 0;
	const struct acpi_header *root = x ? table_at(r->xsdt_phys, "XSDT") : NULL;
	if (root == NULL) {
		x = false;
		root = table_at(r->rsdt_phys, "RSDT");
	}
	if (root == NULL)
		return NULL;
	size_t width = x ? 8 : 4;
	size_t n = (root->length - sizeof(*root)) / width;
	const uint8_t *entries = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		memcpy(&pa, entries + i * width, width);        /* little-endian */
		if (!table_is(pa, "APIC"))
			continue;
		const struct acpi_header *madt = table_at(pa, "APIC");
		if (madt != NULL)
			return madt;
	}
	return NULL;
}

static void madt_add_cpu(struct acpi_madt *out, uint32_t apic_id)
{
	out->ncpus_listed++;
	if (out->ncpus < MAXCPU)
		out->apic_ids[out->ncpus++] = apic_id;
}

/* Is entry e (of e[1] bytes) long enough for its type?  Unknown: yes. */
static bool madt_entry_ok(const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:          return e[1] >= 8;
	case MADT_IOAPIC:         return e[1] >= 12;
	case MADT_LAPIC_OVERRIDE: return e[1] >= 12;
	case MADT_X2APIC:         return e[1] >= 16;
	default:                  return true;
	}
}

/*
 * Read a checked MADT (acpi_table_check passed) into *out.  Returns 0, or
 * -EINVAL when an entry is malformed: then *out must not be used.
 */
int acpi_madt_parse(const void *table, struct acpi_madt *out)
{
	const struct madt *m = table;
	memset(out, 0, sizeof(*out));
	if (m->h.length < sizeof(*m))
		return -EINVAL;
	out->lapic_phys = m->lapic_phys;
	const uint8_t *e = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + m->h.length;
	while (e < end) {
		if (end - e < 2 || e[1] < 2 || e[1] > end - e || !madt_entry_ok(e))
			return -EINVAL;
		uint32_t flags;
		switch (e[0]) {
		case MADT_LAPIC:
			memcpy(&flags, e + 4, 4);
			if (flags & MADT_CPU_ENABLED)
				madt_add_cpu(out, e[3]);
			break;
		case MADT_IOAPIC:
			if (out->ioapic_phys == 0)
				memcpy(&out->ioapic_phys, e + 4, 4);
			break;
		case MADT_LAPIC_OVERRIDE:
			memcpy(&out->lapic_phys, e + 4, 8);
			break;
		case MADT_X2APIC:
			out->nx2apic++;
			break;
		}
		e += e[1];
	}
	out->found = true;
	return 0;
}

int acpi_init(void)
{
	const struct acpi_rsdp *r = rsdp_find();
	if (r == NULL) {
		kprintf("vmos: acpi: no RSDP found; one CPU\n");
		return -ENOENT;
	}
	const struct acpi_header *madt = madt_find(r);
	if (madt == NULL) {
		kprintf("vmos: acpi: no valid MADT; one CPU\n");
		return -ENOENT;
	}
	if (acpi_madt_parse(madt, &acpi_madt) != 0) {
		kprintf("vmos: acpi: the MADT has a malformed entry; ignored, one CPU\n");
		memset(&acpi_madt, 0, sizeof(acpi_madt));
		return -ENOENT;
	}
	return 0;
}
