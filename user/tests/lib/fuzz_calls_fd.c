/*
 * fuzz_calls_fd.c - calls on descriptors, files, pipes, shm and memory.
 *
 * Each call draws its arguments from its own generator (c->r), mostly
 * from the process's tables and mostly valid, and writes what the kernel
 * answered back into the tables: a new descriptor is added, a closed one
 * forgotten, a mapping recorded with how far a touch may reach.  Arguments
 * that could hurt the fuzzer itself rather than the kernel are never
 * made: no MAP_FIXED or munmap outside the fuzzer's own mappings (it
 * would unmap its own code), no dup2 onto the log descriptor, no open of
 * the console, no shm name outside the round's set (fuzz_names.c).
 *
 * Calls that could wait forever on a blocking descriptor (read of an
 * empty pipe, write to a full one) poll first and skip when they would
 * block, but for one in thirty: then they block, until another process
 * of the round wakes them or the supervisor sees every process asleep and
 * ends the round.  (More often, and the round's root would rarely live to
 * fork.)
 */
#include "fuzz_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "uapi/syscall.h"

#define PAGE 4096ul

/* An address the kernel must refuse to read or write. */
static void *bad_pointer(struct fz_rng *r)
{
	static const uintptr_t pool[] = {
		0, 1, 0xffffffff80100000ul, 0x0000800000000000ul, 0x00007ffffffff000ul,
	};
	return (void *)FZ_PICK(r, pool);
}

/* A data length, mostly small. */
static size_t data_len(struct fz_rng *r)
{
	static const size_t lens[] = { 0, 1, 7, 64, 100, 512, 4096, 4096, 16384, 65536 };
	return FZ_PICK(r, lens);
}

/* Is fd a pipe or socket that may make a call wait? */
static bool blocking(int fd)
{
	struct fz_fd *f = fz_fd_get(fd);

	return f != NULL && !(f->state & FZ_SO_NONBLOCK) &&
	       (f->type == FZ_FD_PIPE_R || f->type == FZ_FD_PIPE_W || f->type == FZ_FD_SOCK);
}

/* Would I/O on fd wait?  Polls with timeout 0 for blocking pipes and sockets. */
static bool would_block(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	return blocking(fd) && fz_sys3(SYS_poll, &p, 1, 0) == 0;
}

/* ------------------------------------------------------ making descriptors */

long fz_call_pipe(struct fz_call *c)
{
	int fds[2], flags = 0;
	long r;

	if (fz_percent(&c->r, 30))
		flags |= O_NONBLOCK;
	if (fz_percent(&c->r, 20))
		flags |= O_CLOEXEC;
	if (fz_percent(&c->r, 3))
		flags |= O_APPEND;              /* not a pipe2 flag: EINVAL */
	r = fz_sys2(SYS_pipe2, fds, flags);
	fz_note(c, "(%#x)", flags);
	if (r == 0) {
		struct fz_fd *rd = fz_fd_add(fds[0], FZ_FD_PIPE_R);
		struct fz_fd *wr = fz_fd_add(fds[1], FZ_FD_PIPE_W);

		if (flags & O_NONBLOCK) {
			if (rd)
				rd->state |= FZ_SO_NONBLOCK;
			if (wr)
				wr->state |= FZ_SO_NONBLOCK;
		}
		fz_note(c, " = [%d %d]", fds[0], fds[1]);
	}
	return r;
}

