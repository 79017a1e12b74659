/*
 * pci_test.c - self-tests of PCI enumeration: what pci_init recorded must
 * be what a PCI BAR can be.
 */
#include "kern/kernel.h"
#include "kern/selftest.h"
#include "dev/pci.h"

int test_pci_bars_are_sized_and_aligned(void)
{
	int devices = 0, bars = 0;
	for (struct pci_dev *d = pci_first(); d != NULL; d = d->next, devices++) {
		KTEST_ASSERT(d->vendor != 0xffff, "%02x:%02x.%x has no vendor", d->bus, d->slot,
		    d->func);
		for (int i = 0; i < PCI_NUM_BARS; i++) {
			const struct pci_bar *b = &d->bar[i];
			if (b->type == PCI_BAR_NONE)
				continue;
			bars++;
			KTEST_ASSERT(IS_POWER_OF_2(b->size) && b->size >= (b->type == PCI_BAR_IO ? 4 : 16),
			    "%02x:%02x.%x bar%d: size %#lx", d->bus, d->slot, d->func, i, b->size);
			KTEST_ASSERT(b->base % b->size == 0, "%02x:%02x.%x bar%d: base %#lx size %#lx",
			    d->bus, d->slot, d->func, i, b->base, b->size);
			KTEST_ASSERT(b->type != PCI_BAR_MEM64 || (i + 1 < PCI_NUM_BARS &&
			    d->bar[i + 1].type == PCI_BAR_NONE), "%02x:%02x.%x bar%d: 64-bit BAR "
			    "overlaps the next", d->bus, d->slot, d->func, i);
		}
	}
	/* QEMU's pc machine: host bridge, ISA bridge, IDE, ACPI, VGA at least. */
	KTEST_ASSERT(devices >= 5 && bars >= 3, "only %d devices with %d BARs found", devices, bars);
	return 0;
}
