# vmos - a teaching x86-64 kernel on the BSD VM design.
#
# Targets (see README.md):
#   make            build build/kernel.elf and the bootable ISO build/os.iso
#   make qemu       boot to the shell on this terminal (Ctrl-A X quits)
#   make qemu-gdb   boot halted with a gdb stub; attach with tools/gdb
#   make run CMD='prog args'   run one command as init's only job; exit with its status
#   make test       run every test suite (T=name for one suite or suite.case; JOBS=N at once)
#   make replay     replay a recording exactly (RR=build/rr/NAME; default the newest)
#   make replay-gdb the same, halted under the gdb stub: tools/gdb, then reverse-continue
#   make bench      run the benchmarks (ICOUNT=1 for instruction-counted time)
#   make bench-smp  smp_bench with 1 CPU and with 2, and how each figure scales
#   make coverage   run every suite on a coverage kernel, report (build/coverage)
#   make fuzz       run the stateful fuzzer for a long time (ROUNDS= SEED= CALLS= KEEP_GOING=1)
#   make lab LAB=x  write lab x's student tree to build/labs/x (tools/lab)
#   make grade      run a lab's graded tests and score them (LAB=x, or the tree's .lab)
#   make check      static checks (warnings as errors are already on)
#   make clean      remove build/
#   make figures    regenerate the book's figures (docs/figures/*.svg) from their .dot sources
#
# Variables: MEM=256M  CPUS=2  KVM=1  CMDLINE='...'  USER_EXTRA='a.c b.c'  NDEBUG=1  GCOV=1
#            SWAP=256M (0: no disk)  DISK_TRANSPORT=legacy|modern
#            JOBS=N  JUNIT=FILE  RESULTS=FILE (make test)
#            RECORD=1 (make qemu, run, test: record into build/rr/, see README)

BUILD   ?= build
# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif
MEM     ?= 256M
# CPUS=N gives the guest N CPUs (-smp N; TCG runs them on N host threads).
# The default is 2, as many as CI's host has cores, except under ICOUNT=1
# (instruction counting runs every CPU on one host thread, so a benchmark
# compares against the one-CPU figures) and RECORD=1 (QEMU records no SMP
# machine): 1 there.  CPUS=1 is the uniprocessor kernel, the same code.
# `make test` without CPUS= runs every guest suite on 2 CPUs and then again
# on 1 (run.py --also-cpus 1: SUITE_1cpu); with CPUS=N, on N only.
CPUS_DEFAULT := $(if $(ICOUNT)$(filter 1,$(RECORD)),1,2)
CPUS    ?= $(CPUS_DEFAULT)
TEST_CPUS_ROUND := $(if $(filter file,$(origin CPUS)),$(if $(T),,$(if $(filter 2,$(CPUS)),--also-cpus 1)))
export MEM KVM CPUS
# The swap disk: every boot gets a fresh sparse image of this size
# (build/swap.img; the tests make one per suite), attached as a virtio
# disk; SWAP=0 boots without one.  DISK_TRANSPORT=legacy or modern picks
# the virtio interface QEMU offers (default: a transitional device with
# both, of which the kernel takes modern).
SWAP    ?= 256M
DISK_ARGS = --swap '$(SWAP)' $(if $(DISK_TRANSPORT),--disk-transport '$(DISK_TRANSPORT)')

# ---------------------------------------------------------------- toolchain
# Picked as xv6 does: an x86_64-elf- cross compiler when one is installed,
# the host's own gcc on an x86-64 host, x86_64-linux-gnu- elsewhere.
ifndef TOOLPREFIX
TOOLPREFIX := $(shell \
	if x86_64-elf-gcc --version >/dev/null 2>&1; then echo x86_64-elf-; \
	elif [ "$$(uname -m)" = x86_64 ]; then echo ""; \
	elif x86_64-linux-gnu-gcc --version >/dev/null 2>&1; then echo x86_64-linux-gnu-; \
	else echo "no-x86_64-toolchain-found-"; fi)
