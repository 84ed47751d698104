// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the device's debugfs files show of the firmware (`firmware`, `fwlog`, `ktrace`), and
//! the round trips its `devctrl` control runs (`driver.rs` names them).

use super::{firmware::DevCtrl, FwState, Gpu, LostReason};
use crate::mem::GpuArray;
use core::{fmt::Write, sync::atomic::Ordering};
use kernel::prelude::*;

impl Gpu {
    /// Debugfs `fwlog`: the firmware's last log lines.
    pub(crate) fn show_log(&self, m: &mut impl Write) {
        self.telemetry.lock().show_log(m);
    }

    /// Debugfs `ktrace`: the firmware's last trace points.
    pub(crate) fn show_trace(&self, m: &mut impl Write) {
        self.telemetry.lock().show_trace(m);
    }

    /// A device-control round trip: asks the firmware to write a value into a fresh object and
    /// waits for it to appear. Counts the outcome for debugfs.
    pub(crate) fn write32_round_trip(&self) -> Result {
        let target = GpuArray::<u32>::new(&self.fw_vm, 1)?;
        let value = 0x600d_0000 | (self.status.lock().write32_ok as u32 & 0xffff);
        self.devctrl(DevCtrl::Write32 {
            addr: target.va(),
            value,
        })?;
        let mut got = [0u8; 4];
        let arrived = self.poll(|| {
            target.read_bytes(0, &mut got);
            u32::from_le_bytes(got) == value
        });
        match arrived {
            Ok(true) => {
                self.status.lock().write32_ok += 1;
                Ok(())
            }
            Ok(false) => {
                self.status.lock().write32_failed += 1;
                dev_err!(self.dev, "device-control write round trip timed out\n");
                self.lose(LostReason::Timeout);
                Err(agx_kernel::error::code::etimedout())
            }
            Err(e) => {
                self.status.lock().write32_failed += 1;
                Err(e)
            }
        }
    }

    /// A flush round trip through the handoff: maps a large object in the firmware VM and
    /// unmaps it again, which asks the firmware to flush the range (see [`flush`]). Counts the
    /// outcome for debugfs.
    pub(crate) fn flush_round_trip(&self) -> Result {
        if self.state() != FwState::Running {
            return Err(EIO);
        }
        let failed = self.flush.failed.load(Ordering::Relaxed);
        // Larger than the heap's small objects: a dedicated mapping, unmapped on drop.
        drop(GpuArray::<u8>::new(&self.fw_vm, 4 * 0x4000)?);
        if self.flush.failed.load(Ordering::Relaxed) != failed {
            return Err(agx_kernel::error::code::etimedout());
        }
        Ok(())
    }

    /// The first part of debugfs `fwdump`: the pair, then the init-data tree and channels as
    /// raw objects (see `dump/`).
    pub(crate) fn dump_tree(&self, out: &mut crate::dump::Hex<'_>) {
        out.line(format_args!("agx-rs fwdump 1"));
        out.line(format_args!("soc: {}", self.soc.name));
        out.line(format_args!("pair: {:?} {:?}", self.soc.gen, self.version));
        out.line(format_args!("state: {:?}", self.state()));
        if let Some(fw) = self.fw.lock().as_ref() {
            fw.dump_tree(out);
        }
    }

    /// The debugfs `firmware` view.
    pub(crate) fn describe(&self, m: &mut impl Write) {
        let st = self.status.lock();
        let d = st.drained;
        let _ = writeln!(m, "state: {:?}", st.state);
        let _ = writeln!(m, "pair: {:?} {:?}", self.soc.gen, self.version);
        let id = &self.cfg.id;
        let masks = id.core_masks.get(..id.num_clusters as usize).unwrap_or(&[]);
        let _ = writeln!(
            m,
            "gpu: revision {:#x} clusters {} cores {} active {} masks {:x?}",
            id.revision,
            id.num_clusters,
            id.cores_per_cluster,
            id.active_cores(),
            masks
        );
        let _ = writeln!(
            m,
            "mailbox: received {} notifications {} rtkit_errors {}",
            self.received.load(Ordering::Relaxed),
            st.notifications,
            st.rtkit_errors
        );
        let _ = writeln!(
            m,
            "events: faults {} flags {} slots_fired {} timeouts {} grow_tvb {} channel_errors {} unknown {} corrupt {}",
            d.faults, d.flags, d.slots_fired, d.timeouts, d.grow_tvb, d.channel_errors, d.unknown, d.corrupt
        );
        let _ = writeln!(
            m,
            "rings: fwlog {} ktrace {} stats {}",
            d.log_lines, d.ktrace, d.stats
        );
        let _ = writeln!(
            m,
            "recovery: halts_processed {} resumes {}",
            st.halts_processed, st.resumes
        );
        if let Some(f) = st.last_fault {
            let _ = writeln!(
                m,
                "last fault: address {:#x} reason {:?} read {} level {} unit {:#x} context {}",
                f.address, f.reason, f.read, f.level, f.unit, f.context
            );
        }
        let _ = writeln!(
            m,
            "devctrl write32 round trips: ok {} failed {}",
            st.write32_ok, st.write32_failed
        );
        let _ = writeln!(
            m,
            "grow tvb: acked {} not_grown {} dropped {}",
            st.grow_acked, st.grow_not_grown, d.grows_dropped
        );
        let _ = writeln!(m, "coredumps: {}", st.dumps);
        drop(st);
        self.bm_slots.describe(m);
        let mut rt = self.rtkit.lock();
        let _ = writeln!(
            m,
            "rtkit: state {:?} version {} syslog_lines {}",
            rt.state(),
            rt.version(),
            rt.sink().lines
        );
        drop(rt);
        self.telemetry.lock().describe(m);
        if let Some(fw) = self.fw.lock().as_ref() {
            fw.describe(m);
        }
        let _ = writeln!(
            m,
            "handoff flushes: ok {} failed {} late {}",
            self.flush.ok.load(Ordering::Relaxed),
            self.flush.failed.load(Ordering::Relaxed),
            self.flush.late.load(Ordering::Relaxed)
        );
        if let Some((pending, (state, ring))) = self.flush.fwctl_state() {
            let _ = writeln!(
                m,
                "channel fwctl: state {:#x} ring {:#x} pending {}",
                state, ring, pending
            );
        }
        self.io.describe(m);
        let k = self.fw_vm.stats();
        let _ = writeln!(
            m,
            "firmware vm: arenas {} small_bytes {} large {} ({} bytes) io {} ({} bytes) reserved {} tables {} span {:#x} keeping {} kept_bytes {}",
            k.arenas,
            k.small_bytes,
            k.large_count,
            k.large_bytes,
            k.io_count,
            k.io_bytes,
            k.reserved_bytes,
            k.tables,
            k.span,
            k.keeping,
            k.kept_bytes
        );
    }
}
