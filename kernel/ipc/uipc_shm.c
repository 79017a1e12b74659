/*
 * uipc_shm.c - POSIX shared memory: the shm file type and the system calls
 * shm_open, shm_unlink, shm_rename and shm_list.
 *
 * Naming: this file follows FreeBSD's uipc_shm.c, whose functions are
 * called shm_*; so are ours (the public ones are the sys_shm_* entry
 * points; everything else is static).
 *
 * What an shm object is
 * ---------------------
 * A struct shm is a small record - size, mode, owner, timestamps, and a
 * name if it has one - wrapped around a VM object of the ordinary
 * anonymous (zero-fill, later swap-backed) kind.  The VM object starts at
 * size 0; ftruncate sets its size, and mmap (through the file ops' mmap
 * slot) hands the VM object itself to the generic mmap code, which maps it
 * shared or copy-on-write like any other object.  There is no file system
 * under it: the name space is a hash table of paths, and the bytes are
 * only ever reached through mappings (read and write are refused).
 *
 * The three lifetimes
 * -------------------
 * An shm object can be reached in three ways, and it must outlive each:
 *
 *   1. Its name.  While the path is in the hash table, shm_open can find
 *      the object, so the table holds one reference on the struct shm.
 *      shm_unlink takes the path out at once and drops that reference;
 *      the object itself lives on if anything else holds it, and a later
 *      shm_open(O_CREAT) of the same path makes a different object.
 *
 *   2. Its descriptors.  Each struct file of type shm holds one reference
 *      on the struct shm (file->data).  dup, fork and SCM_RIGHTS share the
 *      struct file and so never touch the shm's count; the last
 *      file_release of a file calls shm_fo_close, which drops it.
 *
 *   3. Its mappings.  A map entry holds a reference on the VM object, not
 *      on the struct shm: the VM knows nothing of shm (docs/design.md), and fork
 *      duplicates entries without asking the file layer.  The struct shm
 *      holds one reference on its VM object for as long as it exists.
 *
 * So there are two counts.  shm->refs = (1 if named) + (number of files);
 * when it reaches 0 nobody can ever name the object again (no path, no
 * descriptor, so no fstat, ftruncate or new mapping), the struct shm is
 * freed (the shm_objects counter drops) and its VM object reference goes.
 * The VM object's own count = 1 (the struct shm, while it lives) + one per
 * map entry (+ shadows of private mappings that have been written).  The
 * memory is freed only by the last vm_object_deallocate: unlinking and
 * closing everything leaves the pages in place while they are mapped, and
 * the last munmap (or exit) gives them back.
 *
 * Locking
 * -------
 *   (g) shm_lock, a sleeping mutex over the whole name space: the hash
 *       chains and every object's name fields.  It is held across a lookup
 *       and whatever follows from it, so O_CREAT|O_EXCL is atomic against
 *       other opens, unlinks and renames, and a lookup never finds an
 *       object whose count is 0 (the name's reference keeps it >= 1 while
 *       it is in the table).  Paths are copied in before it is taken.  It is
 *       a mutex, not a spinlock, because shm_list copies out under it and
 *       a truncation may free many pages.
 *   (o) shm->lock, the object's mutex: size, mode, owner, timestamps.  It
 *       serialises ftruncate (which resizes the VM object under it).
 *   (a) atomic; (c) constant after creation.
 * Lock order: shm_lock, then shm->lock, then the VM object's lock (and
 * below it the page and pmap locks).  Nothing in the VM takes a shm lock.
 *
 * Each user may hold SHM_NAMES_USER_MAX names at once (EDQUOT past it,
 * kern/uidinfo.h; the superuser has no bound): a name keeps its object,
 * and the object's pages, alive with no process holding it, so names
 * need a bound of their own.  The charge goes with the object while it
 * has a name (a rename moves the name, not the charge) and comes back
 * when the name goes.
 *
 * The hash is 32-bit FNV-1 (kern/hash.h: multiply by the prime, then xor
 * each byte) started at 33554467, FreeBSD's value.  Lookups compare the
 * whole path, so collisions (/cdywcnqe and /dtflfocj have the same hash)
 * are harmless.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/mutex.h"
#include "kern/proc.h"
#include "kern/clock.h"
#include "kern/copyio.h"
#include "kern/counters.h"
#include "kern/hash.h"
#include "kern/uidinfo.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "ipc/uipc_shm.h"
#include "vm/kmem.h"
#include "vm/vm_object.h"
#include "vm/vm_object_io.h"
#include "vm/vm_page.h"
#include "vm/vm_fault.h"
#include "vm/vm_pager.h"
#include "arch/x86_64/vmparam.h"
#include "uapi/fcntl.h"
#include "uapi/memfd.h"
#include "uapi/mman.h"
#include "uapi/stat.h"
#include "uapi/time.h"
#include "uapi/vmos.h"

#define SHM_OPEN_FLAGS    (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)
#define SHM_RENAME_FLAGS  (SHM_RENAME_NOREPLACE | SHM_RENAME_EXCHANGE)
#define SHM_R             04            /* permission bits, as in one rwx triple */
#define SHM_W             02

_Static_assert(IS_POWER_OF_2(SHM_HASH_BUCKETS), "SHM_HASH_BUCKETS must be a power of two");

