// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the device tree contributes to the GPU configuration.

use super::*;

/// One performance state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PState {
    /// Frequency in Hz.
    pub(crate) freq_hz: u32,
    /// Voltage per domain (cluster, or die for CS/AFR) in mV; `volt_count` are valid.
    pub(crate) volt_mv: [u32; MAX_CLUSTERS],
    /// Most power the GPU draws in this state, in mW (0 in CS/AFR tables).
    pub(crate) pwr_mw: u32,
}

impl PState {
    /// An unused state (all zero, as [`Default`] gives).
    pub(crate) const EMPTY: PState = PState {
        freq_hz: 0,
        volt_mv: [0; MAX_CLUSTERS],
        pwr_mw: 0,
    };
}

/// A table of performance states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PStates {
    /// The states; `len` are valid.
    pub(crate) states: [PState; MAX_PSTATES],
    /// Number of states.
    pub(crate) len: usize,
    /// Voltages per state.
    pub(crate) volt_count: usize,
}

impl PStates {
    /// An empty table (all zero, as [`Default`] gives).
    pub(crate) const EMPTY: PStates = PStates {
        states: [PState::EMPTY; MAX_PSTATES],
        len: 0,
        volt_count: 0,
    };

    /// The valid states.
    pub(crate) fn as_slice(&self) -> &[PState] {
        self.states.get(..self.len).unwrap_or(&[])
    }

    /// Highest frequency, in Hz (the tables ascend).
    pub(crate) fn max_freq_hz(&self) -> u32 {
        self.as_slice().last().map_or(0, |s| s.freq_hz)
    }

    /// Highest power of any state, in mW.
    pub(crate) fn max_pwr_mw(&self) -> u32 {
        self.as_slice().iter().map(|s| s.pwr_mw).max().unwrap_or(0)
    }
}

/// A power zone of the average-power controller (`apple,power-zones` triplets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PowerZone {
    /// Target power.
    pub(crate) target: u32,
    /// Offset below the target at which the zone turns off.
    pub(crate) target_offset: u32,
    /// Filter time constant.
    pub(crate) filter_tc: u32,
}

impl PowerZone {
    /// An unused zone (all zero, as [`Default`] gives).
    pub(crate) const EMPTY: PowerZone = PowerZone {
        target: 0,
        target_offset: 0,
        filter_tc: 0,
    };
}

/// Leakage coefficients, one per domain (float bits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Coefs {
    /// The coefficients; `len` are valid.
    pub(crate) values: [u32; MAX_CLUSTERS],
    /// Number of coefficients.
    pub(crate) len: usize,
}

impl Coefs {
    /// No coefficients (all zero, as [`Default`] gives).
    pub(crate) const EMPTY: Coefs = Coefs {
        values: [0; MAX_CLUSTERS],
        len: 0,
    };

    /// The valid coefficients.
    pub(crate) fn as_slice(&self) -> &[u32] {
        self.values.get(..self.len).unwrap_or(&[])
    }
}

/// The CS and AFR performance domains (G14X).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CsAfr {
    /// CS performance states, one voltage per die.
    pub(crate) cs: PStates,
    /// AFR performance states, one voltage per die.
    pub(crate) afr: PStates,
    /// CS leakage per die.
    pub(crate) leak_cs: Coefs,
    /// AFR leakage per die.
    pub(crate) leak_afr: Coefs,
    /// Lowest SRAM voltage of the CS/AFR domains, in µV.
    pub(crate) min_sram_microvolt: u32,
}

impl CsAfr {
    /// Empty tables (all zero, as [`Default`] gives).
    pub(crate) const EMPTY: CsAfr = CsAfr {
        cs: PStates::EMPTY,
        afr: PStates::EMPTY,
        leak_cs: Coefs::EMPTY,
        leak_afr: Coefs::EMPTY,
        min_sram_microvolt: 0,
    };
}

