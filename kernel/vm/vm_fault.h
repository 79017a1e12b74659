/*
 * vm_fault.h - resolving page faults on user addresses.
 *
 * The trap handler (faults from user mode) and copyin/copyout (kernel-mode
 * faults on user addresses) call vm_fault() with the faulting address and
 * what the access was, one of VM_FAULT_READ, VM_FAULT_WRITE or
 * VM_FAULT_EXEC (trap.c:fault_type reads it off the page-fault error code:
 * an instruction fetch is EXEC, else the W bit decides).
 * On VM_FAULT_OK the access can be retried; anything else is turned into a
 * signal (SIGSEGV, SIGBUS; OOM and IOERR kill with SIGKILL / SIGBUS as the
 * caller prefers) or into -EFAULT for copyin/copyout.  No input can make
 * vm_fault panic.  It takes the map lock itself: call it with no VM locks
 * and no spinlock.  It may sleep: reading from swap, waiting for a page
 * someone else is paging in or out, or for the pageout daemon to free
 * memory (OOM comes back only when the daemon can free nothing).
 */
#ifndef VM_VM_FAULT_H
#define VM_VM_FAULT_H

#include "kern/kernel.h"

struct vmspace;
struct vm_page;
struct vm_object;

enum vm_fault_result {
	VM_FAULT_OK,            /* resolved: retry the access */
	VM_FAULT_SIGSEGV,       /* no mapping there, or the access is not allowed */
	VM_FAULT_SIGBUS,        /* mapped, but past the end of the object */
	VM_FAULT_OOM,           /* no memory for a page, page table or object */
	VM_FAULT_IOERR,         /* the pager could not read the page */
	VM_FAULT_RETRY,         /* (inside vm_fault.c only) something moved: look again */
};

#define VM_FAULT_READ   0x1
#define VM_FAULT_WRITE  0x2
#define VM_FAULT_EXEC   0x4
#define VM_FAULT_FORCE  0x8     /* kernel access that ignores the protection (exec, debugger) */

enum vm_fault_result vm_fault(struct vmspace *vs, uint64_t addr, int fault_type);
const char *vm_fault_result_name(enum vm_fault_result r);

/*
 * Like vm_fault, and on VM_FAULT_OK also return the page now at addr, wired
 * (so it cannot go away) - for a write fault, the page of the first object,
 * safe to write.  The caller vm_page_unwire()s it.  Does not count as a
 * user page fault.
 */
enum vm_fault_result vm_fault_hold(struct vmspace *vs, uint64_t addr, int fault_type,
    struct vm_page **mp);

/*
 * The page at (obj, pindex), in memory (read from the pager if need be)
 * and wired, for kernel code working on an object with no mapping.  0,
 * -ENOENT (nobody has it), -EIO, -EINVAL (past the object's end) or
 * -ENOMEM.  Sleeps.  The caller vm_page_unwire()s it.
 */
int vm_fault_object_page(struct vm_object *obj, uint64_t pindex, struct vm_page **mp);
/* Kernel code wrote to page m of obj: it is dirty, and its copy on swap
 * (stale now) goes.  Takes obj's lock. */
void vm_fault_page_dirtied(struct vm_object *obj, struct vm_page *m);

/* Does the object chain at va hold a page there, in memory or on swap (a
 * page that was never touched is held by nobody)?  mlockall maps those
 * back.  Takes the map lock. */
bool vm_fault_page_exists(struct vmspace *vs, uint64_t va);

#if 1 /* LAB cow: BEGIN */
#else /* LAB cow: STUB */
/* LAB cow: the stubs' eager copy (vm_fault.c); delete it once copy-on-write works. */
struct pmap;
int vm_fault_copy_window(struct vm_object *src, uint64_t first, uint64_t npages,
    struct pmap *pmap, uint64_t va, int prot, struct vm_object **copyp);
#endif /* LAB cow: END */

#endif