long fz_call_open(struct fz_call *c)
{
	static const char *const paths[] = {
		"/dev/null", "/dev/null", "/bin/true", "/bin/sh", "/test/fuzz_test", "/",
		"/bin", "/nonexistent", "bin/true", "/bin/true/x", "",
	};
	static const int flags[] = {
		O_RDONLY, O_RDONLY, O_RDWR, O_WRONLY, O_RDONLY | O_NONBLOCK,
		O_RDONLY | O_CLOEXEC, O_RDONLY | O_DIRECTORY, O_RDWR | O_CREAT, O_RDONLY | O_TRUNC,
	};
	const char *path = FZ_PICK(&c->r, paths);
	int fl = FZ_PICK(&c->r, flags);
	long r = fz_sys3(SYS_open, path, fl, 0644);

	fz_note(c, "(\"%s\", %#x)", path, fl);
	if (r >= 0) {
		struct fz_fd *f = fz_fd_add((int)r, strcmp(path, "/dev/null") ? FZ_FD_FILE : FZ_FD_NULL);

		if (f && (fl & O_NONBLOCK))
			f->state |= FZ_SO_NONBLOCK;
	}
	return r;
}

long fz_call_shm_open(struct fz_call *c)
{
	static const int modes[] = { 0600, 0644, 0666, 0640, 0400, 0777, 0, 0606 };
	char path[64];
	int n, flags, mode = FZ_PICK(&c->r, modes);
	unsigned roll = fz_below(&c->r, 100);
	long r;

	flags = fz_percent(&c->r, 75) ? O_RDWR : O_RDONLY;
	if (fz_percent(&c->r, 70))
		flags |= O_CREAT;
	if ((flags & O_CREAT) && fz_percent(&c->r, 35))
		flags |= O_EXCL;
	if (fz_percent(&c->r, 15))
		flags |= O_TRUNC;
	if (fz_percent(&c->r, 2))
		flags |= O_APPEND;              /* not allowed: EINVAL */
	n = fz_names_pick_known(c, fz.shm_made, (flags & O_CREAT) ? 30 : 70);
	if (roll < 15) {                        /* anonymous */
		r = fz_sys3(SYS_shm_open, SHM_ANON, flags, mode);
		fz_note(c, "(SHM_ANON, %#x, %03o)", flags, mode);
	} else if (roll < 18) {                 /* a path it must refuse */
		static char toolong[1100];      /* SHM_PATH_MAX is 1024 */
		const char *bad[] = { "fz", "", toolong, (const char *)bad_pointer(&c->r) };

		if (toolong[0] == '\0')
			memset(toolong, 'x', sizeof(toolong) - 1), toolong[0] = '/';
		r = fz_sys3(SYS_shm_open, FZ_PICK(&c->r, bad), flags, mode);
		fz_note(c, "(bad path, %#x)", flags);
	} else {
		fz_shm_name(n, path, sizeof(path));
		r = fz_names_shm_open(n, path, flags, mode);
		fz_note(c, "(%s, %#x, %03o)", path, flags, mode);
		if (r >= 0)
			fz.shm_made |= 1u << n;
		if (r == -ENOENT)
			fz.shm_made &= ~(1u << n);
	}
	if (r >= 0) {
		struct fz_fd *f = fz_fd_add((int)r, FZ_FD_SHM);

		if (f && !(flags & O_EXCL) && roll >= 15)
			f->size = -1;           /* maybe an old object: size unknown */
	}
	return r;
}

long fz_call_dup(struct fz_call *c)
{
	static const int garbage_targets[] = { -1, FZ_FDS, 100000 };
	int fd = fz_fd_pick(c, fz_is_any), to;
	unsigned roll = fz_below(&c->r, 100);
	long r;

	if (fz_percent(&c->r, 50) && (to = fz_fd_pick_live(c, fz_is_any)) >= 0)
		;                               /* onto a descriptor we hold */
	else if (fz_percent(&c->r, 90))
		to = (int)fz_below(&c->r, FZ_LOG_FD);
	else
		to = FZ_PICK(&c->r, garbage_targets);
	if (roll < 40) {
		r = fz_sys1(SYS_dup, fd);
		fz_note(c, "(%d)", fd);
	} else if (roll < 65) {
		r = fz_sys2(SYS_dup2, fd, to);
		fz_note(c, "2(%d, %d)", fd, to);
	} else if (roll < 80) {
		int fl = fz_percent(&c->r, 90) ? O_CLOEXEC : O_NONBLOCK;

		r = fz_sys3(SYS_dup3, fd, to, fl);
		fz_note(c, "3(%d, %d, %#x)", fd, to, fl);
	} else {
		static const int mins[] = { 0, 3, 10, 100, 250, 254, FZ_FDS };
		int min = FZ_PICK(&c->r, mins);
		int cmd = fz_percent(&c->r, 70) ? F_DUPFD : F_DUPFD_CLOEXEC;

		r = fz_sys3(SYS_fcntl, fd, cmd, min);
		fz_note(c, "(fcntl %d, F_DUPFD%s, %d)", fd, cmd == F_DUPFD ? "" : "_CLOEXEC", min);
	}
	if (r >= 0 && r != fd)
		fz_fd_copy((int)r, fd);
	return r;
}

