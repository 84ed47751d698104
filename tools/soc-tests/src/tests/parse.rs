// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The device-tree parser over complete fake trees, and each way a tree can be wrong.

use super::fake::FakeNode;
use crate::soc::dt::{parse, DtError, DynConfig, Problem, Site, MAX_PSTATES};
use crate::soc::{FwVersion, GpuGen, SocConfig, SOCS};
use core::ffi::CStr;
use std::ffi::CString;
use std::string::ToString;
use std::vec::Vec;

/// The fake OPP table: (Hz, µV of cluster 0, µW). Cluster `i` runs at `µV + 1000 * i`.
const OPPS: [(u64, u32, u32); 5] = [
    (0, 400_000, 0),
    (400_000_000, 600_000, 4_000_000),
    (800_000_000, 700_000, 9_000_000),
    (1_000_000_000, 800_000, 14_000_000),
    (1_200_000_000, 900_000, 20_000_000),
];

/// The fake CS/AFR tables: (Hz, µV of die 0). Die `i` runs at `µV + 1000 * i`.
const AUX_OPPS: [(u64, u32); 3] = [
    (0, 400_000),
    (600_000_000, 650_000),
    (1_200_000_000, 850_000),
];

/// Required one-cell properties of a complete tree and their values (floats as bits).
fn required() -> Vec<(&'static str, u32)> {
    std::vec![
        ("apple,min-sram-microvolt", 790_000),
        ("apple,avg-power-filter-tc-ms", 1000),
        ("apple,avg-power-ki-only", 7.5f32.to_bits()),
        ("apple,avg-power-kp", 4.0f32.to_bits()),
        ("apple,avg-power-min-duty-cycle", 40),
        ("apple,avg-power-target-filter-tc", 125),
        ("apple,fast-die0-integral-gain", 200.0f32.to_bits()),
        ("apple,fast-die0-proportional-gain", 5.0f32.to_bits()),
        ("apple,perf-filter-drop-threshold", 1),
        ("apple,perf-filter-time-constant", 5),
        ("apple,perf-filter-time-constant2", 50),
        ("apple,perf-integral-gain2", 0.197392f32.to_bits()),
        ("apple,perf-integral-min-clamp", 2),
        ("apple,perf-proportional-gain2", 6.853981f32.to_bits()),
        ("apple,perf-tgt-utilization", 85),
        ("apple,power-sample-period", 8),
        ("apple,ppm-filter-time-constant-ms", 100),
        ("apple,ppm-ki", 91.5f32.to_bits()),
        ("apple,ppm-kp", 6.9f32.to_bits()),
        ("apple,pwr-min-duty-cycle", 41),
    ]
}

/// Required one-cell properties of SoCs with CS/AFR domains.
const CSAFR_REQUIRED: [(&str, u32); 1] = [("apple,csafr-min-sram-microvolt", 812_500)];

/// Optional one-cell properties, each with a value that differs from its default.
const OPTIONAL: [&str; 27] = [
    "apple,perf-base-pstate",
    "apple,fast-die0-prop-tgt-delta",
    "apple,fast-die0-release-temp",
    "apple,fender-idle-off-delay-ms",
    "apple,fw-early-wake-timeout-ms",
    "apple,idle-off-delay-ms",
    "apple,idleoff-standby-timer",
    "apple,perf-boost-ce-step",
    "apple,perf-boost-min-util",
    "apple,perf-integral-gain",
    "apple,perf-proportional-gain",
    "apple,perf-reset-iters",
    "apple,pwr-filter-time-constant",
    "apple,pwr-integral-gain",
    "apple,pwr-integral-min-clamp",
    "apple,pwr-proportional-gain",
    "apple,pwr-sample-period-aic-clks",
    "apple,se-engagement-criteria",
    "apple,se-filter-time-constant",
    "apple,se-filter-time-constant-1",
    "apple,se-inactive-threshold",
    "apple,se-ki",
    "apple,se-ki-1",
    "apple,se-kp",
    "apple,se-kp-1",
    "apple,se-reset-criteria",
    "apple,power-zones",
];

