/*
 * stdatomic.h - C11 atomics, mapped onto the compiler's __atomic built-ins.
 *
 * Each generic operation is a macro over the matching __atomic_*_n
 * built-in, which works on any 1, 2, 4 or 8-byte integer or pointer
 * object (with or without _Atomic).  vmos processes have one thread, but
 * atomics still matter for memory shared between processes (shm, fork +
 * MAP_SHARED).
 */
#ifndef _STDATOMIC_H
#define _STDATOMIC_H

typedef enum {
	memory_order_relaxed = __ATOMIC_RELAXED,
	memory_order_consume = __ATOMIC_CONSUME,
	memory_order_acquire = __ATOMIC_ACQUIRE,
	memory_order_release = __ATOMIC_RELEASE,
	memory_order_acq_rel = __ATOMIC_ACQ_REL,
	memory_order_seq_cst = __ATOMIC_SEQ_CST
} memory_order;

typedef _Atomic _Bool              atomic_bool;
typedef _Atomic char               atomic_char;
typedef _Atomic signed char        atomic_schar;
typedef _Atomic unsigned char      atomic_uchar;
typedef _Atomic short              atomic_short;
typedef _Atomic unsigned short     atomic_ushort;
typedef _Atomic int                atomic_int;
typedef _Atomic unsigned int       atomic_uint;
typedef _Atomic long               atomic_long;
typedef _Atomic unsigned long      atomic_ulong;
typedef _Atomic long long          atomic_llong;
typedef _Atomic unsigned long long atomic_ullong;
typedef _Atomic __INTPTR_TYPE__    atomic_intptr_t;
typedef _Atomic __UINTPTR_TYPE__   atomic_uintptr_t;
typedef _Atomic __SIZE_TYPE__      atomic_size_t;
typedef _Atomic __PTRDIFF_TYPE__   atomic_ptrdiff_t;
typedef _Atomic __INTMAX_TYPE__    atomic_intmax_t;
typedef _Atomic __UINTMAX_TYPE__   atomic_uintmax_t;
typedef _Atomic __INT32_TYPE__     atomic_int32_t;
typedef _Atomic __UINT32_TYPE__    atomic_uint32_t;
typedef _Atomic __INT64_TYPE__     atomic_int64_t;
typedef _Atomic __UINT64_TYPE__    atomic_uint64_t;

#define ATOMIC_VAR_INIT(value)  (value)
#define atomic_init(obj, value) __atomic_store_n((obj), (value), __ATOMIC_RELAXED)
#define kill_dependency(y)      (y)

#define ATOMIC_BOOL_LOCK_FREE   2
#define ATOMIC_CHAR_LOCK_FREE   2
#define ATOMIC_SHORT_LOCK_FREE  2
#define ATOMIC_INT_LOCK_FREE    2
#define ATOMIC_LONG_LOCK_FREE   2
#define ATOMIC_LLONG_LOCK_FREE  2
#define ATOMIC_POINTER_LOCK_FREE 2
#define atomic_is_lock_free(obj) __atomic_is_lock_free(sizeof(*(obj)), (obj))

#define atomic_thread_fence(order) __atomic_thread_fence(order)
#define atomic_signal_fence(order) __atomic_signal_fence(order)

/* The explicit forms take a memory_order ... */
#define atomic_store_explicit(obj, val, mo)   __atomic_store_n((obj), (val), (mo))
#define atomic_load_explicit(obj, mo)         __atomic_load_n((obj), (mo))
#define atomic_exchange_explicit(obj, val, mo) __atomic_exchange_n((obj), (val), (mo))
#define atomic_compare_exchange_strong_explicit(obj, expected, desired, succ, fail) \
	__atomic_compare_exchange_n((obj), (expected), (desired), 0, (succ), (fail))
#define atomic_compare_exchange_weak_explicit(obj, expected, desired, succ, fail) \
	__atomic_compare_exchange_n((obj), (expected), (desired), 1, (succ), (fail))
#define atomic_fetch_add_explicit(obj, v, mo) __atomic_fetch_add((obj), (v), (mo))
#define atomic_fetch_sub_explicit(obj, v, mo) __atomic_fetch_sub((obj), (v), (mo))
#define atomic_fetch_or_explicit(obj, v, mo)  __atomic_fetch_or((obj), (v), (mo))
#define atomic_fetch_xor_explicit(obj, v, mo) __atomic_fetch_xor((obj), (v), (mo))
#define atomic_fetch_and_explicit(obj, v, mo) __atomic_fetch_and((obj), (v), (mo))

/* ... the plain forms are sequentially consistent. */
#define atomic_store(obj, val)     atomic_store_explicit(obj, val, __ATOMIC_SEQ_CST)
#define atomic_load(obj)           atomic_load_explicit(obj, __ATOMIC_SEQ_CST)
#define atomic_exchange(obj, val)  atomic_exchange_explicit(obj, val, __ATOMIC_SEQ_CST)
#define atomic_compare_exchange_strong(obj, expected, desired) \
	atomic_compare_exchange_strong_explicit(obj, expected, desired, \
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define atomic_compare_exchange_weak(obj, expected, desired) \
	atomic_compare_exchange_weak_explicit(obj, expected, desired, \
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define atomic_fetch_add(obj, v)   atomic_fetch_add_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_sub(obj, v)   atomic_fetch_sub_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_or(obj, v)    atomic_fetch_or_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_xor(obj, v)   atomic_fetch_xor_explicit(obj, v, __ATOMIC_SEQ_CST)
#define atomic_fetch_and(obj, v)   atomic_fetch_and_explicit(obj, v, __ATOMIC_SEQ_CST)

/* atomic_flag: the one type the standard guarantees is lock-free. */
typedef struct { _Atomic _Bool __val; } atomic_flag;
#define ATOMIC_FLAG_INIT { 0 }
#define atomic_flag_test_and_set_explicit(f, mo) __atomic_exchange_n(&(f)->__val, 1, (mo))
#define atomic_flag_clear_explicit(f, mo)        __atomic_store_n(&(f)->__val, 0, (mo))
#define atomic_flag_test_and_set(f) atomic_flag_test_and_set_explicit(f, __ATOMIC_SEQ_CST)
#define atomic_flag_clear(f)        atomic_flag_clear_explicit(f, __ATOMIC_SEQ_CST)

#endif /* _STDATOMIC_H */
