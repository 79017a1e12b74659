/*
 * autoconf.c - which buses the kernel scans and which drivers it offers
 * the devices to: the one file that names every driver (as BSD's ioconf.c
 * did), so that nothing else, and nothing above the drivers, has to.
 */
#include "kern/kernel.h"
#include "dev/autoconf.h"
#include "dev/pci.h"

void autoconf_init(void)
{
	pci_init();
}
