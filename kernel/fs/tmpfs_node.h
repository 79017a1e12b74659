/*
 * tmpfs_node.h - tmpfs's nodes and names, shared by its two halves.
 *
 * Private to kernel/fs/: tmpfs.c keeps the tree (nodes, names, lookups,
 * the name-space operations the VFS calls, attributes), tmpfs_file.c what
 * an open file does (read, write, mmap, truncate, getdents).  tmpfs.c's
 * top comment has the design: lifetimes, the locking key used below --
 * (t) tmpfs_lock, (n) the node's lock, (c) constant, (a) atomic -- and
 * the limits.
 */
#ifndef FS_TMPFS_NODE_H
#define FS_TMPFS_NODE_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/mutex.h"
#include "uapi/stat.h"

struct vm_object;
struct file_ops;

#define TMPFS_NODES     10000
#define TMPFS_LINK_MAX  1000            /* names of one node (EMLINK past it) */
#define TMPFS_FILE_MAX  (1ll << 30)
#define TMPFS_DEV       2               /* st_dev; the boot file system is 1 */

#define MAY_R 4
#define MAY_W 2
#define MAY_X 1

/* One name: (dir, name) -> node. */
struct tmpfs_dirent {
	struct tmpfs_node *dir;         /* (t) the directory it is in */
	struct tmpfs_node *node;        /* (t) what it names */
	char *name;                     /* (t) kmalloc'd */
	struct list_node sibling;       /* (t) on dir->children, in the order made */
	struct tmpfs_dirent *hnext;     /* (t) next on its hash chain (fs->buckets) */
};

struct tmpfs_node {
	struct tmpfs *fs;               /* (c) the file system it belongs to */
	struct tmpfs_node *parent;      /* (t) directories: the one it is named in
					 * (".."); NULL for the root and once removed */
	struct list children;           /* (t) directories: their dirents */
	size_t nsubdirs;                /* (t) for st_nlink */
	uint32_t nlink;                 /* (t) names (the root: 1, its mount point) */
	uint32_t opens;                 /* (t) open files, and lookups in progress */
	mode_t mode;                    /* (n) the S_IFMT type | permissions */
	uid_t uid;                      /* (n) */
	gid_t gid;                      /* (n) */
	uint64_t ino;                   /* (c) */
	struct timespec atime, mtime, ctime;    /* (n) */
	struct mutex lock;
	struct vm_object *object;       /* (c) regular files */
	void *sock;                     /* (c) socket nodes: the socket layer's, one reference */
	char *target;                   /* (c) symbolic links: kmalloc'd, NUL-terminated */
	int64_t size;                   /* (n) regular files: bytes */
};

#define TMPFS_BUCKETS   1024

struct tmpfs {
	struct tmpfs_dirent *buckets[TMPFS_BUCKETS];    /* (t) every name */
	struct tmpfs_node *root;
	uint64_t next_ino;              /* (t) */
	uint32_t nodes;                 /* (t) */
	uint64_t pages;                 /* (a) the files' sizes in pages, rounded up */
	uint64_t limit_pages;           /* (c) tmpfs=SIZE, or 0: the default */
};

/* The tree's lock: names, children, parents, link counts, open counts. */
extern struct mutex tmpfs_lock;

/* tmpfs.c */
struct timespec tmpfs_now(void);
bool tmpfs_node_is_dir(const struct tmpfs_node *n);
uint64_t tmpfs_size_pages(int64_t size);
/* A file of old_size bytes becomes new_size: count the difference against
 * the limit.  0, or -ENOSPC and nothing counted. */
int tmpfs_space_resize(struct tmpfs *fs, int64_t old_size, int64_t new_size);
/* Free n if nothing refers to it any more.  (t) held. */
void tmpfs_node_maybe_free(struct tmpfs *fs, struct tmpfs_node *n);
/* May the current process have access `want` (MAY_*) to n?  0 or -EACCES. */
int tmpfs_node_access(struct tmpfs_node *n, int want);
void tmpfs_node_stat(struct tmpfs_node *n, struct stat *st);
int tmpfs_node_chmod(struct tmpfs_node *node, mode_t mode);
int tmpfs_node_chown(struct tmpfs_node *node, uid_t uid, gid_t gid);
int tmpfs_node_utimens(struct tmpfs_node *node, const struct timespec *times);

/* tmpfs_file.c */
/* Set a regular file's size.  0 or -ENOSPC.  (n) held. */
int tmpfs_file_resize(struct tmpfs_node *n, int64_t length);
extern const struct file_ops tmpfs_file_ops, tmpfs_file_dir_ops;

#endif