long fz_call_close(struct fz_call *c)
{
	int fd = fz_fd_pick(c, fz_is_any);
	long r = fz_sys1(SYS_close, fd);

	fz_note(c, "(%d)", fd);
	if (r == 0 || r == -EBADF)
		fz_fd_closed(fd);
	return r;
}

/* -------------------------------------------------------------- I/O */

long fz_call_read(struct fz_call *c)
{
	int fd = fz_fd_pick(c, fz_is_readable);
	size_t len = data_len(&c->r);
	void *buf = fz_percent(&c->r, 4) ? bad_pointer(&c->r) : fz_buf;

	fz_note(c, "(%d, %zu)", fd, len);
	if (fz_percent(&c->r, 97) && would_block(fd, POLLIN))
		return FZ_SKIP;
	return fz_sys3(SYS_read, fd, buf, len);
}

long fz_call_write(struct fz_call *c)
{
	int fd = fz_fd_pick(c, fz_is_writable);
	size_t len = data_len(&c->r);
	void *buf = fz_percent(&c->r, 4) ? bad_pointer(&c->r) : fz_buf;

	if (fz_percent(&c->r, 97)) {
		if (would_block(fd, POLLOUT))
			return FZ_SKIP;
		if (blocking(fd) && len > 512)
			len = 512;              /* POLLOUT promises room for this much */
	}
	fz_note(c, "(%d, %zu)", fd, len);
	return fz_sys3(SYS_write, fd, buf, len);
}

long fz_call_poll(struct fz_call *c)
{
	struct pollfd p[6];
	unsigned n = 1 + fz_below(&c->r, 6);
	int timeout = fz_percent(&c->r, 85) ? 0 : 1 + (int)fz_below(&c->r, 3);

	for (unsigned i = 0; i < n; i++) {
		p[i].fd = fz_fd_pick(c, fz_is_any);
		p[i].events = (short)(fz_below(&c->r, 4) == 0 ? POLLOUT :
				      fz_percent(&c->r, 50) ? POLLIN : POLLIN | POLLOUT);
		p[i].revents = 0;
	}
	fz_note(c, "(%u fds, %d ms)", n, timeout);
	if (fz_percent(&c->r, 3))
		return fz_sys3(SYS_poll, bad_pointer(&c->r), n, 0);
	return fz_sys3(SYS_poll, p, n, timeout);
}

long fz_call_fstat(struct fz_call *c)
{
	int fd = fz_fd_pick(c, fz_is_any);
	struct stat st;
	void *buf = fz_percent(&c->r, 5) ? bad_pointer(&c->r) : &st;

	fz_note(c, "(%d)", fd);
	return fz_sys2(SYS_fstat, fd, buf);
}

