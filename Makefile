# kitetop — GNU make.  `make run` builds and launches, `make test` builds and tests.
# Every .c under core/ backends/ widgets/ tui/ cli/ (but cli/main.c) is part of
# the library that the program and the tests link; every
# tests/unit/test_*.c is its own cmocka binary; every tests/fuzz/fuzz_*.c a fuzz target.

PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man/man1
DATADIR    ?= $(PREFIX)/share/kitetop
DOCDIR     ?= $(PREFIX)/share/doc/kitetop
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR    ?=
BUILD      ?= build
VERSION    := 0.1.0

CC     ?= cc
CFLAGS ?= -O2 -g
WARN   := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
          -Wwrite-strings -Wundef -Wpointer-arith -Wmissing-declarations \
          -Wvla -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif

# ncursesw, with plain ncurses as the fallback (nnn's way).
CURSES_PKG := $(shell $(PKG_CONFIG) --exists ncursesw 2>/dev/null && echo ncursesw || echo ncurses)
PKGS       := $(CURSES_PKG) libcurl libcjson libpq libssh2 inih hiredis zlib yaml-0.1
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

ALL_CPPFLAGS := -I. -D_GNU_SOURCE -DKITETOP_VERSION='"$(VERSION)"' \
                -DKITETOP_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   := -std=c11 -pthread $(WARN) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS  := -pthread $(LDFLAGS) $(EXTRA_CFLAGS)
LIBS         := $(PKG_LIBS) -lm

SRC_DIRS := core core/base core/config core/fleet core/feeds core/model core/history core/actions \
            backends backends/transport widgets tui cli
