/*
 * file.c - the life of a struct file.
 *
 * References.  A struct file is counted, and every pointer to it that can
 * outlive the function holding it is a reference:
 *
 *   - each descriptor slot of each process's table (fd_install takes over
 *     the caller's reference; dup and fork add one per new slot; close,
 *     exec's close-on-exec sweep and exit drop them);
 *   - each system call in progress on it: fd_get() hands back a reference,
 *     so a file stays alive while a read sleeps even if its descriptor is
 *     closed meanwhile (closing drops the slot's reference, not the call's);
 *   - each SCM_RIGHTS message in flight on a UNIX socket (also counted
 *     in fp->msgcount, so that a release leaving only those references
 *     can call the socket layer's garbage collector: file_inflight_check);
 *   - whatever a file type keeps for itself (a mapping keeps the vm_object,
 *     not the file; a pipe end keeps the pipe, not the file).
 *
 * The count changes atomically, so file_hold and file_release need no lock.
 * When file_release drops the last reference, nobody else can find the file
 * any more (no table slot, no message, no call in progress), so it calls
 * ops->close with no lock held (close may sleep, wake up readers, free a
 * pipe or an shm object) and frees the struct.
 *
 * What a file shares and what a descriptor owns: the offset and the status
 * flags (O_APPEND, O_NONBLOCK) are in the struct file, shared by every
 * descriptor that names it (POSIX "open file description"); the
 * close-on-exec flag belongs to one descriptor slot (fdtable.c).
 *
 * Closing without recursion.  A close can release other files: a socket's
 * close drops the references of the SCM_RIGHTS messages queued on it, one
 * of which may be the last reference to another socket with messages of
 * its own, and so on.  A user decides how long such a chain is (a few
 * hundred sockets, each queued on the one before), so closing must not
 * recurse once per link: the 16 KiB kernel stack would overflow.  As Linux
 * defers fput() and FreeBSD hands such work to a task queue, a last release
 * that happens while this thread is already inside a close only puts the
 * file on the thread's list (proc.close_deferred); the outermost
 * file_release() closes the files on that list one after another, in a
 * loop, before it returns.  The caller of that outermost release sees
 * everything closed, as before; only the stack depth changes.
 *
 * The unsupported-operation stubs at the end are the shared answers every
 * type uses; file.h documents which errno each gives and why.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/counters.h"
#include "kern/file.h"
#include "kern/fdtable.h"
#include "kern/proc.h"
#include "vm/kmem.h"
#include "uapi/poll.h"

/* Every mandatory slot filled?  (A type that leaves one NULL is a bug.) */
static bool file_ops_complete(const struct file_ops *ops)
{
	return ops->name && ops->read && ops->write && ops->lseek && ops->stat &&
	    ops->ioctl && ops->poll && ops->mmap && ops->truncate && ops->chmod &&
	    ops->chown && ops->close;
}

struct file *file_alloc(const struct file_ops *ops, void *data, int flags)
{
	KASSERT(file_ops_complete(ops), "file_alloc: ops table %s has an empty slot",
	    ops->name ? ops->name : "?");
	struct file *fp = kmalloc(sizeof(*fp), KM_ZERO);
	if (fp == NULL)
		return NULL;
	fp->refcount = 1;
	fp->flags = flags & FILE_FLAGS_MASK;
	fp->ops = ops;
	fp->data = data;
	fp->offset = 0;
	mutex_init(&fp->f_lock, "file");
	COUNTER_INC(open_files);
	return fp;
}

static file_inflight_hook_t inflight_hook;

void file_register_inflight_hook(file_inflight_hook_t hook)
{
	__atomic_store_n(&inflight_hook, hook, __ATOMIC_RELEASE);
}

/* Only references in flight are left: tell the socket layer (file.h). */
static void file_inflight_check(const struct file_ops *ops, int inflight, int left)
{
	if (inflight == 0 || left != inflight)
		return;
	file_inflight_hook_t hook = __atomic_load_n(&inflight_hook, __ATOMIC_ACQUIRE);
	if (hook != NULL)
		hook(ops);
}

void file_hold(struct file *fp)
{
	int old = __atomic_fetch_add(&fp->refcount, 1, __ATOMIC_RELAXED);
	KASSERT(old > 0, "file_hold: %p has refcount %d", fp, old);
}

static void file_close_now(struct file *fp)
{
	fp->ops->close(fp);
	kfree(fp);
	COUNTER_DEC(open_files);
}

