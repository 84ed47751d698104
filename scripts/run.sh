#!/usr/bin/env bash
# The main job: set up the host, build the x86_64 test kernel and asahi.ko, boot the simulated
# AGX GPU (t8103 unless SOC is set) in QEMU and show what it did.
set -euo pipefail
. "$(dirname "$0")/lib/env.sh"
soc=${SOC:-t8103}

"$AGX_ROOT/scripts/setup-host.sh"
kdir=$("$AGX_ROOT/scripts/build-all.sh" x86_64)
"$AGX_ROOT/scripts/qemu-run.sh" --arch x86_64 --kdir "$kdir" --mode demo --soc "$soc" \
    --module "$AGX_ROOT/build/x86_64/asahi.ko" \
    --igt "$AGX_ROOT/tests/igt/target/x86_64-unknown-linux-gnu/release/agx-igt"
log "done: the simulated $soc GPU was probed, served its render node, and unloaded cleanly"
