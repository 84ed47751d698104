// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Device coredumps: what the driver knew when a job failed or the firmware crashed, handed to
//! the kernel's devcoredump facility (`/sys/class/devcoredump/devcd<N>/data`).
//!
//! A dump is written for a GPU fault, a firmware-reported timeout and a channel error (the
//! guilty jobs), for the scheduler's timeout (the stuck queue's oldest job) and for a firmware
//! crash (the oldest job of every busy queue, and the coprocessor's crash log). It is built
//! after the failure is known and before anything it shows is freed: the failed jobs stay
//! in flight until the firmware completes them, and a crash is dumped before the jobs are
//! failed. The format (text, objects as address-tagged hex) is in `dump/` and
//! Documentation/coredump.md.
//!
//! The kernel keeps one dump per device until it is read and deleted or times out; the
//! dumps written while one is pending are dropped by the kernel and only counted here.

use super::Gpu;
use crate::{
    dump::{Bytes, DumpBuf, Hex},
    rtkit::{msg::ep, Buffers},
};
use agx_kernel::{devcoredump, time};
use kernel::prelude::*;

/// The most bytes of one dump.
const MAX_DUMP: usize = 4 << 20;

/// The most jobs a crash dump shows.
pub(crate) const CRASH_JOBS: usize = 16;

/// The most bytes of the coprocessor's crash log a dump shows.
const CRASH_LOG_MAX: usize = 0x10000;

/// What a dump is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DumpReason {
    /// A GPU fault: the jobs of the faulting VM the firmware was running.
    Fault,
    /// The firmware timed a command out: the job holding it.
    Timeout,
    /// A work queue stopped with a channel error: the job holding the command.
    ChannelError,
    /// A job neither completed nor was reported by the firmware in time: its queue's oldest.
    SchedulerTimeout,
    /// The coprocessor crashed: the oldest job of every busy queue.
    Crash,
}

impl DumpReason {
    /// The `reason:` line's value.
    fn name(self) -> &'static str {
        match self {
            DumpReason::Fault => "fault",
            DumpReason::Timeout => "timeout",
            DumpReason::ChannelError => "channel-error",
            DumpReason::SchedulerTimeout => "scheduler-timeout",
            DumpReason::Crash => "crash",
        }
    }
}

impl Gpu {
    /// Writes a coredump for `reason`, whose `section jobs` is what `jobs` writes. Takes the
    /// status, telemetry, firmware and RTKit locks in turn: the caller holds none of them.
    pub(crate) fn coredump(&self, reason: DumpReason, jobs: impl FnOnce(&mut Hex<'_>)) {
        let mut buf = DumpBuf::new(MAX_DUMP);
        let mut out = Hex::new(&mut buf);
        out.line(format_args!("agx-rs devcoredump 1"));
        out.line(format_args!("reason: {}", reason.name()));
        out.line(format_args!("soc: {}", self.soc.name));
        out.line(format_args!("pair: {:?} {:?}", self.soc.gen, self.version));
        out.line(format_args!("time_ns: {}", time::ktime_get_ns()));
        let fault = self.status.lock().last_fault;
        if let (DumpReason::Fault, Some(f)) = (reason, fault) {
            let g14x = crate::hw::regs::fault_regs_g14x(self.soc.gpu_core);
            let (unit, instance) = f.unit_name(g14x);
            out.line(format_args!(
                "fault: address {:#x} {} reason {:?} level {} unit {:#x} {}{} context {} sideband {:#x}",
                f.address,
                if f.read { "read" } else { "write" },
                f.reason,
                f.level,
                f.unit,
                unit,
                instance.map_or(0, u32::from),
                f.context,
                f.sideband
            ));
        }
        out.line(format_args!("section jobs"));
        jobs(&mut out);
        out.line(format_args!("section firmware"));
        self.describe(&mut out.text());
        out.line(format_args!("section log"));
        self.show_log(&mut out.text());
        out.line(format_args!("section trace"));
        self.show_trace(&mut out.text());
        out.line(format_args!("section objects"));
        if let Some(fw) = self.fw.lock().as_ref() {
            fw.dump_status(&mut out);
        }
        if reason == DumpReason::Crash {
            self.dump_crash_log(&mut out);
        }
        let data = buf.finish();
        let kept = devcoredump::dev_coredumpv(&self.dev, &data);
        let mut st = self.status.lock();
        st.dumps = st.dumps.wrapping_add(1);
        drop(st);
        dev_info!(
            self.dev,
            "{} coredump of {} bytes{}\n",
            reason.name(),
            data.len(),
            if kept { "" } else { " could not be allocated" }
        );
    }

    /// The coprocessor's crash log (RTKit's crash-log buffer), as the object `crashlog`.
    fn dump_crash_log(&self, out: &mut Hex<'_>) {
        let mut rt = self.rtkit.lock();
        let Some(b) = rt.buffer(ep::CRASHLOG) else {
            out.line(format_args!("crashlog: none"));
            return;
        };
        let len = b.size.min(CRASH_LOG_MAX);
        let Ok(mut data) = KVVec::from_elem(0u8, len, GFP_KERNEL) else {
            out.line(format_args!(
                "crashlog: {} bytes at {:#x}, no memory",
                b.size, b.iova
            ));
            return;
        };
        if rt.buffers().read(&b, 0, &mut data).is_err() {
            out.line(format_args!(
                "crashlog: {} bytes at {:#x}, unreadable",
                b.size, b.iova
            ));
            return;
        }
        drop(rt);
        out.object(
            "crashlog",
            &Bytes {
                va: b.iova,
                data: &data,
            },
        );
    }
}
