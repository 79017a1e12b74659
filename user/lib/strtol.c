/*
 * strtol.c - numbers from strings: strtol, strtoul, strtoll, strtoull,
 * strtoimax, strtoumax, atoi, atol, atoll.
 *
 * All share parse_digits():  [spaces] [+|-] [0x|0X when base is 16 or 0]
 * digits.  Base 0 picks 16 for "0x...", 8 for "0...", else 10.  *end is
 * set past the last digit used, or to the start of the string if there
 * were no digits at all.  A value out of range gives the largest value
 * of the type (or the smallest, for a negative one) and errno = ERANGE.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>

struct parsed {
	unsigned long long magnitude;
	int negative;
	int overflow;           /* the digits did not fit in 64 bits */
};

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;              /* not a digit in any base */
}

static struct parsed parse_digits(const char *s, char **end, int base)
{
	struct parsed r = { 0, 0, 0 };
	const char *p = s, *digits;
	int d;

	if (end != NULL)
		*end = (char *)s;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return r;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		r.negative = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (digits = p; (d = digit_value(*p)) < base; p++) {
		if (r.magnitude > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			r.overflow = 1;
		else
			r.magnitude = r.magnitude * (unsigned)base + (unsigned)d;
	}
	if (p == digits) {              /* no digits: no number */
		r.negative = 0;
		return r;
	}
	if (end != NULL)
		*end = (char *)p;
	return r;
}

/* The unsigned conversions: "-N" means the negation of N, as C says. */
static unsigned long long to_unsigned(struct parsed r, unsigned long long max)
{
	if (r.overflow || r.magnitude > max) {
		errno = ERANGE;
		return max;
	}
	return r.negative ? (0 - r.magnitude) & max : r.magnitude;
}

static long long to_signed(struct parsed r, long long max)
{
	unsigned long long limit = (unsigned long long)max + r.negative;

	if (r.overflow || r.magnitude > limit) {
		errno = ERANGE;
		return r.negative ? -max - 1 : max;
	}
	return r.negative ? (long long)(0 - r.magnitude) : (long long)r.magnitude;
}

long strtol(const char *s, char **end, int base)
{
	return (long)to_signed(parse_digits(s, end, base), LONG_MAX);
}

long long strtoll(const char *s, char **end, int base)
{
	return to_signed(parse_digits(s, end, base), LLONG_MAX);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)to_unsigned(parse_digits(s, end, base), ULONG_MAX);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return to_unsigned(parse_digits(s, end, base), ULLONG_MAX);
}

intmax_t strtoimax(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

uintmax_t strtoumax(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