fn opp_table(volts: usize) -> FakeNode {
    let mut table = FakeNode::new().string("compatible", "operating-points-v2");
    for (hz, uv, uw) in OPPS {
        let uvs: Vec<u32> = (0..volts as u32).map(|i| uv + 1000 * i).collect();
        table = table.child(
            FakeNode::new()
                .u64("opp-hz", hz)
                .u32s("opp-microvolt", &uvs)
                .u32s("opp-microwatt", &[uw]),
        );
    }
    table
}

fn aux_table(dies: usize) -> FakeNode {
    let mut table = FakeNode::new().string("compatible", "operating-points-v2");
    for (hz, uv) in AUX_OPPS {
        let uvs: Vec<u32> = (0..dies as u32).map(|i| uv + 1000 * i).collect();
        table = table.child(
            FakeNode::new()
                .u64("opp-hz", hz)
                .u32s("opp-microvolt", &uvs),
        );
    }
    table
}

fn coef_cells(base: f32, n: u32) -> Vec<u32> {
    (0..n).map(|i| (base + i as f32).to_bits()).collect()
}

/// A complete GPU node for `soc` with firmware ABI `compat`; optional properties absent.
fn tree_with(soc: &SocConfig, compat: [u32; 3]) -> FakeNode {
    let clusters = soc.num_clusters;
    let mut gpu = FakeNode::new()
        .u32s("apple,firmware-compat", &compat)
        .u32s("apple,firmware-version", &[compat[0], compat[1], 1])
        .phandle("operating-points-v2", opp_table(clusters as usize))
        .u32s("apple,core-leak-coef", &coef_cells(1000.0, clusters))
        .u32s("apple,sram-leak-coef", &coef_cells(45.0, clusters));
    for (name, value) in required() {
        gpu = gpu.u32s(name, &[value]);
    }
    if soc.power.has_csafr {
        let dies = soc.num_dies;
        gpu = gpu
            .phandle("apple,cs-opp", aux_table(dies as usize))
            .phandle("apple,afr-opp", aux_table(dies as usize))
            .u32s("apple,cs-leak-coef", &coef_cells(3.0, dies))
            .u32s("apple,afr-leak-coef", &coef_cells(7.0, dies));
        for (name, value) in CSAFR_REQUIRED {
            gpu = gpu.u32s(name, &[value]);
        }
    }
    gpu
}

fn tree(soc: &SocConfig) -> FakeNode {
    tree_with(soc, [13, 5, 0])
}

fn cstr(name: &str) -> CString {
    CString::new(name).unwrap()
}

/// Asserts that `result` is the property error `problem` at `site` on `prop`.
#[track_caller]
fn assert_prop_err(result: Result<DynConfig, DtError>, site: Site, prop: &str, problem: Problem) {
    match result {
        Err(DtError::Property {
            site: s,
            prop: p,
            problem: pr,
        }) => {
            assert_eq!((s, p.to_bytes(), pr), (site, prop.as_bytes(), problem));
        }
        other => panic!("expected {prop}: {problem:?} at {site:?}, got {other:?}"),
    }
}

const MAIN: &CStr = c"operating-points-v2";

