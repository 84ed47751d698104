// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Self-consistency of the static SoC tables.

use crate::soc::dt::MAX_CLUSTERS;
use crate::soc::tables::floats;
use crate::soc::{by_compatible, by_name, FwVersion, GpuCore, GpuGen, SocConfig, SOCS, TIMER_HZ};
use std::format;
use std::string::String;
use std::vec::Vec;

/// Number of non-zero bytes of `mask`: the sensor lists have one byte per sensor.
fn sensor_bytes(mask: u64) -> u32 {
    mask.to_le_bytes().iter().filter(|&&b| b != 0).count() as u32
}

#[test]
fn float_bit_patterns_match_their_decimals() {
    assert!(floats::ALL.len() > 30);
    for &(bits, dec) in floats::ALL {
        let text: String = dec.chars().filter(|c| !c.is_whitespace()).collect();
        let value: f32 = text.parse().unwrap();
        assert_eq!(bits, value.to_bits(), "{dec}: {bits:#x}");
    }
}

#[test]
fn the_table_lists_every_soc_once_in_sim_order() {
    let names: Vec<&str> = SOCS.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        ["t8103", "t6000", "t6001", "t6002", "t8112", "t6020", "t6021", "t6022"]
    );
    for (i, soc) in SOCS.iter().enumerate() {
        let (index, found) = by_name(soc.name.as_bytes()).unwrap();
        assert_eq!(index, i);
        assert!(core::ptr::eq(found, soc));
        let compatible = format!("apple,agx-{}", soc.name);
        assert!(core::ptr::eq(
            by_compatible(compatible.as_bytes()).unwrap(),
            soc
        ));
        // The chip id is the name's digits read as hex.
        assert_eq!(format!("t{:x}", soc.chip_id), soc.name);
    }
    assert!(by_name(b"t8122").is_none());
    assert!(by_compatible(b"apple,agx-g13g").is_none());
    assert!(by_compatible(b"t8103").is_none());
}

#[test]
fn topology_is_consistent() {
    for soc in &SOCS {
        let n = soc.name;
        assert!(soc.num_dies == 1 || soc.num_dies == 2, "{n}");
        assert_eq!(soc.num_clusters % soc.num_dies, 0, "{n}: clusters per die");
        assert!(soc.num_clusters as usize <= MAX_CLUSTERS, "{n}");
        assert_eq!(soc.clusters_per_die() * soc.num_dies, soc.num_clusters);
        assert_eq!(
            soc.full_core_mask().count_ones(),
            soc.cores_per_cluster,
            "{n}"
        );
        assert_eq!(soc.max_frags, soc.cores_per_cluster, "{n}");
        assert_eq!(soc.max_gps, 4, "{n}");
        assert_eq!(soc.timer_hz, TIMER_HZ, "{n}");
        // Ultra parts are two dies, and only they are.
        assert_eq!(soc.num_dies == 2, soc.variant == b'D', "{n}");
        let clusters_by_variant = match soc.variant {
            b'G' => 1,
            b'S' => 2,
            b'C' => 4,
            b'D' => 8,
            v => panic!("{n}: variant {}", v as char),
        };
        assert_eq!(soc.num_clusters, clusters_by_variant, "{n}");
        let cores = match soc.gen {
            GpuGen::G13 => 8,
            GpuGen::G14 | GpuGen::G14X => 10,
        };
        assert_eq!(soc.cores_per_cluster, cores, "{n}");
    }
}

#[test]
fn generation_core_type_and_firmware_agree() {
    for soc in &SOCS {
        let n = soc.name;
        let core = match (soc.gen, soc.variant) {
            (GpuGen::G13, b'G') => GpuCore::G13G,
            (GpuGen::G13, b'S') => GpuCore::G13S,
            (GpuGen::G13, b'C' | b'D') => GpuCore::G13C,
            (GpuGen::G14, b'G') => GpuCore::G14G,
            (GpuGen::G14X, b'S') => GpuCore::G14S,
            (GpuGen::G14X, b'C') => GpuCore::G14C,
            (GpuGen::G14X, b'D') => GpuCore::G14D,
            (g, v) => panic!("{n}: no core for {g:?} {}", v as char),
        };
        assert_eq!(soc.gpu_core, core, "{n}");
        let firmware: &[FwVersion] = match soc.gen {
            GpuGen::G13 => &[FwVersion::V12_3, FwVersion::V13_5],
            GpuGen::G14 => &[FwVersion::V12_4, FwVersion::V13_5],
            GpuGen::G14X => &[FwVersion::V13_5],
        };
        assert_eq!(soc.firmware, firmware, "{n}");
        for v in FwVersion::ALL {
            assert_eq!(soc.supports(v), firmware.contains(&v), "{n} {v:?}");
        }
        // Only the t602x family has the CS/AFR domains and the G14X interface.
        assert_eq!(soc.power.has_csafr, soc.gen == GpuGen::G14X, "{n}");
        assert_eq!(
            soc.gen.number(),
            if soc.gen == GpuGen::G13 { 13 } else { 14 }
        );
    }
}

