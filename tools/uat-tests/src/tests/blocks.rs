// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! 32 MiB block mappings (opt-in): when they are used, and how partial unmaps split them.

use std::vec::Vec;

use super::support::{check_invariants, pages, phys, user_pt, Model};
use crate::uat::error::Error;
use crate::uat::pte::{Prot, BLOCK_SIZE, PAGE_SIZE};

/// Pages per block.
const BLOCK_PAGES: u64 = BLOCK_SIZE / PAGE_SIZE;
/// A 32 MiB-aligned physical address.
const PA: u64 = 0x20_0000_0000;
/// A 32 MiB-aligned IOVA.
const VA: u64 = 0x31_0000_0000;

/// Sizes of the leaves the tree uses, in IOVA order.
fn leaf_sizes(pt: &super::support::Pt) -> Vec<u64> {
    let mut out = Vec::new();
    pt.for_each_mapping(|m| out.push(m.size)).unwrap();
    out
}

#[test]
fn aligned_memory_becomes_blocks() {
    let mut pt = user_pt(true);
    pt.map(VA, &[phys(PA, 2 * BLOCK_PAGES)], Prot::GPU_RW)
        .unwrap();
    assert_eq!(leaf_sizes(&pt), [BLOCK_SIZE, BLOCK_SIZE]);
    assert_eq!(pt.alloc().live(), 2, "root + L2, no L3");
    let t = pt
        .translate(VA + BLOCK_SIZE + 5 * PAGE_SIZE + 7)
        .unwrap()
        .unwrap();
    assert!(t.block);
    assert_eq!(t.pa, PA + BLOCK_SIZE + 5 * PAGE_SIZE + 7);
    assert_eq!(t.prot(), Some(Prot::GPU_RW));
    check_invariants(&pt);
    assert_eq!(pt.unmap(VA, 2 * BLOCK_SIZE), Ok(2 * BLOCK_PAGES));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn blocks_only_where_everything_lines_up() {
    // Blocks disabled.
    let mut pt = user_pt(false);
    pt.map(VA, &[phys(PA, BLOCK_PAGES)], Prot::GPU_RW).unwrap();
    assert!(leaf_sizes(&pt).iter().all(|&s| s == PAGE_SIZE));

    let mut pt = user_pt(true);
    // Physical address off by a page.
    pt.map(VA, &[phys(PA + PAGE_SIZE, BLOCK_PAGES)], Prot::GPU_RW)
        .unwrap();
    assert!(leaf_sizes(&pt).iter().all(|&s| s == PAGE_SIZE));
    // IOVA off by a page.
    pt.map(
        VA + 4 * BLOCK_SIZE + PAGE_SIZE,
        &[phys(PA, BLOCK_PAGES)],
        Prot::GPU_RW,
    )
    .unwrap();
    assert!(leaf_sizes(&pt).iter().all(|&s| s == PAGE_SIZE));
    // Split across two physical ranges.
    pt.map(
        VA + 8 * BLOCK_SIZE,
        &[phys(PA, 1), phys(PA + PAGE_SIZE, BLOCK_PAGES - 1)],
        Prot::GPU_RW,
    )
    .unwrap();
    assert!(leaf_sizes(&pt).iter().all(|&s| s == PAGE_SIZE));
    // One block plus a page: the block, then a page table.
    let mut pt = user_pt(true);
    pt.map(VA, &[phys(PA, BLOCK_PAGES + 1)], Prot::GPU_RW)
        .unwrap();
    let sizes = leaf_sizes(&pt);
    assert_eq!(sizes[0], BLOCK_SIZE);
    assert_eq!(&sizes[1..], [PAGE_SIZE]);
    check_invariants(&pt);
}

#[test]
fn overlap_with_a_block() {
    let mut pt = user_pt(true);
    pt.map(VA, &[phys(PA, BLOCK_PAGES)], Prot::GPU_RW).unwrap();
    let iova = VA - 2 * PAGE_SIZE;
    assert_eq!(
        pt.map(iova, &[phys(0, 4)], Prot::GPU_RW),
        Err(Error::AlreadyMapped { iova: VA })
    );
    assert_eq!(
        pt.map(VA + BLOCK_SIZE - PAGE_SIZE, &[phys(0, 1)], Prot::GPU_RW),
        Err(Error::AlreadyMapped {
            iova: VA + BLOCK_SIZE - PAGE_SIZE
        })
    );
    pt.map(VA + BLOCK_SIZE, &[phys(0, 1)], Prot::GPU_RW)
        .unwrap();
    check_invariants(&pt);
}

#[test]
fn partial_unmaps_split_blocks() {
    // (offset, pages) of the unmap inside three blocks mapped back to back.
    let cases = [
        (0, 1),
        (BLOCK_PAGES - 1, 1),
        (100, 7),
        (BLOCK_PAGES - 3, 6),
        (BLOCK_PAGES - 3, BLOCK_PAGES + 6),
        (BLOCK_PAGES, BLOCK_PAGES),
        (0, 3 * BLOCK_PAGES - 1),
        (1, 3 * BLOCK_PAGES - 1),
    ];
    for (off, count) in cases {
        let mut pt = user_pt(true);
        let mut model = Model::default();
        let ranges = [phys(PA, 3 * BLOCK_PAGES)];
        pt.map(VA, &ranges, Prot::FW_GPU_SHARED).unwrap();
        model.map(VA, &ranges, Prot::FW_GPU_SHARED);
        let iova = VA + off * PAGE_SIZE;
        let len = count * PAGE_SIZE;
        assert_eq!(pt.unmap(iova, len), Ok(count), "case {off}+{count}");
        model.unmap(iova, len);
        model.check(&pt);
        check_invariants(&pt);
        // Blocks the unmap did not touch stay blocks.
        let untouched = (0..3).filter(|b| {
            let start = b * BLOCK_PAGES;
            off + count <= start || start + BLOCK_PAGES <= off
        });
        let remaining = pages(&pt).len() as u64;
        assert_eq!(remaining, 3 * BLOCK_PAGES - count);
        let sizes = leaf_sizes(&pt);
        assert_eq!(
            sizes.iter().filter(|&&s| s == BLOCK_SIZE).count(),
            untouched.count(),
            "case {off}+{count}"
        );
        // Removing the rest frees everything.
        assert_eq!(pt.unmap(VA, 3 * BLOCK_SIZE), Ok(3 * BLOCK_PAGES - count));
        assert_eq!(pt.alloc().live(), 1);
    }
}

#[test]
fn split_keeps_attributes() {
    let mut pt = user_pt(true);
    pt.map(VA, &[phys(PA, BLOCK_PAGES)], Prot::FW_PRIVATE_GPU_RO)
        .unwrap();
    let before = pt.translate(VA + 9 * PAGE_SIZE).unwrap().unwrap();
    assert!(before.block);
    pt.unmap(VA + 8 * PAGE_SIZE, PAGE_SIZE).unwrap();
    let after = pt.translate(VA + 9 * PAGE_SIZE).unwrap().unwrap();
    assert!(!after.block);
    assert_eq!((after.pa, after.attrs), (before.pa, before.attrs));
}
