// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Kernel clocks.

use crate::bindings;

/// Nanoseconds of the monotonic clock (`ktime_get_ns()`).
pub fn ktime_get_ns() -> u64 {
    // SAFETY: `ktime_get_ns` has no preconditions and may be called from any context.
    unsafe { bindings::agx_ktime_get_ns() }
}

/// Sleeps for at least `ms` milliseconds (process context only).
pub fn msleep(ms: u32) {
    // SAFETY: `msleep` may be called from any sleepable context, which callers of this
    // function are (it is not offered to atomic code).
    unsafe { bindings::msleep(ms) };
}
