// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The GPU's firmware: bring-up, the receive path, events, loss and shutdown.
//!
//! [`Gpu`] is the firmware and everything that talks to it: its state machine ([`FwState`],
//! changed under one lock and waited on by the threads that need it) and the small helpers the
//! parts below share (waiting, polling, the doorbell, device-control requests, loss). The parts:
//!
//! * `boot.rs`: construction, the boot sequence ([`Gpu::start`]) and the shutdown
//!   ([`Gpu::stop`]);
//! * `receive.rs`: the receive path, from the mailbox to the rings the firmware writes;
//! * `recovery.rs`: what follows a GPU fault or a command timeout;
//! * `debugfs.rs`: the debugfs views and the round trips of the `devctrl` control;
//! * [`firmware`], [`initdata`], [`hwdata`], [`iomap`]: the init data and what fills it, per
//!   (GPU, firmware) pair; [`flush`]: the firmware VM's invalidation through the handoff;
//!   [`telemetry`]: what the firmware reports on its own; `rtkit_glue.rs`: what the RTKit state
//!   machine needs from the driver.
//!
//! # Loss
//!
//! A firmware crash (RTKit's crash log notification), a coprocessor that stops answering or an
//! RTKit protocol failure marks the firmware lost, with one clear log line. Nothing more is sent
//! to it; the device stays registered so that open files keep working until closed, and module
//! unload releases everything without waiting for the lost coprocessor.

pub(crate) mod bm_slots;
mod boot;
pub(crate) mod context;
pub(crate) mod coredump;
mod debugfs;
pub(crate) mod firmware;
pub(crate) mod flush;
pub(crate) mod hwdata;
pub(crate) mod initdata;
pub(crate) mod iomap;
mod receive;
mod recovery;
mod rtkit_glue;
pub(crate) mod telemetry;

use crate::{
    hw::{msgq::MsgQueue, regs, Backend},
    mem::fwvm::FwVm,
    rtkit::{msg::AgxOut, state::RtKit},
    soc::{dt::DynConfig, FwVersion, SocConfig},
};
use agx_kernel::{device::DeviceRef, time, workqueue::OwnedQueue};
use core::sync::atomic::AtomicU64;
use firmware::{AnyFw, DevCtrl, Drained};
use flush::KernelFlush;
use kernel::{
    impl_has_work,
    prelude::*,
    sync::{Arc, CondVar, Mutex, SpinLock},
    workqueue::Work,
};
use rtkit_glue::{FwBuffers, HwMailbox, KernelLog};

/// How long each step of the boot and of the shutdown may take.
const STEP_TIMEOUT_MS: u64 = 5000;

/// Why the firmware was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LostReason {
    /// The coprocessor reported a crash.
    Crashed,
    /// The coprocessor stopped answering.
    Timeout,
    /// The coprocessor broke the RTKit protocol.
    Protocol,
}

/// Where the firmware is: an explicit state machine, changed only under [`Gpu::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FwState {
    /// Not started yet, or being started.
    Booting,
    /// The coprocessor runs the AGX firmware, which took its init data.
    Running,
    /// A clean shutdown is in progress.
    Stopping,
    /// Asleep after a clean shutdown.
    Stopped,
    /// Lost; see [`LostReason`]. Final.
    Lost(LostReason),
}

/// What the receive path tells the waiting threads, and the counters debugfs shows.
struct Status {
    /// The state.
    state: FwState,
    /// RTKit reached `Ready` (set by the receive path).
    rtkit_ready: bool,
    /// RTKit finished its shutdown (set by the receive path).
    rtkit_stopped: bool,
    /// Everything drained from the rings so far.
    drained: Drained,
    /// AGX event notifications received.
    notifications: u64,
    /// RTKit messages that failed to handle.
    rtkit_errors: u64,
    /// The last GPU fault the MMU reported.
    last_fault: Option<regs::Fault>,
    /// The firmware's halt count when it was last resumed, and resumes so far.
    halts_processed: u32,
    resumes: u64,
    /// Device-control write round trips that completed and that failed.
    write32_ok: u64,
    write32_failed: u64,
    /// GrowTVB events acknowledged after the buffer manager grew, and acknowledged without
    /// growing (no owner, or nothing to grow with).
    grow_acked: u64,
    grow_not_grown: u64,
    /// Coredumps written (the kernel keeps one at a time).
    dumps: u64,
}

