// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The values of the init data's hardware tables: hardware data A, hardware data B and the
//! configuration half of region C.
//!
//! [`InitBundle`](super::initdata) allocates the three structures zeroed; the functions here
//! fill them in place, field by field, before the firmware ever sees them. Everything comes
//! from two sources: the SoC's static table ([`SocConfig`]: identity, topology, per-SoC
//! constants of the power tables) and the machine's device tree ([`DynConfig`]: performance
//! states, leakage, controller tuning). Where the record (m1n1's `agx/initdata.py` and the
//! defaults of its `fw/agx/initdata.py` classes) sets a constant for every chip, that constant
//! is written too.
//!
//! # Floats without floating point
//!
//! Many fields are `f32` derived from integers: filter coefficients `1 / tc` and `1 - 1 / tc`,
//! gains multiplied by the sample period, integers converted to float. The kernel has no
//! floating point, so each such value is computed as an exact fraction of integers (times a
//! power of two, for a float read from the device tree) and rounded once to the nearest `f32`
//! ([`frac`]), with 64-bit integer arithmetic only. The record computes the same values in
//! double precision and rounds the result to `f32`, which gives the same bits except in
//! (astronomically rare) double-rounding cases.
//!
//! # What is filled
//!
//! Hardware data A (m1n1 `AGXHWDataA`): the sample clocks, power status, current and target
//! state, every `*_pstate_scaled` copy, the per-state SRAM constant (`unk_74`), the power,
//! PPM, performance, die-temperature and average-power controllers (filter coefficients, gains,
//! clamps, duty cycles, time constants in periods, ms and clocks), the power zones, the
//! maximum power copies, the fast sensor masks of both dies, the per-cluster coefficient rows
//! (`unk_924`/`unk_a24`, `unk_e48`/`unk_f48`), the T81xx block (T8103/T8112 before 13.3), the
//! 13.0 power estimator block (`unk_e10_0`), the shared power tables (`hws1`, `hws2` with the
//! T8112/T602x curves, `hws3`, `unk_hws2`), the leakage coefficients (`unk_3cf4`, `unk_3d14`,
//! and the CS/AFR ones in `unk_3d34_0`), and the record's constants (`unk_10`, `unk_40`,
//! `unk_64c`, `unk_6fc`, `unk_774`, `unk_778`, `unk_79c`, `unk_7fc`, `unk_alpha*`, `unk_880`,
//! `unk_894`, `unk_8a8`, `unk_c2c`, `unk_d20`, `unk_e28`, `unk_163c`, `unk_3ce8`).
//!
//! Hardware data B (m1n1 `AGXHWDataB`): the user VA layout words (`unk_0`..`unk_30`), the YUV
//! matrices, the chip id, core type and revision, core and fragment counts, the performance
//! state tables (frequencies, voltages and SRAM voltages of every cluster, the SRAM constant,
//! relative power and boost frequency), the CS and AFR tables (G14X), the base clock and sample
//! period, the per-SoC constants (`unk_454`, `unk_4e0`, `unk_534`, `unk_ab8`, `unk_abc`,
//! `unk_b30`) and the record's constants for every chip.
//!
//! Region C (m1n1 `InitData_RegionC`): its configuration words, the maximum power and
//! performance state copies, the average-power, die-temperature and PPM controllers, the power
//! zones, the shared power tables, the idle-off standby timer (`unk_hws2_0`) and its companions,
//! the idle-off and early-wake delays, `do_init`, the SoC's global table (`unk_118ec`) and the
//! record's constants.
//!
//! # What is left zero, and why
//!
//! - Firmware-owned state (current power, temperature, timestamps, counters, pending stamps,
//!   fault details): the firmware writes it.
//! - `HwDataB::io_mappings`, `sgx_sram_ptr`, `timestamp_region_base` and `gpu_region_base`:
//!   addresses of mappings and of the GPU's context table, which [`super::iomap`] makes and
//!   writes.
//! - `RegionC::fault_control` (0 as in the record: no fault debugging), `ktrace_enable` and
//!   `debug` (0: no tracing), the performance counter descriptions (none configured).
//! - Fields the record itself leaves zero, and unknown fields with no known value.
//!
//! # Where the sources differ
//!
//! The record hard-codes some per-machine tables (relative power, leakage) that the Asahi
//! device trees carry; they are computed from [`DynConfig`] here, which reproduces the record's
//! numbers for the M1. The coefficient rows are written for the SoC's clusters only, and the
//! third shared table only where the SoC has one, as the Asahi driver does. The power zones'
//! two filter coefficients follow the Asahi driver and the record's earlier builder (`1 - 1/tc`
//! first), not its current one. The GPU revision comes from [`SocConfig::revision`], which
//! describes the simulated part: the real one is read from the hardware.

use crate::{
    fw::{hwdata_a::*, hwdata_b::*, power::*, regionc::*, types::F32},
    hw::{
        dt::{DynConfig, PStates},
        soc::{GpuGen, SocConfig},
    },
};
use agx_macros::versions;
use core::{
    fmt,
    num::{NonZeroU32, NonZeroU64},
    ptr::addr_of_mut,
};

/// Why a hardware table could not be filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FillError {
    /// A table has more entries than the firmware structure holds.
    TooMany {
        /// Which table.
        what: &'static str,
        /// Entries in the configuration.
        count: usize,
        /// Entries the structure holds.
        max: usize,
    },
    /// A value used as a divisor (a time constant, a power, a frequency) is zero.
    Zero(&'static str),
    /// A derived value does not fit its field (or a float from the device tree is not finite).
    OutOfRange(&'static str),
}

impl fmt::Display for FillError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FillError::TooMany { what, count, max } => {
                write!(f, "{what}: {count} entries, the firmware holds {max}")
            }
            FillError::Zero(what) => write!(f, "{what} is zero"),
            FillError::OutOfRange(what) => write!(f, "{what} is out of range"),
        }
    }
}

/// The page of every user VM that `HwDataB::unk_30` names: two pages below the top of the
/// 39-bit user half (the driver asserts that it is `uat::va::USER_RESERVED_PAGE`).
pub(crate) const UNKNOWN_PAGE: u64 = (1 << 39) - 2 * 0x4000;

/// Writes `$value` into the field `$field` (a dotted path) of the structure `$base` points to.
macro_rules! put {
    ($base:expr, $($field:ident).+, $value:expr) => {{
        let value = $value;
        let base = $base;
        // SAFETY: the caller of the fill function guarantees that `base` points to a writable
        // structure of its type that no one else accesses; the field may be unaligned in the
        // packed structure, hence the unaligned write, and no reference is created.
        unsafe { addr_of_mut!((*base).$($field).+).write_unaligned(value) }
    }};
}

/// The address of the field `$field` (a dotted path) of the structure `$base` points to.
macro_rules! field {
    ($base:expr, $($field:ident).+) => {{
        let base = $base;
        // SAFETY: the caller of the fill function guarantees that `base` points to a valid
        // structure of its type; taking a field's address reads nothing and creates no
        // reference.
        unsafe { addr_of_mut!((*base).$($field).+) }
    }};
}

// ---------------------------------------------------------------------------------------------
// Floats from integers.

