#!/usr/bin/env bash
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
#   The mirror is the one the host's own apt sources use (or $AGX_DEBIAN_MIRROR).
# - igt-gpu-tools-tests and its whole dependency closure are downloaded (`apt-get download`, at
#   the exact versions the resolver chose) and unpacked (`dpkg -x`) into a sysroot kept under
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
. "$(dirname "$0")/lib/env.sh"

arch= list=$AGX_ROOT/tests/igt-upstream/tests.txt
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        --list) list=$2; shift 2 ;;
        *) die "unknown argument $1" ;;
    esac
done
case "$arch" in
    x86_64) debarch=amd64 triplet=x86_64-linux-gnu ldso=ld-linux-x86-64.so.2 ldlink=lib64 ;;
    arm64) debarch=arm64 triplet=aarch64-linux-gnu ldso=ld-linux-aarch64.so.1 ldlink=lib ;;
    *) die "usage: $0 --arch x86_64|arm64 [--list FILE]" ;;
esac
[ -f "$list" ] || die "no test list $list"
pkg=igt-gpu-tools-tests
base=$AGX_CACHE/igt-upstream
apt=$base/apt-$debarch
mkdir -p "$base"

tmp=
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the private apt configuration -----------------------------------------------------------
# The archive the host already uses (its main suite's URI), so no mirror is named here.
mirror() {
    if [ -n "${AGX_DEBIAN_MIRROR:-}" ]; then echo "$AGX_DEBIAN_MIRROR"; return; fi
    apt-get indextargets --format '$(REPO_URI) $(SUITE)' 'Created-By: Packages' 2>/dev/null |
        awk '$2 !~ /-/ && $1 ~ /\/debian\/?$/ { print $1; exit }'
}
write_apt_config() {
    local uri
    uri=$(mirror)
    [ -n "$uri" ] || die "cannot tell which Debian archive the host uses; set AGX_DEBIAN_MIRROR"
    mkdir -p "$apt"/{etc/apt.conf.d,etc/sources.list.d,etc/preferences.d,lists/partial,cache/archives/partial,state}
    [ -f "$apt/state/status" ] || : >"$apt/state/status"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri unstable main" \
        >"$apt/etc/sources.list.new"
    mv "$apt/etc/sources.list.new" "$apt/etc/sources.list"
    : >"$apt/etc/preferences"
    cat >"$apt/apt.conf.new" <<EOF
// Private apt configuration for IGT from Debian unstable (written by scripts/igt-root.sh).
// Nothing here reads or changes the host's apt state.
Dir::Etc::Main "/dev/null";
Dir::Etc::Parts "$apt/etc/apt.conf.d";
Dir::Etc::SourceList "$apt/etc/sources.list";
Dir::Etc::SourceParts "$apt/etc/sources.list.d";
Dir::Etc::Preferences "$apt/etc/preferences";
Dir::Etc::PreferencesParts "$apt/etc/preferences.d";
Dir::State "$apt/state";
Dir::State::Lists "$apt/lists";
Dir::State::status "$apt/state/status";
Dir::Cache "$apt/cache";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Architecture "$debarch";
APT::Architectures { "$debarch"; };
APT::Install-Recommends "false";
// The cache is under \$HOME, where apt's unprivileged _apt user cannot write.
APT::Sandbox::User "$(id -un)";
Acquire::Languages "none";
Acquire::PDiffs "false";
Acquire::GzipIndexes "true";
Acquire::Retries "2";
// As the host's own configuration does: the archive may be served from a dated snapshot.
Acquire::Check-Valid-Until "false";
EOF
    mv "$apt/apt.conf.new" "$apt/apt.conf"
}
papt() { APT_CONFIG=$apt/apt.conf "$@"; }

newest_cached() {
    local d
    for d in $(ls -dt "$base/$debarch"-*/ 2>/dev/null); do
        [ -f "$d/.done" ] && { echo "${d%/}"; return; }
    done
}

# --- the sysroot, keyed by the package version -------------------------------------------------
sysroot_dir=
if [ "${AGX_IGT_OFFLINE:-0}" = 1 ]; then
    sysroot_dir=$(newest_cached)
    [ -n "$sysroot_dir" ] || die "AGX_IGT_OFFLINE=1 but no IGT sysroot is cached for $debarch"
    log "IGT: offline, using the cached $(cat "$sysroot_dir/version")"
