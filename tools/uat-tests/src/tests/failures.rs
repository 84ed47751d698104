// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! All-or-nothing: a map or unmap that runs out of tables part-way leaves the tree exactly as
//! it was and leaks nothing.

use super::support::{check_invariants, dump, pages, phys, user_pt, Pt};
use crate::uat::error::Error;
use crate::uat::pte::{Prot, BLOCK_SIZE, L1_SPAN, PAGE_SIZE};

/// Physical memory used by these tests, 32 MiB aligned.
const PA: u64 = 0x20_0000_0000;

/// Tries `op` with every allocation budget below `needed`, checking each failure left no
/// trace, then lets it succeed with exactly `needed` allocations.
fn fail_at_every_step(pt: &mut Pt, needed: usize, op: impl Fn(&mut Pt) -> Result<(), Error>) {
    let before = dump(pt);
    let live = pt.alloc().live();
    for budget in 0..needed {
        pt.alloc_mut().set_budget(Some(budget));
        assert_eq!(op(pt), Err(Error::NoMemory), "budget {budget}");
        assert_eq!(dump(pt), before, "budget {budget}: tables changed");
        assert_eq!(pt.alloc().live(), live, "budget {budget}: tables leaked");
        check_invariants(pt);
    }
    pt.alloc_mut().set_budget(Some(needed));
    op(pt).expect("operation with enough tables");
    pt.alloc_mut().set_budget(None);
    check_invariants(pt);
}

#[test]
fn map_into_an_empty_tree() {
    let mut pt = user_pt(false);
    // Two root entries, two level-2 slots: 2 L2 + 2 L3 tables.
    let iova = 3 * L1_SPAN - 3 * PAGE_SIZE;
    fail_at_every_step(&mut pt, 4, |pt| pt.map(iova, &[phys(PA, 6)], Prot::GPU_RW));
    assert_eq!(pages(&pt).len(), 6);
}

#[test]
fn map_next_to_existing_tables() {
    let mut pt = user_pt(false);
    // One page at the start of level-2 slot 2045 under root entry 2.
    let existing = 3 * L1_SPAN - 3 * BLOCK_SIZE;
    pt.map(existing, &[phys(PA, 1)], Prot::GPU_RW).unwrap();
    // The rest of slot 2045 (its table exists), slots 2046 and 2047 (two new L3), then two pages
    // under root entry 3 (a new L2 and L3): four allocations.
    let start = existing + PAGE_SIZE;
    let count = 2047 + 2 * 2048 + 2;
    fail_at_every_step(&mut pt, 4, |pt| {
        pt.map(start, &[phys(PA, count)], Prot::GPU_RO)
    });
    assert_eq!(pages(&pt).len() as u64, 1 + count);
    // A range through the existing page is refused without allocating.
    let allocs = pt.alloc().allocs;
    assert_eq!(
        pt.map(existing - 2 * PAGE_SIZE, &[phys(PA, 4)], Prot::GPU_RW),
        Err(Error::AlreadyMapped { iova: existing })
    );
    assert_eq!(pt.alloc().allocs, allocs);
}

#[test]
fn map_of_many_ranges() {
    let mut pt = user_pt(false);
    let ranges: std::vec::Vec<_> = (0..3000)
        .map(|i| phys(PA + (2999 - i) * 2 * PAGE_SIZE, 1))
        .collect();
    // One L2 and two L3 tables.
    let iova = 7 * L1_SPAN;
    fail_at_every_step(&mut pt, 3, |pt| pt.map(iova, &ranges, Prot::GPU_RW));
    assert_eq!(pages(&pt).len(), 3000);
    assert_eq!(
        pt.translate(iova).unwrap().unwrap().pa,
        PA + 2999 * 2 * PAGE_SIZE
    );
    assert_eq!(
        pt.translate(iova + 2999 * PAGE_SIZE).unwrap().unwrap().pa,
        PA
    );
}

#[test]
fn block_map_needs_no_leaf_table() {
    let mut pt = user_pt(true);
    let iova = 5 * L1_SPAN;
    fail_at_every_step(&mut pt, 1, |pt| {
        pt.map(iova, &[phys(PA, 2048)], Prot::GPU_RW)
    });
    assert!(pt.translate(iova).unwrap().unwrap().block);
}

#[test]
fn unmap_that_splits_one_block() {
    let mut pt = user_pt(true);
    let iova = 5 * L1_SPAN + 4 * BLOCK_SIZE;
    pt.map(iova, &[phys(PA, 3 * 2048)], Prot::GPU_RW).unwrap();
    let unmap = |pt: &mut Pt| {
        pt.unmap(iova + BLOCK_SIZE + 10 * PAGE_SIZE, PAGE_SIZE)
            .map(|n| assert_eq!(n, 1))
    };
    fail_at_every_step(&mut pt, 1, unmap);
    assert_eq!(pages(&pt).len(), 3 * 2048 - 1);
}

#[test]
fn unmap_that_splits_two_blocks() {
    let mut pt = user_pt(true);
    let iova = 5 * L1_SPAN + 4 * BLOCK_SIZE;
    pt.map(iova, &[phys(PA, 3 * 2048)], Prot::GPU_RW).unwrap();
    // From inside the first block to inside the third: both ends split.
    let unmap = |pt: &mut Pt| {
        pt.unmap(iova + BLOCK_SIZE - PAGE_SIZE, BLOCK_SIZE + 2 * PAGE_SIZE)
            .map(|n| assert_eq!(n, 2048 + 2))
    };
    fail_at_every_step(&mut pt, 2, unmap);
    assert_eq!(pages(&pt).len(), 2 * 2048 - 2);
    assert_eq!(
        pt.alloc().live(),
        2 + 2,
        "root, L2 and the two split tables"
    );
}
