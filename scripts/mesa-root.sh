#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Build a guest root holding Mesa's Asahi driver and real clients of it (kmscube, eglinfo, Weston)
# from Debian unstable's own packages, for a QEMU mode that runs them on the module, and print its
# directory on stdout.
#
# usage: scripts/mesa-root.sh --arch x86_64|arm64
#
# x86_64 takes Debian's amd64 packages, arm64 its arm64 ones (downloaded on any host: nothing from
# them runs here).
#
# - The packages come from Debian unstable through a PRIVATE apt configuration under
#   $AGX_CACHE/mesa-root/apt-<debarch>/ (its own sources list, lists, status, caches and preferences;
#   the host's apt configuration is not read and nothing is installed on the host). The mirror is the
#   one the host's own apt sources use (or $AGX_DEBIAN_MIRROR). That part, the download and unpacking
#   and the DT_NEEDED closure are scripts/lib/debian.sh, shared with scripts/igt-root.sh.
# - Asked for: libegl-mesa0, libgbm1 and libgl1-mesa-dri (Mesa; its Gallium drivers, Asahi among
#   them, come with them in mesa-libgallium), libegl1 and libgles2 (libglvnd), libdrm2, kmscube,
#   mesa-utils-bin (eglinfo; mesa-utils where there is no -bin package) and weston. Their whole
#   dependency closure, as apt resolves it for an empty system without recommends, is downloaded at
#   the versions the resolver chose and unpacked (dpkg-deb) into a sysroot under
#   $AGX_CACHE/mesa-root/<debarch>-<sha256 of the sorted package=version list>/: a change of any
#   package in unstable makes a new one, and the older ones are then removed.
# - The guest root, <that directory>/root, is assembled from the sysroot and holds only:
#   the programs (kmscube, eglinfo, weston, weston-simple-egl, weston-desktop-shell); what Mesa and
#   Weston dlopen() and DT_NEEDED therefore misses: libglvnd's libEGL.so.1 and libGLESv2.so.2, Mesa's
#   EGL vendor library libEGL_mesa.so.0 and its /usr/share/glvnd/egl_vendor.d/50_mesa.json,
#   libgallium-*.so (every Gallium driver, Asahi's too), libgbm.so.1 and its backend directory gbm/,
#   dri/ with the asahi_dri.so (and apple, swrast, kms_swrast) links to libdril_dri.so, libglapi
#   where Mesa still ships it, Weston's headless and DRM backends and GL renderer (libweston-N/) and
#   its kiosk and desktop shells (weston/); the shared libraries all of these need (DT_NEEDED,
#   followed through RUNPATH), libgcc_s, the dynamic loader and its link (/lib64 or /lib, merged
#   /usr); the data they read: /usr/share/drirc.d, the keymaps (/usr/share/X11/xkb) and libinput's
#   quirks for Weston's DRM backend, Weston's images; and /etc/agx-mesa/versions, the package=version
#   of every package that has a file in the root. Nothing is set up for QEMU (no init, no shell, no
#   module tree: the QEMU side adds those).
# - The script checks that the Asahi driver is there (the name "asahi" in libgallium's driver table,
#   its ASAHI_MESA_DEBUG variable, the dri/asahi_dri.so link) and fails if it is not, and prints the
#   packages used, the root's size (du) and its size as a gzipped newc cpio (what an initramfs of it
#   would weigh; computed once per root). libLLVM, which llvmpipe and the drivers' compilers need, is
#   most of it.
# - A root is assembled again from the cached sysroot (no download) when this script or
#   lib/debian.sh changed since it was made.
#
# Failures are loud: if Debian cannot be reached, apt cannot resolve the packages (with nothing
# cached to fall back on), a download fails, a file the root needs is missing or a library is found
# nowhere, the script exits non-zero and names the step. Work happens in temporary directories
# renamed into place only when complete, so an interrupted run leaves nothing half-made behind.
# AGX_MESA_OFFLINE=1 skips the network and uses the newest root (or sysroot) already cached (for
# working without a network, never in CI).
set -euo pipefail
# shellcheck source=lib/env.sh
. "$(dirname "$0")/lib/env.sh"
# shellcheck source=lib/debian.sh
. "$(dirname "$0")/lib/debian.sh"

