/*
 * uipc_msg.c - the records of a UNIX socket's receive queue, and the uio
 * that copies between them and user memory.
 *
 * A record's data is in kernel memory: the sender copies it in before it
 * takes unp_lock (copyin may fault and sleep, and the lock is a spinlock),
 * and the receiver copies it out after it has let go of the lock, holding
 * its socket's receive token instead (see uipc_usrreq.c).  So nothing
 * here takes a lock except unp_msg_append_locked, whose caller holds it.
 *
 * Small records (up to UNP_INLINE_MAX bytes) are one kmalloc block, the
 * data after the header; bigger ones take whole pages from vm_page_alloc,
 * so a 64 KiB stream record never asks the heap for contiguous pages.
 * Memory counts: every page comes back when the record is freed, which the
 * tests check through the free_pages counter.
 *
 * A stream's small inline record has room to spare (cap >= UNP_STREAM_CAP
 * bytes; more would cost every small write a bigger block): a later
 * small write whose record would sit right behind it is appended to it
 * instead, so a stream of one-byte writes does not queue a record per byte.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/copyio.h"
#include "ipc/uipc_usrreq.h"
#include "vm/kmem.h"
#include "vm/vm_page.h"
#include "arch/x86_64/vmparam.h"
#include "uapi/limits.h"

/* Linux's MAX_RW_COUNT: the most one call moves. */
#define UIO_TOTAL_MAX 0x7ffff000ul

/* ------------------------------------------------------------------ uio */

void unp_uio_single(struct unp_uio *uio, void __user *buf, size_t len)
{
	memset(uio, 0, sizeof(*uio));
	uio->iov = uio->small;
	uio->iovcnt = 1;
	uio->small[0].iov_base = buf;
	uio->small[0].iov_len = MIN(len, UIO_TOTAL_MAX);
	uio->resid = uio->total = uio->small[0].iov_len;
}

int unp_uio_copyin(struct unp_uio *uio, const struct iovec __user *uiov, size_t iovcnt)
{
	/* Not a memset of the whole struct: small[] is filled by the copyin. */
	uio->iov = uio->small;
	uio->iovcnt = uio->idx = uio->off = uio->resid = uio->total = 0;
	if (iovcnt > IOV_MAX)
		return -EMSGSIZE;
	if (iovcnt > UIO_SMALL && (uio->iov = kmalloc(iovcnt * sizeof(struct iovec), 0)) == NULL)
		return -ENOMEM;
	uio->iovcnt = iovcnt;
	int r = copyin(uiov, uio->iov, iovcnt * sizeof(struct iovec));
	for (size_t i = 0; r == 0 && i < iovcnt; i++) {
		if (uio->iov[i].iov_len > UIO_TOTAL_MAX - uio->resid)
			r = -EINVAL;
		else
			uio->resid += uio->iov[i].iov_len;
	}
	uio->total = uio->resid;
	if (r < 0)
		unp_uio_free(uio);
	return r;
}

void unp_uio_rewind(struct unp_uio *uio, size_t done)
{
	KASSERT(done <= uio->total, "unp_uio_rewind: %zu past %zu", done, uio->total);
	uio->idx = 0;
	uio->off = 0;
	uio->resid = uio->total - done;
	while (done > 0) {
		size_t len = MIN(done, uio->iov[uio->idx].iov_len);
		done -= len;
		if (len == uio->iov[uio->idx].iov_len) {
			uio->idx++;
		} else {
			uio->off = len;
		}
	}
}

void unp_uio_free(struct unp_uio *uio)
{
	if (uio->iov != uio->small)
		kfree(uio->iov);
	uio->iov = uio->small;
	uio->iovcnt = 0;
}

/*
 * Move n bytes between kernel memory kbuf and the uio's user pieces,
 * advancing it: `in` copies from user space.  0 or -EFAULT (the uio has
 * then advanced by an unknown amount; callers give up on it).
 */
static int uio_move(struct unp_uio *uio, char *kbuf, size_t n, bool in)
{
	while (n > 0 && uio->idx < uio->iovcnt) {
		struct iovec *v = &uio->iov[uio->idx];
		size_t len = MIN(n, v->iov_len - uio->off);
		char __user *u = (char __user *)v->iov_base + uio->off;
		int r = in ? copyin(u, kbuf, len) : copyout(kbuf, u, len);
		if (r < 0)
			return r;
		kbuf += len;
		n -= len;
		uio->resid -= len;
		uio->off += len;
		if (uio->off == v->iov_len) {
			uio->idx++;
			uio->off = 0;
		}
	}
	return 0;
}

