/*
 * signal_test.c - signal handlers, the signal frame and rt_sigreturn,
 * siginfo from faults and kill, masks, waiting for signals, interrupted
 * system calls (EINTR and SA_RESTART), and the SIGALRM timers.
 *
 * Each case runs in its own forked child (testlib.h), so a case may
 * install handlers and timers freely.  Cases that must die (forged
 * sigreturn frames) fork once more and check the grandchild's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testlib.h"
#include "uapi/syscall.h"

#define PG 4096
#define SIGBIT(s) ((sigset_t)1 << ((s) - 1))

static volatile int hits, hits2, depth, max_depth;
static volatile char order[16];
static volatile int norder;
static siginfo_t last_info;
static sigjmp_buf jump;

static void note(char c)
{
	if (norder < (int)sizeof(order))
		order[norder++] = c;
}

static void on(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	CHECKF(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): errno %d", sig, errno);
}

static void on_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	CHECKF(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): errno %d", sig, errno);
}

static void count(int sig)
{
	(void)sig;
	hits++;
}

static void record_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last_info = *si;
	hits++;
}

static sigset_t mask_now(void)
{
	sigset_t m;
	CHECK(sigprocmask(SIG_BLOCK, NULL, &m) == 0);
	return m;
}

/* A one-shot ITIMER_REAL in ms. */
static void timer_ms(long ms)
{
	struct itimerval v;
	memset(&v, 0, sizeof(v));
	v.it_value.tv_sec = ms / 1000;
	v.it_value.tv_usec = (ms % 1000) * 1000;
	CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
}

/* ------------------------------------------------------------ handlers */

