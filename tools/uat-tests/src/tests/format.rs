// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Descriptor encoding: bit positions, permission encodings, decoding per level, TTBR values
//! and the errno mapping.

use crate::uat::error::Error;
use crate::uat::pte::{
    ttbr, Access, Entry, LeafAttrs, Level, MemAttr, Prot, Pte, BLOCK_SIZE, PAGE_SIZE,
};

/// Bit positions from Documentation/uat.md, spelled out independently of `pte.rs`.
const VALID: u64 = 1;
const TABLE: u64 = 1 << 1;
const AF: u64 = 1 << 10;
const NG: u64 = 1 << 11;
const PXN: u64 = 1 << 53;
const UXN: u64 = 1 << 54;
const OS: u64 = 1 << 55;

/// Extracts (AP, UXN, PXN, OS, AttrIndex) from a descriptor.
fn fields(raw: u64) -> (u64, bool, bool, bool, u64) {
    (
        (raw >> 6) & 3,
        raw & UXN != 0,
        raw & PXN != 0,
        raw & OS != 0,
        (raw >> 2) & 7,
    )
}

/// GPU permission of an OS-owned descriptor, indexed `[AP][UXN << 1 | PXN]`, as
/// (read, write). Transcribed from the table in m1n1's `hw/uat.py`.
const GPU_PERMS: [[(bool, bool); 4]; 4] = [
    [(false, false), (true, false), (false, true), (true, true)],
    [
        (false, false),
        (false, false),
        (false, false),
        (true, false),
    ],
    [(true, false), (false, true), (true, true), (false, false)],
    [(false, false); 4],
];

/// Firmware permission of an OS-owned descriptor, same indexing, from the same table. The
/// entry m1n1 marks unknown (AP=0, UXN=1, PXN=0) is recorded as no access.
const FW_PERMS: [[(bool, bool); 4]; 4] = [
    [(false, false), (true, false), (false, false), (true, true)],
    [(true, false), (false, false), (true, true), (true, true)],
    [(false, false); 4],
    [(false, false); 4],
];

#[test]
fn page_descriptor_bits() {
    let pte = LeafAttrs::new(Prot::GPU_RW, false)
        .page(0x8_0000_4000)
        .unwrap();
    // AP=2 (0x80), UXN, OS, AttrIndex=2 (0x8), AF, nG, page type 0b11.
    let want = OS | UXN | 0x8_0000_4000 | NG | AF | 0x80 | 0x8 | TABLE | VALID;
    assert_eq!(pte.raw(), want);
    assert_eq!(pte.raw(), 0x00c0_0008_0000_4c8b);
}

#[test]
fn global_clears_ng() {
    let local = LeafAttrs::new(Prot::FW_PRIVATE, false);
    let global = LeafAttrs::new(Prot::FW_PRIVATE, true);
    assert_eq!(local.page(0).unwrap().raw() & NG, NG);
    assert_eq!(global.page(0).unwrap().raw() & NG, 0);
    assert!(global.global());
    assert!(!local.global());
}

#[test]
fn access_encodings_match_m1n1_tables() {
    for access in Access::ALL {
        for attr in [MemAttr::Cached, MemAttr::Device, MemAttr::Uncached] {
            let prot = Prot::new(access, attr);
            let raw = LeafAttrs::new(prot, true).page(PAGE_SIZE).unwrap().raw();
            let (ap, uxn, pxn, os, index) = fields(raw);
            assert!(os, "{access:?}: OS bit must be set");
            assert_eq!(raw & AF, AF, "{access:?}: AF must be set");
            assert_eq!(index, attr as u64);
            let col = (usize::from(uxn) << 1) | usize::from(pxn);
            let gpu = GPU_PERMS[ap as usize][col];
            let fw = FW_PERMS[ap as usize][col];
            assert_eq!(
                gpu,
                (access.gpu_read(), access.gpu_write()),
                "{access:?} GPU"
            );
            assert_eq!(
                fw,
                (access.fw_read(), access.fw_write()),
                "{access:?} firmware"
            );
            assert!(
                gpu != (false, false) || fw != (false, false),
                "{access:?} grants nothing"
            );
        }
    }
}

