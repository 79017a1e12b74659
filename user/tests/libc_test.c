/*
 * libc_test.c - tests of the C library (user/lib).
 *
 * A table of {name, function}; each case runs in a forked child, so a
 * crash or a leak stays inside it.  A failing check in the child writes
 * its reason into a pipe and exits 1; the parent prints
 *
 *     TEST-PASS libc.<case>
 *     TEST-FAIL libc.<case>: <reason>
 *
 * for each case and finally "TEST-DONE libc passed=N failed=M", and exits
 * 0 only if every case passed.  "libc_test NAME..." runs just the cases
 * named.  The program also runs on a Linux host, whose system call ABI is
 * the same as vmos's.
 */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vmos.h>

int __malloc_check(void);      /* malloc.c: 0 if the heap is consistent */

static const char *argv0;
static int report_fd = -1;

/* ---- Checking ---- */

static void fail_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void fail_at(int line, const char *fmt, ...)
{
	char msg[600];
	int n = snprintf(msg, sizeof(msg), "line %d: ", line);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (write(report_fd, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(1);
}

#define CHECK(cond) \
	do { if (!(cond)) fail_at(__LINE__, "%s", #cond); } while (0)
#define CHECK_INT(expr, want) do {                                              \
		long long got_ = (long long)(expr), want_ = (long long)(want);   \
		if (got_ != want_)                                               \
			fail_at(__LINE__, "%s is %lld, expected %lld", #expr, got_, want_); \
	} while (0)
#define CHECK_STR(expr, want) do {                                              \
		const char *got_ = (expr), *want_ = (want);                      \
		if (got_ == NULL || strcmp(got_, want_) != 0)                    \
			fail_at(__LINE__, "%s is \"%s\", expected \"%s\"", #expr,    \
				got_ ? got_ : "(null)", want_);                      \
	} while (0)
#define CHECK_ERR(expr, want_errno) do {                                        \
		errno = 0;                                                       \
		long long got_ = (long long)(expr);                              \
		if (got_ != -1 || errno != (want_errno))                         \
			fail_at(__LINE__, "%s gave %lld errno %d, expected -1 errno %d", \
				#expr, got_, errno, (want_errno));               \
	} while (0)

/* snprintf with fmt must produce exactly want. */
#define FMT(want, ...) check_format(__LINE__, want, __VA_ARGS__)
static void check_format(int line, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check_format(int line, const char *want, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0 || n != (int)strlen(want))
		fail_at(line, "\"%s\" gave \"%s\" (%d), expected \"%s\"", fmt, buf, n, want);
}

/* Read from fd until EOF into buf (NUL-terminated); returns the length. */
static size_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return len;
}

/* Fork a child that runs fn with stdout (or stderr) on a pipe; collect its output. */
static int run_captured(void (*fn)(void), int target_fd, char *out, size_t size)
{
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], target_fd);
		close(p[1]);
		fn();
		_exit(99);
	}
	close(p[1]);
	read_all(p[0], out, size);
	close(p[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

/* ---- printf ---- */

static void printf_formats_integers(void)
{
	FMT("42", "%d", 42);
	FMT("-42", "%i", -42);
	FMT("  42|42  |", "%4d|%-4d|", 42, 42);
	FMT("0042 -042", "%04d %04d", 42, -42);
	FMT("+42  42 -42", "%+d % d %+d", 42, 42, -42);
	FMT("00042 |   00042", "%.5d |%8.5d", 42, 42);
	FMT("||    |", "|%.0d|%4.0d|", 0, 0);
	FMT("  007", "%5.3d", 7);
	FMT("2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
	FMT("4294967295", "%u", UINT_MAX);
	FMT("ff FF 0xff 0XFF 0", "%x %X %#x %#X %#x", 255, 255, 255, 255, 0);
	FMT("777 0777 0", "%o %#o %#o", 511, 511, 0);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("9223372036854775807", "%lld", LLONG_MAX);
	FMT("18446744073709551615 18446744073709551615", "%lu %llu", ULONG_MAX, ULLONG_MAX);
	FMT("ffffffffffffffff", "%lx", ULONG_MAX);
	FMT("123 -5 -7", "%zu %zd %jd", (size_t)123, (ssize_t)-5, (intmax_t)-7);
	FMT("-1 65535 -1", "%hhd %hu %hd", 255, 65535, 65535);
	FMT("   -3|-3   |", "%*d|%*d|", 5, -3, -5, -3);
	FMT("007", "%.*d", 3, 7);
	FMT("100%", "%d%%", 100);
	FMT("0x0000ff", "%#08x", 255);
	FMT("-0000042", "%08ld", -42L);
	FMT("12345678901", "%" PRId64, (int64_t)12345678901);
}

static void printf_formats_strings_and_pointers(void)
{
	const char *volatile null_string = NULL;

	FMT("x|  x|x  |", "%c|%3c|%-3c|", 'x', 'x', 'x');
	FMT("hello hel", "%s %.3s", "hello", "hello");
	FMT("   hi|hi   |", "%5s|%-5s|", "hi", "hi");
	FMT("(null)", "%s", null_string);
	FMT("", "%s", "");
	FMT("0x1234", "%p", (void *)0x1234);
	FMT("(nil)", "%p", (void *)0);
	FMT("a1b22c", "a%db%dc", 1, 22);
	FMT("no conversions", "no conversions");
}

static void printf_formats_floats_roughly(void)
{
	FMT("3.141590", "%f", 3.14159);
	FMT("1.50 2 -0.25", "%.2f %.0f %.2f", 1.5, 2.4, -0.25);
	FMT("0.000000", "%f", 0.0);
	FMT("   3.142|3.14    |", "%8.3f|%-8.2f|", 3.14159, 3.14159);
	FMT("+2.0 -0003.50", "%+.1f %08.2f", 2.0, -3.5);
	FMT("100000000000000000000.000000", "%f", 1e20);
	FMT("0.3333333333", "%.10f", 1.0 / 3);
	FMT("0.00 1.00 3.", "%.2f %.2f %#.0f", 1e-10, 0.999, 3.0);
	FMT("1.234568e+04 0.000e+00 1.5E-07", "%e %.3e %.1E", 12345.678, 0.0, 1.5e-7);
	FMT("0.0001 1e-05 1.23457e+08 100", "%g %g %g %g", 0.0001, 1e-5, 123456789.0, 100.0);
	FMT("0.1 1e+100 1E-10 1.00000", "%.15g %g %G %#g", 0.1, 1e100, 1e-10, 1.0);
	FMT("inf -inf INF nan", "%f %f %F %f", __builtin_inf(), -__builtin_inf(),
	    __builtin_inf(), __builtin_nan(""));
	FMT("1.797693e+308", "%e", 1.7976931348623157e308);
	FMT("4.940656e-324", "%e", 4.9406564584124654e-324);
}

static void snprintf_truncates_and_returns_full_length(void)
{
	volatile size_t five = 5, one = 1, zero = 0;
	char *volatile no_buffer = NULL;
	const char *volatile text = "abcdefgh";
	char buf[16];

	memset(buf, 'Z', sizeof(buf));
	CHECK_INT(snprintf(buf, five, "%s", text), 8);
	CHECK_STR(buf, "abcd");
	CHECK_INT(buf[5], 'Z');
	CHECK_INT(snprintf(buf, one, "%s", text), 8);
	CHECK_INT(buf[0], '\0');
	CHECK_INT(snprintf(no_buffer, zero, "%d", 12345), 5);
	CHECK_INT(sprintf(buf, "%d-%s", 7, "x"), 3);
	CHECK_STR(buf, "7-x");
}

static void asprintf_allocates_exact_string(void)
{
	char *s = NULL;

	CHECK_INT(asprintf(&s, "%s=%d", "answer", 42), 9);
	CHECK_STR(s, "answer=42");
	free(s);
}

static void dprintf_and_fprintf_write_to_pipes(void)
{
	char buf[64];
	int p[2];
	FILE *f;

	CHECK(pipe(p) == 0);
	CHECK_INT(dprintf(p[1], "x=%d\n", 5), 4);
	CHECK_INT(read(p[0], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "x=5\n", 4) == 0);
	f = fdopen(p[1], "w");
	CHECK(f != NULL);
	CHECK_INT(fprintf(f, "hello %s", "there"), 11);
	CHECK_INT(fflush(f), 0);
	CHECK_INT(fclose(f), 0);
	CHECK_INT(read_all(p[0], buf, sizeof(buf)), 11);
	CHECK_STR(buf, "hello there");
}

/* ---- stdio buffering and exit ---- */

static void write_a(void) { write(1, "A", 1); }
static void write_b(void) { write(1, "B", 1); }

static void stdout_child(void)
{
	atexit(write_a);
	atexit(write_b);
	printf("line1\n");
	printf("partial");
	exit(0);
}

static void stdout_flushes_at_newline_and_exit(void)
{
	char out[128];
	int status = run_captured(stdout_child, 1, out, sizeof(out));

	/* "line1\n" left at the newline, handlers ran last-first, "partial" at exit */
	CHECK_STR(out, "line1\nBApartial");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void stderr_child(void)
{
	fprintf(stderr, "e1");
	fputs("e2", stderr);
	write(2, "w", 1);
	_exit(0);               /* no flushing: only unbuffered output survives */
}

static void stderr_is_unbuffered(void)
{
	char out[64];

	run_captured(stderr_child, 2, out, sizeof(out));
	CHECK_STR(out, "e1e2w");
}

static void perror_child(void)
{
	errno = ENOENT;
	perror("open x");
	errno = EBADF;
	perror(NULL);
	_exit(0);
}

static void perror_prints_message(void)
{
	char out[128];

	run_captured(perror_child, 2, out, sizeof(out));
	CHECK_STR(out, "open x: No such file or directory\nBad file descriptor\n");
}

static void fgets_getline_and_ungetc_read_lines(void)
{
	const char text[] = "one\ntwo\nthree";
	char buf[32], *line = NULL;
	size_t cap = 0;
	int p[2];
	FILE *f;

	CHECK(pipe(p) == 0);
	CHECK_INT(write(p[1], text, sizeof(text) - 1), sizeof(text) - 1);
	close(p[1]);
	f = fdopen(p[0], "r");
	CHECK(f != NULL);
	CHECK_STR(fgets(buf, sizeof(buf), f), "one\n");
	CHECK_INT(getline(&line, &cap, f), 4);
	CHECK_STR(line, "two\n");
	CHECK_INT(fgetc(f), 't');
	CHECK_INT(ungetc('T', f), 'T');
	CHECK_STR(fgets(buf, 3, f), "Th");
	CHECK_STR(fgets(buf, sizeof(buf), f), "ree");
	CHECK(fgets(buf, sizeof(buf), f) == NULL);
	CHECK(feof(f) && !ferror(f));
	CHECK_INT(getline(&line, &cap, f), -1);
	free(line);
	fclose(f);
}

#define BIG_TRANSFER 100000

static void big_writer(void)
{
	static char block[BIG_TRANSFER];

	for (size_t i = 0; i < sizeof(block); i++)
		block[i] = (char)(i * 7 + i / 251);
	/* pieces of odd sizes, then one bigger than the buffer */
	fwrite(block, 1, 1000, stdout);
	fwrite(block + 1000, 7, 1000, stdout);
	fwrite(block + 8000, 1, BIG_TRANSFER - 8000, stdout);
	exit(0);
}

static void fread_and_fwrite_move_large_blocks(void)
{
	static char got[BIG_TRANSFER + 1];
	int p[2], status;
	size_t total = 0, n;
	pid_t pid;
	FILE *f;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		big_writer();
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	CHECK(f != NULL);
	CHECK_INT(fread(got, 1, 3, f), 3);
	total = 3;
	while ((n = fread(got + total, 1, 5000, f)) > 0)
		total += n;
	CHECK_INT(total, BIG_TRANSFER);
	for (size_t i = 0; i < BIG_TRANSFER; i++) {
		if (got[i] != (char)(i * 7 + i / 251))
			fail_at(__LINE__, "byte %zu differs", i);
	}
	CHECK(feof(f));
	fclose(f);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
}

static void fopen_reports_errors(void)
{
	errno = 0;
	CHECK(fopen("/definitely/not/here", "r") == NULL);
	CHECK_INT(errno, ENOENT);
	errno = 0;
	CHECK(fopen("/", "q") == NULL);
	CHECK_INT(errno, EINVAL);
	errno = 0;
	CHECK(fdopen(-1, "r") == NULL);
	CHECK_INT(errno, EBADF);
}

/* ---- Strings and memory ---- */

static void string_functions_follow_the_standard(void)
{
	volatile size_t two = 2, three = 3, five = 5;     /* hide sizes from the compiler */
	char buf[32];

	CHECK_INT(strlen(""), 0);
	CHECK_INT(strlen("hello"), 5);
	CHECK_INT(strnlen("hello", 3), 3);
	CHECK_INT(strnlen("hi", 10), 2);
	CHECK(strcmp("abc", "abc") == 0 && strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0);
	CHECK(strcmp("ab", "abc") < 0 && strcmp("\xff", "a") > 0);
	CHECK(strncmp("abcx", "abcy", 3) == 0 && strncmp("ab", "ac", 2) < 0);
	CHECK(strcasecmp("HeLLo", "hello") == 0 && strncasecmp("ABx", "aby", 2) == 0);
	CHECK_STR(strcpy(buf, "copy"), "copy");
	CHECK_STR(strcat(buf, "cat"), "copycat");
	CHECK_STR(strncat(buf, "12345", two), "copycat12");
	CHECK(stpcpy(buf, "end") == buf + 3);
	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "ab", five);
	CHECK(memcmp(buf, "ab\0\0\0x", 6) == 0);
	strncpy(buf, "abcdef", three);
	CHECK(memcmp(buf, "abc\0", 4) == 0);
	const char *s = "hello world";
	CHECK(strchr(s, 'o') == s + 4 && strrchr(s, 'o') == s + 7);
	CHECK(strchr(s, '\0') == s + 11 && strchr(s, 'z') == NULL);
	CHECK(strstr(s, "wor") == s + 6 && strstr(s, "") == s && strstr(s, "xyz") == NULL);
	CHECK(strstr("aaab", "aab") != NULL);
	CHECK_INT(strspn("abcabcxyz", "abc"), 6);
	CHECK_INT(strcspn("hello, world", ",! "), 5);
	CHECK(strpbrk(s, "dw") == s + 6 && strpbrk(s, "q") == NULL);
	char *d = strdup("dup");
	CHECK_STR(d, "dup");
	free(d);
	d = strndup("abcdef", 3);
	CHECK_STR(d, "abc");
	free(d);
	CHECK_INT(ffs(0), 0);
	CHECK_INT(ffs(8), 4);
}

static void fill(unsigned char *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 13 + (size_t)seed);
}

static void memory_functions_handle_all_sizes_and_overlaps(void)
{
	unsigned char src[128], dst[128], ref[128];

	for (size_t n = 0; n < 70; n++) {
		for (size_t so = 0; so < 8; so++) {
			for (size_t doff = 0; doff < 8; doff++) {
				fill(src, sizeof(src), 1);
				fill(dst, sizeof(dst), 2);
				memcpy(ref, dst, sizeof(ref));
				for (size_t i = 0; i < n; i++)
					ref[doff + i] = src[so + i];
				CHECK(memcpy(dst + doff, src + so, n) == dst + doff);
				if (memcmp(dst, ref, sizeof(ref)) != 0)
					fail_at(__LINE__, "memcpy n=%zu so=%zu do=%zu", n, so, doff);
			}
		}
	}
	for (size_t n = 0; n < 70; n++) {
		for (size_t a = 0; a < 12; a++) {
			for (size_t b = 0; b < 12; b++) {
				unsigned char buf[128];
				fill(buf, sizeof(buf), 3);
				memcpy(ref, buf, sizeof(ref));
				for (size_t i = 0; i < n; i++)
					ref[b + i] = buf[a + i];
				memmove(buf + b, buf + a, n);
				if (memcmp(buf, ref, sizeof(ref)) != 0)
					fail_at(__LINE__, "memmove n=%zu from=%zu to=%zu", n, a, b);
			}
		}
	}
	memset(dst, 0xAB, sizeof(dst));
	memset(dst + 3, 0, 50);
	CHECK(dst[2] == 0xAB && dst[3] == 0 && dst[52] == 0 && dst[53] == 0xAB);
	CHECK(memset(dst, 300, 1) == dst && dst[0] == 44);
	CHECK(memcmp("abc", "abd", 3) < 0 && memcmp("abd", "abc", 3) > 0);
	CHECK(memcmp("\x80", "\x01", 1) > 0 && memcmp("x", "y", 0) == 0);
	CHECK(memchr("hello", 'l', 5) == (void *)((const char *)"hello" + 2) || 1);
	const char *h = "hello";
	CHECK(memchr(h, 'l', 5) == h + 2 && memchr(h, 'o', 4) == NULL);
	bzero(dst, 4);
	CHECK(dst[0] == 0 && dst[3] == 0);
}

static void strtok_splits_fields(void)
{
	char a[] = "  one,two,,three  ";
	char b[] = "x=1;y=2";
	char *save, *tok;

	CHECK_STR(strtok(a, " ,"), "one");
	CHECK_STR(strtok(NULL, " ,"), "two");
	CHECK_STR(strtok(NULL, " ,"), "three");
	CHECK(strtok(NULL, " ,") == NULL);
	CHECK(strtok(NULL, " ,") == NULL);
	tok = strtok_r(b, ";", &save);
	CHECK_STR(tok, "x=1");
	CHECK_STR(strtok_r(NULL, ";", &save), "y=2");
	CHECK(strtok_r(NULL, ";", &save) == NULL);
	char c[] = ",,,";
	CHECK(strtok_r(c, ",", &save) == NULL);
}

static void strerror_and_strsignal_name_things(void)
{
	CHECK_STR(strerror(ENOENT), "No such file or directory");
	CHECK_STR(strerror(EINVAL), "Invalid argument");
	CHECK_STR(strerror(0), "Success");
	CHECK_STR(strerror(9999), "Unknown error 9999");
	CHECK_STR(strsignal(SIGKILL), "Killed");
	CHECK_STR(strsignal(SIGSEGV), "Segmentation fault");
	CHECK_STR(strsignal(77), "Unknown signal 77");
	CHECK_STR(strerrorname_np(EPERM), "EPERM");
	CHECK_STR(strerrorname_np(ENOTRECOVERABLE), "ENOTRECOVERABLE");
	CHECK(strerrorname_np(0) == NULL && strerrorname_np(-1) == NULL &&
	      strerrorname_np(9999) == NULL);
}

/* sig2str and str2sig are inverses over every named signal. */
static void sig2str_and_str2sig_round_trip(void)
{
	char name[SIG2STR_MAX];
	int sig, named = 0;

	for (int i = 1; i < NSIG; i++) {
		if (sig2str(i, name) != 0)
			continue;
		named++;
		CHECK(str2sig(name, &sig) == 0 && sig == i);
	}
	CHECK(named >= 31);
	CHECK(sig2str(SIGSEGV, name) == 0);
	CHECK_STR(name, "SEGV");
	CHECK(sig2str(0, name) == -1 && sig2str(NSIG, name) == -1 && sig2str(-1, name) == -1);
	CHECK(str2sig("9", &sig) == 0 && sig == SIGKILL);
	CHECK(str2sig("TERM", &sig) == 0 && sig == SIGTERM);
	sig = 12345;
	CHECK(str2sig("SIGTERM", &sig) == -1 && sig == 12345);       /* POSIX: no "SIG" */
	CHECK(str2sig("term", &sig) == -1 && str2sig("", &sig) == -1);
	CHECK(str2sig("0", &sig) == -1 && str2sig("65", &sig) == -1);
	CHECK(str2sig("9x", &sig) == -1 && str2sig("99999999999", &sig) == -1);
}

static void ctype_classifies_ascii(void)
{
	for (int c = -1; c < 256; c++) {
		int digit = c >= '0' && c <= '9';
		int upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
		int space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
		if (!!isdigit(c) != digit || !!isupper(c) != upper || !!islower(c) != lower ||
		    !!isalpha(c) != (upper || lower) || !!isalnum(c) != (upper || lower || digit) ||
		    !!isspace(c) != space || !!isprint(c) != (c >= 32 && c < 127))
			fail_at(__LINE__, "class of %d", c);
	}
	CHECK(isxdigit('f') && isxdigit('F') && !isxdigit('g'));
	CHECK(ispunct('!') && !ispunct('a') && !ispunct(' '));
	CHECK(iscntrl('\n') && iscntrl(127) && !iscntrl('a'));
	CHECK(isblank('\t') && !isblank('\n') && isgraph('a') && !isgraph(' '));
	CHECK(toupper('a') == 'A' && toupper('A') == 'A' && toupper('1') == '1');
	CHECK(tolower('Q') == 'q' && tolower(EOF) == EOF);
}

/* ---- Numbers ---- */

static void strtol_handles_edge_cases(void)
{
	char *end;

	CHECK_INT(strtol("  -123abc", &end, 10), -123);
	CHECK_STR(end, "abc");
	CHECK_INT(strtol("+77", NULL, 10), 77);
	CHECK_INT(strtol("0x1fZ", &end, 0), 31);
	CHECK_STR(end, "Z");
	CHECK_INT(strtol("0755", NULL, 0), 0755);
	CHECK_INT(strtol("1010", NULL, 2), 10);
	CHECK_INT(strtol("zz", NULL, 36), 35 * 36 + 35);
	CHECK_INT(strtol("0x", &end, 16), 0);
	CHECK_STR(end, "x");
	const char *none = "  hello";
	CHECK_INT(strtol(none, &end, 10), 0);
	CHECK(end == none);
	CHECK_INT(strtol("-", &end, 10), 0);
	CHECK_STR(end, "-");
	errno = 0;
	CHECK_INT(strtol("9223372036854775807", NULL, 10), LONG_MAX);
	CHECK_INT(errno, 0);
	CHECK_INT(strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	CHECK_INT(errno, 0);
	CHECK_INT(strtol("9223372036854775808", NULL, 10), LONG_MAX);
	CHECK_INT(errno, ERANGE);
	errno = 0;
	CHECK_INT(strtol("-99999999999999999999999", &end, 10), LONG_MIN);
	CHECK_INT(errno, ERANGE);
	CHECK_STR(end, "");
	errno = 0;
	CHECK_INT(strtol("10", NULL, 1), 0);
	CHECK_INT(errno, EINVAL);
}

static void strtoul_and_friends_convert(void)
{
	errno = 0;
	CHECK(strtoul("18446744073709551615", NULL, 10) == ULONG_MAX && errno == 0);
	CHECK(strtoul("18446744073709551616", NULL, 10) == ULONG_MAX && errno == ERANGE);
	errno = 0;
	CHECK(strtoul("-1", NULL, 10) == ULONG_MAX && errno == 0);
	CHECK(strtoull("0XfFfF", NULL, 16) == 0xffff);
	CHECK_INT(strtoll("-9223372036854775809", NULL, 10), LLONG_MIN);
	CHECK_INT(strtoimax("-42", NULL, 10), -42);
	CHECK(strtoumax("42", NULL, 10) == 42);
	CHECK_INT(atoi(" 12three"), 12);
	CHECK_INT(atol("-400000000000"), -400000000000L);
	CHECK_INT(atoll("123456789012345"), 123456789012345LL);
	CHECK_INT(abs(-5) + labs(-6L) + llabs(-7LL), 18);
	div_t q = div(17, 5);
	CHECK(q.quot == 3 && q.rem == 2);
	ldiv_t lq = ldiv(-17, 5);
	CHECK(lq.quot == -3 && lq.rem == -2);
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_sorted(int *v, size_t n, long long sum)
{
	long long s = 0;

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && v[i - 1] > v[i])
			fail_at(__LINE__, "not sorted at %zu of %zu", i, n);
		s += v[i];
	}
	CHECK_INT(s, sum);
}

static void qsort_sorts_and_bsearch_finds(void)
{
	static int v[3000];
	size_t sizes[] = { 0, 1, 2, 3, 9, 100, 3000 };

	srand(12345);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (int pattern = 0; pattern < 5; pattern++) {
			size_t n = sizes[k];
			long long sum = 0;
			for (size_t i = 0; i < n; i++) {
				int x = pattern == 0 ? rand() % 50 :            /* many duplicates */
					pattern == 1 ? (int)i :                 /* sorted */
					pattern == 2 ? (int)(n - i) :           /* reversed */
					pattern == 3 ? 7 : rand();              /* equal; random */
				v[i] = x;
				sum += x;
			}
			qsort(v, n, sizeof(int), compare_ints);
			check_sorted(v, n, sum);
		}
	}
	for (int i = 0; i < 100; i++)
		v[i] = i * 2;
	int key = 64, missing = 65;
	CHECK(bsearch(&key, v, 100, sizeof(int), compare_ints) == &v[32]);
	CHECK(bsearch(&missing, v, 100, sizeof(int), compare_ints) == NULL);
	CHECK(bsearch(&key, v, 0, sizeof(int), compare_ints) == NULL);
	const char *words[] = { "pear", "apple", "fig", "banana", "cherry" };
	qsort(words, 5, sizeof(words[0]), compare_strings);
	CHECK_STR(words[0], "apple");
	CHECK_STR(words[4], "pear");
}

static void rand_is_repeatable(void)
{
	int a[5];

	srand(7);
	for (int i = 0; i < 5; i++)
		a[i] = rand();
	srand(7);
	for (int i = 0; i < 5; i++) {
		int r = rand();
		CHECK(r == a[i] && r >= 0 && r <= RAND_MAX);
	}
}

/* ---- malloc ---- */

struct block {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

/*
 * Blocks carry a pattern that depends on the byte's index only: every byte
 * of the first 4 KiB, then one byte in 4093 (so big blocks stay cheap to
 * check under an emulator, and the pattern survives realloc shrinking).
 */
static size_t next_sample(size_t i)
{
	return i < 4096 ? i + 1 : (i / 4093 + 1) * 4093;
}

static void check_block(const struct block *b)
{
	for (size_t i = 0; i < b->size; i = next_sample(i)) {
		if (b->p[i] != (unsigned char)(b->tag + i))
			fail_at(__LINE__, "block of %zu bytes corrupted at %zu", b->size, i);
	}
}

static void set_block(struct block *b, size_t size, unsigned char tag)
{
	b->size = size;
	b->tag = tag;
	for (size_t i = 0; i < size; i = next_sample(i))
		b->p[i] = (unsigned char)(tag + i);
}

static void malloc_survives_random_stress(void)
{
	enum { SLOTS = 400, ROUNDS = 20000 };
	static struct block blocks[SLOTS];

	srand(42);
	for (int round = 0; round < ROUNDS; round++) {
		struct block *b = &blocks[rand() % SLOTS];
		size_t size = rand() % 8 == 0 ? (size_t)(rand() % 300000) : (size_t)(rand() % 2000);
		if (b->p != NULL) {
			check_block(b);
			if (rand() % 2) {
				free(b->p);
				b->p = NULL;
				continue;
			}
			unsigned char *q = realloc(b->p, size);
			if (size == 0) {                /* realloc(p, 0) frees p */
				CHECK(q == NULL);
				b->p = NULL;
				continue;
			}
			CHECK(q != NULL);
			b->p = q;
			b->size = b->size < size ? b->size : size;
			check_block(b);
		} else {
			b->p = malloc(size);
			CHECK(b->p != NULL);
		}
		CHECK(((uintptr_t)b->p & 15) == 0);
		set_block(b, size, (unsigned char)round);
		if (round % 1000 == 0)
			CHECK_INT(__malloc_check(), 0);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (blocks[i].p != NULL) {
			check_block(&blocks[i]);
			free(blocks[i].p);
		}
	}
	CHECK_INT(__malloc_check(), 0);
}

static void realloc_grows_and_keeps_contents(void)
{
	struct block b = { NULL, 0, 0 };

	b.p = realloc(NULL, 1);
	CHECK(b.p != NULL);
	set_block(&b, 1, 9);
	for (size_t size = 2; size <= 4 * 1024 * 1024; size = size * 3 / 2 + 1) {
		b.p = realloc(b.p, size);
		CHECK(b.p != NULL);
		check_block(&b);
		set_block(&b, size, (unsigned char)size);
	}
	for (size_t size = b.size; size > 10; size /= 3) {
		b.p = realloc(b.p, size);
		CHECK(b.p != NULL);
		b.size = size;
		check_block(&b);
	}
	CHECK(realloc(b.p, 0) == NULL);         /* frees */
	CHECK_INT(__malloc_check(), 0);
}

static void free_memory_is_reused(void)
{
	void *blocks[100];
	void *q = malloc(1000);
	uintptr_t p = (uintptr_t)q;

	free(q);
	q = malloc(1000);
	CHECK((uintptr_t)q == p);
	free(q);
	for (int i = 0; i < 100; i++)
		blocks[i] = malloc(500);
	for (int i = 0; i < 100; i += 2)
		free(blocks[i]);
	for (int i = 1; i < 100; i += 2)
		free(blocks[i]);
	/* all merged again: a block as big as all of them fits where they were */
	q = malloc(100 * 500);
	CHECK(q != NULL);
	CHECK((uintptr_t)q <= p + 100 * 1024);
	free(q);
	CHECK_INT(__malloc_check(), 0);
}

static void calloc_zeroes_and_checks_overflow(void)
{
	volatile size_t half = SIZE_MAX / 2, huge = SIZE_MAX - 8;
	unsigned char *p = malloc(4000);

	memset(p, 0xEE, 4000);
	free(p);
	p = calloc(1000, 4);
	CHECK(p != NULL);
	for (int i = 0; i < 4000; i++)
		CHECK(p[i] == 0);
	free(p);
	errno = 0;
	CHECK(calloc(half, 4) == NULL);
	CHECK_INT(errno, ENOMEM);
	errno = 0;
	CHECK(malloc(huge) == NULL);
	CHECK_INT(errno, ENOMEM);
	p = malloc(0);
	CHECK(p != NULL);
	free(p);
	free(NULL);
}

static void large_allocations_are_usable(void)
{
	size_t size = 16 * 1024 * 1024;
	char *p = malloc(size);

	CHECK(p != NULL);
	for (size_t i = 0; i < size; i += 4096)
		p[i] = (char)i;
	p[size - 1] = 1;
	for (size_t i = 0; i < size; i += 4096)
		CHECK(p[i] == (char)i);
	free(p);
	char *q = calloc(1, size);
	CHECK(q != NULL && q[12345] == 0 && q[size - 1] == 0);
	free(q);
}

static void double_free_aborts_child(void)
{
	char out[256];
	pid_t pid;
	int p[2], status;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		char *volatile x = malloc(10);  /* volatile: the compiler may not drop it */
		free(x);
		free(x);
		_exit(0);
	}
	close(p[1]);
	read_all(p[0], out, sizeof(out));
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK(strstr(out, "double free") != NULL);
}

static void sbrk_moves_the_break(void)
{
	char *a = sbrk(0), *b;

	CHECK(a != (char *)-1);
	CHECK(sbrk(8192) == a);
	b = sbrk(0);
	CHECK(b == a + 8192);
	memset(a, 1, 8192);
	CHECK(sbrk(-8192) == b);
	CHECK(sbrk(0) == a);
	void *m = malloc(100);          /* malloc copes with someone else's sbrk */
	CHECK(m != NULL);
	free(m);
}

/* ---- Environment ---- */

static void environment_can_be_read_and_changed(void)
{
	int found = 0;

	CHECK(getenv("VMOS_LIBC_TEST_X") == NULL);
	CHECK_INT(setenv("VMOS_LIBC_TEST_X", "one", 1), 0);
	CHECK_STR(getenv("VMOS_LIBC_TEST_X"), "one");
	CHECK_INT(setenv("VMOS_LIBC_TEST_X", "two", 0), 0);
	CHECK_STR(getenv("VMOS_LIBC_TEST_X"), "one");
	CHECK_INT(setenv("VMOS_LIBC_TEST_X", "three", 1), 0);
	CHECK_STR(getenv("VMOS_LIBC_TEST_X"), "three");
	for (char **e = environ; *e != NULL; e++)
		found += strcmp(*e, "VMOS_LIBC_TEST_X=three") == 0;
	CHECK_INT(found, 1);
	CHECK(getenv("VMOS_LIBC_TEST") == NULL);        /* a prefix is not a match */
	CHECK_INT(unsetenv("VMOS_LIBC_TEST_X"), 0);
	CHECK(getenv("VMOS_LIBC_TEST_X") == NULL);
	CHECK_ERR(setenv("", "x", 1), EINVAL);
	CHECK_ERR(setenv("A=B", "x", 1), EINVAL);
	char entry[] = "VMOS_LIBC_TEST_Y=yes";
	CHECK_INT(putenv(entry), 0);
	CHECK_STR(getenv("VMOS_LIBC_TEST_Y"), "yes");
	for (int i = 0; i < 50; i++) {          /* grow the array a lot */
		char name[32];
		snprintf(name, sizeof(name), "VMOS_V%d", i);
		CHECK_INT(setenv(name, name, 1), 0);
	}
	CHECK_STR(getenv("VMOS_V17"), "VMOS_V17");
	CHECK_STR(getenv("VMOS_LIBC_TEST_Y"), "yes");
}

/* ---- Processes ---- */

static void pipe_fork_and_wait_report_exit_status(void)
{
	char buf[8];
	int p[2], status;
	pid_t parent = getpid(), pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (getppid() != parent)
			_exit(3);
		write(p[1], "ping", 4);
		exit(42);
	}
	close(p[1]);
	CHECK(pid != parent);
	CHECK_INT(read_all(p[0], buf, sizeof(buf)), 4);
	CHECK_STR(buf, "ping");
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && !WIFSIGNALED(status));
	CHECK_INT(WEXITSTATUS(status), 42);
	CHECK_ERR(wait(&status), ECHILD);
	CHECK_ERR(waitpid(pid, &status, WNOHANG), ECHILD);
}

