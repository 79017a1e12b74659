/*
 * fuzz_names.c - the round's names, and who made them.
 *
 * Names are state that outlives processes: an shm name or a socket name
 * stays until someone removes it.  So a round draws every name from a
 * small set of its own,
 *
 *     shm       /fz<seed>_<n>          n < FZ_NAMES
 *     sockets   /tmp/fz<seed>_<n>      n < FZ_NAMES, and one name of
 *                                      exactly 108 bytes (sun_path, no NUL)
 *
 * which is small on purpose -- processes must collide on names to connect
 * to each other's listeners, unlink each other's names and rename one
 * object over another -- and which the supervisor removes, every name,
 * at the end of the round (fz_names_cleanup).
 *
 * Who made a name.  A crash is not the only kind of bug: a process that
 * gave up root (setuid 1000) must not remove a socket name root bound, nor
 * an shm object it has no write permission on.  The kernel alone knows
 * the owner; the fuzzer keeps its own record, one struct fz_name_rec per
 * name in the shared page, updated by every process around each of its
 * own operations on the name:
 *
 *     snapshot = record; record.busy++;      (begin)
 *     the system call
 *     if it changed the name: record = what it is now, by compare-and-swap
 *     record.busy--                          (end)
 *
 * A process is "alone" with the name when busy was 0 before, is 1 (us)
 * after, and the record has not changed.  Any other process whose call
 * could have changed the name in between is then either still busy or has
 * changed the record, whatever the interleaving on however many CPUs.  A
 * verdict ("uid 1000 just unlinked root's socket name") is given only when
 * alone.  A call that changed the name writes the new state only when
 * alone, and atomically with checking that the record is still the one it
 * read; otherwise the two calls' order in the kernel is unknown, and it
 * writes FZ_OWNER_UNKNOWN: no verdicts until a call makes the name known
 * again.  So a record, whenever no one is busy with the name, is true or
 * says it does not know.  (An O_CREAT that may or may not have created,
 * or an fchmod of an object that may hold any of the names, forgets too.)
 * A process killed inside its window leaves busy > 0 for good: that name
 * gets no more verdicts this round, which costs a little coverage and no
 * false alarm.
 *
 * What is checked, for a name whose record is known and undisturbed:
 *   - bind, shm_open(O_CREAT|O_EXCL) and shm_rename(NOREPLACE) must not
 *     succeed over a name that exists;
 *   - unlink and shm_unlink must not say ENOENT for one that exists, nor
 *     succeed for one that does not;
 *   - after setuid(1000): unlink must not remove a socket name bound by
 *     another user; shm_unlink, shm_rename and shm_open must not pass an
 *     object's permission bits (the process's gid is 1000 too, so for
 *     root's objects the "other" bits apply).
 */
#include "fuzz_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include "uapi/syscall.h"

#define SUN_PATH_LEN  sizeof(((struct sockaddr_un *)0)->sun_path)
#define FZ_UMASK      022       /* set by the round's root (fuzz_proc.c) */

/* ------------------------------------------------------------ the names */

int fz_names_pick(struct fz_call *c)
{
	unsigned roll = fz_below(&c->r, 100);

	if (roll < 75)
		return (int)fz_below(&c->r, FZ_NAMES / 2);
	return (int)(FZ_NAMES / 2 + fz_below(&c->r, FZ_NAMES / 2));
}

/* With probability pct, one of the names whose bit is set in mask (if any). */
int fz_names_pick_known(struct fz_call *c, unsigned mask, unsigned pct)
{
	unsigned n = (unsigned)__builtin_popcount(mask), k;

	if (n == 0 || !fz_percent(&c->r, pct))
		return fz_names_pick(c);
	k = fz_below(&c->r, n);
	for (int i = 0;; i++)
		if ((mask & (1u << i)) && k-- == 0)
			return i;
}

const char *fz_shm_name(int n, char *buf, size_t size)
{
	snprintf(buf, size, "/fz%llu_%d", (unsigned long long)fz.sh->seed, n);
	return buf;
}