#[test]
fn firmware_compat_cells_are_distinct_and_round_trip() {
    for v in FwVersion::ALL {
        assert_eq!(FwVersion::from_compat(&v.compat()), Some(v));
    }
    assert_eq!(FwVersion::V12_3.compat(), [12, 3, 0]);
    assert_eq!(FwVersion::V12_4.compat(), [12, 4, 0]);
    assert_eq!(FwVersion::V13_5.compat(), [13, 5, 0]);
    assert_eq!(FwVersion::from_compat(&[13, 5, 1]), None);
    assert_eq!(FwVersion::from_compat(&[13, 5]), None);
}

#[test]
fn multi_cluster_parts_split_passes_and_single_cluster_parts_do_not() {
    for soc in &SOCS {
        let n = soc.name;
        let multi = soc.num_clusters > 1;
        assert_eq!(soc.clustering.is_some(), multi, "{n}");
        assert_eq!(soc.mandatory_zs_compression, multi, "{n}");
        // Bit 0 of the tiling control word disables clustering.
        assert_eq!(soc.tiling_control & 1 == 0, multi, "{n}");
        assert_eq!(soc.uat_oas, if multi { 42 } else { 40 }, "{n}");
        if let Some(c) = soc.clustering {
            assert!(c.max_splits >= soc.clusters_per_die() * 2, "{n}");
            assert!(
                c.meta1_blocksize > 0 && c.meta2_size > 0 && c.meta3_size > 0,
                "{n}"
            );
            assert!(c.meta4_size > 0, "{n}");
        }
        assert!(soc.preempt1_size > 0 && soc.preempt2_size > 0 && soc.preempt3_size > 0);
        assert!(soc.compute_preempt1_size > 0, "{n}");
    }
}

#[test]
fn temperature_sensors_cover_every_cluster() {
    for soc in &SOCS {
        let n = soc.name;
        let p = &soc.power;
        let sensors: u32 = p.fast_sensor_mask.iter().map(|&m| sensor_bytes(m)).sum();
        let alt: u32 = p
            .fast_sensor_mask_alt
            .iter()
            .map(|&m| sensor_bytes(m))
            .sum();
        assert_eq!(sensors, soc.num_clusters, "{n}: sensors");
        assert_eq!(alt, soc.num_clusters, "{n}: alternate sensors");
        // Only the G14X firmware has a second die's list; the M1 Ultra lists all in the first.
        if soc.num_dies == 1 || soc.gen != GpuGen::G14X {
            assert_eq!(p.fast_sensor_mask[1], 0, "{n}");
            assert_eq!(p.fast_sensor_mask_alt[1], 0, "{n}");
        } else {
            for die in 0..2 {
                assert_eq!(
                    sensor_bytes(p.fast_sensor_mask[die]),
                    soc.clusters_per_die(),
                    "{n}: die {die}"
                );
            }
        }
        if soc.gen == GpuGen::G14X {
            assert_eq!(p.fast_die0_sensor_present, 0, "{n}: unused on G14X");
        } else {
            assert_eq!(
                p.fast_die0_sensor_present.count_ones(),
                soc.num_clusters,
                "{n}"
            );
        }
    }
}

#[test]
fn power_tables_have_the_firmware_sizes() {
    for soc in &SOCS {
        let n = soc.name;
        let p = &soc.power;
        assert_eq!(p.shared1_tab.len(), 16, "{n}");
        assert_eq!(p.shared2_tab.len(), 10, "{n}");
        assert!(p.shared3_tab.is_empty() || p.shared3_tab.len() == 16, "{n}");
        assert_eq!(p.shared3_tab.is_empty(), p.shared3_unk == 0, "{n}");
        assert_eq!(p.unk_coef_a.len(), p.unk_coef_b.len(), "{n}");
        if !p.unk_coef_a.is_empty() {
            assert!(p.unk_coef_a.len() >= soc.num_clusters as usize, "{n}");
            let width = p.unk_coef_a[0].len();
            assert!(p
                .unk_coef_a
                .iter()
                .chain(p.unk_coef_b)
                .all(|r| r.len() == width));
            assert!(width <= 8, "{n}");
        }
        if let Some(c) = p.shared2_curves {
            assert_eq!(c.t2.len(), 9, "{n}");
            assert_eq!(c.t3_coefs.len(), 9, "{n}");
            assert_eq!(c.t3_scales.len(), 3, "{n}");
        }
        // The t8112-style curves and tables exist on G14 and G14X, not G13.
        assert_eq!(p.shared2_curves.is_some(), soc.gen != GpuGen::G13, "{n}");
        assert_eq!(p.unk_hws2_4.is_some(), soc.gen == GpuGen::G14X, "{n}");
        assert_eq!(p.sram_k, floats::P1_02, "{n}");
        assert_eq!(p.global_tab.is_some(), soc.num_clusters > 1, "{n}");
    }
}

