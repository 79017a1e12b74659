/*
 * cp - copy a file.
 *
 *   cp from to
 *
 * to is made (or emptied) and gets from's bytes; if to is a directory, the
 * copy goes inside it under from's last name.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <limits.h>

static int fail(const char *path)
{
	fprintf(stderr, "cp: %s: %s\n", path, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	static char buf[16384];
	char target[PATH_MAX], base[PATH_MAX];
	struct stat st;
	if (argc != 3) {
		fprintf(stderr, "usage: cp from to\n");
		return 2;
	}
	snprintf(target, sizeof(target), "%s", argv[2]);
	if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(base, sizeof(base), "%s", argv[1]);
		snprintf(target, sizeof(target), "%s/%s", argv[2], basename(base));
	}
	int in = open(argv[1], O_RDONLY);
	if (in < 0)
		return fail(argv[1]);
	int out = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0)
		return fail(target);
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0)
				return fail(target);
			done += w;
		}
	}
	if (n < 0)
		return fail(argv[1]);
	close(in);
	return close(out) < 0 ? fail(target) : 0;
}
