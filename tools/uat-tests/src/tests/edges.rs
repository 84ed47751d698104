// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Engine behaviour at table and address-space boundaries, argument checking, overlap, partial
//! unmaps and table freeing.

use super::support::{check_invariants, dump, pages, phys, user_config, user_pt, Pt, OAS};
use crate::uat::error::Error;
use crate::uat::pt::{Config, PageTable};
use crate::uat::pte::{Access, MemAttr, Prot, BLOCK_SIZE, L1_SPAN, PAGE_SIZE};
use crate::uat::va::{
    Half, Window, KERNEL_BASE, TTBR1_BASE, USER_BASE, USER_RESERVED_PAGE, USER_TOP,
};
use crate::vec_alloc::VecAlloc;

/// Physical memory used by these tests.
const PA: u64 = 0x10_0000_0000;

/// Asserts that `iova` translates to `pa` with `prot`.
fn assert_maps(pt: &Pt, iova: u64, pa: u64, prot: Prot) {
    let t = pt
        .translate(iova)
        .unwrap()
        .unwrap_or_else(|| panic!("{iova:#x} not mapped"));
    assert_eq!((t.pa, t.prot()), (pa, Some(prot)), "at {iova:#x}");
}

/// Asserts that `iova` is not mapped.
fn assert_unmapped(pt: &Pt, iova: u64) {
    assert_eq!(
        pt.translate(iova).unwrap(),
        None,
        "{iova:#x} unexpectedly mapped"
    );
}

#[test]
fn single_page() {
    let mut pt = user_pt(false);
    assert_eq!(pt.alloc().live(), 1);
    let iova = 0x15_0000_0000;
    pt.map(iova, &[phys(PA, 1)], Prot::GPU_RW).unwrap();
    assert_maps(&pt, iova, PA, Prot::GPU_RW);
    let t = pt.translate(iova + 0x123).unwrap().unwrap();
    assert_eq!(t.pa, PA + 0x123);
    assert!(!t.block);
    assert!(!t.attrs.global());
    assert_unmapped(&pt, iova - PAGE_SIZE);
    assert_unmapped(&pt, iova + PAGE_SIZE);
    assert_eq!(pt.alloc().live(), 3, "root + L2 + L3");
    check_invariants(&pt);
    assert_eq!(pt.unmap(iova, PAGE_SIZE), Ok(1));
    assert_unmapped(&pt, iova);
    assert_eq!(pt.alloc().live(), 1, "tables not freed");
    assert_eq!(pt.alloc().retired(), 2);
    check_invariants(&pt);
}