static void handler_runs_and_returns_with_siginfo(void)
{
	on_info(SIGUSR1, record_info, 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(hits == 1);
	CHECK(last_info.si_signo == SIGUSR1);
	CHECK(last_info.si_code == SI_USER);
	CHECKF(last_info.si_pid == getpid(), "si_pid %d", last_info.si_pid);
	CHECK(last_info.si_uid == getuid());
	/* The signal was blocked in the handler only. */
	CHECK((mask_now() & SIGBIT(SIGUSR1)) == 0);
}

/* Values every register holds across the loop below, and what it found. */
static uint64_t gpr_out[13];
static uint64_t xmm_in[32], xmm_out[32];
static volatile int ticks;

static void clobber_everything(int sig)
{
	(void)sig;
	ticks++;
	/* Everything a handler may change without saving it (and more). */
	__asm__ volatile(
	    "pcmpeqd %%xmm0, %%xmm0\n\t pcmpeqd %%xmm1, %%xmm1\n\t pcmpeqd %%xmm2, %%xmm2\n\t"
	    "pcmpeqd %%xmm3, %%xmm3\n\t pcmpeqd %%xmm4, %%xmm4\n\t pcmpeqd %%xmm5, %%xmm5\n\t"
	    "pcmpeqd %%xmm6, %%xmm6\n\t pcmpeqd %%xmm7, %%xmm7\n\t pcmpeqd %%xmm8, %%xmm8\n\t"
	    "pcmpeqd %%xmm9, %%xmm9\n\t pcmpeqd %%xmm10, %%xmm10\n\t pcmpeqd %%xmm11, %%xmm11\n\t"
	    "pcmpeqd %%xmm12, %%xmm12\n\t pcmpeqd %%xmm13, %%xmm13\n\t pcmpeqd %%xmm14, %%xmm14\n\t"
	    "pcmpeqd %%xmm15, %%xmm15\n\t"
	    "mov $-1, %%rax\n\t mov $-1, %%rcx\n\t mov $-1, %%rdx\n\t mov $-1, %%rsi\n\t"
	    "mov $-1, %%rdi\n\t mov $-1, %%r8\n\t mov $-1, %%r9\n\t mov $-1, %%r10\n\t"
	    "mov $-1, %%r11\n\t"
	    ::: "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
	    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
	    "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory");
}

/*
 * A timer interrupts a user-mode loop that holds known values in 13
 * general registers and all 16 xmm registers; its handler overwrites them
 * all.  After several signals, the loop's registers must be untouched.
 */
static void registers_and_sse_survive_a_handler(void)
{
	struct itimerval v = { { 0, 5000 }, { 0, 5000 } };
	uint64_t left;

	for (int i = 0; i < 32; i++)
		xmm_in[i] = 0x0101010101010101ull * (uint64_t)(i + 1);
	on(SIGALRM, clobber_everything, 0);
	CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
	__asm__ volatile(
	    "movdqu 0+%[x], %%xmm0\n\t  movdqu 16+%[x], %%xmm1\n\t movdqu 32+%[x], %%xmm2\n\t"
	    "movdqu 48+%[x], %%xmm3\n\t movdqu 64+%[x], %%xmm4\n\t movdqu 80+%[x], %%xmm5\n\t"
	    "movdqu 96+%[x], %%xmm6\n\t movdqu 112+%[x], %%xmm7\n\t movdqu 128+%[x], %%xmm8\n\t"
	    "movdqu 144+%[x], %%xmm9\n\t movdqu 160+%[x], %%xmm10\n\t movdqu 176+%[x], %%xmm11\n\t"
	    "movdqu 192+%[x], %%xmm12\n\t movdqu 208+%[x], %%xmm13\n\t movdqu 224+%[x], %%xmm14\n\t"
	    "movdqu 240+%[x], %%xmm15\n\t"
	    "movabs $0x1111111111111111, %%rbx\n\t movabs $0x2222222222222222, %%rcx\n\t"
	    "movabs $0x3333333333333333, %%rdx\n\t movabs $0x4444444444444444, %%rsi\n\t"
	    "movabs $0x5555555555555555, %%rdi\n\t movabs $0x6666666666666666, %%r8\n\t"
	    "movabs $0x7777777777777777, %%r9\n\t movabs $0x8888888888888888, %%r10\n\t"
	    "movabs $0x9999999999999999, %%r11\n\t movabs $0xaaaaaaaaaaaaaaaa, %%r12\n\t"
	    "movabs $0xbbbbbbbbbbbbbbbb, %%r13\n\t movabs $0xcccccccccccccccc, %%r14\n\t"
	    "movabs $0xdddddddddddddddd, %%r15\n\t"
	    "mov $2000000000, %%rax\n"
	    "1:\n\t"
	    "cmpl $4, %[t]\n\t"
	    "jae 2f\n\t"
	    "dec %%rax\n\t"
	    "jnz 1b\n"
	    "2:\n\t"
	    "mov %%rax, %[left]\n\t"
	    "mov %%rbx, 0+%[g]\n\t mov %%rcx, 8+%[g]\n\t mov %%rdx, 16+%[g]\n\t"
	    "mov %%rsi, 24+%[g]\n\t mov %%rdi, 32+%[g]\n\t mov %%r8, 40+%[g]\n\t"
	    "mov %%r9, 48+%[g]\n\t mov %%r10, 56+%[g]\n\t mov %%r11, 64+%[g]\n\t"
	    "mov %%r12, 72+%[g]\n\t mov %%r13, 80+%[g]\n\t mov %%r14, 88+%[g]\n\t"
	    "mov %%r15, 96+%[g]\n\t"
	    "movdqu %%xmm0, 0+%[xo]\n\t  movdqu %%xmm1, 16+%[xo]\n\t movdqu %%xmm2, 32+%[xo]\n\t"
	    "movdqu %%xmm3, 48+%[xo]\n\t movdqu %%xmm4, 64+%[xo]\n\t movdqu %%xmm5, 80+%[xo]\n\t"
	    "movdqu %%xmm6, 96+%[xo]\n\t movdqu %%xmm7, 112+%[xo]\n\t movdqu %%xmm8, 128+%[xo]\n\t"
	    "movdqu %%xmm9, 144+%[xo]\n\t movdqu %%xmm10, 160+%[xo]\n\t movdqu %%xmm11, 176+%[xo]\n\t"
	    "movdqu %%xmm12, 192+%[xo]\n\t movdqu %%xmm13, 208+%[xo]\n\t movdqu %%xmm14, 224+%[xo]\n\t"
	    "movdqu %%xmm15, 240+%[xo]\n\t"
	    : [left] "=m"(left), [g] "=m"(gpr_out), [xo] "=m"(xmm_out)
	    : [x] "m"(xmm_in), [t] "m"(ticks)
	    : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
	      "r14", "r15", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
	      "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
	timer_ms(0);
	CHECKF(left != 0, "the timer never fired 4 times (%d)", ticks);
	static const uint64_t want[13] = {
		0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444,
		0x5555555555555555, 0x6666666666666666, 0x7777777777777777, 0x8888888888888888,
		0x9999999999999999, 0xaaaaaaaaaaaaaaaa, 0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc,
		0xdddddddddddddddd,
	};
	for (int i = 0; i < 13; i++)
		CHECKF(gpr_out[i] == want[i], "register %d: %#lx", i, (unsigned long)gpr_out[i]);
	for (int i = 0; i < 32; i++)
		CHECKF(xmm_out[i] == xmm_in[i], "xmm%d: %#lx", i / 2, (unsigned long)xmm_out[i]);
}

/* ------------------------------------------------ faults and siginfo */

static void fault_jump(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	(void)sig;
	last_info = *si;
	siglongjmp(jump, 1);
}

static void touch(volatile char *p, int write)
{
	if (write)
		*p = 1;
	else
		(void)*p;
}

/* Fault at p (reading or writing); the handler siglongjmps back. */
static void fault_at(volatile char *p, int write, int sig)
{
	memset(&last_info, 0, sizeof(last_info));
	on_info(sig, fault_jump, 0);
	if (sigsetjmp(jump, 1) == 0) {
		touch(p, write);
		FAIL("no signal at %p", (void *)p);
	}
	/* siglongjmp put back the mask from before the fault. */
	CHECK((mask_now() & SIGBIT(sig)) == 0);
	CHECK(last_info.si_signo == sig);
	CHECKF(last_info.si_addr == (void *)p, "si_addr %p, not %p", last_info.si_addr, (void *)p);
}

static void sigbus_past_shm_end_has_addr_and_code(void)
{
	int fd = shm_open(SHM_ANON, O_RDWR, 0600);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, PG) == 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 1;
	fault_at(p + PG + 100, 0, SIGBUS);
	CHECKF(last_info.si_code == BUS_ADRERR, "si_code %d", last_info.si_code);
	/* And again: the handler is still there, the mask is right. */
	fault_at(p + PG + 8, 1, SIGBUS);
	CHECK(munmap(p, 2 * PG) == 0);
	CHECK(close(fd) == 0);
}

static void sigsegv_unmapped_is_maperr(void)
{
	char *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(munmap(p, PG) == 0);
	fault_at(p + 12, 0, SIGSEGV);
	CHECKF(last_info.si_code == SEGV_MAPERR, "si_code %d", last_info.si_code);
}

static void sigsegv_readonly_write_is_accerr(void)
{
	char *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fault_at(p + 8, 1, SIGSEGV);                    /* never touched: no page yet */
	CHECKF(last_info.si_code == SEGV_ACCERR, "si_code %d", last_info.si_code);
	(void)*(volatile char *)p;                      /* now a page is mapped */
	fault_at(p + 16, 1, SIGSEGV);
	CHECKF(last_info.si_code == SEGV_ACCERR, "si_code %d", last_info.si_code);
	char *q = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	fault_at(q, 0, SIGSEGV);
	CHECKF(last_info.si_code == SEGV_ACCERR, "PROT_NONE: si_code %d", last_info.si_code);
	CHECK(munmap(p, PG) == 0 && munmap(q, PG) == 0);
}

static void blocked_fault_signal_kills(void *arg)
{
	(void)arg;
	on_info(SIGSEGV, fault_jump, 0);
	sigset_t m = SIGBIT(SIGSEGV);
	sigprocmask(SIG_BLOCK, &m, NULL);
	touch(test_addr(8), 0);
}

static void a_blocked_fault_signal_still_kills(void)
{
	expect_signal(blocked_fault_signal_kills, NULL, SIGSEGV);
}

/* ------------------------------------------------- forged sigreturn */

enum forgery {
	F_KERNEL_CS, F_KERNEL_SS, F_UCODE32_CS, F_NULL_SS, F_IOPL, F_IF_CLEAR, F_NT, F_VM,
	F_NONCANONICAL_RIP, F_KERNEL_RIP, F_BAD_MXCSR, F_BAD_FPREGS, F_NFORGERIES
};

static enum forgery forgery;

static void forge(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	long long *g = uc->uc_mcontext.gregs;
	(void)sig;
	(void)si;
	switch (forgery) {
	case F_KERNEL_CS: g[REG_CSGSFS] = (g[REG_CSGSFS] & ~0xffffll) | 0x08; break;
	case F_KERNEL_SS: g[REG_CSGSFS] = (g[REG_CSGSFS] & 0xffffffffffffll) | (0x10ll << 48); break;
	case F_UCODE32_CS: g[REG_CSGSFS] = (g[REG_CSGSFS] & ~0xffffll) | 0x1b; break;
	case F_NULL_SS: g[REG_CSGSFS] = (g[REG_CSGSFS] & 0xffffffffffffll) | (0x3ll << 48); break;
	case F_IOPL: g[REG_EFL] |= 0x3000; break;
	case F_IF_CLEAR: g[REG_EFL] &= ~0x200ll; break;
	case F_NT: g[REG_EFL] |= 0x4000; break;
	case F_VM: g[REG_EFL] |= 0x20000; break;
	case F_NONCANONICAL_RIP: g[REG_RIP] = 0x0000800000000000ll; break;
	case F_KERNEL_RIP: g[REG_RIP] = (long long)0xffffffff80100000ull; break;
	case F_BAD_MXCSR: uc->uc_mcontext.fpregs->mxcsr = 0xffffffff; break;
	case F_BAD_FPREGS: uc->uc_mcontext.fpregs = (void *)16; break;
	default: break;
	}
}

static void forged_child(void *arg)
{
	forgery = (enum forgery)(long)arg;
	on_info(SIGUSR1, forge, 0);
	raise(SIGUSR1);
	_exit(3);                       /* the forged frame was taken */
}

static void forged_sigreturn_frames_kill_only_the_process(void)
{
	for (long f = 0; f < F_NFORGERIES; f++) {
		int st = run_in_child(forged_child, (void *)f);
		CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
		    "forgery %ld: status %#x", f, st);
	}
	/* An untouched frame returns normally. */
	forgery = F_NFORGERIES;
	on_info(SIGUSR1, forge, 0);
	CHECK(raise(SIGUSR1) == 0);
}

