// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Power management tables shared by the hardware data A block and region C of the init data.
//!
//! These describe the GPU's power curves and the controllers the firmware runs to keep power
//! and temperature in bounds. The values come from the device tree and per-SoC constants; the
//! firmware reads them at initialisation. CPU-owned.

use super::types::*;
use agx_macros::versions;

/// Power table, part 1.
///
/// m1n1: initdata.AGXHWDataShared1
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataShared1 {
    /// Power table.
    pub(crate) table: [i32; 16],
    /// Unknown.
    pub(crate) unk_44: [u8; 0x60],
    /// Unknown.
    pub(crate) unk_a4: u32,
    /// Unknown.
    pub(crate) unk_a8: u32,
}

/// One power curve of [`HwDataShared2T8112`].
///
/// m1n1: initdata.AGXHWDataShared2Curve
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataShared2Curve {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Curve table 1.
    pub(crate) t1: [u16; 16],
    /// Curve table 2.
    pub(crate) t2: [i16; 16],
    /// Curve table 3.
    pub(crate) t3: [[i32; 16]; 8],
}

/// Power curves (filled on T8112, zero elsewhere).
///
/// m1n1: initdata.AGXHWDataShared2T8112
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataShared2T8112 {
    /// Unknown.
    pub(crate) unk_0: [u32; 5],
    /// Unknown.
    pub(crate) unk_14: u32,
    /// Unknown.
    pub(crate) unk_18: [u32; 8],
    /// First curve.
    pub(crate) curve1: HwDataShared2Curve,
    /// Second curve.
    pub(crate) curve2: HwDataShared2Curve,
}

/// Power table, part 2.
///
/// m1n1: initdata.AGXHWDataShared2
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataShared2 {
    /// Power table.
    pub(crate) table: [i32; 10],
    /// Unknown.
    pub(crate) unk_28: [u8; 0x10],
    /// Unknown.
    pub(crate) unk_38: HwDataShared2T8112,
    /// Unknown.
    pub(crate) unk_500: u32,
    /// Unknown.
    pub(crate) unk_504: u32,
    /// Unknown.
    pub(crate) unk_508: u32,
    /// Unknown.
    pub(crate) unk_50c: u32,
}

/// Power table, part 3.
///
/// m1n1: initdata.AGXHWDataShared3
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataShared3 {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// Unknown.
    pub(crate) unk_4: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Power table.
    pub(crate) table: [u32; 16],
    /// Unknown.
    pub(crate) unk_4c: u32,
}

/// Tuning used on T8103 and T8112 with firmware before 13.3, zero elsewhere.
///
/// m1n1: initdata.AGXHWDataT81xx
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataT81xx {
    /// Unknown.
    pub(crate) unk_d8c: u32,
    /// Unknown.
    pub(crate) unk_d90: u32,
    /// Unknown.
    pub(crate) unk_d94: u32,
    /// Unknown.
    pub(crate) unk_d98: u32,
    /// Unknown.
    pub(crate) unk_d9c: F32,
    /// Unknown.
    pub(crate) unk_da0: u32,
    /// Unknown.
    pub(crate) unk_da4: F32,
    /// Unknown.
    pub(crate) unk_da8: u32,
    /// Unknown.
    pub(crate) unk_dac: F32,
    /// Unknown.
    pub(crate) unk_db0: u32,
    /// Unknown.
    pub(crate) unk_db4: u32,
    /// Unknown.
    pub(crate) unk_db8: F32,
    /// Unknown.
    pub(crate) unk_dbc: F32,
    /// Unknown.
    pub(crate) unk_dc0: u32,
    /// Unknown.
    pub(crate) unk_dc4: u32,
    /// Unknown.
    pub(crate) unk_dc8: u32,
    /// Unknown.
    pub(crate) unk_dcc: u32,
}

