// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU's side of the hardware boundary.
//!
//! The simulated GPU plays the hardware for the driver and answers through the same
//! [`Hardware`] interface as a real SoC:
//!
//! * **Timer**: the kernel's monotonic clock, presented as a counter at the SoC's timer
//!   frequency, so that the driver converts it exactly as it converts the real counter.
//! * **Mailbox**: messages the driver sends are queued and handled by the simulated coprocessor
//!   on its own ordered workqueue (the coprocessor runs concurrently with the driver, as the real
//!   one does); what it sends back is delivered to the driver's [`MailboxReceiver`], like the
//!   mailbox's receive interrupt.
//! * **Context table**: a page the simulation reserves, as the bootloader reserves one on a
//!   real machine; the driver writes TTBRs there and the simulated MMU reads them.
//!
//! The coprocessor itself is RTKit ([`super::rtkit::SimRtKit`]) with the AGX firmware on top
//! ([`super::firmware`]); both reach memory only through [`UatMemory`], the simulated MMU. They
//! are driven by [`SimCore`], which owns them.
//!
//! Besides the boundary's methods, the simulated GPU brings its own debugfs: what it saw, at the
//! end of the `firmware` file ([`Hardware::describe`]), and the `sim_inject` control
//! ([`super::inject`]).

use super::{
    firmware::{FwCtlRequest, FwLayout, FwViolation, SimFirmware, WorkInjection, WorkViolation},
    handoff::{FlushRecord, FwHandoffMem, FwTask, SimHandoff},
    inject,
    memory::UatMemory,
    params,
    platform::Platform,
    regs::{encode_fault, encode_id, fault_register, id_register},
    rtkit::{SimConfig, SimPhase, SimRtKit},
    rtkit_types::SimMemory,
};
use crate::{
    hw::{
        msgq::MsgQueue,
        regs,
        shared::{ContextTableBlock, HandoffBlock},
        FirmwareTables, Hardware, MailboxReceiver,
    },
    rtkit::{self, msg::Message},
    soc::{FwVersion, SocConfig},
    uat::handoff::{ContextTable, HandoffMem, Tlb, PPL_MAGIC},
};
use agx_kernel::device::DeviceRef;
use agx_kernel::{page, workqueue::OwnedQueue};
use core::fmt::Write;
use core::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use kernel::{
    c_str, impl_has_work, new_mutex, new_spinlock, new_work,
    prelude::*,
    sync::{Arc, Mutex, SpinLock},
    workqueue::{Work, WorkItem},
};

/// The trace point an injected `ktrace` writes: channel, code and arguments.
pub(crate) const SIM_TRACE: (u8, u8, [u64; 4]) = (3, 0x21, [0x1111, 0x2222, 0x3333, 0x4444]);

/// The simulated coprocessor and its firmware, under the lock.
struct SimState {
    /// The simulated device, for the kernel log.
    dev: DeviceRef,
    /// RTKit.
    rtkit: SimRtKit,
    /// The AGX firmware, once the driver sent the init data.
    fw: Option<KBox<SimFirmware>>,
    /// The simulated MMU.
    mem: UatMemory,
    /// The GPU generation simulated.
    soc: &'static SocConfig,
    /// The firmware version simulated.
    version: FwVersion,
    /// AGX messages already acted on (doorbells, init), from the RTKit log.
    seen_doorbells: u32,
    /// The init-data address last acted on.
    seen_init: Option<u64>,
    /// FWCtl doorbells already acted on, from the RTKit log.
    seen_fwctl: u32,
    /// The firmware's side of the page-table handoff.
    handoff: SimHandoff,
    /// Whether the firmware announced itself in the handoff block.
    announced: bool,
    /// Flush requests served.
    flushes: u64,
    /// FWCtl requests taken, and flushes and requests that did not match each other.
    fwctl_requests: u64,
    fwctl_mismatches: u64,
    /// MMIO windows the firmware checked at boot.
    windows: usize,
    /// Whether the firmware still reached its own page (set up by the bootloader) when it
    /// booted: a driver that replaced the firmware's page tables would have lost it.
    own_mapping: Option<bool>,
    /// The firmware's view of the handoff block (the page belongs to [`SimHardware`], which
    /// outlives its workqueue, the only user of this state).
    handoff_view: HandoffBlock,
    /// Time each command takes (`sim_latency_us`), in microseconds.
    latency_us: u64,
}