static void sigreturn_from_bad_stack(void *arg)
{
	(void)arg;
	__asm__ volatile("mov $16, %%rsp\n\t mov %0, %%eax\n\t syscall\n\t ud2"
	    :: "i"(SYS_rt_sigreturn) : "memory");
}

static void sigreturn_without_a_frame_kills(void)
{
	expect_signal(sigreturn_from_bad_stack, NULL, SIGSEGV);
}

static void skip_rip(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	(void)si;
	last_info = *si;
	hits2 = (int)(uc->uc_mcontext.gregs[REG_RIP] == (long long)si->si_addr);
	uc->uc_mcontext.gregs[REG_RIP] += 2;    /* over the 2-byte `ud2` */
	uc->uc_mcontext.gregs[REG_RBX] = 42;
}

static void handler_may_change_the_registers_it_returns_to(void)
{
	long rbx;
	on_info(SIGILL, skip_rip, 0);
	__asm__ volatile("xor %%ebx, %%ebx\n\t ud2\n\t mov %%rbx, %0" : "=r"(rbx) :: "rbx");
	CHECKF(rbx == 42, "rbx %ld", rbx);
	CHECK(last_info.si_signo == SIGILL && last_info.si_code == ILL_ILLOPN);
	CHECK(hits2 == 1);              /* si_addr is the faulting instruction */
}

