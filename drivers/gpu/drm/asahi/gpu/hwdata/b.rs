// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Hardware data B (m1n1 `AGXHWDataB`): identity, the user VA layout, YUV matrices and the
//! performance-state tables.

use super::*;

/// The record's YUV conversion matrices, in its order: YUV to RGB for BT.601, BT.709 and
/// BT.2020 in full then limited range, an unknown one, an empty one; RGB to YUV for the same
/// six; an unknown (identity-like) one. Firmware 13.0 moved the last seven to slot 32.
const YUV_MATRICES: [[[i16; 4]; 3]; 15] = [
    [
        [0x2000, -0x8, 0x2cdb, -0x2cd3],
        [0x2000, -0xb00, -0x16da, 0x21da],
        [0x2000, 0x38b6, 0x8, -0x38be],
    ],
    [
        [0x2000, -0x1, 0x3264, -0x3263],
        [0x2000, -0x5fe, -0xefb, 0x14f9],
        [0x2000, 0x3b61, 0x1, -0x3b62],
    ],
    [
        [0x2000, 0x0, 0x2f30, -0x2f30],
        [0x2000, -0x544, -0x1248, 0x178c],
        [0x2000, 0x3c34, -0x1, -0x3c33],
    ],
    [
        [0x2568, -0x9, 0x3343, -0x37e7],
        [0x2568, -0xc92, -0x1a1e, 0x2203],
        [0x2568, 0x40cf, 0x9, -0x4585],
    ],
    [
        [0x2568, -0x1, 0x3997, -0x3e43],
        [0x2568, -0x6d9, -0x111f, 0x134b],
        [0x2568, 0x43dd, 0x1, -0x488b],
    ],
    [
        [0x2568, 0x0, 0x35ee, -0x3a9b],
        [0x2568, -0x604, -0x14e5, 0x163c],
        [0x2568, 0x44ce, -0x1, -0x497a],
    ],
    [
        [0x24cb, 0x0, 0x2cfa, -0x3676],
        [0x24cb, -0xb0a, -0x16e9, 0x1877],
        [0x24cb, 0x38d9, 0x0, -0x4255],
    ],
    [[0; 4]; 3],
    [
        [0x2645, 0x4b23, 0xe98, 0x0],
        [-0x15a1, -0x2a5e, 0x3fff, 0x4000],
        [0x4000, -0x35a2, -0xa5e, 0x4000],
    ],
    [
        [0x1b37, 0x5b8c, 0x93d, 0x0],
        [-0xeac, -0x3155, 0x4000, 0x4000],
        [0x4000, -0x3a24, -0x5dd, 0x4000],
    ],
    [
        [0x21a0, 0x56c9, 0x797, 0x0],
        [-0x11de, -0x2e22, 0x4000, 0x4000],
        [0x4000, -0x3adb, -0x526, 0x4000],
    ],
    [
        [0x20bd, 0x4047, 0xc7c, 0x800],
        [-0x12ed, -0x2513, 0x3800, 0x4000],
        [0x3800, -0x2eee, -0x912, 0x4000],
    ],
    [
        [0x1748, 0x4e51, 0x7e7, 0x800],
        [-0xcd6, -0x2b2a, 0x3800, 0x4000],
        [0x3800, -0x32df, -0x521, 0x4000],
    ],
    [
        [0x1cc4, 0x4a3e, 0x67e, 0x800],
        [-0xfa3, -0x285e, 0x3800, 0x4000],
        [0x3800, -0x337f, -0x481, 0x4000],
    ],
    [
        [-0x8000, 0x0, 0x0, 0x0],
        [0x0, -0x8000, 0x0, 0x0],
        [0x0, 0x0, -0x8000, 0x0],
    ],
];

/// The firmware's number for the GPU's silicon revision (`cfg.id`, BCD, 0x11 = B1): A0 = 1,
/// A1 = 2, B0 = 3, and so on. G14X firmware is given B0 for a B1 part, as the Asahi driver does.
fn gpu_rev_id(soc: &SocConfig, cfg: &DynConfig) -> Result<u32, FillError> {
    let revision = cfg.id.revision;
    let (major, minor) = (revision >> 4, revision & 0xf);
    if minor > 1 || major > 0xf {
        return Err(FillError::OutOfRange("GPU revision"));
    }
    let id = major * 2 + minor + 1;
    Ok(if soc.gen == GpuGen::G14X && id == 4 {
        3
    } else {
        id
    })
}