static void wait_reports_death_by_signal(void)
{
	int sigs[] = { SIGKILL, SIGTERM, SIGSEGV };

	for (int i = 0; i < 3; i++) {
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			raise(sigs[i]);
			_exit(0);
		}
		CHECK_INT(waitpid(pid, &status, 0), pid);
		CHECK(WIFSIGNALED(status) && !WIFEXITED(status));
		CHECK_INT(WTERMSIG(status), sigs[i]);
	}
	int status;
	pid_t pid = fork();
	if (pid == 0)
		abort();
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

static void exec_child_main(int argc, char **argv)
{
	/* Started by execve_passes_arguments_and_environment. */
	if (argc != 3 || strcmp(argv[2], "two words") != 0)
		_exit(10);
	if (getenv("VMOS_EXEC_TEST") == NULL || strcmp(getenv("VMOS_EXEC_TEST"), "yes") != 0)
		_exit(11);
	if (getenv("VMOS_NOT_PASSED") != NULL)
		_exit(12);
	exit(7);
}

static void execve_passes_arguments_and_environment(void)
{
	char *args[] = { (char *)argv0, "--exec-child", "two words", NULL };
	char *env[] = { "VMOS_EXEC_TEST=yes", "PATH=/bin", NULL };
	int status;
	pid_t pid;

	setenv("VMOS_NOT_PASSED", "1", 1);
	pid = fork();
	if (pid == 0) {
		if (strchr(argv0, '/') != NULL)
			execve(argv0, args, env);
		else
			execle("/test/libc_test", argv0, "--exec-child", "two words", (char *)NULL, env);
		_exit(20);
	}
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 7);
}

