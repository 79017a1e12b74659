/*
 * exec.h - replace a process's program with a static ELF64 executable from
 * the boot file system.
 */
#ifndef KERN_EXEC_H
#define KERN_EXEC_H

struct proc;

#include "uapi/limits.h"         /* ARG_MAX: bytes of argv + envp strings */
#define EXEC_MAX_ARGS   1024            /* entries in argv, and in envp */
#define USER_STACK_TOP  0x00007ffffffff000ul
#define USER_STACK_SIZE (8ul * 1024 * 1024)     /* the stack may grow to 8 MiB */

/*
 * Load path into p (argv/envp are kernel strings).  On success p runs the new
 * program on its next return to user mode; on failure p is unchanged and the
 * error is -ENOENT, -EACCES, -ENOEXEC, -E2BIG or -ENOMEM.
 */
int exec_image(struct proc *p, const char *path, char *const argv[], char *const envp[]);

#endif
