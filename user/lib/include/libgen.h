/* libgen.h - basename() and dirname() (POSIX versions: may modify the argument). */
#ifndef _LIBGEN_H
#define _LIBGEN_H

char *basename(char *path);
char *dirname(char *path);

#endif /* _LIBGEN_H */