/* Locking: (g) shm_lock; (o) lock; (a) atomic; (c) constant after shm_alloc. */
struct shm {
	struct mutex lock;
	int refs;                       /* (a) 1 for the name + 1 per struct file */
	struct vm_object *object;       /* (c) one reference, held until the shm dies */
	uint64_t ino;                   /* (c) for fstat */
	int64_t size;                   /* (o) bytes; the object has page_round(size) pages */
	mode_t mode;                    /* (o) the 0777 bits */
	uid_t uid;                      /* (o) */
	gid_t gid;                      /* (o) */
	struct timespec atime, mtime, ctime, birthtime;    /* (o) */
	int seals;                      /* (o) F_SEAL_*: F_SEAL_SEAL unless made sealable */
	char *path;                     /* (g) kmalloc'd name, NULL once unnamed (read
	                                   atomically by fstat for st_nlink) */
	uid_t name_uid;                 /* (g) the user the name is charged to (uidinfo) */
	uint32_t hash;                  /* (g) hash_fnv1_32(path) */
	struct shm *hnext;              /* (g) next on the hash chain */
	struct shm **hprev;             /* (g) the pointer that points at us */
};

static struct mutex shm_lock = MUTEX_INIT(shm_lock, "shm");
static struct shm *shm_table[SHM_HASH_BUCKETS];         /* (g) */
static uint64_t shm_next_ino = 1;                       /* (a) */

static const struct file_ops shm_ops;

/* ------------------------------------------------------------ the objects */

static struct timespec shm_now(void)
{
	return clock_ns_to_timespec(clock_realtime_ns());
}

/*
 * A new unnamed object of size 0 with permission bits mode (already
 * masked), owned by the caller's effective ids, with one reference that
 * the caller owns.  NULL when out of memory.  May not sleep.
 */
static struct shm *shm_alloc(mode_t mode)
{
	struct shm *shm = kmalloc(sizeof(*shm), KM_ZERO);
	if (shm == NULL)
		return NULL;
	shm->object = vm_object_allocate_anon(0);
	if (shm->object == NULL) {
		kfree(shm);
		return NULL;
	}
	shm->object->flags |= OBJ_SHM;          /* for tools (kvmmap); nobody else has it yet */
	mutex_init(&shm->lock, "shm object");
	shm->refs = 1;
	shm->ino = __atomic_fetch_add(&shm_next_ino, 1, __ATOMIC_RELAXED);
	shm->mode = mode & 0777;
	shm->seals = F_SEAL_SEAL;               /* only memfd_create(MFD_ALLOW_SEALING) lifts it */
	shm->uid = curproc()->euid;
	shm->gid = curproc()->egid;
	shm->birthtime = shm->atime = shm->mtime = shm->ctime = shm_now();
	COUNTER_INC(shm_objects);
	return shm;
}

static void shm_hold(struct shm *shm)
{
	int old = __atomic_fetch_add(&shm->refs, 1, __ATOMIC_RELAXED);
	KASSERT(old > 0, "shm_hold: %p has refcount %d", shm, old);
}

/*
 * Drop one reference.  The last one frees the struct shm and drops its
 * reference on the VM object, whose pages go too unless mappings still
 * hold it.  No spinlock held: the last reference may sleep (the object
 * waits for paging in progress before it goes).
 */
static void shm_drop(struct shm *shm)
{
	int left = __atomic_sub_fetch(&shm->refs, 1, __ATOMIC_ACQ_REL);
	KASSERT(left >= 0, "shm_drop: %p refcount went negative", shm);
	if (left > 0)
		return;
	KASSERT(shm->path == NULL, "shm_drop: %p dies while named %s", shm, shm->path);
	vm_object_deallocate(shm->object);
	kfree(shm);
	COUNTER_DEC(shm_objects);
}

/* May the current process have access `want` (SHM_R | SHM_W)?  uid 0 may
 * do anything.  0 or -EACCES.  Takes shm->lock. */
static int shm_access(struct shm *shm, int want)
{
	struct proc *p = curproc();
	mode_t bits;
	if (p->euid == 0)
		return 0;
	mutex_lock(&shm->lock);
	if (p->euid == shm->uid)
		bits = shm->mode >> 6;
	else if (p->egid == shm->gid)
		bits = shm->mode >> 3;
	else
		bits = shm->mode;
	mutex_unlock(&shm->lock);
	return ((int)bits & want) == want ? 0 : -EACCES;
}

/* Resident pages of the object and its pages on swap (the pager's count;
 * a page in memory that kept its swap copy is in both). */
static void shm_pages(struct shm *shm, uint64_t *resident, uint64_t *swapped)
{
	vm_object_lock(shm->object);
	*resident = shm->object->resident_count;
	*swapped = vm_pager_page_count(shm->object);
	vm_object_unlock(shm->object);
}

/* ---------------------------------------------------------------- truncate */

/*
 * Set the size to length (>= 0) and update mtime and ctime.  Shrinking
 * frees the whole pages past the new end (unmapping them from every
 * mapping: a later touch there is SIGBUS) with their swap slots, and zeroes
 * the tail of a partial last page.  Growing zeroes the tail of the old
 * partial last page first (a mapping could write past the old end inside
 * that page), so the grown part reads as zeros; new pages come lazily at
 * first touch.  (o) held; never fails.
 */
static void shm_resize_locked(struct shm *shm, int64_t length)
{
	mutex_assert_held(&shm->lock);
	uint64_t npages = page_round((uint64_t)length) >> PAGE_SHIFT;
	KASSERT(mutex_held(&shm->lock), "shm_resize_locked: object lock not held");
	if (length < shm->size) {
		vm_object_set_size(shm->object, npages);
		vm_object_zero_tail(shm->object, (uint64_t)length);
	} else if (length > shm->size) {
		vm_object_zero_tail(shm->object, (uint64_t)shm->size);
		vm_object_set_size(shm->object, npages);
	}
	shm->size = length;
	shm->mtime = shm->ctime = shm_now();
}

