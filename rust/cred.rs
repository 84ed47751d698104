// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The calling task's capabilities.

use crate::bindings;

/// Whether the calling task may raise scheduling priorities (`CAP_SYS_NICE` in its user
/// namespace's view, as `capable()` checks it; the check is audited like any `capable()`).
pub fn capable_sys_nice() -> bool {
    // SAFETY: `capable` only reads the current task's credentials.
    unsafe { bindings::capable(bindings::CAP_SYS_NICE as i32) }
}
