/*
 * format.c - the printf engine: parses conversions and formats integers,
 * characters, strings and pointers (floating point is in format_float.c).
 *
 * Supported: flags - + space # 0; width and precision, also as '*';
 * length modifiers hh h l ll z j t L; conversions d i u o x X c s p %
 * and f F e E g G.  %n is not supported; an unknown conversion is
 * printed as it stands.
 *
 * Every field is laid out the same way (emit_field):
 *
 *     [spaces] prefix [zeros] body [spaces]
 *
 * where prefix is a sign or "0x", zeros come from the precision or the
 * '0' flag, and the spaces fill the width on the left, or on the right
 * with '-'.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include "format.h"

/* The sink plus a running count of bytes produced. */
struct out {
	struct format_sink *sink;
	size_t count;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (n > 0) {
		o->sink->put(o->sink, s, n);
		o->count += n;
	}
}

static void put_repeat(struct out *o, char c, size_t n)
{
	char block[32];

	memset(block, c, sizeof(block));
	while (n > 0) {
		size_t k = n < sizeof(block) ? n : sizeof(block);
		put(o, block, k);
		n -= k;
	}
}

static void emit_field(struct out *o, const struct format_spec *spec,
		       const char *prefix, size_t zeros, const char *body, size_t len)
{
	size_t plen = strlen(prefix);
	size_t total = plen + zeros + len;
	size_t pad = (size_t)spec->width > total ? (size_t)spec->width - total : 0;

	if (!(spec->flags & FMT_LEFT))
		put_repeat(o, ' ', pad);
	put(o, prefix, plen);
	put_repeat(o, '0', zeros);
	put(o, body, len);
	if (spec->flags & FMT_LEFT)
		put_repeat(o, ' ', pad);
}

/* The sign prefix of a signed conversion. */
static const char *sign_prefix(const struct format_spec *spec, int negative)
{
	if (negative)
		return "-";
	if (spec->flags & FMT_PLUS)
		return "+";
	if (spec->flags & FMT_SPACE)
		return " ";
	return "";
}

/* Zeros the '0' flag adds to fill the width (only without '-' or precision). */
static size_t zero_fill(const struct format_spec *spec, size_t used)
{
	if (!(spec->flags & FMT_ZERO) || (spec->flags & FMT_LEFT))
		return 0;
	return (size_t)spec->width > used ? (size_t)spec->width - used : 0;
}

/* Digits of v in base (8, 10, 16), written backwards from end; returns start. */
static char *to_digits(char *end, uintmax_t v, unsigned base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		*--end = digits[v % base];
		v /= base;
	} while (v != 0);
	return end;
}

static void format_integer(struct out *o, const struct format_spec *spec,
			   uintmax_t value, int negative)
{
	char buf[32];
	char *end = buf + sizeof(buf), *start;
	unsigned base = spec->conv == 'o' ? 8 : spec->conv == 'x' ? 16 : 10;
	int is_signed = spec->conv == 'd' || spec->conv == 'i';
	const char *prefix = is_signed ? sign_prefix(spec, negative) : "";
	size_t len, zeros;

	start = to_digits(end, value, base, spec->flags & FMT_UPPER);
	if (spec->precision == 0 && value == 0)
		start = end;                    /* "%.0d" of 0 prints nothing */
	len = (size_t)(end - start);
	zeros = spec->precision > (int)len ? (size_t)spec->precision - len : 0;
	if ((spec->flags & FMT_ALT) && base == 16 && value != 0)
		prefix = (spec->flags & FMT_UPPER) ? "0X" : "0x";
	if ((spec->flags & FMT_ALT) && base == 8 && zeros == 0 &&
	    (len == 0 || *start != '0'))
		zeros = 1;                      /* "%#o" always starts with 0 */
	if (spec->precision < 0)
		zeros += zero_fill(spec, strlen(prefix) + zeros + len);
	emit_field(o, spec, prefix, zeros, start, len);
}

static void format_pointer(struct out *o, struct format_spec spec, void *p)
{
	static const char nil[] = "(nil)";

	if (p == NULL) {
		emit_field(o, &spec, "", 0, nil, sizeof(nil) - 1);
		return;
	}
	spec.conv = 'x';
	spec.flags |= FMT_ALT;
	format_integer(o, &spec, (uintptr_t)p, 0);
}

static void format_string(struct out *o, const struct format_spec *spec, const char *s)
{
	size_t len;

	if (s == NULL)
		s = "(null)";
	len = spec->precision >= 0 ? strnlen(s, (size_t)spec->precision) : strlen(s);
	emit_field(o, spec, "", 0, s, len);
}

static void format_double(struct out *o, const struct format_spec *spec, double x)
{
	char buf[FORMAT_FLOAT_BUF];
	int negative;
	size_t len = format_float(buf, x, spec, &negative);
	const char *prefix = sign_prefix(spec, negative);
	size_t zeros = 0;

	if (buf[0] >= '0' && buf[0] <= '9')     /* not "inf" or "nan" */
		zeros = zero_fill(spec, strlen(prefix) + len);
	emit_field(o, spec, prefix, zeros, buf, len);
}

/* ---- Parsing ---- */

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

