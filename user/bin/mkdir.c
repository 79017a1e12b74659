/*
 * mkdir - make directories.
 *
 *   mkdir [-p] dir...
 *
 * -p makes the missing directories above each one too, and is quiet about
 * a directory that exists already.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>

static int make_parents(const char *path)
{
	char buf[PATH_MAX];
	if (strlen(path) >= sizeof(buf))
		return -1;
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

int main(int argc, char **argv)
{
	int parents = 0, status = 0, i = 1;
	if (i < argc && strcmp(argv[i], "-p") == 0) {
		parents = 1;
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "usage: mkdir [-p] dir...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if ((parents ? make_parents(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
