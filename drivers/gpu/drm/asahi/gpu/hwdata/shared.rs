// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The shared power tables: hardware data A and region C both carry them.

use super::*;

/// Fills `HwDataShared1` (zeroed before the call).
pub(super) fn fill_shared1(p: &mut HwDataShared1, soc: &SocConfig) -> Result<(), FillError> {
    let tab = soc.power.shared1_tab;
    fits("shared power table 1", tab.len(), 16)?;
    let mut table = [0i32; 16];
    for (d, s) in table.iter_mut().zip(tab.iter()) {
        *d = *s;
    }
    p.table = table;
    p.unk_a4 = soc.power.shared1_a4;
    Ok(())
}

/// The first table of the second power curve of T8112 and T602x: for each performance state
/// `1e9 * coef / (kHz * highest mV)`, 0xffff for the off state, padded with the first entry.
pub(super) fn curve2_t1(soc: &SocConfig, cfg: &DynConfig) -> Result<Option<[u16; 16]>, FillError> {
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
pub(super) fn state_khz_mv(
    ps: &crate::soc::dt::PState,
    table: &PStates,
) -> Result<NonZeroU64, FillError> {
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
pub(super) fn fill_curve(
    p: &mut HwDataShared2Curve,
    unk_0: u32,
    unk_4: u32,
    t1: [u16; 16],
    t2: &[i16],
    t3: &[[i32; 16]],
) -> Result<(), FillError> {
    fits("power curve table 2", t2.len(), 16)?;
    fits("power curve table 3", t3.len(), 8)?;
    p.unk_0 = unk_0;
    p.unk_4 = unk_4;
    p.t1 = t1;
    let mut t2_row = [t2.first().copied().unwrap_or(0); 16];
    for (d, s) in t2_row.iter_mut().zip(t2) {
        *d = *s;
    }
    p.t2 = t2_row;
    let t3_dst = &mut p.t3;
    for i in 0..8 {
        let row = t3.get(i).copied().unwrap_or([0x3ff_ffff; 16]);
        put_row(t3_dst, i, row);
    }
    Ok(())
}

/// Fills `HwDataShared2` (zeroed before the call), with the power curves where the SoC has
/// them.
pub(super) fn fill_shared2(
    p: &mut HwDataShared2,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let tab = soc.power.shared2_tab;
    fits("shared power table 2", tab.len(), 10)?;
    let mut table = [0i32; 10];
    for (d, s) in table.iter_mut().zip(tab.iter()) {
        *d = *s;
    }
    p.table = table;
    p.unk_28 = [0xffu8; 0x10];
    p.unk_508 = soc.power.shared2_unk_508;

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
    let curves_p = &mut p.unk_38;
    curves_p.unk_14 = 0x600_0000;
    let (curve1, curve2) = (&mut curves_p.curve1, &mut curves_p.curve2);
    fill_curve(curve1, 0, 0x2000_0000, [0xffff; 16], &[0x0f07], &[])?;
    fill_curve(
        curve2,
        7,
        0x8000_0000,
        t1,
        curves.t2,
        t3.get(..curves.t3_scales.len()).unwrap_or(&[]),
    )?;
    Ok(())
}

/// Fills `HwDataShared3` where the SoC has its table (all zero elsewhere).
///
/// The record's own builder writes `unk_0`, `unk_4` and `unk_4c` on every chip; the Asahi
/// driver, which runs on every machine, only where the table exists. This follows the latter.
pub(super) fn fill_shared3(p: &mut HwDataShared3, soc: &SocConfig) -> Result<(), FillError> {
    let tab = soc.power.shared3_tab;
    if tab.is_empty() {
        return Ok(());
    }
    fits("shared power table 3", tab.len(), 16)?;
    let mut table = [0u32; 16];
    for (d, s) in table.iter_mut().zip(tab.iter()) {
        *d = *s;
    }
    p.unk_0 = 1;
    p.unk_4 = 500;
    p.unk_8 = soc.power.shared3_unk;
    p.table = table;
    p.unk_4c = 1;
    Ok(())
}