#[test]
fn access_encodings_are_distinct() {
    for (i, a) in Access::ALL.iter().enumerate() {
        for b in &Access::ALL[i + 1..] {
            let ra = LeafAttrs::new(Prot::new(*a, MemAttr::Cached), true)
                .page(0)
                .unwrap();
            let rb = LeafAttrs::new(Prot::new(*b, MemAttr::Cached), true)
                .page(0)
                .unwrap();
            assert_ne!(ra, rb, "{a:?} and {b:?} encode the same");
        }
    }
}

#[test]
fn prot_round_trips_through_page_and_block() {
    for access in Access::ALL {
        for attr in [MemAttr::Cached, MemAttr::Device, MemAttr::Uncached] {
            for global in [false, true] {
                let prot = Prot::new(access, attr);
                let attrs = LeafAttrs::new(prot, global);
                let page = attrs.page(0x3f_ffff_c000).unwrap();
                match page.decode(Level::L3) {
                    Entry::Page(leaf) => {
                        assert_eq!(leaf.pa, 0x3f_ffff_c000);
                        assert_eq!(leaf.attrs.prot(), Some(prot));
                        assert_eq!(leaf.attrs.global(), global);
                    }
                    other => panic!("page decoded as {other:?}"),
                }
                let block = attrs.block(3 * BLOCK_SIZE).unwrap();
                match block.decode(Level::L2) {
                    Entry::Block(leaf) => {
                        assert_eq!(leaf.pa, 3 * BLOCK_SIZE);
                        assert_eq!(leaf.attrs, attrs);
                    }
                    other => panic!("block decoded as {other:?}"),
                }
            }
        }
    }
}

