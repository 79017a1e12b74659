/*
 * exit.c - ending a process: exit, atexit, abort.
 *
 * exit(status) runs, in order: the atexit handlers (last registered
 * first), the destructors in .fini_array (functions marked
 * __attribute__((destructor))), then flushes every stdio stream and
 * finally calls _exit (the exit_group system call), which never returns.
 */
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ATEXIT_MAX 32           /* POSIX asks for at least 32 */

static void (*handlers[ATEXIT_MAX])(void);
static int nhandlers;

typedef void (*fini_fn)(void);
extern fini_fn __fini_array_start[] __attribute__((weak));
extern fini_fn __fini_array_end[] __attribute__((weak));

int atexit(void (*fn)(void))
{
	if (nhandlers == ATEXIT_MAX)
		return -1;
	handlers[nhandlers++] = fn;
	return 0;
}

void exit(int status)
{
	while (nhandlers > 0)
		handlers[--nhandlers]();
	for (fini_fn *fn = __fini_array_end; fn > __fini_array_start; )
		(*--fn)();
	fflush(NULL);
	_exit(status);
}

/*
 * abort: raise SIGABRT, unblocked, so that a handler runs (POSIX: it may
 * siglongjmp away); if it returns or SIGABRT is ignored, put SIG_DFL back
 * and raise it again, so that the program dies by SIGABRT all the same.
 * If even that fails, exit with 127.
 */
void abort(void)
{
	sigset_t set = (sigset_t)1 << (SIGABRT - 1);
	struct sigaction dfl;

	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGABRT, &dfl, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	_exit(127);
}