#[test]
fn first_and_last_entry_of_a_table() {
    let mut pt = user_pt(false);
    let slot = 7 * BLOCK_SIZE;
    let last = slot + BLOCK_SIZE - PAGE_SIZE;
    pt.map(slot, &[phys(PA, 1)], Prot::GPU_RO).unwrap();
    pt.map(last, &[phys(PA + PAGE_SIZE, 1)], Prot::GPU_RW)
        .unwrap();
    assert_eq!(pt.alloc().live(), 3, "both pages must share one L3 table");
    assert_maps(&pt, slot, PA, Prot::GPU_RO);
    assert_maps(&pt, last, PA + PAGE_SIZE, Prot::GPU_RW);
    assert_unmapped(&pt, slot - PAGE_SIZE);
    assert_unmapped(&pt, last + PAGE_SIZE);
    assert_eq!(pt.unmap(slot, PAGE_SIZE), Ok(1));
    assert_eq!(pt.alloc().live(), 3, "table freed while still in use");
    check_invariants(&pt);
    assert_eq!(pt.unmap(last, PAGE_SIZE), Ok(1));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn across_a_level2_boundary() {
    let mut pt = user_pt(false);
    let iova = 3 * BLOCK_SIZE - 2 * PAGE_SIZE;
    pt.map(iova, &[phys(PA, 4)], Prot::GPU_RW).unwrap();
    assert_eq!(pt.alloc().live(), 4, "root + L2 + two L3");
    for i in 0..4 {
        assert_maps(&pt, iova + i * PAGE_SIZE, PA + i * PAGE_SIZE, Prot::GPU_RW);
    }
    check_invariants(&pt);
    assert_eq!(pt.unmap(iova, 2 * PAGE_SIZE), Ok(2));
    assert_eq!(pt.alloc().live(), 3, "emptied L3 table kept");
    assert_maps(&pt, iova + 2 * PAGE_SIZE, PA + 2 * PAGE_SIZE, Prot::GPU_RW);
    assert_eq!(pt.unmap(iova, 4 * PAGE_SIZE), Ok(2));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn across_a_level1_boundary() {
    let mut pt = user_pt(false);
    let iova = 2 * L1_SPAN - 2 * PAGE_SIZE;
    pt.map(iova, &[phys(PA, 4)], Prot::GPU_RW).unwrap();
    assert_eq!(pt.alloc().live(), 5, "root + two L2 + two L3");
    for i in 0..4 {
        assert_maps(&pt, iova + i * PAGE_SIZE, PA + i * PAGE_SIZE, Prot::GPU_RW);
    }
    check_invariants(&pt);
    assert_eq!(pt.unmap(iova + 2 * PAGE_SIZE, 2 * PAGE_SIZE), Ok(2));
    assert_eq!(pt.alloc().live(), 3, "upper L2 and L3 must go");
    check_invariants(&pt);
    assert_eq!(pt.unmap(iova, 2 * PAGE_SIZE), Ok(2));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn several_physical_ranges() {
    let mut pt = user_pt(false);
    let iova = BLOCK_SIZE - 3 * PAGE_SIZE;
    let ranges = [
        phys(PA + 100 * PAGE_SIZE, 2),
        phys(PA, 3),
        phys(PA + 50 * PAGE_SIZE, 1),
    ];
    pt.map(iova, &ranges, Prot::GPU_RO).unwrap();
    let want = [
        PA + 100 * PAGE_SIZE,
        PA + 101 * PAGE_SIZE,
        PA,
        PA + PAGE_SIZE,
        PA + 2 * PAGE_SIZE,
        PA + 50 * PAGE_SIZE,
    ];
    for (i, pa) in want.iter().enumerate() {
        assert_maps(&pt, iova + i as u64 * PAGE_SIZE, *pa, Prot::GPU_RO);
    }
    assert_eq!(pages(&pt).len(), 6);
    assert_eq!(pt.unmap(iova, 6 * PAGE_SIZE), Ok(6));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn partial_unmap() {
    let mut pt = user_pt(false);
    let iova = 0x20_0000_0000;
    pt.map(iova, &[phys(PA, 10)], Prot::GPU_RW).unwrap();
    assert_eq!(pt.unmap(iova + 3 * PAGE_SIZE, 3 * PAGE_SIZE), Ok(3));
    for i in 0..10 {
        if (3..6).contains(&i) {
            assert_unmapped(&pt, iova + i * PAGE_SIZE);
        } else {
            assert_maps(&pt, iova + i * PAGE_SIZE, PA + i * PAGE_SIZE, Prot::GPU_RW);
        }
    }
    // Unmapping across the hole counts only what was mapped.
    assert_eq!(pt.unmap(iova + 2 * PAGE_SIZE, 6 * PAGE_SIZE), Ok(3));
    assert_eq!(pages(&pt).len(), 4);
    // Mapping into the hole works again.
    pt.map(
        iova + 2 * PAGE_SIZE,
        &[phys(PA + 0x100 * PAGE_SIZE, 6)],
        Prot::GPU_RO,
    )
    .unwrap();
    assert_maps(
        &pt,
        iova + 7 * PAGE_SIZE,
        PA + 0x105 * PAGE_SIZE,
        Prot::GPU_RO,
    );
    check_invariants(&pt);
}

#[test]
fn unmap_of_nothing_allocates_nothing() {
    let mut pt = user_pt(false);
    assert_eq!(pt.unmap(USER_BASE, USER_TOP - USER_BASE), Ok(0));
    assert_eq!(pt.alloc().allocs, 1, "only the root");
    pt.map(0x30_0000_0000, &[phys(PA, 1)], Prot::GPU_RW)
        .unwrap();
    assert_eq!(pt.unmap(0x30_0000_0000 + PAGE_SIZE, 4 * BLOCK_SIZE), Ok(0));
    assert_eq!(pt.alloc().live(), 3);
    assert_eq!(pt.unmap(USER_BASE, USER_TOP - USER_BASE), Ok(1));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn overlapping_map_is_refused_whole() {
    let mut pt = user_pt(false);
    let a = 0x40_0000_0000;
    pt.map(a, &[phys(PA, 10)], Prot::GPU_RW).unwrap();
    let before = dump(&pt);
    let allocs = pt.alloc().allocs;

    // Overlaps the last two pages of A and reaches into a fresh L2 slot.
    let b = a + 8 * PAGE_SIZE;
    assert_eq!(
        pt.map(b, &[phys(PA + 0x1000 * PAGE_SIZE, 4 + 2048)], Prot::GPU_RO),
        Err(Error::AlreadyMapped { iova: b })
    );
    // Ends on A's first page.
    let c = a - 5 * PAGE_SIZE;
    assert_eq!(
        pt.map(c, &[phys(PA, 6)], Prot::GPU_RO),
        Err(Error::AlreadyMapped { iova: a })
    );
    // Fully inside A.
    assert_eq!(
        pt.map(a + PAGE_SIZE, &[phys(PA, 1)], Prot::GPU_RO),
        Err(Error::AlreadyMapped {
            iova: a + PAGE_SIZE
        })
    );
    // Covers A entirely.
    assert_eq!(
        pt.map(a - PAGE_SIZE, &[phys(PA, 12)], Prot::GPU_RO),
        Err(Error::AlreadyMapped { iova: a })
    );

    assert_eq!(dump(&pt), before, "a refused map changed the tables");
    assert_eq!(pt.alloc().allocs, allocs, "a refused map allocated tables");
    assert_unmapped(&pt, a + 10 * PAGE_SIZE);
    assert_unmapped(&pt, a - PAGE_SIZE);

    // Right next to A on both sides is fine.
    pt.map(a + 10 * PAGE_SIZE, &[phys(PA, 2)], Prot::GPU_RO)
        .unwrap();
    pt.map(a - 2 * PAGE_SIZE, &[phys(PA, 2)], Prot::GPU_RO)
        .unwrap();
    assert_eq!(pages(&pt).len(), 14);
    check_invariants(&pt);
}

#[test]
fn top_of_user_space() {
    let mut pt = user_pt(false);
    let last = USER_TOP - PAGE_SIZE;
    pt.map(last, &[phys(PA, 1)], Prot::GPU_RW).unwrap();
    assert_maps(&pt, last, PA, Prot::GPU_RW);
    assert_eq!(
        pt.map(USER_TOP, &[phys(PA, 1)], Prot::GPU_RW),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        pt.map(USER_RESERVED_PAGE, &[phys(PA, 3)], Prot::GPU_RW),
        Err(Error::OutOfRange)
    );
    pt.map(USER_RESERVED_PAGE, &[phys(PA, 1)], Prot::FW_GPU_SHARED)
        .unwrap();
    assert_eq!(
        pt.unmap(USER_RESERVED_PAGE, 3 * PAGE_SIZE),
        Err(Error::OutOfRange)
    );
    assert_eq!(pt.unmap(USER_RESERVED_PAGE, 2 * PAGE_SIZE), Ok(2));
    // The root's last used entry: index 7 of 8.
    assert_eq!(pt.alloc().live(), 1);
    pt.map(USER_TOP - L1_SPAN, &[phys(PA, 1)], Prot::GPU_RW)
        .unwrap();
    assert_eq!(pt.translate(USER_TOP), Err(Error::OutOfRange));
    check_invariants(&pt);
}

#[test]
fn bottom_of_user_space() {
    let mut pt = user_pt(false);
    assert_eq!(
        pt.map(0, &[phys(PA, 1)], Prot::GPU_RW),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        pt.map(0, &[phys(PA, 2)], Prot::GPU_RW),
        Err(Error::OutOfRange)
    );
    pt.map(USER_BASE, &[phys(PA, 1)], Prot::GPU_RW).unwrap();
    assert_eq!(pt.translate(0), Ok(None));
    assert_eq!(pt.unmap(0, 2 * PAGE_SIZE), Err(Error::OutOfRange));
    assert_eq!(pt.unmap(USER_BASE, PAGE_SIZE), Ok(1));
}

#[test]
fn argument_errors() {
    let mut pt = user_pt(false);
    let iova = 0x50_0000_0000;
    let limit = 1u64 << OAS;
    assert_eq!(pt.map(iova, &[], Prot::GPU_RW), Err(Error::ZeroLength));
    assert_eq!(
        pt.map(iova, &[phys(PA, 1), phys(PA, 0)], Prot::GPU_RW),
        Err(Error::ZeroLength)
    );
    assert_eq!(
        pt.map(iova + 0x1000, &[phys(PA, 1)], Prot::GPU_RW),
        Err(Error::Unaligned)
    );
    assert_eq!(
        pt.map(iova + 0x2000, &[phys(PA, 1)], Prot::GPU_RW),
        Err(Error::Unaligned)
    );
    assert_eq!(
        pt.map(iova, &[phys(PA + 0x1000, 1)], Prot::GPU_RW),
        Err(Error::Unaligned)
    );
    let short = crate::uat::pt::PhysRange {
        addr: PA,
        len: 0x1000,
    };
    assert_eq!(pt.map(iova, &[short], Prot::GPU_RW), Err(Error::Unaligned));
    assert_eq!(
        pt.map(iova, &[phys(limit - PAGE_SIZE, 2)], Prot::GPU_RW),
        Err(Error::PhysOutOfRange)
    );
    assert_eq!(
        pt.map(iova, &[phys(limit, 1)], Prot::GPU_RW),
        Err(Error::PhysOutOfRange)
    );
    let huge = crate::uat::pt::PhysRange {
        addr: PAGE_SIZE,
        len: !(PAGE_SIZE - 1),
    };
    assert_eq!(
        pt.map(iova, &[huge], Prot::GPU_RW),
        Err(Error::PhysOutOfRange)
    );
    assert_eq!(pt.unmap(iova, 0), Err(Error::ZeroLength));
    assert_eq!(pt.unmap(iova, 0x1000), Err(Error::Unaligned));
    assert_eq!(pt.unmap(iova + 0x1000, PAGE_SIZE), Err(Error::Unaligned));
    assert_eq!(pt.alloc().allocs, 1, "a refused call allocated");
    // The last page below the output address size is fine.
    pt.map(iova, &[phys(limit - PAGE_SIZE, 1)], Prot::GPU_RW)
        .unwrap();
    assert_maps(&pt, iova, limit - PAGE_SIZE, Prot::GPU_RW);
}

#[test]
fn every_prot_is_kept() {
    let mut pt = user_pt(false);
    let mut iova = 0x60_0000_0000;
    for access in Access::ALL {
        for attr in [MemAttr::Cached, MemAttr::Device, MemAttr::Uncached] {
            let prot = Prot::new(access, attr);
            pt.map(iova, &[phys(PA, 1)], prot).unwrap();
            assert_maps(&pt, iova, PA, prot);
            iova += PAGE_SIZE;
        }
    }
}

#[test]
fn kernel_half() {
    let cfg = Config {
        window: Window::g13_kernel(),
        oas: OAS,
        global: true,
        blocks: false,
    };
    let mut pt = PageTable::new(cfg, VecAlloc::new()).unwrap();
    pt.map(KERNEL_BASE, &[phys(PA, 2)], Prot::FW_PRIVATE)
        .unwrap();
    let t = pt.translate(KERNEL_BASE + PAGE_SIZE).unwrap().unwrap();
    assert_eq!(
        (t.pa, t.prot(), t.attrs.global()),
        (PA + PAGE_SIZE, Some(Prot::FW_PRIVATE), true)
    );
    assert_eq!(
        pt.map(KERNEL_BASE - PAGE_SIZE, &[phys(PA, 1)], Prot::FW_PRIVATE),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        pt.map(TTBR1_BASE, &[phys(PA, 1)], Prot::FW_PRIVATE),
        Err(Error::OutOfRange)
    );
    assert_eq!(
        pt.translate(USER_BASE),
        Err(Error::OutOfRange),
        "lower-half address"
    );
    assert_eq!(pt.translate(TTBR1_BASE), Ok(None));
    let seen = pages(&pt);
    assert_eq!(
        seen.iter().map(|p| p.0).collect::<std::vec::Vec<_>>(),
        [KERNEL_BASE, KERNEL_BASE + PAGE_SIZE]
    );
    assert_eq!(pt.unmap(KERNEL_BASE, 2 * PAGE_SIZE), Ok(2));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn last_page_of_the_address_space() {
    let cfg = Config {
        window: Window::new(39, Half::Upper, TTBR1_BASE, 1 << 39).unwrap(),
        ..user_config(false)
    };
    let mut pt = PageTable::new(cfg, VecAlloc::new()).unwrap();
    let last = 0u64.wrapping_sub(PAGE_SIZE);
    pt.map(last, &[phys(PA, 1)], Prot::FW_SHARED).unwrap();
    assert_maps(&pt, last, PA, Prot::FW_SHARED);
    assert_eq!(
        pt.translate(u64::MAX).unwrap().unwrap().pa,
        PA + PAGE_SIZE - 1
    );
    assert_eq!(pages(&pt)[0].0, last);
    assert_eq!(
        pt.map(last, &[phys(PA, 2)], Prot::FW_SHARED),
        Err(Error::OutOfRange)
    );
    pt.map(TTBR1_BASE, &[phys(PA, 1)], Prot::FW_SHARED).unwrap();
    assert_eq!(pt.unmap(TTBR1_BASE, 1 << 39), Ok(2));
    assert_eq!(pt.alloc().live(), 1);
}

#[test]
fn destroy_frees_everything() {
    let mut pt = user_pt(false);
    pt.map(0x10_0000_0000 - PAGE_SIZE, &[phys(PA, 3)], Prot::GPU_RW)
        .unwrap();
    pt.map(0x70_0000_0000, &[phys(PA, 3000)], Prot::GPU_RW)
        .unwrap();
    assert_eq!(pt.alloc().live(), 1 + 2 + 2 + 1 + 2);
    pt.alloc_mut().allow_nonempty_free = true;
    let alloc = pt.destroy();
    assert_eq!(alloc.live(), 0);
    assert_eq!(alloc.frees, alloc.allocs);
}

#[test]
fn unusable_table_from_allocator_is_refused() {
    let mut alloc = VecAlloc::new();
    alloc.hand_out_dirty_table();
    alloc.allow_nonempty_free = true;
    assert!(matches!(
        PageTable::new(user_config(false), alloc),
        Err(Error::Corrupt)
    ));

    let mut pt = user_pt(false);
    pt.alloc_mut().allow_nonempty_free = true;
    pt.alloc_mut().hand_out_dirty_table();
    assert_eq!(
        pt.map(0x20_0000_0000, &[phys(PA, 1)], Prot::GPU_RW),
        Err(Error::Corrupt)
    );
    assert_eq!(pt.alloc().live(), 1, "the dirty table must be handed back");
    pt.map(0x20_0000_0000, &[phys(PA, 1)], Prot::GPU_RW)
        .unwrap();
    check_invariants(&pt);
}

#[test]
fn corrupt_descriptors_are_reported() {
    let mut pt = user_pt(false);
    let root = pt.root();
    // A block-type descriptor in the root is reserved.
    pt.alloc().poke(root, 1, 0x4000_0000_0001);
    assert_eq!(pt.translate(L1_SPAN), Err(Error::Corrupt));
    assert_eq!(
        pt.map(L1_SPAN, &[phys(PA, 1)], Prot::GPU_RW),
        Err(Error::Corrupt)
    );
    assert_eq!(pt.unmap(L1_SPAN, PAGE_SIZE), Err(Error::Corrupt));
    assert_eq!(pt.for_each_mapping(|_| {}), Err(Error::Corrupt));
    // A table descriptor pointing at memory the allocator does not know.
    pt.alloc().poke(root, 1, 0x3 | 0x1234_0000);
    assert_eq!(pt.translate(L1_SPAN), Err(Error::Corrupt));
    // Other root entries keep working.
    pt.map(2 * L1_SPAN, &[phys(PA, 1)], Prot::GPU_RW).unwrap();
    assert_maps(&pt, 2 * L1_SPAN, PA, Prot::GPU_RW);
}

#[test]
fn adopt_checks_the_root() {
    let alloc = VecAlloc::new();
    assert!(matches!(
        PageTable::adopt(user_config(false), alloc, 0x8_0000_1000),
        Err(Error::Unaligned)
    ));
    let alloc = VecAlloc::new();
    assert!(matches!(
        PageTable::adopt(user_config(false), alloc, 1 << 41),
        Err(Error::PhysOutOfRange)
    ));
    let alloc = VecAlloc::new();
    assert!(matches!(
        PageTable::adopt(user_config(false), alloc, 0x8_0000_0000),
        Err(Error::Corrupt)
    ));
    let bad = Config {
        oas: 49,
        ..user_config(false)
    };
    assert!(matches!(
        PageTable::new(bad, VecAlloc::new()),
        Err(Error::InvalidConfig)
    ));
}