static void skip_idiv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	last_info = *si;
	uc->uc_mcontext.gregs[REG_RIP] += 3;    /* over `idiv %rcx` (48 f7 f9) */
	uc->uc_mcontext.gregs[REG_RAX] = -7;
}

static void divide_by_zero_is_sigfpe_intdiv(void)
{
	long q;
	on_info(SIGFPE, skip_idiv, 0);
	__asm__ volatile("mov $10, %%rax\n\t cqo\n\t xor %%ecx, %%ecx\n\t idiv %%rcx\n\t"
	    "mov %%rax, %0" : "=r"(q) :: "rax", "rcx", "rdx");
	CHECKF(q == -7, "q %ld", q);
	CHECK(last_info.si_signo == SIGFPE && last_info.si_code == FPE_INTDIV);
}

/* ------------------------------------------- nesting and masks (POSIX) */

static void usr2_note(int sig)
{
	(void)sig;
	note('2');
}

static void usr1_raises_usr2(int sig)
{
	(void)sig;
	note('1');
	raise(SIGUSR2);
	note('e');
}

static void nested_signal_runs_inside_the_handler(void)
{
	on(SIGUSR1, usr1_raises_usr2, 0);
	on(SIGUSR2, usr2_note, 0);
	raise(SIGUSR1);
	CHECKF(norder == 3 && order[0] == '1' && order[1] == '2' && order[2] == 'e',
	    "order %.3s", (const char *)order);
}

static void sa_mask_defers_a_signal_until_the_handler_returns(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr1_raises_usr2;
	sa.sa_mask = SIGBIT(SIGUSR2);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	on(SIGUSR2, usr2_note, 0);
	raise(SIGUSR1);
	CHECKF(norder == 3 && order[0] == '1' && order[1] == 'e' && order[2] == '2',
	    "order %.3s", (const char *)order);
	CHECK(mask_now() == 0);
}

static void reenter(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (++hits < 3)
		raise(sig);
	/* Inside: the signal is blocked unless SA_NODEFER. */
	hits2 |= (mask_now() & SIGBIT(sig)) ? 1 : 2;
	depth--;
}

