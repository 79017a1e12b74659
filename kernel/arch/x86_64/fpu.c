/*
 * fpu.c - enable SSE and save/restore user floating-point state (fpu.h).
 */
#include "kern/kernel.h"
#include "kern/string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"

#define CR0_MP      (1ul << 1)
#define CR0_EM      (1ul << 2)
#define CR0_TS      (1ul << 3)
#define CR4_OSFXSR  (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

static uint8_t clean_state[FPU_STATE_SIZE] __attribute__((aligned(16)));
static uint32_t mxcsr_mask;             /* MXCSR bits this CPU implements */

/* Where fxsave puts MXCSR and MXCSR_MASK in its 512-byte image. */
#define FX_MXCSR      24
#define FX_MXCSR_MASK 28

void fpu_save(uint8_t *area)
{
	__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory");
}

void fpu_init(void)
{
	fpu_init_ap();
	fpu_save(clean_state);
	memcpy(&mxcsr_mask, clean_state + FX_MXCSR_MASK, 4);
	if (mxcsr_mask == 0)
		mxcsr_mask = 0xffbf;    /* what the SDM says a 0 there means */
}

/* An AP's half of fpu_init: its own CR0, CR4 and x87/SSE state (the
 * clean state and the MXCSR mask are the BSP's, the same CPU model). */
void fpu_init_ap(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	uint32_t mxcsr = 0x1f80;                /* all SSE exceptions masked */
	__asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
}

bool fpu_state_valid(const uint8_t *area)
{
	uint32_t mxcsr;
	memcpy(&mxcsr, area + FX_MXCSR, 4);
	return (mxcsr & ~mxcsr_mask) == 0;
}

void fpu_reset_state(uint8_t *area)
{
	memcpy(area, clean_state, FPU_STATE_SIZE);
}