/* shm_open's O_TRUNC (inside the shm lab's region: in that lab's student
 * tree nothing calls it until the student does, hence __unused). */
static __unused void shm_resize(struct shm *shm, int64_t length)
{
	mutex_lock(&shm->lock);
	shm_resize_locked(shm, length);
	mutex_unlock(&shm->lock);
}

/* ------------------------------------------------------------- file ops */

/*
 * read and write are refused: an shm object's bytes are reached only by
 * mapping it.  The answer is EOPNOTSUPP, as FreeBSD's shm answered before
 * it grew read and write (the file layer's shared stubs say EINVAL, which
 * for a read means "this descriptor was opened wrongly" -- not the case
 * here: no shm descriptor can ever be read).  ioctl and poll are refused
 * with the shared stubs' ENOTTY and POLLNVAL, as for any non-device.
 */
static long shm_fo_read(struct file *fp __unused, void __user *buf __unused, size_t n __unused)
{
	return -EOPNOTSUPP;
}

static long shm_fo_write(struct file *fp __unused, const void __user *buf __unused,
    size_t n __unused)
{
	return -EOPNOTSUPP;
}

/*
 * fstat: st_blocks counts the pages the object holds, in memory or on
 * swap, in 512-byte units (POSIX's meaning of st_blocks), so one touched
 * page is 8 blocks.
 * st_nlink is 1 while the object has a name, 0 after shm_unlink.
 */
static int shm_fo_stat(struct file *fp, struct stat *st)
{
	struct shm *shm = fp->data;
	file_stat_init(st);
	uint64_t pages = vm_object_page_count(shm->object);
	mutex_lock(&shm->lock);
	st->st_mode = S_IFREG | shm->mode;
	st->st_uid = shm->uid;
	st->st_gid = shm->gid;
	st->st_size = shm->size;
	st->st_atim = shm->atime;
	st->st_mtim = shm->mtime;
	st->st_ctim = shm->ctime;
	mutex_unlock(&shm->lock);
	st->st_ino = shm->ino;
	st->st_nlink = __atomic_load_n(&shm->path, __ATOMIC_RELAXED) != NULL ? 1 : 0;
	st->st_blocks = pages * (PAGE_SIZE / 512);
	return 0;
}

/*
 * mmap: hand back the VM object with a new reference (the caller's, to be
 * owned by the map entry).  vm_mmap has already refused MAP_SHARED +
 * PROT_WRITE on a descriptor without write access (EACCES, before any
 * size check); the object's size is not checked here either: a mapping
 * may reach past the end, and a touch there is SIGBUS (vm_fault).
 */
static int shm_fo_mmap(struct file *fp, uint64_t offset __unused, uint64_t len __unused,
    int prot, int flags, int *max_prot, struct vm_object **objp)
{
	struct shm *shm = fp->data;
	bool shared = (flags & MAP_TYPE) == MAP_SHARED;
	/* The seal's test and the writer's count under one hold of the lock
	 * F_ADD_SEALS takes: a seal added between them would let this
	 * mapping write sealed memory (file.h: fo_mmap). */
	mutex_lock(&shm->lock);
	if ((shm->seals & F_SEAL_WRITE) && shared) {
		if (prot & PROT_WRITE) {
			mutex_unlock(&shm->lock);
			return -EPERM;
		}
		*max_prot &= ~PROT_WRITE;       /* nor may mprotect make it writable */
	}
	if (shared && (*max_prot & PROT_WRITE))
		vm_object_count_writers(shm->object, 1);
	mutex_unlock(&shm->lock);
	vm_object_reference(shm->object);
	*objp = shm->object;
	return 0;
}

/* ftruncate: sys_ftruncate has refused a negative length and a descriptor
 * not open for writing (EINVAL). */
static int shm_fo_truncate(struct file *fp, int64_t length)
{
	struct shm *shm = fp->data;
	int err = 0;
	mutex_lock(&shm->lock);
	if ((length < shm->size && (shm->seals & F_SEAL_SHRINK)) ||
	    (length > shm->size && (shm->seals & F_SEAL_GROW)))
		err = -EPERM;
	else
		shm_resize_locked(shm, length);
	mutex_unlock(&shm->lock);
	return err;
}

/* fchmod: owner or uid 0 only (EPERM); keeps the 0777 bits; sets ctime. */
static int shm_fo_chmod(struct file *fp, mode_t mode)
{
	struct shm *shm = fp->data;
	struct proc *p = curproc();
	int err = 0;
	mutex_lock(&shm->lock);
	if (p->euid != 0 && p->euid != shm->uid)
		err = -EPERM;
	else {
		shm->mode = mode & 0777;
		shm->ctime = shm_now();
	}
	mutex_unlock(&shm->lock);
	return err;
}

/*
 * fchown: owner or uid 0 only (EPERM).  (uid_t)-1 and (gid_t)-1 leave that
 * id alone.  As with _POSIX_CHOWN_RESTRICTED, an owner who is not uid 0
 * cannot give the object away: the uid must stay, and the gid must stay or
 * become the caller's effective gid.  Sets ctime.
 */
static int shm_fo_chown(struct file *fp, uid_t uid, gid_t gid)
{
	struct shm *shm = fp->data;
	struct proc *p = curproc();
	int err = 0;
	mutex_lock(&shm->lock);
	uid = uid == (uid_t)-1 ? shm->uid : uid;
	gid = gid == (gid_t)-1 ? shm->gid : gid;
	if (p->euid != 0 && (p->euid != shm->uid || uid != shm->uid ||
	    (gid != shm->gid && gid != p->egid)))
		err = -EPERM;
	else {
		shm->uid = uid;
		shm->gid = gid;
		shm->ctime = shm_now();
	}
	mutex_unlock(&shm->lock);
	return err;
}