long fz_call_fcntl(struct fz_call *c)
{
	int fd = fz_fd_pick(c, fz_is_any);
	struct fz_fd *f = fz_fd_get(fd);
	long r, fl;

	switch (fz_below(&c->r, 6)) {
	case 0:
		fz_note(c, "(%d, F_GETFL)", fd);
		return fz_sys3(SYS_fcntl, fd, F_GETFL, 0);
	case 1:
	case 2:
		fl = fz_percent(&c->r, 60) ? O_NONBLOCK : 0;
		fz_note(c, "(%d, F_SETFL, %#lx)", fd, fl);
		r = fz_sys3(SYS_fcntl, fd, F_SETFL, fl);
		if (r == 0 && f != NULL)
			f->state = (uint8_t)(fl ? f->state | FZ_SO_NONBLOCK : f->state & ~FZ_SO_NONBLOCK);
		return r;
	case 3:
		fz_note(c, "(%d, F_GETFD)", fd);
		return fz_sys3(SYS_fcntl, fd, F_GETFD, 0);
	case 4:
		fz_note(c, "(%d, F_SETFD)", fd);
		return fz_sys3(SYS_fcntl, fd, F_SETFD, fz_percent(&c->r, 50) ? FD_CLOEXEC : 0);
	default:
		fz_note(c, "(%d, 999)", fd);
		return fz_sys3(SYS_fcntl, fd, 999, 0);
	}
}

long fz_call_lseek(struct fz_call *c)
{
	static const long offs[] = { 0, 1, 4096, -1, 1L << 40, 100 };
	int fd = fz_fd_pick(c, fz_is_any);
	long off = FZ_PICK(&c->r, offs);
	int whence = (int)fz_below(&c->r, 4);   /* SEEK_SET, CUR, END, and a bad one */

	fz_note(c, "(%d, %ld, %d)", fd, off, whence);
	return fz_sys3(SYS_lseek, fd, off, whence);
}

/* ------------------------------------------------------------- shm */

long fz_call_ftruncate(struct fz_call *c)
{
	static const long lens[] = {
		0, 1, 4095, 4096, 8192, 3 * 4096, 65536, 1 << 20, 4096, 8192, -1, 1L << 40,
	};
	int fd = fz_fd_pick(c, fz_is_shm);
	long len = FZ_PICK(&c->r, lens);
	long r = fz_sys2(SYS_ftruncate, fd, len);
	struct fz_fd *f = fz_fd_get(fd);

	fz_note(c, "(%d, %ld)", fd, len);
	if (r == 0 && f != NULL && f->type == FZ_FD_SHM)
		fz_fd_set_size(f->obj, len);
	return r;
}

long fz_call_fchmod(struct fz_call *c)
{
	static const int modes[] = { 0600, 0666, 0644, 0400, 0, 0777, 07777 };
	static const int ids[] = { 0, FZ_HOSTILE_UID, 1001, -1 };
	int fd = fz_fd_pick(c, fz_is_shm);

	if (fz_percent(&c->r, 70)) {
		int mode = FZ_PICK(&c->r, modes);

		fz_note(c, "(%d, %03o)", fd, mode);
		return fz_names_fchmod(fd, mode, false, 0, 0);
	}
	int uid = FZ_PICK(&c->r, ids), gid = FZ_PICK(&c->r, ids);
	fz_note(c, " fchown(%d, %d, %d)", fd, uid, gid);
	return fz_names_fchmod(fd, 0, true, uid, gid);
}

long fz_call_shm_unlink(struct fz_call *c)
{
	char path[64];
	int n = fz_names_pick_known(c, fz.shm_made, 60);
	long r;

	if (fz_percent(&c->r, 4)) {
		fz_note(c, "(bad path)");
		return fz_sys1(SYS_shm_unlink, fz_percent(&c->r, 50) ? "fz" : bad_pointer(&c->r));
	}
	fz_shm_name(n, path, sizeof(path));
	fz_note(c, "(%s)", path);
	r = fz_names_shm_unlink(n, path);
	if (r == 0 || r == -ENOENT)
		fz.shm_made &= ~(1u << n);
	return r;
}

