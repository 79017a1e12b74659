/*
 * multiboot.c - read the multiboot2 boot information.
 *
 * The structure starts with (total_size, reserved) and is followed by tags,
 * each (type, size, payload...) and padded to 8 bytes; type 0 ends the list.
 * We keep: type 1 (command line), 2 (loader name), 3 (modules) and
 * 6 (memory map: entries of base, length, type; type 1 = usable RAM), and
 * 14 / 15, a copy of the ACPI RSDP (version 1 / version 2 and later) that
 * GRUB found for us: acpi.c starts from it.  A firmware may offer both;
 * the newer one wins, since only it has the XSDT's address.
 * Reference: the Multiboot2 specification, section 3.6.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "arch/x86_64/multiboot.h"
#include "arch/x86_64/vmparam.h"

#define TAG_END       0
#define TAG_CMDLINE   1
#define TAG_LOADER    2
#define TAG_MODULE    3
#define TAG_MMAP      6
#define TAG_ACPI_OLD  14
#define TAG_ACPI_NEW  15
#define MMAP_USABLE   1

struct tag {
	uint32_t type;
	uint32_t size;
};

struct mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

struct bootinfo bootinfo;

static void parse_mmap(const struct tag *t)
{
	const uint8_t *p = (const uint8_t *)t + 16;     /* skip type, size, entry_size, version */
	uint32_t entry_size = ((const uint32_t *)t)[2];
	const uint8_t *end = (const uint8_t *)t + t->size;

	for (; p + entry_size <= end; p += entry_size) {
		const struct mmap_entry *e = (const struct mmap_entry *)p;
		if (e->type != MMAP_USABLE || bootinfo.nram == BOOTINFO_MAX_REGIONS)
			continue;
		bootinfo.ram[bootinfo.nram].start = page_round(e->base);
		bootinfo.ram[bootinfo.nram].end = page_trunc(e->base + e->length);
		if (bootinfo.ram[bootinfo.nram].end > bootinfo.ram[bootinfo.nram].start)
			bootinfo.nram++;
	}
}

static void parse_module(const struct tag *t)
{
	const uint32_t *w = (const uint32_t *)t;
	if (bootinfo.nmodules == BOOTINFO_MAX_MODULES)
		return;
	struct boot_module *m = &bootinfo.modules[bootinfo.nmodules++];
	m->start = w[2];
	m->end = w[3];
	strlcpy(m->name, (const char *)&w[4], sizeof(m->name));
}

/* Keep a copy of the RSDP (acpi.c checks it: here it is only bytes). */
static void parse_rsdp(const struct tag *t)
{
	uint32_t len = MIN(t->size - 8, (uint32_t)sizeof(bootinfo.rsdp));
	if (t->type == TAG_ACPI_OLD && bootinfo.rsdp_len > 0)
		return;                 /* already have the new one */
	memcpy(bootinfo.rsdp, t + 1, len);
	bootinfo.rsdp_len = len;
}

int multiboot_parse(uint32_t magic, uint64_t info_phys)
{
	if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
		return -EINVAL;
	const uint8_t *base = PHYS_TO_DMAP(info_phys);
	uint32_t total = *(const uint32_t *)base;
	bootinfo.mbi.start = page_trunc(info_phys);
	bootinfo.mbi.end = page_round(info_phys + total);

	for (const uint8_t *p = base + 8; p < base + total;
	    p += ROUNDUP(((const struct tag *)p)->size, 8)) {
		const struct tag *t = (const struct tag *)p;
		if (t->type == TAG_END || t->size < 8)
			break;
		switch (t->type) {
		case TAG_CMDLINE:
			strlcpy(bootinfo.cmdline, (const char *)(t + 1), sizeof(bootinfo.cmdline));
			break;
		case TAG_LOADER:
			strlcpy(bootinfo.loader, (const char *)(t + 1), sizeof(bootinfo.loader));
			break;
		case TAG_MODULE:
			parse_module(t);
			break;
		case TAG_MMAP:
			parse_mmap(t);
			break;
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			parse_rsdp(t);
			break;
		}
	}
	return 0;
}
