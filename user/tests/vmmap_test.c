/*
 * vmmap_test.c - the "vmmap" suite: the kvmmap system call (uapi/vmos.h,
 * kernel/vm/vm_map_info.c), which shows a process's map entries and the
 * VM objects behind them.
 *
 * What it checks:
 *   - the contents BSD VM predicts for a private mapping through its life:
 *     no object before the first touch; one object of the mapping's size
 *     after it; after fork one object shared by both entries, both marked
 *     needs_copy; after a write on one side a shadow (depth 1) in front
 *     for the writer only; after a write on each side and the child's
 *     exit, the chain collapsed back into the parent's shadow;
 *   - shared anonymous memory and shm: one object, no needs_copy, and an
 *     shm object says so; split entries list their object once; ids are
 *     stable between calls;
 *   - who may look (the caller, its own user's processes, root anyone;
 *     EPERM otherwise, ESRCH for no process or a zombie, no entries for a
 *     kernel thread);
 *   - every bad argument: bad pointers (EFAULT), flags and negative
 *     numbers (EINVAL), arrays too small (ERANGE, with the sizes needed
 *     and the arrays left alone), huge counts (capacities only);
 *   - that the kernel copies out after it lets go of the map lock: a
 *     process reading its own map into memory it never touched (each
 *     copyout faults, and the fault takes the map lock);
 *   - that a target exiting meanwhile is harmless.
 * The runner checks after every case that no counter leaked.
 *
 * Assumes 4 KiB pages and that the suite runs as root (test programs do).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <vmos.h>

#include "testlib.h"

#define PG              4096ul
#define MAXE            64
#define MAXO            64
#define OTHER_UID       1000
#define NO_SUCH_PID     99998           /* below PID_MAX; never reached in a test boot */
#define KERNEL_ADDR     0xffffffff80100000ul

/* One snapshot of a map. */
struct snap {
	struct kvmmap_entry e[MAXE];
	struct kvmmap_object o[MAXO];
	int ne, no;
};

/* ------------------------------------------------------------ helpers */

static void take(int pid, struct snap *s)
{
	struct kvmmap req = { .entries = s->e, .objects = s->o,
			      .max_entries = MAXE, .max_objects = MAXO };
	int n = kvmmap(pid, &req);

	CHECKF(n >= 0, "kvmmap(%d): %s", pid, test_errno_name(errno));
	CHECKF(n == req.nentries && n <= MAXE && req.nobjects <= MAXO,
	       "kvmmap(%d) answered %d, nentries %d, nobjects %d", pid, n, req.nentries,
	       req.nobjects);
	s->ne = n;
	s->no = req.nobjects;
}

/* The entry that contains addr. */
static const struct kvmmap_entry *entry_at(const struct snap *s, const volatile void *addr)
{
	uint64_t a = (uint64_t)(uintptr_t)addr;

	for (int i = 0; i < s->ne; i++)
		if (s->e[i].start <= a && a < s->e[i].end)
			return &s->e[i];
	FAIL("no entry holds %p", (const void *)addr);
}

/* Object number `depth` of entry e's chain (0: the first object). */
static const struct kvmmap_object *chain_obj(const struct snap *s, const struct kvmmap_entry *e,
					     int depth)
{
	int i = e->object;

	for (int d = 0; d < depth && i >= 0; d++) {
		CHECKF(i < s->no, "index %d past %d objects", i, s->no);
		i = s->o[i].backing;
	}
	CHECKF(i >= 0 && i < s->no, "chain of %llx has no object at depth %d",
	       (unsigned long long)e->start, depth);
	return &s->o[i];
}

static char *map_anon(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	CHECKF(p != MAP_FAILED, "mmap(%zu): %s", len, test_errno_name(errno));
	return p;
}

/* A child that waits for a byte on `in`: 'w' writes page 0 of p and
 * answers on `out`; anything else (or EOF) exits. */
struct child {
	pid_t pid;
	int to, from;
};

static struct child spawn_writer(volatile char *p)
{
	int down[2], up[2];
	struct child c;
	char cmd;