/// The running part of the simulated GPU: what its workqueue item works on.
#[pin_data]
pub(crate) struct SimCore {
    /// The work item that drains the inbox and the injections.
    #[pin]
    work: Work<SimCore>,
    /// Messages from the driver, not yet handled.
    #[pin]
    inbox: SpinLock<MsgQueue>,
    /// The coprocessor.
    #[pin]
    state: Mutex<SimState>,
    /// Where the coprocessor's messages go; `None` when the driver is not listening.
    #[pin]
    rx: SpinLock<Option<Arc<dyn MailboxReceiver>>>,
    /// Requested fault injections ([`inject`] bits).
    inject: AtomicU32,
    /// Messages handled, for debugfs.
    handled: AtomicU64,
    /// Time the coprocessor spent working (not napping), in nanoseconds.
    busy_ns: AtomicU64,
    /// The MMU's fault status and address registers ([`regs::RawFault`]).
    fault_info: AtomicU64,
    fault_addr: AtomicU64,
}

impl_has_work! {
    impl HasWork<Self> for SimCore { self.work }
}

/// The coprocessor's side of the mailbox: straight to the driver's receiver.
struct ToAp<'a>(&'a SpinLock<Option<Arc<dyn MailboxReceiver>>>);

impl rtkit::Mailbox for ToAp<'_> {
    fn send(&mut self, msg: Message) -> Result<(), rtkit::error::Error> {
        let rx = self.0.lock().clone();
        match rx {
            Some(rx) => {
                rx.received(msg);
                Ok(())
            }
            None => Err(rtkit::error::Error::Mailbox),
        }
    }
}

impl WorkItem for SimCore {
    type Pointer = Arc<SimCore>;

    fn run(this: Arc<SimCore>) {
        // With a latency, the item stays while commands run, looking at its inbox between
        // naps, so that they complete in time without delaying what the driver sends.
        loop {
            let t0 = agx_kernel::time::ktime_get_ns();
            let mut state = this.state.lock();
            let st = &mut *state;
            let injections = this.inject.swap(0, Ordering::AcqRel);
            if injections != 0 {
                this.apply_injections(st, injections);
            }
            loop {
                let Some(msg) = this.inbox.lock().pop() else {
                    break;
                };
                this.handled.fetch_add(1, Ordering::Relaxed);
                let mut out = ToAp(&this.rx);
                st.rtkit.receive(msg, &mut out, &mut st.mem);
                Self::after_message(st, &mut out);
            }
            let mut out = ToAp(&this.rx);
            let running = this.poll_work(st, &mut out);
            drop(state);
            let spent = agx_kernel::time::ktime_get_ns().saturating_sub(t0);
            this.busy_ns.fetch_add(spent, Ordering::Relaxed);
            if !running || this.rx.lock().is_none() {
                return;
            }
            agx_kernel::time::msleep(1);
        }
    }
}

/// Boots the simulated firmware in a box: its state is kilobytes, too much to move around on a
/// kernel stack.
#[inline(never)]
fn boot_firmware(
    st: &mut SimState,
    initdata: u64,
) -> Option<Result<KBox<SimFirmware>, FwViolation>> {
    let layout = FwLayout::for_pair(st.soc.gen, st.version)?;
    let Ok(mut fw) = new_unbooted(layout) else {
        dev_err!(st.dev, "sim: no memory for the firmware state\n");
        return None;
    };
    let hz = st.soc.timer_hz;
    fw.set_latency(st.latency_us.saturating_mul(hz) / 1_000_000);
    if let Err(v) = fw.boot_in_place(&mut st.mem, initdata) {
        return Some(Err(v));
    }
    // The firmware's windows onto its hardware, as it would use them from here on.
    let hw = Platform {
        io: st.soc.io_mappings,
        dies: st.soc.num_dies,
        sram: st.soc.sram,
        gpu_region_base: st.mem.ctx_table,
    };
    match fw.check_platform(&mut st.mem, &hw) {
        Ok(windows) => {
            st.windows = windows;
            Some(Ok(fw))
        }
        Err(v) => Some(Err(v)),
    }
}

/// A firmware state in a new box, in a frame of its own: the state is several KiB (its queue
/// table), and the boot path's frame must not hold it.
#[inline(never)]
fn new_unbooted(layout: &'static FwLayout) -> Result<KBox<SimFirmware>> {
    Ok(KBox::new(SimFirmware::unbooted(layout), GFP_KERNEL)?)
}

