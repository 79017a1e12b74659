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

#define MAX_SIGNAL 64           /* Linux numbers signals 1..64 */

/* "9", "KILL", "SIGKILL" or "sigkill" -> 9 (0 too: it only checks that the
 * process exists).  Returns -1 for an unknown signal. */
static int parse_signal(const char *s)
{
	char name[SIG2STR_MAX];
	int sig;

	if (isdigit((unsigned char)s[0])) {
		char *end;
		long n = strtol(s, &end, 10);

		return *end == '\0' && n <= MAX_SIGNAL ? (int)n : -1;
	}
	size_t i = 0;
	for (; s[i] != '\0' && i < sizeof(name) - 1; i++)
		name[i] = (char)toupper((unsigned char)s[i]);
	name[i] = '\0';
	const char *abbrev = strncmp(name, "SIG", 3) == 0 ? name + 3 : name;
	return s[i] == '\0' && str2sig(abbrev, &sig) == 0 && !isdigit((unsigned char)abbrev[0]) ? sig : -1;
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
	char name[SIG2STR_MAX];

	for (int sig = 1; sig <= MAX_SIGNAL; sig++)
		if (sig2str(sig, name) == 0)
			printf("%2d SIG%s\n", sig, name);
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
