/*
 * vm_map_info_test.c - self-tests of the map snapshot (vm_map_info.c) and
 * of the vmspace hold it relies on.
 *
 * The user suite (user/tests/vmmap_test.c) checks what kvmmap shows of a
 * process; these look at what a process cannot arrange: a map with more
 * objects than the snapshot's first arrays hold (so they grow and the index
 * is rebuilt), and a vmspace whose owner lets go while a reader holds it.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/selftest.h"
#include "vm/vm_map.h"
#include "vm/vm_map_info.h"
#include "vm/vm_fault.h"
#include "vm/vm_test_util.h"
#include "uapi/mman.h"

#define BASE     0x400000ul
#define NENTRIES 40             /* more objects than the first arrays hold (16) */

/* NENTRIES one-page private entries, each written (so each has an object),
 * with a hole between neighbours so that they do not merge. */
static struct vmspace *space_with_many_objects(void)
{
	struct vmspace *vs = vmspace_alloc();
	if (vs == NULL)
		return NULL;
	for (int i = 0; i < NENTRIES; i++) {
		uint64_t va = BASE + 2 * i * PAGE_SIZE;
		if (vm_map_anon_fixed(vs, va, PAGE_SIZE, PROT_READ | PROT_WRITE) != 0 ||
		    vmspace_copyout(vs, va, &i, sizeof(i)) != 0) {
			vmspace_free(vs);
			return NULL;
		}
	}
	return vs;
}

/* Each object once, ids distinct, every entry's chain as BSD VM predicts. */
static int check_snapshot(const struct vm_map_info *info, int nobjects, int chain)
{
	KTEST_ASSERT(info->nentries == NENTRIES && info->nobjects == nobjects,
	    "%d entries, %d objects", info->nentries, info->nobjects);
	for (int i = 0; i < info->nobjects; i++)
		for (int j = 0; j < i; j++)
			KTEST_ASSERT(info->objects[i].id != info->objects[j].id, "#%lu listed twice",
			    info->objects[i].id);
	for (int i = 0; i < info->nentries; i++) {
		const struct kvmmap_entry *e = &info->entries[i];
		KTEST_ASSERT(e->chain == chain && e->object >= 0, "entry %d: chain %d", i, e->chain);
		const struct kvmmap_object *o = &info->objects[e->object];
		KTEST_ASSERT(o->id == e->object_id && o->depth == (unsigned int)chain - 1,
		    "entry %d: first object #%lu depth %u", i, o->id, o->depth);
		KTEST_ASSERT(chain == 1 || info->objects[o->backing].id == o->backing_id,
		    "entry %d: backing link", i);
	}
	return 0;
}

int test_vm_map_info_indexes_many_objects_once(void)
{
	struct vm_snap s;
	struct vm_map_info info;
	vm_snap_take(&s);
	struct vmspace *p = vmspace_alloc();             /* nothing mapped yet */
	KTEST_ASSERT(p != NULL && vm_map_info_take(p, &info) == 0, "snapshot of an empty space");
	KTEST_ASSERT(info.nentries == 0 && info.nobjects == 0 && info.entries == NULL,
	    "an empty space has %d entries, %d objects", info.nentries, info.nobjects);
	vm_map_info_free(&info);
	vmspace_free(p);
	p = space_with_many_objects();
	KTEST_ASSERT(p != NULL, "setup");
	KTEST_ASSERT(vm_map_info_take(p, &info) == 0, "snapshot");
	int r = check_snapshot(&info, NENTRIES, 1);
	vm_map_info_free(&info);
	if (r)
		return r;
	/* After fork, the child writes every page: NENTRIES shadows in front
	 * of the NENTRIES objects it still shares with the parent. */
	struct vmspace *c = vmspace_fork(p);
	KTEST_ASSERT(c != NULL, "fork");
	for (int i = 0; i < NENTRIES; i++)
		KTEST_ASSERT(vm_fault(c, BASE + 2 * i * PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_OK,
		    "write %d", i);
	KTEST_ASSERT(vm_map_info_take(c, &info) == 0, "snapshot of the child");
	r = check_snapshot(&info, 2 * NENTRIES, 2);
	vm_map_info_free(&info);
	vmspace_free(c);
	vmspace_free(p);
	if (r)
		return r;
	KTEST_NO_LEAK(&s);
	return 0;
}

/*
 * A reader holds the vmspace (as kvmmap does while it waits for the map
 * lock), and then its owner lets go (exit): the map must stay whole until
 * the reader's own vmspace_free, which tears it down.
 */
int test_vmspace_hold_outlives_its_owner(void)
{
	struct vm_snap s;
	struct vm_map_info info;
	vm_snap_take(&s);
	struct vmspace *vs = space_with_many_objects();
	KTEST_ASSERT(vs != NULL, "setup");
	vmspace_hold(vs);
	vmspace_free(vs);                       /* the owner's reference */
	KTEST_ASSERT(vm_map_info_take(vs, &info) == 0, "snapshot after the owner let go");
	int r = check_snapshot(&info, NENTRIES, 1);
	vm_map_info_free(&info);
	vmspace_free(vs);                       /* the reader's: the last */
	if (r)
		return r;
	KTEST_NO_LEAK(&s);
	return 0;
}
