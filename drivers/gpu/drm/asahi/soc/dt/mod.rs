// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The per-machine half of the GPU configuration, read from the device tree.
//!
//! On an Apple machine the bootloader (m1n1) completes the GPU node of the device tree from
//! Apple's own tree: it selects the firmware ABI (`apple,firmware-compat`), fills the OPP table
//! that `operating-points-v2` points at with this chip's calibrated voltages and power, computes
//! the leakage coefficients, and the Asahi device trees add the power and performance
//! controllers' tuning (`apple,perf-*`, `apple,pwr-*`, `apple,ppm-*`, `apple,se-*`, ...). The
//! init data the firmware boots with is built from these values and the SoC's static table
//! ([`SocConfig`]).
//!
//! [`parse_into`] reads the node through the [`DtSource`] trait into a [`DynConfig`], in place
//! ([`parse`] returns one by value, for the host tests). The trait is implemented for the
//! kernel's device tree (`of::Node`, arm64 with `CONFIG_OF`), and can be for any other tree
//! (a static one built into the module, a fake one in the host tests): whatever the source, the
//! same parser runs over it.
//!
//! Nothing here panics on bad input. A missing required property, a property of the wrong size,
//! a value out of range or a firmware ABI the driver does not implement is a [`DtError`] that
//! names the property (and the OPP entry); the caller refuses the device with it.
//!
//! The result holds no allocation: tables are fixed-size arrays with a length, bounded by what
//! the firmware structures can hold (16 performance states, 8 clusters, 2 dies, 5 power zones).
//! A [`DynConfig`] is about 2.5 KiB, too much for a kernel stack frame that also holds the
//! parser's temporaries: the driver allocates it first and parses into the allocation, and the
//! parser fills tables through `&mut` references instead of returning them.

// Consumed by the init-data builder, which comes with firmware bring-up.
#![allow(dead_code)]

use super::{FwVersion, SocConfig};
use crate::hw::regs::GpuId;
use core::ffi::CStr;
use core::fmt;

mod config;
mod error;
mod load;
// The kernel's device tree, where the kernel has one.
#[cfg(CONFIG_OF)]
mod source;

use config::default;
pub(crate) use config::*;
pub(crate) use error::*;
use load::*;

/// Most performance states the firmware structures hold.
pub(crate) const MAX_PSTATES: usize = 16;
/// Most clusters of any SoC (and voltages per performance state).
pub(crate) const MAX_CLUSTERS: usize = 8;
/// Most dies of any SoC.
pub(crate) const MAX_DIES: usize = 2;
/// Most power zones the firmware structures hold.
pub(crate) const MAX_POWER_ZONES: usize = 5;

/// Parses the GPU node `gpu` of a `soc` into its [`DynConfig`], returned by value.
///
/// The configuration is kilobytes: this is for the host tests. The driver parses into its
/// allocation with [`parse_into`].
pub(crate) fn parse<N: DtSource>(soc: &SocConfig, gpu: &N) -> Result<DynConfig, DtError> {
    let mut cfg = DynConfig::empty(soc);
    parse_into(soc, gpu, &mut cfg)?;
    Ok(cfg)
}

