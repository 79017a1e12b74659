/*
 * kill - send a signal to processes.
 *
 *   kill [-N | -NAME] pid...     default signal: SIGTERM
 *   kill -l                      list the signal names and numbers
 *
 * Examples: "kill 12", "kill -9 12", "kill -KILL 12", "kill -SIGSEGV 12".
 * A negative pid names a process group: "kill -TERM -12" (or "kill -- -12").
 * Signal 0 sends nothing but still checks that the process exists.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static const struct {
	int num;
	const char *name;       /* without the "SIG" */
} signals[] = {
	{ SIGHUP, "HUP" },   { SIGINT, "INT" },   { SIGQUIT, "QUIT" },
	{ SIGILL, "ILL" },   { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" },
	{ SIGBUS, "BUS" },   { SIGFPE, "FPE" },   { SIGKILL, "KILL" },
	{ SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
	{ SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
	{ SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" },
	{ SIGURG, "URG" },   { SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" },
	{ SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" }, { SIGSYS, "SYS" },
};

#define NSIGNALS (sizeof signals / sizeof signals[0])
#define MAX_SIGNAL 64           /* Linux numbers signals 1..64 */

/* Compare a and b ignoring case: "kill -term" works too. */
static int same_name(const char *a, const char *b)
{
	while (*a != '\0' && toupper((unsigned char)*a) == toupper((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

/* "9", "KILL" or "SIGKILL" -> 9.  Returns -1 for an unknown signal. */
static int parse_signal(const char *s)
{
	if (isdigit((unsigned char)s[0])) {
		char *end;
		long n = strtol(s, &end, 10);

		return *end == '\0' && n <= MAX_SIGNAL ? (int)n : -1;
	}
	if (toupper((unsigned char)s[0]) == 'S' && toupper((unsigned char)s[1]) == 'I' &&
	    toupper((unsigned char)s[2]) == 'G')
		s += 3;
	for (size_t i = 0; i < NSIGNALS; i++)
		if (same_name(s, signals[i].name))
			return signals[i].num;
	return -1;
}

/* "12" or "-12" -> *pid.  Returns -1 if s is not a number that fits. */
static int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || n != (pid_t)n)
		return -1;
	*pid = (pid_t)n;
	return 0;
}

static void list_signals(void)
{
	for (size_t i = 0; i < NSIGNALS; i++)
		printf("%2d SIG%s\n", signals[i].num, signals[i].name);
}

static int usage(void)
{
	fprintf(stderr, "usage: kill [-N | -NAME] pid...\n       kill -l\n");
	return 2;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, status = 0, i = 1;

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		list_signals();
		return 0;
	}
	if (i < argc && strcmp(argv[i], "--") == 0) {
		i++;
	} else if (i < argc && argv[i][0] == '-') {
		sig = parse_signal(argv[i] + 1);
		if (sig < 0) {
			fprintf(stderr, "kill: unknown signal '%s' (kill -l lists them)\n",
				argv[i] + 1);
			return 2;
		}
		i++;
		if (i < argc && strcmp(argv[i], "--") == 0)
			i++;
	}
	if (i == argc)
		return usage();
	for (; i < argc; i++) {
		pid_t pid;

		if (parse_pid(argv[i], &pid) < 0) {
			fprintf(stderr, "kill: '%s' is not a process id\n", argv[i]);
			status = 1;
			continue;
		}
		if (kill(pid, sig) < 0) {
			fprintf(stderr, "kill: (%d): %s\n", (int)pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
