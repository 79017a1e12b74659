/*
 * autoconf.c - which buses the kernel scans and which drivers it offers
 * the devices to: the one file that names every driver (as BSD's ioconf.c
 * did), so that nothing else, and nothing above the drivers, has to.
 */
#include "kern/kernel.h"
#include "dev/autoconf.h"
#include "dev/pci.h"
#include "dev/virtio_blk.h"

static struct pci_driver *const pci_drivers[] = {
	&virtio_blk_driver,
};

void autoconf_init(void)
{
	pci_init();
	for (size_t i = 0; i < ARRAY_SIZE(pci_drivers); i++)
		pci_register_driver(pci_drivers[i]);
}
