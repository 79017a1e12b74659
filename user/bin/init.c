/*
 * init - the first process (pid 1).
 *
 * The kernel starts /bin/init with argv[1] = the kernel command line, e.g.
 *
 *     "quiet cmd=ls -l /bin | cat"
 *
 * If a word starts with "cmd=", the rest of the line after "cmd=" is one
 * shell command: init runs it as  /bin/sh -c "<command>",  waits for it, and
 * turns the machine off with poweroff(V), where V tells the host how it went:
 *
 *     V = exit status        0..63 (a larger status counts as 63)
 *     V = 64 + N             killed by signal N
 *
 * This is how a scripted run (make run, make test) ends QEMU with the
 * command's status.  Otherwise init prints a welcome line and runs an
 * interactive /bin/sh on the console, and starts a new one whenever it exits.
 *
 * Either way init has a second job: reaping orphans.  When a process exits,
 * its children are given to init; when they exit in turn, init must wait()
 * for them, or they stay zombies forever.  So init's loop is a wait() for
 * any child, not just for the shell.
 *
 * init locks itself in memory (mlockall): a page of init's lost to a swap
 * read error would kill it with SIGBUS, and the kernel cannot go on
 * without init.  It is small, so that costs little.
 *
 * Standard input, output and error (fds 0, 1, 2) are the console, opened by
 * the kernel.  Children get a small fixed environment: PATH=/bin, HOME=/.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

#ifndef SHELL_PATH
#define SHELL_PATH "/bin/sh"    /* -DSHELL_PATH=... to try init on another system */
#endif

#define MAX_EXIT_VALUE 63       /* largest exit status poweroff() can report */

static char env_path[] = "PATH=/bin";
static char env_home[] = "HOME=/";
static char *child_env[] = { env_path, env_home, NULL };

/*
 * Signals that would kill init if someone sent them.  init ignores them; a
 * child must not inherit that (ignored signals stay ignored across exec), so
 * it puts them back to the default before exec.
 */
static const int guarded_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

static void set_guarded_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof guarded_signals / sizeof guarded_signals[0]; i++)
		if (sigaction(guarded_signals[i], &sa, NULL) < 0)
			fprintf(stderr, "init: sigaction(%d): %s\n", guarded_signals[i],
				strerror(errno));
}

/*
 * The interactive shell gets a session of its own with the console as its
 * controlling terminal, as getty and login arrange on other systems.  So
 * when it exits, the terminal hangs up and its jobs' groups are orphaned:
 * a job it left stopped gets SIGHUP and SIGCONT (kern/pgrp.c) instead of
 * staying stopped for ever in init's session.  The console starts as
 * session 1's (init's); root may take it over (TIOCSCTTY with 1).
 */
static void take_console(void)
{
	if (setsid() < 0 || ioctl(0, TIOCSCTTY, 1) < 0)
		fprintf(stderr, "init: cannot give the shell the console: %s\n",
			strerror(errno));
}

/*
 * Start the shell: "sh -c command", or an interactive "sh" when command is
 * NULL.  Returns its pid, or -1 if fork failed.
 */
static pid_t start_shell(char *command)
{
	/* { "sh", "-c", command, NULL }, or just { "sh", NULL } */
	char *argv[] = { "sh", command ? "-c" : NULL, command, NULL };
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (command == NULL)
			take_console();
		set_guarded_signals(SIG_DFL);
		execve(SHELL_PATH, argv, child_env);
		fprintf(stderr, "init: cannot run %s: %s\n", SHELL_PATH, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* wait() for any child, retrying if a signal interrupts it. */
static pid_t wait_any(int *wstatus)
{
	pid_t pid;

	do
		pid = wait(wstatus);
	while (pid < 0 && errno == EINTR);
	return pid;
}

/* The poweroff() value for a wait status (see the top of the file). */
static int exit_value(int wstatus)
{
	if (WIFSIGNALED(wstatus)) {
		/* keep 64+N below VMOS_EXIT_PANIC (127); real signals are far lower */
		int sig = WTERMSIG(wstatus);
		int max_sig = VMOS_EXIT_PANIC - 1 - VMOS_EXIT_SIGNAL_BASE;

		return VMOS_EXIT_SIGNAL_BASE + (sig < max_sig ? sig : max_sig);
	}
	if (WEXITSTATUS(wstatus) > MAX_EXIT_VALUE)
		return MAX_EXIT_VALUE;
	return WEXITSTATUS(wstatus);
}

/* Scripted run: run command, reap orphans meanwhile, power off.  No return. */
static void run_command(char *command)
{
	pid_t shell = start_shell(command);

	if (shell < 0)
		poweroff(MAX_EXIT_VALUE);
	for (;;) {
		int wstatus;
		pid_t pid = wait_any(&wstatus);

		if (pid < 0) {          /* cannot happen while the shell lives */
			fprintf(stderr, "init: wait: %s\n", strerror(errno));
			poweroff(MAX_EXIT_VALUE);
		}
		if (pid == shell)
			poweroff(exit_value(wstatus));
		/* any other pid: an orphan, now reaped; nothing more to do */
	}
}

static void pause_one_second(void)
{
	struct timespec one = { 1, 0 };

	/* Interrupted early by a signal?  Then the pause is shorter: harmless. */
	if (nanosleep(&one, NULL) < 0 && errno != EINTR)
		fprintf(stderr, "init: nanosleep: %s\n", strerror(errno));
}

/* Wait until the shell exits, reaping orphans meanwhile.  Returns its status. */
static int wait_for_shell(pid_t shell)
{
	for (;;) {
		int wstatus;
		pid_t pid = wait_any(&wstatus);

		if (pid == shell)
			return wstatus;
		if (pid < 0) {          /* the shell is gone without a trace? */
			fprintf(stderr, "init: wait: %s\n", strerror(errno));
			return 0;
		}
	}
}

/*
 * Interactive run: a shell on the console, forever.  A shell that exits
 * soon after it started (it cannot be run, or its input is at end of file)
 * would be restarted in a tight loop, so init pauses before restarting it.
 */
static void run_console(void)
{
	printf("Welcome to vmos.  Try: ls /bin, ps, vmstat, echo hi | cat\n");
	fflush(stdout);         /* before fork, or the child inherits the buffer */
	for (;;) {
		time_t started = time(NULL);
		pid_t shell = start_shell(NULL);
		int wstatus;

		if (shell < 0) {
			pause_one_second();
			continue;
		}
		wstatus = wait_for_shell(shell);
		if (WIFSIGNALED(wstatus))
			fprintf(stderr, "init: the shell was killed by signal %d\n",
				WTERMSIG(wstatus));
		else if (WEXITSTATUS(wstatus) != 0)
			fprintf(stderr, "init: the shell exited with status %d\n",
				WEXITSTATUS(wstatus));
		if (started == (time_t)-1 || time(NULL) - started < 2)
			pause_one_second();
		fprintf(stderr, "init: starting a new shell\n");
	}
}

/*
 * The command after "cmd=" in the kernel command line, or NULL.  "cmd="
 * must begin a word: "xcmd=a" does not count.
 */
static char *find_command(char *cmdline)
{
	char *p = cmdline;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "cmd=", 4) == 0)
			return p + 4;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char *command = argc > 1 ? find_command(argv[1]) : NULL;

	if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
		fprintf(stderr, "init: mlockall: %s\n", strerror(errno));
	set_guarded_signals(SIG_IGN);
	if (command != NULL)
		run_command(command);
	run_console();
	return 0;
}
