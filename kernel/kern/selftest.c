/*
 * selftest.c - the kernel self-test runner (see selftest.h).
 *
 * `ktest=panic` is special: it panics on purpose inside
 * selftest_panic_deliberately(), so the harness can check that a panic
 * prints a backtrace naming that function and exits with the panic status.
 * `ktest=fault` dereferences NULL in selftest_fault_deliberately(), to check
 * the trap path: registers, fault address, error code and backtrace.
 * `ktest=sleep_with_spinlock` sleeps holding a spinlock: debug builds must
 * panic naming the sleep and where the lock was taken.
 * `ktest=witness_reversal`, `ktest=witness_not_owner` and
 * `ktest=witness_recursive` break a locking rule on purpose: debug builds'
 * lock-order checker (witness.c) must panic naming the locks and the places.
 * `ktest=corrupt` writes a bad value over a kernel variable, goes on working,
 * and panics only when a later check finds it: the panic's backtrace names
 * the check, not the writer.  The `rr` suite (tests/rr_test.py) finds the
 * writer by replaying the run backwards under gdb with a watchpoint.
 * `ktest=nmi_user_gs` sends this CPU an NMI while GS holds the user's base,
 * as it does between a `syscall` and its swapgs: the NMI's own entry
 * (vectors.S) must find the kernel's per-CPU block anyway, and the report
 * must come out whole, naming selftest_nmi_on_user_gs_deliberately().
 * Tests in named_only_selftests run only when the filter names them: they
 * need a boot of their own (a disk with injected errors, say).
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/printf.h"
#include "kern/selftest.h"
#include "kern/gcov.h"
#include "kern/proc.h"
#include "kern/sched.h"
#include "kern/spinlock.h"
#include "kern/mutex.h"
#include "arch/x86_64/debug_exit.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"

static const struct selftest selftests[] = {
	TEST_CASE(vm_page_alloc_all_free_all),
	TEST_CASE(vm_page_contig),
	TEST_CASE(vm_page_zeroed),
	TEST_CASE(kmem_sizes),
	TEST_CASE(kmem_alignment),
	TEST_CASE(kmem_reuse),
	TEST_CASE(kmem_keeps_one_spare_slab_per_class),
	TEST_CASE(kmem_redzone_overflow_detected),
	TEST_CASE(kmem_use_after_free_detected),
	TEST_CASE(kmem_large_blocks),
	TEST_CASE(kva_runs_do_not_overlap_and_are_reused),
	TEST_CASE(swap_space_runs_exhaustion_and_fragments),
	TEST_CASE(kmem_large_blocks_need_no_contiguity),
	TEST_CASE(uidinfo_charges_and_limits),
	TEST_CASE(hash_fnv1_32),
	TEST_CASE(trap_refused_frame_kills_only_the_process),
	TEST_CASE(kmem_fault_names_say_what_was_found),
	TEST_CASE(printf_formats),
	TEST_CASE(printf_truncation),
	TEST_CASE(clock_monotonic),
	TEST_CASE(clock_rate_sane),
	TEST_CASE(clock_timer_ticks),
	TEST_CASE(clock_user_time_saturates),
	TEST_CASE(cmdline_words),
	TEST_CASE(cmdline_bytes),
	TEST_CASE(acpi_refuses_malformed_tables),
	TEST_CASE(acpi_refuses_malformed_madt_entries),
	TEST_CASE(acpi_rsdp_checksums),
	TEST_CASE(mp_cpus_up_match_the_madt),
	TEST_CASE(sched_kthread_runs_and_is_reaped),
	TEST_CASE(sched_sleep_and_wakeup),
	TEST_CASE(mutex_excludes_across_yields),
	TEST_CASE(sched_sleep_ns_sleeps_long_enough),
	/* First of the VM tests: it counts every free page while it wakes the
	 * pageout daemon, and a VM test that fails (a lab's, in a student's
	 * tree) leaves pages behind that the daemon would move meanwhile. */
	TEST_CASE(vm_out_of_memory_fails_cleanly_at_every_step),
	TEST_CASE(vm_anon_fault_zero_fill_and_free),
	TEST_CASE(vm_fault_classifies_bad_accesses),
	TEST_CASE(vm_munmap_splits_entries),
	TEST_CASE(vm_mprotect_splits_and_respects_max_prot),
	TEST_CASE(vm_mmap_rejects_bad_arguments),
	TEST_CASE(vm_brk_grows_shrinks_and_rezeroes),
	TEST_CASE(vm_fork_cow_isolates_both_ways),
	TEST_CASE(vm_fork_repeated_keeps_every_copy_private),
	TEST_CASE(vm_fork_exit_loop_collapses_chain),
	TEST_CASE(vm_shared_anon_survives_fork_as_shared),
	TEST_CASE(vm_object_resize_unmaps_and_sigbus_past_end),
	TEST_CASE(vm_private_mapping_is_cow_snapshot),
	TEST_CASE(pmap_reverse_map_reaches_every_mapping),
	TEST_CASE(pmap_tlb_invalidated_when_active),
	TEST_CASE(vm_fork_write_protect_flushes_the_parents_tlb),
	TEST_CASE(vm_fault_pages_in_from_the_pager_and_reports_io_errors),
	TEST_CASE(vm_anon_pager_refuses_page_in_and_out),
	TEST_CASE(vm_collapse_keeps_each_moved_pages_queue),
	TEST_CASE(vm_collapse_waits_for_paging_in_progress),
	TEST_CASE(vm_fault_waits_for_a_busy_page),
	TEST_CASE(vm_truncate_waits_for_a_busy_or_wired_page),
	TEST_CASE(vm_shadow_only_of_a_shared_object),
	TEST_CASE(vm_dying_shadow_is_not_collapsed),
	TEST_CASE(vm_map_info_indexes_many_objects_once),
	TEST_CASE(vmspace_hold_outlives_its_owner),
	TEST_CASE(pipe_ring_wraparound),
	TEST_CASE(pipe_poll_and_close),
	TEST_CASE(bootfs_parse_and_walk),
	TEST_CASE(bootfs_truncated_archives_rejected),
	TEST_CASE(bootfs_malformed_archives_rejected),
	TEST_CASE(bootfs_pager_pages_are_the_files_bytes_then_zeros),
	TEST_CASE(vfs_normalize),
	TEST_CASE(pci_bars_are_sized_and_aligned),
	TEST_CASE(blk_single_pages_round_trip),
	TEST_CASE(blk_cluster_of_16_scattered_pages),
	TEST_CASE(blk_request_of_max_pages),
	TEST_CASE(blk_last_page_of_disk),
	TEST_CASE(blk_bad_page_counts_rejected),
	TEST_CASE(blk_many_requests_in_flight_from_threads),
};

