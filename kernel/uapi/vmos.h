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
#define SYS_kvmmap        507   /* int kvmmap(int pid, struct kvmmap *req): returns entries */
#define SYS_kprof         508   /* long kprof(int op): the sampling profiler (root) */
#define SYS_klockstat     509   /* int klockstat(struct klockstat *buf, int max, int flags) */

/* kprof() operations. */
#define KPROF_START 1           /* start a new profile (earlier samples go) */
#define KPROF_STOP  2           /* stop sampling; samples stay for the dump */
#define KPROF_COUNT 3           /* returns the samples taken so far */

/* klockstat() flags. */
#define KLOCKSTAT_RESET 1       /* zero the counts once read (root) */

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
	__UINT64_TYPE__ pageins;        /* pages read from a pager: swap, or a boot file */
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
	__UINT64_TYPE__ pages_reactivated; /* ... and kept: used since it last looked (refill or scan) */
	__UINT64_TYPE__ pageout_clusters;  /* write requests of up to 16 pages */
	__UINT64_TYPE__ readahead_used; /* pages read ahead that a fault then wanted */
	__UINT64_TYPE__ swap_io_errors; /* swap reads and writes that failed */
	__UINT64_TYPE__ free_reserved;  /* (a setting) free pages only the kernel may take */
	/* added later (a resource): pages of boot files in memory (program
	 * text, fs/bootfs_pager.c), clean copies of the archive the pageout
	 * daemon frees at will; a leak check counts them with the free pages,
	 * since running a program for the first time leaves its text here */
	__UINT64_TYPE__ cache_pages;
	/* added later: several CPUs (kernel/arch/x86_64/mp.c, tlb.c) */
	__UINT64_TYPE__ cpus;           /* (a setting) CPUs running the kernel */
	__UINT64_TYPE__ tlb_shootdowns; /* TLB invalidation requests answered by other CPUs */
	__UINT64_TYPE__ kernel_preemptions; /* threads switched out in kernel mode (sched.c) */
	__UINT64_TYPE__ reserved[1];    /* room to grow without breaking the ABI */
};

