/*
 * rand.c - rand() and srand(): a 64-bit linear congruential generator
 * (Knuth's MMIX constants), returning the top 31 bits, which are the
 * most random ones.  Good enough for tests and games, not for secrets.
 */
#include <stdlib.h>

static unsigned long long state = 1;

void srand(unsigned int seed)
{
	state = seed;
}

int rand(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(state >> 33);
}