/*
 * Tests that run only when the filter names them: they need a boot of
 * their own (tests/suites.py), such as a disk that fails on purpose.
 */
static const struct selftest named_only_selftests[] = {
	TEST_CASE(blk_injected_errors_reach_the_caller),
};

static char fail_reason[256];

int selftest_fail(const char *fn, int line, const char *fmt, ...)
{
	va_list ap;
	int n = ksnprintf(fail_reason, sizeof(fail_reason), "%s:%d: ", fn, line);
	va_start(ap, fmt);
	kvsnprintf(fail_reason + n, sizeof(fail_reason) - n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Is `name` in the comma-separated filter?  An empty filter selects all; a
 * word ending in '*' selects the names it begins (`blk_*`) unless only an
 * exact name will do.
 */
static bool selected(const char *filter, const char *name, bool exact)
{
	size_t len = strlen(name);
	if (filter[0] == '\0')
		return !exact;
	for (const char *p = filter; *p; ) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && strncmp(p, name, n) == 0)
			return true;
		if (!exact && n > 0 && p[n - 1] == '*' && n - 1 <= len && strncmp(p, name, n - 1) == 0)
			return true;
		p += n + (end ? 1 : 0);
	}
	return false;
}

void __attribute__((noinline)) selftest_panic_deliberately(void)
{
	panic("selftest: deliberate panic (the harness checks this backtrace)");
}

/* An NMI where GS is the user's.  After the swapgs nothing here may touch
 * per-CPU data (intr_push, kprintf's lock): the NMI's entry has to mend GS
 * before trap() can. */
void __attribute__((noinline)) selftest_nmi_on_user_gs_deliberately(void)
{
	kprintf("selftest: an NMI to this CPU while GS holds the user's base\n");
	intr_disable();
	__asm__ volatile("swapgs" ::: "memory");
	lapic_send_nmi_self();
	for (;;)
		cpu_pause();
}

