/*
 * pipe.h - pipes: a byte ring buffer with a read end and a write end.
 * See the essay at the top of pipe.c for how blocking works.
 */
#ifndef KERN_PIPE_H
#define KERN_PIPE_H

#include "kern/kernel.h"
#include "kern/spinlock.h"
#include "kern/ring.h"
#include "uapi/limits.h"

struct file;

/*
 * Bytes a pipe holds: two pages of kernel heap less kmalloc's 16-byte
 * header, so the buffer is exactly two pages.  At least 2 * PIPE_BUF - 16,
 * so an atomic write of PIPE_BUF bytes always fits in an empty pipe.
 */
#define PIPE_SIZE (2 * 4096 - 16)

/* Locking: (l) lock; (c) constant after pipe_create. */
struct pipe {
	struct spinlock lock;
	struct ring ring;               /* (l) head and count; (c) buf and size */
	bool reader_open;               /* (l) the read end's file is open */
	bool writer_open;               /* (l) the write end's file is open */
	bool reading;                   /* (l) a reader holds the take-out token */
	bool writing;                   /* (l) a writer holds the put-in token */
	uint64_t ino;                   /* (c) for fstat */
};

/*
 * Make a pipe and its two files: *rfp reads (O_RDONLY), *wfp writes
 * (O_WRONLY); flags may add O_NONBLOCK to both.  Each file is returned with
 * one reference owned by the caller.  0 or -ENOMEM.  Does not sleep.
 */
int pipe_create(int flags, struct file **rfp, struct file **wfp);

#endif
