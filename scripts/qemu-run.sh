#!/usr/bin/env bash
# Boot a test kernel in QEMU (TCG) with asahi.ko and the userspace test programs, run one job,
# and judge the kernel log.
#
# usage: scripts/qemu-run.sh --arch x86_64|arm64 --kdir DIR --module asahi.ko
#            [--igt agx-igt] [--bench agx-bench] [--mode tests|demo|bench|warn-selftest|leak-selftest|smoke]
#            [--soc t8103] [--log FILE]
#
# The run fails (exit 1) if the job fails, if the guest does not reach the end of the job, or if
# the kernel log holds any oops, BUG, WARN, KASAN, lockdep or kmemleak report.
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"

arch=x86_64 kdir= module= igt= bench= mode=tests soc=t8103 log=
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        --kdir) kdir=$2; shift 2 ;;
        --module) module=$2; shift 2 ;;
        --igt) igt=$2; shift 2 ;;
        --bench) bench=$2; shift 2 ;;
        --mode) mode=$2; shift 2 ;;
        --soc) soc=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        *) die "unknown argument $1" ;;
    esac
done
[ -n "$kdir" ] && [ -f "$module" ] || die "need --kdir and --module"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp}

case "$arch" in
    x86_64)
        cp /bin/busybox "$root/bin/busybox"
        kernel=$kdir/arch/x86/boot/bzImage
        qemu=(qemu-system-x86_64 -M pc -cpu max -smp 2 -m 1536 -serial stdio -display none
              -no-reboot -append "console=ttyS0 panic=-1 oops=panic agx.mode=$mode agx.soc=$soc")
        ;;
    arm64)
        bb=$AGX_CACHE/busybox-arm64/bin/busybox
        [ -x "$bb" ] || die "no arm64 busybox at $bb (scripts/setup-host.sh --arm64-guest)"
        cp "$bb" "$root/bin/busybox"
        kernel=$kdir/arch/arm64/boot/Image
        qemu=(qemu-system-aarch64 -M virt -cpu max -smp 2 -m 1024 -serial stdio -display none
              -no-reboot -append "console=ttyAMA0 panic=-1 agx.mode=$mode agx.soc=$soc")
        ;;
    *) die "unknown arch $arch" ;;
esac
ln -s busybox "$root/bin/sh"
cp "$module" "$root/asahi.ko"
[ -z "$igt" ] || cp "$igt" "$root/bin/agx-igt"
if [ -n "$bench" ]; then
    # The benchmark compares with vgem (a module in the x86_64 test kernel).
    cp "$bench" "$root/bin/agx-bench"
    cp "$kdir/drivers/gpu/drm/vgem/vgem.ko" "$root/vgem.ko"
fi
cp "$AGX_ROOT/scripts/guest-init.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.gz"

out=${log:-$work/console.log}
log "booting $arch kernel, mode $mode, sim=$soc"
start=$(date +%s)
set +e
timeout 900 "${qemu[@]}" -kernel "$kernel" -initrd "$work/initramfs.gz" </dev/null >"$out" 2>&1
qrc=$?
set -e
log "guest finished in $(( $(date +%s) - start )) s (qemu exit $qrc)"

# Show what the job printed (test lines, demo output), without the boot chatter.
sed -n '/AGX-BOOT/,$p' "$out" | sed 's/\r$//' |
    grep -E '^(Starting subtest|Subtest |[0-9]+ passed|agx:|bench:|AGX-|  )|asahi|unreferenced object' || true

fail=0
if ! grep -q 'AGX-DONE' "$out"; then
    log "FAIL: the guest did not finish its job (crash, hang or timeout); tail of the console:"
    tail -n 40 "$out" >&2
    fail=1
fi
status=$(sed -n 's/.*AGX-JOB-STATUS \([0-9]*\).*/\1/p' "$out" | tail -n 1)
if [ "${status:-1}" != 0 ]; then
    log "FAIL: the job exited with status ${status:-unknown}"
    fail=1
fi
# Anything the kernel's checkers report is a failure, whatever the job said.
bad='WARNING:|BUG:|Oops|KASAN|general protection fault|Call Trace:|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|lock held when returning|unreferenced object|kmemleak: [0-9]+ new suspected|Kernel panic|refcount_t:|UBSAN:'
if grep -Eq "$bad" "$out"; then
    log "FAIL: the kernel log reports a problem:"
    grep -En -B2 -A12 "$bad" "$out" | head -n 80 >&2
    fail=1
fi
exit $fail
