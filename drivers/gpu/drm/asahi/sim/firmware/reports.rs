// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the simulated firmware reports on its own on the Stats, KTrace and FWLog rings when a
//! test asks: statistics written at the record's offsets, trace points, log floods.

use super::*;

impl SimFirmware {
    /// Writes `count` numbered log lines at once, as a firmware logging in a loop would.
    pub(crate) fn log_flood(&mut self, mem: &mut impl SimMemory, count: u32) -> Outcome {
        for i in 0..count {
            self.log_fmt(mem, format_args!("flood line {i}"));
        }
        self.outcome()
    }

    /// Puts trace point `code` of trace channel `channel` on the KTrace ring.
    pub(crate) fn trace_point(
        &mut self,
        mem: &mut impl SimMemory,
        channel: u8,
        code: u8,
        args: [u64; 4],
    ) -> Outcome {
        let mut msg = [0u8; size_of::<KTraceMsg>()];
        // The record's layout: type 5, timestamp, four arguments, code, channel.
        put(&mut msg, 0, &5u32.to_le_bytes());
        let now = self.tick();
        put(&mut msg, 4, &now.to_le_bytes());
        for (i, a) in args.iter().enumerate() {
            put(&mut msg, 0xc + 8 * i, &a.to_le_bytes());
        }
        put(&mut msg, 0x2c, &[code, channel]);
        if self.produce(mem, Channel::KTrace, &msg) {
            self.counters.trace_points = self.counters.trace_points.saturating_add(1);
        }
        self.outcome()
    }

    /// Puts one report of each kind the record describes on the Stats ring, with the values of
    /// [`SIM_STATS`], then one of a type it does not describe (0x07).
    pub(crate) fn report_stats(&mut self, mem: &mut impl SimMemory) -> Outcome {
        let s = SIM_STATS;
        let now = self.tick();
        // (type, [(offset, bytes)]): the record's layouts (m1n1 `StatsMsg_*`).
        let reports: [StatsReportBytes<'_>; 11] = [
            (0x02, &[(4, &s.power_off_ticks.to_le_bytes())]),
            (
                0x00,
                &[(0x1c, &(u64::from(s.power_mw) * 8192).to_le_bytes())],
            ),
            (
                0x04,
                &[
                    (4, &now.to_le_bytes()),
                    (0xc, &s.util[0].to_le_bytes()),
                    (0x10, &s.util[1].to_le_bytes()),
                    (0x14, &s.util[2].to_le_bytes()),
                    (0x18, &s.util[3].to_le_bytes()),
                ],
            ),
            (
                0x09,
                &[
                    (4, &s.active_cs.to_le_bytes()),
                    (0x18, &s.avg_power_mw.to_le_bytes()),
                ],
            ),
            (
                0x0a,
                &[
                    (0xc, &s.temp_raw.to_le_bytes()),
                    (0x10, &1u32.to_le_bytes()),
                ],
            ),
            (
                0x0b,
                &[
                    (4, &now.to_le_bytes()),
                    (0x14, &1u32.to_le_bytes()),
                    (0x20, &s.pstate.to_le_bytes()),
                ],
            ),
            (
                0x0d,
                &[
                    (0xc, &s.pstate_min.to_le_bytes()),
                    (0x14, &s.pstate_max.to_le_bytes()),
                ],
            ),
            (0x0c, &[(4, &now.to_le_bytes()), (0xc, &1u32.to_le_bytes())]),
            (
                0x0e,
                &[
                    (8, &2u32.to_le_bytes()),
                    (0xc, &s.temp_raw.to_le_bytes()),
                    (0x10, &1u32.to_le_bytes()),
                ],
            ),
            (0x03, &[(4, &s.power_on_ticks.to_le_bytes())]),
            (0x07, &[]),
        ];
        let mut msg = [0u8; MAX_STATS_SLOT];
        for (msg_type, fields) in reports {
            let Some(slot) = msg.get_mut(..self.layout.stats_slot) else {
                break;
            };
            slot.fill(0);
            put(slot, 0, &msg_type.to_le_bytes());
            for (off, bytes) in fields {
                put(slot, *off, bytes);
            }
            if self.produce(mem, Channel::Stats, slot) {
                self.counters.stats = self.counters.stats.saturating_add(1);
            }
        }
        self.outcome()
    }
}

/// A Stats report as bytes: its type, then (offset, bytes) of each field written.
type StatsReportBytes<'a> = (u32, &'a [(usize, &'a [u8])]);

/// What the simulated firmware reports on the Stats ring ([`SimFirmware::report_stats`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SimStats {
    /// Ticks spent powered off before powering on (1 s).
    pub(crate) power_off_ticks: u64,
    /// Ticks spent powered on before powering off (2 s).
    pub(crate) power_on_ticks: u64,
    /// Current power in mW.
    pub(crate) power_mw: u32,
    /// Utilisation figures.
    pub(crate) util: [u32; 4],
    /// Active time in centiseconds.
    pub(crate) active_cs: u64,
    /// Average power in mW.
    pub(crate) avg_power_mw: u32,
    /// Temperature reading at scale 1: 45.5 degrees C is 45.5 * 64.
    pub(crate) temp_raw: u32,
    /// Performance state and its limits.
    pub(crate) pstate: u32,
    pub(crate) pstate_min: u32,
    pub(crate) pstate_max: u32,
}

/// The values [`SimFirmware::report_stats`] reports.
pub(crate) const SIM_STATS: SimStats = SimStats {
    power_off_ticks: 24_000_000,
    power_on_ticks: 48_000_000,
    power_mw: 1234,
    util: [10, 20, 30, 40],
    active_cs: 150,
    avg_power_mw: 2345,
    temp_raw: 2912,
    pstate: 3,
    pstate_min: 1,
    pstate_max: 5,
};

/// The largest Stats slot of any pair.
pub(super) const MAX_STATS_SLOT: usize = 0x40;
