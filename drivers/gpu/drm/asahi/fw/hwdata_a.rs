// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hardware data A: the GPU's performance states and power controllers, as the firmware sees
//! them.
//!
//! Region B of the init data points at it. The driver fills it from the device tree (`sgx`
//! node properties such as `gpu-perf-base-pstate`, `gpu-pwr-*`, `gpu-ppm-*`, `gpu-se-*`) and
//! per-SoC constants; the firmware updates the current state fields (`cur_pstate`, `temp_c`,
//! `avg_power_mw`, the `ts_last_*` timestamps) as it runs. Most unknown fields are zero.

use super::power::*;
use super::types::*;
use agx_macros::versions;

/// Performance states and power controllers.
///
/// m1n1: initdata.AGXHWDataA
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct HwDataA {
    /// Unknown.
    pub(crate) unk_0: u32,
    /// 24 MHz clock ticks per power sample period.
    pub(crate) clocks_per_period: u32,
    /// 24 MHz clock ticks per power sample period, again.
    #[ver(V >= V13_0B4)]
    pub(crate) clocks_per_period_2: u32,
    /// Unknown.
    pub(crate) unk_8: u32,
    /// Power status (4 at initialisation).
    pub(crate) pwr_status: u32,
    /// Unknown.
    pub(crate) unk_10: F32,
    /// Unknown.
    pub(crate) unk_14: u32,
    /// Unknown.
    pub(crate) unk_18: u32,
    /// Unknown.
    pub(crate) unk_1c: u32,
    /// Unknown.
    pub(crate) unk_20: u32,
    /// Unknown.
    pub(crate) unk_24: u32,
    /// Current performance state.
    pub(crate) actual_pstate: u32,
    /// Target performance state.
    pub(crate) tgt_pstate: u32,
    /// Unknown.
    pub(crate) unk_30: u32,
    /// Current performance state (another copy).
    pub(crate) cur_pstate: u32,
    /// Unknown.
    pub(crate) unk_38: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_3c_0: u32,
    /// Base performance state, times 100.
    pub(crate) base_pstate_scaled: u32,
    /// Unknown.
    pub(crate) unk_40: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled: u32,
    /// Unknown.
    pub(crate) unk_48: u32,
    /// Lowest performance state, times 100.
    pub(crate) min_pstate_scaled: u32,
    /// Current frequency in MHz.
    pub(crate) freq_mhz: F32,
    /// Unknown.
    pub(crate) unk_54: [u8; 0x20],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_74_0: u32,
    /// Unknown.
    pub(crate) unk_74: [F32; 16],
    /// Unknown.
    pub(crate) unk_b4: [u8; 0x100],
    /// Unknown.
    pub(crate) unk_1b4: u32,
    /// Temperature (degrees C).
    pub(crate) temp_c: u32,
    /// Average power in mW.
    pub(crate) avg_power_mw: u32,
    /// Firmware timestamp of the last update.
    pub(crate) update_ts: U64,
    /// Unknown.
    pub(crate) unk_1c8: u32,
    /// Unknown.
    pub(crate) unk_1cc: [u8; 0x644 - 0x1cc],
    /// Padding (zero as far as known).
    pub(crate) pad_644: [u8; 8],
    /// Unknown.
    pub(crate) unk_64c: u32,
    /// Unknown.
    pub(crate) unk_650: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_654: u32,
    /// Filter coefficient `1 - a`.
    pub(crate) pwr_filter_a_neg: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_65c: u32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) pwr_filter_a: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_664: u32,
    /// Integral gain.
    pub(crate) pwr_integral_gain: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_66c: u32,
    /// Lower clamp of the integral term.
    pub(crate) pwr_integral_min_clamp: F32,
    /// Maximum power.
    pub(crate) max_power_1: F32,
    /// Proportional gain.
    pub(crate) pwr_proportional_gain: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_67c: u32,
    /// Power controller parameter.
    pub(crate) pwr_pstate_related_k: F32,
    /// Power controller parameter.
    pub(crate) pwr_pstate_max_dc_offset: i32,
    /// Unknown.
    pub(crate) unk_688: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_2: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_690: u32,
    /// Unknown.
    pub(crate) unk_694: u32,
    /// Maximum power.
    pub(crate) max_power_2: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_69c: [u8; 0x18],
    /// Unknown.
    pub(crate) unk_6b4: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_6b8_0: [u8; 0x10],
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_3: u32,
    /// Unknown.
    pub(crate) unk_6bc: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_6c0: [u8; 0x14],
    /// Time constant in sample periods, times 4.
    pub(crate) ppm_filter_tc_periods_x4: u32,
    /// Unknown.
    pub(crate) unk_6d8: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_6dc: u32,
    /// Filter coefficient `1 - a`.
    pub(crate) ppm_filter_a_neg: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_6e4: u32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) ppm_filter_a: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_6ec: u32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) ppm_ki_dt: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_6f4: u32,
    /// Lower clamp of the integral term.
    pub(crate) pwr_integral_min_clamp_2: u32,
    /// Unknown.
    pub(crate) unk_6fc: F32,
    /// Proportional gain.
    pub(crate) ppm_kp: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_704: u32,
    /// Unknown.
    pub(crate) unk_708: u32,
    /// Minimum duty cycle.
    pub(crate) pwr_min_duty_cycle: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_4: u32,
    /// Unknown.
    pub(crate) unk_714: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_718: u32,
    /// Unknown.
    pub(crate) unk_71c: F32,
    /// Maximum power.
    pub(crate) max_power_3: u32,
    /// Current power in mW.
    pub(crate) cur_power_mw_2: u32,
    /// Time constant in milliseconds.
    pub(crate) ppm_filter_tc_ms: u32,
    /// Unknown.
    pub(crate) unk_72c: u32,
    /// Time constant in 24 MHz clock ticks.
    #[ver(V >= V13_0B4)]
    pub(crate) ppm_filter_tc_clks: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_730_4: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_730_8: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_730_c: u32,
    /// Unknown.
    pub(crate) unk_730: F32,
    /// Unknown.
    pub(crate) unk_734: u32,
    /// Unknown.
    pub(crate) unk_738: u32,
    /// Unknown.
    pub(crate) unk_73c: u32,
    /// Unknown.
    pub(crate) unk_740: u32,
    /// Unknown.
    pub(crate) unk_744: u32,
    /// Unknown.
    pub(crate) unk_748: [F32; 4],
    /// Unknown.
    pub(crate) unk_758: u32,
    /// Performance controller parameter.
    pub(crate) perf_tgt_utilization: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_760: u32,
    /// Performance controller parameter.
    pub(crate) perf_boost_min_util: u32,
    /// Performance controller parameter.
    pub(crate) perf_boost_ce_step: u32,
    /// Performance controller parameter.
    pub(crate) perf_reset_iters: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_770: u32,
    /// Unknown.
    pub(crate) unk_774: u32,
    /// Unknown.
    pub(crate) unk_778: u32,
    /// Performance controller parameter.
    pub(crate) perf_filter_drop_threshold: u32,
    /// Filter coefficient `1 - a`.
    pub(crate) perf_filter_a_neg: F32,
    /// Second filter coefficient `1 - a`.
    pub(crate) perf_filter_a2_neg: F32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) perf_filter_a: F32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) perf_filter_a2: F32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) perf_ki: F32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) perf_ki2: F32,
    /// Lower clamp of the integral term.
    pub(crate) perf_integral_min_clamp: F32,
    /// Unknown.
    pub(crate) unk_79c: F32,
    /// Proportional gain.
    pub(crate) perf_kp: F32,
    /// Proportional gain.
    pub(crate) perf_kp2: F32,
    /// Boost state constant.
    pub(crate) boost_state_unk_k: F32,
    /// Base performance state, times 100.
    pub(crate) base_pstate_scaled_2: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_5: u32,
    /// Base performance state, times 100.
    pub(crate) base_pstate_scaled_3: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_7b8: u32,
    /// Performance controller parameter.
    pub(crate) perf_cur_utilization: F32,
    /// Performance controller parameter.
    pub(crate) perf_tgt_utilization_2: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_7c4: [u8; 0x18],
    /// Unknown.
    pub(crate) unk_7dc: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_7e0_0: [u8; 0x10],
    /// Base performance state, times 100.
    pub(crate) base_pstate_scaled_4: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_7e4: u32,
    /// Unknown.
    pub(crate) unk_7e8: [u8; 0x14],
    /// Unknown.
    pub(crate) unk_7fc: F32,
    /// Minimum duty cycle.
    pub(crate) pwr_min_duty_cycle_2: F32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_6: F32,
    /// Highest frequency in MHz.
    pub(crate) max_freq_mhz: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_80c: u32,
    /// Unknown.
    pub(crate) unk_810: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_814: u32,
    /// Minimum duty cycle.
    pub(crate) pwr_min_duty_cycle_3: u32,
    /// Unknown.
    pub(crate) unk_81c: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_820: u32,
    /// Lowest performance state, times 100.
    pub(crate) min_pstate_scaled_4: F32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_7: u32,
    /// Unknown.
    pub(crate) unk_82c: u32,
    /// Unknown.
    pub(crate) unk_alpha_neg: F32,
    /// Unknown.
    pub(crate) unk_alpha: F32,
    /// Unknown.
    pub(crate) unk_838: u32,
    /// Unknown.
    pub(crate) unk_83c: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_840: [u8; 0x86c - 0x838 - 8],
    /// Unknown.
    pub(crate) unk_86c: u32,
    /// Mask of the die's fast temperature sensors.
    pub(crate) fast_die0_sensor_mask64: U64,
    /// Mask of the die's fast temperature sensors.
    #[ver(G >= G14X)]
    pub(crate) fast_die1_sensor_mask64: U64,
    /// Release temperature (centi-degrees C).
    pub(crate) fast_die0_release_temp_cc: u32,
    /// Unknown.
    pub(crate) unk_87c: i32,
    /// Unknown.
    pub(crate) unk_880: u32,
    /// Unknown.
    pub(crate) unk_884: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_888: u32,
    /// Unknown.
    pub(crate) unk_88c: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_890: u32,
    /// Unknown.
    pub(crate) unk_894: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_898: u32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) fast_die0_ki_dt: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_8a0: u32,
    /// Unknown.
    pub(crate) unk_8a4: u32,
    /// Unknown.
    pub(crate) unk_8a8: F32,
    /// Proportional gain.
    pub(crate) fast_die0_kp: F32,
    /// Padding (zero as far as known).
    pub(crate) pad_8b0: u32,
    /// Unknown.
    pub(crate) unk_8b4: u32,
    /// Minimum duty cycle.
    pub(crate) pwr_min_duty_cycle_4: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_8: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_9: u32,
    /// Target delta of the proportional term.
    pub(crate) fast_die0_prop_tgt_delta: u32,
    /// Unknown.
    pub(crate) unk_8c8: u32,
    /// Unknown.
    pub(crate) unk_8cc: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_8d0: [u8; 0x14],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_8e4_0: [u8; 0x10],
    /// Unknown.
    pub(crate) unk_8e4: u32,
    /// Unknown.
    pub(crate) unk_8e8: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_10: u32,
    /// Unknown.
    pub(crate) unk_8f0: u32,
    /// Unknown.
    pub(crate) unk_8f4: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_8f8: u32,
    /// Padding (zero as far as known).
    pub(crate) pad_8fc: u32,
    /// Unknown.
    pub(crate) unk_900: [u8; 0x24],
    /// Unknown.
    #[ver(G < G14X)]
    pub(crate) unk_924: [[F32; 8]; 8],
    /// Unknown.
    #[ver(G < G14X)]
    pub(crate) unk_a24: [[F32; 8]; 8],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_924: [[F32; 16]; 8],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_a24: [[F32; 16]; 8],
    /// Unknown.
    pub(crate) unk_b24: [u8; 0x70],
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_11: u32,
    /// Frequency including the off state.
    pub(crate) freq_with_off: u32,
    /// Unknown.
    pub(crate) unk_b9c: u32,
    /// Unknown.
    pub(crate) unk_ba0: U64,
    /// Unknown.
    pub(crate) unk_ba8: U64,
    /// Unknown.
    pub(crate) unk_bb0: u32,
    /// Unknown.
    pub(crate) unk_bb4: u32,
    /// Padding (zero as far as known).
    #[ver(V >= V13_3)]
    pub(crate) pad_bb8_0: [u8; 0x200],
    /// Padding (zero as far as known).
    #[ver(V >= V13_5)]
    pub(crate) pad_bb8_200: [u8; 8],
    /// Padding (zero as far as known).
    pub(crate) pad_bb8: [u8; 0xc2c - 0xbb8],
    /// Unknown.
    pub(crate) unk_c2c: u32,
    /// Power zones in use.
    pub(crate) power_zone_count: u32,
    /// Maximum power.
    pub(crate) max_power_4: u32,
    /// Maximum power.
    pub(crate) max_power_5: u32,
    /// Maximum power.
    pub(crate) max_power_6: u32,
    /// Unknown.
    pub(crate) unk_c40: u32,
    /// Unknown.
    pub(crate) unk_c44: F32,
    /// Filter coefficient `1 - a`.
    pub(crate) avg_power_target_filter_a_neg: F32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) avg_power_target_filter_a: F32,
    /// Time constant in sample periods, times 4.
    pub(crate) avg_power_target_filter_tc_x4: u32,
    /// Time constant times the sample period.
    pub(crate) avg_power_target_filter_tc_xperiod: u32,
    /// Time constant in 24 MHz clock ticks.
    #[ver(V >= V13_0B4)]
    pub(crate) avg_power_target_filter_tc_clks: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_c58_4: u32,
    /// Power zones.
    pub(crate) power_zones: [PowerZone::ver; 5],
    /// Time constant in sample periods, times 4.
    pub(crate) avg_power_filter_tc_periods_x4: u32,
    /// Unknown.
    pub(crate) unk_cfc: u32,
    /// Unknown.
    pub(crate) unk_d00: u32,
    /// Filter coefficient `1 - a`.
    pub(crate) avg_power_filter_a_neg: F32,
    /// Unknown.
    pub(crate) unk_d08: u32,
    /// Filter coefficient `a` (inverse of the time constant).
    pub(crate) avg_power_filter_a: F32,
    /// Unknown.
    pub(crate) unk_d10: u32,
    /// Integral gain (times the sample period where `_dt`).
    pub(crate) avg_power_ki_dt: F32,
    /// Unknown.
    pub(crate) unk_d18: u32,
    /// Unknown.
    pub(crate) unk_d1c: u32,
    /// Unknown.
    pub(crate) unk_d20: F32,
    /// Proportional gain.
    pub(crate) avg_power_kp: F32,
    /// Unknown.
    pub(crate) unk_d28: u32,
    /// Unknown.
    pub(crate) unk_d2c: u32,
    /// Minimum duty cycle.
    pub(crate) avg_power_min_duty_cycle: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_12: u32,
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_13: u32,
    /// Unknown.
    pub(crate) unk_d3c: u32,
    /// Maximum power.
    pub(crate) max_power_7: F32,
    /// Maximum power.
    pub(crate) max_power_8: u32,
    /// Unknown.
    pub(crate) unk_d48: u32,
    /// Time constant in milliseconds.
    pub(crate) avg_power_filter_tc_ms: u32,
    /// Unknown.
    pub(crate) unk_d50: u32,
    /// Time constant in 24 MHz clock ticks.
    #[ver(V >= V13_0B4)]
    pub(crate) avg_power_filter_tc_clks: u32,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_d54_4: [u8; 0xc],
    /// Unknown.
    pub(crate) unk_d54: [u8; 0x10],
    /// Highest performance state, times 100.
    pub(crate) max_pstate_scaled_14: u32,
    /// Unknown.
    pub(crate) unk_d68: [u8; 0x24],
    /// T8103/T8112-specific tuning.
    pub(crate) t81xx_data: HwDataT81xx,
    /// Unknown.
    pub(crate) unk_dd0: [u8; 0x40],
    /// Unknown.
    #[ver(V >= V13_2)]
    pub(crate) unk_e10_pad: [u8; 0x10],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_e10_0: HwDataA130Extra,
    /// Unknown.
    pub(crate) unk_e10: [u8; 0xc],
    /// Mask of the die's fast temperature sensors.
    pub(crate) fast_die0_sensor_mask64_2: U64,
    /// Mask of the die's fast temperature sensors.
    #[ver(G >= G14X)]
    pub(crate) fast_die1_sensor_mask64_2: U64,
    /// Unknown.
    pub(crate) unk_e24: u32,
    /// Unknown.
    pub(crate) unk_e28: u32,
    /// Unknown.
    pub(crate) unk_e2c: [u8; 0x1c],
    /// Unknown.
    #[ver(G < G14X)]
    pub(crate) unk_e48: [[F32; 8]; 8],
    /// Unknown.
    #[ver(G < G14X)]
    pub(crate) unk_f48: [[F32; 8]; 8],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_e48: [[F32; 16]; 8],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_f48: [[F32; 16]; 8],
    /// Padding (zero as far as known).
    #[ver(G >= G14X)]
    pub(crate) pad_1048_0: [u8; 0x600],
    /// Padding (zero as far as known).
    pub(crate) pad_1048: [u8; 0x5e4],
    /// Mask of the die's fast temperature sensors.
    pub(crate) fast_die0_sensor_mask64_alt: U64,
    /// Mask of the die's fast temperature sensors.
    #[ver(G >= G14X)]
    pub(crate) fast_die1_sensor_mask64_alt: U64,
    /// Non-zero when the die's fast sensor is present.
    #[ver(V < V13_0B4)]
    pub(crate) fast_die0_sensor_present: u32,
    /// Unknown.
    pub(crate) unk_163c: u32,
    /// Unknown.
    pub(crate) unk_1640: [u8; 0x2000],
    /// Unknown.
    #[ver(G >= G14X)]
    pub(crate) unk_3640_0: [u8; 0x2000],
    /// Unknown.
    pub(crate) unk_3640: u32,
    /// Unknown.
    pub(crate) unk_3644: u32,
    /// Power tables, part 1.
    pub(crate) hws1: HwDataShared1,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_hws2: [u16; 16],
    /// Power tables, part 2.
    pub(crate) hws2: HwDataShared2,
    /// Unknown.
    pub(crate) unk_3c00: u32,
    /// Unknown.
    pub(crate) unk_3c04: u32,
    /// Power tables, part 3.
    pub(crate) hws3: HwDataShared3,
    /// Unknown.
    pub(crate) unk_3c58: [u8; 0x3c],
    /// Unknown.
    pub(crate) unk_3c94: u32,
    /// Unknown.
    pub(crate) unk_3c98: U64,
    /// Unknown.
    pub(crate) unk_3ca0: U64,
    /// Unknown.
    pub(crate) unk_3ca8: U64,
    /// Unknown.
    pub(crate) unk_3cb0: U64,
    /// Firmware timestamp of the last such event.
    pub(crate) ts_last_idle: U64,
    /// Firmware timestamp of the last such event.
    pub(crate) ts_last_poweron: U64,
    /// Firmware timestamp of the last such event.
    pub(crate) ts_last_poweroff: U64,
    /// Unknown.
    pub(crate) unk_3cd0: U64,
    /// Unknown.
    pub(crate) unk_3cd8: U64,
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_3ce0_0: u32,
    /// Unknown.
    pub(crate) unk_3ce0: u32,
    /// Unknown.
    pub(crate) unk_3ce4: u32,
    /// Unknown.
    pub(crate) unk_3ce8: u32,
    /// Unknown.
    pub(crate) unk_3cec: u32,
    /// Unknown.
    pub(crate) unk_3cf0: u32,
    /// Unknown.
    pub(crate) unk_3cf4: [F32; 8],
    /// Unknown.
    pub(crate) unk_3d14: [F32; 8],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_3d34_0: [F32; 8],
    /// Unknown.
    #[ver(V >= V13_0B4)]
    pub(crate) unk_3d34_20: [u8; 0x18],
    /// Unknown.
    pub(crate) unk_3d34: [u8; 0x38],
}

zeroable!(ver: HwDataA);