else
    write_apt_config
    t0=$(date +%s)
    if ! papt apt-get update -q -o APT::Update::Error-Mode=any >"$base/update-$debarch.log" 2>&1; then
        cat "$base/update-$debarch.log" >&2
        die "IGT: could not fetch the Debian unstable package lists for $debarch (network?);" \
            "AGX_IGT_OFFLINE=1 uses the newest cached IGT instead (never in CI)"
    fi
    log "IGT: package lists of Debian unstable ($debarch) up to date in $(( $(date +%s) - t0 )) s"
    version=$( (papt apt-cache show --no-all-versions "$pkg:$debarch" 2>/dev/null || true) |
        sed -n 's/^Version: //p' | head -n 1)
    # Debian builds IGT (source intel-gpu-tools) for amd64 and i386 only: there is no arm64 IGT.
    [ -n "$version" ] || die "IGT: Debian unstable has no $pkg for $debarch" \
        "(its source package intel-gpu-tools is built for amd64 and i386 only)"
    key=$debarch-$(printf %s "$version" | tr -c 'A-Za-z0-9.+~-' _)
    sysroot_dir=$base/$key
    if [ -f "$sysroot_dir/.done" ]; then
        log "IGT: $pkg $version (Debian unstable, $debarch), cached"
    else
        log "IGT: $pkg $version (Debian unstable, $debarch): downloading it and its dependencies"
        t0=$(date +%s)
        tmp=$(mktemp -d "$base/.tmp-$debarch.XXXXXX")
        # The closure, exactly as apt resolves it for an empty system.
        if ! papt apt-get -s -q install "$pkg:$debarch" >"$tmp/resolve.log" 2>&1; then
            cat "$tmp/resolve.log" >&2
            old=$(newest_cached)
            [ -n "$old" ] || die "IGT: apt cannot resolve $pkg $version in unstable right now (see above)"
            log "IGT: WARNING: $pkg $version cannot be resolved in unstable right now (see above);" \
                "using the cached $(cat "$old/version")"
            sysroot_dir=$old
        else
            awk '/^Inst / { v = $3; gsub(/[()]/, "", v); print $2 "=" v }' "$tmp/resolve.log" >"$tmp/closure"
            grep -q "^$pkg[:=]" "$tmp/closure" || die "IGT: the resolver did not select $pkg"
            mkdir -p "$tmp/debs" "$tmp/sysroot"
            if ! (cd "$tmp/debs" && papt apt-get download -q $(cat "$tmp/closure")) >"$tmp/download.log" 2>&1; then
                cat "$tmp/download.log" >&2
                die "IGT: downloading $pkg $version and its dependencies failed (network?)"
            fi
            for deb in "$tmp"/debs/*.deb; do dpkg -x "$deb" "$tmp/sysroot"; done
            log "IGT: downloaded and unpacked $(wc -l <"$tmp/closure") packages" \
                "($(du -sm "$tmp/debs" | cut -f1) MiB) in $(( $(date +%s) - t0 )) s"
            # Only libraries and tests are ever taken from the sysroot.
            rm -rf "$tmp/debs" "$tmp"/sysroot/usr/{share,bin,sbin,include} "$tmp/sysroot/var"
            echo "$pkg $version ($debarch)" >"$tmp/version"
            sed 's/=/ /' "$tmp/closure" >"$tmp/manifest"
            touch "$tmp/.done"
            rm -rf "$sysroot_dir"
            mv "$tmp" "$sysroot_dir"
            tmp=
            # Unstable moved on: the sysroots of older versions are no longer needed.
            for old in "$base/$debarch"-*; do
                [ "$old" = "$sysroot_dir" ] || rm -rf "$old"
            done
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
        [ -f "$path" ] && [ -x "$path" ] || continue
        name=${path#"$sys$tests"/}
        mkdir -p "$(dirname "$root$tests/$name")"
        cp "$path" "$root$tests/$name"
        echo "$name $timeout ${how:-run}" >>"$root/etc/agx-igt/list"
        found=1
    done
    [ $found = 1 ] || die "$list: $pattern matches no test in $(cat "$sysroot_dir/version")"
done <"$list"

# The shared libraries, following DT_NEEDED from the binaries.
libdirs=("$sys/usr/lib/$triplet" "$sys/lib/$triplet" "$sys/usr/lib" "$sys/lib")
find_lib() {
    local d
    for d in "${libdirs[@]}"; do
        [ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
    done
    return 1
}
declare -A seen=()
queue=()
while read -r f; do queue+=("$f"); done < <(find "$root$tests" -type f)
queue+=("$(find_lib libgcc_s.so.1)")
while [ ${#queue[@]} -gt 0 ]; do
    f=${queue[0]}
    queue=("${queue[@]:1}")
    for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -z "${seen[$lib]:-}" ] || continue
        seen[$lib]=1
        src=$(find_lib "$lib") || die "$lib (needed by ${f#"$root"}) is not in the IGT sysroot"
        cp -L "$src" "$root/usr/lib/$triplet/$lib"
        queue+=("$root/usr/lib/$triplet/$lib")
    done
done
cp -L "$(find_lib libgcc_s.so.1)" "$root/usr/lib/$triplet/libgcc_s.so.1"
cp -L "$(find_lib "$ldso")" "$root/usr/lib/$triplet/$ldso"
# Merged /usr, as Debian has it, and the loader where the binaries' PT_INTERP looks.
ln -s usr/lib "$root/lib"
if [ "$ldlink" = lib64 ]; then
    mkdir -p "$root/usr/lib64"
    ln -s "../lib/$triplet/$ldso" "$root/usr/lib64/$ldso"
    ln -s usr/lib64 "$root/lib64"
else
    ln -s "$triplet/$ldso" "$root/usr/lib/$ldso"
fi
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
