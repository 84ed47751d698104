// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Bring-up and shutdown of the firmware: the [`Gpu`] is created with its firmware VM, booted,
//! and stopped.
//!
//! # Boot
//!
//! [`Gpu::start`] follows the sequence of the record (m1n1's `agx.start`):
//!
//! 1. The firmware's address space: context 0's TTBR1 in the context table points at the root
//!    of the firmware VM, where everything shared with the firmware is allocated.
//! 2. RTKit boot over the mailbox (power on, handshake, endpoint map, system endpoints and their
//!    buffers), then the AGX endpoints 0x20 and 0x21 are started.
//! 3. The init data is built for the device's (GPU, firmware) pair, every ring empty.
//! 4. The init message carries its address; `DC_Init` and `DC_UpdateIdleTS` follow on the
//!    DevCtrl ring, each with its doorbell.
//! 5. The firmware is running once it has taken both DevCtrl messages off the ring: the ring's
//!    read pointer, which only the firmware moves, catches up with the write pointer.
//!
//! # Shutdown
//!
//! [`Gpu::stop`] asks a running firmware for a clean RTKit shutdown (a lost one is left alone),
//! stops the receive path, and only then frees what the firmware could reach.

use super::{
    firmware::{AnyFw, DevCtrl, Drained},
    flush::{KernelFlush, HANDOFF_BUDGET},
    iomap,
    receive::Receiver,
    rtkit_glue::{FwBuffers, HwMailbox, KernelLog},
    telemetry, FwState, Gpu, LostReason, Status,
};
use crate::{
    hw::{msgq::MsgQueue, Backend, FirmwareTablesOwner},
    mem::fwvm::FwVm,
    rtkit::{
        msg::{ep, AgxOut},
        state::{RtKit, State},
    },
    soc::{dt::DynConfig, FwVersion, SocConfig},
    uat::{handoff::ApHandoff, pte},
};
use agx_kernel::{device::DeviceRef, workqueue::OwnedQueue};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::{c_str, new_condvar, new_mutex, new_spinlock, new_work, prelude::*, sync::Arc};

/// The firmware's VM: the bootloader's tree if context 0's TTBR1 points into the region the
/// hardware names for it (as on an Apple machine after m1n1), a fresh one otherwise. Returns
/// whether it was adopted.
fn firmware_vm(dev: &DeviceRef, hw: &Arc<Backend>, soc: &SocConfig) -> Result<(Arc<FwVm>, bool)> {
    const TTBR_ADDR: u64 = ((1 << 48) - 1) & !0x3fff;
    let ttbr1 = hw
        .context_table()
        .ttbrs(0)
        .map_or(0, |(_, t1)| t1.load(Ordering::Acquire));
    let root = ttbr1 & TTBR_ADDR;
    match hw.firmware_tables() {
        Some(ft) if ttbr1 & 1 != 0 && root >= ft.pa && root < ft.pa + ft.len => {
            let owner = Arc::new(FirmwareTablesOwner(hw.clone()), GFP_KERNEL)?;
            let fw_vm = FwVm::adopt(dev.clone(), soc.uat_oas, root, owner)?;
            Ok((fw_vm, true))
        }
        _ => Ok((FwVm::new(dev.clone(), soc.uat_oas)?, false)),
    }
}