/* The last reference to the file went: drop the file's reference on the shm. */
static void shm_fo_close(struct file *fp)
{
	shm_drop(fp->data);
}

/* ----------------------------------------------------------------- seals */

/*
 * F_GET_SEALS, and F_ADD_SEALS, Linux's rules: the descriptor must be open
 * for writing (EPERM), the object must not carry F_SEAL_SEAL (EPERM: every
 * object but a memfd made with MFD_ALLOW_SEALING carries it from birth),
 * unknown bits are EINVAL, and F_SEAL_WRITE is EBUSY while any mapping
 * may still write the object's pages (vm_map.c counts them in the object:
 * writable_mappings).  Seals only ever accumulate.
 */
static long shm_fo_seals(struct file *fp, int cmd, unsigned long arg)
{
	const unsigned long all = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	struct shm *shm = fp->data;
	long r = 0;
	mutex_lock(&shm->lock);
	if (cmd == F_GET_SEALS) {
		r = shm->seals;
	} else if (arg & ~all) {
		r = -EINVAL;
	} else if (!file_writable(fp) || (shm->seals & F_SEAL_SEAL)) {
		r = -EPERM;
	} else if ((arg & F_SEAL_WRITE) && !(shm->seals & F_SEAL_WRITE)) {
		vm_object_lock(shm->object);
		bool writers = shm->object->writable_mappings > 0;
		vm_object_unlock(shm->object);
		if (writers)
			r = -EBUSY;
	}
	if (r == 0 && cmd == F_ADD_SEALS)
		shm->seals |= (int)arg;
	mutex_unlock(&shm->lock);
	return r;
}

/* ----------------------------------------------------------------- memfd */

/*
 * memfd_create(2) makes an anonymous shm object, as shm_open(SHM_ANON)
 * does, but with Linux's file behaviour: read, write and lseek work on it
 * (a program fills a memfd with write before sealing it and passing it
 * on, and Linux programs expect that), through the object's own pages
 * (vm/vm_object_io.c).  shm_open objects keep the rule that their bytes
 * are reached only by mapping them (EOPNOTSUPP above): POSIX leaves read
 * and write on them unspecified, and the seed chose not to have two ways
 * in.  A write is refused under F_SEAL_WRITE, and past the end under
 * F_SEAL_GROW (EPERM); a write past the end grows the object otherwise.
 */
static long memfd_read_at(struct shm *shm, void __user *buf, size_t n, int64_t off)
{
	long r = 0;
	mutex_lock(&shm->lock);
	if (off < shm->size)
		r = vm_object_read(shm->object, (uint64_t)off, buf, MIN(n, (size_t)(shm->size - off)));
	if (r > 0)
		shm->atime = shm_now();
	mutex_unlock(&shm->lock);
	return r;
}

/* Write at *offp -- or, with append, at the end, chosen under the same hold
 * of the lock as the write, so that a write or truncate from another CPU
 * cannot come between (*offp says where it went). */
static long memfd_write_at(struct shm *shm, const void __user *buf, size_t n, int64_t *offp,
    bool append)
{
	long r;
	mutex_lock(&shm->lock);
	int64_t old = shm->size;
	if (append)
		*offp = old;
	int64_t off = *offp;
	if (n == 0) {
		r = 0;
	} else if (shm->seals & F_SEAL_WRITE) {
		r = -EPERM;
	} else if ((int64_t)n > INT64_MAX - off) {
		r = -EFBIG;
	} else if (off + (int64_t)n > old && (shm->seals & F_SEAL_GROW)) {
		r = -EPERM;
	} else {
		if (off + (int64_t)n > old)
			shm_resize_locked(shm, off + (int64_t)n);
		r = vm_object_write(shm->object, (uint64_t)off, buf, n);
		int64_t end = r > 0 ? off + r : off;
		if (shm->size > MAX(end, old))
			shm_resize_locked(shm, MAX(end, old));  /* what was not written */
		if (r > 0)
			shm->mtime = shm->ctime = shm_now();
	}
	mutex_unlock(&shm->lock);
	return r;
}

static long memfd_fo_read(struct file *fp, void __user *buf, size_t n)
{
	mutex_lock(&fp->f_lock);
	long r = memfd_read_at(fp->data, buf, n, fp->offset);
	if (r > 0)
		fp->offset += r;
	mutex_unlock(&fp->f_lock);
	return r;
}

static long memfd_fo_write(struct file *fp, const void __user *buf, size_t n)
{
	struct shm *shm = fp->data;
	mutex_lock(&fp->f_lock);
	int64_t off = fp->offset;
	long r = memfd_write_at(shm, buf, n, &off, fp->flags & O_APPEND);
	if (r > 0)
		fp->offset = off + r;
	mutex_unlock(&fp->f_lock);
	return r;
}

static long memfd_fo_pread(struct file *fp, void __user *buf, size_t n, int64_t off)
{
	return memfd_read_at(fp->data, buf, n, off);
}

static long memfd_fo_pwrite(struct file *fp, const void __user *buf, size_t n, int64_t off)
{
	return memfd_write_at(fp->data, buf, n, &off, false);
}

