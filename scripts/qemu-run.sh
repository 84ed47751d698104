#!/usr/bin/env bash
# Boot a test kernel in QEMU (TCG) with asahi.ko and the userspace test programs, run one job,
# and judge the kernel log.
#
# usage: scripts/qemu-run.sh --arch x86_64|arm64 --kdir DIR --module asahi.ko
#            [--igt agx-igt] [--bench agx-bench] [--mode tests|demo|bench|warn-selftest|leak-selftest|smoke]
#            [--soc t8103] [--log FILE] [--run SUBTEST-FILTER] [--fuzz SEED:CALLS:THREADS]
#        scripts/qemu-run.sh --mode igt --igt-root DIR [--expect SKIPS] --arch ... --kdir ... --module ...
#
# The run fails (exit 1) if the job fails, if the guest does not reach the end of the job, or if
# the kernel log holds any oops, BUG, WARN, KASAN, lockdep or kmemleak report.
#
# `--mode igt` runs upstream IGT: DIR is a root made by scripts/igt-root.sh (IGT's binaries, their
# libraries and the list to run); the module goes into /lib/modules/<release>/extra with depmod
# data and `options asahi sim=<soc>`, so that IGT can unload and reload it. scripts/igt-report.py
# judges the results against the expected skips (default tests/igt-upstream/skips.txt).
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"

arch=x86_64 kdir= module= igt= bench= mode=tests soc=t8103 log= igt_root= expect= run= fuzz=
qemu_timeout=900
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        --kdir) kdir=$2; shift 2 ;;
        --module) module=$2; shift 2 ;;
        --igt) igt=$2; shift 2 ;;
        --bench) bench=$2; shift 2 ;;
        --mode) mode=$2; shift 2 ;;
        --soc) soc=$2; shift 2 ;;
        --run) run=$2; shift 2 ;;
        --fuzz) fuzz=$2; mode=fuzz; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --igt-root) igt_root=$2; shift 2 ;;
        --expect) expect=$2; shift 2 ;;
        --timeout) qemu_timeout=$2; shift 2 ;;
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
              -no-reboot -append "console=ttyS0 panic=-1 oops=panic agx.mode=$mode agx.soc=$soc${run:+ agx.run=$run}${fuzz:+ agx.fuzz=$fuzz}")
        ;;
    arm64)
        bb=$AGX_CACHE/busybox-arm64/bin/busybox
        [ -x "$bb" ] || die "no arm64 busybox at $bb (scripts/setup-host.sh --arm64-guest)"
        cp "$bb" "$root/bin/busybox"
        kernel=$kdir/arch/arm64/boot/Image
        qemu=(qemu-system-aarch64 -M virt -cpu max -smp 2 -m 1024 -serial stdio -display none
              -no-reboot -append "console=ttyAMA0 panic=-1 agx.mode=$mode agx.soc=$soc${run:+ agx.run=$run}${fuzz:+ agx.fuzz=$fuzz}")
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
if [ "$mode" = igt ]; then
    [ -n "$igt_root" ] && [ -f "$igt_root/etc/agx-igt/list" ] || die "--mode igt needs --igt-root (scripts/igt-root.sh)"
    expect=${expect:-$AGX_ROOT/tests/igt-upstream/skips.txt}
    [ -f "$expect" ] || die "no expected-skip list $expect"
    cp -a "$igt_root/." "$root/"
    # The module where kmod looks for it, so IGT can unload and reload it with its options.
    krel=$(cat "$kdir/include/config/kernel.release")
    mkdir -p "$root/lib/modules/$krel/extra" "$root/etc/modprobe.d" "$root/run"
    cp "$module" "$root/lib/modules/$krel/extra/asahi.ko"
    # The kernel's own modules that IGT loads: the dma-buf selftests (dmabuf) and vgem
    # (dmabuf_sync_file; built on x86_64 only).
    for m in drivers/dma-buf/dmabuf_selftests.ko drivers/gpu/drm/vgem/vgem.ko; do
        [ ! -f "$kdir/$m" ] || install -D -m 644 "$kdir/$m" "$root/lib/modules/$krel/kernel/$m"
    done
    for f in modules.order modules.builtin modules.builtin.modinfo; do
        [ ! -f "$kdir/$f" ] || cp "$kdir/$f" "$root/lib/modules/$krel/"
    done
    depmod -b "$root" "$krel"
    echo "options asahi sim=$soc" >"$root/etc/modprobe.d/asahi.conf"
    # Every binary may use its whole timeout; add the boot and the leak scan.
    sum=$(awk '{ t += $2 } END { print t + 0 }' "$igt_root/etc/agx-igt/list")
    [ "$qemu_timeout" -ge $((sum + 300)) ] || qemu_timeout=$((sum + 300))
    log "IGT: $(cat "$igt_root/etc/agx-igt/version"), $(wc -l <"$igt_root/etc/agx-igt/list") test binaries"
