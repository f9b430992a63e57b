# wsc: build, install and uninstall.
#
#   make                      release build (.build/release/wsc)
#   make install              binary, man page and shell completions under $(PREFIX)
#   make install PREFIX=~/.local
#   make install DESTDIR=/tmp/stage   (for packaging: files go to $(DESTDIR)$(PREFIX)/...)
#   make uninstall            removes exactly what install put there
#   make test                 Scripts/test (unit and end-to-end tests), else swift test
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

RELEASE_BINARY = .build/release/wsc

.PHONY: all build install uninstall test docs clean

all: build

build:
	$(SWIFT) build -c release --product wsc

# Rebuilt when a source is newer than the binary (so install never copies a stale one); when
# it is current, install only copies, so `make && sudo make install` does not build as root.
SOURCES := Package.swift $(shell find Sources -type f 2>/dev/null)

$(RELEASE_BINARY): $(SOURCES)
	$(SWIFT) build -c release --product wsc

install: $(RELEASE_BINARY)
	$(INSTALL) -d "$(BINDIR)" "$(MAN1DIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	$(INSTALL) -m 755 $(RELEASE_BINARY) "$(BINDIR)/wsc"
	$(INSTALL) -m 644 man/wsc.1 "$(MAN1DIR)/wsc.1"
	$(INSTALL) -m 644 completions/wsc.bash "$(BASHDIR)/wsc"
	$(INSTALL) -m 644 completions/_wsc "$(ZSHDIR)/_wsc"
	$(INSTALL) -m 644 completions/wsc.fish "$(FISHDIR)/wsc.fish"

uninstall:
	rm -f "$(BINDIR)/wsc" "$(MAN1DIR)/wsc.1" "$(BASHDIR)/wsc" "$(ZSHDIR)/_wsc" "$(FISHDIR)/wsc.fish"

test:
	@if [ -x Scripts/test ]; then Scripts/test; else $(SWIFT) build && $(SWIFT) test; fi

docs:
	$(SWIFT) build --product wsc
	Scripts/generate-docs

clean:
	$(SWIFT) package clean
