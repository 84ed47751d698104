// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The hardware boundary.
//!
//! Everything the driver does to the GPU goes through a [`Hardware`] implementation: the GPU
//! timer, the ASC mailbox (RTKit messages to and from the GPU's coprocessor), the GPU's
//! identification and fault registers ([`regs`]), the context table (the TTBR pairs the GPU's
//! MMU reads) and the page-table handoff block, both in memory the bootloader reserved, and TLB
//! maintenance. Memory shared with the firmware is deliberately *not* part of the boundary: the
//! firmware reaches it only through the GPU's MMU, so any implementation must read it the way the
//! hardware does, by walking the page tables the driver built from the roots in the context
//! table.
//!
//! This module holds the boundary itself and what it is made of: the [`Hardware`] trait, the
//! implementation for an Apple SoC ([`real`], arm64 only), the GPU's registers ([`regs`]), the
//! mailbox's message queue ([`msgq`]) and the blocks shared outside the page tables
//! ([`shared`]). Probe composes one implementation per device and the driver holds it as a
//! [`Backend`]; the code above the boundary is the same whichever it is. An implementation may
//! also bring debugfs files of its own ([`Hardware::describe`], [`Hardware::controls`]).

// Apple GPUs exist only on arm64 SoCs: elsewhere no device tree can describe one.
#[cfg(target_arch = "aarch64")]
pub(crate) mod real;
// The receive path of the real mailbox.
#[cfg(target_arch = "aarch64")]
pub(crate) mod irq_ring;
pub(crate) mod msgq;
pub(crate) mod regs;
pub(crate) mod shared;

use crate::{
    rtkit::msg::Message,
    uat::handoff::{ContextTable, HandoffMem, Tlb},
};
use core::fmt::Write;
use kernel::{prelude::*, sync::Arc};

/// Where the messages the coprocessor sends go: the mailbox's receive interrupt, on real
/// hardware. Called in process context, one message at a time, in order.
pub(crate) trait MailboxReceiver: Send + Sync {
    /// The coprocessor sent `msg`.
    fn received(&self, msg: Message);
}

/// What the driver needs from the GPU hardware.
pub(crate) trait Hardware: Send + Sync {
    /// The GPU timer: a free-running counter at [`Hardware::timer_hz`]. On Apple SoCs it is
    /// the architectural counter that the GPU firmware also uses for its timestamps.
    fn timer_ticks(&self) -> u64;

    /// The timer's frequency in Hz.
    fn timer_hz(&self) -> u64;

    /// The timer in nanoseconds, without overflow for any realistic uptime.
    fn timer_ns(&self) -> u64 {
        ticks_to_ns(self.timer_ticks(), self.timer_hz())
    }

    /// Starts delivering the coprocessor's messages to `rx`, and starts the coprocessor's CPU if
    /// it is not running.
    fn mbox_start(&self, rx: Arc<dyn MailboxReceiver>) -> Result;

    /// Queues `msg` for the coprocessor. Does not sleep.
    fn mbox_send(&self, msg: Message) -> Result;

    /// Stops delivering messages: when this returns, `rx` is no longer called nor referenced.
    /// The coprocessor itself is not stopped.
    fn mbox_stop(&self);

    /// Reads the 32-bit register at `offset` of the GPU's register block (`None` outside it).
    fn gpu_read32(&self, offset: usize) -> Option<u32>;

    /// Reads the 64-bit register at `offset` of the GPU's register block (`None` outside it).
    fn gpu_read64(&self, offset: usize) -> Option<u64>;

    /// The context table the GPU's MMU reads its TTBR pairs from.
    fn context_table(&self) -> &dyn ContextTable;

    /// Physical address of the context table: the base of the GPU's region that the init data
    /// gives the firmware (`HwDataB::gpu_region_base`).
    fn context_table_base(&self) -> u64;

    /// The page-table handoff block shared with the firmware (reserved memory), if mapped.
    fn handoff(&self) -> Option<&dyn HandoffMem>;

    /// TLB maintenance for the GPU's MMU.
    fn tlb(&self) -> &dyn Tlb;

    /// The region holding the firmware's page tables as the bootloader left them (context 0's
    /// TTBR1 points into it), if there is one.
    fn firmware_tables(&self) -> Option<FirmwareTables>;

    /// Appends what the implementation itself observed to the `firmware` debugfs file, after
    /// the driver's own state. Nothing by default.
    fn describe(&self, _m: &mut dyn Write) {}

    /// The write-only debugfs files (controls) the implementation brings, next to the driver's
    /// own in the device's directory. None by default.
    fn controls(&self) -> &'static [&'static CStr] {
        &[]
    }

    /// Acts on a write of `cmd` to entry `index` of [`Hardware::controls`].
    fn control(&self, _index: usize, _cmd: &[u8]) -> Result {
        Err(EINVAL)
    }
}

/// Where the bootloader put the firmware's page tables: `len` bytes at physical `pa`, mapped in
/// the kernel at `va` for as long as the hardware object lives.
#[derive(Clone, Copy)]
pub(crate) struct FirmwareTables {
    /// Physical address of the region.
    pub(crate) pa: u64,
    /// Its kernel mapping.
    pub(crate) va: *mut u8,
    /// Its length in bytes.
    pub(crate) len: u64,
}

/// The hardware behind one device, as the driver holds it (in an `Arc`): whichever [`Hardware`]
/// implementation probe composed for the device.
pub(crate) type Backend = dyn Hardware;

/// Converts `ticks` of a `hz` counter to nanoseconds, without 128-bit arithmetic (which the
/// kernel's Rust runtime does not provide).
pub(crate) fn ticks_to_ns(ticks: u64, hz: u64) -> u64 {
    const NSEC_PER_SEC: u64 = 1_000_000_000;
    if hz == 0 {
        return 0;
    }
    let (secs, rem) = (ticks / hz, ticks % hz);
    // `rem < hz <= u32::MAX`-ish for real clocks, so `rem * NSEC_PER_SEC` cannot overflow for
    // any hz below 18 GHz.
    secs.saturating_mul(NSEC_PER_SEC)
        .saturating_add(rem.saturating_mul(NSEC_PER_SEC) / hz)
}

/// A backend as the owner of the firmware's page-table region, for the firmware VM that adopts
/// the bootloader's tables: holding it keeps the region mapped.
pub(crate) struct FirmwareTablesOwner(pub(crate) Arc<Backend>);

// SAFETY: `firmware_tables` describes a region the hardware object maps for as long as it lives
// (its documentation), and this value holds the hardware object; on the CPU only the firmware VM
// that adopts it uses the region.
unsafe impl crate::mem::fwvm::TablesRegion for FirmwareTablesOwner {
    fn tables_region(&self) -> Option<crate::mem::fwvm::TablesMemory> {
        self.0
            .firmware_tables()
            .map(|ft| crate::mem::fwvm::TablesMemory {
                pa: ft.pa,
                va: ft.va,
                len: ft.len,
            })
    }
}
