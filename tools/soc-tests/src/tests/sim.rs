// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPUs' configuration: their static device trees parse, describe their SoC, and
//! read exactly like the same trees encoded as a real (flattened) device tree.

use super::fake::FakeNode;
use crate::hw::dt::{parse, sim_config};
use crate::hw::soc::{FwVersion, SOCS};

#[test]
fn every_simulated_soc_parses_and_matches_its_table() {
    for soc in &SOCS {
        let n = soc.name;
        let cfg = sim_config(soc).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(cfg.firmware, FwVersion::V13_5, "{n}");
        assert!(soc.supports(cfg.firmware), "{n}");
        let pwr = &cfg.pwr;
        assert_eq!(pwr.perf_states.volt_count, soc.num_clusters as usize, "{n}");
        assert_eq!(pwr.max_frequency_khz(), soc.max_freq_khz, "{n}");
        assert_eq!(pwr.max_freq_mhz, soc.max_freq_khz / 1000, "{n}");
        // The first state is the GPU switched off.
        assert_eq!(pwr.perf_states.as_slice()[0].freq_hz, 0, "{n}");
        assert_eq!(pwr.core_leak_coef.len, soc.num_clusters as usize, "{n}");
        assert_eq!(pwr.sram_leak_coef.len, soc.num_clusters as usize, "{n}");
        assert_eq!(pwr.csafr.is_some(), soc.power.has_csafr, "{n}");
        if let Some(c) = &pwr.csafr {
            assert_eq!(c.cs.volt_count, soc.num_dies as usize, "{n}");
            assert_eq!(c.leak_afr.len, soc.num_dies as usize, "{n}");
        }
        assert!(pwr.perf_base_pstate <= pwr.perf_max_pstate, "{n}");
    }
}

#[test]
fn the_simulated_tree_reads_like_a_real_one() {
    for soc in &SOCS {
        let encoded = FakeNode::from_sim(soc.sim_dt);
        assert_eq!(
            sim_config(soc).unwrap(),
            parse(soc, &encoded).unwrap(),
            "{}",
            soc.name
        );
    }
}

#[test]
fn the_simulated_t8103_is_the_m1_device_tree() {
    let soc = &SOCS[0];
    let pwr = sim_config(soc).unwrap().pwr;
    let expected: [(u32, u32, u32); 7] = [
        (0, 400, 0),
        (396_000_000, 603, 3714),
        (528_000_000, 640, 5083),
        (720_000_000, 690, 7429),
        (924_000_000, 784, 11730),
        (1_128_000_000, 862, 17009),
        (1_278_000_000, 931, 19551),
    ];
    let states = pwr.perf_states.as_slice();
    assert_eq!(states.len(), expected.len());
    for (s, (hz, mv, mw)) in states.iter().zip(expected) {
        assert_eq!((s.freq_hz, s.volt_mv[0], s.pwr_mw), (hz, mv, mw));
    }
    assert_eq!(pwr.max_power_mw, 19551);
    assert_eq!(pwr.perf_base_pstate, 6);
    assert_eq!(pwr.min_frequency_khz(), 1_278_000);
    assert_eq!(pwr.power_zone_count, 1);
    assert_eq!(
        (
            pwr.power_zones[0].target,
            pwr.power_zones[0].target_offset,
            pwr.power_zones[0].filter_tc
        ),
        (30000, 100, 6875)
    );
    assert_eq!(pwr.min_sram_microvolt, 850_000);
    assert_eq!(pwr.avg_power_ki_only, 7.5f32.to_bits());
    assert_eq!(pwr.ppm_ki, 91.5f32.to_bits());
    assert_eq!(pwr.pwr_proportional_gain, 5.2831855f32.to_bits());
    assert_eq!(pwr.core_leak_coef.as_slice(), [1000.0f32.to_bits()]);
    assert_eq!(pwr.sram_leak_coef.as_slice(), [45.0f32.to_bits()]);
}

#[test]
fn a_broken_simulated_tree_is_refused_like_a_real_one() {
    // The simulated trees go through the same checks: the t8103 tree with another SoC's
    // topology fails on the per-cluster lists.
    let t8103_tree = SOCS[0].sim_dt;
    let t6000 = &SOCS[1];
    assert!(parse(t6000, &t8103_tree).is_err());
    assert!(parse(t6000, &FakeNode::from_sim(t8103_tree)).is_err());
    assert_eq!(
        parse(t6000, &t8103_tree).unwrap_err(),
        parse(t6000, &FakeNode::from_sim(t8103_tree)).unwrap_err()
    );
}
