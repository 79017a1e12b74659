#!/usr/bin/env python3
"""mkelftail.py - make tiny static ELF programs that check how exec lays
out a data segment whose bytes end inside a page and are followed by bss.

usage: mkelftail.py OUTDIR

Each program is written byte by byte here (no compiler, so the layout is
exactly what the test needs): a text segment with 63 bytes of code, and a
data segment of 0x1100 bytes of 0x11 followed by 0x1f00 bytes of bss.  In
the file, the data is followed by 0xff bytes up to the end of the page:
bytes a careless exec would show in place of the bss's zeros.  The code
checks that the data reads 0x11 and the bss reads 0, and exits 0 if so, 1
if not.

    elf_bsstail     data at file offset 0x2010, address 0x402010: offset and
                    address agree modulo the page size, so exec maps the
                    data's whole pages from the file's object (copy-on-write)
                    and must zero the tail of the partial last page itself
    elf_unaligned   the same data at address 0x402810: offset and address
                    disagree modulo the page size, so exec cannot map the
                    file and copies the segment instead
"""
import os
import struct
import sys

EHDR = struct.Struct('<16sHHIQQQIHHHHHH')
PHDR = struct.Struct('<IIQQQQQQ')
PT_LOAD, PF_X, PF_W, PF_R = 1, 1, 2, 4
TEXT_VADDR = 0x400000
CODE_OFF = 0x100
DATA_OFF = 0x2010
DATA_LEN = 0x1100
BSS_LEN = 0x1f00
FILE_LEN = 0x4000
SYS_EXIT = 60


def code(data_vaddr):
    """The checks, in x86-64 machine code (offsets in the comments)."""
    imm32 = lambda v: struct.pack('<I', v)
    return b''.join([
        b'\x48\xc7\xc6' + imm32(data_vaddr),    # 0:  mov rsi, data
        b'\x48\xc7\xc1' + imm32(DATA_LEN),      # 7:  mov rcx, DATA_LEN
        b'\x80\x3e\x11',                        # 14: cmp byte [rsi], 0x11
        b'\x75\x20',                            # 17: jne fail (51)
        b'\x48\xff\xc6',                        # 19: inc rsi
        b'\x48\xff\xc9',                        # 22: dec rcx
        b'\x75\xf3',                            # 25: jnz 14
        b'\x48\xc7\xc1' + imm32(BSS_LEN),       # 27: mov rcx, BSS_LEN
        b'\x80\x3e\x00',                        # 34: cmp byte [rsi], 0
        b'\x75\x0c',                            # 37: jne fail (51)
        b'\x48\xff\xc6',                        # 39: inc rsi
        b'\x48\xff\xc9',                        # 42: dec rcx
        b'\x75\xf3',                            # 45: jnz 34
        b'\x31\xff',                            # 47: xor edi, edi
        b'\xeb\x05',                            # 49: jmp exit (56)
        b'\xbf' + imm32(1),                     # 51: fail: mov edi, 1
        b'\xb8' + imm32(SYS_EXIT),              # 56: exit: mov eax, SYS_exit
        b'\x0f\x05',                            # 61: syscall
    ])


def program(data_vaddr):
    text = code(data_vaddr)
    text_len = CODE_OFF + len(text)
    ehdr = EHDR.pack(b'\x7fELF\x02\x01\x01' + bytes(9), 2, 62, 1,
                     TEXT_VADDR + CODE_OFF, EHDR.size, 0, 0, EHDR.size,
                     PHDR.size, 2, 0, 0, 0)
    phdrs = (PHDR.pack(PT_LOAD, PF_R | PF_X, 0, TEXT_VADDR, TEXT_VADDR,
                       text_len, text_len, 0x1000) +
             PHDR.pack(PT_LOAD, PF_R | PF_W, DATA_OFF, data_vaddr, data_vaddr,
                       DATA_LEN, DATA_LEN + BSS_LEN, 0x1000))
    image = bytearray(FILE_LEN)
    image[0:len(ehdr)] = ehdr
    image[len(ehdr):len(ehdr) + len(phdrs)] = phdrs
    image[CODE_OFF:text_len] = text
    image[DATA_OFF:DATA_OFF + DATA_LEN] = b'\x11' * DATA_LEN
    image[DATA_OFF + DATA_LEN:] = b'\xff' * (FILE_LEN - DATA_OFF - DATA_LEN)
    return bytes(image)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, vaddr in (('elf_bsstail', 0x402010), ('elf_unaligned', 0x402810)):
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(program(vaddr))
        os.chmod(os.path.join(outdir, name), 0o755)


if __name__ == '__main__':
    main()
