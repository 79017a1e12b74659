/*
 * cmdline_test.c - self-tests of the kernel command line parser
 * (cmdline.c): words, keys with and without values, and cmd= taking the
 * rest of the line.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/cmdline.h"
#include "kern/selftest.h"

/* Which lookup of the sample line gives a wrong answer, or NULL. */
static const char *cmdline_sample_problem(void)
{
	char v[64];
	if (!cmdline_get("ktest", v, sizeof(v)) || strcmp(v, "a,b") != 0)
		return "ktest=a,b";
	if (!cmdline_get("quiet", v, sizeof(v)) || v[0] != '\0')
		return "quiet (a key without a value)";
	if (!cmdline_get("mem", v, sizeof(v)) || strcmp(v, "12") != 0)
		return "mem=12";
	if (cmdline_get("me", v, sizeof(v)))
		return "me (a prefix of a key) was found";
	if (cmdline_get("absent", v, sizeof(v)))
		return "absent was found";
	if (!cmdline_get("cmd", v, sizeof(v)) || strcmp(v, "/bin/sh -c 'echo hi'") != 0)
		return "cmd= (the rest of the line)";
	return NULL;
}

int test_cmdline_words(void)
{
	char saved[1024];
	strlcpy(saved, cmdline_get_line(), sizeof(saved));
	cmdline_set("ktest=a,b quiet mem=12 cmd=/bin/sh -c 'echo hi'");
	const char *problem = cmdline_sample_problem();
	cmdline_set(saved);
	KTEST_ASSERT(problem == NULL, "cmdline_get gave a wrong answer for %s", problem);
	return 0;
}

/* Byte sizes: K, M and G, and what is not a size. */
static const char *cmdline_bytes_problem(void)
{
	uint64_t b;
	if (!cmdline_get_bytes("a", &b) || b != 12)
		return "a=12";
	if (!cmdline_get_bytes("b", &b) || b != 64 * 1024)
		return "b=64K";
	if (!cmdline_get_bytes("c", &b) || b != 3ull << 30)
		return "c=3G";
	if (cmdline_get_bytes("d", &b) || cmdline_get_bytes("e", &b) || cmdline_get_bytes("f", &b) ||
	    cmdline_get_bytes("g", &b) || cmdline_get_bytes("h", &b))
		return "d=5T e=x f= g=99999999999999999999 h=17179869184G (none is a size)";
	return NULL;
}

int test_cmdline_bytes(void)
{
	char saved[1024];
	strlcpy(saved, cmdline_get_line(), sizeof(saved));
	cmdline_set("a=12 b=64K c=3G d=5T e=x f= g=99999999999999999999 h=17179869184G");
	const char *problem = cmdline_bytes_problem();
	cmdline_set(saved);
	KTEST_ASSERT(problem == NULL, "cmdline_get_bytes gave a wrong answer for %s", problem);
	return 0;
}
