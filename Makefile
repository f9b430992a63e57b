# wsc: build, install and uninstall.
#
#   make                      release build (.build-release/release/wsc), the Swift runtime linked in
#   make demo                 Scripts/demo: installs missing system packages, builds, starts `wsc --demo`
#   make install              binary, man page and shell completions under $(PREFIX)
#   make install PREFIX=~/.local
#   make install DESTDIR=/tmp/stage   (for packaging: files go to $(DESTDIR)$(PREFIX)/...)
#   make uninstall            removes exactly what install put there
#   make test                 Scripts/test: installs missing system packages, runs unit and end-to-end tests
#   make docs                 regenerates man/wsc.1 and completions/ from the debug build
#
# Installed:
#   $(PREFIX)/bin/wsc
#   $(PREFIX)/share/man/man1/wsc.1
#   $(PREFIX)/share/bash-completion/completions/wsc
#   $(PREFIX)/share/zsh/site-functions/_wsc
#   $(PREFIX)/share/fish/vendor_completions.d/wsc.fish

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
INSTALL ?= install

BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

RELEASE_BINARY = .build-release/release/wsc

.PHONY: all build install uninstall demo test docs clean

all: build

# The installed binary must not depend on the toolchain it was built with: with the Swift
# runtime as shared libraries it loads ten of them from the toolchain's directory (and stops
# working when that toolchain is removed or upgraded), and it peaks at about twice the memory.
# Debug builds (swift build, the tests) keep the dynamic runtime: they link faster.
# .build-release is shared with Benchmarks/run.sh and Scripts/autobahn.sh (same flags).
RELEASE_FLAGS = -c release --static-swift-stdlib --scratch-path .build-release --product wsc

# RELR relocations (lld's -z pack-relative-relocs) shrink the 39,000 relocations of the static
# runtime's metadata to a few kilobytes: about 0.9 MiB less resident memory in every session
# (docs/performance.md). The binary then needs glibc 2.36 or later to start, so they are used
# only when the building machine has it (the binary is for this machine) and the toolchain has
# lld; RELR=no turns them off.
RELR ?= $(shell getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ split($$2, v, "."); print (v[1] > 2 || (v[1] == 2 && v[2] >= 36)) ? "yes" : "no" }')
ifeq ($(RELR),yes)
ifneq ($(wildcard $(dir $(shell readlink -f "$$(command -v $(SWIFT))"))ld.lld),)
RELEASE_FLAGS += -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
endif
endif

build:
	@Scripts/system-packages build
	$(SWIFT) build $(RELEASE_FLAGS)

# Rebuilt when a source (or this file, with the flags) is newer than the binary, so install never
# copies a stale one; when it is current, install only copies, so `make && sudo make install`
# does not build as root. The touch: a build with nothing to do leaves the binary's time alone.
SOURCES := Package.swift $(shell find Sources -type f 2>/dev/null)

$(RELEASE_BINARY): $(SOURCES) Makefile
	$(SWIFT) build $(RELEASE_FLAGS)
	touch $@

install: $(RELEASE_BINARY)
	$(INSTALL) -d "$(BINDIR)" "$(MAN1DIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	$(INSTALL) -m 755 $(RELEASE_BINARY) "$(BINDIR)/wsc"
	$(INSTALL) -m 644 man/wsc.1 "$(MAN1DIR)/wsc.1"
	$(INSTALL) -m 644 completions/wsc.bash "$(BASHDIR)/wsc"
	$(INSTALL) -m 644 completions/_wsc "$(ZSHDIR)/_wsc"
	$(INSTALL) -m 644 completions/wsc.fish "$(FISHDIR)/wsc.fish"

uninstall:
	rm -f "$(BINDIR)/wsc" "$(MAN1DIR)/wsc.1" "$(BASHDIR)/wsc" "$(ZSHDIR)/_wsc" "$(FISHDIR)/wsc.fish"

# README's first two commands.
demo:
	Scripts/demo

test:
	Scripts/test

docs:
	$(SWIFT) build --product wsc
	Scripts/generate-docs

clean:
	$(SWIFT) package clean