static void a_handler_blocks_its_own_signal(void)
{
	on(SIGUSR1, reenter, 0);
	raise(SIGUSR1);
	CHECK(hits == 3);
	CHECKF(max_depth == 1, "max depth %d", max_depth);
	CHECK(hits2 == 1);
}

static void sa_nodefer_lets_a_handler_nest(void)
{
	on(SIGUSR1, reenter, SA_NODEFER);
	raise(SIGUSR1);
	CHECK(hits == 3);
	CHECKF(max_depth == 3, "max depth %d", max_depth);
	CHECK(hits2 == 2);
}

static void raise_twice(void *arg)
{
	(void)arg;
	on(SIGUSR1, count, SA_RESETHAND);
	raise(SIGUSR1);
	if (hits != 1)
		_exit(4);
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	if (old.sa_handler != SIG_DFL)
		_exit(5);
	raise(SIGUSR1);                 /* the default action: death */
	_exit(6);
}

static void sa_resethand_runs_the_handler_once(void)
{
	expect_signal(raise_twice, NULL, SIGUSR1);
}

static void sigkill_and_sigstop_cannot_be_caught_or_blocked(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
	sigset_t all = ~(sigset_t)0;
	CHECK(sigprocmask(SIG_SETMASK, &all, NULL) == 0);
	sigset_t m = mask_now();
	CHECK((m & SIGBIT(SIGKILL)) == 0 && (m & SIGBIT(SIGSTOP)) == 0);
	CHECK((m & SIGBIT(SIGUSR1)) != 0);
	/* A handler's sa_mask cannot block them either. */
	sa.sa_handler = count;
	sa.sa_mask = all;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	struct sigaction old;
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0);
	CHECK((old.sa_mask & SIGBIT(SIGKILL)) == 0);
}

static void bad_arguments_are_refused(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	CHECK_ERR(sigaction(0, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(NSIG, &sa, NULL), EINVAL);
	CHECK_ERR(sigaction(-1, &sa, NULL), EINVAL);
	/* (libc's sigaction reads *act itself: the raw call sees the pointer) */
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, test_addr(16), NULL, sizeof(sigset_t)), EFAULT);
	CHECK_ERR(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
	CHECK_ERR(sigaction(SIGUSR1, NULL, test_addr(16)), EFAULT);
	CHECK_ERR(kill(getpid(), NSIG), EINVAL);
	CHECK_ERR(kill(getpid(), -1), EINVAL);
	sigset_t m = 0;
	CHECK_ERR(sigprocmask(7, &m, NULL), EINVAL);
	CHECK_ERR(sigprocmask(SIG_BLOCK, test_addr(16), NULL), EFAULT);
	CHECK_ERR(sigpending(test_addr(16)), EFAULT);
	CHECK_ERR(sigsuspend(test_addr(16)), EFAULT);
	CHECK_ERR(sigtimedwait(test_addr(16), NULL, NULL), EFAULT);
	struct timespec bad = { 0, 2000000000 };
	CHECK_ERR(sigtimedwait(&m, NULL, &bad), EINVAL);
	CHECK_ERR(sigaltstack(test_addr(16), NULL), EFAULT);
	stack_t ss = { malloc(1024), 0, 1024 };
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_flags = 0x100;
	ss.ss_size = SIGSTKSZ;
	CHECK_ERR(sigaltstack(&ss, NULL), EINVAL);
	free(ss.ss_sp);
	struct itimerval v = { { 0, 0 }, { 0, 1000000 } };
	CHECK_ERR(setitimer(ITIMER_REAL, &v, NULL), EINVAL);
	CHECK_ERR(setitimer(ITIMER_VIRTUAL, NULL, NULL), EINVAL);
	CHECK_ERR(setitimer(ITIMER_REAL, test_addr(16), NULL), EFAULT);
	CHECK_ERR(getitimer(ITIMER_REAL, test_addr(16)), EFAULT);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, test_addr(16), NULL) == EFAULT);
	CHECK(clock_nanosleep(99, 0, &bad, NULL) == EINVAL);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL) == EINVAL);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0x10, &bad, NULL) == EINVAL);
}

/* A handler without a restorer could not return: rt_sigaction takes it
 * (as Linux does), but delivering to it kills the process. */
static void no_restorer(void *arg)
{
	(void)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	syscall(SYS_rt_sigaction, SIGUSR1, &sa, NULL, sizeof(sigset_t));
	raise(SIGUSR1);
	_exit(2);
}

static void a_handler_without_restorer_kills(void)
{
	expect_signal(no_restorer, NULL, SIGSEGV);
}

/* -------------------------------------------------- waiting for signals */

