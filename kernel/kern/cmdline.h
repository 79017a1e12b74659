/*
 * cmdline.h - the kernel command line: space-separated words, each either
 * `key` or `key=value`.  The words this kernel understands:
 *   ktest            run every kernel self-test, then exit QEMU
 *   ktest=a,b        run only the named self-tests (ktest=panic panics on purpose)
 *   cmd=...          (with processes) everything after cmd= is a shell command
 *                    for init to run, after which QEMU exits with its status
 *   pageout=POLICY   the page replacement policy: clock (the default), fifo or
 *                    random (vm_pageout.c)
 *   tmpfs=SIZE       the most the files in /tmp may hold, in bytes with an
 *                    optional K, M or G (fs/tmpfs.c; default half of RAM
 *                    plus swap)
 */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void cmdline_set(const char *line);
const char *cmdline_get_line(void);
/* true if `key` is present; copies its value (or "") into val. */
bool cmdline_get(const char *key, char *val, size_t size);
/* true if `key=N` is present with N a decimal number of bytes, optionally
 * followed by K, M or G (powers of 1024), that fits in 64 bits. */
bool cmdline_get_bytes(const char *key, uint64_t *bytes);

#endif
