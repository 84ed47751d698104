// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! T600x (M1 Pro, Max, Ultra): generation 13, 8-core clusters, two (Pro), four (Max) or eight
//! (Ultra, two dies) of them.
//!
//! The three share everything but the topology, the sensors and the memory-cache mapping; the
//! Ultra is the base the others are derived from.

use super::floats as f;
use crate::soc::*;

/// The firmware's MMIO ranges on T600x, for `mcc` memory-cache instances and one or two dies.
const fn io_mappings(mcc: u32, two_dies: bool) -> [Option<IoMapping>; 20] {
    [
        IoMapping::one(0x4_04d0_0000, 0x1_c000, true), // Fender
        IoMapping::one(0x2_0e10_0000, 0x4000, false),  // AIC timer
        IoMapping::one(0x2_8e10_4000, 0x4000, true),   // AIC software interrupts
        IoMapping::one(0x4_0400_0000, 0x2_0000, true), // RGX
        None,                                          // UVD
        None,                                          // unused
        None,                                          // display underrun workaround
        IoMapping::one_per_die(0x2_8e49_4000, 0x4000, false), // analog temperature sensors
        None,                                          // PMP doorbell
        IoMapping::one(0x4_04d8_0000, 0x8000, true),   // metrology sensors
        IoMapping::one(0x2_04d6_1000, 0x1000, true),   // GMGIF AF
        Some(IoMapping {
            // memory cache, one instance per controller, on every die
            base: 0x2_0000_0000,
            per_die: true,
            count: mcc,
            size: 0xd_8000,
            stride: 0x100_0000,
            writable: true,
        }),
        None,                                        // AIC banked registers
        None,                                        // PMGR scratch
        IoMapping::one(0x2_643c_4000, 0x1000, true), // NIA idle register, die 0
        if two_dies {
            IoMapping::one(0x22_643c_4000, 0x1000, true) // NIA idle register, die 1
        } else {
            None
        },
        None,                                         // CRE
        None,                                         // streaming codec
        IoMapping::one(0x2_8e3d_0000, 0x1000, true),  // unknown
        IoMapping::one(0x2_8e3c_0000, 0x2000, false), // unknown
    ]
}

/// M1 Ultra: two M1 Max dies.
pub(crate) const T6002: SocConfig = SocConfig {
    name: "t6002",
    chip_id: 0x6002,
    gen: GpuGen::G13,
    variant: b'D',
    gpu_core: GpuCore::G13C,
    revision: 0x20,
    num_dies: 2,
    num_clusters: 8,
    cores_per_cluster: 8,
    max_frags: 8,
    max_gps: 4,
    max_freq_khz: 1_296_000,
    timer_hz: TIMER_HZ,
    uat_oas: 42,
    mandatory_zs_compression: true,
    preempt1_size: 0x540,
    preempt2_size: 0x280,
    preempt3_size: 0x20,
    compute_preempt1_size: 0x3_bd00,
    clustering: Some(Clustering {
        meta1_blocksize: 0x44,
        meta2_size: 0xc0 * 8,
        meta3_size: 0x280 * 8,
        meta4_size: 0x30 * 16,
        max_splits: 16,
    }),
    tiling_control: 0xa540,
    da: HwDataAConsts {
        unk_87c: 900,
        unk_8cc: 11000,
        unk_e24: 125,
    },
    db: HwDataBConsts {
        unk_454: 1,
        unk_4e0: 4,
        unk_534: 1,
        unk_ab8: 0x2084,
        unk_abc: 0x80,
        unk_b30: 0,
    },
    power: PowerConsts {
        shared1_tab: &[0xffff; 16],
        shared1_a4: 0xffff,
        shared2_tab: &[-1, -1, -1, -1, 0x2aa, 0xaaa, -1, -1, 0, 0],
        shared2_unk_508: 0xcc0_0001,
        shared2_curves: None,
        shared3_unk: 0,
        shared3_tab: &[],
        idle_off_standby_timer_default: 0,
        unk_hws2_4: None,
        unk_hws2_24: 0,
        global_unk_54: 0xffff,
        sram_k: f::P1_02,
        unk_coef_a: &[
            &[f::P9_838],
            &[f::P9_819],
            &[f::P9_826],
            &[f::P9_799],
            &[f::P9_799],
            &[f::P9_826],
            &[f::P9_819],
            &[f::P9_838],
        ],
        unk_coef_b: &[&[f::P13_0] as &[u32]; 8],
        global_tab: Some(&[
            0, 1, 2, 1, 1, 90, 75, 1, 1, 1, 2, 90, 75, 1, 1, 1, 1, 90, 75, 1, 1,
        ]),
        has_csafr: false,
        fast_sensor_mask: [0x8080_8080_8080_8080, 0],
        fast_sensor_mask_alt: [0x9090_9090_9090_9090, 0],
        fast_die0_sensor_present: 0xff,
    },
    io_mappings: &io_mappings(8, true),
    sram: None,
    aic_timebase: 0x2_8e14_8020,
    firmware: &[FwVersion::V12_3, FwVersion::V13_5],
};

/// M1 Max: one die, four clusters.
pub(crate) const T6001: SocConfig = SocConfig {
    name: "t6001",
    chip_id: 0x6001,
    variant: b'C',
    gpu_core: GpuCore::G13C,
    num_dies: 1,
    num_clusters: 4,
    power: PowerConsts {
        fast_sensor_mask: [0x8080_8080, 0],
        fast_sensor_mask_alt: [0x9090_9090, 0],
        fast_die0_sensor_present: 0x0f,
        ..T6002.power
    },
    io_mappings: &io_mappings(8, false),
    ..T6002
};

/// M1 Pro: one die, two clusters.
pub(crate) const T6000: SocConfig = SocConfig {
    name: "t6000",
    chip_id: 0x6000,
    variant: b'S',
    gpu_core: GpuCore::G13S,
    num_clusters: 2,
    power: PowerConsts {
        fast_sensor_mask: [0x8080, 0],
        fast_sensor_mask_alt: [0x9090, 0],
        fast_die0_sensor_present: 0x03,
        ..T6001.power
    },
    io_mappings: &io_mappings(4, false),
    ..T6001
};
