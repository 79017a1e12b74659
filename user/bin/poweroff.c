/*
 * poweroff - end the machine: QEMU exits with status 2*N+1 (see README,
 * "Exit statuses").  Only the superuser may.
 *
 *     poweroff [N]       N = 0..63, default 0
 */
#include <stdio.h>
#include <stdlib.h>
#include <vmos.h>

int main(int argc, char **argv)
{
	char *end;
	long n = argc > 1 ? strtol(argv[1], &end, 10) : 0;

	if (argc > 2 || (argc > 1 && (*end != '\0' || n < 0 || n > 63))) {
		fprintf(stderr, "usage: poweroff [0-63]\n");
		return 2;
	}
	poweroff((int)n);
}
