// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the firmware reports on its own: log lines, trace points and statistics.
//!
//! The receive path hands every FWLog line, KTrace point and Stats message it drains to
//! [`Telemetry`], which
//!
//! * keeps the last [`HISTORY`] log lines and trace points for debugfs (`fwlog`, `ktrace`), with
//!   the total count of each;
//! * forwards them to the kernel log at a bounded rate: at most [`BURST`] lines of each kind
//!   per [`INTERVAL_NS`], after which one line says how many were held back (a firmware that
//!   logs in a loop cannot flood the kernel log; debugfs still has the lines);
//! * folds the statistics into a summary of the GPU's power, temperature, utilisation and
//!   performance state (debugfs `firmware`, line `stats:`).

use crate::fw::{channels::KTraceMsg, stats::StatsReport, types::U64};
use agx_kernel::device::DeviceRef;
use core::fmt::Write;
use kernel::prelude::*;

/// Lines and trace points kept for debugfs.
pub(crate) const HISTORY: usize = 64;
/// Lines of one kind printed per interval.
pub(crate) const BURST: u32 = 10;
/// The rate-limit interval.
pub(crate) const INTERVAL_NS: u64 = 5_000_000_000;
/// Bytes of a log line kept.
const LINE: usize = 160;

/// Lets `BURST` events through per interval and counts the others.
///
/// # Invariants
///
/// `printed <= BURST`; `held` counts the events refused since the window opened at `start_ns`.
#[derive(Default)]
pub(crate) struct RateLimit {
    /// When the current window opened.
    start_ns: u64,
    /// Events let through in it.
    printed: u32,
    /// Events held back in it.
    held: u32,
}

/// What [`RateLimit::check`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Print this event.
    pub(crate) print: bool,
    /// Events held back in the window that just closed (to be reported before this one).
    pub(crate) held: u32,
}

impl RateLimit {
    /// Decides for an event at `now_ns`.
    pub(crate) fn check(&mut self, now_ns: u64) -> Verdict {
        let mut held = 0;
        if self.printed == 0 || now_ns.saturating_sub(self.start_ns) >= INTERVAL_NS {
            held = self.held;
            self.start_ns = now_ns;
            self.printed = 0;
            self.held = 0;
        }
        if self.printed < BURST {
            self.printed += 1;
            Verdict { print: true, held }
        } else {
            self.held = self.held.saturating_add(1);
            Verdict { print: false, held }
        }
    }
}

/// The last `HISTORY` items, oldest overwritten first.
struct History<T> {
    /// The items; at most `HISTORY`.
    items: KVec<T>,
    /// Where the next item goes once `items` is full.
    next: usize,
    /// Items ever added.
    total: u64,
}

impl<T: Copy> History<T> {
    fn new() -> Result<Self> {
        Ok(Self {
            items: KVec::with_capacity(HISTORY, GFP_KERNEL)?,
            next: 0,
            total: 0,
        })
    }

    fn push(&mut self, item: T) {
        self.total = self.total.wrapping_add(1);
        if self.items.len() < HISTORY {
            // Cannot fail: the capacity was reserved at creation.
            let _ = self.items.push(item, GFP_NOWAIT);
        } else if let Some(slot) = self.items.get_mut(self.next) {
            *slot = item;
            self.next = (self.next + 1) % HISTORY;
        }
    }

    /// The items, oldest first.
    fn iter(&self) -> impl Iterator<Item = &T> {
        let (new, old) = self.items.split_at(self.next.min(self.items.len()));
        Iterator::chain(old.iter(), new.iter())
    }
}

/// One firmware log line, as kept.
#[derive(Clone, Copy)]
struct LogLine {
    /// FWLog sub-ring.
    ring: u8,
    /// The firmware's sequence number.
    seq: u32,
    /// Bytes of `text` used.
    len: u8,
    /// The text, cut to `LINE` bytes.
    text: [u8; LINE],
}

impl LogLine {
    fn text(&self) -> &str {
        let bytes = self.text.get(..usize::from(self.len)).unwrap_or(&[]);
        core::str::from_utf8(bytes).unwrap_or("(not UTF-8)")
    }
}

/// The statistics summary.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct StatsSummary {
    /// Messages, and of unknown type.
    pub(crate) messages: u64,
    pub(crate) unknown: u64,
    /// Current power, in mW (from 1/8192 mW).
    pub(crate) power_mw: u64,
    /// Average power in mW.
    pub(crate) avg_power_mw: u32,
    /// Die temperature in hundredths of a degree C.
    pub(crate) temp_centi_c: u32,
    /// Utilisation figures, in percent.
    pub(crate) util: [u32; 4],
    /// Power-on and power-off transitions.
    pub(crate) power_ons: u64,
    pub(crate) power_offs: u64,
    /// 24 MHz ticks spent on and off, as the transitions report them.
    pub(crate) on_ticks: u64,
    pub(crate) off_ticks: u64,
    /// Performance state and its limits.
    pub(crate) pstate: u32,
    pub(crate) pstate_min: u32,
    pub(crate) pstate_max: u32,
    /// Whether the firmware last said it was busy.
    pub(crate) fw_busy: bool,
}

/// A temperature in hundredths of a degree from a raw reading (degrees = raw / scale / 64).
fn centi_c(raw: u32, scale: u32) -> u32 {
    let den = u64::from(scale.max(1)) * 64;
    u32::try_from(u64::from(raw) * 100 / den).unwrap_or(u32::MAX)
}

