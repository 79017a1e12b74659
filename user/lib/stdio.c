/*
 * stdio.c - buffered streams (FILE) over file descriptors.
 *
 * A stream is a descriptor plus a buffer.  At any moment the buffer holds
 * either input read ahead (buf[rpos..rend) not yet consumed) or output not
 * yet written (buf[0..wlen)), never both: switching direction first
 * writes pending output, or gives back read-ahead input by seeking the
 * descriptor back over it (which fails harmlessly on pipes).
 *
 * When output leaves the buffer (the buffering mode):
 *   _IOFBF  when the buffer is full            (fopen'd files)
 *   _IOLBF  also after every newline           (stdout)
 *   _IONBF  at once                            (stderr)
 * and always on fflush(), fclose() and exit().  Before stdin is read,
 * stdout is flushed so a prompt shows up.  An unbuffered stream uses a
 * one-byte buffer inside the FILE, so the code has no special cases.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	F_READ    = 1 << 0,     /* opened for reading */
	F_WRITE   = 1 << 1,     /* opened for writing */
	F_EOF     = 1 << 2,     /* end of file seen (feof) */
	F_ERR     = 1 << 3,     /* an error happened (ferror) */
	F_FREEBUF = 1 << 4,     /* buf came from malloc */
	F_STATIC  = 1 << 5,     /* the FILE itself is static (stdin/out/err) */
};

struct __FILE {
	int fd;
	int flags;              /* F_* */
	int bufmode;            /* _IOFBF, _IOLBF, _IONBF */
	unsigned char *buf;
	size_t bufsize;
	size_t rpos, rend;      /* reading: unread input is buf[rpos..rend) */
	size_t wlen;            /* writing: pending output is buf[0..wlen) */
	int ungot;              /* character pushed back by ungetc(), or EOF */
	unsigned char tiny;     /* the buffer of an unbuffered stream */
	FILE *next;             /* list of all open streams */
};

static unsigned char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];

static FILE stderr_file = {
	.fd = 2, .flags = F_WRITE | F_STATIC, .bufmode = _IONBF,
	.buf = &stderr_file.tiny, .bufsize = 1, .ungot = EOF, .next = NULL,
};
static FILE stdout_file = {
	.fd = 1, .flags = F_WRITE | F_STATIC, .bufmode = _IOLBF,
	.buf = stdout_buf, .bufsize = BUFSIZ, .ungot = EOF, .next = &stderr_file,
};
static FILE stdin_file = {
	.fd = 0, .flags = F_READ | F_STATIC, .bufmode = _IOFBF,
	.buf = stdin_buf, .bufsize = BUFSIZ, .ungot = EOF, .next = &stdout_file,
};

FILE *stdin = &stdin_file;
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

static FILE *all_streams = &stdin_file;

/* ---- Moving bytes ---- */

