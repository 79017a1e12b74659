/*
 * yes - print a line over and over, until the output goes away.
 *
 *   yes [word...]        prints "y", or the words separated by spaces
 *
 * Typically the end of a pipeline closes its input ("yes | head -3"); the
 * next write() then raises SIGPIPE, which ends yes.  If SIGPIPE is ignored,
 * write() fails with EPIPE instead and yes stops quietly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len = 0, used = 0, size;
	char *line, *buf;

	/* Build the line once: the words, separated by spaces, and a newline. */
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (argc == 1)
		len = 2;
	line = malloc(len + 1);
	if (line == NULL) {
		fprintf(stderr, "yes: out of memory\n");
		return 1;
	}
	line[0] = '\0';
	if (argc == 1)
		strcpy(line, "y");
	for (int i = 1; i < argc; i++) {
		strcat(line, argv[i]);
		if (i + 1 < argc)
			strcat(line, " ");
	}
	strcat(line, "\n");

	/* Repeat it to fill a buffer, so that one write() sends many lines. */
	size = len > 4096 ? len : 4096 / len * len;
	buf = malloc(size);
	if (buf == NULL) {
		fprintf(stderr, "yes: out of memory\n");
		return 1;
	}
	while (used < size) {
		memcpy(buf + used, line, len);
		used += len;
	}
	free(line);

	for (;;) {
		const char *p = buf;
		size_t n = size;

		while (n > 0) {
			ssize_t w = write(1, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				if (errno != EPIPE)
					fprintf(stderr, "yes: write error: %s\n", strerror(errno));
				free(buf);
				return 1;
			}
			p += w;
			n -= (size_t)w;
		}
	}
}