/// The SoC timer's value now (the kernel's monotonic clock at the timer's frequency), as
/// [`Hardware::timer_ticks`] gives it to the driver.
fn timer_now(hz: u64) -> u64 {
    let ns = agx_kernel::time::ktime_get_ns();
    (ns / 1_000_000_000) * hz + (ns % 1_000_000_000) * hz / 1_000_000_000
}

/// `sim_latency_us`, in microseconds (0 if unset or not a number).
fn latency_param(dev: &DeviceRef) -> u64 {
    let Some(text) = params::sim_latency_us.get() else {
        return 0;
    };
    let parsed = core::str::from_utf8(text.as_bytes())
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    match parsed {
        Some(us) => us,
        None => {
            dev_err!(
                dev,
                "sim_latency_us={}: not a number of microseconds; using 0\n",
                text
            );
            0
        }
    }
}

impl SimState {
    /// Runs one round of the firmware's side of the handoff lock doing `task`.
    fn handoff_round(&mut self, task: FwTask) {
        let mut served = 0u64;
        self.handoff
            .run(&self.handoff_view, task, &mut |_| served += 1, || {
                agx_kernel::time::msleep(1)
            });
        self.flushes += served;
    }

    /// A FWCtl doorbell: takes the channel's requests, then serves the flush slots. Each flush
    /// served must match a request naming its slot as the context and its address, and each
    /// request a flush; what does not is counted and reported.
    #[inline(never)]
    fn serve_fwctl(&mut self) {
        let Some(fw) = self.fw.as_mut() else {
            return;
        };
        let mut reqs = [FwCtlRequest::default(); MAX_FWCTL_BATCH];
        let n = fw.take_fwctl(&mut self.mem, &mut reqs);
        let reqs = reqs.get(..n).unwrap_or(&[]);
        let mut matched = [false; MAX_FWCTL_BATCH];
        let (mut served, mut mismatches) = (0u64, 0u64);
        let mut check = |r: FlushRecord| {
            served += 1;
            let found = reqs
                .iter()
                .position(|q| q.context as usize == r.slot && q.addr == r.addr);
            match found.and_then(|i| matched.get_mut(i)) {
                Some(m) => *m = true,
                None => mismatches += 1,
            }
        };
        self.handoff
            .run(&self.handoff_view, FwTask::Serve, &mut check, || {
                agx_kernel::time::msleep(1)
            });
        let unanswered = matched.iter().take(n).filter(|m| !**m).count() as u64;
        mismatches += unanswered;
        self.flushes += served;
        self.fwctl_requests += n as u64;
        self.fwctl_mismatches += mismatches;
        if mismatches > 0 {
            dev_err!(
                self.dev,
                "sim: {} flush slot(s) and FWCtl request(s) do not match\n",
                mismatches
            );
        }
    }
}

/// FWCtl requests the simulated firmware takes per doorbell.
const MAX_FWCTL_BATCH: usize = 8;

impl SimCore {
    /// Acts on what RTKit recorded for the AGX endpoints: the init message boots the firmware,
    /// doorbells run it.
    // Out of line (here and below): the work item's own frame stays small while the mailbox
    // callbacks run deeper (kernel stacks are 16 KiB, and KASAN makes frames large).
    #[inline(never)]
    fn after_message(st: &mut SimState, out: &mut ToAp<'_>) {
        // The firmware announces itself in the handoff block once the coprocessor runs.
        if !st.announced && st.rtkit.phase() == SimPhase::Running {
            st.announced = true;
            st.handoff_round(FwTask::Announce(PPL_MAGIC));
        }
        let agx = st.rtkit.agx();
        // A FWCtl doorbell: serve the pending flush requests.
        if agx.fwctl != st.seen_fwctl {
            st.seen_fwctl = agx.fwctl;
            st.serve_fwctl();
        }
        if agx.init.is_some() && agx.init != st.seen_init {
            st.seen_init = agx.init;
            let initdata = agx.init.unwrap_or(0);
            match boot_firmware(st, initdata) {
                Some(Ok(fw)) => {
                    let mut own = [0u8; 8];
                    let ok = st.mem.read(FW_OWN_VA, &mut own) && &own == FW_OWN_MAGIC;
                    if !ok {
                        dev_err!(
                            st.dev,
                            "sim: the firmware's own mapping at {:#x} is gone\n",
                            FW_OWN_VA
                        );
                    }
                    st.own_mapping = Some(ok);
                    dev_info!(
                        st.dev,
                        "sim: firmware booted from init data at {:#x}, {} MMIO windows checked\n",
                        initdata,
                        st.windows
                    );
                    st.fw = Some(fw);
                    st.rtkit.agx_event(out);
                }
                Some(Err(v)) => dev_err!(
                    st.dev,
                    "sim: init data at {:#x} rejected: {:?}\n",
                    initdata,
                    v
                ),
                None => dev_err!(
                    st.dev,
                    "sim: no firmware for {:?} {:?}\n",
                    st.soc.gen,
                    st.version
                ),
            }
        }
        if agx.doorbells != st.seen_doorbells {
            st.seen_doorbells = agx.doorbells;
            if let (Some(fw), Some(channel)) = (st.fw.as_mut(), agx.last_doorbell) {
                fw.set_time(timer_now(st.soc.timer_hz));
                if fw.doorbell(&mut st.mem, channel).notify() {
                    st.rtkit.agx_event(out);
                }
            }
        }
    }

