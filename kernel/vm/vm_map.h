/*
 * vm_map.h - address spaces: the sorted map entries of one process, its
 * pmap, and its heap bounds.
 *
 * A vm_map is a sorted, non-overlapping set of entries [start, end); each
 * maps a window of a VM object (at byte `offset`) with a protection, a
 * maximum protection (mprotect may not go beyond it) and an inheritance
 * that says what fork does with it:
 *   VM_INHERIT_SHARE  the child maps the same object (MAP_SHARED, shm)
 *   VM_INHERIT_COPY   the child gets a copy-on-write copy (MAP_PRIVATE)
 *   VM_INHERIT_NONE   the child gets nothing there
 * A private anonymous entry may have no object yet (object == NULL): the
 * first fault creates one sized to the entry.  needs_copy says the object
 * is shared copy-on-write with another entry (after fork, or a private file
 * mapping): the first write puts a shadow object in front of it (vm_fault.c,
 * and the essay in vm_object.c).
 *
 * Entries live on a list sorted by address with a lookup hint (the last
 * entry found), which makes the common cases - faults near the last fault,
 * walks in order - O(1); a balanced tree is the upgrade if maps grow large.
 *
 * Free space for mmap without MAP_FIXED is found top-down: the highest gap
 * below VM_MMAP_TOP (0x7f0000000000, under the stack region exec uses) that
 * is above VM_MMAP_MIN, as Linux lays out its mmap area.
 *
 * Locking: (m) the map's lock, a sleeping mutex: it is held across a
 * whole fault, and a fault may sleep -- reading a page from swap, or
 * waiting for the pageout daemon to free memory.  Why a mutex and not a
 * reader/writer lock (FreeBSD's sx, where faults share the map and
 * changes take it alone): here an address space belongs to one process
 * with one thread, so no two faults on a map ever overlap, and sharing
 * would buy nothing but a lock upgrade in the fault path (which changes
 * the entry when it creates or shadows its object).  Threads would bring
 * the sx with them.  Lock order: map, then objects, then pmap.
 */
#ifndef VM_VM_MAP_H
#define VM_VM_MAP_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/mutex.h"
#include "uapi/mman.h"

struct vm_object;
struct pmap;

#define VM_INHERIT_SHARE  0
#define VM_INHERIT_COPY   1
#define VM_INHERIT_NONE   2

#define VM_PROT_ALL     (PROT_READ | PROT_WRITE | PROT_EXEC)
#define VM_MMAP_TOP     0x00007f0000000000ul    /* non-fixed mmap searches down from here */
#define VM_MMAP_MIN     0x0000000000010000ul    /* ... to here (Linux's mmap_min_addr) */
#define VM_MAP_ENTRIES_MAX 65530        /* entries in one map, Linux's vm.max_map_count
                                           (vm_mmap.c says why): ENOMEM */

struct vm_map_entry {
	struct list_node link;          /* (m) on map->entries, sorted by start */
	uint64_t start, end;            /* (m) page aligned, start < end */
	struct vm_object *object;       /* (m) one reference, or NULL (anonymous, not yet touched) */
	uint64_t offset;                /* (m) byte offset of start in object (page aligned) */
	uint8_t prot;                   /* (m) PROT_* */
	uint8_t max_prot;               /* (m) PROT_*: prot may never exceed it */
	uint8_t inheritance;            /* (m) VM_INHERIT_* */
	bool needs_copy;                /* (m) object shared copy-on-write: shadow before writing */
	bool writecount;                /* (m) counted in object->writable_mappings (vm_map.c) */
};

struct vm_map {
	struct mutex lock;
	struct list entries;            /* (m) sorted, non-overlapping */
	struct vm_map_entry *hint;      /* (m) last entry looked up, or NULL */
	uint64_t nentries;              /* (m) */
	uint64_t size;                  /* (m) bytes mapped */
	struct pmap *pmap;              /* (c) */
};

/*
 * One process's address space: its map (whose pmap is the page tables) and
 * heap.  Its process holds one reference; a tool that reads another
 * process's map (kvmmap, vm_map_info.c) holds another while it waits for
 * the map lock, so that the target's exit or exec cannot free the vmspace
 * under it.  The last vmspace_free tears it down.
 */