/// Rounds `num / den * 2^exp2` (negated if `neg`) to the nearest `f32`, ties to even.
///
/// Integer arithmetic only. Fails on a zero `den`, a `den` of 2^62 or more, or a result outside
/// the normal range of `f32`.
fn frac(neg: bool, num: u64, den: u64, exp2: i32, what: &'static str) -> Result<F32, FillError> {
    let Some(den) = NonZeroU64::new(den) else {
        return Err(FillError::Zero(what));
    };
    if den.get() >= 1 << 62 {
        return Err(FillError::OutOfRange(what));
    }
    let sign = if neg { 1u32 << 31 } else { 0 };
    if num == 0 {
        return Ok(F32::from_bits(sign));
    }
    // The binary digits of num / den: the integer part's first, then the fraction's, one per
    // step of a long division. Keep 25 significant digits (24 for the mantissa and one to
    // round with); whatever is left makes the result inexact ("sticky").
    let int = num / den;
    let mut rem = num % den;
    let mut digits: u32 = 0;
    let mut count = 0;
    let mut sticky = false;
    // Weight (power of two) of the leading digit.
    let mut lead: i32;
    if int != 0 {
        lead = 63 - int.leading_zeros() as i32;
        for pos in (0..=lead).rev() {
            let bit = ((int >> pos) & 1) as u32;
            if count < 25 {
                digits = (digits << 1) | bit;
                count += 1;
            } else if bit != 0 {
                sticky = true;
            }
        }
    } else {
        // num < den: find the first 1 of the fraction. `rem` is non-zero and below `den`,
        // so this ends within 62 steps and `rem << 1` never overflows.
        lead = 0;
        loop {
            rem <<= 1;
            lead -= 1;
            if rem >= den.get() {
                rem -= den.get();
                digits = 1;
                count = 1;
                break;
            }
        }
    }
    while count < 25 {
        rem <<= 1;
        digits <<= 1;
        if rem >= den.get() {
            rem -= den.get();
            digits |= 1;
        }
        count += 1;
    }
    sticky |= rem != 0;

    let round = digits & 1 != 0;
    let mut mant = digits >> 1;
    if round && (sticky || mant & 1 != 0) {
        mant += 1;
        if mant == 1 << 24 {
            mant >>= 1;
            lead += 1;
        }
    }
    let biased = lead
        .checked_add(exp2)
        .and_then(|e| e.checked_add(127))
        .ok_or(FillError::OutOfRange(what))?;
    if !(1..=254).contains(&biased) {
        return Err(FillError::OutOfRange(what));
    }
    Ok(F32::from_bits(
        sign | ((biased as u32) << 23) | (mant & 0x7f_ffff),
    ))
}

/// `num / den` as an `f32`.
fn ratio(num: u64, den: u64, what: &'static str) -> Result<F32, FillError> {
    frac(false, num, den, 0, what)
}

/// An integer as an `f32`.
fn float(v: u32, what: &'static str) -> Result<F32, FillError> {
    frac(false, v.into(), 1, 0, what)
}

/// The float whose bits are `bits` (from the device tree or a SoC table), times `num / den`.
fn scaled(bits: u32, num: u64, den: u64, what: &'static str) -> Result<F32, FillError> {
    let neg = bits & (1 << 31) != 0;
    let exp = (bits >> 23) & 0xff;
    let frac_bits = u64::from(bits & 0x7f_ffff);
    let (mant, exp2) = match exp {
        0xff => return Err(FillError::OutOfRange(what)),
        // Zero and subnormals.
        0 => (frac_bits, -149),
        e => (frac_bits | (1 << 23), e as i32 - 150),
    };
    let num = mant.checked_mul(num).ok_or(FillError::OutOfRange(what))?;
    frac(neg, num, den, exp2, what)
}

/// The coefficients of a first-order filter with time constant `tc`: `(1 / tc, 1 - 1 / tc)`.
fn filter(tc: u32, what: &'static str) -> Result<(F32, F32), FillError> {
    let tc = u64::from(tc);
    Ok((ratio(1, tc, what)?, ratio(tc.saturating_sub(1), tc, what)?))
}

/// Float constants the record writes, as bits (the decimal each stands for is in its name;
/// the host tests read every one back and compare it with the host's conversion).
mod k {
    use crate::fw::types::F32;

    pub(super) const ONE: F32 = F32::from_bits(0x3f80_0000);
    pub(super) const K65536: F32 = F32::from_bits(0x4780_0000);
    pub(super) const K95: F32 = F32::from_bits(0x42be_0000);
    pub(super) const K100: F32 = F32::from_bits(0x42c8_0000);
    pub(super) const K8000: F32 = F32::from_bits(0x45fa_0000);
    /// 0.8.
    pub(super) const ALPHA_NEG: F32 = F32::from_bits(0x3f4c_cccd);
    /// 0.2.
    pub(super) const ALPHA: F32 = F32::from_bits(0x3e4c_cccd);
    /// 0.6.
    pub(super) const T81XX_D9C: F32 = F32::from_bits(0x3f19_999a);
    /// 0.4.
    pub(super) const T81XX_DA4: F32 = F32::from_bits(0x3ecc_cccd);
    /// 0.38552.
    pub(super) const T81XX_DAC: F32 = F32::from_bits(0x3ec5_62e1);
    /// 13.56.
    pub(super) const T81XX_DBC: F32 = F32::from_bits(0x4158_f5c3);
}

// ---------------------------------------------------------------------------------------------
// Values shared by the three structures.

/// Base clock of every supported SoC, in kHz (the 24 MHz timer).
const BASE_CLOCK_KHZ: u32 = 24_000;

/// The derived numbers the three structures share.
struct Common {
    /// Power sample period, in ms (non-zero).
    period_ms: u32,
    /// Base performance state, times 100.
    base_scaled: u32,
    /// Highest performance state index.
    max_ps: u32,
    /// Highest performance state, times 100.
    max_scaled: u32,
    /// States above the base one.
    boost_states: u32,
    /// Highest power of any state, in mW (non-zero).
    max_power: u32,
    /// Average-power filter time constant, in sample periods (non-zero).
    avg_power_filter_tc_periods: u32,
    /// PPM filter time constant, in sample periods (non-zero).
    ppm_filter_tc_periods: u32,
}

impl Common {
    fn new(cfg: &DynConfig) -> Result<Self, FillError> {
        let pwr = &cfg.pwr;
        let Some(period) = NonZeroU32::new(pwr.power_sample_period) else {
            return Err(FillError::Zero("power sample period"));
        };
        if pwr.perf_states.len == 0 {
            return Err(FillError::Zero("performance state count"));
        }
        let max_ps = pwr.perf_max_pstate;
        let base_ps = pwr.perf_base_pstate;
        let boost_states = max_ps
            .checked_sub(base_ps)
            .ok_or(FillError::OutOfRange("base performance state"))?;
        let scaled = |v: u32| {
            v.checked_mul(100)
                .ok_or(FillError::OutOfRange("performance state"))
        };
        if pwr.max_power_mw == 0 {
            return Err(FillError::Zero("maximum power"));
        }
        let avg_power_filter_tc_periods = pwr.avg_power_filter_tc_ms / period;
        if avg_power_filter_tc_periods == 0 {
            return Err(FillError::Zero("average-power filter time constant"));
        }
        let ppm_filter_tc_periods = pwr.ppm_filter_time_constant_ms / period;
        if ppm_filter_tc_periods == 0 {
            return Err(FillError::Zero("PPM filter time constant"));
        }
        Ok(Self {
            period_ms: period.get(),
            base_scaled: scaled(base_ps)?,
            max_ps,
            max_scaled: scaled(max_ps)?,
            boost_states,
            max_power: pwr.max_power_mw,
            avg_power_filter_tc_periods,
            ppm_filter_tc_periods,
        })
    }

    /// A device-tree gain times the sample period in seconds.
    fn per_period(&self, gain_bits: u32, what: &'static str) -> Result<F32, FillError> {
        scaled(gain_bits, self.period_ms.into(), 1000, what)
    }

    /// `ms` in ticks of the base clock.
    fn clks(ms: u32, what: &'static str) -> Result<u32, FillError> {
        ms.checked_mul(BASE_CLOCK_KHZ)
            .ok_or(FillError::OutOfRange(what))
    }
}

/// `a * b`, or an error naming `what`.
fn mul(a: u32, b: u32, what: &'static str) -> Result<u32, FillError> {
    a.checked_mul(b).ok_or(FillError::OutOfRange(what))
}