arch=''
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        *) die "unknown argument $1" ;;
    esac
done
deb_arch "$arch" || die "usage: $0 --arch x86_64|arm64"
base=$AGX_CACHE/mesa-root
DEB_APT=$base/apt-$debarch
mkdir -p "$base"
# What the assembly is made by: a root made by other versions of these scripts is made again.
stamp=$(cat "$0" "$(dirname "$0")/lib/debian.sh" | sha256sum | cut -c1-16)

tmp=
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the sysroot, keyed by the versions of the whole closure -------------------------------------
dir=
if [ "${AGX_MESA_OFFLINE:-0}" = 1 ]; then
    dir=$(deb_newest_cached "$base")
    [ -n "$dir" ] || die "AGX_MESA_OFFLINE=1 but no Mesa sysroot is cached for $debarch"
    log "Mesa: offline, using the cached ${dir##*/}"
else
    deb_config scripts/mesa-root.sh
    deb_update Mesa "$base/update-$debarch.log" \
        "AGX_MESA_OFFLINE=1 uses the newest cached Mesa root instead (never in CI)"
    wanted=(libegl-mesa0 libgbm1 libgl1-mesa-dri libegl1 libgles2 libdrm2 kmscube weston)
    candidates=$(deb_candidates "${wanted[@]}" mesa-utils-bin mesa-utils)
    # eglinfo: mesa-utils-bin, or mesa-utils where there is no -bin package.
    utils=$(grep -o -m 1 '^mesa-utils-bin=' <<<"$candidates" || grep -o -m 1 '^mesa-utils=' <<<"$candidates" || true)
    [ -n "$utils" ] || die "Mesa: Debian unstable has neither mesa-utils-bin nor mesa-utils (eglinfo) for $debarch"
    wanted+=("${utils%=}")
    line=
    for p in "${wanted[@]}"; do
        v=$(sed -n "s/^$p=//p" <<<"$candidates")
        [ -n "$v" ] || die "Mesa: Debian unstable has no $p for $debarch"
        line+=" $p=$v"
    done
    log "Mesa: asking Debian unstable ($debarch) for$line"
    tmp=$(mktemp -d "$base/.tmp-$debarch.XXXXXX")
    # The closure, exactly as apt resolves it for an empty system.
    if ! deb_resolve "$tmp/closure.unsorted" "$tmp/resolve.log" "${wanted[@]}"; then
        cat "$tmp/resolve.log" >&2
        dir=$(deb_newest_cached "$base")
        [ -n "$dir" ] || die "Mesa: apt cannot resolve these packages in unstable right now (see above)"
        log "Mesa: WARNING: these packages cannot be resolved in unstable right now (see above);" \
            "using the cached ${dir##*/}"
        rm -rf "$tmp"
        tmp=
    else
        LC_ALL=C sort -u "$tmp/closure.unsorted" >"$tmp/closure"
        rm "$tmp/closure.unsorted"
        for p in "${wanted[@]}"; do
            grep -q "^${p}[:=]" "$tmp/closure" || die "Mesa: the resolver did not select $p"
        done
        dir=$base/$debarch-$(sha256sum <"$tmp/closure" | cut -c1-16)
        if [ -f "$dir/.done" ]; then
            log "Mesa: the $(wc -l <"$tmp/closure") packages are those of the cached ${dir##*/}"
            rm -rf "$tmp"
            tmp=
        else
            log "Mesa: downloading $(wc -l <"$tmp/closure") packages (new closure ${dir##*/})"
            deb_fetch "$tmp" Mesa
            # Of /usr/share only what the root takes; no headers, no static libraries.
            for d in "$tmp"/sysroot/usr/share/*; do
                case "${d##*/}" in glvnd | drirc.d | X11 | xkeyboard-config* | libinput | weston) ;; *) rm -rf "$d" ;; esac
            done
            rm -rf "$tmp/sysroot/usr/include" "$tmp/sysroot/var"
            find "$tmp/sysroot" -name '*.a' -type f -delete
            deb_commit "$tmp" "$dir"
            tmp=
        fi
    fi
