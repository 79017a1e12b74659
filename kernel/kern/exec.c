/*
 * exec.c - execve(): load a static ELF64 program.
 *
 * Everything about the file is checked before the process is touched, so a
 * malformed ELF gives ENOEXEC and the caller continues unharmed:
 *   - the ELF header: magic, 64-bit, little-endian, x86-64, ET_EXEC, a
 *     program-header table that lies inside the file;
 *   - each PT_LOAD segment: file bytes inside the file, filesz <= memsz,
 *     the whole range inside user space without wrapping, no overlap
 *     with the previous segment's pages;
 *   - the entry point inside an executable segment.
 * A refusal prints one line saying why (a student whose program will not
 * start wants to know more than "Exec format error").
 * Then a new address space is built beside the old one (the segments, the
 * stack, argv and envp), and only when all of that succeeded does the
 * process switch to it: the point of no return is the last few lines of
 * exec_image().
 *
 * The segments are mapped from the file's VM object (fs/bootfs_pager.c),
 * not copied: every process running a program shares the pages of its
 * text, and a program run before finds them in memory.  Each segment's
 * pages, [page_trunc(vaddr), page_round(vaddr + memsz)), are split in two
 * (segment_map):
 *   - from the object, copy-on-write (vm_map_object_cow_fixed): the pages
 *     whose bytes are all the file's.  Read-only text is never written, so
 *     its pages stay the object's own, one copy for everybody (a write --
 *     after an mprotect, or the kernel's -- would copy the page into a
 *     shadow, never change the file's).  Data is written: its first write
 *     to a page copies it, exactly as for any private mapping.  A page
 *     holding both the end of the text and the start of the data (the
 *     linker packs them into one file page) is mapped by both entries, the
 *     text's read-only and the data's copy-on-write, which is why the data
 *     must not write the object's page in place.
 *   - anonymous, zero-filled: the bss.  Bytes past p_filesz must read as
 *     zero, but the object's page that holds the last of the data also
 *     holds whatever the file has next (symbols, sections), so when the
 *     segment has a bss (memsz > filesz) that partial last page is
 *     anonymous too and the kernel copies the data's tail into it.
 * A segment whose file offset and address differ modulo the page size
 * cannot be mapped from the file at all (its bytes sit at another place in
 * the page); it is copied into anonymous memory, as every segment was
 * before the text was shared.
 *
 * The initial stack, from the top down (the System V x86-64 ABI layout):
 *   strings of envp and argv | padding to 16 | an empty auxiliary vector
 *   (AT_NULL, 0) | NULL | envp[] | NULL | argv[] | argc  <- rsp
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/string.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/exec.h"
#include "kern/copyio.h"
#include "kern/fdtable.h"
#include "kern/printf.h"
#include "fs/bootfs.h"
#include "vm/vm_object.h"
#include "vm/kmem.h"
#include "vm/vm_pageout.h"
#include "arch/x86_64/vmparam.h"
#include "vm/vm_map.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/fpu.h"
#include "uapi/mman.h"
#include "uapi/limits.h"

#define EI_NIDENT  16
#define ET_EXEC    2
#define EM_X86_64  62
#define PT_LOAD    1
#define PF_X       1
#define PF_W       2
#define PF_R       4

struct elf64_ehdr {
	uint8_t  e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* Strings and pointers of argv/envp, gathered in one kernel buffer. */
struct exec_args {
	char *buf;              /* ARG_MAX bytes: the strings, back to back */
	size_t used;
	int argc, envc;
	uint32_t *offsets;      /* start of each string in buf: argv first, then envp */
};

/* Why the ELF header is unacceptable, or NULL if it is fine. */
static const char *elf_check_header(const struct elf64_ehdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->e_ident, "\177ELF", 4) != 0)
		return "no ELF header";
	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1)   /* ELFCLASS64, little-endian */
		return "not a 64-bit little-endian ELF file";
	if (eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64)
		return "not a static x86-64 executable (ET_EXEC, EM_X86_64)";
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 || eh->e_phnum > 64)
		return "bad program header size or count";
	if (eh->e_phoff > size || eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff ||
	    (eh->e_phoff & 7) != 0)
		return "program headers lie outside the file";
	return NULL;
}

