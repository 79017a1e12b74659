/*
 * vmmap - show a process's address space: its map entries and the VM
 * objects behind each, shadow chains included (like FreeBSD's procstat -v,
 * one level deeper).
 *
 *   vmmap [PID ...]        one line per map entry (PID 0 or none: vmmap itself)
 *   vmmap -dot PID ...     the same as a Graphviz DOT graph; several PIDs go
 *                          in one graph, and an object they share is drawn
 *                          once (try a parent and its child after fork)
 *   vmmap -demo [-dot]     map two pages, fork, and write on each side,
 *                          showing the mapping's chain after every step
 *                          (tools/vmgraph renders it: the book's figure)
 *
 * A line looks like this:
 *
 *   START        END          PRT MAX INH   FLAGS        CHAIN
 *   7effffffe000 7f0000000000 rw- rwx copy  cow,nc       #21 anon 2p 1r 0s ref1 shd0 d1 > #19 ...
 *
 * PRT/MAX: the protection now and the most mprotect may grant; INH: what
 * fork does (share, copy, none); FLAGS: cow (a private mapping), shared,
 * nc (needs_copy: the first write puts a shadow in front), heap, stack.
 * CHAIN: the entry's first object, then the object it shadows, and so on:
 * "#id type" (anon; swap: anonymous with pages on swap; shm; bootfs: a
 * boot file's pages, the text and data a program was started from), then its
 * size (p), resident pages (r), pages on swap (s), references, shadows
 * (objects shadowing it), and shadow depth (d: 0 for an object that
 * shadows nothing).  "-" is a private mapping nobody has touched yet: it
 * has no object.  Ids are the kernel's names for objects: the same id is
 * the same object, in any process, at any time.
 *
 * The numbers come from the vmos system call kvmmap(pid, &req) (see
 * <vmos.h> and uapi/vmos.h).  It fills two arrays, entries and objects,
 * and answers ERANGE with the sizes it needs when they are too small; so
 * we ask once with empty arrays, then with arrays of the size it said
 * (plus room, since the map may grow meanwhile), and again if need be.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmos.h>

#define PG 4096ul

/* One process's map, as kvmmap gave it. */
struct snap {
	int pid;
	char label[48];                 /* "pid 7 (sh)", or the demo's "parent" */
	struct kvmmap_entry *e;
	struct kvmmap_object *o;
	int ne, no;
	uint64_t lo, hi;                /* show only entries meeting [lo, hi) */
};

static void die(const char *what)
{
	fprintf(stderr, "vmmap: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (p == NULL)
		die("calloc");
	return p;
}

/* The name of process pid, from kprocs, into buf ("?" if it is not found). */
static void proc_name(int pid, char *buf, size_t size)
{
	static struct kproc procs[256];
	int n = kprocs(procs, 256);
	snprintf(buf, size, "?");
	for (int i = 0; i < n; i++)
		if (procs[i].pid == pid)
			snprintf(buf, size, "%.*s", (int)sizeof(procs[i].name), procs[i].name);
}

/* Take pid's map into s.  0, or -1 with errno set (ESRCH, EPERM ...). */
static int snap_take(int pid, struct snap *s)
{
	struct kvmmap req = { 0 };
	char name[40];
	memset(s, 0, sizeof(*s));
	s->pid = pid ? pid : getpid();
	s->hi = UINT64_MAX;
	proc_name(s->pid, name, sizeof(name));
	snprintf(s->label, sizeof(s->label), "pid %d (%s)", s->pid, name);
	for (int tries = 0; tries < 8; tries++) {
		int n = kvmmap(pid, &req);
		if (n >= 0) {
			s->ne = req.nentries;
			s->no = req.nobjects;
			return 0;
		}
		if (errno != ERANGE)
			return -1;
		free(s->e);
		free(s->o);
		req.max_entries = req.nentries + 8;
		req.max_objects = req.nobjects + 8;
		s->e = req.entries = xcalloc((size_t)req.max_entries, sizeof(*s->e));
		s->o = req.objects = xcalloc((size_t)req.max_objects, sizeof(*s->o));
	}
	errno = EAGAIN;
	return -1;
}

static void snap_free(struct snap *s)
{
	free(s->e);
	free(s->o);
	s->e = NULL;
	s->o = NULL;
}

static int shown(const struct snap *s, const struct kvmmap_entry *e)
{
	return e->end > s->lo && e->start < s->hi;
}

/* -------------------------------------------------------------- text */

static const char *type_name(unsigned int type)
{
	switch (type) {
	case KVMMAP_OBJ_ANON: return "anon";
	case KVMMAP_OBJ_SWAP: return "swap";
	case KVMMAP_OBJ_SHM:  return "shm";
	case KVMMAP_OBJ_BOOTFS: return "bootfs";
	}
	return "?";
}

static const char *inherit_name(unsigned int inh)
{
	switch (inh) {
	case KVMMAP_INHERIT_SHARE: return "share";
	case KVMMAP_INHERIT_COPY:  return "copy";
	case KVMMAP_INHERIT_NONE:  return "none";
	}
	return "?";
}

static char *prot_str(unsigned int prot, char buf[4])
{
	buf[0] = (prot & PROT_READ) ? 'r' : '-';
	buf[1] = (prot & PROT_WRITE) ? 'w' : '-';
	buf[2] = (prot & PROT_EXEC) ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

static char *flags_str(unsigned int f, char *buf, size_t size)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ KVMMAP_ENTRY_COW, "cow" }, { KVMMAP_ENTRY_SHARED, "shared" },
		{ KVMMAP_ENTRY_NEEDS_COPY, "nc" }, { KVMMAP_ENTRY_HEAP, "heap" },
		{ KVMMAP_ENTRY_STACK, "stack" },
	};
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (f & names[i].bit) {
			if (buf[0] != '\0')
				strncat(buf, ",", size - strlen(buf) - 1);
			strncat(buf, names[i].name, size - strlen(buf) - 1);
		}
	}
	return buf;
}

