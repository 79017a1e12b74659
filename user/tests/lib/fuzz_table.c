/*
 * fuzz_table.c - what a fuzzing process holds, and how calls pick from it.
 *
 * A process keeps three tables (struct fz_proc in fuzz_impl.h):
 *
 *   descriptors  indexed by descriptor number, because the kernel names
 *                them so: every call that makes, replaces or closes one
 *                updates its slot.  A slot says what the descriptor is
 *                (pipe end, socket of which type and in which state, shm
 *                object and its size, boot fs file, /dev/null) and when it
 *                was made, so that "the newest socket" means something.
 *   mappings     address, length, protection, and how much of it a touch
 *                can reach without SIGBUS (an shm object may be shorter
 *                than its mapping).
 *   child pids   for kill and wait.
 *
 * After fork the child has a copy of all three: it goes on with the same
 * descriptors (they are shared files now), the same mappings and its
 * siblings' pids.
 *
 * Picking.  A call asks for "a descriptor that is a socket", say.  Most
 * of the time it gets one: half the time one of the four newest (so
 * consecutive calls work on the same few things and build on each other),
 * otherwise any.  Sometimes it gets a descriptor of the wrong type, and
 * sometimes garbage: a descriptor closed a moment ago, -1, a number past
 * the table.  The console kept for -v (FZ_LOG_FD) is never an argument.
 * A table slot is only a belief: another process may have shut the
 * socket down or truncated the object; the kernel's answer is the truth,
 * and a wrong belief costs nothing but an error.
 */
#include "fuzz_impl.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "uapi/syscall.h"

unsigned char fz_buf[65536 + 8192];

/* ------------------------------------------------------- predicates */

bool fz_is_any(const struct fz_fd *f)
{
	return f->type != FZ_FD_NONE;
}

bool fz_is_sock(const struct fz_fd *f)
{
	return f->type == FZ_FD_SOCK;
}

bool fz_is_listener(const struct fz_fd *f)
{
	return f->type == FZ_FD_SOCK && (f->state & FZ_SO_LISTEN);
}

bool fz_is_shm(const struct fz_fd *f)
{
	return f->type == FZ_FD_SHM;
}

bool fz_is_sized_shm(const struct fz_fd *f)
{
	return f->type == FZ_FD_SHM && f->size > 0;
}

bool fz_is_readable(const struct fz_fd *f)
{
	return f->type == FZ_FD_PIPE_R || f->type == FZ_FD_SOCK ||
	       f->type == FZ_FD_FILE || f->type == FZ_FD_NULL;
}

bool fz_is_writable(const struct fz_fd *f)
{
	return f->type == FZ_FD_PIPE_W || f->type == FZ_FD_SOCK || f->type == FZ_FD_NULL;
}

/* -------------------------------------------------------- descriptors */

/* Descriptors of the table that want() accepts, into out[]; answers how many. */
static unsigned fd_candidates(bool (*want)(const struct fz_fd *), int *out)
{
	unsigned n = 0;

	for (int fd = 0; fd < FZ_FDS; fd++)
		if (fd != FZ_LOG_FD && fz.fds[fd].type != FZ_FD_NONE && want(&fz.fds[fd]))
			out[n++] = fd;
	return n;
}

/* The k-th newest of cand[0..n) (k = 0 the newest; the oldest if k >= n). */
static int kth_newest(int *cand, unsigned n, unsigned k, uint32_t (*seq)(int))
{
	if (n == 0)
		return -1;
	if (k >= n)
		k = n - 1;
	for (unsigned j = 0; j <= k; j++) {             /* selection: newest first */
		unsigned best = j;

		for (unsigned i = j + 1; i < n; i++)
			if (seq(cand[i]) > seq(cand[best]))
				best = i;
		int t = cand[j];
		cand[j] = cand[best];
		cand[best] = t;
	}
	return cand[k];
}

/*
 * One of the four newest of cand[0..n), or any of them: the choice that
 * makes consecutive calls work on the same few things.  Inside a loop,
 * nearly always one of the newest, so that each iteration works on what
 * the previous one made.
 */
static int pick_recent(struct fz_rng *r, int *cand, unsigned n, uint32_t (*seq)(int))
{
	if (n == 0)
		return -1;
	if (!fz_percent(r, fz.in_loop ? 85 : 55))
		return cand[fz_below(r, n)];
	return kth_newest(cand, n, fz_below(r, 4), seq);
}

static uint32_t fd_seq(int fd)
{
	return fz.fds[fd].seq;
}

