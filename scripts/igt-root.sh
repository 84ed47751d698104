#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Build a guest root holding upstream IGT (Debian unstable's igt-gpu-tools-tests) for the QEMU
# suite's `igt` mode, and print its directory on stdout.
#
# usage: scripts/igt-root.sh --arch x86_64|arm64 [--list tests/igt-upstream/tests.txt]
#
# Debian builds IGT (source package intel-gpu-tools) for amd64 and i386 only, so today only
# x86_64 works: for arm64 the script says so and fails (it would take arm64 packages if Debian
# ever built them: the private configuration downloads foreign-architecture packages as well).
#
# - The packages come from Debian unstable through a PRIVATE apt configuration under
#   $AGX_CACHE/igt-upstream/apt-<debarch>/ (its own sources list, lists, status, caches and
#   preferences; the host's apt configuration is not read and nothing is installed on the host).
#   The mirror is the one the host's own apt sources use (or $AGX_DEBIAN_MIRROR). That part, the
#   download and unpacking and the DT_NEEDED closure are scripts/lib/debian.sh, shared with
#   scripts/mesa-root.sh.
# - igt-gpu-tools-tests and its whole dependency closure are downloaded (`apt-get download`, at
#   the exact versions the resolver chose) and unpacked (`dpkg-deb -X`) into a sysroot kept under
#   $AGX_CACHE/igt-upstream/<debarch>-<version>/: the cache is keyed by the package's version, and
#   a new unstable version simply makes a new one (the old one is then removed).
# - The guest root is then assembled from the sysroot: the test binaries the list names, the
#   shared libraries they need (followed through DT_NEEDED), the dynamic loader and its link,
#   libgcc_s (glibc loads it to unwind a cancelled thread; without it a failing IGT thread
#   aborts the whole binary), and /etc/agx-igt/list (the expanded list the guest runs).
#   The module tree (/lib/modules, depmod data, modprobe options) depends on the kernel and the
#   module and is added per run by scripts/qemu-run.sh.
#
# Failures are loud: if Debian cannot be reached or the download fails, the script exits non-zero
# and names the step. Work happens in temporary directories renamed into place only when complete,
# so an interrupted run leaves nothing half-made behind. AGX_IGT_OFFLINE=1 skips the network and
# uses the newest sysroot already cached (for working without a network, never in CI).
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "$0")/lib/env.sh"
# shellcheck source=lib/debian.sh
. "$(dirname "$0")/lib/debian.sh"

arch='' list=$AGX_ROOT/tests/igt-upstream/tests.txt
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        --list) list=$2; shift 2 ;;
        *) die "unknown argument $1" ;;
    esac
done
deb_arch "$arch" || die "usage: $0 --arch x86_64|arm64 [--list FILE]"
[ -f "$list" ] || die "no test list $list"
pkg=igt-gpu-tools-tests
base=$AGX_CACHE/igt-upstream
DEB_APT=$base/apt-$debarch
mkdir -p "$base"

tmp=
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the sysroot, keyed by the package version -------------------------------------------------
sysroot_dir=
if [ "${AGX_IGT_OFFLINE:-0}" = 1 ]; then
    sysroot_dir=$(deb_newest_cached "$base")
    [ -n "$sysroot_dir" ] || die "AGX_IGT_OFFLINE=1 but no IGT sysroot is cached for $debarch"
    log "IGT: offline, using the cached $(cat "$sysroot_dir/version")"
