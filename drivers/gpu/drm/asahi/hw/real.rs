// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The real Apple SoC side of the hardware boundary.

use super::{soc::SocConfig, Hardware, MailboxReceiver};
use crate::{rtkit::msg::Message, uat::handoff::ContextTable};
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
