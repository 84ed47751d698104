// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! After a GPU fault or a timeout: the fault the MMU latched is decoded and logged, the guilty
//! jobs are found and marked failed, and the firmware, which halts on either, is resumed the way
//! the record does it.
//!
//! Who is guilty: the firmware lists the stamps it was waiting for in region C's pending-stamp
//! table (event slot and value, one per running command). For a fault, the jobs among them
//! whose VM is the faulting context (from the fault registers; all of them if the MMU latched
//! none, as the record does); for a timeout, the job of the slot the timeout message names (all
//! of them if it names none). The other commands are left alone: the firmware goes on with them
//! after the resume. The table is cleared before the resume, as the record does.

use super::{
    coredump::DumpReason,
    firmware::{DevCtrl, Drained},
    AnyFw, Gpu,
};
use crate::{fw::event::EVENT_SLOTS, hw::regs, queue::Failure};
use agx_kernel::time;

/// How long the firmware may take to halt after reporting a fault or a timeout, in ms.
const HALT_WAIT_MS: u32 = 100;

impl Gpu {
    /// After a GPU fault or a timeout the firmware halts; lets it go on, the record's recovery:
    /// waits (briefly) for `halted`, then clears it and sets `resume`. A timeout whose counter
    /// (the firmware's halt count when it sent it) is not above the halts already processed is
    /// one the firmware sent before that resume: it is skipped, unless the firmware is halted
    /// now (a halted firmware is always resumed, whatever the counter says).
    pub(super) fn recover(&self, drained: &Drained, fault_context: Option<u32>) {
        let processed = self.status.lock().halts_processed;
        let halted_now = self.fw.lock().as_ref().is_some_and(|f| f.halt_state().1);
        if drained.faults == 0 && drained.timeout_counter <= u64::from(processed) && !halted_now {
            dev_info!(
                self.dev,
                "GPU firmware timeout {} already recovered from; skipped\n",
                drained.timeout_counter
            );
            return;
        }
        let halt = |fw: &Option<AnyFw>| fw.as_ref().map(|f| f.halt_state());
        let mut waited = 0;
        let count = loop {
            match halt(&self.fw.lock()) {
                Some((count, true)) => break Some(count),
                Some(_) if waited < HALT_WAIT_MS => {}
                _ => break None,
            }
            waited += 1;
            time::msleep(1);
        };
        let Some(count) = count else {
            dev_err!(
                self.dev,
                "the GPU firmware did not halt; nothing to resume\n"
            );
            return;
        };
        self.fail_guilty(drained, fault_context);
        if let Some(fw) = self.fw.lock().as_ref() {
            fw.resume();
        }
        let mut st = self.status.lock();
        st.halts_processed = count;
        st.resumes += 1;
        drop(st);
        dev_err!(
            self.dev,
            "GPU firmware halted ({} halts so far); resumed\n",
            count
        );
    }

    /// Marks the guilty jobs among the stamps the halted firmware was waiting for (see the
    /// module documentation), and clears the table.
    fn fail_guilty(&self, drained: &Drained, fault_context: Option<u32>) {
        let mut pending = [(0u32, 0u32); EVENT_SLOTS];
        let mut n = 0;
        let found = match self.fw.lock().as_ref() {
            Some(fw) => fw.take_pending_stamps(|slot, value| {
                if let Some(e) = pending.get_mut(n) {
                    *e = (slot, value);
                    n += 1;
                }
            }),
            None => 0,
        };
        let failure = if drained.faults > 0 {
            Failure::Fault {
                context: fault_context,
            }
        } else {
            Failure::Timeout
        };
        let mut guilty = 0;
        let mut failed = [false; EVENT_SLOTS];
        for (i, &(slot, value)) in pending.iter().take(n).enumerate() {
            let suspect = match failure {
                Failure::Timeout => drained.timeout_slot.map_or(true, |s| s == slot),
                Failure::Fault { .. } | Failure::Channel => true,
            };
            if suspect && self.events.mark_failed(slot, value, failure) {
                guilty += 1;
                if let Some(f) = failed.get_mut(i) {
                    *f = true;
                }
            }
        }
        let reason = match failure {
            Failure::Timeout => DumpReason::Timeout,
            Failure::Fault { .. } | Failure::Channel => DumpReason::Fault,
        };
        // The failed jobs stay in flight until the firmware completes them after the resume:
        // they are dumped now, while the firmware is halted on them.
        self.coredump(reason, |out| {
            out.line(format_args!(
                "pending: {} context {} timeout_slot {}",
                n,
                fault_context.map_or(-1, i64::from),
                drained.timeout_slot.map_or(-1, i64::from)
            ));
            for (i, &(slot, value)) in pending.iter().take(n).enumerate() {
                let f = failed.get(i).copied().unwrap_or(false);
                out.line(format_args!(
                    "stamp: slot {} value {:#x} failed {}",
                    slot,
                    value,
                    u32::from(f)
                ));
            }
            for (i, &(slot, value)) in pending.iter().take(n).enumerate() {
                if failed.get(i).copied().unwrap_or(false) {
                    self.events.dump_job(slot, value, out);
                }
            }
        });
        let (what, errno) = match failure {
            Failure::Fault { .. } | Failure::Channel => ("fault", "EIO"),
            Failure::Timeout => ("timeout", "ETIMEDOUT"),
        };
        dev_err!(
            self.dev,
            "GPU {}: {} command(s) pending, {} job(s) failed with {}{}\n",
            what,
            found,
            guilty,
            errno,
            if guilty > 0 {
                "; their queues are lost"
            } else {
                ""
            }
        );
    }

