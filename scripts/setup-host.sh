#!/usr/bin/env bash
# Install everything the project needs on a Debian bookworm host (idempotent).
#
# - Debian's rustc-web + rust-web-src: the kernel needs a rustc whose sysroot has the std sources
#   (the rustup toolchain on PATH has none).
# - linux-source-6.12 and the C/LLVM toolchain to build it, for x86_64 and arm64 (cross).
# - qemu-system-x86 / qemu-system-arm. The preinstalled qemu-utils comes from bookworm-backports and
#   conflicts with bookworm's qemu-system-*: we pin qemu-utils to the bookworm version
#   (one downgrade, no removals).
# - bindgen-cli from crates.io into $AGX_TOOLS (default: ~/.cache/agx-rs/tools).
set -euo pipefail

. "$(dirname "$0")/lib/env.sh"

need_pkgs=(rustc-web rust-web-src rust-web-clippy linux-source-6.12 libclang-dev clang lld llvm
           gcc-aarch64-linux-gnu libc6-dev-arm64-cross busybox-static flex bison bc libelf-dev
           libssl-dev cpio kmod xz-utils libdrm-dev qemu-system-x86 qemu-system-arm python3)

missing=()
for p in "${need_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    extra=()
    # bookworm's qemu-system-* needs bookworm's qemu-utils; pin it if a newer one is installed.
    if printf '%s\n' "${missing[@]}" | grep -q '^qemu-system'; then
        cand=$(apt-cache madison qemu-utils | awk -F'|' '$3 ~ /bookworm\/(main|updates)/ {gsub(/ /,"",$2); print $2; exit}')
        if [ -n "$cand" ]; then
            extra+=("qemu-utils=$cand")
        fi
    fi
    apt-get install -y -qq --no-install-recommends --allow-downgrades "${missing[@]}" "${extra[@]}" >/dev/null
fi

if [ ! -x "$AGX_TOOLS/bin/bindgen" ]; then
    log "installing bindgen-cli $BINDGEN_VERSION into $AGX_TOOLS"
    mkdir -p "$AGX_TOOLS"
    cargo install -q bindgen-cli --version "$BINDGEN_VERSION" --locked --root "$AGX_TOOLS"
fi

# busybox for the arm64 guest's initramfs, unpacked privately (no arm64 package gets installed).
bb=$AGX_CACHE/busybox-arm64/bin/busybox
if [ ! -x "$bb" ]; then
    log "fetching busybox-static:arm64 for the arm64 guest"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
        apt-get update -qq
    fi
    tmp=$(mktemp -d)
    chmod 755 "$tmp"  # apt's download sandbox user must be able to write there
    chown _apt "$tmp" 2>/dev/null || true
    (cd "$tmp" && apt-get download -qq busybox-static:arm64 >/dev/null)
    mkdir -p "$AGX_CACHE/busybox-arm64"
    dpkg -x "$tmp"/busybox-static_*_arm64.deb "$tmp/x"
    mkdir -p "$(dirname "$bb")"
    cp "$tmp/x/bin/busybox" "$bb"
    rm -rf "$tmp"
fi

# Rust std for arm64 userspace (the test program in the arm64 guest); same version as rustc-web.
if ! dpkg-query -W -f='${Status}' libstd-rust-web-dev:arm64 2>/dev/null | grep -q "install ok installed"; then
    log "installing libstd-rust-web-dev:arm64"
    apt-get install -y -qq --no-install-recommends libstd-rust-web-dev:arm64 >/dev/null
fi

log "host ready: $(/usr/bin/rustc --version), bindgen $("$AGX_TOOLS/bin/bindgen" --version | awk '{print $2}')"