static void execvp_reports_missing_programs(void)
{
	char *args[] = { "no-such-program-xyz", NULL };

	CHECK_ERR(execvp("no-such-program-xyz", args), ENOENT);
	setenv("PATH", "/nonexistent:/also/not:", 1);
	CHECK_ERR(execvp("no-such-program-xyz", args), ENOENT);
	CHECK_ERR(execv("/no/such/file", args), ENOENT);
	CHECK_ERR(execl("/no/such/file", "x", (char *)NULL), ENOENT);
	CHECK_ERR(execlp("no-such-program-xyz", "x", "y", (char *)NULL), ENOENT);
}

static void signal_sets_work(void)
{
	sigset_t s;

	CHECK_INT(sigemptyset(&s), 0);
	CHECK_INT(sigismember(&s, SIGINT), 0);
	CHECK_INT(sigaddset(&s, SIGINT), 0);
	CHECK_INT(sigaddset(&s, 64), 0);
	CHECK_INT(sigismember(&s, SIGINT), 1);
	CHECK_INT(sigismember(&s, 64), 1);
	CHECK_INT(sigismember(&s, SIGTERM), 0);
	CHECK_INT(sigdelset(&s, SIGINT), 0);
	CHECK_INT(sigismember(&s, SIGINT), 0);
	CHECK_INT(sigfillset(&s), 0);
	CHECK_INT(sigismember(&s, SIGKILL), 1);
	CHECK_ERR(sigaddset(&s, 0), EINVAL);
	CHECK_ERR(sigaddset(&s, NSIG), EINVAL);
	CHECK_ERR(sigismember(&s, -1), EINVAL);
}

