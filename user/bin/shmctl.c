/*
 * shmctl - look at and manage POSIX shared memory objects, in the style of
 * FreeBSD's posixshmcontrol(1).
 *
 *   shmctl ls                        list the named objects
 *   shmctl stat NAME ...             fstat each object, plus its reference counts
 *   shmctl rm NAME ...               shm_unlink each name
 *   shmctl truncate -s SIZE NAME ... set the size (SIZE may end in k, m or g)
 *   shmctl create [-m MODE] NAME ... make new objects (mode in octal, default 0600)
 *   shmctl dump NAME                 write the bytes as hex, 16 to a line
 *
 * The list comes from the vmos call shm_list() (struct kshm_info in
 * <vmos.h>): path, mode, owner, size, the references on the object (its
 * name plus its open files), the references held by mappings, and its
 * resident and swapped pages.  Everything else uses the ordinary calls:
 * shm_open, fstat, ftruncate, mmap, shm_unlink.  Exit status 0 when every
 * operation succeeded, 1 when one failed, 2 for a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vmos.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: shmctl ls\n"
		"       shmctl stat NAME ...\n"
		"       shmctl rm NAME ...\n"
		"       shmctl truncate -s SIZE NAME ...\n"
		"       shmctl create [-m MODE] NAME ...\n"
		"       shmctl dump NAME\n");
	return 2;
}

static int fail(const char *what, const char *name)
{
	fprintf(stderr, "shmctl: %s %s: %s\n", what, name, strerror(errno));
	return 1;
}

/* All named objects in a malloc'd array (*np of them), or NULL. */
static struct kshm_info *list_all(int *np)
{
	int cap = 64;

	for (;;) {
		struct kshm_info *v = malloc((size_t)cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		int n = shm_list(v, cap);
		if (n < 0) {
			free(v);
			return NULL;
		}
		if (n < cap) {
			*np = n;
			return v;
		}
		free(v);
		cap *= 4;
	}
}

static void mode_string(unsigned mode, char out[10])
{
	static const char rwx[] = "rwxrwxrwx";

	for (int i = 0; i < 9; i++)
		out[i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	out[9] = '\0';
}

static int cmd_ls(void)
{
	int n;
	struct kshm_info *v = list_all(&n);
	char mode[10];

	if (v == NULL)
		return fail("shm_list", "");
	printf("%-9s %5s %5s %10s %4s %4s %8s %7s  %s\n", "MODE", "OWNER", "GROUP", "SIZE",
	       "REFS", "MAPS", "RESIDENT", "SWAPPED", "PATH");
	for (int i = 0; i < n; i++) {
		mode_string(v[i].mode, mode);
		printf("%-9s %5d %5d %10lld %4llu %4llu %8llu %7llu  %s\n", mode, v[i].uid, v[i].gid,
		       (long long)v[i].size, (unsigned long long)v[i].refs,
		       (unsigned long long)v[i].map_refs, (unsigned long long)v[i].resident,
		       (unsigned long long)v[i].swapped, v[i].path);
	}
	free(v);
	return 0;
}

/* The shm_list entry of path, for its reference counts; 0 if found. */
static int find_info(const char *path, struct kshm_info *out)
{
	int n, found = -1;
	struct kshm_info *v = list_all(&n);

	for (int i = 0; v != NULL && i < n; i++) {
		if (strcmp(v[i].path, path) == 0) {
			*out = v[i];
			found = 0;
		}
	}
	free(v);
	return found;
}

static int cmd_stat(const char *name)
{
	struct stat st;
	struct kshm_info ki;
	char mode[10];
	int fd = shm_open(name, O_RDONLY, 0);

	if (fd < 0)
		return fail("open", name);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return fail("fstat", name);
	}
	close(fd);
	mode_string(st.st_mode, mode);
	printf("path:     %s\n", name);
	printf("inode:    %llu\n", (unsigned long long)st.st_ino);
	printf("mode:     %s (%04o)\n", mode, (unsigned)st.st_mode & 07777);
	printf("owner:    %u\n", (unsigned)st.st_uid);
	printf("group:    %u\n", (unsigned)st.st_gid);
	printf("size:     %lld\n", (long long)st.st_size);
	printf("blocks:   %lld (512-byte)\n", (long long)st.st_blocks);
	printf("atime:    %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
	printf("mtime:    %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	printf("ctime:    %lld.%09ld\n", (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
	if (find_info(name, &ki) == 0)
		printf("refs:     %llu (name + files), %llu by mappings\n",
		       (unsigned long long)ki.refs, (unsigned long long)ki.map_refs);
	return 0;
}

/* "4096", "64k", "2m", "1g": bytes, or -1. */
static long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	return (*end != '\0' || end == s || v > (1ull << 62)) ? -1 : (long long)v;
}

static int cmd_truncate(const char *name, long long size)
{
	int fd = shm_open(name, O_RDWR, 0);
	int err = 0;

	if (fd < 0)
		return fail("open", name);
	if (ftruncate(fd, size) < 0)
		err = fail("truncate", name);
	close(fd);
	return err;
}

static int cmd_create(const char *name, mode_t mode)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode);