static void sigpending_and_sigwait_take_a_blocked_signal(void)
{
	sigset_t set = SIGBIT(SIGUSR1), pend;
	on(SIGUSR1, count, 0);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(hits == 0);
	CHECK(sigpending(&pend) == 0);
	CHECK(pend == SIGBIT(SIGUSR1));
	int sig = 0;
	CHECK(sigwait(&set, &sig) == 0);
	CHECK(sig == SIGUSR1);
	CHECK(hits == 0);               /* taken, not delivered */
	CHECK(sigpending(&pend) == 0 && pend == 0);
	struct timespec ts = { 0, 20000000 };
	uint64_t t0 = test_now_ns();
	CHECK_ERR(sigtimedwait(&set, NULL, &ts), EAGAIN);
	CHECK(test_now_ns() - t0 >= 20000000);
}

/* sigwait takes a signal whose action is to be ignored (POSIX: the
 * signal must be blocked, not discarded) even when it comes during the wait. */
static void sigwait_takes_an_ignored_by_default_signal(void)
{
	sigset_t set = SIGBIT(SIGURG);
	struct timespec ts = { 2, 0 };
	siginfo_t si;
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		struct timespec d = { 0, 30000000 };
		nanosleep(&d, NULL);
		CHECK(kill(getppid(), SIGURG) == 0);
		_exit(0);
	}
	CHECKF(sigtimedwait(&set, &si, &ts) == SIGURG, "errno %d", errno);
	CHECK(si.si_pid == pid);
	CHECK(test_wait(pid) == 0);
}

static void kill_fills_si_pid_and_si_uid(void)
{
	sigset_t set = SIGBIT(SIGUSR1);
	siginfo_t si;
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	pid_t pid = test_fork();
	if (pid == 0) {
		CHECK(kill(getppid(), SIGUSR1) == 0);
		_exit(0);
	}
	CHECK(sigwaitinfo(&set, &si) == SIGUSR1);
	CHECK(si.si_signo == SIGUSR1 && si.si_code == SI_USER);
	CHECKF(si.si_pid == pid, "si_pid %d, child %d", si.si_pid, pid);
	CHECK(si.si_uid == getuid());
	CHECK(test_wait(pid) == 0);
}

static void sigsuspend_waits_and_restores_the_mask(void)
{
	sigset_t set = SIGBIT(SIGALRM), empty = 0;
	on(SIGALRM, count, 0);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	timer_ms(20);
	CHECK_ERR(sigsuspend(&empty), EINTR);
	CHECK(hits == 1);
	CHECK(mask_now() == SIGBIT(SIGALRM));
}

/* ----------------------------------------- interrupted calls, restart */

static int pipe_w = -1;

static void write_to_pipe(int sig)
{
	(void)sig;
	hits++;
	if (pipe_w >= 0)
		(void)write(pipe_w, "x", 1);
}

static void pipe_read_eintr_or_restart(int flags)
{
	int fds[2];
	char c = 0;
	CHECK(pipe(fds) == 0);
	pipe_w = fds[1];
	on(SIGALRM, write_to_pipe, flags);
	timer_ms(20);
	ssize_t n = read(fds[0], &c, 1);
	CHECK(hits == 1);
	if (flags & SA_RESTART) {
		CHECKF(n == 1 && c == 'x', "read %ld errno %d", (long)n, errno);
	} else {
		CHECKF(n == -1 && errno == EINTR, "read %ld errno %d", (long)n, errno);
		CHECK(read(fds[0], &c, 1) == 1 && c == 'x');
	}
	close(fds[0]);
	close(fds[1]);
}

static void pipe_read_returns_eintr(void)
{
	pipe_read_eintr_or_restart(0);
}

static void pipe_read_restarts_under_sa_restart(void)
{
	pipe_read_eintr_or_restart(SA_RESTART);
}

#define SOCK_PATH "/tmp/signal_test.sock"

static void connect_in_handler(int sig)
{
	(void)sig;
	hits++;
	struct sockaddr_un sun;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, SOCK_PATH);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		hits2 = s;
}