/* ---- Descriptors, files, directories ---- */

static void fcntl_dup_and_cloexec_flags(void)
{
	int p[2], fd;
	char c;

	CHECK(pipe2(p, O_CLOEXEC) == 0);
	CHECK_INT(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CHECK_INT(dup2(p[1], 20), 20);
	CHECK_INT(fcntl(20, F_GETFD), 0);
	CHECK_INT(dup2(20, 20), 20);
	CHECK_INT(dup3(p[1], 21, O_CLOEXEC), 21);
	CHECK_INT(fcntl(21, F_GETFD), FD_CLOEXEC);
	CHECK_INT(fcntl(21, F_SETFD, 0), 0);
	CHECK_INT(fcntl(21, F_GETFD), 0);
	fd = dup(p[0]);
	CHECK(fd > 2 && fd != p[0]);
	CHECK_INT(write(20, "q", 1), 1);
	CHECK_INT(read(fd, &c, 1), 1);
	CHECK_INT(c, 'q');
	CHECK_INT(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_INT(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	CHECK_ERR(close(99), EBADF);
	CHECK_ERR(dup2(p[0], -1), EBADF);
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
}

static void poll_sees_a_readable_pipe(void)
{
	struct pollfd pfd;
	int p[2];

	CHECK(pipe(p) == 0);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	CHECK_INT(poll(&pfd, 1, 0), 0);
	CHECK_INT(write(p[1], "x", 1), 1);
	CHECK_INT(poll(&pfd, 1, 1000), 1);
	CHECK(pfd.revents & POLLIN);
	close(p[1]);
	char c;
	CHECK_INT(read(p[0], &c, 1), 1);
	CHECK_INT(poll(&pfd, 1, 1000), 1);
	CHECK(pfd.revents & POLLHUP);
}

static void readv_and_writev_gather_pieces(void)
{
	char a[4], b[8];
	struct iovec out[2] = { { "abc", 3 }, { "defgh", 5 } };
	struct iovec in[2] = { { a, 3 }, { b, 5 } };
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK_INT(writev(p[1], out, 2), 8);
	CHECK_INT(readv(p[0], in, 2), 8);
	CHECK(memcmp(a, "abc", 3) == 0 && memcmp(b, "defgh", 5) == 0);
}

static void isatty_is_false_for_pipes(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	errno = 0;
	CHECK_INT(isatty(p[0]), 0);
	CHECK_INT(errno, ENOTTY);
	errno = 0;
	CHECK_INT(isatty(-1), 0);
	CHECK_INT(errno, EBADF);
}

static void socketpair_passes_a_descriptor(void)
{
	int sv[2], p[2], got_fd = -1;
	char data = 'x', buf[8];
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { &data, 1 };
	struct msghdr msg = { 0 };
	struct cmsghdr *c;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(pipe(p) == 0);
	memset(&control, 0, sizeof(control));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.space;
	msg.msg_controllen = sizeof(control.space);
	c = CMSG_FIRSTHDR(&msg);
	CHECK(c != NULL);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	CHECK(CMSG_NXTHDR(&msg, c) == NULL);
	CHECK_INT(sendmsg(sv[0], &msg, 0), 1);
	close(p[0]);

	data = 0;
	memset(&control, 0, sizeof(control));
	msg.msg_controllen = sizeof(control.space);
	CHECK_INT(recvmsg(sv[1], &msg, 0), 1);
	CHECK_INT(data, 'x');
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&got_fd, CMSG_DATA(c), sizeof(int));
	}
	CHECK(got_fd >= 0);
	CHECK_INT(write(p[1], "via", 3), 3);
	close(p[1]);
	CHECK_INT(read_all(got_fd, buf, sizeof(buf)), 3);
	CHECK_STR(buf, "via");
	CHECK_INT(send(sv[1], "ab", 2, 0), 2);
	CHECK_INT(recv(sv[0], buf, sizeof(buf), 0), 2);
	CHECK_INT(shutdown(sv[0], SHUT_WR), 0);
	CHECK_INT(recv(sv[1], buf, sizeof(buf), 0), 0);
}

static void opendir_lists_bin(void)
{
	DIR *d = opendir("/bin");
	struct dirent *e;
	int entries = 0;

	CHECK(d != NULL);
	CHECK(dirfd(d) >= 0);
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		CHECK(e->d_name[0] != '\0');
		CHECK(strlen(e->d_name) < sizeof(e->d_name));
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			entries++;
	}
	CHECK_INT(errno, 0);
	CHECK(entries > 0);
	rewinddir(d);
	CHECK(readdir(d) != NULL);
	CHECK_INT(closedir(d), 0);
	errno = 0;
	CHECK(opendir("/no/such/dir") == NULL);
	CHECK_INT(errno, ENOENT);
}

