/*
 * cat - copy files, or standard input, to standard output.
 *
 *   cat [file...]
 *
 * With no file, or for a file named "-", cat reads standard input.
 * A file that cannot be read is reported and skipped; the exit status is
 * then 1.  It copies with read() and write() directly, without stdio.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Write all n bytes of buf to fd.  write() may write fewer bytes than asked
 * (to a pipe, for example) or be interrupted by a signal; keep going.
 * Returns 0, or -1 with errno set.
 */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy fd to standard output.  name is used in messages.
 * Returns 0; 1 if reading failed; 2 if writing failed (cat gives up then).
 */
static int copy(int fd, const char *name)
{
	static char buf[8192];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (write_all(1, buf, (size_t)n) < 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return 2;
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc == 1)
		return copy(0, "stdin") ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		int fd, r;

		if (strcmp(argv[i], "-") == 0) {
			r = copy(0, "stdin");
		} else {
			fd = open(argv[i], O_RDONLY);
			if (fd < 0) {
				fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
				status = 1;
				continue;
			}
			r = copy(fd, argv[i]);
			if (close(fd) < 0 && r == 0) {
				fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
				r = 1;
			}
		}
		if (r == 2)
			return 1;
		if (r != 0)
			status = 1;
	}
	return status;
}
