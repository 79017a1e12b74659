/*
 * rtc.c - read the date and time from the MC146818-style CMOS clock.
 *
 * Registers are read through index port 0x70 and data port 0x71.  The
 * values may be BCD (status register B bit 2 clear) and the hour may be
 * 12-hour (bit 1 clear); QEMU gives UTC.  To avoid reading in the middle of
 * an update, wait until "update in progress" (register A bit 7) is clear and
 * read twice until two reads agree.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "arch/x86_64/cpu.h"
#include "dev/rtc.h"

struct rtc_time {
	unsigned sec, min, hour, day, mon, year;
};

static unsigned cmos(unsigned reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static void rtc_sample(struct rtc_time *t)
{
	while (cmos(0x0a) & 0x80)
		cpu_pause();
	t->sec = cmos(0x00);
	t->min = cmos(0x02);
	t->hour = cmos(0x04);
	t->day = cmos(0x07);
	t->mon = cmos(0x08);
	t->year = cmos(0x09);
}

static unsigned bcd(unsigned v) { return (v & 0x0f) + (v >> 4) * 10; }

static void rtc_normalize(struct rtc_time *t, unsigned regb)
{
	bool pm = t->hour & 0x80;
	t->hour &= 0x7f;
	if (!(regb & 0x04)) {
		t->sec = bcd(t->sec); t->min = bcd(t->min); t->hour = bcd(t->hour);
		t->day = bcd(t->day); t->mon = bcd(t->mon); t->year = bcd(t->year);
	}
	if (!(regb & 0x02) && pm)
		t->hour = (t->hour + 12) % 24;
	t->year += 2000;
}

/* Days from 1970-01-01 to y-m-d (the civil-from-days algorithm, inverted). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t rtc_read_epoch(void)
{
	struct rtc_time a, b;
	do {
		rtc_sample(&a);
		rtc_sample(&b);
	} while (memcmp(&a, &b, sizeof(a)) != 0);
	rtc_normalize(&a, cmos(0x0b));
	if (a.mon < 1 || a.mon > 12 || a.day < 1 || a.day > 31 || a.hour > 23 || a.min > 59)
		return 0;
	return days_from_civil(a.year, a.mon, a.day) * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
}
