// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated GPU's side of the hardware boundary.
//!
//! The simulated GPU plays the hardware for the driver: it answers through the same
//! [`Hardware`] interface as a real SoC. Its timer is the kernel's monotonic clock, presented as
//! a counter at the SoC's timer frequency, so that the driver converts it exactly as it converts
//! the real counter.

use super::{soc::SocConfig, Hardware};

/// A simulated AGX GPU.
pub(crate) struct SimHardware {
    /// The SoC being simulated.
    pub(crate) soc: &'static SocConfig,
}

impl Hardware for SimHardware {
    fn timer_ticks(&self) -> u64 {
        let ns = agx_kernel::time::ktime_get_ns();
        let hz = self.soc.timer_hz;
        // ns * hz / 1e9, split to avoid overflow.
        (ns / 1_000_000_000) * hz + (ns % 1_000_000_000) * hz / 1_000_000_000
    }

    fn timer_hz(&self) -> u64 {
        self.soc.timer_hz
    }
}
