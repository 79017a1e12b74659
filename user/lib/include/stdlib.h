/* stdlib.h - memory, numbers from strings, sorting, environment, exiting. */
#ifndef _STDLIB_H
#define _STDLIB_H

#ifndef NULL
#define NULL ((void *)0)
#endif

typedef __SIZE_TYPE__  size_t;
typedef __WCHAR_TYPE__ wchar_t;
typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
typedef struct { long long quot, rem; } lldiv_t;

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     0x7fffffff
#define MB_CUR_MAX   1

/* Memory. */
void  *malloc(size_t size) __attribute__((malloc));
void  *calloc(size_t n, size_t size) __attribute__((malloc));
void  *realloc(void *p, size_t size);
void   free(void *p);

/* Numbers from strings. */
long               strtol(const char *s, char **end, int base);
unsigned long      strtoul(const char *s, char **end, int base);
long long          strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
int                atoi(const char *s);
long               atol(const char *s);
long long          atoll(const char *s);

/* Arithmetic. */
int       abs(int x);
long      labs(long x);
long long llabs(long long x);
div_t     div(int num, int den);
ldiv_t    ldiv(long num, long den);
lldiv_t   lldiv(long long num, long long den);
int       rand(void);
void      srand(unsigned int seed);

/* Sorting and searching. */
void   qsort(void *base, size_t n, size_t size,
	     int (*cmp)(const void *, const void *));
void  *bsearch(const void *key, const void *base, size_t n, size_t size,
	       int (*cmp)(const void *, const void *));

/* Environment. */
char  *getenv(const char *name);
int    setenv(const char *name, const char *value, int overwrite);
int    unsetenv(const char *name);
int    putenv(char *string);

/* Processes. */
void   exit(int status) __attribute__((noreturn));
void   _Exit(int status) __attribute__((noreturn));
void   abort(void) __attribute__((noreturn));
int    atexit(void (*fn)(void));
int    system(const char *command);

#endif /* _STDLIB_H */
