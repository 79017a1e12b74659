/*
 * format.h - the printf engine shared by the printf family (private).
 *
 * format() walks a printf format string and sends the output, piece by
 * piece, to a sink: a function that appends bytes to a string, a stream
 * or a file descriptor (printf.c has the three).  It returns the number
 * of bytes produced, or -1 with errno = EOVERFLOW past INT_MAX.
 */
#ifndef LIBC_FORMAT_H
#define LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

struct format_sink {
	void (*put)(struct format_sink *sink, const char *s, size_t n);
};

int format(struct format_sink *sink, const char *fmt, va_list ap);

/* One parsed conversion: %[flags][width][.precision][length]conv */
enum {
	FMT_LEFT  = 1 << 0,     /* '-': pad on the right */
	FMT_PLUS  = 1 << 1,     /* '+': always a sign */
	FMT_SPACE = 1 << 2,     /* ' ': a space where a '+' would go */
	FMT_ALT   = 1 << 3,     /* '#': 0x prefix, keep the decimal point ... */
	FMT_ZERO  = 1 << 4,     /* '0': pad with zeros after the sign */
	FMT_UPPER = 1 << 5,     /* X, E, G, F: upper-case letters */
};

struct format_spec {
	int  flags;             /* FMT_* */
	int  width;             /* minimum field width, 0 if none */
	int  precision;         /* -1 if none */
	char conv;              /* conversion letter, lower-cased */
};

/*
 * Format a double for %f, %e or %g (format_float.c): the body without
 * sign goes to buf (at least FORMAT_FLOAT_BUF bytes), its length is
 * returned.  *negative tells whether a '-' is due.
 */
#define FORMAT_FLOAT_BUF 400
size_t format_float(char *buf, double x, const struct format_spec *spec, int *negative);

#endif /* LIBC_FORMAT_H */