long fz_call_shm_rename(struct fz_call *c)
{
	static const int flags[] = {
		0, 0, 0, SHM_RENAME_NOREPLACE, SHM_RENAME_NOREPLACE, SHM_RENAME_EXCHANGE,
		SHM_RENAME_EXCHANGE, SHM_RENAME_NOREPLACE | SHM_RENAME_EXCHANGE,
	};
	char from[64], to[64];
	int a = fz_names_pick_known(c, fz.shm_made, 60), b = fz_names_pick(c);
	int fl = FZ_PICK(&c->r, flags);
	long r;

	fz_shm_name(a, from, sizeof(from));
	fz_shm_name(b, to, sizeof(to));
	if (fz_percent(&c->r, 4)) {     /* a bad `to` can name nothing new */
		fz_note(c, "(%s, bad path)", from);
		return fz_sys3(SYS_shm_rename, from, fz_percent(&c->r, 50) ? "fz" : "", fl);
	}
	fz_note(c, "(%s, %s, %d)", from, to, fl);
	r = fz_names_shm_rename(a, b, from, to, fl);
	if (r == 0 && a != b) {
		bool had_b = fz.shm_made & (1u << b);

		fz.shm_made = (fz.shm_made & ~(1u << a)) | (1u << b);
		if ((fl & SHM_RENAME_EXCHANGE) && had_b)
			fz.shm_made |= 1u << a;
	}
	return r;
}

/* ----------------------------------------------------------- memory */

static int random_prot(struct fz_rng *r)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ, PROT_READ, PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE,
	};
	return FZ_PICK(r, prots);
}

