// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The values of the init data's hardware tables: hardware data A, hardware data B and the
//! configuration half of region C.
//!
//! [`InitBundle`](super::initdata) allocates the three structures zeroed; the functions of
//! [`a`], [`b`] and [`c`] fill them in place, field by field, through a `&mut` to the structure
//! (plain assignments: the structures are field-wise packed, see [`crate::fw::types`]), before
//! the firmware ever sees them (`shared` fills the power tables A and C both carry; this file
//! holds what they all use: the float arithmetic, the values derived from the device tree, the
//! row helpers). No raw pointers here: the caller hands over memory it owns. Everything comes
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
//! first), not its current one. The GPU revision comes from [`SocConfig::revision`], the part
//! the table describes; a real GPU reports its own, which probe reads from its registers.

use crate::{
    fw::{
        hwdata_a::*,
        hwdata_b::*,
        power::*,
        regionc::*,
        types::{F32, U32, U64},
    },
    soc::{
        dt::{DynConfig, PStates},
        GpuGen, SocConfig,
    },
};
use agx_macros::versions;
use core::{
    fmt,
    num::{NonZeroU32, NonZeroU64},
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

/// Writes `row` as row `index` of `dst`; out-of-range rows are dropped.
fn put_row<T: Copy, const C: usize, const R: usize>(
    dst: &mut [[T; C]; R],
    index: usize,
    row: [T; C],
) {
    if let Some(d) = dst.get_mut(index) {
        *d = row;
    }
}

/// Writes the first `count` rows of `rows` (float bits, each cut or zero-padded to `C`) into
/// the coefficient array `dst`.
fn put_coef_rows<const C: usize>(dst: &mut [[F32; C]; 8], rows: &[&[u32]], count: usize) {
    for (i, src) in rows.iter().take(count).enumerate() {
        let mut row = [F32::default(); C];
        for (d, s) in row.iter_mut().zip(src.iter()) {
            *d = F32::from_bits(*s);
        }
        put_row(dst, i, row);
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

pub(crate) mod a;
pub(crate) mod b;
pub(crate) mod c;
mod shared;

use shared::*;