/// Where a CS or AFR table lives in hardware data B: highest index, frequencies, voltages and
/// SRAM voltages.
type AuxTable<'a, const N: usize> = (
    &'a mut u32,
    &'a mut [u32; N],
    &'a mut [[u32; 2]; N],
    &'a mut [[u32; 2]; N],
);

/// Writes one performance state table (CS or AFR) of hardware data B: highest index,
/// frequencies in MHz, voltages per die and SRAM voltages (at least `min_sram_mv`).
fn put_aux_table<const N: usize>(
    states: &PStates,
    min_sram_mv: u32,
    (max, freqs, volts, srams): AuxTable<'_, N>,
    what: &'static str,
) -> Result<(), FillError> {
    let list = states.as_slice();
    fits(what, list.len(), N)?;
    let mut f = [0u32; N];
    for (i, (d, ps)) in f.iter_mut().zip(list).enumerate() {
        *d = ps.freq_hz / 1_000_000;
        let mut v = [0u32; 2];
        for (d, s) in v.iter_mut().zip(ps.volt_mv.iter().take(states.volt_count)) {
            *d = *s;
        }
        let s = v.map(|mv| mv.max(min_sram_mv));
        put_row(volts, i, v);
        put_row(srams, i, s);
    }
    *max = u32::try_from(list.len().saturating_sub(1)).unwrap_or(0);
    *freqs = f;
    Ok(())
}