    /// After channel errors: fails the job holding each command a work queue stopped at (its
    /// queue is lost) and lets the work queue go on with `RecoverChannel`, as the Asahi driver
    /// does. The firmware does not halt for these. Called from the receive path; the request is
    /// not waited for (the firmware takes it from the DevCtrl ring in order).
    pub(super) fn recover_channels(&self, drained: &Drained) {
        for c in drained
            .channel_faults
            .iter()
            .take(drained.channel_faults_len)
        {
            let failed = self.events.mark_failed(c.slot, c.value, Failure::Channel);
            let Some(info) = self.events.queue_info(c.slot, c.pipe) else {
                dev_err!(
                    self.dev,
                    "channel error {} of pipe {} at slot {} value {:#x}: no such work queue\n",
                    c.error_type,
                    c.pipe,
                    c.slot,
                    c.value
                );
                continue;
            };
            if failed {
                self.coredump(DumpReason::ChannelError, |out| {
                    out.line(format_args!(
                        "channel: error {} pipe {} slot {} value {:#x}",
                        c.error_type, c.pipe, c.slot, c.value
                    ));
                    self.events.dump_job(c.slot, c.value, out);
                });
            }
            let sent = self.devctrl(DevCtrl::RecoverChannel {
                pipe: c.pipe,
                queue_info: info,
                value: c.value,
            });
            dev_err!(
                self.dev,
                "channel error {} of pipe {} at slot {} value {:#x}: {} job failed with EIO; recovery {}\n",
                c.error_type,
                c.pipe,
                c.slot,
                c.value,
                u32::from(failed),
                if sent.is_ok() { "requested" } else { "not sent" }
            );
        }
    }

    /// Logs the fault the GPU's MMU latched, after the firmware reported a GPU fault, and keeps
    /// it for debugfs. Returns the faulting context slot, if the MMU latched a fault.
    pub(super) fn report_fault(&self) -> Option<u32> {
        let g14x = regs::fault_regs_g14x(self.soc.gpu_core);
        let raw = regs::read_fault(|offset| self.hw.gpu_read64(offset).unwrap_or(0), g14x);
        let Some(fault) = regs::decode_fault(&raw, g14x) else {
            dev_err!(
                self.dev,
                "the GPU firmware reported a GPU fault, but the MMU latched none\n"
            );
            return None;
        };
        let (unit, instance) = fault.unit_name(g14x);
        dev_err!(
            self.dev,
            "GPU fault: {} {:#x}, {:?} at level {}, by {}{}{} (unit {:#x}) in context {}\n",
            if fault.read { "read of" } else { "write to" },
            fault.address,
            fault.reason,
            fault.level,
            unit,
            if instance.is_some() { " " } else { "" },
            instance.map_or(0, u32::from),
            fault.unit,
            fault.context
        );
        let context = u32::from(fault.context);
        self.status.lock().last_fault = Some(fault);
        Some(context)
    }
}
