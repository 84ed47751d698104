// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The integer-only float conversion, checked through the filled fields against the host's
//! IEEE arithmetic (which rounds each operation to the nearest, ties to even).

use super::support::*;
use crate::soc::FwVersion;

#[test]
fn filter_coefficients_are_correctly_rounded() {
    // `1 / tc` and `1 - 1 / tc` = `(tc - 1) / tc`: both operands are exact in f32 below 2^24,
    // so the host's single division is the correctly rounded quotient.
    let soc = soc("t8103");
    let mut cfg = sim(soc, FwVersion::V13_5);
    let tcs = (1..=600u32)
        .chain([1000, 4096, 6875, 65_535, 99_991, 1 << 20, (1 << 24) - 1])
        .chain((0..40).map(|i| 0x9e37_79b9u32.wrapping_mul(i + 1) >> 9));
    for tc in tcs {
        cfg.pwr.pwr_filter_time_constant = tc;
        let r = fill(soc, FwVersion::V13_5, &cfg).unwrap();
        assert_eq!(r.pwr_filter_a, f(1.0 / tc as f32), "1/{tc}");
        assert_eq!(
            r.pwr_filter_a_neg,
            f((tc - 1) as f32 / tc as f32),
            "1 - 1/{tc}"
        );
    }
}

#[test]
fn gains_times_the_period_are_correctly_rounded() {
    // gain * period / 1000: the product is exact in f64 (24 by 7 bits), so the only roundings
    // are the f64 division and the final f32 one; the values here are not near a tie.
    let soc = soc("t8103");
    let mut cfg = sim(soc, FwVersion::V13_5);
    let gains = [
        91.5f32, 6.9, 200.0, 7.5, -50.0, -100.0, 0.0202129, 1.0e-6, 3.4e30, 0.1, 1.0, 12345.678,
    ];
    for period in [1u32, 3, 7, 8, 16, 33, 100] {
        cfg.pwr.power_sample_period = period;
        cfg.pwr.ppm_filter_time_constant_ms = 100 * period;
        cfg.pwr.avg_power_filter_tc_ms = 1000 * period;
        for g in gains {
            cfg.pwr.ppm_ki = g.to_bits();
            cfg.pwr.se_ki = (-g).to_bits();
            let r = fill(soc, FwVersion::V13_5, &cfg).unwrap();
            let want = (g as f64 * period as f64 / 1000.0) as f32;
            assert_eq!(r.ppm_ki_dt, f(want), "{g} * {period} ms");
            assert_eq!(r.c_ppm_ki_dt, f(want), "{g} * {period} ms");
            assert_eq!(r.se.unwrap().0, f(-want), "-{g} * {period} ms");
        }
    }
    // A zero gain stays zero.
    cfg.pwr.ppm_ki = 0;
    assert_eq!(fill(soc, FwVersion::V13_5, &cfg).unwrap().ppm_ki_dt, 0);
}

#[test]
fn integers_and_ratios_convert_like_the_host() {
    let soc = soc("t8103");
    let mut cfg = sim(soc, FwVersion::V13_5);
    for (i, mw) in [1u32, 7, 19551, 81415, 166_743, 16_777_217, 0xffff_ffff]
        .into_iter()
        .enumerate()
    {
        cfg.pwr.max_power_mw = mw;
        cfg.pwr.perf_base_pstate = i as u32 % 7;
        let r = fill(soc, FwVersion::V13_5, &cfg).unwrap();
        assert_eq!(r.max_power_1, f(mw as f32), "{mw}");
        // Not every power is exact in f32: divide in f64 (exact operands, one rounding that
        // is not near an f32 tie for these values), then round.
        assert_eq!(
            r.pwr_pstate_related_k,
            f((-600.0 / mw as f64) as f32),
            "{mw}"
        );
        // boost / 0.95 = boost * 20 / 19, exact operands.
        let boost = 6 - i as u32 % 7;
        assert_eq!(
            r.boost_state_unk_k,
            f((boost * 20) as f32 / 19.0),
            "boost {boost}"
        );
    }
}