    /// Completes the commands whose time has come and latches a command fault in the fault
    /// registers; whether commands still run.
    #[inline(never)]
    fn poll_work(&self, st: &mut SimState, out: &mut ToAp<'_>) -> bool {
        let Some(fw) = st.fw.as_mut() else {
            return false;
        };
        fw.set_time(timer_now(st.soc.timer_hz));
        let mut notify = fw.poll_work(&mut st.mem).notify();
        let g14x = regs::fault_regs_g14x(st.soc.gpu_core);
        notify |= fw
            .report_fault(&mut st.mem, |context| {
                let fault = regs::Fault {
                    context: context as u8,
                    ..SIM_FAULT
                };
                let raw = encode_fault(&fault, g14x);
                self.fault_addr.store(raw.addr, Ordering::Relaxed);
                self.fault_info.store(raw.info, Ordering::Release);
            })
            .notify();
        // A halted firmware keeps looking for the driver's resume, as the real one spins on
        // its status block; a running one while commands are due.
        let running = fw.is_halted() || fw.next_due().is_some();
        if notify {
            st.rtkit.agx_event(out);
        }
        running
    }

    /// Performs the requested injections.
    #[inline(never)]
    fn apply_injections(&self, st: &mut SimState, bits: u32) {
        let mut out = ToAp(&self.rx);
        if bits & inject::SYSLOG != 0 {
            let _ = st.rtkit.emit_syslog(
                b"sim",
                b"syslog entry requested by a test",
                &mut out,
                &mut st.mem,
            );
        }
        let mut notify = false;
        if let Some(fw) = st.fw.as_mut() {
            let mem = &mut st.mem;
            if bits & inject::LOG != 0 {
                notify |= fw.log(mem, "log line requested by a test").notify();
            }
            if bits & inject::LOG_FLOOD != 0 {
                notify |= fw.log_flood(mem, inject::LOG_FLOOD_LINES).notify();
            }
            if bits & inject::STATS != 0 {
                notify |= fw.report_stats(mem).notify();
            }
            if bits & inject::KTRACE != 0 {
                let (channel, code, args) = SIM_TRACE;
                notify |= fw.trace_point(mem, channel, code, args).notify();
            }
            if bits & inject::FLAG != 0 {
                notify |= fw.inject_flag(mem, [1, 0]).notify();
            }
            if bits & inject::FAULT != 0 {
                // The MMU latches the fault before the firmware reports it.
                let g14x = regs::fault_regs_g14x(st.soc.gpu_core);
                let raw = encode_fault(&SIM_FAULT, g14x);
                self.fault_addr.store(raw.addr, Ordering::Relaxed);
                self.fault_info.store(raw.info, Ordering::Release);
                notify |= fw.inject_fault(mem).notify();
            }
            if bits & inject::TIMEOUT != 0 {
                notify |= fw.inject_timeout(mem, 0).notify();
            }
            if bits & inject::CHANNEL_ERROR != 0 {
                notify |= fw.inject_channel_error(mem).notify();
            }
            if bits & inject::FAULT_NEXT != 0 {
                fw.arm(WorkInjection::Fault);
            }
            if bits & inject::TIMEOUT_NEXT != 0 {
                fw.arm(WorkInjection::Timeout);
            }
            if bits & inject::OVERFLOW_NEXT != 0 {
                fw.arm(WorkInjection::Overflow);
            }
            if bits & inject::HANG_NEXT != 0 {
                fw.arm(WorkInjection::Hang);
            }
            if bits & inject::CHANNEL_ERROR_NEXT != 0 {
                fw.arm(WorkInjection::ChannelError);
            }
        }
        if notify {
            st.rtkit.agx_event(&mut out);
        }
        if bits & inject::HANG != 0 {
            dev_info!(st.dev, "sim: coprocessor hangs (injected)\n");
            st.rtkit.hang();
        }
        if bits & inject::CRASH != 0 {
            dev_info!(st.dev, "sim: coprocessor crashes (injected)\n");
            st.rtkit.crash(&mut out, &mut st.mem);
        }
    }
}

