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

/* c_lflag bits. */
#define ISIG    0000001         /* ^C, ^\ send signals */
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
