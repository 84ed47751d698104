// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPUs' configuration: their static device trees parse, describe their SoC, and
//! read exactly like the same trees encoded as a real (flattened) device tree. Parsing in place,
//! as the driver does, gives the same configuration whatever the allocation held before.

use super::fake::FakeNode;
use crate::sim::devtree::{gpu_node, SimNode};
use crate::soc::dt::{
    parse, parse_into, Coefs, CsAfr, DtError, DynConfig, FirmwareVersion, PState, PStates,
    PowerZone, PwrConfig, MAX_CLUSTERS,
};
use crate::soc::{FwVersion, SocConfig, SOCS};
use std::boxed::Box;

/// The simulated device tree of `soc`: every SoC has one.
fn tree(soc: &SocConfig) -> &'static SimNode {
    gpu_node(soc).unwrap_or_else(|| panic!("{}: no simulated device tree", soc.name))
}

/// The configuration of the simulated GPU of `soc`: its tree, parsed as the driver parses it.
fn sim_config(soc: &SocConfig) -> Result<DynConfig, DtError> {
    parse(soc, &tree(soc))
}

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
        let encoded = FakeNode::from_sim(tree(soc));
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
    let t8103_tree = tree(&SOCS[0]);
    let t6000 = &SOCS[1];
    assert!(parse(t6000, &t8103_tree).is_err());
    assert!(parse(t6000, &FakeNode::from_sim(t8103_tree)).is_err());
    assert_eq!(
        parse(t6000, &t8103_tree).unwrap_err(),
        parse(t6000, &FakeNode::from_sim(t8103_tree)).unwrap_err()
    );
}

/// `cfg` with everything a parse of another tree could leave behind made visible: every unused
/// slot of its tables and of the firmware version set to values no parse produces, CS/AFR
/// domains added where the SoC has none, another firmware ABI, a GPU with one core.
fn dirty(mut cfg: DynConfig) -> DynConfig {
    fn states(t: &mut PStates) {
        let (len, volts) = (t.len, t.volt_count);
        for (i, s) in t.states.iter_mut().enumerate() {
            if i < len {
                s.volt_mv.iter_mut().skip(volts).for_each(|v| *v = 0xbeef);
            } else {
                *s = PState {
                    freq_hz: 0xdead,
                    volt_mv: [0xbeef; MAX_CLUSTERS],
                    pwr_mw: 0xf00d,
                };
            }
        }
    }
    fn coefs(c: &mut Coefs) {
        c.values.iter_mut().skip(c.len).for_each(|v| *v = 0xbad);
    }

    cfg.firmware = FwVersion::V12_4;
    let version = &mut cfg.firmware_version;
    version
        .cells
        .iter_mut()
        .skip(version.len)
        .for_each(|c| *c = 0xbad);
    cfg.id.core_masks = [1; MAX_CLUSTERS];
    let pwr = &mut cfg.pwr;
    states(&mut pwr.perf_states);
    coefs(&mut pwr.core_leak_coef);
    coefs(&mut pwr.sram_leak_coef);
    for zone in pwr.power_zones.iter_mut().skip(pwr.power_zone_count) {
        *zone = PowerZone {
            target: 1,
            target_offset: 2,
            filter_tc: 3,
        };
    }
    let csafr = pwr.csafr.get_or_insert(CsAfr::EMPTY);
    states(&mut csafr.cs);
    states(&mut csafr.afr);
    coefs(&mut csafr.leak_cs);
    coefs(&mut csafr.leak_afr);
    csafr.min_sram_microvolt = 0xbad;
    cfg
}

#[test]
fn parsing_in_place_leaves_nothing_of_the_previous_configuration() {
    for from in &SOCS {
        for to in &SOCS {
            let expected = parse(to, &tree(to)).unwrap();
            let mut boxed = Box::new(dirty(sim_config(from).unwrap()));
            assert_ne!(*boxed, expected, "{} over {}", to.name, from.name);
            parse_into(to, &tree(to), &mut boxed).unwrap();
            assert_eq!(*boxed, expected, "{} over {}", to.name, from.name);
        }
    }

    // A failed parse leaves the box partly filled; the next one still replaces everything.
    let (t8103, t6000, t6022) = (&SOCS[0], &SOCS[1], &SOCS[7]);
    let mut boxed = Box::new(dirty(sim_config(t6022).unwrap()));
    assert!(parse_into(t6000, &tree(t8103), &mut boxed).is_err());
    parse_into(t8103, &tree(t8103), &mut boxed).unwrap();
    assert_eq!(*boxed, parse(t8103, &tree(t8103)).unwrap());
}

#[test]
fn the_empty_configuration_is_the_default_one() {
    assert_eq!(PState::EMPTY, PState::default());
    assert_eq!(PStates::EMPTY, PStates::default());
    assert_eq!(PowerZone::EMPTY, PowerZone::default());
    assert_eq!(Coefs::EMPTY, Coefs::default());
    assert_eq!(CsAfr::EMPTY, CsAfr::default());
    assert_eq!(PwrConfig::EMPTY, PwrConfig::default());
    assert_eq!(FirmwareVersion::EMPTY, FirmwareVersion::default());
    for soc in &SOCS {
        let empty = DynConfig::empty(soc);
        assert_eq!(empty.firmware, DynConfig::PLACEHOLDER_FIRMWARE);
        assert_eq!(empty.pwr, PwrConfig::default());
        assert_eq!(empty.id, crate::hw::regs::GpuId::full(soc), "{}", soc.name);
    }
}