LIB_SRC  := $(sort $(filter-out cli/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c))))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/cli/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
INTEG_SRC := $(sort $(wildcard tests/integration/itest_*.c))
INTEG_BIN := $(INTEG_SRC:tests/integration/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_STANDALONE := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
TEST_HELPERS := $(sort $(wildcard tests/support/*.c))
TEST_HELPER_OBJ := $(TEST_HELPERS:%.c=$(BUILD)/%.o)

.PHONY: all run test test-unit test-integration test-integration-seq test-integration-beside integration-bins test-e2e test-faults test-fuzz asan tsan fuzz coverage \
        analyze install uninstall clean deps check-deps lab lab-down bench bench-docker \
        bench-events bench-services bench-scale bench-scale-ssh bench-slowlink bench-kube deb
.DEFAULT_GOAL := all

all: check-deps kitetop

# `make run` / `make test` on a fresh machine: install the Debian packages first.
check-deps:
	@$(PKG_CONFIG) --exists $(PKGS) 2>/dev/null || $(MAKE) --no-print-directory deps

deps:
	@sh tests/lab/install-deps build

kitetop: $(BUILD)/kitetop
	cp $< $@

$(BUILD)/kitetop: $(MAIN_OBJ) $(BUILD)/libkitetop.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libkitetop.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The data directory is compiled into the objects that look for themes: a
# PREFIX other than the last build's rebuilds them (make && make install
# PREFIX=/usr then installs a binary built for /usr).
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = "$(DATADIR)" ] || echo "$(DATADIR)" >$@
$(BUILD)/tui/app.o $(BUILD)/tui/cmd.o: $(BUILD)/datadir.stamp
.PHONY: FORCE
FORCE:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkitetop.a $(TEST_HELPER_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(TEST_HELPER_OBJ) $(BUILD)/libkitetop.a $(ALL_LDFLAGS) $(LIBS) -lcmocka

$(BUILD)/tests/%: tests/integration/%.c $(BUILD)/libkitetop.a $(TEST_HELPER_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(TEST_HELPER_OBJ) $(BUILD)/libkitetop.a $(ALL_LDFLAGS) $(LIBS) -lcmocka

# Fuzz targets, built two ways: with a standalone driver that replays a corpus
# (any compiler; run by `make test`), and with libFuzzer (`make fuzz`, clang).
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/standalone.c $(BUILD)/libkitetop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< tests/fuzz/standalone.c $(BUILD)/libkitetop.a $(ALL_LDFLAGS) $(LIBS)

run: all
	./kitetop $(ARGS)

test: check-deps
	@sh tests/run-all

test-unit: $(UNIT_BIN) $(FUZZ_STANDALONE) kitetop
	@BUILD=$(BUILD) sh tests/run-suite unit $(UNIT_BIN) tests/unit/layout.sh tests/unit/man_keys.sh \
	  tests/unit/readme.sh

test-fuzz: $(FUZZ_STANDALONE)
	@sh tests/run-fuzz-corpus $(FUZZ_STANDALONE)

INTEG_RUN := $(INTEG_BIN) $(sort $(wildcard tests/integration/*.sh))
# Tests marked "kt-lane: beside" use daemons of their own and the lab read
# only: tests/run-all runs them beside the others (and beside the e2e tests).
INTEG_BESIDE := $(patsubst tests/integration/%.c,$(BUILD)/tests/%,\
                  $(shell grep -l 'kt-lane: beside' tests/integration/*.sh tests/integration/itest_*.c 2>/dev/null))
INTEG_SEQ := $(filter-out $(INTEG_BESIDE),$(INTEG_RUN))

test-integration: $(INTEG_BIN) kitetop
	@sh tests/run-suite integration $(INTEG_RUN)

integration-bins: $(INTEG_BIN) kitetop

test-integration-seq: $(INTEG_BIN) kitetop
	@sh tests/run-suite integration $(INTEG_SEQ)

test-integration-beside: $(INTEG_BIN) kitetop
	@sh tests/run-suite integration-beside $(INTEG_BESIDE)

test-e2e: kitetop
	@sh tests/run-suite e2e $(sort $(wildcard tests/e2e/*.sh))

# The fault suite (tests/faults/README.md): private daemons harmed on purpose;
# the "RESULT |" rows are the table of measured figures, with the load they
# were taken under.
test-faults: kitetop
	@KT_SHOW='^(RESULT \||load average)' sh tests/run-suite faults $(sort $(filter-out tests/faults/lib.sh,$(wildcard tests/faults/*.sh)))

asan:
	$(MAKE) BUILD=build/asan CC=$(CC) EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" CFLAGS="-O1 -g" test-unit-only

tsan:
	$(MAKE) BUILD=build/tsan CC=$(CC) EXTRA_CFLAGS="-fsanitize=thread" CFLAGS="-O1 -g" test-unit-only

.PHONY: test-unit-only
test-unit-only: $(UNIT_BIN) $(FUZZ_STANDALONE)
	@sh tests/run-suite unit $(UNIT_BIN)
	@sh tests/run-fuzz-corpus $(FUZZ_STANDALONE)

fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" CFLAGS="-O1 -g" build/fuzz/libkitetop.a
	@mkdir -p build/fuzz/libfuzzer
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "clang $$n"; \
	  clang $(ALL_CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz/libfuzzer/$$n $$f build/fuzz/libkitetop.a $(LIBS) -pthread || exit 1; done

coverage:
	$(MAKE) BUILD=build/cov EXTRA_CFLAGS="--coverage" CFLAGS="-O0 -g" test-unit-only

analyze:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 -I. --error-exitcode=1 \
	  --suppress=missingIncludeSystem core backends widgets tui cli

lab:
	@sh tests/lab/up

lab-down:
	@sh tests/lab/down

bench: kitetop
	@sh bench/run

# bench/*.c: benchmark programs linked with the library, one binary each.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libkitetop.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libkitetop.a $(ALL_LDFLAGS) $(LIBS)

bench-docker: $(BUILD)/bench/docker_list
	@$(BUILD)/bench/docker_list

# A redraw with 14,000 services and 8 hosts x 500 containers (bench/many_services.c).
bench-services: $(BUILD)/bench/many_services
	@$(BUILD)/bench/many_services

# kitetop against 8 fake Docker engines x 500 containers (bench/scale/): CPU beside
# btop, memory, requests per engine per refresh, key latency and frame time.
bench-scale: kitetop
	@sh bench/scale/run.sh ./kitetop $(or $(SCALE_HOSTS),8) $(or $(SCALE_CONTAINERS),500) $(or $(SCALE_SECONDS),60)

# A cluster of 4 nodes x 150 pods on the Kubernetes API stand-in, through the
# lab's SSH: idle CPU beside btop, memory, a pod's change to the screen.
bench-kube: kitetop
	@sh bench/kube.sh $(or $(KUBE_SECONDS),60)

# 8 real SSH hosts (private sshd on 127.0.0.175-182) over private dockerds
# (bench/scale/ssh8.sh; root, the lab up for its image).
bench-scale-ssh: kitetop
	@bash bench/scale/ssh8.sh ./kitetop $(or $(SSH8_ENGINES),2) $(or $(SSH8_CONTAINERS),50) $(or $(SCALE_SECONDS),60)

# kitetop through a slow SSH link to the lab's hosts (bench/slowlink.sh; needs the lab).
bench-slowlink: kitetop
	@sh bench/slowlink.sh ./kitetop

# `kitetop events --since 1h` over a simulated month of events (bench/events_since.sh).
bench-events: kitetop $(BUILD)/bench/events_gen
	@GEN=$(BUILD)/bench/events_gen sh bench/events_since.sh

install: check-deps $(BUILD)/kitetop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/themes \
	  $(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DOCDIR) $(DESTDIR)$(BASHCOMPDIR) \
	  $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BUILD)/kitetop $(DESTDIR)$(BINDIR)/kitetop
	install -m 644 kitetop.1 $(DESTDIR)$(MANDIR)/kitetop.1
	install -m 644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 644 examples/*.conf $(DESTDIR)$(DATADIR)/examples/
	install -m 644 LICENSE $(DESTDIR)$(DOCDIR)/LICENSE
	install -m 644 completions/kitetop.bash $(DESTDIR)$(BASHCOMPDIR)/kitetop
	install -m 644 completions/_kitetop $(DESTDIR)$(ZSHCOMPDIR)/_kitetop
	install -m 644 completions/kitetop.fish $(DESTDIR)$(FISHCOMPDIR)/kitetop.fish

# A Debian package of the binary built for /usr (in build/deb, apart from the
# development build), with dpkg-deb: see packaging/deb.sh.
deb: check-deps
	@sh packaging/deb.sh $(VERSION)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kitetop $(DESTDIR)$(MANDIR)/kitetop.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/kitetop $(DESTDIR)$(ZSHCOMPDIR)/_kitetop \
	  $(DESTDIR)$(FISHCOMPDIR)/kitetop.fish
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build kitetop

.SECONDARY: $(TEST_HELPER_OBJ)

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
