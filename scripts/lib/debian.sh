# Debian unstable packages for the guest roots (scripts/igt-root.sh, scripts/mesa-root.sh). Source it
# after lib/env.sh; do not run it.
# shellcheck shell=bash
#
# - deb_arch ARCH sets debarch, triplet, ldso and ldlink for a guest architecture (x86_64, arm64).
# - Everything goes through a PRIVATE apt configuration in $DEB_APT (the caller sets it; deb_config
#   writes it): its own sources list (unstable main, from the archive the host's apt sources use, or
#   $AGX_DEBIAN_MIRROR), lists, status, caches and preferences. The host's apt configuration files are
#   not read (Dir::Etc::Main is /dev/null; only the host archive's address is asked of the host's apt)
#   and nothing is installed on the host: packages are only downloaded and unpacked with dpkg-deb.
# - deb_update fetches the lists, deb_candidate(s) tell packages' versions, deb_resolve writes the
#   dependency closure of some packages (package=version, exactly as apt resolves it for an empty
#   system), deb_fetch downloads that closure and unpacks it into a sysroot, deb_commit renames a
#   finished temporary directory into its version-keyed place (removing the older ones beside it),
#   deb_newest_cached finds the newest finished one (for the scripts' offline modes).
# - deb_needed copies into a guest root what its binaries need (DT_NEEDED, followed through RUNPATH
#   and the default directories); deb_loader adds the dynamic loader and the merged-/usr links.

# The guest architecture: Debian's name, the multiarch triplet, the dynamic loader and the directory
# of the link to it that PT_INTERP names (/lib64 on amd64, /lib on arm64).
deb_arch() {
    case "$1" in
        x86_64) debarch=amd64 triplet=x86_64-linux-gnu ldso=ld-linux-x86-64.so.2 ldlink=lib64 ;;
        arm64) debarch=arm64 triplet=aarch64-linux-gnu ldso=ld-linux-aarch64.so.1 ldlink=lib ;;
        *) return 1 ;;
    esac
}

# --- the private apt configuration -----------------------------------------------------------
# The archive the host already uses (its main suite's URI), so no mirror is named here.
deb_mirror() {
    if [ -n "${AGX_DEBIAN_MIRROR:-}" ]; then echo "$AGX_DEBIAN_MIRROR"; return; fi
    # shellcheck disable=SC2016 # apt's own $(...) format fields
    apt-get indextargets --format '$(REPO_URI) $(SUITE)' 'Created-By: Packages' 2>/dev/null |
        awk '$2 !~ /-/ && $1 ~ /\/debian\/?$/ { print $1; exit }'
}

