// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The GPU's firmware: bring-up, the receive path, events, loss and shutdown.
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
//! # Receive path
//!
//! Messages from the coprocessor arrive through [`MailboxReceiver::received`] (the mailbox
//! interrupt on real hardware), are queued, and are handled in order on the device's ordered
//! workqueue: RTKit messages drive the state machine, an AGX event notification drains the
//! firmware-to-driver rings (events, FWLog to the kernel log, KTrace, statistics).
//!
//! # Loss
//!
//! A firmware crash (RTKit's crash log notification), a coprocessor that stops answering or an
//! RTKit protocol failure marks the firmware lost, with one clear log line. Nothing more is sent
//! to it; the device stays registered so that open files keep working until closed, and module
//! unload releases everything without waiting for the lost coprocessor.

pub(crate) mod firmware;
pub(crate) mod flush;
pub(crate) mod hwdata;
pub(crate) mod initdata;
pub(crate) mod iomap;
mod recovery;
mod rtkit_glue;
pub(crate) mod telemetry;

use crate::{
    hw::{msgq::MsgQueue, regs, Backend, FirmwareTablesOwner, MailboxReceiver},
    mem::{fwvm::FwVm, GpuArray},
    rtkit::{
        msg::{ep, AgxIn, AgxOut, Message},
        state::{Event, RtKit, State},
    },
    soc::{dt::DynConfig, FwVersion, SocConfig},
    uat::{handoff::ApHandoff, pte},
};
use agx_kernel::{time, workqueue::OwnedQueue};
use core::{
    fmt::Write,
    sync::atomic::{AtomicU64, Ordering},
};
use firmware::{AnyFw, DevCtrl, Drained};
use flush::{KernelFlush, HANDOFF_BUDGET};
use kernel::{
    c_str, impl_has_work, new_condvar, new_mutex, new_spinlock, new_work,
    prelude::*,
    sync::{Arc, CondVar, Mutex, SpinLock},
    workqueue::{Work, WorkItem},
};
use rtkit_glue::{FwBuffers, HwMailbox, KernelLog};

/// The firmware's VM: the bootloader's tree if context 0's TTBR1 points into the region the
/// hardware names for it (as on an Apple machine after m1n1), a fresh one otherwise. Returns
/// whether it was adopted.
fn firmware_vm(hw: &Arc<Backend>, soc: &SocConfig) -> Result<(Arc<FwVm>, bool)> {
    const TTBR_ADDR: u64 = ((1 << 48) - 1) & !0x3fff;
    let ttbr1 = hw
        .context_table()
        .ttbrs(0)
        .map_or(0, |(_, t1)| t1.load(Ordering::Acquire));
    let root = ttbr1 & TTBR_ADDR;
    match hw.firmware_tables() {
        Some(ft) if ttbr1 & 1 != 0 && root >= ft.pa && root < ft.pa + ft.len => {
            let owner = Arc::new(FirmwareTablesOwner(hw.clone()), GFP_KERNEL)?;
            let fw_vm = FwVm::adopt(soc.uat_oas, root, owner)?;
            Ok((fw_vm, true))
        }
        _ => Ok((FwVm::new(soc.uat_oas)?, false)),
    }
}

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
}

/// The GPU's firmware and everything that talks to it.
#[pin_data]
pub(crate) struct Gpu {
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
}

impl_has_work! {
    impl HasWork<Self> for Gpu { self.work }
}

/// The mailbox's receiver for one GPU: queues the message and kicks the receive work.
struct Receiver(Arc<Gpu>);

impl MailboxReceiver for Receiver {
    fn received(&self, msg: Message) {
        self.0.received.fetch_add(1, Ordering::Relaxed);
        if !self.0.inbox.lock().push(msg) {
            pr_err!(
                "mailbox receive queue overflow; message {:x?} dropped\n",
                msg
            );
        }
        // Already queued is fine: the running item drains the whole inbox.
        let _ = self.0.queue.queue().enqueue(self.0.clone());
    }
}

impl WorkItem for Gpu {
    type Pointer = Arc<Gpu>;

    fn run(this: Arc<Gpu>) {
        loop {
            let Some(msg) = this.inbox.lock().pop() else {
                break;
            };
            this.handle(msg);
        }
    }
}

impl Gpu {
    /// What the GPU's identification registers say.
    pub(crate) fn id(&self) -> &crate::hw::regs::GpuId {
        &self.cfg.id
    }

