/*
 * tmpfs_test.c - the "tmpfs" suite: the writable file system at /tmp.
 *
 * Files hold what was written, at any offset, across pages; holes read as
 * zeros and cost nothing; O_APPEND, O_TRUNC, O_EXCL and ftruncate behave
 * as POSIX says; mmap of a file shares its bytes with read and write; a
 * file lives while it is open after its name is gone; directories are
 * made, listed, entered and removed, with the errors Linux gives; and an
 * unprivileged user meets the permission bits and /tmp's sticky bit.
 * Symbolic links are followed where POSIX says (and lstat, readlink,
 * unlink and O_NOFOLLOW do not), up to 40 in a lookup (ELOOP); hard links
 * share one node, counted in st_nlink; chmod, chown and utimensat by name
 * keep fchmod's and fchown's credential rules.
 *
 * Every case removes what it made: the runner's leak check (free pages,
 * VM objects, open files, heap bytes) after each case is also the check
 * that an unlinked file's pages come back.
 *
 * Assumes: tmpfs is mounted at /tmp with mode 01777; / is the read-only
 * boot file system.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define PG      4096
#define F       "/tmp/tmpfs_test.file"
#define D       "/tmp/tmpfs_test.dir"

/* Make path anew (a failed case before may have left it). */
static int create(const char *path)
{
	unlink(path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECKF(fd >= 0, "open %s: errno %d", path, errno);
	return fd;
}

static void write_all(int fd, const void *buf, size_t n)
{
	errno = 0;
	ssize_t r = write(fd, buf, n);
	CHECKF(r == (ssize_t)n, "write of %zu gave %zd: errno %d", n, r, errno);
}

static void pattern(char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(seed + i * 7 + (i >> 12));
}

/* Bytes written at odd offsets across three pages read back the same. */
static void write_then_read_back_across_pages(void)
{
	static char out[3 * PG + 100], in[sizeof(out)];
	int fd = create(F);
	pattern(out, sizeof(out), 3);
	write_all(fd, out, 1000);
	write_all(fd, out + 1000, sizeof(out) - 1000);
	struct stat st;
	CHECK(fstat(fd, &st) == 0);
	CHECK(S_ISREG(st.st_mode) && st.st_size == (off_t)sizeof(out) && st.st_nlink == 1);
	CHECKF(st.st_blocks == 4 * (PG / 512), "st_blocks %ld for 4 pages", (long)st.st_blocks);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, in, sizeof(in)) == (ssize_t)sizeof(in));
	CHECK(memcmp(in, out, sizeof(out)) == 0);
	CHECK(read(fd, in, 10) == 0);                   /* at the end */
	CHECK(pread(fd, in, 300, PG - 150) == 300 && memcmp(in, out + PG - 150, 300) == 0);
	close(fd);
	/* A second open sees the same bytes. */
	fd = open(F, O_RDONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, in, sizeof(in)) == (ssize_t)sizeof(in) && memcmp(in, out, sizeof(out)) == 0);
	close(fd);
	CHECK(unlink(F) == 0);
}

/* A write past the end leaves a hole that reads as zeros and has no pages. */
static void hole_reads_as_zeros_and_holds_no_page(void)
{
	char buf[PG];
	int fd = create(F);
	CHECK(lseek(fd, 5 * PG + 10, SEEK_SET) == 5 * PG + 10);
	write_all(fd, "end", 3);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 5 * PG + 13);
	CHECKF(st.st_blocks == PG / 512, "st_blocks %ld: the hole took pages", (long)st.st_blocks);
	CHECK(pread(fd, buf, sizeof(buf), 2 * PG) == PG);
	for (int i = 0; i < PG; i++)
		CHECKF(buf[i] == 0, "byte %d of the hole is %d", i, buf[i]);
	CHECK(fstat(fd, &st) == 0 && st.st_blocks == PG / 512);   /* reading made none */
	close(fd);
	CHECK(unlink(F) == 0);
}

/* O_APPEND writes at the end whatever the offset; O_TRUNC empties. */
static void append_and_trunc(void)
{
	char buf[16] = { 0 };
	int a = create(F);
	int b = open(F, O_WRONLY | O_APPEND);
	CHECK(b >= 0);
	write_all(a, "12345", 5);
	write_all(b, "ab", 2);                          /* at 5, not at 0 */
	CHECK(lseek(a, 0, SEEK_SET) == 0);
	write_all(a, "X", 1);                           /* a has no O_APPEND */
	CHECK(pread(a, buf, sizeof(buf), 0) == 7 && memcmp(buf, "X2345ab", 7) == 0);
	close(b);
	b = open(F, O_WRONLY | O_TRUNC);
	CHECK(b >= 0);
	struct stat st;
	CHECK(fstat(a, &st) == 0 && st.st_size == 0 && st.st_blocks == 0);
	close(b);
	close(a);
	CHECK(unlink(F) == 0);
}

/* ftruncate shrinks (the old bytes do not come back) and grows with zeros. */
static void ftruncate_shrinks_and_grows_with_zeros(void)
{
	static char buf[2 * PG];
	int fd = create(F);
	memset(buf, 'x', sizeof(buf));
	write_all(fd, buf, sizeof(buf));
	CHECK(ftruncate(fd, 100) == 0);
	CHECK(ftruncate(fd, 2 * PG) == 0);
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf));
	for (int i = 0; i < 2 * PG; i++)
		CHECKF(buf[i] == (i < 100 ? 'x' : 0), "byte %d is %d after shrink and grow", i, buf[i]);
	/* A store through a mapping past the end, inside the last page, is
	 * not part of the file: growing the file over it shows zeros. */
	CHECK(ftruncate(fd, 100) == 0);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	p[200] = 'm';
	CHECK(ftruncate(fd, PG) == 0);
	CHECKF(p[200] == 0, "a store past the old end survived growing: %d", p[200]);
	CHECK(munmap(p, PG) == 0);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(ftruncate(fd, (off_t)1 << 40), EFBIG);
	close(fd);
	CHECK(unlink(F) == 0);
}