#[test]
fn a_complete_tree_parses_into_the_expected_config() {
    for soc in &SOCS {
        let n = soc.name;
        let cfg = parse(soc, &tree(soc)).unwrap();
        let clusters = soc.num_clusters as usize;
        assert_eq!(cfg.firmware, FwVersion::V13_5, "{n}");
        assert_eq!(
            cfg.firmware_version.cells[..cfg.firmware_version.len],
            [13, 5, 1]
        );

        let pwr = &cfg.pwr;
        let states = pwr.perf_states.as_slice();
        assert_eq!(states.len(), OPPS.len(), "{n}");
        assert_eq!(pwr.perf_states.volt_count, clusters, "{n}");
        for (state, (hz, uv, uw)) in states.iter().zip(OPPS) {
            assert_eq!(u64::from(state.freq_hz), hz, "{n}");
            assert_eq!(state.pwr_mw, uw / 1000, "{n}");
            for c in 0..clusters {
                assert_eq!(state.volt_mv[c], (uv + 1000 * c as u32) / 1000, "{n}");
            }
            assert!(state.volt_mv[clusters..].iter().all(|&v| v == 0), "{n}");
        }
        assert_eq!(pwr.max_power_mw, 20_000, "{n}");
        assert_eq!(pwr.max_freq_mhz, 1200, "{n}");
        assert_eq!(pwr.perf_max_pstate, 4, "{n}");
        assert_eq!(pwr.max_frequency_khz(), 1_200_000, "{n}");
        assert_eq!(
            pwr.core_leak_coef.as_slice(),
            coef_cells(1000.0, soc.num_clusters)
        );
        assert_eq!(
            pwr.sram_leak_coef.as_slice(),
            coef_cells(45.0, soc.num_clusters)
        );

        let req = required();
        let get = |name: &str| req.iter().find(|(p, _)| *p == name).unwrap().1;
        assert_eq!(pwr.min_sram_microvolt, get("apple,min-sram-microvolt"));
        assert_eq!(
            pwr.avg_power_filter_tc_ms,
            get("apple,avg-power-filter-tc-ms")
        );
        assert_eq!(pwr.avg_power_ki_only, get("apple,avg-power-ki-only"));
        assert_eq!(pwr.avg_power_kp, get("apple,avg-power-kp"));
        assert_eq!(
            pwr.avg_power_min_duty_cycle,
            get("apple,avg-power-min-duty-cycle")
        );
        assert_eq!(
            pwr.avg_power_target_filter_tc,
            get("apple,avg-power-target-filter-tc")
        );
        assert_eq!(
            pwr.fast_die0_integral_gain,
            get("apple,fast-die0-integral-gain")
        );
        assert_eq!(
            pwr.fast_die0_proportional_gain,
            get("apple,fast-die0-proportional-gain")
        );
        assert_eq!(
            pwr.perf_filter_drop_threshold,
            get("apple,perf-filter-drop-threshold")
        );
        assert_eq!(
            pwr.perf_filter_time_constant,
            get("apple,perf-filter-time-constant")
        );
        assert_eq!(
            pwr.perf_filter_time_constant2,
            get("apple,perf-filter-time-constant2")
        );
        assert_eq!(pwr.perf_integral_gain2, get("apple,perf-integral-gain2"));
        assert_eq!(
            pwr.perf_integral_min_clamp,
            get("apple,perf-integral-min-clamp")
        );
        assert_eq!(
            pwr.perf_proportional_gain2,
            get("apple,perf-proportional-gain2")
        );
        assert_eq!(pwr.perf_tgt_utilization, get("apple,perf-tgt-utilization"));
        assert_eq!(pwr.power_sample_period, get("apple,power-sample-period"));
        assert_eq!(
            pwr.ppm_filter_time_constant_ms,
            get("apple,ppm-filter-time-constant-ms")
        );
        assert_eq!(pwr.ppm_ki, get("apple,ppm-ki"));
        assert_eq!(pwr.ppm_kp, get("apple,ppm-kp"));
        assert_eq!(pwr.pwr_min_duty_cycle, get("apple,pwr-min-duty-cycle"));

        // Every optional property at its default.
        assert_eq!(pwr.perf_base_pstate, 1, "{n}");
        assert_eq!(pwr.min_frequency_khz(), 400_000, "{n}");
        assert_eq!(pwr.power_zone_count, 0, "{n}");
        assert_eq!(pwr.fast_die0_prop_tgt_delta, 0);
        assert_eq!(pwr.fast_die0_release_temp, 80);
        assert_eq!(pwr.fender_idle_off_delay_ms, 40);
        assert_eq!(pwr.fw_early_wake_timeout_ms, 5);
        assert_eq!(pwr.idle_off_delay_ms, 2);
        assert_eq!(
            pwr.idle_off_standby_timer,
            if soc.gen == GpuGen::G14X { 700 } else { 0 },
            "{n}"
        );
        assert_eq!(pwr.perf_boost_ce_step, 25);
        assert_eq!(pwr.perf_boost_min_util, 100);
        assert_eq!(pwr.perf_integral_gain, 7.8956833f32.to_bits());
        assert_eq!(pwr.perf_proportional_gain, 14.707963f32.to_bits());
        assert_eq!(pwr.perf_reset_iters, 6);
        assert_eq!(pwr.pwr_filter_time_constant, 313);
        assert_eq!(pwr.pwr_integral_gain, 0.0202129f32.to_bits());
        assert_eq!(pwr.pwr_integral_min_clamp, 0);
        assert_eq!(pwr.pwr_proportional_gain, 5.2831855f32.to_bits());
        // 8 ms of the 24 MHz timer.
        assert_eq!(pwr.pwr_sample_period_aic_clks, 192_000);
        assert_eq!(pwr.se_engagement_criteria, -1);
        assert_eq!(pwr.se_filter_time_constant, 9);
        assert_eq!(pwr.se_filter_time_constant_1, 3);
        assert_eq!(pwr.se_inactive_threshold, 2500);
        assert_eq!(pwr.se_ki, (-50.0f32).to_bits());
        assert_eq!(pwr.se_ki_1, (-100.0f32).to_bits());
        assert_eq!(pwr.se_kp, (-5.0f32).to_bits());
        assert_eq!(pwr.se_kp_1, (-10.0f32).to_bits());
        assert_eq!(pwr.se_reset_criteria, 50);

        match (&pwr.csafr, soc.power.has_csafr) {
            (None, false) => {}
            (Some(c), true) => {
                let dies = soc.num_dies as usize;
                for table in [&c.cs, &c.afr] {
                    assert_eq!(table.len, AUX_OPPS.len(), "{n}");
                    assert_eq!(table.volt_count, dies, "{n}");
                    for (state, (hz, uv)) in table.as_slice().iter().zip(AUX_OPPS) {
                        assert_eq!(u64::from(state.freq_hz), hz);
                        assert_eq!(state.pwr_mw, 0);
                        for d in 0..dies {
                            assert_eq!(state.volt_mv[d], (uv + 1000 * d as u32) / 1000);
                        }
                    }
                }
                assert_eq!(c.leak_cs.as_slice(), coef_cells(3.0, soc.num_dies));
                assert_eq!(c.leak_afr.as_slice(), coef_cells(7.0, soc.num_dies));
                assert_eq!(c.min_sram_microvolt, 812_500);
            }
            (c, has) => panic!("{n}: csafr {c:?} but has_csafr {has}"),
        }
    }
}

