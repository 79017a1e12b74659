#!/usr/bin/env python3
"""mkcpio.py - build the boot file system: a cpio archive in "newc" format.

usage: mkcpio.py OUT [FILE ...]

Every FILE is stored as /bin/<basename> (mode 0755); the archive also holds
the directories / and /bin.  The kernel (kernel/fs/) reads this format: each
entry is a 110-byte ASCII header ("070701" and 13 eight-digit hex fields),
the NUL-terminated name padded to 4 bytes, then the data padded to 4 bytes;
the entry named "TRAILER!!!" ends the archive.
"""
import os
import sys

def header(name, mode, size, ino):
    fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08x" % f for f in fields)

def pad4(n):
    return b"\0" * ((4 - n % 4) % 4)

def entry(name, mode, data, ino):
    h = header(name, mode, len(data), ino) + name.encode() + b"\0"
    return h + pad4(len(h)) + data + pad4(len(data))

def main():
    out, files = sys.argv[1], sys.argv[2:]
    parts = [entry(".", 0o040755, b"", 1), entry("bin", 0o040755, b"", 2)]
    for ino, path in enumerate(sorted(files), start=3):
        with open(path, "rb") as f:
            parts.append(entry("bin/" + os.path.basename(path), 0o100755, f.read(), ino))
    parts.append(entry("TRAILER!!!", 0, b"", 0))
    with open(out, "wb") as f:
        f.write(b"".join(parts))

if __name__ == "__main__":
    main()