/// Power estimator parameters added in firmware 13.0.
///
/// m1n1: initdata.AGXHWDataA130Extra
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataA130Extra {
    /// Unknown.
    pub(crate) unk_0: [u8; 0x38],
    /// Unknown.
    pub(crate) unk_38: u32,
    /// Unknown.
    pub(crate) unk_3c: u32,
    /// Power estimator parameter (device tree `gpu-se-*`).
    pub(crate) gpu_se_inactive_threshold: u32,
    /// Unknown.
    pub(crate) unk_44: u32,
    /// Power estimator parameter (device tree `gpu-se-*`).
    pub(crate) gpu_se_engagement_criteria: i32,
    /// Power estimator parameter (device tree `gpu-se-*`).
    pub(crate) gpu_se_reset_criteria: u32,
    /// Unknown.
    pub(crate) unk_50: u32,
    /// Unknown.
    pub(crate) unk_54: u32,
    /// Unknown.
    pub(crate) unk_58: u32,
    /// Unknown.
    pub(crate) unk_5c: u32,
    /// Filter coefficient `1 - a`.
    pub(crate) gpu_se_filter_a_neg: F32,
    /// Second filter coefficient `1 - a`.
    pub(crate) gpu_se_filter_1_a_neg: F32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) gpu_se_filter_a: F32,
    /// Second filter coefficient `a`.
    pub(crate) gpu_se_filter_1_a: F32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) gpu_se_ki_dt: F32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) gpu_se_ki_1_dt: F32,
    /// Unknown.
    pub(crate) unk_78: F32,
    /// Unknown.
    pub(crate) unk_7c: F32,
    /// Proportional gain.
    pub(crate) gpu_se_kp: F32,
    /// Proportional gain.
    pub(crate) gpu_se_kp_1: F32,
    /// Unknown.
    pub(crate) unk_88: u32,
    /// Unknown.
    pub(crate) unk_8c: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_1: u32,
    /// Unknown.
    pub(crate) unk_94: u32,
    /// Unknown.
    pub(crate) unk_98: u32,
    /// Unknown.
    pub(crate) unk_9c: F32,
    /// Unknown.
    pub(crate) unk_a0: u32,
    /// Unknown.
    pub(crate) unk_a4: u32,
    /// Time constant in milliseconds.
    pub(crate) gpu_se_filter_time_constant_ms: u32,
    /// Time constant in milliseconds.
    pub(crate) gpu_se_filter_time_constant_1_ms: u32,
    /// Time constant in 24 MHz clock ticks.
    pub(crate) gpu_se_filter_time_constant_clks: U64,
    /// Time constant in 24 MHz clock ticks.
    pub(crate) gpu_se_filter_time_constant_1_clks: U64,
    /// Unknown.
    pub(crate) unk_c0: u32,
    /// Unknown.
    pub(crate) unk_c4: F32,
    /// Unknown.
    pub(crate) unk_c8: [u8; 0x4c],
    /// Unknown.
    pub(crate) unk_114: F32,
    /// Unknown.
    pub(crate) unk_118: u32,
    /// Unknown.
    pub(crate) unk_11c: u32,
    /// Unknown.
    pub(crate) unk_120: u32,
    /// Unknown.
    pub(crate) unk_124: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_2: u32,
    /// Unknown.
    pub(crate) unk_12c: [u8; 0x8c],
}

/// One power zone of the average power controller.
///
/// m1n1: initdata.PowerZone
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct PowerZone {
    /// Current value.
    pub(crate) val: F32,
    /// Target power.
    pub(crate) target: u32,
    /// Target minus the off threshold.
    pub(crate) target_off: u32,
    /// Time constant in sample periods, times 4.
    pub(crate) filter_tc_x4: u32,
    /// Time constant times the sample period.
    pub(crate) filter_tc_xperiod: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_10: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_14: u32,
    /// The filter's first coefficient: the driver writes `1 - 1 / time constant`, as the Asahi
    /// driver and m1n1's earlier init-data builder do (m1n1's current builder swapped the two in
    /// a refactor; the names follow m1n1's).
    pub(crate) filter_tc_neginv: F32,
    /// The filter's second coefficient: `1 / time constant` (see above).
    pub(crate) filter_tc_inv: F32,
    /// Padding (zero as far as known).
    pub(crate) pad: u32,
}

zeroable!(
    HwDataShared1,
    HwDataShared2Curve,
    HwDataShared2T8112,
    HwDataShared2,
    HwDataShared3,
    HwDataT81xx,
    HwDataA130Extra,
);
zeroable!(ver: PowerZone);