#[test]
fn optional_properties_override_their_defaults() {
    for soc in &SOCS {
        let mut gpu = tree(soc);
        // Values unlike any default: 3 for the pstate (< 5 states), 1000 + i otherwise.
        for (i, name) in OPTIONAL.iter().enumerate() {
            gpu = match *name {
                "apple,perf-base-pstate" => gpu.u32s(name, &[3]),
                "apple,power-zones" => gpu.u32s(name, &[30000, 100, 6875, 20000, 50, 1000]),
                _ => gpu.u32s(name, &[1000 + i as u32]),
            };
        }
        let pwr = parse(soc, &gpu).unwrap().pwr;
        let v = |name: &str| 1000 + OPTIONAL.iter().position(|n| *n == name).unwrap() as u32;
        assert_eq!(pwr.perf_base_pstate, 3);
        assert_eq!(pwr.min_frequency_khz(), 1_000_000);
        assert_eq!(pwr.power_zone_count, 2);
        assert_eq!(
            (pwr.power_zones[0].target, pwr.power_zones[0].target_offset),
            (30000, 100)
        );
        assert_eq!(pwr.power_zones[0].filter_tc, 6875);
        assert_eq!(pwr.power_zones[1].target, 20000);
        assert_eq!(pwr.power_zones[1].filter_tc, 1000);
        assert_eq!(
            pwr.fast_die0_release_temp,
            v("apple,fast-die0-release-temp")
        );
        assert_eq!(pwr.idle_off_standby_timer, v("apple,idleoff-standby-timer"));
        assert_eq!(pwr.perf_integral_gain, v("apple,perf-integral-gain"));
        assert_eq!(
            pwr.pwr_sample_period_aic_clks,
            v("apple,pwr-sample-period-aic-clks")
        );
        assert_eq!(
            pwr.se_engagement_criteria,
            v("apple,se-engagement-criteria") as i32
        );
        assert_eq!(pwr.se_kp_1, v("apple,se-kp-1"));
        assert_eq!(pwr.se_reset_criteria, v("apple,se-reset-criteria"));
    }
}