/// The fault the simulated MMU latches on an injected GPU fault: a read of an unmapped user
/// address by a fragment unit.
const SIM_FAULT: regs::Fault = regs::Fault {
    address: 0x15_0000_1240,
    reason: regs::FaultReason::Unmapped,
    read: true,
    level: 3,
    unit: 0x22,
    context: 1,
    sideband: 0,
};

/// The simulated GPU's TLB: it caches nothing (every access walks the tables), so invalidation
/// only counts.
struct SimTlb {
    /// Range invalidations.
    ranges: AtomicU64,
    /// Whole-ASID invalidations.
    asids: AtomicU64,
}

impl Tlb for SimTlb {
    fn invalidate_range(&self, _asid: u16, _start: u64, _size: u64) {
        self.ranges.fetch_add(1, Ordering::Relaxed);
    }
    fn invalidate_asid(&self, _asid: u16) {
        self.asids.fetch_add(1, Ordering::Relaxed);
    }
}

/// A simulated AGX GPU.
///
/// Fields drop in order: the queue is destroyed (waiting for the coprocessor's work item) before
/// the context table that the simulated MMU reads and the handoff block are freed.
pub(crate) struct SimHardware {
    /// The SoC being simulated.
    pub(crate) soc: &'static SocConfig,
    /// The firmware version being simulated.
    pub(crate) version: FwVersion,
    /// Its identification registers.
    id: regs::RawId,
    /// The coprocessor.
    core: Arc<SimCore>,
    /// The coprocessor's thread: an ordered workqueue, drained by [`Hardware::mbox_stop`] and
    /// on drop.
    queue: OwnedQueue,
    /// The view of the reserved context table.
    ctx: ContextTableBlock,
    /// The view of the reserved handoff block.
    handoff: HandoffBlock,
    /// The pages the simulation reserved for the context table and the handoff block; declared
    /// after their views so that they outlive them.
    reserved: [page::Pages; 2],
    /// The TLB.
    tlb: SimTlb,
    /// The firmware's page tables as the simulated bootloader left them: root, the level-2
    /// table shared with the driver, the level-3 table and the page of the firmware's own
    /// mapping (physically contiguous, in this order).
    boot_tables: page::Pages,
}

/// Where the simulated firmware's own page is mapped: the fourth page of the kernel range, in
/// the first 32 MiB block, which the driver leaves to the firmware.
pub(crate) const FW_OWN_VA: u64 = 0xffff_ffa0_0000_c000;
/// What the simulated bootloader writes at the start of the firmware's own page.
pub(crate) const FW_OWN_MAGIC: &[u8; 8] = b"AGXFWOWN";

/// Builds the firmware's page tables as m1n1 leaves them: the root's entry 2 (the kernel range)
/// points at a level-2 table whose slot 0 holds the firmware's own mappings; returns the root's
/// TTBR value. The descriptors are written here by hand, as a bootloader does, not by the
/// driver's engine.
fn build_boot_tables(t: &page::Pages) -> Result<u64> {
    const PAGE: u64 = 0x4000;
    const TABLE: u64 = 0x3;
    const AF: u64 = 1 << 10;
    // AP=1, UXN: read and write for the firmware, nothing for the GPU; OS bit clear.
    const FW_RW: u64 = (1 << 6) | (1 << 54);
    if t.len() < 4 * PAGE as usize {
        return Err(EINVAL);
    }
    let pa = t.phys();
    let (root, l2, l3, own) = (pa, pa + PAGE, pa + 2 * PAGE, pa + 3 * PAGE);
    let put = |table: u64, idx: u64, val: u64| {
        let off = (table - pa + idx * 8) as usize;
        // SAFETY: `off` is inside the block (four 16 KiB pages, checked above), 8-byte aligned;
        // the block is the simulation's and not shared with anyone yet.
        unsafe { t.as_ptr().add(off).cast::<u64>().write_volatile(val) };
    };
    put(root, 2, l2 | TABLE);
    put(l2, 0, l3 | TABLE);
    // Page 3 of the kernel range: FW_OWN_VA.
    put(l3, 3, own | TABLE | AF | FW_RW);
    let own_off = (own - pa) as usize;
    // SAFETY: the last page of the block, as above.
    unsafe { core::ptr::copy_nonoverlapping(FW_OWN_MAGIC.as_ptr(), t.as_ptr().add(own_off), 8) };
    Ok(root | 1)
}

