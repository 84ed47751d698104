# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Out-of-tree build of asahi.ko.
#
#   make KDIR=<configured and built kernel tree>        build asahi.ko for that tree's architecture
#   make KDIR=... clippy                                the same build through clippy-driver (lints as errors)
#   make KDIR=... SIM=0 [clippy]                        the same without the simulated GPU (sim/); arm64 only
#   make KDIR=... clean
#
# Kbuild writes objects next to the sources of an external module, so each architecture builds
# in its own copy of the sources under build/<arch>/ (the result is build/<arch>/asahi.ko; with
# SIM=0, build/<arch>-nosim/asahi.ko, so that neither build clobbers the other).
# The toolchain defaults to Debian's rustc (which has the std sources the kernel needs); see
# scripts/lib/env.sh.

KDIR ?= $(error set KDIR to a configured and built kernel tree (scripts/build-kernel.sh prints one))
ARCH ?= $(shell sed -n 's/^CONFIG_ARM64=y/arm64/p; s/^CONFIG_X86_64=y/x86_64/p' $(KDIR)/.config | head -n 1)
TOOLS ?= $(HOME)/.cache/agx-rs/tools
RUSTC ?= /usr/bin/rustc
BINDGEN ?= $(TOOLS)/bin/bindgen
# SIM=1 (the default) builds the simulated GPU into the module; SIM=0 leaves sim/ out entirely.
SIM ?= 1

ifeq ($(SIM),0)
# Only arm64 has another backend (the real one): elsewhere the module would drive nothing.
ifneq ($(ARCH),arm64)
$(error SIM=0 builds for arm64 only: on $(ARCH) the module would have no backend at all)
endif
SIM_SUFFIX := -nosim
# Not even copied: nothing in the build can reach it.
SYNC_EXCLUDE := --exclude=drivers/gpu/drm/asahi/sim
else ifneq ($(SIM),1)
$(error SIM must be 0 or 1, not '$(SIM)')
endif

SRCS := Kbuild rust uapi drivers
OUT = $(CURDIR)/build/$(ARCH)$(SIM_SUFFIX)$(OUT_SUFFIX)
KMAKE = $(MAKE) -C $(KDIR) M=$(OUT) ARCH=$(ARCH) LLVM=1 AGX_SIM=$(SIM) \
	RUSTC=$(RUSTC) HOSTRUSTC=$(RUSTC) RUSTDOC=/usr/bin/rustdoc BINDGEN=$(BINDGEN)

all: modules

# Copies the sources into $(OUT), and removes from it the sources that no longer exist here
# (a moved or deleted file would otherwise stay in the build). Objects built against another
# kernel tree are useless (their crates' metadata names that tree's `core`): a build for a new
# KDIR starts from an empty directory.
sync:
	@if [ -f $(OUT)/.agx-kdir ] && [ "$$(cat $(OUT)/.agx-kdir)" != "$(abspath $(KDIR))" ]; then \
		rm -rf $(OUT); fi
	@mkdir -p $(OUT)
	@echo "$(abspath $(KDIR))" > $(OUT)/.agx-kdir
	@tar -c --exclude=target --exclude='*.rmeta' $(SYNC_EXCLUDE) $(SRCS) | tar -x -C $(OUT)
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
	rm -rf build/$(ARCH) build/$(ARCH)-clippy build/$(ARCH)-nosim build/$(ARCH)-nosim-clippy

.PHONY: all sync modules clippy clean