/* The socket name n of the round with this seed (n == FZ_NAMES: 108 bytes). */
static const char *sock_name(uint64_t seed, int n, char *buf, size_t size)
{
	int len = snprintf(buf, size, "/tmp/fz%llu_%d", (unsigned long long)seed, n);

	if (n == FZ_NAMES && size > SUN_PATH_LEN) {
		memset(buf + len, 'x', SUN_PATH_LEN - (size_t)len);
		buf[SUN_PATH_LEN] = '\0';
	}
	return buf;
}

const char *fz_sock_name(int n, char *buf, size_t size)
{
	return sock_name(fz.sh->seed, n, buf, size);
}

/* Remove every name a round may have made; as root, after it is over. */
void fz_names_cleanup(uint64_t seed, char *why, size_t size)
{
	char path[SUN_PATH_LEN + 32];
	long r;

	for (int n = 0; n < FZ_SOCK_NAMES; n++) {
		if (n < FZ_NAMES) {
			snprintf(path, sizeof(path), "/fz%llu_%d", (unsigned long long)seed, n);
			r = fz_sys1(SYS_shm_unlink, path);
			if (r < 0 && r != -ENOENT && why[0] == '\0')
				snprintf(why, size, "cleanup: shm_unlink(%s): errno %ld", path, -r);
		}
		sock_name(seed, n, path, sizeof(path));
		r = fz_sys1(SYS_unlink, path);
		if (r < 0 && r != -ENOENT && why[0] == '\0')
			snprintf(why, size, "cleanup: unlink(%s): errno %ld", path, -r);
	}
}

static uint64_t pack(uint64_t gen, int owner, int mode);

void fz_names_reset(struct fz_shared *sh)
{
	for (int n = 0; n < FZ_NAMES; n++)
		sh->shm_names[n] = (struct fz_name_rec){ 0, pack(0, FZ_OWNER_NONE, 0) };
	for (int n = 0; n < FZ_SOCK_NAMES; n++)
		sh->sock_names[n] = (struct fz_name_rec){ 0, pack(0, FZ_OWNER_NONE, 0) };
}

/* ----------------------------------------------------------- the records */

struct snap {
	int busy;               /* others inside when we began */
	uint64_t state;         /* the record then */
	int owner;
	int mode;
};

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_SEQ_CST)

static uint64_t pack(uint64_t gen, int owner, int mode)
{
	return gen << 32 | (uint64_t)(uint16_t)(owner + 2) << 16 | (uint16_t)mode;
}

static void begin(struct fz_name_rec *rec, struct snap *s)
{
	s->busy = LOAD(rec->busy);
	s->state = LOAD(rec->state);
	s->owner = (int)((s->state >> 16) & 0xffff) - 2;
	s->mode = (int)(s->state & 0xffff);
	__atomic_add_fetch(&rec->busy, 1, __ATOMIC_SEQ_CST);
}

/* Was this process alone with the name since begin()? */
static bool alone(struct fz_name_rec *rec, const struct snap *s)
{
	return s->busy == 0 && LOAD(rec->busy) == 1 && LOAD(rec->state) == s->state;
}

/* A verdict may rest on the record: nobody else was there, and it is known. */
static bool known(struct fz_name_rec *rec, const struct snap *s)
{
	return alone(rec, s) && s->owner != FZ_OWNER_UNKNOWN;
}

static bool exists(const struct snap *s)
{
	return s->owner >= 0;
}

