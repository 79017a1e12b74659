/*
 * uidinfo.c - per-user resource counts (see uidinfo.h).
 *
 * Records hang on UIDINFO_BUCKETS hash chains keyed by uid.  A record
 * exists exactly while one of its counts is non-zero: the charge that
 * takes the first count up from 0 makes it, the one that brings the last
 * count back to 0 frees it.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/list.h"
#include "kern/spinlock.h"
#include "kern/uidinfo.h"
#include "vm/kmem.h"

#define UIDINFO_BUCKETS 64

struct uidinfo {
	struct list_node link;          /* (u) on its hash chain */
	uid_t uid;                      /* (c) */
	long counts[UI_NCOUNTS];        /* (u) */
};

static struct spinlock uidinfo_lock = SPINLOCK_INIT("uidinfo");
static struct list uidinfo_hash[UIDINFO_BUCKETS];      /* (u) */
static uint64_t uidinfo_nrecords;                      /* (u) */
static bool uidinfo_ready;                             /* (u) */

static struct list *bucket(uid_t uid)
{
	if (!uidinfo_ready) {
		for (int i = 0; i < UIDINFO_BUCKETS; i++)
			list_init(&uidinfo_hash[i]);
		uidinfo_ready = true;
	}
	return &uidinfo_hash[(uid * 2654435761u) % UIDINFO_BUCKETS];
}

static struct uidinfo *lookup(uid_t uid)
{
	list_foreach(bucket(uid), n) {
		struct uidinfo *ui = list_entry(n, struct uidinfo, link);
		if (ui->uid == uid)
			return ui;
	}
	return NULL;
}

static bool all_zero(const struct uidinfo *ui)
{
	for (int i = 0; i < UI_NCOUNTS; i++)
		if (ui->counts[i] != 0)
			return false;
	return true;
}

/* Apply the charge to ui (NULL: no record).  (u) held. */
static int charge_locked(struct uidinfo *ui, uid_t uid, enum uidinfo_count which, long delta,
    long limit)
{
	spinlock_assert_held(&uidinfo_lock);
	if (ui == NULL) {
		KASSERT(delta <= 0, "uidinfo_charge: uid %u charged with no record", uid);
		KASSERT(delta == 0, "uidinfo_charge: uid %u gives back what it never had", uid);
		return 0;
	}
	if (delta > 0 && limit >= 0 && ui->counts[which] + delta > limit)
		return -EDQUOT;
	ui->counts[which] += delta;
	KASSERT(ui->counts[which] >= 0, "uidinfo_charge: uid %u count %d below 0", uid, which);
	return 0;
}

int uidinfo_charge(uid_t uid, enum uidinfo_count which, long delta, long limit)
{
	KASSERT(which < UI_NCOUNTS, "uidinfo_charge: count %d", which);
	struct uidinfo *fresh = NULL;
	spinlock_acquire(&uidinfo_lock);
	struct uidinfo *ui = lookup(uid);
	if (ui == NULL && delta > 0) {
		/* kmalloc never sleeps, but has a lock of its own: not under ours. */
		spinlock_release(&uidinfo_lock);
		fresh = kmalloc(sizeof(*fresh), KM_ZERO);
		if (fresh == NULL)
			return -ENOMEM;
		spinlock_acquire(&uidinfo_lock);
		ui = lookup(uid);               /* someone may have made it meanwhile */
		if (ui == NULL) {
			ui = fresh;
			fresh = NULL;
			ui->uid = uid;
			list_push_back(bucket(uid), &ui->link);
			uidinfo_nrecords++;
		}
	}
	int err = charge_locked(ui, uid, which, delta, limit);
	bool dead = ui != NULL && all_zero(ui);
	if (dead) {
		list_remove(&ui->link);
		uidinfo_nrecords--;
	}
	spinlock_release(&uidinfo_lock);
	if (dead)
		kfree(ui);
	kfree(fresh);
	return err;
}

long uidinfo_count(uid_t uid, enum uidinfo_count which)
{
	spinlock_acquire(&uidinfo_lock);
	struct uidinfo *ui = lookup(uid);
	long n = ui ? ui->counts[which] : 0;
	spinlock_release(&uidinfo_lock);
	return n;
}

uint64_t uidinfo_records(void)
{
	return __atomic_load_n(&uidinfo_nrecords, __ATOMIC_RELAXED);
}
