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
            ('proc.sysinfo_reports_memory_swap_and_processes', 20),
            ('proc.sysinfo_uptime_follows_the_monotonic_clock', 10),
            ('proc.sysinfo_counts_a_new_process', 10),
            ('proc.sysinfo_sees_memory_being_used', 10),
            ('proc.sysinfo_bad_pointer_efault', 10),
        ],
    },
    {
        'name': 'cow',
        'title': 'copy-on-write fork: shadowing at fork, copying at the first write',
        'handout': 'docs/labs/cow.md',
        'graded': [
            ('vm.fork_shares_pages_until_write', 20),
            ('vm.only_the_written_page_is_copied', 20),
            ('vm.parent_write_after_fork_copies_one_page', 15),
            ('vm.cow_child_writes_count_cow_copies', 10),
            ('kernel.vm_fork_cow_isolates_both_ways', 15),
            ('kernel.vm_fault_pages_in_from_the_pager_and_reports_io_errors', 10),
            ('kernel.vm_collapse_keeps_each_moved_pages_queue', 10),
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
            ('harden.shm_names_are_bounded_per_user', 3),
            # shm_unlink and the three lifetimes
            ('shm.shm_unlink_missing_enoent', 1),
            ('shm.shm_unlink_needs_write_permission', 2),
            ('shm.shm_unlink_removes_name_at_once', 3),
            ('shm.shm_unlink_then_creat_makes_new_object', 3),
            ('shm.shm_unlink_keeps_mapping_alive', 4),
            ('shm.shm_data_outlives_descriptor_and_name', 4),
            ('shm.shm_pages_freed_when_last_mapping_goes_and_not_before', 4),
            ('shm.shm_counter_follows_objects', 2),
            ('swap.named_object_keeps_its_data_with_nothing_open', 3),
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
