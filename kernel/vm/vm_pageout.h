/*
 * vm_pageout.h - the pageout daemon: keeping free memory above a low
 * watermark by writing pages to swap and freeing them (vm_pageout.c).
 */
#ifndef VM_VM_PAGEOUT_H
#define VM_VM_PAGEOUT_H

#include "kern/kernel.h"

/* Replacement policies, chosen with the kernel command line word pageout=. */
enum vm_pageout_policy {
	PAGEOUT_CLOCK,          /* second chance on referenced bits (the default) */
	PAGEOUT_FIFO,           /* oldest first, references ignored */
	PAGEOUT_RANDOM,         /* any page on the queues, at random */
};

/* The free-page thresholds (set at boot from the size of memory). */
extern uint64_t vm_free_reserved;       /* only the kernel may allocate below this */
extern uint64_t vm_free_low;            /* below this the daemon wakes */
extern uint64_t vm_free_high;           /* the daemon works until this */

/* Set the thresholds and the policy (from the command line); start the daemon. */
void vm_pageout_init(void);
/* Free memory is short: wake the daemon (from vm_page_alloc; any context). */
void vm_pageout_wakeup(void);
/*
 * An allocation for user data failed: wake the daemon and sleep until it
 * has made a pass.  true: try again (memory may be there now); false: the
 * daemon could free nothing (no swap, swap full, everything wired), so the
 * caller is out of memory.  Sleeps; call with no spinlock held.
 */
bool vm_page_wait(void);
/* Did the last pass find the backing store (swap) full?  (For messages.) */
bool vm_pageout_store_full(void);

#endif