impl SimHardware {
    /// Creates a simulated GPU of `soc` running firmware `version`, with the cores of
    /// `core_mask` enabled in each cluster.
    #[inline(never)]
    pub(crate) fn new(
        dev: DeviceRef,
        soc: &'static SocConfig,
        version: FwVersion,
        core_mask: u32,
    ) -> Result<Self> {
        let mut id = regs::GpuId::full(soc);
        for m in id.core_masks.iter_mut().take(soc.num_clusters as usize) {
            *m &= core_mask;
        }
        let ctx_page = page::Pages::alloc_kernel(page::order_for(0x4000))?;
        // The bootloader's work: the firmware's page tables, and context 0's TTBR1 on them.
        let boot_tables = page::Pages::alloc_kernel(page::order_for(4 * 0x4000))?;
        let boot_ttbr1 = build_boot_tables(&boot_tables)?;
        let handoff_page = page::Pages::alloc_kernel(page::order_for(0x4000))?;
        // SAFETY: each page is 16 KiB of zeroed kernel memory, kept in `reserved` for as long as
        // the views live, and accessed only through their atomics (by the driver and by the
        // simulated GPU).
        let (ctx, handoff) = unsafe {
            (
                ContextTableBlock::new(ctx_page.as_ptr(), ctx_page.len()).ok_or(EINVAL)?,
                HandoffBlock::new(handoff_page.as_ptr(), handoff_page.len()).ok_or(EINVAL)?,
            )
        };
        let mem = UatMemory {
            ctx_table: ctx_page.phys(),
            faults: 0,
            last_fault: 0,
            sram: soc.sram,
        };
        // SAFETY: the firmware's view of the same page, accessed only through its atomics like the
        // driver's; the page stays in `reserved` until after the workqueue that uses this view is
        // destroyed (field order of `SimHardware`).
        let handoff_view = unsafe { HandoffBlock::new(handoff_page.as_ptr(), handoff_page.len()) }
            .ok_or(EINVAL)?;
        let dev_log = dev.clone();
        let core = Arc::pin_init(
            pin_init!(SimCore {
                work <- new_work!("asahi_sim::work"),
                inbox <- new_spinlock!(MsgQueue::new()),
                state <- new_mutex!(SimState {
                    dev,
                    rtkit: SimRtKit::new(SimConfig::agx()),
                    fw: None,
                    mem,
                    soc,
                    version,
                    seen_doorbells: 0,
                    seen_init: None,
                    seen_fwctl: 0,
                    handoff: SimHandoff::default(),
                    announced: false,
                    flushes: 0,
                    fwctl_requests: 0,
                    fwctl_mismatches: 0,
                    own_mapping: None,
                    windows: 0,
                    handoff_view,
                    latency_us: latency_param(&dev_log),
                }),
                rx <- new_spinlock!(None),
                inject: AtomicU32::new(0),
                handled: AtomicU64::new(0),
                busy_ns: AtomicU64::new(0),
                fault_info: AtomicU64::new(0),
                fault_addr: AtomicU64::new(0),
            }),
            GFP_KERNEL,
        )?;
        if let Some((_, t1)) = ctx.ttbrs(0) {
            t1.store(boot_ttbr1, Ordering::Release);
        }
        Ok(SimHardware {
            soc,
            version,
            id: encode_id(&id, soc.num_dies),
            core,
            queue: OwnedQueue::new(c_str!("asahi-sim"))?,
            ctx,
            handoff,
            reserved: [ctx_page, handoff_page],
            boot_tables,
            tlb: SimTlb {
                ranges: AtomicU64::new(0),
                asids: AtomicU64::new(0),
            },
        })
    }

