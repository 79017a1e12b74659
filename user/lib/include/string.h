/* string.h - byte arrays (mem*) and NUL-terminated strings (str*). */
#ifndef _STRING_H
#define _STRING_H

#ifndef NULL
#define NULL ((void *)0)
#endif

typedef __SIZE_TYPE__ size_t;

void   *memcpy(void *restrict dst, const void *restrict src, size_t n);
void   *memmove(void *dst, const void *src, size_t n);
void   *memset(void *dst, int c, size_t n);
int     memcmp(const void *a, const void *b, size_t n);
void   *memchr(const void *s, int c, size_t n);

size_t  strlen(const char *s);
size_t  strnlen(const char *s, size_t max);
int     strcmp(const char *a, const char *b);
int     strncmp(const char *a, const char *b, size_t n);
int     strcoll(const char *a, const char *b);
char   *strcpy(char *restrict dst, const char *restrict src);
char   *strncpy(char *restrict dst, const char *restrict src, size_t n);
char   *stpcpy(char *restrict dst, const char *restrict src);
char   *strcat(char *restrict dst, const char *restrict src);
char   *strncat(char *restrict dst, const char *restrict src, size_t n);
char   *strchr(const char *s, int c);
char   *strrchr(const char *s, int c);
char   *strstr(const char *haystack, const char *needle);
char   *strdup(const char *s) __attribute__((malloc));
char   *strndup(const char *s, size_t n) __attribute__((malloc));
char   *strtok(char *restrict s, const char *restrict delim);
char   *strtok_r(char *restrict s, const char *restrict delim, char **restrict save);
size_t  strspn(const char *s, const char *accept);
size_t  strcspn(const char *s, const char *reject);
char   *strpbrk(const char *s, const char *accept);

char   *strerror(int errnum);
char   *strsignal(int sig);
const char *strerrorname_np(int errnum);        /* "EPERM"; NULL if none (glibc) */

#endif /* _STRING_H */
