/*
 * tmpfs_test.c - the "tmpfs" suite: the writable file system at /tmp.
 *
 * Files hold what was written, at any offset, across pages; holes read as
 * zeros and cost nothing; O_APPEND, O_TRUNC, O_EXCL and ftruncate behave
 * as POSIX says; mmap of a file shares its bytes with read and write; a
 * file lives while it is open after its name is gone; directories are
 * made, listed, entered and removed, with the errors Linux gives; and an
 * unprivileged user meets the permission bits and /tmp's sticky bit.
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
	CHECK_ERR(pread(fd, buf, 1, -1), EINVAL);
	int ro = open(F, O_RDONLY);
	CHECK_ERR(pwrite(ro, "x", 1, 0), EBADF);
	close(ro);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_ERR(pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR(pwrite(p[1], "x", 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
	ro = open("/bin/sh", O_RDONLY);
	CHECK(ro >= 0 && pread(ro, buf, 4, 0) == 4 && memcmp(buf, "\177ELF", 4) == 0);
	CHECK_ERR(pwrite(ro, "x", 1, 0), EBADF);
	close(ro);
	close(fd);
	CHECK(unlink(F) == 0);
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
	/* Only when named: a boot of its own with tmpfs=64K (tests/suites.py). */
	TEST_CASE(a_full_tmpfs_says_enospc),
};
#define DEFAULT_CASES (TEST_COUNT(cases) - 1)

int main(int argc, char **argv)
{
	return test_main("tmpfs", cases, argc > 1 ? TEST_COUNT(cases) : DEFAULT_CASES, argc, argv);
}