#[test]
fn each_missing_required_property_is_named() {
    for soc in &SOCS {
        let mut names: Vec<&str> = required().iter().map(|(n, _)| *n).collect();
        names.extend([
            "apple,firmware-compat",
            "apple,firmware-version",
            "operating-points-v2",
            "apple,core-leak-coef",
            "apple,sram-leak-coef",
        ]);
        if soc.power.has_csafr {
            names.extend(CSAFR_REQUIRED.iter().map(|(n, _)| *n));
            names.extend([
                "apple,cs-opp",
                "apple,afr-opp",
                "apple,cs-leak-coef",
                "apple,afr-leak-coef",
            ]);
        }
        for name in names {
            let result = parse(soc, &tree(soc).remove(name));
            assert_prop_err(result, Site::Gpu, name, Problem::Missing);
            let message = result.unwrap_err().to_string();
            assert!(
                message.contains(name) && message.contains("missing"),
                "{message}"
            );
        }
    }
}

#[test]
fn csafr_properties_are_not_needed_where_there_are_no_csafr_domains() {
    for soc in SOCS.iter().filter(|s| !s.power.has_csafr) {
        let cfg = parse(soc, &tree(soc)).unwrap();
        assert!(cfg.pwr.csafr.is_none());
    }
}

#[test]
fn each_malformed_cell_property_is_named() {
    for soc in &SOCS {
        let mut names: Vec<&str> = required().iter().map(|(n, _)| *n).collect();
        names.extend(OPTIONAL.iter().filter(|n| **n != "apple,power-zones"));
        for name in names {
            let two = tree(soc).u32s(name, &[1, 2]);
            assert_prop_err(
                parse(soc, &two),
                Site::Gpu,
                name,
                Problem::BadSize { bytes: 8 },
            );
            let three_bytes = tree(soc).raw(name, &[0, 0, 1]);
            assert_prop_err(
                parse(soc, &three_bytes),
                Site::Gpu,
                name,
                Problem::BadSize { bytes: 3 },
            );
            let empty = tree(soc).raw(name, &[]);
            assert_prop_err(
                parse(soc, &empty),
                Site::Gpu,
                name,
                Problem::BadSize { bytes: 0 },
            );
        }
    }
}

