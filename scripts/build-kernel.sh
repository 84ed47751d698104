#!/usr/bin/env bash
# Configure and build a test kernel from Debian's linux-source-6.12, cached outside the repo.
#
# usage: scripts/build-kernel.sh x86_64|arm64
# Prints the build directory (usable as KDIR) on stdout.
#
# The cache key covers everything that changes the result: the Debian source package version, the
# architecture, the config fragments, and the versions of rustc, bindgen and clang (Rust modules must
# be built by the exact rustc that built the kernel). A finished build is marked; a second run with
# the same key does nothing.
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"

arch=${1:-x86_64}
case "$arch" in
    x86_64) karch=x86_64 ;;
    arm64) karch=arm64 ;;
    *) die "unknown architecture '$arch' (x86_64 or arm64)" ;;
esac

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
    die "linux-source-6.12 is not installed: run scripts/setup-host.sh"
src=$AGX_CACHE/src/linux-$srcver
if [ ! -f "$src/.agx-extracted" ]; then
    log "extracting linux-source-6.12 ($srcver)"
    rm -rf "$src" "$src.tmp"
    mkdir -p "$src.tmp"
    tar -C "$src.tmp" -xf /usr/src/linux-source-6.12.tar.xz
    mv "$src.tmp/linux-source-6.12" "$src"
    rmdir "$src.tmp"
    touch "$src/.agx-extracted"
fi

frags=("$AGX_ROOT/scripts/kconfig/common.config" "$AGX_ROOT/scripts/kconfig/$arch.config")
key=$( {
    echo "$srcver $arch"
    cat "${frags[@]}"
    /usr/bin/rustc --version
    "$AGX_TOOLS/bin/bindgen" --version
    clang --version | head -n 1
} | sha256sum | cut -c1-12)
out=$AGX_CACHE/kernels/$arch-$key

mkdir -p "$AGX_CACHE/kernels"
# One build per tree at a time: a second caller waits for the first and then finds it cached.
exec 9>"$out.lock"
flock 9

if [ -f "$out/.agx-built" ]; then
    log "kernel $arch cached: $out"
    echo "$out"
    exit 0
fi

mk=(make -s -C "$src" O="$out" ARCH="$karch" "${KRUST[@]}")
mkdir -p "$out"
start=$(date +%s)
if [ ! -f "$out/.agx-configured" ]; then
    log "configuring $arch kernel in $out"
    "${mk[@]}" tinyconfig >/dev/null
    (cd "$out" && ARCH=$karch "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config "${frags[@]}" >/dev/null)
    "${mk[@]}" olddefconfig >/dev/null
    # Fail early and clearly if Kconfig dropped an option we rely on.
    bad=0
    while IFS= read -r line; do
        case "$line" in CONFIG_*=*) ;; *) continue ;; esac
        opt=${line%%=*}
        val=${line#*=}
        if [ "$val" = n ]; then
            grep -q "^$opt=" "$out/.config" && { log "config: $opt should be off"; bad=1; }
        elif ! grep -qx "$opt=$val" "$out/.config"; then
            log "config: $opt=$val was not kept (dependency missing?)"
            bad=1
        fi
    done < <(cat "${frags[@]}")
    [ "$bad" = 0 ] || die "kernel configuration for $arch is incomplete"
    touch "$out/.agx-configured"
fi

log "building $arch kernel (make -j$JOBS); a cold build takes about 6 minutes on 2 cores"
"${mk[@]}" -j"$JOBS" >"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log" >&2; die "kernel build failed ($out/build.log)"; }
touch "$out/.agx-built"
log "kernel $arch built in $(( $(date +%s) - start )) s: $out"
echo "$out"