/* A descriptor number that is probably not open. */
static int garbage_fd(struct fz_rng *r)
{
	static const int pool[] = { -1, -100, FZ_FDS, 1000, INT_MAX, INT_MIN };
	int fd;

	switch (fz_below(r, 3)) {
	case 0:
		if (fz.nclosed > 0)
			return fz.closed[fz_below(r, fz.nclosed < 8 ? fz.nclosed : 8)];
		/* fall through */
	case 1:
		return FZ_PICK(r, pool);
	default:
		fd = (int)fz_below(r, FZ_FDS - 1);      /* anything below the log fd */
		return fd;
	}
}

int fz_fd_pick_live(struct fz_call *c, bool (*want)(const struct fz_fd *))
{
	int cand[FZ_FDS];
	unsigned n = fd_candidates(want, cand);

	return pick_recent(&c->r, cand, n, fd_seq);
}

/* Always one of the four newest. */
int fz_fd_pick_newest(struct fz_call *c, bool (*want)(const struct fz_fd *))
{
	int cand[FZ_FDS];
	unsigned n = fd_candidates(want, cand);

	return kth_newest(cand, n, fz_below(&c->r, 4), fd_seq);
}

int fz_fd_pick(struct fz_call *c, bool (*want)(const struct fz_fd *))
{
	unsigned roll = fz_below(&c->r, 100);
	int fd = -1;

	if (roll < 88)
		fd = fz_fd_pick_live(c, want);
	if (fd < 0 && roll < 95)
		fd = fz_fd_pick_live(c, fz_is_any);
	if (fd < 0)
		fd = garbage_fd(&c->r);
	return fd;
}

struct fz_fd *fz_fd_get(int fd)
{
	if (fd < 0 || fd >= FZ_FDS || fd == FZ_LOG_FD)
		return NULL;
	return &fz.fds[fd];
}

struct fz_fd *fz_fd_add(int fd, int type)
{
	struct fz_fd *f = fz_fd_get(fd);

	if (f == NULL)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->type = (uint8_t)type;
	f->name = -1;
	f->seq = ++fz.seq;
	f->size = -1;
	if (type == FZ_FD_SHM) {
		f->obj = ++fz.next_obj;
		f->size = 0;
	}
	return f;
}

void fz_fd_forget(int fd)
{
	struct fz_fd *f = fz_fd_get(fd);

	if (f != NULL)
		f->type = FZ_FD_NONE;
}

void fz_fd_closed(int fd)
{
	if (fz_fd_get(fd) == NULL)
		return;
	fz_fd_forget(fd);
	fz.closed[fz.nclosed++ % 8] = fd;
}

/* fd `to` now shares the file of `from` (dup): same beliefs, a new seq. */
void fz_fd_copy(int to, int from)
{
	struct fz_fd *t = fz_fd_get(to), *f = fz_fd_get(from);

	if (t == NULL)
		return;
	if (f == NULL || f->type == FZ_FD_NONE) {
		fz_fd_add(to, FZ_FD_OTHER);
		return;
	}
	*t = *f;
	t->seq = ++fz.seq;
}

void fz_fd_set_size(uint32_t obj, int64_t size)
{
	for (int fd = 0; fd < FZ_FDS; fd++)
		if (fz.fds[fd].type == FZ_FD_SHM && fz.fds[fd].obj == obj)
			fz.fds[fd].size = size;
}

int fz_fd_count(void)
{
	int n = 0;

	for (int fd = 0; fd < FZ_FDS; fd++)
		n += fz.fds[fd].type != FZ_FD_NONE;
	return n;
}

/*
 * A descriptor that arrived by SCM_RIGHTS: find out what it is, as a
 * program would, with fstat (and SO_TYPE for a socket).
 */
void fz_fd_identify(int fd)
{
	struct stat st;
	int sotype = 0, type = FZ_FD_OTHER;
	unsigned optlen = sizeof(sotype);
	long fl;

	if (fz_sys2(SYS_fstat, fd, &st) < 0) {
		fz_fd_add(fd, FZ_FD_OTHER);
		return;
	}
	fl = fz_sys3(SYS_fcntl, fd, F_GETFL, 0);
	switch (st.st_mode & S_IFMT) {
	case S_IFSOCK:
		type = FZ_FD_SOCK;
		fz_sys6(SYS_getsockopt, fd, SOL_SOCKET, SO_TYPE, &sotype, &optlen, 0);
		break;
	case S_IFIFO:
		type = fl >= 0 && (fl & O_ACCMODE) == O_RDONLY ? FZ_FD_PIPE_R : FZ_FD_PIPE_W;
		break;
	case S_IFCHR:
		type = FZ_FD_NULL;
		break;
	case S_IFREG:
		type = st.st_dev == 0 ? FZ_FD_SHM : FZ_FD_FILE;
		break;
	case S_IFDIR:
		type = FZ_FD_FILE;
		break;
	}
	struct fz_fd *f = fz_fd_add(fd, type);
	if (f == NULL)
		return;
	f->sotype = (uint8_t)sotype;
	if (fl >= 0 && (fl & O_NONBLOCK))
		f->state |= FZ_SO_NONBLOCK;
	if (type == FZ_FD_SHM)
		f->size = st.st_size;
}

