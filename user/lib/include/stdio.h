/*
 * stdio.h - buffered streams and formatted output.
 *
 * stdout is buffered and flushed at every newline, when full, before the
 * program reads stdin, and at exit().  stderr is unbuffered.  Streams from
 * fopen()/fdopen() are fully buffered.  There is no locking: vmos
 * processes have one thread.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include "uapi/fcntl.h"         /* SEEK_SET, SEEK_CUR, SEEK_END */

#ifndef NULL
#define NULL ((void *)0)
#endif

typedef __SIZE_TYPE__  size_t;
typedef __INT64_TYPE__ ssize_t;
typedef __INT64_TYPE__ off_t;
typedef struct __FILE FILE;
typedef off_t fpos_t;

#define EOF     (-1)
#define BUFSIZ  4096
#define _IOFBF  0               /* fully buffered */
#define _IOLBF  1               /* line buffered */
#define _IONBF  2               /* unbuffered */
#define FOPEN_MAX    64
#define FILENAME_MAX 4096

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin  stdin
#define stdout stdout
#define stderr stderr

#define __printf_like(f, a) __attribute__((format(printf, f, a)))

/* Opening and closing. */
FILE   *fopen(const char *path, const char *mode);
FILE   *fdopen(int fd, const char *mode);
int     fclose(FILE *f);
int     fileno(FILE *f);
int     setvbuf(FILE *f, char *buf, int mode, size_t size);
void    setbuf(FILE *f, char *buf);
int     fflush(FILE *f);

/* Characters and lines. */
int     fgetc(FILE *f);
int     getc(FILE *f);
int     getchar(void);
int     ungetc(int c, FILE *f);
char   *fgets(char *s, int size, FILE *f);
ssize_t getline(char **line, size_t *cap, FILE *f);
ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f);
int     fputc(int c, FILE *f);
int     putc(int c, FILE *f);
int     putchar(int c);
int     fputs(const char *s, FILE *f);
int     puts(const char *s);

/* Blocks. */
size_t  fread(void *buf, size_t size, size_t n, FILE *f);
size_t  fwrite(const void *buf, size_t size, size_t n, FILE *f);

/* Position and state. */
int     fseek(FILE *f, long offset, int whence);
long    ftell(FILE *f);
void    rewind(FILE *f);
int     feof(FILE *f);
int     ferror(FILE *f);
void    clearerr(FILE *f);

/* Formatted output (no scanf family). */
int     printf(const char *fmt, ...) __printf_like(1, 2);
int     fprintf(FILE *f, const char *fmt, ...) __printf_like(2, 3);
int     dprintf(int fd, const char *fmt, ...) __printf_like(2, 3);
int     sprintf(char *buf, const char *fmt, ...) __printf_like(2, 3);
int     snprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);
int     asprintf(char **out, const char *fmt, ...) __printf_like(2, 3);
int     vprintf(const char *fmt, va_list ap) __printf_like(1, 0);
int     vfprintf(FILE *f, const char *fmt, va_list ap) __printf_like(2, 0);
int     vdprintf(int fd, const char *fmt, va_list ap) __printf_like(2, 0);
int     vsprintf(char *buf, const char *fmt, va_list ap) __printf_like(2, 0);
int     vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf_like(3, 0);
int     vasprintf(char **out, const char *fmt, va_list ap) __printf_like(2, 0);

/* Errors and files. */
void    perror(const char *s);
int     remove(const char *path);
int     rename(const char *from, const char *to);

#endif /* _STDIO_H */
