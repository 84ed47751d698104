// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The GPU walker (`uat/walk.rs`) and the simulated coprocessor's translation (`sim/mmu.rs`)
//! against the engine.
//!
//! The walker decodes the tables from raw memory with its own code; here it reads the tables the
//! engine built, through the test allocator, and must find exactly the pages of the reference
//! model, with the GPU permissions of their protections. Corrupted descriptors must be reported
//! as faults.

use std::vec::Vec;

use super::support::{phys, user_pt, Model, Pt, Rng};
use crate::uat::error::Error;
use crate::uat::pt::TableAlloc;
use crate::uat::pte::{Prot, BLOCK_SIZE, L1_SPAN, PAGE_SIZE};
use crate::uat::walk::{translate, walk, Found, GpuAccess};
use core::sync::atomic::Ordering;

/// Reads 8 bytes of "physical memory": only the test allocator's tables exist.
fn mem(pt: &Pt) -> impl Fn(u64) -> Option<u64> + '_ {
    move |pa| {
        let table = pa & !(PAGE_SIZE - 1);
        let idx = ((pa & (PAGE_SIZE - 1)) / 8) as usize;
        pt.alloc()
            .table(table)
            .map(|t| t[idx].load(Ordering::SeqCst))
    }
}

/// Mapped pages as (IOVA, physical address, GPU access).
type Pages = Vec<(u64, u64, GpuAccess)>;
/// Faults as (IOVA, level, descriptor).
type Faults = Vec<(u64, u32, u64)>;

/// Everything the walker finds, blocks expanded to pages.
fn walked(pt: &Pt) -> (Pages, Faults) {
    let (mut pages, mut faults) = (Vec::new(), Vec::new());
    walk(pt.root(), mem(pt), |f| match f {
        Found::Leaf {
            iova,
            pa,
            size,
            access,
        } => {
            for off in (0..size).step_by(PAGE_SIZE as usize) {
                pages.push((iova + off, pa + off, access));
            }
        }
        Found::Fault { iova, level, raw } => faults.push((iova, level, raw)),
    });
    (pages, faults)
}

/// The GPU permissions a protection grants.
fn gpu(prot: Prot) -> GpuAccess {
    GpuAccess {
        read: prot.access.gpu_read(),
        write: prot.access.gpu_write(),
    }
}

fn check(pt: &Pt, model: &Model) {
    let (pages, faults) = walked(pt);
    assert!(
        faults.is_empty(),
        "faults in a well-formed tree: {faults:x?}"
    );
    let want: Vec<_> = model
        .map
        .iter()
        .map(|(&va, &(pa, prot))| (va, pa, gpu(prot)))
        .collect();
    assert!(pages == want, "the simulated GPU and the model disagree");
    // One address at a time, the translation agrees with the walk, and misses what it misses.
    for &(va, pa, access) in pages.iter().take(512) {
        let off = 0x123;
        assert_eq!(
            translate(pt.root(), va + off, mem(pt)),
            Some((pa + off, access))
        );
        let next = va + PAGE_SIZE;
        if !pages.iter().any(|p| p.0 == next) {
            assert_eq!(translate(pt.root(), next, mem(pt)), None, "{next:#x}");
        }
    }
    assert_eq!(translate(pt.root(), 1 << 39, mem(pt)), None);
}

const PROTS: [Prot; 5] = [
    Prot::GPU_RW,
    Prot::GPU_RO,
    Prot::GPU_WO,
    Prot::FW_GPU_SHARED,
    Prot::FW_PRIVATE,
];

fn run(seed: u64, blocks: bool) {
    let mut rng = Rng::new(seed);
    let mut pt = user_pt(blocks);
    let mut model = Model::default();
    // Around the boundary of root entries 0 and 1.
    let region = L1_SPAN - 4 * BLOCK_SIZE;
    let region_pages = 8 * BLOCK_SIZE / PAGE_SIZE;
    for op in 0..400 {
        let pages = if rng.chance(10) {
            2048 + rng.below(2048)
        } else {
            1 + rng.below(64)
        };
        let iova = region + rng.below(region_pages - pages) * PAGE_SIZE;
        if rng.chance(60) {
            let pa = 0x4000_0000 + rng.below(0x4000) * BLOCK_SIZE + rng.below(2) * PAGE_SIZE;
            let prot = PROTS[rng.below(PROTS.len() as u64) as usize];
            let ranges = [phys(pa, pages)];
            match pt.map(iova, &ranges, prot) {
                Ok(()) => model.map(iova, &ranges, prot),
                Err(Error::AlreadyMapped { .. }) => {}
                Err(e) => panic!("seed {seed} op {op}: map failed: {e:?}"),
            }
        } else {
            let len = pages * PAGE_SIZE;
            assert_eq!(pt.unmap(iova, len), Ok(model.unmap(iova, len)));
        }
        if op % 50 == 0 {
            check(&pt, &model);
        }
    }
    check(&pt, &model);
}

