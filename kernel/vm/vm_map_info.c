/*
 * vm_map_info.c - kvmmap(2): a snapshot of a process's map entries and of
 * the VM objects behind them, for tools (vmmap, tools/vmgraph) and tests.
 *
 * What it shows
 * -------------
 * One struct kvmmap_entry per map entry, in address order, and one struct
 * kvmmap_object per VM object that the entries' shadow chains reach -- each
 * object once, however many entries reach it (uapi/vmos.h has the fields).
 * An entry names its first object, and an object its backing object, both
 * by index into the objects array and by id.  The id (vm_object.h) is a
 * sequence number given when the object is made and never reused, so it
 * means the same object in every call: vmmap can draw the maps of a parent
 * and its child with their shared object once.  A kernel address is never
 * shown: it would tell a user where the kernel keeps what.
 *
 * "Shadow depth" is intrinsic to an object: 0 for one that shadows nothing,
 * and one more than its backing object's for a shadow.  An entry's chain
 * length is its first object's depth + 1.  This is what BSD VM predicts
 * after fork and a write: the writer's entry has a fresh shadow (depth 1)
 * in front of the object both processes still share (depth 0, ref 2 ...).
 *
 * Who may look
 * ------------
 * A process may always look at itself, and root at anyone.  Anyone else
 * only at a process whose real and effective uids are both the caller's
 * real and effective uid: the rule of Linux's ptrace_may_access (without
 * its capabilities), and of prlimit here.  A set-uid process (euid 0, uid
 * 1000) is so hidden from uid 1000, whose kill() may still reach it.
 * No process with that pid, or a zombie: ESRCH.  A kernel thread has no
 * address space: 0 entries.
 *
 * Locking, and why the snapshot comes first
 * -----------------------------------------
 * The snapshot is taken into kernel memory under the target's map lock,
 * and copied out to the caller only after the lock is dropped.  Copying
 * out under the lock would be wrong twice: copyout may fault on the
 * caller's buffer, and that fault takes the caller's own map lock -- a
 * recursive mutex (a panic) when a process looks at itself, and a deadlock
 * when two processes look at each other at once, each holding the other's
 * lock and waiting for its own.  So the answer is a snapshot: the map may
 * have changed by the time the caller reads it.
 *
 * The target may exit, or exec, while we sleep waiting for its map lock,
 * freeing the vmspace we wait on.  So we read p->vmspace under
 * proc_table_lock (exit and exec change it under that lock) and take a
 * hold on it (vmspace_hold) before letting go; our vmspace_free drops the
 * hold, and if the target is gone by then, frees its address space here.
 *
 * The map lock keeps the entries still, but not the chains behind them:
 * another process's exit may collapse a shared backing object into its last
 * shadow, and the pageout daemon moves pages to swap and back.  A chain is
 * walked hand over hand: we hold an object's lock while we take its backing
 * object's (the shadow-first lock order, vm_object.h), and a shadow holds a
 * reference on its backing object, so the next object cannot die while we
 * step to it.  The arrays grow as objects are found; kmalloc never sleeps
 * and may be called with spinlocks held (kmem.c), so they grow in place.
 *
 * Costs: kernel memory for the snapshot grows with the map (48 bytes an
 * entry, 72 an object, plus 8 an object for the index), is bounded by
 * VM_MAP_INFO_OBJECTS_MAX objects (past it: ENOMEM), and is given back
 * before the call returns.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/exec.h"
#include "kern/copyio.h"
#include "arch/x86_64/vmparam.h"
#include "vm/kmem.h"
#include "vm/vm_map.h"
#include "vm/vm_map_info.h"
#include "vm/vm_object.h"
#include "vm/vm_pager.h"

/* The ABI: these sizes are what user space was compiled against. */
_Static_assert(sizeof(struct kvmmap) == 40, "struct kvmmap changed size");
_Static_assert(sizeof(struct kvmmap_entry) == 48, "struct kvmmap_entry changed size");
_Static_assert(sizeof(struct kvmmap_object) == 72, "struct kvmmap_object changed size");

