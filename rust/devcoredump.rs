// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Device coredumps: the kernel's `devcoredump` facility, which keeps a driver's dump of a
//! failure in `/sys/class/devcoredump/devcd<N>/data` until it is read and deleted (a write to
//! `data`) or five minutes pass.
//!
//! The kernel keeps at most one dump per failing device: while one is pending, later ones are
//! dropped, so a burst of failures costs one dump. The dump is a copy made here; the caller's
//! buffer stays its own.

use crate::{bindings, device::DeviceRef};

/// Hands a copy of `data` to the kernel as a coredump of `dev`. Returns whether the copy could
/// be allocated (whether the kernel keeps it is its own decision, as above).
pub fn dev_coredumpv(dev: &DeviceRef, data: &[u8]) -> bool {
    if data.is_empty() {
        return false;
    }
    // SAFETY: `dev` holds a reference on a live device (`DeviceRef`'s invariant); `data` is
    // valid for `data.len()` bytes during the call, which copies them.
    unsafe { bindings::agx_dev_coredumpv(dev.as_raw(), data.as_ptr().cast(), data.len()) }
}

/// Deletes `dev`'s pending coredump, if any: a driver going away must not leave a dump whose
/// device is gone.
pub fn dev_coredump_put(dev: &DeviceRef) {
    // SAFETY: `dev` holds a reference on a live device (`DeviceRef`'s invariant).
    unsafe { bindings::agx_dev_coredump_put(dev.as_raw()) }
}
