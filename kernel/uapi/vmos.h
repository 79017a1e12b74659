/*
 * uapi/vmos.h - this kernel's own extensions to the system call ABI.
 *
 * Everything else in kernel/uapi/ follows the Linux x86-64 ABI (numbers,
 * errno values, struct layouts), so a student can read Linux man pages and
 * the numbers match.  The calls below have no Linux equivalent; they live
 * in a private range starting at 500 so they can never collide.
 *
 * This header is shared by the kernel and the C library: it uses only
 * compiler built-in types so it needs no other header.
 */
#ifndef UAPI_VMOS_H
#define UAPI_VMOS_H

/* Private system call numbers. */
#define SYS_shm_open      500   /* int shm_open(const char *path, int flags, mode_t mode) */
#define SYS_shm_unlink    501   /* int shm_unlink(const char *path) */
#define SYS_shm_rename    502   /* int shm_rename(const char *from, const char *to, int flags) */
#define SYS_kcounters     503   /* int kcounters(struct kcounters *out) */
#define SYS_poweroff      504   /* void poweroff(int status): ends the QEMU run */
#define SYS_kprocs        505   /* int kprocs(struct kproc *buf, int max): returns count */
#define SYS_shm_list      506   /* int shm_list(struct kshm_info *buf, int max): returns count */
#define SYS_kprof         508   /* long kprof(int op): the sampling profiler (root) */

/* kprof() operations. */
#define KPROF_START 1           /* start a new profile (earlier samples go) */
#define KPROF_STOP  2           /* stop sampling; samples stay for the dump */
#define KPROF_COUNT 3           /* returns the samples taken so far */

#ifndef __ASSEMBLER__   /* the structs below are C only; .S files may include this header */

/*
 * Kernel counters, read with kcounters().  Every field is a 64-bit unsigned
 * number.  The "resource" counters (free_pages .. swap_used) must come back
 * to the same values after a test that cleaned up after itself; tests use
 * that to find leaks.  The "event" counters only ever grow.
 */
struct kcounters {
	/* resources */
	__UINT64_TYPE__ total_pages;    /* physical frames managed by vm_page */
	__UINT64_TYPE__ free_pages;     /* frames on the free list */
	__UINT64_TYPE__ vm_objects;     /* live vm_object structures */
	__UINT64_TYPE__ processes;      /* live processes (incl. zombies) */
	__UINT64_TYPE__ open_files;     /* live struct file */
	__UINT64_TYPE__ shm_objects;    /* live POSIX shm objects */
	__UINT64_TYPE__ sockets;        /* live UNIX sockets */
	__UINT64_TYPE__ fds_in_flight;  /* struct file references inside SCM_RIGHTS messages */
	__UINT64_TYPE__ swap_total;     /* swap slots on the swap device (0: no swap) */
	__UINT64_TYPE__ swap_used;      /* swap slots holding a page */
	__UINT64_TYPE__ kmem_bytes;     /* bytes allocated from the kernel heap */
	/* events */
	__UINT64_TYPE__ page_faults;    /* page faults taken from user mode */
	__UINT64_TYPE__ cow_copies;     /* pages copied on a copy-on-write fault */
	__UINT64_TYPE__ zero_fills;     /* pages zero-filled on first touch */
	__UINT64_TYPE__ pageins;        /* pages read from swap */
	__UINT64_TYPE__ pageouts;       /* pages written to swap */
	__UINT64_TYPE__ syscalls;       /* system calls entered */
	__UINT64_TYPE__ context_switches;
	/* added later (a resource): pages the kernel heap holds, slab pages
	 * included.  kmem_bytes says how much of them is in use; a test that
	 * wants "no page leaked" compares free_pages + kmem_pages, because
	 * which slab pages exist depends on the order of allocations. */
	__UINT64_TYPE__ kmem_pages;
	/* added later (a resource): page-table pages of user address spaces,
	 * PML4s included; an unmap that empties a table gives it back */
	__UINT64_TYPE__ pt_pages;
	/* added later: paging to swap (vm/vm_pageout.c, vm/swap_pager.c) */
	__UINT64_TYPE__ swap_bad;       /* swap slots retired after a write failed */
	__UINT64_TYPE__ pageout_scans;  /* pages the pageout daemon looked at */
	__UINT64_TYPE__ pages_reactivated; /* ... and put back: used since it last looked */
	__UINT64_TYPE__ pageout_clusters;  /* write requests of up to 16 pages */
	__UINT64_TYPE__ readahead_used; /* pages read ahead that a fault then wanted */
	__UINT64_TYPE__ swap_io_errors; /* swap reads and writes that failed */
	__UINT64_TYPE__ free_reserved;  /* (a setting) free pages only the kernel may take */
	__UINT64_TYPE__ reserved[5];    /* room to grow without breaking the ABI */
};

/* One process, as listed by kprocs() (used by ps). */
struct kproc {
	int pid;
	int ppid;
	int uid;
	char state;                     /* 'R' runnable/running, 'S' sleeping, 'Z' zombie */
	char pad[3];
	__UINT64_TYPE__ vsize;          /* bytes of mapped address space */
	__UINT64_TYPE__ rss;            /* resident pages mapped by the process */
	char name[32];                  /* base name of the program, NUL-terminated */
};

/* One named shm object, as listed by shm_list() (used by shmctl). */
struct kshm_info {
	char path[256];                 /* truncated to 255 bytes */
	unsigned int mode;              /* permission bits */
	int uid;
	int gid;
	int pad;
	__INT64_TYPE__ size;            /* bytes */
	__UINT64_TYPE__ refs;           /* references on the shm object */
	__UINT64_TYPE__ map_refs;       /* references held by mappings */
	__UINT64_TYPE__ resident;       /* resident pages */
	__UINT64_TYPE__ swapped;        /* pages on swap */
};

#endif /* !__ASSEMBLER__ */

/*
 * Exit codes of a scripted QEMU run (see README "Exit statuses").
 * The kernel writes a value V to QEMU's isa-debug-exit port; QEMU then
 * exits with status 2*V+1.  V is the status of what ran:
 *   0..63    the command's exit status (0 = all tests passed)
 *   64+N     the command was killed by signal N
 *   127      kernel panic
 * A triple fault or reset under -no-reboot makes QEMU exit with 0, so
 * status 0 never counts as a pass.
 */
#define VMOS_EXIT_SIGNAL_BASE 64
#define VMOS_EXIT_PANIC       127

#endif /* UAPI_VMOS_H */
