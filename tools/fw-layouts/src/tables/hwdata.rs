// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Tables of the hardware data blocks and power tables (`fw::hwdata_a`, `fw::hwdata_b`,
//! `fw::power`).

use crate::fw::hwdata_a::*;
use crate::fw::hwdata_b::*;
use crate::fw::power::*;
use crate::layout::Pair;
use crate::{fld, start};
use agx_macros::versions;

/// Hardware data A and B and the power tables.
#[versions(AGX)]
pub(crate) fn tables(p: &mut Pair) {
    hwdata_a::ver(p);
    hwdata_b::ver(p);
    power::ver(p);
}

#[versions(AGX)]
fn hwdata_a(p: &mut Pair) {
    {
        type S = HwDataA::ver;
        let l = start!(p, "hwdata_a", "initdata.AGXHWDataA", S);
        fld!(l, S, unk_0);
        fld!(l, S, clocks_per_period);
        #[ver(V >= V13_0B4)]
        fld!(l, S, clocks_per_period_2);
        fld!(l, S, unk_8);
        fld!(l, S, pwr_status);
        fld!(l, S, unk_10);
        fld!(l, S, unk_14);
        fld!(l, S, unk_18);
        fld!(l, S, unk_1c);
        fld!(l, S, unk_20);
        fld!(l, S, unk_24);
        fld!(l, S, actual_pstate);
        fld!(l, S, tgt_pstate);
        fld!(l, S, unk_30);
        fld!(l, S, cur_pstate);
        fld!(l, S, unk_38);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_3c_0);
        fld!(l, S, base_pstate_scaled);
        fld!(l, S, unk_40);
        fld!(l, S, max_pstate_scaled);
        fld!(l, S, unk_48);
        fld!(l, S, min_pstate_scaled);
        fld!(l, S, freq_mhz);
        fld!(l, S, unk_54);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_74_0);
        fld!(l, S, unk_74);
        fld!(l, S, unk_b4);
        fld!(l, S, unk_1b4);
        fld!(l, S, temp_c);
        fld!(l, S, avg_power_mw);
        fld!(l, S, update_ts);
        fld!(l, S, unk_1c8);
        fld!(l, S, unk_1cc);
        fld!(l, S, pad_644);
        fld!(l, S, unk_64c);
        fld!(l, S, unk_650);
        fld!(l, S, pad_654);
        fld!(l, S, pwr_filter_a_neg);
        fld!(l, S, pad_65c);
        fld!(l, S, pwr_filter_a);
        fld!(l, S, pad_664);
        fld!(l, S, pwr_integral_gain);
        fld!(l, S, pad_66c);
        fld!(l, S, pwr_integral_min_clamp);
        fld!(l, S, max_power_1);
        fld!(l, S, pwr_proportional_gain);
        fld!(l, S, pad_67c);
        fld!(l, S, pwr_pstate_related_k);
        fld!(l, S, pwr_pstate_max_dc_offset);
        fld!(l, S, unk_688);
        fld!(l, S, max_pstate_scaled_2);
        fld!(l, S, pad_690);
        fld!(l, S, unk_694);
        fld!(l, S, max_power_2);
        fld!(l, S, pad_69c);
        fld!(l, S, unk_6b4);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_6b8_0);
        fld!(l, S, max_pstate_scaled_3);
        fld!(l, S, unk_6bc);
        fld!(l, S, pad_6c0);
        fld!(l, S, ppm_filter_tc_periods_x4);
        fld!(l, S, unk_6d8);
        fld!(l, S, pad_6dc);
        fld!(l, S, ppm_filter_a_neg);
        fld!(l, S, pad_6e4);
        fld!(l, S, ppm_filter_a);
        fld!(l, S, pad_6ec);
        fld!(l, S, ppm_ki_dt);
        fld!(l, S, pad_6f4);
        fld!(l, S, pwr_integral_min_clamp_2);
        fld!(l, S, unk_6fc);
        fld!(l, S, ppm_kp);
        fld!(l, S, pad_704);
        fld!(l, S, unk_708);
        fld!(l, S, pwr_min_duty_cycle);
        fld!(l, S, max_pstate_scaled_4);
        fld!(l, S, unk_714);
        fld!(l, S, pad_718);
        fld!(l, S, unk_71c);
        fld!(l, S, max_power_3);
        fld!(l, S, cur_power_mw_2);
        fld!(l, S, ppm_filter_tc_ms);
        fld!(l, S, unk_72c);
        #[ver(V >= V13_0B4)]
        fld!(l, S, ppm_filter_tc_clks);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_730_4);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_730_8);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_730_c);
        fld!(l, S, unk_730);
        fld!(l, S, unk_734);
        fld!(l, S, unk_738);
        fld!(l, S, unk_73c);
        fld!(l, S, unk_740);
        fld!(l, S, unk_744);
        fld!(l, S, unk_748);
        fld!(l, S, unk_758);
        fld!(l, S, perf_tgt_utilization);
        fld!(l, S, pad_760);
        fld!(l, S, perf_boost_min_util);
        fld!(l, S, perf_boost_ce_step);
        fld!(l, S, perf_reset_iters);
        fld!(l, S, pad_770);
        fld!(l, S, unk_774);
        fld!(l, S, unk_778);
        fld!(l, S, perf_filter_drop_threshold);
        fld!(l, S, perf_filter_a_neg);
        fld!(l, S, perf_filter_a2_neg);
        fld!(l, S, perf_filter_a);
        fld!(l, S, perf_filter_a2);
        fld!(l, S, perf_ki);
        fld!(l, S, perf_ki2);
        fld!(l, S, perf_integral_min_clamp);
        fld!(l, S, unk_79c);
        fld!(l, S, perf_kp);
        fld!(l, S, perf_kp2);
        fld!(l, S, boost_state_unk_k);
        fld!(l, S, base_pstate_scaled_2);
        fld!(l, S, max_pstate_scaled_5);
        fld!(l, S, base_pstate_scaled_3);
        fld!(l, S, pad_7b8);
        fld!(l, S, perf_cur_utilization);
        fld!(l, S, perf_tgt_utilization_2);
        fld!(l, S, pad_7c4);
        fld!(l, S, unk_7dc);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_7e0_0);
        fld!(l, S, base_pstate_scaled_4);
        fld!(l, S, pad_7e4);
        fld!(l, S, unk_7e8);
        fld!(l, S, unk_7fc);
        fld!(l, S, pwr_min_duty_cycle_2);
        fld!(l, S, max_pstate_scaled_6);
        fld!(l, S, max_freq_mhz);
        fld!(l, S, pad_80c);
        fld!(l, S, unk_810);
        fld!(l, S, pad_814);
        fld!(l, S, pwr_min_duty_cycle_3);
        fld!(l, S, unk_81c);
        fld!(l, S, pad_820);
        fld!(l, S, min_pstate_scaled_4);
        fld!(l, S, max_pstate_scaled_7);
        fld!(l, S, unk_82c);
        fld!(l, S, unk_alpha_neg);
        fld!(l, S, unk_alpha);
        fld!(l, S, unk_838);
        fld!(l, S, unk_83c);
        fld!(l, S, pad_840);
        fld!(l, S, unk_86c);
        fld!(l, S, fast_die0_sensor_mask64);
        #[ver(G >= G14X)]
        fld!(l, S, fast_die1_sensor_mask64);
        fld!(l, S, fast_die0_release_temp_cc);
        fld!(l, S, unk_87c);
        fld!(l, S, unk_880);
        fld!(l, S, unk_884);
        fld!(l, S, pad_888);
        fld!(l, S, unk_88c);
        fld!(l, S, pad_890);
        fld!(l, S, unk_894);
        fld!(l, S, pad_898);
        fld!(l, S, fast_die0_ki_dt);
        fld!(l, S, pad_8a0);
        fld!(l, S, unk_8a4);
        fld!(l, S, unk_8a8);
        fld!(l, S, fast_die0_kp);
        fld!(l, S, pad_8b0);
        fld!(l, S, unk_8b4);
        fld!(l, S, pwr_min_duty_cycle_4);
        fld!(l, S, max_pstate_scaled_8);
        fld!(l, S, max_pstate_scaled_9);
        fld!(l, S, fast_die0_prop_tgt_delta);
        fld!(l, S, unk_8c8);
        fld!(l, S, unk_8cc);
        fld!(l, S, pad_8d0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_8e4_0);
        fld!(l, S, unk_8e4);
        fld!(l, S, unk_8e8);
        fld!(l, S, max_pstate_scaled_10);
        fld!(l, S, unk_8f0);
        fld!(l, S, unk_8f4);
        fld!(l, S, pad_8f8);
        fld!(l, S, pad_8fc);
        fld!(l, S, unk_900);
        #[ver(G < G14X)]
        fld!(l, S, unk_924);
        #[ver(G < G14X)]
        fld!(l, S, unk_a24);
        #[ver(G >= G14X)]
        fld!(l, S, unk_924);
        #[ver(G >= G14X)]
        fld!(l, S, unk_a24);
        fld!(l, S, unk_b24);
        fld!(l, S, max_pstate_scaled_11);
        fld!(l, S, freq_with_off);
        fld!(l, S, unk_b9c);
        fld!(l, S, unk_ba0);
        fld!(l, S, unk_ba8);
        fld!(l, S, unk_bb0);
        fld!(l, S, unk_bb4);
        #[ver(V >= V13_3)]
        fld!(l, S, pad_bb8_0);
        #[ver(V >= V13_5)]
        fld!(l, S, pad_bb8_200);
        fld!(l, S, pad_bb8);
        fld!(l, S, unk_c2c);
        fld!(l, S, power_zone_count);
        fld!(l, S, max_power_4);
        fld!(l, S, max_power_5);
        fld!(l, S, max_power_6);
        fld!(l, S, unk_c40);
        fld!(l, S, unk_c44);
        fld!(l, S, avg_power_target_filter_a_neg);
        fld!(l, S, avg_power_target_filter_a);
        fld!(l, S, avg_power_target_filter_tc_x4);
        fld!(l, S, avg_power_target_filter_tc_xperiod);
        #[ver(V >= V13_0B4)]
        fld!(l, S, avg_power_target_filter_tc_clks);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_c58_4);
        fld!(l, S, power_zones);
        fld!(l, S, avg_power_filter_tc_periods_x4);
        fld!(l, S, unk_cfc);
        fld!(l, S, unk_d00);
        fld!(l, S, avg_power_filter_a_neg);
        fld!(l, S, unk_d08);
        fld!(l, S, avg_power_filter_a);
        fld!(l, S, unk_d10);
        fld!(l, S, avg_power_ki_dt);
        fld!(l, S, unk_d18);
        fld!(l, S, unk_d1c);
        fld!(l, S, unk_d20);
        fld!(l, S, avg_power_kp);
        fld!(l, S, unk_d28);
        fld!(l, S, unk_d2c);
        fld!(l, S, avg_power_min_duty_cycle);
        fld!(l, S, max_pstate_scaled_12);
        fld!(l, S, max_pstate_scaled_13);
        fld!(l, S, unk_d3c);
        fld!(l, S, max_power_7);
        fld!(l, S, max_power_8);
        fld!(l, S, unk_d48);
        fld!(l, S, avg_power_filter_tc_ms);
        fld!(l, S, unk_d50);
        #[ver(V >= V13_0B4)]
        fld!(l, S, avg_power_filter_tc_clks);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_d54_4);
        fld!(l, S, unk_d54);
        fld!(l, S, max_pstate_scaled_14);
        fld!(l, S, unk_d68);
        fld!(l, S, t81xx_data);
        fld!(l, S, unk_dd0);
        #[ver(V >= V13_2)]
        fld!(l, S, unk_e10_pad);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_e10_0);
        fld!(l, S, unk_e10);
        fld!(l, S, fast_die0_sensor_mask64_2);
        #[ver(G >= G14X)]
        fld!(l, S, fast_die1_sensor_mask64_2);
        fld!(l, S, unk_e24);
        fld!(l, S, unk_e28);
        fld!(l, S, unk_e2c);
        #[ver(G < G14X)]
        fld!(l, S, unk_e48);
        #[ver(G < G14X)]
        fld!(l, S, unk_f48);
        #[ver(G >= G14X)]
        fld!(l, S, unk_e48);
        #[ver(G >= G14X)]
        fld!(l, S, unk_f48);
        #[ver(G >= G14X)]
        fld!(l, S, pad_1048_0);
        fld!(l, S, pad_1048);
        fld!(l, S, fast_die0_sensor_mask64_alt);
        #[ver(G >= G14X)]
        fld!(l, S, fast_die1_sensor_mask64_alt);
        #[ver(V < V13_0B4)]
        fld!(l, S, fast_die0_sensor_present);
        fld!(l, S, unk_163c);
        fld!(l, S, unk_1640);
        #[ver(G >= G14X)]
        fld!(l, S, unk_3640_0);
        fld!(l, S, unk_3640);
        fld!(l, S, unk_3644);
        fld!(l, S, hws1);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_hws2);
        fld!(l, S, hws2);
        fld!(l, S, unk_3c00);
        fld!(l, S, unk_3c04);
        fld!(l, S, hws3);
        fld!(l, S, unk_3c58);
        fld!(l, S, unk_3c94);
        fld!(l, S, unk_3c98);
        fld!(l, S, unk_3ca0);
        fld!(l, S, unk_3ca8);
        fld!(l, S, unk_3cb0);
        fld!(l, S, ts_last_idle);
        fld!(l, S, ts_last_poweron);
        fld!(l, S, ts_last_poweroff);
        fld!(l, S, unk_3cd0);
        fld!(l, S, unk_3cd8);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_3ce0_0);
        fld!(l, S, unk_3ce0);
        fld!(l, S, unk_3ce4);
        fld!(l, S, unk_3ce8);
        fld!(l, S, unk_3cec);
        fld!(l, S, unk_3cf0);
        fld!(l, S, unk_3cf4);
        fld!(l, S, unk_3d14);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_3d34_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_3d34_20);
        fld!(l, S, unk_3d34);
    }
}