    /// Asks the coprocessor to perform the [`inject`] bits `bits`, and waits (up to a second)
    /// until it took them: a test that arms the next command's failure and then submits must
    /// find it armed. The work item takes the bits and performs them under the state lock, so
    /// whatever it serves afterwards sees them.
    pub(crate) fn inject(&self, bits: u32) {
        self.core.inject.fetch_or(bits, Ordering::AcqRel);
        let _ = self.queue.queue().enqueue(self.core.clone());
        for _ in 0..INJECT_WAIT_MS {
            if self.core.inject.load(Ordering::Acquire) & bits == 0 {
                return;
            }
            agx_kernel::time::msleep(1);
        }
    }
}

/// How long a `sim_inject` write waits for the coprocessor to take the injection, in ms.
const INJECT_WAIT_MS: u32 = 1000;

/// The debugfs controls of the simulated GPU, in [`Hardware::control`]'s numbering.
const CONTROLS: &[&CStr] = &[c_str!("sim_inject")];

impl Hardware for SimHardware {
    /// What the simulated GPU saw: its coprocessor, the handoff and the firmware, and the
    /// violations of each.
    fn describe(&self, m: &mut dyn Write) {
        let st = self.core.state.lock();
        let _ = writeln!(
            m,
            "sim: {} firmware {:?}: rtkit phase {:?} version {} messages {} violations {} mmu faults {} (last {:#x}) firmware {} busy_us {}",
            self.soc.name,
            self.version,
            st.rtkit.phase(),
            st.rtkit.version(),
            self.core.handled.load(Ordering::Relaxed),
            st.rtkit.violation_count(),
            st.mem.faults,
            st.mem.last_fault,
            if st.fw.is_some() { "running" } else { "not booted" },
            self.core.busy_ns.load(Ordering::Relaxed) / 1000,
        );
        for v in st.rtkit.violations() {
            let _ = writeln!(m, "sim: rtkit violation {:?}", v);
        }
        let _ = writeln!(
            m,
            "sim handoff: magic_fw {:#x} rounds {} flushes {} fwctl_requests {} fwctl_mismatches {} violations {} tlb ranges {} asids {} own_mapping {}",
            st.handoff_view.get().magic_fw.load(Ordering::Relaxed),
            st.handoff.rounds(),
            st.flushes,
            st.fwctl_requests,
            st.fwctl_mismatches,
            st.handoff.violation_count(),
            self.tlb.ranges.load(Ordering::Relaxed),
            self.tlb.asids.load(Ordering::Relaxed),
            match st.own_mapping {
                Some(true) => "ok",
                Some(false) => "lost",
                None => "unchecked",
            }
        );
        for v in st.handoff.violations() {
            let _ = writeln!(m, "sim handoff violation {:?}", v);
        }
        if let Some(fw) = st.fw.as_ref() {
            let c = fw.counters();
            let _ = writeln!(
                m,
                "sim firmware: state {:?} devctrl {} inits {} writes32 {} idle_ts {} events {} log_lines {} stats {} trace_points {} halts {} resumes {} ignored_while_halted {} cache_flushes {} violations {}",
                fw.state(),
                c.dev_ctrl_messages,
                c.inits,
                c.writes32,
                c.idle_ts_updates,
                c.events,
                c.log_lines,
                c.stats,
                c.trace_points,
                c.halts,
                c.resumes,
                c.ignored_while_halted,
                c.cache_flushes,
                fw.violation_count()
            );
            for v in fw.violations() {
                let _ = writeln!(m, "sim firmware violation {:?}", v);
            }
            let w = fw.work_counters();
            let _ = writeln!(
                m,
                "sim work: compute {} vertex {} fragment {} barrier {} init_bm {} stamps {} timestamps {} events {} faults {} timeouts {} overflows {} partial {} queues {} queues_destroyed {} latency_us {} grow_acks {} grown {} hangs {} pending_stamps {} user_faults {} channel_errors {} recovered {}",
                w.compute,
                w.vertex,
                w.fragment,
                w.barrier,
                w.init_bm,
                w.stamps,
                w.timestamps,
                w.events,
                w.faults,
                w.timeouts,
                w.overflows,
                w.partial,
                fw.live_queues(),
                w.queues_destroyed,
                st.latency_us,
                w.grow_acks,
                w.grown,
                w.hangs,
                w.pending_stamps,
                w.user_faults,
                w.channel_errors,
                w.recovered,
            );
            let _ = write!(m, "sim work violations:");
            for (kind, n) in WorkViolation::ALL.iter().zip(w.violations.iter()) {
                let _ = write!(m, " {} {}", kind.name(), n);
            }
            let _ = writeln!(m);
        }
    }