static void accept_eintr_or_restart(int flags)
{
	struct sockaddr_un sun;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, SOCK_PATH);
	unlink(SOCK_PATH);
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(l >= 0);
	CHECK(bind(l, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	CHECK(listen(l, 4) == 0);
	on(SIGALRM, connect_in_handler, flags);
	timer_ms(20);
	int a = accept(l, NULL, NULL);
	CHECK(hits == 1 && hits2 > 0);
	if (flags & SA_RESTART) {
		CHECKF(a >= 0, "accept errno %d", errno);
	} else {
		CHECKF(a == -1 && errno == EINTR, "accept %d errno %d", a, errno);
		a = accept(l, NULL, NULL);
		CHECK(a >= 0);
	}
	close(a);
	close(hits2);
	close(l);
	CHECK(unlink(SOCK_PATH) == 0);
}

static void accept_returns_eintr(void)
{
	accept_eintr_or_restart(0);
}

static void accept_restarts_under_sa_restart(void)
{
	accept_eintr_or_restart(SA_RESTART);
}

static void wait_eintr_or_restart(int flags)
{
	int st;
	on(SIGALRM, count, flags);
	pid_t pid = test_fork();
	if (pid == 0) {
		struct timespec ts = { 0, 150000000 };
		nanosleep(&ts, NULL);
		_exit(7);
	}
	timer_ms(20);
	pid_t r = waitpid(pid, &st, 0);
	CHECK(hits == 1);
	if (flags & SA_RESTART) {
		CHECKF(r == pid, "waitpid %d errno %d", r, errno);
	} else {
		CHECKF(r == -1 && errno == EINTR, "waitpid %d errno %d", r, errno);
		st = test_wait(pid);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

static void wait_returns_eintr(void)
{
	wait_eintr_or_restart(0);
}

static void wait_restarts_under_sa_restart(void)
{
	wait_eintr_or_restart(SA_RESTART);
}

static void nanosleep_reports_the_time_left(void)
{
	struct timespec req = { 1, 0 }, rem = { 0, 0 };
	on(SIGALRM, count, SA_RESTART);         /* nanosleep is never restarted */
	timer_ms(50);
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	long left = rem.tv_sec * 1000 + rem.tv_nsec / 1000000;
	CHECKF(left > 500 && left < 1000, "left %ld ms", left);
}

static void clock_nanosleep_relative_and_absolute(void)
{
	struct timespec ts = { 0, 20000000 }, now;
	uint64_t t0 = test_now_ns();
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL) == 0);
	CHECK(test_now_ns() - t0 >= 20000000);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
	now.tv_nsec += 30000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	t0 = test_now_ns();
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL) == 0);
	CHECK(test_now_ns() - t0 >= 20000000);
	/* A deadline in the past returns at once. */
	now.tv_sec = 0;
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL) == 0);
	/* Interrupted, a relative sleep says how long was left. */
	struct timespec req = { 1, 0 }, rem = { 0, 0 };
	on(SIGALRM, count, 0);
	timer_ms(30);
	CHECK(clock_nanosleep(CLOCK_REALTIME, 0, &req, &rem) == EINTR);
	CHECK(rem.tv_sec == 0 && rem.tv_nsec > 500000000);
}

/* ------------------------------------------------------------- timers */

static void alarm_interrupts_a_blocking_read(void)
{
	int fds[2];
	char c;
	CHECK(pipe(fds) == 0);
	on(SIGALRM, count, 0);
	CHECK(alarm(1) == 0);
	CHECK(alarm(1) == 1);           /* the previous one had ~1 s left */
	uint64_t t0 = test_now_ns();
	CHECK_ERR(read(fds[0], &c, 1), EINTR);
	uint64_t ms = (test_now_ns() - t0) / 1000000;
	CHECK(hits == 1);
	CHECKF(ms >= 900 && ms < 3000, "%lu ms", (unsigned long)ms);
	CHECK(alarm(0) == 0);
	close(fds[0]);
	close(fds[1]);
}

static void setitimer_delivers_repeatedly(void)
{
	struct itimerval v = { { 0, 10000 }, { 0, 10000 } }, got;
	sigset_t set = SIGBIT(SIGALRM), empty = 0;
	on(SIGALRM, count, 0);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &got) == 0);
	CHECK(got.it_interval.tv_usec == 10000);
	CHECK(got.it_value.tv_sec == 0 && got.it_value.tv_usec > 0 && got.it_value.tv_usec <= 10000);
	while (hits < 5)
		sigsuspend(&empty);
	memset(&v, 0, sizeof(v));
	CHECK(setitimer(ITIMER_REAL, &v, &got) == 0);
	CHECK(got.it_interval.tv_usec == 10000);
	CHECK(getitimer(ITIMER_REAL, &got) == 0);
	CHECK(got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0);
}

/* ------------------------------------------------- alternate stack, abort */

static char *alt_base;
static volatile uintptr_t alt_sp;
static volatile int alt_flags;

static void on_altstack(int sig)
{
	char here;
	stack_t ss;
	(void)sig;
	alt_sp = (uintptr_t)&here;
	if (sigaltstack(NULL, &ss) == 0)
		alt_flags = ss.ss_flags;
	stack_t other = { alt_base, 0, SIGSTKSZ };
	if (sigaltstack(&other, NULL) == -1 && errno == EPERM)
		hits2 = 1;
	hits++;
}

