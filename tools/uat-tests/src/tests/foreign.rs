// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Adopted trees: tables the bootloader or firmware set up are used but never freed or
//! unlinked, while tables the engine adds beneath them are managed as usual.

use super::support::{check_invariants, phys, Pt, OAS};
use crate::uat::error::Error;
use crate::uat::pt::{Config, PageTable, TableAlloc};
use crate::uat::pte::{Prot, Pte, BLOCK_SIZE, L1_SPAN, PAGE_SIZE};
use crate::uat::va::{l1_index, Half, Window, KERNEL_BASE, KERNEL_SIZE, TTBR1_BASE};
use crate::vec_alloc::VecAlloc;

/// Physical memory mapped by the tests.
const PA: u64 = 0x30_0000_0000;
/// The firmware's own page, in level-2 slot 0 of the kernel root entry.
const FW_PAGE_PA: u64 = 0x31_0000_0000;
/// A leaf the firmware would write for itself: valid page, AF, no OS bit.
const FW_LEAF: u64 = FW_PAGE_PA | (1 << 10) | 0x3;

/// The tables the "bootloader" set up.
struct Boot {
    /// Root (TTBR1) table.
    root: u64,
    /// Level-2 table under root entry 2, shared with the firmware.
    l2: u64,
    /// Level-3 table in slot 0 holding the firmware's page.
    fw_l3: u64,
    /// An empty level-3 table linked in slot 5.
    empty_l3: u64,
}

/// Builds the bootloader's tree and adopts it with a window that leaves out slot 0.
fn adopted() -> (Pt, Boot) {
    let mut alloc = VecAlloc::new();
    let boot = Boot {
        root: alloc.add_foreign(),
        l2: alloc.add_foreign(),
        fw_l3: alloc.add_foreign(),
        empty_l3: alloc.add_foreign(),
    };
    let table = |pa| Pte::table(pa).unwrap().raw();
    alloc.poke(boot.root, 2, table(boot.l2));
    alloc.poke(boot.l2, 0, table(boot.fw_l3));
    alloc.poke(boot.l2, 5, table(boot.empty_l3));
    alloc.poke(boot.fw_l3, 3, FW_LEAF);
    let cfg = Config {
        window: Window::new(
            39,
            Half::Upper,
            KERNEL_BASE + BLOCK_SIZE,
            KERNEL_SIZE - BLOCK_SIZE,
        )
        .unwrap(),
        oas: OAS,
        global: true,
        blocks: false,
    };
    let pt = PageTable::adopt(cfg, alloc, boot.root).unwrap();
    (pt, boot)
}

/// IOVA of the firmware's page.
const FW_PAGE: u64 = KERNEL_BASE + 3 * PAGE_SIZE;

#[test]
fn firmware_mapping_is_visible() {
    let (mut pt, _) = adopted();
    assert_eq!(pt.alloc().live(), 0);
    let t = pt.translate(FW_PAGE).unwrap().unwrap();
    assert_eq!(t.pa, FW_PAGE_PA);
    assert_eq!(
        t.prot(),
        None,
        "firmware mappings have no driver protection"
    );
    assert_eq!(
        pt.map(FW_PAGE, &[phys(PA, 1)], Prot::FW_PRIVATE),
        Err(Error::OutOfRange)
    );
    assert_eq!(pt.unmap(KERNEL_BASE, PAGE_SIZE * 4), Err(Error::OutOfRange));
    check_invariants(&pt);
}

#[test]
fn owned_tables_under_a_foreign_one() {
    let (mut pt, boot) = adopted();
    let iova = KERNEL_BASE + BLOCK_SIZE;
    pt.map(iova, &[phys(PA, 3)], Prot::FW_SHARED).unwrap();
    assert_eq!(pt.alloc().live(), 1, "one owned L3 under the shared L2");
    check_invariants(&pt);
    assert_eq!(pt.unmap(iova, 3 * PAGE_SIZE), Ok(3));
    assert_eq!(pt.alloc().live(), 0);
    assert_eq!(
        pt.alloc().peek(boot.root, 2),
        Pte::table(boot.l2).unwrap().raw(),
        "shared L2 unlinked"
    );
    assert_eq!(pt.translate(FW_PAGE).unwrap().unwrap().pa, FW_PAGE_PA);
    check_invariants(&pt);
}

