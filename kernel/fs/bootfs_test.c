/*
 * bootfs_test.c - self-tests for the boot file system: archives built in
 * memory, good and malformed, parsed into private trees.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/selftest.h"
#include "fs/bootfs.h"
#include "vm/kmem.h"
#include "uapi/stat.h"

struct archive {
	char buf[4096];
	size_t len;
};

static void ar_pad(struct archive *a)
{
	while (a->len % 4)
		a->buf[a->len++] = '\0';
}

/* Append one newc entry, as tools/mkcpio.py writes it. */
static void ar_entry(struct archive *a, const char *name, uint32_t mode, const char *data)
{
	size_t size = data ? strlen(data) : 0, namesize = strlen(name) + 1;
	ksnprintf(a->buf + a->len, 111, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08zx%08x",
	    7u, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u, namesize, 0u);
	a->len += 110;
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	ar_pad(a);
	if (size)
		memcpy(a->buf + a->len, data, size);
	a->len += size;
	ar_pad(a);
}

static void ar_good(struct archive *a)
{
	a->len = 0;
	ar_entry(a, ".", S_IFDIR | 0755, NULL);
	ar_entry(a, "bin", S_IFDIR | 0755, NULL);
	ar_entry(a, "bin/sh", S_IFREG | 0755, "hello");
	ar_entry(a, "etc/motd", S_IFREG | 0644, "welcome\n");   /* etc is implied */
	ar_entry(a, "TRAILER!!!", 0, NULL);
}

struct path_case {
	const char *path;
	int err;                /* 0 or the -errno expected */
	mode_t mode;
	size_t size;
};

static const struct path_case path_cases[] = {
	{ "/", 0, S_IFDIR | 0755, 0 },
	{ "/bin", 0, S_IFDIR | 0755, 0 },
	{ "/bin/sh", 0, S_IFREG | 0755, 5 },
	{ "//bin///sh", 0, S_IFREG | 0755, 5 },
	{ "/bin/./sh", 0, S_IFREG | 0755, 5 },
	{ "/bin/../bin/sh", 0, S_IFREG | 0755, 5 },
	{ "/../../bin/sh", 0, S_IFREG | 0755, 5 },
	{ "/bin/", 0, S_IFDIR | 0755, 0 },
	{ "/etc", 0, S_IFDIR | 0755, 0 },
	{ "/etc/motd", 0, S_IFREG | 0644, 8 },
	{ "/bin/sh/", -ENOTDIR, 0, 0 },
	{ "/bin/sh/.", -ENOTDIR, 0, 0 },
	{ "/bin/sh/x", -ENOTDIR, 0, 0 },
	{ "/nope", -ENOENT, 0, 0 },
	{ "/bin/nope/x", -ENOENT, 0, 0 },
};

int test_bootfs_parse_and_walk(void)
{
	static struct archive a;
	struct bootfs_tree *t;
	uint64_t bytes = kmem_bytes_in_use();
	ar_good(&a);
	KTEST_ASSERT(bootfs_tree_parse(a.buf, a.len, &t) == 0, "good archive rejected");
	for (size_t i = 0; i < ARRAY_SIZE(path_cases); i++) {
		const struct path_case *c = &path_cases[i];
		mode_t mode = 0;
		size_t size = 0;
		int r = bootfs_tree_stat(t, c->path, &mode, &size);
		KTEST_ASSERT(r == c->err, "%s: got %d, expected %d", c->path, r, c->err);
		KTEST_ASSERT(r != 0 || (mode == c->mode && size == c->size),
		    "%s: mode %o size %zu", c->path, mode, size);
	}
	bootfs_tree_free(t);
	KTEST_ASSERT(kmem_bytes_in_use() == bytes, "leaked %lu bytes", kmem_bytes_in_use() - bytes);
	return 0;
}

/* Every proper prefix of a good archive lacks its trailer: all -EINVAL. */
int test_bootfs_truncated_archives_rejected(void)
{
	static struct archive a;
	struct bootfs_tree *t;
	uint64_t bytes = kmem_bytes_in_use();
	ar_good(&a);
	for (size_t len = 0; len < a.len; len++) {
		int r = bootfs_tree_parse(a.buf, len, &t);
		KTEST_ASSERT(r == -EINVAL, "prefix of %zu bytes: %d", len, r);
	}
	KTEST_ASSERT(bootfs_tree_parse(NULL, 0, &t) == -EINVAL, "NULL archive accepted");
	KTEST_ASSERT(kmem_bytes_in_use() == bytes, "leaked %lu bytes", kmem_bytes_in_use() - bytes);
	return 0;
}

/* Offsets into the first header (a directory "." entry) of ar_good. */
#define OFF_FILESIZE  (6 + 6 * 8)
#define OFF_NAMESIZE  (6 + 11 * 8)

struct corruption {
	const char *what;
	size_t offset;
	const char *bytes;
};

static const struct corruption corruptions[] = {
	{ "bad magic", 0, "070707" },
	{ "non-hex digit in filesize", OFF_FILESIZE, "0000000g" },
	{ "filesize past the end", OFF_FILESIZE, "7fffffff" },
	{ "namesize zero", OFF_NAMESIZE, "00000000" },
	{ "namesize past the end", OFF_NAMESIZE, "00100000" },
	{ "name without its NUL", OFF_NAMESIZE, "00000001" },
	{ "NUL inside the name", OFF_NAMESIZE, "00000003" },
};

static int parse_expect_einval(const struct archive *a, const char *what)
{
	struct bootfs_tree *t;
	int r = bootfs_tree_parse(a->buf, a->len, &t);
	if (r == 0)
		bootfs_tree_free(t);
	KTEST_ASSERT(r == -EINVAL, "%s: got %d", what, r);
	return 0;
}

int test_bootfs_malformed_archives_rejected(void)
{
	static struct archive a;
	uint64_t bytes = kmem_bytes_in_use();
	for (size_t i = 0; i < ARRAY_SIZE(corruptions); i++) {
		ar_good(&a);
		memcpy(a.buf + corruptions[i].offset, corruptions[i].bytes, strlen(corruptions[i].bytes));
		if (parse_expect_einval(&a, corruptions[i].what) < 0)
			return -1;
	}
	a.len = 0;                      /* a file used as a directory */
	ar_entry(&a, "x", S_IFREG | 0644, "data");
	ar_entry(&a, "x/y", S_IFREG | 0644, "data");
	ar_entry(&a, "TRAILER!!!", 0, NULL);
	if (parse_expect_einval(&a, "file as directory") < 0)
		return -1;
	a.len = 0;                      /* ".." escaping the root */
	ar_entry(&a, "../etc", S_IFREG | 0644, "data");
	ar_entry(&a, "TRAILER!!!", 0, NULL);
	if (parse_expect_einval(&a, "dot-dot name") < 0)
		return -1;
	KTEST_ASSERT(kmem_bytes_in_use() == bytes, "leaked %lu bytes", kmem_bytes_in_use() - bytes);
	return 0;
}