/* Why a PT_LOAD segment is unacceptable, or NULL if it is fine. */
static const char *elf_check_segment(const struct elf64_phdr *ph, size_t size, uint64_t prev_end)
{
	if (ph->p_filesz > ph->p_memsz || ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return "a segment's bytes lie outside the file";
	if (ph->p_vaddr < USER_MIN || ph->p_memsz > USER_STACK_TOP - USER_STACK_SIZE ||
	    ph->p_vaddr > USER_STACK_TOP - USER_STACK_SIZE - ph->p_memsz)
		return "a segment lies outside user space";
	if (page_trunc(ph->p_vaddr) < prev_end)
		return "a segment overlaps (or shares a page with) the one before";
	return NULL;
}

static int elf_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	    ((flags & PF_X) ? PROT_EXEC : 0);
}

/*
 * Map one checked PT_LOAD segment of file (whose object is obj, or NULL:
 * copy everything) as the top of the file says.  0, -ENOMEM, or -EFAULT
 * (the caller's ENOEXEC: the image does not fit).
 */
static int segment_map(struct vmspace *vs, const struct elf64_phdr *ph, const uint8_t *file,
    struct vm_object *obj)
{
	uint64_t start = page_trunc(ph->p_vaddr), end = page_round(ph->p_vaddr + ph->p_memsz);
	uint64_t file_end = ph->p_vaddr + ph->p_filesz;         /* where the file's bytes end */
	int prot = elf_prot(ph->p_flags);
	/* [start, mid) comes from the object, [mid, end) is anonymous */
	uint64_t mid = start;
	if (obj != NULL && ((ph->p_vaddr - ph->p_offset) & PAGE_MASK) == 0)
		mid = ph->p_memsz > ph->p_filesz ? page_trunc(file_end) : end;
	if (mid > start) {
		vm_object_reference(obj);               /* the entry's */
		int err = vm_map_object_cow_fixed(vs, start, mid - start, obj,
		    page_trunc(ph->p_offset), prot);
		if (err) {
			vm_object_deallocate(obj);
			return err;
		}
	}
	if (mid == end)
		return 0;
	int err = vm_map_anon_fixed(vs, mid, end - mid, prot);
	/* The file's bytes that fall in the anonymous part: the tail of the
	 * data in its partial last page, or all of a segment we copy. */
	uint64_t copy_from = MAX(mid, ph->p_vaddr);
	if (!err && file_end > copy_from)
		err = vmspace_copyout(vs, copy_from, file + ph->p_offset + (copy_from - ph->p_vaddr),
		    file_end - copy_from);
	return err;
}

/*
 * Map and fill every PT_LOAD segment; sets *brk to the end of the highest
 * one and *data to the start of the first writable one (the data segment,
 * where RLIMIT_DATA starts counting; *brk if there is none).  A malformed
 * file gives -ENOEXEC with the reason in *why.
 */
static int elf_load(struct vmspace *vs, const uint8_t *file, size_t size, struct vm_object *obj,
    uint64_t *brk, uint64_t *data, const char **why)
{
	const struct elf64_ehdr *eh = (const void *)file;
	const struct elf64_phdr *ph = (const void *)(file + eh->e_phoff);
	uint64_t prev_end = 0, data_start = 0;
	bool entry_ok = false;

	for (int i = 0; i < eh->e_phnum; i++, ph++) {
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		if ((*why = elf_check_segment(ph, size, prev_end)) != NULL)
			return -ENOEXEC;
		uint64_t start = page_trunc(ph->p_vaddr), end = page_round(ph->p_vaddr + ph->p_memsz);
		int err = segment_map(vs, ph, file, obj);
		if (err)
			return err;
		if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry < ph->p_vaddr + ph->p_memsz)
			entry_ok = true;
		if ((ph->p_flags & PF_W) && data_start == 0)
			data_start = start;
		prev_end = end;
	}
	*brk = prev_end;
	*data = data_start ? data_start : prev_end;
	if (!entry_ok)
		*why = "the entry point is in no executable segment";
	return entry_ok ? 0 : -ENOEXEC;
}

