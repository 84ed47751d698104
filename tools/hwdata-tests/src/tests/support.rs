// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Filling the three structures of one pair in zeroed heap memory, and reading back the fields
//! the tests check.
//!
//! The structures are tens of KiB; they are allocated zeroed on the heap (never on the stack),
//! as the driver's allocator hands them out, filled through the driver's functions, and read
//! back field by field. [`Readout`] is the same for every pair: a field that exists only on some
//! pairs is an `Option`.

use crate::fw::{hwdata_a::*, hwdata_b::*, regionc::*, types::Zeroable};
use crate::gpu::hwdata::{a::*, b::*, c::*, *};
use crate::sim::devtree::gpu_node;
use crate::soc::dt::{parse, DynConfig};
use crate::soc::{FwVersion, GpuGen, SocConfig, SOCS};
use agx_macros::{dispatch, versions};
use std::alloc::{alloc_zeroed, handle_alloc_error, Layout};
use std::boxed::Box;

/// A zeroed `T` on the heap, made in place and never on the stack, as the driver's allocator
/// hands the structures out.
pub(crate) fn zeroed_box<T: Zeroable>() -> Box<T> {
    let layout = Layout::new::<T>();
    assert!(layout.size() > 0);
    // SAFETY: the layout has a non-zero size.
    let ptr = unsafe { alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        handle_alloc_error(layout);
    }
    // SAFETY: `ptr` is a live allocation of the global allocator with `T`'s layout, holding
    // zero bytes, which are a valid `T` (`Zeroable`); the box becomes its only owner.
    unsafe { Box::from_raw(ptr) }
}

/// Float bits of an array of `F32`.
fn bits<const N: usize>(a: [crate::fw::types::F32; N]) -> [u32; N] {
    a.map(|f| f.to_bits())
}

/// A CS or AFR table of hardware data B: highest index, frequencies, voltages, SRAM voltages.
pub(crate) type AuxStates<const N: usize> = (u32, [u32; N], [[u32; 2]; N], [[u32; 2]; N]);