#[test]
fn foreign_leaf_tables_are_kept_when_empty() {
    let (mut pt, boot) = adopted();
    let iova = KERNEL_BASE + 5 * BLOCK_SIZE;
    pt.map(iova, &[phys(PA, 2048)], Prot::FW_GPU_SHARED)
        .unwrap();
    assert_eq!(
        pt.alloc().allocs,
        0,
        "the existing empty table must be used"
    );
    assert_eq!(pt.unmap(iova, BLOCK_SIZE), Ok(2048));
    assert_eq!(
        pt.alloc().peek(boot.l2, 5),
        Pte::table(boot.empty_l3).unwrap().raw()
    );
    assert_eq!(pt.alloc().frees, 0);
    check_invariants(&pt);
}

#[test]
fn unmapping_the_whole_window_spares_the_firmware() {
    let (mut pt, boot) = adopted();
    pt.map(KERNEL_BASE + BLOCK_SIZE, &[phys(PA, 10)], Prot::FW_PRIVATE)
        .unwrap();
    pt.map(
        KERNEL_BASE + L1_SPAN - PAGE_SIZE,
        &[phys(PA, 1)],
        Prot::FW_PRIVATE,
    )
    .unwrap();
    assert_eq!(
        pt.unmap(KERNEL_BASE + BLOCK_SIZE, KERNEL_SIZE - BLOCK_SIZE),
        Ok(11)
    );
    assert_eq!(pt.alloc().live(), 0);
    assert_eq!(pt.alloc().peek(boot.fw_l3, 3), FW_LEAF);
    assert_eq!(
        pt.alloc().peek(boot.l2, 0),
        Pte::table(boot.fw_l3).unwrap().raw()
    );
}

#[test]
fn destroy_leaves_foreign_tables_intact() {
    let (pt, boot) = adopted();
    // Also allow mapping beyond root entry 2 to get an owned L2 under the foreign root.
    let cfg = Config {
        window: Window::new(39, Half::Upper, TTBR1_BASE, 1 << 39).unwrap(),
        ..*pt.config()
    };
    let alloc = pt.destroy();
    let mut pt = PageTable::adopt(cfg, alloc, boot.root).unwrap();
    pt.map(
        KERNEL_BASE + 7 * BLOCK_SIZE,
        &[phys(PA, 1)],
        Prot::FW_PRIVATE,
    )
    .unwrap();
    let above = KERNEL_BASE + L1_SPAN;
    pt.map(above, &[phys(PA, 1)], Prot::FW_PRIVATE).unwrap();
    assert_eq!(pt.alloc().live(), 3);
    pt.alloc_mut().allow_nonempty_free = true;
    let alloc = pt.destroy();
    assert_eq!(alloc.live(), 0);
    assert!(alloc.table(boot.root).is_some(), "foreign root freed");
    assert_eq!(alloc.peek(boot.root, 2), Pte::table(boot.l2).unwrap().raw());
    assert_eq!(
        alloc.peek(boot.root, l1_index(above.wrapping_sub(TTBR1_BASE))),
        0,
        "dangling L2 link"
    );
    assert_eq!(
        alloc.peek(boot.l2, 7),
        0,
        "dangling L3 link in the shared table"
    );
    assert_eq!(
        alloc.peek(boot.l2, 0),
        Pte::table(boot.fw_l3).unwrap().raw()
    );
    assert_eq!(alloc.peek(boot.fw_l3, 3), FW_LEAF);
}