static int args_add(struct exec_args *a, const char *s)
{
	size_t len = strlen(s) + 1;
	if (a->argc + a->envc >= 2 * EXEC_MAX_ARGS || len > ARG_MAX - a->used)
		return -E2BIG;
	a->offsets[a->argc + a->envc] = a->used;
	memcpy(a->buf + a->used, s, len);
	a->used += len;
	return 0;
}

/*
 * The argument buffers: ARG_MAX bytes is 33 pages, more than the reserve
 * of free pages the pageout daemon keeps on a small machine, so right
 * after a process filled memory they may not be there yet.  Like a fault,
 * exec then waits for the daemon's pass and tries again; ENOMEM only when
 * a pass freed nothing.  No lock held (it sleeps).
 */
static int args_alloc(struct exec_args *a)
{
	for (;;) {
		memset(a, 0, sizeof(*a));
		a->buf = kmalloc(ARG_MAX, 0);
		a->offsets = kmalloc(2 * EXEC_MAX_ARGS * sizeof(uint32_t), 0);
		if (a->buf && a->offsets)
			return 0;
		kfree(a->buf);
		kfree(a->offsets);
		if (!vm_page_wait())
			return -ENOMEM;
	}
}

static void args_free(struct exec_args *a)
{
	kfree(a->buf);
	kfree(a->offsets);
}

static int args_from_kernel(struct exec_args *a, char *const argv[], char *const envp[])
{
	int err = 0;
	for (; err == 0 && argv && *argv; argv++, a->argc++)
		err = args_add(a, *argv);
	for (; err == 0 && envp && *envp; envp++, a->envc++)
		err = args_add(a, *envp);
	return err;
}

/* Build the initial stack in vs; returns the user rsp in *sp. */
static int stack_build(struct vmspace *vs, const struct exec_args *a, uint64_t *sp)
{
	uint64_t strings = USER_STACK_TOP - ROUNDUP(a->used, 16);
	/* argc, argv[], NULL, envp[], NULL, and an empty auxiliary vector (AT_NULL, 0) */
	uint64_t nwords = 1 + a->argc + 1 + a->envc + 1 + 2;
	uint64_t top = strings - ROUNDUP(nwords * 8, 16);
	uint64_t *words = kmalloc(nwords * 8, KM_ZERO);
	if (words == NULL)
		return -ENOMEM;

	int w = 0;
	words[w++] = a->argc;
	for (int i = 0; i < a->argc; i++)
		words[w++] = strings + a->offsets[i];
	words[w++] = 0;
	for (int i = 0; i < a->envc; i++)
		words[w++] = strings + a->offsets[a->argc + i];
	int err = vmspace_copyout(vs, strings, a->buf, a->used);
	if (!err)
		err = vmspace_copyout(vs, top, words, nwords * 8);
	kfree(words);
	*sp = top;
	return err;
}

static void exec_set_registers(struct proc *p, uint64_t entry, uint64_t sp)
{
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->rip = entry;
	p->tf->rsp = sp;
	p->tf->cs = SEL_UCODE;
	p->tf->ss = SEL_UDATA;
	p->tf->rflags = 0x202;                          /* IF set */
	fpu_reset_state(p->fpu);
	if (p == curproc())
		fpu_restore(p->fpu);
}

static void exec_set_name(struct proc *p, const char *path)
{
	const char *base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	strlcpy(p->name, base, sizeof(p->name));
}

/* Build the new image in a fresh vmspace; on success it is in *vsp. */
static int exec_build(const uint8_t *file, size_t size, struct vm_object *obj,
    const struct exec_args *a, struct vmspace **vsp, uint64_t *entry, uint64_t *sp,
    const char **why)
{
	uint64_t brk, data;
	struct vmspace *vs = vmspace_alloc();
	if (vs == NULL)
		return -ENOMEM;
	int err = elf_load(vs, file, size, obj, &brk, &data, why);
	if (!err)
		err = vm_map_anon_fixed(vs, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
		    PROT_READ | PROT_WRITE);
	if (!err)
		err = stack_build(vs, a, sp);
	if (err) {
		vmspace_free(vs);
		return err == -EFAULT ? -ENOEXEC : err;
	}
	vmspace_set_brk(vs, data, brk);
	*entry = ((const struct elf64_ehdr *)file)->e_entry;
	*vsp = vs;
	return 0;
}