endif
CC      := $(TOOLPREFIX)gcc
LD      := $(TOOLPREFIX)ld
AR      := $(TOOLPREFIX)ar
NM      := $(TOOLPREFIX)nm
OBJCOPY := $(TOOLPREFIX)objcopy
STRIP   := $(TOOLPREFIX)strip
PYTHON  ?= python3

# Flags a particular gcc may not know are added only when it accepts them.
cc-option = $(shell if $(CC) -Werror $(1) -S -o /dev/null -xc /dev/null >/dev/null 2>&1; then echo "$(1)"; fi)

KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-pie -fno-pic -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-sse2 -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fstack-protector-strong -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-common -MD -MP -I kernel \
	$(call cc-option,-mstack-protector-guard=global) \
	$(call cc-option,-fcf-protection=none) \
	$(call cc-option,-fno-asynchronous-unwind-tables) \
	$(call cc-option,-Wno-address-of-packed-member)
ifndef NDEBUG
KERNEL_CFLAGS += -DKMEM_DEBUG=1 -DKERNEL_DEBUG=1
endif
# GCOV=1 (make coverage uses it, in build/coverage): every kernel file is
# compiled with gcc's coverage counters, and kernel/kern/gcov.c, the small
# runtime that hands them to the host, is linked in.  gcov.c itself is not
# instrumented.  Without GCOV the kernel is exactly the normal one.
GCOV_SRC := kernel/kern/gcov.c
ifdef GCOV
KERNEL_CFLAGS += -DGCOV=1
GCOV_CFLAGS := -fprofile-arcs -ftest-coverage
$(BUILD)/$(GCOV_SRC:.c=.o): GCOV_CFLAGS :=
endif
KERNEL_ASFLAGS := -D__ASSEMBLY__ -MD -MP -I kernel -g
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

KERNEL_SRCS := $(filter-out $(if $(GCOV),,$(GCOV_SRC)),$(sort $(wildcard kernel/*/*.c kernel/*/*/*.c)))
KERNEL_ASMS := $(sort $(wildcard kernel/*/*.S kernel/*/*/*.S))
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_SRCS)) \
               $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_ASMS))

# --------------------------------------------------------------- top level
.PHONY: all deps built qemu qemu-gdb run test replay replay-gdb bench bench-smp profile coverage fuzz check clean FORCE
all: $(BUILD)/os.iso

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(GCOV_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# The kernel embeds its own symbol table so panic() can print function
# names.  Link once without it (ksyms_empty.S provides empty tables), generate
# the table from that link, then link again with the table.  The table lives
# in its own section placed after .bss (see linker.ld), so adding it moves no
# other symbol: the table generated from link 1 is exact for link 2.
$(BUILD)/kernel.nosyms.elf: $(KERNEL_OBJS) $(BUILD)/tools/ksyms_empty.o linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T linker.ld -o $@ $(KERNEL_OBJS) $(BUILD)/tools/ksyms_empty.o

$(BUILD)/ksyms.S: $(BUILD)/kernel.nosyms.elf tools/gensyms.py
	@echo "  GENSYMS $@"
	$(Q)$(NM) -n --defined-only $< | $(PYTHON) tools/gensyms.py > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/tools/ksyms_empty.o: tools/gensyms.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/gensyms.py < /dev/null > $(BUILD)/tools/ksyms_empty.S
	$(Q)$(CC) $(KERNEL_ASFLAGS) -c $(BUILD)/tools/ksyms_empty.S -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/ksyms.o linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) -T linker.ld -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o
	@$(NM) -n --defined-only $(BUILD)/kernel.nosyms.elf | grep -v -e ksyms_ -e _kernel_end > $(BUILD)/syms.1
	@$(NM) -n --defined-only $@ | grep -v -e ksyms_ -e _kernel_end > $(BUILD)/syms.2
	@cmp -s $(BUILD)/syms.1 $(BUILD)/syms.2 || \
		{ echo "ksyms: symbol addresses moved between links (see linker.ld)"; exit 1; }

# -------------------------------------------------------------- user space
-include user/user.mk

