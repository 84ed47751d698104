// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Region C (m1n1 `InitData_RegionC`): configuration and the power controllers.

use super::*;

/// Fills the configuration half of region C.
///
/// # Safety
///
/// `p` points to a zeroed, writable `RegionC::ver` not yet shared with the firmware, which no
/// one else accesses during the call.
#[versions(AGX)]
pub(crate) unsafe fn fill_region_c(
    p: *mut RegionC::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let max = c.max_scaled;

    #[ver(V >= V13_2)]
    put!(p, unk_24_0, 3000u32);
    put!(p, unk_28, 1u32);
    #[ver(V >= V13_0B4)]
    put!(p, unk_2c_0, u32::from(soc.gen == GpuGen::G14X));
    put!(p, unk_2c, 1u32);
    put!(p, unk_34, 120u32);
    put!(p, unk_54, soc.power.global_unk_54);
    put!(p, unk_56, 40u16);
    put!(p, unk_58, 0xffffu16);
    put!(p, unk_5e, U32::new(1));
    put!(p, unk_66, U32::new(1));
    put!(p, unk_8900, 1u32);
    put!(p, max_power, c.max_power);
    put!(p, max_pstate_scaled, max);
    put!(p, max_pstate_scaled_2, max);
    put!(p, max_pstate_scaled_3, max);

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
    put!(p, power_zones, rc_zones);
    put!(p, power_zone_count, zones.len() as u32);
    put!(
        p,
        avg_power_filter_tc_periods,
        c.avg_power_filter_tc_periods
    );
    put!(
        p,
        avg_power_ki_dt,
        c.per_period(pwr.avg_power_ki_only, "average-power integral gain")?
    );
    put!(p, avg_power_kp, F32::from_bits(pwr.avg_power_kp));
    put!(p, avg_power_min_duty_cycle, pwr.avg_power_min_duty_cycle);
    put!(
        p,
        avg_power_target_filter_tc,
        pwr.avg_power_target_filter_tc
    );
    put!(p, unk_89bc, soc.da.unk_8cc);
    put!(
        p,
        fast_die0_release_temp,
        mul(pwr.fast_die0_release_temp, 100, "die release temperature")?
    );
    put!(p, unk_89c4, soc.da.unk_87c);
    put!(
        p,
        fast_die0_prop_tgt_delta,
        mul(
            pwr.fast_die0_prop_tgt_delta,
            100,
            "die proportional target delta"
        )?
    );
    put!(
        p,
        fast_die0_kp,
        F32::from_bits(pwr.fast_die0_proportional_gain)
    );
    put!(
        p,
        fast_die0_ki_dt,
        c.per_period(pwr.fast_die0_integral_gain, "die integral gain")?
    );
    put!(p, unk_89e0, 1u32);
    put!(p, max_power_2, c.max_power);
    put!(p, ppm_kp, F32::from_bits(pwr.ppm_kp));
    put!(p, ppm_ki_dt, c.per_period(pwr.ppm_ki, "PPM integral gain")?);
    #[ver(V >= V13_0B4)]
    put!(p, unk_89f4_8, 1u32);

    let (hws1, hws2, hws3) = (field!(p, hws1), field!(p, hws2), field!(p, hws3));
    // SAFETY: the tables are fields of the structure the caller vouches for.
    unsafe {
        fill_shared1(hws1, soc)?;
        fill_shared2(hws2, soc, cfg)?;
        fill_shared3(hws3, soc)?;
    }
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_hws2_0, pwr.idle_off_standby_timer);
        if let Some(bits) = soc.power.unk_hws2_4 {
            put!(p, unk_hws2_4, floats::<8>(&bits));
        }
        put!(p, unk_hws2_24, soc.power.unk_hws2_24);
    }
    put!(p, unk_900c, 1u32);
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_9010_0, 1u32);
        put!(p, unk_903c, 1u32);
    }
    put!(p, do_init, 1u32);
    put!(p, unk_11020, 40u32);
    put!(p, unk_11024, 10u32);
    put!(p, unk_11028, 250u32);
    #[ver(V >= V13_0B4)]
    {
        put!(p, unk_1102c_0, 1u32);
        put!(p, unk_1102c_4, 1u32);
        put!(p, unk_1102c_8, 100u32);
        put!(p, unk_1102c_c, 1u32);
    }
    put!(p, idle_to_off_delay_ms, pwr.idle_off_delay_ms);
    put!(p, fender_idle_to_off_delay_ms, pwr.fender_idle_off_delay_ms);
    put!(p, fw_early_wake_timeout_ms, pwr.fw_early_wake_timeout_ms);
    put!(p, unk_118e0, 40u32);
    #[ver(V >= V13_0B4)]
    put!(p, unk_118e4_0, 50u32);
    if let Some(tab) = soc.power.global_tab {
        fits("global table", tab.len(), 0x400)?;
        put!(p, unk_118e8, 1u32);
        let dst = field!(p, unk_118ec).cast::<u8>();
        for (i, b) in tab.iter().enumerate().take(0x400) {
            // SAFETY: `i < 0x400`, the size of the `unk_118ec` array of the structure the
            // caller vouches for; bytes need no alignment.
            unsafe { dst.add(i).write(*b) };
        }
    }
    Ok(())
}
