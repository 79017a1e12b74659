#!/usr/bin/env python3
"""mkcpio.py - build the boot file system: a cpio archive in "newc" format.

usage: mkcpio.py OUT ROOT [--dir NAME ...] [FILE ...]

--dir NAME adds an empty directory /NAME (mode 0755): a mount point, such
as /tmp, that holds no file of the archive.  Every FILE lies under the directory ROOT and is stored under its path
relative to ROOT (ROOT/bin/sh becomes /bin/sh), mode 0755; the archive
also holds / and every directory above a FILE.  The kernel (kernel/fs/) reads this format: each
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
    if len(sys.argv) < 3:
        sys.exit("usage: mkcpio.py OUT ROOT [--dir NAME ...] [FILE ...]")
    out, root, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    extra_dirs, files = set(), []
    while args:
        if args[0] == "--dir" and len(args) > 1:
            extra_dirs.add(args[1].strip("/"))
            args = args[2:]
        else:
            files.append(args.pop(0))
    names = {}
    for path in files:
        name = os.path.relpath(path, root)
        if name.startswith("..") or os.path.isabs(name):
            sys.exit("mkcpio.py: %s is not under %s" % (path, root))
        names[name] = path
    dirs = {os.path.dirname(n) for n in names} | extra_dirs
    for d in list(dirs):
        while d:
            dirs.add(d)
            d = os.path.dirname(d)
    dirs.discard("")
    parts = [entry(".", 0o040755, b"", 1)]
    ino = 2
    for d in sorted(dirs):
        parts.append(entry(d, 0o040755, b"", ino))
        ino += 1
    for name in sorted(names):
        with open(names[name], "rb") as f:
            parts.append(entry(name, 0o100755, f.read(), ino))
        ino += 1
    parts.append(entry("TRAILER!!!", 0, b"", 0))
    with open(out, "wb") as f:
        f.write(b"".join(parts))

if __name__ == "__main__":
    main()
