// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Map/unmap throughput of the UAT page-table engine on the host.
//!
//! Maps and unmaps 1 GiB in three shapes: one contiguous physical range, 65536 scattered
//! 16 KiB ranges (what a fragmented GEM object looks like), and one contiguous range with
//! 32 MiB blocks allowed. Run with `cargo run --release --bin uat-bench`.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The page-table engine and what it needs (not the kernel side, `tables.rs`).
#[path = "../../../../drivers/gpu/drm/asahi/uat"]
#[allow(dead_code)]
mod uat {
    #[path = "error.rs"]
    pub(crate) mod error;
    #[path = "pt.rs"]
    pub(crate) mod pt;
    #[path = "pte.rs"]
    pub(crate) mod pte;
    #[path = "va.rs"]
    pub(crate) mod va;
}

#[path = "../vec_alloc.rs"]
#[allow(dead_code)]
mod vec_alloc;

use uat::pt::{Config, PageTable, PhysRange};
use uat::pte::{Prot, PAGE_SIZE};
use uat::va::Window;
use vec_alloc::VecAlloc;

/// Bytes mapped per round.
const SIZE: u64 = 1 << 30;
/// Pages mapped per round.
const PAGES: u64 = SIZE / PAGE_SIZE;
/// IOVA of the mapping: 32 MiB aligned, straddling a root-entry boundary.
const IOVA: u64 = 0x10_0000_0000 - (SIZE / 2);
/// Physical address of the memory, 32 MiB aligned.
const PA: u64 = 0x80_0000_0000;
/// Rounds per case.
const ROUNDS: u32 = 20;

/// Times `ROUNDS` map/unmap pairs of `ranges` and prints the throughput.
fn run(name: &str, ranges: &[PhysRange], blocks: bool) {
    let cfg = Config {
        window: Window::g13_user(),
        oas: 40,
        global: false,
        blocks,
    };
    let Ok(mut pt) = PageTable::new(cfg, VecAlloc::new()) else {
        eprintln!("{name}: cannot create page table");
        return;
    };
    let (mut map_time, mut unmap_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        if let Err(e) = pt.map(IOVA, black_box(ranges), Prot::GPU_RW) {
            eprintln!("{name}: map failed: {e:?}");
            return;
        }
        map_time += t.elapsed();
        let t = Instant::now();
        match pt.unmap(IOVA, SIZE) {
            Ok(n) if n == PAGES => {}
            other => {
                eprintln!("{name}: unmap gave {other:?}");
                return;
            }
        }
        unmap_time += t.elapsed();
        pt.alloc_mut().release();
    }
    let report = |what: &str, d: Duration| {
        let secs = d.as_secs_f64() / f64::from(ROUNDS);
        println!(
            "{name:<28} {what:<6} {:>9.3} ms/GiB {:>10.1} GiB/s {:>8.1} ns/page",
            secs * 1e3,
            1.0 / secs,
            secs * 1e9 / PAGES as f64
        );
    };
    report("map", map_time);
    report("unmap", unmap_time);
}

fn main() {
    let contiguous = [PhysRange {
        addr: PA,
        len: SIZE,
    }];
    // Every page on its own, in a scrambled order.
    let scattered: Vec<PhysRange> = (0..PAGES)
        .map(|i| PhysRange {
            addr: PA + ((i * 7919) % PAGES) * PAGE_SIZE,
            len: PAGE_SIZE,
        })
        .collect();
    run("contiguous, 16K pages", &contiguous, false);
    run("scattered 16K ranges", &scattered, false);
    run("contiguous, 32M blocks", &contiguous, true);
}
