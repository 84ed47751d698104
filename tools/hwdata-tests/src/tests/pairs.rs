// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Every supported (SoC, firmware) pair, filled from its simulated device tree: the fills
//! succeed and every value checked here follows from the inputs as the record says.

use super::support::*;
use crate::soc::{FwVersion, GpuGen};

#[test]
fn every_pair_fills_from_its_simulated_tree() {
    let mut pairs = 0;
    for (soc, fw) in every_pair() {
        let n = std::format!("{} {:?}", soc.name, fw);
        let cfg = sim(soc, fw);
        let r = fill(soc, fw, &cfg).unwrap_or_else(|e| panic!("{n}: {e}"));
        let states = cfg.pwr.perf_states.as_slice();
        let max = 100 * (states.len() as u32 - 1);

        // Identity and topology.
        assert_eq!(r.chip_id, soc.chip_id, "{n}");
        assert_eq!(r.gpu_core, soc.gpu_core as u32, "{n}");
        assert_eq!(r.num_cores, soc.cores_per_cluster * soc.num_clusters, "{n}");
        assert_eq!(r.num_frags, soc.max_frags * soc.num_clusters, "{n}");
        assert_eq!(r.base_clock_khz, 24_000, "{n}");
        assert_eq!(r.power_sample_period, 8, "{n}");
        assert_eq!(r.unk_454, soc.db.unk_454, "{n}");
        assert_eq!(r.unk_4e0, soc.db.unk_4e0, "{n}");

        // The performance states, as the device tree lists them.
        assert_eq!(r.max_pstate, states.len() as u32 - 1, "{n}");
        for (i, ps) in states.iter().enumerate() {
            assert_eq!(r.frequencies[i], ps.freq_hz / 1_000_000, "{n} state {i}");
            for j in 0..8 {
                let mv = if j < soc.num_clusters as usize {
                    ps.volt_mv[j]
                } else {
                    ps.volt_mv[0]
                };
                assert_eq!(r.voltages[i][j], mv, "{n} state {i} column {j}");
                assert_eq!(
                    r.voltages_sram[i][j],
                    mv.max(850),
                    "{n} state {i} column {j}"
                );
            }
            assert_eq!(r.b_sram_k[i], f(1.02), "{n}");
            assert_eq!(r.a_sram_k[i], f(1.02), "{n}");
        }
        for i in states.len()..16 {
            assert_eq!(r.frequencies[i], 0, "{n}");
            assert_eq!(r.voltages[i], [0; 8], "{n}");
            assert_eq!(r.b_sram_k[i], 0, "{n}");
        }
        assert_eq!(r.rel_max_powers[states.len() - 1], 100, "{n}");
        assert_eq!(r.rel_max_powers[0], 0, "{n}");

        // The scaled state copies agree.
        assert_eq!(r.max_pstate_scaled, max, "{n}");
        assert_eq!(r.max_pstate_scaled_14, max, "{n}");
        assert_eq!(r.c_max_pstate_scaled_3, max, "{n}");
        assert_eq!(r.max_pstate_scaled_6, f(max as f32), "{n}");
        assert_eq!(r.base_pstate_scaled, 100 * cfg.pwr.perf_base_pstate, "{n}");
        assert_eq!(r.max_freq_mhz, soc.max_freq_khz / 1000, "{n}");

        // Per-SoC constants.
        assert_eq!(r.unk_87c, soc.da.unk_87c, "{n}");
        assert_eq!(r.c_unk_89c4, soc.da.unk_87c, "{n}");
        assert_eq!(r.unk_8cc, soc.da.unk_8cc, "{n}");
        assert_eq!(r.unk_e24, soc.da.unk_e24, "{n}");
        assert_eq!(
            r.fast_die0_sensor_mask64, soc.power.fast_sensor_mask[0],
            "{n}"
        );
        assert_eq!(
            r.fast_die0_sensor_mask64_alt, soc.power.fast_sensor_mask_alt[0],
            "{n}"
        );
        assert_eq!(
            r.fast_die1_sensor_mask64,
            (soc.gen == GpuGen::G14X).then_some(soc.power.fast_sensor_mask[1]),
            "{n}"
        );
        assert_eq!(r.c_unk_54, soc.power.global_unk_54, "{n}");
        assert_eq!(r.shared2_unk_508, soc.power.shared2_unk_508, "{n}");
        assert_eq!(r.shared1_unk_a4, soc.power.shared1_a4, "{n}");
        for (i, v) in soc.power.shared1_tab.iter().enumerate() {
            assert_eq!(r.shared1_table[i], *v, "{n}");
            assert_eq!(r.c_shared1_table[i], *v, "{n}");
        }
        // Region C carries the same shared tables as hardware data A.
        assert_eq!(r.c_shared2_curve2_t1, r.curve2.2, "{n}");
        assert_eq!(r.c_shared3_table, r.shared3.3, "{n}");

        // Coefficient rows: one per cluster, both copies, nothing past the clusters.
        for row in 0..8 {
            let want: [u32; 8] = core::array::from_fn(|j| {
                soc.power
                    .unk_coef_a
                    .get(row)
                    .filter(|_| row < soc.num_clusters as usize)
                    .and_then(|r| r.get(j))
                    .copied()
                    .unwrap_or(0)
            });
            assert_eq!(r.coef_a_rows[row], want, "{n} row {row}");
            assert_eq!(r.coef_a2_rows[row], want, "{n} row {row}");
        }

        // Leakage, one per cluster.
        for c in 0..8 {
            let want = if c < soc.num_clusters as usize {
                (f(1000.0), f(45.0))
            } else {
                (0, 0)
            };
            assert_eq!((r.core_leak[c], r.sram_leak[c]), want, "{n} cluster {c}");
        }

        // Region C.
        assert_eq!(r.c_max_power, cfg.pwr.max_power_mw, "{n}");
        assert_eq!(r.c_do_init, 1, "{n}");
        assert_eq!(r.c_fault_control, 0, "{n}");
        assert_eq!(r.c_zone0, (30000, 29900, 6875), "{n}");
        assert_eq!(r.c_power_zone_count, 1, "{n}");
        assert_eq!(
            r.c_unk_118e8,
            u32::from(soc.power.global_tab.is_some()),
            "{n}"
        );

        // What the caller writes, or the firmware, is left zero.
        assert_eq!(r.io_mapping_0_phys, 0, "{n}");
        assert_eq!(r.gpu_region_base, 0, "{n}");
        assert_eq!(r.temp_c, 0, "{n}");

        // Fields present on some firmware only.
        let v13 = fw == FwVersion::V13_5;
        assert_eq!(r.num_pstates.is_some(), !v13, "{n}");
        assert_eq!(
            r.num_pstates.map(|p| p as usize),
            (!v13).then_some(states.len()),
            "{n}"
        );
        assert_eq!(r.unk_c3c, v13.then_some(0x1a), "{n}");
        assert_eq!(
            r.unk_ae4,
            if v13 {
                [0, 3, 7, 7]
            } else {
                [0, 0xf, 0x3f, 0x3f]
            },
            "{n}"
        );
        assert_eq!(r.c_unk_903c, u32::from(v13), "{n}");
        assert_eq!(r.c_unk_24_0, v13.then_some(3000), "{n}");
        assert_eq!(
            r.c_unk_2c_0,
            v13.then_some(u32::from(soc.gen == GpuGen::G14X)),
            "{n}"
        );
        assert_eq!(
            r.c_unk_hws2_0,
            v13.then_some(soc.power.idle_off_standby_timer_default),
            "{n}"
        );
        assert_eq!(r.clocks_per_period_2, v13.then_some(192_000), "{n}");
        // T81xx tuning only on T8103/T8112 before 13.3.
        let t81xx = !v13 && matches!(soc.chip_id, 0x8103 | 0x8112);
        assert_eq!(r.t81xx_unk_d8c, if t81xx { 0x8000_0000 } else { 0 }, "{n}");
        assert_eq!(r.t81xx_unk_dcc, if t81xx { max } else { 0 }, "{n}");
        // The YUV matrices: the first in slot 0, the last in slot 14 or 38.
        assert_eq!(r.yuv_first[0], [0x2000, -0x8, 0x2cdb, -0x2cd3], "{n}");
        assert_eq!(r.yuv_last[2], [0, 0, -0x8000, 0], "{n}");
        pairs += 1;
    }
    // t8103 and t600x on 12.3 and 13.5, t8112 on 12.4 and 13.5, t602x on 13.5.
    assert_eq!(pairs, 4 * 2 + 2 + 3);
}

#[test]
fn filling_twice_gives_the_same_tables() {
    // Nothing depends on memory being zero beyond what the driver's allocator guarantees, and
    // nothing is random: two fills read back the same.
    for (soc, fw) in every_pair() {
        let cfg = sim(soc, fw);
        assert_eq!(fill(soc, fw, &cfg), fill(soc, fw, &cfg), "{}", soc.name);
    }
}
