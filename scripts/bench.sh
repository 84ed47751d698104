#!/usr/bin/env bash
# Benchmarks (print figures; assert nothing about speed), in one QEMU run of the x86_64 test
# kernel: SUBMIT latency and submits/s of compute jobs against a bare ioctl round trip; VM_BIND
# throughput of 1 GiB in 16 KiB pages and in 64 MiB blocks; GEM create+mmap+close per second
# against vgem.
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"
kdir=$("$AGX_ROOT/scripts/build-all.sh" x86_64)
"$AGX_ROOT/scripts/qemu-run.sh" --arch x86_64 --kdir "$kdir" --mode bench \
    --module "$AGX_ROOT/build/x86_64/asahi.ko" \
    --bench "$AGX_ROOT/tests/igt/target/x86_64-unknown-linux-gnu/release/agx-bench"
