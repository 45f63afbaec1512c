# pesq: build, test, install. GNU make.
#
#   make                 build every program in cmd/ into bin/
#   make check           build and run all tests through prove
#   make check SANITIZE=1  the same under ASan + UBSan (into bin-san/)
#   make install PREFIX=/usr/local DESTDIR=
#   make deps            install the Debian packages pesq needs (as root)

# The version of pesq, written here and nowhere else: compiled into every
# program (--version), put into git-pesq when it is installed, and read
# from this file by git-pesq run from the source tree. `make version`
# prints it.
VERSION = 0.1.0

PREFIX ?= /usr/local
DESTDIR ?=
bindir = $(PREFIX)/bin
libexecdir = $(PREFIX)/libexec/pesq
datadir = $(PREFIX)/share/pesq
mandir = $(PREFIX)/share/man
completionsdir = $(PREFIX)/share/bash-completion/completions

ifeq ($(SANITIZE),1)
O := bin-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
else
O := bin
SANFLAGS :=
endif

CFLAGS ?= -O2 -g
PKG_CONFIG ?= pkg-config
LLVM_CONFIG ?= $(shell command -v llvm-config-14 2>/dev/null || \
	echo /usr/lib/llvm-14/bin/llvm-config)
LLVM_PREFIX := $(shell $(LLVM_CONFIG) --prefix 2>/dev/null || \
	echo /usr/lib/llvm-14)

GIT2_CFLAGS := $(shell $(PKG_CONFIG) --cflags libgit2 2>/dev/null)
GIT2_LIBS := $(shell $(PKG_CONFIG) --libs libgit2 2>/dev/null || echo -lgit2)
CURL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null || echo -lcurl)
CLANG_CFLAGS := -I$(LLVM_PREFIX)/include
CLANG_LIBS := -L$(LLVM_PREFIX)/lib -lclang -Wl,-rpath,$(LLVM_PREFIX)/lib
DW_LIBS := $(shell $(PKG_CONFIG) --libs libdw libelf 2>/dev/null || \
	echo -ldw -lelf)

