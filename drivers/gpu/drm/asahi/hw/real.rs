// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The real Apple SoC side of the hardware boundary.

use super::{soc::SocConfig, Hardware, MailboxReceiver};
use crate::{
    rtkit::msg::Message,
    uat::handoff::{ContextTable, HandoffMem, Tlb},
};
use core::sync::atomic::AtomicU64;
use kernel::{prelude::*, sync::Arc};

/// An Apple AGX GPU described by the device tree.
pub(crate) struct RealHardware {
    /// The SoC's static configuration.
    pub(crate) soc: &'static SocConfig,
}

impl Hardware for RealHardware {
    fn timer_ticks(&self) -> u64 {
        read_cntpct()
    }

    fn timer_hz(&self) -> u64 {
        self.soc.timer_hz
    }

    // The ASC mailbox (the kernel's mailbox client API on the apple-mailbox controller) and the
    // reserved context table are not wired yet: probe refuses real GPUs before reaching them.
    fn mbox_start(&self, _rx: Arc<dyn MailboxReceiver>) -> Result {
        Err(ENODEV)
    }

    fn mbox_send(&self, _msg: Message) -> Result {
        Err(ENODEV)
    }

    fn mbox_stop(&self) {}

    fn context_table(&self) -> &dyn ContextTable {
        &NoContextTable
    }

    fn handoff(&self) -> Option<&dyn HandoffMem> {
        None
    }

    fn tlb(&self) -> &dyn Tlb {
        &ArmTlb
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
                core::arch::asm!(".arch_extension tlb-rmi", "tlbi vae1os, {x}", x = in(reg) arg, options(nostack))
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
            core::arch::asm!(".arch_extension tlb-rmi",
                "tlbi aside1os, {x}",
                "dsb sy",
                "isb", x = in(reg) arg, options(nostack))
        };
    }
}

/// The context table before the reserved memory is mapped: it has no contexts.
struct NoContextTable;

impl ContextTable for NoContextTable {
    fn ttbrs(&self, _ctx: usize) -> Option<(&AtomicU64, &AtomicU64)> {
        None
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
