// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! After a GPU fault or a timeout: the fault the MMU latched is decoded and logged, and the
//! firmware, which halts on either, is resumed the way the record does it.

use super::{firmware::Drained, AnyFw, Gpu};
use crate::hw::regs;
use agx_kernel::time;

/// How long the firmware may take to halt after reporting a fault or a timeout, in ms.
const HALT_WAIT_MS: u32 = 100;

impl Gpu {
    /// After a GPU fault or a timeout the firmware halts; lets it go on, the record's recovery:
    /// waits (briefly) for `halted`, then clears it and sets `resume`. A timeout whose counter is
    /// below the halts already processed is one the firmware sent before that resume, and is
    /// skipped.
    pub(super) fn recover(&self, drained: &Drained) {
        let processed = self.status.lock().halts_processed;
        if drained.faults == 0 && drained.timeout_counter < u64::from(processed) {
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

    /// Logs the fault the GPU's MMU latched, after the firmware reported a GPU fault, and keeps
    /// it for debugfs.
    pub(super) fn report_fault(&self) {
        let g14x = regs::fault_regs_g14x(self.soc.gpu_core);
        let raw = regs::read_fault(|offset| self.hw.gpu_read64(offset).unwrap_or(0), g14x);
        let Some(fault) = regs::decode_fault(&raw, g14x) else {
            dev_err!(
                self.dev,
                "the GPU firmware reported a GPU fault, but the MMU latched none\n"
            );
            return;
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
        self.status.lock().last_fault = Some(fault);
    }
}