/* The name changed in a way nobody can vouch for. */
static void forget(struct fz_name_rec *rec)
{
	uint64_t old = LOAD(rec->state);

	while (!__atomic_compare_exchange_n(&rec->state, &old,
					    pack((old >> 32) + 1, FZ_OWNER_UNKNOWN, 0), false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

/*
 * Our call changed the name: record what it is now -- if we were alone
 * with it all along.  If anyone else's call overlapped ours, the order of
 * the two in the kernel is unknown, and so is the result: forget it.
 */
static void set(struct fz_name_rec *rec, const struct snap *s, int owner, int mode)
{
	uint64_t expected = s->state;

	if (!alone(rec, s) ||
	    !__atomic_compare_exchange_n(&rec->state, &expected,
					 pack((s->state >> 32) + 1, owner, mode), false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		forget(rec);
}

static void end(struct fz_name_rec *rec)
{
	__atomic_sub_fetch(&rec->busy, 1, __ATOMIC_SEQ_CST);
}

/* The socket names the records say someone bound (a bit per name). */
unsigned fz_names_sock_existing(void)
{
	unsigned mask = 0;

	for (int n = 0; n < FZ_SOCK_NAMES; n++) {
		uint64_t state = LOAD(fz.sh->sock_names[n].state);

		if ((int)((state >> 16) & 0xffff) - 2 >= 0)
			mask |= 1u << n;
	}
	return mask;
}

/* May this (hostile) process do `want` (04 read, 02 write) to root's object? */
static bool others_may(const struct snap *s, int want)
{
	return s->owner == fz.uid || (s->mode & want) == want;
}

/* ----------------------------------------------------------- sockets */

long fz_names_bind(int fd, int n, const void *addr, unsigned addrlen)
{
	struct fz_name_rec *rec = &fz.sh->sock_names[n];
	struct snap s;
	long r;

	begin(rec, &s);
	r = fz_sys3(SYS_bind, fd, addr, addrlen);
	if (r == 0) {
		if (known(rec, &s) && exists(&s))
			fz_report("bind(%d) succeeded over socket name %d, which uid %d had bound",
				  fd, n, s.owner);
		set(rec, &s, fz.uid, 0);
	}
	end(rec);
	return r;
}

long fz_names_unlink(int n, const char *path)
{
	struct fz_name_rec *rec = &fz.sh->sock_names[n];
	struct snap s;
	long r;

	begin(rec, &s);
	r = fz_sys1(SYS_unlink, path);
	if (known(rec, &s)) {
		if (r == 0 && !exists(&s))
			fz_report("unlink(%s) succeeded, but no one had bound it", path);
		if (r == -ENOENT && exists(&s))
			fz_report("unlink(%s): ENOENT, but uid %d had bound it", path, s.owner);
		if (r == 0 && exists(&s) && fz.hostile && s.owner != fz.uid)
			fz_report("uid %d removed socket name %s, which uid %d had bound",
				  fz.uid, path, s.owner);
	}
	if (r == 0)
		set(rec, &s, FZ_OWNER_NONE, 0);
	end(rec);
	return r;
}

/* -------------------------------------------------------------- shm */

long fz_names_shm_open(int n, const char *path, int flags, int mode)
{
	struct fz_name_rec *rec = &fz.sh->shm_names[n];
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	int want = (flags & O_ACCMODE) == O_RDWR ? 06 : 04;
	struct snap s;
	long r;

	begin(rec, &s);
	r = fz_sys3(SYS_shm_open, path, flags, mode);
	if (r >= 0 && known(rec, &s)) {
		if (excl && exists(&s))
			fz_report("shm_open(%s, O_CREAT|O_EXCL) succeeded, but uid %d had made it",
				  path, s.owner);
		if (!(flags & O_CREAT) && !exists(&s))
			fz_report("shm_open(%s) without O_CREAT succeeded, but it did not exist",
				  path);
		if (exists(&s) && fz.hostile && !others_may(&s, want))
			fz_report("uid %d opened %s (mode %03o, uid %d) for %s", fz.uid, path,
				  s.mode, s.owner, want == 06 ? "read+write" : "read");
	}
	if (r >= 0 && (flags & O_CREAT)) {
		if (excl || (known(rec, &s) && !exists(&s)))
			set(rec, &s, fz.uid, mode & ~FZ_UMASK & 0777); /* we made it */
		else if (!known(rec, &s))
			forget(rec);            /* made or opened: who knows */
	}
	end(rec);
	return r;
}

long fz_names_shm_unlink(int n, const char *path)
{
	struct fz_name_rec *rec = &fz.sh->shm_names[n];
	struct snap s;
	long r;

	begin(rec, &s);
	r = fz_sys1(SYS_shm_unlink, path);
	if (known(rec, &s)) {
		if (r == 0 && !exists(&s))
			fz_report("shm_unlink(%s) succeeded, but it did not exist", path);
		if (r == -ENOENT && exists(&s))
			fz_report("shm_unlink(%s): ENOENT, but uid %d had made it", path, s.owner);
		if (r == 0 && exists(&s) && fz.hostile && !others_may(&s, 02))
			fz_report("uid %d removed %s (mode %03o, uid %d)", fz.uid, path,
				  s.mode, s.owner);
	}
	if (r == 0)
		set(rec, &s, FZ_OWNER_NONE, 0);
	end(rec);
	return r;
}

/* The verdicts of a rename that succeeded, both records undisturbed. */
static void rename_verdicts(const char *pfrom, const char *pto, int flags,
			    const struct snap *sf, const struct snap *st)
{
	if (!exists(sf))
		fz_report("shm_rename(%s, %s) succeeded, but %s did not exist", pfrom, pto, pfrom);
	if ((flags & SHM_RENAME_NOREPLACE) && exists(st))
		fz_report("shm_rename(%s, %s, NOREPLACE) succeeded over an existing name",
			  pfrom, pto);
	if (!fz.hostile)
		return;
	if (exists(sf) && !others_may(sf, 02))
		fz_report("uid %d renamed %s (mode %03o, uid %d)", fz.uid, pfrom,
			  sf->mode, sf->owner);
	if (exists(st) && !others_may(st, 02))
		fz_report("uid %d renamed over %s (mode %03o, uid %d)", fz.uid, pto,
			  st->mode, st->owner);
}

long fz_names_shm_rename(int from, int to, const char *pfrom, const char *pto, int flags)
{
	struct fz_name_rec *rf = &fz.sh->shm_names[from], *rt = &fz.sh->shm_names[to];
	struct snap sf, st;
	long r;

	if (from == to) {
		begin(rf, &sf);
		r = fz_sys3(SYS_shm_rename, pfrom, pto, flags);
		end(rf);
		return r;
	}
	begin(rf, &sf);
	begin(rt, &st);
	r = fz_sys3(SYS_shm_rename, pfrom, pto, flags);
	bool sure = known(rf, &sf) && known(rt, &st);
	if (r == 0 && sure)
		rename_verdicts(pfrom, pto, flags, &sf, &st);
	if (r == 0 && !sure) {
		forget(rf);
		forget(rt);
	} else if (r == 0 && (flags & SHM_RENAME_EXCHANGE) && exists(&st)) {
		set(rf, &sf, st.owner, st.mode);
		set(rt, &st, sf.owner, sf.mode);
	} else if (r == 0) {
		set(rt, &st, sf.owner, sf.mode);
		set(rf, &sf, FZ_OWNER_NONE, 0);
	}
	end(rt);
	end(rf);
	return r;
}

/*
 * fchmod or fchown: if it worked on an shm object, that object may hold
 * any of the names, so every record becomes unknown.  All of them are
 * busy across the call, so no verdict can rest on the old modes.
 */
long fz_names_fchmod(int fd, int mode, bool chown, int uid, int gid)
{
	struct snap s[FZ_NAMES];
	long r;

	for (int n = 0; n < FZ_NAMES; n++)
		begin(&fz.sh->shm_names[n], &s[n]);
	if (chown)
		r = fz_sys3(SYS_fchown, fd, uid, gid);
	else
		r = fz_sys2(SYS_fchmod, fd, mode);
	for (int n = 0; n < FZ_NAMES; n++) {
		if (r == 0)
			forget(&fz.sh->shm_names[n]);
		end(&fz.sh->shm_names[n]);
	}
	return r;
}