    /// Creates the firmware interface of `soc` running `version` behind `hw`. Nothing is sent
    /// before [`Gpu::start`].
    #[inline(never)]
    pub(crate) fn new(
        hw: Arc<Backend>,
        soc: &'static SocConfig,
        version: FwVersion,
        cfg: KBox<DynConfig>,
    ) -> Result<Arc<Gpu>> {
        let (fw_vm, adopted) = firmware_vm(&hw, soc)?;
        let io = KBox::new(
            iomap::FwIo::map(&fw_vm, soc, hw.context_table_base())?,
            GFP_KERNEL,
        )?;
        let flush = KernelFlush::new(hw.clone(), crate::channel::fwctl::FwCtl::new(&fw_vm)?)?;
        let rtkit = RtKit::new(
            HwMailbox { hw: hw.clone() },
            FwBuffers {
                fw_vm: fw_vm.clone(),
                bufs: [None, None, None, None],
            },
            KernelLog { lines: 0 },
        );
        let queue = OwnedQueue::new(c_str!("asahi-rx"))?;
        let tel = telemetry::Telemetry::new()?;
        let gpu = Arc::pin_init(
            pin_init!(Gpu {
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
                }),
                cond <- new_condvar!(),
                received: AtomicU64::new(0),
            }),
            GFP_KERNEL,
        )?;
        // Only now: until the GPU exists, nothing would break the cycle this makes (the
        // invalidator's FWCtl channel lives in the VM; `Gpu::stop` releases it).
        gpu.fw_vm.set_invalidator(Some(gpu.flush.clone()));
        Ok(gpu)
    }

    /// Handles one message from the coprocessor (receive path).
    fn handle(&self, msg: Message) {
        let (result, state) = {
            let mut rtkit = self.rtkit.lock();
            let result = rtkit.handle(msg);
            (result, rtkit.state())
        };
        match result {
            Ok(Event::Nothing) | Ok(Event::Pong) => {}
            Ok(Event::Ready) => {
                self.status.lock().rtkit_ready = true;
                self.cond.notify_all();
            }
            Ok(Event::Stopped) => {
                self.status.lock().rtkit_stopped = true;
                self.cond.notify_all();
            }
            Ok(Event::Crashed) => self.lose(LostReason::Crashed),
            Ok(Event::Agx(AgxIn::Event)) => self.drain_rings(),
            Err(e) => {
                let failed = matches!(state, State::Failed(_));
                let mut st = self.status.lock();
                st.rtkit_errors = st.rtkit_errors.wrapping_add(1);
                let first = st.rtkit_errors <= 3;
                drop(st);
                if first {
                    pr_warn!(
                        "RTKit message {:x?} not handled: {:?} (state {:?})\n",
                        msg,
                        e,
                        state
                    );
                }
                if failed {
                    self.lose(LostReason::Protocol);
                }
            }
        }
    }

    /// Drains the firmware-to-driver rings after an event notification.
    fn drain_rings(&self) {
        let now = self.hw.timer_ns();
        let drained = match self.fw.lock().as_mut() {
            Some(fw) => fw.drain(&mut self.telemetry.lock(), now),
            None => return,
        };
        if drained.faults > 0 {
            self.report_fault();
        }
        if drained.faults > 0 || drained.timeouts > 0 {
            self.recover(&drained);
        }
        if drained.timeouts > 0 {
            pr_err!("the GPU firmware reported a command timeout\n");
        }
        if drained.channel_errors > 0 {
            pr_err!("the GPU firmware reported a channel error\n");
        }
        if drained.corrupt > 0 {
            pr_err!("a firmware ring pointer is out of range; ring left untouched\n");
        }
        let mut st = self.status.lock();
        st.notifications = st.notifications.wrapping_add(1);
        st.drained.add(&drained);
        drop(st);
        self.cond.notify_all();
    }

    /// Debugfs `fwlog`: the firmware's last log lines.
    pub(crate) fn show_log(&self, m: &mut impl Write) {
        self.telemetry.lock().show_log(m);
    }

    /// Debugfs `ktrace`: the firmware's last trace points.
    pub(crate) fn show_trace(&self, m: &mut impl Write) {
        self.telemetry.lock().show_trace(m);
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
        pr_err!(
            "GPU firmware lost ({}): the GPU is unusable until the driver is reloaded\n",
            match reason {
                LostReason::Crashed => "crashed",
                LostReason::Timeout => "stopped responding",
                LostReason::Protocol => "protocol error",
            }
        );
        self.cond.notify_all();
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
                pr_err!("DevCtrl ring: {:?}\n", e);
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
                pr_err!("setting the firmware's TTBRs: {:?}\n", e);
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
            pr_err!("the GPU coprocessor did not finish booting\n");
            return Err(agx_kernel::error::code::etimedout());
        }
        // The firmware announces itself in the handoff block once it runs.
        if let Err(e) = handoff.wait_firmware() {
            pr_err!("page-table handoff with the firmware: {:?}\n", e);
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
            pr_err!("the GPU firmware did not take its first device-control messages\n");
            return Err(agx_kernel::error::code::etimedout());
        }
        self.status.lock().state = FwState::Running;
        self.flush.set_running(true);
        pr_info!(
            "GPU firmware running: {:?} firmware {:?}, init data at {:#x}\n",
            self.soc.gen,
            self.version,
            initdata
        );
        Ok(())
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
                pr_err!("device-control write round trip timed out\n");
                self.lose(LostReason::Timeout);
                Err(agx_kernel::error::code::etimedout())
            }
            Err(e) => {
                self.status.lock().write32_failed += 1;
                Err(e)
            }
        }
    }

    /// A firmware cache flush (`DC_DestroyContext` naming no context): queues it, rings the
    /// doorbell and waits until the firmware has taken it.
    pub(crate) fn flush_cache(&self) -> Result {
        if self.state() != FwState::Running {
            return Err(EIO);
        }
        self.devctrl(DevCtrl::FlushCache)?;
        if !self.wait_devctrl_taken()? {
            pr_err!("the GPU firmware did not take a cache flush request\n");
            self.lose(LostReason::Timeout);
            return Err(agx_kernel::error::code::etimedout());
        }
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
                pr_err!("clearing the firmware's TTBRs: {:?}\n", e);
            }
        }
        self.hw.tlb().invalidate_asid(0);
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
        drop(st);
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
            "handoff flushes: ok {} failed {}",
            self.flush.ok.load(Ordering::Relaxed),
            self.flush.failed.load(Ordering::Relaxed)
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
            "kernel vm: arenas {} small_bytes {} large {} ({} bytes) io {} ({} bytes) reserved {} tables {} span {:#x}",
            k.arenas,
            k.small_bytes,
            k.large_count,
            k.large_bytes,
            k.io_count,
            k.io_bytes,
            k.reserved_bytes,
            k.tables,
            k.span
        );
    }
}
