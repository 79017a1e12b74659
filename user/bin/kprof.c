/*
 * kprof - start and stop the kernel's sampling profiler (root only).
 *
 *     kprof start          start a new profile (earlier samples are dropped)
 *     kprof stop           stop sampling; the samples stay for the dump
 *     kprof count          print how many samples were taken
 *     kprof run CMD ARGS   start, run CMD, stop: profile one command
 *
 * The samples reach the host when the run ends (poweroff), through QEMU's
 * debug console: `make profile CMD='prog args'` boots with it attached and
 * prints the report (tools/profile).  A program can also profile just one
 * of its phases by calling kprof(KPROF_START) and kprof(KPROF_STOP).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmos.h>

static int fail(const char *what)
{
	fprintf(stderr, "kprof: %s: %s\n", what, strerror(errno));
	return 1;
}

static int run(char **argv)
{
	if (kprof(KPROF_START) < 0)
		return fail("start");
	pid_t pid = fork();
	if (pid < 0)
		return fail("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "kprof: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid");
	long n = kprof(KPROF_COUNT);
	if (kprof(KPROF_STOP) < 0)
		return fail("stop");
	fprintf(stderr, "kprof: %ld samples\n", n);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "run") == 0)
		return run(argv + 2);
	if (argc == 2 && strcmp(argv[1], "start") == 0)
		return kprof(KPROF_START) < 0 ? fail("start") : 0;
	if (argc == 2 && strcmp(argv[1], "stop") == 0)
		return kprof(KPROF_STOP) < 0 ? fail("stop") : 0;
	if (argc == 2 && strcmp(argv[1], "count") == 0) {
		long n = kprof(KPROF_COUNT);
		if (n < 0)
			return fail("count");
		printf("%ld\n", n);
		return 0;
	}
	fprintf(stderr, "usage: kprof start | stop | count | run CMD [ARGS...]\n");
	return 2;
}