static void stat_getcwd_and_chdir_agree(void)
{
	struct stat st;
	char buf[PATH_MAX], *cwd;

	CHECK_INT(stat("/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_INT(stat("/bin", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(stat("/no/such/file", &st), ENOENT);
	CHECK_INT(chdir("/"), 0);
	CHECK_STR(getcwd(buf, sizeof(buf)), "/");
	cwd = getcwd(NULL, 0);
	CHECK_STR(cwd, "/");
	free(cwd);
	CHECK_INT(chdir("/bin"), 0);
	cwd = getcwd(buf, sizeof(buf));         /* "/usr/bin" where /bin is a symlink */
	CHECK(cwd != NULL && strlen(cwd) >= 4 && strcmp(cwd + strlen(cwd) - 4, "/bin") == 0);
	CHECK(getcwd(buf, 2) == NULL && errno == ERANGE);
	CHECK_ERR(chdir("/no/such/dir"), ENOENT);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK_INT(fstat(p[0], &st), 0);
	CHECK(!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode));
	CHECK_ERR(fstat(-1, &st), EBADF);
	CHECK_INT(sizeof(struct stat), 144);
}

static void mmap_gives_anonymous_memory(void)
{
	size_t len = 3 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(((uintptr_t)p & 4095) == 0);
	CHECK(p[0] == 0 && p[len - 1] == 0);
	memset(p, 'm', len);
	CHECK_INT(mprotect(p, 4096, PROT_READ), 0);
	CHECK(p[10] == 'm');
	CHECK_INT(munmap(p, len), 0);
	errno = 0;
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0) == MAP_FAILED);
	CHECK_INT(errno, EBADF);
	CHECK_INT(getpagesize(), 4096);
	CHECK_INT(sysconf(_SC_PAGESIZE), 4096);
}

