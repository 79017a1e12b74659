/*
 * uipc_names.c - the socket name space: what bind() creates and what
 * connect(), sendto() and unlink() find.
 *
 * A name is a normalised absolute path (vfs_normalize) in a kernel
 * table beside the read-only boot file system; a path the boot file
 * system has is EADDRINUSE.  As in every UNIX, a name outlives its
 * socket: after close it is a dead name (connect: ECONNREFUSED, bind:
 * EADDRINUSE) until unlink(2) removes it, which reaches us through the
 * file layer's unlink hook.
 *
 * Names belong to someone.  On a UNIX system a socket's name is a file,
 * usually in /tmp, and the file's owner and mode decide who may do what
 * with it.  So each name records the effective uid and gid that bound it
 * and a mode of 0777 & ~umask (what Linux gives a socket's inode), and:
 *   - only its owner or the superuser may unlink it: the rule of a sticky
 *     directory such as /tmp (EPERM).  Without it any user could remove
 *     root's listening socket's name and bind an impostor there;
 *   - connect() and sendto() need write permission on it by the usual
 *     owner / group / other classes, the superuser passing (EACCES).  As
 *     in Linux the order is: no such name (ENOENT), no permission
 *     (EACCES), then nobody listening (ECONNREFUSED);
 *   - each user may hold UNP_NAMES_USER_MAX names, bound or dead, until
 *     they are unlinked (EDQUOT past it, charged to the owner through
 *     kern/uidinfo.h; the superuser is exempt): names cost kernel memory
 *     that outlives every process, so they need a bound of their own.
 *
 * The table has UNP_NAME_BUCKETS chains keyed by the FNV-1 hash of the
 * path (kern/hash.h), as the shm name space has; lookups compare the
 * whole path.
 *
 * Locking: the table, the chains and unpcb.name are guarded by unp_lock
 * (see the essay in uipc_usrreq.c), so a lookup and the connect that
 * follows it are one atomic step.  A name's owner, mode and path never
 * change once it exists.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/hash.h"
#include "kern/proc.h"
#include "kern/uidinfo.h"
#include "ipc/uipc_usrreq.h"
#include "fs/vfs.h"
#include "vm/kmem.h"
#include "uapi/limits.h"
#include "uapi/stat.h"

#define UNP_NAME_BUCKETS 256

/* One bound name.  It outlives its socket (unp NULL) until unlink. */
struct unp_name {
	struct unp_name *next;          /* (g) on its hash chain */
	struct unpcb *unp;              /* (g) the bound socket, NULL once it closed */
	uid_t uid;                      /* (c) the binder's effective ids: the owner */
	gid_t gid;                      /* (c) */
	mode_t mode;                    /* (c) permission bits */
	uint32_t hash;                  /* (c) hash_fnv1_32(abspath) */
	char abspath[];                 /* (c) normalised absolute path */
};

static struct unp_name *unp_names[UNP_NAME_BUCKETS];    /* (g) */

static struct unp_name **unp_name_chain(uint32_t hash)
{
	return &unp_names[hash % UNP_NAME_BUCKETS];
}

/* The link that points at the name abspath (NULL at the chain's end if none).  (g) held. */
static struct unp_name **unp_name_find_locked(const char *abspath, uint32_t hash)
{
	struct unp_name **pp = unp_name_chain(hash);
	while (*pp != NULL && ((*pp)->hash != hash || strcmp((*pp)->abspath, abspath) != 0))
		pp = &(*pp)->next;
	return pp;
}

int unp_normalize(const char *path, char **out)
{
	char *abspath = kmalloc(PATH_MAX, 0);
	if (abspath == NULL)
		return -ENOMEM;
	int r = vfs_normalize(path, abspath, PATH_MAX);
	if (r < 0) {
		kfree(abspath);
		return r;
	}
	*out = abspath;
	return 0;
}

/* May the caller write to (connect to, send to) name?  POSIX's classes. */
static bool unp_name_writable(const struct unp_name *name)
{
	const struct proc *p = curproc();
	if (p->euid == 0)
		return true;
	if (p->euid == name->uid)
		return name->mode & S_IWUSR;
	if (p->egid == name->gid)
		return name->mode & S_IWGRP;
	return name->mode & S_IWOTH;
}

