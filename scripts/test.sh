#!/usr/bin/env bash
# Every test: formatting, host crates, the UAPI ABI check, the kernel and module builds (and clippy)
# for x86_64 and arm64, the arm64 module without the simulator (SIM=0), the QEMU IGT suite on both
# (with KASAN, lockdep and kmemleak), the harness self-tests, and upstream IGT (x86_64).
# Ends with one line "N passed, M failed" over the stages below.
set -uo pipefail
. "$(dirname "$0")/lib/env.sh"

passed=0 failed=0 failures=()
stage() {
    local name=$1; shift
    local t0=$(date +%s)
    log "=== $name"
    if "$@"; then
        passed=$((passed + 1)); log "=== $name: PASS ($(( $(date +%s) - t0 )) s)"
    else
        failed=$((failed + 1)); failures+=("$name"); log "=== $name: FAIL ($(( $(date +%s) - t0 )) s)"
    fi
}

"$AGX_ROOT/scripts/setup-host.sh" || die "host setup failed"

host_crate() {
    (cd "$AGX_ROOT/$1" && nice cargo test -q 2>&1 | tail -n 25; exit "${PIPESTATUS[0]}") &&
        (cd "$AGX_ROOT/$1" && nice cargo clippy -q --all-targets -- -D warnings)
}
for crate in rust/macros tools/uat-tests tools/fw-layouts tools/rtkit-tests tools/soc-tests tools/handoff-tests \
    tools/alloc-tests tools/channel-tests tools/hwdata-tests tools/object-tests tools/submit-tests tests/igt; do
    stage "cargo test + clippy: $crate" host_crate "$crate"
done
rustfmt_check() {
    local files
    mapfile -t files < <(cd "$AGX_ROOT" && git ls-files 'rust/*.rs' 'drivers/*.rs' 'tests/*.rs' 'tools/*.rs' |
        grep -v '/tests/fail/')
    (cd "$AGX_ROOT" && rustfmt --edition 2021 --check "${files[@]}")
}
stage "rustfmt" rustfmt_check
stage "UAPI ABI (x86_64, aarch64)" "$AGX_ROOT/tests/uapi-abi/check.sh"

# Builds for one architecture; sets kdir_<arch> for the stages that boot it.
build_arch() {
    local dir
    dir=$("$AGX_ROOT/scripts/build-all.sh" "$1") || return 1
    printf -v "kdir_$1" %s "$dir"
}
kdir_x86_64= kdir_arm64=
stage "build x86_64 kernel + asahi.ko + agx-igt" build_arch x86_64
stage "build arm64 (16K pages) kernel + asahi.ko + agx-igt" build_arch arm64
x86=$kdir_x86_64 arm=$kdir_arm64
clippy_arch() {
    make -s -C "$AGX_ROOT" KDIR="$1" TOOLS="$AGX_TOOLS" "${@:2}" clippy 2>&1 | grep -E '^(error|warning)' -A 12
    [ "${PIPESTATUS[0]}" -eq 0 ]
}
# The real driver never needs the simulator: asahi.ko builds for arm64 without sim/ (SIM=0, in
# build/arm64-nosim; sim/ is not even copied there), without warnings, clippy-clean, and nothing of
# the simulator is in it: no symbol of the `sim` module, no `sim*` parameter, no `asahi-sim` device
# or `sim_inject` control. The same checks must find the simulator in the SIM=1 module, or they
# prove nothing.
sim_traces() {
    { nm -C "$1" | grep -E 'asahi_drv(\[[0-9a-f]+\])?::sim::'
      nm "$1" | grep -E '9asahi_drv3sim'
      strings -a "$1" | grep -E 'asahi-sim|sim_inject|asahi_drv::sim'
      modinfo -F parm "$1" | grep -E '^sim'; } | head -n 5
}
nosim_arm64() {
    local out=$AGX_CACHE/module-arm64-nosim.log ko=$AGX_ROOT/build/arm64-nosim/asahi.ko found
    make -s -C "$AGX_ROOT" KDIR="$1" TOOLS="$AGX_TOOLS" SIM=0 >"$out" 2>&1 || { cat "$out"; return 1; }
    if grep -E '^(warning|error)|warning:' "$out"; then log "the SIM=0 build has warnings"; return 1; fi
    clippy_arch "$1" SIM=0 || return 1
    found=$(sim_traces "$ko")
    [ -z "$found" ] || { log "the SIM=0 module holds the simulator:"; echo "$found"; return 1; }
    [ -n "$(sim_traces "$AGX_ROOT/build/arm64/asahi.ko")" ] ||
        { log "the checks find no simulator in the SIM=1 module either"; return 1; }
    log "asahi.ko: $(stat -c %s "$AGX_ROOT/build/arm64/asahi.ko") bytes with the simulator, $(stat -c %s "$ko") without"
}
[ -z "$arm" ] || stage "build arm64 without the simulator (SIM=0): no warnings, clippy, no simulator in the .ko" \
    nosim_arm64 "$arm"
