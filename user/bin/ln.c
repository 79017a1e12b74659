/*
 * ln - make links.
 *
 *   ln [-s] target name
 *
 * Without -s, link(2): name becomes a second name of the file target
 * names -- the same node, so the same bytes, and its link count (ls -l,
 * stat's st_nlink) goes up by one.  The file lives until its last name
 * and its last descriptor are gone.  A directory cannot get a second
 * name (EPERM), and a name cannot point into another file system (EXDEV:
 * the boot file system and /tmp).
 *
 * With -s, symlink(2): name becomes a small file holding the string
 * target, which lookups follow.  The target need not exist (the link
 * dangles until it does), and a relative target is taken from the link's
 * own directory, not from where ln ran.
 *
 * If name is an existing directory, the link goes inside it, under the
 * target's last name, as mv does.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char name[PATH_MAX], base[PATH_MAX];
	struct stat st;
	int soft = argc > 1 && strcmp(argv[1], "-s") == 0;
	if (argc != 3 + soft) {
		fprintf(stderr, "usage: ln [-s] target name\n");
		return 2;
	}
	const char *target = argv[1 + soft];
	snprintf(name, sizeof(name), "%s", argv[2 + soft]);
	if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(base, sizeof(base), "%s", target);
		snprintf(name, sizeof(name), "%s/%s", argv[2 + soft], basename(base));
	}
	if ((soft ? symlink(target, name) : link(target, name)) < 0) {
		fprintf(stderr, "ln: %s -> %s: %s\n", name, target, strerror(errno));
		return 1;
	}
	return 0;
}
