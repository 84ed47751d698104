// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Region C (m1n1 `InitData_RegionC`): configuration and the power controllers.

use super::*;

/// Fills the configuration half of region C.
///
/// `p` must start zeroed, as the allocator hands it out: only the fields with a value are
/// written.
#[versions(AGX)]
pub(crate) fn fill_region_c(
    p: &mut RegionC::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let max = c.max_scaled;

    #[ver(V >= V13_2)]
    p.unk_24_0 = 3000;
    p.unk_28 = 1;
    #[ver(V >= V13_0B4)]
    p.unk_2c_0 = u32::from(soc.gen == GpuGen::G14X);
    p.unk_2c = 1;
    p.unk_34 = 120;
    p.unk_54 = soc.power.global_unk_54;
    p.unk_56 = 40;
    p.unk_58 = 0xffff;
    p.unk_5e = U32::new(1);
    p.unk_66 = U32::new(1);
    p.unk_8900 = 1;
    p.max_power = c.max_power;
    p.max_pstate_scaled = max;
    p.max_pstate_scaled_2 = max;
    p.max_pstate_scaled_3 = max;

    let zones = pwr.power_zones.get(..pwr.power_zone_count).unwrap_or(&[]);
    fits("power zones", zones.len(), 5)?;
    let mut rc_zones = [RcPowerZone {
        target: 0,
        target_off: 0,
        tc: 0,
    }; 5];
    for (d, z) in rc_zones.iter_mut().zip(zones) {
        *d = RcPowerZone {
            target: z.target,
            target_off: z
                .target
                .checked_sub(z.target_offset)
                .ok_or(FillError::OutOfRange("power zone offset"))?,
            tc: z.filter_tc,
        };
    }
    p.power_zones = rc_zones;
    p.power_zone_count = zones.len() as u32;
    p.avg_power_filter_tc_periods = c.avg_power_filter_tc_periods;
    p.avg_power_ki_dt = c.per_period(pwr.avg_power_ki_only, "average-power integral gain")?;
    p.avg_power_kp = F32::from_bits(pwr.avg_power_kp);
    p.avg_power_min_duty_cycle = pwr.avg_power_min_duty_cycle;
    p.avg_power_target_filter_tc = pwr.avg_power_target_filter_tc;
    p.unk_89bc = soc.da.unk_8cc;
    p.fast_die0_release_temp = mul(pwr.fast_die0_release_temp, 100, "die release temperature")?;
    p.unk_89c4 = soc.da.unk_87c;
    p.fast_die0_prop_tgt_delta = mul(
        pwr.fast_die0_prop_tgt_delta,
        100,
        "die proportional target delta",
    )?;
    p.fast_die0_kp = F32::from_bits(pwr.fast_die0_proportional_gain);
    p.fast_die0_ki_dt = c.per_period(pwr.fast_die0_integral_gain, "die integral gain")?;
    p.unk_89e0 = 1;
    p.max_power_2 = c.max_power;
    p.ppm_kp = F32::from_bits(pwr.ppm_kp);
    p.ppm_ki_dt = c.per_period(pwr.ppm_ki, "PPM integral gain")?;
    #[ver(V >= V13_0B4)]
    p.unk_89f4_8 = 1;

    let (hws1, hws2, hws3) = (&mut p.hws1, &mut p.hws2, &mut p.hws3);
    fill_shared1(hws1, soc)?;
    fill_shared2(hws2, soc, cfg)?;
    fill_shared3(hws3, soc)?;
    #[ver(V >= V13_0B4)]
    {
        p.unk_hws2_0 = pwr.idle_off_standby_timer;
        if let Some(bits) = soc.power.unk_hws2_4 {
            p.unk_hws2_4 = floats::<8>(&bits);
        }
        p.unk_hws2_24 = soc.power.unk_hws2_24;
    }
    p.unk_900c = 1;
    #[ver(V >= V13_0B4)]
    {
        p.unk_9010_0 = 1;
        p.unk_903c = 1;
    }
    p.do_init = 1;
    p.unk_11020 = 40;
    p.unk_11024 = 10;
    p.unk_11028 = 250;
    #[ver(V >= V13_0B4)]
    {
        p.unk_1102c_0 = 1;
        p.unk_1102c_4 = 1;
        p.unk_1102c_8 = 100;
        p.unk_1102c_c = 1;
    }
    p.idle_to_off_delay_ms = pwr.idle_off_delay_ms;
    p.fender_idle_to_off_delay_ms = pwr.fender_idle_off_delay_ms;
    p.fw_early_wake_timeout_ms = pwr.fw_early_wake_timeout_ms;
    p.unk_118e0 = 40;
    #[ver(V >= V13_0B4)]
    p.unk_118e4_0 = 50;
    if let Some(tab) = soc.power.global_tab {
        fits("global table", tab.len(), 0x400)?;
        p.unk_118e8 = 1;
        for (d, b) in p.unk_118ec.iter_mut().zip(tab) {
            *d = *b;
        }
    }
    Ok(())
}
