/*
 * format_float.c - printf's %f, %e and %g: printing a double roughly.
 *
 * The method is simple rather than exact.  A positive x is scaled by
 * powers of ten into [1, 10), in long double (64-bit mantissa) so the
 * scaling adds little error, and turned into an 18-digit integer:
 *
 *     x  ~  sig * 10^(exp - 17),     10^17 <= sig < 10^18
 *
 * Those digits are then rounded (to nearest, ties to even) to what the
 * conversion needs and laid out as fixed ("123.456000") or exponential
 * ("1.234560e+02") notation.  Up to 15 significant digits come out as
 * glibc prints them (a test compared 200000 random values); digits past
 * the 18th print as 0 (so "%f" of 2^70 ends in zeros), and precisions
 * above MAX_PRECISION are cut to it.  A correctly-rounding printf (Ryu,
 * Grisu, big-number arithmetic) is much longer.
 */
#include <stdint.h>
#include "format.h"

#define SIG_DIGITS    18
#define MAX_PRECISION 64

/* A decimal approximation: digits[0..ndigits) then zeros; digits[0] weighs 10^exp. */
struct decimal {
	char digits[SIG_DIGITS];
	int  ndigits;
	int  exp;
};

static const long double pow10_bin[] = { 1e1L, 1e2L, 1e4L, 1e8L, 1e16L, 1e32L, 1e64L, 1e128L, 1e256L };
#define N_POW10_BIN ((int)(sizeof(pow10_bin) / sizeof(pow10_bin[0])))

