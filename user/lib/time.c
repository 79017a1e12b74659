/*
 * time.c - clocks and sleeping: clock_gettime, nanosleep and the older
 * interfaces built on them (time, gettimeofday, clock, sleep, usleep);
 * clock_nanosleep, and the SIGALRM timers (alarm, setitimer, getitimer).
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "raw_syscall.h"

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	return syscall_result(raw_syscall2(SYS_clock_gettime, clock, ts));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return syscall_result(raw_syscall2(SYS_nanosleep, req, rem));
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
		    struct timespec *rem)
{
	long r = raw_syscall4(SYS_clock_nanosleep, clock, flags, req, rem);
	return r < 0 ? (int)-r : 0;
}

int getitimer(int which, struct itimerval *value)
{
	return syscall_result(raw_syscall2(SYS_getitimer, which, value));
}

int setitimer(int which, const struct itimerval *value, struct itimerval *ovalue)
{
	return syscall_result(raw_syscall3(SYS_setitimer, which, value, ovalue));
}

/* The seconds the previous alarm had left (0 if none); cannot fail. */
unsigned int alarm(unsigned int seconds)
{
	return (unsigned int)raw_syscall1(SYS_alarm, seconds);
}

time_t time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return (time_t)-1;
	if (t != NULL)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* CPU time used, in microseconds (CLOCKS_PER_SEC is 1000000). */
clock_t clock(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return (clock_t)-1;
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* Returns the seconds left if a signal cut the sleep short, else 0. */
unsigned int sleep(unsigned int seconds)
{
	struct timespec req = { .tv_sec = seconds, .tv_nsec = 0 };
	struct timespec rem;

	if (nanosleep(&req, &rem) < 0 && errno == EINTR)
		return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec req = {
		.tv_sec = usec / 1000000,
		.tv_nsec = (long)(usec % 1000000) * 1000,
	};

	return nanosleep(&req, NULL);
}