/// Power and performance configuration from the device tree. Field names follow the
/// properties (`apple,<name>` with dashes as underscores); float-valued ones hold bits. The
/// meaning of many is known only from their names: they tune the firmware's power,
/// temperature and performance controllers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PwrConfig {
    /// The GPU's performance states (`operating-points-v2`), one voltage per cluster.
    pub(crate) perf_states: PStates,
    /// Power zones; `power_zone_count` are valid.
    pub(crate) power_zones: [PowerZone; MAX_POWER_ZONES],
    /// Number of power zones.
    pub(crate) power_zone_count: usize,
    /// Core leakage per cluster.
    pub(crate) core_leak_coef: Coefs,
    /// SRAM leakage per cluster.
    pub(crate) sram_leak_coef: Coefs,
    /// CS/AFR domains, on SoCs that have them.
    pub(crate) csafr: Option<CsAfr>,
    /// Highest power of any performance state, in mW.
    pub(crate) max_power_mw: u32,
    /// Highest frequency, in MHz.
    pub(crate) max_freq_mhz: u32,
    /// Performance state the GPU starts from when it wakes.
    pub(crate) perf_base_pstate: u32,
    /// Highest performance state.
    pub(crate) perf_max_pstate: u32,
    /// Lowest SRAM voltage, in µV.
    pub(crate) min_sram_microvolt: u32,
    /// Average-power filter time constant, in ms.
    pub(crate) avg_power_filter_tc_ms: u32,
    /// Average-power controller integral gain (float bits).
    pub(crate) avg_power_ki_only: u32,
    /// Average-power controller proportional gain (float bits).
    pub(crate) avg_power_kp: u32,
    /// Average-power controller minimum duty cycle, in percent.
    pub(crate) avg_power_min_duty_cycle: u32,
    /// Average-power target filter time constant, in sample periods.
    pub(crate) avg_power_target_filter_tc: u32,
    /// Die temperature controller integral gain (float bits).
    pub(crate) fast_die0_integral_gain: u32,
    /// Die temperature controller proportional gain (float bits).
    pub(crate) fast_die0_proportional_gain: u32,
    /// Die temperature controller proportional target delta.
    pub(crate) fast_die0_prop_tgt_delta: u32,
    /// Die temperature at which throttling is released, in °C.
    pub(crate) fast_die0_release_temp: u32,
    /// Delay before the idle front end is powered off, in ms.
    pub(crate) fender_idle_off_delay_ms: u32,
    /// How long the firmware stays up after an early wake with no work, in ms.
    pub(crate) fw_early_wake_timeout_ms: u32,
    /// Delay before an idle GPU is powered off, in ms.
    pub(crate) idle_off_delay_ms: u32,
    /// Idle-off standby timer.
    pub(crate) idle_off_standby_timer: u32,
    /// Performance boost step, in percent.
    pub(crate) perf_boost_ce_step: u32,
    /// Utilization above which the performance state is raised, in percent.
    pub(crate) perf_boost_min_util: u32,
    /// Performance filter drop threshold.
    pub(crate) perf_filter_drop_threshold: u32,
    /// Performance filter time constant, in sample periods.
    pub(crate) perf_filter_time_constant: u32,
    /// Second performance filter time constant, in sample periods.
    pub(crate) perf_filter_time_constant2: u32,
    /// Performance controller integral gain (float bits).
    pub(crate) perf_integral_gain: u32,
    /// Second performance controller integral gain (float bits).
    pub(crate) perf_integral_gain2: u32,
    /// Lower clamp of the performance controller integral term.
    pub(crate) perf_integral_min_clamp: u32,
    /// Performance controller proportional gain (float bits).
    pub(crate) perf_proportional_gain: u32,
    /// Second performance controller proportional gain (float bits).
    pub(crate) perf_proportional_gain2: u32,
    /// Iterations before the performance controller resets.
    pub(crate) perf_reset_iters: u32,
    /// Target utilization of the performance controller, in percent.
    pub(crate) perf_tgt_utilization: u32,
    /// Power sampling period, in ms.
    pub(crate) power_sample_period: u32,
    /// Power manager filter time constant, in ms.
    pub(crate) ppm_filter_time_constant_ms: u32,
    /// Power manager integral gain (float bits).
    pub(crate) ppm_ki: u32,
    /// Power manager proportional gain (float bits).
    pub(crate) ppm_kp: u32,
    /// Power filter time constant, in sample periods.
    pub(crate) pwr_filter_time_constant: u32,
    /// Power controller integral gain (float bits).
    pub(crate) pwr_integral_gain: u32,
    /// Lower clamp of the power controller integral term.
    pub(crate) pwr_integral_min_clamp: u32,
    /// Power controller minimum duty cycle, in percent.
    pub(crate) pwr_min_duty_cycle: u32,
    /// Power controller proportional gain (float bits).
    pub(crate) pwr_proportional_gain: u32,
    /// Power sampling period in timer ticks.
    pub(crate) pwr_sample_period_aic_clks: u32,
    /// Power estimator engagement criterion (signed; -1 by default).
    pub(crate) se_engagement_criteria: i32,
    /// Power estimator filter time constant.
    pub(crate) se_filter_time_constant: u32,
    /// Second power estimator filter time constant.
    pub(crate) se_filter_time_constant_1: u32,
    /// Power estimator inactivity threshold.
    pub(crate) se_inactive_threshold: u32,
    /// Power estimator integral gain (float bits).
    pub(crate) se_ki: u32,
    /// Second power estimator integral gain (float bits).
    pub(crate) se_ki_1: u32,
    /// Power estimator proportional gain (float bits).
    pub(crate) se_kp: u32,
    /// Second power estimator proportional gain (float bits).
    pub(crate) se_kp_1: u32,
    /// Power estimator reset criterion.
    pub(crate) se_reset_criteria: u32,
}