#define VM_MAP_INFO_OBJECTS_MAX (1 << 20)       /* objects in one snapshot */
#define INDEX_FIRST_SIZE 16                    /* objects before the first growth */

/* A snapshot being built: info, and an index of its objects by id. */
struct info_build {
	struct vm_map_info *info;
	int room;                       /* objects info->objects has room for */
	int *index;                     /* 2 * room slots: object index + 1, 0 empty */
};

/* ----------------------------------------------------- the object index */

static unsigned int index_slot(uint64_t id, int nslots)
{
	return (unsigned int)((id * 0x9e3779b97f4a7c15ull) >> 40) & (unsigned int)(nslots - 1);
}

/* The index in info->objects of the object with this id, or -1. */
static int index_find(struct info_build *b, uint64_t id)
{
	int nslots = 2 * b->room;
	if (b->index == NULL)
		return -1;
	for (unsigned int s = index_slot(id, nslots);; s = (s + 1) & (unsigned int)(nslots - 1)) {
		int i = b->index[s] - 1;
		if (i < 0 || b->info->objects[i].id == id)
			return i;
	}
}

static void index_insert(struct info_build *b, int i)
{
	int nslots = 2 * b->room;
	unsigned int s = index_slot(b->info->objects[i].id, nslots);
	while (b->index[s] != 0)
		s = (s + 1) & (unsigned int)(nslots - 1);
	b->index[s] = i + 1;
}

/* Double the room for objects (and rebuild the index).  0 or -ENOMEM.
 * Never sleeps: called with an object's spinlock held. */
static int objects_grow(struct info_build *b)
{
	int room = b->room ? 2 * b->room : INDEX_FIRST_SIZE;
	if (room > VM_MAP_INFO_OBJECTS_MAX)
		return -ENOMEM;
	struct kvmmap_object *objs = kmalloc(sizeof(*objs) * (size_t)room, 0);
	int *index = kmalloc(sizeof(*index) * 2 * (size_t)room, KM_ZERO);
	if (objs == NULL || index == NULL) {
		kfree(objs);
		kfree(index);
		return -ENOMEM;
	}
	if (b->info->nobjects > 0)
		memcpy(objs, b->info->objects, sizeof(*objs) * (size_t)b->info->nobjects);
	kfree(b->info->objects);
	kfree(b->index);
	b->info->objects = objs;
	b->index = index;
	b->room = room;
	for (int i = 0; i < b->info->nobjects; i++)
		index_insert(b, i);
	return 0;
}

/* --------------------------------------------------------- the objects */

static unsigned int object_type(const struct vm_object *obj, uint64_t swapped)
{
	if (obj->flags & OBJ_SHM)
		return KVMMAP_OBJ_SHM;
	if (obj->flags & OBJ_BOOTFS)
		return KVMMAP_OBJ_BOOTFS;
	return swapped > 0 ? KVMMAP_OBJ_SWAP : KVMMAP_OBJ_ANON;
}

/* Record obj (locked) and answer its index, or -ENOMEM. */
static int object_add(struct info_build *b, struct vm_object *obj)
{
	if (b->info->nobjects == b->room) {
		int err = objects_grow(b);
		if (err)
			return err;
	}
	int i = b->info->nobjects++;
	struct kvmmap_object *o = &b->info->objects[i];
	memset(o, 0, sizeof(*o));
	o->id = obj->id;
	o->backing = -1;
	o->backing_offset = obj->backing_offset;
	o->size = obj->size;
	o->resident = obj->resident_count;
	o->swapped = vm_pager_page_count(obj);         /* the swap pager's leaf lock */
	o->type = object_type(obj, o->swapped);
	o->ref_count = obj->ref_count;
	o->shadow_count = obj->shadow_count;
	o->flags = (obj->flags & OBJ_ONEMAPPING) ? KVMMAP_OBJ_ONEMAPPING : 0;
	index_insert(b, i);
	return i;
}