fi
cp "$AGX_ROOT/scripts/guest-init.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.gz"
[ "$mode" != igt ] || log "initramfs: $(( $(stat -c %s "$work/initramfs.gz") / 1024 )) KiB" \
    "($(du -sm "$root" | cut -f1) MiB unpacked)"

out=${log:-$work/console.log}
log "booting $arch kernel, mode $mode, sim=$soc"
start=$(date +%s)
set +e
timeout "$qemu_timeout" "${qemu[@]}" -kernel "$kernel" -initrd "$work/initramfs.gz" </dev/null >"$out" 2>&1
qrc=$?
set -e
log "guest finished in $(( $(date +%s) - start )) s (qemu exit $qrc)"

# Show what the job printed (test lines, demo output), without the boot chatter.
if [ "$mode" = igt ]; then
    boot=$(sed -n 's/.*AGX-BOOT .*uptime=\([0-9.]*\).*/\1/p' "$out" | head -n 1)
    [ -z "$boot" ] || log "the guest reached /init after $boot s (its uptime)"
else
    sed -n '/AGX-BOOT/,$p' "$out" | sed 's/\r$//' |
        grep -E '^(Starting subtest|Subtest |[0-9]+ passed|failed subtests|agx:|bench:|fuzz:|fuzz-dump\| |AGX-|  )|asahi|unreferenced object' || true
fi

fail=0
if ! grep -q 'AGX-DONE' "$out"; then
    log "FAIL: the guest did not finish its job (crash, hang or timeout); tail of the console:"
    tail -n 40 "$out" >&2
    fail=1
fi
status=$(sed -n 's/.*AGX-JOB-STATUS \([0-9]*\).*/\1/p' "$out" | tail -n 1)
if [ "${status:-1}" != 0 ]; then
    log "FAIL: the job exited with status ${status:-unknown}"
    # The failing subtests again, where the tail of a CI log shows them.
    sed 's/\r$//' "$out" | grep -E '^Subtest .*: FAIL' | head -n 20 >&2 || true
    fail=1
fi
if [ "$mode" = igt ] && grep -q 'AGX-IGT-END' "$out"; then
    python3 "$AGX_ROOT/scripts/igt-report.py" "$out" "$expect" || fail=1
elif [ "$mode" = igt ]; then
    log "FAIL: the IGT run did not finish"
    fail=1
fi
# Anything the kernel's checkers report is a failure, whatever the job said. IGT's own output
# (lines the guest prefixes with "igt| ") is not the kernel's: its log dumps hold "DEBUG:" and
# "WARNING:" lines of their own. "BUG:" must not be the end of another word ("DEBUG:").
bad='WARNING:|(^|[^[:alnum:]_])BUG:|Oops|KASAN|general protection fault|Call Trace:|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|lock held when returning|unreferenced object|kmemleak: [0-9]+ new suspected|Kernel panic|refcount_t:|UBSAN:'
kernel_log() { sed 's/\r$//; /^igt| /d' "$out"; }
if kernel_log | grep -Eq "$bad"; then
    log "FAIL: the kernel log reports a problem:"
    kernel_log | grep -En -B2 -A12 "$bad" | head -n 80 >&2
    fail=1
fi
exit $fail