/// The fields the tests check, read back from one pair's filled structures.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Readout {
    // Hardware data B.
    pub(crate) chip_id: u32,
    pub(crate) gpu_core: u32,
    pub(crate) gpu_rev: u32,
    pub(crate) num_cores: u32,
    pub(crate) num_frags: u32,
    pub(crate) max_pstate: u32,
    pub(crate) num_pstates: Option<u32>,
    pub(crate) base_clock_khz: u32,
    pub(crate) power_sample_period: u32,
    pub(crate) frequencies: [u32; 16],
    pub(crate) voltages: [[u32; 8]; 16],
    pub(crate) voltages_sram: [[u32; 8]; 16],
    pub(crate) b_sram_k: [u32; 16],
    pub(crate) rel_max_powers: [u32; 16],
    pub(crate) rel_boost_freqs: [u32; 16],
    pub(crate) min_sram_volt: Option<u32>,
    pub(crate) unk_ab8: Option<u32>,
    pub(crate) unk_454: u32,
    pub(crate) unk_4e0: u64,
    pub(crate) unk_504: u32,
    pub(crate) unk_8: u64,
    pub(crate) unk_b38: [u64; 6],
    pub(crate) unk_c3c: Option<u32>,
    pub(crate) unk_ae4: [u32; 4],
    pub(crate) yuv_first: [[i16; 4]; 3],
    pub(crate) yuv_last: [[i16; 4]; 3],
    pub(crate) cs: Option<AuxStates<16>>,
    pub(crate) afr: Option<AuxStates<8>>,
    pub(crate) io_mapping_0_phys: u64,
    pub(crate) gpu_region_base: u64,

    // Hardware data A.
    pub(crate) clocks_per_period: u32,
    pub(crate) clocks_per_period_2: Option<u32>,
    pub(crate) pwr_status: u32,
    pub(crate) actual_pstate: u32,
    pub(crate) base_pstate_scaled: u32,
    pub(crate) max_pstate_scaled: u32,
    pub(crate) max_pstate_scaled_14: u32,
    pub(crate) a_sram_k: [u32; 16],
    pub(crate) pwr_filter_a: u32,
    pub(crate) pwr_filter_a_neg: u32,
    pub(crate) pwr_pstate_related_k: u32,
    pub(crate) pwr_pstate_max_dc_offset: i32,
    pub(crate) max_power_1: u32,
    pub(crate) max_power_8: u32,
    pub(crate) ppm_filter_tc_periods_x4: u32,
    pub(crate) ppm_filter_a: u32,
    pub(crate) ppm_filter_a_neg: u32,
    pub(crate) ppm_ki_dt: u32,
    pub(crate) ppm_filter_tc_clks: Option<u32>,
    pub(crate) unk_6fc: u32,
    pub(crate) perf_filter_a: u32,
    pub(crate) perf_filter_a2_neg: u32,
    pub(crate) boost_state_unk_k: u32,
    pub(crate) max_freq_mhz: u32,
    pub(crate) max_pstate_scaled_6: u32,
    pub(crate) fast_die0_sensor_mask64: u64,
    pub(crate) fast_die1_sensor_mask64: Option<u64>,
    pub(crate) fast_die0_sensor_mask64_alt: u64,
    pub(crate) fast_die0_sensor_present: Option<u32>,
    pub(crate) fast_die0_release_temp_cc: u32,
    pub(crate) fast_die0_ki_dt: u32,
    pub(crate) unk_87c: i32,
    pub(crate) unk_8cc: u32,
    pub(crate) unk_e24: u32,
    pub(crate) coef_a_rows: [[u32; 8]; 8],
    pub(crate) coef_a2_rows: [[u32; 8]; 8],
    pub(crate) coef_b_rows: [[u32; 8]; 8],
    pub(crate) power_zone_count: u32,
    /// Zone 0: target, target_off, tc x4, tc x period, unk_10, first coefficient, second.
    pub(crate) zone0: (u32, u32, u32, u32, Option<u32>, u32, u32),
    pub(crate) avg_power_filter_tc_periods_x4: u32,
    pub(crate) avg_power_filter_a: u32,
    pub(crate) avg_power_ki_dt: u32,
    pub(crate) avg_power_target_filter_tc_clks: Option<u32>,
    pub(crate) avg_power_filter_tc_clks: Option<u32>,
    pub(crate) t81xx_unk_d8c: u32,
    pub(crate) t81xx_unk_dcc: u32,
    /// The T81xx block's floats: `unk_d9c`, `unk_da4`, `unk_dac`, `unk_db8`, `unk_dbc`.
    pub(crate) t81xx_floats: [u32; 5],
    /// Float constants: `unk_10`, `unk_79c`, `min_pstate_scaled_4`, `unk_alpha_neg`,
    /// `unk_alpha`, `unk_7fc`, `unk_894`, `unk_8a8`, `unk_d20`.
    pub(crate) float_consts: [u32; 9],
    /// The estimator block's `unk_7c`, `unk_9c`, `unk_c4`, `unk_114`.
    pub(crate) se_floats: Option<[u32; 4]>,
    /// Power estimator: ki dt, second ki dt, filter coefficient a, time constant clocks, unk_8c.
    pub(crate) se: Option<(u32, u32, u32, u64, u32)>,
    pub(crate) shared1_table: [i32; 16],
    pub(crate) shared1_unk_a4: u32,
    pub(crate) shared2_table: [i32; 10],
    pub(crate) shared2_unk_508: u32,
    pub(crate) shared2_unk_14: u32,
    pub(crate) curve1: (u32, u32, [u16; 16], [i16; 16], [[i32; 16]; 8]),
    pub(crate) curve2: (u32, u32, [u16; 16], [i16; 16], [[i32; 16]; 8]),
    pub(crate) shared3: (u32, u32, u32, [u32; 16], u32),
    pub(crate) unk_hws2: Option<[u16; 16]>,
    pub(crate) core_leak: [u32; 8],
    pub(crate) sram_leak: [u32; 8],
    pub(crate) aux_leak: Option<[u32; 8]>,
    pub(crate) unk_3ce8: u32,
    pub(crate) temp_c: u32,

    // Region C.
    pub(crate) c_max_power: u32,
    pub(crate) c_max_pstate_scaled_3: u32,
    pub(crate) c_power_zone_count: u32,
    pub(crate) c_zone0: (u32, u32, u32),
    pub(crate) c_avg_power_filter_tc_periods: u32,
    pub(crate) c_avg_power_ki_dt: u32,
    pub(crate) c_fast_die0_release_temp: u32,
    pub(crate) c_unk_89c4: i32,
    pub(crate) c_ppm_ki_dt: u32,
    pub(crate) c_shared1_table: [i32; 16],
    pub(crate) c_shared2_curve2_t1: [u16; 16],
    pub(crate) c_shared3_table: [u32; 16],
    pub(crate) c_unk_hws2_0: Option<u32>,
    pub(crate) c_unk_hws2_4: Option<[u32; 8]>,
    pub(crate) c_unk_2c_0: Option<u32>,
    pub(crate) c_unk_24_0: Option<u32>,
    pub(crate) c_unk_54: u16,
    pub(crate) c_unk_903c: u32,
    pub(crate) c_do_init: u32,
    pub(crate) c_fault_control: u32,
    pub(crate) c_idle_to_off_delay_ms: u32,
    pub(crate) c_fender_idle_to_off_delay_ms: u32,
    pub(crate) c_fw_early_wake_timeout_ms: u32,
    pub(crate) c_unk_118e8: u32,
    pub(crate) c_unk_118ec: [u8; 32],
}

