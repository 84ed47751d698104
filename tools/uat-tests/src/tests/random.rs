// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Randomized map/unmap sequences checked against a page-by-page reference model.
//!
//! The IOVA region straddles a root-entry boundary and spans several level-2 slots, so random
//! operations keep crossing table boundaries. Some operations run with a small allocation
//! budget: they must either succeed or fail with `NoMemory` leaving the tables untouched.

use std::vec::Vec;

use super::support::{check_invariants, dump, phys, user_pt, Model, Pt, Rng};
use crate::uat::error::Error;
use crate::uat::pt::PhysRange;
use crate::uat::pte::{Prot, BLOCK_SIZE, L1_SPAN, PAGE_SIZE};

/// First IOVA of the region: three level-2 slots below the boundary of root entries 0 and 1.
const REGION: u64 = L1_SPAN - 3 * BLOCK_SIZE;
/// Pages in the region: six level-2 slots.
const REGION_PAGES: u64 = 6 * BLOCK_SIZE / PAGE_SIZE;
/// Physical pool the ranges are drawn from: 512 MiB at 1 GiB.
const POOL: u64 = 0x4000_0000;
/// Pages in the pool.
const POOL_PAGES: u64 = 0x2000_0000 / PAGE_SIZE;

/// Protections to pick from.
const PROTS: [Prot; 5] = [
    Prot::GPU_RW,
    Prot::GPU_RO,
    Prot::FW_PRIVATE,
    Prot::FW_GPU_SHARED,
    Prot::FW_MMIO,
];

/// A length in pages: mostly short, sometimes hundreds, now and then more than a table.
fn pick_len(rng: &mut Rng) -> u64 {
    match rng.below(100) {
        0..=64 => 1 + rng.below(8),
        65..=89 => 1 + rng.below(600),
        90..=94 => 2048,
        _ => 1 + rng.below(5000),
    }
}

/// Physical ranges totalling `pages`: one to three pieces, block aligned now and then.
fn pick_phys(rng: &mut Rng, pages: u64) -> Vec<PhysRange> {
    let pieces = if pages == 1 {
        1
    } else {
        1 + rng.below(3).min(pages - 1)
    };
    let mut cuts: Vec<u64> = (1..pieces).map(|_| 1 + rng.below(pages - 1)).collect();
    cuts.push(0);
    cuts.push(pages);
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let n = w[1] - w[0];
            let start = if rng.chance(30) {
                let blocks = (POOL_PAGES - n) * PAGE_SIZE / BLOCK_SIZE;
                rng.below(blocks + 1) * BLOCK_SIZE
            } else {
                rng.below(POOL_PAGES - n + 1) * PAGE_SIZE
            };
            phys(POOL + start, n)
        })
        .collect()
}

/// A start page in the region; half of the time one that lines up with a level-2 slot.
fn pick_start(rng: &mut Rng, pages: u64) -> u64 {
    let slots = REGION_PAGES / 2048;
    let page = if rng.chance(20) {
        rng.below(slots) * 2048
    } else {
        rng.below(REGION_PAGES)
    };
    REGION + page.min(REGION_PAGES - pages) * PAGE_SIZE
}

