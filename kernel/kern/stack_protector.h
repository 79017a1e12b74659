/*
 * stack_protector.h - the canary behind -fstack-protector-strong.
 */
#ifndef KERN_STACK_PROTECTOR_H
#define KERN_STACK_PROTECTOR_H

void stack_protector_init(void);
void __stack_chk_fail(void) __attribute__((noreturn));

#endif