/* A MAP_SHARED mapping and read/write reach the same bytes. */
static void mmap_shares_bytes_with_read_and_write(void)
{
	char buf[8];
	int fd = create(F);
	CHECK(ftruncate(fd, 2 * PG) == 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(pwrite(fd, "written", 7, PG + 5) == 7);
	CHECK(memcmp(p + PG + 5, "written", 7) == 0);   /* the write, seen in the map */
	memcpy(p + 10, "stored", 6);
	CHECK(pread(fd, buf, 6, 10) == 6 && memcmp(buf, "stored", 6) == 0);
	/* A child's store through its inherited mapping is seen by read too. */
	pid_t pid = test_fork();
	if (pid == 0) {
		memcpy(p + 20, "child", 5);
		_exit(0);
	}
	CHECK(test_wait(pid) == 0);
	CHECK(pread(fd, buf, 5, 20) == 5 && memcmp(buf, "child", 5) == 0);
	CHECK(munmap(p, 2 * PG) == 0);
	close(fd);
	CHECK(unlink(F) == 0);
}

/* MAP_PRIVATE: sees the file until it writes a page, then has its own copy
 * of that page; a later write(2) shows in the pages it has not copied. */
static void private_mapping_copies_on_its_first_write(void)
{
	char buf[4];
	int fd = create(F);
	CHECK(ftruncate(fd, 2 * PG) == 0);
	CHECK(pwrite(fd, "aaaa", 4, 0) == 4 && pwrite(fd, "bbbb", 4, PG) == 4);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(memcmp(p, "aaaa", 4) == 0 && memcmp(p + PG, "bbbb", 4) == 0);
	p[0] = 'P';                                     /* page 0 is now the mapping's own */
	CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "aaaa", 4) == 0);
	CHECK(pwrite(fd, "AAAA", 4, 0) == 4 && pwrite(fd, "BBBB", 4, PG) == 4);
	CHECKF(memcmp(p, "Paaa", 4) == 0, "the copied page changed with the file");
	CHECKF(memcmp(p + PG, "BBBB", 4) == 0, "the uncopied page missed the file's write");
	CHECK(munmap(p, 2 * PG) == 0);
	close(fd);
	CHECK(unlink(F) == 0);
}

static void touch_second_page(void *arg)
{
	volatile char *p = arg;
	p[PG] = 1;
}

/* Truncating under a mapping: the pages past the new end are gone from it
 * (a touch there is SIGBUS), the pages before it are untouched. */
static void truncate_under_a_mapping_gives_sigbus_past_the_end(void)
{
	int fd = create(F);
	CHECK(ftruncate(fd, 2 * PG) == 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'k';
	p[PG] = 'g';
	CHECK(ftruncate(fd, PG) == 0);
	expect_signal(touch_second_page, p, SIGBUS);
	CHECK(p[0] == 'k');
	CHECK(munmap(p, 2 * PG) == 0);
	close(fd);
	CHECK(unlink(F) == 0);
}

/* After unlink the name is gone but the open file still works. */
static void unlinked_file_lives_while_open(void)
{
	char buf[8];
	int fd = create(F);
	write_all(fd, "alive", 5);
	CHECK(unlink(F) == 0);
	struct stat st;
	CHECK_ERR(stat(F, &st), ENOENT);
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
	CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "alive", 5) == 0);
	write_all(fd, "more", 4);
	/* The name can be made again: a different file. */
	int again = create(F);
	CHECK(fstat(again, &st) == 0 && st.st_size == 0);
	close(again);
	CHECK(unlink(F) == 0);
	close(fd);                                      /* the leak check sees it freed */
}