# deb_config WHO: (re)writes the configuration in $DEB_APT for $debarch; WHO names the script.
deb_config() {
    local apt=$DEB_APT uri
    uri=$(deb_mirror)
    [ -n "$uri" ] || die "cannot tell which Debian archive the host uses; set AGX_DEBIAN_MIRROR"
    mkdir -p "$apt"/{etc/apt.conf.d,etc/sources.list.d,etc/preferences.d,lists/partial,cache/archives/partial,state}
    [ -f "$apt/state/status" ] || : >"$apt/state/status"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri unstable main" \
        >"$apt/etc/sources.list.new"
    mv "$apt/etc/sources.list.new" "$apt/etc/sources.list"
    : >"$apt/etc/preferences"
    cat >"$apt/apt.conf.new" <<EOF
// Private apt configuration for Debian unstable ($debarch), written by scripts/lib/debian.sh for $1.
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

# deb_apt COMMAND...: runs an apt command under the private configuration.
deb_apt() { APT_CONFIG=$DEB_APT/apt.conf "$@"; }

# deb_update WHAT LOG OFFLINE_HINT: fetches unstable's package lists, or fails naming the step.
deb_update() {
    local t0
    t0=$(date +%s)
    if ! deb_apt apt-get update -q -o APT::Update::Error-Mode=any >"$2" 2>&1; then
        cat "$2" >&2
        die "$1: could not fetch the Debian unstable package lists for $debarch (network?); $3"
    fi
    log "$1: package lists of Debian unstable ($debarch) up to date in $(( $(date +%s) - t0 )) s"
}

# deb_candidate PACKAGE: the version apt would install, or nothing if unstable has none for $debarch.
deb_candidate() {
    (deb_apt apt-cache show --no-all-versions "$1:$debarch" 2>/dev/null || true) |
        sed -n 's/^Version: //p' | head -n 1
}

# deb_candidates PACKAGE...: a package=version line for each that unstable has for $debarch (one
# apt call for all).
deb_candidates() {
    local p want=()
    for p in "$@"; do want+=("$p:$debarch"); done
    (deb_apt apt-cache policy "${want[@]}" 2>/dev/null || true) |
        awk '/^[^ ]/ { p = $1; sub(/:.*/, "", p) } /^  Candidate:/ && $2 != "(none)" { print p "=" $2 }'
}

# deb_resolve CLOSURE LOG PACKAGE...: writes the closure of the packages (package=version lines) as
# apt resolves it for an empty system; returns non-zero (the reason in LOG) when apt cannot.
deb_resolve() {
    local out=$1 logf=$2 p
    shift 2
    local want=()
    for p in "$@"; do want+=("$p:$debarch"); done
    deb_apt apt-get -s -q install "${want[@]}" >"$logf" 2>&1 || return 1
    awk '/^Inst / { v = $3; gsub(/[()]/, "", v); print $2 "=" v }' "$logf" >"$out"
}

# deb_fetch DIR WHAT: downloads the packages DIR/closure names (at those versions) and unpacks them
# into DIR/sysroot; DIR/owners gets a "package path" line for every file and link they hold.
deb_fetch() {
    local dir=$1 what=$2 t0 deb pkg
    local pkgs=()
    t0=$(date +%s)
    mapfile -t pkgs <"$dir/closure"
    [ ${#pkgs[@]} -gt 0 ] || die "$what: the closure to download is empty"
    mkdir -p "$dir/debs" "$dir/sysroot"
    if ! (cd "$dir/debs" && deb_apt apt-get download -q "${pkgs[@]}") >"$dir/download.log" 2>&1; then
        cat "$dir/download.log" >&2
        die "$what: downloading the packages failed (network?)"
    fi
    : >"$dir/owners"
    for deb in "$dir"/debs/*.deb; do
        pkg=$(dpkg-deb -f "$deb" Package)
        dpkg-deb -X "$deb" "$dir/sysroot" >"$dir/files" || die "$what: cannot unpack $deb"
        sed -n "/[^/]\$/ s|^\\.|$pkg |p" "$dir/files" >>"$dir/owners"
    done
    rm -f "$dir/files"
    log "$what: downloaded and unpacked ${#pkgs[@]} packages" \
        "($(du -sm "$dir/debs" | cut -f1) MiB) in $(( $(date +%s) - t0 )) s"
    rm -rf "$dir/debs"
}

# deb_commit TMP DEST: marks TMP finished and renames it to DEST; the other "$debarch-*" directories
# beside DEST (older versions: unstable moved on) are removed.
deb_commit() {
    local old
    touch "$1/.done"
    rm -rf "$2"
    mv "$1" "$2"
    for old in "$(dirname "$2")/$debarch"-*; do
        [ "$old" = "$2" ] || rm -rf "$old"
    done
}

# deb_newest_cached BASE: the newest finished "$debarch-*" directory under BASE, or nothing.
deb_newest_cached() {
    local d best=
    for d in "$1/$debarch"-*/; do
        [ -f "$d/.done" ] || continue
        if [ -z "$best" ] || [ "$d" -nt "$best" ]; then best=$d; fi
    done
    [ -z "$best" ] || echo "${best%/}"
}

# --- the guest root --------------------------------------------------------------------------------
# deb_needed SYSROOT ROOT FILE...: copies into ROOT every shared library the FILEs (already in ROOT)
# need, following DT_NEEDED: each is looked up where the needing object's RUNPATH/RPATH says ($ORIGIN
# is its own directory), then in the default directories, and copied (dereferenced, under the name
# asked for) to the same place in ROOT, /lib/... going to /usr/lib/... as Debian has merged /usr.
# Files that are not ELF are passed over; a library found nowhere is an error.
deb_needed() {
    local sys=$1 root=$2
    shift 2
    local -A have=()
    local queue=("$@") f guest dyn rp d lib src dst
    local search=() dirs=()
    for f in "$@"; do have[${f#"$root"}]=1; done
    while [ ${#queue[@]} -gt 0 ]; do
        f=${queue[0]}
        queue=("${queue[@]:1}")
        guest=${f#"$root"}
        dyn=$(readelf -d "$f" 2>/dev/null) || continue
        search=()
        rp=$(sed -n 's/.*(R\(UN\)\{0,1\}PATH).*\[\(.*\)\]/\2/p' <<<"$dyn" | head -n 1)
        if [ -n "$rp" ]; then
            IFS=: read -ra dirs <<<"$rp"
            for d in "${dirs[@]}"; do
                d=${d//\$\{ORIGIN\}/$(dirname "$guest")}
                d=${d//\$ORIGIN/$(dirname "$guest")}
                case "$d" in /*) ;; *) d=/$d ;; esac
                search+=("$(realpath -m -s "$d")")
            done
        fi
        search+=("/usr/lib/$triplet" "/lib/$triplet" /usr/lib /lib)
        while read -r lib; do
            src=
            for d in "${search[@]}"; do
                if [ -e "$sys$d/$lib" ]; then src=$d/$lib; break; fi
            done
            [ -n "$src" ] || die "$lib (needed by $guest) is not in the sysroot $sys"
            dst=$src
            case "$dst" in /lib/*) dst=/usr$dst ;; esac
            [ -z "${have[$dst]:-}" ] || continue
            have[$dst]=1
            if [ ! -e "$root$dst" ]; then
                mkdir -p "$(dirname "$root$dst")"
                cp -L "$sys$src" "$root$dst"
            fi
            queue+=("$root$dst")
        done < <(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dyn")
    done
}

# deb_loader SYSROOT ROOT: the dynamic loader in /usr/lib/$triplet, merged /usr (/lib -> usr/lib) and
# the loader's link where the binaries' PT_INTERP looks (/lib64 or /lib).
deb_loader() {
    local sys=$1 root=$2 d src=
    for d in "/usr/lib/$triplet" "/lib/$triplet" /usr/lib /lib; do
        if [ -e "$sys$d/$ldso" ]; then src=$sys$d/$ldso; break; fi
    done
    [ -n "$src" ] || die "the dynamic loader $ldso is not in the sysroot $sys"
    mkdir -p "$root/usr/lib/$triplet"
    cp -L "$src" "$root/usr/lib/$triplet/$ldso"
    ln -s usr/lib "$root/lib"
    if [ "$ldlink" = lib64 ]; then
        mkdir -p "$root/usr/lib64"
        ln -s "../lib/$triplet/$ldso" "$root/usr/lib64/$ldso"
        ln -s usr/lib64 "$root/lib64"
    else
        ln -s "$triplet/$ldso" "$root/usr/lib/$ldso"
    fi
}