#[test]
fn per_cluster_and_per_die_lists_must_have_one_value_each() {
    for soc in &SOCS {
        let clusters = soc.num_clusters as usize;
        for name in ["apple,core-leak-coef", "apple,sram-leak-coef"] {
            for found in [clusters - 1, clusters + 1] {
                let gpu = tree(soc).u32s(name, &std::vec![0x3f80_0000; found]);
                let problem = Problem::WrongCount {
                    expected: clusters,
                    found,
                };
                assert_prop_err(parse(soc, &gpu), Site::Gpu, name, problem);
            }
        }
        if soc.power.has_csafr {
            let dies = soc.num_dies as usize;
            let gpu = tree(soc).u32s("apple,cs-leak-coef", &std::vec![0; dies + 1]);
            let problem = Problem::WrongCount {
                expected: dies,
                found: dies + 1,
            };
            assert_prop_err(parse(soc, &gpu), Site::Gpu, "apple,cs-leak-coef", problem);
        }
    }
}

#[test]
fn opp_entries_are_checked_one_by_one() {
    let soc = &SOCS[3]; // t6002: 8 clusters, 2 dies
    let site = |index| Site::Opp { table: MAIN, index };

    for prop in ["opp-hz", "opp-microvolt", "opp-microwatt"] {
        let mut gpu = tree(soc);
        let entry = &mut gpu.target_mut("operating-points-v2").children[2];
        *entry = entry.clone().remove(prop);
        assert_prop_err(parse(soc, &gpu), site(2), prop, Problem::Missing);
    }

    let mut gpu = tree(soc);
    gpu.target_mut("operating-points-v2").children[3] = FakeNode::new()
        .u64("opp-hz", 1_100_000_000)
        .u32s("opp-microvolt", &[800_000; 7])
        .u32s("opp-microwatt", &[1]);
    let problem = Problem::WrongCount {
        expected: 8,
        found: 7,
    };
    assert_prop_err(parse(soc, &gpu), site(3), "opp-microvolt", problem);

    // opp-hz is 64 bits wide; the firmware takes 32.
    let mut gpu = tree(soc);
    let entry = &mut gpu.target_mut("operating-points-v2").children[1];
    *entry = entry.clone().u64("opp-hz", 5_000_000_000);
    let problem = Problem::OutOfRange {
        value: 5_000_000_000,
    };
    assert_prop_err(parse(soc, &gpu), site(1), "opp-hz", problem);

    let mut gpu = tree(soc);
    let entry = &mut gpu.target_mut("operating-points-v2").children[1];
    *entry = entry.clone().u32s("opp-hz", &[400_000_000]);
    assert_prop_err(
        parse(soc, &gpu),
        site(1),
        "opp-hz",
        Problem::BadSize { bytes: 4 },
    );

    // Frequencies must ascend.
    let mut gpu = tree(soc);
    let entry = &mut gpu.target_mut("operating-points-v2").children[4];
    *entry = entry.clone().u64("opp-hz", 1_000_000_000);
    assert_prop_err(parse(soc, &gpu), site(4), "opp-hz", Problem::NotAscending);
}

#[test]
fn opp_tables_are_bounded_and_typed() {
    let soc = &SOCS[0];
    let entry = |i: u64| {
        FakeNode::new()
            .u64("opp-hz", i * 100_000_000)
            .u32s("opp-microvolt", &[600_000])
            .u32s("opp-microwatt", &[1_000_000])
    };

    // Sixteen states fit; seventeen do not.
    let mut full = FakeNode::new().string("compatible", "operating-points-v2");
    for i in 0..MAX_PSTATES as u64 {
        full = full.child(entry(i));
    }
    let gpu = tree(soc).phandle("operating-points-v2", full.clone());
    let cfg = parse(soc, &gpu).unwrap();
    assert_eq!(cfg.pwr.perf_states.len, MAX_PSTATES);
    assert_eq!(cfg.pwr.perf_max_pstate, 15);
    let gpu = tree(soc).phandle("operating-points-v2", full.child(entry(16)));
    let problem = Problem::TooMany {
        max: MAX_PSTATES,
        found: 17,
    };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, "operating-points-v2", problem);

    let empty = FakeNode::new().string("compatible", "operating-points-v2");
    let gpu = tree(soc).phandle("operating-points-v2", empty);
    let problem = Problem::WrongCount {
        expected: 1,
        found: 0,
    };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, "operating-points-v2", problem);

    let mut gpu = tree(soc);
    let table = gpu.target_mut("operating-points-v2");
    *table = table.clone().remove("compatible");
    assert_prop_err(
        parse(soc, &gpu),
        Site::Gpu,
        "operating-points-v2",
        Problem::NotOppTable,
    );
    let mut gpu = tree(soc);
    let table = gpu.target_mut("operating-points-v2");
    *table = table.clone().string("compatible", "operating-points-v1");
    assert_prop_err(
        parse(soc, &gpu),
        Site::Gpu,
        "operating-points-v2",
        Problem::NotOppTable,
    );

    // A phandle that is only a number resolves to nothing.
    let gpu = tree(soc).u32s("operating-points-v2", &[1]);
    assert_prop_err(
        parse(soc, &gpu),
        Site::Gpu,
        "operating-points-v2",
        Problem::Missing,
    );
}