/* Write all n bytes (retrying short writes); -1 and F_ERR on failure. */
static int write_all(FILE *f, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(f->fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			f->flags |= F_ERR;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int flush_output(FILE *f)
{
	size_t n = f->wlen;

	f->wlen = 0;
	return n > 0 ? write_all(f, f->buf, n) : 0;
}

/* Bytes read ahead but not yet consumed (including an ungetc'd one). */
static size_t unread_count(const FILE *f)
{
	return f->rend - f->rpos + (f->ungot != EOF);
}

/*
 * Give back read-ahead input: move the descriptor back to where the reader
 * is, then forget the buffer.  On a pipe or terminal the seek fails and
 * the input stays buffered (it cannot be pushed back into the pipe).
 */
static int give_back_input(FILE *f)
{
	size_t unread = unread_count(f);

	if (unread > 0 && lseek(f->fd, -(off_t)unread, SEEK_CUR) < 0)
		return -1;
	f->rpos = f->rend = 0;
	f->ungot = EOF;
	return 0;
}

static int start_reading(FILE *f)
{
	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	if (flush_output(f) < 0)
		return -1;
	if (f == stdin)
		fflush(stdout);                 /* show the prompt first */
	return 0;
}

static int start_writing(FILE *f)
{
	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	give_back_input(f);
	f->rpos = f->rend = 0;          /* switching direction: input is gone */
	f->ungot = EOF;
	return 0;
}

/* Read the next buffer full; EOF at end of file or on error. */
static int refill(FILE *f)
{
	ssize_t n;

	if (start_reading(f) < 0)
		return EOF;
	do {
		n = read(f->fd, f->buf, f->bufsize);
	} while (n < 0 && errno == EINTR);
	f->rpos = 0;
	f->rend = n > 0 ? (size_t)n : 0;
	if (n <= 0) {
		f->flags |= n == 0 ? F_EOF : F_ERR;
		return EOF;
	}
	return 0;
}

/* ---- Opening and closing ---- */

/* Parse an fopen mode ("r", "w+", "ab", "re", ...) into open() flags. */
static int mode_flags(const char *mode, int *oflags, int *fflags)
{
	int plus = strchr(mode, '+') != NULL;

	switch (mode[0]) {
	case 'r': *oflags = plus ? O_RDWR : O_RDONLY; break;
	case 'w': *oflags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC; break;
	case 'a': *oflags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND; break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (strchr(mode, 'x') != NULL)
		*oflags |= O_EXCL;
	if (strchr(mode, 'e') != NULL)
		*oflags |= O_CLOEXEC;
	*fflags = plus ? F_READ | F_WRITE : mode[0] == 'r' ? F_READ : F_WRITE;
	return 0;
}

static FILE *new_stream(int fd, int fflags)
{
	FILE *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->fd = fd;
	f->flags = fflags;
	f->ungot = EOF;
	f->bufmode = _IOFBF;
	f->buf = malloc(BUFSIZ);
	f->bufsize = BUFSIZ;
	if (f->buf != NULL) {
		f->flags |= F_FREEBUF;
	} else {                                /* no memory: run unbuffered */
		f->buf = &f->tiny;
		f->bufsize = 1;
		f->bufmode = _IONBF;
	}
	f->next = all_streams;
	all_streams = f;
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int oflags, fflags, fd;
	FILE *f;

	if (mode_flags(mode, &oflags, &fflags) < 0)
		return NULL;
	fd = open(path, oflags, 0666);
	if (fd < 0)
		return NULL;
	f = new_stream(fd, fflags);
	if (f == NULL)
		close(fd);
	return f;
}

FILE *fdopen(int fd, const char *mode)
{
	int oflags, fflags;

	if (mode_flags(mode, &oflags, &fflags) < 0)
		return NULL;
	if (fcntl(fd, F_GETFL) < 0)             /* EBADF for a closed fd */
		return NULL;
	return new_stream(fd, fflags);
}

static void unlink_stream(FILE *f)
{
	for (FILE **p = &all_streams; *p != NULL; p = &(*p)->next) {
		if (*p == f) {
			*p = f->next;
			return;
		}
	}
}

int fclose(FILE *f)
{
	int ret = fflush(f);

	if (close(f->fd) < 0)
		ret = EOF;
	unlink_stream(f);
	if (f->flags & F_FREEBUF)
		free(f->buf);
	if (!(f->flags & F_STATIC))
		free(f);
	return ret;
}

int fileno(FILE *f)
{
	return f->fd;
}

/* Choose the buffering of a stream; call before any I/O on it. */
int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
		errno = EINVAL;
		return -1;
	}
	fflush(f);
	f->bufmode = mode;
	if (mode == _IONBF || (buf != NULL && size > 0)) {
		if (f->flags & F_FREEBUF)
			free(f->buf);
		f->flags &= ~F_FREEBUF;
		f->buf = mode == _IONBF ? &f->tiny : (unsigned char *)buf;
		f->bufsize = mode == _IONBF ? 1 : size;
	}
	return 0;
}

void setbuf(FILE *f, char *buf)
{
	if (buf != NULL)
		setvbuf(f, buf, _IOFBF, BUFSIZ);
	else
		setvbuf(f, NULL, _IONBF, 0);
}

/*
 * Write out pending output.  fflush(NULL) does so for every stream;
 * fflush(f) on a stream being read also gives back its read-ahead input
 * where the descriptor can seek.
 */
int fflush(FILE *f)
{
	int ret = 0;

	if (f == NULL) {
		for (FILE *s = all_streams; s != NULL; s = s->next) {
			if (flush_output(s) < 0)
				ret = EOF;
		}
		return ret;
	}
	if (flush_output(f) < 0)
		return EOF;
	give_back_input(f);
	return 0;
}

/* ---- Reading ---- */

int fgetc(FILE *f)
{
	int c;

	if (f->ungot != EOF) {
		c = f->ungot;
		f->ungot = EOF;
		return c;
	}
	if (f->flags & F_EOF)
		return EOF;                     /* end of file is sticky */
	if (f->rpos == f->rend && refill(f) == EOF)
		return EOF;
	return f->buf[f->rpos++];
}

int getc(FILE *f)
{
	return fgetc(f);
}

int getchar(void)
{
	return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
	if (c == EOF || f->ungot != EOF)
		return EOF;                     /* one character of push-back */
	f->ungot = (unsigned char)c;
	f->flags &= ~F_EOF;
	return (unsigned char)c;
}

char *fgets(char *s, int size, FILE *f)
{
	int i = 0, c = 0;

	if (size <= 0)
		return NULL;
	while (i < size - 1 && c != '\n') {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
	}
	s[i] = '\0';
	return i == 0 && size > 1 ? NULL : s;
}

/* Read up to and including delim into *line, growing it with realloc. */
ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
	size_t len = 0;
	int c = 0;

	if (line == NULL || cap == NULL) {
		errno = EINVAL;
		return -1;
	}
	while (c != delim && (c = fgetc(f)) != EOF) {
		if (len + 2 > *cap || *line == NULL) {
			size_t ncap = *cap < 64 ? 128 : *cap * 2;
			char *grown = realloc(*line, ncap);
			if (grown == NULL)
				return -1;
			*line = grown;
			*cap = ncap;
		}
		(*line)[len++] = (char)c;
	}
	if (len == 0)
		return -1;                      /* end of file, nothing read */
	(*line)[len] = '\0';
	return (ssize_t)len;
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
	return getdelim(line, cap, '\n', f);
}

