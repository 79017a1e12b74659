/*
 * qsort.c - sorting (qsort) and binary search (bsearch).
 *
 * qsort is a quicksort: the median of the first, middle and last
 * elements is the pivot; a Hoare partition splits the array into "not
 * greater" and "not smaller" parts (elements equal to the pivot are
 * spread over both, so many duplicates still split evenly); the smaller
 * part is sorted by recursion and the larger by looping, so the stack
 * stays O(log n) deep.  Short runs are finished by insertion sort.  Not
 * stable.
 */
#include <stdlib.h>

#define INSERTION_MAX 8

typedef int (*compare_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t size)
{
	while (size-- > 0) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void insertion_sort(char *base, size_t n, size_t size, compare_fn cmp)
{
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0; j--) {
			char *a = base + (j - 1) * size, *b = base + j * size;
			if (cmp(a, b) <= 0)
				break;
			swap(a, b, size);
		}
	}
}

/* Order elements 0, n/2 and n-1, then move the median to position 0. */
static void median_to_front(char *base, size_t n, size_t size, compare_fn cmp)
{
	char *lo = base, *mid = base + n / 2 * size, *hi = base + (n - 1) * size;

	if (cmp(mid, lo) < 0)
		swap(mid, lo, size);
	if (cmp(hi, mid) < 0) {
		swap(hi, mid, size);
		if (cmp(mid, lo) < 0)
			swap(mid, lo, size);
	}
	swap(lo, mid, size);
}

/* Partition around base[0]; returns the pivot's final index. */
static size_t partition(char *base, size_t n, size_t size, compare_fn cmp)
{
	size_t i = 1, j = n - 1;

	for (;;) {
		while (i <= j && cmp(base + i * size, base) < 0)
			i++;
		while (j >= i && cmp(base + j * size, base) > 0)
			j--;
		if (i >= j)
			break;
		swap(base + i * size, base + j * size, size);
		i++;
		j--;
	}
	swap(base, base + j * size, size);
	return j;
}

void qsort(void *array, size_t n, size_t size, compare_fn cmp)
{
	char *base = array;

	while (n > INSERTION_MAX) {
		size_t p;

		median_to_front(base, n, size, cmp);
		p = partition(base, n, size, cmp);
		if (p < n - p - 1) {            /* recurse into the smaller side */
			qsort(base, p, size, cmp);
			base += (p + 1) * size;
			n -= p + 1;
		} else {
			qsort(base + (p + 1) * size, n - p - 1, size, cmp);
			n = p;
		}
	}
	insertion_sort(base, n, size, cmp);
}

void *bsearch(const void *key, const void *array, size_t n, size_t size, compare_fn cmp)
{
	const char *base = array;

	while (n > 0) {
		const char *mid = base + n / 2 * size;
		int c = cmp(key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0) {
			base = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return NULL;
}
