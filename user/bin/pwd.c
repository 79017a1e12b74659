/*
 * pwd - print the current working directory.
 */
#include <stdio.h>
#include <unistd.h>
#include <limits.h>

int main(void)
{
	char buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)) == NULL) {
		perror("pwd");
		return 1;
	}
	puts(buf);
	return 0;
}