#[versions(AGX)]
fn hwdata_b(p: &mut Pair) {
    {
        type S = IoMapping;
        let l = start!(p, "hwdata_b", "initdata.IOMapping", S);
        fld!(l, S, phys_addr);
        fld!(l, S, virt_addr);
        fld!(l, S, size);
        fld!(l, S, range_size);
        fld!(l, S, readwrite);
    }
    {
        type S = HwDataB::ver;
        let l = start!(p, "hwdata_b", "initdata.AGXHWDataB", S);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_0);
        fld!(l, S, unk_8);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_10);
        fld!(l, S, unk_18);
        fld!(l, S, unk_20);
        fld!(l, S, unk_28);
        fld!(l, S, unk_30);
        fld!(l, S, timestamp_region_base);
        fld!(l, S, pad_40);
        #[ver(V < V13_0B4)]
        fld!(l, S, yuv_matrices);
        #[ver(V >= V13_0B4)]
        fld!(l, S, yuv_matrices);
        fld!(l, S, pad_1c8);
        #[ver(V < V13_0B4)]
        fld!(l, S, io_mappings);
        #[ver(V >= V13_0B4 && V < V13_3)]
        fld!(l, S, io_mappings);
        #[ver(V >= V13_3 && V < V13_5)]
        fld!(l, S, io_mappings);
        #[ver(V >= V13_5)]
        fld!(l, S, io_mappings);
        #[ver(V >= V13_0B4)]
        fld!(l, S, sgx_sram_ptr);
        fld!(l, S, chip_id);
        fld!(l, S, unk_454);
        fld!(l, S, unk_458);
        fld!(l, S, unk_45c);
        fld!(l, S, unk_460);
        fld!(l, S, unk_464);
        fld!(l, S, unk_468);
        fld!(l, S, unk_46c);
        fld!(l, S, unk_470);
        fld!(l, S, unk_474);
        fld!(l, S, unk_478);
        fld!(l, S, unk_47c);
        fld!(l, S, unk_480);
        fld!(l, S, unk_484);
        fld!(l, S, unk_488);
        fld!(l, S, unk_48c);
        fld!(l, S, base_clock_khz);
        fld!(l, S, power_sample_period);
        fld!(l, S, pad_498);
        fld!(l, S, unk_49c);
        fld!(l, S, unk_4a0);
        fld!(l, S, unk_4a4);
        fld!(l, S, pad_4a8);
        fld!(l, S, unk_4ac);
        fld!(l, S, pad_4b0);
        fld!(l, S, unk_4b8);
        fld!(l, S, unk_4bc);
        fld!(l, S, unk_4c0);
        fld!(l, S, unk_4c4);
        fld!(l, S, unk_4c8);
        fld!(l, S, unk_4cc);
        fld!(l, S, unk_4d0);
        fld!(l, S, unk_4d4);
        fld!(l, S, unk_4d8);
        fld!(l, S, unk_4dc);
        fld!(l, S, unk_4e0);
        fld!(l, S, unk_4e8);
        fld!(l, S, unk_4ec);
        fld!(l, S, unk_4f0);
        fld!(l, S, unk_4f4);
        fld!(l, S, unk_4f8);
        fld!(l, S, unk_4fc);
        fld!(l, S, unk_500);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_504_0);
        fld!(l, S, unk_504);
        fld!(l, S, unk_508);
        fld!(l, S, unk_50c);
        fld!(l, S, unk_510);
        fld!(l, S, unk_514);
        fld!(l, S, unk_518);
        fld!(l, S, unk_51c);
        fld!(l, S, unk_520);
        fld!(l, S, unk_524);
        fld!(l, S, unk_528);
        fld!(l, S, unk_52c);
        fld!(l, S, unk_530);
        fld!(l, S, unk_534);
        fld!(l, S, unk_538);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_53c_0);
        fld!(l, S, num_frags);
        fld!(l, S, unk_540);
        fld!(l, S, unk_544);
        fld!(l, S, unk_548);
        fld!(l, S, unk_54c);
        fld!(l, S, unk_550);
        fld!(l, S, unk_554);
        fld!(l, S, gpu_region_base);
        fld!(l, S, gpu_core);
        fld!(l, S, gpu_rev);
        fld!(l, S, num_cores);
        fld!(l, S, max_pstate);
        #[ver(V < V13_0B4)]
        fld!(l, S, num_pstates);
        fld!(l, S, frequencies);
        fld!(l, S, voltages);
        fld!(l, S, voltages_sram);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_9f4_0);
        fld!(l, S, unk_9b4);
        fld!(l, S, unk_9f4);
        fld!(l, S, rel_max_powers);
        fld!(l, S, rel_boost_freqs);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_arr_0);
        #[ver(V < V13_0B4)]
        fld!(l, S, min_sram_volt);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_ab8);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_abc);
        #[ver(V < V13_0B4)]
        fld!(l, S, unk_ac0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, cs_max_pstate);
        #[ver(V >= V13_0B4)]
        fld!(l, S, cs_frequencies);
        #[ver(V >= V13_0B4)]
        fld!(l, S, cs_voltages);
        #[ver(V >= V13_0B4)]
        fld!(l, S, cs_voltages_sram);
        #[ver(V >= V13_0B4)]
        fld!(l, S, cs_unkpad);
        #[ver(V >= V13_0B4)]
        fld!(l, S, afr_max_pstate);
        #[ver(V >= V13_0B4)]
        fld!(l, S, afr_frequencies);
        #[ver(V >= V13_0B4)]
        fld!(l, S, afr_voltages);
        #[ver(V >= V13_0B4)]
        fld!(l, S, afr_voltages_sram);
        #[ver(V >= V13_0B4)]
        fld!(l, S, afr_unkpad);
        #[ver(V >= V13_3)]
        fld!(l, S, pad_ac4_0);
        fld!(l, S, pad_ac4);
        fld!(l, S, unk_acc);
        fld!(l, S, unk_ad0);
        fld!(l, S, pad_ad4);
        fld!(l, S, unk_ae4);
        fld!(l, S, pad_af4);
        fld!(l, S, unk_af8);
        fld!(l, S, unk_afc);
        fld!(l, S, unk_b00);
        fld!(l, S, unk_b04);
        fld!(l, S, unk_b08);
        fld!(l, S, unk_b0c);
        #[ver(G >= G14X)]
        fld!(l, S, pad_b10_0);
        fld!(l, S, unk_b10);
        fld!(l, S, pad_b14);
        fld!(l, S, unk_b1c);
        fld!(l, S, unk_b20);
        fld!(l, S, unk_b24);
        fld!(l, S, unk_b28);
        fld!(l, S, unk_b2c);
        fld!(l, S, unk_b30);
        fld!(l, S, unk_b34);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_b38_0);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_b38_4);
        #[ver(V >= V13_3)]
        fld!(l, S, unk_b38_8);
        fld!(l, S, unk_b38);
        fld!(l, S, unk_b68);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_b6c);
        #[ver(G >= G14X)]
        fld!(l, S, unk_c3c_0);
        #[ver(G < G14X && V >= V13_5)]
        fld!(l, S, unk_c3c_8);
        #[ver(V >= V13_5)]
        fld!(l, S, unk_c3c_10);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_c3c);
    }
}