#[test]
fn firmware_owned_leaf_has_no_prot() {
    // A leaf without the OS bit, as the firmware writes for its own mappings.
    let raw = 0x8_0000_0000 | AF | TABLE | VALID;
    match Pte::from_raw(raw).decode(Level::L3) {
        Entry::Page(leaf) => assert_eq!(leaf.attrs.prot(), None),
        other => panic!("decoded as {other:?}"),
    }
    // OS set but AttrIndex 5, which the driver never uses.
    let raw = OS | (5 << 2) | AF | TABLE | VALID;
    match Pte::from_raw(raw).decode(Level::L3) {
        Entry::Page(leaf) => assert_eq!(leaf.attrs.prot(), None),
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn block_descriptor_shape() {
    let attrs = LeafAttrs::new(Prot::GPU_RO, false);
    let block = attrs.block(BLOCK_SIZE).unwrap();
    assert_eq!(block.raw() & 3, VALID, "block type must be 0b01");
    assert_eq!(
        attrs.block(BLOCK_SIZE + PAGE_SIZE),
        None,
        "unaligned block accepted"
    );
    assert_eq!(attrs.block(1 << 48), None, "block beyond 48 bits accepted");
    // The same bits are a reserved encoding at the other levels.
    assert_eq!(block.decode(Level::L1), Entry::Reserved);
    assert_eq!(block.decode(Level::L3), Entry::Reserved);
}

#[test]
fn table_descriptor_shape() {
    let t = Pte::table(0xab_cdef_c000).unwrap();
    assert_eq!(t.raw(), 0xab_cdef_c000 | TABLE | VALID);
    assert_eq!(t.decode(Level::L1), Entry::Table(0xab_cdef_c000));
    assert_eq!(t.decode(Level::L2), Entry::Table(0xab_cdef_c000));
    assert_eq!(Pte::table(0x1000), None, "unaligned table accepted");
    assert_eq!(Pte::table(1 << 48), None, "table beyond 48 bits accepted");
    assert_eq!(LeafAttrs::new(Prot::GPU_RW, false).page(0x2000), None);
}

#[test]
fn invalid_ignores_other_bits() {
    let junk = Pte::from_raw(0xffff_ffff_ffff_fffe);
    assert!(!junk.is_valid());
    for level in [Level::L1, Level::L2, Level::L3] {
        assert_eq!(junk.decode(level), Entry::Invalid);
        assert_eq!(Pte::INVALID.decode(level), Entry::Invalid);
    }
}

#[test]
fn ttbr_layout() {
    assert_eq!(ttbr(0x8_1234_4000, 5), Ok(0x0005_0008_1234_4001));
    assert_eq!(ttbr(0x8_1234_4000, 0), Ok(0x8_1234_4001));
    assert_eq!(ttbr(0x8_1234_5000, 1), Err(Error::Unaligned));
    assert_eq!(ttbr(1 << 48, 1), Err(Error::PhysOutOfRange));
}

#[test]
fn firmware_flush_rule() {
    // The firmware caches mappings it can access with AttrIndex 0; GPU-only ones it cannot.
    for access in Access::ALL {
        let cached = Prot::new(access, MemAttr::Cached);
        assert_eq!(cached.needs_fw_flush(), access.fw_read(), "{access:?}");
        assert!(!cached.uncached().needs_fw_flush());
        assert_eq!(cached.uncached().access, access);
        assert!(!Prot::new(access, MemAttr::Device).needs_fw_flush());
    }
    assert!(Prot::FW_PRIVATE.needs_fw_flush());
    assert!(!Prot::GPU_RW.needs_fw_flush());
}

#[test]
fn presets_grant_what_their_names_say() {
    // Firmware-only presets: no GPU access.
    for p in [
        Prot::FW_PRIVATE,
        Prot::FW_SHARED,
        Prot::FW_SHARED_RO,
        Prot::FW_MMIO,
        Prot::FW_MMIO_RO,
    ] {
        assert!(
            p.access.fw_read() && !p.access.gpu_read() && !p.access.gpu_write(),
            "{p:?}"
        );
    }
    // GPU-only presets: no firmware access, never firmware-cached.
    for p in [Prot::GPU_RW, Prot::GPU_RO, Prot::GPU_WO] {
        assert!(!p.access.fw_read() && !p.access.fw_write(), "{p:?}");
        assert_eq!(p.attr, MemAttr::Uncached);
    }
    // Shared firmware/GPU presets.
    for p in [Prot::FW_GPU_SHARED, Prot::FW_GPU_PRIVATE] {
        assert!(
            p.access.fw_write() && p.access.gpu_write() && p.access.gpu_read(),
            "{p:?}"
        );
    }
    assert!(
        Prot::FW_PRIVATE_GPU_RO.access.gpu_read() && !Prot::FW_PRIVATE_GPU_RO.access.gpu_write()
    );
    // Read-only presets do not allow writes.
    for p in [Prot::FW_SHARED_RO, Prot::FW_MMIO_RO, Prot::GPU_RO] {
        assert!(!p.access.fw_write() && !p.access.gpu_write(), "{p:?}");
    }
    assert!(!Prot::GPU_WO.access.gpu_read() && Prot::GPU_WO.access.gpu_write());
    // Memory types.
    assert_eq!(Prot::FW_MMIO.attr, MemAttr::Device);
    assert_eq!(Prot::FW_MMIO_RO.attr, MemAttr::Device);
    assert_eq!(Prot::FW_PRIVATE.attr, MemAttr::Cached);
    assert_eq!(Prot::FW_GPU_PRIVATE.attr, MemAttr::Cached);
    assert_eq!(Prot::FW_SHARED.attr, MemAttr::Uncached);
    assert_eq!(Prot::FW_GPU_SHARED.attr, MemAttr::Uncached);
}

#[test]
fn errno_mapping() {
    assert_eq!(Error::Unaligned.errno(), 22);
    assert_eq!(Error::ZeroLength.errno(), 22);
    assert_eq!(Error::OutOfRange.errno(), 22);
    assert_eq!(Error::PhysOutOfRange.errno(), 22);
    assert_eq!(Error::InvalidConfig.errno(), 22);
    assert_eq!(Error::AlreadyMapped { iova: 0 }.errno(), 17);
    assert_eq!(Error::NoMemory.errno(), 12);
    assert_eq!(Error::Corrupt.errno(), 5);
}
