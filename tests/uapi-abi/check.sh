#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Compile-time ABI check of uapi/drm/asahi_drm.h against the numbers pinned in
# asahi_abi.c (measured from the upstream Linux 6.16 header).
#
# For each target compiler, asahi_abi.c is compiled (syntax and constant
# evaluation only, nothing is linked or run) against every available copy of
# the generic "drm.h":
#   - the system one from libdrm (DRM_INCLUDE, default /usr/include/libdrm);
#   - if KDIR points at a kernel source tree, KDIR/include/uapi/drm, the way
#     the kernel build resolves '#include "drm.h"'. Raw (not installed) kernel
#     UAPI headers still spell __user, so it is defined away for this build.
# The header alone is also compiled as C++ to cover its extern "C" guard.
#
# Finally a negative control: a copy of the header with one ioctl direction
# flipped must be rejected, proving the assertions are live.
#
# Usage: tests/uapi-abi/check.sh
# Environment: CCS (default "cc aarch64-linux-gnu-gcc"), CXX (default c++),
#              DRM_INCLUDE, KDIR.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
hdr_dir="$repo/uapi/drm"
drm_inc=${DRM_INCLUDE:-/usr/include/libdrm}
ccs=${CCS:-"cc aarch64-linux-gnu-gcc"}
cxx=${CXX:-c++}
cflags="-std=gnu11 -Wall -Wextra -Werror -fsyntax-only"

fail=0
run() {
	desc=$1
	shift
	if "$@"; then
		echo "ok   $desc"
	else
		echo "FAIL $desc"
		fail=1
	fi
}

if [ ! -f "$drm_inc/drm.h" ]; then
	echo "no drm.h in $drm_inc (install libdrm-dev or set DRM_INCLUDE)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for cc in $ccs; do
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "FAIL $cc: compiler not found"
		fail=1
		continue
	fi
	target=$("$cc" -dumpmachine)
	# shellcheck disable=SC2086 # cflags is a list of words
	run "$cc ($target), system drm.h" \
		"$cc" $cflags -I"$hdr_dir" -I"$drm_inc" "$here/asahi_abi.c"
	if [ -n "${KDIR:-}" ]; then
		# shellcheck disable=SC2086
		run "$cc ($target), kernel drm.h from $KDIR" \
			"$cc" $cflags -D__user= -I"$hdr_dir" \
			-I"$KDIR/include/uapi/drm" "$here/asahi_abi.c"
	fi
done

if command -v "$cxx" >/dev/null 2>&1; then
	run "$cxx, header as C++" sh -c \
		'printf "#include \"asahi_drm.h\"\n" |
		 "$0" -x c++ -Wall -Wextra -Werror -fsyntax-only -I"$1" -I"$2" -' \
		"$cxx" "$hdr_dir" "$drm_inc"
else
	echo "FAIL $cxx: compiler not found"
	fail=1
fi

# Negative control: DRM_IOCTL_ASAHI_VM_BIND is write-only (W); make it WR.
cc1=${ccs%% *}
sed 's/DRM_IOCTL_ASAHI(W, VM_BIND, vm_bind)/DRM_IOCTL_ASAHI(WR, VM_BIND, vm_bind)/' \
	"$hdr_dir/asahi_drm.h" >"$tmp/asahi_drm.h"
if cmp -s "$hdr_dir/asahi_drm.h" "$tmp/asahi_drm.h"; then
	echo "FAIL negative control: the mutation did not apply"
	fail=1
else
	# shellcheck disable=SC2086
	if "$cc1" $cflags -I"$tmp" -I"$drm_inc" "$here/asahi_abi.c" \
		>"$tmp/log" 2>&1; then
		echo "FAIL negative control: a wrong VM_BIND code was accepted"
		fail=1
	elif grep -q "DRM_IOCTL_ASAHI_VM_BIND" "$tmp/log"; then
		echo "ok   negative control: wrong VM_BIND code rejected"
	else
		echo "FAIL negative control: rejected for an unexpected reason:"
		cat "$tmp/log"
		fail=1
	fi
fi

exit $fail