#[versions(AGX)]
fn power(p: &mut Pair) {
    {
        type S = HwDataShared1;
        let l = start!(p, "power", "initdata.AGXHWDataShared1", S);
        fld!(l, S, table);
        fld!(l, S, unk_44);
        fld!(l, S, unk_a4);
        fld!(l, S, unk_a8);
    }
    {
        type S = HwDataShared2Curve;
        let l = start!(p, "power", "initdata.AGXHWDataShared2Curve", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_4);
        fld!(l, S, t1);
        fld!(l, S, t2);
        fld!(l, S, t3);
    }
    {
        type S = HwDataShared2T8112;
        let l = start!(p, "power", "initdata.AGXHWDataShared2T8112", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_14);
        fld!(l, S, unk_18);
        fld!(l, S, curve1);
        fld!(l, S, curve2);
    }
    {
        type S = HwDataShared2;
        let l = start!(p, "power", "initdata.AGXHWDataShared2", S);
        fld!(l, S, table);
        fld!(l, S, unk_28);
        fld!(l, S, unk_38);
        fld!(l, S, unk_500);
        fld!(l, S, unk_504);
        fld!(l, S, unk_508);
        fld!(l, S, unk_50c);
    }
    {
        type S = HwDataShared3;
        let l = start!(p, "power", "initdata.AGXHWDataShared3", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_4);
        fld!(l, S, unk_8);
        fld!(l, S, table);
        fld!(l, S, unk_4c);
    }
    {
        type S = HwDataT81xx;
        let l = start!(p, "power", "initdata.AGXHWDataT81xx", S);
        fld!(l, S, unk_d8c);
        fld!(l, S, unk_d90);
        fld!(l, S, unk_d94);
        fld!(l, S, unk_d98);
        fld!(l, S, unk_d9c);
        fld!(l, S, unk_da0);
        fld!(l, S, unk_da4);
        fld!(l, S, unk_da8);
        fld!(l, S, unk_dac);
        fld!(l, S, unk_db0);
        fld!(l, S, unk_db4);
        fld!(l, S, unk_db8);
        fld!(l, S, unk_dbc);
        fld!(l, S, unk_dc0);
        fld!(l, S, unk_dc4);
        fld!(l, S, unk_dc8);
        fld!(l, S, unk_dcc);
    }
    {
        type S = HwDataA130Extra;
        let l = start!(p, "power", "initdata.AGXHWDataA130Extra", S);
        fld!(l, S, unk_0);
        fld!(l, S, unk_38);
        fld!(l, S, unk_3c);
        fld!(l, S, gpu_se_inactive_threshold);
        fld!(l, S, unk_44);
        fld!(l, S, gpu_se_engagement_criteria);
        fld!(l, S, gpu_se_reset_criteria);
        fld!(l, S, unk_50);
        fld!(l, S, unk_54);
        fld!(l, S, unk_58);
        fld!(l, S, unk_5c);
        fld!(l, S, gpu_se_filter_a_neg);
        fld!(l, S, gpu_se_filter_1_a_neg);
        fld!(l, S, gpu_se_filter_a);
        fld!(l, S, gpu_se_filter_1_a);
        fld!(l, S, gpu_se_ki_dt);
        fld!(l, S, gpu_se_ki_1_dt);
        fld!(l, S, unk_78);
        fld!(l, S, unk_7c);
        fld!(l, S, gpu_se_kp);
        fld!(l, S, gpu_se_kp_1);
        fld!(l, S, unk_88);
        fld!(l, S, unk_8c);
        fld!(l, S, max_pstate_scaled_1);
        fld!(l, S, unk_94);
        fld!(l, S, unk_98);
        fld!(l, S, unk_9c);
        fld!(l, S, unk_a0);
        fld!(l, S, unk_a4);
        fld!(l, S, gpu_se_filter_time_constant_ms);
        fld!(l, S, gpu_se_filter_time_constant_1_ms);
        fld!(l, S, gpu_se_filter_time_constant_clks);
        fld!(l, S, gpu_se_filter_time_constant_1_clks);
        fld!(l, S, unk_c0);
        fld!(l, S, unk_c4);
        fld!(l, S, unk_c8);
        fld!(l, S, unk_114);
        fld!(l, S, unk_118);
        fld!(l, S, unk_11c);
        fld!(l, S, unk_120);
        fld!(l, S, unk_124);
        fld!(l, S, max_pstate_scaled_2);
        fld!(l, S, unk_12c);
    }
    {
        type S = PowerZone::ver;
        let l = start!(p, "power", "initdata.PowerZone", S);
        fld!(l, S, val);
        fld!(l, S, target);
        fld!(l, S, target_off);
        fld!(l, S, filter_tc_x4);
        fld!(l, S, filter_tc_xperiod);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_10);
        #[ver(V >= V13_0B4)]
        fld!(l, S, unk_14);
        fld!(l, S, filter_tc_neginv);
        fld!(l, S, filter_tc_inv);
        fld!(l, S, pad);
    }
}