/* One process, as listed by kprocs() (used by ps). */
struct kproc {
	int pid;
	int ppid;
	int uid;
	char state;                     /* 'R' runnable/running, 'S' sleeping, 'T' stopped, 'Z' zombie */
	unsigned char cpu;              /* the CPU it runs on, or last ran on */
	char pad[2];
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

/*
 * A process's address space, as kvmmap(pid, &req) shows it (used by vmmap):
 * one struct kvmmap_entry per map entry, in address order, and one struct
 * kvmmap_object per VM object that the entries' shadow chains reach, each
 * object once.  An entry's chain is objects[e.object], then that object's
 * backing object objects[o.backing], and so on until backing is -1.
 *
 * Objects are named by id: a number the kernel gives each object when it
 * makes it (1, 2, 3 ...), never reused while the system runs, so the same
 * id in two calls -- or in the maps of two processes -- is the same
 * object.  Kernel addresses are never shown.
 *
 * The caller fills entries, objects, max_entries, max_objects and flags
 * (0); the kernel fills nentries and nobjects with what the map has, and
 * copies the arrays only if both fit.  Errors:
 *   EFAULT  req, or an array the kernel had to write, is not writable memory
 *   EINVAL  flags not 0, a negative max, a negative pid
 *   ESRCH   no process pid (0 is the caller), or it has exited (a zombie)
 *   EPERM   the caller is not root and not the same user as pid (its real
 *           and effective uids must both be pid's real and effective uid)
 *   ERANGE  an array is too small: nentries and nobjects say how many are
 *           needed (so max 0 asks only for the sizes); call again bigger
 *   ENOMEM  the kernel had no memory for the snapshot
 * A kernel thread has no address space: 0 entries.  The numbers are a
 * snapshot: the map may change as soon as the call returns.
 */
struct kvmmap_entry;
struct kvmmap_object;

struct kvmmap {
	struct kvmmap_entry *entries;   /* in: room for max_entries */
	struct kvmmap_object *objects;  /* in: room for max_objects */
	int max_entries;                /* in */
	int max_objects;                /* in */
	int nentries;                   /* out: entries in the map */
	int nobjects;                   /* out: distinct objects behind them */
	unsigned int flags;             /* in: 0 */
	int pad;
};

#define KVMMAP_INHERIT_SHARE  0     /* fork: the child maps the same object */
#define KVMMAP_INHERIT_COPY   1     /* fork: the child gets a copy-on-write copy */
#define KVMMAP_INHERIT_NONE   2     /* fork: the child gets nothing here */

/* kvmmap_entry.flags */
#define KVMMAP_ENTRY_NEEDS_COPY 0x1 /* the object is shared copy-on-write: the
                                       first write puts a shadow in front */
#define KVMMAP_ENTRY_COW      0x2   /* a private mapping: writes stay in this map */
#define KVMMAP_ENTRY_SHARED   0x4   /* a shared mapping: writes reach every mapping */
#define KVMMAP_ENTRY_HEAP     0x8   /* holds the program break (brk) */
#define KVMMAP_ENTRY_STACK    0x10  /* the stack exec made */

struct kvmmap_entry {
	__UINT64_TYPE__ start;          /* [start, end), page aligned */
	__UINT64_TYPE__ end;
	__UINT64_TYPE__ offset;         /* bytes into the first object where start is */
	__UINT64_TYPE__ object_id;      /* the first object's id; 0: none yet (a
	                                   private mapping nobody has touched) */
	int object;                     /* its index in objects[]; -1: none */
	int chain;                      /* objects in its chain (0: none) */
	unsigned char prot;             /* PROT_* now */
	unsigned char max_prot;         /* PROT_* mprotect may grant at most */
	unsigned char inheritance;      /* KVMMAP_INHERIT_* */
	unsigned char pad[1];
	unsigned int flags;             /* KVMMAP_ENTRY_* */
};

/* kvmmap_object.type (FreeBSD's procstat shows the same three as df, sw, and
 * a shm path). */
#define KVMMAP_OBJ_ANON  1          /* anonymous memory with nothing on swap */
#define KVMMAP_OBJ_SWAP  2          /* anonymous memory with pages on swap */
#define KVMMAP_OBJ_SHM   3          /* the pages of a POSIX shm object */
#define KVMMAP_OBJ_BOOTFS 4         /* a file of the boot file system, read from
                                       the archive: program text (FreeBSD's vn) */

/* kvmmap_object.flags */
#define KVMMAP_OBJ_ONEMAPPING 0x1   /* its pages are mapped by one entry only */

struct kvmmap_object {
	__UINT64_TYPE__ id;             /* see above; never 0 */
	__UINT64_TYPE__ backing_id;     /* the object it shadows; 0: none */
	int backing;                    /* its index in objects[]; -1: none */
	unsigned int type;              /* KVMMAP_OBJ_* */
	__UINT64_TYPE__ backing_offset; /* in pages: our page i is its i + offset */
	__UINT64_TYPE__ size;           /* in pages */
	__UINT64_TYPE__ resident;       /* pages in memory */
	__UINT64_TYPE__ swapped;        /* pages on swap */
	unsigned int ref_count;         /* references: map entries (of any process),
	                                   shadows, an shm object */
	unsigned int shadow_count;      /* objects that shadow this one */
	unsigned int depth;             /* shadow depth: 0 for an object that shadows
	                                   nothing, 1 + its backing object's depth */
	unsigned int flags;             /* KVMMAP_OBJ_* */
};

/*
 * How much the spinlocks of one name were fought over since boot (or the
 * last KLOCKSTAT_RESET), read with klockstat(buf, max, flags), which
 * returns how many entries it wrote.  A name covers every lock of a kind:
 * "vm_object" is every VM object's lock.  Only contended acquisitions are
 * counted -- the ones that found the lock held and had to spin -- so on
 * one CPU every count stays 0 (kern/lockstat.c says why).
 */
struct klockstat {
	char name[24];                  /* the lock's name, NUL-terminated */
	__UINT64_TYPE__ contended;      /* acquisitions that had to spin */
	__UINT64_TYPE__ spin_ns;        /* time spent spinning, all CPUs */
	__UINT64_TYPE__ max_spin_ns;    /* the longest single wait */
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