/* A NULL dereference in kernel mode: the trap path must report it and panic. */
void __attribute__((noinline)) selftest_fault_deliberately(void)
{
	volatile uint64_t *null = NULL;
	kprintf("selftest: reading address 0 from kernel mode\n");
	(void)*null;
}

/* Sleeping with a spinlock held must panic at once, naming both places. */
void __attribute__((noinline)) selftest_sleep_with_spinlock_deliberately(void)
{
	static struct spinlock held = SPINLOCK_INIT("selftest_held");
	static struct spinlock chan_lock = SPINLOCK_INIT("selftest_chan");
	spinlock_acquire(&held);
	spinlock_acquire(&chan_lock);
	kprintf("selftest: sleeping with spinlock selftest_held taken\n");
	sleep_on(&chan_lock, &chan_lock, false);
	panic("selftest: slept with a spinlock held and woke up");
}

/*
 * ktest=witness_reversal.  Two test spinlocks taken A then B in one
 * function, then B then A in another: nothing deadlocks (one thread, one
 * CPU), but two threads running the two functions at once could.  The
 * checker must panic in the second, naming both locks and all four sites.
 */
static struct spinlock selftest_lock_a = SPINLOCK_INIT("selftest_a");
static struct spinlock selftest_lock_b = SPINLOCK_INIT("selftest_b");

void __attribute__((noinline)) selftest_witness_lock_ab(void)
{
	spinlock_acquire(&selftest_lock_a);
	spinlock_acquire(&selftest_lock_b);
	spinlock_release(&selftest_lock_b);
	spinlock_release(&selftest_lock_a);
}

void __attribute__((noinline)) selftest_witness_lock_ba(void)
{
	spinlock_acquire(&selftest_lock_b);
	spinlock_acquire(&selftest_lock_a);
	spinlock_release(&selftest_lock_a);
	spinlock_release(&selftest_lock_b);
}

void __attribute__((noinline)) selftest_witness_reversal_deliberately(void)
{
	kprintf("selftest: taking selftest_a then selftest_b, then the other way round\n");
	selftest_witness_lock_ab();
	selftest_witness_lock_ba();
	panic("selftest: a lock order reversal went unnoticed");
}

/*
 * ktest=witness_not_owner.  A kernel thread takes a mutex and exits
 * without unlocking it; this thread then unlocks it.  The checker must
 * panic: only the holder may unlock.
 */
static struct mutex selftest_owned = MUTEX_INIT(selftest_owned, "selftest_owned");

static void selftest_take_and_keep(void *arg __attribute__((unused)))
{
	mutex_lock(&selftest_owned);
}

void __attribute__((noinline)) selftest_witness_not_owner_deliberately(void)
{
	struct proc *t = kthread_create("t-owner", selftest_take_and_keep, NULL);
	if (t == NULL)
		panic("selftest: kthread_create failed");
	pid_t pid = t->pid;
	if (sys_wait4(pid, NULL, 0, NULL) != pid)
		panic("selftest: wait4 failed");
	kprintf("selftest: unlocking selftest_owned, which t-owner took\n");
	mutex_unlock(&selftest_owned);
	panic("selftest: an unlock by a thread that is not the owner went unnoticed");
}

/* ktest=witness_recursive.  A spinlock taken twice by the same CPU. */
void __attribute__((noinline)) selftest_witness_recursive_deliberately(void)
{
	static struct spinlock twice = SPINLOCK_INIT("selftest_twice");
	spinlock_acquire(&twice);
	kprintf("selftest: taking selftest_twice again\n");
	spinlock_acquire(&twice);
	panic("selftest: a recursive spinlock acquire went unnoticed");
}

/*
 * ktest=corrupt.  selftest_canary holds SELFTEST_CANARY_GOOD; a stray write
 * through a pointer that should have gone elsewhere (the bug) puts
 * SELFTEST_CANARY_BAD there; then the kernel does real work -- a few
 * self-tests that sleep, wake and switch threads, print, and wait for
 * timer interrupts -- and only afterwards does a check notice.  Its panic
 * says what is wrong, not who did it: the question a watchpoint answers
 * when the run is replayed backwards (README, "Going backwards from a
 * panic").  The work leaves out the kmem self-tests: with them in between,
 * QEMU 7.2 stalled in a reverse-continue with a watchpoint set (see the
 * README's limits).
 */
