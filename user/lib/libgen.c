/*
 * libgen.c - basename() and dirname(), the POSIX versions: they may write
 * a NUL into path (to drop trailing slashes) and return a pointer into it
 * or to a constant string.
 *
 *     path          dirname   basename
 *     "/usr/lib"    "/usr"    "lib"
 *     "/usr/"       "/"       "usr"
 *     "usr"         "."       "usr"
 *     "/"           "/"       "/"
 *     "" or NULL    "."       "."
 */
#include <libgen.h>
#include <string.h>

/* Cut trailing slashes (keeping a lone "/"); returns the new length. */
static size_t strip_slashes(char *path, size_t len)
{
	while (len > 1 && path[len - 1] == '/')
		len--;
	path[len] = '\0';
	return len;
}

char *basename(char *path)
{
	char *slash;

	if (path == NULL || *path == '\0')
		return ".";
	strip_slashes(path, strlen(path));
	slash = strrchr(path, '/');
	return slash == NULL || slash[1] == '\0' ? path : slash + 1;
}

char *dirname(char *path)
{
	size_t len;

	if (path == NULL || *path == '\0')
		return ".";
	len = strip_slashes(path, strlen(path));
	while (len > 0 && path[len - 1] != '/')
		len--;                          /* drop the last component */
	if (len == 0)
		return ".";
	strip_slashes(path, len);
	return path;
}