# The boot file system (build/initrd/, packed into initrd.cpio) keeps what a
# student uses apart from what the tests use:
#   /bin                the tools (user/bin) and USER_EXTRA programs
#   /test               the test and benchmark programs (user/tests, user/bench)
#   /test/fixtures      files the tests need, such as malformed executables
#   /tmp                an empty directory: the kernel mounts its tmpfs there
# Programs go in stripped: GRUB reads the archive through the BIOS at boot,
# and debug info would triple its size.  The unstripped copies stay in
# build/user/bin for gdb (add-symbol-file).
INITRD := $(BUILD)/initrd
INITRD_BIN_NAMES := $(filter-out $(USER_TEST_NAMES),$(USER_PROG_NAMES))
INITRD_PROGS := $(addprefix $(INITRD)/bin/,$(INITRD_BIN_NAMES)) \
	$(addprefix $(INITRD)/test/,$(USER_TEST_NAMES))
$(INITRD)/bin/% $(INITRD)/test/%: $(BUILD)/user/bin/%
	@mkdir -p $(dir $@)
	$(Q)$(STRIP) -o $@ $<

# Malformed executables for the exec tests (tools/mkbadelf.py), made from /bin/true.
BADELF_NAMES := badelf badelf_magic badelf_class badelf_phoff badelf_filesz badelf_entry badelf_kernel
BADELF_FILES := $(if $(USER_PROGS),$(addprefix $(INITRD)/test/fixtures/,$(BADELF_NAMES)))
$(BADELF_FILES) &: $(BUILD)/user/bin/true tools/mkbadelf.py
	$(Q)$(PYTHON) tools/mkbadelf.py $(BUILD)/user/bin/true $(INITRD)/test/fixtures

# Tiny programs that check exec's zero-filling of bss (tools/mkelftail.py).
ELFTAIL_NAMES := elf_bsstail elf_unaligned
ELFTAIL_FILES := $(if $(USER_PROGS),$(addprefix $(INITRD)/test/fixtures/,$(ELFTAIL_NAMES)))
$(ELFTAIL_FILES) &: tools/mkelftail.py
	$(Q)$(PYTHON) tools/mkelftail.py $(INITRD)/test/fixtures

INITRD_FILES := $(INITRD_PROGS) $(BADELF_FILES) $(ELFTAIL_FILES)
# The list itself is a prerequisite, so dropping a USER_EXTRA program rebuilds the archive.
$(BUILD)/initrd.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(INITRD_FILES)' | cmp -s - $@ || echo '$(INITRD_FILES)' > $@
$(BUILD)/initrd.cpio: $(INITRD_FILES) $(BUILD)/initrd.list tools/mkcpio.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) tools/mkcpio.py $@ $(INITRD) --dir tmp $(INITRD_FILES)

# ------------------------------------------------------------------ the ISO
# GRUB boots the kernel with multiboot2 from an ISO.  The menu has timeout 0
# and talks on the serial port.  The command line in grub.cfg is the default;
# `make qemu CMDLINE=...` and the test harness override it at run time through
# QEMU's fw_cfg (see kernel/arch/x86_64/fw_cfg.c), so one ISO serves all runs.
# Only the GRUB modules the menu entry needs, and no fonts, locales or
# themes: GRUB loads what it has through the BIOS under emulation, and this
# takes ~0.2 s off every boot (GRUB hands over ~0.45 s after its first byte).
# The kernel in the ISO is stripped for the same reason; panic() has its own
# embedded symbol table, and gdb reads the unstripped build/kernel.elf.
# grub-mkrescue's early configuration loads every partition-map module the
# platform lists (partmap.lst): leaving them out costs nothing on a CD but
# prints eleven "file not found" errors on a student's first screen, so
# they go in (20 KiB, no measurable boot time).
GRUB_PARTMAPS := $(shell cat /usr/lib/grub/i386-pc/partmap.lst 2>/dev/null)
GRUB_MODULES := --install-modules="multiboot2 normal serial terminal boot configfile $(GRUB_PARTMAPS)" \
	--locales= --fonts= --themes=
