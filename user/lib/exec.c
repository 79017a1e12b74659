/*
 * exec.c - the exec family above execve, and system().
 *
 *   execv(path, argv)            execve with the current environ
 *   execvp(file, argv)           search PATH for file if it has no '/'
 *   execl, execlp, execle        the same with the arguments as a list
 *   system(command)              run "/bin/sh -c command" and wait
 *
 * The PATH search (PATH unset means "/bin"): try DIR/file for each
 * colon-separated DIR in turn (an empty DIR means the current
 * directory).  ENOENT, ENOTDIR or EACCES go on to the next DIR; any
 * other error stops the search.  A file the kernel cannot execute
 * (ENOEXEC) is run as a shell script by /bin/sh, as POSIX says.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_PATH "/bin"
#define SHELL "/bin/sh"

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* Run path as a shell script: sh path argv[1] ... */
static int exec_script(const char *path, char *const argv[])
{
	size_t argc = 0;

	while (argv[argc] != NULL)
		argc++;
	char *args[argc + 2];
	args[0] = "sh";
	args[1] = (char *)path;
	for (size_t i = 1; i <= argc; i++)
		args[i + 1] = argv[i];
	return execve(SHELL, args, environ);
}

/* execve path; on ENOEXEC, as a script.  Returns only on failure. */
static void try_exec(const char *path, char *const argv[])
{
	execve(path, argv, environ);
	if (errno == ENOEXEC)
		exec_script(path, argv);
}

/*
 * Try DIR/file, where DIR is the first dlen bytes of dir.  Returns only
 * if that failed, with errno telling why.
 */
static void try_in_dir(const char *dir, size_t dlen, const char *file,
		       char *const argv[])
{
	char buf[PATH_MAX];

	if (dlen == 0) {                        /* empty entry: current directory */
		dir = ".";
		dlen = 1;
	}
	if (dlen + 1 + strlen(file) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return;
	}
	memcpy(buf, dir, dlen);
	buf[dlen] = '/';
	strcpy(buf + dlen + 1, file);
	try_exec(buf, argv);
}

int execvp(const char *file, char *const argv[])
{
	const char *path, *dir;
	int denied = 0;

	if (file == NULL || *file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/') != NULL) {
		try_exec(file, argv);
		return -1;
	}
	path = getenv("PATH");
	if (path == NULL)
		path = DEFAULT_PATH;
	for (dir = path;; dir++) {
		size_t dlen = strcspn(dir, ":");
		try_in_dir(dir, dlen, file, argv);
		if (errno == EACCES)
			denied = 1;
		else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG)
			return -1;
		dir += dlen;
		if (*dir == '\0')
			break;
	}
	errno = denied ? EACCES : ENOENT;
	return -1;
}

/* Count the list arguments after arg0, up to the terminating NULL. */
static size_t count_args(va_list ap)
{
	va_list copy;
	size_t n = 1;

	va_copy(copy, ap);
	while (va_arg(copy, char *) != NULL)
		n++;
	va_end(copy);
	return n;
}

/* Build argv from a list; the array lives in the caller's frame (a VLA). */
#define LIST_TO_ARGV(argv, arg0, ap, n)                         \
	char *argv[(n) + 1];                                    \
	argv[0] = (char *)(arg0);                               \
	for (size_t i_ = 1; i_ <= (n); i_++)                    \
		argv[i_] = va_arg(ap, char *)

int execl(const char *path, const char *arg0, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, arg0);
	n = count_args(ap);
	LIST_TO_ARGV(argv, arg0, ap, n);
	va_end(ap);
	return execv(path, argv);
}

int execlp(const char *file, const char *arg0, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, arg0);
	n = count_args(ap);
	LIST_TO_ARGV(argv, arg0, ap, n);
	va_end(ap);
	return execvp(file, argv);
}

int execle(const char *path, const char *arg0, ...)
{
	va_list ap;
	char **envp;
	size_t n;

	va_start(ap, arg0);
	n = count_args(ap);
	LIST_TO_ARGV(argv, arg0, ap, n);
	envp = va_arg(ap, char **);             /* after the NULL */
	va_end(ap);
	return execve(path, argv, envp);
}

int system(const char *command)
{
	struct stat st;
	pid_t pid;
	int status;

	if (command == NULL)                    /* is there a shell? */
		return stat(SHELL, &st) == 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(SHELL, "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}
