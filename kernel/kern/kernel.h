/*
 * kernel.h - the handful of macros every kernel file uses: sizes and
 * rounding, container_of, KASSERT and panic.  Include it first.
 */
#ifndef KERN_KERNEL_H
#define KERN_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)          ((a) < (b) ? (a) : (b))
#define MAX(a, b)          ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)      ((((x) + (a) - 1) / (a)) * (a))
#define ROUNDDOWN(x, a)    (((x) / (a)) * (a))
#define IS_POWER_OF_2(x)   ((x) != 0 && ((x) & ((x) - 1)) == 0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x)          __builtin_expect(!!(x), 1)
#define __unused           __attribute__((unused))
#define unlikely(x)        __builtin_expect(!!(x), 0)
#define __noreturn         __attribute__((noreturn))
#define __printflike(f, a) __attribute__((format(printf, f, a)))

#define KiB                1024ul
#define MiB                (1024ul * KiB)
#define GiB                (1024ul * MiB)

void panic(const char *fmt, ...) __noreturn __printflike(1, 2);

/*
 * KASSERT(cond, "fmt", ...): a hard invariant.  The message names the
 * function first, e.g. KASSERT(n > 0, "vm_page_free: n=%d", n).
 */
#define KASSERT(cond, ...) do { \
		if (unlikely(!(cond))) \
			panic("assertion \"%s\" failed at %s:%d: %s", #cond, __FILE__, \
			    __LINE__, kassert_msg(__VA_ARGS__)); \
	} while (0)
const char *kassert_msg(const char *fmt, ...) __printflike(1, 2);

#endif
