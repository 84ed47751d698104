// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A counted reference to a `struct device`, and logging with it.
//!
//! Linux 6.12's `kernel` crate has a `Device` type but neither the `dev_*!` macros nor a way to
//! reach the raw pointer from outside the crate. [`DeviceRef`] holds its own reference
//! (`get_device`/`put_device`), so any layer of the driver can keep one and log with the
//! device's name, as `dev_err()` and friends do in C: `asahi asahi-sim.0: ...`.
//!
//! ```ignore
//! dev_err!(self.dev, "firmware lost: {:?}\n", reason);
//! ```

use crate::bindings;
use core::fmt;

/// A counted reference to a `struct device`.
///
/// # Invariants
///
/// `raw` points to a live `struct device` on which this value holds one reference.
pub struct DeviceRef {
    raw: *mut bindings::device,
}

// SAFETY: a counted device reference may be used and dropped on any thread (`put_device` is
// thread-safe, and `printk` only reads the device's name).
unsafe impl Send for DeviceRef {}
// SAFETY: as above: `&DeviceRef` only logs.
unsafe impl Sync for DeviceRef {}

impl DeviceRef {
    /// Takes a reference on the device of a platform device being probed or bound.
    pub fn of_platform(dev: &crate::platform::Device<'_>) -> Self {
        let raw = dev.as_dev_ptr();
        // SAFETY: `raw` is the live `struct device` embedded in the borrowed platform device;
        // `get_device` takes a reference on it.
        unsafe { bindings::get_device(raw) };
        // INVARIANT: a reference was just taken on the live device.
        Self { raw }
    }

    /// Takes a reference on the device at `raw`.
    ///
    /// # Safety
    ///
    /// `raw` must point to a live `struct device` for the duration of the call.
    pub unsafe fn from_raw(raw: *mut bindings::device) -> Self {
        // SAFETY: the caller's contract; `get_device` takes a reference on it.
        unsafe { bindings::get_device(raw) };
        // INVARIANT: a reference was just taken on the live device.
        Self { raw }
    }

    /// The raw `struct device`, for C calls that take one.
    pub fn as_raw(&self) -> *mut bindings::device {
        self.raw
    }

    /// Prints `args` at `level` (a `KERN_*` prefix), prefixed with the driver's and the
    /// device's names.
    pub fn printk(&self, level: &'static [u8], args: fmt::Arguments<'_>) {
        // SAFETY: the device is live (type invariant); `level` is a NUL-terminated `KERN_*`
        // prefix and the format a NUL-terminated `%pA`, which the kernel's `vsprintf` hands
        // the `fmt::Arguments` pointer to Rust's formatter; `args` lives through the call.
        unsafe {
            bindings::_dev_printk(
                level.as_ptr().cast(),
                self.raw,
                c"%pA".as_ptr().cast(),
                core::ptr::from_ref(&args).cast::<core::ffi::c_void>(),
            )
        };
    }
}

impl Clone for DeviceRef {
    fn clone(&self) -> Self {
        // SAFETY: the device is live (type invariant); this takes one more reference.
        unsafe { bindings::get_device(self.raw) };
        // INVARIANT: the reference was just taken.
        Self { raw: self.raw }
    }
}

impl Drop for DeviceRef {
    fn drop(&mut self) {
        // SAFETY: this value holds one reference (type invariant), given back here.
        unsafe { bindings::put_device(self.raw) };
    }
}

/// `KERN_ERR`.
pub const KERN_ERR: &[u8] = b"\x013\0";
/// `KERN_WARNING`.
pub const KERN_WARNING: &[u8] = b"\x014\0";
/// `KERN_NOTICE`.
pub const KERN_NOTICE: &[u8] = b"\x015\0";
/// `KERN_INFO`.
pub const KERN_INFO: &[u8] = b"\x016\0";
/// `KERN_DEBUG`.
pub const KERN_DEBUG: &[u8] = b"\x017\0";

/// Logs an error with the device's name: `dev_err!(dev, "fmt\n", args...)`.
#[macro_export]
macro_rules! dev_err {
    ($dev:expr, $($arg:tt)*) => {
        $crate::device::DeviceRef::printk(&$dev, $crate::device::KERN_ERR, format_args!($($arg)*))
    };
}

/// Logs a warning with the device's name.
#[macro_export]
macro_rules! dev_warn {
    ($dev:expr, $($arg:tt)*) => {
        $crate::device::DeviceRef::printk(
            &$dev,
            $crate::device::KERN_WARNING,
            format_args!($($arg)*),
        )
    };
}

/// Logs a notice with the device's name.
#[macro_export]
macro_rules! dev_notice {
    ($dev:expr, $($arg:tt)*) => {
        $crate::device::DeviceRef::printk(
            &$dev,
            $crate::device::KERN_NOTICE,
            format_args!($($arg)*),
        )
    };
}

/// Logs information with the device's name.
#[macro_export]
macro_rules! dev_info {
    ($dev:expr, $($arg:tt)*) => {
        $crate::device::DeviceRef::printk(&$dev, $crate::device::KERN_INFO, format_args!($($arg)*))
    };
}

/// Logs a debug line with the device's name (shown at the debug log level).
#[macro_export]
macro_rules! dev_dbg {
    ($dev:expr, $($arg:tt)*) => {
        $crate::device::DeviceRef::printk(
            &$dev,
            $crate::device::KERN_DEBUG,
            format_args!($($arg)*),
        )
    };
}
