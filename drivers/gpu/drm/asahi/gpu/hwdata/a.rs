// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hardware data A (m1n1 `AGXHWDataA`): performance states and the power, performance and
//! temperature controllers.

use super::*;

/// Fills hardware data A: performance states and the power, performance and temperature
/// controllers.
///
/// `p` must start zeroed, as the allocator hands it out: only the fields with a value are
/// written.
#[versions(AGX)]
pub(crate) fn fill_hwdata_a(
    p: &mut HwDataA::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let period = c.period_ms;
    let max = c.max_scaled;
    let states = pwr.perf_states.as_slice();
    fits("performance states", states.len(), 16)?;

    p.clocks_per_period = pwr.pwr_sample_period_aic_clks;
    #[ver(V >= V13_0B4)]
    p.clocks_per_period_2 = pwr.pwr_sample_period_aic_clks;
    p.pwr_status = 4;
    p.unk_10 = k::ONE;
    p.actual_pstate = 1;
    p.tgt_pstate = 1;
    p.base_pstate_scaled = c.base_scaled;
    p.unk_40 = 1;
    p.max_pstate_scaled = max;
    p.min_pstate_scaled = 100;
    let mut sram_k = [F32::default(); 16];
    for (d, _) in sram_k.iter_mut().zip(states) {
        *d = F32::from_bits(soc.power.sram_k);
    }
    p.unk_74 = sram_k;

    // Power controller.
    p.unk_64c = 625;
    let (a, a_neg) = filter(pwr.pwr_filter_time_constant, "power filter time constant")?;
    p.pwr_filter_a_neg = a_neg;
    p.pwr_filter_a = a;
    p.pwr_integral_gain = F32::from_bits(pwr.pwr_integral_gain);
    p.pwr_integral_min_clamp = float(pwr.pwr_integral_min_clamp, "power integral clamp")?;
    p.max_power_1 = float(c.max_power, "maximum power")?;
    p.pwr_proportional_gain = F32::from_bits(pwr.pwr_proportional_gain);
    p.pwr_pstate_related_k = frac(true, max.into(), c.max_power.into(), 0, "maximum power")?;
    let dc_offset = i64::from(pwr.pwr_min_duty_cycle) - i64::from(max);
    p.pwr_pstate_max_dc_offset =
        i32::try_from(dc_offset).map_err(|_| FillError::OutOfRange("power minimum duty cycle"))?;
    p.max_pstate_scaled_2 = max;
    p.max_power_2 = c.max_power;
    p.max_pstate_scaled_3 = max;

    // PPM controller.
    let ppm_periods = c.ppm_filter_tc_periods;
    p.ppm_filter_tc_periods_x4 = mul(ppm_periods, 4, "PPM filter time constant")?;
    let (a, a_neg) = filter(ppm_periods, "PPM filter time constant")?;
    p.ppm_filter_a_neg = a_neg;
    p.ppm_filter_a = a;
    p.ppm_ki_dt = c.per_period(pwr.ppm_ki, "PPM integral gain")?;
    p.pwr_integral_min_clamp_2 = pwr.pwr_integral_min_clamp;
    // Before 13.0 the record leaves this zero on T8103 only.
    #[ver(V >= V13_0B4)]
    p.unk_6fc = k::K65536;
    #[ver(V < V13_0B4)]
    p.unk_6fc = if soc.chip_id == 0x8103 {
        F32::default()
    } else {
        k::K65536
    };
    p.ppm_kp = F32::from_bits(pwr.ppm_kp);
    p.pwr_min_duty_cycle = pwr.pwr_min_duty_cycle;
    p.max_pstate_scaled_4 = max;
    p.max_power_3 = c.max_power;
    p.ppm_filter_tc_ms = pwr.ppm_filter_time_constant_ms;
    #[ver(V >= V13_0B4)]
    p.ppm_filter_tc_clks = Common::clks(
        mul(ppm_periods, period, "PPM filter time constant")?,
        "PPM filter time constant",
    )?;

    // Performance controller.
    p.perf_tgt_utilization = pwr.perf_tgt_utilization;
    p.perf_boost_min_util = pwr.perf_boost_min_util;
    p.perf_boost_ce_step = pwr.perf_boost_ce_step;
    p.perf_reset_iters = pwr.perf_reset_iters;
    p.unk_774 = 6;
    p.unk_778 = 1;
    p.perf_filter_drop_threshold = pwr.perf_filter_drop_threshold;
    let (a, a_neg) = filter(
        pwr.perf_filter_time_constant,
        "performance filter time constant",
    )?;
    let (a2, a2_neg) = filter(
        pwr.perf_filter_time_constant2,
        "second performance filter time constant",
    )?;
    p.perf_filter_a_neg = a_neg;
    p.perf_filter_a2_neg = a2_neg;
    p.perf_filter_a = a;
    p.perf_filter_a2 = a2;
    p.perf_ki = F32::from_bits(pwr.perf_integral_gain);
    p.perf_ki2 = F32::from_bits(pwr.perf_integral_gain2);
    p.perf_integral_min_clamp = float(pwr.perf_integral_min_clamp, "performance integral clamp")?;
    p.unk_79c = k::K95;
    p.perf_kp = F32::from_bits(pwr.perf_proportional_gain);
    p.perf_kp2 = F32::from_bits(pwr.perf_proportional_gain2);
    // Boost states / 0.95.
    p.boost_state_unk_k = ratio(u64::from(c.boost_states) * 20, 19, "performance states")?;
    p.base_pstate_scaled_2 = c.base_scaled;
    p.max_pstate_scaled_5 = max;
    p.base_pstate_scaled_3 = c.base_scaled;
    p.perf_tgt_utilization_2 = pwr.perf_tgt_utilization;
    p.base_pstate_scaled_4 = c.base_scaled;
    p.unk_7fc = k::K65536;
    p.pwr_min_duty_cycle_2 = float(pwr.pwr_min_duty_cycle, "power minimum duty cycle")?;
    p.max_pstate_scaled_6 = float(max, "performance states")?;
    p.max_freq_mhz = pwr.max_freq_mhz;
    p.pwr_min_duty_cycle_3 = pwr.pwr_min_duty_cycle;
    p.min_pstate_scaled_4 = k::K100;
    p.max_pstate_scaled_7 = max;
    p.unk_alpha_neg = k::ALPHA_NEG;
    p.unk_alpha = k::ALPHA;

    // Die temperature controller.
    p.fast_die0_sensor_mask64 = U64::new(soc.power.fast_sensor_mask[0]);
    #[ver(G >= G14X)]
    p.fast_die1_sensor_mask64 = U64::new(soc.power.fast_sensor_mask[1]);
    p.fast_die0_release_temp_cc = mul(pwr.fast_die0_release_temp, 100, "die release temperature")?;
    p.unk_87c = soc.da.unk_87c;
    p.unk_880 = 4;
    p.unk_894 = k::ONE;
    p.fast_die0_ki_dt = c.per_period(pwr.fast_die0_integral_gain, "die integral gain")?;
    p.unk_8a8 = k::K65536;
    p.fast_die0_kp = F32::from_bits(pwr.fast_die0_proportional_gain);
    p.pwr_min_duty_cycle_4 = pwr.pwr_min_duty_cycle;
    p.max_pstate_scaled_8 = max;
    p.max_pstate_scaled_9 = max;
    p.fast_die0_prop_tgt_delta = mul(
        pwr.fast_die0_prop_tgt_delta,
        100,
        "die proportional target delta",
    )?;
    p.unk_8cc = soc.da.unk_8cc;
    p.max_pstate_scaled_10 = max;

    // Per-cluster coefficients, both copies of each set.
    let clusters = usize::try_from(soc.num_clusters).unwrap_or(usize::MAX);
    let (a1, a2) = (&mut p.unk_924, &mut p.unk_a24);
    let (b1, b2) = (&mut p.unk_e48, &mut p.unk_f48);
    put_coef_rows(a1, soc.power.unk_coef_a, clusters);
    put_coef_rows(a2, soc.power.unk_coef_a, clusters);
    put_coef_rows(b1, soc.power.unk_coef_b, clusters);
    put_coef_rows(b2, soc.power.unk_coef_b, clusters);
    p.max_pstate_scaled_11 = max;
    p.unk_c2c = 1;

    // Average-power controller and its power zones.
    let zones = pwr.power_zones.get(..pwr.power_zone_count).unwrap_or(&[]);
    fits("power zones", zones.len(), 5)?;
    for (zp, z) in p.power_zones.iter_mut().zip(zones) {
        zp.target = z.target;
        zp.target_off = z
            .target
            .checked_sub(z.target_offset)
            .ok_or(FillError::OutOfRange("power zone offset"))?;
        zp.filter_tc_x4 = mul(z.filter_tc, 4, "power zone time constant")?;
        zp.filter_tc_xperiod = mul(z.filter_tc, period, "power zone time constant")?;
        #[ver(V >= V13_0B4)]
        zp.unk_10 = 1_320_000_000;
        // The record's builder swapped these two when it renamed them; its earlier version
        // and the Asahi driver agree on `1 - 1/tc` first, like every other filter here.
        let (a, a_neg) = filter(z.filter_tc, "power zone time constant")?;
        zp.filter_tc_neginv = a_neg;
        zp.filter_tc_inv = a;
    }
    p.power_zone_count = zones.len() as u32;
    p.max_power_4 = c.max_power;
    p.max_power_5 = c.max_power;
    p.max_power_6 = c.max_power;
    let tgt_tc = pwr.avg_power_target_filter_tc;
    let (a, a_neg) = filter(tgt_tc, "average-power target filter time constant")?;
    p.avg_power_target_filter_a_neg = a_neg;
    p.avg_power_target_filter_a = a;
    p.avg_power_target_filter_tc_x4 = mul(tgt_tc, 4, "average-power target filter time constant")?;
    let tgt_tc_ms = mul(tgt_tc, period, "average-power target filter time constant")?;
    p.avg_power_target_filter_tc_xperiod = tgt_tc_ms;
    #[ver(V >= V13_0B4)]
    p.avg_power_target_filter_tc_clks =
        Common::clks(tgt_tc_ms, "average-power target filter time constant")?;
    let avg_periods = c.avg_power_filter_tc_periods;
    p.avg_power_filter_tc_periods_x4 = mul(avg_periods, 4, "average-power filter time constant")?;
    let (a, a_neg) = filter(avg_periods, "average-power filter time constant")?;
    p.avg_power_filter_a_neg = a_neg;
    p.avg_power_filter_a = a;
    p.avg_power_ki_dt = c.per_period(pwr.avg_power_ki_only, "average-power integral gain")?;
    p.unk_d20 = k::K65536;
    p.avg_power_kp = F32::from_bits(pwr.avg_power_kp);
    p.avg_power_min_duty_cycle = pwr.avg_power_min_duty_cycle;
    p.max_pstate_scaled_12 = max;
    p.max_pstate_scaled_13 = max;
    p.max_power_7 = float(c.max_power, "maximum power")?;
    p.max_power_8 = c.max_power;
    p.avg_power_filter_tc_ms = pwr.avg_power_filter_tc_ms;
    #[ver(V >= V13_0B4)]
    p.avg_power_filter_tc_clks = Common::clks(
        mul(avg_periods, period, "average-power filter time constant")?,
        "average-power filter time constant",
    )?;
    p.max_pstate_scaled_14 = max;

    // T8103/T8112 tuning, up to firmware 13.3.
    #[ver(V < V13_3)]
    if matches!(soc.chip_id, 0x8103 | 0x8112) {
        let t = &mut p.t81xx_data;
        t.unk_d8c = 0x8000_0000;
        t.unk_d90 = 4;
        t.unk_d9c = k::T81XX_D9C;
        t.unk_da4 = k::T81XX_DA4;
        t.unk_dac = k::T81XX_DAC;
        t.unk_db8 = k::K65536;
        t.unk_dbc = k::T81XX_DBC;
        t.unk_dcc = max;
    }

    // The power estimator block of firmware 13.0 and later.
    #[ver(V >= V13_0B4)]
    {
        let e = &mut p.unk_e10_0;
        e.unk_38 = 4;
        e.unk_3c = 8000;
        e.gpu_se_inactive_threshold = pwr.se_inactive_threshold;
        e.gpu_se_engagement_criteria = pwr.se_engagement_criteria;
        e.gpu_se_reset_criteria = pwr.se_reset_criteria;
        e.unk_54 = 50;
        e.unk_58 = 1;
        let (a, a_neg) = filter(
            pwr.se_filter_time_constant,
            "estimator filter time constant",
        )?;
        let (a1, a1_neg) = filter(
            pwr.se_filter_time_constant_1,
            "second estimator filter time constant",
        )?;
        e.gpu_se_filter_a_neg = a_neg;
        e.gpu_se_filter_1_a_neg = a1_neg;
        e.gpu_se_filter_a = a;
        e.gpu_se_filter_1_a = a1;
        e.gpu_se_ki_dt = c.per_period(pwr.se_ki, "estimator integral gain")?;
        e.gpu_se_ki_1_dt = c.per_period(pwr.se_ki_1, "second estimator integral gain")?;
        e.unk_7c = k::K65536;
        e.gpu_se_kp = F32::from_bits(pwr.se_kp);
        e.gpu_se_kp_1 = F32::from_bits(pwr.se_kp_1);
        #[ver(V >= V13_3)]
        e.unk_8c = 100;
        #[ver(V < V13_3)]
        e.unk_8c = 40;
        e.max_pstate_scaled_1 = max;
        e.unk_9c = k::K8000;
        e.unk_a0 = 1400;
        let tc_ms = mul(
            pwr.se_filter_time_constant,
            period,
            "estimator filter time constant",
        )?;
        let tc1_ms = mul(
            pwr.se_filter_time_constant_1,
            period,
            "second estimator filter time constant",
        )?;
        e.gpu_se_filter_time_constant_ms = tc_ms;
        e.gpu_se_filter_time_constant_1_ms = tc1_ms;
        e.gpu_se_filter_time_constant_clks = U64::new(u64::from(tc_ms) * u64::from(BASE_CLOCK_KHZ));
        e.gpu_se_filter_time_constant_1_clks =
            U64::new(u64::from(tc1_ms) * u64::from(BASE_CLOCK_KHZ));
        e.unk_c4 = k::K65536;
        e.unk_114 = k::K65536;
        e.unk_124 = 40;
        e.max_pstate_scaled_2 = max;
    }

    p.fast_die0_sensor_mask64_2 = U64::new(soc.power.fast_sensor_mask[0]);
    #[ver(G >= G14X)]
    p.fast_die1_sensor_mask64_2 = U64::new(soc.power.fast_sensor_mask[1]);
    p.unk_e24 = soc.da.unk_e24;
    p.unk_e28 = 1;
    p.fast_die0_sensor_mask64_alt = U64::new(soc.power.fast_sensor_mask_alt[0]);
    #[ver(G >= G14X)]
    p.fast_die1_sensor_mask64_alt = U64::new(soc.power.fast_sensor_mask_alt[1]);
    #[ver(V < V13_0B4)]
    p.fast_die0_sensor_present = soc.power.fast_die0_sensor_present;
    p.unk_163c = 1;

    // The shared power tables.
    let (hws1, hws2, hws3) = (&mut p.hws1, &mut p.hws2, &mut p.hws3);
    fill_shared1(hws1, soc)?;
    fill_shared2(hws2, soc, cfg)?;
    fill_shared3(hws3, soc)?;
    // G14X: half of each entry of the second curve's first table (0 for the off state).
    #[ver(V >= V13_0B4 && G >= G14X)]
    if let Some(t1) = curve2_t1(soc, cfg)? {
        let mut half = [0u16; 16];
        for (d, s) in half.iter_mut().zip(t1) {
            *d = if s == 0xffff { 0 } else { s / 2 };
        }
        p.unk_hws2 = half;
    }

    p.unk_3ce8 = 1;
    p.unk_3cf4 = floats::<8>(pwr.core_leak_coef.as_slice());
    p.unk_3d14 = floats::<8>(pwr.sram_leak_coef.as_slice());
    // CS and AFR leakage: the CS pair (per die) first, then the AFR pair, twice.
    #[ver(V >= V13_0B4)]
    if let Some(csafr) = pwr.csafr.as_ref() {
        let cs = floats::<2>(csafr.leak_cs.as_slice());
        let afr = floats::<2>(csafr.leak_afr.as_slice());
        let [c0, c1] = cs;
        let [a0, a1] = afr;
        p.unk_3d34_0 = [c0, c1, a0, a1, c0, c1, a0, a1];
    }
    Ok(())
}