/*
 * Step from obj, whose lock we hold, to its backing object: lock that,
 * let obj go, and answer it (NULL, with nothing locked, at the chain's
 * end).  obj's reference keeps its backing object alive while we hold
 * obj's lock, so the step is safe (see the top of the file).
 */
static struct vm_object *chain_next(struct vm_object *obj)
{
	struct vm_object *next = obj->backing_object;
	if (next != NULL)
		vm_object_lock(next);
	vm_object_unlock(obj);
	return next;
}

/* Link object i to its backing object j in the snapshot. */
static void object_link(struct info_build *b, int i, int j)
{
	b->info->objects[i].backing = j;
	b->info->objects[i].backing_id = b->info->objects[j].id;
}

/*
 * Record the chain from first (an entry's object, unlocked) down, stopping
 * at an object already recorded (its chain is too).  Answers first's index
 * or -ENOMEM.
 */
static int chain_add(struct info_build *b, struct vm_object *first)
{
	int top = -1, prev = -1;
	vm_object_lock(first);
	for (struct vm_object *obj = first; obj != NULL; obj = chain_next(obj)) {
		int i = index_find(b, obj->id);
		bool seen = i >= 0;
		if (!seen)
			i = object_add(b, obj);
		if (i < 0 || seen)
			vm_object_unlock(obj);
		if (i < 0)
			return i;
		if (prev >= 0)
			object_link(b, prev, i);
		else
			top = i;
		if (seen)
			break;
		prev = i;
	}
	return top;
}

/* Shadow depth of every object (see the top), once the links are made. */
static void objects_set_depth(struct vm_map_info *info)
{
	for (int i = 0; i < info->nobjects; i++) {
		unsigned int depth = 0;
		for (int j = info->objects[i].backing; j >= 0 && depth <= (unsigned int)info->nobjects;
		    j = info->objects[j].backing)
			depth++;
		info->objects[i].depth = depth;
	}
}

/* --------------------------------------------------------- the entries */

static unsigned int entry_flags(const struct vmspace *vs, const struct vm_map_entry *e)
{
	unsigned int f = 0;
	if (e->needs_copy)
		f |= KVMMAP_ENTRY_NEEDS_COPY;
	if (e->inheritance == VM_INHERIT_SHARE)
		f |= KVMMAP_ENTRY_SHARED;
	else
		f |= KVMMAP_ENTRY_COW;
	if (vs->brk > vs->heap_start && e->start < page_round(vs->brk) && e->end > vs->heap_start)
		f |= KVMMAP_ENTRY_HEAP;
	if (e->end == USER_STACK_TOP)
		f |= KVMMAP_ENTRY_STACK;
	return f;
}

/* Fill ke from e (map locked); 0 or -ENOMEM. */
static int entry_add(struct info_build *b, const struct vmspace *vs,
    const struct vm_map_entry *e, struct kvmmap_entry *ke)
{
	memset(ke, 0, sizeof(*ke));
	ke->start = e->start;
	ke->end = e->end;
	ke->offset = e->offset;
	ke->prot = e->prot;
	ke->max_prot = e->max_prot;
	ke->inheritance = e->inheritance;
	ke->flags = entry_flags(vs, e);
	ke->object = -1;
	if (e->object == NULL)
		return 0;
	int i = chain_add(b, e->object);
	if (i < 0)
		return i;
	ke->object = i;
	ke->object_id = b->info->objects[i].id;
	return 0;
}

/* Chain lengths, from the depths. */
static void entries_set_chain(struct vm_map_info *info)
{
	for (int i = 0; i < info->nentries; i++) {
		int o = info->entries[i].object;
		info->entries[i].chain = o < 0 ? 0 : (int)info->objects[o].depth + 1;
	}
}