ALL_CFLAGS = -std=c11 -Wall -Wextra -Wpedantic -Werror -D_GNU_SOURCE \
	-Ilib $(GIT2_CFLAGS) $(CURL_CFLAGS) $(CLANG_CFLAGS) \
	$(SANFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# What each program links besides lib/ and libc: libclang (and libdw,
# for the profiled binaries' sources) only in pesq-deps, libcurl only in
# pesq-llm, libdw in pesq-fold (which loads libstdc++'s demangler when it
# meets a C++ name).
LIBS_pesq-fold = $(DW_LIBS)
LIBS_pesq-hot =
LIBS_pesq-deps = $(CLANG_LIBS) $(DW_LIBS) $(GIT2_LIBS)
LIBS_pesq-prompt = $(GIT2_LIBS)
LIBS_pesq-llm = $(CURL_LIBS) $(GIT2_LIBS)
LIBS_pesq-apply = $(GIT2_LIBS)
LIBS_pesq-bench = $(GIT2_LIBS)
LIBS_pesq-sandbox = $(GIT2_LIBS)
# unit tests and test helpers
LIBS_TEST = $(GIT2_LIBS)

CMDS := $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
PROGS := $(addprefix $(O)/,$(CMDS))
# Internal programs: built beside the others, installed in libexecdir.
INTERNAL := pesq-measure
PUBLIC := $(filter-out $(addprefix $(O)/,$(INTERNAL)),$(PROGS))
LIB_OBJS := $(patsubst %.c,$(O)/%.o,$(wildcard lib/*/*.c))
UNITS := $(patsubst %.c,$(O)/%,$(wildcard t/unit/*.c))
HELPERS := $(patsubst %.c,$(O)/%,$(wildcard t/helper/*.c))
# scripts/pesq-completion.bash is installed as completions/git-pesq
COMPLETION := scripts/pesq-completion.bash
SCRIPTS := $(filter-out $(COMPLETION),$(wildcard scripts/*))
# Man pages do not depend on the build flavour: always in bin/man.
MANS := $(patsubst man/%.scd,bin/man/%,$(wildcard man/*.scd))

# Debian packages for building, testing and running pesq.
DEBIAN_PACKAGES = build-essential pkg-config git perl man-db \
	libgit2-dev libcurl4-openssl-dev libclang-dev llvm-14 \
	libjsmn-dev jq scdoc linux-perf bubblewrap \
	clang libclang-rt-14-dev libxml2-utils libstb-dev libdw-dev bear \
	ccache

PROVE ?= prove
PROVE_FLAGS ?= -j2

.PHONY: all check unit man install uninstall clean deps fuzz version FORCE
.SUFFIXES:
# keep objects: they are what makes rebuilds incremental
.SECONDARY:

all: $(PROGS) $(MANS)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The programs say the version; they are rebuilt when it changes.
$(O)/cmd/%.o: ALL_CFLAGS += -DPESQ_VERSION='"$(VERSION)"'
$(CMDS:%=$(O)/cmd/%.o): $(O)/version
$(O)/version: FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ 2>/dev/null || echo '$(VERSION)' >$@
FORCE:

version:
	@echo '$(VERSION)'

$(O)/libpesq.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(O)/pesq-%: $(O)/cmd/pesq-%.o $(O)/libpesq.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(O)/libpesq.a $(LIBS_pesq-$*) -lm

# pesq-measure runs inside the sandbox as the parent of the measured
# command: libc only, and never sanitized (a sanitizer's start-up time
# and its option files have no place there).
$(O)/pesq-measure: cmd/pesq-measure.c lib/base/version.h $(O)/version
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Wpedantic -Werror -D_GNU_SOURCE -Ilib \
		-DPESQ_VERSION='"$(VERSION)"' $(CFLAGS) $(LDFLAGS) -o $@ $<

$(O)/t/unit/%: $(O)/t/unit/%.o $(O)/libpesq.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(O)/libpesq.a $(LIBS_TEST) -lm

$(O)/t/helper/%: $(O)/t/helper/%.o $(O)/libpesq.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(O)/libpesq.a $(LIBS_TEST) -lm

man: $(MANS)
bin/man/%: man/%.scd
	@mkdir -p bin/man
	scdoc <$< >$@.tmp && mv $@.tmp $@

unit: $(UNITS)

# The tests find programs in $(O), helpers in $(O)/t/helper, scripts in
# scripts/ (see t/test-lib.sh).
check: all $(UNITS) $(HELPERS) $(MANS)
	cd t && PESQ_BIN='$(CURDIR)/$(O)' PESQ_SANITIZE='$(SANITIZE)' \
		$(PROVE) $(PROVE_FLAGS) ./t[0-9]*.sh $(addprefix '$(CURDIR)'/,$(UNITS))

install: all $(MANS)
	install -d '$(DESTDIR)$(bindir)' '$(DESTDIR)$(datadir)' \
		'$(DESTDIR)$(libexecdir)' \
		'$(DESTDIR)$(mandir)/man1' '$(DESTDIR)$(mandir)/man5' \
		'$(DESTDIR)$(mandir)/man7'
	set -e; for p in $(PUBLIC); do install -m 755 $$p '$(DESTDIR)$(bindir)'; done
	set -e; for p in $(INTERNAL); do \
		install -m 755 $(O)/$$p '$(DESTDIR)$(libexecdir)'; done
	set -e; for s in $(SCRIPTS); do \
		case $$s in scripts/git-*) \
			sed 's/^version=@VERSION@$$/version=$(VERSION)/' $$s \
			    >'$(DESTDIR)$(bindir)'/$${s#scripts/} && \
			chmod 755 '$(DESTDIR)$(bindir)'/$${s#scripts/};; \
		*) if [ -x $$s ]; then m=755; else m=644; fi; \
			install -m $$m $$s '$(DESTDIR)$(datadir)';; \
		esac; done
	install -m 644 pesq.mk '$(DESTDIR)$(datadir)'
	install -d '$(DESTDIR)$(completionsdir)'
	install -m 644 $(COMPLETION) '$(DESTDIR)$(completionsdir)/git-pesq'
	set -e; for m in $(MANS); do \
		s=$${m##*.}; install -m 644 $$m '$(DESTDIR)$(mandir)/man'$$s; \
	done

uninstall:
	rm -f $(addprefix '$(DESTDIR)$(bindir)'/,$(CMDS))
	rm -f $(addprefix '$(DESTDIR)$(libexecdir)'/,$(INTERNAL))
	-rmdir '$(DESTDIR)$(libexecdir)'
	set -e; for s in $(SCRIPTS); do \
		case $$s in scripts/git-*) rm -f '$(DESTDIR)$(bindir)'/$${s#scripts/};; \
		*) rm -f '$(DESTDIR)$(datadir)'/$${s#scripts/};; esac; done
	rm -f '$(DESTDIR)$(datadir)/pesq.mk'
	rm -f '$(DESTDIR)$(completionsdir)/git-pesq'
	-rmdir '$(DESTDIR)$(completionsdir)' \
	    '$(DESTDIR)$(PREFIX)/share/bash-completion' 2>/dev/null
	-rmdir '$(DESTDIR)$(datadir)'
	set -e; for m in $(MANS); do \
		b=$${m##*/}; rm -f '$(DESTDIR)$(mandir)'/man$${b##*.}/$$b; done

clean:
	rm -rf bin bin-san t/trash t/perf/out

deps:
	@sh .ci/deps $(DEBIAN_PACKAGES)

# libFuzzer on the JSON-lines reader: make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
fuzz:
	@mkdir -p $(O)
	clang -std=c11 -D_GNU_SOURCE -Ilib -g -O1 \
		-fsanitize=fuzzer,address,undefined -o $(O)/fuzz-jsonl \
		t/perf/fuzz-jsonl.c lib/base/jsonl.c lib/base/notjson.c \
		lib/base/sbuf.c lib/base/xalloc.c -lm
	mkdir -p $(O)/fuzz-corpus
	$(O)/fuzz-jsonl -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-print_final_stats=1 $(O)/fuzz-corpus

-include $(wildcard $(O)/*/*.d $(O)/*/*/*.d)

# The README's main-job command: pesq on the bundled sample, end to end.
demo: all $(MANS)
	sh t/fixtures/sample/pesq/demo.sh '$(O)'
.PHONY: demo
