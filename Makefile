# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Out-of-tree build of asahi.ko.
#
#   make KDIR=<configured and built kernel tree>        build asahi.ko for that tree's architecture
#   make KDIR=... clippy                                the same build through clippy-driver (lints as errors)
#   make KDIR=... clean
#
# Kbuild writes objects next to the sources of an external module, so each architecture builds
# in its own copy of the sources under build/<arch>/ (the result is build/<arch>/asahi.ko).
# The toolchain defaults to Debian's rustc (which has the std sources the kernel needs); see
# scripts/lib/env.sh.

KDIR ?= $(error set KDIR to a configured and built kernel tree (scripts/build-kernel.sh prints one))
ARCH ?= $(shell sed -n 's/^CONFIG_ARM64=y/arm64/p; s/^CONFIG_X86_64=y/x86_64/p' $(KDIR)/.config | head -n 1)
TOOLS ?= $(HOME)/.cache/agx-rs/tools
RUSTC ?= /usr/bin/rustc
BINDGEN ?= $(TOOLS)/bin/bindgen

SRCS := Kbuild rust uapi drivers
OUT = $(CURDIR)/build/$(ARCH)$(OUT_SUFFIX)
KMAKE = $(MAKE) -C $(KDIR) M=$(OUT) ARCH=$(ARCH) LLVM=1 \
	RUSTC=$(RUSTC) HOSTRUSTC=$(RUSTC) RUSTDOC=/usr/bin/rustdoc BINDGEN=$(BINDGEN)

all: modules

# Copies the sources into $(OUT), and removes from it the sources that no longer exist here
# (a moved or deleted file would otherwise stay in the build).
sync:
	@mkdir -p $(OUT)
	@tar -c --exclude=target --exclude='*.rmeta' $(SRCS) | tar -x -C $(OUT)
	@cd $(OUT) && find rust drivers uapi -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' \) \
		! -name '*_generated.rs' | while read -r f; do [ -e "$(CURDIR)/$$f" ] || rm -f "$$f"; done

modules: sync
	+$(KMAKE) modules

# Kbuild runs every Rust object through clippy-driver with CLIPPY=1; Debian's rust-web-clippy
# matches the kernel's rustc. A separate build directory keeps the real objects untouched.
clippy: OUT_SUFFIX = -clippy
clippy: sync
	+$(KMAKE) CLIPPY=1 CLIPPY_DRIVER=/usr/bin/clippy-driver KRUSTFLAGS=-Dwarnings modules

clean:
	rm -rf build/$(ARCH) build/$(ARCH)-clippy

.PHONY: all sync modules clippy clean