DEFAULT_CMDLINE ?=
$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	@echo "  ISO     $@"
	$(Q)$(STRIP) -o $(BUILD)/iso/boot/kernel.elf $(BUILD)/kernel.elf
	$(Q)cp $(BUILD)/initrd.cpio $(BUILD)/iso/boot/initrd.cpio
	$(Q)printf '%s\n' 'set timeout=0' 'set default=0' \
		'serial --unit=0 --speed=115200' 'terminal_input serial console' \
		'terminal_output serial' \
		'menuentry "vmos" {' \
		'  multiboot2 /boot/kernel.elf $(DEFAULT_CMDLINE)' \
		'  module2 /boot/initrd.cpio initrd' \
		'  boot' '}' > $(BUILD)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue $(GRUB_MODULES) -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ------------------------------------------------------------ run and test
# Each of these first makes sure the host tools are there: tools/install-deps
# installs them, or prints the one command that would.
deps:
	@tools/install-deps --check >/dev/null 2>&1 || tools/install-deps

# The build asks the compiler questions when this Makefile is read (include
# paths, supported flags), so after deps may have installed gcc the build
# runs in a fresh make.  This also keeps `make -j test` from compiling
# before the packages are there.
built: deps
	@$(MAKE) --no-print-directory all

# quote(VAR): the text of variable VAR exactly as typed, as one shell word.
# $(value) keeps make from expanding it (CMD='echo $$?' would otherwise
# lose its $? to make's own automatic variable), and every ' is escaped.
# quote_text(TEXT) is the same for text already in hand.
quote_text = '$(subst ','\'',$(1))'
quote = $(call quote_text,$(value $(1)))
CMDLINE_ARG = $(if $(CMDLINE),--cmdline $(call quote,CMDLINE))

# RECORD=1: record the run with QEMU's record/replay into build/rr/NAME
# (tools/rr.py), to replay it exactly with make replay or make replay-gdb.
# make qemu and make run name theirs by the time; make test keeps the
# recording of each suite that fails (and of every suite named in T=)
# as build/rr/SUITE.
RR_STAMP = $(shell date +%Y%m%d-%H%M%S)
RECORD_ARG = $(if $(filter 1,$(RECORD)),--record $(BUILD)/rr/$(1)-$(RR_STAMP))

qemu: built
	$(PYTHON) tools/run-in-qemu --mem $(MEM) $(DISK_ARGS) $(CMDLINE_ARG) $(call RECORD_ARG,qemu)

qemu-gdb: built
	$(PYTHON) tools/run-in-qemu --mem $(MEM) $(DISK_ARGS) --gdb $(CMDLINE_ARG)

# make itself can only exit 0 or 2, so the command's exact status is also
# printed; scripts that need it call tools/run-in-qemu directly (see README).
run: built
	@test -n $(call quote,CMD) || { echo "usage: make run CMD='prog args'"; exit 2; }
	@$(PYTHON) tools/run-in-qemu --mem $(MEM) $(DISK_ARGS) --cmdline cmd=$(call quote,CMD) \
		$(call RECORD_ARG,run); status=$$?; \
		echo "vmos: exit status $$status"; exit $$status

# Replay a recording (RR=build/rr/NAME; without RR the newest one): it
# must print exactly what it printed when recorded, and make says whether
# it did.  replay-gdb replays halted under the gdb stub, on the port of
# make qemu-gdb: attach with tools/gdb and go backwards (README, "Going
# backwards from a panic").
replay: deps
	@$(PYTHON) tools/replay $(RR)

replay-gdb: deps
	@$(PYTHON) tools/replay --gdb $(RR)

# JOBS=N boots up to N suites at once (default: one per CPU); the output
# still comes in manifest order.  JUNIT=FILE and RESULTS=FILE also write
# the results as JUnit XML and as Gradescope's results.json.
TEST_OUTPUTS = $(if $(JOBS),-j '$(JOBS)') $(if $(JUNIT),--junit '$(JUNIT)') $(if $(RESULTS),--results '$(RESULTS)')
test: built
	$(PYTHON) tests/run.py --swap '$(SWAP)' $(if $(DISK_TRANSPORT),--disk-transport '$(DISK_TRANSPORT)') $(TEST_OUTPUTS) \
		$(if $(filter 1,$(RECORD)),--record $(BUILD)/rr) $(TEST_CPUS_ROUND) $(T)

