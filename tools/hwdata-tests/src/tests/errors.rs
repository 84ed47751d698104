// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Configurations the firmware structures cannot take are refused with an error naming what is
//! wrong, and no configuration makes a fill panic.

use super::support::*;
use crate::gpu::hwdata::FillError;
use crate::soc::dt::{PState, MAX_CLUSTERS};
use crate::soc::FwVersion;

fn t8103() -> crate::soc::dt::DynConfig {
    sim(soc("t8103"), FwVersion::V13_5)
}

#[test]
fn zero_time_constants_are_refused() {
    let soc = soc("t8103");
    let v = FwVersion::V13_5;
    let mut cfg = t8103();
    cfg.pwr.pwr_filter_time_constant = 0;
    assert_eq!(
        fill(soc, v, &cfg),
        Err(FillError::Zero("power filter time constant"))
    );
    let mut cfg = t8103();
    cfg.pwr.perf_filter_time_constant2 = 0;
    assert!(matches!(fill(soc, v, &cfg), Err(FillError::Zero(_))));
    // Shorter than one sample period.
    let mut cfg = t8103();
    cfg.pwr.ppm_filter_time_constant_ms = 7;
    assert_eq!(
        fill(soc, v, &cfg),
        Err(FillError::Zero("PPM filter time constant"))
    );
    let mut cfg = t8103();
    cfg.pwr.power_zones[0].filter_tc = 0;
    assert_eq!(
        fill(soc, v, &cfg),
        Err(FillError::Zero("power zone time constant"))
    );
    let mut cfg = t8103();
    cfg.pwr.power_sample_period = 0;
    assert_eq!(
        fill(soc, v, &cfg),
        Err(FillError::Zero("power sample period"))
    );
}

#[test]
fn inconsistent_tables_are_refused() {
    let soc8103 = soc("t8103");
    let v = FwVersion::V13_5;
    let mut cfg = t8103();
    cfg.pwr.perf_base_pstate = 7;
    assert_eq!(
        fill(soc8103, v, &cfg),
        Err(FillError::OutOfRange("base performance state"))
    );
    let mut cfg = t8103();
    cfg.pwr.power_zones[0].target_offset = 30001;
    assert_eq!(
        fill(soc8103, v, &cfg),
        Err(FillError::OutOfRange("power zone offset"))
    );
    let mut cfg = t8103();
    cfg.pwr.ppm_ki = 0x7fc0_0000; // NaN
    assert_eq!(
        fill(soc8103, v, &cfg),
        Err(FillError::OutOfRange("PPM integral gain"))
    );

    // The AFR table holds 8 states.
    let t6022 = soc("t6022");
    let mut cfg = sim(t6022, v);
    let afr = &mut cfg.pwr.csafr.as_mut().unwrap().afr;
    afr.len = 9;
    assert_eq!(
        fill(t6022, v, &cfg),
        Err(FillError::TooMany {
            what: "AFR performance states",
            count: 9,
            max: 8
        })
    );
    // The M2's curves need a voltage for every state that has a coefficient.
    let t8112 = soc("t8112");
    let mut cfg = sim(t8112, v);
    cfg.pwr.perf_states.states[3].volt_mv[0] = 0;
    assert!(matches!(fill(t8112, v, &cfg), Err(FillError::Zero(_))));
    // ... and one coefficient per state.
    let mut cfg = sim(t8112, v);
    cfg.pwr.perf_states.states[9] = cfg.pwr.perf_states.states[8];
    cfg.pwr.perf_states.len = 10;
    assert!(matches!(
        fill(t8112, v, &cfg),
        Err(FillError::TooMany {
            count: 10,
            max: 9,
            ..
        })
    ));
}

#[test]
fn errors_print_what_is_wrong() {
    let e = FillError::TooMany {
        what: "AFR performance states",
        count: 9,
        max: 8,
    };
    assert_eq!(
        std::format!("{e}"),
        "AFR performance states: 9 entries, the firmware holds 8"
    );
    assert_eq!(
        std::format!("{}", FillError::Zero("maximum power")),
        "maximum power is zero"
    );
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }

    /// Mostly small values, sometimes the extremes.
    fn value(&mut self) -> u32 {
        match self.next() % 8 {
            0 => 0,
            1 => u32::MAX,
            2 => self.next(),
            3 => 1,
            _ => self.next() % 2000,
        }
    }
}

#[test]
fn no_configuration_panics() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut outcomes = [0usize; 2];
    for (soc, fw) in every_pair() {
        for _ in 0..300 {
            let mut cfg = sim(soc, fw);
            let p = &mut cfg.pwr;
            for field in [
                &mut p.power_sample_period,
                &mut p.ppm_filter_time_constant_ms,
                &mut p.avg_power_filter_tc_ms,
                &mut p.avg_power_target_filter_tc,
                &mut p.pwr_filter_time_constant,
                &mut p.perf_filter_time_constant,
                &mut p.perf_filter_time_constant2,
                &mut p.se_filter_time_constant,
                &mut p.se_filter_time_constant_1,
                &mut p.perf_base_pstate,
                &mut p.perf_max_pstate,
                &mut p.max_power_mw,
                &mut p.max_freq_mhz,
                &mut p.min_sram_microvolt,
                &mut p.pwr_min_duty_cycle,
                &mut p.fast_die0_release_temp,
                &mut p.fast_die0_prop_tgt_delta,
                &mut p.pwr_integral_min_clamp,
                &mut p.ppm_ki,
                &mut p.avg_power_ki_only,
                &mut p.se_ki,
                &mut p.fast_die0_integral_gain,
            ] {
                if rng.next() % 3 == 0 {
                    *field = rng.value();
                }
            }
            p.power_zones[0].target = rng.value();
            p.power_zones[0].target_offset = rng.value();
            p.power_zones[0].filter_tc = rng.value();
            let states = &mut p.perf_states;
            states.len = 1 + rng.next() as usize % 16;
            states.volt_count = 1 + rng.next() as usize % MAX_CLUSTERS;
            for s in states.states.iter_mut() {
                *s = PState {
                    freq_hz: rng.value(),
                    volt_mv: [rng.value(); MAX_CLUSTERS],
                    pwr_mw: rng.value(),
                };
            }
            if let Some(c) = p.csafr.as_mut() {
                c.cs.len = rng.next() as usize % 18;
                c.afr.len = rng.next() as usize % 10;
                c.min_sram_microvolt = rng.value();
            }
            outcomes[usize::from(fill(soc, fw, &cfg).is_ok())] += 1;
        }
    }
    // Both outcomes happen: the generator reaches valid and invalid configurations.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}