/* The mmap arguments that must fail, and cannot touch our own memory. */
static long mmap_garbage(struct fz_call *c)
{
	int fd = fz_fd_pick(c, fz_is_any);

	switch (fz_below(&c->r, 5)) {
	case 0:
		fz_note(c, "(len 0)");
		return fz_sys6(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	case 1:
		fz_note(c, "(len 2^46)");
		return fz_sys6(SYS_mmap, 0, 1L << 46, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	case 2:
		fz_note(c, "(fd %d, unaligned offset)", fd);
		return fz_sys6(SYS_mmap, 0, PAGE, PROT_READ, MAP_SHARED, fd, 100);
	case 3:
		fz_note(c, "(MAP_FIXED at a kernel address)");
		return fz_sys6(SYS_mmap, 0xffffffff80100000ul, PAGE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	default:
		fz_note(c, "(fd %d, no type)", fd);
		return fz_sys6(SYS_mmap, 0, PAGE, PROT_READ, 0, fd, 0);
	}
}

long fz_call_mmap(struct fz_call *c)
{
	static const size_t lens[] = { 1, 1, 2, 3, 4, 8, 16, 64, 256 };
	size_t len = FZ_PICK(&c->r, lens) * PAGE;
	int prot = random_prot(&c->r), flags, fd = -1;
	bool file = fz_percent(&c->r, 50), shared = fz_percent(&c->r, 70);
	long off = fz_percent(&c->r, 85) ? 0 : (long)PAGE;
	uintptr_t addr = 0;
	size_t safe = len;
	struct stat st;
	long r;

	if (fz_percent(&c->r, 8))
		return mmap_garbage(c);
	struct fz_map *over = fz_percent(&c->r, 10) ? fz_map_pick(c) : NULL;
	if (over != NULL) {                     /* MAP_FIXED over one of ours */
		addr = over->addr;
		if (len > over->len)
			len = over->len;
	}
	if (fz.mapped + len > FZ_MAP_BUDGET)
		return FZ_SKIP;
	flags = (shared ? MAP_SHARED : MAP_PRIVATE) | (addr ? MAP_FIXED : 0);
	if (fz_percent(&c->r, 5))
		flags |= MAP_POPULATE;
	if (file) {
		fd = fz_fd_pick(c, fz_percent(&c->r, 60) ? fz_is_sized_shm : fz_is_shm);
		st.st_size = 0;
		if (fz_sys2(SYS_fstat, fd, &st) < 0)
			st.st_size = 0;
		safe = st.st_size > off ? (size_t)(st.st_size - off) : 0;
	} else {
		flags |= MAP_ANONYMOUS;
		off = 0;
	}
	r = fz_sys6(SYS_mmap, addr, len, prot, flags, fd, off);
	fz_note(c, "(%#lx, %zu, %d, %#x, %d, %ld)", (unsigned long)addr, len, prot, flags, fd, off);
	if (r < 0 && r > -4096)
		return r;
	if (addr != 0)
		fz_map_remove_range(addr, len);
	fz_map_add((uintptr_t)r, len, prot, shared, safe);
	return r;
}

long fz_call_munmap(struct fz_call *c)
{
	struct fz_map *m = fz_map_pick(c);
	uintptr_t addr;
	size_t len;
	long r;

	if (m == NULL)
		return FZ_SKIP;
	addr = m->addr;
	len = m->len;
	switch (fz_below(&c->r, 12)) {
	case 0:                                 /* the first page */
		len = PAGE;
		break;
	case 1:                                 /* the last page */
		addr += len - PAGE;
		len = PAGE;
		break;
	case 2:                                 /* a page in the middle */
		if (len >= 3 * PAGE)
			addr += PAGE * (1 + fz_below(&c->r, (unsigned)(len / PAGE - 2)));
		len = PAGE;
		break;
	case 3:                                 /* misaligned: EINVAL */
		addr += 1;
		break;
	case 4:
		len = 0;                        /* EINVAL */
		break;
	default:
		break;
	}
	r = fz_sys2(SYS_munmap, addr, len);
	fz_note(c, "(%#lx, %zu)", (unsigned long)addr, len);
	if (r == 0 && len > 0)
		fz_map_remove_range(addr, len);
	return r;
}

long fz_call_mprotect(struct fz_call *c)
{
	struct fz_map *m = fz_map_pick(c);
	int prot = fz_percent(&c->r, 95) ? random_prot(&c->r) : 0x10;
	bool whole = fz_percent(&c->r, 80);
	long r;

	if (m == NULL)
		return FZ_SKIP;
	r = fz_sys3(SYS_mprotect, m->addr, whole ? m->len : PAGE, prot);
	fz_note(c, "(%#lx, %s, %d)", (unsigned long)m->addr, whole ? "all" : "a page", prot);
	if (r == 0)
		m->prot = whole || m->len == PAGE ? prot : -1;
	return r;
}

/*
 * Write (or read) a few bytes in up to FZ_TOUCH_PAGES pages of a mapping,
 * within the part that should be backed: the page faults, copy-on-write
 * and the shm object's pages are what this exercises.
 */
long fz_call_touch(struct fz_call *c)
{
	struct fz_map *m = fz_map_pick_touchable(c);
	size_t pages, first;

	if (m == NULL)
		return FZ_SKIP;
	pages = (m->safe + PAGE - 1) / PAGE;
	first = fz_below(&c->r, (unsigned)pages);
	if (pages - first > FZ_TOUCH_PAGES)
		pages = first + FZ_TOUCH_PAGES;
	fz_note(c, "(%#lx, pages %zu..%zu, %s)", (unsigned long)m->addr, first, pages - 1,
		(m->prot & PROT_WRITE) ? "write" : "read");
	for (size_t p = first; p < pages; p++) {
		size_t off = p * PAGE + fz_below(&c->r, PAGE);
		volatile unsigned char *b = (volatile unsigned char *)m->addr;

		if (off >= m->safe)
			off = m->safe - 1;
		if (m->prot & PROT_WRITE)
			b[off] = (unsigned char)(b[off] + 1);
		else
			(void)b[off];
	}
	return (long)(pages - first);
}