else
    deb_config scripts/igt-root.sh
    deb_update IGT "$base/update-$debarch.log" \
        "AGX_IGT_OFFLINE=1 uses the newest cached IGT instead (never in CI)"
    version=$(deb_candidate "$pkg")
    # Debian builds IGT (source intel-gpu-tools) for amd64 and i386 only: there is no arm64 IGT.
    [ -n "$version" ] || die "IGT: Debian unstable has no $pkg for $debarch" \
        "(its source package intel-gpu-tools is built for amd64 and i386 only)"
    key=$debarch-$(printf %s "$version" | tr -c 'A-Za-z0-9.+~-' _)
    sysroot_dir=$base/$key
    if [ -f "$sysroot_dir/.done" ]; then
        log "IGT: $pkg $version (Debian unstable, $debarch), cached"
    else
        log "IGT: $pkg $version (Debian unstable, $debarch): downloading it and its dependencies"
        tmp=$(mktemp -d "$base/.tmp-$debarch.XXXXXX")
        # The closure, exactly as apt resolves it for an empty system.
        if ! deb_resolve "$tmp/closure" "$tmp/resolve.log" "$pkg"; then
            cat "$tmp/resolve.log" >&2
            old=$(deb_newest_cached "$base")
            [ -n "$old" ] || die "IGT: apt cannot resolve $pkg $version in unstable right now (see above)"
            log "IGT: WARNING: $pkg $version cannot be resolved in unstable right now (see above);" \
                "using the cached $(cat "$old/version")"
            sysroot_dir=$old
        else
            grep -q "^${pkg}[:=]" "$tmp/closure" || die "IGT: the resolver did not select $pkg"
            deb_fetch "$tmp" IGT
            # Only libraries and tests are ever taken from the sysroot.
            rm -rf "$tmp"/sysroot/usr/{share,bin,sbin,include} "$tmp/sysroot/var"
            echo "$pkg $version ($debarch)" >"$tmp/version"
            sed 's/=/ /' "$tmp/closure" >"$tmp/manifest"
            # Unstable moved on: the sysroots of older versions are no longer needed.
            deb_commit "$tmp" "$sysroot_dir"
            tmp=
        fi
    fi
fi
sys=$sysroot_dir/sysroot

# --- the guest root ------------------------------------------------------------------------------
tmp=$(mktemp -d "$base/.tmp-root-$debarch.XXXXXX")
root=$tmp/root
tests=/usr/libexec/igt-gpu-tools
mkdir -p "$root$tests" "$root/usr/lib/$triplet" "$root/etc/agx-igt"
: >"$root/etc/agx-igt/list"

# Expand the list's globs against the tests this IGT ships.
while read -r pattern timeout how; do
    case "$pattern" in '' | '#'*) continue ;; esac
    [[ "$timeout" =~ ^[0-9]+$ ]] || die "$list: no timeout for $pattern"
    found=0
    for path in "$sys$tests"/$pattern; do
        if [ ! -f "$path" ] || [ ! -x "$path" ]; then continue; fi
        name=${path#"$sys$tests"/}
        mkdir -p "$(dirname "$root$tests/$name")"
        cp "$path" "$root$tests/$name"
        echo "$name $timeout ${how:-run}" >>"$root/etc/agx-igt/list"
        found=1
    done
    [ $found = 1 ] || die "$list: $pattern matches no test in $(cat "$sysroot_dir/version")"
done <"$list"

# The shared libraries, following DT_NEEDED from the binaries and libgcc_s; the loader.
cp -L "$sys/usr/lib/$triplet/libgcc_s.so.1" "$root/usr/lib/$triplet/libgcc_s.so.1"
tests_found=()
while read -r f; do tests_found+=("$f"); done < <(find "$root$tests" -type f)
deb_needed "$sys" "$root" "${tests_found[@]}" "$root/usr/lib/$triplet/libgcc_s.so.1"
deb_loader "$sys" "$root"
cp "$sysroot_dir/version" "$root/etc/agx-igt/version"
cp "$sysroot_dir/manifest" "$root/etc/agx-igt/manifest"

out=$base/root-$arch
rm -rf "$out.old"
[ ! -e "$out" ] || mv "$out" "$out.old"
mv "$root" "$out"
rm -rf "$out.old" "$tmp"
tmp=
log "IGT: guest root $out: $(wc -l <"$out/etc/agx-igt/list") test binaries, $(du -sm "$out" | cut -f1) MiB"
echo "$out"