#define SELFTEST_CANARY_GOOD 0x600dc0deul
#define SELFTEST_CANARY_BAD  0xbadc0ffeeul

uint64_t selftest_canary = SELFTEST_CANARY_GOOD;

void __attribute__((noinline)) selftest_scribble(uint64_t *where)
{
	*where = SELFTEST_CANARY_BAD;   /* the stray write (tests/rr_test.py looks for this line) */
	kprintf("selftest: wrote somewhere we should not have\n");
}

void __attribute__((noinline)) selftest_check_canary(void)
{
	if (selftest_canary != SELFTEST_CANARY_GOOD)
		panic("selftest: selftest_canary is %#lx, not %#lx: something wrote over it",
		      selftest_canary, SELFTEST_CANARY_GOOD);
}

static const struct selftest corrupt_work[] = {
	TEST_CASE(sched_sleep_and_wakeup),
	TEST_CASE(printf_formats),
	TEST_CASE(clock_timer_ticks),
};

static void run_one(const struct selftest *t, int *passed, int *failed);

void __attribute__((noinline)) selftest_corrupt_deliberately(void)
{
	int passed = 0, failed = 0;

	selftest_canary = SELFTEST_CANARY_GOOD;         /* a good write, before the bad one */
	selftest_scribble(&selftest_canary);
	for (size_t i = 0; i < ARRAY_SIZE(corrupt_work); i++)
		run_one(&corrupt_work[i], &passed, &failed);
	sched_sleep_ns(20 * 1000 * 1000);
	selftest_check_canary();
	panic("selftest: ktest=corrupt found nothing wrong (the check is broken)");
}

static char selftest_filter[256];

/*
 * The self-tests run in a kernel thread with the scheduler going, so they
 * can test sleeping, waking and other threads too.
 */
static void selftest_thread(void *arg)
{
	selftest_run(arg);
}

void selftest_start(const char *filter)
{
	strlcpy(selftest_filter, filter, sizeof(selftest_filter));
	if (kthread_create("ktest", selftest_thread, selftest_filter) == NULL)
		panic("selftest_start: cannot create the test thread");
}

static void run_one(const struct selftest *t, int *passed, int *failed)
{
	fail_reason[0] = '\0';
	if (t->fn() == 0) {
		kprintf("TEST-PASS kernel.%s\n", t->name);
		(*passed)++;
	} else {
		kprintf("TEST-FAIL kernel.%s: %s\n", t->name, fail_reason);
		(*failed)++;
	}
}

void selftest_run(const char *filter)
{
	int passed = 0, failed = 0;

	if (strcmp(filter, "panic") == 0)
		selftest_panic_deliberately();
	if (strcmp(filter, "fault") == 0)
		selftest_fault_deliberately();
	if (strcmp(filter, "nmi_user_gs") == 0)
		selftest_nmi_on_user_gs_deliberately();
	if (strcmp(filter, "sleep_with_spinlock") == 0)
		selftest_sleep_with_spinlock_deliberately();
	if (strcmp(filter, "corrupt") == 0)
		selftest_corrupt_deliberately();
	if (strcmp(filter, "witness_reversal") == 0)
		selftest_witness_reversal_deliberately();
	if (strcmp(filter, "witness_not_owner") == 0)
		selftest_witness_not_owner_deliberately();
	if (strcmp(filter, "witness_recursive") == 0)
		selftest_witness_recursive_deliberately();
	for (size_t i = 0; i < ARRAY_SIZE(selftests); i++)
		if (selected(filter, selftests[i].name, false))
			run_one(&selftests[i], &passed, &failed);
	for (size_t i = 0; i < ARRAY_SIZE(named_only_selftests); i++)
		if (selected(filter, named_only_selftests[i].name, true))
			run_one(&named_only_selftests[i], &passed, &failed);
	if (passed + failed == 0)
		kprintf("selftest: no test matches \"%s\"\n", filter);
	kprintf("TEST-DONE kernel passed=%d failed=%d\n", passed, failed);
	gcov_dump();            /* the coverage build hands its counters over first */
	debug_exit(failed == 0 && passed > 0 ? 0 : 1);
}