static void sa_onstack_runs_on_the_alternate_stack(void)
{
	alt_base = malloc(SIGSTKSZ);
	CHECK(alt_base != NULL);
	stack_t ss = { alt_base, 0, SIGSTKSZ }, old;
	CHECK(sigaltstack(&ss, &old) == 0);
	CHECK(old.ss_flags == SS_DISABLE);
	on(SIGUSR1, on_altstack, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(hits == 1);
	CHECKF(alt_sp > (uintptr_t)alt_base && alt_sp < (uintptr_t)alt_base + SIGSTKSZ,
	    "handler's stack %#lx", (unsigned long)alt_sp);
	CHECK(alt_flags == SS_ONSTACK);
	CHECK(hits2 == 1);              /* EPERM while on it */
	/* Without SA_ONSTACK, the ordinary stack. */
	on(SIGUSR1, on_altstack, 0);
	raise(SIGUSR1);
	CHECK(!(alt_sp > (uintptr_t)alt_base && alt_sp < (uintptr_t)alt_base + SIGSTKSZ));
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE);
	free(alt_base);
}

static int abort_pipe = -1;

static void abort_handler(int sig)
{
	(void)sig;
	(void)write(abort_pipe, "a", 1);
}

static void abort_child(void *arg)
{
	(void)arg;
	on(SIGABRT, abort_handler, 0);
	abort();
}

static void abort_runs_the_handler_then_dies_by_sigabrt(void)
{
	int fds[2];
	char c = 0;
	CHECK(pipe(fds) == 0);
	abort_pipe = fds[1];
	expect_signal(abort_child, NULL, SIGABRT);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'a');
	close(fds[0]);
	close(fds[1]);
}

static void strsignal_and_psignal(void)
{
	CHECK(strcmp(strsignal(SIGSEGV), "Segmentation fault") == 0);
	CHECK(strncmp(strsignal(99), "Unknown signal", 14) == 0);
	psignal(SIGINT, "signal_test");
}

static const struct test_case cases[] = {
	TEST_CASE(handler_runs_and_returns_with_siginfo),
	TEST_CASE(registers_and_sse_survive_a_handler),
	TEST_CASE(sigbus_past_shm_end_has_addr_and_code),
	TEST_CASE(sigsegv_unmapped_is_maperr),
	TEST_CASE(sigsegv_readonly_write_is_accerr),
	TEST_CASE(a_blocked_fault_signal_still_kills),
	TEST_CASE(forged_sigreturn_frames_kill_only_the_process),
	TEST_CASE(sigreturn_without_a_frame_kills),
	TEST_CASE(handler_may_change_the_registers_it_returns_to),
	TEST_CASE(divide_by_zero_is_sigfpe_intdiv),
	TEST_CASE(nested_signal_runs_inside_the_handler),
	TEST_CASE(sa_mask_defers_a_signal_until_the_handler_returns),
	TEST_CASE(a_handler_blocks_its_own_signal),
	TEST_CASE(sa_nodefer_lets_a_handler_nest),
	TEST_CASE(sa_resethand_runs_the_handler_once),
	TEST_CASE(sigkill_and_sigstop_cannot_be_caught_or_blocked),
	TEST_CASE(bad_arguments_are_refused),
	TEST_CASE(a_handler_without_restorer_kills),
	TEST_CASE(sigpending_and_sigwait_take_a_blocked_signal),
	TEST_CASE(sigwait_takes_an_ignored_by_default_signal),
	TEST_CASE(kill_fills_si_pid_and_si_uid),
	TEST_CASE(sigsuspend_waits_and_restores_the_mask),
	TEST_CASE(pipe_read_returns_eintr),
	TEST_CASE(pipe_read_restarts_under_sa_restart),
	TEST_CASE(accept_returns_eintr),
	TEST_CASE(accept_restarts_under_sa_restart),
	TEST_CASE(wait_returns_eintr),
	TEST_CASE(wait_restarts_under_sa_restart),
	TEST_CASE(nanosleep_reports_the_time_left),
	TEST_CASE(clock_nanosleep_relative_and_absolute),
	TEST_CASE(alarm_interrupts_a_blocking_read),
	TEST_CASE(setitimer_delivers_repeatedly),
	TEST_CASE(sa_onstack_runs_on_the_alternate_stack),
	TEST_CASE(abort_runs_the_handler_then_dies_by_sigabrt),
	TEST_CASE(strsignal_and_psignal),
};

int main(int argc, char **argv)
{
	return test_main("signal", cases, TEST_COUNT(cases), argc, argv);
}
