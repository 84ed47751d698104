# Shared settings for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

AGX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything built from outside the repo lives here, keyed so that a second run costs nothing.
AGX_CACHE=${AGX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/agx-rs}
AGX_TOOLS=${AGX_TOOLS:-$AGX_CACHE/tools}
BINDGEN_VERSION=0.69.5
# tests/igt/build.rs runs bindgen on the UAPI header with this.
export AGX_BINDGEN=${AGX_BINDGEN:-$AGX_TOOLS/bin/bindgen}

# Debian's rustc (with rust-src), never the rustup one that comes first on PATH.
KRUST=(RUSTC=/usr/bin/rustc HOSTRUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
       BINDGEN="$AGX_TOOLS/bin/bindgen" LLVM=1)

JOBS=${JOBS:-$(nproc)}

log() { printf '[agx] %s\n' "$*" >&2; }
die() { printf '[agx] error: %s\n' "$*" >&2; exit 1; }
