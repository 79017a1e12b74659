/*
 * vga.c - write console output to the VGA text buffer as well.
 *
 * The buffer is 80x25 cells of (character, attribute) at physical 0xb8000,
 * reached through the direct map.  We keep our own cursor and scroll by
 * moving the rows up.  Only '\n', '\r', '\b' and '\t' are interpreted.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "dev/vga.h"
#include "arch/x86_64/vmparam.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x0700     /* light grey on black */

static volatile uint16_t *screen;
static int row, col;

void vga_init(void)
{
	screen = (volatile uint16_t *)PHYS_TO_DMAP(0xb8000);
	for (int i = 0; i < COLS * ROWS; i++)
		screen[i] = ATTR | ' ';
	row = col = 0;
}

static void vga_scroll(void)
{
	memmove((void *)screen, (void *)(screen + COLS), (ROWS - 1) * COLS * 2);
	for (int i = 0; i < COLS; i++)
		screen[(ROWS - 1) * COLS + i] = ATTR | ' ';
	row = ROWS - 1;
}

void vga_putc(char c)
{
	if (screen == NULL)
		return;
	switch (c) {
	case '\n': col = 0; row++; break;
	case '\r': col = 0; break;
	case '\b': if (col > 0) col--; break;
	case '\t': col = (col + 8) & ~7; break;
	default:
		screen[row * COLS + col] = ATTR | (uint8_t)c;
		col++;
	}
	if (col >= COLS) {
		col = 0;
		row++;
	}
	if (row >= ROWS)
		vga_scroll();
}
