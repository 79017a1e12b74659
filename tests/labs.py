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
]


def names():
    return [lab['name'] for lab in LABS]


def by_name(name):
    """The lab called name, or None."""
    for lab in LABS:
        if lab['name'] == name:
            return lab
    return None
