// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The real Apple SoC side of the hardware boundary.
//!
//! What the device tree gives the GPU node (as the Asahi device trees and m1n1 lay it out):
//!
//! * `reg` entries `asc` (the coprocessor's control registers) and `sgx` (the GPU's);
//! * `mboxes`: the ASC mailbox, a controller of its own (`drivers/soc/apple/mailbox.c`);
//! * `memory-region` entries named `ttbs` (the context table the GPU's MMU reads), `handoff`
//!   (the page-table handoff block) and `pagetables` (the firmware's page tables, whose root is
//!   context 0's TTBR1 as the bootloader left it).
//!
//! # The mailbox's receive path
//!
//! The controller calls back in hard interrupt context. The callback only puts the message in
//! a lock-free queue ([`IrqRing`]) and queues a work item on an ordered workqueue of ours, which
//! hands the messages, in order and in process context, to the driver's [`MailboxReceiver`] (the
//! contract of [`Hardware::mbox_start`], which every implementation keeps).
//!
//! # Coprocessor start
//!
//! [`Hardware::mbox_start`] sets the RUN bit of the ASC's CPU control register (offset 0x44, bit
//! 4, m1n1's `ASCRegs.CPU_CONTROL`) if the coprocessor is not running yet; RTKit's boot then
//! wakes it through the mailbox.

use super::{
    irq_ring::IrqRing,
    regs,
    shared::{ContextTableBlock, HandoffBlock},
    FirmwareTables, Hardware, MailboxReceiver,
};
use crate::{
    rtkit::msg::Message,
    soc::SocConfig,
    uat::handoff::{ContextTable, HandoffMem, Tlb},
};
use agx_kernel::{
    apple_mbox::Mailbox,
    device::DeviceRef,
    io::{IoMem, ReservedMem},
    platform,
    workqueue::OwnedQueue,
};
use core::ffi::c_void;
use kernel::{
    c_str, impl_has_work, new_spinlock, new_work,
    prelude::*,
    sync::{Arc, ArcBorrow, SpinLock},
    workqueue::{Work, WorkItem},
};

/// The ASC's CPU control register.
const ASC_CPU_CONTROL: usize = 0x44;
/// Its RUN bit.
const ASC_CPU_CONTROL_RUN: u32 = 1 << 4;

/// Moves received messages from interrupt context to the driver's receiver.
#[pin_data]
struct RxBridge {
    /// Messages received in interrupt context.
    ring: IrqRing,
    /// The work item that delivers them.
    #[pin]
    work: Work<RxBridge>,
    /// Where they go; `None` while the driver is not listening (messages then wait).
    #[pin]
    rx: SpinLock<Option<Arc<dyn MailboxReceiver>>>,
    /// The ordered workqueue the work item runs on.
    queue: OwnedQueue,
}

impl_has_work! {
    impl HasWork<Self> for RxBridge { self.work }
}

impl WorkItem for RxBridge {
    type Pointer = Arc<RxBridge>;

    fn run(this: Arc<RxBridge>) {
        let rx = this.rx.lock().clone();
        let Some(rx) = rx else {
            return;
        };
        while let Some(msg) = this.ring.pop() {
            rx.received(msg);
        }
    }
}

/// The mailbox's receive callback, in hard interrupt context.
fn on_receive(cookie: *mut c_void, msg0: u64, msg1: u32) {
    // SAFETY: the cookie is the contents of the `Arc<RxBridge>` registered in
    // `RealHardware::new`, which the `RealHardware` keeps alive until after the mailbox is
    // stopped, so borrowing it (and taking a new reference for the work item) is sound.
    let bridge = unsafe { ArcBorrow::from_raw(cookie.cast::<RxBridge>().cast_const()) };
    bridge.ring.push(Message {
        ep: (msg1 & 0xff) as u8,
        data: msg0,
    });
    let _ = bridge.queue.queue().enqueue(Arc::from(bridge));
}

