/*
 * cmdline.c - look up words of the kernel command line.
 *
 * A value normally ends at the next space.  The key `cmd` is special: its
 * value is the rest of the line, so a shell command with spaces can follow it.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/cmdline.h"

static char line[1024];

void cmdline_set(const char *s)
{
	strlcpy(line, s, sizeof(line));
}

const char *cmdline_get_line(void)
{
	return line;
}

bool cmdline_get(const char *key, char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = line;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) < klen || strncmp(w, key, klen) != 0)
			continue;
		if (w[klen] != '=' && w + klen != p)
			continue;
		const char *v = w[klen] == '=' ? w + klen + 1 : p;
		const char *end = strcmp(key, "cmd") == 0 ? v + strlen(v) : p;
		size_t n = MIN((size_t)(end - v), size ? size - 1 : 0);
		if (size) {
			memcpy(val, v, n);
			val[n] = '\0';
		}
		return true;
	}
	return false;
}

bool cmdline_get_bytes(const char *key, uint64_t *bytes)
{
	char val[32];
	uint64_t n = 0;
	if (!cmdline_get(key, val, sizeof(val)) || val[0] < '0' || val[0] > '9')
		return false;
	const char *p = val;
	for (; *p >= '0' && *p <= '9'; p++)
		if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, (uint64_t)(*p - '0'), &n))
			return false;
	int shift = *p == 'K' ? 10 : *p == 'M' ? 20 : *p == 'G' ? 30 : 0;
	if (shift != 0)
		p++;
	if (*p != '\0' || (shift != 0 && n > (UINT64_MAX >> shift)))
		return false;
	*bytes = n << shift;
	return true;
}
