/*
 * vga.h - the VGA text screen (80x25 at physical 0xb8000), a mirror of the
 * serial console for when QEMU shows a window.
 */
#ifndef DEV_VGA_H
#define DEV_VGA_H

void vga_init(void);
void vga_putc(char c);

#endif
