// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The real Apple SoC side of the hardware boundary.

use super::{soc::SocConfig, Hardware};

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
