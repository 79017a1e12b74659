#!/usr/bin/env python3
"""mkbadelf.py - make malformed ELF files for the exec tests.

usage: mkbadelf.py GOOD_ELF OUTDIR

From one good static executable, writes variants that execve() must refuse
with ENOEXEC (never a crash):

    badelf           the first 100 bytes only (program headers cut off)
    badelf_magic     "\\x7fELF" replaced by "\\x7fELG"
    badelf_class     marked 32-bit (ELFCLASS32)
    badelf_phoff     program-header offset far past the end of the file
    badelf_filesz    first PT_LOAD claims more file bytes than exist
    badelf_entry     entry point outside every executable segment
    badelf_kernel    first PT_LOAD placed at a kernel address
"""
import os
import struct
import sys

EHDR = struct.Struct('<16sHHIQQQIHHHHHH')
PHDR = struct.Struct('<IIQQQQQQ')
PT_LOAD = 1

def first_load(data, eh):
    phoff, phnum = eh[5], eh[9]
    for i in range(phnum):
        off = phoff + i * PHDR.size
        if PHDR.unpack_from(data, off)[0] == PT_LOAD:
            return off
    raise SystemExit('mkbadelf: no PT_LOAD in input')

def patch_ehdr(data, **fields):
    names = ['ident', 'type', 'machine', 'version', 'entry', 'phoff', 'shoff',
             'flags', 'ehsize', 'phentsize', 'phnum', 'shentsize', 'shnum', 'shstrndx']
    values = list(EHDR.unpack_from(data, 0))
    for k, v in fields.items():
        values[names.index(k)] = v
    return EHDR.pack(*values) + data[EHDR.size:]

def patch_load(data, eh, **fields):
    names = ['type', 'flags', 'offset', 'vaddr', 'paddr', 'filesz', 'memsz', 'align']
    off = first_load(data, eh)
    values = list(PHDR.unpack_from(data, off))
    for k, v in fields.items():
        values[names.index(k)] = v
    return data[:off] + PHDR.pack(*values) + data[off + PHDR.size:]

def main():
    good, outdir = sys.argv[1], sys.argv[2]
    data = open(good, 'rb').read()
    eh = EHDR.unpack_from(data, 0)
    variants = {
        'badelf': data[:100],
        'badelf_magic': b'\x7fELG' + data[4:],
        'badelf_class': data[:4] + b'\x01' + data[5:],
        'badelf_phoff': patch_ehdr(data, phoff=len(data) + 4096),
        'badelf_filesz': patch_load(data, eh, filesz=len(data) * 4, memsz=len(data) * 4),
        'badelf_entry': patch_ehdr(data, entry=0x10),
        'badelf_kernel': patch_load(data, eh, vaddr=0xffffffff80000000),
    }
    os.makedirs(outdir, exist_ok=True)
    for name, blob in variants.items():
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(blob)

if __name__ == '__main__':
    main()