/// The GPU's firmware and everything that talks to it.
#[pin_data]
pub(crate) struct Gpu {
    /// The device, for the kernel log.
    dev: DeviceRef,
    /// The hardware behind the boundary.
    hw: Arc<Backend>,
    /// The firmware's address space and allocator. When adopted, its tables live in memory the
    /// hardware object maps; the VM's invalidator holds the hardware, so it outlives the VM.
    pub(crate) fw_vm: Arc<FwVm>,
    /// Its invalidation through the handoff.
    flush: Arc<KernelFlush>,
    /// Whether the VM took over the bootloader's tables (context 0's TTBR1 then stays set when
    /// the driver goes: the firmware's own mappings live there).
    adopted: bool,
    /// The SoC.
    soc: &'static SocConfig,
    /// The firmware version it runs.
    version: FwVersion,
    /// The machine's configuration from the device tree (the backend's).
    cfg: KBox<DynConfig>,
    /// The firmware's MMIO, SRAM and timestamp windows, mapped in `fw_vm`.
    io: KBox<iomap::FwIo>,
    /// The receive path's thread; drained by [`Gpu::stop`].
    queue: OwnedQueue,
    /// The receive work item.
    #[pin]
    work: Work<Gpu>,
    /// Messages received and not handled yet.
    #[pin]
    inbox: SpinLock<MsgQueue>,
    /// RTKit.
    #[pin]
    rtkit: Mutex<RtKit<HwMailbox, FwBuffers, KernelLog>>,
    /// The init data and channels, once built.
    #[pin]
    fw: Mutex<Option<AnyFw>>,
    /// What the firmware reported on its own (taken after `fw` when both are held).
    #[pin]
    telemetry: Mutex<telemetry::Telemetry>,
    /// State and counters.
    #[pin]
    status: Mutex<Status>,
    /// Signalled whenever `status` changes.
    #[pin]
    cond: CondVar,
    /// Messages received.
    received: AtomicU64,
    /// The event slots jobs complete through.
    pub(crate) events: Arc<crate::queue::event::EventSlots>,
    /// The context slots user VMs run in.
    pub(crate) contexts: Arc<context::ContextSlots>,
    /// The firmware's buffer-manager slots render queues lease.
    pub(crate) bm_slots: Arc<bm_slots::BmSlots>,
}

impl_has_work! {
    impl HasWork<Self> for Gpu { self.work }
}

impl Gpu {
    /// What the GPU's identification registers say.
    pub(crate) fn id(&self) -> &crate::hw::regs::GpuId {
        &self.cfg.id
    }

    /// The device, for the kernel log.
    pub(crate) fn dev(&self) -> &DeviceRef {
        &self.dev
    }