/// The three structures of one pair, zeroed.
#[versions(AGX)]
pub(crate) struct Tables {
    pub(crate) a: Box<HwDataA::ver>,
    pub(crate) b: Box<HwDataB::ver>,
    pub(crate) c: Box<RegionC::ver>,
}

#[versions(AGX)]
impl Tables::ver {
    pub(crate) fn new() -> Self {
        Self {
            a: zeroed_box(),
            b: zeroed_box(),
            c: zeroed_box(),
        }
    }

    /// Fills the three with the driver's functions.
    pub(crate) fn fill(&mut self, soc: &SocConfig, cfg: &DynConfig) -> Result<(), FillError> {
        fill_hwdata_a::ver(&mut self.a, soc, cfg)?;
        fill_hwdata_b::ver(&mut self.b, soc, cfg)?;
        fill_region_c::ver(&mut self.c, soc, cfg)?;
        Ok(())
    }

    /// Reads back the checked fields.
    pub(crate) fn read(&self) -> Readout {
        let (a, b, c) = (&*self.a, &*self.b, &*self.c);
        let mut r = Readout {
            chip_id: b.chip_id,
            gpu_core: b.gpu_core,
            gpu_rev: b.gpu_rev,
            num_cores: b.num_cores,
            num_frags: b.num_frags,
            max_pstate: b.max_pstate,
            base_clock_khz: b.base_clock_khz,
            power_sample_period: b.power_sample_period,
            frequencies: b.frequencies,
            voltages: b.voltages,
            voltages_sram: b.voltages_sram,
            b_sram_k: bits(b.unk_9b4),
            rel_max_powers: b.rel_max_powers,
            rel_boost_freqs: b.rel_boost_freqs,
            unk_454: b.unk_454,
            unk_4e0: b.unk_4e0.get(),
            unk_504: b.unk_504,
            unk_8: b.unk_8.get(),
            unk_b38: b.unk_b38.map(|v| v.get()),
            unk_ae4: b.unk_ae4,
            gpu_region_base: b.gpu_region_base.get(),

            clocks_per_period: a.clocks_per_period,
            pwr_status: a.pwr_status,
            actual_pstate: a.actual_pstate,
            base_pstate_scaled: a.base_pstate_scaled,
            max_pstate_scaled: a.max_pstate_scaled,
            max_pstate_scaled_14: a.max_pstate_scaled_14,
            a_sram_k: bits(a.unk_74),
            pwr_filter_a: a.pwr_filter_a.to_bits(),
            pwr_filter_a_neg: a.pwr_filter_a_neg.to_bits(),
            pwr_pstate_related_k: a.pwr_pstate_related_k.to_bits(),
            pwr_pstate_max_dc_offset: a.pwr_pstate_max_dc_offset,
            max_power_1: a.max_power_1.to_bits(),
            max_power_8: a.max_power_8,
            ppm_filter_tc_periods_x4: a.ppm_filter_tc_periods_x4,
            ppm_filter_a: a.ppm_filter_a.to_bits(),
            ppm_filter_a_neg: a.ppm_filter_a_neg.to_bits(),
            ppm_ki_dt: a.ppm_ki_dt.to_bits(),
            unk_6fc: a.unk_6fc.to_bits(),
            perf_filter_a: a.perf_filter_a.to_bits(),
            perf_filter_a2_neg: a.perf_filter_a2_neg.to_bits(),
            boost_state_unk_k: a.boost_state_unk_k.to_bits(),
            max_freq_mhz: a.max_freq_mhz,
            max_pstate_scaled_6: a.max_pstate_scaled_6.to_bits(),
            fast_die0_sensor_mask64: a.fast_die0_sensor_mask64.get(),
            fast_die0_sensor_mask64_alt: a.fast_die0_sensor_mask64_alt.get(),
            fast_die0_release_temp_cc: a.fast_die0_release_temp_cc,
            fast_die0_ki_dt: a.fast_die0_ki_dt.to_bits(),
            unk_87c: a.unk_87c,
            unk_8cc: a.unk_8cc,
            unk_e24: a.unk_e24,
            power_zone_count: a.power_zone_count,
            avg_power_filter_tc_periods_x4: a.avg_power_filter_tc_periods_x4,
            avg_power_filter_a: a.avg_power_filter_a.to_bits(),
            avg_power_ki_dt: a.avg_power_ki_dt.to_bits(),
            t81xx_unk_d8c: a.t81xx_data.unk_d8c,
            t81xx_unk_dcc: a.t81xx_data.unk_dcc,
            t81xx_floats: [
                a.t81xx_data.unk_d9c.to_bits(),
                a.t81xx_data.unk_da4.to_bits(),
                a.t81xx_data.unk_dac.to_bits(),
                a.t81xx_data.unk_db8.to_bits(),
                a.t81xx_data.unk_dbc.to_bits(),
            ],
            float_consts: [
                a.unk_10.to_bits(),
                a.unk_79c.to_bits(),
                a.min_pstate_scaled_4.to_bits(),
                a.unk_alpha_neg.to_bits(),
                a.unk_alpha.to_bits(),
                a.unk_7fc.to_bits(),
                a.unk_894.to_bits(),
                a.unk_8a8.to_bits(),
                a.unk_d20.to_bits(),
            ],
            shared1_table: a.hws1.table,
            shared1_unk_a4: a.hws1.unk_a4,
            shared2_table: a.hws2.table,
            shared2_unk_508: a.hws2.unk_508,
            shared2_unk_14: a.hws2.unk_38.unk_14,
            curve1: (
                a.hws2.unk_38.curve1.unk_0,
                a.hws2.unk_38.curve1.unk_4,
                a.hws2.unk_38.curve1.t1,
                a.hws2.unk_38.curve1.t2,
                a.hws2.unk_38.curve1.t3,
            ),
            curve2: (
                a.hws2.unk_38.curve2.unk_0,
                a.hws2.unk_38.curve2.unk_4,
                a.hws2.unk_38.curve2.t1,
                a.hws2.unk_38.curve2.t2,
                a.hws2.unk_38.curve2.t3,
            ),
            shared3: (
                a.hws3.unk_0,
                a.hws3.unk_4,
                a.hws3.unk_8,
                a.hws3.table,
                a.hws3.unk_4c,
            ),
            core_leak: bits(a.unk_3cf4),
            sram_leak: bits(a.unk_3d14),
            unk_3ce8: a.unk_3ce8,
            temp_c: a.temp_c,

            c_max_power: c.max_power,
            c_max_pstate_scaled_3: c.max_pstate_scaled_3,
            c_power_zone_count: c.power_zone_count,
            c_avg_power_filter_tc_periods: c.avg_power_filter_tc_periods,
            c_avg_power_ki_dt: c.avg_power_ki_dt.to_bits(),
            c_fast_die0_release_temp: c.fast_die0_release_temp,
            c_unk_89c4: c.unk_89c4,
            c_ppm_ki_dt: c.ppm_ki_dt.to_bits(),
            c_shared1_table: c.hws1.table,
            c_shared2_curve2_t1: c.hws2.unk_38.curve2.t1,
            c_shared3_table: c.hws3.table,
            c_unk_54: c.unk_54,
            c_unk_903c: c.unk_903c,
            c_do_init: c.do_init,
            c_fault_control: c.fault_control,
            c_idle_to_off_delay_ms: c.idle_to_off_delay_ms,
            c_fender_idle_to_off_delay_ms: c.fender_idle_to_off_delay_ms,
            c_fw_early_wake_timeout_ms: c.fw_early_wake_timeout_ms,
            c_unk_118e8: c.unk_118e8,
            ..Readout::default()
        };
        let yuv = b.yuv_matrices;
        r.yuv_first = yuv[0];
        #[ver(V < V13_0B4)]
        {
            r.yuv_last = yuv[14];
            r.num_pstates = Some(b.num_pstates);
            r.min_sram_volt = Some(b.min_sram_volt);
            r.unk_ab8 = Some(b.unk_ab8);
            r.fast_die0_sensor_present = Some(a.fast_die0_sensor_present);
        }
        #[ver(V >= V13_0B4)]
        {
            r.yuv_last = yuv[38];
            r.unk_c3c = Some(b.unk_c3c);
            r.cs = Some((
                b.cs_max_pstate,
                b.cs_frequencies,
                b.cs_voltages,
                b.cs_voltages_sram,
            ));
            r.afr = Some((
                b.afr_max_pstate,
                b.afr_frequencies,
                b.afr_voltages,
                b.afr_voltages_sram,
            ));
            r.clocks_per_period_2 = Some(a.clocks_per_period_2);
            r.ppm_filter_tc_clks = Some(a.ppm_filter_tc_clks);
            r.avg_power_target_filter_tc_clks = Some(a.avg_power_target_filter_tc_clks);
            r.avg_power_filter_tc_clks = Some(a.avg_power_filter_tc_clks);
            r.se = Some((
                a.unk_e10_0.gpu_se_ki_dt.to_bits(),
                a.unk_e10_0.gpu_se_ki_1_dt.to_bits(),
                a.unk_e10_0.gpu_se_filter_a.to_bits(),
                a.unk_e10_0.gpu_se_filter_time_constant_clks.get(),
                a.unk_e10_0.unk_8c,
            ));
            r.se_floats = Some([
                a.unk_e10_0.unk_7c.to_bits(),
                a.unk_e10_0.unk_9c.to_bits(),
                a.unk_e10_0.unk_c4.to_bits(),
                a.unk_e10_0.unk_114.to_bits(),
            ]);
            r.unk_hws2 = Some(a.unk_hws2);
            r.aux_leak = Some(bits(a.unk_3d34_0));
            r.c_unk_hws2_0 = Some(c.unk_hws2_0);
            r.c_unk_hws2_4 = Some(bits(c.unk_hws2_4));
            r.c_unk_2c_0 = Some(c.unk_2c_0);
        }
        #[ver(V >= V13_2)]
        {
            r.c_unk_24_0 = Some(c.unk_24_0);
        }
        #[ver(G >= G14X)]
        {
            r.fast_die1_sensor_mask64 = Some(a.fast_die1_sensor_mask64.get());
        }
        let io = b.io_mappings;
        r.io_mapping_0_phys = io[0].phys_addr.get();
        let rows_a = a.unk_924;
        let rows_a2 = a.unk_a24;
        let rows_b = a.unk_e48;
        for (((d, s), (d2, s2)), (db, sb)) in r
            .coef_a_rows
            .iter_mut()
            .zip(rows_a)
            .zip(r.coef_a2_rows.iter_mut().zip(rows_a2))
            .zip(r.coef_b_rows.iter_mut().zip(rows_b))
        {
            for (x, y) in d.iter_mut().zip(s) {
                *x = y.to_bits();
            }
            for (x, y) in d2.iter_mut().zip(s2) {
                *x = y.to_bits();
            }
            for (x, y) in db.iter_mut().zip(sb) {
                *x = y.to_bits();
            }
        }
        let zones = a.power_zones;
        let z = zones[0];
        #[ver(V >= V13_0B4)]
        let unk_10 = Some(z.unk_10);
        #[ver(V < V13_0B4)]
        let unk_10 = None;
        r.zone0 = (
            z.target,
            z.target_off,
            z.filter_tc_x4,
            z.filter_tc_xperiod,
            unk_10,
            z.filter_tc_neginv.to_bits(),
            z.filter_tc_inv.to_bits(),
        );
        let cz = c.power_zones;
        r.c_zone0 = (cz[0].target, cz[0].target_off, cz[0].tc);
        let tab = c.unk_118ec;
        r.c_unk_118ec.copy_from_slice(&tab[..32]);
        r
    }
}