/* ----------------------------------------------------------- mappings */

static uint32_t map_seq(int i)
{
	return fz.maps[i].seq;
}

struct fz_map *fz_map_pick(struct fz_call *c)
{
	int cand[FZ_MAPS];
	unsigned n = 0;

	for (int i = 0; i < FZ_MAPS; i++)
		if (fz.maps[i].addr != 0)
			cand[n++] = i;
	int i = pick_recent(&c->r, cand, n, map_seq);
	return i < 0 ? NULL : &fz.maps[i];
}

/* A mapping a touch can reach: readable, and backed at least in part. */
struct fz_map *fz_map_pick_touchable(struct fz_call *c)
{
	int cand[FZ_MAPS];
	unsigned n = 0;

	for (int i = 0; i < FZ_MAPS; i++) {
		struct fz_map *m = &fz.maps[i];

		if (m->addr != 0 && m->prot >= 0 && (m->prot & 1 /* PROT_READ */) && m->safe > 0)
			cand[n++] = i;
	}
	int i = pick_recent(&c->r, cand, n, map_seq);
	return i < 0 ? NULL : &fz.maps[i];
}

static struct fz_map *map_slot(void)
{
	for (int i = 0; i < FZ_MAPS; i++)
		if (fz.maps[i].addr == 0)
			return &fz.maps[i];
	return NULL;
}

struct fz_map *fz_map_add(uintptr_t addr, size_t len, int prot, bool shared, size_t safe)
{
	struct fz_map *m = map_slot();

	fz.mapped += len;               /* counted even if untracked: it is mapped */
	if (m == NULL)
		return NULL;
	m->addr = addr;
	m->len = len;
	m->prot = prot;
	m->shared = shared;
	m->safe = safe < len ? safe : len;
	m->seq = ++fz.seq;
	return m;
}

/* Split m around [addr, addr + len): keep what lies outside. */
static void map_cut(struct fz_map *m, uintptr_t addr, size_t len)
{
	uintptr_t end = addr + len, mend = m->addr + m->len;
	uintptr_t lo = addr > m->addr ? addr : m->addr;
	uintptr_t hi = end < mend ? end : mend;
	struct fz_map right = *m;

	fz.mapped -= hi - lo;
	if (hi < mend) {                        /* a piece stays to the right */
		size_t skipped = hi - m->addr;

		right.addr = hi;
		right.len = mend - hi;
		right.safe = m->safe > skipped ? m->safe - skipped : 0;
	}
	if (lo > m->addr) {                     /* and one to the left */
		m->len = lo - m->addr;
		if (m->safe > m->len)
			m->safe = m->len;
	} else {
		m->addr = 0;
	}
	if (hi < mend) {
		struct fz_map *slot = m->addr == 0 ? m : map_slot();

		if (slot != NULL)       /* else untracked: still mapped, still counted */
			*slot = right;
	}
}

void fz_map_remove_range(uintptr_t addr, size_t len)
{
	for (int i = 0; i < FZ_MAPS; i++) {
		struct fz_map *m = &fz.maps[i];

		if (m->addr != 0 && m->addr < addr + len && addr < m->addr + m->len)
			map_cut(m, addr, len);
	}
}

/* --------------------------------------------------------------- pids */

static uint32_t pid_seq(int i)
{
	return fz.pids[i].seq;
}

struct fz_pid *fz_pid_pick(struct fz_call *c)
{
	int cand[FZ_PIDS];
	unsigned n = 0;

	for (int i = 0; i < FZ_PIDS; i++)
		if (fz.pids[i].pid > 0 && !fz.pids[i].reaped)
			cand[n++] = i;
	int i = pick_recent(&c->r, cand, n, pid_seq);
	return i < 0 ? NULL : &fz.pids[i];
}

struct fz_pid *fz_pid_find(int pid)
{
	for (int i = 0; i < FZ_PIDS; i++)
		if (fz.pids[i].pid == pid)
			return &fz.pids[i];
	return NULL;
}

void fz_pid_add(int pid)
{
	for (int i = 0; i < FZ_PIDS; i++) {
		struct fz_pid *p = &fz.pids[i];

		if (p->pid == 0 || p->reaped) {
			p->pid = pid;
			p->mine = true;
			p->reaped = false;
			p->seq = ++fz.seq;
			return;
		}
	}
}
