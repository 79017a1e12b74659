/*
 * printf_test.c - self-tests for the kernel's printf engine.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/selftest.h"

struct fmt_case {
	const char *expect;
	const char *fmt;
	long long a;
};

int test_printf_formats(void)
{
	static const struct fmt_case cases[] = {
		{ "42", "%d", 42 },
		{ "-42", "%d", -42 },
		{ "+7", "%+d", 7 },
		{ "  -5", "%4d", -5 },
		{ "-5  |", "%-4d|", -5 },
		{ "0042", "%04d", 42 },
		{ "ff", "%x", 255 },
		{ "0XFF", "%#X", 255 },
		{ "0", "%#lx", 0 },             /* as in C, '#' adds no 0x to zero */
		{ "17", "%o", 15 },
		{ "00012", "%.5d", 12 },
		{ "-9223372036854775808", "%lld", (long long)(1ull << 63) },
		{ "18446744073709551615", "%llu", -1 },
		{ "4294967295", "%u", -1 },
		{ "%", "%%", 0 },
	};
	char buf[64];
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct fmt_case *c = &cases[i];
		if (strcmp(c->fmt, "%lld") == 0 || strcmp(c->fmt, "%llu") == 0)
			ksnprintf(buf, sizeof(buf), c->fmt, c->a);
		else if (strcmp(c->fmt, "%#lx") == 0)
			ksnprintf(buf, sizeof(buf), c->fmt, (long)c->a);
		else
			ksnprintf(buf, sizeof(buf), c->fmt, (int)c->a);
		KTEST_ASSERT(strcmp(buf, c->expect) == 0, "format \"%s\": got \"%s\", want \"%s\"",
		    c->fmt, buf, c->expect);
	}
	ksnprintf(buf, sizeof(buf), "%s|%5s|%-5s|%.2s|%c", "ab", "cd", "ef", "ghij", 'k');
	KTEST_ASSERT(strcmp(buf, "ab|   cd|ef   |gh|k") == 0, "strings: got \"%s\"", buf);
	ksnprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80100000ul);
	KTEST_ASSERT(strcmp(buf, "0xffffffff80100000") == 0, "pointer: got \"%s\"", buf);
	const char *volatile null_string = NULL;   /* volatile: hide the NULL from gcc's checks */
	ksnprintf(buf, sizeof(buf), "%s", null_string);
	KTEST_ASSERT(strcmp(buf, "(null)") == 0, "NULL string: got \"%s\"", buf);
	ksnprintf(buf, sizeof(buf), "%zu %ld %*d", (size_t)123, -77l, 5, 9);
	KTEST_ASSERT(strcmp(buf, "123 -77     9") == 0, "z/l/star: got \"%s\"", buf);
	return 0;
}

int test_printf_truncation(void)
{
	char buf[8];
	memset(buf, 'Z', sizeof(buf));
	int n = ksnprintf(buf, 6, "%s", "hello world");
	KTEST_ASSERT(n == 11, "returned %d, want 11 (the untruncated length)", n);
	KTEST_ASSERT(strcmp(buf, "hello") == 0, "got \"%s\"", buf);
	KTEST_ASSERT(buf[6] == 'Z', "wrote past the given size");
	n = ksnprintf(buf, 0, "abc");
	KTEST_ASSERT(n == 3 && buf[0] == 'h', "size 0 must write nothing");
	return 0;
}