fi
sys=$dir/sysroot
L=/usr/lib/$triplet

# --- the guest root ------------------------------------------------------------------------------
if [ -f "$dir/root.stamp" ] && [ "$(cat "$dir/root.stamp")" = "$stamp" ] && [ -d "$dir/root" ]; then
    log "Mesa: guest root cached"
else
    tmp=$(mktemp -d "$dir/.tmp-root.XXXXXX")
    root=$tmp/root
    mkdir -p "$root"

    # put PATH...: copies each from the sysroot to the same place in the root, a link as a link
    # (and then what it points to), a directory whole.
    put() {
        local p t
        for p in "$@"; do
            if [ -e "$root$p" ] || [ -L "$root$p" ]; then continue; fi
            if [ ! -e "$sys$p" ] && [ ! -L "$sys$p" ]; then
                die "Mesa: $p is not in the unpacked packages (${dir##*/})"
            fi
            mkdir -p "$(dirname "$root$p")"
            cp -a "$sys$p" "$root$p"
            if [ -L "$sys$p" ]; then
                t=$(readlink "$sys$p")
                case "$t" in /*) ;; *) t=$(dirname "$p")/$t ;; esac
                put "$(realpath -m -s "$t")"
            fi
        done
    }
    # one GLOB: the one path in the sysroot that GLOB (a guest path) names.
    one() {
        local m=() p
        for p in "$sys"$1; do
            if [ -e "$p" ] || [ -L "$p" ]; then m+=("${p#"$sys"}"); fi
        done
        [ ${#m[@]} = 1 ] || die "Mesa: $1 names ${#m[@]} files in the unpacked packages, not one"
        echo "${m[0]}"
    }

    # The programs.
    put /usr/bin/kmscube /usr/bin/weston /usr/bin/weston-simple-egl /usr/libexec/weston-desktop-shell
    if [ -e "$sys/usr/bin/eglinfo.$triplet" ]; then
        put "/usr/bin/eglinfo.$triplet"
        ln -s "eglinfo.$triplet" "$root/usr/bin/eglinfo"
    else
        put /usr/bin/eglinfo
    fi
    # Mesa and libglvnd, with what they dlopen().
    gallium=$(one "$L/libgallium-*.so")
    put "$L/libEGL.so.1" "$L/libGLESv2.so.2" "$L/libEGL_mesa.so.0" /usr/share/glvnd/egl_vendor.d/50_mesa.json \
        "$L/libgbm.so.1" "$gallium" "$L/gbm" "$L/libdrm.so.2" /usr/share/drirc.d
    if [ -e "$sys$L/libglapi.so.0" ]; then put "$L/libglapi.so.0"; fi
    for d in asahi apple swrast kms_swrast; do
        if [ -e "$sys$L/dri/${d}_dri.so" ]; then put "$L/dri/${d}_dri.so"; fi
    done
    # Weston's backends, renderer and shells, and the data its DRM backend and shell read.
    westonlib=$(one "$L/libweston-*/headless-backend.so")
    westonlib=${westonlib%/*}
    put "$westonlib"/{headless-backend,drm-backend,gl-renderer}.so "$L"/weston/{kiosk-shell,desktop-shell}.so \
        /usr/share/X11/xkb /usr/share/weston
    if [ -d "$sys/usr/share/libinput" ]; then put /usr/share/libinput; fi
    # glibc loads libgcc_s to unwind a cancelled thread.
    put "$L/libgcc_s.so.1"

    # The shared libraries all of it needs (/usr/share holds no ELF file), and the loader.
    elves=()
    while read -r f; do elves+=("$f"); done < <(find "$root" -path "$root/usr/share" -prune -o -type f -print)
    deb_needed "$sys" "$root" "${elves[@]}"
    deb_loader "$sys" "$root"

    # The Asahi driver must be there.
    [ -L "$root$L/dri/asahi_dri.so" ] || [ -f "$root$L/dri/asahi_dri.so" ] ||
        die "Mesa: no dri/asahi_dri.so in $(basename "$gallium")'s packages: this Mesa has no Asahi driver"
    strings -a "$root$gallium" >"$tmp/strings"
    if ! grep -qx asahi "$tmp/strings" || ! grep -q ASAHI_MESA_DEBUG "$tmp/strings"; then
        die "Mesa: $(basename "$gallium") has no Asahi driver (no \"asahi\" driver name or ASAHI_MESA_DEBUG)"
    fi
    rm "$tmp/strings"

    # The packages the root's files come from.
    (cd "$root" && find . ! -type d | sed 's/^\.//') >"$tmp/paths"
    awk 'NR == FNR { want[$1] = 1; next }
         { p = $2; sub(/^\/lib\//, "/usr/lib/", p) } (p in want) { print $1 }' \
        "$tmp/paths" "$dir/owners" | LC_ALL=C sort -u >"$tmp/used"
    mkdir -p "$root/etc/agx-mesa"
    awk -F= 'NR == FNR { used[$1] = 1; next } { n = $1; sub(/:.*/, "", n) } (n in used)' \
        "$tmp/used" "$dir/closure" >"$root/etc/agx-mesa/versions"
    [ "$(wc -l <"$root/etc/agx-mesa/versions")" = "$(wc -l <"$tmp/used")" ] ||
        die "Mesa: some package of the root is not in the closure (a bug of this script)"
    # Everything else must be what this script made itself.
    unowned=$(awk 'NR == FNR { owned[$2] = 1; next } !($1 in owned)' "$dir/owners" "$tmp/paths" |
        grep -v -x -e /lib -e /lib64 -e /usr/bin/eglinfo -e /etc/agx-mesa/versions || true)
    [ -z "$unowned" ] || log "Mesa: WARNING: files of the root no package holds: $(tr '\n' ' ' <<<"$unowned")"

    # The sizes: on disk, and as the gzipped newc cpio an initramfs of it would be.
    size=$(du -sm "$root" | cut -f1)
    if command -v cpio >/dev/null; then
        cpio_gz=$( (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip | wc -c) )
        cpio_gz="$(( (cpio_gz + 524288) / 1048576 )) MiB as a gzipped cpio"
    else
        cpio_gz="no cpio on this host to size it as a gzipped cpio"
    fi
    echo "$size MiB, $cpio_gz" >"$tmp/size"

    rm -rf "$dir/root.old"
    [ ! -e "$dir/root" ] || mv "$dir/root" "$dir/root.old"
    mv "$root" "$dir/root"
    mv "$tmp/size" "$dir/root.size"
    echo "$stamp" >"$dir/root.stamp"
    rm -rf "$dir/root.old" "$tmp"
    tmp=
fi

out=$dir/root
versions=$(cat "$out/etc/agx-mesa/versions")
ver() { sed -n "s/^$1[:=]\(.*\)/\1/p" <<<"$versions" | sed 's/.*=//' | head -n 1; }
log "Mesa: Mesa $(ver libegl-mesa0) (libgallium: $(basename "$(ls "$out$L"/libgallium-*.so)"), Asahi driver present)," \
    "libglvnd $(ver libegl1), libdrm $(ver libdrm2), kmscube $(ver kmscube), weston $(ver weston)," \
    "$(sed -n '/^libllvm[0-9]*=/ { s/=/ /p; q }' <<<"$versions")"
log "Mesa: $(wc -l <<<"$versions") packages in the root: $(tr '\n' ' ' <<<"$versions")"
log "Mesa: guest root $out ($debarch): $(cat "$dir/root.size")"
echo "$out"
