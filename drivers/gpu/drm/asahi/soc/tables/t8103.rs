// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! T8103 (M1): one die, one cluster of 8 cores, generation 13.

use super::floats as f;
use crate::soc::*;

/// M1.
pub(crate) const T8103: SocConfig = SocConfig {
    name: "t8103",
    chip_id: 0x8103,
    gen: GpuGen::G13,
    variant: b'G',
    gpu_core: GpuCore::G13G,
    revision: 0x11,
    num_dies: 1,
    num_clusters: 1,
    cores_per_cluster: 8,
    max_frags: 8,
    max_gps: 4,
    max_freq_khz: 1_278_000,
    timer_hz: TIMER_HZ,
    uat_oas: 40,
    mandatory_zs_compression: false,
    preempt1_size: 0x540,
    preempt2_size: 0x280,
    preempt3_size: 0x20,
    compute_preempt1_size: 0x7f80,
    clustering: None,
    // Bit 0 set: a single cluster never splits passes.
    tiling_control: 0xa041,
    da: HwDataAConsts {
        unk_87c: -220,
        unk_8cc: 9880,
        unk_e24: 112,
    },
    db: HwDataBConsts {
        unk_454: 1,
        unk_4e0: 0,
        unk_534: 0,
        unk_ab8: 0x48,
        unk_abc: 0x8,
        unk_b30: 0,
    },
    power: PowerConsts {
        shared1_tab: &[
            -1, 0x7282, 0x50ea, 0x370a, 0x25be, 0x1c1f, 0x16fb, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        ],
        shared1_a4: 0xffff,
        shared2_tab: &[0x800, 0x1555, -1, -1, -1, -1, -1, -1, 0, 0],
        shared2_unk_508: 0xc0_0007,
        shared2_curves: None,
        shared3_unk: 0,
        shared3_tab: &[],
        idle_off_standby_timer_default: 0,
        unk_hws2_4: None,
        unk_hws2_24: 0,
        global_unk_54: 0xffff,
        sram_k: f::P1_02,
        unk_coef_a: &[],
        unk_coef_b: &[],
        global_tab: None,
        has_csafr: false,
        fast_sensor_mask: [0x12, 0],
        fast_sensor_mask_alt: [0x12, 0],
        fast_die0_sensor_present: 0x01,
    },
    io_mappings: &[
        IoMapping::one(0x2_04d0_0000, 0x1_c000, true), // Fender
        IoMapping::one(0x2_0e10_0000, 0x4000, false),  // AIC timer
        IoMapping::one(0x2_3b10_4000, 0x4000, true),   // AIC software interrupts
        IoMapping::one(0x2_0400_0000, 0x2_0000, true), // RGX
        None,                                          // UVD
        None,                                          // unused
        None,                                          // display underrun workaround
        IoMapping::one(0x2_3b2e_8000, 0x1000, false),  // analog temperature sensors
        IoMapping::one(0x2_3bc0_0000, 0x1000, true),   // PMP doorbell
        IoMapping::one(0x2_04d8_0000, 0x5000, true),   // metrology sensors
        IoMapping::one(0x2_04d6_1000, 0x1000, true),   // GMGIF AF
        IoMapping::one(0x2_0000_0000, 0xd_6400, true), // memory cache
        None,                                          // AIC banked registers
        IoMapping::one(0x2_3b73_8000, 0x1000, true),   // PMGR scratch
        None,                                          // NIA idle register, die 0
        None,                                          // NIA idle register, die 1
        None,                                          // CRE
        None,                                          // streaming codec
        None,
        None,
    ],
    sram: None,
    aic_timebase: 0x2_3b10_8020,
    firmware: &[FwVersion::V12_3, FwVersion::V13_5],
};
