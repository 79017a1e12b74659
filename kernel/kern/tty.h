/*
 * tty.h - the terminal layer (tty.c): the console's line discipline, its
 * file type (/dev/console, init's descriptors 0, 1 and 2), and job
 * control: the controlling terminal of a session and its foreground
 * process group.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

struct file;
struct pgrp;
struct session;

/* Take the console's input (its receive interrupt).  Once, after lapic_init. */
void tty_init(void);
/* A new console file (open flags: O_RDWR, O_NONBLOCK, O_NOCTTY ...).  A
 * session leader without a terminal that opens it gets it.  0 or -ENOMEM. */
int tty_console_open(int flags, struct file **fpp);
/* Install one console file as descriptors 0, 1 and 2 of curproc (whose
 * table must be empty).  0 or -errno. */
int tty_console_open_stdio(void);

/* For kern/pgrp.c, proc_table_lock held: a group or session is freed, a
 * session leader exits (the terminal hangs up). */
void tty_pgrp_gone_locked(struct pgrp *pg);
void tty_session_gone_locked(struct session *s);
void tty_session_leader_exit_locked(struct session *s);

#endif