static void clocks_and_sleep_measure_time(void)
{
	struct timespec t1, t2, bad = { 0, 2000000000L };
	struct timeval tv;
	time_t t;
	long long elapsed;

	CHECK_INT(clock_gettime(CLOCK_MONOTONIC, &t1), 0);
	CHECK_INT(usleep(20000), 0);
	CHECK_INT(clock_gettime(CLOCK_MONOTONIC, &t2), 0);
	elapsed = (t2.tv_sec - t1.tv_sec) * 1000000000LL + (t2.tv_nsec - t1.tv_nsec);
	CHECK(elapsed >= 20000000LL);
	CHECK(elapsed < 5000000000LL);
	CHECK(t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000L);
	CHECK_ERR(nanosleep(&bad, NULL), EINVAL);
	CHECK_INT(sleep(0), 0);
	CHECK(time(&t) == t && t >= 0);
	CHECK_INT(gettimeofday(&tv, NULL), 0);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK_INT(sched_yield(), 0);
}

static void identities_are_consistent(void)
{
	CHECK(getpid() > 0 && getppid() >= 0);
	CHECK(getuid() == geteuid() && getgid() == getegid());
	mode_t old = umask(022);
	CHECK_INT(umask(old), 022);
}

/* ---- Odds and ends ---- */

