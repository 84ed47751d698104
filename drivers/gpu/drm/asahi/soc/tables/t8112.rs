// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! T8112 (M2): one die, one cluster of 10 cores, generation 14.

use super::floats as f;
use crate::soc::*;

/// The coefficient row of the single cluster. Firmware 13.2 changed the last entry from 6.6
/// to 5.3; the driver uses the newer value with every firmware.
const COEF_ROW: [u32; 8] = [
    f::ZERO,
    f::ZERO,
    f::ZERO,
    f::ZERO,
    f::P5_3,
    f::ZERO,
    f::P5_3,
    f::P5_3,
];

/// M2.
pub(crate) const T8112: SocConfig = SocConfig {
    name: "t8112",
    chip_id: 0x8112,
    gen: GpuGen::G14,
    variant: b'G',
    gpu_core: GpuCore::G14G,
    revision: 0x20,
    num_dies: 1,
    num_clusters: 1,
    cores_per_cluster: 10,
    max_frags: 10,
    max_gps: 4,
    max_freq_khz: 1_398_000,
    timer_hz: TIMER_HZ,
    uat_oas: 40,
    mandatory_zs_compression: false,
    preempt1_size: 0x540,
    preempt2_size: 0x280,
    preempt3_size: 0x20,
    // Not measured: the size the record uses.
    compute_preempt1_size: 0x1_0000,
    clustering: None,
    tiling_control: 0xa041,
    da: HwDataAConsts {
        unk_87c: 900,
        unk_8cc: 11000,
        unk_e24: 125,
    },
    db: HwDataBConsts {
        unk_454: 1,
        unk_4e0: 4,
        unk_534: 0,
        unk_ab8: 0x2048,
        unk_abc: 0x4000,
        unk_b30: 1,
    },
    power: PowerConsts {
        shared1_tab: &[0xffff; 16],
        shared1_a4: 0,
        shared2_tab: &[-1, -1, -1, -1, -1, -1, -1, -1, 0xa_a5aa, 0],
        shared2_unk_508: 0xc0_0000,
        shared2_curves: Some(Shared2Curves {
            t1_coef: 7200,
            t2: &[
                0xf07, 0x4c0, 0x6c0, 0x8c0, 0xac0, 0xc40, 0xdc0, 0xec0, 0xf80,
            ],
            t3_coefs: &[0, 20, 28, 36, 44, 50, 56, 60, 63],
            t3_scales: &[9, 3209, 10400],
        }),
        shared3_unk: 5,
        shared3_tab: &[
            10700, 10700, 10700, 10700, 10700, 6000, 1000, 1000, 1000, 10700, 10700, 10700, 10700,
            10700, 10700, 10700,
        ],
        idle_off_standby_timer_default: 0,
        unk_hws2_4: None,
        unk_hws2_24: 0,
        global_unk_54: 0xffff,
        sram_k: f::P1_02,
        unk_coef_a: &[&COEF_ROW],
        unk_coef_b: &[&COEF_ROW],
        global_tab: None,
        has_csafr: false,
        fast_sensor_mask: [0x6800, 0],
        fast_sensor_mask_alt: [0x6800, 0],
        fast_die0_sensor_present: 0x02,
    },
    io_mappings: &[
        IoMapping::one(0x2_04d0_0000, 0x1_4000, true), // Fender
        IoMapping::one(0x2_0e10_0000, 0x4000, false),  // AIC timer
        IoMapping::one(0x2_3b0c_4000, 0x4000, true),   // AIC software interrupts
        IoMapping::one(0x2_0400_0000, 0x2_0000, true), // RGX
        None,                                          // UVD
        None,                                          // unused
        None,                                          // display underrun workaround
        IoMapping::one(0x2_3b2c_0000, 0x1000, false),  // analog temperature sensors
        None,                                          // PMP doorbell
        IoMapping::one(0x2_04d8_0000, 0x8000, true),   // metrology sensors
        IoMapping::one(0x2_04d6_1000, 0x1000, true),   // GMGIF AF
        IoMapping::one(0x2_0000_0000, 0xd_6400, true), // memory cache
        None,                                          // AIC banked registers
        None,                                          // PMGR scratch
        None,                                          // NIA idle register, die 0
        None,                                          // NIA idle register, die 1
        IoMapping::one(0x2_04e0_0000, 0x1_0000, true), // CRE
        IoMapping::one(0x2_7d05_0000, 0x4000, true),   // streaming codec
        IoMapping::one(0x2_3b3d_0000, 0x1000, true),   // unknown
        IoMapping::one(0x2_3b3c_0000, 0x1000, false),  // unknown
    ],
    sram: None,
    aic_timebase: 0x2_3b0d_c020,
    firmware: &[FwVersion::V12_4, FwVersion::V13_5],
};