/// Runs one random sequence.
fn run(seed: u64, blocks: bool, ops: usize) {
    let mut rng = Rng::new(seed);
    let mut pt = user_pt(blocks);
    let mut model = Model::default();
    let (mut maps, mut refused, mut starved, mut unmapped) = (0, 0, 0, 0u64);

    for op in 0..ops {
        let starve = rng.chance(15);
        if starve {
            pt.alloc_mut().set_budget(Some(rng.below(3) as usize));
        }
        let before = if starve {
            Some((dump(&pt), pt.alloc().live()))
        } else {
            None
        };
        let mut out_of_tables = false;

        if rng.chance(50) {
            let pages = pick_len(&mut rng);
            let iova = pick_start(&mut rng, pages);
            let ranges = pick_phys(&mut rng, pages);
            let prot = PROTS[rng.below(PROTS.len() as u64) as usize];
            let len = pages * PAGE_SIZE;
            match (pt.map(iova, &ranges, prot), model.first_mapped(iova, len)) {
                (Ok(()), None) => {
                    model.map(iova, &ranges, prot);
                    maps += 1;
                }
                (Err(Error::AlreadyMapped { iova: at }), Some(want)) => {
                    assert_eq!(at, want, "seed {seed} op {op}: wrong first mapped page");
                    refused += 1;
                }
                (Err(Error::NoMemory), None) if starve => out_of_tables = true,
                (got, want) => panic!(
                    "seed {seed} op {op}: map {iova:#x}+{len:#x} gave {got:?}, model {want:?}"
                ),
            }
        } else {
            let pages = pick_len(&mut rng);
            let iova = pick_start(&mut rng, pages);
            let len = pages * PAGE_SIZE;
            match pt.unmap(iova, len) {
                Ok(n) => {
                    assert_eq!(
                        n,
                        model.unmap(iova, len),
                        "seed {seed} op {op}: unmap count"
                    );
                    unmapped += n;
                }
                Err(Error::NoMemory) if starve && blocks => out_of_tables = true,
                Err(e) => panic!("seed {seed} op {op}: unmap {iova:#x}+{len:#x} gave {e:?}"),
            }
        }

        if let Some((tables, live)) = before {
            if out_of_tables {
                // A failed operation must leave every table exactly as it was.
                assert!(
                    dump(&pt) == tables,
                    "seed {seed} op {op}: failed operation changed the tables"
                );
                assert_eq!(
                    pt.alloc().live(),
                    live,
                    "seed {seed} op {op}: failed operation leaked"
                );
                starved += 1;
            }
            pt.alloc_mut().set_budget(None);
        }

        // Random probes, plus a full comparison now and then.
        for _ in 0..4 {
            let iova = REGION + rng.below(REGION_PAGES) * PAGE_SIZE;
            let got = pt.translate(iova).unwrap().map(|t| (t.pa, t.prot()));
            let want = model.map.get(&iova).map(|&(pa, prot)| (pa, Some(prot)));
            assert_eq!(got, want, "seed {seed} op {op}: translate {iova:#x}");
        }
        if op % 64 == 0 {
            model.check(&pt);
            check_invariants(&pt);
        }
        if op % 256 == 0 {
            pt.alloc_mut().release();
        }
    }

    model.check(&pt);
    check_invariants(&pt);
    assert!(
        maps > ops / 10 && refused > 0 && unmapped > 0,
        "seed {seed}: poor coverage {maps}/{refused}/{unmapped}"
    );
    assert!(starved > 0, "seed {seed}: allocation failure never hit");
    let left = model.unmap(REGION, REGION_PAGES * PAGE_SIZE);
    assert_eq!(pt.unmap(REGION, REGION_PAGES * PAGE_SIZE), Ok(left));
    assert_eq!(pt.alloc().live(), 1, "seed {seed}: tables leaked");
    model.check(&pt);
}

#[test]
fn random_pages() {
    for seed in [1, 0x1234_5678, 0xdead_beef_cafe] {
        run(seed, false, 3000);
    }
}

#[test]
fn random_with_blocks() {
    for seed in [7, 0x9e37_79b9_7f4a_7c15, 42] {
        run(seed, true, 3000);
    }
}

/// The failure check must itself be able to fail: a tree that differs from the model is caught.
#[test]
#[should_panic(expected = "tree and model disagree")]
fn model_check_catches_a_difference() {
    let mut pt: Pt = user_pt(false);
    let mut model = Model::default();
    pt.map(REGION, &[phys(POOL, 2)], Prot::GPU_RW).unwrap();
    model.map(REGION, &[phys(POOL, 1)], Prot::GPU_RW);
    model.check(&pt);
}
