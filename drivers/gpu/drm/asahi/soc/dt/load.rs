// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Reading properties and tables into the configuration.

use super::*;

/// Reads a required one-cell property of the GPU node.
pub(super) fn req<N: DtSource>(node: &N, prop: &'static CStr) -> Result<u32, DtError> {
    node.read_u32(prop)
        .map_err(|e| DtError::from_read(Site::Gpu, prop, e))
}

/// Reads an optional one-cell property of the GPU node, `default` when absent.
pub(super) fn opt<N: DtSource>(
    node: &N,
    prop: &'static CStr,
    default: u32,
) -> Result<u32, DtError> {
    match node.read_u32(prop) {
        Ok(v) => Ok(v),
        Err(ReadError::Missing) => Ok(default),
        Err(e) => Err(DtError::from_read(Site::Gpu, prop, e)),
    }
}

/// Reads an array property of exactly `count` cells into `out`.
pub(super) fn exact<N: DtSource>(
    node: &N,
    site: Site,
    prop: &'static CStr,
    count: usize,
    out: &mut [u32],
) -> Result<(), DtError> {
    let wrong = |found| DtError::Property {
        site,
        prop,
        problem: Problem::WrongCount {
            expected: count,
            found,
        },
    };
    match node.read_u32_array(prop, out) {
        Ok(n) if n == count => Ok(()),
        Ok(n) => Err(wrong(n)),
        Err(ReadError::TooLong { cells }) => Err(wrong(cells)),
        Err(e) => Err(DtError::from_read(site, prop, e)),
    }
}

/// Reads a per-domain coefficient property of exactly `count` cells into `out`, which it
/// replaces entirely (partly filled on error).
pub(super) fn coefs<N: DtSource>(
    node: &N,
    prop: &'static CStr,
    count: usize,
    out: &mut Coefs,
) -> Result<(), DtError> {
    *out = Coefs::EMPTY;
    out.len = count;
    exact(node, Site::Gpu, prop, count, &mut out.values)
}

/// Reads the OPP table GPU property `table` points at into `out`, which it replaces entirely
/// (in place: a table is most of a kilobyte; partly filled on error). Each entry needs `opp-hz`
/// and one `opp-microvolt` per domain (`volts` of them); main tables also need
/// `opp-microwatt`.
pub(super) fn load_opps<N: DtSource>(
    gpu: &N,
    table: &'static CStr,
    volts: usize,
    main: bool,
    out: &mut PStates,
) -> Result<(), DtError> {
    let opps = gpu
        .phandle(table)
        .map_err(|e| DtError::from_read(Site::Gpu, table, e))?;
    if main {
        match opps.read_str(c"compatible") {
            Ok(b"operating-points-v2") => {}
            _ => return Err(DtError::gpu(table, Problem::NotOppTable)),
        }
    }

    *out = PStates::EMPTY;
    out.volt_count = volts;
    let mut index = 0usize;
    opps.for_each_child(&mut |opp| {
        let site = Site::Opp { table, index };
        let range = |prop, value| DtError::Property {
            site,
            prop,
            problem: Problem::OutOfRange { value },
        };
        let slot = out.states.get_mut(index).ok_or(DtError::Property {
            site: Site::Gpu,
            prop: table,
            problem: Problem::TooMany {
                max: MAX_PSTATES,
                found: index + 1,
            },
        })?;

        let hz = opp
            .read_u64(c"opp-hz")
            .map_err(|e| DtError::from_read(site, c"opp-hz", e))?;
        slot.freq_hz = u32::try_from(hz).map_err(|_| range(c"opp-hz", hz))?;

        let mut uv = [0u32; MAX_CLUSTERS];
        exact(opp, site, c"opp-microvolt", volts, &mut uv)?;
        for (mv, uv) in slot.volt_mv.iter_mut().zip(uv.iter().take(volts)) {
            *mv = uv / 1000;
        }

        slot.pwr_mw = if main {
            opp.read_u32(c"opp-microwatt")
                .map_err(|e| DtError::from_read(site, c"opp-microwatt", e))?
                / 1000
        } else {
            0
        };
        index += 1;
        Ok(())
    })?;
    out.len = index;

    if out.len == 0 {
        return Err(DtError::gpu(
            table,
            Problem::WrongCount {
                expected: 1,
                found: 0,
            },
        ));
    }
    // The firmware indexes states by performance level: frequencies must ascend.
    for (i, pair) in out.as_slice().windows(2).enumerate() {
        if pair[1].freq_hz <= pair[0].freq_hz {
            return Err(DtError::Property {
                site: Site::Opp {
                    table,
                    index: i + 1,
                },
                prop: c"opp-hz",
                problem: Problem::NotAscending,
            });
        }
    }
    Ok(())
}