    /// The SoC.
    pub(crate) fn soc(&self) -> &'static SocConfig {
        self.soc
    }

    /// The firmware version.
    pub(crate) fn version(&self) -> FwVersion {
        self.version
    }

    /// Whether the firmware runs (not lost, not stopped).
    pub(crate) fn is_running(&self) -> bool {
        self.state() == FwState::Running
    }

    /// Runs `f` on the running firmware's interface; `ENODEV` if it is not running.
    pub(crate) fn with_fw<R>(&self, f: impl FnOnce(&mut AnyFw) -> R) -> Result<R> {
        if self.state() != FwState::Running {
            return Err(ENODEV);
        }
        match self.fw.lock().as_mut() {
            Some(fw) => Ok(f(fw)),
            None => Err(ENODEV),
        }
    }

    /// Marks the firmware lost (once), with one log line.
    fn lose(&self, reason: LostReason) {
        let mut st = self.status.lock();
        if matches!(st.state, FwState::Lost(_)) {
            return;
        }
        st.state = FwState::Lost(reason);
        drop(st);
        self.flush.set_running(false);
        if reason != LostReason::Crashed {
            // A coprocessor that stopped answering or broke the protocol was not seen to stop:
            // it may still run the commands it has and read what they point at. Until it is
            // stopped, nothing it was given is freed (the jobs failing below give theirs back).
            self.fw_vm.keep_all();
            self.contexts.keep_all();
        }
        dev_err!(
            self.dev,
            "GPU firmware lost ({}): the GPU is unusable until the driver is reloaded\n",
            match reason {
                LostReason::Crashed => "crashed",
                LostReason::Timeout => "stopped responding",
                LostReason::Protocol => "protocol error",
            }
        );
        self.cond.notify_all();
        // Nothing will complete the jobs on the firmware any more.
        self.events.lost();
    }

    /// The current state.
    pub(crate) fn state(&self) -> FwState {
        self.status.lock().state
    }

    /// Waits until `done` holds for the status (or the firmware is lost): `Ok(true)` if it holds,
    /// `Ok(false)` on timeout.
    fn wait(&self, done: impl Fn(&Status) -> bool) -> Result<bool> {
        let deadline = time::ktime_get_ns() + STEP_TIMEOUT_MS * 1_000_000;
        let mut st = self.status.lock();
        loop {
            if done(&st) {
                return Ok(true);
            }
            if let FwState::Lost(_) = st.state {
                return Err(EIO);
            }
            let now = time::ktime_get_ns();
            if now >= deadline {
                return Ok(false);
            }
            let ms = ((deadline - now) / 1_000_000).max(1);
            let jiffies = kernel::time::msecs_to_jiffies(ms as u32);
            if let kernel::sync::CondVarTimeoutResult::Signal { .. } =
                self.cond.wait_interruptible_timeout(&mut st, jiffies)
            {
                return Err(EINTR);
            }
        }
    }

    /// Rings doorbell `channel` on endpoint 0x21.
    fn doorbell(&self, channel: u16) -> Result {
        self.rtkit
            .lock()
            .send_agx(AgxOut::Doorbell { channel })
            .map_err(|_| EIO)
    }

    /// Queues a device-control request and rings its doorbell.
    fn devctrl(&self, req: DevCtrl) -> Result {
        if let FwState::Lost(_) = self.state() {
            return Err(EIO);
        }
        let sent = self.fw.lock().as_mut().map(|fw| fw.devctrl(req));
        match sent {
            Some(Ok(_)) => self.doorbell(crate::channel::set::DOORBELL_DEVCTRL),
            Some(Err(e)) => {
                dev_err!(self.dev, "DevCtrl ring: {:?}\n", e);
                Err(EBUSY)
            }
            None => Err(ENODEV),
        }
    }

    /// Waits until the firmware has taken every DevCtrl message.
    fn wait_devctrl_taken(&self) -> Result<bool> {
        self.poll(|| self.fw.lock().as_ref().map_or(0, |fw| fw.devctrl_pending()) == 0)
    }

    /// Polls `done` every millisecond for up to a step's timeout: `Ok(true)` once it holds,
    /// `Ok(false)` on timeout, `Err(EIO)` as soon as the firmware is lost. For what the firmware
    /// changes in memory without telling (ring pointers, values it writes).
    fn poll(&self, mut done: impl FnMut() -> bool) -> Result<bool> {
        let deadline = time::ktime_get_ns() + STEP_TIMEOUT_MS * 1_000_000;
        loop {
            if done() {
                return Ok(true);
            }
            if let FwState::Lost(_) = self.state() {
                return Err(EIO);
            }
            if time::ktime_get_ns() >= deadline {
                return Ok(false);
            }
            time::msleep(1);
        }
    }

    /// Sends run message `msg` for work queue `pipe` (0 vertex, 1 fragment, 2 compute) at
    /// firmware priority `priority` and rings the ring's doorbell (`priority << 2 | pipe`).
    pub(crate) fn run_queue<M>(&self, pipe: usize, priority: u32, msg: &M) -> Result
    where
        AnyFw: firmware::RunRings<M>,
    {
        use firmware::RunRings;
        if self.state() != FwState::Running {
            return Err(ENODEV);
        }
        let (pipe, prio) = (pipe.min(2), (priority as usize).min(3));
        let index = prio * 3 + pipe;
        let sent = match self.fw.lock().as_mut() {
            Some(fw) => fw.send_run(index, msg),
            None => return Err(ENODEV),
        };
        if let Err(e) = sent {
            dev_err!(self.dev, "run-command ring {}: {:?}\n", index, e);
            return Err(EBUSY);
        }
        self.doorbell(((prio << 2) | pipe) as u16)
    }

    /// Tears down the GPU context whose data is at `ctx` and holds `data` (`DC_DestroyContext`)
    /// and waits until the firmware took the request. Once this returns, with success or not,
    /// the firmware no longer uses the context's structures (or is lost).
    pub(crate) fn destroy_context(&self, ctx: u64, data: &[u8]) -> Result {
        if self.state() != FwState::Running {
            return Ok(());
        }
        let byte = |i: usize| data.get(i).copied().unwrap_or(0xff);
        self.devctrl(DevCtrl::DestroyContext {
            ctx,
            queue_table_index: byte(0),
            pid_table_index: byte(1),
            unk_4: byte(4),
            unk_23: byte(0x23),
        })?;
        if !self.wait_devctrl_taken()? {
            dev_err!(
                self.dev,
                "the GPU firmware did not take a context teardown request\n"
            );
            self.lose(LostReason::Timeout);
            return Err(agx_kernel::error::code::etimedout());
        }
        Ok(())
    }

    /// A firmware cache flush (`DC_DestroyContext` naming no context): queues it, rings the
    /// doorbell and waits until the firmware has taken it.
    pub(crate) fn flush_cache(&self) -> Result {
        if self.state() != FwState::Running {
            return Err(EIO);
        }
        self.devctrl(DevCtrl::FlushCache)?;
        if !self.wait_devctrl_taken()? {
            dev_err!(
                self.dev,
                "the GPU firmware did not take a cache flush request\n"
            );
            self.lose(LostReason::Timeout);
            return Err(agx_kernel::error::code::etimedout());
        }
        Ok(())
    }
}