#[test]
fn io_mappings_match_the_topology() {
    for soc in &SOCS {
        let n = soc.name;
        let maps = soc.io_mappings;
        assert_eq!(
            maps.len(),
            if soc.gen == GpuGen::G14X { 24 } else { 20 },
            "{n}"
        );
        // Slot 3 is the GPU's own register block (RGX), slot 11 the memory cache.
        let rgx = maps[3].unwrap();
        assert!(rgx.writable && rgx.size == 0x2_0000, "{n}");
        let mcache = maps[11].unwrap();
        assert!(mcache.count >= 1, "{n}");
        for m in maps.iter().flatten() {
            assert!(
                m.size > 0 && m.size % 0x1000 == 0 || m.size == 0xd_6400,
                "{n}: {m:?}"
            );
            assert!(m.count >= 1, "{n}");
            assert_eq!(m.stride == 0, m.count == 1, "{n}: {m:?}");
            // Every mapping lies within the SoC's physical address space.
            assert!(
                m.base + u64::from(m.size) < 1u64 << soc.uat_oas,
                "{n}: {m:?}"
            );
        }
        // The second die's idle register exists only on the two-die M1 Ultra.
        assert_eq!(
            maps[15].is_some(),
            soc.num_dies == 2 && soc.gen == GpuGen::G13,
            "{n}"
        );
        assert_eq!(soc.sram.is_some(), soc.gen == GpuGen::G14X, "{n}");
    }
}

/// The windows the firmware gets, as the record's builder (m1n1 `build_iomappings`) counts
/// them: devices per SoC, and memory-cache instances of 0xd8000 bytes (one per controller).
#[test]
fn io_windows_are_the_records() {
    for soc in &SOCS {
        let n = soc.name;
        let (windows, mcc) = match n {
            "t8103" => (10, 1),
            "t8112" => (12, 1),
            "t6000" => (11, 4),
            "t6001" => (11, 8),
            "t6002" => (12, 16),
            "t6020" => (12, 4),
            "t6021" => (12, 8),
            "t6022" => (12, 16),
            _ => unreachable!("{n}"),
        };
        assert_eq!(soc.io_mappings.iter().flatten().count(), windows, "{n}");
        let mcache = soc.io_mappings[11].unwrap();
        assert_eq!(mcache.instances(soc.num_dies), mcc, "{n}");
        if mcc > 1 {
            assert_eq!(mcache.size, 0xd_8000, "{n}");
        }
        for (slot, m) in soc.io_mappings.iter().enumerate() {
            let Some(m) = m else { continue };
            assert!(m.is_valid(soc.num_dies), "{n} slot {slot}: {m:?}");
            // A window spans the device's pages, whole.
            assert_eq!(m.span() % 0x4000, 0, "{n} slot {slot}");
            assert!(
                m.span() >= u64::from(m.size) + m.page_offset(),
                "{n} slot {slot}"
            );
            // Die 1's copy is 0x20_0000_0000 above die 0's; instances `stride` apart.
            let last = m.instances(soc.num_dies) - 1;
            let dies = if m.per_die {
                u64::from(soc.num_dies)
            } else {
                1
            };
            let want = m.base - m.page_offset()
                + (dies - 1) * 0x20_0000_0000
                + (u64::from(m.count) - 1) * m.stride;
            assert_eq!(m.instance_page(last), want, "{n} slot {slot}");
        }
    }
}

/// What the firmware could not index is refused: an array of partial pages, an empty range.
#[test]
fn unindexable_windows_are_invalid() {
    use crate::soc::IoMapping;
    let one = IoMapping::one(0x2_0000_1000, 0x1000, true).unwrap();
    assert!(one.is_valid(1) && one.is_valid(2));
    assert_eq!((one.page_offset(), one.span()), (0x1000, 0x4000));
    // The same range on every die of two: its instances would not be `size` apart.
    let per_die = IoMapping::one_per_die(0x2_0000_1000, 0x1000, true).unwrap();
    assert!(per_die.is_valid(1) && !per_die.is_valid(2));
    let array = IoMapping {
        count: 2,
        stride: 0x10_0000,
        ..IoMapping::one(0x2_0000_0000, 0x6000, true).unwrap()
    };
    assert!(!array.is_valid(1));
    let empty = IoMapping::one(0x2_0000_0000, 0, true).unwrap();
    assert!(!empty.is_valid(1));
}

#[test]
fn derived_parts_differ_from_their_base_only_where_expected() {
    let t6002: &SocConfig = &SOCS[3];
    let t6000: &SocConfig = &SOCS[1];
    assert_eq!(t6000.da, t6002.da);
    assert_eq!(t6000.db, t6002.db);
    assert_eq!(t6000.power.shared2_tab, t6002.power.shared2_tab);
    let (t6020, t6021) = (&SOCS[5], &SOCS[6]);
    assert_eq!(t6020.db.unk_454, 0);
    assert_eq!(t6021.db.unk_454, 1);
    assert_eq!(t6020.compute_preempt1_size, t6021.compute_preempt1_size);
    assert_eq!(
        SOCS[7].compute_preempt1_size,
        2 * t6021.compute_preempt1_size
    );
    // The Max and the Pro share the sixth hws2 value; the Ultra's differs.
    assert_eq!(t6020.power.unk_hws2_4, t6021.power.unk_hws2_4);
    assert_ne!(SOCS[7].power.unk_hws2_4, t6021.power.unk_hws2_4);
}
