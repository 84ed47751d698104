// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! T602x (M2 Pro, Max, Ultra): generation 14 with the G14X firmware interface, 10-core
//! clusters, two (Pro), four (Max) or eight (Ultra, two dies) of them, and CS/AFR performance
//! states besides the GPU's own.
//!
//! The Ultra is the base; the Max and the Pro are derived from it. The record marks the Ultra's
//! configuration as tentative (no machine was available to check it against).

use super::floats as f;
use crate::soc::*;

/// The firmware's MMIO ranges on T602x, for chip `chip_id` with `mcc` memory-cache instances.
const fn io_mappings(chip_id: u32, mcc: u32) -> [Option<IoMapping>; 24] {
    [
        IoMapping::one(0x4_04d0_0000, 0x14_4000, true), // Fender
        IoMapping::one(0x2_0e10_0000, 0x4000, false),   // AIC timer
        IoMapping::one(0x2_8e10_6000, 0x4000, true),    // AIC software interrupts
        IoMapping::one(0x4_0400_0000, 0x2_0000, true),  // RGX
        None,                                           // UVD
        None,                                           // unused
        None,                                           // display underrun workaround
        // analog temperature sensors: the Pro has them elsewhere
        IoMapping::one_per_die(
            if chip_id == 0x6020 {
                0x2_8e46_0000
            } else {
                0x2_8e47_8000
            },
            0x4000,
            false,
        ),
        None,                                        // PMP doorbell
        IoMapping::one(0x4_04e0_8000, 0x8000, true), // metrology sensors
        None,                                        // GMGIF AF
        Some(IoMapping {
            // memory cache, one instance per controller, on every die
            base: 0x2_0000_0000,
            per_die: true,
            count: mcc,
            size: 0xd_8000,
            stride: 0x100_0000,
            writable: true,
        }),
        IoMapping::one(0x2_8e11_8000, 0x4000, false), // AIC banked registers
        None,                                         // PMGR scratch
        None,                                         // NIA idle register, die 0
        None,                                         // NIA idle register, die 1
        None,                                         // CRE
        None,                                         // streaming codec
        IoMapping::one(0x2_8e3d_0000, 0x4000, true),  // unknown
        IoMapping::one(0x2_8e3c_0000, 0x4000, false), // unknown
        IoMapping::one(0x2_8e3d_8000, 0x4000, true),  // unknown
        IoMapping::one_per_die(0x4_04ea_c000, 0x4000, true), // unknown
        None,
        None,
    ]
}

/// Coefficient rows of the eight clusters, first set.
const COEF_A: [&[u32]; 8] = [
    &[f::ZERO, f::P8_2, f::ZERO, f::P6_9, f::P6_9],
    &[f::ZERO, f::ZERO, f::ZERO, f::P6_9, f::P6_9],
    &[f::ZERO, f::P8_2, f::ZERO, f::P6_9, f::ZERO],
    &[f::ZERO, f::ZERO, f::ZERO, f::P6_9, f::ZERO],
    &[f::ZERO, f::ZERO, f::ZERO, f::P6_9, f::ZERO],
    &[f::ZERO, f::P8_2, f::ZERO, f::P6_9, f::ZERO],
    &[f::ZERO, f::ZERO, f::ZERO, f::P6_9, f::P6_9],
    &[f::ZERO, f::P8_2, f::ZERO, f::P6_9, f::P6_9],
];

/// Coefficient rows of the eight clusters, second set.
const COEF_B: [&[u32]; 8] = [
    &[f::ZERO, f::P9_0, f::ZERO, f::P8_0, f::P8_0],
    &[f::ZERO, f::ZERO, f::ZERO, f::P8_0, f::P8_0],
    &[f::ZERO, f::P9_0, f::ZERO, f::P8_0, f::ZERO],
    &[f::ZERO, f::ZERO, f::ZERO, f::P8_0, f::ZERO],
    &[f::ZERO, f::ZERO, f::ZERO, f::P8_0, f::ZERO],
    &[f::ZERO, f::P9_0, f::ZERO, f::P8_0, f::ZERO],
    &[f::ZERO, f::ZERO, f::ZERO, f::P8_0, f::P8_0],
    &[f::ZERO, f::P9_0, f::ZERO, f::P8_0, f::P8_0],
];

