/*
 * echo - print the arguments, separated by spaces, and a newline.
 *
 *   echo [-n] [word...]
 *
 * -n: no newline at the end.  Backslash escapes are not interpreted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int newline = 1;
	int i = 1;

	while (i < argc && strcmp(argv[i], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		fputs(argv[i], stdout);
	}
	if (newline)
		putchar('\n');
	/*
	 * stdout is buffered, so a write error (a full disk, a closed pipe
	 * with SIGPIPE ignored) may only show up when the buffer is flushed.
	 */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "echo: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
