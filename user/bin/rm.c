/*
 * rm - remove files (and, with -r, directories and what they hold).
 *
 *   rm [-r] [-f] path...
 *
 * -f: a name that does not exist is not an error.  -r walks a directory
 * depth first: its entries go before it does (rmdir needs it empty).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <limits.h>

static int recursive, force, status;

static void fail(const char *path)
{
	if (!(force && errno == ENOENT)) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		status = 1;
	}
}

static void remove_path(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {     /* a link to a directory is removed, not walked */
		fail(path);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0)
			fail(path);
		return;
	}
	if (!recursive) {
		errno = EISDIR;
		fail(path);
		return;
	}
	DIR *d = opendir(path);
	if (d == NULL) {
		fail(path);
		return;
	}
	struct dirent *e;
	char child[PATH_MAX];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >= (int)sizeof(child)) {
			errno = ENAMETOOLONG;
			fail(path);
			continue;
		}
		remove_path(child);
		rewinddir(d);           /* the entries moved up: start over */
	}
	closedir(d);
	if (rmdir(path) < 0)
		fail(path);
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'r' || *o == 'R') {
				recursive = 1;
			} else if (*o == 'f') {
				force = 1;
			} else {
				fprintf(stderr, "usage: rm [-r] [-f] path...\n");
				return 2;
			}
		}
	}
	if (i == argc && !force) {
		fprintf(stderr, "usage: rm [-r] [-f] path...\n");
		return 2;
	}
	for (; i < argc; i++)
		remove_path(argv[i]);
	return status;
}
