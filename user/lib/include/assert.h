/*
 * assert.h - assert(cond): if cond is false, print the condition, file,
 * line and function on stderr and abort().  Compiled out under NDEBUG.
 * (No include guard: the standard lets a program re-include it after
 * changing NDEBUG.)
 */
#undef assert
#ifdef NDEBUG
#define assert(cond) ((void)0)
#else
#define assert(cond) \
	((cond) ? (void)0 : __assert_fail(#cond, __FILE__, __LINE__, __func__))
#endif

#ifndef _ASSERT_H_DECLS
#define _ASSERT_H_DECLS
void __assert_fail(const char *cond, const char *file, int line,
		   const char *func) __attribute__((noreturn));
#define static_assert _Static_assert
#endif