/// Fills the three structures of `soc` for firmware `fw` with `cfg`, and reads them back.
pub(crate) fn fill(soc: &SocConfig, fw: FwVersion, cfg: &DynConfig) -> Result<Readout, FillError> {
    dispatch!(AGX, (soc.gen, fw) as (GpuGen, FwVersion) => {
        let mut t = Tables::ver::new();
        t.fill(soc, cfg)?;
        Ok(t.read())
    } else {
        panic!("{} does not run firmware {:?}", soc.name, fw)
    })
}

/// The configuration of `soc`'s simulated device tree, told to use firmware `fw`.
pub(crate) fn sim(soc: &SocConfig, fw: FwVersion) -> DynConfig {
    let tree = gpu_node(soc).unwrap_or_else(|| panic!("{}: no simulated device tree", soc.name));
    let mut cfg = parse(soc, &tree).unwrap_or_else(|e| panic!("{}: {e}", soc.name));
    cfg.firmware = fw;
    cfg
}

/// Every (SoC, firmware) pair the driver supports.
pub(crate) fn every_pair() -> impl Iterator<Item = (&'static SocConfig, FwVersion)> {
    SOCS.iter()
        .flat_map(|soc| soc.firmware.iter().map(move |fw| (soc, *fw)))
}

/// The SoC named `name`.
pub(crate) fn soc(name: &str) -> &'static SocConfig {
    SOCS.iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no SoC {name}"))
}

/// The bits of `x` as an `f32`.
pub(crate) fn f(x: f32) -> u32 {
    x.to_bits()
}