static const char *parse_flags(const char *f, struct format_spec *spec)
{
	for (;; f++) {
		switch (*f) {
		case '-': spec->flags |= FMT_LEFT; break;
		case '+': spec->flags |= FMT_PLUS; break;
		case ' ': spec->flags |= FMT_SPACE; break;
		case '#': spec->flags |= FMT_ALT; break;
		case '0': spec->flags |= FMT_ZERO; break;
		default: return f;
		}
	}
}

/* A decimal number (0 if there are no digits), saturating at INT_MAX. */
static const char *parse_decimal(const char *f, int *n)
{
	for (*n = 0; *f >= '0' && *f <= '9'; f++)
		*n = *n < (INT_MAX - 9) / 10 ? *n * 10 + (*f - '0') : INT_MAX;
	return f;
}

/* Width: digits, or '*' taking an int (negative means '-' flag). */
static const char *parse_width(const char *f, struct format_spec *spec, va_list *ap)
{
	int w;

	if (*f != '*')
		return parse_decimal(f, &spec->width);
	w = va_arg(*ap, int);
	if (w < 0) {
		spec->flags |= FMT_LEFT;
		w = w == INT_MIN ? INT_MAX : -w;
	}
	spec->width = w;
	return f + 1;
}

/* Precision: '.' then digits (none means 0), or ".*" (negative means none). */
static const char *parse_precision(const char *f, struct format_spec *spec, va_list *ap)
{
	spec->precision = -1;
	if (*f != '.')
		return f;
	f++;
	if (*f != '*')
		return parse_decimal(f, &spec->precision);
	spec->precision = va_arg(*ap, int);
	if (spec->precision < 0)
		spec->precision = -1;
	return f + 1;
}

static const char *parse_length(const char *f, enum length *len)
{
	switch (*f) {
	case 'h':
		if (f[1] == 'h') { *len = LEN_HH; return f + 2; }
		*len = LEN_H;
		return f + 1;
	case 'l':
		if (f[1] == 'l') { *len = LEN_LL; return f + 2; }
		*len = LEN_L;
		return f + 1;
	case 'q': *len = LEN_LL; return f + 1;
	case 'z': *len = LEN_Z; return f + 1;
	case 'j': *len = LEN_J; return f + 1;
	case 't': *len = LEN_T; return f + 1;
	case 'L': *len = LEN_BIG_L; return f + 1;
	default: *len = LEN_NONE; return f;
	}
}

/* Parse "%..." after the '%'; returns the pointer past the conversion. */
static const char *parse_spec(const char *f, struct format_spec *spec,
			      enum length *len, va_list *ap)
{
	spec->flags = 0;
	f = parse_flags(f, spec);
	f = parse_width(f, spec, ap);
	f = parse_precision(f, spec, ap);
	f = parse_length(f, len);
	spec->conv = *f;
	if (*f == 'X' || *f == 'E' || *f == 'F' || *f == 'G') {
		spec->flags |= FMT_UPPER;
		spec->conv = (char)(*f - 'A' + 'a');
	}
	return *f != '\0' ? f + 1 : f;
}

/* ---- Fetching arguments ---- */

static intmax_t signed_arg(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return va_arg(*ap, __INT64_TYPE__);        /* ssize_t */
	case LEN_J: return va_arg(*ap, intmax_t);
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t unsigned_arg(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	case LEN_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* ---- The conversion dispatcher ---- */

static void convert(struct out *o, const struct format_spec *spec, enum length len,
		    va_list *ap, const char *start, const char *end)
{
	switch (spec->conv) {
	case 'd':
	case 'i': {
		intmax_t v = signed_arg(len, ap);
		format_integer(o, spec, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
		break;
	}
	case 'u':
	case 'o':
	case 'x':
		format_integer(o, spec, unsigned_arg(len, ap), 0);
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		emit_field(o, spec, "", 0, &c, 1);
		break;
	}
	case 's':
		format_string(o, spec, va_arg(*ap, const char *));
		break;
	case 'p':
		format_pointer(o, *spec, va_arg(*ap, void *));
		break;
	case 'f':
	case 'e':
	case 'g':
		if (len == LEN_BIG_L)
			format_double(o, spec, (double)va_arg(*ap, long double));
		else
			format_double(o, spec, va_arg(*ap, double));
		break;
	case '%':
		put(o, "%", 1);
		break;
	default:                /* unknown: print the conversion as it stands */
		put(o, start, (size_t)(end - start));
		break;
	}
}

int format(struct format_sink *sink, const char *fmt, va_list ap)
{
	struct out o = { .sink = sink, .count = 0 };
	va_list args;

	va_copy(args, ap);      /* so helpers can take &args (va_list may be an array) */
	while (*fmt != '\0') {
		const char *pct = strchr(fmt, '%');
		struct format_spec spec;
		enum length len;

		if (pct == NULL)
			pct = fmt + strlen(fmt);
		put(&o, fmt, (size_t)(pct - fmt));     /* the literal text */
		if (*pct == '\0')
			break;
		fmt = parse_spec(pct + 1, &spec, &len, &args);
		convert(&o, &spec, len, &args, pct, fmt);
	}
	va_end(args);
	if (o.count > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.count;
}
