/*
 * mv - rename a file or directory.
 *
 *   mv from to
 *
 * If to is a directory, from moves inside it under its last name.  A move
 * between file systems (EXDEV: the boot file system and /tmp) is refused,
 * not turned into a copy.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>

int main(int argc, char **argv)
{
	char target[PATH_MAX], base[PATH_MAX];
	struct stat st;
	if (argc != 3) {
		fprintf(stderr, "usage: mv from to\n");
		return 2;
	}
	snprintf(target, sizeof(target), "%s", argv[2]);
	if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(base, sizeof(base), "%s", argv[1]);
		snprintf(target, sizeof(target), "%s/%s", argv[2], basename(base));
	}
	if (rename(argv[1], target) < 0) {
		fprintf(stderr, "mv: %s -> %s: %s\n", argv[1], target, strerror(errno));
		return 1;
	}
	return 0;
}