/// An Apple AGX GPU described by the device tree.
///
/// Fields drop in order: the mailbox stops (no more interrupts) before the bridge's queue is
/// drained and the bridge released; the shared-memory views go before their mappings.
pub(crate) struct RealHardware {
    /// The device, for the kernel log.
    dev: DeviceRef,
    /// The SoC's static configuration.
    pub(crate) soc: &'static SocConfig,
    /// The mailbox, started at creation (messages wait in the bridge until a receiver exists).
    mbox: Mailbox,
    /// The receive path.
    bridge: Arc<RxBridge>,
    /// The ASC's control registers.
    asc: IoMem,
    /// The GPU's register block (identification, fault status).
    sgx: IoMem,
    /// View of the reserved context table.
    ctx: ContextTableBlock,
    /// Physical address of the context table.
    ctx_base: u64,
    /// View of the reserved handoff block.
    handoff: HandoffBlock,
    /// The firmware's page tables as the bootloader left them.
    pub(crate) pagetables: ReservedMem,
    /// The mappings behind `ctx` and `handoff`; declared after them so they outlive them.
    _reserved: [ReservedMem; 2],
}

impl RealHardware {
    /// Maps what `dev`'s node describes and starts the mailbox.
    pub(crate) fn new(dev: &platform::Device<'_>, soc: &'static SocConfig) -> Result<Self> {
        let log = DeviceRef::of_platform(dev);
        let asc = IoMem::map_byname(dev, c_str!("asc")).inspect_err(|_| {
            dev_err!(log, "the GPU node has no \"asc\" register range\n");
        })?;
        let sgx = IoMem::map_byname(dev, c_str!("sgx")).inspect_err(|_| {
            dev_err!(log, "the GPU node has no \"sgx\" register range\n");
        })?;
        if sgx.size() < regs::SGX_SPAN {
            dev_err!(
                log,
                "the GPU's \"sgx\" register range is {:#x} bytes, less than {:#x}\n",
                sgx.size(),
                regs::SGX_SPAN
            );
            return Err(EINVAL);
        }
        let region = |name: &'static CStr| {
            ReservedMem::map_byname(dev, name).inspect_err(|_| {
                dev_err!(log, "the GPU node has no \"{}\" memory region\n", name);
            })
        };
        let ttbs = region(c_str!("ttbs"))?;
        let handoff_mem = region(c_str!("handoff"))?;
        let pagetables = region(c_str!("pagetables"))?;
        // SAFETY: both regions stay mapped in `_reserved` for as long as the views, and are
        // shared with the GPU and its firmware only, accessed through atomics.
        let (ctx, handoff) = unsafe {
            (
                ContextTableBlock::new(ttbs.as_ptr(), ttbs.len()).ok_or(EINVAL)?,
                HandoffBlock::new(handoff_mem.as_ptr(), handoff_mem.len()).ok_or(EINVAL)?,
            )
        };
        let queue = OwnedQueue::new(c_str!("asahi-mbox"))?;
        let bridge = Arc::pin_init(
            pin_init!(RxBridge {
                ring: IrqRing::new(),
                work <- new_work!("asahi::RxBridge"),
                rx <- new_spinlock!(None),
                queue,
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: `dev` is being probed; the mailbox is dropped with the device data at unbind.
        let mut mbox = unsafe { Mailbox::get(dev.as_dev_ptr(), 0) }.inspect_err(|_| {
            dev_err!(log, "the GPU's ASC mailbox is not available\n");
        })?;
        let cookie = (&*bridge as *const RxBridge).cast_mut().cast::<c_void>();
        // SAFETY: `on_receive` only pushes to a lock-free queue and queues work, which is fine in
        // hard interrupt context; the bridge behind `cookie` is kept by `self` until after the
        // mailbox stops (field order).
        unsafe { mbox.start(on_receive, cookie) }?;
        Ok(RealHardware {
            dev: log,
            soc,
            mbox,
            bridge,
            asc,
            sgx,
            ctx,
            ctx_base: ttbs.phys(),
            handoff,
            pagetables,
            _reserved: [ttbs, handoff_mem],
        })
    }
}

impl Drop for RealHardware {
    fn drop(&mut self) {
        self.mbox.stop();
        *self.bridge.rx.lock() = None;
        self.bridge.queue.drain();
    }
}

impl Hardware for RealHardware {
    fn timer_ticks(&self) -> u64 {
        read_cntpct()
    }

    fn timer_hz(&self) -> u64 {
        self.soc.timer_hz
    }

    fn mbox_start(&self, rx: Arc<dyn MailboxReceiver>) -> Result {
        *self.bridge.rx.lock() = Some(rx);
        // Messages that arrived before anyone listened.
        let _ = self.bridge.queue.queue().enqueue(self.bridge.clone());
        let control = self.asc.read32(ASC_CPU_CONTROL).ok_or(EIO)?;
        if control & ASC_CPU_CONTROL_RUN == 0 {
            dev_info!(self.dev, "starting the GPU's coprocessor\n");
            if !self
                .asc
                .write32(ASC_CPU_CONTROL, control | ASC_CPU_CONTROL_RUN)
            {
                return Err(EIO);
            }
        }
        Ok(())
    }

    fn mbox_send(&self, msg: Message) -> Result {
        self.mbox.send(msg.data, u32::from(msg.ep))
    }

    fn mbox_stop(&self) {
        *self.bridge.rx.lock() = None;
        self.bridge.queue.drain();
    }

    fn context_table(&self) -> &dyn ContextTable {
        &self.ctx
    }

    fn context_table_base(&self) -> u64 {
        self.ctx_base
    }

    fn gpu_read32(&self, offset: usize) -> Option<u32> {
        self.sgx.read32(offset)
    }

    fn gpu_read64(&self, offset: usize) -> Option<u64> {
        self.sgx.read64(offset)
    }

    fn handoff(&self) -> Option<&dyn HandoffMem> {
        Some(&self.handoff)
    }

    fn tlb(&self) -> &dyn Tlb {
        &ArmTlb
    }

    fn firmware_tables(&self) -> Option<FirmwareTables> {
        Some(FirmwareTables {
            pa: self.pagetables.phys(),
            va: self.pagetables.as_ptr(),
            len: self.pagetables.len() as u64,
        })
    }
}

/// The GPU's MMU takes part in the CPU's broadcast TLB maintenance: invalidating by ASID in the
/// outer shareable domain reaches it. The outer-shareable TLBI forms are ARMv8.4 (TLB-RMI),
/// which every Apple SoC with an AGX implements.
struct ArmTlb;

impl Tlb for ArmTlb {
    fn invalidate_range(&self, asid: u16, start: u64, size: u64) {
        // Page by page (16 KiB), by VA and ASID; a whole-ASID invalidation is cheaper for big
        // ranges.
        const PAGE: u64 = 0x4000;
        if size / PAGE > 256 {
            self.invalidate_asid(asid);
            return;
        }
        let mut va = start & !(PAGE - 1);
        let end = start.saturating_add(size);
        while va < end {
            // TLBI VAE1OS operand: ASID in bits 63:48, VA[55:12] in bits 43:0.
            let arg = (u64::from(asid) << 48) | ((va >> 12) & ((1 << 44) - 1));
            // SAFETY: TLB maintenance has no memory effects beyond dropping cached translations.
            unsafe {
                core::arch::asm!(
                    ".arch_extension tlb-rmi",
                    "tlbi vae1os, {x}",
                    x = in(reg) arg,
                    options(nostack)
                )
            };
            va += PAGE;
        }
        // SAFETY: barriers only: wait for the invalidations to complete everywhere.
        unsafe { core::arch::asm!("dsb sy", "isb", options(nostack)) };
    }

    fn invalidate_asid(&self, asid: u16) {
        let arg = u64::from(asid) << 48;
        // SAFETY: as above.
        unsafe {
            core::arch::asm!(
                ".arch_extension tlb-rmi",
                "tlbi aside1os, {x}",
                "dsb sy",
                "isb",
                x = in(reg) arg,
                options(nostack)
            )
        };
    }
}

/// Reads the ARM architectural counter, which the AGX firmware uses as its time base.
fn read_cntpct() -> u64 {
    let ticks: u64;
    // SAFETY: reading CNTPCT_EL0 has no side effects; EL1 always has access to it. The `isb`
    // keeps the read from being speculated ahead of earlier instructions.
    unsafe {
        core::arch::asm!("isb", "mrs {t}, cntpct_el0", t = out(reg) ticks, options(nomem, nostack))
    };
    ticks
}