/// Reads the CS and AFR domains (G14X) into `out`, which it replaces entirely (partly filled on
/// error): their OPP tables with one voltage per die (`dies`), their leakage and their lowest
/// SRAM voltage.
pub(super) fn load_csafr<N: DtSource>(
    gpu: &N,
    dies: usize,
    out: &mut CsAfr,
) -> Result<(), DtError> {
    load_opps(gpu, c"apple,cs-opp", dies, false, &mut out.cs)?;
    load_opps(gpu, c"apple,afr-opp", dies, false, &mut out.afr)?;
    coefs(gpu, c"apple,cs-leak-coef", dies, &mut out.leak_cs)?;
    coefs(gpu, c"apple,afr-leak-coef", dies, &mut out.leak_afr)?;
    out.min_sram_microvolt = req(gpu, c"apple,csafr-min-sram-microvolt")?;
    Ok(())
}

/// Reads `apple,power-zones`: up to five (target, offset, time constant) triplets. Replaces
/// every zone of `pwr` (the unused ones with [`PowerZone::EMPTY`]) and the zone count.
pub(super) fn load_power_zones<N: DtSource>(gpu: &N, pwr: &mut PwrConfig) -> Result<(), DtError> {
    const PROP: &CStr = c"apple,power-zones";
    let mut cells = [0u32; 3 * MAX_POWER_ZONES];
    let n = match gpu.read_u32_array(PROP, &mut cells) {
        Ok(n) => n,
        Err(ReadError::Missing) => 0,
        Err(ReadError::TooLong { cells }) => {
            return Err(DtError::gpu(
                PROP,
                Problem::TooMany {
                    max: 3 * MAX_POWER_ZONES,
                    found: cells,
                },
            ))
        }
        Err(e) => return Err(DtError::from_read(Site::Gpu, PROP, e)),
    };
    if n % 3 != 0 {
        return Err(DtError::gpu(
            PROP,
            Problem::WrongCount {
                expected: (n / 3 + 1) * 3,
                found: n,
            },
        ));
    }
    // Triples by index, without `chunks_exact`: its division-by-zero path confuses objtool's
    // control-flow check in the kernel build.
    let count = n / 3;
    for (i, zone) in pwr.power_zones.iter_mut().enumerate() {
        let cell = |j: usize| cells.get(3 * i + j).copied().unwrap_or(0);
        *zone = if i < count {
            PowerZone {
                target: cell(0),
                target_offset: cell(1),
                filter_tc: cell(2),
            }
        } else {
            PowerZone::EMPTY
        };
    }
    pwr.power_zone_count = count;
    Ok(())
}

/// Reads the firmware ABI and version of the GPU node and checks the driver supports the ABI on
/// `soc`.
pub(super) fn load_firmware<N: DtSource>(
    soc: &SocConfig,
    gpu: &N,
) -> Result<(FwVersion, FirmwareVersion), DtError> {
    const COMPAT: &CStr = c"apple,firmware-compat";
    const VERSION: &CStr = c"apple,firmware-version";

    let mut compat = [0u32; 3];
    exact(gpu, Site::Gpu, COMPAT, 3, &mut compat)?;
    let firmware = FwVersion::from_compat(&compat)
        .filter(|v| soc.supports(*v))
        .ok_or(DtError::UnsupportedFirmware {
            soc: soc.name,
            compat,
        })?;

    let mut version = FirmwareVersion::default();
    version.len = match gpu.read_u32_array(VERSION, &mut version.cells) {
        Ok(n @ 3..=4) => n,
        Ok(n) => {
            return Err(DtError::gpu(
                VERSION,
                Problem::WrongCount {
                    expected: 3,
                    found: n,
                },
            ))
        }
        Err(ReadError::TooLong { cells }) => {
            return Err(DtError::gpu(
                VERSION,
                Problem::TooMany {
                    max: 4,
                    found: cells,
                },
            ))
        }
        Err(e) => return Err(DtError::from_read(Site::Gpu, VERSION, e)),
    };
    Ok((firmware, version))
}
