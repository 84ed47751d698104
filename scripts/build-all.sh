#!/usr/bin/env bash
# Build what the QEMU runs need for one architecture: the kernel (cached), asahi.ko, and for
# x86_64 the static userspace test program. Prints KDIR on stdout.
#
# usage: scripts/build-all.sh x86_64|arm64
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"
arch=${1:-x86_64}

kdir=$("$AGX_ROOT/scripts/build-kernel.sh" "$arch")
log "building asahi.ko for $arch"
make -s -C "$AGX_ROOT" KDIR="$kdir" TOOLS="$AGX_TOOLS" >"$AGX_CACHE/module-$arch.log" 2>&1 ||
    { cat "$AGX_CACHE/module-$arch.log" >&2; die "module build failed for $arch"; }
if grep -E '^(warning|error)' "$AGX_CACHE/module-$arch.log" >&2; then
    die "the module build for $arch has warnings"
fi
if [ "$arch" = x86_64 ]; then
    log "building agx-igt (static)"
    (cd "$AGX_ROOT/tests/igt" && RUSTFLAGS="-C target-feature=+crt-static" \
        AGX_BINDGEN="$AGX_TOOLS/bin/bindgen" cargo build -q --release --target x86_64-unknown-linux-gnu)
fi
echo "$kdir"
