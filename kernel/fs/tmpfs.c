/*
 * tmpfs.c - a file system in VM objects (see tmpfs.h), after FreeBSD's.
 *
 * Nodes and names.  A node is a directory, a regular file, a symbolic
 * link (its target, a string, kept in the node) or a socket's name (what
 * bind(2) makes: the socket layer's pointer, which connect(2) finds here;
 * see vfs.h on socket nodes).  A name is a directory entry (struct
 * tmpfs_dirent, as FreeBSD's): a string in one directory naming one node.
 * A directory holds its entries on a list.  A node other than a directory
 * may have many names (link(2): hard links), and counts them in nlink; a
 * directory has exactly one name -- link(2) of a directory is EPERM, so
 * the tree stays a tree and ".." (the directory's parent) is one place.
 * A regular file holds one reference on an anonymous
 * VM object (vm_object_allocate_anon, paged by the swap pager) whose
 * pages are the file's bytes, and its size in bytes (the object's size is
 * that, rounded up to whole pages).  read and write move bytes through
 * vm_object_io.c; mmap hands out the object itself, so mapped and written
 * bytes are the same bytes.
 *
 * Lifetimes.  A node lives while it has a name (nlink > 0) or an open
 * file (opens > 0).  unlink and rmdir take a name; when the last name is
 * gone, the last close frees the node.  A mapping holds the object, not the node, so a
 * mapped file's pages outlive both its name and its descriptors, as they
 * must (the object's own reference count frees them).
 *
 * Locking.  (t) tmpfs_lock, a sleeping mutex, for the tree: names,
 * children, parents, link counts and open counts.  (n) the node's own
 * mutex, for a file's size, times and data, held across a read or write so
 * that the size a reader sees and the bytes it reads agree, and so that
 * two appends cannot write at the same offset.  Order: the file's f_lock
 * (the offset), then tmpfs_lock, then a node's lock.  No lock is held by
 * vm_object_read/vm_object_write but the node's, and they may fault on
 * the user's buffer -- which may map this very file: the fault takes the
 * object's lock and the map's, never a node's.
 *
 * Limits.  TMPFS_NODES nodes (ENOSPC past it) and TMPFS_FILE_MAX bytes a
 * file (EFBIG).  The files together may hold `tmpfs=SIZE` bytes (a boot
 * word; by default half of RAM plus swap, worked out when asked, since
 * the swap disk comes up after the mount): a write or ftruncate that would
 * go past it is ENOSPC.  What counts is each file's size rounded up to
 * pages, holes included -- simpler than counting the pages a sparse file
 * really holds, and it never lets the files hold more than the limit.
 * Below the limit, memory and swap can still run out; a write that finds
 * no page is ENOSPC too, as on Linux's tmpfs.
 *
 * The file is in two halves: this one keeps the tree (nodes, names,
 * lookups, the name-space operations the VFS calls, attributes);
 * tmpfs_file.c does what an open file does (read, write, mmap, truncate,
 * getdents).  tmpfs_node.h has the structures they share.
 *
 * Symbolic links are read here (readlink) and followed by the VFS
 * (vfs.c), which asks about one component at a time; walk() itself never
 * follows one: a link met in the middle of a path is "not a directory".
 *
 * Names are found through a hash table of the whole file system, keyed
 * by the FNV-1 hash of the name (kern/hash.h) mixed with the directory's
 * inode number, as FreeBSD's name cache is: a /tmp holding thousands of
 * names -- socket names a user binds and forgets, say -- costs a lookup a
 * short chain, not a walk of the directory.  The directory's own list
 * keeps the order readdir shows.
 *
 * Directory offsets are entry indexes (".", "..", then the children in
 * the order they were made), so a getdents that races with an unlink may
 * skip or repeat a name; POSIX allows it.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/file.h"
#include "kern/list.h"
#include "kern/mutex.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/hash.h"
#include "fs/vfs.h"
#include "fs/tmpfs.h"
#include "fs/tmpfs_node.h"
#include "vm/kmem.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/swap_space.h"
#include "uapi/fcntl.h"
#include "uapi/limits.h"
#include "uapi/dirent.h"

struct mutex tmpfs_lock = MUTEX_INIT(tmpfs_lock, "tmpfs");

struct timespec tmpfs_now(void)
{
	return clock_ns_to_timespec(clock_realtime_ns());
}

bool tmpfs_node_is_dir(const struct tmpfs_node *n)
{
	return S_ISDIR(n->mode);
}

/* ----------------------------------------------------------------- nodes */

