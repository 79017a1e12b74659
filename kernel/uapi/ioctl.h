/*
 * uapi/ioctl.h - the few ioctl() requests vmos knows (Linux values).
 *
 * The C library's isatty(fd) is ioctl(fd, TCGETS, &termios) == 0: only a
 * terminal (the console) answers TCGETS; every other file answers ENOTTY.
 */
#ifndef UAPI_IOCTL_H
#define UAPI_IOCTL_H

#define TCGETS      0x5401      /* get terminal settings: struct termios */
#define TCSETS      0x5402      /* set terminal settings */
#define TIOCSCTTY   0x540E      /* make this the caller's controlling terminal */
#define TIOCGPGRP   0x540F      /* pid_t: the foreground process group (tcgetpgrp) */
#define TIOCSPGRP   0x5410      /* pid_t: set the foreground process group (tcsetpgrp) */
#define TIOCGWINSZ  0x5413      /* get window size: struct winsize */
#define FIONREAD    0x541B      /* int: bytes ready to read */
#define FIONBIO     0x5421      /* int: set (1) or clear (0) O_NONBLOCK */

/* Terminal settings, as the Linux kernel passes them (36 bytes). */
typedef unsigned int  tcflag_t;
typedef unsigned char cc_t;
#define NCCS 19
struct termios {
	tcflag_t c_iflag;       /* input modes */
	tcflag_t c_oflag;       /* output modes */
	tcflag_t c_cflag;       /* control modes */
	tcflag_t c_lflag;       /* local modes: ISIG, ICANON, ECHO ... */
	cc_t     c_line;
	cc_t     c_cc[NCCS];    /* special characters */
};

/* Indexes in c_cc (Linux's). */
#define VINTR   0               /* ^C: SIGINT */
#define VQUIT   1               /* ^\: SIGQUIT */
#define VERASE  2               /* DEL: erase a character */
#define VKILL   3               /* ^U: erase the line */
#define VEOF    4               /* ^D: end of file */
#define VSUSP   10              /* ^Z: SIGTSTP */

/* c_lflag bits. */
#define ISIG    0000001         /* ^C, ^\, ^Z send signals */
#define ICANON  0000002         /* line editing: read returns whole lines */
#define ECHO    0000010         /* echo typed characters */

/* Window size (TIOCGWINSZ). */
struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#endif /* UAPI_IOCTL_H */
