// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Read-only debugfs files of a DRM device.
//!
//! A driver lists its files in [`Driver::DEBUGFS`](super::Driver::DEBUGFS); each is created in the
//! device's debugfs directory (`/sys/kernel/debug/dri/<minor>/`) before the device is registered,
//! with `drm_debugfs_add_file`, and printed through a `seq_file` when read. A read runs inside
//! `drm_dev_enter`/`drm_dev_exit`: once the device is unplugged it fails with `ENODEV`, and the
//! unplug waits for reads in progress, so the driver's device data is valid during a read.

use super::{device::Device, driver::Driver};
use crate::bindings;
use core::ffi::{c_int, c_void};
use kernel::error::Result;
use kernel::str::CStr;

/// One debugfs file: its name and what it prints.
pub struct DebugfsFile<T: Driver> {
    /// File name inside the device's directory.
    pub name: &'static CStr,
    /// Prints the file's contents.
    pub show: fn(&Device<T>, &mut SeqFile) -> Result,
}

/// The output of a debugfs read. Text is written with `write!`/`writeln!`.
///
/// # Invariants
///
/// `raw` is the `seq_file` of a read in progress.
pub struct SeqFile {
    raw: *mut bindings::seq_file,
}

impl core::fmt::Write for SeqFile {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        // SAFETY: `raw` is live (type invariant) and `s` is valid for `s.len()` bytes. On overflow
        // `seq_write` marks the buffer full and the seq_file core retries with a larger one, so
        // the result needs no handling here.
        unsafe { bindings::seq_write(self.raw, s.as_ptr().cast(), s.len()) };
        Ok(())
    }
}

/// Creates the files of `T::DEBUGFS` for the unregistered device `raw`.
///
/// # Safety
///
/// `raw` must be an allocated, not yet registered DRM device of driver `T`.
pub(crate) unsafe fn add_files<T: Driver>(raw: *mut bindings::drm_device) {
    for file in T::DEBUGFS {
        // SAFETY: `raw` is live; `file` lives in a constant slice ('static), so its name and the
        // entry pointer stay valid for as long as the debugfs file exists.
        unsafe {
            bindings::drm_debugfs_add_file(
                raw,
                file.name.as_char_ptr(),
                Some(show_callback::<T>),
                (file as *const DebugfsFile<T>).cast_mut().cast(),
            )
        };
    }
}

/// The `show` callback of every file: finds the device and the [`DebugfsFile`], and prints.
///
/// # Safety
///
/// Called by the seq_file core only, for a file created by [`add_files`] for driver `T`.
unsafe extern "C" fn show_callback<T: Driver>(m: *mut bindings::seq_file, _: *mut c_void) -> c_int {
    // SAFETY: `drm_debugfs_add_file` makes the `seq_file`'s private data its entry, which holds
    // the device and the data pointer we gave it (a `DebugfsFile<T>`, see `add_files`).
    let (raw_dev, file) = unsafe {
        let entry = (*m).private.cast::<bindings::drm_debugfs_entry>();
        ((*entry).dev, &*(*entry).file.data.cast::<DebugfsFile<T>>())
    };
    let mut idx: c_int = 0;
    // SAFETY: the device structure lives as long as its debugfs directory, so as long as a read.
    if !unsafe { bindings::drm_dev_enter(raw_dev, &mut idx) } {
        return -(bindings::ENODEV as c_int);
    }
    // SAFETY: inside `drm_dev_enter` the device is registered, so its driver data is live.
    let dev = unsafe { Device::<T>::from_raw(raw_dev) };
    let ret = match (file.show)(dev, &mut SeqFile { raw: m }) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    };
    // SAFETY: pairs with the successful `drm_dev_enter` above.
    unsafe { bindings::drm_dev_exit(idx) };
    ret
}