/* A new node owned by the caller's effective ids.  (t) held. */
static struct tmpfs_node *node_new(struct tmpfs *fs, mode_t mode)
{
	if (fs->nodes >= TMPFS_NODES)
		return NULL;
	struct tmpfs_node *n = kmalloc(sizeof(*n), KM_ZERO);
	if (n == NULL)
		return NULL;
	if (S_ISREG(mode) && (n->object = vm_object_allocate_anon(0)) == NULL) {
		kfree(n);
		return NULL;
	}
	n->fs = fs;
	list_init(&n->children);
	mutex_init(&n->lock, "tmpfs node");
	n->mode = mode;
	n->uid = curproc() ? curproc()->euid : 0;
	n->gid = curproc() ? curproc()->egid : 0;
	n->ino = fs->next_ino++;
	n->atime = n->mtime = n->ctime = tmpfs_now();
	fs->nodes++;
	return n;
}

uint64_t tmpfs_size_pages(int64_t size)
{
	return page_round((uint64_t)size) >> PAGE_SHIFT;
}

static uint64_t limit_pages(struct tmpfs *fs)
{
	return fs->limit_pages ? fs->limit_pages : vm_page_total_count() / 2 + swap_space_total();
}

/* A file of old_size bytes becomes new_size: count the difference against
 * the limit.  0, or -ENOSPC and nothing counted. */
