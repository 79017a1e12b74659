/*
 * uapi/wait.h - wait4() options and the encoding of a wait status.
 *
 * A wait status is one int, packed as Linux packs it:
 *
 *     exited with code c:      (c & 0xff) << 8         low 7 bits are 0
 *     killed by signal s:      s  (| 0x80 if it dumped core)
 *     stopped by signal s:     (s << 8) | 0x7f
 *     continued:               0xffff
 *
 * The kernel builds statuses with W_EXITCODE and W_STOPCODE; programs take
 * them apart with the W* macros below.
 */
#ifndef UAPI_WAIT_H
#define UAPI_WAIT_H

/* wait4() options. */
#define WNOHANG     0x00000001  /* return 0 at once if no child has changed */
#define WUNTRACED   0x00000002  /* also report stopped children */
#define WSTOPPED    WUNTRACED
#define WEXITED     0x00000004
#define WCONTINUED  0x00000008  /* also report continued children */
#define WNOWAIT     0x01000000  /* leave the child waitable */

/* Building a status (kernel side). */
#define W_EXITCODE(code, sig)   ((((code) & 0xff) << 8) | (sig))
#define W_STOPCODE(sig)         (((sig) << 8) | 0x7f)
#define WCOREFLAG               0x80

/* Taking a status apart (user side). */
#define WEXITSTATUS(s)  (((s) >> 8) & 0xff)
#define WTERMSIG(s)     ((s) & 0x7f)
#define WSTOPSIG(s)     WEXITSTATUS(s)
#define WCOREDUMP(s)    ((s) & WCOREFLAG)
#define WIFEXITED(s)    (WTERMSIG(s) == 0)
#define WIFSIGNALED(s)  (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)   (((s) & 0xff) == 0x7f)
#define WIFCONTINUED(s) ((s) == 0xffff)

#endif /* UAPI_WAIT_H */
