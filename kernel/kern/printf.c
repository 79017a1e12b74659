/*
 * printf.c - the kernel's printf engine.
 *
 * One engine, printf_format(), walks the format string and hands each output
 * character to an `emit` callback.  kprintf() emits to the console;
 * ksnprintf() emits into a buffer, counting what did not fit so it can
 * return the length the full output would have had, as C99 snprintf does.
 */
#include "kern/kernel.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "dev/console.h"

struct spec {
	bool left;      /* '-' */
	bool zero;      /* '0' */
	bool plus;      /* '+' */
	bool space;     /* ' ' */
	bool alt;       /* '#' */
	int width;
	int prec;       /* -1: none */
	int length;     /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

struct out {
	void (*emit)(char, void *);
	void *arg;
	int count;
};

static void out_char(struct out *o, char c)
{
	o->emit(c, o->arg);
	o->count++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Print the digits in buf (most significant first) with sign/prefix and padding. */
static void out_number(struct out *o, const struct spec *s, const char *prefix,
    const char *digits, int ndigits)
{
	int plen = strlen(prefix);
	int zeros = s->prec > ndigits ? s->prec - ndigits : 0;
	int len = plen + zeros + ndigits;
	int pad = s->width > len ? s->width - len : 0;

	if (s->zero && !s->left && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		out_pad(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	out_pad(o, '0', zeros);
	for (int i = 0; i < ndigits; i++)
		out_char(o, digits[i]);
	if (s->left)
		out_pad(o, ' ', pad);
}

static void format_integer(struct out *o, const struct spec *s, unsigned long long v,
    bool negative, unsigned base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], digits[24];
	int n = 0;
	const char *prefix = "";

	while (v != 0) {
		tmp[n++] = set[v % base];
		v /= base;
	}
	if (n == 0 && s->prec != 0)
		tmp[n++] = '0';
	for (int i = 0; i < n; i++)
		digits[i] = tmp[n - 1 - i];

	if (negative)
		prefix = "-";
	else if (s->plus)
		prefix = "+";
	else if (s->space)
		prefix = " ";
	if (s->alt && base == 16 && n > 0 && !(n == 1 && digits[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if (s->alt && base == 8 && digits[0] != '0')
		prefix = "0";
	out_number(o, s, prefix, digits, n);
}

static void format_string(struct out *o, const struct spec *s, const char *str)
{
	if (str == NULL)
		str = "(null)";
	int len = s->prec >= 0 ? (int)strnlen(str, s->prec) : (int)strlen(str);
	int pad = s->width > len ? s->width - len : 0;
	if (!s->left)
		out_pad(o, ' ', pad);
	for (int i = 0; i < len; i++)
		out_char(o, str[i]);
	if (s->left)
		out_pad(o, ' ', pad);
}

/* Parse flags, width, precision and length; returns the conversion char position. */
static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->prec = -1;
	for (;; f++) {
		if (*f == '-') s->left = true;
		else if (*f == '0') s->zero = true;
		else if (*f == '+') s->plus = true;
		else if (*f == ' ') s->space = true;
		else if (*f == '#') s->alt = true;
		else break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l') s->length++;
		else if (*f == 'h') s->length--;
		else if (*f == 'z' || *f == 'j' || *f == 't') s->length = 2;
		else break;
	}
	return f;
}

static unsigned long long arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 0: return va_arg(*ap, unsigned int);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned long long);
	}
}

static long long arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 0: return va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, long long);
	}
}

int printf_format(void (*emit)(char, void *), void *arg, const char *fmt, va_list ap)
{
	struct out o = { emit, arg, 0 };
	struct spec s;
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &s, &args);
		switch (*f) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&s, &args);
			format_integer(&o, &s, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
			    v < 0, 10, false);
			break;
		}
		case 'u': format_integer(&o, &s, arg_unsigned(&s, &args), false, 10, false); break;
		case 'x': format_integer(&o, &s, arg_unsigned(&s, &args), false, 16, false); break;
		case 'X': format_integer(&o, &s, arg_unsigned(&s, &args), false, 16, true); break;
		case 'o': format_integer(&o, &s, arg_unsigned(&s, &args), false, 8, false); break;
		case 'p':
			s.alt = true;
			s.length = 1;
			format_integer(&o, &s, (uintptr_t)va_arg(args, void *), false, 16, false);
			break;
		case 's': format_string(&o, &s, va_arg(args, const char *)); break;
		case 'c': {
			char c[2] = { (char)va_arg(args, int), 0 };
			s.prec = 1;
			format_string(&o, &s, c);
			break;
		}
		case '%': out_char(&o, '%'); break;
		case '\0': f--; break;          /* a lone '%' at the end */
		default:                        /* unknown: print it as written */
			out_char(&o, '%');
			out_char(&o, *f);
		}
	}
	va_end(args);
	return o.count;
}

struct buf {
	char *p;
	size_t size;
	size_t used;
};

static void emit_buf(char c, void *arg)
{
	struct buf *b = arg;
	if (b->used + 1 < b->size)
		b->p[b->used] = c;
	b->used++;
}

int kvsnprintf(char *p, size_t size, const char *fmt, va_list ap)
{
	struct buf b = { p, size, 0 };
	int n = printf_format(emit_buf, &b, fmt, ap);
	if (size > 0)
		p[MIN(b.used, size - 1)] = '\0';
	return n;
}

int ksnprintf(char *p, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(p, size, fmt, ap);
	va_end(ap);
	return n;
}

static void emit_console(char c, void *arg)
{
	(void)arg;
	console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
	console_lock();
	int n = printf_format(emit_console, NULL, fmt, ap);
	console_unlock();
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
