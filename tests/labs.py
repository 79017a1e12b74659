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
]


def names():
    return [lab['name'] for lab in LABS]


def by_name(name):
    """The lab called name, or None."""
    for lab in LABS:
        if lab['name'] == name:
            return lab
    return None
