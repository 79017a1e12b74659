/*
 * acpi.h - what the ACPI tables say about the CPUs and the interrupt
 * controllers: the MADT, found through the RSDP and the RSDT or XSDT.
 *
 * acpi_init() fills struct acpi_madt once, at boot, and nothing changes it
 * after; readers need no lock.  When no valid MADT is found, the kernel
 * goes on as a uniprocessor with the PC's usual addresses.
 */
#ifndef ARCH_X86_64_ACPI_H
#define ARCH_X86_64_ACPI_H

#include <stdint.h>
#include <stddef.h>
#include "arch/x86_64/percpu.h"

/* Every ACPI table (but the RSDP) begins with this header (ACPI 6, 5.2.6). */
struct acpi_header {
	char signature[4];              /* "APIC", "RSDT", "XSDT", ... */
	uint32_t length;                /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;               /* makes all `length` bytes sum to 0 (mod 256) */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

/* The longest table acpi.c will believe in: a bound on a corrupt length. */
#define ACPI_TABLE_MAX (1u << 20)

struct acpi_madt {
	bool found;                     /* a valid MADT was read */
	uint64_t lapic_phys;            /* the local APICs' address (every CPU's own) */
	uint64_t ioapic_phys;           /* the first I/O APIC, or 0 */
	int ncpus;                      /* enabled processors, in MADT order ... */
	uint32_t apic_ids[MAXCPU];      /* ... and their local APIC ids (the first MAXCPU) */
	int ncpus_listed;               /* all enabled processors, kept or not */
	int nx2apic;                    /* x2APIC entries (type 9): counted, not used */
};

extern struct acpi_madt acpi_madt;

/* Find the MADT and fill acpi_madt.  Returns 0, or -ENOENT when there is
 * no valid RSDP or MADT (acpi_madt.found stays false; it says why). */
int acpi_init(void);

/*
 * Is the table at `t` whole and intact?  `avail` is how many bytes may be
 * read there (the caller's mapping); sig, when not NULL, the signature it
 * must have.  Returns 0, -EINVAL for a wrong signature or a length shorter
 * than the header, longer than avail or ACPI_TABLE_MAX, or -EBADMSG for a
 * bad checksum.  Never reads past min(avail, the table's length).
 */
int acpi_table_check(const void *t, size_t avail, const char *sig);
/* The same for an RSDP of `avail` bytes: signature, the version 1
 * checksum over 20 bytes, and for revision >= 2 the length and the
 * extended checksum. */
int acpi_rsdp_check(const void *rsdp, size_t avail);
/* Read a checked MADT into *out: 0, or -EINVAL for a malformed entry (an
 * entry shorter than its type needs, of length under 2, or running past
 * the table), and then *out must not be used.  For acpi_init and tests. */
int acpi_madt_parse(const void *table, struct acpi_madt *out);

#endif