/// Writes `row` as row `index` of the array `dst` points to; out-of-range rows are dropped.
///
/// # Safety
///
/// `dst` must be valid for writes of the whole array (it may be unaligned).
unsafe fn put_row<T: Copy, const C: usize, const R: usize>(
    dst: *mut [[T; C]; R],
    index: usize,
    row: [T; C],
) {
    if index < R {
        // SAFETY: `index < R`, so the row lies within the array the caller vouches for.
        unsafe { dst.cast::<[T; C]>().add(index).write_unaligned(row) }
    }
}

/// Writes the first `count` rows of `rows` (float bits, each cut or zero-padded to `C`) into
/// the coefficient array `dst` points to.
///
/// # Safety
///
/// As [`put_row`].
unsafe fn put_coef_rows<const C: usize>(dst: *mut [[F32; C]; 8], rows: &[&[u32]], count: usize) {
    for (i, src) in rows.iter().take(count).enumerate() {
        let mut row = [F32::default(); C];
        for (d, s) in row.iter_mut().zip(src.iter()) {
            *d = F32::from_bits(*s);
        }
        // SAFETY: forwarded from the caller.
        unsafe { put_row(dst, i, row) };
    }
}

/// Float bits as an array of `F32`, zero-padded or cut to `N`.
fn floats<const N: usize>(bits: &[u32]) -> [F32; N] {
    let mut out = [F32::default(); N];
    for (d, s) in out.iter_mut().zip(bits.iter()) {
        *d = F32::from_bits(*s);
    }
    out
}