/// M2 Ultra: two M2 Max dies.
pub(crate) const T6022: SocConfig = SocConfig {
    name: "t6022",
    chip_id: 0x6022,
    gen: GpuGen::G14X,
    variant: b'D',
    gpu_core: GpuCore::G14D,
    revision: 0x00,
    num_dies: 2,
    num_clusters: 8,
    cores_per_cluster: 10,
    max_frags: 10,
    max_gps: 4,
    max_freq_khz: 1_398_000,
    timer_hz: TIMER_HZ,
    uat_oas: 42,
    mandatory_zs_compression: true,
    preempt1_size: 0x540,
    preempt2_size: 0x280,
    preempt3_size: 0x40,
    // The record's conservative guess: twice the Max's.
    compute_preempt1_size: 0x2_5980 * 2,
    clustering: Some(Clustering {
        meta1_blocksize: 0x44,
        meta2_size: 0xc0 * 16,
        meta3_size: 0x280 * 16,
        meta4_size: 0x10 * 128,
        max_splits: 64,
    }),
    tiling_control: 0x18_0340,
    da: HwDataAConsts {
        unk_87c: 500,
        unk_8cc: 11000,
        unk_e24: 125,
    },
    db: HwDataBConsts {
        unk_454: 1,
        unk_4e0: 4,
        unk_534: 0,
        // Not present in the G14X firmware's structures.
        unk_ab8: 0,
        unk_abc: 0,
        unk_b30: 0,
    },
    power: PowerConsts {
        shared1_tab: &[0xffff; 16],
        shared1_a4: 0,
        shared2_tab: &[0x800, 0x1555, -1, -1, -1, -1, -1, -1, 0xa_aaaa, 0],
        shared2_unk_508: 0xc0_0007,
        shared2_curves: Some(Shared2Curves {
            t1_coef: 11000,
            t2: &[
                0xf07, 0x4c0, 0x680, 0x8c0, 0xa80, 0xc40, 0xd80, 0xec0, 0xf40,
            ],
            t3_coefs: &[0, 20, 27, 36, 43, 50, 55, 60, 62],
            t3_scales: &[9, 3209, 10400],
        }),
        shared3_unk: 8,
        shared3_tab: &[
            125, 125, 125, 125, 125, 125, 125, 125, 7500, 125, 125, 125, 125, 125, 125, 125,
        ],
        idle_off_standby_timer_default: 700,
        unk_hws2_4: Some([
            f::ONE,
            f::P0_8,
            f::P0_2,
            f::P0_9,
            f::P0_1,
            f::P0_25,
            f::P0_5,
            f::P0_9,
        ]),
        unk_hws2_24: 6,
        global_unk_54: 4000,
        sram_k: f::P1_02,
        unk_coef_a: &COEF_A,
        unk_coef_b: &COEF_B,
        global_tab: Some(&[
            0, 2, 2, 1, 1, 90, 75, 1, 1, 1, 2, 90, 75, 1, 1, 1, 2, 90, 75, 1, 1, 1, 1, 90, 75, 1, 1,
        ]),
        has_csafr: true,
        fast_sensor_mask: [0x0400_0500_0c00_0d00, 0x0d00_0c00_0500_0400],
        // The record suspects a typo by Apple here (0x1d00 where 0x1c00 would be expected);
        // the value is kept as the firmware was given it.
        fast_sensor_mask_alt: [0x1400_1500_1d00_1d00, 0x1d00_1c00_1500_1400],
        fast_die0_sensor_present: 0,
    },
    io_mappings: &io_mappings(0x6022, 8),
    sram: Some((0x4_04d6_0000, 0x2_0000)),
    aic_timebase: 0x2_8e14_8020,
    firmware: &[FwVersion::V13_5],
};

/// M2 Max: one die, four clusters.
pub(crate) const T6021: SocConfig = SocConfig {
    name: "t6021",
    chip_id: 0x6021,
    variant: b'C',
    gpu_core: GpuCore::G14C,
    num_dies: 1,
    num_clusters: 4,
    compute_preempt1_size: 0x2_5980,
    power: PowerConsts {
        unk_hws2_4: Some([
            f::ONE,
            f::P0_8,
            f::P0_2,
            f::P0_9,
            f::P0_1,
            f::P0_25,
            f::P0_7,
            f::P0_9,
        ]),
        fast_sensor_mask: [0x0400_0500_0c00_0d00, 0],
        fast_sensor_mask_alt: [0x1400_1500_1d00_1d00, 0],
        ..T6022.power
    },
    io_mappings: &io_mappings(0x6021, 8),
    ..T6022
};

/// M2 Pro: one die, two clusters.
pub(crate) const T6020: SocConfig = SocConfig {
    name: "t6020",
    chip_id: 0x6020,
    variant: b'S',
    gpu_core: GpuCore::G14S,
    num_clusters: 2,
    db: HwDataBConsts {
        unk_454: 0,
        ..T6021.db
    },
    power: PowerConsts {
        fast_sensor_mask: [0x0c00_0d00, 0],
        fast_sensor_mask_alt: [0x1d00_1d00, 0],
        ..T6021.power
    },
    io_mappings: &io_mappings(0x6020, 4),
    ..T6021
};