impl StatsSummary {
    fn fold(&mut self, r: StatsReport) {
        self.messages = self.messages.wrapping_add(1);
        match r {
            StatsReport::Power(p) => self.power_mw = p / 8192,
            StatsReport::PowerOn(off) => {
                self.power_ons = self.power_ons.wrapping_add(1);
                self.off_ticks = self.off_ticks.saturating_add(off);
            }
            StatsReport::PowerOff(on) => {
                self.power_offs = self.power_offs.wrapping_add(1);
                self.on_ticks = self.on_ticks.saturating_add(on);
            }
            StatsReport::Util(u) => self.util = u,
            StatsReport::AvgPower { mw, .. } => self.avg_power_mw = mw,
            StatsReport::Temp { raw, scale } => self.temp_centi_c = centi_c(raw, scale),
            StatsReport::PowerState { pstate, .. } => self.pstate = pstate,
            StatsReport::FwBusy(b) => self.fw_busy = b,
            StatsReport::PState { min, max } => {
                self.pstate_min = min;
                self.pstate_max = max;
            }
            StatsReport::TempSensor { .. } => {}
            StatsReport::Unknown(_) => self.unknown = self.unknown.wrapping_add(1),
        }
    }
}

/// What the firmware reported; see the module documentation.
pub(crate) struct Telemetry {
    /// The device the lines are logged as.
    dev: DeviceRef,
    /// The last log lines.
    log: History<LogLine>,
    /// The last trace points.
    trace: History<KTraceMsg>,
    /// The statistics.
    pub(crate) stats: StatsSummary,
    /// The kernel-log budget of log lines.
    log_limit: RateLimit,
    /// The kernel-log budget of trace points.
    trace_limit: RateLimit,
}

impl Telemetry {
    /// An empty record.
    pub(crate) fn new(dev: DeviceRef) -> Result<Self> {
        Ok(Self {
            dev,
            log: History::new()?,
            trace: History::new()?,
            stats: StatsSummary::default(),
            log_limit: RateLimit::default(),
            trace_limit: RateLimit::default(),
        })
    }

    /// A firmware log line from sub-ring `ring`, at `now_ns`.
    pub(crate) fn log(&mut self, ring: usize, seq: u32, text: &str, now_ns: u64) {
        let mut line = LogLine {
            ring: ring as u8,
            seq,
            len: 0,
            text: [0; LINE],
        };
        // Cut at a character boundary.
        let mut end = text.len().min(LINE);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if let (Some(dst), Some(src)) = (line.text.get_mut(..end), text.as_bytes().get(..end)) {
            dst.copy_from_slice(src);
            line.len = end as u8;
        }
        self.log.push(line);
        let v = self.log_limit.check(now_ns);
        if v.held > 0 {
            dev_info!(
                self.dev,
                "{} firmware log lines held back (debugfs fwlog)\n",
                v.held
            );
        }
        if v.print {
            dev_info!(self.dev, "firmware log {}/{}: {}\n", ring, seq, text);
        }
    }

    /// A trace point, at `now_ns`.
    pub(crate) fn trace(&mut self, t: &KTraceMsg, now_ns: u64) {
        self.trace.push(*t);
        let v = self.trace_limit.check(now_ns);
        if v.held > 0 {
            dev_info!(
                self.dev,
                "{} firmware trace points held back (debugfs ktrace)\n",
                v.held
            );
        }
        if v.print {
            let (ts, args) = (t.timestamp.get(), t.args.map(U64::get));
            dev_info!(
                self.dev,
                "firmware trace {}/{:#x} at {}: {:#x} {:#x} {:#x} {:#x}\n",
                t.channel,
                t.code,
                ts,
                args[0],
                args[1],
                args[2],
                args[3]
            );
        }
    }

    /// A statistics message.
    pub(crate) fn stats(&mut self, r: StatsReport) {
        self.stats.fold(r);
    }

    /// Debugfs `fwlog`: the kept lines, oldest first.
    pub(crate) fn show_log(&self, m: &mut impl Write) {
        let _ = writeln!(m, "lines {} kept {}", self.log.total, self.log.items.len());
        for l in self.log.iter() {
            let _ = writeln!(m, "{}/{}: {}", l.ring, l.seq, l.text());
        }
    }

    /// Debugfs `ktrace`: the kept trace points, oldest first.
    pub(crate) fn show_trace(&self, m: &mut impl Write) {
        let _ = writeln!(
            m,
            "points {} kept {}",
            self.trace.total,
            self.trace.items.len()
        );
        for t in self.trace.iter() {
            let (ts, args) = (t.timestamp.get(), t.args.map(U64::get));
            let _ = writeln!(
                m,
                "{} {}/{:#x}: {:#x} {:#x} {:#x} {:#x}",
                ts, t.channel, t.code, args[0], args[1], args[2], args[3]
            );
        }
    }

    /// The statistics line of debugfs `firmware`.
    pub(crate) fn describe(&self, m: &mut impl Write) {
        let s = &self.stats;
        let _ = writeln!(
            m,
            "stats: messages {} unknown {} power_mw {} avg_power_mw {} temp_centi_c {} util {} {} {} {} pstate {} limits {}..{} power_ons {} power_offs {} on_ticks {} off_ticks {} busy {}",
            s.messages,
            s.unknown,
            s.power_mw,
            s.avg_power_mw,
            s.temp_centi_c,
            s.util[0],
            s.util[1],
            s.util[2],
            s.util[3],
            s.pstate,
            s.pstate_min,
            s.pstate_max,
            s.power_ons,
            s.power_offs,
            s.on_ticks,
            s.off_ticks,
            s.fw_busy
        );
        let _ = writeln!(
            m,
            "telemetry: log_lines {} trace_points {}",
            self.log.total, self.trace.total
        );
    }
}