static void print_object(const struct kvmmap_object *o)
{
	printf("#%llu %s %llup %llur %llus ref%u shd%u d%u", (unsigned long long)o->id,
	       type_name(o->type), (unsigned long long)o->size,
	       (unsigned long long)o->resident, (unsigned long long)o->swapped,
	       o->ref_count, o->shadow_count, o->depth);
}

static void print_entry(const struct snap *s, const struct kvmmap_entry *e)
{
	char prot[4], max[4], flags[40];
	printf("%12llx %12llx %s %s %-5s %-12s ", (unsigned long long)e->start,
	       (unsigned long long)e->end, prot_str(e->prot, prot), prot_str(e->max_prot, max),
	       inherit_name(e->inheritance), flags_str(e->flags, flags, sizeof(flags)));
	if (e->object < 0)
		printf("-");
	for (int i = e->object, n = 0; i >= 0 && i < s->no && n <= s->no; i = s->o[i].backing, n++) {
		if (n > 0)
			printf(" > ");
		print_object(&s->o[i]);
	}
	printf("\n");
}

static void print_snap(const struct snap *s)
{
	printf("%s: %d entries, %d objects\n", s->label, s->ne, s->no);
	printf("%12s %12s PRT MAX %-5s %-12s CHAIN\n", "START", "END", "INH", "FLAGS");
	for (int i = 0; i < s->ne; i++)
		if (shown(s, &s->e[i]))
			print_entry(s, &s->e[i]);
}

/* --------------------------------------------------------------- DOT */

static const char *const entry_colours[] = { "#cfe2f3", "#d9ead3", "#fce5cd", "#ead1dc" };

static const char *object_colour(const struct kvmmap_object *o)
{
	if (o->type == KVMMAP_OBJ_SHM)
		return "#f4cccc";
	if (o->type == KVMMAP_OBJ_BOOTFS)
		return "#d9ead3";
	if (o->type == KVMMAP_OBJ_SWAP)
		return "#d9d2e9";
	return o->depth > 0 ? "#fff9e6" : "#fff2cc";
}

/* Has an earlier process of this graph (or stage) already drawn object id? */
static int object_drawn(const struct snap *snaps, int upto, uint64_t id)
{
	for (int k = 0; k < upto; k++) {
		const struct snap *s = &snaps[k];
		for (int i = 0; i < s->ne; i++) {
			if (!shown(s, &s->e[i]))
				continue;
			for (int j = s->e[i].object, n = 0; j >= 0 && n <= s->no; j = s->o[j].backing, n++)
				if (s->o[j].id == id)
					return 1;
		}
	}
	return 0;
}

