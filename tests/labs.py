"""The labs: what each is called, where its handout is, and how it is graded.

Each lab is a dict:

    name      what you type: make lab LAB=cow, make grade LAB=cow
    title     one line
    handout   the student's instructions (docs/labs/NAME.md)
    graded    [(case, points), ...]: the tests `make grade` runs, in this
              order, each a `suite.case` of tests/suites.py (the suite is
              the boot it runs in) and what it is worth

A lab's solution is marked in the code by BEGIN and END marker lines that
name the lab, with the stub the student gets after a STUB line (tools/lab
explains the syntax; docs/labs/README.md how to add a lab).  The rule that makes a lab honest, checked by the `labs`
suite (tools/check-labs): in the student's tree every graded case fails
and every other test passes, and in this tree every graded case passes.
"""

LABS = [
    {
        'name': 'syscall',
        'title': 'a system call end to end: sysinfo(2)',
        'handout': 'docs/labs/syscall.md',
        'graded': [
            ('proc.sysinfo_reports_memory_swap_and_processes', 30),
            ('proc.sysinfo_uptime_follows_the_monotonic_clock', 15),
            ('proc.sysinfo_counts_a_new_process', 20),
            ('proc.sysinfo_sees_memory_being_used', 20),
            ('proc.sysinfo_bad_pointer_efault', 15),
        ],
    },
    {
        'name': 'cow',
        'title': 'copy-on-write fork: shadowing at fork, copying at the first write',
        'handout': 'docs/labs/cow.md',
        # What fork and the fault do (vm, kernel), and what kvmmap and
        # vmgraph show of it: the stubs' eager copy shares no object.
        'graded': [
            ('vm.fork_shares_pages_until_write', 10),
            ('vm.only_the_written_page_is_copied', 10),
            ('vm.parent_write_after_fork_copies_one_page', 10),
            ('vm.cow_child_writes_count_cow_copies', 10),
            ('kernel.vm_fork_cow_isolates_both_ways', 10),
            ('kernel.vm_fault_pages_in_from_the_pager_and_reports_io_errors', 5),
            ('kernel.vm_collapse_keeps_each_moved_pages_queue', 5),
            ('kernel.vm_map_info_indexes_many_objects_once', 5),
            ('vmmap.fork_shares_the_object_and_marks_both_needs_copy', 5),
            ('vmmap.cow_write_puts_a_shadow_in_front_for_the_writer_only', 5),
            ('vmmap.write_on_each_side_then_exit_collapses_the_chain', 5),
            ('vmmap.shm_mappings_show_the_shm_object', 2),
            ('vmgraph.fork_shares_one_object', 3),
            ('vmgraph.cow_write_adds_one_shadow', 3),
            ('vmgraph.exit_collapses_the_chain', 2),
            # the same copy-on-write under a program's data and a file's
            # private mapping (exec maps data copy-on-write; tmpfs)
            ('proc.data_writes_do_not_reach_other_processes_or_text', 5),
            ('tmpfs.private_mapping_copies_on_its_first_write', 5),
        ],
    },
    {
        'name': 'shm',
        'title': 'the POSIX shm name space: shm_open, shm_unlink and the lifetimes of a name',
        'handout': 'docs/labs/shm.md',
        # Every case that names an object: some test the name space itself,
        # the rest reach what they test (fstat, mmap, rename) through a name.
        'graded': [
            # the hash and the chains
            ('kernel.hash_fnv1_32', 4),
            ('shm.shm_fnv_collision_pair_works_independently', 3),
            ('shm.shm_fnv_collision_pair_unlink_order', 3),
            ('shm.shm_fnv_collision_pair_newest_unlinked_first', 3),
            ('shm.shm_fnv_collision_pair_newest_renamed', 3),
            ('shm.shm_name_space_is_flat', 2),
            ('shm.shm_double_slash_is_a_different_object', 2),
            ('shm.shm_root_slash_is_a_valid_name', 2),
            ('shm.shm_2000_names_created_verified_removed', 3),
            ('shm.shm_exclusive_create_race_among_8_children', 3),
            # shm_open of a name
            ('shm.shm_open_all_allowed_flags_accepted', 1),
            ('shm.shm_open_descriptor_always_cloexec', 1),
            ('shm.shm_open_takes_lowest_free_slot', 1),
            ('shm.shm_open_1024_byte_path_enametoolong', 1),
            ('shm.shm_create_mode_masked_by_umask', 2),
            ('shm.shm_create_starts_empty_with_times_now', 2),
            ('shm.shm_creator_owns_and_gets_access_even_with_mode_0', 2),
            ('shm.shm_open_excl_eexist_checked_before_permissions', 2),
            ('shm.shm_open_existing_checks_mode_uid_gid', 2),
            ('shm.shm_open_rdwr_needs_read_permission_too', 2),
            ('shm.shm_open_existing_ignores_mode', 1),
            ('shm.shm_o_trunc_empties_only_with_rdwr', 2),
            ('harden.shm_names_are_bounded_per_user', 2),
            # shm_unlink and the three lifetimes
            ('shm.shm_unlink_missing_enoent', 1),
            ('shm.shm_unlink_needs_write_permission', 2),
            ('shm.shm_unlink_removes_name_at_once', 3),
            ('shm.shm_unlink_then_creat_makes_new_object', 3),
            ('shm.shm_unlink_keeps_mapping_alive', 3),
            ('shm.shm_data_outlives_descriptor_and_name', 4),
            ('shm.shm_pages_freed_when_last_mapping_goes_and_not_before', 4),
            ('shm.shm_counter_follows_objects', 2),
            ('swap.named_object_keeps_its_data_with_nothing_open', 2),
            ('swap_legacy.named_object_keeps_its_data_with_nothing_open', 1),
            # reached through a name
            ('shm.shm_ftruncate_rdonly_descriptor_einval', 1),
            ('shm.shm_fstat_fields', 1),
            ('shm.shm_fstat_ino_unique_per_object', 1),
            ('shm.shm_mmap_shared_write_on_rdonly_descriptor_eacces', 1),
            ('shm.shm_mmap_eacces_checked_before_size', 1),
            ('shm.shm_mmap_private_is_copy_on_write_snapshot', 1),
            ('shm.shm_mapping_shared_between_opens_by_name', 2),
            ('shm.shm_fchmod_fchown_owner_or_root_only', 1),
            ('shm.shm_list_reports_named_objects', 1),
            ('shm.shmctl_create_truncate_ls_stat_dump_rm', 2),
            ('gdbhelp.shm_lists_the_name', 1),
            # shm_rename (given) on your chains and names
            ('shm.shm_rename_moves_the_object', 2),
            ('shm.shm_rename_replaces_existing_target', 2),
            ('shm.shm_rename_noreplace_existing_target_eexist', 1),
            ('shm.shm_rename_exchange_swaps_names', 2),
            ('shm.shm_rename_bad_flags_einval', 1),
            ('shm.shm_rename_shm_anon_einval', 1),
            ('shm.shm_rename_to_itself_changes_nothing', 1),
            ('shm.shm_rename_needs_write_permission', 1),
            ('shm.shm_rename_long_names', 1),
            # on four CPUs: the shm suite again, beside vm, unix, passfd
            # and fuzz (a name space without its locks fails here)
            ('smp.vm_shm_unix_passfd_and_fuzz_suites_pass_side_by_side', 1),
        ],
    },
    {
        'name': 'passfd',
        'title': 'SCM_RIGHTS: descriptors in flight, in and out (the collector given)',
        'handout': 'docs/labs/passfd.md',
        # Every case that passes a descriptor: the stubs let none in.
        'graded': [
            # in: sendmsg turns descriptors into references (unp_internalize)
            ('passfd.one_descriptor_arrives_and_works', 6),
            ('passfd.descriptors_253_in_one_message', 3),
            ('passfd.descriptors_254_in_one_message_einval', 3),
            ('passfd.several_control_messages_in_one_call', 3),
            ('passfd.bad_descriptor_ebadf_and_nothing_sent', 3),
            ('passfd.rights_of_a_failed_send_are_released', 3),
            ('unix.socket_call_argument_edges', 2),
            ('shm.sealed_memfd_passed_over_a_socket_can_be_trusted', 1),
            # in flight: the counts (unp_rights_enter_locked, unp_rights_leave_locked)
            ('passfd.too_many_in_flight_etoomanyrefs', 3),
            ('passfd.in_flight_bound_is_counted_per_user', 3),
            ('passfd.many_users_have_descriptors_in_flight_at_once', 2),
            ('passfd.closing_socket_drops_queued_references', 3),
            ('passfd.receiver_exiting_without_reading_frees_in_flight', 3),
            ('passfd.sender_may_exit_before_the_receiver_reads', 3),
            # out: recvmsg installs them (unp_externalize)
            ('passfd.any_descriptor_type_can_be_passed', 3),
            ('passfd.received_descriptors_take_lowest_slots', 3),
            ('passfd.msg_cmsg_cloexec_marks_close_on_exec', 3),
            ('passfd.small_control_buffer_ctrunc_closes_the_rest', 3),
            ('passfd.no_control_buffer_closes_everything', 3),
            ('passfd.peek_shows_data_without_descriptors', 2),
            ('passfd.emfile_keeps_the_message_for_later', 3),
            ('passfd.unwritable_control_buffer_efault_keeps_the_message', 3),
            ('passfd.stream_read_stops_before_a_record_with_descriptors', 2),
            # what rides on it
            ('passfd.socket_passed_over_a_socket_carries_traffic', 3),
            ('passfd.shm_object_outlives_its_sender', 2),
            ('passfd.shmpass_demo_with_three_clients', 2),
            ('libc.socketpair_passes_a_descriptor', 1),
            ('swap.swapped_object_passed_over_a_socket', 1),
            ('swap_legacy.swapped_object_passed_over_a_socket', 1),
            ('harden.socket_chain_closed_by_close_does_not_recurse', 1),
            ('harden.socket_chain_closed_by_exit_does_not_recurse', 1),
            # the collector (given) sees only what your counts put in flight
            ('passfd.gc_frees_socket_sent_over_itself', 2),
            ('passfd.gc_frees_two_sockets_sent_over_each_other', 2),
            ('passfd.gc_frees_listener_held_by_its_pending_connection', 2),
            ('passfd.gc_spares_sockets_still_on_their_way', 2),
            ('passfd.gc_spares_socket_two_hops_from_a_held_descriptor', 2),
            ('passfd.gc_follows_the_accept_queue_of_a_listener_in_flight', 2),
            ('passfd.gc_run_during_a_collection_spares_a_socket_queued_twice', 2),
            ('passfd.gc_frees_more_garbage_than_one_batch', 2),
            ('passfd.gc_frees_garbage_whose_cycle_comes_later_in_the_list', 2),
            ('passfd.gc_frees_a_chain_hanging_off_a_cycle', 2),
            # on four CPUs: a ring of processes passing descriptors while
            # the collector runs, and the passfd suite beside the others
            ('smp.descriptors_circle_a_ring_while_the_collector_frees_cycles', 1),
            ('smp.vm_shm_unix_passfd_and_fuzz_suites_pass_side_by_side', 1),
        ],
    },
    {
        'name': 'pageout',
        'title': "the pageout daemon's choices: the clock's second chance and clustered writes",
        'handout': 'docs/labs/pageout.md',
        # The stubs page out correctly, only worse (fifo, a page a write):
        # these cases measure the policy and the clusters.  swap_legacy
        # runs the same cases under the same (clock) policy.
        'graded': [
            ('swap.pageout_writes_neighbours_in_clusters', 30),
            ('swap.clock_gives_used_pages_a_second_chance', 30),
            ('swap_legacy.pageout_writes_neighbours_in_clusters', 20),
            ('swap_legacy.clock_gives_used_pages_a_second_chance', 20),
        ],
    },
]


def names():
    return [lab['name'] for lab in LABS]


def by_name(name):
    """The lab called name, or None."""
    for lab in LABS:
        if lab['name'] == name:
            return lab
    return None
