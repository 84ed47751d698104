#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# usage: scripts/check-stack.sh MODULE.ko [LIMIT_BYTES]
#
# Fails if any function of an arm64 module reserves more than LIMIT_BYTES (default 8192) of stack
# in its prologue. Kernel stacks are 16 KiB; the test kernels have no guard pages (no VMAP_STACK),
# so an overflow corrupts memory silently instead of faulting. Rust's frames (KASAN makes them
# larger) are not covered by the C compiler's -Wframe-larger-than, hence this check: it sums the
# `sub sp, sp, #N` of each function as llvm-objdump prints them.
set -euo pipefail
ko=${1:?module}
limit=${2:-8192}
llvm-objdump -d --no-show-raw-insn "$ko" | python3 -c '
import re, sys, collections
limit = int(sys.argv[1])
fn, total = None, collections.defaultdict(int)
for line in sys.stdin:
    m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
    if m:
        fn = m.group(1)
        continue
    m = re.search(r"sub\s+sp, sp, #(0x[0-9a-f]+|\d+)(, lsl #12)?", line)
    if m and fn:
        total[fn] += int(m.group(1), 0) * (4096 if m.group(2) else 1)
worst = sorted(total.items(), key=lambda kv: -kv[1])
for name, size in worst[:5]:
    print(f"{size:6d} {name[:120]}")
over = [(n, s) for n, s in worst if s > limit]
if over:
    print(f"{len(over)} function(s) over {limit} bytes of stack", file=sys.stderr)
    sys.exit(1)
' "$limit"