size_t fread(void *ptr, size_t size, size_t n, FILE *f)
{
	unsigned char *p = ptr;
	size_t want, got = 0;

	if (size == 0 || n == 0)
		return 0;
	want = n > SIZE_MAX / size ? SIZE_MAX : size * n;
	if (start_reading(f) < 0)
		return 0;
	if (f->ungot != EOF)
		p[got++] = (unsigned char)fgetc(f);
	while (got < want) {
		size_t avail = f->rend - f->rpos;
		if (avail == 0 && want - got >= f->bufsize && !(f->flags & F_EOF)) {
			ssize_t k = read(f->fd, p + got, want - got);   /* big: no copy */
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0) {
				f->flags |= k == 0 ? F_EOF : F_ERR;
				break;
			}
			got += (size_t)k;
			continue;
		}
		if (avail == 0) {
			if ((f->flags & F_EOF) || refill(f) == EOF)
				break;
			avail = f->rend - f->rpos;
		}
		if (avail > want - got)
			avail = want - got;
		memcpy(p + got, f->buf + f->rpos, avail);
		f->rpos += avail;
		got += avail;
	}
	return got / size;
}

/* ---- Writing ---- */

size_t fwrite(const void *ptr, size_t size, size_t n, FILE *f)
{
	size_t total;
	int flush;

	if (size == 0 || n == 0)
		return 0;
	if (n > SIZE_MAX / size) {
		errno = EOVERFLOW;
		return 0;
	}
	total = size * n;
	if (start_writing(f) < 0)
		return 0;
	if (total > f->bufsize - f->wlen) {     /* does not fit: make room */
		if (flush_output(f) < 0)
			return 0;
		if (total >= f->bufsize)        /* bigger than the buffer: direct */
			return write_all(f, ptr, total) < 0 ? 0 : n;
	}
	memcpy(f->buf + f->wlen, ptr, total);
	f->wlen += total;
	flush = f->bufmode == _IONBF || f->wlen == f->bufsize ||
		(f->bufmode == _IOLBF && memchr(ptr, '\n', total) != NULL);
	if (flush && flush_output(f) < 0)
		return 0;
	return n;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	size_t len = strlen(s);

	return len == 0 || fwrite(s, 1, len, f) == len ? 0 : EOF;
}

int puts(const char *s)
{
	if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
		return EOF;
	return 0;
}

/* ---- Position and state ---- */

int fseek(FILE *f, long offset, int whence)
{
	if (flush_output(f) < 0)
		return -1;
	if (whence == SEEK_CUR)
		offset -= (long)unread_count(f);
	f->rpos = f->rend = 0;
	f->ungot = EOF;
	if (lseek(f->fd, offset, whence) < 0)
		return -1;
	f->flags &= ~F_EOF;
	return 0;
}

long ftell(FILE *f)
{
	off_t pos = lseek(f->fd, 0, SEEK_CUR);

	if (pos < 0)
		return -1;
	return pos - (off_t)unread_count(f) + (off_t)f->wlen;
}

void rewind(FILE *f)
{
	fseek(f, 0, SEEK_SET);
	f->flags &= ~F_ERR;
}

int feof(FILE *f)
{
	return (f->flags & F_EOF) != 0;
}

int ferror(FILE *f)
{
	return (f->flags & F_ERR) != 0;
}

void clearerr(FILE *f)
{
	f->flags &= ~(F_EOF | F_ERR);
}

void perror(const char *s)
{
	const char *msg = strerror(errno);

	if (s != NULL && *s != '\0')
		fprintf(stderr, "%s: %s\n", s, msg);
	else
		fprintf(stderr, "%s\n", msg);
}
