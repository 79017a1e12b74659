/*
 * env.c - the environment: environ, getenv, setenv, unsetenv, putenv.
 *
 * environ starts out pointing at the strings the kernel put on the stack
 * (start.c sets it).  The first setenv() that adds a variable copies the
 * pointer array to the heap so it can grow; entries are "NAME=value"
 * strings.  A string replaced by setenv is not freed: someone may still
 * hold it (glibc leaks it too).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

char **environ;
static char **heap_environ;     /* environ, when it is our malloc'd copy */

static size_t env_count(void)
{
	size_t n = 0;

	while (environ != NULL && environ[n] != NULL)
		n++;
	return n;
}

/* The slot of NAME in environ (name is len bytes long), or NULL. */
static char **env_find(const char *name, size_t len)
{
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return e;
	}
	return NULL;
}

static int valid_name(const char *name)
{
	if (name == NULL || *name == '\0' || strchr(name, '=') != NULL) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **slot;

	if (strchr(name, '=') != NULL)
		return NULL;
	slot = env_find(name, len);
	return slot != NULL ? *slot + len + 1 : NULL;
}

/* Append entry to environ, moving environ to the heap if needed. */
static int env_append(char *entry)
{
	size_t n = env_count();
	char **grown;

	if (environ == heap_environ) {
		grown = realloc(heap_environ, (n + 2) * sizeof(char *));
	} else {
		grown = malloc((n + 2) * sizeof(char *));
		if (grown != NULL && n > 0)
			memcpy(grown, environ, n * sizeof(char *));
	}
	if (grown == NULL)
		return -1;
	grown[n] = entry;
	grown[n + 1] = NULL;
	environ = heap_environ = grown;
	return 0;
}

/* Put "NAME=..." entry in place of NAME's old entry, or append it. */
static int env_put(char *entry, size_t name_len)
{
	char **slot = env_find(entry, name_len);

	if (slot != NULL) {
		*slot = entry;
		return 0;
	}
	return env_append(entry);
}

int setenv(const char *name, const char *value, int overwrite)
{
	size_t nlen, vlen;
	char *entry;

	if (!valid_name(name))
		return -1;
	nlen = strlen(name);
	if (env_find(name, nlen) != NULL && !overwrite)
		return 0;
	vlen = strlen(value);
	entry = malloc(nlen + vlen + 2);
	if (entry == NULL)
		return -1;
	memcpy(entry, name, nlen);
	entry[nlen] = '=';
	memcpy(entry + nlen + 1, value, vlen + 1);
	if (env_put(entry, nlen) < 0) {
		free(entry);
		return -1;
	}
	return 0;
}

/* putenv keeps the caller's string itself in the environment. */
int putenv(char *string)
{
	char *eq = strchr(string, '=');

	if (eq == NULL)
		return unsetenv(string);
	if (eq == string) {
		errno = EINVAL;
		return -1;
	}
	return env_put(string, (size_t)(eq - string));
}

int unsetenv(const char *name)
{
	size_t len;
	char **slot;

	if (!valid_name(name))
		return -1;
	len = strlen(name);
	while ((slot = env_find(name, len)) != NULL) {
		do                              /* close the gap */
			slot[0] = slot[1];
		while (*slot++ != NULL);
	}
	return 0;
}
