/*
 * multiboot.h - what the boot loader told us, in a machine-independent form.
 *
 * multiboot_parse() reads GRUB's multiboot2 information structure (tags for
 * the memory map, the command line, the loaded modules and the ACPI RSDP) into struct
 * bootinfo, so nothing else in the kernel needs to know the format.
 */
#ifndef ARCH_X86_64_MULTIBOOT_H
#define ARCH_X86_64_MULTIBOOT_H

#include <stdint.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289
#define BOOTINFO_MAX_REGIONS 64
#define BOOTINFO_MAX_MODULES 8
#define BOOTINFO_CMDLINE_MAX 1024

struct phys_range {
	uint64_t start, end;            /* [start, end), bytes */
};

struct boot_module {
	uint64_t start, end;            /* physical */
	char name[64];
};

struct bootinfo {
	struct phys_range ram[BOOTINFO_MAX_REGIONS];   /* usable RAM */
	int nram;
	struct boot_module modules[BOOTINFO_MAX_MODULES];
	int nmodules;
	struct phys_range mbi;          /* the multiboot structure itself */
	char cmdline[BOOTINFO_CMDLINE_MAX];
	char loader[64];
	uint8_t rsdp[36];               /* GRUB's copy of the ACPI RSDP (acpi.c) */
	uint32_t rsdp_len;              /* bytes in rsdp; 0: GRUB gave none */
};

extern struct bootinfo bootinfo;

/* Returns 0, or -EINVAL when magic is not the multiboot2 magic. */
int multiboot_parse(uint32_t magic, uint64_t info_phys);

#endif