/* ------------------------------------------------------------- records */

static size_t npages_for(size_t len)
{
	return (len + PAGE_SIZE - 1) / PAGE_SIZE;
}

static void msg_free_pages(struct unp_msg *m, size_t from)
{
	for (size_t i = from; i < m->npages; i++)
		vm_page_free(m->pages[i]);
	m->npages = from;
}

/* The paged form: an array of page pointers filled from vm_page_alloc. */
static struct unp_msg *msg_alloc_paged(size_t len)
{
	struct unp_msg *m = kmalloc(sizeof(*m), KM_ZERO);
	size_t n = npages_for(len);
	if (m == NULL)
		return NULL;
	m->pages = kmalloc(n * sizeof(struct vm_page *), 0);
	if (m->pages == NULL)
		goto free_msg;
	for (; m->npages < n; m->npages++) {
		m->pages[m->npages] = vm_page_alloc(VM_ALLOC_NORMAL);   /* user data */
		if (m->pages[m->npages] == NULL)
			goto free_pages;
	}
	m->len = len;
	return m;

free_pages:
	msg_free_pages(m, 0);
	kfree(m->pages);
free_msg:
	kfree(m);
	return NULL;
}

struct unp_msg *unp_msg_alloc(size_t len, bool stream)
{
	if (len > UNP_INLINE_MAX)
		return msg_alloc_paged(len);
	size_t cap = stream ? MAX(len, (size_t)UNP_STREAM_CAP) : len;
	struct unp_msg *m = kmalloc(sizeof(*m) + cap, 0);
	if (m == NULL)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->cap = cap;
	m->len = len;
	return m;
}

void unp_msg_free(struct unp_msg *m)
{
	KASSERT(m->files == NULL, "unp_msg_free: %d rights still attached", m->nfiles);
	if (m->pages != NULL) {
		msg_free_pages(m, 0);
		kfree(m->pages);
	}
	kfree(m->from);
	kfree(m);
}

/* The contiguous run of data at offset off: its address, length in *len. */
static char *msg_seg(struct unp_msg *m, size_t off, size_t *len)
{
	if (m->pages == NULL) {
		*len = m->len - off;
		return m->inline_data + off;
	}
	size_t in_page = off % PAGE_SIZE;
	*len = MIN(PAGE_SIZE - in_page, m->len - off);
	return (char *)vm_page_to_dmap(m->pages[off / PAGE_SIZE]) + in_page;
}

int unp_msg_copyin(struct unp_msg *m, struct unp_uio *uio)
{
	for (size_t off = 0; off < m->len;) {
		size_t len;
		char *p = msg_seg(m, off, &len);
		int r = uio_move(uio, p, len, true);
		if (r < 0)
			return r;
		off += len;
	}
	return 0;
}

int unp_msg_copyout(struct unp_msg *m, size_t off, size_t n, struct unp_uio *uio)
{
	KASSERT(off + n <= m->len, "unp_msg_copyout: %zu+%zu past %zu", off, n, m->len);
	while (n > 0) {
		size_t len;
		char *p = msg_seg(m, off, &len);
		len = MIN(len, n);
		int r = uio_move(uio, p, len, false);
		if (r < 0)
			return r;
		off += len;
		n -= len;
	}
	return 0;
}

void unp_msg_trim(struct unp_msg *m, size_t len)
{
	KASSERT(len <= m->len, "unp_msg_trim: %zu > %zu", len, m->len);
	m->len = len;
	if (m->pages != NULL)
		msg_free_pages(m, npages_for(len));
}

bool unp_msg_append_locked(struct unp_msg *m, const struct unp_msg *tail)
{
	spinlock_assert_held(&unp_lock);
	if (m->pages != NULL || m->files != NULL || tail->pages != NULL ||
	    tail->files != NULL || m->cap - m->len < tail->len)
		return false;
	memcpy(m->inline_data + m->len, tail->inline_data, tail->len);
	m->len += tail->len;
	return true;
}

char *unp_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = kmalloc(n, 0);
	if (copy != NULL)
		memcpy(copy, s, n);
	return copy;
}
