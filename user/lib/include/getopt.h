/* getopt.h - getopt() (declared in unistd.h; this header is for old programs). */
#ifndef _GETOPT_H
#define _GETOPT_H

#include <unistd.h>

#endif /* _GETOPT_H */
