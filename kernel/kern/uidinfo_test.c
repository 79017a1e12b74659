/*
 * uidinfo_test.c - self-tests for per-user counts and the string hash.
 */
#include "kern/kernel.h"
#include "kern/errno.h"
#include "kern/selftest.h"
#include "kern/uidinfo.h"
#include "kern/hash.h"

#define TEST_UID 4242

int test_uidinfo_charges_and_limits(void)
{
	uint64_t records = uidinfo_records();
	KTEST_ASSERT(uidinfo_count(TEST_UID, UI_SOCK_NAMES) == 0, "a fresh uid holds something");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_SOCK_NAMES, 3, 4) == 0, "3 of 4");
	KTEST_ASSERT(uidinfo_records() == records + 1, "no record made");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_SOCK_NAMES, 2, 4) == -EDQUOT, "5 of 4 allowed");
	KTEST_ASSERT(uidinfo_count(TEST_UID, UI_SOCK_NAMES) == 3, "a failed charge changed the count");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_SOCK_NAMES, 1, 4) == 0, "4 of 4");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_SHM_NAMES, 7, UIDINFO_NO_LIMIT) == 0, "no limit");
	KTEST_ASSERT(uidinfo_count(TEST_UID, UI_SHM_NAMES) == 7, "counts are separate");
	KTEST_ASSERT(uidinfo_count(TEST_UID + 1, UI_SOCK_NAMES) == 0, "users are separate");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_SOCK_NAMES, -4, UIDINFO_NO_LIMIT) == 0, "give back");
	KTEST_ASSERT(uidinfo_records() == records + 1, "record freed while a count is held");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_SHM_NAMES, -7, UIDINFO_NO_LIMIT) == 0, "give back");
	KTEST_ASSERT(uidinfo_records() == records, "record not freed at zero");
	KTEST_ASSERT(uidinfo_charge(TEST_UID, UI_PROCS, 1, 0) == -EDQUOT, "1 of 0 allowed");
	KTEST_ASSERT(uidinfo_records() == records, "a refused first charge left a record");
	return 0;
}

int test_hash_fnv1_32(void)
{
	KTEST_ASSERT(hash_fnv1_32("") == HASH_FNV1_32_INIT, "empty string");
	KTEST_ASSERT(hash_fnv1_32("a") == ((HASH_FNV1_32_INIT * HASH_FNV1_32_PRIME) ^ 'a'), "one byte");
	KTEST_ASSERT(hash_fnv1_32("/cdywcnqe") == hash_fnv1_32("/dtflfocj"), "the known collision");
	KTEST_ASSERT(hash_fnv1_32("/a") != hash_fnv1_32("/b"), "distinct names");
	return 0;
}
