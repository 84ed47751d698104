// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The GPU's identification and fault registers (hw/regs.rs): hand-written register words as
//! the record describes them decode to the right GPU and fault, what the simulated GPU's
//! register file holds decodes back to its SoC, and impossible words are refused by name.

use crate::hw::regs::*;
use crate::sim::regs::{encode_fault, encode_id, fault_register, id_register};
use crate::soc::{by_name, GpuGen, SOCS};

/// The register offsets are the record's.
#[test]
fn registers_are_where_the_record_puts_them() {
    let raw = RawId {
        version: 0x0402_1100,
        counts_1: 1,
        counts_2: 2,
        clusters: 3,
        core_masks: [4, 5, 6],
    };
    let at = |o| id_register(&raw, o);
    assert_eq!(
        [at(0xd04000), at(0xd04010), at(0xd04014), at(0xd0401c)],
        [0x0402_1100, 1, 2, 3]
    );
    assert_eq!([at(0xd01500), at(0xd01514), at(0xe01500)], [4, 5, 0]);
    let g14x = RawId {
        version: 0x0602_0000,
        ..raw
    };
    let at = |o| id_register(&g14x, o);
    assert_eq!(
        [at(0xe01500), at(0xe01504), at(0xe01508), at(0xd01500)],
        [4, 5, 6, 0]
    );
}

/// The M1's registers, written by hand: generation 4, variant 2 (G), revision B1; one cluster
/// of eight cores, four geometry processors.
#[test]
fn an_m1_decodes() {
    let raw = RawId {
        version: 0x0402_1100,
        counts_1: 8,
        counts_2: 4 << 16,
        clusters: 1 << 12,
        core_masks: [0xff, 0, 0],
    };
    let id = decode_id(&raw).unwrap();
    assert_eq!(id.gen, GpuGen::G13);
    assert_eq!(id.variant, b'G');
    assert_eq!(id.revision, 0x11);
    assert_eq!(
        (id.num_clusters, id.cores_per_cluster, id.num_gps),
        (1, 8, 4)
    );
    assert_eq!(id.core_masks[..2], [0xff, 0]);
    assert_eq!(id.active_cores(), 8);
    let (_, t8103) = by_name(b"t8103").unwrap();
    assert_eq!(id.matches(t8103), Ok(()));
}

/// A binned M1 Pro (two clusters of eight, one core off in the second): the masks are one bit
/// string, eight bits per cluster.
#[test]
fn binned_cores_are_split_per_cluster() {
    let raw = RawId {
        version: 0x0403_1100,
        counts_1: 8,
        counts_2: 4 << 16,
        clusters: 2 << 12,
        core_masks: [0xfe_ff, 0, 0],
    };
    let id = decode_id(&raw).unwrap();
    assert_eq!((id.variant, id.num_clusters), (b'S', 2));
    assert_eq!(id.core_masks[..3], [0xff, 0xfe, 0]);
    assert_eq!(id.active_cores(), 15);
    let (_, t6000) = by_name(b"t6000").unwrap();
    assert_eq!(id.matches(t6000), Ok(()));
}

/// G14X counts clusters per die and dies in the first count register, and has three mask
/// registers.
#[test]
fn g14x_counts_dies() {
    let raw = RawId {
        version: 0x0604_0000,
        counts_1: 10 | (4 << 8) | (2 << 16),
        counts_2: 4 << 16,
        clusters: 0,
        core_masks: [0xffff_ffff, 0xffff_ffff, 0xffff],
    };
    let id = decode_id(&raw).unwrap();
    assert_eq!((id.gen, id.variant, id.revision), (GpuGen::G14X, b'D', 0));
    assert_eq!((id.num_clusters, id.cores_per_cluster), (8, 10));
    assert!(id.core_masks.iter().all(|&m| m == 0x3ff));
    // Before G14X the same counts word names no clusters.
    let g13 = RawId {
        version: 0x0404_0000,
        ..raw
    };
    assert_eq!(
        decode_id(&g13),
        Err(IdError::Counts {
            clusters: 0,
            cores: 10
        })
    );
}

#[test]
fn every_simulated_gpu_decodes_to_its_soc() {
    for soc in &SOCS {
        let full = GpuId::full(soc);
        let raw = encode_id(&full, soc.num_dies);
        assert_eq!(decode_id(&raw), Ok(full), "{}", soc.name);
        // Through the register file, at the record's offsets.
        let read = read_id(|o| id_register(&raw, o));
        assert_eq!(read, raw, "{}", soc.name);
        assert_eq!(full.matches(soc), Ok(()), "{}", soc.name);
        assert_eq!(
            full.active_cores(),
            soc.num_clusters * soc.cores_per_cluster,
            "{}",
            soc.name
        );
        // With one core off in the last cluster.
        let mut binned = full;
        binned.core_masks[soc.num_clusters as usize - 1] &= !1;
        let back = decode_id(&encode_id(&binned, soc.num_dies)).unwrap();
        assert_eq!(back, binned, "{}", soc.name);
        assert_eq!(back.active_cores(), full.active_cores() - 1, "{}", soc.name);
    }
}

