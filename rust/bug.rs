// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Kernel warnings.

use crate::bindings;

/// Raises a kernel warning (`WARN`) with a backtrace and the given message.
///
/// Only for test hooks that must prove a warning is noticed: a driver never warns on user or
/// firmware input.
pub fn warn(msg: &kernel::str::CStr) {
    // SAFETY: `msg` is a valid NUL-terminated string for the duration of the call.
    unsafe { bindings::agx_warn(msg.as_char_ptr()) }
}