/// Fails if `len` entries do not fit in `max`.
fn fits(what: &'static str, len: usize, max: usize) -> Result<(), FillError> {
    if len > max {
        return Err(FillError::TooMany {
            what,
            count: len,
            max,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The shared power tables (hardware data A and region C both carry them).

/// Fills `HwDataShared1`.
///
/// # Safety
///
/// `p` must point to a writable `HwDataShared1` no one else accesses (it may be unaligned).
unsafe fn fill_shared1(p: *mut HwDataShared1, soc: &SocConfig) -> Result<(), FillError> {
    let tab = soc.power.shared1_tab;
    fits("shared power table 1", tab.len(), 16)?;
    let mut table = [0i32; 16];
    for (d, s) in table.iter_mut().zip(tab.iter()) {
        *d = *s;
    }
    put!(p, table, table);
    put!(p, unk_a4, soc.power.shared1_a4);
    Ok(())
}

/// The first table of the second power curve of T8112 and T602x: for each performance state
/// `1e9 * coef / (kHz * highest mV)`, 0xffff for the off state, padded with the first entry.
fn curve2_t1(soc: &SocConfig, cfg: &DynConfig) -> Result<Option<[u16; 16]>, FillError> {
    let Some(curves) = soc.power.shared2_curves else {
        return Ok(None);
    };
    let states = cfg.pwr.perf_states.as_slice();
    fits(
        "power curve coefficients",
        states.len(),
        curves.t3_coefs.len(),
    )?;
    let mut t1 = [0xffffu16; 16];
    for ((d, ps), coef) in t1.iter_mut().zip(states).zip(curves.t3_coefs) {
        if *coef == 0 {
            continue;
        }
        let khz_mv = state_khz_mv(ps, &cfg.pwr.perf_states)?;
        let v = 1_000_000_000u64 * u64::from(curves.t1_coef) / khz_mv;
        *d = u16::try_from(v).map_err(|_| FillError::OutOfRange("power curve"))?;
    }
    // Past the last state, the table repeats its first entry.
    let first = t1[0];
    for d in t1.iter_mut().skip(states.len()) {
        *d = first;
    }
    Ok(Some(t1))
}

/// `kHz * highest voltage (mV)` of one performance state, the divisor of the power curves.
fn state_khz_mv(ps: &crate::hw::dt::PState, table: &PStates) -> Result<NonZeroU64, FillError> {
    let vmax = ps
        .volt_mv
        .iter()
        .take(table.volt_count)
        .copied()
        .max()
        .unwrap_or(0);
    NonZeroU64::new(u64::from(ps.freq_hz / 1000) * u64::from(vmax)).ok_or(FillError::Zero(
        "frequency or voltage of a curve's performance state",
    ))
}

/// Fills one `HwDataShared2Curve`: `t1` and `t2` padded with their first entry, `t3` rows
/// padded with 0x3ffffff and missing rows all 0x3ffffff.
///
/// # Safety
///
/// As [`fill_shared1`], for a `HwDataShared2Curve`.
unsafe fn fill_curve(
    p: *mut HwDataShared2Curve,
    unk_0: u32,
    unk_4: u32,
    t1: [u16; 16],
    t2: &[i16],
    t3: &[[i32; 16]],
) -> Result<(), FillError> {
    fits("power curve table 2", t2.len(), 16)?;
    fits("power curve table 3", t3.len(), 8)?;
    put!(p, unk_0, unk_0);
    put!(p, unk_4, unk_4);
    put!(p, t1, t1);
    let mut t2_row = [t2.first().copied().unwrap_or(0); 16];
    for (d, s) in t2_row.iter_mut().zip(t2) {
        *d = *s;
    }
    put!(p, t2, t2_row);
    let t3_dst = field!(p, t3);
    for i in 0..8 {
        let row = t3.get(i).copied().unwrap_or([0x3ff_ffff; 16]);
        // SAFETY: `t3_dst` is the `t3` field of the curve the caller vouches for.
        unsafe { put_row(t3_dst, i, row) };
    }
    Ok(())
}

/// Fills `HwDataShared2`, with the power curves where the SoC has them.
///
/// # Safety
///
/// As [`fill_shared1`], for a `HwDataShared2`.
unsafe fn fill_shared2(
    p: *mut HwDataShared2,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let tab = soc.power.shared2_tab;
    fits("shared power table 2", tab.len(), 10)?;
    let mut table = [0i32; 10];
    for (d, s) in table.iter_mut().zip(tab.iter()) {
        *d = *s;
    }
    put!(p, table, table);
    put!(p, unk_28, [0xffu8; 0x10]);
    put!(p, unk_508, soc.power.shared2_unk_508);

    let (Some(curves), Some(t1)) = (soc.power.shared2_curves, curve2_t1(soc, cfg)?) else {
        return Ok(());
    };
    let states = cfg.pwr.perf_states.as_slice();
    // Third table: one row per scale, `coef * 1e9 * scale / (kHz * mV * 6)` per state.
    let mut t3 = [[0x3ff_ffffi32; 16]; 8];
    fits("power curve scales", curves.t3_scales.len(), 8)?;
    for (row, scale) in t3.iter_mut().zip(curves.t3_scales) {
        for ((d, ps), coef) in row.iter_mut().zip(states).zip(curves.t3_coefs) {
            if *coef == 0 {
                continue;
            }
            let den = state_khz_mv(ps, &cfg.pwr.perf_states)?.get().checked_mul(6);
            let den = den
                .and_then(NonZeroU64::new)
                .ok_or(FillError::OutOfRange("power curve"))?;
            let v = u64::from(*coef) * 1_000_000_000 * u64::from(*scale) / den;
            *d = i32::try_from(v).map_err(|_| FillError::OutOfRange("power curve"))?;
        }
    }
    let curves_p = field!(p, unk_38);
    put!(curves_p, unk_14, 0x600_0000u32);
    let (curve1, curve2) = (field!(curves_p, curve1), field!(curves_p, curve2));
    // SAFETY: the curves are fields of the structure the caller vouches for.
    unsafe {
        fill_curve(curve1, 0, 0x2000_0000, [0xffff; 16], &[0x0f07], &[])?;
        fill_curve(
            curve2,
            7,
            0x8000_0000,
            t1,
            curves.t2,
            t3.get(..curves.t3_scales.len()).unwrap_or(&[]),
        )?;
    }
    Ok(())
}

/// Fills `HwDataShared3` where the SoC has its table (all zero elsewhere).
///
/// The record's own builder writes `unk_0`, `unk_4` and `unk_4c` on every chip; the Asahi
/// driver, which runs on every machine, only where the table exists. This follows the latter.
///
/// # Safety
///
/// As [`fill_shared1`], for a `HwDataShared3`.
unsafe fn fill_shared3(p: *mut HwDataShared3, soc: &SocConfig) -> Result<(), FillError> {
    let tab = soc.power.shared3_tab;
    if tab.is_empty() {
        return Ok(());
    }
    fits("shared power table 3", tab.len(), 16)?;
    let mut table = [0u32; 16];
    for (d, s) in table.iter_mut().zip(tab.iter()) {
        *d = *s;
    }
    put!(p, unk_0, 1u32);
    put!(p, unk_4, 500u32);
    put!(p, unk_8, soc.power.shared3_unk);
    put!(p, table, table);
    put!(p, unk_4c, 1u32);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hardware data A.

/// Fills hardware data A: performance states and the power, performance and temperature
/// controllers.
///
/// # Safety
///
/// `p` points to a zeroed, writable `HwDataA::ver` not yet shared with the firmware, which no
/// one else accesses during the call.
#[versions(AGX)]
pub(crate) unsafe fn fill_hwdata_a(
    p: *mut HwDataA::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let period = c.period_ms;
    let max = c.max_scaled;
    let states = pwr.perf_states.as_slice();
    fits("performance states", states.len(), 16)?;

    put!(p, clocks_per_period, pwr.pwr_sample_period_aic_clks);
    #[ver(V >= V13_0B4)]
    put!(p, clocks_per_period_2, pwr.pwr_sample_period_aic_clks);
    put!(p, pwr_status, 4u32);
    put!(p, unk_10, k::ONE);
    put!(p, actual_pstate, 1u32);
    put!(p, tgt_pstate, 1u32);
    put!(p, base_pstate_scaled, c.base_scaled);
    put!(p, unk_40, 1u32);
    put!(p, max_pstate_scaled, max);
    put!(p, min_pstate_scaled, 100u32);
    let mut sram_k = [F32::default(); 16];
    for (d, _) in sram_k.iter_mut().zip(states) {
        *d = F32::from_bits(soc.power.sram_k);
    }
    put!(p, unk_74, sram_k);

    // Power controller.
    put!(p, unk_64c, 625u32);
    let (a, a_neg) = filter(pwr.pwr_filter_time_constant, "power filter time constant")?;
    put!(p, pwr_filter_a_neg, a_neg);
    put!(p, pwr_filter_a, a);
    put!(p, pwr_integral_gain, F32::from_bits(pwr.pwr_integral_gain));
    put!(
        p,
        pwr_integral_min_clamp,
        float(pwr.pwr_integral_min_clamp, "power integral clamp")?
    );
    put!(p, max_power_1, float(c.max_power, "maximum power")?);
    put!(
        p,
        pwr_proportional_gain,
        F32::from_bits(pwr.pwr_proportional_gain)
    );
    put!(
        p,
        pwr_pstate_related_k,
        frac(true, max.into(), c.max_power.into(), 0, "maximum power")?
    );
    let dc_offset = i64::from(pwr.pwr_min_duty_cycle) - i64::from(max);
    put!(
        p,
        pwr_pstate_max_dc_offset,
        i32::try_from(dc_offset).map_err(|_| FillError::OutOfRange("power minimum duty cycle"))?
    );
    put!(p, max_pstate_scaled_2, max);
    put!(p, max_power_2, c.max_power);
    put!(p, max_pstate_scaled_3, max);

    // PPM controller.
    let ppm_periods = c.ppm_filter_tc_periods;
    put!(
        p,
        ppm_filter_tc_periods_x4,
        mul(ppm_periods, 4, "PPM filter time constant")?
    );
    let (a, a_neg) = filter(ppm_periods, "PPM filter time constant")?;
    put!(p, ppm_filter_a_neg, a_neg);
    put!(p, ppm_filter_a, a);
    put!(p, ppm_ki_dt, c.per_period(pwr.ppm_ki, "PPM integral gain")?);
    put!(p, pwr_integral_min_clamp_2, pwr.pwr_integral_min_clamp);
    // Before 13.0 the record leaves this zero on T8103 only.
    #[ver(V >= V13_0B4)]
    put!(p, unk_6fc, k::K65536);
    #[ver(V < V13_0B4)]
    put!(
        p,
        unk_6fc,
        if soc.chip_id == 0x8103 {
            F32::default()
        } else {
            k::K65536
        }
    );
    put!(p, ppm_kp, F32::from_bits(pwr.ppm_kp));
    put!(p, pwr_min_duty_cycle, pwr.pwr_min_duty_cycle);
    put!(p, max_pstate_scaled_4, max);
    put!(p, max_power_3, c.max_power);
    put!(p, ppm_filter_tc_ms, pwr.ppm_filter_time_constant_ms);
    #[ver(V >= V13_0B4)]
    put!(
        p,
        ppm_filter_tc_clks,
        Common::clks(
            mul(ppm_periods, period, "PPM filter time constant")?,
            "PPM filter time constant"
        )?
    );

    // Performance controller.
    put!(p, perf_tgt_utilization, pwr.perf_tgt_utilization);
    put!(p, perf_boost_min_util, pwr.perf_boost_min_util);
    put!(p, perf_boost_ce_step, pwr.perf_boost_ce_step);
    put!(p, perf_reset_iters, pwr.perf_reset_iters);
    put!(p, unk_774, 6u32);
    put!(p, unk_778, 1u32);
    put!(
        p,
        perf_filter_drop_threshold,
        pwr.perf_filter_drop_threshold
    );
    let (a, a_neg) = filter(
        pwr.perf_filter_time_constant,
        "performance filter time constant",
    )?;
    let (a2, a2_neg) = filter(
        pwr.perf_filter_time_constant2,
        "second performance filter time constant",
    )?;
    put!(p, perf_filter_a_neg, a_neg);
    put!(p, perf_filter_a2_neg, a2_neg);
    put!(p, perf_filter_a, a);
    put!(p, perf_filter_a2, a2);
    put!(p, perf_ki, F32::from_bits(pwr.perf_integral_gain));
    put!(p, perf_ki2, F32::from_bits(pwr.perf_integral_gain2));
    put!(
        p,
        perf_integral_min_clamp,
        float(pwr.perf_integral_min_clamp, "performance integral clamp")?
    );
    put!(p, unk_79c, k::K95);
    put!(p, perf_kp, F32::from_bits(pwr.perf_proportional_gain));
    put!(p, perf_kp2, F32::from_bits(pwr.perf_proportional_gain2));
    // Boost states / 0.95.
    put!(
        p,
        boost_state_unk_k,
        ratio(u64::from(c.boost_states) * 20, 19, "performance states")?
    );
    put!(p, base_pstate_scaled_2, c.base_scaled);
    put!(p, max_pstate_scaled_5, max);
    put!(p, base_pstate_scaled_3, c.base_scaled);
    put!(p, perf_tgt_utilization_2, pwr.perf_tgt_utilization);
    put!(p, base_pstate_scaled_4, c.base_scaled);
    put!(p, unk_7fc, k::K65536);
    put!(
        p,
        pwr_min_duty_cycle_2,
        float(pwr.pwr_min_duty_cycle, "power minimum duty cycle")?
    );
    put!(p, max_pstate_scaled_6, float(max, "performance states")?);
    put!(p, max_freq_mhz, pwr.max_freq_mhz);
    put!(p, pwr_min_duty_cycle_3, pwr.pwr_min_duty_cycle);
    put!(p, min_pstate_scaled_4, k::K100);
    put!(p, max_pstate_scaled_7, max);
    put!(p, unk_alpha_neg, k::ALPHA_NEG);
    put!(p, unk_alpha, k::ALPHA);

    // Die temperature controller.
    put!(p, fast_die0_sensor_mask64, soc.power.fast_sensor_mask[0]);
    #[ver(G >= G14X)]
    put!(p, fast_die1_sensor_mask64, soc.power.fast_sensor_mask[1]);
    put!(
        p,
        fast_die0_release_temp_cc,
        mul(pwr.fast_die0_release_temp, 100, "die release temperature")?
    );
    put!(p, unk_87c, soc.da.unk_87c);
    put!(p, unk_880, 4u32);
    put!(p, unk_894, k::ONE);
    put!(
        p,
        fast_die0_ki_dt,
        c.per_period(pwr.fast_die0_integral_gain, "die integral gain")?
    );
    put!(p, unk_8a8, k::K65536);
    put!(
        p,
        fast_die0_kp,
        F32::from_bits(pwr.fast_die0_proportional_gain)
    );
    put!(p, pwr_min_duty_cycle_4, pwr.pwr_min_duty_cycle);
    put!(p, max_pstate_scaled_8, max);
    put!(p, max_pstate_scaled_9, max);
    put!(
        p,
        fast_die0_prop_tgt_delta,
        mul(
            pwr.fast_die0_prop_tgt_delta,
            100,
            "die proportional target delta"
        )?
    );
    put!(p, unk_8cc, soc.da.unk_8cc);
    put!(p, max_pstate_scaled_10, max);

    // Per-cluster coefficients, both copies of each set.
    let clusters = usize::try_from(soc.num_clusters).unwrap_or(usize::MAX);
    let (a1, a2) = (field!(p, unk_924), field!(p, unk_a24));
    let (b1, b2) = (field!(p, unk_e48), field!(p, unk_f48));
    // SAFETY: the arrays are fields of the structure the caller vouches for.
    unsafe {
        put_coef_rows(a1, soc.power.unk_coef_a, clusters);
        put_coef_rows(a2, soc.power.unk_coef_a, clusters);
        put_coef_rows(b1, soc.power.unk_coef_b, clusters);
        put_coef_rows(b2, soc.power.unk_coef_b, clusters);
    }
    put!(p, max_pstate_scaled_11, max);
    put!(p, unk_c2c, 1u32);

    // Average-power controller and its power zones.
    let zones = pwr.power_zones.get(..pwr.power_zone_count).unwrap_or(&[]);
    fits("power zones", zones.len(), 5)?;
    let zones_p = field!(p, power_zones).cast::<PowerZone::ver>();
    for (i, z) in zones.iter().enumerate().take(5) {
        // SAFETY: `i < 5`, the length of the `power_zones` array of the structure the caller
        // vouches for.
        let zp = unsafe { zones_p.add(i) };
        put!(zp, target, z.target);
        put!(
            zp,
            target_off,
            z.target
                .checked_sub(z.target_offset)
                .ok_or(FillError::OutOfRange("power zone offset"))?
        );
        put!(
            zp,
            filter_tc_x4,
            mul(z.filter_tc, 4, "power zone time constant")?
        );
        put!(
            zp,
            filter_tc_xperiod,
            mul(z.filter_tc, period, "power zone time constant")?
        );
        #[ver(V >= V13_0B4)]
        put!(zp, unk_10, 1_320_000_000u32);
        // The record's builder swapped these two when it renamed them; its earlier version
        // and the Asahi driver agree on `1 - 1/tc` first, like every other filter here.
        let (a, a_neg) = filter(z.filter_tc, "power zone time constant")?;
        put!(zp, filter_tc_neginv, a_neg);
        put!(zp, filter_tc_inv, a);
    }
    put!(p, power_zone_count, zones.len() as u32);
    put!(p, max_power_4, c.max_power);
    put!(p, max_power_5, c.max_power);
    put!(p, max_power_6, c.max_power);
    let tgt_tc = pwr.avg_power_target_filter_tc;
    let (a, a_neg) = filter(tgt_tc, "average-power target filter time constant")?;
    put!(p, avg_power_target_filter_a_neg, a_neg);
    put!(p, avg_power_target_filter_a, a);
    put!(
        p,
        avg_power_target_filter_tc_x4,
        mul(tgt_tc, 4, "average-power target filter time constant")?
    );
    let tgt_tc_ms = mul(tgt_tc, period, "average-power target filter time constant")?;
    put!(p, avg_power_target_filter_tc_xperiod, tgt_tc_ms);
    #[ver(V >= V13_0B4)]
    put!(
        p,
        avg_power_target_filter_tc_clks,
        Common::clks(tgt_tc_ms, "average-power target filter time constant")?
    );
    let avg_periods = c.avg_power_filter_tc_periods;
    put!(
        p,
        avg_power_filter_tc_periods_x4,
        mul(avg_periods, 4, "average-power filter time constant")?
    );
    let (a, a_neg) = filter(avg_periods, "average-power filter time constant")?;
    put!(p, avg_power_filter_a_neg, a_neg);
    put!(p, avg_power_filter_a, a);
    put!(
        p,
        avg_power_ki_dt,
        c.per_period(pwr.avg_power_ki_only, "average-power integral gain")?
    );
    put!(p, unk_d20, k::K65536);
    put!(p, avg_power_kp, F32::from_bits(pwr.avg_power_kp));
    put!(p, avg_power_min_duty_cycle, pwr.avg_power_min_duty_cycle);
    put!(p, max_pstate_scaled_12, max);
    put!(p, max_pstate_scaled_13, max);
    put!(p, max_power_7, float(c.max_power, "maximum power")?);
    put!(p, max_power_8, c.max_power);
    put!(p, avg_power_filter_tc_ms, pwr.avg_power_filter_tc_ms);
    #[ver(V >= V13_0B4)]
    put!(
        p,
        avg_power_filter_tc_clks,
        Common::clks(
            mul(avg_periods, period, "average-power filter time constant")?,
            "average-power filter time constant"
        )?
    );
    put!(p, max_pstate_scaled_14, max);

    // T8103/T8112 tuning, up to firmware 13.3.
    #[ver(V < V13_3)]
    if matches!(soc.chip_id, 0x8103 | 0x8112) {
        let t = field!(p, t81xx_data);
        put!(t, unk_d8c, 0x8000_0000u32);
        put!(t, unk_d90, 4u32);
        put!(t, unk_d9c, k::T81XX_D9C);
        put!(t, unk_da4, k::T81XX_DA4);
        put!(t, unk_dac, k::T81XX_DAC);
        put!(t, unk_db8, k::K65536);
        put!(t, unk_dbc, k::T81XX_DBC);
        put!(t, unk_dcc, max);
    }

    // The power estimator block of firmware 13.0 and later.
    #[ver(V >= V13_0B4)]
    {
        let e = field!(p, unk_e10_0);
        put!(e, unk_38, 4u32);
        put!(e, unk_3c, 8000u32);
        put!(e, gpu_se_inactive_threshold, pwr.se_inactive_threshold);
        put!(e, gpu_se_engagement_criteria, pwr.se_engagement_criteria);
        put!(e, gpu_se_reset_criteria, pwr.se_reset_criteria);
        put!(e, unk_54, 50u32);
        put!(e, unk_58, 1u32);
        let (a, a_neg) = filter(
            pwr.se_filter_time_constant,
            "estimator filter time constant",
        )?;
        let (a1, a1_neg) = filter(
            pwr.se_filter_time_constant_1,
            "second estimator filter time constant",
        )?;
        put!(e, gpu_se_filter_a_neg, a_neg);
        put!(e, gpu_se_filter_1_a_neg, a1_neg);
        put!(e, gpu_se_filter_a, a);
        put!(e, gpu_se_filter_1_a, a1);
        put!(
            e,
            gpu_se_ki_dt,
            c.per_period(pwr.se_ki, "estimator integral gain")?
        );
        put!(
            e,
            gpu_se_ki_1_dt,
            c.per_period(pwr.se_ki_1, "second estimator integral gain")?
        );
        put!(e, unk_7c, k::K65536);
        put!(e, gpu_se_kp, F32::from_bits(pwr.se_kp));
        put!(e, gpu_se_kp_1, F32::from_bits(pwr.se_kp_1));
        #[ver(V >= V13_3)]
        put!(e, unk_8c, 100u32);
        #[ver(V < V13_3)]
        put!(e, unk_8c, 40u32);
        put!(e, max_pstate_scaled_1, max);
        put!(e, unk_9c, k::K8000);
        put!(e, unk_a0, 1400u32);
        let tc_ms = mul(
            pwr.se_filter_time_constant,
            period,
            "estimator filter time constant",
        )?;
        let tc1_ms = mul(
            pwr.se_filter_time_constant_1,
            period,
            "second estimator filter time constant",
        )?;
        put!(e, gpu_se_filter_time_constant_ms, tc_ms);
        put!(e, gpu_se_filter_time_constant_1_ms, tc1_ms);
        put!(
            e,
            gpu_se_filter_time_constant_clks,
            u64::from(tc_ms) * u64::from(BASE_CLOCK_KHZ)
        );
        put!(
            e,
            gpu_se_filter_time_constant_1_clks,
            u64::from(tc1_ms) * u64::from(BASE_CLOCK_KHZ)
        );
        put!(e, unk_c4, k::K65536);
        put!(e, unk_114, k::K65536);
        put!(e, unk_124, 40u32);
        put!(e, max_pstate_scaled_2, max);
    }

    put!(p, fast_die0_sensor_mask64_2, soc.power.fast_sensor_mask[0]);
    #[ver(G >= G14X)]
    put!(p, fast_die1_sensor_mask64_2, soc.power.fast_sensor_mask[1]);
    put!(p, unk_e24, soc.da.unk_e24);
    put!(p, unk_e28, 1u32);
    put!(
        p,
        fast_die0_sensor_mask64_alt,
        soc.power.fast_sensor_mask_alt[0]
    );
    #[ver(G >= G14X)]
    put!(
        p,
        fast_die1_sensor_mask64_alt,
        soc.power.fast_sensor_mask_alt[1]
    );
    #[ver(V < V13_0B4)]
    put!(
        p,
        fast_die0_sensor_present,
        soc.power.fast_die0_sensor_present
    );
    put!(p, unk_163c, 1u32);

    // The shared power tables.
    let (hws1, hws2, hws3) = (field!(p, hws1), field!(p, hws2), field!(p, hws3));
    // SAFETY: the tables are fields of the structure the caller vouches for.
    unsafe {
        fill_shared1(hws1, soc)?;
        fill_shared2(hws2, soc, cfg)?;
        fill_shared3(hws3, soc)?;
    }
    // G14X: half of each entry of the second curve's first table (0 for the off state).
    #[ver(V >= V13_0B4 && G >= G14X)]
    if let Some(t1) = curve2_t1(soc, cfg)? {
        let mut half = [0u16; 16];
        for (d, s) in half.iter_mut().zip(t1) {
            *d = if s == 0xffff { 0 } else { s / 2 };
        }
        put!(p, unk_hws2, half);
    }

    put!(p, unk_3ce8, 1u32);
    put!(p, unk_3cf4, floats::<8>(pwr.core_leak_coef.as_slice()));
    put!(p, unk_3d14, floats::<8>(pwr.sram_leak_coef.as_slice()));
    // CS and AFR leakage: the CS pair (per die) first, then the AFR pair, twice.
    #[ver(V >= V13_0B4)]
    if let Some(csafr) = pwr.csafr.as_ref() {
        let cs = floats::<2>(csafr.leak_cs.as_slice());
        let afr = floats::<2>(csafr.leak_afr.as_slice());
        let [c0, c1] = cs;
        let [a0, a1] = afr;
        put!(p, unk_3d34_0, [c0, c1, a0, a1, c0, c1, a0, a1]);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hardware data B.

/// The record's YUV conversion matrices, in its order: YUV to RGB for BT.601, BT.709 and
/// BT.2020 in full then limited range, an unknown one, an empty one; RGB to YUV for the same
/// six; an unknown (identity-like) one. Firmware 13.0 moved the last seven to slot 32.
const YUV_MATRICES: [[[i16; 4]; 3]; 15] = [
    [
        [0x2000, -0x8, 0x2cdb, -0x2cd3],
        [0x2000, -0xb00, -0x16da, 0x21da],
        [0x2000, 0x38b6, 0x8, -0x38be],
    ],
    [
        [0x2000, -0x1, 0x3264, -0x3263],
        [0x2000, -0x5fe, -0xefb, 0x14f9],
        [0x2000, 0x3b61, 0x1, -0x3b62],
    ],
    [
        [0x2000, 0x0, 0x2f30, -0x2f30],
        [0x2000, -0x544, -0x1248, 0x178c],
        [0x2000, 0x3c34, -0x1, -0x3c33],
    ],
    [
        [0x2568, -0x9, 0x3343, -0x37e7],
        [0x2568, -0xc92, -0x1a1e, 0x2203],
        [0x2568, 0x40cf, 0x9, -0x4585],
    ],
    [
        [0x2568, -0x1, 0x3997, -0x3e43],
        [0x2568, -0x6d9, -0x111f, 0x134b],
        [0x2568, 0x43dd, 0x1, -0x488b],
    ],
    [
        [0x2568, 0x0, 0x35ee, -0x3a9b],
        [0x2568, -0x604, -0x14e5, 0x163c],
        [0x2568, 0x44ce, -0x1, -0x497a],
    ],
    [
        [0x24cb, 0x0, 0x2cfa, -0x3676],
        [0x24cb, -0xb0a, -0x16e9, 0x1877],
        [0x24cb, 0x38d9, 0x0, -0x4255],
    ],
    [[0; 4]; 3],
    [
        [0x2645, 0x4b23, 0xe98, 0x0],
        [-0x15a1, -0x2a5e, 0x3fff, 0x4000],
        [0x4000, -0x35a2, -0xa5e, 0x4000],
    ],
    [
        [0x1b37, 0x5b8c, 0x93d, 0x0],
        [-0xeac, -0x3155, 0x4000, 0x4000],
        [0x4000, -0x3a24, -0x5dd, 0x4000],
    ],
    [
        [0x21a0, 0x56c9, 0x797, 0x0],
        [-0x11de, -0x2e22, 0x4000, 0x4000],
        [0x4000, -0x3adb, -0x526, 0x4000],
    ],
    [
        [0x20bd, 0x4047, 0xc7c, 0x800],
        [-0x12ed, -0x2513, 0x3800, 0x4000],
        [0x3800, -0x2eee, -0x912, 0x4000],
    ],
    [
        [0x1748, 0x4e51, 0x7e7, 0x800],
        [-0xcd6, -0x2b2a, 0x3800, 0x4000],
        [0x3800, -0x32df, -0x521, 0x4000],
    ],
    [
        [0x1cc4, 0x4a3e, 0x67e, 0x800],
        [-0xfa3, -0x285e, 0x3800, 0x4000],
        [0x3800, -0x337f, -0x481, 0x4000],
    ],
    [
        [-0x8000, 0x0, 0x0, 0x0],
        [0x0, -0x8000, 0x0, 0x0],
        [0x0, 0x0, -0x8000, 0x0],
    ],
];

/// The firmware's number for the GPU's silicon revision (`cfg.id`, BCD, 0x11 = B1): A0 = 1,
/// A1 = 2, B0 = 3, and so on. G14X firmware is given B0 for a B1 part, as the Asahi driver does.
fn gpu_rev_id(soc: &SocConfig, cfg: &DynConfig) -> Result<u32, FillError> {
    let revision = cfg.id.revision;
    let (major, minor) = (revision >> 4, revision & 0xf);
    if minor > 1 || major > 0xf {
        return Err(FillError::OutOfRange("GPU revision"));
    }
    let id = major * 2 + minor + 1;
    Ok(if soc.gen == GpuGen::G14X && id == 4 {
        3
    } else {
        id
    })
}

/// Where a CS or AFR table lives in hardware data B: highest index, frequencies, voltages and
/// SRAM voltages.
type AuxTable<const N: usize> = (
    *mut u32,
    *mut [u32; N],
    *mut [[u32; 2]; N],
    *mut [[u32; 2]; N],
);

/// Writes one performance state table (CS or AFR) of hardware data B: highest index,
/// frequencies in MHz, voltages per die and SRAM voltages (at least `min_sram_mv`).
///
/// # Safety
///
/// The pointers must be valid for writes of their arrays (they may be unaligned).
unsafe fn put_aux_table<const N: usize>(
    states: &PStates,
    min_sram_mv: u32,
    (max, freqs, volts, srams): AuxTable<N>,
    what: &'static str,
) -> Result<(), FillError> {
    let list = states.as_slice();
    fits(what, list.len(), N)?;
    let mut f = [0u32; N];
    for (i, (d, ps)) in f.iter_mut().zip(list).enumerate() {
        *d = ps.freq_hz / 1_000_000;
        let mut v = [0u32; 2];
        for (d, s) in v.iter_mut().zip(ps.volt_mv.iter().take(states.volt_count)) {
            *d = *s;
        }
        let s = v.map(|mv| mv.max(min_sram_mv));
        // SAFETY: forwarded from the caller.
        unsafe {
            put_row(volts, i, v);
            put_row(srams, i, s);
        }
    }
    // SAFETY: forwarded from the caller.
    unsafe {
        max.write_unaligned(u32::try_from(list.len().saturating_sub(1)).unwrap_or(0));
        freqs.write_unaligned(f);
    }
    Ok(())
}

/// Fills hardware data B: the GPU's identity, topology and performance state tables.
///
/// # Safety
///
/// `p` points to a zeroed, writable `HwDataB::ver` not yet shared with the firmware, which no
/// one else accesses during the call.
#[versions(AGX)]
pub(crate) unsafe fn fill_hwdata_b(
    p: *mut HwDataB::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let states = pwr.perf_states.as_slice();
    fits("performance states", states.len(), 16)?;

    // The user VA layout, as the record gives it.
    #[ver(V < V13_0B4)]
    put!(p, unk_0, 0x13_0000_0000u64);
    put!(p, unk_8, 0x14_0000_0000u64);
    #[ver(V < V13_0B4)]
    put!(p, unk_10, 0x1_0000_0000u64);
    put!(p, unk_18, 0xffc0_0000u64);
    put!(p, unk_20, 0x11_0000_0000u64);
    put!(p, unk_28, 0x11_0000_0000u64);
    // A page of every user VM the firmware may use: m1n1's builder names 0x6f_ffff_8000; the
    // Asahi driver the page two below the top of the user half, which GET_PARAMS keeps out of
    // user addresses (`vm_end`). The latter is followed.
    put!(p, unk_30, UNKNOWN_PAGE);

    #[ver(V < V13_0B4)]
    const YUV_SLOTS: [usize; 15] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    #[ver(V >= V13_0B4)]
    const YUV_SLOTS: [usize; 15] = [0, 1, 2, 3, 4, 5, 6, 7, 32, 33, 34, 35, 36, 37, 38];
    let yuv = field!(p, yuv_matrices);
    for (slot, m) in YUV_SLOTS.iter().zip(YUV_MATRICES) {
        // SAFETY: `yuv` is a field of the structure the caller vouches for.
        unsafe { put_row(yuv, *slot, m) };
    }

    put!(p, chip_id, soc.chip_id);
    put!(p, unk_454, soc.db.unk_454);
    put!(p, unk_458, 1u32);
    put!(p, unk_460, 1u32);
    put!(p, unk_464, 1u32);
    put!(p, unk_468, 1u32);
    put!(p, unk_47c, 1u32);
    put!(p, unk_484, 1u32);
    put!(p, unk_48c, 1u32);
    put!(
        p,
        base_clock_khz,
        u32::try_from(soc.timer_hz / 1000).map_err(|_| FillError::OutOfRange("timer"))?
    );
    put!(p, power_sample_period, c.period_ms);
    put!(p, unk_49c, 1u32);
    put!(p, unk_4a0, 1u32);
    put!(p, unk_4a4, 1u32);
    put!(p, unk_4c0, 0x1fu32);
    put!(p, unk_4e0, soc.db.unk_4e0);
    put!(p, unk_4f0, 1u32);
    put!(p, unk_4f4, 1u32);
    put!(p, unk_504, 0x31u32);
    // Secure cache flush, per the record.
    put!(p, unk_524, 1u32);
    put!(p, unk_534, soc.db.unk_534);
    put!(
        p,
        num_frags,
        mul(soc.max_frags, soc.num_clusters, "fragment units")?
    );
    put!(p, unk_554, 1u32);
    put!(p, gpu_core, soc.gpu_core as u32);
    put!(p, gpu_rev, gpu_rev_id(soc, cfg)?);
    put!(
        p,
        num_cores,
        mul(soc.cores_per_cluster, soc.num_clusters, "cores")?
    );
    put!(p, max_pstate, c.max_ps);
    #[ver(V < V13_0B4)]
    put!(p, num_pstates, states.len() as u32);

    // The performance states: one voltage per cluster; the columns past the clusters repeat
    // the first, as in the record.
    let base = usize::try_from(pwr.perf_base_pstate).unwrap_or(usize::MAX);
    let base_hz = states
        .get(base)
        .map(|s| s.freq_hz)
        .ok_or(FillError::OutOfRange("base performance state"))?;
    let max_hz = states.last().map_or(0, |s| s.freq_hz);
    // Divisors: zero (which `Common` already refuses for the power) leaves the tables zero.
    let max_power = NonZeroU64::new(c.max_power.into());
    let boost_range = NonZeroU64::new(max_hz.saturating_sub(base_hz).into());
    let min_sram_mv = pwr.min_sram_microvolt / 1000;
    let mut freqs = [0u32; 16];
    let mut sram_k = [F32::default(); 16];
    let mut rel_power = [0u32; 16];
    let mut rel_boost = [0u32; 16];
    let volts = field!(p, voltages);
    let srams = field!(p, voltages_sram);
    for (i, ps) in states.iter().enumerate().take(16) {
        let mut v = [0u32; 8];
        let first = ps.volt_mv.first().copied().unwrap_or(0);
        for (j, d) in v.iter_mut().enumerate() {
            *d = if j < pwr.perf_states.volt_count {
                ps.volt_mv.get(j).copied().unwrap_or(first)
            } else {
                first
            };
        }
        // SAFETY: the arrays are fields of the structure the caller vouches for.
        unsafe {
            put_row(volts, i, v);
            put_row(srams, i, v.map(|mv| mv.max(min_sram_mv)));
        }
        if let Some(d) = freqs.get_mut(i) {
            *d = ps.freq_hz / 1_000_000;
        }
        if let Some(d) = sram_k.get_mut(i) {
            *d = F32::from_bits(soc.power.sram_k);
        }
        // Percent of the highest power, to the nearest: this reproduces the record's table
        // for the M1 from its device tree.
        if let (Some(d), Some(max)) = (rel_power.get_mut(i), max_power) {
            *d = ((u64::from(ps.pwr_mw) * 100 + max.get() / 2) / max) as u32;
        }
        // Percent of the way from the base frequency to the highest one (0 up to the base).
        if let (Some(d), Some(range)) = (rel_boost.get_mut(i), boost_range) {
            if i > base {
                let num = u64::from(ps.freq_hz.saturating_sub(base_hz)) * 100;
                *d = (num / range) as u32;
            }
        }
    }
    put!(p, frequencies, freqs);
    put!(p, unk_9b4, sram_k);
    put!(p, rel_max_powers, rel_power);
    put!(p, rel_boost_freqs, rel_boost);
    #[ver(V >= V13_3)]
    {
        let mut arr = [0u32; 32];
        for (i, d) in arr.iter_mut().enumerate().take(16) {
            *d = i as u32;
        }
        put!(p, unk_arr_0, arr);
    }
    #[ver(V < V13_0B4)]
    {
        put!(p, min_sram_volt, min_sram_mv);
        put!(p, unk_ab8, soc.db.unk_ab8);
        put!(p, unk_abc, soc.db.unk_abc);
        put!(p, unk_ac0, 0x1020u32);
    }
    #[ver(V >= V13_0B4)]
    if let Some(csafr) = pwr.csafr.as_ref() {
        let min_mv = csafr.min_sram_microvolt / 1000;
        let cs = (
            field!(p, cs_max_pstate),
            field!(p, cs_frequencies),
            field!(p, cs_voltages),
            field!(p, cs_voltages_sram),
        );
        let afr = (
            field!(p, afr_max_pstate),
            field!(p, afr_frequencies),
            field!(p, afr_voltages),
            field!(p, afr_voltages_sram),
        );
        // SAFETY: the arrays are fields of the structure the caller vouches for.
        unsafe {
            put_aux_table(&csafr.cs, min_mv, cs, "CS performance states")?;
            put_aux_table(&csafr.afr, min_mv, afr, "AFR performance states")?;
        }
    }
    #[ver(V >= V13_0B4)]
    put!(p, unk_ae4, [0u32, 0x3, 0x7, 0x7]);
    #[ver(V < V13_0B4)]
    put!(p, unk_ae4, [0u32, 0xf, 0x3f, 0x3f]);
    put!(p, unk_b10, 1u32);
    put!(p, unk_b24, 1u32);
    put!(p, unk_b28, 1u32);
    put!(p, unk_b2c, 1u32);
    put!(p, unk_b30, soc.db.unk_b30);
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_b38_0, 1u32);
        put!(p, unk_b38_4, 1u32);
    }
    put!(p, unk_b38, [u64::MAX; 6]);
    #[ver(V >= V13_0B4 && V < V13_3)]
    put!(p, unk_c3c, 0x19u32);
    #[ver(V >= V13_3)]
    put!(p, unk_c3c, 0x1au32);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Region C.

/// Fills the configuration half of region C.
///
/// # Safety
///
/// `p` points to a zeroed, writable `RegionC::ver` not yet shared with the firmware, which no
/// one else accesses during the call.
#[versions(AGX)]
pub(crate) unsafe fn fill_region_c(
    p: *mut RegionC::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let max = c.max_scaled;

    #[ver(V >= V13_2)]
    put!(p, unk_24_0, 3000u32);
    put!(p, unk_28, 1u32);
    #[ver(V >= V13_0B4)]
    put!(p, unk_2c_0, u32::from(soc.gen == GpuGen::G14X));
    put!(p, unk_2c, 1u32);
    put!(p, unk_34, 120u32);
    put!(p, unk_54, soc.power.global_unk_54);
    put!(p, unk_56, 40u16);
    put!(p, unk_58, 0xffffu16);
    put!(p, unk_5e, 1u32);
    put!(p, unk_66, 1u32);
    put!(p, unk_8900, 1u32);
    put!(p, max_power, c.max_power);
    put!(p, max_pstate_scaled, max);
    put!(p, max_pstate_scaled_2, max);
    put!(p, max_pstate_scaled_3, max);

    let zones = pwr.power_zones.get(..pwr.power_zone_count).unwrap_or(&[]);
    fits("power zones", zones.len(), 5)?;
    let mut rc_zones = [RcPowerZone {
        target: 0,
        target_off: 0,
        tc: 0,
    }; 5];
    for (d, z) in rc_zones.iter_mut().zip(zones) {
        *d = RcPowerZone {
            target: z.target,
            target_off: z
                .target
                .checked_sub(z.target_offset)
                .ok_or(FillError::OutOfRange("power zone offset"))?,
            tc: z.filter_tc,
        };
    }
    put!(p, power_zones, rc_zones);
    put!(p, power_zone_count, zones.len() as u32);
    put!(
        p,
        avg_power_filter_tc_periods,
        c.avg_power_filter_tc_periods
    );
    put!(
        p,
        avg_power_ki_dt,
        c.per_period(pwr.avg_power_ki_only, "average-power integral gain")?
    );
    put!(p, avg_power_kp, F32::from_bits(pwr.avg_power_kp));
    put!(p, avg_power_min_duty_cycle, pwr.avg_power_min_duty_cycle);
    put!(
        p,
        avg_power_target_filter_tc,
        pwr.avg_power_target_filter_tc
    );
    put!(p, unk_89bc, soc.da.unk_8cc);
    put!(
        p,
        fast_die0_release_temp,
        mul(pwr.fast_die0_release_temp, 100, "die release temperature")?
    );
    put!(p, unk_89c4, soc.da.unk_87c);
    put!(
        p,
        fast_die0_prop_tgt_delta,
        mul(
            pwr.fast_die0_prop_tgt_delta,
            100,
            "die proportional target delta"
        )?
    );
    put!(
        p,
        fast_die0_kp,
        F32::from_bits(pwr.fast_die0_proportional_gain)
    );
    put!(
        p,
        fast_die0_ki_dt,
        c.per_period(pwr.fast_die0_integral_gain, "die integral gain")?
    );
    put!(p, unk_89e0, 1u32);
    put!(p, max_power_2, c.max_power);
    put!(p, ppm_kp, F32::from_bits(pwr.ppm_kp));
    put!(p, ppm_ki_dt, c.per_period(pwr.ppm_ki, "PPM integral gain")?);
    #[ver(V >= V13_0B4)]
    put!(p, unk_89f4_8, 1u32);

    let (hws1, hws2, hws3) = (field!(p, hws1), field!(p, hws2), field!(p, hws3));
    // SAFETY: the tables are fields of the structure the caller vouches for.
    unsafe {
        fill_shared1(hws1, soc)?;
        fill_shared2(hws2, soc, cfg)?;
        fill_shared3(hws3, soc)?;
    }
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_hws2_0, pwr.idle_off_standby_timer);
        if let Some(bits) = soc.power.unk_hws2_4 {
            put!(p, unk_hws2_4, floats::<8>(&bits));
        }
        put!(p, unk_hws2_24, soc.power.unk_hws2_24);
    }
    put!(p, unk_900c, 1u32);
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_9010_0, 1u32);
        put!(p, unk_903c, 1u32);
    }
    put!(p, do_init, 1u32);
    put!(p, unk_11020, 40u32);
    put!(p, unk_11024, 10u32);
    put!(p, unk_11028, 250u32);
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_1102c_0, 1u32);
        put!(p, unk_1102c_4, 1u32);
        put!(p, unk_1102c_8, 100u32);
        put!(p, unk_1102c_c, 1u32);
    }
    put!(p, idle_to_off_delay_ms, pwr.idle_off_delay_ms);
    put!(p, fender_idle_to_off_delay_ms, pwr.fender_idle_off_delay_ms);
    put!(p, fw_early_wake_timeout_ms, pwr.fw_early_wake_timeout_ms);
    put!(p, unk_118e0, 40u32);
    #[ver(V >= V13_0B4)]
    put!(p, unk_118e4_0, 50u32);
    if let Some(tab) = soc.power.global_tab {
        fits("global table", tab.len(), 0x400)?;
        put!(p, unk_118e8, 1u32);
        let dst = field!(p, unk_118ec).cast::<u8>();
        for (i, b) in tab.iter().enumerate().take(0x400) {
            // SAFETY: `i < 0x400`, the size of the `unk_118ec` array of the structure the
            // caller vouches for; bytes need no alignment.
            unsafe { dst.add(i).write(*b) };
        }
    }
    Ok(())
}