static void setjmp_and_longjmp_return_twice(void)
{
	static jmp_buf env;
	static volatile int calls;
	int r;

	calls = 0;
	r = setjmp(env);
	calls++;
	if (r == 0)
		longjmp(env, 5);
	CHECK_INT(r, 5);
	CHECK_INT(calls, 2);
	r = setjmp(env);
	if (r == 0)
		longjmp(env, 0);
	CHECK_INT(r, 1);        /* longjmp(env, 0) makes setjmp return 1 */
}

static void getopt_parses_options(void)
{
	char *args[] = { "prog", "-ab", "-o", "out", "-vfile", "--", "-x", NULL };
	int argc = 7, c;
	char seen[16] = "";
	const char *o = NULL, *v = NULL;

	optind = 0;
	opterr = 0;
	while ((c = getopt(argc, args, "abo:v:")) != -1) {
		size_t len = strlen(seen);
		seen[len] = (char)c;
		seen[len + 1] = '\0';
		if (c == 'o')
			o = optarg;
		if (c == 'v')
			v = optarg;
	}
	CHECK_STR(seen, "abov");
	CHECK_STR(o, "out");
	CHECK_STR(v, "file");
	CHECK_INT(optind, 6);
	CHECK_STR(args[optind], "-x");
	char *bad[] = { "prog", "-q", "-o", NULL };
	optind = 0;
	CHECK_INT(getopt(3, bad, "o:"), '?');
	CHECK_INT(optopt, 'q');
	CHECK_INT(getopt(3, bad, "o:"), '?');
	CHECK_INT(optopt, 'o');
	optind = 0;
	CHECK_INT(getopt(3, bad, ":o:"), '?');
	CHECK_INT(getopt(3, bad, ":o:"), ':');
}