static void dot_object(const char *stage, const struct kvmmap_object *o)
{
	printf("\t\t%so%llu [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", "
	       "label=\"#%llu %s\\n%llu page%s: %llu resident, %llu on swap\\n"
	       "ref %u, shadows %u, depth %u\"];\n", stage, (unsigned long long)o->id,
	       object_colour(o), (unsigned long long)o->id, type_name(o->type),
	       (unsigned long long)o->size, o->size == 1 ? "" : "s", (unsigned long long)o->resident,
	       (unsigned long long)o->swapped, o->ref_count, o->shadow_count, o->depth);
}

/* Objects process k reaches that no earlier process drew, and their
 * backing edges. */
static void dot_objects(const char *stage, const struct snap *snaps, int k)
{
	const struct snap *s = &snaps[k];
	for (int j = 0; j < s->no; j++) {
		const struct kvmmap_object *o = &s->o[j];
		if (!object_drawn(snaps, k + 1, o->id) || object_drawn(snaps, k, o->id))
			continue;
		dot_object(stage, o);
		if (o->backing >= 0)
			printf("\t\t%so%llu -> %so%llu [style=dashed, label=\"shadows\"];\n", stage,
			       (unsigned long long)o->id, stage, (unsigned long long)o->backing_id);
	}
}

static void dot_entries(const char *stage, const struct snap *s, int k)
{
	char prot[4], flags[40];
	printf("\t\tsubgraph cluster_%sp%d {\n\t\t\tlabel=\"%s\"; style=rounded; color=\"#999999\";\n",
	       stage, s->pid, s->label);
	if (s->ne == 0)
		printf("\t\t\t%sp%dnone [shape=plaintext, label=\"no address space\\n(a kernel thread)\"];\n",
		       stage, s->pid);
	for (int i = 0; i < s->ne; i++) {
		const struct kvmmap_entry *e = &s->e[i];
		if (!shown(s, e))
			continue;
		printf("\t\t\t%sp%de%d [shape=box, style=filled, fillcolor=\"%s\", "
		       "label=\"%llx-%llx\\n%s %s\"];\n", stage, s->pid, i,
		       entry_colours[k % 4], (unsigned long long)e->start,
		       (unsigned long long)e->end, prot_str(e->prot, prot),
		       flags_str(e->flags, flags, sizeof(flags)));
	}
	printf("\t\t}\n");
	for (int i = 0; i < s->ne; i++)
		if (shown(s, &s->e[i]) && s->e[i].object >= 0)
			printf("\t\t%sp%de%d -> %so%llu;\n", stage, s->pid, i, stage,
			       (unsigned long long)s->e[i].object_id);
}

/* Every entry node of the graph, for one rank=same line: the entries on
 * top, the objects below them, backing objects further down. */
static char entry_rank[8192];

static void rank_add(const char *stage, const struct snap *s)
{
	for (int i = 0; i < s->ne; i++) {
		size_t used = strlen(entry_rank);
		if (shown(s, &s->e[i]) && used < sizeof(entry_rank) - 64)
			snprintf(entry_rank + used, sizeof(entry_rank) - used, " %sp%de%d;",
				 stage, s->pid, i);
	}
}

/* One graph (or one stage of the demo's graph): every process's entries,
 * then each object once.  stage prefixes the node names ("" or "s2_"). */
static void dot_body(const char *stage, const struct snap *snaps, int n)
{
	for (int k = 0; k < n; k++) {
		dot_entries(stage, &snaps[k], k);
		rank_add(stage, &snaps[k]);
	}
	for (int k = 0; k < n; k++)
		dot_objects(stage, snaps, k);
}

static void dot_begin(const char *title)
{
	printf("digraph vmmap {\n");
	printf("\tgraph [rankdir=TB, newrank=true, fontname=\"Helvetica\", fontsize=11, "
	       "nodesep=0.3, ranksep=0.4, labelloc=t, label=\"%s\"];\n", title);
	printf("\tnode [fontname=\"Helvetica\", fontsize=10];\n");
	printf("\tedge [fontname=\"Helvetica\", fontsize=9];\n");
}

static void dot_end(void)
{
	if (entry_rank[0] != '\0')
		printf("\t{ rank=same;%s }\n", entry_rank);
	printf("}\n");
}

/* ------------------------------------------------------------- the demo */

/* The demo's stages are snapshots of the same mapping at five moments. */
static int demo_dot;
static int demo_stage;