static long unp_names_limit(uid_t uid)
{
	return uid == 0 ? UIDINFO_NO_LIMIT : UNP_NAMES_USER_MAX;
}

/* A new name for abspath owned by the caller, charged to it: 0 or -errno. */
static int unp_name_alloc(const char *abspath, struct unp_name **namep)
{
	const struct proc *p = curproc();
	size_t len = strlen(abspath) + 1;
	struct unp_name *name = kmalloc(sizeof(*name) + len, KM_ZERO);
	if (name == NULL)
		return -ENOMEM;
	int err = uidinfo_charge(p->euid, UI_SOCK_NAMES, 1, unp_names_limit(p->euid));
	if (err) {
		kfree(name);
		return err;
	}
	memcpy(name->abspath, abspath, len);
	name->hash = hash_fnv1_32(abspath);
	name->uid = p->euid;
	name->gid = p->egid;
	name->mode = 0777 & ~p->umask;
	*namep = name;
	return 0;
}

static void unp_name_free(struct unp_name *name)
{
	uidinfo_charge(name->uid, UI_SOCK_NAMES, -1, UIDINFO_NO_LIMIT);
	kfree(name);
}

static int unp_bind_locked(struct unpcb *unp, struct unp_name *name, char *path)
{
	if (unp->path != NULL)
		return -EINVAL;
	struct unp_name **pp = unp_name_find_locked(name->abspath, name->hash);
	if (*pp != NULL)
		return -EADDRINUSE;
	*pp = name;
	name->unp = unp;
	unp->name = name;
	unp->path = path;
	return 0;
}

/* bind(2): enter path in the name space.  Validates, allocates, then links. */
int unp_bind(struct unpcb *unp, const char *path)
{
	struct stat st;
	struct unp_name *name = NULL;
	char *abspath = NULL, *pathcopy = NULL;
	int r = unp_normalize(path, &abspath);
	if (r < 0)
		return r;
	if (vfs_stat(abspath, &st) == 0)
		r = -EADDRINUSE;
	else if ((pathcopy = unp_strdup(path)) == NULL)
		r = -ENOMEM;
	else
		r = unp_name_alloc(abspath, &name);
	if (r == 0) {
		spinlock_acquire(&unp_lock);
		r = unp_bind_locked(unp, name, pathcopy);
		spinlock_release(&unp_lock);
	}
	if (r < 0) {
		if (name != NULL)
			unp_name_free(name);
		kfree(pathcopy);
	}
	kfree(abspath);
	return r;
}

void unp_name_detach_locked(struct unpcb *unp)
{
	KASSERT(spinlock_held(&unp_lock), "unp_name_detach_locked: unp_lock not held");
	if (unp->name != NULL) {
		unp->name->unp = NULL;          /* a dead name until unlink */
		unp->name = NULL;
	}
}

int unp_unlink(const char *abspath)
{
	const struct proc *p = curproc();
	int r = 0;
	spinlock_acquire(&unp_lock);
	struct unp_name **pp = unp_name_find_locked(abspath, hash_fnv1_32(abspath));
	struct unp_name *name = *pp;
	if (name == NULL)
		r = -ENOENT;
	else if (p->euid != 0 && p->euid != name->uid)
		r = -EPERM;                     /* the sticky-directory rule */
	if (r == 0) {
		*pp = name->next;
		if (name->unp != NULL)
			name->unp->name = NULL;
	}
	spinlock_release(&unp_lock);
	if (r == 0)
		unp_name_free(name);
	return r;
}

int unp_lookup_locked(const char *abspath, int type, struct unpcb **out)
{
	struct unp_name *name = *unp_name_find_locked(abspath, hash_fnv1_32(abspath));
	if (name == NULL)
		return -ENOENT;
	if (!unp_name_writable(name))
		return -EACCES;
	if (name->unp == NULL)
		return -ECONNREFUSED;
	if (name->unp->type != type)
		return -EPROTOTYPE;
	*out = name->unp;
	return 0;
}
