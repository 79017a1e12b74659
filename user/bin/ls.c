/*
 * ls - list directory contents.
 *
 *   ls [-l] [-a] [path...]
 *
 * With no path, ls lists ".".  A directory is listed entry by entry, sorted
 * by name; any other file is listed by its own name.  Names starting with
 * '.' are hidden unless -a is given.  -l adds the mode and the size of each
 * entry, found with lstat() (so that a symbolic link shows as itself, with
 * its target, found with readlink()):
 *
 *   drwxr-xr-x        0 tests
 *   -rwxr-xr-x    24576 sh
 *   lrwxrwxrwx        7 shell -> /bin/sh
 *
 * Reading a directory: opendir() opens it, each readdir() returns the next
 * entry (a name and an inode number, not the file's attributes: that is
 * what stat() is for), and closedir() closes it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <limits.h>

static int long_format;         /* -l */
static int show_hidden;         /* -a */
static int status;              /* exit status: 1 once something failed */

static void fail(const char *what)
{
	fprintf(stderr, "ls: %s: %s\n", what, strerror(errno));
	status = 1;
}

/* Fill buf (11 bytes) with the mode as "drwxr-xr-x". */
static void mode_string(mode_t mode, char *buf)
{
	static const char rwx[] = "rwxrwxrwx";
	char type = '?';

	if (S_ISREG(mode))
		type = '-';
	else if (S_ISDIR(mode))
		type = 'd';
	else if (S_ISCHR(mode))
		type = 'c';
	else if (S_ISBLK(mode))
		type = 'b';
	else if (S_ISFIFO(mode))
		type = 'p';
	else if (S_ISLNK(mode))
		type = 'l';
	else if (S_ISSOCK(mode))
		type = 's';
	buf[0] = type;
	for (int i = 0; i < 9; i++)     /* bit 8 is owner read ... bit 0 other execute */
		buf[1 + i] = (mode & (1u << (8 - i))) ? rwx[i] : '-';
	if (mode & S_ISVTX)                     /* sticky: "t", or "T" without x */
		buf[9] = buf[9] == 'x' ? 't' : 'T';
	buf[10] = '\0';
}

/* Print one entry: name as shown, path to lstat() for -l. */
static void print_entry(const char *path, const char *name)
{
	static char target[PATH_MAX];
	struct stat st;
	char mode[11];
	ssize_t n;

	if (!long_format) {
		printf("%s\n", name);
		return;
	}
	if (lstat(path, &st) < 0) {
		fail(path);
		return;
	}
	mode_string(st.st_mode, mode);
	printf("%s %8lld %s", mode, (long long)st.st_size, name);
	if (S_ISLNK(st.st_mode)) {
		/* readlink adds no NUL: the count says where the target ends. */
		n = readlink(path, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	printf("\n");
}

/* "dir" + "/" + "name", in a new string (no doubled '/' after "/"). */
static char *join_path(const char *dir, const char *name)
{
	size_t dlen = strlen(dir);
	int slash = dlen > 0 && dir[dlen - 1] != '/';
	char *path = malloc(dlen + slash + strlen(name) + 1);

	if (path == NULL)
		return NULL;
	strcpy(path, dir);
	if (slash)
		strcat(path, "/");
	strcat(path, name);
	return path;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Read every name in directory dir into a new array.  Returns the number of
 * names and sets *names_out, or returns -1 after reporting an error.
 */
static int read_names(const char *dir, char ***names_out)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	int n = 0, cap = 0;
	struct dirent *e;

	if (d == NULL) {
		fail(dir);
		return -1;
	}
	for (;;) {
		errno = 0;
		e = readdir(d);
		if (e == NULL)
			break;
		if (e->d_name[0] == '.' && !show_hidden)
			continue;
		if (n == cap) {
			char **bigger = realloc(names, (cap ? 2 * cap : 32) * sizeof *names);

			if (bigger == NULL)
				break;  /* errno is ENOMEM: reported below */
			names = bigger;
			cap = cap ? 2 * cap : 32;
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL)
			break;
		n++;
	}
	if (errno != 0)
		fail(dir);      /* the listing below is then incomplete */
	if (closedir(d) < 0)
		fail(dir);
	*names_out = names;
	return n;
}

/* List the entries of directory dir. */
static void list_directory(const char *dir)
{
	char **names;
	int n = read_names(dir, &names);

	if (n < 0)
		return;
	qsort(names, (size_t)n, sizeof *names, compare_names);
	for (int i = 0; i < n; i++) {
		char *path = join_path(dir, names[i]);

		if (path == NULL)
			fail(names[i]);
		else
			print_entry(path, names[i]);
		free(path);
		free(names[i]);
	}
	free(names);
}

static void usage(char option)
{
	fprintf(stderr, "ls: unknown option -%c\nusage: ls [-l] [-a] [path...]\n", option);
	exit(2);
}

int main(int argc, char **argv)
{
	int first = 1, npaths;

	/* Options come first: "-l", "-a", "-la" ... ("--" ends them). */
	for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
		if (strcmp(argv[first], "--") == 0) {
			first++;
			break;
		}
		for (const char *o = argv[first] + 1; *o != '\0'; o++) {
			if (*o == 'l')
				long_format = 1;
			else if (*o == 'a')
				show_hidden = 1;
			else
				usage(*o);
		}
	}
	npaths = argc - first;
	if (npaths == 0)
		list_directory(".");
	for (int i = first; i < argc; i++) {
		struct stat st;

		/* As BSD's ls: with -l a link named here is shown, not followed. */
		if ((long_format ? lstat(argv[i], &st) : stat(argv[i], &st)) < 0) {
			fail(argv[i]);
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			print_entry(argv[i], argv[i]);
			continue;
		}
		if (npaths > 1)         /* say which directory is which */
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		list_directory(argv[i]);
	}
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "ls: write error: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