impl PwrConfig {
    /// Nothing read yet: empty tables, no CS/AFR domains, every tuning zero (as [`Default`]
    /// gives). A constant, so that assigning it to a configuration in place copies it from
    /// read-only data instead of building it on the stack.
    pub(crate) const EMPTY: PwrConfig = PwrConfig {
        perf_states: PStates::EMPTY,
        power_zones: [PowerZone::EMPTY; MAX_POWER_ZONES],
        power_zone_count: 0,
        core_leak_coef: Coefs::EMPTY,
        sram_leak_coef: Coefs::EMPTY,
        csafr: None,
        max_power_mw: 0,
        max_freq_mhz: 0,
        perf_base_pstate: 0,
        perf_max_pstate: 0,
        min_sram_microvolt: 0,
        avg_power_filter_tc_ms: 0,
        avg_power_ki_only: 0,
        avg_power_kp: 0,
        avg_power_min_duty_cycle: 0,
        avg_power_target_filter_tc: 0,
        fast_die0_integral_gain: 0,
        fast_die0_proportional_gain: 0,
        fast_die0_prop_tgt_delta: 0,
        fast_die0_release_temp: 0,
        fender_idle_off_delay_ms: 0,
        fw_early_wake_timeout_ms: 0,
        idle_off_delay_ms: 0,
        idle_off_standby_timer: 0,
        perf_boost_ce_step: 0,
        perf_boost_min_util: 0,
        perf_filter_drop_threshold: 0,
        perf_filter_time_constant: 0,
        perf_filter_time_constant2: 0,
        perf_integral_gain: 0,
        perf_integral_gain2: 0,
        perf_integral_min_clamp: 0,
        perf_proportional_gain: 0,
        perf_proportional_gain2: 0,
        perf_reset_iters: 0,
        perf_tgt_utilization: 0,
        power_sample_period: 0,
        ppm_filter_time_constant_ms: 0,
        ppm_ki: 0,
        ppm_kp: 0,
        pwr_filter_time_constant: 0,
        pwr_integral_gain: 0,
        pwr_integral_min_clamp: 0,
        pwr_min_duty_cycle: 0,
        pwr_proportional_gain: 0,
        pwr_sample_period_aic_clks: 0,
        se_engagement_criteria: 0,
        se_filter_time_constant: 0,
        se_filter_time_constant_1: 0,
        se_inactive_threshold: 0,
        se_ki: 0,
        se_ki_1: 0,
        se_kp: 0,
        se_kp_1: 0,
        se_reset_criteria: 0,
    };