/*
 * The last reference to fp is gone.  Inside another close, queue it for the
 * outermost one; otherwise close it and then everything the closes queue
 * (see "Closing without recursion" at the top).  Without a thread (early
 * boot) there is nothing to recurse through: close at once.
 */
static void file_close(struct file *fp)
{
	struct proc *p = curproc();
	if (p == NULL) {
		file_close_now(fp);
		return;
	}
	if (p->closing) {
		list_push_back(&p->close_deferred, &fp->close_link);
		return;
	}
	p->closing = true;
	file_close_now(fp);
	struct list_node *n;
	while ((n = list_pop_front(&p->close_deferred)) != NULL)
		file_close_now(list_entry(n, struct file, close_link));
	p->closing = false;
}

/*
 * What the in-flight check needs is read before the decrement, while our
 * reference keeps fp alive: after it, another CPU's release may close and
 * free fp.  (A send that puts fp in flight meanwhile holds a reference
 * from outside, so the check cannot miss a file's last outside release.)
 */
void file_release(struct file *fp)
{
	const struct file_ops *ops = fp->ops;
	int inflight = __atomic_load_n(&fp->msgcount, __ATOMIC_RELAXED);
	int left = __atomic_sub_fetch(&fp->refcount, 1, __ATOMIC_ACQ_REL);
	KASSERT(left >= 0, "file_release: %p refcount went negative", fp);
	if (left > 0) {
		file_inflight_check(ops, inflight, left);
		return;
	}
	file_close(fp);
}

int file_get_flags(struct file *fp)
{
	return __atomic_load_n(&fp->flags, __ATOMIC_RELAXED);
}

bool file_readable(struct file *fp)
{
	int mode = file_get_flags(fp) & O_ACCMODE;
	return mode == O_RDONLY || mode == O_RDWR;
}

bool file_writable(struct file *fp)
{
	int mode = file_get_flags(fp) & O_ACCMODE;
	return mode == O_WRONLY || mode == O_RDWR;
}

bool file_nonblocking(struct file *fp)
{
	return (file_get_flags(fp) & O_NONBLOCK) != 0;
}

/* A compare-and-swap loop: the access mode bits never change. */
void file_set_status_flags(struct file *fp, int flags)
{
	int old = file_get_flags(fp), new;
	do {
		new = (old & ~FILE_SETFL_MASK) | (flags & FILE_SETFL_MASK);
	} while (!__atomic_compare_exchange_n(&fp->flags, &old, new, false,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

void file_stat_init(struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
}


/* ---------------------------------------------------- unsupported operations */

long file_read_notsupp(struct file *fp __unused, void __user *buf __unused, size_t n __unused)
{
	return -EINVAL;
}

long file_write_notsupp(struct file *fp __unused, const void __user *buf __unused,
    size_t n __unused)
{
	return -EINVAL;
}

long file_lseek_notsupp(struct file *fp __unused, int64_t off __unused, int whence __unused)
{
	return -ESPIPE;
}

int file_stat_notsupp(struct file *fp __unused, struct stat *st __unused)
{
	return -EOPNOTSUPP;
}

int file_ioctl_notsupp(struct file *fp __unused, unsigned long cmd __unused,
    void __user *arg __unused)
{
	return -ENOTTY;
}

int file_poll_notsupp(struct file *fp __unused, int events __unused)
{
	return POLLNVAL;
}

int file_mmap_notsupp(struct file *fp __unused, uint64_t offset __unused, uint64_t len __unused,
    int prot __unused, int flags __unused, int *max_prot __unused,
    struct vm_object **objp __unused)
{
	return -ENODEV;
}

int file_truncate_notsupp(struct file *fp __unused, int64_t length __unused)
{
	return -EINVAL;
}

int file_chmod_notsupp(struct file *fp __unused, mode_t mode __unused)
{
	return -EINVAL;
}

int file_chown_notsupp(struct file *fp __unused, uid_t uid __unused, gid_t gid __unused)
{
	return -EINVAL;
}

void file_close_nop(struct file *fp __unused)
{
}

int64_t file_seek_target(int64_t cur, int64_t end, int64_t off, int whence)
{
	int64_t base, target;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = cur; break;
	case SEEK_END: base = end; break;
	default: return -EINVAL;
	}
	if (__builtin_add_overflow(base, off, &target))
		return -EOVERFLOW;
	return target < 0 ? -EINVAL : target;
}
