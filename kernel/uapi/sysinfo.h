/*
 * uapi/sysinfo.h - the machine at a glance: sysinfo(2), Linux's number
 * and layout (struct sysinfo of Linux x86-64, 112 bytes).
 *
 * Memory and swap are counted in units of mem_unit bytes (vmos answers
 * with its page size, so freeram is a number of free pages); multiply
 * before comparing with anything in bytes.  uptime is whole seconds since
 * boot.  Fields vmos has nothing to put in are 0: it keeps no load
 * average (loads), no buffer cache (bufferram), no high memory (totalhigh,
 * freehigh) and does not add up its shared pages (sharedram).
 *
 * This header is shared by the kernel and the C library: it uses only
 * compiler built-in types so it needs no other header.
 */
#ifndef UAPI_SYSINFO_H
#define UAPI_SYSINFO_H

struct sysinfo {
	__INT64_TYPE__ uptime;          /* seconds since boot */
	__UINT64_TYPE__ loads[3];       /* 1, 5 and 15 minute load averages (0) */
	__UINT64_TYPE__ totalram;       /* memory the kernel manages, in mem_unit */
	__UINT64_TYPE__ freeram;        /* ... of which free */
	__UINT64_TYPE__ sharedram;      /* (0) */
	__UINT64_TYPE__ bufferram;      /* (0) */
	__UINT64_TYPE__ totalswap;      /* the swap disk, in mem_unit (0: none) */
	__UINT64_TYPE__ freeswap;       /* ... of which free */
	unsigned short procs;           /* processes, zombies included */
	unsigned short pad;
	__UINT64_TYPE__ totalhigh;      /* (0) */
	__UINT64_TYPE__ freehigh;       /* (0) */
	unsigned int mem_unit;          /* bytes in one unit of the counts above */
};

#endif /* UAPI_SYSINFO_H */