static void open_errors(void)
{
	int fd = create(F);
	close(fd);
	CHECK_ERR(open(F, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERR(open(F "/", O_RDONLY), ENOTDIR);
	CHECK_ERR(open(F "/x", O_RDONLY), ENOTDIR);
	/* "." and ".." are entries only a directory has: not a lexical trick. */
	struct stat st;
	CHECK_ERR(stat(F "/..", &st), ENOTDIR);
	CHECK_ERR(open(F "/../" "tmpfs_test.other", O_RDWR | O_CREAT, 0644), ENOTDIR);
	CHECK_ERR(stat(F "/.", &st), ENOTDIR);
	CHECK_ERR(stat("/tmp/no/..", &st), ENOENT);
	CHECK(stat("/tmp/./..//tmp/.", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_ERR(open("/tmp/no/such", O_RDWR | O_CREAT, 0644), ENOENT);
	CHECK_ERR(open("/tmp/newdir/", O_RDWR | O_CREAT, 0644), EISDIR);
	CHECK_ERR(open("/tmp", O_RDWR), EISDIR);
	CHECK_ERR(open(F, O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open("/bin/tmpfs_test.new", O_RDWR | O_CREAT, 0644), EROFS);
	CHECK(unlink(F) == 0);
	CHECK_ERR(unlink(F), ENOENT);
}

static int count_entries(const char *path, const char *want, int *found)
{
	DIR *d = opendir(path);
	CHECK(d != NULL);
	int n = 0;
	*found = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		n++;
		if (strcmp(e->d_name, want) == 0)
			(*found)++;
	}
	closedir(d);
	return n;
}

/* mkdir, getdents, rmdir and their errors. */
static void directories_made_listed_and_removed(void)
{
	int found;
	CHECK(mkdir(D, 0755) == 0);
	CHECK_ERR(mkdir(D, 0755), EEXIST);
	CHECK_ERR(mkdir("/tmp", 0755), EEXIST);
	CHECK_ERR(mkdir("/tmp/no/such", 0755), ENOENT);
	CHECK_ERR(mkdir("/bin/tmpfs_test.dir", 0755), EROFS);
	struct stat st;
	CHECK(stat(D, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755);
	close(create(D "/one"));
	close(create(D "/two"));
	CHECK(mkdir(D "/sub", 0700) == 0);
	CHECK(stat(D, &st) == 0 && st.st_nlink == 3);   /* ".", its name, sub's ".." */
	CHECK(count_entries(D, "two", &found) == 5 && found == 1);   /* . .. one two sub */
	CHECK(count_entries("/tmp", "tmpfs_test.dir", &found) >= 3 && found == 1);
	CHECK(count_entries("/", "tmp", &found) >= 3 && found == 1); /* the mount point */
	CHECK_ERR(rmdir(D), ENOTEMPTY);
	CHECK_ERR(rmdir(D "/one"), ENOTDIR);
	CHECK_ERR(unlink(D "/sub"), EISDIR);
	CHECK_ERR(rmdir("/tmp"), EBUSY);
	CHECK_ERR(rmdir("/bin"), EROFS);
	CHECK(unlink(D "/one") == 0 && unlink(D "/two") == 0 && rmdir(D "/sub") == 0);
	CHECK(count_entries(D, "two", &found) == 2 && found == 0);
	CHECK(rmdir(D) == 0);
	CHECK_ERR(stat(D, &st), ENOENT);
}

/* rename: within a directory, across directories, over an existing name,
 * and the errors. */
static void rename_moves_names_and_refuses_what_linux_refuses(void)
{
	char buf[4];
	struct stat st;
	int fd = create(F);
	write_all(fd, "data", 4);
	close(fd);
	CHECK(mkdir(D, 0755) == 0 && mkdir(D "/sub", 0755) == 0);
	CHECK(rename(F, D "/moved") == 0);
	CHECK_ERR(stat(F, &st), ENOENT);
	fd = open(D "/moved", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 4) == 4 && memcmp(buf, "data", 4) == 0);
	close(fd);
	close(create(D "/other"));
	CHECK(rename(D "/moved", D "/other") == 0);     /* replaces it */
	CHECK(stat(D "/other", &st) == 0 && st.st_size == 4);
	CHECK_ERR(stat(D "/moved", &st), ENOENT);
	CHECK(rename(D "/other", D "/other") == 0);     /* onto itself: nothing */
	CHECK_ERR(rename(D "/other", D "/sub"), EISDIR);
	CHECK_ERR(rename(D "/sub", D "/other"), ENOTDIR);
	CHECK_ERR(rename(D, D "/sub/inside"), EINVAL);
	CHECK_ERR(rename(D "/none", D "/x"), ENOENT);
	CHECK_ERR(rename(D "/other", "/tmp/no/such"), ENOENT);
	CHECK_ERR(rename(D "/other", "/bin/x"), EXDEV);
	CHECK_ERR(rename("/bin/sh", "/bin/sh2"), EROFS);
	close(create(D "/sub/f"));
	CHECK(mkdir("/tmp/tmpfs_test.dir2", 0755) == 0);
	CHECK_ERR(rename("/tmp/tmpfs_test.dir2", D), ENOTEMPTY);
	CHECK(rename(D "/sub", "/tmp/tmpfs_test.dir2") == 0); /* a directory over an empty one */
	CHECK(stat("/tmp/tmpfs_test.dir2/f", &st) == 0);
	CHECK(stat(D, &st) == 0 && st.st_nlink == 2);   /* sub is gone from D */
	CHECK(unlink("/tmp/tmpfs_test.dir2/f") == 0 && rmdir("/tmp/tmpfs_test.dir2") == 0);
	CHECK(unlink(D "/other") == 0 && rmdir(D) == 0);
}

/* chdir into tmpfs: relative names, "..", and getcwd. */
static void relative_paths_from_a_directory_in_tmpfs(void)
{
	char cwd[64];
	CHECK(mkdir(D, 0755) == 0);
	CHECK(chdir(D) == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, D) == 0);
	close(create("rel"));
	struct stat st;
	CHECK(stat(D "/rel", &st) == 0);
	CHECK(stat("../tmpfs_test.dir/rel", &st) == 0);
	CHECK(unlink("./rel") == 0);
	CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/tmp") == 0);
	CHECK(rmdir("tmpfs_test.dir") == 0);
	CHECK_ERR(chdir(D), ENOENT);
	CHECK(chdir("/") == 0);
}

/* What an unprivileged user may do in /tmp, and not. */
static void as_user(void *arg)
{
	(void)arg;
	CHECK(setgid(1000) == 0 && setuid(1000) == 0);
	CHECK_ERR(open(F, O_WRONLY), EACCES);           /* root's 0644 file */
	CHECK_ERR(open(F, O_RDONLY | O_TRUNC), EACCES);
	int fd = open(F, O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	CHECK_ERR(unlink(F), EPERM);                    /* /tmp is sticky */
	CHECK_ERR(rename(F, "/tmp/tmpfs_test.stolen"), EPERM);
	CHECK_ERR(fchmod(open(F, O_RDONLY), 0666), EPERM);
	CHECK_ERR(open(D "/x", O_RDWR | O_CREAT, 0644), EACCES);     /* root's 0755 dir */
	fd = create("/tmp/tmpfs_test.user");            /* but /tmp itself is open to all */
	CHECK(fchmod(fd, 0600) == 0);
	close(fd);
	CHECK(unlink("/tmp/tmpfs_test.user") == 0);
	_exit(0);
}

static void permissions_and_the_sticky_bit(void)
{
	struct stat st;
	CHECK(stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777);
	close(create(F));
	CHECK(mkdir(D, 0755) == 0);
	int status = run_in_child(as_user, NULL);
	char why[48];
	CHECKF(status == 0, "the unprivileged child: %s", test_status_str(status, why, sizeof(why)));
	CHECK(unlink(F) == 0 && rmdir(D) == 0);
}

/* Files stop at 1 GiB: EFBIG, nothing written. */
static void a_file_stops_at_its_limit(void)
{
	int fd = create(F);
	CHECK(lseek(fd, (off_t)1 << 30, SEEK_SET) == (off_t)1 << 30);
	CHECK_ERR(write(fd, "x", 1), EFBIG);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0);
	CHECK(pwrite(fd, "y", 1, ((off_t)1 << 30) - 1) == 1);
	CHECK(fstat(fd, &st) == 0 && st.st_size == (off_t)1 << 30 && st.st_blocks == PG / 512);
	close(fd);
	CHECK(unlink(F) == 0);
}

/* A write from a bad buffer: EFAULT, and the file keeps its size. */
static void write_from_a_bad_pointer_changes_nothing(void)
{
	int fd = create(F);
	write_all(fd, "ab", 2);
	CHECK_ERR(write(fd, (void *)16, 100), EFAULT);
	CHECK_ERR(write(fd, (void *)0xffffffff80100000ul, 100), EFAULT);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 2 && st.st_blocks == PG / 512);
	CHECK_ERR(pread(fd, (void *)16, 2, 0), EFAULT);
	close(fd);
	CHECK(unlink(F) == 0);
}

/*
 * Booted with tmpfs=64K (tests/suites.py: tmpfs_full): the files together
 * hold 16 pages.  A write or ftruncate past that is ENOSPC and changes
 * nothing; space given back by truncating or unlinking can be used again.
 */
static void a_full_tmpfs_says_enospc(void)
{
	static char page[8 * PG];
	int a = create(F);
	for (int i = 0; i < 16; i++)
		write_all(a, page, PG);
	CHECK_ERR(write(a, "x", 1), ENOSPC);
	CHECK_ERR(ftruncate(a, 17 * PG), ENOSPC);
	struct stat st;
	CHECK(fstat(a, &st) == 0 && st.st_size == 16 * PG);
	int b = create(F ".b");
	CHECK_ERR(write(b, "x", 1), ENOSPC);
	CHECK(ftruncate(a, 15 * PG) == 0);
	write_all(b, "x", 1);                           /* the page a gave back */
	CHECK_ERR(write(b, page, PG), ENOSPC);
	CHECK(unlink(F) == 0);
	CHECK_ERR(write(b, page, PG), ENOSPC);          /* a is unlinked but open: */
	close(a);                                       /* its pages still count, */
	write_all(b, page, 8 * PG);                     /* until the last close */
	close(b);
	CHECK(unlink(F ".b") == 0);
}

/* pread and pwrite move bytes at an offset and leave the file's own alone. */
static void pread_and_pwrite_leave_the_offset_alone(void)
{
	char buf[8];
	int fd = create(F);
	write_all(fd, "0123456789", 10);
	CHECK(lseek(fd, 3, SEEK_SET) == 3);
	CHECK(pread(fd, buf, 4, 5) == 4 && memcmp(buf, "5678", 4) == 0);
	CHECK(pwrite(fd, "ab", 2, 12) == 2);            /* past the end: a gap of zeros */
	CHECK(lseek(fd, 0, SEEK_CUR) == 3);
	CHECK(pread(fd, buf, 8, 8) == 6 && memcmp(buf, "89\0\0ab", 6) == 0);
	CHECK(pread(fd, buf, 8, 100) == 0);
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);    /* nothing to do: memory only */
	CHECK_ERR(pread(fd, buf, 1, -1), EINVAL);
	int ro = open(F, O_RDONLY);
	CHECK_ERR(pwrite(ro, "x", 1, 0), EBADF);
	close(ro);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR(pwrite(p[1], "x", 1, 0), ESPIPE);
	CHECK_ERR(fsync(p[1]), EINVAL);
	CHECK_ERR(fsync(-1), EBADF);
	close(p[0]);
	close(p[1]);
	ro = open("/bin/sh", O_RDONLY);
	CHECK(ro >= 0 && pread(ro, buf, 4, 0) == 4 && memcmp(buf, "\177ELF", 4) == 0);
	CHECK_ERR(pwrite(ro, "x", 1, 0), EBADF);
	close(ro);
	close(fd);
	CHECK(unlink(F) == 0);
}

/*
 * Hostile paths: a component longer than NAME_MAX, a path longer than
 * PATH_MAX, ".." chains that climb past the root, a path whose string runs
 * into an unmapped page, and bytes after an embedded NUL (which end it).
 */
static void hostile_paths_get_clean_errors(void)
{
	static char longname[300], longpath[4200];
	memset(longname, 'a', sizeof(longname) - 1);
	char comp[sizeof(longname) + 8];
	snprintf(comp, sizeof(comp), "/tmp/%s", longname);
	CHECK_ERR(open(comp, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	CHECK_ERR(mkdir(comp, 0755), ENAMETOOLONG);
	for (size_t i = 0; i + 2 < sizeof(longpath); i += 2)
		memcpy(longpath + i, "/x", 2);
	longpath[sizeof(longpath) - 1] = '\0';
	CHECK_ERR(open(longpath, O_RDONLY), ENAMETOOLONG);
	/* ".." past the root stays at the root: this is /tmp/F. */
	int fd = create("/../../../tmp/./../tmp/tmpfs_test.file");
	close(fd);
	struct stat st;
	CHECK(stat(F, &st) == 0);
	/* A name whose NUL is the next page, which is not mapped: EFAULT. */
	char *pg = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(pg != MAP_FAILED);
	CHECK(munmap(pg + PG, PG) == 0);
	memcpy(pg + PG - 10, "/tmp/abcde", 10);         /* no NUL before the hole */
	CHECK_ERR(open(pg + PG - 10, O_RDWR | O_CREAT, 0644), EFAULT);
	CHECK_ERR(unlink(pg + PG - 10), EFAULT);
	CHECK_ERR(rename(F, pg + PG - 10), EFAULT);
	/* Bytes after a NUL are not part of the name. */
	CHECK(rename("/tmp/tmpfs_test.file\0ignored", "/tmp/tmpfs_test.nul") == 0);
	CHECK(unlink("/tmp/tmpfs_test.nul") == 0);
	CHECK(munmap(pg, PG) == 0);
}

/* Many names in two directories (the same names in each): every one is
 * found, renamed and removed (tmpfs finds names through a hash table). */
static void many_names_found_renamed_and_removed(void)
{
	enum { N = 400 };
	char a[64], b[64];
	CHECK(mkdir(D, 0755) == 0);
	for (int i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "/tmp/tmpfs_test.n%d", i);
		snprintf(b, sizeof(b), D "/tmpfs_test.n%d", i);
		close(create(a));
		close(create(b));
	}
	struct stat st;
	for (int i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "/tmp/tmpfs_test.n%d", i);
		CHECKF(stat(a, &st) == 0 && S_ISREG(st.st_mode), "%s: errno %d", a, errno);
		snprintf(b, sizeof(b), "/tmp/tmpfs_test.m%d", i);
		CHECKF(rename(a, b) == 0, "rename %s: errno %d", a, errno);
	}
	for (int i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "/tmp/tmpfs_test.n%d", i);
		CHECK_ERR(stat(a, &st), ENOENT);
		snprintf(b, sizeof(b), "/tmp/tmpfs_test.m%d", i);
		CHECK(unlink(b) == 0);
		snprintf(b, sizeof(b), D "/tmpfs_test.n%d", i);
		CHECKF(unlink(b) == 0, "%s: errno %d", b, errno);
	}
	CHECK(rmdir(D) == 0);
}