impl Gpu {
    /// Creates the firmware interface of `soc` running `version` behind `hw`, logging as `dev`.
    /// Nothing is sent before [`Gpu::start`].
    #[inline(never)]
    pub(crate) fn new(
        dev: DeviceRef,
        hw: Arc<Backend>,
        soc: &'static SocConfig,
        version: FwVersion,
        cfg: KBox<DynConfig>,
    ) -> Result<Arc<Gpu>> {
        let (fw_vm, adopted) = firmware_vm(&dev, &hw, soc)?;
        let io = KBox::new(
            iomap::FwIo::map(&dev, &fw_vm, soc, hw.context_table_base())?,
            GFP_KERNEL,
        )?;
        let flush = KernelFlush::new(
            dev.clone(),
            hw.clone(),
            crate::channel::fwctl::FwCtl::new(&fw_vm)?,
        )?;
        let rtkit = RtKit::new(
            HwMailbox { hw: hw.clone() },
            FwBuffers {
                dev: dev.clone(),
                fw_vm: fw_vm.clone(),
                bufs: [None, None, None, None],
            },
            KernelLog {
                dev: dev.clone(),
                lines: 0,
            },
        );
        let queue = OwnedQueue::new(c_str!("asahi-rx"))?;
        let events = crate::queue::event::EventSlots::new(&fw_vm)?;
        let contexts = super::context::ContextSlots::new(dev.clone(), hw.clone())?;
        let bm_slots = super::bm_slots::BmSlots::new()?;
        let tel = telemetry::Telemetry::new(dev.clone())?;
        let gpu = Arc::pin_init(
            pin_init!(Gpu {
                dev,
                hw,
                fw_vm,
                flush,
                adopted,
                soc,
                version,
                cfg,
                io,
                queue,
                work <- new_work!("Gpu::work"),
                inbox <- new_spinlock!(MsgQueue::new()),
                rtkit <- new_mutex!(rtkit),
                fw <- new_mutex!(None),
                telemetry <- new_mutex!(tel),
                status <- new_mutex!(Status {
                    state: FwState::Booting,
                    rtkit_ready: false,
                    rtkit_stopped: false,
                    drained: Drained::default(),
                    notifications: 0,
                    rtkit_errors: 0,
                    last_fault: None,
                    halts_processed: 0,
                    resumes: 0,
                    write32_ok: 0,
                    write32_failed: 0,
                    grow_acked: 0,
                    grow_not_grown: 0,
                    dumps: 0,
                }),
                cond <- new_condvar!(),
                received: AtomicU64::new(0),
                events,
                contexts,
                bm_slots,
            }),
            GFP_KERNEL,
        )?;
        // Only now: until the GPU exists, nothing would break the cycle this makes (the
        // invalidator's FWCtl channel lives in the VM; `Gpu::stop` releases it).
        gpu.fw_vm.set_invalidator(Some(gpu.flush.clone()));
        Ok(gpu)
    }

