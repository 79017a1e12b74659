/*
 * fw_cfg.h - QEMU's firmware configuration device (I/O ports 0x510/0x511).
 *
 * QEMU can hand the guest named "files" (`-fw_cfg name=opt/...,file=...`).
 * We use one, opt/vmos/cmdline, to override the kernel command line that
 * GRUB passed, so the test harness and `make run` can choose what the
 * kernel does without building a new ISO for every test.
 */
#ifndef ARCH_X86_64_FW_CFG_H
#define ARCH_X86_64_FW_CFG_H

#include <stddef.h>

/* Read file `name` into buf (NUL-terminated, truncated); returns its length or -ENOENT. */
int fw_cfg_read_file(const char *name, char *buf, size_t size);

#endif