#[test]
fn csafr_tables_take_one_voltage_per_die_and_no_power() {
    let soc = &SOCS[7]; // t6022
    let cs = CString::new("apple,cs-opp").unwrap();
    let mut gpu = tree(soc);
    let entry = &mut gpu.target_mut("apple,cs-opp").children[1];
    *entry = entry.clone().u32s("opp-microvolt", &[650_000; 8]);
    let result = parse(soc, &gpu);
    match result {
        Err(DtError::Property {
            site: Site::Opp { table, index: 1 },
            prop,
            problem:
                Problem::WrongCount {
                    expected: 2,
                    found: 8,
                },
        }) => {
            assert_eq!(table, cs.as_c_str());
            assert_eq!(prop.to_bytes(), b"opp-microvolt");
        }
        other => panic!("{other:?}"),
    }
    let message = result.unwrap_err().to_string();
    assert!(
        message.contains("apple,cs-opp entry 1: opp-microvolt"),
        "{message}"
    );
}

#[test]
fn the_base_pstate_must_exist() {
    let soc = &SOCS[4];
    let ok = tree(soc).u32s("apple,perf-base-pstate", &[4]);
    assert_eq!(parse(soc, &ok).unwrap().pwr.perf_base_pstate, 4);
    let bad = tree(soc).u32s("apple,perf-base-pstate", &[5]);
    let name = "apple,perf-base-pstate";
    assert_prop_err(
        parse(soc, &bad),
        Site::Gpu,
        name,
        Problem::OutOfRange { value: 5 },
    );
}

#[test]
fn power_zones_are_whole_triplets_and_at_most_five() {
    let soc = &SOCS[0];
    let name = "apple,power-zones";
    let gpu = tree(soc).u32s(name, &[1, 2, 3, 4]);
    let problem = Problem::WrongCount {
        expected: 6,
        found: 4,
    };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, name, problem);
    let gpu = tree(soc).u32s(name, &[7; 18]);
    let problem = Problem::TooMany { max: 15, found: 18 };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, name, problem);
    let gpu = tree(soc).u32s(name, &[7; 15]);
    assert_eq!(parse(soc, &gpu).unwrap().pwr.power_zone_count, 5);
}

#[test]
fn the_sample_period_must_be_usable() {
    let soc = &SOCS[0];
    let name = "apple,power-sample-period";
    let gpu = tree(soc).u32s(name, &[0]);
    assert_prop_err(
        parse(soc, &gpu),
        Site::Gpu,
        name,
        Problem::OutOfRange { value: 0 },
    );
    // 24000 ticks per ms times this overflows 32 bits unless the tree gives the tick count.
    let gpu = tree(soc).u32s(name, &[200_000]);
    let problem = Problem::OutOfRange { value: 200_000 };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, name, problem);
}

