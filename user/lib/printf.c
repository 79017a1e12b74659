/*
 * printf.c - the printf family: where formatted output goes.
 *
 * All of them run the same engine (format.c) and differ only in the sink
 * that receives the output:
 *
 *   string sink   snprintf, vsnprintf, sprintf, asprintf: copy into a
 *                 buffer, dropping what does not fit, always NUL-terminate
 *   chunk sink    printf, fprintf, dprintf: collect up to CHUNK bytes,
 *                 then hand them to fwrite() or write().  On an unbuffered
 *                 stream (stderr) a short message thus leaves in a single
 *                 write instead of one per piece.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "format.h"

/* ---- Into a string ---- */

struct string_sink {
	struct format_sink sink;
	char *buf;
	size_t size;            /* bytes available, including the NUL */
	size_t len;             /* bytes stored so far */
};

static void string_put(struct format_sink *s, const char *data, size_t n)
{
	struct string_sink *ss = (struct string_sink *)s;
	size_t room = ss->size > ss->len + 1 ? ss->size - ss->len - 1 : 0;

	if (n > room)
		n = room;
	memcpy(ss->buf + ss->len, data, n);
	ss->len += n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct string_sink ss = { { string_put }, buf, size, 0 };
	int n = format(&ss.sink, fmt, ap);

	if (size > 0)
		buf[ss.len] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

/* Measure first, then allocate exactly and format again. */
int vasprintf(char **out, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0) {
		*out = malloc((size_t)n + 1);
		if (*out == NULL)
			n = -1;
		else
			vsnprintf(*out, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	return n;
}

int asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- Into a stream or a descriptor, in chunks ---- */

#define CHUNK 256

struct chunk_sink {
	struct format_sink sink;
	FILE *stream;           /* fwrite here, or ... */
	int fd;                 /* ... write() here when stream is NULL */
	int failed;
	size_t len;
	char buf[CHUNK];
};

static void chunk_flush(struct chunk_sink *cs)
{
	const char *p = cs->buf;
	size_t left = cs->len;

	cs->len = 0;
	if (cs->stream != NULL) {
		if (fwrite(p, 1, left, cs->stream) != left)
			cs->failed = 1;
		return;
	}
	while (left > 0) {
		ssize_t n = write(cs->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			cs->failed = 1;
			return;
		}
		p += n;
		left -= (size_t)n;
	}
}

static void chunk_put(struct format_sink *s, const char *data, size_t n)
{
	struct chunk_sink *cs = (struct chunk_sink *)s;

	while (n > 0) {
		size_t k = CHUNK - cs->len < n ? CHUNK - cs->len : n;
		memcpy(cs->buf + cs->len, data, k);
		cs->len += k;
		data += k;
		n -= k;
		if (cs->len == CHUNK)
			chunk_flush(cs);
	}
}

static int chunk_format(FILE *stream, int fd, const char *fmt, va_list ap)
{
	struct chunk_sink cs = { .sink = { chunk_put }, .stream = stream, .fd = fd };
	int n = format(&cs.sink, fmt, ap);

	chunk_flush(&cs);
	return cs.failed ? -1 : n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return chunk_format(f, -1, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	return chunk_format(NULL, fd, fmt, ap);
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}