static int exec_args_image(struct proc *p, const char *path, const struct exec_args *a)
{
	const void *data;
	size_t size;
	uint64_t entry, sp;
	struct vmspace *vs;

	struct vm_object *obj;
	const char *why = NULL;

	int err = bootfs_lookup_object(path, &data, &size, &obj);
	if (err)
		return err == -EISDIR ? -EACCES : err;
	why = elf_check_header(data, size);
	err = why ? -ENOEXEC : exec_build(data, size, obj, a, &vs, &entry, &sp, &why);
	if (obj != NULL)
		vm_object_deallocate(obj);      /* the new map's entries hold their own */
	if (err == -ENOEXEC)
		kprintf("vmos: pid %d: exec %s: ENOEXEC: %s\n", p->pid, path,
		    why ? why : "the image does not fit in its address space");
	if (err)
		return err;

	/* Point of no return: switch the process to the new image. */
	struct vmspace *old = p->vmspace;
	spinlock_acquire(&proc_table_lock);     /* others read p->vmspace under it */
	p->vmspace = vs;
	/* setpgid by the parent: EACCES from now.  Before the close-on-exec
	 * descriptors go: a parent that sees one close (the usual way to
	 * learn an exec happened) may call setpgid at once, on another CPU. */
	p->did_exec = true;
	spinlock_release(&proc_table_lock);
	if (p == curproc())
		vmspace_activate(vs);
	if (old)
		vmspace_free(old);
	if (p->fdtable)
		fdtable_exec(p->fdtable);
	exec_set_registers(p, entry, sp);
	signal_exec(p);
	exec_set_name(p, path);
	return 0;
}

int exec_image(struct proc *p, const char *path, char *const argv[], char *const envp[])
{
	struct exec_args a;
	int err = args_alloc(&a);
	if (err)
		return err;
	err = args_from_kernel(&a, argv, envp);
	if (!err)
		err = exec_args_image(p, path, &a);
	args_free(&a);
	return err;
}

/* Copy one user string straight into the strings buffer. */
static int args_add_user(struct exec_args *a, const char __user *us)
{
	if (a->argc + a->envc >= 2 * EXEC_MAX_ARGS)
		return -E2BIG;
	long len = copyinstr(us, a->buf + a->used, ARG_MAX - a->used);
	if (len < 0)
		return len == -ENAMETOOLONG ? -E2BIG : len;
	a->offsets[a->argc + a->envc] = a->used;
	a->used += len + 1;
	return 0;
}

/* Copy a NULL-terminated user array of user strings into a. */
static int args_from_user(struct exec_args *a, char *const *uv, int *count)
{
	for (int i = 0; uv != NULL; i++) {
		char *us;
		if (i >= EXEC_MAX_ARGS)
			return -E2BIG;
		if (copyin(&uv[i], &us, sizeof(us)) != 0)
			return -EFAULT;
		if (us == NULL)
			break;
		int err = args_add_user(a, us);
		if (err)
			return err;
		(*count)++;
	}
	return 0;
}

long sys_execve(const char *upath, char *const uargv[], char *const uenvp[])
{
	struct exec_args a;
	char *path = kmalloc(PATH_MAX, 0);
	long err = path ? args_alloc(&a) : -ENOMEM;
	if (err)
		goto out_free_path;
	err = copyinstr(upath, path, PATH_MAX);
	if (err >= 0)
		err = args_from_user(&a, uargv, &a.argc);
	if (err >= 0)
		err = args_from_user(&a, uenvp, &a.envc);
	if (err >= 0)
		err = exec_args_image(curproc(), path, &a);
	args_free(&a);
out_free_path:
	kfree(path);
	return err;
}