	CHECK(pipe(down) == 0 && pipe(up) == 0);
	c.pid = test_fork();
	if (c.pid == 0) {
		close(down[1]);
		close(up[0]);
		while (read(down[0], &cmd, 1) == 1 && cmd == 'w') {
			p[0] = 'c';
			if (write(up[1], &cmd, 1) != 1)
				break;
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	c.to = down[1];
	c.from = up[0];
	return c;
}

static void child_write(struct child *c)
{
	char cmd = 'w';

	CHECK(write(c->to, &cmd, 1) == 1 && read(c->from, &cmd, 1) == 1);
}

static void child_end(struct child *c)
{
	int status;

	close(c->to);
	close(c->from);
	status = test_wait(c->pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ------------------------------------------------------------ contents */

static void untouched_private_mapping_has_no_object(void)
{
	static struct snap s;
	char *p = map_anon(4 * PG, MAP_PRIVATE);
	const struct kvmmap_entry *e;

	take(0, &s);
	e = entry_at(&s, p);
	CHECK(e->start == (uintptr_t)p && e->end == (uintptr_t)p + 4 * PG);
	CHECK(e->object == -1 && e->object_id == 0 && e->chain == 0);
	CHECK(e->prot == (PROT_READ | PROT_WRITE));
	CHECK(e->max_prot == (PROT_READ | PROT_WRITE | PROT_EXEC));
	CHECK(e->inheritance == KVMMAP_INHERIT_COPY);
	CHECK(e->flags == KVMMAP_ENTRY_COW);
}

static void first_touch_makes_one_object_of_the_mapping_size(void)
{
	static struct snap s;
	volatile char *p = map_anon(4 * PG, MAP_PRIVATE);
	const struct kvmmap_object *o;

	p[0] = p[PG] = 1;
	take(0, &s);
	const struct kvmmap_entry *e = entry_at(&s, p);
	CHECK(e->chain == 1 && e->offset == 0);
	o = chain_obj(&s, e, 0);
	CHECK(o->id == e->object_id && o->id != 0);
	CHECKF(o->type == KVMMAP_OBJ_ANON && o->size == 4 && o->resident == 2 &&
	       o->swapped == 0, "type %u size %llu resident %llu swapped %llu", o->type,
	       (unsigned long long)o->size, (unsigned long long)o->resident,
	       (unsigned long long)o->swapped);
	CHECK(o->ref_count == 1 && o->shadow_count == 0 && o->depth == 0);
	CHECK(o->backing == -1 && o->backing_id == 0);
	CHECK(o->flags == KVMMAP_OBJ_ONEMAPPING);
}

/* One object, two entries (one per process), both needs_copy. */
static void fork_shares_the_object_and_marks_both_needs_copy(void)
{
	static struct snap mine, its;
	volatile char *p = map_anon(4 * PG, MAP_PRIVATE);

	p[0] = p[PG] = 1;
	struct child c = spawn_writer(p);
	take(0, &mine);
	take(c.pid, &its);
	const struct kvmmap_entry *pe = entry_at(&mine, p), *ce = entry_at(&its, p);
	CHECK(pe->object_id == ce->object_id && pe->chain == 1 && ce->chain == 1);
	CHECK(pe->flags == (KVMMAP_ENTRY_COW | KVMMAP_ENTRY_NEEDS_COPY));
	CHECK(ce->flags == (KVMMAP_ENTRY_COW | KVMMAP_ENTRY_NEEDS_COPY));
	const struct kvmmap_object *o = chain_obj(&mine, pe, 0);
	CHECKF(o->ref_count == 2 && o->shadow_count == 0 && o->resident == 2 && o->flags == 0,
	       "ref %u shadows %u resident %llu flags %#x", o->ref_count, o->shadow_count,
	       (unsigned long long)o->resident, o->flags);
	child_end(&c);
}

/* The child writes: its entry gets a shadow (one page, depth 1) in front
 * of the object both still share; the parent's entry is unchanged. */
static void cow_write_puts_a_shadow_in_front_for_the_writer_only(void)
{
	static struct snap mine, its;
	volatile char *p = map_anon(4 * PG, MAP_PRIVATE);

	p[0] = p[PG] = 1;
	struct child c = spawn_writer(p);
	child_write(&c);
	take(0, &mine);
	take(c.pid, &its);
	const struct kvmmap_entry *pe = entry_at(&mine, p), *ce = entry_at(&its, p);
	const struct kvmmap_object *s = chain_obj(&its, ce, 0), *b = chain_obj(&its, ce, 1);
	CHECK(ce->chain == 2 && ce->flags == KVMMAP_ENTRY_COW);
	CHECKF(s->depth == 1 && s->size == 4 && s->resident == 1 && s->ref_count == 1 &&
	       s->shadow_count == 0 && s->flags == KVMMAP_OBJ_ONEMAPPING,
	       "shadow: depth %u size %llu resident %llu ref %u shadows %u", s->depth,
	       (unsigned long long)s->size, (unsigned long long)s->resident, s->ref_count,
	       s->shadow_count);
	CHECK(s->backing_id == b->id && s->backing_offset == 0);
	CHECKF(b->depth == 0 && b->ref_count == 2 && b->shadow_count == 1 && b->resident == 2,
	       "backing: depth %u ref %u shadows %u resident %llu", b->depth, b->ref_count,
	       b->shadow_count, (unsigned long long)b->resident);
	CHECK(pe->chain == 1 && pe->object_id == b->id);
	CHECK(pe->flags & KVMMAP_ENTRY_NEEDS_COPY);
	CHECK(p[0] == 1);
	child_end(&c);
}

/* Each side writes, then the child exits: the shared object collapses
 * into the parent's shadow, which keeps its id and now holds both pages. */
static void write_on_each_side_then_exit_collapses_the_chain(void)
{
	static struct snap mine;
	volatile char *p = map_anon(4 * PG, MAP_PRIVATE);

	p[0] = p[PG] = 1;
	struct child c = spawn_writer(p);
	child_write(&c);
	p[PG] = 2;
	take(0, &mine);
	const struct kvmmap_entry *pe = entry_at(&mine, p);
	const struct kvmmap_object *shadow = chain_obj(&mine, pe, 0);
	const struct kvmmap_object *b = chain_obj(&mine, pe, 1);
	uint64_t shadow_id = shadow->id;
	CHECK(pe->chain == 2 && !(pe->flags & KVMMAP_ENTRY_NEEDS_COPY));
	CHECK(shadow->depth == 1 && shadow->resident == 1);
	CHECK(b->ref_count == 2 && b->shadow_count == 2);
	child_end(&c);
	take(0, &mine);
	pe = entry_at(&mine, p);
	shadow = chain_obj(&mine, pe, 0);
	CHECKF(pe->chain == 1 && shadow->id == shadow_id, "chain %d, first object #%llu (was #%llu)",
	       pe->chain, (unsigned long long)shadow->id, (unsigned long long)shadow_id);
	CHECKF(shadow->depth == 0 && shadow->resident == 2 && shadow->ref_count == 1 &&
	       shadow->backing == -1, "depth %u resident %llu ref %u",
	       shadow->depth, (unsigned long long)shadow->resident, shadow->ref_count);
	CHECK(p[0] == 1 && p[PG] == 2);
}

static void shared_anonymous_mapping_is_one_object_after_fork(void)
{
	static struct snap mine, its;
	volatile char *p = map_anon(2 * PG, MAP_SHARED);

	take(0, &mine);
	const struct kvmmap_entry *e = entry_at(&mine, p);
	CHECK(e->inheritance == KVMMAP_INHERIT_SHARE && e->flags == KVMMAP_ENTRY_SHARED);
	CHECK(e->chain == 1 && chain_obj(&mine, e, 0)->ref_count == 1);
	struct child c = spawn_writer(p);
	child_write(&c);
	take(0, &mine);
	take(c.pid, &its);
	const struct kvmmap_entry *pe = entry_at(&mine, p), *ce = entry_at(&its, p);
	CHECK(pe->object_id == ce->object_id && pe->chain == 1 && ce->chain == 1);
	CHECK(!(pe->flags & KVMMAP_ENTRY_NEEDS_COPY) && !(ce->flags & KVMMAP_ENTRY_NEEDS_COPY));
	const struct kvmmap_object *o = chain_obj(&mine, pe, 0);
	CHECK(o->ref_count == 2 && o->resident == 1 && o->type == KVMMAP_OBJ_ANON);
	CHECK(p[0] == 'c');
	child_end(&c);
}

/* A shared and a private mapping of one shm object: the shm holds a
 * reference of its own; the private one is needs_copy, then shadowed. */
static void shm_mappings_show_the_shm_object(void)
{
	static struct snap s;
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);

	CHECK(fd >= 0 && ftruncate(fd, 3 * PG) == 0);
	volatile char *sh = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	volatile char *pr = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(sh != MAP_FAILED && pr != MAP_FAILED);
	sh[0] = 1;
	take(0, &s);
	const struct kvmmap_entry *se = entry_at(&s, sh), *pe = entry_at(&s, pr);
	const struct kvmmap_object *o = chain_obj(&s, se, 0);
	CHECK(se->flags == KVMMAP_ENTRY_SHARED && se->object_id == pe->object_id);
	CHECK(pe->flags == (KVMMAP_ENTRY_COW | KVMMAP_ENTRY_NEEDS_COPY));
	CHECKF(o->type == KVMMAP_OBJ_SHM && o->size == 3 && o->resident == 1 && o->ref_count == 3,
	       "type %u size %llu resident %llu ref %u", o->type, (unsigned long long)o->size,
	       (unsigned long long)o->resident, o->ref_count);
	pr[PG] = 2;
	take(0, &s);
	pe = entry_at(&s, pr);
	CHECK(pe->chain == 2 && chain_obj(&s, pe, 0)->type == KVMMAP_OBJ_ANON);
	CHECK(chain_obj(&s, pe, 1)->type == KVMMAP_OBJ_SHM);
	CHECK(chain_obj(&s, pe, 1)->shadow_count == 1);
	CHECK(munmap((void *)sh, 3 * PG) == 0 && munmap((void *)pr, 3 * PG) == 0);
	CHECK(close(fd) == 0);
}

/* mprotect splits one entry into three over one object: listed once. */
static void split_entries_list_their_object_once(void)
{
	static struct snap s;
	volatile char *p = map_anon(3 * PG, MAP_PRIVATE);
	int n = 0;

	p[0] = 1;
	take(0, &s);                    /* (the first call may touch s for the first time) */
	take(0, &s);
	int before = s.no;
	CHECK(mprotect((void *)(p + PG), PG, PROT_READ) == 0);
	take(0, &s);
	const struct kvmmap_entry *a = entry_at(&s, p), *b = entry_at(&s, p + PG),
				  *c = entry_at(&s, p + 2 * PG);
	CHECK(a != b && b != c && b->prot == PROT_READ);
	CHECK(a->object_id == b->object_id && b->object_id == c->object_id);
	CHECK(a->offset == 0 && b->offset == PG && c->offset == 2 * PG);
	CHECK(s.no == before && chain_obj(&s, a, 0)->ref_count == 3);
	for (int i = 0; i < s.no; i++)
		n += s.o[i].id == a->object_id;
	CHECK(n == 1);
}

static void ids_are_stable_across_calls_and_never_zero(void)
{
	static struct snap a, b;

	memset(&a, 0, sizeof(a));       /* so that no page of a or b is touched in between */
	memset(&b, 0, sizeof(b));
	take(0, &a);
	take(0, &b);
	CHECK(a.ne == b.ne && a.no == b.no && a.no > 0);
	for (int i = 0; i < a.no; i++) {
		CHECK(a.o[i].id != 0 && a.o[i].id == b.o[i].id);
		for (int j = 0; j < i; j++)
			CHECK(a.o[i].id != a.o[j].id);
	}
	for (int i = 0; i < a.ne; i++) {
		CHECK(a.e[i].start < a.e[i].end && (i == 0 || a.e[i - 1].end <= a.e[i].start));
		CHECK(a.e[i].object < 0 || a.o[a.e[i].object].id == a.e[i].object_id);
	}
}

/* The entry holding the break says heap, the one holding our stack stack. */
static void heap_and_stack_entries_are_flagged(void)
{
	static struct snap s;
	volatile char local = 1;
	char *old = sbrk(0);

	CHECK(sbrk(3 * PG) == old);
	old[0] = old[3 * PG - 1] = 1;
	take(0, &s);
	const struct kvmmap_entry *heap = entry_at(&s, old), *stack = entry_at(&s, &local);
	CHECKF(heap->flags & KVMMAP_ENTRY_HEAP, "flags %#x at the break", heap->flags);
	CHECK(!(heap->flags & KVMMAP_ENTRY_STACK));
	CHECKF(stack->flags & KVMMAP_ENTRY_STACK, "flags %#x at the stack", stack->flags);
	CHECK(!(stack->flags & KVMMAP_ENTRY_HEAP));
	for (int i = 0; i < s.ne; i++)
		CHECK(&s.e[i] == heap || &s.e[i] == stack ||
		      !(s.e[i].flags & (KVMMAP_ENTRY_HEAP | KVMMAP_ENTRY_STACK)));
	CHECK(local == 1 && sbrk(-3 * (intptr_t)PG) != (void *)-1);
}

/* --------------------------------------------------------- who may look */

static void root_may_inspect_any_process(void)
{
	static struct snap s;

	take(1, &s);                    /* init */
	CHECK(s.ne > 0);
	take(getppid(), &s);            /* the test runner */
	CHECK(s.ne > 0);
}

/* A child of uid `uid` that waits until `*release` is closed. */
static pid_t spawn_as(uid_t uid, int *release)
{
	int fds[2], ready[2];
	char c;

	CHECK(pipe(fds) == 0 && pipe(ready) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		close(fds[1]);
		close(ready[0]);
		CHECK(setuid(uid) == 0);
		CHECK(write(ready[1], "u", 1) == 1);
		close(ready[1]);
		while (read(fds[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	close(ready[1]);
	/* Until its setuid the child is root's: on another CPU a look at it
	 * could come first (a full run failed so: "kvmmap(23): EPERM"). */
	CHECK(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	*release = fds[1];
	return pid;
}

/* As uid 1000: root's processes and uid 1001's are EPERM, one's own are fine. */
static void other_users_process_is_eperm(void)
{
	static struct snap s;
	struct kvmmap req = { 0 };
	pid_t root_pid = getpid();
	int release1, release2;
	pid_t other = spawn_as(OTHER_UID + 1, &release1);
	pid_t same = spawn_as(OTHER_UID, &release2);
	pid_t pid = test_fork();

	if (pid == 0) {
		CHECK(setuid(OTHER_UID) == 0);
		CHECK_ERR(kvmmap(root_pid, &req), EPERM);
		CHECK_ERR(kvmmap(1, &req), EPERM);
		CHECK_ERR(kvmmap(other, &req), EPERM);
		take(0, &s);
		take(getpid(), &s);
		take(same, &s);         /* another process of the same user */
		_exit(0);
	}
	int status = test_wait(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(release1);
	close(release2);
	test_wait(other);
	test_wait(same);
}

static void missing_or_exited_process_is_esrch(void)
{
	struct kvmmap req = { 0 };
	pid_t pid;

	CHECK_ERR(kvmmap(NO_SUCH_PID, &req), ESRCH);
	pid = test_fork();
	if (pid == 0)
		_exit(0);
	/* A zombie until we wait: poll until it is one. */
	for (int i = 0; i < 1000; i++) {
		errno = 0;
		if (kvmmap(pid, &req) < 0 && errno == ESRCH)
			break;
		usleep(1000);
	}
	CHECK_ERR(kvmmap(pid, &req), ESRCH);
	test_wait(pid);
	CHECK_ERR(kvmmap(pid, &req), ESRCH);
}

static void kernel_thread_has_no_entries(void)
{
	static struct kproc procs[64];
	struct kvmmap req = { .max_entries = 0, .max_objects = 0 };
	int n = kprocs(procs, 64), found = 0;

	for (int i = 0; i < n; i++) {
		if (strcmp(procs[i].name, "pagedaemon") != 0)
			continue;
		CHECK(kvmmap(procs[i].pid, &req) == 0);
		CHECK(req.nentries == 0 && req.nobjects == 0);
		found = 1;
	}
	CHECK(found);
}

/* ------------------------------------------------------- bad arguments */

static void bad_pointers_are_efault(void)
{
	static struct snap s;
	struct kvmmap req = { .entries = s.e, .objects = s.o, .max_entries = MAXE,
			      .max_objects = MAXO };
	struct kvmmap *ro;

	CHECK_ERR(kvmmap(0, NULL), EFAULT);
	CHECK_ERR(kvmmap(0, (struct kvmmap *)KERNEL_ADDR), EFAULT);
	CHECK_ERR(kvmmap(0, (struct kvmmap *)test_addr(1)), EFAULT);
	/* A request the kernel can read but not write back. */
	ro = (struct kvmmap *)map_anon(PG, MAP_PRIVATE);
	*ro = req;
	CHECK(mprotect(ro, PG, PROT_READ) == 0);
	CHECK_ERR(kvmmap(0, ro), EFAULT);
	req.entries = NULL;
	CHECK_ERR(kvmmap(0, &req), EFAULT);
	req.entries = (struct kvmmap_entry *)KERNEL_ADDR;
	CHECK_ERR(kvmmap(0, &req), EFAULT);
	req.entries = s.e;
	req.objects = (struct kvmmap_object *)KERNEL_ADDR;
	CHECK_ERR(kvmmap(0, &req), EFAULT);
	req.objects = (struct kvmmap_object *)(0x800000000000ul - sizeof(s.o[0]));
	CHECK_ERR(kvmmap(0, &req), EFAULT);
	req.objects = s.o;
	CHECK(kvmmap(0, &req) > 0);
}

static void bad_arguments_are_einval(void)
{
	static struct snap s;
	struct kvmmap req = { .entries = s.e, .objects = s.o, .max_entries = MAXE,
			      .max_objects = MAXO, .flags = 1 };

	CHECK_ERR(kvmmap(0, &req), EINVAL);
	req.flags = 0x80000000u;
	CHECK_ERR(kvmmap(0, &req), EINVAL);
	req.flags = 0;
	req.max_entries = -1;
	CHECK_ERR(kvmmap(0, &req), EINVAL);
	req.max_entries = MAXE;
	req.max_objects = INT_MIN;
	CHECK_ERR(kvmmap(0, &req), EINVAL);
	req.max_objects = MAXO;
	CHECK_ERR(kvmmap(-1, &req), EINVAL);
	CHECK_ERR(kvmmap(INT_MIN, &req), EINVAL);
	CHECK(kvmmap(0, &req) > 0);
}

/* Too small: ERANGE, the sizes needed, and the arrays left alone. */
static void short_arrays_are_erange_with_the_sizes_needed(void)
{
	static struct snap s;
	struct kvmmap req = { 0 };
	int ne, no;

	req.entries = (struct kvmmap_entry *)KERNEL_ADDR;      /* never written */
	CHECK_ERR(kvmmap(0, &req), ERANGE);
	ne = req.nentries;
	no = req.nobjects;
	CHECK(ne > 0 && ne < MAXE && no > 0 && no < MAXO);
	memset(&s, 0x5a, sizeof(s));
	req = (struct kvmmap){ .entries = s.e, .objects = s.o, .max_entries = ne - 1,
			       .max_objects = no };
	CHECK_ERR(kvmmap(0, &req), ERANGE);
	CHECK(req.nentries == ne && req.nobjects == no);
	req.max_entries = ne;
	req.max_objects = no - 1;
	CHECK_ERR(kvmmap(0, &req), ERANGE);
	for (size_t i = 0; i < sizeof(s.e); i++)
		CHECK(((unsigned char *)s.e)[i] == 0x5a);
	req.max_objects = no;
	CHECK(kvmmap(0, &req) == ne && req.nobjects == no);
	CHECK(s.e[ne - 1].end != 0x5a5a5a5a5a5a5a5aull && s.e[ne].end == 0x5a5a5a5a5a5a5a5aull);
	CHECK(s.o[no].id == 0x5a5a5a5a5a5a5a5aull);
}

/* max is room, not a promise: the kernel writes only what the map has.
 * The arrays end at an unmapped page, so a write past them faults. */
static void huge_counts_are_only_capacities(void)
{
	struct kvmmap req = { 0 };
	char *area = map_anon(3 * PG, MAP_PRIVATE);

	CHECK(munmap(area + 2 * PG, PG) == 0);
	CHECK_ERR(kvmmap(0, &req), ERANGE);
	int ne = req.nentries, no = req.nobjects;
	char *end = area + 2 * PG;
	req.entries = (struct kvmmap_entry *)(end - ne * sizeof(struct kvmmap_entry));
	req.objects = (struct kvmmap_object *)area;
	req.max_entries = INT_MAX;
	req.max_objects = INT_MAX;
	CHECKF(kvmmap(0, &req) == ne && req.nobjects == no, "%s",
	       test_errno_name(errno));
	req.entries = (struct kvmmap_entry *)(end - (ne - 1) * sizeof(struct kvmmap_entry));
	CHECK_ERR(kvmmap(0, &req), EFAULT);
}

/* -------------------------------------------------------------- locking */

/*
 * The request and the arrays in memory this process never touched: every
 * copy faults, and the fault takes this process's map lock.  A kernel that
 * copied out while it held the lock would take it twice (a panic).
 */
static void copyout_into_untouched_memory_of_the_inspected_map(void)
{
	char *area = map_anon(16 * PG, MAP_PRIVATE);
	struct kvmmap *req = (struct kvmmap *)(area + 15 * PG);
	struct kvmmap probe = { 0 };

	CHECK_ERR(kvmmap(0, &probe), ERANGE);
	CHECK(probe.nentries * sizeof(struct kvmmap_entry) < 4 * PG);
	CHECK(probe.nobjects * sizeof(struct kvmmap_object) < 4 * PG);
	/* Writing the request touches its own page only: the arrays' pages
	 * are still untouched when the kernel copies out. */
	*req = (struct kvmmap){ .entries = (struct kvmmap_entry *)area,
				.objects = (struct kvmmap_object *)(area + 8 * PG),
				.max_entries = MAXE, .max_objects = MAXO };
	int n = kvmmap(0, req);
	CHECKF(n > 0 && req->nentries == n, "%s", test_errno_name(errno));
	CHECK(((struct kvmmap_entry *)area)[0].end > 0);
}

/* A target that exits while we look: never a crash, only ESRCH or an answer. */
static void target_exiting_meanwhile_is_harmless(void)
{
	static struct snap s;
	struct kvmmap req = { .entries = s.e, .objects = s.o, .max_entries = MAXE,
			      .max_objects = MAXO };

	for (int round = 0; round < 50; round++) {
		pid_t pid = test_fork();

		if (pid == 0) {
			volatile char *p = map_anon(64 * PG, MAP_PRIVATE);
			for (int i = 0; i < 64; i++)
				p[i * PG] = (char)i;
			_exit(0);
		}
		for (int i = 0; i < 200; i++) {
			errno = 0;
			int n = kvmmap(pid, &req);
			CHECKF(n >= 0 || errno == ESRCH, "kvmmap: %s", test_errno_name(errno));
			if (n < 0)
				break;
		}
		test_wait(pid);
	}
}

static const struct test_case cases[] = {
	TEST_CASE(untouched_private_mapping_has_no_object),
	TEST_CASE(first_touch_makes_one_object_of_the_mapping_size),
	TEST_CASE(fork_shares_the_object_and_marks_both_needs_copy),
	TEST_CASE(cow_write_puts_a_shadow_in_front_for_the_writer_only),
	TEST_CASE(write_on_each_side_then_exit_collapses_the_chain),
	TEST_CASE(shared_anonymous_mapping_is_one_object_after_fork),
	TEST_CASE(shm_mappings_show_the_shm_object),
	TEST_CASE(split_entries_list_their_object_once),
	TEST_CASE(ids_are_stable_across_calls_and_never_zero),
	TEST_CASE(heap_and_stack_entries_are_flagged),
	TEST_CASE(root_may_inspect_any_process),
	TEST_CASE(other_users_process_is_eperm),
	TEST_CASE(missing_or_exited_process_is_esrch),
	TEST_CASE(kernel_thread_has_no_entries),
	TEST_CASE(bad_pointers_are_efault),
	TEST_CASE(bad_arguments_are_einval),
	TEST_CASE(short_arrays_are_erange_with_the_sizes_needed),
	TEST_CASE(huge_counts_are_only_capacities),
	TEST_CASE(copyout_into_untouched_memory_of_the_inspected_map),
	TEST_CASE(target_exiting_meanwhile_is_harmless),
};

int main(int argc, char **argv)
{
	return test_main("vmmap", cases, TEST_COUNT(cases), argc, argv);
}