struct vmspace {
	struct vm_map map;
	int refcnt;                     /* (a) */
	uint64_t data_start;            /* (m) start of the data segment (RLIMIT_DATA counts from here) */
	uint64_t heap_start;            /* (m) where brk started (set by exec) */
	uint64_t brk;                   /* (m) current break (not page aligned) */
};

/* ------------------------------------------------- the interface proc/exec use */

struct vmspace *vmspace_alloc(void);
/* fork: see vm_map.c.  NULL when out of memory (nothing leaked, src unchanged in meaning). */
struct vmspace *vmspace_fork(struct vmspace *src);
/* Take another reference on vs; the caller must already reach vs safely
 * (its own, or another process's read under proc_table_lock). */
void vmspace_hold(struct vmspace *vs);
/* Drop a reference; the last one unmaps everything and frees vs.  May sleep. */
void vmspace_free(struct vmspace *vs);
void vmspace_activate(struct vmspace *vs);
/* Map private zero-fill memory at [addr, addr+len) (page aligned), replacing
 * what was there.  0, -EINVAL (bad range) or -ENOMEM. */
int vm_map_anon_fixed(struct vmspace *vs, uint64_t addr, uint64_t len, int prot);
/* Map obj copy-on-write at [addr, addr+len) from byte offset (both page
 * aligned), replacing what was there: a needs_copy entry, so the first
 * write puts a shadow in front and obj itself never changes (exec maps a
 * program's file this way).  The entry takes over the caller's reference
 * on obj.  0, -EINVAL or -ENOMEM (the caller keeps its reference). */
int vm_map_object_cow_fixed(struct vmspace *vs, uint64_t addr, uint64_t len,
    struct vm_object *obj, uint64_t offset, int prot);
/* Write len bytes of kernel data at va in vs (any vs, loaded or not),
 * faulting pages in and ignoring the protection (exec writes a segment it
 * cannot map from the file this way, read-only or not).
 * 0, -EFAULT (not mapped) or -ENOMEM. */
int vmspace_copyout(struct vmspace *vs, uint64_t va, const void *src, size_t len);
/* Read len bytes at va in vs into kernel memory.  Same rules. */
int vmspace_copyin(struct vmspace *vs, uint64_t va, void *dst, size_t len);
/* exec: the data segment starts at data_start and the heap (the break) at heap_start. */
void vmspace_set_brk(struct vmspace *vs, uint64_t data_start, uint64_t heap_start);
uint64_t vmspace_virtual_size(struct vmspace *vs);
uint64_t vmspace_resident_pages(struct vmspace *vs);
static inline struct pmap *vmspace_pmap(struct vmspace *vs) { return vs->map.pmap; }

/* ------------------------------------------------ map operations (map locked) */

void vm_map_lock(struct vm_map *map);
void vm_map_unlock(struct vm_map *map);
/* The entry containing addr, or NULL. */
struct vm_map_entry *vm_map_lookup_entry(struct vm_map *map, uint64_t addr);
/* Is [start, end) free of entries? */
bool vm_map_range_free(struct vm_map *map, uint64_t start, uint64_t end);
/* The first entry ending above addr: true with its range, false if none. */
bool vm_map_next_range(struct vm_map *map, uint64_t addr, uint64_t *start, uint64_t *end);
/* Bytes of [start, end) that entries map. */
uint64_t vm_map_bytes_mapped(struct vm_map *map, uint64_t start, uint64_t end);
/* Find a free range of len bytes (top-down, see above): 0 or -ENOMEM. */
int vm_map_findspace(struct vm_map *map, uint64_t len, uint64_t *addrp);
/*
 * Map [start, end) (must be free) to obj at offset; the entry takes over the
 * caller's reference on obj (NULL: anonymous).  0 or -ENOMEM (the caller
 * keeps its reference).
 */
int vm_map_insert(struct vm_map *map, uint64_t start, uint64_t end, struct vm_object *obj,
    uint64_t offset, int prot, int max_prot, int inheritance, bool needs_copy);
/* Unmap [start, end), splitting entries that straddle its ends.  0 or -ENOMEM. */
int vm_map_delete(struct vm_map *map, uint64_t start, uint64_t end);
/* Set the protection of [start, end): 0, -ENOMEM (a hole in the range, or
 * no memory to split), -EACCES (beyond an entry's max_prot). */
int vm_map_protect(struct vm_map *map, uint64_t start, uint64_t end, int prot);

#endif