# The book (docs/) cites the code by file:function; tools/check-book checks
# that every citation still holds and that every figure matches its .dot.
# It runs before the suites of make test (one line: "book: N citations
# checked ...") and in make check: these lines add it to their prerequisites.
.PHONY: check-book figures
test: check-book
check: check-book
check-book:
	@$(PYTHON) tools/check-book

# The figures are Graphviz sources (docs/figures/*.dot); their SVGs are
# committed beside them so the book reads on any web page without tools.
figures: deps
	@for f in docs/figures/*.dot; do \
		echo "  DOT     $$f"; dot -Tsvg "$$f" -o "$${f%.dot}.svg" || exit 1; done

# Labs (docs/labs/README.md).  `make lab LAB=name` writes the student's
# tree for a lab to build/labs/NAME (tools/lab): every file, the lab's
# solution replaced by its stub.  `make grade` runs a lab's graded tests
# and prints the score (tests/grade.py); in a student's tree the lab is
# the one its file .lab names, so LAB= is not needed there.
LAB ?= $(shell cat .lab 2>/dev/null)
.PHONY: lab grade
lab:
	@test -n "$(LAB)" || { echo "usage: make lab LAB=name (the labs: tools/lab --list)"; exit 2; }
	@$(PYTHON) tools/lab '$(LAB)'

grade: built
	@test -n "$(LAB)" || { echo "usage: make grade LAB=name (the labs: tools/lab --list)"; exit 2; }
	@$(PYTHON) tests/run.py --lab '$(LAB)' --swap '$(SWAP)' $(if $(DISK_TRANSPORT),--disk-transport '$(DISK_TRANSPORT)') $(TEST_OUTPUTS)

# Benchmarks run the kernel built without the debug heap checks (NDEBUG=1,
# in build/ndebug): the redzone and poison checks are for finding bugs,
# not part of what a system call costs.  BENCH_DEBUG=1 measures the
# debug kernel instead.
BENCH_BUILD := $(if $(BENCH_DEBUG),$(BUILD),$(BUILD)/ndebug)
# The swap benchmark pages an object 1.5 times the size of RAM: its own
# boot, with 128 MiB of RAM and a 512 MiB swap disk.
SWAP_BENCH_MEM ?= 128M
bench: deps
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) $(if $(BENCH_DEBUG),,NDEBUG=1) $(BENCH_BUILD)/os.iso
	$(PYTHON) tools/run-in-qemu --iso $(BENCH_BUILD)/os.iso --mem $(MEM) $(DISK_ARGS) $(if $(ICOUNT),--icount) \
		--cmdline 'cmd=/test/bench; /test/shm_bench; /test/unix_bench'
	$(PYTHON) tools/run-in-qemu --iso $(BENCH_BUILD)/os.iso --mem $(SWAP_BENCH_MEM) --swap 512M \
		$(if $(ICOUNT),--icount) --cmdline 'cmd=/test/swap_bench'
	$(PYTHON) tools/run-in-qemu --iso $(BENCH_BUILD)/os.iso --mem $(MEM) $(DISK_ARGS) --cpus $(CPUS) \
		--cmdline 'cmd=/test/smp_bench'

# The SMP scaling benchmark (user/bench/smp_bench.c) runs above in a boot
# of its own with CPUS CPUs, and never with --icount, even under ICOUNT=1:
# instruction counting runs every guest CPU on one TCG thread, taking
# turns, so N CPUs could never do more than one's work and there would be
# no scaling to measure.  make bench-smp boots it with 1 and then 2 CPUs
# (SMP_BENCH_CPUS=1,4 for others) and prints, per benchmark, the ratio of
# the throughput of as many processes as CPUs to one process on one CPU
# (tools/bench-smp).  TCG gives each guest CPU a host thread: the ratio
# means something only on a host with that many idle cores.
SMP_BENCH_CPUS ?= 1,2
bench-smp: deps
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) $(if $(BENCH_DEBUG),,NDEBUG=1) $(BENCH_BUILD)/os.iso
	@$(PYTHON) tools/bench-smp --iso $(BENCH_BUILD)/os.iso --mem $(MEM) --swap '$(SWAP)' \
		--cpus '$(SMP_BENCH_CPUS)' --keep $(BENCH_BUILD)/bench-smp

# The profiler (kernel/kern/prof.c): boot the benchmark kernel under
# instruction counting, so the profile repeats exactly, run CMD between
# `kprof start` and `kprof stop`, and report (tools/profile).  The samples
# come back through QEMU's debug console when the run ends.
PROFILE_RAW := $(BENCH_BUILD)/profile.raw
profile: deps
	@test -n $(call quote,CMD) || { echo "usage: make profile CMD='prog args'"; exit 2; }
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) $(if $(BENCH_DEBUG),,NDEBUG=1) $(BENCH_BUILD)/os.iso
	@rm -f $(PROFILE_RAW)
	@$(PYTHON) tools/run-in-qemu --iso $(BENCH_BUILD)/os.iso --mem $(MEM) $(DISK_ARGS) --icount \
		--debugcon $(PROFILE_RAW) \
		--cmdline $(call quote_text,cmd=kprof start; $(value CMD); kprof stop)
	@$(PYTHON) tools/profile --build $(BENCH_BUILD) --folded $(BUILD)/profile.folded $(PROFILE_RAW)

# The stateful fuzzer of user/tests/fuzz_test.c, in one boot: ROUNDS rounds
# (about 1000 calls each) from SEED (default: a new one from the clock; the
# run prints it), CALLS calls per process, KEEP_GOING=1 to go on after a
# failing round.  The guest prints a progress line every 3 s; a guest
# silent for FUZZ_SILENCE seconds is taken to hang, and the run ends.
ROUNDS       ?= 100
CALLS        ?= 250
FUZZ_SILENCE ?= 120
fuzz: built
	@seed=$${SEED:-$$(date +%s)}; \
	echo "fuzz: $(ROUNDS) rounds from seed $$seed (replay one: make fuzz ROUNDS=1 SEED=N)"; \
	$(PYTHON) tools/run-in-qemu --mem $(MEM) $(DISK_ARGS) --silence $(FUZZ_SILENCE) \
		--cmdline "cmd=/test/fuzz_test -rounds $(ROUNDS) -seed $$seed -calls $(CALLS)$(if $(KEEP_GOING), -k)" \
		< /dev/null; status=$$?; \
	echo "vmos: exit status $$status"; exit $$status

# Coverage: every suite on a kernel built with gcc's coverage counters
# (GCOV=1, in build/coverage).  Each boot hands its counters to the host
# through QEMU's debug console (tests/run.py --coverage, kernel/kern/gcov.c);
# tools/gcov-collect adds them up into .gcda files beside the .gcno files,
# and tools/coverage-report runs gcovr (HTML, Cobertura XML) and prints a
# line per kernel directory.  The report is written even when a suite
# fails (from the boots that dumped), but make then fails.
COV_BUILD := $(BUILD)/coverage
coverage: deps
	@$(MAKE) --no-print-directory BUILD=$(COV_BUILD) GCOV=1 $(COV_BUILD)/os.iso
	@rm -rf $(COV_BUILD)/dumps
	@find $(COV_BUILD) -name '*.gcda' -delete
	@$(PYTHON) tests/run.py --iso $(COV_BUILD)/os.iso --coverage $(COV_BUILD)/dumps; status=$$?; \
		$(PYTHON) tools/gcov-collect $(COV_BUILD)/dumps/*.gcov || status=1; \
		$(PYTHON) tools/coverage-report --build $(COV_BUILD) || status=1; \
		exit $$status

# Every configuration must build warning-free (-Werror): the default debug
# build, the NDEBUG=1 build without the heap's redzones and poisoning, and
# the coverage build (GCOV=1).
check: all
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/ndebug NDEBUG=1 $(BUILD)/ndebug/kernel.elf
	$(Q)$(MAKE) --no-print-directory BUILD=$(COV_BUILD) GCOV=1 $(COV_BUILD)/kernel.elf
	@echo "check: debug, NDEBUG=1 and coverage (GCOV=1) builds are warning-clean"

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d)
