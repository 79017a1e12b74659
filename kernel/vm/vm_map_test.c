/*
 * vm_map_test.c - self-tests of address spaces: faults, unmap/protect with
 * splitting, mmap argument checking, brk, and exact resource accounting.
 * They run without processes: each builds vmspaces, resolves faults with
 * vm_fault() on them (not loaded), and looks at the result through
 * pmap_extract() and the direct map.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/selftest.h"
#include "vm/vm_map.h"
#include "vm/vm_fault.h"
#include "vm/vm_mmap.h"
#include "vm/vm_test_util.h"
#include "uapi/mman.h"

#define BASE 0x400000ul

int test_vm_anon_fault_zero_fill_and_free(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs != NULL, "vmspace_alloc failed");
	KTEST_ASSERT(vm_map_anon_fixed(vs, BASE, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	for (int i = 0; i < 16; i++) {
		uint64_t va = BASE + i * PAGE_SIZE;
		KTEST_ASSERT(vm_fault(vs, va + 8, VM_FAULT_WRITE) == VM_FAULT_OK, "fault page %d", i);
		KTEST_ASSERT(vm_test_peek(vs, va + 8) == 0, "page %d not zero-filled", i);
		*(uint8_t *)PHYS_TO_DMAP(pmap_extract(vmspace_pmap(vs), va)) = (uint8_t)i;
	}
	KTEST_ASSERT(vmspace_resident_pages(vs) == 16, "resident %lu", vmspace_resident_pages(vs));
	KTEST_ASSERT(vmspace_virtual_size(vs) == 16 * PAGE_SIZE, "vsize");
	KTEST_ASSERT(vm_test_peek(vs, BASE + 5 * PAGE_SIZE) == 5, "data lost");
	KTEST_ASSERT(vm_object_count() == s.objects + 1, "one object expected");
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_fault_classifies_bad_accesses(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs != NULL, "vmspace_alloc");
	KTEST_ASSERT(vm_map_anon_fixed(vs, BASE, PAGE_SIZE, PROT_READ) == 0, "map ro");
	KTEST_ASSERT(vm_map_anon_fixed(vs, BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_NONE) == 0, "map none");
	KTEST_ASSERT(vm_fault(vs, BASE + PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "hole");
	KTEST_ASSERT(vm_fault(vs, 0, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "null");
	KTEST_ASSERT(vm_fault(vs, USER_MAX, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "USER_MAX");
	KTEST_ASSERT(vm_fault(vs, KERNEL_BASE, VM_FAULT_WRITE) == VM_FAULT_SIGSEGV, "kernel address");
	KTEST_ASSERT(vm_fault(vs, BASE, VM_FAULT_WRITE) == VM_FAULT_SIGSEGV, "write to read-only");
	KTEST_ASSERT(vm_fault(vs, BASE, VM_FAULT_EXEC) == VM_FAULT_SIGSEGV, "exec of no-exec");
	KTEST_ASSERT(vm_fault(vs, BASE + 2 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "PROT_NONE");
	KTEST_ASSERT(vm_fault(vs, BASE, VM_FAULT_READ) == VM_FAULT_OK, "read of read-only");
	KTEST_ASSERT(pmap_extract(vmspace_pmap(vs), BASE) != 0, "not mapped after read");
	KTEST_ASSERT(!pmap_is_writable(vmspace_pmap(vs), BASE), "read-only page mapped writable");
	KTEST_ASSERT(vm_fault(vs, 0xffffffffffffffff, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "~0");
	/* exec loads text into read-only memory through a forced write */
	KTEST_ASSERT(vmspace_copyout(vs, BASE + 10, "text", 5) == 0, "forced copyout");
	KTEST_ASSERT(vm_test_peek(vs, BASE + 10) == 't', "copyout data");
	KTEST_ASSERT(vmspace_copyout(vs, BASE + PAGE_SIZE, "x", 1) == -EFAULT, "copyout to a hole");
	/* the names the kill message gives each result */
	KTEST_ASSERT(strcmp(vm_fault_result_name(VM_FAULT_SIGSEGV), "segmentation fault") == 0 &&
	    strcmp(vm_fault_result_name(VM_FAULT_OOM), "out of memory") == 0 &&
	    strcmp(vm_fault_result_name((enum vm_fault_result)99), "?") == 0, "result names");
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_munmap_splits_entries(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs != NULL, "vmspace_alloc");
	KTEST_ASSERT(vm_map_anon_fixed(vs, BASE, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	for (int i = 0; i < 8; i++)
		KTEST_ASSERT(vm_fault(vs, BASE + i * PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_OK, "fault %d", i);
	uint64_t free_before = kmem_free_and_heap_pages();
	KTEST_ASSERT(vm_munmap(vs, BASE + 3 * PAGE_SIZE, 2 * PAGE_SIZE) == 0, "munmap middle");
	KTEST_ASSERT(vs->map.nentries == 2, "%lu entries after a middle unmap", vs->map.nentries);
	KTEST_ASSERT(kmem_free_and_heap_pages() == free_before + 2, "unmapped private pages not freed");
	KTEST_ASSERT(vm_test_peek(vs, BASE + 3 * PAGE_SIZE) == 0x100, "still mapped");
	KTEST_ASSERT(vm_test_peek(vs, BASE + 5 * PAGE_SIZE) == 0, "neighbour lost");
	KTEST_ASSERT(vm_fault(vs, BASE + 4 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "hole faults");
	KTEST_ASSERT(vm_fault(vs, BASE + 7 * PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_OK, "tail works");
	KTEST_ASSERT(vm_munmap(vs, BASE, PAGE_SIZE) == 0, "munmap head");
	KTEST_ASSERT(vm_munmap(vs, BASE + 1, PAGE_SIZE) == -EINVAL, "unaligned munmap");
	KTEST_ASSERT(vm_munmap(vs, BASE, 0) == -EINVAL, "zero-length munmap");
	KTEST_ASSERT(vm_munmap(vs, USER_MAX - PAGE_SIZE, 2 * PAGE_SIZE) == -EINVAL, "past USER_MAX");
	KTEST_ASSERT(vm_munmap(vs, 0x100000000ul, PAGE_SIZE) == 0, "munmap of nothing");
	KTEST_ASSERT(vm_munmap(vs, BASE, 8 * PAGE_SIZE) == 0, "munmap all");
	KTEST_ASSERT(vs->map.nentries == 0 && vmspace_resident_pages(vs) == 0, "map not empty");
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_mprotect_splits_and_respects_max_prot(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	KTEST_ASSERT(vs != NULL, "vmspace_alloc");
	KTEST_ASSERT(vm_map_anon_fixed(vs, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "map");
	for (int i = 0; i < 4; i++)
		KTEST_ASSERT(vm_fault(vs, BASE + i * PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_OK, "fault");
	KTEST_ASSERT(vm_mprotect(vs, BASE + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ) == 0, "mprotect");
	KTEST_ASSERT(vs->map.nentries == 3, "%lu entries", vs->map.nentries);
	KTEST_ASSERT(!pmap_is_writable(vmspace_pmap(vs), BASE + PAGE_SIZE), "pmap still writable");
	KTEST_ASSERT(pmap_is_writable(vmspace_pmap(vs), BASE), "neighbour lost write");
	KTEST_ASSERT(vm_fault(vs, BASE + PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_SIGSEGV, "write allowed");
	KTEST_ASSERT(vm_mprotect(vs, BASE, 8 * PAGE_SIZE, PROT_READ) == -ENOMEM, "hole not refused");
	KTEST_ASSERT(vm_mprotect(vs, BASE + 1, PAGE_SIZE, PROT_READ) == -EINVAL, "unaligned");
	KTEST_ASSERT(vm_mprotect(vs, BASE, PAGE_SIZE, 0x80) == -EINVAL, "bad prot");
	KTEST_ASSERT(vm_mprotect(vs, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "re-enable");
	KTEST_ASSERT(vm_fault(vs, BASE + PAGE_SIZE, VM_FAULT_WRITE) == VM_FAULT_OK, "write after re-enable");
	/* an entry whose max_prot lacks write (a shared read-only file mapping) */
	struct vm_object *obj = vm_object_allocate_anon(1);
	KTEST_ASSERT(obj != NULL, "object");
	vm_map_lock(&vs->map);
	int err = vm_map_insert(&vs->map, 0x800000, 0x801000, obj, 0, PROT_READ, PROT_READ | PROT_EXEC,
	    VM_INHERIT_SHARE, false);
	vm_map_unlock(&vs->map);
	KTEST_ASSERT(err == 0, "insert");
	KTEST_ASSERT(vm_mprotect(vs, 0x800000, PAGE_SIZE, PROT_READ | PROT_WRITE) == -EACCES, "max_prot");
	KTEST_ASSERT(vm_mprotect(vs, 0x800000, PAGE_SIZE, PROT_READ | PROT_EXEC) == 0, "exec within max");
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_mmap_rejects_bad_arguments(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	const int A = MAP_ANONYMOUS, RW = PROT_READ | PROT_WRITE;
	KTEST_ASSERT(vs != NULL, "vmspace_alloc");
	KTEST_ASSERT(vm_mmap(vs, 0, 0, RW, A | MAP_PRIVATE, -1, 0) == -EINVAL, "len 0");
	KTEST_ASSERT(vm_mmap(vs, 0, 4096, RW, A, -1, 0) == -EINVAL, "neither shared nor private");
	KTEST_ASSERT(vm_mmap(vs, 0, 4096, RW, A | MAP_SHARED | MAP_PRIVATE, -1, 0) == -EINVAL, "both");
	KTEST_ASSERT(vm_mmap(vs, 0, 4096, RW, A | MAP_PRIVATE | 0x40000000, -1, 0) == -EINVAL, "bits");
	KTEST_ASSERT(vm_mmap(vs, 0, 4096, 0x10, A | MAP_PRIVATE, -1, 0) == -EINVAL, "prot bits");
	KTEST_ASSERT(vm_mmap(vs, BASE + 1, 4096, RW, A | MAP_PRIVATE | MAP_FIXED, -1, 0) == -EINVAL,
	    "unaligned fixed");
	KTEST_ASSERT(vm_mmap(vs, 0, 4096, RW, A | MAP_PRIVATE, -1, 123) == -EINVAL, "unaligned offset");
	KTEST_ASSERT(vm_mmap(vs, USER_MAX - 4096, 8192, RW, A | MAP_PRIVATE | MAP_FIXED, -1, 0) == -ENOMEM,
	    "fixed past USER_MAX");
	KTEST_ASSERT(vm_mmap(vs, 0, ~0ul, RW, A | MAP_PRIVATE, -1, 0) == -ENOMEM, "huge len");
	KTEST_ASSERT(vm_mmap(vs, 0, USER_MAX, RW, A | MAP_PRIVATE, -1, 0) == -ENOMEM, "no room");
	long a = vm_mmap(vs, 0, 3 * 4096, RW, A | MAP_PRIVATE, -1, 0);
	long b = vm_mmap(vs, 0, 4096, RW, A | MAP_PRIVATE, -1, 0);
	KTEST_ASSERT(a > 0 && b > 0 && (uint64_t)a < VM_MMAP_TOP && (uint64_t)b < VM_MMAP_TOP, "mmap");
	KTEST_ASSERT(b + 4096 <= a || a + 3 * 4096 <= b, "overlap %#lx %#lx", a, b);
	KTEST_ASSERT(vm_mmap(vs, a, 4096, RW, A | MAP_PRIVATE | MAP_FIXED_NOREPLACE, -1, 0) == -EEXIST,
	    "noreplace");
	long h = vm_mmap(vs, 0x50000000, 4096, RW, A | MAP_PRIVATE, -1, 0);
	KTEST_ASSERT(h == 0x50000000, "free hint not taken: %#lx", h);
	KTEST_ASSERT(vm_fault(vs, a, VM_FAULT_WRITE) == VM_FAULT_OK, "fault a");
	long f = vm_mmap(vs, a, 4096, PROT_READ, A | MAP_PRIVATE | MAP_FIXED, -1, 0);
	KTEST_ASSERT(f == a, "MAP_FIXED replace: %ld", f);
	KTEST_ASSERT(pmap_extract(vmspace_pmap(vs), a) == 0, "replaced page still mapped");
	KTEST_ASSERT(vm_fault(vs, a, VM_FAULT_WRITE) == VM_FAULT_SIGSEGV, "new prot not applied");
	long p = vm_mmap(vs, 0, 2 * 4096, RW, A | MAP_PRIVATE | MAP_POPULATE, -1, 0);
	KTEST_ASSERT(p > 0 && pmap_extract(vmspace_pmap(vs), p + 4096) != 0, "MAP_POPULATE");
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}

int test_vm_brk_grows_shrinks_and_rezeroes(void)
{
	struct vm_snap s;
	vm_snap_take(&s);
	struct vmspace *vs = vmspace_alloc();
	const uint64_t heap = 0x600123;
	KTEST_ASSERT(vs != NULL, "vmspace_alloc");
	KTEST_ASSERT(vm_brk(vs, 0x700000) == 0, "brk before exec set it");
	vmspace_set_brk(vs, heap, heap);
	KTEST_ASSERT(vm_brk(vs, 0) == (long)heap, "brk(0)");
	KTEST_ASSERT(vm_brk(vs, heap + 3 * PAGE_SIZE) == (long)(heap + 3 * PAGE_SIZE), "grow");
	KTEST_ASSERT(vm_brk(vs, heap + 5 * PAGE_SIZE) == (long)(heap + 5 * PAGE_SIZE), "grow again");
	KTEST_ASSERT(vs->map.nentries == 1, "brk growth not merged: %lu entries", vs->map.nentries);
	KTEST_ASSERT(vmspace_copyout(vs, heap + 4 * PAGE_SIZE, "abc", 4) == 0, "write heap");
	KTEST_ASSERT(vm_brk(vs, heap + PAGE_SIZE) == (long)(heap + PAGE_SIZE), "shrink");
	KTEST_ASSERT(vm_fault(vs, heap + 4 * PAGE_SIZE, VM_FAULT_READ) == VM_FAULT_SIGSEGV, "freed heap");
	KTEST_ASSERT(vm_brk(vs, heap + 5 * PAGE_SIZE) == (long)(heap + 5 * PAGE_SIZE), "regrow");
	char buf[4];
	KTEST_ASSERT(vmspace_copyin(vs, heap + 4 * PAGE_SIZE, buf, 4) == 0, "read heap");
	KTEST_ASSERT(buf[0] == 0 && buf[1] == 0, "regrown heap not zero");
	KTEST_ASSERT(vm_brk(vs, heap - PAGE_SIZE) == (long)(heap + 5 * PAGE_SIZE), "below start");
	KTEST_ASSERT(vm_map_anon_fixed(vs, 0x700000, PAGE_SIZE, PROT_READ) == 0, "block");
	KTEST_ASSERT(vm_brk(vs, 0x800000) == (long)(heap + 5 * PAGE_SIZE), "grew over a mapping");
	vmspace_free(vs);
	KTEST_NO_LEAK(&s);
	return 0;
}
