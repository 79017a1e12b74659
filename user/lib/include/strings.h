/* strings.h - case-insensitive comparison and the old BSD byte functions. */
#ifndef _STRINGS_H
#define _STRINGS_H

typedef __SIZE_TYPE__ size_t;

int  strcasecmp(const char *a, const char *b);
int  strncasecmp(const char *a, const char *b, size_t n);
void bzero(void *s, size_t n);
int  bcmp(const void *a, const void *b, size_t n);
int  ffs(int x);

#endif /* _STRINGS_H */
