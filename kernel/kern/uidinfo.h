/*
 * uidinfo.h - what each user holds: per-user resource counts and their
 * limits (FreeBSD's struct uidinfo, kern_resource.c's chgproccnt).
 *
 * Some resources are bounded per user, not per process, because a user
 * can always make more processes: the processes themselves
 * (RLIMIT_NPROC, charged to the real uid), names left in the socket and
 * shm name spaces (they outlive every process), and descriptors parked in
 * SCM_RIGHTS messages.  Each is a count kept here, charged when the
 * resource is taken and given back when it goes.
 *
 * Records are made on a user's first charge and freed when all their
 * counts are back to 0, so a uid costs nothing while it holds nothing.
 * A charge that would pass its limit fails and changes nothing; giving
 * back never fails.  The superuser's charges are counted like anyone's;
 * whether root is exempt from a limit is the caller's choice (it passes
 * UIDINFO_NO_LIMIT), as each subsystem decides with the privilege rules
 * it follows.
 *
 * Locking: one leaf spinlock, taken only inside these calls; callers may
 * hold their own spinlocks (unp_lock, proc_table_lock).  Never sleeps.
 */
#ifndef KERN_UIDINFO_H
#define KERN_UIDINFO_H

#include "kern/kernel.h"
#include "uapi/types.h"

enum uidinfo_count {
	UI_PROCS,               /* processes with this real uid */
	UI_SOCK_NAMES,          /* socket names bound and not yet unlinked */
	UI_SHM_NAMES,           /* shm names that exist */
	UI_FDS_IN_FLIGHT,       /* descriptors inside SCM_RIGHTS messages */
	UI_NCOUNTS
};

#define UIDINFO_NO_LIMIT (-1l)

/*
 * Add delta to uid's count `which`.  A positive delta that would take the
 * count past limit (UIDINFO_NO_LIMIT: none) fails with -EDQUOT; -ENOMEM if
 * the user's record cannot be made.  Returns 0 when charged.  A negative
 * delta always succeeds (the count must not go below 0).
 */
int uidinfo_charge(uid_t uid, enum uidinfo_count which, long delta, long limit);
/* The count now (0 for a user with no record). */
long uidinfo_count(uid_t uid, enum uidinfo_count which);
/* Users with a record, for leak checks. */
uint64_t uidinfo_records(void);

#endif
