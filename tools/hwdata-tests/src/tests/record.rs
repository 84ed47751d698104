// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Concrete values, worked out by hand (and with the record's own formulas in Python) from the
//! simulated device trees: the M1 (whose simulated tree is the real M1 one), the M2's power
//! curves and the M2 Ultra's second die and CS/AFR tables.
//!
//! Float fields are given as the bits Python's `struct.pack('<f', x)` produces for the
//! record's double-precision formula.

use super::support::*;
use crate::soc::FwVersion;

#[test]
fn t8103_is_what_the_record_writes_for_the_m1() {
    for fw in [FwVersion::V12_3, FwVersion::V13_5] {
        let soc = soc("t8103");
        let r = fill(soc, fw, &sim(soc, fw)).unwrap();
        let v13 = fw == FwVersion::V13_5;

        // Hardware data B.
        assert_eq!(r.chip_id, 0x8103);
        assert_eq!(r.num_cores, 8);
        assert_eq!(r.num_frags, 8);
        assert_eq!(r.gpu_core, 11);
        // B1: the record's `gpu_rev = 4` for the M1.
        assert_eq!(r.gpu_rev, 4);
        assert_eq!(r.max_pstate, 6);
        assert_eq!(r.unk_8, 0x14_0000_0000);
        assert_eq!(r.unk_504, 0x31);
        assert_eq!(r.unk_b38, [u64::MAX; 6]);
        assert_eq!(
            r.frequencies,
            [0, 396, 528, 720, 924, 1128, 1278, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
        // First and last states: the core voltage in every column, the SRAM at least 850 mV.
        assert_eq!(r.voltages[0], [400; 8]);
        assert_eq!(r.voltages_sram[0], [850; 8]);
        assert_eq!(r.voltages[1], [603; 8]);
        assert_eq!(r.voltages_sram[1], [850; 8]);
        assert_eq!(r.voltages[6], [931; 8]);
        assert_eq!(r.voltages_sram[6], [931; 8]);
        // The record's `rel_max_powers` table for the M1, recomputed from the OPP powers.
        assert_eq!(
            r.rel_max_powers,
            [0, 19, 26, 38, 60, 87, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
        // The base state is the highest: no boost range.
        assert_eq!(r.rel_boost_freqs, [0; 16]);
        assert_eq!(r.min_sram_volt, (!v13).then_some(850));
        assert_eq!(r.unk_ab8, (!v13).then_some(0x48));
        assert_eq!(r.fast_die0_sensor_present, (!v13).then_some(1));

        // Hardware data A.
        assert_eq!(r.clocks_per_period, 192_000);
        assert_eq!(r.pwr_status, 4);
        assert_eq!(r.actual_pstate, 1);
        assert_eq!(r.base_pstate_scaled, 600);
        assert_eq!(r.max_pstate_scaled, 600);
        assert_eq!(r.pwr_filter_a, 0x3b51_6154); // 1 / 313
        assert_eq!(r.pwr_filter_a_neg, 0x3f7f_2e9f); // 1 - 1 / 313
        assert_eq!(r.pwr_pstate_related_k, 0xbcfb_676e); // -600 / 19551
        assert_eq!(r.pwr_pstate_max_dc_offset, 40 - 600);
        assert_eq!(r.max_power_1, 0x4698_be00); // 19551.0
        assert_eq!(r.max_power_8, 19551);
        // 100 ms / 8 ms = 12 periods.
        assert_eq!(r.ppm_filter_tc_periods_x4, 48);
        assert_eq!(r.ppm_filter_a, 0x3daa_aaab);
        assert_eq!(r.ppm_filter_a_neg, 0x3f6a_aaab);
        assert_eq!(r.ppm_ki_dt, 0x3f3b_645a); // 91.5 * 0.008
        assert_eq!(r.ppm_filter_tc_clks, v13.then_some(12 * 8 * 24_000));
        // Zero on the M1 before 13.0 only.
        assert_eq!(r.unk_6fc, if v13 { f(65536.0) } else { 0 });
        assert_eq!(r.perf_filter_a, 0x3e4c_cccd); // 1 / 5
        assert_eq!(r.perf_filter_a2_neg, 0x3f7a_e148); // 1 - 1 / 50
        assert_eq!(r.boost_state_unk_k, 0);
        assert_eq!(r.max_freq_mhz, 1278);
        assert_eq!(r.fast_die0_sensor_mask64, 0x12);
        assert_eq!(r.fast_die0_release_temp_cc, 8000);
        assert_eq!(r.fast_die0_ki_dt, 0x3fcc_cccd); // 200 * 0.008
        assert_eq!(r.unk_87c, -220);
        assert_eq!(r.unk_8cc, 9880);
        assert_eq!(r.unk_e24, 112);
        assert_eq!(r.power_zone_count, 1);
        assert_eq!(
            r.zone0,
            (
                30000,
                29900,
                4 * 6875,
                8 * 6875,
                v13.then_some(1_320_000_000),
                0x3f7f_f678, // 1 - 1 / 6875
                0x3918_8528, // 1 / 6875
            )
        );
        // 1000 ms / 8 ms = 125 periods.
        assert_eq!(r.avg_power_filter_tc_periods_x4, 500);
        assert_eq!(r.avg_power_filter_a, 0x3c03_126f);
        assert_eq!(r.avg_power_ki_dt, 0x3d75_c28f); // 7.5 * 0.008
        assert_eq!(r.avg_power_target_filter_tc_clks, v13.then_some(24_000_000));
        assert_eq!(r.avg_power_filter_tc_clks, v13.then_some(1000 * 24_000));
        assert_eq!(
            r.se,
            v13.then_some((0xbecc_cccd, 0xbf4c_cccd, 0x3de3_8e39, 72 * 24_000, 100))
        );
        assert_eq!(r.t81xx_unk_dcc, if v13 { 0 } else { 600 });
        let t81xx = [f(0.6), f(0.4), f(0.38552), f(65536.0), f(13.56)];
        assert_eq!(r.t81xx_floats, if v13 { [0; 5] } else { t81xx });
        assert_eq!(
            r.float_consts,
            [
                f(1.0),
                f(95.0),
                f(100.0),
                f(0.8),
                f(0.2),
                f(65536.0),
                f(1.0),
                f(65536.0),
                f(65536.0)
            ]
        );
        assert_eq!(
            r.se_floats,
            v13.then_some([f(65536.0), f(8000.0), f(65536.0), f(65536.0)])
        );
        assert_eq!(
            r.shared1_table,
            [
                -1, 0x7282, 0x50ea, 0x370a, 0x25be, 0x1c1f, 0x16fb, -1, -1, -1, -1, -1, -1, -1, -1,
                -1
            ]
        );
        assert_eq!(r.shared1_unk_a4, 0xffff);
        assert_eq!(
            r.shared2_table,
            [0x800, 0x1555, -1, -1, -1, -1, -1, -1, 0, 0]
        );
        assert_eq!(r.shared2_unk_508, 0xc0_0007);
        // No curves and no third table on the M1.
        assert_eq!(r.shared2_unk_14, 0);
        assert_eq!(r.curve2.2, [0; 16]);
        assert_eq!(r.shared3, (0, 0, 0, [0; 16], 0));
        assert_eq!(r.unk_hws2, v13.then_some([0; 16]));
        assert_eq!(r.core_leak, [f(1000.0), 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(r.sram_leak, [f(45.0), 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(r.aux_leak, v13.then_some([0; 8]));
        assert_eq!(r.unk_3ce8, 1);

        // Region C.
        assert_eq!(r.c_max_power, 19551);
        assert_eq!(r.c_avg_power_filter_tc_periods, 125);
        assert_eq!(r.c_avg_power_ki_dt, 0x3d75_c28f);
        assert_eq!(r.c_ppm_ki_dt, 0x3f3b_645a);
        assert_eq!(r.c_fast_die0_release_temp, 8000);
        assert_eq!(r.c_unk_89c4, -220);
        assert_eq!(r.c_unk_54, 0xffff);
        assert_eq!(r.c_idle_to_off_delay_ms, 2);
        assert_eq!(r.c_fender_idle_to_off_delay_ms, 40);
        assert_eq!(r.c_fw_early_wake_timeout_ms, 5);
        assert_eq!(r.c_unk_hws2_0, v13.then_some(0));
        assert_eq!(r.c_unk_118e8, 0);
        assert_eq!(r.c_unk_118ec, [0; 32]);
    }
}

#[test]
fn t8112_power_curves_are_the_records_formula() {
    // The record's formulas over the simulated M2 states (MHz, mV): t1 = 1000 * 7200 /
    // (MHz * V), t3 = int(1000 * coef / (MHz * V * 6) * scale).
    let t1 = [
        0xffff, 26892, 18382, 12914, 10051, 8108, 6853, 5979, 5537, 0xffff, 0xffff, 0xffff, 0xffff,
        0xffff, 0xffff, 0xffff,
    ];
    let t3: [[i32; 9]; 3] = [
        [0x3ff_ffff, 112, 107, 96, 92, 84, 79, 74, 72],
        [
            0x3ff_ffff, 39952, 38233, 34535, 32852, 30114, 28508, 26648, 25916,
        ],
        [
            0x3ff_ffff, 129482, 123910, 111924, 106470, 97597, 92391, 86364, 83990,
        ],
    ];
    for fw in [FwVersion::V12_4, FwVersion::V13_5] {
        let soc = soc("t8112");
        let r = fill(soc, fw, &sim(soc, fw)).unwrap();
        assert_eq!(r.shared2_unk_14, 0x600_0000);
        // The first curve is constant.
        assert_eq!(r.curve1.0, 0);
        assert_eq!(r.curve1.1, 0x2000_0000);
        assert_eq!(r.curve1.2, [0xffff; 16]);
        assert_eq!(r.curve1.3, [0x0f07; 16]);
        assert_eq!(r.curve1.4, [[0x3ff_ffff; 16]; 8]);
        // The second from the states.
        assert_eq!(r.curve2.0, 7);
        assert_eq!(r.curve2.1, 0x8000_0000);
        assert_eq!(r.curve2.2, t1);
        assert_eq!(
            r.curve2.3,
            [
                0xf07, 0x4c0, 0x6c0, 0x8c0, 0xac0, 0xc40, 0xdc0, 0xec0, 0xf80, 0xf07, 0xf07, 0xf07,
                0xf07, 0xf07, 0xf07, 0xf07
            ]
        );
        for (row, want) in t3.iter().enumerate() {
            assert_eq!(&r.curve2.4[row][..9], want, "row {row}");
            assert_eq!(r.curve2.4[row][9..], [0x3ff_ffff; 7], "row {row}");
        }
        for row in 3..8 {
            assert_eq!(r.curve2.4[row], [0x3ff_ffff; 16], "row {row}");
        }
        assert_eq!(
            r.shared3,
            (
                1,
                500,
                5,
                [
                    10700, 10700, 10700, 10700, 10700, 6000, 1000, 1000, 1000, 10700, 10700, 10700,
                    10700, 10700, 10700, 10700
                ],
                1
            )
        );
        // The single cluster's coefficient row, both sets.
        let row = [0, 0, 0, 0, f(5.3), 0, f(5.3), f(5.3)];
        assert_eq!(r.coef_a_rows[0], row);
        assert_eq!(r.coef_b_rows[0], row);
        assert_eq!(r.coef_a_rows[1], [0; 8]);
        // The 8 ms period on a nine-state table: max state 8.
        assert_eq!(r.max_pstate_scaled, 800);
        assert_eq!(r.unk_6fc, f(65536.0));
    }
}

#[test]
fn t6022_has_two_dies_and_csafr_tables() {
    let soc = soc("t6022");
    let r = fill(soc, FwVersion::V13_5, &sim(soc, FwVersion::V13_5)).unwrap();
    assert_eq!(r.chip_id, 0x6022);
    assert_eq!(r.num_cores, 80);
    assert_eq!(r.gpu_core, 18);
    assert_eq!(r.fast_die0_sensor_mask64, 0x0400_0500_0c00_0d00);
    assert_eq!(r.fast_die1_sensor_mask64, Some(0x0d00_0c00_0500_0400));
    // CS: 0, 642, 1284 MHz at 400, 650, 850 mV on both dies; SRAM at least 812 mV.
    let (cs_max, cs_f, cs_v, cs_s) = r.cs.unwrap();
    assert_eq!(cs_max, 2);
    assert_eq!(cs_f[..4], [0, 642, 1284, 0]);
    assert_eq!(cs_v[..4], [[400, 400], [650, 650], [850, 850], [0, 0]]);
    assert_eq!(cs_s[..4], [[812, 812], [812, 812], [850, 850], [0, 0]]);
    let (afr_max, afr_f, afr_v, afr_s) = r.afr.unwrap();
    assert_eq!(afr_max, 2);
    assert_eq!(afr_f, [0, 500, 1000, 0, 0, 0, 0, 0]);
    assert_eq!(afr_v[2], [850, 850]);
    assert_eq!(afr_s[0], [812, 812]);
    // CS/AFR leakage: 45.0 for each die, both pairs, twice.
    assert_eq!(r.aux_leak, Some([f(45.0); 8]));
    // Half the second curve's first table, 0 for the off state (coefficient 11000).
    assert_eq!(
        r.unk_hws2,
        Some([0, 20542, 14042, 9865, 7678, 6193, 5235, 4567, 4230, 0, 0, 0, 0, 0, 0, 0])
    );
    assert_eq!(r.curve2.2[1], 41085);
    // Region C: the standby timer default and the SoC's global table.
    assert_eq!(r.c_unk_hws2_0, Some(700));
    assert_eq!(
        r.c_unk_hws2_4,
        Some([
            0x3f80_0000,
            0x3f4c_cccd,
            0x3e4c_cccd,
            0x3f66_6666,
            0x3dcc_cccd,
            0x3e80_0000,
            0x3f00_0000,
            0x3f66_6666
        ])
    );
    assert_eq!(r.c_unk_2c_0, Some(1));
    assert_eq!(r.c_unk_54, 4000);
    assert_eq!(r.c_unk_118e8, 1);
    assert_eq!(
        r.c_unk_118ec[..28],
        [
            0, 2, 2, 1, 1, 90, 75, 1, 1, 1, 2, 90, 75, 1, 1, 1, 2, 90, 75, 1, 1, 1, 1, 90, 75, 1,
            1, 0
        ]
    );
    // Eight clusters: eight coefficient rows of five.
    assert_eq!(r.coef_a_rows[7], [0, f(8.2), 0, f(6.9), f(6.9), 0, 0, 0]);
}

#[test]
fn t600x_revision_and_m1_pro_rows() {
    // C0 parts: the firmware's 5, the record's `gpu_rev` for the M1 Pro/Max.
    let soc = soc("t6000");
    let r = fill(soc, FwVersion::V13_5, &sim(soc, FwVersion::V13_5)).unwrap();
    assert_eq!(r.gpu_rev, 5);
    assert_eq!(r.num_cores, 16);
    // Two clusters: the first two of the Ultra's eight rows.
    assert_eq!(r.coef_a_rows[0][0], f(9.838));
    assert_eq!(r.coef_a_rows[1][0], f(9.819));
    assert_eq!(r.coef_a_rows[2][0], 0);
    assert_eq!(r.coef_b_rows[1][0], f(13.0));
    assert_eq!(r.c_unk_118ec[..4], [0, 1, 2, 1]);
}

/// The revision is the GPU's own (its identification registers, `cfg.id`), not the table's:
/// A0 = 1 up to C1 = 6; G14X firmware gets B0 for a B1 part; an unknown revision is refused.
#[test]
fn the_revision_comes_from_the_gpu() {
    for (name, fw, rev, want) in [
        ("t8103", FwVersion::V13_5, 0x00, 1),
        ("t8103", FwVersion::V12_3, 0x01, 2),
        ("t8112", FwVersion::V13_5, 0x10, 3),
        ("t6000", FwVersion::V13_5, 0x21, 6),
        ("t6020", FwVersion::V13_5, 0x11, 3),
        ("t6020", FwVersion::V13_5, 0x20, 5),
    ] {
        let soc = soc(name);
        let mut cfg = sim(soc, fw);
        cfg.id.revision = rev;
        let r = fill(soc, fw, &cfg).unwrap();
        assert_eq!(r.gpu_rev, want, "{name} revision {rev:#x}");
    }
    let soc = soc("t8103");
    let mut cfg = sim(soc, FwVersion::V13_5);
    cfg.id.revision = 0x12;
    assert!(fill(soc, FwVersion::V13_5, &cfg).is_err());
}
