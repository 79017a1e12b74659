/*
 * fw_cfg.c - read a named file from QEMU's fw_cfg device.
 *
 * Protocol (QEMU docs/specs/fw_cfg.txt): write a 16-bit key to the selector
 * port 0x510, then read the item's bytes one at a time from port 0x511.
 * Key 0x0000 holds the signature "QEMU"; key 0x0019 holds the file
 * directory: a big-endian 32-bit count, then per file a big-endian 32-bit
 * size, 16-bit key, 16-bit reserved and a 56-byte name.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/errno.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fw_cfg.h"

#define FW_CFG_PORT_SEL   0x510
#define FW_CFG_PORT_DATA  0x511
#define FW_CFG_SIGNATURE  0x0000
#define FW_CFG_FILE_DIR   0x0019

struct fw_cfg_file {
	uint32_t size;          /* big-endian */
	uint16_t select;        /* big-endian */
	uint16_t reserved;
	char name[56];
};

static void fw_cfg_read(void *buf, size_t n)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < n; i++)
		p[i] = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(uint32_t x) { return __builtin_bswap32(x); }
static uint16_t be16(uint16_t x) { return __builtin_bswap16(x); }

static bool fw_cfg_present(void)
{
	char sig[4];
	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	fw_cfg_read(sig, 4);
	return memcmp(sig, "QEMU", 4) == 0;
}

int fw_cfg_read_file(const char *name, char *buf, size_t size)
{
	uint32_t count;
	struct fw_cfg_file f;

	if (size == 0 || !fw_cfg_present())
		return -ENOENT;
	outw(FW_CFG_PORT_SEL, FW_CFG_FILE_DIR);
	fw_cfg_read(&count, 4);
	count = be32(count);
	for (uint32_t i = 0; i < count; i++) {
		fw_cfg_read(&f, sizeof(f));
		if (strncmp(f.name, name, sizeof(f.name)) != 0)
			continue;
		size_t n = MIN(be32(f.size), size - 1);
		outw(FW_CFG_PORT_SEL, be16(f.select));
		fw_cfg_read(buf, n);
		buf[n] = '\0';
		return (int)n;
	}
	return -ENOENT;
}