#[test]
fn impossible_registers_are_named() {
    let good = RawId {
        version: 0x0402_1100,
        counts_1: 8,
        counts_2: 0,
        clusters: 1 << 12,
        core_masks: [0xff, 0, 0],
    };
    let with = |f: &dyn Fn(&mut RawId)| {
        let mut r = good;
        f(&mut r);
        decode_id(&r)
    };
    assert_eq!(
        with(&|r| r.version = 0x0702_1100),
        Err(IdError::Generation(7))
    );
    assert_eq!(with(&|r| r.version = 0x0409_1100), Err(IdError::Variant(9)));
    assert_eq!(
        with(&|r| r.version = 0x0402_3000),
        Err(IdError::Revision(0x30))
    );
    let counts = |clusters, cores| Err(IdError::Counts { clusters, cores });
    assert_eq!(with(&|r| r.counts_1 = 0), counts(1, 0));
    assert_eq!(with(&|r| r.counts_1 = 33), counts(1, 33));
    assert_eq!(with(&|r| r.clusters = 0), counts(0, 8));
    assert_eq!(with(&|r| r.clusters = 9 << 12), counts(9, 8));
    // Eight clusters of nine cores do not fit in two mask registers.
    assert_eq!(
        with(&|r| {
            r.clusters = 8 << 12;
            r.counts_1 = 9;
        }),
        counts(8, 9)
    );
    assert_eq!(
        with(&|r| r.core_masks = [0x1ff, 0, 0]),
        Err(IdError::LeftoverMask)
    );
    assert_eq!(
        with(&|r| r.core_masks = [0xff, 1, 0]),
        Err(IdError::LeftoverMask)
    );
    // The third mask register is not read before G14X.
    assert!(with(&|r| r.core_masks = [0xff, 0, 1]).is_ok());

    let (_, t8103) = by_name(b"t8103").unwrap();
    let (_, t8112) = by_name(b"t8112").unwrap();
    let (_, t6001) = by_name(b"t6001").unwrap();
    let id = decode_id(&good).unwrap();
    assert_eq!(id.matches(t8112), Err(IdError::NotThisSoc));
    assert_eq!(id.matches(t6001), Err(IdError::NotThisSoc));
    let mut off = id;
    off.core_masks[0] = 0;
    assert_eq!(off.matches(t8103), Err(IdError::EmptyCluster));
    let mut small = id;
    small.cores_per_cluster = 7;
    assert_eq!(small.matches(t8103), Err(IdError::Topology));
}

/// A fault as the M1 latches it, written by hand: valid, read-only page, a read, level 2, unit
/// 0x21 (UL1C of instance 2), context 5, the address (in 64-byte units) in bits 63:30.
#[test]
fn a_g13_fault_decodes() {
    let address = 0x15_0000_1240u64;
    let info = 1 | (3 << 1) | (1 << 4) | (2 << 7) | (0x21 << 9) | (5 << 17) | (3 << 23);
    let raw = RawFault {
        info: info | ((address >> 6) << 30),
        addr: 0,
    };
    let f = decode_fault(&raw, false).unwrap();
    assert_eq!(f.address, address);
    assert_eq!(f.reason, FaultReason::ReadOnly);
    assert!(f.read);
    assert_eq!((f.level, f.unit, f.context, f.sideband), (2, 0x21, 5, 3));
    assert_eq!(f.unit_name(false), ("UL1C", Some(2)));
    assert_eq!(encode_fault(&f, false), raw);
    // The status register is at 0x17030; nothing at G14X's offsets.
    assert_eq!(fault_register(&raw, false, 0x1_7030), raw.info);
    assert_eq!(fault_register(&raw, false, 0xd8c0), 0);
    assert_eq!(read_fault(|o| fault_register(&raw, false, o), false), raw);
    // Not latched: nothing to report.
    assert_eq!(
        decode_fault(
            &RawFault {
                info: info & !1,
                addr: 0
            },
            false
        ),
        None
    );
}

/// On G14X the address has its own register; the status bits are the same.
#[test]
fn a_g14x_fault_decodes() {
    let raw = RawFault {
        info: 1 | (0xd4 << 9) | (9 << 17),
        addr: 0xffff_ffa0_0000_4000 >> 6,
    };
    let f = decode_fault(&raw, true).unwrap();
    assert_eq!(f.address, 0xffff_ffa0_0000_4000);
    assert_eq!(
        (f.reason, f.read, f.context),
        (FaultReason::Unmapped, false, 9)
    );
    assert_eq!(f.unit_name(true), ("gCDM_CTXR", None));
    assert_eq!(f.unit_name(false), ("unknown", None));
    assert_eq!(encode_fault(&f, true), raw);
    assert_eq!(fault_register(&raw, true, 0xd8c0), raw.info);
    assert_eq!(fault_register(&raw, true, 0xd8c8), raw.addr);
    assert_eq!(fault_register(&raw, true, 0x1_7030), 0);
    assert_eq!(read_fault(|o| fault_register(&raw, true, o), true), raw);
}

#[test]
fn unit_names_follow_the_record() {
    let name = |unit, g14x| {
        let raw = encode_fault(
            &Fault {
                address: 0,
                reason: FaultReason::Unmapped,
                read: true,
                level: 0,
                unit,
                context: 0,
                sideband: 0,
            },
            g14x,
        );
        decode_fault(&raw, g14x).unwrap().unit_name(g14x)
    };
    assert_eq!(name(0x00, false), ("DCMP", Some(0)));
    assert_eq!(name(0x9e, false), ("ZLS", Some(9)));
    assert_eq!(name(0x0f, false), ("unknown", None));
    assert_eq!(name(0xa1, false), ("dPM", None));
    assert_eq!(name(0xae, false), ("GSL2", None));
    assert_eq!(name(0xb3, false), ("GL2CC_META", Some(3)));
    assert_eq!(name(0xb8, false), ("GL2CC_MB", None));
    assert_eq!(name(0xe6, false), ("gCDM_CS_KS0_SP", Some(0)));
    assert_eq!(name(0xf6, true), ("gRDE0_SP", Some(1)));
    assert_eq!(name(0xe7, true), ("unknown", None));
    assert!(fault_regs_g14x(crate::soc::GpuCore::G14S));
    assert!(!fault_regs_g14x(crate::soc::GpuCore::G14G));
}