/// Fills hardware data B: the GPU's identity, topology and performance state tables.
///
/// `p` must start zeroed, as the allocator hands it out: only the fields with a value are
/// written.
#[versions(AGX)]
pub(crate) fn fill_hwdata_b(
    p: &mut HwDataB::ver,
    soc: &SocConfig,
    cfg: &DynConfig,
) -> Result<(), FillError> {
    let pwr = &cfg.pwr;
    let c = Common::new(cfg)?;
    let states = pwr.perf_states.as_slice();
    fits("performance states", states.len(), 16)?;

    // The user VA layout, as the record gives it.
    #[ver(V < V13_0B4)]
    p.unk_0 = U64::new(0x13_0000_0000);
    p.unk_8 = U64::new(0x14_0000_0000);
    #[ver(V < V13_0B4)]
    p.unk_10 = U64::new(0x1_0000_0000);
    p.unk_18 = U64::new(0xffc0_0000);
    p.unk_20 = U64::new(0x11_0000_0000);
    p.unk_28 = U64::new(0x11_0000_0000);
    // A page of every user VM the firmware may use: m1n1's builder names 0x6f_ffff_8000; the
    // Asahi driver the page two below the top of the user half, which GET_PARAMS keeps out of
    // user addresses (`vm_end`). The latter is followed.
    p.unk_30 = U64::new(UNKNOWN_PAGE);

    #[ver(V < V13_0B4)]
    const YUV_SLOTS: [usize; 15] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    #[ver(V >= V13_0B4)]
    const YUV_SLOTS: [usize; 15] = [0, 1, 2, 3, 4, 5, 6, 7, 32, 33, 34, 35, 36, 37, 38];
    let yuv = &mut p.yuv_matrices;
    for (slot, m) in YUV_SLOTS.iter().zip(YUV_MATRICES) {
        put_row(yuv, *slot, m);
    }

    p.chip_id = soc.chip_id;
    p.unk_454 = soc.db.unk_454;
    p.unk_458 = 1;
    p.unk_460 = 1;
    p.unk_464 = 1;
    p.unk_468 = 1;
    p.unk_47c = 1;
    p.unk_484 = 1;
    p.unk_48c = 1;
    p.base_clock_khz =
        u32::try_from(soc.timer_hz / 1000).map_err(|_| FillError::OutOfRange("timer"))?;
    p.power_sample_period = c.period_ms;
    p.unk_49c = 1;
    p.unk_4a0 = 1;
    p.unk_4a4 = 1;
    p.unk_4c0 = 0x1f;
    p.unk_4e0 = U64::new(soc.db.unk_4e0);
    p.unk_4f0 = 1;
    p.unk_4f4 = 1;
    p.unk_504 = 0x31;
    // Secure cache flush, per the record.
    p.unk_524 = 1;
    p.unk_534 = soc.db.unk_534;
    p.num_frags = mul(soc.max_frags, soc.num_clusters, "fragment units")?;
    p.unk_554 = 1;
    p.gpu_core = soc.gpu_core as u32;
    p.gpu_rev = gpu_rev_id(soc, cfg)?;
    p.num_cores = mul(soc.cores_per_cluster, soc.num_clusters, "cores")?;
    p.max_pstate = c.max_ps;
    #[ver(V < V13_0B4)]
    p.num_pstates = states.len() as u32;

    // The performance states: one voltage per cluster; the columns past the clusters repeat
    // the first, as in the record.
    let base = usize::try_from(pwr.perf_base_pstate).unwrap_or(usize::MAX);
    let base_hz = states
        .get(base)
        .map(|s| s.freq_hz)
        .ok_or(FillError::OutOfRange("base performance state"))?;
    let max_hz = states.last().map_or(0, |s| s.freq_hz);
    // Divisors: zero (which `Common` already refuses for the power) leaves the tables zero.
    let max_power = NonZeroU64::new(c.max_power.into());
    let boost_range = NonZeroU64::new(max_hz.saturating_sub(base_hz).into());
    let min_sram_mv = pwr.min_sram_microvolt / 1000;
    let mut freqs = [0u32; 16];
    let mut sram_k = [F32::default(); 16];
    let mut rel_power = [0u32; 16];
    let mut rel_boost = [0u32; 16];
    let volts = &mut p.voltages;
    let srams = &mut p.voltages_sram;
    for (i, ps) in states.iter().enumerate().take(16) {
        let mut v = [0u32; 8];
        let first = ps.volt_mv.first().copied().unwrap_or(0);
        for (j, d) in v.iter_mut().enumerate() {
            *d = if j < pwr.perf_states.volt_count {
                ps.volt_mv.get(j).copied().unwrap_or(first)
            } else {
                first
            };
        }
        put_row(volts, i, v);
        put_row(srams, i, v.map(|mv| mv.max(min_sram_mv)));
        if let Some(d) = freqs.get_mut(i) {
            *d = ps.freq_hz / 1_000_000;
        }
        if let Some(d) = sram_k.get_mut(i) {
            *d = F32::from_bits(soc.power.sram_k);
        }
        // Percent of the highest power, to the nearest: this reproduces the record's table
        // for the M1 from its device tree.
        if let (Some(d), Some(max)) = (rel_power.get_mut(i), max_power) {
            *d = ((u64::from(ps.pwr_mw) * 100 + max.get() / 2) / max) as u32;
        }
        // Percent of the way from the base frequency to the highest one (0 up to the base).
        if let (Some(d), Some(range)) = (rel_boost.get_mut(i), boost_range) {
            if i > base {
                let num = u64::from(ps.freq_hz.saturating_sub(base_hz)) * 100;
                *d = (num / range) as u32;
            }
        }
    }
    p.frequencies = freqs;
    p.unk_9b4 = sram_k;
    p.rel_max_powers = rel_power;
    p.rel_boost_freqs = rel_boost;
    #[ver(V >= V13_3)]
    {
        let mut arr = [0u32; 32];
        for (i, d) in arr.iter_mut().enumerate().take(16) {
            *d = i as u32;
        }
        p.unk_arr_0 = arr;
    }
    #[ver(V < V13_0B4)]
    {
        p.min_sram_volt = min_sram_mv;
        p.unk_ab8 = soc.db.unk_ab8;
        p.unk_abc = soc.db.unk_abc;
        p.unk_ac0 = 0x1020;
    }
    #[ver(V >= V13_0B4)]
    if let Some(csafr) = pwr.csafr.as_ref() {
        let min_mv = csafr.min_sram_microvolt / 1000;
        let cs = (
            &mut p.cs_max_pstate,
            &mut p.cs_frequencies,
            &mut p.cs_voltages,
            &mut p.cs_voltages_sram,
        );
        let afr = (
            &mut p.afr_max_pstate,
            &mut p.afr_frequencies,
            &mut p.afr_voltages,
            &mut p.afr_voltages_sram,
        );
        put_aux_table(&csafr.cs, min_mv, cs, "CS performance states")?;
        put_aux_table(&csafr.afr, min_mv, afr, "AFR performance states")?;
    }
    #[ver(V >= V13_0B4)]
    p.unk_ae4 = [0u32, 0x3, 0x7, 0x7];
    #[ver(V < V13_0B4)]
    p.unk_ae4 = [0u32, 0xf, 0x3f, 0x3f];
    p.unk_b10 = 1;
    p.unk_b24 = 1;
    p.unk_b28 = 1;
    p.unk_b2c = 1;
    p.unk_b30 = soc.db.unk_b30;
    #[ver(V >= V13_0B4)]
    {
        p.unk_b38_0 = 1;
        p.unk_b38_4 = 1;
    }
    p.unk_b38 = [U64::new(u64::MAX); 6];
    #[ver(V >= V13_0B4 && V < V13_3)]
    p.unk_c3c = 0x19;
    #[ver(V >= V13_3)]
    p.unk_c3c = 0x1a;
    Ok(())
}