static long memfd_fo_lseek(struct file *fp, int64_t off, int whence)
{
	struct shm *shm = fp->data;
	mutex_lock(&fp->f_lock);
	mutex_lock(&shm->lock);
	int64_t target = file_seek_target(fp->offset, shm->size, off, whence);
	mutex_unlock(&shm->lock);
	if (target >= 0)
		fp->offset = target;
	mutex_unlock(&fp->f_lock);
	return target;
}

static const struct file_ops shm_ops = {
	.name = "shm",
	.read = shm_fo_read,
	.write = shm_fo_write,
	.lseek = file_lseek_notsupp,            /* ESPIPE */
	.stat = shm_fo_stat,
	.ioctl = file_ioctl_notsupp,            /* ENOTTY */
	.poll = file_poll_notsupp,              /* POLLNVAL */
	.mmap = shm_fo_mmap,
	.truncate = shm_fo_truncate,
	.chmod = shm_fo_chmod,
	.chown = shm_fo_chown,
	.close = shm_fo_close,
	.seals = shm_fo_seals,
};

/* A memfd: an shm object with a position, read, write and lseek. */
static const struct file_ops memfd_ops = {
	.name = "memfd",
	.read = memfd_fo_read,
	.write = memfd_fo_write,
	.lseek = memfd_fo_lseek,
	.stat = shm_fo_stat,
	.ioctl = file_ioctl_notsupp,            /* ENOTTY */
	.poll = file_poll_notsupp,              /* POLLNVAL */
	.mmap = shm_fo_mmap,
	.truncate = shm_fo_truncate,
	.chmod = shm_fo_chmod,
	.chown = shm_fo_chown,
	.close = shm_fo_close,
	.pread = memfd_fo_pread,
	.pwrite = memfd_fo_pwrite,
	.seals = shm_fo_seals,
};

/*
 * A new file for shm opened with flags' access mode, holding its own
 * reference on shm (the caller keeps its own).  0 or -ENOMEM.
 */
