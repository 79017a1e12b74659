/*
 * start.c - from _start (crt0.S) to main and back out through exit().
 *
 * Before main runs: environ is set, and the constructors the compiler
 * collected in .preinit_array and .init_array (functions marked
 * __attribute__((constructor))) are called in order.  The linker defines
 * the __*_array_start/end symbols around those sections.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);
void __libc_start_main(int argc, char **argv, char **envp) __attribute__((noreturn));

typedef void (*init_fn)(int, char **, char **);
extern init_fn __preinit_array_start[] __attribute__((weak));
extern init_fn __preinit_array_end[] __attribute__((weak));
extern init_fn __init_array_start[] __attribute__((weak));
extern init_fn __init_array_end[] __attribute__((weak));

static void run_array(init_fn *start, init_fn *end, int argc, char **argv, char **envp)
{
	for (init_fn *fn = start; fn < end; fn++)
		(*fn)(argc, argv, envp);
}

void __libc_start_main(int argc, char **argv, char **envp)
{
	environ = envp;
	run_array(__preinit_array_start, __preinit_array_end, argc, argv, envp);
	run_array(__init_array_start, __init_array_end, argc, argv, envp);
	exit(main(argc, argv, envp));
}