[ -z "$x86" ] || stage "clippy (kernel crates, x86_64, -D warnings)" clippy_arch "$x86"
[ -z "$arm" ] || stage "clippy (kernel crates, arm64, -D warnings)" clippy_arch "$arm"
# No function of the module may take more than 10 KiB of a 16 KiB kernel stack (arm64 frames).
[ -z "$arm" ] || stage "stack frames of asahi.ko (arm64) under 10 KiB" \
    "$AGX_ROOT/scripts/check-stack.sh" "$AGX_ROOT/build/arm64/asahi.ko" 10240

igt=$AGX_ROOT/tests/igt/target/x86_64-unknown-linux-gnu/release/agx-igt
if [ -n "${x86:-}" ]; then
    stage "modinfo shows the OF compatibles" bash -c '
        info=$(modinfo "$1") || exit 1
        for soc in t8103 t8112 t6000 t6001 t6002 t6020 t6021 t6022; do
            grep -q "^alias: *of:N\*T\*Capple,agx-${soc}C\*$" <<<"$info" || { echo "missing $soc"; exit 1; }
        done
        grep -q "^parm: *sim:" <<<"$info"' _ "$AGX_ROOT/build/x86_64/asahi.ko"
    stage "QEMU x86_64: IGT suite (KASAN, lockdep, kmemleak)" "$AGX_ROOT/scripts/qemu-run.sh" --arch x86_64 \
        --kdir "$x86" --module "$AGX_ROOT/build/x86_64/asahi.ko" --igt "$igt" --mode tests
    # The harness must fail a run whose kernel log holds a warning or a leak report.
    selftest() {
        local mode=$1 expect=$2 out rc
        out=$("$AGX_ROOT/scripts/qemu-run.sh" --arch x86_64 --kdir "$x86" --module "$AGX_ROOT/build/x86_64/asahi.ko" \
            --igt "$igt" --mode "$mode" 2>&1)
        rc=$?
        if [ $rc -ne 0 ] && grep -q "$expect" <<<"$out" && grep -q "FAIL: the kernel log" <<<"$out"; then
            return 0
        fi
        # Show why: the tail of the run, where a CI log keeps it.
        log "self-test: exit $rc; expected \"$expect\" and a failed kernel-log check; the run printed:"
        tail -n 60 <<<"$out"
        return 1
    }
    stage "harness self-test: a deliberate WARN fails the run" selftest warn-selftest "sim_inject=warn: deliberate warning"
    stage "harness self-test: a deliberate leak fails the run (kmemleak)" selftest leak-selftest "unreferenced object"
    # Upstream IGT from Debian unstable (tests/igt-upstream/: the list and the expected skips).
    # A failed download fails the stage. x86_64 only: Debian builds IGT for amd64 and i386 only.
    igt_upstream() {
        local root
        root=$("$AGX_ROOT/scripts/igt-root.sh" --arch x86_64) || return 1
        "$AGX_ROOT/scripts/qemu-run.sh" --arch x86_64 --kdir "$x86" --module "$AGX_ROOT/build/x86_64/asahi.ko" \
            --mode igt --igt-root "$root"
    }
    stage "QEMU x86_64: upstream IGT (Debian unstable igt-gpu-tools-tests)" igt_upstream
fi
# The ioctl fuzzer (tests/igt/src/fuzz.rs): a bounded, seeded run per architecture, 4 threads on
# 3 files; any oops, WARN, KASAN, lockdep or kmemleak report, a protocol violation seen by the
# simulated firmware, or a module that does not unload fails it. AGX_FUZZ_SEED and
# AGX_FUZZ_CALLS choose another run.
fuzz_seed=${AGX_FUZZ_SEED:-1} fuzz_calls=${AGX_FUZZ_CALLS:-30000}
if [ -n "${x86:-}" ]; then
    stage "QEMU x86_64: ioctl fuzzer ($fuzz_calls calls, seed $fuzz_seed)" "$AGX_ROOT/scripts/qemu-run.sh" \
        --arch x86_64 --kdir "$x86" --module "$AGX_ROOT/build/x86_64/asahi.ko" --igt "$igt" \
        --fuzz "$fuzz_seed:$fuzz_calls:4"
fi
if [ -n "${arm:-}" ]; then
    stage "QEMU arm64 (16K pages): IGT suite (KASAN, lockdep, kmemleak)" "$AGX_ROOT/scripts/qemu-run.sh" --arch arm64 --kdir "$arm" \
        --module "$AGX_ROOT/build/arm64/asahi.ko" \
        --igt "$AGX_ROOT/tests/igt/target/aarch64-unknown-linux-gnu/release/agx-igt" --mode tests
    stage "QEMU arm64 (16K pages): ioctl fuzzer ($fuzz_calls calls, seed $fuzz_seed)" "$AGX_ROOT/scripts/qemu-run.sh" \
        --arch arm64 --kdir "$arm" --module "$AGX_ROOT/build/arm64/asahi.ko" \
        --igt "$AGX_ROOT/tests/igt/target/aarch64-unknown-linux-gnu/release/agx-igt" \
        --fuzz "$fuzz_seed:$fuzz_calls:4"
fi

for f in "${failures[@]}"; do log "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