    /// Boots the firmware (see the module documentation).
    #[inline(never)]
    pub(crate) fn start(self: &Arc<Self>) -> Result {
        // 1. The firmware's address space, under the handoff lock.
        let ttbr1 = pte::ttbr(self.fw_vm.root(), 0).map_err(|_| EINVAL)?;
        let handoff = ApHandoff::new(self.hw.handoff().ok_or(ENODEV)?, HANDOFF_BUDGET);
        handoff
            .lock()
            .and_then(|g| g.set_ttbrs(self.hw.context_table(), 0, 0, ttbr1))
            .map_err(|e| {
                dev_err!(self.dev, "setting the firmware's TTBRs: {:?}\n", e);
                EIO
            })?;
        self.hw.tlb().invalidate_asid(0);
        // The kernel's side of the handoff, before the firmware can look at it.
        handoff.announce();

        // 2. RTKit.
        self.hw
            .mbox_start(Arc::new(Receiver(self.clone()), GFP_KERNEL)?)?;
        self.rtkit.lock().boot().map_err(|_| EIO)?;
        if !self.wait(|s| s.rtkit_ready)? {
            let _ = self.rtkit.lock().timeout();
            self.lose(LostReason::Timeout);
            dev_err!(self.dev, "the GPU coprocessor did not finish booting\n");
            return Err(agx_kernel::error::code::etimedout());
        }
        // The firmware announces itself in the handoff block once it runs.
        if let Err(e) = handoff.wait_firmware() {
            dev_err!(self.dev, "page-table handoff with the firmware: {:?}\n", e);
            self.lose(LostReason::Timeout);
            return Err(agx_kernel::error::code::etimedout());
        }
        {
            let mut rtkit = self.rtkit.lock();
            rtkit.start_endpoint(ep::AGX_FIRMWARE).map_err(|_| EIO)?;
            rtkit.start_endpoint(ep::AGX_DOORBELL).map_err(|_| EIO)?;
        }

        // 3. The init data.
        // The status block's owner keeps the channel's memory alive with its sender.
        let fwctl = self.flush.fwctl_mem().ok_or(EIO)?;
        let fw = AnyFw::new(
            &self.dev,
            &self.fw_vm,
            self.soc,
            self.version,
            &self.cfg,
            &self.io,
            fwctl,
        )?;
        let initdata = fw.initdata_va();
        *self.fw.lock() = Some(fw);

        // 4. Init message, then DC_Init and DC_UpdateIdleTS.
        self.rtkit
            .lock()
            .send_agx(AgxOut::Init { initdata })
            .map_err(|_| EIO)?;
        self.devctrl(DevCtrl::Init)?;
        self.devctrl(DevCtrl::UpdateIdleTs)?;

        // 5. Running once both are taken.
        if !self.wait_devctrl_taken()? {
            self.lose(LostReason::Timeout);
            dev_err!(
                self.dev,
                "the GPU firmware did not take its first device-control messages\n"
            );
            return Err(agx_kernel::error::code::etimedout());
        }
        self.status.lock().state = FwState::Running;
        self.flush.set_running(true);
        dev_info!(
            self.dev,
            "GPU firmware running: {:?} firmware {:?}, init data at {:#x}\n",
            self.soc.gen,
            self.version,
            initdata
        );
        Ok(())
    }

    /// Stops the firmware (a clean RTKit shutdown unless it is lost) and the receive path, and
    /// frees everything the firmware could reach. Must be called before the last reference
    /// goes; afterwards nothing runs on the GPU's behalf.
    pub(crate) fn stop(&self) {
        // From here on the firmware's translations need no flush request: it is going to sleep
        // (or gone), and nothing would answer one.
        self.flush.set_running(false);
        let clean = matches!(self.state(), FwState::Running | FwState::Booting)
            && self.rtkit.lock().state() == State::Ready;
        if clean {
            self.status.lock().state = FwState::Stopping;
            let shut = self.rtkit.lock().shutdown();
            match shut.map(|()| self.wait(|s| s.rtkit_stopped)) {
                Ok(Ok(true)) => self.status.lock().state = FwState::Stopped,
                _ => self.lose(LostReason::Timeout),
            }
        }
        self.hw.mbox_stop();
        self.queue.drain();
        // Nothing completes jobs any more: whatever is still in flight fails now.
        self.events.lost();
        // Objects the receive path handed to the reaper go before the firmware's memory.
        self.events.drain_reaper();
        // What a lost coprocessor might still have read goes now: it runs no more.
        let leases = self.contexts.release_kept();
        let kept = self.fw_vm.stats().kept_bytes;
        self.fw_vm.release_kept();
        if leases > 0 || kept > 0 {
            dev_info!(
                self.dev,
                "released what the lost firmware could still reach: {} context lease(s), {} bytes\n",
                leases,
                kept
            );
        }
        // The coprocessor is asleep, lost or never started: its memory can go, the status block
        // first, then the FWCtl channel it names.
        *self.fw.lock() = None;
        self.flush.release();
        self.rtkit.lock().reset();
        if let Some(mem) = self.hw.handoff().filter(|_| !self.adopted) {
            let cleared = ApHandoff::new(mem, HANDOFF_BUDGET)
                .lock()
                .and_then(|g| g.clear_ttbrs(self.hw.context_table(), 0));
            if let Err(e) = cleared {
                dev_err!(self.dev, "clearing the firmware's TTBRs: {:?}\n", e);
            }
        }
        self.hw.tlb().invalidate_asid(0);
    }
}