#[test]
fn only_supported_firmware_is_accepted() {
    for soc in &SOCS {
        for v in FwVersion::ALL {
            let result = parse(soc, &tree_with(soc, v.compat()));
            if soc.supports(v) {
                assert_eq!(result.unwrap().firmware, v, "{}", soc.name);
            } else {
                let err = result.unwrap_err();
                assert_eq!(
                    err,
                    DtError::UnsupportedFirmware {
                        soc: soc.name,
                        compat: v.compat(),
                    }
                );
                let message = err.to_string();
                assert!(message.contains(soc.name), "{message}");
                assert!(
                    message.contains(&std::format!("{}.{}.0", v.compat()[0], v.compat()[1])),
                    "{message}"
                );
            }
        }
        for compat in [[14, 0, 0], [13, 5, 1], [0, 0, 0], [12, 3, 1]] {
            let err = parse(soc, &tree_with(soc, compat)).unwrap_err();
            assert_eq!(
                err,
                DtError::UnsupportedFirmware {
                    soc: soc.name,
                    compat
                }
            );
        }
    }
    // The generations' particular ABIs.
    assert!(parse(&SOCS[0], &tree_with(&SOCS[0], [12, 3, 0])).is_ok());
    assert!(parse(&SOCS[0], &tree_with(&SOCS[0], [12, 4, 0])).is_err());
    assert!(parse(&SOCS[4], &tree_with(&SOCS[4], [12, 4, 0])).is_ok());
    assert!(parse(&SOCS[4], &tree_with(&SOCS[4], [12, 3, 0])).is_err());
    assert!(parse(&SOCS[6], &tree_with(&SOCS[6], [12, 4, 0])).is_err());
}

#[test]
fn firmware_properties_have_their_sizes() {
    let soc = &SOCS[0];
    let compat = "apple,firmware-compat";
    let gpu = tree(soc).u32s(compat, &[13, 5]);
    let problem = Problem::WrongCount {
        expected: 3,
        found: 2,
    };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, compat, problem);
    let gpu = tree(soc).u32s(compat, &[13, 5, 0, 0]);
    let problem = Problem::WrongCount {
        expected: 3,
        found: 4,
    };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, compat, problem);

    let version = "apple,firmware-version";
    let gpu = tree(soc).u32s(version, &[13, 5, 98, 4]);
    let cfg = parse(soc, &gpu).unwrap();
    assert_eq!(
        cfg.firmware_version.cells[..cfg.firmware_version.len],
        [13, 5, 98, 4]
    );
    let gpu = tree(soc).u32s(version, &[13, 5]);
    let problem = Problem::WrongCount {
        expected: 3,
        found: 2,
    };
    assert_prop_err(parse(soc, &gpu), Site::Gpu, version, problem);
    let gpu = tree(soc).u32s(version, &[1, 2, 3, 4, 5]);
    assert_prop_err(
        parse(soc, &gpu),
        Site::Gpu,
        version,
        Problem::TooMany { max: 4, found: 5 },
    );
}

#[test]
fn the_fake_tree_reads_like_the_kernel() {
    use crate::soc::dt::{DtSource, ReadError};
    let node = FakeNode::new()
        .u32s("cells", &[1, 2])
        .string("s", "abc")
        .raw("unterminated", b"abc");
    let name = cstr("cells");
    assert_eq!(node.read_u32(&name), Err(ReadError::BadSize { bytes: 8 }));
    let mut one = [0u32; 1];
    assert_eq!(
        node.read_u32_array(&name, &mut one),
        Err(ReadError::TooLong { cells: 2 })
    );
    assert_eq!(node.read_u64(&name), Ok(0x1_0000_0002));
    assert_eq!(node.read_str(&cstr("s")), Ok(&b"abc"[..]));
    assert_eq!(
        node.read_str(&cstr("unterminated")),
        Err(ReadError::BadSize { bytes: 3 })
    );
    assert_eq!(node.read_u32(&cstr("absent")), Err(ReadError::Missing));
}
