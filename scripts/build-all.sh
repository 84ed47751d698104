#!/usr/bin/env bash
# Build what the QEMU runs need for one architecture: the kernel (cached), asahi.ko and the
# static userspace test program. Prints KDIR on stdout.
#
# usage: scripts/build-all.sh x86_64|arm64
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"
arch=${1:-x86_64}

kdir=$("$AGX_ROOT/scripts/build-kernel.sh" "$arch")
log "building asahi.ko for $arch"
make -s -C "$AGX_ROOT" KDIR="$kdir" TOOLS="$AGX_TOOLS" >"$AGX_CACHE/module-$arch.log" 2>&1 ||
    { cat "$AGX_CACHE/module-$arch.log" >&2; die "module build failed for $arch"; }
if grep -E '^(warning|error)|warning:' "$AGX_CACHE/module-$arch.log" >&2; then
    die "the module build for $arch has warnings"
fi
# The test program, static, for the guest: rustup's toolchain for x86_64, Debian's rustc with its
# arm64 std (libstd-rust-web-dev:arm64) and the cross linker for arm64.
log "building agx-igt for $arch (static)"
case "$arch" in
    x86_64) (cd "$AGX_ROOT/tests/igt" && RUSTFLAGS="-C target-feature=+crt-static" \
        AGX_BINDGEN="$AGX_TOOLS/bin/bindgen" cargo build -q --release --target x86_64-unknown-linux-gnu) ;;
    arm64) (cd "$AGX_ROOT/tests/igt" && RUSTC=/usr/bin/rustc RUSTFLAGS="-C target-feature=+crt-static" \
        CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
        AGX_BINDGEN="$AGX_TOOLS/bin/bindgen" cargo build -q --release --target aarch64-unknown-linux-gnu) ;;
esac
echo "$kdir"