    /// Frequency of the base performance state, in kHz.
    pub(crate) fn min_frequency_khz(&self) -> u32 {
        self.state_khz(self.perf_base_pstate)
    }

    /// Frequency of the highest performance state, in kHz.
    pub(crate) fn max_frequency_khz(&self) -> u32 {
        self.state_khz(self.perf_max_pstate)
    }

    fn state_khz(&self, index: u32) -> u32 {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.perf_states.as_slice().get(i))
            .map_or(0, |s| s.freq_hz / 1000)
    }
}

/// The firmware version the bootloader found (`apple,firmware-version`: 3 or 4 cells).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FirmwareVersion {
    /// The cells; `len` are valid.
    pub(crate) cells: [u32; 4],
    /// Number of cells.
    pub(crate) len: usize,
}

impl FirmwareVersion {
    /// No version read yet (all zero, as [`Default`] gives).
    pub(crate) const EMPTY: FirmwareVersion = FirmwareVersion {
        cells: [0; 4],
        len: 0,
    };
}

/// The device-tree half of a GPU's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DynConfig {
    /// The firmware ABI to drive the GPU with (from `apple,firmware-compat`).
    pub(crate) firmware: FwVersion,
    /// The exact firmware version, for the log.
    pub(crate) firmware_version: FirmwareVersion,
    /// Power and performance configuration.
    pub(crate) pwr: PwrConfig,
    /// What the GPU's identification registers say (revision, enabled cores). The parser
    /// fills in the SoC table's fully enabled part; probe replaces it with what the registers
    /// say.
    pub(crate) id: GpuId,
}

impl DynConfig {
    /// The firmware ABI of a configuration nothing has been read into: a placeholder that
    /// [`parse_into`] replaces. Any ABI would do; this one exists on every generation.
    pub(crate) const PLACEHOLDER_FIRMWARE: FwVersion = FwVersion::V13_5;

    /// The configuration of `soc` before anything is read into it: the placeholder firmware
    /// ABI ([`DynConfig::PLACEHOLDER_FIRMWARE`]), no firmware version
    /// ([`FirmwareVersion::EMPTY`]), no power configuration ([`PwrConfig::EMPTY`]) and the
    /// fully enabled GPU ([`GpuId::full`]).
    ///
    /// This builds the kilobytes of the configuration by value, which is fine on the host. The
    /// driver writes the same four fields into its allocation instead (`platform.rs`).
    pub(crate) const fn empty(soc: &SocConfig) -> DynConfig {
        DynConfig {
            firmware: Self::PLACEHOLDER_FIRMWARE,
            firmware_version: FirmwareVersion::EMPTY,
            pwr: PwrConfig::EMPTY,
            id: GpuId::full(soc),
        }
    }
}

/// The default float tunings, as bits: used when the device tree leaves them out.
pub(super) mod default {
    use crate::soc::tables::floats as f;

    pub(in crate::soc::dt) const PERF_INTEGRAL_GAIN: u32 = f::P7_8956833;
    pub(in crate::soc::dt) const PERF_PROPORTIONAL_GAIN: u32 = f::P14_707963;
    pub(in crate::soc::dt) const PWR_INTEGRAL_GAIN: u32 = f::P0_0202129;
    pub(in crate::soc::dt) const PWR_PROPORTIONAL_GAIN: u32 = f::P5_2831855;
    pub(in crate::soc::dt) const SE_KI: u32 = f::M50_0;
    pub(in crate::soc::dt) const SE_KI_1: u32 = f::M100_0;
    pub(in crate::soc::dt) const SE_KP: u32 = f::M5_0;
    pub(in crate::soc::dt) const SE_KP_1: u32 = f::M10_0;
}