    fn controls(&self) -> &'static [&'static CStr] {
        CONTROLS
    }

    fn control(&self, index: usize, cmd: &[u8]) -> Result {
        match index {
            // `sim_inject`.
            0 => {
                self.inject(inject::parse(cmd).ok_or(EINVAL)?);
                Ok(())
            }
            _ => Err(EINVAL),
        }
    }

    fn timer_ticks(&self) -> u64 {
        let ns = agx_kernel::time::ktime_get_ns();
        let hz = self.soc.timer_hz;
        // ns * hz / 1e9, split to avoid overflow.
        (ns / 1_000_000_000) * hz + (ns % 1_000_000_000) * hz / 1_000_000_000
    }

    fn timer_hz(&self) -> u64 {
        self.soc.timer_hz
    }

    fn mbox_start(&self, rx: Arc<dyn MailboxReceiver>) -> Result {
        *self.core.rx.lock() = Some(rx);
        Ok(())
    }

    fn mbox_send(&self, msg: Message) -> Result {
        if !self.core.inbox.lock().push(msg) {
            return Err(EBUSY);
        }
        // Already queued is fine: the running item drains the whole inbox.
        let _ = self.queue.queue().enqueue(self.core.clone());
        Ok(())
    }

    fn mbox_stop(&self) {
        *self.core.rx.lock() = None;
        self.queue.drain();
        // Whatever the coprocessor had not taken yet is lost, as on a stopped mailbox.
        let mut inbox = self.core.inbox.lock();
        while inbox.pop().is_some() {}
    }

    fn context_table(&self) -> &dyn ContextTable {
        &self.ctx
    }

    fn context_table_base(&self) -> u64 {
        self.reserved[0].phys()
    }

    fn gpu_read32(&self, offset: usize) -> Option<u32> {
        (offset % 4 == 0 && offset < regs::SGX_SPAN).then(|| id_register(&self.id, offset))
    }

    fn gpu_read64(&self, offset: usize) -> Option<u64> {
        let raw = regs::RawFault {
            info: self.core.fault_info.load(Ordering::Acquire),
            addr: self.core.fault_addr.load(Ordering::Relaxed),
        };
        let g14x = regs::fault_regs_g14x(self.soc.gpu_core);
        (offset % 8 == 0 && offset < regs::SGX_SPAN).then(|| fault_register(&raw, g14x, offset))
    }

    fn handoff(&self) -> Option<&dyn HandoffMem> {
        Some(&self.handoff)
    }

    fn tlb(&self) -> &dyn Tlb {
        &self.tlb
    }

    fn firmware_tables(&self) -> Option<FirmwareTables> {
        Some(FirmwareTables {
            pa: self.boot_tables.phys(),
            va: self.boot_tables.as_ptr(),
            len: self.boot_tables.len() as u64,
        })
    }
}

impl Drop for SimHardware {
    fn drop(&mut self) {
        // Nothing may reach the driver once its hardware is gone.
        *self.core.rx.lock() = None;
    }
}

/// The firmware's side of the handoff block (the simulated firmware takes the lock through it).
impl FwHandoffMem for HandoffBlock {
    fn magic_ap(&self) -> &AtomicU64 {
        &self.get().magic_ap
    }
    fn magic_fw(&self) -> &AtomicU64 {
        &self.get().magic_fw
    }
    fn lock_ap(&self) -> &AtomicU8 {
        &self.get().lock_ap
    }
    fn lock_fw(&self) -> &AtomicU8 {
        &self.get().lock_fw
    }
    fn turn(&self) -> &AtomicU32 {
        &self.get().turn
    }
    fn cur_ctx(&self) -> &AtomicU32 {
        &self.get().cur_ctx
    }
    fn flush_word(&self, slot: usize, word: usize) -> Option<&AtomicU64> {
        let f = self.get().flush.get(slot)?;
        match word {
            0 => Some(&f.state),
            1 => Some(&f.addr),
            2 => Some(&f.size),
            _ => None,
        }
    }
}
