/*
 * vfs_test.c - self-tests for the name space's path handling.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/selftest.h"
#include "fs/vfs.h"

/* Lexical normalisation (no process: relative paths start at "/"). */
int test_vfs_normalize(void)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//", "/" }, { "/..", "/" }, { "a/./b/../c", "/a/c" },
		{ "//x//y//", "/x/y" }, { "/a/b/../../..", "/" }, { ".", "/" },
	};
	char out[64];
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = vfs_normalize(cases[i][0], out, sizeof(out));
		KTEST_ASSERT(r == 0 && strcmp(out, cases[i][1]) == 0, "\"%s\" gave %d \"%s\"",
		    cases[i][0], r, out);
	}
	KTEST_ASSERT(vfs_normalize("", out, sizeof(out)) == -ENOENT, "empty path accepted");
	KTEST_ASSERT(vfs_normalize("/0123456789/0123456789/0123456789/0123456789/0123456789/0123456789",
	    out, sizeof(out)) == -ENAMETOOLONG, "overlong path accepted");
	return 0;
}