static void demo_show(const char *what, int parent, int child, uint64_t lo, uint64_t hi)
{
	struct snap snaps[2];
	int n = 0;
	char stage[16];
	int pids[2] = { parent, child };
	const char *labels[2] = { "parent", "child" };
	for (int k = 0; k < 2; k++) {
		if (pids[k] == 0)
			continue;
		if (snap_take(pids[k], &snaps[n]) != 0)
			die("kvmmap");
		snprintf(snaps[n].label, sizeof(snaps[n].label), "%s, pid %d", labels[k], pids[k]);
		snaps[n].lo = lo;
		snaps[n].hi = hi;
		n++;
	}
	demo_stage++;
	if (demo_dot) {
		snprintf(stage, sizeof(stage), "s%d_", demo_stage);
		printf("\tsubgraph cluster_s%d {\n\t\tlabel=\"%d. %s\"; style=rounded; color=\"#666666\";\n",
		       demo_stage, demo_stage, what);
		dot_body(stage, snaps, n);
		printf("\t}\n");
	} else {
		printf("%d. %s\n", demo_stage, what);
		for (int k = 0; k < n; k++)
			print_snap(&snaps[k]);
		printf("\n");
	}
	for (int k = 0; k < n; k++)
		snap_free(&snaps[k]);
	fflush(stdout);
}

/* The child: write page 0 on 'w' and answer; exit on anything else. */
static void demo_child(volatile char *p, int in, int out)
{
	char c;
	while (read(in, &c, 1) == 1 && c == 'w') {
		p[0] = 'z';
		if (write(out, &c, 1) != 1)
			break;
	}
	_exit(0);
}

static void demo_tell(int out, int in, char c)
{
	if (write(out, &c, 1) != 1 || (c == 'w' && read(in, &c, 1) != 1))
		die("demo pipe");
}

static int demo(void)
{
	int down[2], up[2], status;
	volatile char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || pipe(down) != 0 || pipe(up) != 0)
		die("demo setup");
	uint64_t lo = (uint64_t)(uintptr_t)p, hi = lo + 2 * PG;
	p[0] = 'x';
	p[PG] = 'y';
	if (demo_dot)
		dot_begin("One private mapping of two pages through fork, a copy-on-write "
		          "fault on each side, and the child's exit (vmmap -demo)");
	demo_show("before fork", getpid(), 0, lo, hi);
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0)
		demo_child(p, down[0], up[1]);
	demo_show("after fork", getpid(), child, lo, hi);
	demo_tell(down[1], up[0], 'w');
	demo_show("the child writes page 0", getpid(), child, lo, hi);
	p[PG] = 'w';
	demo_show("the parent writes page 1", getpid(), child, lo, hi);
	demo_tell(down[1], up[0], 'q');
	if (waitpid(child, &status, 0) != child)
		die("waitpid");
	demo_show("the child has exited: collapse", getpid(), 0, lo, hi);
	if (demo_dot)
		dot_end();
	return 0;
}

/* ------------------------------------------------------------------ main */

static int usage(void)
{
	fprintf(stderr, "usage: vmmap [PID ...]\n       vmmap -dot PID ...\n"
	        "       vmmap -demo [-dot]\n");
	return 2;
}

static int parse_pid(const char *arg, int *pid)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < 0 || v > 99999)
		return -1;
	*pid = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	int dot = 0, want_demo = 0, npids = 0, status = 0, pids[16];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-dot") == 0)
			dot = 1;
		else if (strcmp(argv[i], "-demo") == 0)
			want_demo = 1;
		else if (npids == 16 || parse_pid(argv[i], &pids[npids++]) != 0)
			return usage();
		for (int k = 0; k + 1 < npids; k++) {
			if (pids[k] == pids[npids - 1]) {
				npids--;        /* each process once: its nodes have one name */
				break;
			}
		}
	}
	if (want_demo) {
		demo_dot = dot;
		return npids ? usage() : demo();
	}
	if (npids == 0)
		pids[npids++] = 0;
	struct snap *snaps = xcalloc((size_t)npids, sizeof(*snaps));
	int n = 0;
	for (int k = 0; k < npids; k++) {
		if (snap_take(pids[k], &snaps[n]) == 0) {
			n++;
			continue;
		}
		fprintf(stderr, "vmmap: pid %d: %s\n", pids[k], strerror(errno));
		status = 1;
	}
	if (dot) {
		dot_begin("vmmap");
		dot_body("", snaps, n);
		dot_end();
	} else {
		for (int k = 0; k < n; k++)
			print_snap(&snaps[k]);
	}
	for (int k = 0; k < n; k++)
		snap_free(&snaps[k]);
	free(snaps);
	return status;
}