static uint64_t pow10u(int n)
{
	uint64_t p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* x > 0 and finite: sig in [10^17, 10^18) and exp with x ~ sig * 10^(exp-17). */
static void scale(double value, uint64_t *sig, int *exp)
{
	long double x = value;
	int e = 0;

	for (int i = N_POW10_BIN - 1; i >= 0; i--) {    /* big: divide down */
		if (x >= pow10_bin[i]) {
			x /= pow10_bin[i];
			e += 1 << i;
		}
	}
	for (int i = N_POW10_BIN - 1; i >= 0; i--) {    /* small: multiply up */
		if (x * pow10_bin[i] < 1.0L) {
			x *= pow10_bin[i];
			e -= 1 << i;
		}
	}
	if (x < 1.0L) {
		x *= 10.0L;
		e--;
	}
	*sig = (uint64_t)(x * (long double)pow10u(SIG_DIGITS - 1) + 0.5L);
	if (*sig >= pow10u(SIG_DIGITS)) {               /* rounding reached 10.0 */
		*sig = (*sig + 5) / 10;
		e++;
	}
	*exp = e;
}

/* sig / unit, rounded to nearest, ties to even (as glibc: "%.0f" of 2.5 is "2"). */
static uint64_t round_half_even(uint64_t sig, uint64_t unit)
{
	uint64_t q = sig / unit, r = sig % unit;

	if (r > unit / 2 || (r == unit / 2 && unit > 1 && (q & 1)))
		q++;
	return q;
}

/* Keep the n most significant digits of x (x >= 0), rounding to nearest. */
static void round_to(struct decimal *d, double x, int n)
{
	uint64_t sig, q;
	int exp;

	d->ndigits = 0;
	d->exp = 0;
	if (x == 0.0 || n < 0)
		return;
	scale(x, &sig, &exp);
	d->exp = exp;
	if (n == 0) {                   /* only the rounding of the first digit matters */
		if (sig > 5 * pow10u(SIG_DIGITS - 1)) {
			d->digits[d->ndigits++] = '1';
			d->exp++;
		}
		return;
	}
	if (n > SIG_DIGITS)
		n = SIG_DIGITS;
	q = round_half_even(sig, pow10u(SIG_DIGITS - n));
	if (q >= pow10u(n)) {           /* 9.99 -> 10.0: one digit more */
		q /= 10;
		d->exp++;
	}
	for (int i = n - 1; i >= 0; i--, q /= 10)
		d->digits[i] = (char)('0' + q % 10);
	d->ndigits = n;
}

static char digit_at(const struct decimal *d, int i)
{
	return i >= 0 && i < d->ndigits ? d->digits[i] : '0';
}

/* Fixed notation with prec fraction digits: "123.4560". */
static char *put_fixed(char *p, const struct decimal *d, int prec, int alt)
{
	if (d->exp < 0)
		*p++ = '0';
	for (int i = 0; i <= d->exp; i++)
		*p++ = digit_at(d, i);
	if (prec > 0 || alt)
		*p++ = '.';
	for (int j = 1; j <= prec; j++)
		*p++ = digit_at(d, d->exp + j);
	return p;
}

/* Exponential notation with prec fraction digits: "1.2346e+02". */
static char *put_exponential(char *p, const struct decimal *d, int prec, int flags)
{
	int e = d->ndigits > 0 ? d->exp : 0;
	unsigned int ue = e < 0 ? (unsigned int)-e : (unsigned int)e;

	*p++ = digit_at(d, 0);
	if (prec > 0 || (flags & FMT_ALT))
		*p++ = '.';
	for (int j = 1; j <= prec; j++)
		*p++ = digit_at(d, j);
	*p++ = (flags & FMT_UPPER) ? 'E' : 'e';
	*p++ = e < 0 ? '-' : '+';
	if (ue >= 100)
		*p++ = (char)('0' + ue / 100);
	*p++ = (char)('0' + ue / 10 % 10);
	*p++ = (char)('0' + ue % 10);
	return p;
}

/* %g without '#': drop trailing zeros of the fraction, and a bare '.'. */
static char *strip_zeros(char *start, char *end)
{
	char *exp = start, *dot = NULL, *tail;

	while (exp < end && *exp != 'e' && *exp != 'E') {
		if (*exp == '.')
			dot = exp;
		exp++;
	}
	if (dot == NULL)
		return end;
	tail = exp;
	while (tail > dot + 1 && tail[-1] == '0')
		tail--;
	if (tail == dot + 1)
		tail = dot;
	for (char *s = exp; s < end; s++)       /* move the exponent down */
		*tail++ = *s;
	return tail;
}

static char *put_general(char *p, double x, int prec, int flags)
{
	struct decimal d;
	int exp;
	char *start = p;

	if (prec == 0)
		prec = 1;
	round_to(&d, x, prec);
	exp = d.ndigits > 0 ? d.exp : 0;
	if (exp < prec && exp >= -4)
		p = put_fixed(p, &d, prec - 1 - exp, flags & FMT_ALT);
	else
		p = put_exponential(p, &d, prec - 1, flags);
	if (!(flags & FMT_ALT))
		p = strip_zeros(start, p);
	return p;
}

static size_t put_word(char *buf, const char *lower, const char *upper, int flags)
{
	const char *w = (flags & FMT_UPPER) ? upper : lower;
	size_t n = 0;

	while (w[n] != '\0') {
		buf[n] = w[n];
		n++;
	}
	return n;
}

size_t format_float(char *buf, double x, const struct format_spec *spec, int *negative)
{
	int prec = spec->precision < 0 ? 6 : spec->precision;
	struct decimal d;
	char *end;

	*negative = __builtin_signbit(x) != 0;
	if (*negative)
		x = -x;
	if (x != x)
		return put_word(buf, "nan", "NAN", spec->flags);
	if (x > __DBL_MAX__)
		return put_word(buf, "inf", "INF", spec->flags);
	if (prec > MAX_PRECISION)
		prec = MAX_PRECISION;
	switch (spec->conv) {
	case 'e':
		round_to(&d, x, prec + 1);
		end = put_exponential(buf, &d, prec, spec->flags);
		break;
	case 'g':
		end = put_general(buf, x, prec, spec->flags);
		break;
	default: {              /* 'f' */
		uint64_t sig;
		int exp = 0;
		if (x != 0.0)
			scale(x, &sig, &exp);
		round_to(&d, x, exp + 1 + prec);
		end = put_fixed(buf, &d, prec, spec->flags & FMT_ALT);
		break;
	}
	}
	return (size_t)(end - buf);
}