static int shm_file_alloc(struct shm *shm, int flags, struct file **fpp)
{
	shm_hold(shm);
	*fpp = file_alloc(&shm_ops, shm, flags & O_ACCMODE);
	if (*fpp == NULL) {
		shm_drop(shm);
		return -ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------ the name space */

#if 1 /* LAB shm: BEGIN */
/* The object named path, or NULL.  (g) held. */
static struct shm *shm_lookup(const char *path, uint32_t hash)
{
	KASSERT(mutex_held(&shm_lock), "shm_lookup: shm_lock not held");
	for (struct shm *s = shm_table[hash & (SHM_HASH_BUCKETS - 1)]; s != NULL; s = s->hnext)
		if (s->hash == hash && strcmp(s->path, path) == 0)
			return s;
	return NULL;
}

/* Put shm on the chain of its shm->hash.  (g) held. */
static void shm_chain_insert(struct shm *shm)
{
	struct shm **head = &shm_table[shm->hash & (SHM_HASH_BUCKETS - 1)];
	shm->hnext = *head;
	shm->hprev = head;
	if (*head != NULL)
		(*head)->hprev = &shm->hnext;
	*head = shm;
}

/* Take shm off its chain.  (g) held. */
static void shm_chain_remove(struct shm *shm)
{
	*shm->hprev = shm->hnext;
	if (shm->hnext != NULL)
		shm->hnext->hprev = shm->hprev;
	shm->hnext = NULL;
	shm->hprev = NULL;
}

/* Give shm the name path (kmalloc'd; shm owns it now).  (g) held. */
static void shm_name(struct shm *shm, char *path, uint32_t hash)
{
	__atomic_store_n(&shm->path, path, __ATOMIC_RELAXED);
	shm->hash = hash;
	shm_chain_insert(shm);
}

/* Remove shm's name, give back its charge and drop the name's reference
 * (which may free shm).  (g) held. */
static void shm_unname(struct shm *shm)
{
	char *path = shm->path;
	shm_chain_remove(shm);
	__atomic_store_n(&shm->path, NULL, __ATOMIC_RELAXED);
	kfree(path);
	uidinfo_charge(shm->name_uid, UI_SHM_NAMES, -1, UIDINFO_NO_LIMIT);
	shm_drop(shm);
}
#else /* LAB shm: STUB */
/*
 * LAB shm: the name space is shm_table, SHM_HASH_BUCKETS chains of struct
 * shm linked through hnext and hprev (hprev points at the pointer that
 * points at the object: the bucket's head or the previous one's hnext, so
 * taking an object off needs no walk).  An object goes on the chain of
 * bucket hash & (SHM_HASH_BUCKETS - 1).  Write:
 *
 *   shm_lookup(path, hash)   the object named path, or NULL: walk the
 *                            bucket's chain comparing the hash first,
 *                            then the whole path (names can collide);
 *   shm_chain_remove(shm)    take it off its chain;
 *   shm_name(shm, path, hash) give shm the name (shm owns path now;
 *                            store shm->path with __atomic_store_n, fstat
 *                            reads it without the lock) and chain it in;
 *   shm_unname(shm)          the reverse: off the chain, path freed, the
 *                            name's charge given back (uidinfo_charge
 *                            with -1) and the name's reference dropped.
 *
 * All with shm_lock held (assert it).  shm_rename, below, is given and
 * uses all four; the stubs say nobody has a name.
 */
static struct shm *shm_lookup(const char *path, uint32_t hash)
{
	(void)path;
	(void)hash;
	return NULL;
}

static void shm_chain_remove(struct shm *shm)
{
	(void)shm;
}

static void shm_name(struct shm *shm, char *path, uint32_t hash)
{
	(void)shm;
	(void)path;
	(void)hash;
}

static void shm_unname(struct shm *shm)
{
	(void)shm;
}
#endif /* LAB shm: END */

/*
 * A path copied in from user space.  Most paths are short: they land in
 * the inline buffer on the caller's stack, and only a longer one costs a
 * SHM_PATH_MAX heap block (a lookup then allocates nothing at all; a name
 * that is kept is copied to a block of its own size by shm_path_dup).
 */
struct shm_path {
	const char *s;                  /* the path: inline or heap */
	size_t len;                     /* strlen(s) */
	uint32_t hash;                  /* hash_fnv1_32(s) */
	char *heap;                     /* kmalloc'd buffer, or NULL */
	char inline_buf[SHM_PATH_INLINE];
};

/*
 * Copy a path in, as shm_open, shm_unlink and shm_rename take it: -EFAULT
 * for a bad pointer, -ENAMETOOLONG at SHM_PATH_MAX bytes or more, -EINVAL
 * unless it starts with '/'.  On success the caller calls shm_path_free;
 * on failure nothing is held.  Call without shm_lock (may fault and sleep).
 */
static int shm_path_copyin(const char __user *upath, struct shm_path *p)
{
	long len = copyinstr(upath, p->inline_buf, sizeof(p->inline_buf));
	p->s = p->inline_buf;
	p->heap = NULL;
	if (len == -ENAMETOOLONG) {
		p->heap = kmalloc(SHM_PATH_MAX, 0);
		if (p->heap == NULL)
			return -ENOMEM;
		p->s = p->heap;
		len = copyinstr(upath, p->heap, SHM_PATH_MAX);
	}
	int err = len < 0 ? (int)len : p->s[0] != '/' ? -EINVAL : 0;
	if (err) {
		kfree(p->heap);
		return err;
	}
	p->len = (size_t)len;
	p->hash = hash_fnv1_32(p->s);
	return 0;
}

static void shm_path_free(struct shm_path *p)
{
	kfree(p->heap);
}

/* A kmalloc'd copy of exactly the path, for an object's name; NULL if no memory. */
static char *shm_path_dup(const struct shm_path *p)
{
	char *copy = kmalloc(p->len + 1, 0);
	if (copy != NULL)
		memcpy(copy, p->s, p->len + 1);
	return copy;
}

/* ----------------------------------------------------------------- shm_open */

/* Check 1: the flags.  SHM_ANON read-only is a flags error too. */
static int shm_open_check_flags(const char __user *upath, int flags)
{
	int accmode = flags & O_ACCMODE;
	if (accmode != O_RDONLY && accmode != O_RDWR)
		return -EINVAL;
	if (flags & ~SHM_OPEN_FLAGS)
		return -EINVAL;
	if (upath == SHM_ANON && accmode == O_RDONLY)
		return -EINVAL;
	return 0;
}

static mode_t shm_create_mode(mode_t mode)
{
	return mode & ~curproc()->umask & 0777;
}

/* shm_open(SHM_ANON): a fresh unnamed object; O_CREAT, O_EXCL, O_TRUNC ignored. */
static int shm_open_anon(int flags, mode_t mode, struct file **fpp)
{
	struct shm *shm = shm_alloc(shm_create_mode(mode));
	if (shm == NULL)
		return -ENOMEM;
	int err = shm_file_alloc(shm, flags, fpp);
	shm_drop(shm);                  /* the file's reference (if any) keeps it */
	return err;
}

#if 1 /* LAB shm: BEGIN */
/* Charge a new name to the caller: 0, -EDQUOT past SHM_NAMES_USER_MAX
 * (the superuser has no bound), -ENOMEM. */
static int shm_name_charge(uid_t *uidp)
{
	uid_t uid = curproc()->euid;
	int err = uidinfo_charge(uid, UI_SHM_NAMES, 1, uid == 0 ? UIDINFO_NO_LIMIT : SHM_NAMES_USER_MAX);
	*uidp = uid;
	return err;
}

/*
 * The path exists: EEXIST under O_CREAT|O_EXCL (before permissions), then
 * EACCES, then a file; O_TRUNC empties the object only when opened O_RDWR.
 * (g) held.
 */
static int shm_open_existing(struct shm *shm, int flags, struct file **fpp)
{
	bool rdwr = (flags & O_ACCMODE) == O_RDWR;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	int err = shm_access(shm, rdwr ? SHM_R | SHM_W : SHM_R);
	if (err == 0)
		err = shm_file_alloc(shm, flags, fpp);
	if (err == 0 && rdwr && (flags & O_TRUNC))
		shm_resize(shm, 0);
	return err;
}

/*
 * The path is missing and O_CREAT was given: make the object, its file and
 * a copy of the name, and only then enter the name (so a failure leaves no
 * trace).  The creator gets the access it asked for whatever the mode.
 * (g) held.
 */
static int shm_create_named(const struct shm_path *path, int flags, mode_t mode,
    struct file **fpp)
{
	uid_t charged;
	int err = shm_name_charge(&charged);
	if (err)
		return err;
	char *name = shm_path_dup(path);
	struct shm *shm = name ? shm_alloc(shm_create_mode(mode)) : NULL;
	err = shm ? shm_file_alloc(shm, flags, fpp) : -ENOMEM;
	if (err == 0) {
		shm->name_uid = charged;
		shm_name(shm, name, path->hash);        /* the creation reference is the name's */
		return 0;
	}
	if (shm != NULL)
		shm_drop(shm);
	kfree(name);
	uidinfo_charge(charged, UI_SHM_NAMES, -1, UIDINFO_NO_LIMIT);
	return err;
}
#else /* LAB shm: STUB */
/*
 * LAB shm: the two halves of shm_open of a path, called by shm_open_named
 * below with shm_lock held once it has looked the path up.
 *
 * shm_open_existing(shm, flags, fpp): the name exists.  EEXIST under
 * O_CREAT|O_EXCL (before any permission check), then EACCES unless the
 * mode grants read, and write too for O_RDWR (shm_access), then a new
 * file holding its own reference on shm (shm_file_alloc); O_TRUNC with
 * O_RDWR empties the object (shm_resize to 0).
 *
 * shm_create_named(path, flags, mode, fpp): the name is missing and
 * O_CREAT was given.  Charge the name to the caller (uidinfo_charge with
 * UI_SHM_NAMES and +1; EDQUOT past SHM_NAMES_USER_MAX, the superuser
 * unbounded), make the object (shm_alloc; the mode masked by the umask:
 * shm_create_mode), its file (shm_file_alloc) and a copy of the name
 * (shm_path_dup), and only then enter the name (shm_name), remembering in
 * shm->name_uid whom the name is charged to: a failure on the way must
 * leave no trace, the charge given back.  The reference shm_alloc gave
 * you becomes the name's.
 *
 * Both answer 0 with *fpp, or -errno.  The stubs know no names.
 */
static int shm_open_existing(struct shm *shm, int flags, struct file **fpp)
{
	(void)shm;
	(void)flags;
	(void)fpp;
	return -ENOSYS;
}

static int shm_create_named(const struct shm_path *path, int flags, mode_t mode,
    struct file **fpp)
{
	(void)path;
	(void)flags;
	(void)mode;
	(void)fpp;
	return -ENOSYS;
}
#endif /* LAB shm: END */

/* Checks 3 to 5: copy the path in, then look it up and open or create. */
static int shm_open_named(const char __user *upath, int flags, mode_t mode, struct file **fpp)
{
	struct shm_path path;
	int err = shm_path_copyin(upath, &path);
	if (err)
		return err;
	mutex_lock(&shm_lock);
	struct shm *shm = shm_lookup(path.s, path.hash);
	if (shm != NULL)
		err = shm_open_existing(shm, flags, fpp);
	else if (flags & O_CREAT)
		err = shm_create_named(&path, flags, mode, fpp);
	else
		err = -ENOENT;
	mutex_unlock(&shm_lock);
	shm_path_free(&path);
	return err;
}
/*
 * shm_open(path or SHM_ANON, flags, mode): a new descriptor, always
 * close-on-exec, in the lowest free slot.  Checks in this order: flags
 * (EINVAL), a free slot (EMFILE), the path (EFAULT, ENAMETOOLONG, EINVAL),
 * the lookup (ENOENT, EEXIST, EACCES), then a new name's charge (EDQUOT).
 * Sleeps (mutexes, copyin).
 */
long sys_shm_open(const char __user *upath, int flags, mode_t mode)
{
	struct file *fp;
	int err = shm_open_check_flags(upath, flags);
	if (err == 0)
		err = fd_reserve_check();
	if (err == 0 && upath == SHM_ANON)
		err = shm_open_anon(flags, mode, &fp);
	else if (err == 0)
		err = shm_open_named(upath, flags, mode, &fp);
	if (err)
		return err;
	int fd = fd_install(fp, FD_CLOEXEC);
	if (fd < 0)
		file_release(fp);
	return fd;
}

/* --------------------------------------------------- shm_unlink, shm_rename */

/*
 * shm_unlink(path): the same path checks as shm_open, then ENOENT, then
 * write permission (EACCES).  The name goes at once; descriptors and
 * mappings keep the object.  Sleeps.
 */
long sys_shm_unlink(const char __user *upath)
{
#if 1 /* LAB shm: BEGIN */
	struct shm_path path;
	int err = shm_path_copyin(upath, &path);
	if (err)
		return err;
	mutex_lock(&shm_lock);
	struct shm *shm = shm_lookup(path.s, path.hash);
	err = shm == NULL ? -ENOENT : shm_access(shm, SHM_W);
	if (err == 0)
		shm_unname(shm);
	mutex_unlock(&shm_lock);
	shm_path_free(&path);
	return err;
#else /* LAB shm: STUB */
	/* LAB shm: copy the path in, then under shm_lock: ENOENT if nobody has
	 * the name, EACCES without write permission, else the name goes
	 * (shm_unname).  Descriptors and mappings keep the object.  The stub
	 * knows no names at all. */
	struct shm_path path;
	int err = shm_path_copyin(upath, &path);
	if (err == 0) {
		shm_path_free(&path);
		err = -ENOENT;
	}
	return err;
#endif /* LAB shm: END */
}

/* Swap the names of a and b.  (g) held. */
static void shm_exchange_names(struct shm *a, struct shm *b)
{
	char *apath = a->path, *bpath = b->path;
	uint32_t ahash = a->hash, bhash = b->hash;
	shm_chain_remove(a);
	shm_chain_remove(b);
	shm_name(a, bpath, bhash);
	shm_name(b, apath, ahash);
}

/*
 * The rename proper: ENOENT (no `from`), success without change when both
 * name the same object, EEXIST (NOREPLACE and `to` exists), EACCES
 * (write permission on `from`, and on `to` if it exists).  Then swap
 * (EXCHANGE), or drop `to`'s name and move `from` there; *namep (a copy of
 * `to`) passes to the object when it is used (set to NULL).  (g) held.
 */
static int shm_rename_locked(const struct shm_path *from, const struct shm_path *to,
    char **namep, int flags)
{
	mutex_assert_held(&shm_lock);
	struct shm *src = shm_lookup(from->s, from->hash);
	struct shm *dst = shm_lookup(to->s, to->hash);
	if (src == NULL)
		return -ENOENT;
	if (src == dst)
		return 0;
	if (dst != NULL && (flags & SHM_RENAME_NOREPLACE))
		return -EEXIST;
	int err = shm_access(src, SHM_W);
	if (err == 0 && dst != NULL)
		err = shm_access(dst, SHM_W);
	if (err)
		return err;
	if (dst != NULL && (flags & SHM_RENAME_EXCHANGE)) {
		shm_exchange_names(src, dst);
		return 0;
	}
	if (dst != NULL)
		shm_unname(dst);
	shm_chain_remove(src);
	kfree(src->path);
	shm_name(src, *namep, to->hash);
	*namep = NULL;
	return 0;
}

/*
 * shm_rename(from, to, flags): flags (EINVAL for an unknown bit or both),
 * SHM_ANON on either side (EINVAL), both paths as shm_open takes them,
 * then shm_rename_locked.  Without flags an existing `to` is replaced; with
 * SHM_RENAME_EXCHANGE a missing `to` is a plain rename.  Sleeps.
 */
long sys_shm_rename(const char __user *ufrom, const char __user *uto, int flags)
{
	struct shm_path from, to;
	char *name;
	if ((flags & ~SHM_RENAME_FLAGS) || flags == SHM_RENAME_FLAGS)
		return -EINVAL;
	if (ufrom == SHM_ANON || uto == SHM_ANON)
		return -EINVAL;
	int err = shm_path_copyin(ufrom, &from);
	if (err)
		return err;
	err = shm_path_copyin(uto, &to);
	if (err)
		goto free_from;
	name = shm_path_dup(&to);
	if (name == NULL) {
		err = -ENOMEM;
		goto free_to;
	}
	mutex_lock(&shm_lock);
	err = shm_rename_locked(&from, &to, &name, flags);
	mutex_unlock(&shm_lock);
	kfree(name);
free_to:
	shm_path_free(&to);
free_from:
	shm_path_free(&from);
	return err;
}

/* ----------------------------------------------------------------- shm_list */

/* What shmctl shows of one named object.  (g) held. */
static void shm_fill_info(struct shm *shm, struct kshm_info *ki)
{
	uint64_t resident, swapped;
	memset(ki, 0, sizeof(*ki));
	strlcpy(ki->path, shm->path, sizeof(ki->path));
	mutex_lock(&shm->lock);
	ki->mode = shm->mode;
	ki->uid = (int)shm->uid;
	ki->gid = (int)shm->gid;
	ki->size = shm->size;
	mutex_unlock(&shm->lock);
	ki->refs = (uint64_t)__atomic_load_n(&shm->refs, __ATOMIC_RELAXED);
	vm_object_lock(shm->object);
	ki->map_refs = shm->object->ref_count - 1;      /* all but the shm's own */
	vm_object_unlock(shm->object);
	shm_pages(shm, &resident, &swapped);
	ki->resident = resident;
	ki->swapped = swapped;
}

/*
 * shm_list(buf, max): copy out up to max struct kshm_info, one per named
 * object in hash-table order, and return how many.  The copyout happens
 * under shm_lock (a mutex: a fault on buf may sleep), so the list is a
 * consistent snapshot.  -EINVAL for a negative max, -EFAULT for a bad buf.
 */
long sys_shm_list(void __user *ubuf, int max)
{
	struct kshm_info ki;
	struct kshm_info __user *out = ubuf;
	int n = 0, err = 0;
	if (max < 0)
		return -EINVAL;
	mutex_lock(&shm_lock);
	for (int b = 0; b < SHM_HASH_BUCKETS && n < max && err == 0; b++) {
		for (struct shm *s = shm_table[b]; s != NULL && n < max && err == 0; s = s->hnext) {
			shm_fill_info(s, &ki);
			err = copyout(&ki, &out[n], sizeof(ki));
			n += err == 0;
		}
	}
	mutex_unlock(&shm_lock);
	return err ? err : n;
}

/*
 * memfd_create(name, flags): a new anonymous object, open O_RDWR, mode
 * 0777 (Linux's), with F_SEAL_SEAL unless flags has MFD_ALLOW_SEALING.
 * The name is for a human (Linux shows it under /proc); it must be a
 * string of at most MFD_NAME_MAX bytes (EINVAL; EFAULT for a bad pointer)
 * and is kept nowhere.  EINVAL for unknown flags; EMFILE, ENOMEM.
 */
long sys_memfd_create(const char __user *uname, unsigned int flags)
{
	char name[MFD_NAME_MAX + 1];
	struct file *fp;
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	long len = copyinstr(uname, name, sizeof(name));
	if (len < 0)
		return len == -ENAMETOOLONG ? -EINVAL : len;
	long err = fd_reserve_check();
	if (err < 0)
		return err;
	struct shm *shm = shm_alloc(0777);
	if (shm == NULL)
		return -ENOMEM;
	if (flags & MFD_ALLOW_SEALING)
		shm->seals = 0;
	shm_hold(shm);
	fp = file_alloc(&memfd_ops, shm, O_RDWR);
	shm_drop(shm);                          /* the file's reference keeps it */
	if (fp == NULL) {
		shm_drop(shm);
		return -ENOMEM;
	}
	int fd = fd_install(fp, (flags & MFD_CLOEXEC) ? FD_CLOEXEC : 0);
	if (fd < 0)
		file_release(fp);
	return fd;
}