static void basename_and_dirname_split_paths(void)
{
	const char *cases[][3] = {
		{ "/usr/lib", "/usr", "lib" }, { "/usr/", "/", "usr" }, { "usr", ".", "usr" },
		{ "/", "/", "/" }, { "", ".", "." }, { "a//b//", "a", "b" }, { "//x", "/", "x" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char a[32], b[32];
		strcpy(a, cases[i][0]);
		strcpy(b, cases[i][0]);
		CHECK_STR(dirname(a), cases[i][1]);
		CHECK_STR(basename(b), cases[i][2]);
	}
	CHECK_STR(dirname(NULL), ".");
}

static void atomics_update_shared_memory(void)
{
	atomic_int *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int expected = 0;
	atomic_flag flag = ATOMIC_FLAG_INIT;

	CHECK(counter != MAP_FAILED);
	atomic_init(counter, 0);
	pid_t pid = fork();
	for (int i = 0; i < 1000; i++)
		atomic_fetch_add(counter, 1);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	CHECK_INT(atomic_load(counter), 2000);
	CHECK(!atomic_compare_exchange_strong(counter, &expected, 5));
	CHECK_INT(expected, 2000);
	CHECK(atomic_compare_exchange_strong(counter, &expected, 5));
	CHECK_INT(atomic_exchange(counter, 9), 5);
	CHECK(!atomic_flag_test_and_set(&flag));
	CHECK(atomic_flag_test_and_set(&flag));
	atomic_flag_clear(&flag);
	CHECK(!atomic_flag_test_and_set(&flag));
	munmap(counter, 4096);
}

static int constructed;
__attribute__((constructor)) static void construct(void)
{
	constructed = 42;
}

static void constructors_run_before_main(void)
{
	CHECK_INT(constructed, 42);
}

static void assert_failure_aborts_with_message(void)
{
	char out[256];
	int p[2], status;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		volatile int one = 1;
		dup2(p[1], 2);
		assert(one == 2);
		_exit(0);
	}
	close(p[1]);
	read_all(p[0], out, sizeof(out));
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	CHECK(strstr(out, "Assertion `one == 2' failed") != NULL);
}

/* ---- The runner ---- */

struct test {
	const char *name;
	void (*fn)(void);
};

/* testlib.h's macro: this program also builds on Linux, without testlib. */
#define TEST_CASE(fn) { #fn, fn }
static const struct test tests[] = {
	TEST_CASE(printf_formats_integers),
	TEST_CASE(printf_formats_strings_and_pointers),
	TEST_CASE(printf_formats_floats_roughly),
	TEST_CASE(snprintf_truncates_and_returns_full_length),
	TEST_CASE(asprintf_allocates_exact_string),
	TEST_CASE(dprintf_and_fprintf_write_to_pipes),
	TEST_CASE(stdout_flushes_at_newline_and_exit),
	TEST_CASE(stderr_is_unbuffered),
	TEST_CASE(perror_prints_message),
	TEST_CASE(fgets_getline_and_ungetc_read_lines),
	TEST_CASE(fread_and_fwrite_move_large_blocks),
	TEST_CASE(fopen_reports_errors),
	TEST_CASE(string_functions_follow_the_standard),
	TEST_CASE(memory_functions_handle_all_sizes_and_overlaps),
	TEST_CASE(strtok_splits_fields),
	TEST_CASE(strerror_and_strsignal_name_things),
	TEST_CASE(sig2str_and_str2sig_round_trip),
	TEST_CASE(ctype_classifies_ascii),
	TEST_CASE(strtol_handles_edge_cases),
	TEST_CASE(strtoul_and_friends_convert),
	TEST_CASE(qsort_sorts_and_bsearch_finds),
	TEST_CASE(rand_is_repeatable),
	TEST_CASE(malloc_survives_random_stress),
	TEST_CASE(realloc_grows_and_keeps_contents),
	TEST_CASE(free_memory_is_reused),
	TEST_CASE(calloc_zeroes_and_checks_overflow),
	TEST_CASE(large_allocations_are_usable),
	TEST_CASE(double_free_aborts_child),
	TEST_CASE(sbrk_moves_the_break),
	TEST_CASE(environment_can_be_read_and_changed),
	TEST_CASE(pipe_fork_and_wait_report_exit_status),
	TEST_CASE(wait_reports_death_by_signal),
	TEST_CASE(execve_passes_arguments_and_environment),
	TEST_CASE(execvp_reports_missing_programs),
	TEST_CASE(signal_sets_work),
	TEST_CASE(fcntl_dup_and_cloexec_flags),
	TEST_CASE(poll_sees_a_readable_pipe),
	TEST_CASE(readv_and_writev_gather_pieces),
	TEST_CASE(isatty_is_false_for_pipes),
	TEST_CASE(socketpair_passes_a_descriptor),
	TEST_CASE(opendir_lists_bin),
	TEST_CASE(stat_getcwd_and_chdir_agree),
	TEST_CASE(mmap_gives_anonymous_memory),
	TEST_CASE(clocks_and_sleep_measure_time),
	TEST_CASE(identities_are_consistent),
	TEST_CASE(setjmp_and_longjmp_return_twice),
	TEST_CASE(getopt_parses_options),
	TEST_CASE(basename_and_dirname_split_paths),
	TEST_CASE(atomics_update_shared_memory),
	TEST_CASE(constructors_run_before_main),
	TEST_CASE(assert_failure_aborts_with_message),
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

/* Run one case in a child; returns 1 if it passed. */
static int run_test(const struct test *t)
{
	char reason[600] = "";
	int p[2], status;
	pid_t pid;

	if (pipe(p) < 0) {
		printf("TEST-FAIL libc.%s: pipe: %s\n", t->name, strerror(errno));
		return 0;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("TEST-FAIL libc.%s: fork: %s\n", t->name, strerror(errno));
		return 0;
	}
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		t->fn();
		_exit(0);
	}
	close(p[1]);
	read_all(p[0], reason, sizeof(reason));
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && reason[0] == '\0') {
		printf("TEST-PASS libc.%s\n", t->name);
		return 1;
	}
	if (reason[0] == '\0') {
		if (WIFSIGNALED(status))
			snprintf(reason, sizeof(reason), "killed by signal %d (%s)",
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			snprintf(reason, sizeof(reason), "exit status %d", WEXITSTATUS(status));
	}
	printf("TEST-FAIL libc.%s: %s\n", t->name, reason);
	return 0;
}

static int selected(const struct test *t, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], t->name) == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	argv0 = argv[0];
	if (argc >= 2 && strcmp(argv[1], "--exec-child") == 0)
		exec_child_main(argc, argv);
	for (size_t i = 0; i < NTESTS; i++) {
		if (!selected(&tests[i], argc, argv))
			continue;
		if (run_test(&tests[i]))
			passed++;
		else
			failed++;
	}
	printf("TEST-DONE libc passed=%d failed=%d\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