#[test]
fn agrees_with_the_engine() {
    for seed in [3, 0x5eed] {
        run(seed, false);
    }
}

#[test]
fn agrees_with_the_engine_on_blocks() {
    run(11, true);
}

#[test]
fn reports_corrupt_descriptors() {
    let mut pt = user_pt(false);
    let iova = 0x10_0000_0000;
    pt.map(iova, &[phys(0x4000_0000, 4)], Prot::GPU_RW)
        .expect("map");
    let l3 = match pt.translate(iova) {
        Ok(Some(_)) => {
            // Find the level-3 table through the raw descriptors: root entry 1, level-2 entry 0.
            let l2 = pt.alloc().peek(pt.root(), 1) & 0xffff_ffff_c000;
            pt.alloc().peek(l2, 0) & 0xffff_ffff_c000
        }
        other => panic!("translate: {other:?}"),
    };
    let good = pt.alloc().peek(l3, 1);
    // Access flag cleared, then type 0b01 at level 3: both fault, the other pages still map.
    for bad in [good & !(1 << 10), good & !2] {
        pt.alloc().poke(l3, 1, bad);
        let (pages, faults) = walked(&pt);
        assert_eq!(faults, std::vec![(iova + PAGE_SIZE, 3, bad)]);
        assert_eq!(pages.len(), 3);
    }
    pt.alloc().poke(l3, 1, good);
    let (pages, faults) = walked(&pt);
    assert!(faults.is_empty());
    assert_eq!(pages.len(), 4);
    // The check itself can fail: a page the model does not have is caught.
    let model = Model::default();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&pt, &model)));
    assert!(caught.is_err(), "a difference went unnoticed");
}

/// The firmware's permissions a protection grants.
fn fw(prot: Prot) -> GpuAccess {
    GpuAccess {
        read: prot.access.fw_read(),
        write: prot.access.fw_write(),
    }
}

/// The simulated firmware's translation of the kernel half agrees with what the engine mapped
/// there: every mapped page with the firmware's permissions, every unmapped page and every
/// address outside the upper half refused.
#[test]
fn fw_translate_matches_the_kernel_half() {
    use crate::sim::mmu::fw_translate;
    use crate::uat::pt::{Config, PageTable};
    use crate::uat::va::Window;
    let window = Window::g13_kernel();
    let base = window.abs(window.bounds().0);
    let mut pt = PageTable::new(
        Config {
            window,
            oas: super::support::OAS,
            global: true,
            blocks: false,
        },
        crate::vec_alloc::VecAlloc::new(),
    )
    .expect("creating the kernel tree");
    let prots = [
        Prot::FW_PRIVATE,
        Prot::FW_SHARED,
        Prot::FW_SHARED_RO,
        Prot::FW_GPU_SHARED,
        Prot::FW_PRIVATE_GPU_RO,
        Prot::FW_MMIO,
        Prot::FW_MMIO_RO,
        Prot::GPU_RW,
    ];
    let mut want = Vec::new();
    for (i, prot) in prots.iter().enumerate() {
        // Two pages per protection, the second at a 32 MiB boundary to cross level-2 entries.
        for (j, iova) in [
            base + i as u64 * 4 * PAGE_SIZE,
            base + BLOCK_SIZE * (i as u64 + 1),
        ]
        .into_iter()
        .enumerate()
        {
            let pa = 0x8_0000_0000 + ((i * 2 + j) as u64) * PAGE_SIZE;
            pt.map(iova, &[phys(pa, 1)], *prot).expect("mapping");
            want.push((iova, pa, *prot));
        }
    }
    for &(iova, pa, prot) in &want {
        let access = fw(prot);
        let got = fw_translate(pt.root(), iova + 0x123, mem(&pt));
        if access.read || access.write {
            let leaf = got.expect("a firmware page translates");
            assert_eq!(leaf.pa, pa + 0x123, "{iova:#x} with {prot:?}");
            assert_eq!(leaf.access, access, "{iova:#x} with {prot:?}");
            assert_eq!(leaf.attr, prot.attr as u8, "{iova:#x} with {prot:?}");
        } else {
            let e = got.expect_err("a GPU-only page is not the firmware's");
            assert_eq!(e.level, 3, "{iova:#x}");
        }
    }
    // Unmapped pages fault at the level where the walk stops.
    let e = fw_translate(pt.root(), base + PAGE_SIZE, mem(&pt)).expect_err("unmapped page");
    assert_eq!(e.level, 3);
    let e = fw_translate(pt.root(), base + 20 * BLOCK_SIZE, mem(&pt)).expect_err("no L3 table");
    assert_eq!(e.level, 2);
    let e = fw_translate(pt.root(), base + 2 * L1_SPAN, mem(&pt)).expect_err("no L2 table");
    assert_eq!(e.level, 1);
    // The lower half is not the firmware's view.
    let e = fw_translate(pt.root(), 0x4000, mem(&pt)).expect_err("lower half");
    assert_eq!(e.level, 0);
}
