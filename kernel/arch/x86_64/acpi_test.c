/*
 * acpi_test.c - self-tests of acpi.c's checks: a table is believed only
 * whole (a length at least its header and at most what can be read) and
 * intact (its bytes sum to zero), and a MADT entry only if its length
 * fits its type and the table.  The tables are built here, in memory,
 * good first and then spoilt one way at a time.  Also: mp.c's record of
 * the CPUs it started agrees with the MADT.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "kern/selftest.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/mp.h"

#define MADT_FIXED 44                   /* header, local APIC address, flags */

/* A MADT of one enabled processor (APIC id 5) and one I/O APIC, in buf. */
static size_t madt_build(uint8_t *buf, size_t size)
{
	memset(buf, 0, size);
	struct acpi_header *h = (struct acpi_header *)buf;
	memcpy(h->signature, "APIC", 4);
	h->length = MADT_FIXED + 8 + 12;
	uint32_t lapic = 0xfee00000, ioapic = 0xfec00000, enabled = 1;
	memcpy(buf + 36, &lapic, 4);
	uint8_t *e = buf + MADT_FIXED;
	e[0] = 0; e[1] = 8; e[2] = 0; e[3] = 5;         /* processor: uid 0, APIC id 5 */
	memcpy(e + 4, &enabled, 4);
	e += 8;
	e[0] = 1; e[1] = 12; e[2] = 0;                  /* I/O APIC 0 */
	memcpy(e + 4, &ioapic, 4);
	return h->length;
}

/* Set the checksum byte so that the table's `length` bytes sum to zero. */
static void fix_checksum(uint8_t *buf)
{
	struct acpi_header *h = (struct acpi_header *)buf;
	uint8_t sum = 0;
	h->checksum = 0;
	for (uint32_t i = 0; i < h->length; i++)
		sum += buf[i];
	h->checksum = (uint8_t)-sum;
}

int test_acpi_refuses_malformed_tables(void)
{
	uint8_t buf[128];
	struct acpi_header *h = (struct acpi_header *)buf;
	struct acpi_madt m;

	madt_build(buf, sizeof(buf));
	fix_checksum(buf);
	KTEST_ASSERT(acpi_table_check(buf, sizeof(buf), "APIC") == 0, "a good MADT was refused");
	KTEST_ASSERT(acpi_madt_parse(buf, &m) == 0 && m.ncpus == 1 && m.apic_ids[0] == 5 &&
	    m.ioapic_phys == 0xfec00000 && m.lapic_phys == 0xfee00000, "a good MADT misread");

	buf[MADT_FIXED + 3] ^= 1;               /* one bit of an APIC id */
	KTEST_ASSERT(acpi_table_check(buf, sizeof(buf), "APIC") == -EBADMSG, "bad checksum accepted");

	madt_build(buf, sizeof(buf));
	h->length = 20;                         /* shorter than the header */
	fix_checksum(buf);
	KTEST_ASSERT(acpi_table_check(buf, sizeof(buf), "APIC") == -EINVAL, "length 20 accepted");

	madt_build(buf, sizeof(buf));
	fix_checksum(buf);
	KTEST_ASSERT(acpi_table_check(buf, h->length - 1, "APIC") == -EINVAL,
	    "a table longer than what may be read was accepted");
	KTEST_ASSERT(acpi_table_check(buf, sizeof(buf), "FACP") == -EINVAL, "wrong signature accepted");
	KTEST_ASSERT(acpi_table_check(buf, 10, NULL) == -EINVAL, "10 bytes taken for a header");
	return 0;
}

int test_acpi_refuses_malformed_madt_entries(void)
{
	uint8_t buf[128];
	struct acpi_madt m;

	madt_build(buf, sizeof(buf));
	buf[MADT_FIXED + 1] = 0;                /* length 0: would loop forever */
	fix_checksum(buf);
	KTEST_ASSERT(acpi_madt_parse(buf, &m) == -EINVAL, "an entry of length 0 accepted");

	madt_build(buf, sizeof(buf));
	buf[MADT_FIXED + 8 + 1] = 40;           /* the I/O APIC entry runs past the end */
	fix_checksum(buf);
	KTEST_ASSERT(acpi_madt_parse(buf, &m) == -EINVAL, "an entry past the end accepted");

	madt_build(buf, sizeof(buf));
	buf[MADT_FIXED + 1] = 4;                /* a processor entry too short for its type */
	fix_checksum(buf);
	KTEST_ASSERT(acpi_madt_parse(buf, &m) == -EINVAL, "a 4-byte processor entry accepted");
	return 0;
}

int test_acpi_rsdp_checksums(void)
{
	uint8_t r[36];
	memset(r, 0, sizeof(r));
	memcpy(r, "RSD PTR ", 8);
	r[15] = 2;                              /* revision 2: 36 bytes, two checksums */
	r[20] = 36;
	uint8_t sum = 0;
	for (int i = 0; i < 20; i++)
		sum += r[i];
	r[8] = (uint8_t)-sum;
	sum = 0;
	for (int i = 0; i < 36; i++)
		sum += r[i];
	r[32] = (uint8_t)-sum;
	KTEST_ASSERT(acpi_rsdp_check(r, sizeof(r)) == 0, "a good RSDP was refused");
	KTEST_ASSERT(acpi_rsdp_check(r, 20) == -EINVAL, "a revision 2 RSDP cut at 20 bytes accepted");
	r[24] ^= 0x10;                          /* the XSDT address: extended checksum only */
	KTEST_ASSERT(acpi_rsdp_check(r, sizeof(r)) == -EBADMSG, "bad extended checksum accepted");
	r[24] ^= 0x10;
	r[16] ^= 0x10;                          /* the RSDT address: the first checksum */
	KTEST_ASSERT(acpi_rsdp_check(r, sizeof(r)) == -EBADMSG, "bad checksum accepted");
	return 0;
}

/* Every CPU mp.c counts reported from its own local APIC, with the MADT's id. */
int test_mp_cpus_up_match_the_madt(void)
{
	int started = 0;
	for (int i = 0; i < MAXCPU; i++) {
		if (!__atomic_load_n(&cpus[i].started, __ATOMIC_ACQUIRE))
			continue;
		started++;
		KTEST_ASSERT(cpus[i].apic_id_seen == cpus[i].apic_id, "cpu%d: APIC id %u, MADT says %u",
		    i, cpus[i].apic_id_seen, cpus[i].apic_id);
	}
	KTEST_ASSERT(started == mp_ncpus_up(), "%d CPUs marked started, %d counted", started,
	    mp_ncpus_up());
	KTEST_ASSERT(!acpi_madt.found || started <= acpi_madt.ncpus, "%d up of %d in the MADT",
	    started, acpi_madt.ncpus);
	return 0;
}
