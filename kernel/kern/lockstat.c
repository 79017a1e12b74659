/*
 * lockstat.c - how much each kind of spinlock is fought over.
 *
 * "Why does this not go twice as fast on two CPUs?" is usually "because
 * both CPUs want the same lock".  So the slow path of spinlock_acquire --
 * the lock was held, and the caller spun -- reports here how long it spun
 * (spinlock.c: spin_contended), and klockstat() hands the sums to user
 * space, where `lockstat CMD` prints them around one command.  The fast
 * path, an uncontended acquire, is not touched: the statistics cost
 * nothing until there is contention, and then little beside the spinning.
 *
 * What is counted.  Locks are told apart by name, the one each is given at
 * SPINLOCK_INIT or spinlock_init: one slot for all the locks of a kind (every
 * VM object's lock is "vm_object"), which is what a reader wants to know
 * ("the page allocator", not "the lock at 0xffff8000..."), and keeps the
 * table small.  A slot is claimed by the name's address with a
 * compare-and-swap and never given back; two copies of one name (the same
 * string literal in two files) may take two slots, and klockstat() adds
 * them up.  Past LOCKSTAT_SLOTS names, the rest count under "(others)".
 *
 * Why one CPU always reads 0.  A spinlock's holder runs with interrupts
 * off and may not sleep (witness.c checks it in debug builds), so on one
 * CPU nobody can find a spinlock held: whoever would try cannot run until
 * it is let go.  A contended acquire there would be a deadlock, and the
 * spin would end in spinlock.c's 20-second panic, not here.  The
 * lockstat suite (user/tests/lockstat_test.c) checks both sides: 0 on one
 * CPU, more on two.
 *
 * Locking: none.  Every count is updated with atomic adds (the maximum
 * with a compare-and-swap), because the slow path of a lock cannot take
 * another lock.  A reset zeroes the counts while other CPUs may be adding
 * to them; a wait counted across a reset lands on one side of it, which
 * is all statistics need.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/clock.h"
#include "kern/copyio.h"
#include "kern/proc.h"
#include "kern/lockstat.h"
#include "vm/kmem.h"
#include "uapi/vmos.h"

#define LOCKSTAT_SLOTS 64

struct lockstat_slot {
	const char *name;               /* (a) set once, by compare-and-swap */
	uint64_t contended;             /* (a) */
	uint64_t cycles;                /* (a) TSC cycles spun */
	uint64_t max_cycles;            /* (a) */
};

static struct lockstat_slot slots[LOCKSTAT_SLOTS];
static struct lockstat_slot others = { "(others)", 0, 0, 0 };

/* The slot of name: found by its address, or claimed for it. */
static struct lockstat_slot *slot_of(const char *name)
{
	for (int i = 0; i < LOCKSTAT_SLOTS; i++) {
		const char *cur = __atomic_load_n(&slots[i].name, __ATOMIC_ACQUIRE);
		if (cur == NULL) {
			/* Free: claim it, unless another CPU just did (for this
			 * name, or another: then look at the next). */
			if (__atomic_compare_exchange_n(&slots[i].name, &cur, name, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return &slots[i];
		}
		if (cur == name)
			return &slots[i];
	}
	return &others;
}

void lockstat_contended(const char *name, uint64_t cycles)
{
	struct lockstat_slot *s = slot_of(name);
	__atomic_add_fetch(&s->contended, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->cycles, cycles, __ATOMIC_RELAXED);
	uint64_t max = __atomic_load_n(&s->max_cycles, __ATOMIC_RELAXED);
	while (cycles > max && !__atomic_compare_exchange_n(&s->max_cycles, &max, cycles, true,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* TSC cycles to nanoseconds, without overflowing for any 64-bit count. */
static uint64_t cycles_to_ns(uint64_t cycles)
{
	uint64_t hz = clock_tsc_hz();
	if (hz == 0)
		return 0;
	return cycles / hz * 1000000000ull + cycles % hz * 1000000000ull / hz;
}

/* Add slot s to the entry of the same name in out[0..n), or a new one.
 * Answers the new n. */
static int merge(struct klockstat *out, int n, const struct lockstat_slot *s)
{
	uint64_t contended = __atomic_load_n(&s->contended, __ATOMIC_RELAXED);
	if (contended == 0)
		return n;
	int i = 0;
	while (i < n && strncmp(out[i].name, s->name, sizeof(out[i].name) - 1) != 0)
		i++;
	if (i == n) {
		strlcpy(out[n].name, s->name, sizeof(out[n].name));
		n++;
	}
	uint64_t max = cycles_to_ns(__atomic_load_n(&s->max_cycles, __ATOMIC_RELAXED));
	out[i].contended += contended;
	out[i].spin_ns += cycles_to_ns(__atomic_load_n(&s->cycles, __ATOMIC_RELAXED));
	/* A reset racing a wait being counted can leave that wait's maximum
	 * without its sum for a moment; the longest wait is never more than
	 * all of them. */
	out[i].max_spin_ns = MIN(MAX(out[i].max_spin_ns, max), out[i].spin_ns);
	return n;
}

static void reset(struct lockstat_slot *s)
{
	__atomic_store_n(&s->contended, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->cycles, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->max_cycles, 0, __ATOMIC_RELAXED);
}

/*
 * Every name that was contended, up to max of them (in the order their
 * slots were claimed), then, with KLOCKSTAT_RESET, zero the counts.
 * Answers how many entries it wrote, or -EINVAL (max < 0, unknown flags),
 * -EPERM (a reset, not root), -EFAULT, -ENOMEM.  Reading needs no
 * privilege: how contended the kernel's locks are says nothing about
 * anyone's data (vmstat's counters are open to all too).
 */
long sys_klockstat(void *ubuf, int max, int flags)
{
	if (max < 0 || (flags & ~KLOCKSTAT_RESET))
		return -EINVAL;
	if ((flags & KLOCKSTAT_RESET) && curproc()->euid != 0)
		return -EPERM;
	struct klockstat *out = kmalloc(sizeof(*out) * (LOCKSTAT_SLOTS + 1), KM_ZERO);
	if (out == NULL)
		return -ENOMEM;
	int n = 0;
	for (int i = 0; i < LOCKSTAT_SLOTS; i++)
		if (__atomic_load_n(&slots[i].name, __ATOMIC_ACQUIRE) != NULL)
			n = merge(out, n, &slots[i]);
	n = merge(out, n, &others);
	n = MIN(n, max);
	int err = copyout(out, ubuf, sizeof(*out) * (size_t)n);
	kfree(out);
	if (err)
		return err;
	if (flags & KLOCKSTAT_RESET) {
		for (int i = 0; i < LOCKSTAT_SLOTS; i++)
			reset(&slots[i]);
		reset(&others);
	}
	return n;
}