int tmpfs_space_resize(struct tmpfs *fs, int64_t old_size, int64_t new_size)
{
	uint64_t before = tmpfs_size_pages(old_size), after = tmpfs_size_pages(new_size);
	if (after <= before) {
		__atomic_sub_fetch(&fs->pages, before - after, __ATOMIC_RELAXED);
		return 0;
	}
	uint64_t more = after - before, now = __atomic_load_n(&fs->pages, __ATOMIC_RELAXED);
	do {
		if (now + more > limit_pages(fs))
			return -ENOSPC;
	} while (!__atomic_compare_exchange_n(&fs->pages, &now, now + more, false,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return 0;
}

/* Free n if nothing refers to it any more: no name, no open file.  (t) held. */
void tmpfs_node_maybe_free(struct tmpfs *fs, struct tmpfs_node *n)
{
	if (n->nlink > 0 || n->opens > 0)
		return;
	KASSERT(list_empty(&n->children), "tmpfs: freeing a directory with children");
	if (n->object != NULL) {
		tmpfs_space_resize(fs, n->size, 0);
		vm_object_deallocate(n->object);
	}
	if (n->sock != NULL)
		vfs_socket_release(n->sock);
	kfree(n->target);
	kfree(n);
	fs->nodes--;
}

/* The hash chain of the name `name` in directory dir. */
static struct tmpfs_dirent **name_bucket(struct tmpfs_node *dir, const char *name)
{
	uint32_t h = hash_fnv1_32(name) ^ (uint32_t)(dir->ino * 2654435761u);
	return &dir->fs->buckets[h % TMPFS_BUCKETS];
}

static void dirent_unhash(struct tmpfs_dirent *de)
{
	struct tmpfs_dirent **pp = name_bucket(de->dir, de->name);
	while (*pp != de)
		pp = &(*pp)->hnext;
	*pp = de->hnext;
}

/*
 * Name n `name` (kmalloc'd; the entry takes it) in directory dir, with the
 * entry de the caller allocated.  (t) held.
 */
static void dirent_add(struct tmpfs_node *dir, struct tmpfs_dirent *de, struct tmpfs_node *n,
    char *name)
{
	struct tmpfs_dirent **b = name_bucket(dir, name);
	de->dir = dir;
	de->node = n;
	de->name = name;
	de->hnext = *b;
	*b = de;
	list_push_back(&dir->children, &de->sibling);
	n->nlink++;
	if (tmpfs_node_is_dir(n)) {
		n->parent = dir;
		dir->nsubdirs++;
	}
	dir->mtime = dir->ctime = tmpfs_now();
}

/* Take the name de away (and free it); the node goes too if that was its
 * last name and nothing has it open.  (t) held. */
static void dirent_remove(struct tmpfs *fs, struct tmpfs_dirent *de)
{
	struct tmpfs_node *dir = de->dir, *n = de->node;
	dirent_unhash(de);
	list_remove(&de->sibling);
	if (tmpfs_node_is_dir(n)) {
		dir->nsubdirs--;
		n->parent = NULL;
	}
	dir->mtime = dir->ctime = tmpfs_now();
	kfree(de->name);
	kfree(de);
	n->nlink--;
	n->ctime = tmpfs_now();
	tmpfs_node_maybe_free(fs, n);
}

/* May the current process have access `want` (MAY_*) to n?  uid 0 may
 * read and write anything.  0 or -EACCES. */
int tmpfs_node_access(struct tmpfs_node *n, int want)
{
	struct proc *p = curproc();
	if (p == NULL || p->euid == 0)
		return 0;
	mode_t bits = p->euid == n->uid ? n->mode >> 6 : p->egid == n->gid ? n->mode >> 3 : n->mode;
	return ((int)bits & want) == want ? 0 : -EACCES;
}

/* The sticky bit: in such a directory only the owner of a name (or of the
 * directory, or root) may remove it.  0 or -EPERM. */
static int sticky_check(struct tmpfs_node *dir, struct tmpfs_node *n)
{
	struct proc *p = curproc();
	if (!(dir->mode & S_ISVTX) || p == NULL || p->euid == 0 || p->euid == dir->uid ||
	    p->euid == n->uid)
		return 0;
	return -EPERM;
}

/* The entry named (comp, len) in dir, or NULL; len <= NAME_MAX.  (t) held. */
static struct tmpfs_dirent *dirent_named(struct tmpfs_node *dir, const char *comp, size_t len)
{
	char name[NAME_MAX + 1];
	memcpy(name, comp, len);
	name[len] = '\0';
	for (struct tmpfs_dirent *de = *name_bucket(dir, name); de != NULL; de = de->hnext)
		if (de->dir == dir && strcmp(de->name, name) == 0)
			return de;
	return NULL;
}

/* Where a walk ended. */
struct walk {
	struct tmpfs_node *dir;         /* the directory of the last component */
	struct tmpfs_dirent *de;        /* its entry; NULL for the root or a missing name */
	struct tmpfs_node *node;        /* what it names; NULL when missing */
	const char *last;               /* the missing last component (for a create) */
	size_t len;
};

/*
 * Walk path (absolute inside the file system, resolved by the VFS: no
 * ".", "..", and no symbolic link but perhaps the last component) from
 * the root.  0 with w filled in; w->node NULL when only the last component
 * is missing (then w->last and w->len name it).  -ENOENT, -ENOTDIR (a
 * component, or a trailing slash, that is not a directory -- a symbolic
 * link included), -EACCES (a directory without search permission),
 * -ENAMETOOLONG.  (t) held.
 */
static int walk(struct tmpfs *fs, const char *path, struct walk *w)
{
	const char *p = path, *comp = NULL;
	size_t len = 0;
	w->dir = w->node = fs->root;
	w->de = NULL;
	w->last = NULL;
	while (vfs_path_next(&p, &comp, &len)) {
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (!tmpfs_node_is_dir(w->node))
			return -ENOTDIR;
		int r = tmpfs_node_access(w->node, MAY_X);
		if (r < 0)
			return r;
		w->dir = w->node;
		w->de = dirent_named(w->dir, comp, len);
		w->node = w->de ? w->de->node : NULL;
		if (w->node == NULL) {
			const char *rest = p, *more;
			size_t morelen;
			if (vfs_path_next(&rest, &more, &morelen))
				return -ENOENT;         /* a middle component is missing */
			w->last = comp;
			w->len = len;
			return 0;
		}
	}
	if (vfs_path_has_trailing_slash(path) && !tmpfs_node_is_dir(w->node))
		return -ENOTDIR;
	return 0;
}

/* walk() for a name that must exist: -ENOENT when it does not.  (t) held. */
static int walk_existing(struct tmpfs *fs, const char *path, struct walk *w)
{
	int r = walk(fs, path, w);
	return r == 0 && w->node == NULL ? -ENOENT : r;
}

/* A copy of the name (last, len) in a new entry, for dirent_add.  (t) held. */
static int dirent_alloc(const char *last, size_t len, struct tmpfs_dirent **dep, char **namep)
{
	*dep = kmalloc(sizeof(**dep), KM_ZERO);
	*namep = *dep ? kmalloc(len + 1, 0) : NULL;
	if (*namep == NULL) {
		kfree(*dep);
		return -ENOMEM;
	}
	memcpy(*namep, last, len);
	(*namep)[len] = '\0';
	return 0;
}

/* May a new name go into dir?  Write and search permission, and dir not
 * removed.  (t) held. */
static int dir_may_add(struct tmpfs_node *dir)
{
	int r = tmpfs_node_access(dir, MAY_W | MAY_X);
	if (r == 0 && dir->nlink == 0)
		r = -ENOENT;                    /* a removed directory takes no names */
	return r;
}

/* Make a node named (last, len) in dir; *dep its entry.  (t) held. */
static int create_in(struct tmpfs *fs, struct tmpfs_node *dir, const char *last, size_t len,
    mode_t mode, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;
	char *name;
	int r = dir_may_add(dir);
	if (r == 0)
		r = dirent_alloc(last, len, &de, &name);
	if (r < 0)
		return r;
	struct tmpfs_node *n = node_new(fs, mode);
	if (n == NULL) {
		kfree(name);
		kfree(de);
		return fs->nodes >= TMPFS_NODES ? -ENOSPC : -ENOMEM;
	}
	dirent_add(dir, de, n, name);
	*dep = de;
	return 0;
}

/* ------------------------------------------------------------ attributes */

void tmpfs_node_stat(struct tmpfs_node *n, struct stat *st)
{
	file_stat_init(st);
	uint64_t pages = n->object ? vm_object_page_count(n->object) : 0;
	mutex_lock(&tmpfs_lock);
	st->st_nlink = !tmpfs_node_is_dir(n) ? n->nlink : n->nlink > 0 ? 2 + n->nsubdirs : 0;
	mutex_unlock(&tmpfs_lock);
	mutex_lock(&n->lock);
	st->st_dev = TMPFS_DEV;
	st->st_ino = n->ino;
	st->st_mode = n->mode;
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	st->st_size = tmpfs_node_is_dir(n) ? (int64_t)PAGE_SIZE : S_ISREG(n->mode) ? n->size :
	    S_ISLNK(n->mode) ? (int64_t)strlen(n->target) : 0;
	st->st_blocks = pages * (PAGE_SIZE / 512);
	st->st_atim = n->atime;
	st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
	mutex_unlock(&n->lock);
}

/* chmod: the owner or uid 0 only (EPERM), as shm's fchmod; sets ctime. */
int tmpfs_node_chmod(struct tmpfs_node *node, mode_t mode)
{
	struct proc *p = curproc();
	int r = 0;
	mutex_lock(&node->lock);
	if (p->euid != 0 && p->euid != node->uid) {
		r = -EPERM;
	} else {
		node->mode = (node->mode & S_IFMT) | (mode & 07777);
		node->ctime = tmpfs_now();
	}
	mutex_unlock(&node->lock);
	return r;
}

/*
 * chown: the rules of shm's fchown (ipc/uipc_shm.c), which are Linux's
 * without CAP_CHOWN: uid 0 may give a node to anyone; its owner may only
 * keep the uid and change the group to its own effective gid; anyone else
 * is EPERM.  (uid_t)-1 and (gid_t)-1 leave that id alone.  Sets ctime.
 */
int tmpfs_node_chown(struct tmpfs_node *node, uid_t uid, gid_t gid)
{
	struct proc *p = curproc();
	int r = 0;
	mutex_lock(&node->lock);
	uid = uid == (uid_t)-1 ? node->uid : uid;
	gid = gid == (gid_t)-1 ? node->gid : gid;
	if (p->euid != 0 && (p->euid != node->uid || uid != node->uid ||
	    (gid != node->gid && gid != p->egid))) {
		r = -EPERM;
	} else {
		node->uid = uid;
		node->gid = gid;
		node->ctime = tmpfs_now();
	}
	mutex_unlock(&node->lock);
	return r;
}

/* One of utimensat's times: UTIME_NOW, UTIME_OMIT (false: leave it), or a
 * time whose tv_nsec must be in [0, 1e9) (EINVAL). */
static int utime_value(const struct timespec *t, struct timespec now, struct timespec *out,
    bool *set)
{
	*set = t == NULL || t->tv_nsec != UTIME_OMIT;
	if (t == NULL || t->tv_nsec == UTIME_NOW)
		*out = now;
	else if (t->tv_nsec == UTIME_OMIT)
		return 0;
	else if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000l)
		return -EINVAL;
	else
		*out = *t;
	return 0;
}

/*
 * utimensat: set atime (times[0]) and mtime (times[1]); times NULL is both
 * now.  As on Linux, setting a time to "now" (only) needs write permission
 * or ownership (EACCES), setting it to any other value ownership (EPERM);
 * uid 0 may do both.  ctime becomes now unless both are UTIME_OMIT.
 */
int tmpfs_node_utimens(struct tmpfs_node *node, const struct timespec *times)
{
	struct timespec now = tmpfs_now(), at = now, mt = now;
	bool set_a, set_m;
	int r = utime_value(times ? &times[0] : NULL, now, &at, &set_a);
	if (r == 0)
		r = utime_value(times ? &times[1] : NULL, now, &mt, &set_m);
	if (r < 0)
		return r;
	bool only_now = times == NULL ||
	    ((times[0].tv_nsec == UTIME_NOW || times[0].tv_nsec == UTIME_OMIT) &&
	    (times[1].tv_nsec == UTIME_NOW || times[1].tv_nsec == UTIME_OMIT));
	struct proc *p = curproc();
	mutex_lock(&node->lock);
	if (p->euid != 0 && p->euid != node->uid)
		r = only_now ? tmpfs_node_access(node, MAY_W) : -EPERM;
	if (r == 0 && (set_a || set_m)) {
		if (set_a)
			node->atime = at;
		if (set_m)
			node->mtime = mt;
		node->ctime = now;
	}
	mutex_unlock(&node->lock);
	return r;
}

/* ------------------------------------------------- name-space operations */

/* The checks open() makes on an existing node, in Linux's order. */
static int open_check(struct tmpfs_node *n, int flags)
{
	int acc = flags & O_ACCMODE;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (S_ISLNK(n->mode))
		return -ELOOP;                  /* O_NOFOLLOW: the VFS did not follow it */
	if (S_ISSOCK(n->mode))
		return -ENXIO;                  /* a socket is reached by connect, not open */
	if (tmpfs_node_is_dir(n) && (flags & O_CREAT))
		return -EISDIR;
	if (!tmpfs_node_is_dir(n) && (flags & O_DIRECTORY))
		return -ENOTDIR;
	bool writes = acc != O_RDONLY || (flags & O_TRUNC);
	if (tmpfs_node_is_dir(n) && writes)
		return -EISDIR;
	int want = (acc != O_WRONLY ? MAY_R : 0) | (writes ? MAY_W : 0);
	return tmpfs_node_access(n, want);
}

static int tmpfs_vfs_open(void *vfs, const char *path, int flags, mode_t mode,
    struct file **fpp)
{
	struct tmpfs *fs = vfs;
	struct tmpfs_dirent *made = NULL;
	struct walk w;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	mutex_lock(&tmpfs_lock);
	int r = walk(fs, path, &w);
	if (r == 0 && w.node == NULL) {
		if (!(flags & O_CREAT))
			r = -ENOENT;
		else if (vfs_path_has_trailing_slash(path))
			r = -EISDIR;
		else if ((r = create_in(fs, w.dir, w.last, w.len, S_IFREG | (mode & 07777),
		    &made)) == 0)
			w.node = made->node;
	} else if (r == 0) {
		r = open_check(w.node, flags);
	}
	struct tmpfs_node *n = w.node;
	struct file *fp = NULL;
	if (r == 0 && (fp = file_alloc(tmpfs_node_is_dir(n) ? &tmpfs_file_dir_ops : &tmpfs_file_ops, n,
	    flags)) == NULL) {
		r = -ENOMEM;
		if (made != NULL)
			dirent_remove(fs, made);        /* made for this open: unmade with it */
	}
	if (r == 0)
		n->opens++;
	mutex_unlock(&tmpfs_lock);
	if (r < 0)
		return r;
	if ((flags & O_TRUNC) && !tmpfs_node_is_dir(n)) {
		mutex_lock(&n->lock);
		(void)tmpfs_file_resize(n, 0);     /* shrinking: never ENOSPC */
		mutex_unlock(&n->lock);
	}
	*fpp = fp;
	return 0;
}

/* The node at path, held (opens) so that it outlives a dropped tmpfs_lock:
 * for the calls that sleep on its own lock.  node_drop gives it back. */
static int node_hold(struct tmpfs *fs, const char *path, struct tmpfs_node **np)
{
	struct walk w;
	mutex_lock(&tmpfs_lock);
	int r = walk_existing(fs, path, &w);
	if (r == 0) {
		w.node->opens++;
		*np = w.node;
	}
	mutex_unlock(&tmpfs_lock);
	return r;
}

static void node_drop(struct tmpfs *fs, struct tmpfs_node *n)
{
	mutex_lock(&tmpfs_lock);
	n->opens--;
	tmpfs_node_maybe_free(fs, n);
	mutex_unlock(&tmpfs_lock);
}

static int tmpfs_vfs_stat(void *vfs, const char *path, struct stat *st)
{
	struct tmpfs_node *n;
	int r = node_hold(vfs, path, &n);
	if (r < 0)
		return r;
	tmpfs_node_stat(n, st);
	node_drop(vfs, n);
	return 0;
}

static int tmpfs_vfs_chmod(void *vfs, const char *path, mode_t mode)
{
	struct tmpfs_node *n;
	int r = node_hold(vfs, path, &n);
	if (r < 0)
		return r;
	r = tmpfs_node_chmod(n, mode);
	node_drop(vfs, n);
	return r;
}

static int tmpfs_vfs_chown(void *vfs, const char *path, uid_t uid, gid_t gid)
{
	struct tmpfs_node *n;
	int r = node_hold(vfs, path, &n);
	if (r < 0)
		return r;
	r = tmpfs_node_chown(n, uid, gid);
	node_drop(vfs, n);
	return r;
}

static int tmpfs_vfs_utimens(void *vfs, const char *path, const struct timespec *times)
{
	struct tmpfs_node *n;
	int r = node_hold(vfs, path, &n);
	if (r < 0)
		return r;
	r = tmpfs_node_utimens(n, times);
	node_drop(vfs, n);
	return r;
}

/* unlink (dir false) and rmdir (dir true). */
static int remove_name(struct tmpfs *fs, const char *path, bool want_dir)
{
	struct walk w;
	mutex_lock(&tmpfs_lock);
	int r = walk_existing(fs, path, &w);
	if (r == 0 && tmpfs_node_is_dir(w.node) != want_dir)
		r = want_dir ? -ENOTDIR : -EISDIR;
	if (r == 0)
		r = tmpfs_node_access(w.dir, MAY_W | MAY_X);
	if (r == 0)
		r = sticky_check(w.dir, w.node);
	if (r == 0 && want_dir && !list_empty(&w.node->children))
		r = -ENOTEMPTY;
	if (r == 0)
		dirent_remove(fs, w.de);
	mutex_unlock(&tmpfs_lock);
	return r;
}

static int tmpfs_vfs_unlink(void *vfs, const char *path)
{
	return remove_name(vfs, path, false);
}

static int tmpfs_vfs_rmdir(void *vfs, const char *path)
{
	return remove_name(vfs, path, true);
}

/* A new node of type and mode at path, which must not exist (EEXIST, or
 * `exists` when given).  (t) held. */
static int make_node(struct tmpfs *fs, const char *path, mode_t mode, int exists,
    struct tmpfs_node **np)
{
	struct tmpfs_dirent *de;
	struct walk w;
	int r = walk(fs, path, &w);
	if (r == 0 && w.node != NULL)
		r = exists;
	else if (r == 0 && !S_ISDIR(mode) && vfs_path_has_trailing_slash(path))
		r = -ENOENT;                    /* "name/" names a directory */
	else if (r == 0 && (r = create_in(fs, w.dir, w.last, w.len, mode, &de)) == 0)
		*np = de->node;
	return r;
}

static int tmpfs_vfs_mkdir(void *vfs, const char *path, mode_t mode)
{
	struct tmpfs_node *n;
	mutex_lock(&tmpfs_lock);
	int r = make_node(vfs, path, S_IFDIR | (mode & 07777), -EEXIST, &n);
	mutex_unlock(&tmpfs_lock);
	return r;
}

/*
 * symlink(2): a node of type S_IFLNK, mode 0777 (a link's own mode is
 * never checked: what counts is the target's), holding a copy of the
 * target.  Its size (st_size) is the target's length, as POSIX says.
 */
static int tmpfs_vfs_symlink(void *vfs, const char *path, const char *target)
{
	struct tmpfs_node *n;
	char *copy = kmalloc(strlen(target) + 1, 0);
	if (copy == NULL)
		return -ENOMEM;
	strlcpy(copy, target, strlen(target) + 1);
	mutex_lock(&tmpfs_lock);
	int r = make_node(vfs, path, S_IFLNK | 0777, -EEXIST, &n);
	if (r == 0)
		n->target = copy;
	mutex_unlock(&tmpfs_lock);
	if (r < 0)
		kfree(copy);
	return r;
}

static long tmpfs_vfs_readlink(void *vfs, const char *path, char *buf, size_t size)
{
	struct walk w;
	mutex_lock(&tmpfs_lock);
	long r = walk_existing(vfs, path, &w);
	if (r == 0 && !S_ISLNK(w.node->mode))
		r = -EINVAL;
	if (r == 0) {
		r = (long)strlen(w.node->target);
		memcpy(buf, w.node->target, MIN((size_t)r, size));
	}
	mutex_unlock(&tmpfs_lock);
	return r;
}

/*
 * link(2): another name for the node from names (a link itself, not its
 * target: Linux's linkat without AT_SYMLINK_FOLLOW).  Not a directory
 * (EPERM: see the top of the file); the new name must not exist (EEXIST)
 * and its directory must take it (EACCES); TMPFS_LINK_MAX names at most
 * (EMLINK).  The node's ctime changes, as its link count does.
 */
static int tmpfs_vfs_link(void *vfs, const char *from, const char *to)
{
	struct tmpfs_dirent *de;
	struct walk src, dst;
	char *name;
	mutex_lock(&tmpfs_lock);
	int r = walk_existing(vfs, from, &src);
	if (r == 0 && tmpfs_node_is_dir(src.node))
		r = -EPERM;
	if (r == 0)
		r = walk(vfs, to, &dst);
	if (r == 0 && dst.node != NULL)
		r = -EEXIST;
	else if (r == 0 && vfs_path_has_trailing_slash(to))
		r = -ENOENT;
	if (r == 0 && src.node->nlink >= TMPFS_LINK_MAX)
		r = -EMLINK;
	if (r == 0)
		r = dir_may_add(dst.dir);
	if (r == 0)
		r = dirent_alloc(dst.last, dst.len, &de, &name);
	if (r == 0) {
		dirent_add(dst.dir, de, src.node, name);
		src.node->ctime = tmpfs_now();
	}
	mutex_unlock(&tmpfs_lock);
	return r;
}

static int tmpfs_vfs_chdir(void *vfs, const char *path)
{
	struct walk w;
	mutex_lock(&tmpfs_lock);
	int r = walk_existing(vfs, path, &w);
	if (r == 0 && !tmpfs_node_is_dir(w.node))
		r = -ENOTDIR;
	if (r == 0)
		r = tmpfs_node_access(w.node, MAY_X);
	mutex_unlock(&tmpfs_lock);
	return r;
}

/* Is n the directory d or inside it?  (t) held. */
static bool node_within(struct tmpfs_node *n, struct tmpfs_node *d)
{
	for (; n != NULL; n = n->parent)
		if (n == d)
			return true;
	return false;
}

/* The checks rename(from's node n, onto the name `to` where old lives,
 * NULL when free) makes, in Linux's order.  (t) held. */
static int rename_check(struct walk *src, struct walk *dst, const char *to)
{
	struct tmpfs_node *n = src->node, *old = dst->node;
	int r = 0;
	if (old == NULL && vfs_path_has_trailing_slash(to) && !tmpfs_node_is_dir(n))
		r = -ENOTDIR;
	else if (tmpfs_node_is_dir(n) && node_within(dst->dir, n))
		r = -EINVAL;                    /* into itself */
	else if (old != NULL && tmpfs_node_is_dir(n) && !tmpfs_node_is_dir(old))
		r = -ENOTDIR;
	else if (old != NULL && !tmpfs_node_is_dir(n) && tmpfs_node_is_dir(old))
		r = -EISDIR;
	else if (old != NULL && !list_empty(&old->children))
		r = -ENOTEMPTY;
	if (r == 0)
		r = tmpfs_node_access(src->dir, MAY_W | MAY_X);
	if (r == 0)
		r = tmpfs_node_access(dst->dir, MAY_W | MAY_X);
	if (r == 0)
		r = sticky_check(src->dir, n);
	if (r == 0 && old != NULL)
		r = sticky_check(dst->dir, old);
	return r;
}

/*
 * rename(2), with Linux's answers: the source must exist; a directory may
 * replace only an empty directory (ENOTDIR, ENOTEMPTY) and may not move
 * into itself (EINVAL); a file may not replace a directory (EISDIR); both
 * directories need write and search permission, and the sticky bit
 * protects the names in each.  Renaming a name onto itself, or onto
 * another name of the same node (a hard link), does nothing, as POSIX
 * says.  A symbolic link is renamed itself, never its target.
 */
static int tmpfs_vfs_rename(void *vfs, const char *from, const char *to)
{
	struct tmpfs *fs = vfs;
	struct tmpfs_dirent *de;
	struct walk src, dst;
	char *name = NULL;
	mutex_lock(&tmpfs_lock);
	int r = walk_existing(fs, from, &src);
	if (r == 0)
		r = walk(fs, to, &dst);
	if (r < 0 || src.node == dst.node)
		goto out;
	r = rename_check(&src, &dst, to);
	const char *tname = dst.de ? dst.de->name : dst.last;
	size_t tlen = dst.de ? strlen(dst.de->name) : dst.len;
	if (r == 0)
		r = dirent_alloc(tname, tlen, &de, &name);
	if (r < 0)
		goto out;
	if (dst.de != NULL)
		dirent_remove(fs, dst.de);      /* the name taken over */
	src.node->nlink++;                      /* kept alive across the move */
	dirent_remove(fs, src.de);
	dirent_add(dst.dir, de, src.node, name);
	src.node->nlink--;
	src.node->ctime = tmpfs_now();
out:
	mutex_unlock(&tmpfs_lock);
	return r;
}

static int tmpfs_vfs_mksock(void *vfs, const char *path, mode_t mode, void *sock)
{
	struct tmpfs_node *n;
	mutex_lock(&tmpfs_lock);
	int r = make_node(vfs, path, S_IFSOCK | (mode & 0777), -EADDRINUSE, &n);
	if (r == 0)
		n->sock = sock;
	mutex_unlock(&tmpfs_lock);
	return r;
}

static int tmpfs_vfs_socket(void *vfs, const char *path, void **sockp)
{
	struct walk w;
	mutex_lock(&tmpfs_lock);
	int r = walk_existing(vfs, path, &w);
	if (r == 0 && !S_ISSOCK(w.node->mode))
		r = -ECONNREFUSED;
	if (r == 0) {
		vfs_socket_hold(w.node->sock);
		*sockp = w.node->sock;
	}
	mutex_unlock(&tmpfs_lock);
	return r;
}

const struct vfs_ops tmpfs_vfs_ops = {
	.name = "tmpfs",
	.open = tmpfs_vfs_open,
	.stat = tmpfs_vfs_stat,
	.unlink = tmpfs_vfs_unlink,
	.mkdir = tmpfs_vfs_mkdir,
	.rmdir = tmpfs_vfs_rmdir,
	.chdir = tmpfs_vfs_chdir,
	.rename = tmpfs_vfs_rename,
	.mksock = tmpfs_vfs_mksock,
	.socket = tmpfs_vfs_socket,
	.readlink = tmpfs_vfs_readlink,
	.symlink = tmpfs_vfs_symlink,
	.link = tmpfs_vfs_link,
	.chmod = tmpfs_vfs_chmod,
	.chown = tmpfs_vfs_chown,
	.utimens = tmpfs_vfs_utimens,
};

struct tmpfs *tmpfs_create(void)
{
	struct tmpfs *fs = kmalloc(sizeof(*fs), KM_ZERO);
	if (fs == NULL)
		return NULL;
	fs->next_ino = 1;
	uint64_t bytes;
	if (cmdline_get_bytes("tmpfs", &bytes))
		fs->limit_pages = MAX(bytes >> PAGE_SHIFT, 1ul);
	mutex_lock(&tmpfs_lock);
	fs->root = node_new(fs, S_IFDIR | 01777);
	if (fs->root != NULL)
		fs->root->nlink = 1;            /* the mount point names it */
	mutex_unlock(&tmpfs_lock);
	if (fs->root == NULL) {
		kfree(fs);
		return NULL;
	}
	return fs;
}