	if (fd < 0)
		return fail("create", name);
	close(fd);
	return 0;
}

static void dump_line(const unsigned char *p, size_t off, size_t n)
{
	printf("%08zx ", off);
	for (size_t i = 0; i < 16; i++) {
		if (i < n)
			printf(" %02x", p[i]);
		else
			printf("   ");
	}
	printf("  |");
	for (size_t i = 0; i < n; i++)
		putchar(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.');
	printf("|\n");
}

static int cmd_dump(const char *name)
{
	struct stat st;
	int fd = shm_open(name, O_RDONLY, 0);

	if (fd < 0)
		return fail("open", name);
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		int err = st.st_size == 0 ? 0 : fail("fstat", name);
		close(fd);
		return err;
	}
	const unsigned char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return fail("mmap", name);
	for (size_t off = 0; off < (size_t)st.st_size; off += 16)
		dump_line(p + off, off, (size_t)st.st_size - off < 16 ? (size_t)st.st_size - off : 16);
	munmap((void *)p, (size_t)st.st_size);
	return 0;
}

/* Apply fn to each name in argv[first..argc); 1 if any failed. */
static int each(int argc, char **argv, int first, int (*fn)(const char *))
{
	int err = 0;

	if (first >= argc)
		return usage();
	for (int i = first; i < argc; i++)
		err |= fn(argv[i]);
	return err;
}

static int rm_one(const char *name)
{
	return shm_unlink(name) < 0 ? fail("rm", name) : 0;
}

static int cmd_with_option(int argc, char **argv, int is_truncate)
{
	long long size = -1;
	mode_t mode = 0600;
	int i = 2, err = 0;

	if (argc > 3 && strcmp(argv[2], is_truncate ? "-s" : "-m") == 0) {
		if (is_truncate)
			size = parse_size(argv[3]);
		else
			mode = (mode_t)strtoul(argv[3], NULL, 8);
		i = 4;
	}
	if ((is_truncate && size < 0) || i >= argc)
		return usage();
	for (; i < argc; i++)
		err |= is_truncate ? cmd_truncate(argv[i], size) : cmd_create(argv[i], mode);
	return err;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *cmd = argv[1];
	if (strcmp(cmd, "ls") == 0 && argc == 2)
		return cmd_ls();
	if (strcmp(cmd, "stat") == 0)
		return each(argc, argv, 2, cmd_stat);
	if (strcmp(cmd, "rm") == 0)
		return each(argc, argv, 2, rm_one);
	if (strcmp(cmd, "truncate") == 0)
		return cmd_with_option(argc, argv, 1);
	if (strcmp(cmd, "create") == 0)
		return cmd_with_option(argc, argv, 0);
	if (strcmp(cmd, "dump") == 0 && argc == 3)
		return cmd_dump(argv[2]);
	return usage();
}
