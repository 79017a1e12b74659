# user/user.mk - building user space: the C library and the programs.
#
# Included by the top-level Makefile, which provides BUILD, CC, AR and LD
# (and Q: "@" to hide commands, empty to show them).
# All paths are relative to the top of the tree (make runs there).
#
# What it defines:
#   USER_CFLAGS, USER_LDFLAGS   flags for user programs
#   $(BUILD)/user/libc.a        the C library (user/lib/*.c, user/lib/*.S)
#   $(BUILD)/user/crt0.o        the program entry point (user/lib/crt0.S)
#   $(BUILD)/user/libtest.a     the test helpers (user/tests/lib/*.c), if any
#   $(BUILD)/user/bin/NAME      one program per NAME.c in user/bin, user/tests,
#                               user/bench and USER_EXTRA
#   USER_PROGS                  the list of all those programs
#   USER_PROG_NAMES, USER_TEST_NAMES  their names; the test and bench ones
#   user-libc, user-progs       phony targets for the two halves
#
# USER_EXTRA (set it before including this file, or on the make command
# line) adds programs: each word is either a .c file or a directory whose
# *.c files are programs.  Every program is one .c file; programs from
# user/tests and user/bench (only) are also linked with libtest.a and may
# include its headers from user/tests/lib.  Program names must be unique
# across all directories, since they all land in $(BUILD)/user/bin.

USER_OUT := $(BUILD)/user

# ---- Flags ----

# Programs are compiled as ordinary hosted C (the compiler may treat
# printf, memcpy ... as the standard functions, which they are), against
# our headers only (-nostdinc) plus the kernel's uapi/ (-I kernel).
# Frame pointers stay so a crash can be backtraced.  SSE is allowed: the
# kernel saves the FPU/SSE state of each process.
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-fno-stack-protector -fno-pie -fcf-protection=none \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-nostdinc -isystem user/lib/include -I kernel

# The library itself is freestanding: it *is* memcpy, so the compiler must
# not assume memcpy's meaning inside it, nor turn a copy loop into a call
# to memcpy (which could end up calling itself).
USER_LIBC_CFLAGS := $(USER_CFLAGS) -ffreestanding -fno-tree-loop-distribute-patterns

# Static, no host start files or libraries, default text address 0x400000.
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,-z,noexecstack \
	-Wl,--build-id=none -Wl,-z,norelro

USER_LIBGCC := $(shell $(CC) -print-libgcc-file-name)

# ---- The C library ----

USER_LIBC_COBJS := $(patsubst user/lib/%.c,$(USER_OUT)/lib/%.o,$(wildcard user/lib/*.c))
USER_LIBC_SOBJS := $(patsubst user/lib/%.S,$(USER_OUT)/lib/%.o,$(wildcard user/lib/*.S))
USER_LIBC_OBJS  := $(USER_LIBC_COBJS) $(filter-out %/crt0.o,$(USER_LIBC_SOBJS))
USER_CRT0       := $(USER_OUT)/crt0.o
USER_LIBC       := $(USER_OUT)/libc.a

$(USER_LIBC_COBJS): $(USER_OUT)/lib/%.o: user/lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_LIBC_CFLAGS) -MD -MP -c -o $@ $<

$(USER_LIBC_SOBJS): $(USER_OUT)/lib/%.o: user/lib/%.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(USER_LIBC_CFLAGS) -MD -MP -c -o $@ $<

$(USER_LIBC): $(USER_LIBC_OBJS)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(USER_CRT0): $(USER_OUT)/lib/crt0.o
	$(Q)cp $< $@

# ---- The test helpers (optional) ----

USER_LIBTEST_C    := $(wildcard user/tests/lib/*.c)
USER_LIBTEST_OBJS := $(patsubst user/tests/lib/%.c,$(USER_OUT)/tests/lib/%.o,$(USER_LIBTEST_C))
USER_LIBTEST      := $(if $(USER_LIBTEST_C),$(USER_OUT)/libtest.a)

$(USER_LIBTEST_OBJS): $(USER_OUT)/tests/lib/%.o: user/tests/lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_CFLAGS) -I user/tests/lib -MD -MP -c -o $@ $<

ifneq ($(USER_LIBTEST),)
$(USER_LIBTEST): $(USER_LIBTEST_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^
endif

# ---- Programs ----

USER_TEST_SRCS  := $(wildcard user/tests/*.c user/bench/*.c)
USER_PROG_SRCS  := $(wildcard user/bin/*.c) $(USER_TEST_SRCS) \
	$(filter %.c,$(USER_EXTRA)) \
	$(wildcard $(addsuffix /*.c,$(filter-out %.c,$(USER_EXTRA))))
USER_PROG_NAMES := $(basename $(notdir $(USER_PROG_SRCS)))
USER_TEST_NAMES := $(basename $(notdir $(USER_TEST_SRCS)))
USER_PROGS      := $(addprefix $(USER_OUT)/bin/,$(USER_PROG_NAMES))

ifneq ($(words $(USER_PROG_NAMES)),$(words $(sort $(USER_PROG_NAMES))))
$(error user.mk: two user programs have the same name: $(sort $(foreach n,$(USER_PROG_NAMES),$(if $(filter-out 1,$(words $(filter $(n),$(USER_PROG_NAMES)))),$(n)))))
endif

# user_obj(source): where source's object goes.  The path mirrors the
# source's, so a program moved to another directory (USER_EXTRA=dir1/x.c,
# later USER_EXTRA=dir2/x.c) gets a new object and dependency file: the old
# x.d, which names dir1/x.c, is no longer read, and make does not stop on a
# missing dir1/x.c.  An absolute path or .. cannot climb out of obj/.
user_obj = $(USER_OUT)/obj/$(subst ..,dotdot,$(patsubst /%,abs/%,$(basename $(1)))).o

# user_prog(source): compile source to $(call user_obj,source) and link it
# to $(USER_OUT)/bin/NAME; test and bench programs also get libtest.
define user_prog
$(call user_prog_rules,$(1),$(basename $(notdir $(1))),$(if $(filter $(1),$(USER_TEST_SRCS)),yes),$(call user_obj,$(1)))
endef

# user_prog_rules(source, name, is-test, object)
define user_prog_rules
$(4): $(1)
	@mkdir -p $$(@D)
	@echo "  CC      $$<"
	$$(Q)$$(CC) $$(USER_CFLAGS) $(if $(3),-I user/tests/lib) -MD -MP -c -o $$@ $$<

$(USER_OUT)/bin/$(2): $(4) $(USER_CRT0) $(if $(3),$(USER_LIBTEST)) $(USER_LIBC)
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(4) \
		$(if $(3),$(USER_LIBTEST)) $(USER_LIBC) $$(USER_LIBGCC)
endef

$(foreach src,$(USER_PROG_SRCS),$(eval $(call user_prog,$(src))))

.PHONY: user-libc user-progs
user-libc: $(USER_LIBC) $(USER_CRT0)
user-progs: $(USER_PROGS)

-include $(USER_LIBC_COBJS:.o=.d) $(USER_LIBC_SOBJS:.o=.d) $(USER_LIBTEST_OBJS:.o=.d) \
	$(foreach src,$(USER_PROG_SRCS),$(patsubst %.o,%.d,$(call user_obj,$(src))))
