/*
 * fpu.h - the x87/SSE register state of user programs.
 *
 * User code uses SSE (gcc emits it for copies and floating point); the
 * kernel never does (-mno-sse).  So the state only has to be saved when a
 * process is switched out and restored when it is switched in: fxsave and
 * fxrstor of a 512-byte area in struct proc.
 */
#ifndef ARCH_X86_64_FPU_H
#define ARCH_X86_64_FPU_H

#include <stdint.h>
#include <stdbool.h>

#define FPU_STATE_SIZE 512

void fpu_init(void);                            /* enable SSE; record the clean state */
void fpu_init_ap(void);                         /* enable SSE on an AP, after fpu_init */
void fpu_save(uint8_t *area);
void fpu_restore(const uint8_t *area);
void fpu_reset_state(uint8_t *area);            /* the state a new program starts with */
/* May fxrstor load area?  (It faults on reserved MXCSR bits: a user's
 * signal frame must be checked first.) */
bool fpu_state_valid(const uint8_t *area);

#endif
