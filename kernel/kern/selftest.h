/*
 * selftest.h - kernel self-tests, run with the command line word `ktest`.
 *
 * A test is a function test_NAME returning 0 (pass) or -1 (fail, after
 * recording why with KTEST_ASSERT / selftest_fail).  The table in
 * selftest.c lists them, one TEST_CASE(NAME) each -- the macro the user
 * test suites use too (user/tests/lib/testlib.h).
 * Each result is printed in the harness's protocol:
 *     TEST-PASS kernel.<name>
 *     TEST-FAIL kernel.<name>: <reason>
 *     TEST-DONE kernel passed=N failed=M
 * and the run ends QEMU with status 0 (all passed) or 1.
 */
#ifndef KERN_SELFTEST_H
#define KERN_SELFTEST_H

struct selftest {
	const char *name;
	int (*fn)(void);
};

/* The table entry for test_name, named "name". */
#define TEST_CASE(name) { #name, test_##name }

int selftest_fail(const char *fn, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define KTEST_ASSERT(cond, ...) do { \
		if (!(cond)) \
			return selftest_fail(__func__, __LINE__, __VA_ARGS__); \
	} while (0)

void selftest_run(const char *filter) __attribute__((noreturn));
/* Run selftest_run(filter) in a kernel thread once the scheduler starts. */
void selftest_start(const char *filter);

/* The cases, defined beside the code they test. */
int test_vm_page_alloc_all_free_all(void);
int test_vm_page_contig(void);
int test_vm_page_zeroed(void);
int test_kmem_sizes(void);
int test_kmem_alignment(void);
int test_kmem_reuse(void);
int test_kmem_keeps_one_spare_slab_per_class(void);
int test_kmem_redzone_overflow_detected(void);
int test_kmem_use_after_free_detected(void);
int test_kmem_large_blocks(void);
int test_kva_runs_do_not_overlap_and_are_reused(void);
int test_swap_space_runs_exhaustion_and_fragments(void);
int test_kmem_large_blocks_need_no_contiguity(void);
int test_uidinfo_charges_and_limits(void);
int test_hash_fnv1_32(void);
int test_trap_refused_frame_kills_only_the_process(void);
int test_vm_collapse_waits_for_paging_in_progress(void);
int test_vm_map_info_indexes_many_objects_once(void);
int test_vmspace_hold_outlives_its_owner(void);
int test_vm_fault_waits_for_a_busy_page(void);
int test_vm_truncate_waits_for_a_busy_or_wired_page(void);
int test_vm_shadow_only_of_a_shared_object(void);
int test_vm_dying_shadow_is_not_collapsed(void);
int test_clock_user_time_saturates(void);
int test_kmem_fault_names_say_what_was_found(void);
int test_printf_formats(void);
int test_acpi_refuses_malformed_tables(void);
int test_acpi_refuses_malformed_madt_entries(void);
int test_acpi_rsdp_checksums(void);
int test_mp_cpus_up_match_the_madt(void);
int test_printf_truncation(void);
int test_clock_monotonic(void);
int test_clock_rate_sane(void);
int test_clock_timer_ticks(void);
int test_cmdline_words(void);
int test_cmdline_bytes(void);
int test_sched_kthread_runs_and_is_reaped(void);
int test_sched_sleep_and_wakeup(void);
int test_mutex_excludes_across_yields(void);
int test_sched_sleep_ns_sleeps_long_enough(void);
int test_vm_anon_fault_zero_fill_and_free(void);
int test_vm_fault_classifies_bad_accesses(void);
int test_vm_munmap_splits_entries(void);
int test_vm_mprotect_splits_and_respects_max_prot(void);
int test_vm_mmap_rejects_bad_arguments(void);
int test_vm_brk_grows_shrinks_and_rezeroes(void);
int test_vm_fork_cow_isolates_both_ways(void);
int test_vm_fork_repeated_keeps_every_copy_private(void);
int test_vm_fork_exit_loop_collapses_chain(void);
int test_vm_shared_anon_survives_fork_as_shared(void);
int test_vm_object_resize_unmaps_and_sigbus_past_end(void);
int test_vm_private_mapping_is_cow_snapshot(void);
int test_pmap_reverse_map_reaches_every_mapping(void);
int test_pmap_tlb_invalidated_when_active(void);
int test_vm_fork_write_protect_flushes_the_parents_tlb(void);
int test_vm_fault_pages_in_from_the_pager_and_reports_io_errors(void);
int test_vm_anon_pager_refuses_page_in_and_out(void);
int test_vm_out_of_memory_fails_cleanly_at_every_step(void);
int test_vm_collapse_keeps_each_moved_pages_queue(void);
int test_pipe_ring_wraparound(void);
int test_pipe_poll_and_close(void);
int test_bootfs_parse_and_walk(void);
int test_bootfs_truncated_archives_rejected(void);
int test_bootfs_malformed_archives_rejected(void);
int test_bootfs_pager_pages_are_the_files_bytes_then_zeros(void);
int test_vfs_normalize(void);
int test_pci_bars_are_sized_and_aligned(void);
int test_blk_single_pages_round_trip(void);
int test_blk_cluster_of_16_scattered_pages(void);
int test_blk_request_of_max_pages(void);
int test_blk_last_page_of_disk(void);
int test_blk_bad_page_counts_rejected(void);
int test_blk_many_requests_in_flight_from_threads(void);
int test_blk_injected_errors_reach_the_caller(void);

#endif
