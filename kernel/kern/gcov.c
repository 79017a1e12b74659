/*
 * gcov.c - the gcov runtime of the coverage build (make coverage).
 *
 * What gcc does.  With -fprofile-arcs every object file gets an array of
 * 64-bit counters, one per arc of the control-flow graph that gcc chose
 * to instrument, and the code increments them as it runs.  It also gets a
 * static `struct gcov_info` describing them: the .gcda file name, a stamp
 * and checksum tying them to the .gcno file -ftest-coverage wrote at
 * compile time, and for each function its identity and counter array.
 * A constructor in .init_array passes that struct to __gcov_init().  In a
 * program, libgcov registers it and at exit writes the .gcda file.  A
 * kernel has neither constructors nor files, so this file is the small
 * part of libgcov it needs, as Linux's kernel/gcov does:
 *
 *   gcov_init()    runs the .init_array entries (linker.ld keeps them;
 *                  only the coverage build has any), so __gcov_init()
 *                  links every gcov_info onto one list;
 *   gcov_dump()    at the end of a scripted run (sys_poweroff, or the
 *                  self-tests finishing) writes every object's counters
 *                  to the host.
 *
 * The way out.  QEMU's isa-debugcon device (the harness adds it in a
 * coverage run, see tools/qemu.py) turns every byte written to I/O port
 * 0xe9 into a byte of a host file; reading the port answers 0xe9, which
 * is how gcov_dump knows the device is there (without it nothing is
 * written: `make qemu` on a coverage kernel does not wait for a dump).
 * `rep outsb` sends whole counter arrays straight from memory; the dump
 * of the whole kernel takes a fraction of a second under TCG.
 *
 * The dump format (little-endian, no padding; tools/gcov-collect reads it
 * and writes the .gcda files, adding up the counters of many boots):
 *
 *   dump  := "VMOSGCOV" u32 format(=1) u32 nobjects  object*  "GCOVDONE"
 *   object:= u32 version u32 stamp u32 checksum u32 kinds
 *            u32 namelen  char name[namelen]  u32 nfunctions  function*
 *   function := u32 present u32 ident u32 lineno_checksum u32 cfg_checksum
 *               then, if present, for each counter kind k set in `kinds`
 *               (bit k: gcc's merge[k] is used), lowest first:
 *               u32 n  u64 values[n]
 *
 * `present` is 0 for a function whose counters belong to another object
 * (gcc's COMDAT key); gcc writes such a function without counters too.
 * The trailer lets the host tell a complete dump from a cut one.
 *
 * This file is compiled without instrumentation (see the Makefile):
 * counting the dumper's own arcs would be noise.
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "kern/gcov.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/debugcon.h"

#if !defined(__GNUC__) || __GNUC__ < 12
#error "gcov.c knows the struct gcov_info of gcc 12 and later only"
#endif

/* Counter kinds gcc knows (GCOV_COUNTERS in gcc's gcov-counter.def). */
#if __GNUC__ >= 14
#define GCOV_COUNTERS 9
#else
#define GCOV_COUNTERS 8
#endif

#define GCOV_FORMAT        1

/* gcc's layout (libgcov.h), which the compiler fills in. */
typedef int64_t gcov_type;

struct gcov_ctr_info {
	uint32_t num;                   /* number of counters */
	gcov_type *values;
};

struct gcov_info;

struct gcov_fn_info {
	const struct gcov_info *key;    /* the object that owns the counters (COMDAT) */
	uint32_t ident;
	uint32_t lineno_checksum;
	uint32_t cfg_checksum;
	struct gcov_ctr_info ctrs[];    /* one per counter kind in use */
};

typedef void (*gcov_merge_fn)(gcov_type *, uint32_t);

struct gcov_info {
	uint32_t version;               /* gcc's gcov format version */
	struct gcov_info *next;         /* ours: the list of registered objects */
	uint32_t stamp;                 /* matches the .gcno file */
	uint32_t checksum;
	const char *filename;           /* the .gcda file, an absolute path on the build host */
	gcov_merge_fn merge[GCOV_COUNTERS];     /* NULL: counter kind not used */
	uint32_t n_functions;
	const struct gcov_fn_info *const *functions;
};

/* Hooks gcc's code calls or refers to. */
void __gcov_init(struct gcov_info *info);
void __gcov_exit(void);
void __gcov_merge_add(gcov_type *counters, uint32_t n);

static struct gcov_info *gcov_list;     /* registered at boot, before any other CPU or thread */

void __gcov_init(struct gcov_info *info)
{
	info->next = gcov_list;
	gcov_list = info;
}

/* Called from .fini_array, which a kernel never runs. */
void __gcov_exit(void)
{
}

/* libgcov merges an old .gcda into the counters with this; the host tool
 * does the merging here, so it is only ever referred to, never called. */
void __gcov_merge_add(gcov_type *counters __unused, uint32_t n __unused)
{
}

extern void (*const __init_array_start[])(void);
extern void (*const __init_array_end[])(void);

void gcov_init(void)
{
	for (void (*const *ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)();
}

/* ------------------------------------------------------------- the dump */

/* Bit k set when counter kind k is in use in this object. */
static uint32_t counter_kinds(const struct gcov_info *info)
{
	uint32_t kinds = 0;
	for (int k = 0; k < GCOV_COUNTERS; k++)
		if (info->merge[k] != NULL)
			kinds |= 1u << k;
	return kinds;
}

static void dump_function(const struct gcov_info *info, const struct gcov_fn_info *fn,
    uint32_t kinds)
{
	bool present = fn != NULL && fn->key == info;
	debugcon_write_u32(present);
	debugcon_write_u32(present ? fn->ident : 0);
	debugcon_write_u32(present ? fn->lineno_checksum : 0);
	debugcon_write_u32(present ? fn->cfg_checksum : 0);
	if (!present)
		return;
	const struct gcov_ctr_info *ctr = fn->ctrs;
	for (int k = 0; k < GCOV_COUNTERS; k++, kinds >>= 1) {
		if (!(kinds & 1))
			continue;
		debugcon_write_u32(ctr->num);
		debugcon_write(ctr->values, ctr->num * sizeof(gcov_type));
		ctr++;
	}
}

static void dump_object(const struct gcov_info *info)
{
	uint32_t kinds = counter_kinds(info);
	size_t namelen = strlen(info->filename);
	debugcon_write_u32(info->version);
	debugcon_write_u32(info->stamp);
	debugcon_write_u32(info->checksum);
	debugcon_write_u32(kinds);
	debugcon_write_u32((uint32_t)namelen);
	debugcon_write(info->filename, namelen);
	debugcon_write_u32(info->n_functions);
	for (uint32_t i = 0; i < info->n_functions; i++)
		dump_function(info, info->functions[i], kinds);
}

void gcov_dump(void)
{
	uint32_t n = 0;
	if (!debugcon_present())
		return;                 /* no debug console: nobody to hand the counters to */
	intr_disable();                 /* the run is ending: nothing else runs now */
	for (const struct gcov_info *info = gcov_list; info != NULL; info = info->next)
		n++;
	debugcon_write("VMOSGCOV", 8);
	debugcon_write_u32(GCOV_FORMAT);
	debugcon_write_u32(n);
	for (const struct gcov_info *info = gcov_list; info != NULL; info = info->next)
		dump_object(info);
	debugcon_write("GCOVDONE", 8);
}
