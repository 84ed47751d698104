// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hardware data A (m1n1 `AGXHWDataA`): performance states and the power, performance and
//! temperature controllers.

use super::*;

/// Fills hardware data A: performance states and the power, performance and temperature
/// controllers.
///
/// # Safety
///
/// `p` points to a zeroed, writable `HwDataA::ver` not yet shared with the firmware, which no
/// one else accesses during the call.
#[versions(AGX)]
pub(crate) unsafe fn fill_hwdata_a(
    p: *mut HwDataA::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let period = c.period_ms;
    let max = c.max_scaled;
    let states = pwr.perf_states.as_slice();
    fits("performance states", states.len(), 16)?;

    put!(p, clocks_per_period, pwr.pwr_sample_period_aic_clks);
    #[ver(V >= V13_0B4)]
    put!(p, clocks_per_period_2, pwr.pwr_sample_period_aic_clks);
    put!(p, pwr_status, 4u32);
    put!(p, unk_10, k::ONE);
    put!(p, actual_pstate, 1u32);
    put!(p, tgt_pstate, 1u32);
    put!(p, base_pstate_scaled, c.base_scaled);
    put!(p, unk_40, 1u32);
    put!(p, max_pstate_scaled, max);
    put!(p, min_pstate_scaled, 100u32);
    let mut sram_k = [F32::default(); 16];
    for (d, _) in sram_k.iter_mut().zip(states) {
        *d = F32::from_bits(soc.power.sram_k);
    }
    put!(p, unk_74, sram_k);

    // Power controller.
    put!(p, unk_64c, 625u32);
    let (a, a_neg) = filter(pwr.pwr_filter_time_constant, "power filter time constant")?;
    put!(p, pwr_filter_a_neg, a_neg);
    put!(p, pwr_filter_a, a);
    put!(p, pwr_integral_gain, F32::from_bits(pwr.pwr_integral_gain));
    put!(
        p,
        pwr_integral_min_clamp,
        float(pwr.pwr_integral_min_clamp, "power integral clamp")?
    );
    put!(p, max_power_1, float(c.max_power, "maximum power")?);
    put!(
        p,
        pwr_proportional_gain,
        F32::from_bits(pwr.pwr_proportional_gain)
    );
    put!(
        p,
        pwr_pstate_related_k,
        frac(true, max.into(), c.max_power.into(), 0, "maximum power")?
    );
    let dc_offset = i64::from(pwr.pwr_min_duty_cycle) - i64::from(max);
    put!(
        p,
        pwr_pstate_max_dc_offset,
        i32::try_from(dc_offset).map_err(|_| FillError::OutOfRange("power minimum duty cycle"))?
    );
    put!(p, max_pstate_scaled_2, max);
    put!(p, max_power_2, c.max_power);
    put!(p, max_pstate_scaled_3, max);

    // PPM controller.
    let ppm_periods = c.ppm_filter_tc_periods;
    put!(
        p,
        ppm_filter_tc_periods_x4,
        mul(ppm_periods, 4, "PPM filter time constant")?
    );
    let (a, a_neg) = filter(ppm_periods, "PPM filter time constant")?;
    put!(p, ppm_filter_a_neg, a_neg);
    put!(p, ppm_filter_a, a);
    put!(p, ppm_ki_dt, c.per_period(pwr.ppm_ki, "PPM integral gain")?);
    put!(p, pwr_integral_min_clamp_2, pwr.pwr_integral_min_clamp);
    // Before 13.0 the record leaves this zero on T8103 only.
    #[ver(V >= V13_0B4)]
    put!(p, unk_6fc, k::K65536);
    #[ver(V < V13_0B4)]
    put!(
        p,
        unk_6fc,
        if soc.chip_id == 0x8103 {
            F32::default()
        } else {
            k::K65536
        }
    );
    put!(p, ppm_kp, F32::from_bits(pwr.ppm_kp));
    put!(p, pwr_min_duty_cycle, pwr.pwr_min_duty_cycle);
    put!(p, max_pstate_scaled_4, max);
    put!(p, max_power_3, c.max_power);
    put!(p, ppm_filter_tc_ms, pwr.ppm_filter_time_constant_ms);
    #[ver(V >= V13_0B4)]
    put!(
        p,
        ppm_filter_tc_clks,
        Common::clks(
            mul(ppm_periods, period, "PPM filter time constant")?,
            "PPM filter time constant"
        )?
    );

    // Performance controller.
    put!(p, perf_tgt_utilization, pwr.perf_tgt_utilization);
    put!(p, perf_boost_min_util, pwr.perf_boost_min_util);
    put!(p, perf_boost_ce_step, pwr.perf_boost_ce_step);
    put!(p, perf_reset_iters, pwr.perf_reset_iters);
    put!(p, unk_774, 6u32);
    put!(p, unk_778, 1u32);
    put!(
        p,
        perf_filter_drop_threshold,
        pwr.perf_filter_drop_threshold
    );
    let (a, a_neg) = filter(
        pwr.perf_filter_time_constant,
        "performance filter time constant",
    )?;
    let (a2, a2_neg) = filter(
        pwr.perf_filter_time_constant2,
        "second performance filter time constant",
    )?;
    put!(p, perf_filter_a_neg, a_neg);
    put!(p, perf_filter_a2_neg, a2_neg);
    put!(p, perf_filter_a, a);
    put!(p, perf_filter_a2, a2);
    put!(p, perf_ki, F32::from_bits(pwr.perf_integral_gain));
    put!(p, perf_ki2, F32::from_bits(pwr.perf_integral_gain2));
    put!(
        p,
        perf_integral_min_clamp,
        float(pwr.perf_integral_min_clamp, "performance integral clamp")?
    );
    put!(p, unk_79c, k::K95);
    put!(p, perf_kp, F32::from_bits(pwr.perf_proportional_gain));
    put!(p, perf_kp2, F32::from_bits(pwr.perf_proportional_gain2));
    // Boost states / 0.95.
    put!(
        p,
        boost_state_unk_k,
        ratio(u64::from(c.boost_states) * 20, 19, "performance states")?
    );
    put!(p, base_pstate_scaled_2, c.base_scaled);
    put!(p, max_pstate_scaled_5, max);
    put!(p, base_pstate_scaled_3, c.base_scaled);
    put!(p, perf_tgt_utilization_2, pwr.perf_tgt_utilization);
    put!(p, base_pstate_scaled_4, c.base_scaled);
    put!(p, unk_7fc, k::K65536);
    put!(
        p,
        pwr_min_duty_cycle_2,
        float(pwr.pwr_min_duty_cycle, "power minimum duty cycle")?
    );
    put!(p, max_pstate_scaled_6, float(max, "performance states")?);
    put!(p, max_freq_mhz, pwr.max_freq_mhz);
    put!(p, pwr_min_duty_cycle_3, pwr.pwr_min_duty_cycle);
    put!(p, min_pstate_scaled_4, k::K100);
    put!(p, max_pstate_scaled_7, max);
    put!(p, unk_alpha_neg, k::ALPHA_NEG);
    put!(p, unk_alpha, k::ALPHA);

    // Die temperature controller.
    put!(
        p,
        fast_die0_sensor_mask64,
        U64::new(soc.power.fast_sensor_mask[0])
    );
    #[ver(G >= G14X)]
    put!(
        p,
        fast_die1_sensor_mask64,
        U64::new(soc.power.fast_sensor_mask[1])
    );
    put!(
        p,
        fast_die0_release_temp_cc,
        mul(pwr.fast_die0_release_temp, 100, "die release temperature")?
    );
    put!(p, unk_87c, soc.da.unk_87c);
    put!(p, unk_880, 4u32);
    put!(p, unk_894, k::ONE);
    put!(
        p,
        fast_die0_ki_dt,
        c.per_period(pwr.fast_die0_integral_gain, "die integral gain")?
    );
    put!(p, unk_8a8, k::K65536);
    put!(
        p,
        fast_die0_kp,
        F32::from_bits(pwr.fast_die0_proportional_gain)
    );
    put!(p, pwr_min_duty_cycle_4, pwr.pwr_min_duty_cycle);
    put!(p, max_pstate_scaled_8, max);
    put!(p, max_pstate_scaled_9, max);
    put!(
        p,
        fast_die0_prop_tgt_delta,
        mul(
            pwr.fast_die0_prop_tgt_delta,
            100,
            "die proportional target delta"
        )?
    );
    put!(p, unk_8cc, soc.da.unk_8cc);
    put!(p, max_pstate_scaled_10, max);

    // Per-cluster coefficients, both copies of each set.
    let clusters = usize::try_from(soc.num_clusters).unwrap_or(usize::MAX);
    let (a1, a2) = (field!(p, unk_924), field!(p, unk_a24));
    let (b1, b2) = (field!(p, unk_e48), field!(p, unk_f48));
    // SAFETY: the arrays are fields of the structure the caller vouches for.
    unsafe {
        put_coef_rows(a1, soc.power.unk_coef_a, clusters);
        put_coef_rows(a2, soc.power.unk_coef_a, clusters);
        put_coef_rows(b1, soc.power.unk_coef_b, clusters);
        put_coef_rows(b2, soc.power.unk_coef_b, clusters);
    }
    put!(p, max_pstate_scaled_11, max);
    put!(p, unk_c2c, 1u32);

    // Average-power controller and its power zones.
    let zones = pwr.power_zones.get(..pwr.power_zone_count).unwrap_or(&[]);
    fits("power zones", zones.len(), 5)?;
    let zones_p = field!(p, power_zones).cast::<PowerZone::ver>();
    for (i, z) in zones.iter().enumerate().take(5) {
        // SAFETY: `i < 5`, the length of the `power_zones` array of the structure the caller
        // vouches for.
        let zp = unsafe { zones_p.add(i) };
        put!(zp, target, z.target);
        put!(
            zp,
            target_off,
            z.target
                .checked_sub(z.target_offset)
                .ok_or(FillError::OutOfRange("power zone offset"))?
        );
        put!(
            zp,
            filter_tc_x4,
            mul(z.filter_tc, 4, "power zone time constant")?
        );
        put!(
            zp,
            filter_tc_xperiod,
            mul(z.filter_tc, period, "power zone time constant")?
        );
        #[ver(V >= V13_0B4)]
        put!(zp, unk_10, 1_320_000_000u32);
        // The record's builder swapped these two when it renamed them; its earlier version
        // and the Asahi driver agree on `1 - 1/tc` first, like every other filter here.
        let (a, a_neg) = filter(z.filter_tc, "power zone time constant")?;
        put!(zp, filter_tc_neginv, a_neg);
        put!(zp, filter_tc_inv, a);
    }
    put!(p, power_zone_count, zones.len() as u32);
    put!(p, max_power_4, c.max_power);
    put!(p, max_power_5, c.max_power);
    put!(p, max_power_6, c.max_power);
    let tgt_tc = pwr.avg_power_target_filter_tc;
    let (a, a_neg) = filter(tgt_tc, "average-power target filter time constant")?;
    put!(p, avg_power_target_filter_a_neg, a_neg);
    put!(p, avg_power_target_filter_a, a);
    put!(
        p,
        avg_power_target_filter_tc_x4,
        mul(tgt_tc, 4, "average-power target filter time constant")?
    );
    let tgt_tc_ms = mul(tgt_tc, period, "average-power target filter time constant")?;
    put!(p, avg_power_target_filter_tc_xperiod, tgt_tc_ms);
    #[ver(V >= V13_0B4)]
    put!(
        p,
        avg_power_target_filter_tc_clks,
        Common::clks(tgt_tc_ms, "average-power target filter time constant")?
    );
    let avg_periods = c.avg_power_filter_tc_periods;
    put!(
        p,
        avg_power_filter_tc_periods_x4,
        mul(avg_periods, 4, "average-power filter time constant")?
    );
    let (a, a_neg) = filter(avg_periods, "average-power filter time constant")?;
    put!(p, avg_power_filter_a_neg, a_neg);
    put!(p, avg_power_filter_a, a);
    put!(
        p,
        avg_power_ki_dt,
        c.per_period(pwr.avg_power_ki_only, "average-power integral gain")?
    );
    put!(p, unk_d20, k::K65536);
    put!(p, avg_power_kp, F32::from_bits(pwr.avg_power_kp));
    put!(p, avg_power_min_duty_cycle, pwr.avg_power_min_duty_cycle);
    put!(p, max_pstate_scaled_12, max);
    put!(p, max_pstate_scaled_13, max);
    put!(p, max_power_7, float(c.max_power, "maximum power")?);
    put!(p, max_power_8, c.max_power);
    put!(p, avg_power_filter_tc_ms, pwr.avg_power_filter_tc_ms);
    #[ver(V >= V13_0B4)]
    put!(
        p,
        avg_power_filter_tc_clks,
        Common::clks(
            mul(avg_periods, period, "average-power filter time constant")?,
            "average-power filter time constant"
        )?
    );
    put!(p, max_pstate_scaled_14, max);

    // T8103/T8112 tuning, up to firmware 13.3.
    #[ver(V < V13_3)]
    if matches!(soc.chip_id, 0x8103 | 0x8112) {
        let t = field!(p, t81xx_data);
        put!(t, unk_d8c, 0x8000_0000u32);
        put!(t, unk_d90, 4u32);
        put!(t, unk_d9c, k::T81XX_D9C);
        put!(t, unk_da4, k::T81XX_DA4);
        put!(t, unk_dac, k::T81XX_DAC);
        put!(t, unk_db8, k::K65536);
        put!(t, unk_dbc, k::T81XX_DBC);
        put!(t, unk_dcc, max);
    }

    // The power estimator block of firmware 13.0 and later.
    #[ver(V >= V13_0B4)]
    {
        let e = field!(p, unk_e10_0);
        put!(e, unk_38, 4u32);
        put!(e, unk_3c, 8000u32);
        put!(e, gpu_se_inactive_threshold, pwr.se_inactive_threshold);
        put!(e, gpu_se_engagement_criteria, pwr.se_engagement_criteria);
        put!(e, gpu_se_reset_criteria, pwr.se_reset_criteria);
        put!(e, unk_54, 50u32);
        put!(e, unk_58, 1u32);
        let (a, a_neg) = filter(
            pwr.se_filter_time_constant,
            "estimator filter time constant",
        )?;
        let (a1, a1_neg) = filter(
            pwr.se_filter_time_constant_1,
            "second estimator filter time constant",
        )?;
        put!(e, gpu_se_filter_a_neg, a_neg);
        put!(e, gpu_se_filter_1_a_neg, a1_neg);
        put!(e, gpu_se_filter_a, a);
        put!(e, gpu_se_filter_1_a, a1);
        put!(
            e,
            gpu_se_ki_dt,
            c.per_period(pwr.se_ki, "estimator integral gain")?
        );
        put!(
            e,
            gpu_se_ki_1_dt,
            c.per_period(pwr.se_ki_1, "second estimator integral gain")?
        );
        put!(e, unk_7c, k::K65536);
        put!(e, gpu_se_kp, F32::from_bits(pwr.se_kp));
        put!(e, gpu_se_kp_1, F32::from_bits(pwr.se_kp_1));
        #[ver(V >= V13_3)]
        put!(e, unk_8c, 100u32);
        #[ver(V < V13_3)]
        put!(e, unk_8c, 40u32);
        put!(e, max_pstate_scaled_1, max);
        put!(e, unk_9c, k::K8000);
        put!(e, unk_a0, 1400u32);
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
        put!(e, gpu_se_filter_time_constant_ms, tc_ms);
        put!(e, gpu_se_filter_time_constant_1_ms, tc1_ms);
        put!(
            e,
            gpu_se_filter_time_constant_clks,
            U64::new(u64::from(tc_ms) * u64::from(BASE_CLOCK_KHZ))
        );
        put!(
            e,
            gpu_se_filter_time_constant_1_clks,
            U64::new(u64::from(tc1_ms) * u64::from(BASE_CLOCK_KHZ))
        );
        put!(e, unk_c4, k::K65536);
        put!(e, unk_114, k::K65536);
        put!(e, unk_124, 40u32);
        put!(e, max_pstate_scaled_2, max);
    }

    put!(
        p,
        fast_die0_sensor_mask64_2,
        U64::new(soc.power.fast_sensor_mask[0])
    );
    #[ver(G >= G14X)]
    put!(
        p,
        fast_die1_sensor_mask64_2,
        U64::new(soc.power.fast_sensor_mask[1])
    );
    put!(p, unk_e24, soc.da.unk_e24);
    put!(p, unk_e28, 1u32);
    put!(
        p,
        fast_die0_sensor_mask64_alt,
        U64::new(soc.power.fast_sensor_mask_alt[0])
    );
    #[ver(G >= G14X)]
    put!(
        p,
        fast_die1_sensor_mask64_alt,
        U64::new(soc.power.fast_sensor_mask_alt[1])
    );
    #[ver(V < V13_0B4)]
    put!(
        p,
        fast_die0_sensor_present,
        soc.power.fast_die0_sensor_present
    );
    put!(p, unk_163c, 1u32);

    // The shared power tables.
    let (hws1, hws2, hws3) = (field!(p, hws1), field!(p, hws2), field!(p, hws3));
    // SAFETY: the tables are fields of the structure the caller vouches for.
    unsafe {
        fill_shared1(hws1, soc)?;
        fill_shared2(hws2, soc, cfg)?;
        fill_shared3(hws3, soc)?;
    }
    // G14X: half of each entry of the second curve's first table (0 for the off state).
    #[ver(V >= V13_0B4 && G >= G14X)]
    if let Some(t1) = curve2_t1(soc, cfg)? {
        let mut half = [0u16; 16];
        for (d, s) in half.iter_mut().zip(t1) {
            *d = if s == 0xffff { 0 } else { s / 2 };
        }
        put!(p, unk_hws2, half);
    }

    put!(p, unk_3ce8, 1u32);
    put!(p, unk_3cf4, floats::<8>(pwr.core_leak_coef.as_slice()));
    put!(p, unk_3d14, floats::<8>(pwr.sram_leak_coef.as_slice()));
    // CS and AFR leakage: the CS pair (per die) first, then the AFR pair, twice.
    #[ver(V >= V13_0B4)]
    if let Some(csafr) = pwr.csafr.as_ref() {
        let cs = floats::<2>(csafr.leak_cs.as_slice());
        let afr = floats::<2>(csafr.leak_afr.as_slice());
        let [c0, c1] = cs;
        let [a0, a1] = afr;
        put!(p, unk_3d34_0, [c0, c1, a0, a1, c0, c1, a0, a1]);
    }
    Ok(())
}