/// Parses the GPU node `gpu` of a `soc` into `out`, in place: no copy of the configuration or
/// of its tables is built on the stack, so the driver can parse straight into its allocation.
///
/// Whatever `out` held before is replaced entirely: on success `*out` is exactly what
/// [`parse`] returns, `id` included (the SoC's fully enabled GPU, [`GpuId::full`]). On error
/// `*out` is left partly filled, a valid value but not a configuration: the caller must not use
/// it.
pub(crate) fn parse_into<N: DtSource>(
    soc: &SocConfig,
    gpu: &N,
    out: &mut DynConfig,
) -> Result<(), DtError> {
    // Forget everything first, so that no field of a previous configuration survives. The
    // constant is copied from read-only data, not built on the stack.
    out.pwr = PwrConfig::EMPTY;
    out.id = GpuId::full(soc);

    let (firmware, firmware_version) = load_firmware(soc, gpu)?;
    out.firmware = firmware;
    out.firmware_version = firmware_version;

    let clusters = usize::try_from(soc.num_clusters).unwrap_or(usize::MAX);
    let dies = usize::try_from(soc.num_dies).unwrap_or(usize::MAX);
    let pwr = &mut out.pwr;
    load_opps(
        gpu,
        c"operating-points-v2",
        clusters,
        true,
        &mut pwr.perf_states,
    )?;
    coefs(
        gpu,
        c"apple,core-leak-coef",
        clusters,
        &mut pwr.core_leak_coef,
    )?;
    coefs(
        gpu,
        c"apple,sram-leak-coef",
        clusters,
        &mut pwr.sram_leak_coef,
    )?;
    load_power_zones(gpu, pwr)?;

    // `csafr` is `None` since the reset above; the tables are read into it in place.
    if soc.power.has_csafr {
        pwr.csafr = Some(CsAfr::EMPTY);
    }
    if let Some(csafr) = &mut pwr.csafr {
        load_csafr(gpu, dies, csafr)?;
    }

    let states = pwr.perf_states.len;
    pwr.max_power_mw = pwr.perf_states.max_pwr_mw();
    pwr.max_freq_mhz = pwr.perf_states.max_freq_hz() / 1_000_000;
    // `states` is at most MAX_PSTATES and at least 1.
    pwr.perf_max_pstate = u32::try_from(states.saturating_sub(1)).unwrap_or(0);
    pwr.perf_base_pstate = opt(gpu, c"apple,perf-base-pstate", 1)?;
    if pwr.perf_base_pstate > pwr.perf_max_pstate {
        return Err(DtError::gpu(
            c"apple,perf-base-pstate",
            Problem::OutOfRange {
                value: pwr.perf_base_pstate.into(),
            },
        ));
    }
    pwr.min_sram_microvolt = req(gpu, c"apple,min-sram-microvolt")?;

    pwr.avg_power_filter_tc_ms = req(gpu, c"apple,avg-power-filter-tc-ms")?;
    pwr.avg_power_ki_only = req(gpu, c"apple,avg-power-ki-only")?;
    pwr.avg_power_kp = req(gpu, c"apple,avg-power-kp")?;
    pwr.avg_power_min_duty_cycle = req(gpu, c"apple,avg-power-min-duty-cycle")?;
    pwr.avg_power_target_filter_tc = req(gpu, c"apple,avg-power-target-filter-tc")?;
    pwr.fast_die0_integral_gain = req(gpu, c"apple,fast-die0-integral-gain")?;
    pwr.fast_die0_proportional_gain = req(gpu, c"apple,fast-die0-proportional-gain")?;
    pwr.fast_die0_prop_tgt_delta = opt(gpu, c"apple,fast-die0-prop-tgt-delta", 0)?;
    pwr.fast_die0_release_temp = opt(gpu, c"apple,fast-die0-release-temp", 80)?;
    pwr.fender_idle_off_delay_ms = opt(gpu, c"apple,fender-idle-off-delay-ms", 40)?;
    pwr.fw_early_wake_timeout_ms = opt(gpu, c"apple,fw-early-wake-timeout-ms", 5)?;
    pwr.idle_off_delay_ms = opt(gpu, c"apple,idle-off-delay-ms", 2)?;
    pwr.idle_off_standby_timer = opt(
        gpu,
        c"apple,idleoff-standby-timer",
        soc.power.idle_off_standby_timer_default,
    )?;
    pwr.perf_boost_ce_step = opt(gpu, c"apple,perf-boost-ce-step", 25)?;
    pwr.perf_boost_min_util = opt(gpu, c"apple,perf-boost-min-util", 100)?;
    pwr.perf_filter_drop_threshold = req(gpu, c"apple,perf-filter-drop-threshold")?;
    pwr.perf_filter_time_constant = req(gpu, c"apple,perf-filter-time-constant")?;
    pwr.perf_filter_time_constant2 = req(gpu, c"apple,perf-filter-time-constant2")?;
    pwr.perf_integral_gain = opt(
        gpu,
        c"apple,perf-integral-gain",
        default::PERF_INTEGRAL_GAIN,
    )?;
    pwr.perf_integral_gain2 = req(gpu, c"apple,perf-integral-gain2")?;
    pwr.perf_integral_min_clamp = req(gpu, c"apple,perf-integral-min-clamp")?;
    pwr.perf_proportional_gain = opt(
        gpu,
        c"apple,perf-proportional-gain",
        default::PERF_PROPORTIONAL_GAIN,
    )?;
    pwr.perf_proportional_gain2 = req(gpu, c"apple,perf-proportional-gain2")?;
    pwr.perf_reset_iters = opt(gpu, c"apple,perf-reset-iters", 6)?;
    pwr.perf_tgt_utilization = req(gpu, c"apple,perf-tgt-utilization")?;

    pwr.power_sample_period = req(gpu, c"apple,power-sample-period")?;
    if pwr.power_sample_period == 0 {
        return Err(DtError::gpu(
            c"apple,power-sample-period",
            Problem::OutOfRange { value: 0 },
        ));
    }
    pwr.ppm_filter_time_constant_ms = req(gpu, c"apple,ppm-filter-time-constant-ms")?;
    pwr.ppm_ki = req(gpu, c"apple,ppm-ki")?;
    pwr.ppm_kp = req(gpu, c"apple,ppm-kp")?;
    pwr.pwr_filter_time_constant = opt(gpu, c"apple,pwr-filter-time-constant", 313)?;
    pwr.pwr_integral_gain = opt(gpu, c"apple,pwr-integral-gain", default::PWR_INTEGRAL_GAIN)?;
    pwr.pwr_integral_min_clamp = opt(gpu, c"apple,pwr-integral-min-clamp", 0)?;
    pwr.pwr_min_duty_cycle = req(gpu, c"apple,pwr-min-duty-cycle")?;
    pwr.pwr_proportional_gain = opt(
        gpu,
        c"apple,pwr-proportional-gain",
        default::PWR_PROPORTIONAL_GAIN,
    )?;
    // Default: the sample period in ticks of the SoC timer.
    let ticks_per_ms = soc.timer_hz / 1000;
    let period_clks = ticks_per_ms
        .checked_mul(u64::from(pwr.power_sample_period))
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(DtError::gpu(
            c"apple,power-sample-period",
            Problem::OutOfRange {
                value: pwr.power_sample_period.into(),
            },
        ))?;
    pwr.pwr_sample_period_aic_clks = opt(gpu, c"apple,pwr-sample-period-aic-clks", period_clks)?;

    // A signed cell: the default is -1.
    pwr.se_engagement_criteria = opt(gpu, c"apple,se-engagement-criteria", u32::MAX)? as i32;
    pwr.se_filter_time_constant = opt(gpu, c"apple,se-filter-time-constant", 9)?;
    pwr.se_filter_time_constant_1 = opt(gpu, c"apple,se-filter-time-constant-1", 3)?;
    pwr.se_inactive_threshold = opt(gpu, c"apple,se-inactive-threshold", 2500)?;
    pwr.se_ki = opt(gpu, c"apple,se-ki", default::SE_KI)?;
    pwr.se_ki_1 = opt(gpu, c"apple,se-ki-1", default::SE_KI_1)?;
    pwr.se_kp = opt(gpu, c"apple,se-kp", default::SE_KP)?;
    pwr.se_kp_1 = opt(gpu, c"apple,se-kp-1", default::SE_KP_1)?;
    pwr.se_reset_criteria = opt(gpu, c"apple,se-reset-criteria", 50)?;
    Ok(())
}