/* The walk itself: every entry of vs (map locked) into b. */
static int info_fill(struct info_build *b, struct vmspace *vs)
{
	struct vm_map_info *info = b->info;
	if (vs->map.nentries == 0)
		return 0;
	info->entries = kmalloc(sizeof(*info->entries) * vs->map.nentries, 0);
	if (info->entries == NULL)
		return -ENOMEM;
	list_foreach(&vs->map.entries, n) {
		struct vm_map_entry *e = list_entry(n, struct vm_map_entry, link);
		int err = entry_add(b, vs, e, &info->entries[info->nentries]);
		if (err)
			return err;
		info->nentries++;
	}
	return 0;
}

int vm_map_info_take(struct vmspace *vs, struct vm_map_info *info)
{
	struct info_build b = { .info = info };
	memset(info, 0, sizeof(*info));
	vm_map_lock(&vs->map);
	int err = info_fill(&b, vs);
	vm_map_unlock(&vs->map);
	kfree(b.index);
	if (err) {
		vm_map_info_free(info);
		return err;
	}
	objects_set_depth(info);
	entries_set_chain(info);
	return 0;
}

void vm_map_info_free(struct vm_map_info *info)
{
	kfree(info->entries);
	kfree(info->objects);
	memset(info, 0, sizeof(*info));
}

/* ------------------------------------------------------ the system call */

/* May self look at target's map?  (The rule at the top.) */
static bool kvmmap_may_inspect(const struct proc *self, const struct proc *target)
{
	return self == target || self->euid == 0 ||
	    (self->uid == self->euid && target->uid == self->uid && target->euid == self->uid);
}

/* Find pid and hold its vmspace (*vsp NULL for a kernel thread).  0 or -errno. */
static int kvmmap_hold_target(pid_t pid, struct vmspace **vsp)
{
	struct proc *self = curproc();
	int err = 0;
	*vsp = NULL;
	spinlock_acquire(&proc_table_lock);
	struct proc *p = pid == 0 ? self : proc_find(pid);
	if (p == NULL || p->state == P_ZOMBIE)
		err = -ESRCH;
	else if (!kvmmap_may_inspect(self, p))
		err = -EPERM;
	else if ((*vsp = p->vmspace) != NULL)
		vmspace_hold(*vsp);
	spinlock_release(&proc_table_lock);
	return err;
}

/* Hand the snapshot to the caller: the arrays if they fit, then the counts. */
static int kvmmap_copyout(const struct vm_map_info *info, struct kvmmap *req,
    struct kvmmap __user *ureq)
{
	int err = 0;
	req->nentries = info->nentries;
	req->nobjects = info->nobjects;
	if (info->nentries > req->max_entries || info->nobjects > req->max_objects)
		err = -ERANGE;
	if (err == 0)
		err = copyout(info->entries, req->entries, sizeof(*info->entries) * (size_t)info->nentries);
	if (err == 0)
		err = copyout(info->objects, req->objects, sizeof(*info->objects) * (size_t)info->nobjects);
	if (err == 0 || err == -ERANGE) {
		if (copyout(req, ureq, sizeof(*req)) != 0)
			err = -EFAULT;
	}
	return err;
}

/*
 * kvmmap(pid, req): see uapi/vmos.h for the ABI and the top of this file
 * for the rules.  Returns the number of entries, or a negative errno.
 */
long sys_kvmmap(pid_t pid, void __user *ureq)
{
	struct kvmmap req;
	struct vm_map_info info = { 0 };
	struct vmspace *vs;
	if (copyin(ureq, &req, sizeof(req)) != 0)
		return -EFAULT;
	if (req.flags != 0 || req.max_entries < 0 || req.max_objects < 0 || pid < 0)
		return -EINVAL;
	int err = kvmmap_hold_target(pid, &vs);
	if (err)
		return err;
	if (vs != NULL) {
		err = vm_map_info_take(vs, &info);
		vmspace_free(vs);
	}
	if (err == 0)
		err = kvmmap_copyout(&info, &req, ureq);
	int n = info.nentries;
	vm_map_info_free(&info);
	return err ? err : n;
}
