/*
 * getopt.c - POSIX getopt(): short command-line options.
 *
 * optstring lists the option letters; a letter followed by ':' takes an
 * argument, either glued on ("-ofile") or as the next word ("-o file").
 * Options can be grouped ("-ab").  Parsing stops at the first word that
 * is not an option, or after "--".  An unknown option or a missing
 * argument returns '?' (or ':' for a missing argument if optstring starts
 * with ':', which also silences the messages).  No argument permutation,
 * no long options.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

static int letter;              /* position inside argv[optind]; 0 = at its start */

static void next_word(void)
{
	optind++;
	letter = 0;
}

static int complain(const char *prog, const char *msg, int c, int quiet)
{
	if (opterr && !quiet)
		fprintf(stderr, "%s: %s -- '%c'\n", prog, msg, c);
	return '?';
}

int getopt(int argc, char *const argv[], const char *optstring)
{
	int quiet = optstring[0] == ':';
	const char *word, *spec;
	int c;

	if (optind == 0) {              /* optind = 0 restarts, as in glibc */
		optind = 1;
		letter = 0;
	}
	if (letter == 0) {
		word = optind < argc ? argv[optind] : NULL;
		if (word == NULL || word[0] != '-' || word[1] == '\0')
			return -1;
		if (strcmp(word, "--") == 0) {
			optind++;
			return -1;
		}
		letter = 1;
	}
	word = argv[optind];
	c = (unsigned char)word[letter++];
	spec = c == ':' ? NULL : strchr(optstring + quiet, c);
	optarg = NULL;
	if (spec == NULL) {
		optopt = c;
		if (word[letter] == '\0')
			next_word();
		return complain(argv[0], "invalid option", c, quiet);
	}
	if (spec[1] != ':') {           /* a flag */
		if (word[letter] == '\0')
			next_word();
		return c;
	}
	if (word[letter] != '\0') {     /* "-ofile" */
		optarg = (char *)word + letter;
	} else if (optind + 1 < argc) { /* "-o file" */
		optarg = argv[optind + 1];
		optind++;
	} else {
		optopt = c;
		next_word();
		return quiet ? ':' : complain(argv[0], "option requires an argument", c, 0);
	}
	next_word();
	return c;
}
