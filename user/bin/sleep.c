/*
 * sleep - wait for a number of seconds.
 *
 *   sleep SECONDS         e.g. "sleep 2" or "sleep 0.25"
 *
 * The time is parsed by hand, without floating point, into a struct timespec
 * (seconds and nanoseconds) for nanosleep().  If a signal interrupts the
 * sleep, nanosleep() says how much time was left, and we sleep again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Parse "12", "12.5" or ".5" into *ts.  Returns 0, or -1 if s is not a time. */
static int parse_seconds(const char *s, struct timespec *ts)
{
	long long sec = 0;
	long nsec = 0, scale = 100000000;       /* the first decimal is 1e8 ns */
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (sec > 1000000000LL)         /* over 30 years: surely a typo */
			return -1;
		sec = sec * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			nsec += (*s - '0') * scale;     /* digits past 1 ns are dropped */
			scale /= 10;
		}
	}
	if (*s != '\0' || digits == 0)
		return -1;
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = nsec;
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec left;

	if (argc != 2) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	if (parse_seconds(argv[1], &left) < 0) {
		fprintf(stderr, "sleep: invalid time '%s'\n", argv[1]);
		return 2;
	}
	while (nanosleep(&left, &left) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sleep: nanosleep: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}