/* ------------------------------------------------------------------ links */

#define L       "/tmp/tmpfs_test.link"
#define L2      "/tmp/tmpfs_test.link2"

/* Remove what the link cases make (a failed case before may have left it). */
static void remove_link_names(void)
{
	static const char *const names[] = { L, L2, F, F "2", D "/sub/f", D "/f", D "/rel" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	rmdir(D "/sub");
	rmdir(D);
}

/* stat follows a link, lstat does not; readlink gives the target back,
 * cut to the buffer without a NUL; unlink takes the link, not the target. */
static void symlink_is_followed_and_lstat_sees_the_link(void)
{
	char buf[64];
	struct stat st, lst;
	remove_link_names();
	int fd = create(F);
	write_all(fd, "target", 6);
	close(fd);
	CHECK(symlink("tmpfs_test.file", L) == 0);      /* relative: from /tmp */
	CHECK(stat(L, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 6);
	CHECK(lstat(L, &lst) == 0 && S_ISLNK(lst.st_mode));
	CHECKF(lst.st_size == 15 && lst.st_ino != st.st_ino && lst.st_nlink == 1,
	    "lstat: size %ld ino %lu nlink %lu", (long)lst.st_size, (unsigned long)lst.st_ino,
	    (unsigned long)lst.st_nlink);
	CHECK((lst.st_mode & 0777) == 0777);
	fd = open(L, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 6 && memcmp(buf, "target", 6) == 0);
	CHECK(fstat(fd, &lst) == 0 && lst.st_ino == st.st_ino);
	close(fd);
	memset(buf, '#', sizeof(buf));
	CHECK(readlink(L, buf, sizeof(buf)) == 15 && memcmp(buf, "tmpfs_test.file#", 16) == 0);
	memset(buf, '#', sizeof(buf));
	CHECK(readlink(L, buf, 4) == 4 && memcmp(buf, "tmpf#", 5) == 0);   /* cut, no NUL */
	CHECK_ERR(readlink(L, buf, 0), EINVAL);
	CHECK_ERR(readlink(F, buf, sizeof(buf)), EINVAL);       /* not a link */
	CHECK_ERR(readlink("/tmp", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink("/bin/sh", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink("/tmp/tmpfs_test.none", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(readlink(F "/x", buf, sizeof(buf)), ENOTDIR);
	int found = 0;
	DIR *d = opendir("/tmp");
	CHECK(d != NULL);
	for (struct dirent *e; (e = readdir(d)) != NULL; )
		if (strcmp(e->d_name, "tmpfs_test.link") == 0)
			found = e->d_type == DT_LNK;
	closedir(d);
	CHECK(found);
	/* Names that exist, or cannot be made. */
	CHECK_ERR(symlink("x", L), EEXIST);
	CHECK_ERR(symlink("x", F), EEXIST);
	CHECK_ERR(symlink("x", "/tmp"), EEXIST);
	CHECK_ERR(symlink("", L2), ENOENT);
	CHECK_ERR(symlink("x", F "/x"), ENOTDIR);
	CHECK_ERR(symlink("x", "/tmp/tmpfs_test.none/x"), ENOENT);
	CHECK_ERR(symlink("x", "/bin/sh"), EEXIST);
	CHECK_ERR(symlink("x", "/bin/tmpfs_test.link"), EROFS);
	/* unlink takes the link; the target stays. */
	CHECK(unlink(L) == 0);
	CHECK_ERR(lstat(L, &lst), ENOENT);
	CHECK(stat(F, &st) == 0 && st.st_size == 6);
	CHECK(unlink(F) == 0);
}

/* Links in the middle of a path, relative to the link's directory, into
 * another file system, and ".." after a link (the target's parent). */
static void symlinks_in_the_middle_of_a_path(void)
{
	char cwd[128];
	struct stat st, want;
	remove_link_names();
	CHECK(mkdir(D, 0755) == 0 && mkdir(D "/sub", 0755) == 0);
	close(create(D "/f"));
	close(create(D "/sub/f"));
	CHECK(stat(D "/f", &want) == 0);
	CHECK(symlink(D "/sub", L) == 0);               /* absolute */
	CHECK(symlink("sub/../f", D "/rel") == 0);      /* relative to D, not to us */
	CHECK(stat(L "/f", &st) == 0);
	CHECK(stat(D "/rel", &st) == 0 && st.st_ino == want.st_ino);
	/* ".." after a link leaves the target, not the link's directory. */
	CHECK(stat(L "/../f", &st) == 0 && st.st_ino == want.st_ino);
	CHECK(stat(L "/../sub/./f", &st) == 0);
	CHECK(symlink("/bin", L2) == 0);                /* into the boot file system */
	CHECK(stat(L2 "/sh", &st) == 0 && S_ISREG(st.st_mode));
	CHECK(stat(L2 "/../tmp/tmpfs_test.dir/f", &st) == 0 && st.st_ino == want.st_ino);
	/* chdir through a link: the directory is the target's. */
	CHECK(chdir(L) == 0 && getcwd(cwd, sizeof(cwd)) != NULL);
	CHECKF(strcmp(cwd, D "/sub") == 0, "cwd %s", cwd);
	CHECK(stat("../rel", &st) == 0 && st.st_ino == want.st_ino);
	CHECK(chdir("/") == 0);
	/* A trailing slash follows a final link. */
	CHECK(lstat(L "/", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(unlink(L) == 0 && unlink(L2) == 0 && unlink(D "/rel") == 0);
	remove_link_names();
}

/* Make the chain /tmp/tmpfs_test.cN -> cN-1 -> ... -> c1 -> file. */
static void make_chain(int n)
{
	char name[64], target[64];
	for (int i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "/tmp/tmpfs_test.c%d", i);
		if (i == 1)
			snprintf(target, sizeof(target), "tmpfs_test.file");
		else
			snprintf(target, sizeof(target), "tmpfs_test.c%d", i - 1);
		CHECKF(symlink(target, name) == 0, "%s: errno %d", name, errno);
	}
}

static void remove_chain(int n)
{
	char name[64];
	for (int i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "/tmp/tmpfs_test.c%d", i);
		unlink(name);
	}
}

/*
 * What cannot be followed: a dangling link (ENOENT, but lstat sees it and
 * O_CREAT makes its target), loops of two and of one, a chain longer than
 * the 40 links a lookup follows, O_NOFOLLOW, a link where a directory is
 * needed, and targets too long to use.
 */
static void dangling_looping_and_overlong_symlinks(void)
{
	static char longname[300], longtarget[4200];
	struct stat st;
	remove_link_names();
	remove_chain(41);
	CHECK(symlink("tmpfs_test.file", L) == 0);      /* F does not exist yet */
	CHECK_ERR(stat(L, &st), ENOENT);
	CHECK_ERR(open(L, O_RDONLY), ENOENT);
	CHECK(lstat(L, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK_ERR(open(L, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);   /* never follows */
	int fd = open(L, O_RDWR | O_CREAT, 0644);       /* makes the target, as Linux */
	CHECK(fd >= 0);
	close(fd);
	CHECK(stat(F, &st) == 0 && S_ISREG(st.st_mode));
	/* O_NOFOLLOW refuses a final link, and only a final one. */
	CHECK_ERR(open(L, O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open(F, O_RDONLY | O_NOFOLLOW);
	CHECK(fd >= 0);
	close(fd);
	CHECK(unlink(L) == 0);
	/* Loops. */
	CHECK(symlink("tmpfs_test.link2", L) == 0 && symlink("tmpfs_test.link", L2) == 0);
	CHECK_ERR(stat(L, &st), ELOOP);
	CHECK_ERR(open(L2, O_RDONLY), ELOOP);
	CHECK_ERR(open(L "/x", O_RDWR | O_CREAT, 0644), ELOOP);
	CHECK(lstat(L, &st) == 0);
	CHECK(unlink(L2) == 0 && symlink("tmpfs_test.link2", L2) == 0);     /* a self-loop */
	CHECK_ERR(stat(L2, &st), ELOOP);
	CHECK_ERR(chdir(L2), ELOOP);
	CHECK(unlink(L) == 0 && unlink(L2) == 0);
	/* 40 links are followed; the 41st is one too many. */
	make_chain(41);
	CHECK(stat("/tmp/tmpfs_test.c40", &st) == 0 && S_ISREG(st.st_mode));
	CHECK_ERR(stat("/tmp/tmpfs_test.c41", &st), ELOOP);
	remove_chain(41);
	/* A link to a file where a directory is needed. */
	CHECK(symlink(F, L) == 0);
	CHECK_ERR(stat(L "/x", &st), ENOTDIR);
	CHECK_ERR(open(L "/", O_RDONLY), ENOTDIR);
	CHECK(unlink(L) == 0);
	/* Too long: a target of PATH_MAX bytes, a name in a target, a name. */
	memset(longtarget, 'a', sizeof(longtarget) - 1);
	CHECK_ERR(symlink(longtarget, L), ENAMETOOLONG);
	memset(longname, 'b', sizeof(longname) - 1);
	CHECK(symlink(longname, L) == 0);               /* stored as it is ... */
	CHECK_ERR(stat(L, &st), ENAMETOOLONG);          /* ... but not a usable name */
	CHECK(unlink(L) == 0);
	char comp[sizeof(longname) + 8];
	snprintf(comp, sizeof(comp), "/tmp/%s", longname);
	CHECK_ERR(symlink("x", comp), ENAMETOOLONG);
	CHECK(unlink(F) == 0);
}

/*
 * Hard links: one node, two names.  st_nlink counts the names, the bytes
 * live until the last name and the last descriptor and mapping are gone,
 * and what cannot be linked says why.
 */
static void hard_links_share_the_node_and_count_names(void)
{
	char buf[8];
	struct stat a, b;
	remove_link_names();
	int fd = create(F);
	write_all(fd, "shared", 6);
	CHECK(link(F, F "2") == 0);
	CHECK(stat(F, &a) == 0 && stat(F "2", &b) == 0);
	CHECKF(a.st_ino == b.st_ino && a.st_nlink == 2 && b.st_nlink == 2, "ino %lu/%lu nlink %lu",
	    (unsigned long)a.st_ino, (unsigned long)b.st_ino, (unsigned long)a.st_nlink);
	int fd2 = open(F "2", O_RDWR);
	CHECK(fd2 >= 0 && pread(fd2, buf, 6, 0) == 6 && memcmp(buf, "shared", 6) == 0);
	CHECK(pwrite(fd2, "S", 1, 0) == 1 && pread(fd, buf, 1, 0) == 1 && buf[0] == 'S');
	char *map = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd2, 0);
	CHECK(map != MAP_FAILED);
	/* The first name goes: the second still reads the bytes. */
	CHECK(unlink(F) == 0);
	CHECK(stat(F "2", &b) == 0 && b.st_nlink == 1 && b.st_size == 6);
	CHECK(fstat(fd, &a) == 0 && a.st_nlink == 1);
	close(fd);
	fd = open(F "2", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 6) == 6 && memcmp(buf, "Shared", 6) == 0);
	close(fd);
	/* The last name goes: the descriptor and the mapping still hold it. */
	CHECK(unlink(F "2") == 0);
	CHECK(fstat(fd2, &b) == 0 && b.st_nlink == 0);
	close(fd2);
	CHECK(memcmp(map, "Shared", 6) == 0);
	CHECK(munmap(map, PG) == 0);                    /* now the leak check sees it go */
	/* What cannot be linked. */
	close(create(F));
	CHECK(mkdir(D, 0755) == 0);
	CHECK_ERR(link(D, L), EPERM);                   /* a directory */
	CHECK_ERR(link("/tmp", L), EPERM);
	CHECK_ERR(link(F, D), EEXIST);
	CHECK_ERR(link(F, F), EEXIST);
	CHECK_ERR(link("/tmp/tmpfs_test.none", L), ENOENT);
	CHECK_ERR(link(F, "/tmp/tmpfs_test.none/x"), ENOENT);
	CHECK_ERR(link(F, F "/x"), ENOTDIR);
	CHECK_ERR(link(F, "/bin/tmpfs_test.link"), EXDEV);      /* into the boot fs */
	CHECK_ERR(link("/bin/sh", L), EXDEV);
	CHECK_ERR(link("/dev/null", L), EXDEV);
	CHECK_ERR(rename(F, "/bin/tmpfs_test.link"), EXDEV);
	/* A link to a symbolic link is a second name of the link itself. */
	CHECK(symlink("tmpfs_test.file", L) == 0 && link(L, L2) == 0);
	CHECK(lstat(L2, &b) == 0 && S_ISLNK(b.st_mode) && b.st_nlink == 2);
	/* rename between two names of one node does nothing, as POSIX says. */
	CHECK(rename(L, L2) == 0);
	CHECK(lstat(L, &a) == 0 && lstat(L2, &b) == 0 && a.st_ino == b.st_ino);
	/* Directories count their subdirectories. */
	CHECK(stat(D, &a) == 0 && a.st_nlink == 2);
	CHECK(mkdir(D "/sub", 0755) == 0 && stat(D, &a) == 0 && a.st_nlink == 3);
	remove_link_names();
}

/* chmod and chown by name (following a link; lchown does not), and the
 * times utimensat sets, as root. */
static void chmod_chown_and_utimensat_by_name(void)
{
	struct stat st, lst;
	remove_link_names();
	close(create(F));
	CHECK(symlink("tmpfs_test.file", L) == 0);
	CHECK(chmod(L, 0600) == 0);
	CHECK(stat(F, &st) == 0 && (st.st_mode & 07777) == 0600 && S_ISREG(st.st_mode));
	CHECK(lstat(L, &lst) == 0 && (lst.st_mode & 07777) == 0777);
	CHECK(chown(L, 1000, 1001) == 0);
	CHECK(stat(F, &st) == 0 && st.st_uid == 1000 && st.st_gid == 1001);
	CHECK(lstat(L, &lst) == 0 && lst.st_uid == 0);
	CHECK(lchown(L, 1002, (gid_t)-1) == 0);
	CHECK(lstat(L, &lst) == 0 && lst.st_uid == 1002 && lst.st_gid == 0);
	CHECK(stat(F, &st) == 0 && st.st_uid == 1000);
	CHECK(chown(F, (uid_t)-1, 7) == 0 && stat(F, &st) == 0 && st.st_uid == 1000 && st.st_gid == 7);
	CHECK_ERR(chmod("/tmp/tmpfs_test.none", 0600), ENOENT);
	CHECK_ERR(chmod("/bin/sh", 0600), EROFS);
	CHECK_ERR(chown("/bin/sh", 0, 0), EROFS);
	CHECK_ERR(chmod(F "/x", 0600), ENOTDIR);
	/* Times: given, left alone (UTIME_OMIT), now (UTIME_NOW, NULL). */
	struct timespec t[2] = { { 1000, 5 }, { 2000, 6 } };
	CHECK(utimensat(AT_FDCWD, L, t, 0) == 0);       /* follows */
	CHECK(stat(F, &st) == 0);
	CHECKF(st.st_atim.tv_sec == 1000 && st.st_atim.tv_nsec == 5 &&
	    st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 6, "atime %ld.%ld mtime %ld.%ld",
	    (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	CHECK(st.st_ctim.tv_sec > 2000);                /* ctime is now */
	t[0].tv_nsec = UTIME_OMIT;
	t[1].tv_sec = 3000;
	CHECK(utimensat(AT_FDCWD, F, t, 0) == 0);
	CHECK(stat(F, &st) == 0 && st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 3000);
	t[1].tv_nsec = UTIME_NOW;
	CHECK(utimensat(AT_FDCWD, F, t, 0) == 0);
	CHECK(stat(F, &st) == 0 && st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec > 3000);
	CHECK(utimensat(AT_FDCWD, F, NULL, 0) == 0);
	CHECK(stat(F, &st) == 0 && st.st_atim.tv_sec > 1000);
	t[0].tv_nsec = 1000000000;
	CHECK_ERR(utimensat(AT_FDCWD, F, t, 0), EINVAL);
	t[0].tv_nsec = -5;
	CHECK_ERR(utimensat(AT_FDCWD, F, t, 0), EINVAL);
	t[0] = (struct timespec){ 50, 0 };
	CHECK(utimensat(AT_FDCWD, L, t, AT_SYMLINK_NOFOLLOW) == 0);     /* the link's own */
	CHECK(lstat(L, &lst) == 0 && lst.st_atim.tv_sec == 50);
	CHECK(stat(F, &st) == 0 && st.st_atim.tv_sec != 50);
	CHECK_ERR(utimensat(AT_FDCWD, F, t, 0x4000), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "/tmp/tmpfs_test.none", NULL, 0), ENOENT);
	CHECK_ERR(utimensat(AT_FDCWD, "/bin/sh", NULL, 0), EROFS);
	CHECK_ERR(utimensat(0, "tmpfs_test.file", NULL, 0), EINVAL);    /* no *at here */
	remove_link_names();
}

/* An unprivileged user and the credential rules of chmod, chown and
 * utimensat: the owner may chmod and may only change the group to its
 * own; "now" needs write permission, any other time ownership. */
static void as_user_with_attributes(void *arg)
{
	(void)arg;
	struct timespec t[2] = { { 1, 0 }, { 2, 0 } };
	struct stat st;
	CHECK(setgid(1000) == 0 && setuid(1000) == 0);
	CHECK_ERR(chmod(F, 0777), EPERM);               /* root's */
	CHECK_ERR(chown(F, 1000, 1000), EPERM);
	CHECK_ERR(lchown(L, 1000, 1000), EPERM);
	CHECK_ERR(utimensat(AT_FDCWD, F, NULL, 0), EACCES);     /* 0644: no write */
	CHECK_ERR(utimensat(AT_FDCWD, F "2", t, 0), EPERM);     /* 0666: writable, not ours */
	CHECK(utimensat(AT_FDCWD, F "2", NULL, 0) == 0);        /* but "now" is allowed */
	close(create("/tmp/tmpfs_test.user"));
	CHECK(chmod("/tmp/tmpfs_test.user", 0640) == 0);
	CHECK(chown("/tmp/tmpfs_test.user", (uid_t)-1, 1000) == 0);     /* its own group */
	CHECK(chown("/tmp/tmpfs_test.user", 1000, (gid_t)-1) == 0);     /* no change */
	CHECK_ERR(chown("/tmp/tmpfs_test.user", 0, (gid_t)-1), EPERM);  /* giving it away */
	CHECK_ERR(chown("/tmp/tmpfs_test.user", (uid_t)-1, 0), EPERM);  /* another group */
	CHECK(utimensat(AT_FDCWD, "/tmp/tmpfs_test.user", t, 0) == 0);
	CHECK(stat("/tmp/tmpfs_test.user", &st) == 0 && st.st_mtim.tv_sec == 2 &&
	    (st.st_mode & 0777) == 0640 && st.st_gid == 1000);
	CHECK(unlink("/tmp/tmpfs_test.user") == 0);
	_exit(0);
}

static void chmod_chown_and_utimensat_refuse_other_users(void)
{
	remove_link_names();
	close(create(F));
	int fd = create(F "2");
	CHECK(fchmod(fd, 0666) == 0);
	close(fd);
	CHECK(symlink("tmpfs_test.file", L) == 0);
	int status = run_in_child(as_user_with_attributes, NULL);
	char why[48];
	CHECKF(status == 0, "the unprivileged child: %s", test_status_str(status, why, sizeof(why)));
	remove_link_names();
}

/* Search permission is checked on each directory a link's target passes
 * through, for the user who follows it; the link's own mode is not. */
static void as_user_following_links(void *arg)
{
	(void)arg;
	struct stat st;
	char buf[64];
	CHECK(setgid(1000) == 0 && setuid(1000) == 0);
	CHECK_ERR(stat(L, &st), EACCES);                /* -> D/f, D is 0700 root's */
	CHECK_ERR(open(L, O_RDONLY), EACCES);
	CHECK_ERR(stat(L2 "/f", &st), EACCES);          /* L2 -> D: in the middle */
	CHECK_ERR(stat(L2 "/sub/f", &st), EACCES);
	CHECK(lstat(L, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(readlink(L, buf, sizeof(buf)) == (ssize_t)strlen(D "/f"));
	CHECK_ERR(unlink(L), EPERM);                    /* /tmp is sticky, L is root's */
	_exit(0);
}

static void search_permission_inside_a_symlinks_target(void)
{
	remove_link_names();
	CHECK(mkdir(D, 0700) == 0);
	close(create(D "/f"));
	CHECK(symlink(D "/f", L) == 0 && symlink(D, L2) == 0);
	int status = run_in_child(as_user_following_links, NULL);
	char why[48];
	CHECKF(status == 0, "the unprivileged child: %s", test_status_str(status, why, sizeof(why)));
	remove_link_names();
}

/* A socket bound in /tmp is reached through a link to its name. */
static void connect_through_a_symlink(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	remove_link_names();
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(srv >= 0);
	strcpy(sa.sun_path, F);
	CHECK(bind(srv, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(srv, 1) == 0);
	CHECK(symlink("tmpfs_test.file", L) == 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sa.sun_path, L);
	CHECK(c >= 0 && connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	int a = accept(srv, NULL, NULL);
	CHECK(a >= 0 && write(c, "x", 1) == 1);
	char ch;
	CHECK(read(a, &ch, 1) == 1 && ch == 'x');
	close(a);
	close(c);
	close(srv);
	strcpy(sa.sun_path, L);                         /* bind does not follow */
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR(bind(srv, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE);
	close(srv);
	remove_link_names();
}

static const struct test_case cases[] = {
	TEST_CASE(write_then_read_back_across_pages),
	TEST_CASE(hole_reads_as_zeros_and_holds_no_page),
	TEST_CASE(append_and_trunc),
	TEST_CASE(ftruncate_shrinks_and_grows_with_zeros),
	TEST_CASE(mmap_shares_bytes_with_read_and_write),
	TEST_CASE(private_mapping_copies_on_its_first_write),
	TEST_CASE(truncate_under_a_mapping_gives_sigbus_past_the_end),
	TEST_CASE(unlinked_file_lives_while_open),
	TEST_CASE(pread_and_pwrite_leave_the_offset_alone),
	TEST_CASE(open_errors),
	TEST_CASE(directories_made_listed_and_removed),
	TEST_CASE(rename_moves_names_and_refuses_what_linux_refuses),
	TEST_CASE(relative_paths_from_a_directory_in_tmpfs),
	TEST_CASE(permissions_and_the_sticky_bit),
	TEST_CASE(a_file_stops_at_its_limit),
	TEST_CASE(write_from_a_bad_pointer_changes_nothing),
	TEST_CASE(hostile_paths_get_clean_errors),
	TEST_CASE(many_names_found_renamed_and_removed),
	TEST_CASE(symlink_is_followed_and_lstat_sees_the_link),
	TEST_CASE(symlinks_in_the_middle_of_a_path),
	TEST_CASE(dangling_looping_and_overlong_symlinks),
	TEST_CASE(hard_links_share_the_node_and_count_names),
	TEST_CASE(chmod_chown_and_utimensat_by_name),
	TEST_CASE(chmod_chown_and_utimensat_refuse_other_users),
	TEST_CASE(search_permission_inside_a_symlinks_target),
	TEST_CASE(connect_through_a_symlink),
	/* Only when named: a boot of its own with tmpfs=64K (tests/suites.py). */
	TEST_CASE(a_full_tmpfs_says_enospc),
};
#define DEFAULT_CASES (TEST_COUNT(cases) - 1)

int main(int argc, char **argv)
{
	return test_main("tmpfs", cases, argc > 1 ? TEST_COUNT(cases) : DEFAULT_CASES, argc, argv);
}
