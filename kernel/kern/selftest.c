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
#include "arch/x86_64/debug_exit.h"

static const struct selftest selftests[] = {
	{ "vm_page_alloc_all_free_all", test_vm_page_alloc_all_free_all },
	{ "vm_page_contig", test_vm_page_contig },
	{ "vm_page_zeroed", test_vm_page_zeroed },
	{ "kmem_sizes", test_kmem_sizes },
	{ "kmem_alignment", test_kmem_alignment },
	{ "kmem_reuse", test_kmem_reuse },
	{ "kmem_redzone_overflow_detected", test_kmem_redzone_overflow_detected },
	{ "kmem_use_after_free_detected", test_kmem_use_after_free_detected },
	{ "kmem_large_blocks", test_kmem_large_blocks },
	{ "kva_runs_do_not_overlap_and_are_reused", test_kva_runs_do_not_overlap_and_are_reused },
	{ "swap_space_runs_exhaustion_and_fragments", test_swap_space_runs_exhaustion_and_fragments },
	{ "kmem_large_blocks_need_no_contiguity", test_kmem_large_blocks_need_no_contiguity },
	{ "uidinfo_charges_and_limits", test_uidinfo_charges_and_limits },
	{ "hash_fnv1_32", test_hash_fnv1_32 },
	{ "trap_refused_frame_kills_only_the_process", test_trap_refused_frame_kills_only_the_process },
	{ "kmem_fault_names_say_what_was_found", test_kmem_fault_names_say_what_was_found },
	{ "printf_formats", test_printf_formats },
	{ "printf_truncation", test_printf_truncation },
	{ "clock_monotonic", test_clock_monotonic },
	{ "clock_rate_sane", test_clock_rate_sane },
	{ "clock_timer_ticks", test_clock_timer_ticks },
	{ "clock_user_time_saturates", test_clock_user_time_saturates },
	{ "cmdline_words", test_cmdline_words },
	{ "sched_kthread_runs_and_is_reaped", test_sched_kthread_runs_and_is_reaped },
	{ "sched_sleep_and_wakeup", test_sched_sleep_and_wakeup },
	{ "mutex_excludes_across_yields", test_mutex_excludes_across_yields },
	{ "sched_sleep_ns_sleeps_long_enough", test_sched_sleep_ns_sleeps_long_enough },
	/* First of the VM tests: it counts every free page while it wakes the
	 * pageout daemon, and a VM test that fails (a lab's, in a student's
	 * tree) leaves pages behind that the daemon would move meanwhile. */
	{ "vm_out_of_memory_fails_cleanly_at_every_step",
	  test_vm_out_of_memory_fails_cleanly_at_every_step },
	{ "vm_anon_fault_zero_fill_and_free", test_vm_anon_fault_zero_fill_and_free },
	{ "vm_fault_classifies_bad_accesses", test_vm_fault_classifies_bad_accesses },
	{ "vm_munmap_splits_entries", test_vm_munmap_splits_entries },
	{ "vm_mprotect_splits_and_respects_max_prot", test_vm_mprotect_splits_and_respects_max_prot },
	{ "vm_mmap_rejects_bad_arguments", test_vm_mmap_rejects_bad_arguments },
	{ "vm_brk_grows_shrinks_and_rezeroes", test_vm_brk_grows_shrinks_and_rezeroes },
	{ "vm_fork_cow_isolates_both_ways", test_vm_fork_cow_isolates_both_ways },
	{ "vm_fork_repeated_keeps_every_copy_private", test_vm_fork_repeated_keeps_every_copy_private },
	{ "vm_fork_exit_loop_collapses_chain", test_vm_fork_exit_loop_collapses_chain },
	{ "vm_shared_anon_survives_fork_as_shared", test_vm_shared_anon_survives_fork_as_shared },
	{ "vm_object_resize_unmaps_and_sigbus_past_end", test_vm_object_resize_unmaps_and_sigbus_past_end },
	{ "vm_private_mapping_is_cow_snapshot", test_vm_private_mapping_is_cow_snapshot },
	{ "pmap_reverse_map_reaches_every_mapping", test_pmap_reverse_map_reaches_every_mapping },
	{ "pmap_tlb_invalidated_when_active", test_pmap_tlb_invalidated_when_active },
	{ "vm_fork_write_protect_flushes_the_parents_tlb",
	  test_vm_fork_write_protect_flushes_the_parents_tlb },
	{ "vm_fault_pages_in_from_the_pager_and_reports_io_errors",
	  test_vm_fault_pages_in_from_the_pager_and_reports_io_errors },
	{ "vm_anon_pager_refuses_page_in_and_out", test_vm_anon_pager_refuses_page_in_and_out },
	{ "vm_collapse_keeps_each_moved_pages_queue", test_vm_collapse_keeps_each_moved_pages_queue },
	{ "vm_collapse_waits_for_paging_in_progress", test_vm_collapse_waits_for_paging_in_progress },
	{ "pipe_ring_wraparound", test_pipe_ring_wraparound },
	{ "pipe_poll_and_close", test_pipe_poll_and_close },
	{ "bootfs_parse_and_walk", test_bootfs_parse_and_walk },
	{ "bootfs_truncated_archives_rejected", test_bootfs_truncated_archives_rejected },
	{ "bootfs_malformed_archives_rejected", test_bootfs_malformed_archives_rejected },
	{ "bootfs_normalize", test_bootfs_normalize },
	{ "pci_bars_are_sized_and_aligned", test_pci_bars_are_sized_and_aligned },
	{ "blk_single_pages_round_trip", test_blk_single_pages_round_trip },
	{ "blk_cluster_of_16_scattered_pages", test_blk_cluster_of_16_scattered_pages },
	{ "blk_request_of_max_pages", test_blk_request_of_max_pages },
	{ "blk_last_page_of_disk", test_blk_last_page_of_disk },
	{ "blk_bad_page_counts_rejected", test_blk_bad_page_counts_rejected },
	{ "blk_many_requests_in_flight_from_threads", test_blk_many_requests_in_flight_from_threads },
};

/*
 * Tests that run only when the filter names them: they need a boot of
 * their own (tests/suites.py), such as a disk that fails on purpose.
 */
static const struct selftest named_only_selftests[] = {
	{ "blk_injected_errors_reach_the_caller", test_blk_injected_errors_reach_the_caller },
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
	if (strcmp(filter, "sleep_with_spinlock") == 0)
		selftest_sleep_with_spinlock_deliberately();
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
