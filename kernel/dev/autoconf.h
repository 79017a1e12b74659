/*
 * autoconf.h - find the devices and attach their drivers (at boot, once
 * the page allocator, the kernel heap and interrupts work).
 */
#ifndef DEV_AUTOCONF_H
#define DEV_AUTOCONF_H

void autoconf_init(void);

#endif
