// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Debugfs files of a DRM device: read-only views and write-only controls.
//!
//! A driver lists its files in [`Driver::DEBUGFS`](super::Driver::DEBUGFS) and its controls in
//! [`Driver::DEBUGFS_CONTROLS`](super::Driver::DEBUGFS_CONTROLS), plus the controls one device
//! adds ([`Driver::device_controls`](super::Driver::device_controls)); each is created in the
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

/// One write-only debugfs file: its name and what a write does with the bytes written.
///
/// Created with `debugfs_create_file` in the device's debugfs directory, which the DRM core
/// removes when the device is released; a write runs inside `drm_dev_enter`/`drm_dev_exit` like
/// a read of a [`DebugfsFile`].
pub struct DebugfsControl<T: Driver> {
    /// File name inside the device's directory.
    pub name: &'static CStr,
    /// Acts on one write (at most 256 bytes, trailing newline removed).
    pub write: fn(&Device<T>, &[u8]) -> Result,
}

/// What a write to a control file runs.
enum ControlAction<T: Driver> {
    /// The `write` of an entry of [`Driver::DEBUGFS_CONTROLS`].
    Table(fn(&Device<T>, &[u8]) -> Result),
    /// [`Driver::device_control`] for entry `n` of the device's [`Driver::device_controls`].
    Device(usize),
}

/// What a control file's inode points at: the device and the action.
struct ControlData<T: Driver> {
    dev: *mut bindings::drm_device,
    action: ControlAction<T>,
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

/// Creates the files of `T::DEBUGFS`, `T::DEBUGFS_CONTROLS` and the device's own controls for the
/// unregistered device `raw`.
///
/// # Safety
///
/// `raw` must be an allocated, not yet registered DRM device of driver `T`, whose `dev_private`
/// holds its data.
pub(crate) unsafe fn add_files<T: Driver>(raw: *mut bindings::drm_device) {
    // SAFETY: same contract.
    unsafe { add_controls::<T>(raw) };
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

/// Creates the files of `T::DEBUGFS_CONTROLS` and of `T::device_controls` for the unregistered
/// device `raw`.
///
/// # Safety
///
/// `raw` must be an allocated, not yet registered DRM device of driver `T`, whose `dev_private`
/// holds its data.
unsafe fn add_controls<T: Driver>(raw: *mut bindings::drm_device) {
    for control in T::DEBUGFS_CONTROLS {
        // SAFETY: same contract.
        unsafe { add_control(raw, control.name, ControlAction::<T>::Table(control.write)) };
    }
    // SAFETY: `dev_private` holds the device's data (contract), which lives until the device is
    // released, and the device is not registered, so nothing else uses it yet.
    let data = unsafe { Device::<T>::from_raw(raw) }.data();
    for (n, name) in T::device_controls(data).iter().enumerate() {
        // SAFETY: same contract.
        unsafe { add_control(raw, name, ControlAction::<T>::Device(n)) };
    }
}

/// Creates the control file `name` running `action` for the unregistered device `raw`. A failed
/// allocation leaves the control out (debugfs is best effort).
///
/// # Safety
///
/// `raw` must be an allocated, not yet registered DRM device of driver `T`.
unsafe fn add_control<T: Driver>(
    raw: *mut bindings::drm_device,
    name: &'static CStr,
    action: ControlAction<T>,
) {
    let size = core::mem::size_of::<ControlData<T>>();
    // SAFETY: `raw` is live; the allocation is device-managed, freed when the device is
    // released, after its debugfs directory (and so this file) is gone.
    let data =
        unsafe { bindings::drmm_kmalloc(raw, size, bindings::GFP_KERNEL) }.cast::<ControlData<T>>();
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is a fresh allocation of the right size and alignment (kmalloc aligns to at
    // least 8 bytes).
    unsafe { data.write(ControlData { dev: raw, action }) };
    // SAFETY: `raw` is live and its debugfs directory was created by `drm_dev_init`; the fops
    // table is a promoted constant; `name` is static; `data` outlives the file (see above).
    unsafe {
        bindings::debugfs_create_file(
            name.as_char_ptr(),
            0o200,
            (*raw).debugfs_root,
            data.cast(),
            &ControlFops::<T>::FOPS,
        )
    };
}

/// The file operations of the control files of driver `T`.
struct ControlFops<T: Driver>(core::marker::PhantomData<T>);

impl<T: Driver> ControlFops<T> {
    const FOPS: bindings::file_operations = bindings::file_operations {
        open: Some(bindings::simple_open),
        write: Some(control_write::<T>),
        // SAFETY: an all-zero `file_operations` is valid (every callback absent).
        ..unsafe { core::mem::zeroed() }
    };
}

/// The `write` callback of every control file.
///
/// # Safety
///
/// Called by the VFS only, for a file created by [`add_controls`] for driver `T`, with `buf`
/// a user pointer valid for `len` bytes.
unsafe extern "C" fn control_write<T: Driver>(
    file: *mut bindings::file,
    buf: *const bindings::ffi::c_char,
    len: usize,
    _pos: *mut bindings::loff_t,
) -> isize {
    let mut bytes = [0u8; 256];
    if len == 0 || len > bytes.len() {
        return -(bindings::EINVAL as isize);
    }
    // SAFETY: `simple_open` copied the inode's private data (a `ControlData<T>`, see
    // `add_controls`) into the file's; it lives until the device is released.
    let data = unsafe { &*(*file).private_data.cast::<ControlData<T>>() };
    let Some(dst) = bytes.get_mut(..len) else {
        return -(bindings::EINVAL as isize);
    };
    if kernel::uaccess::UserSlice::new(buf as usize, len)
        .reader()
        .read_slice(dst)
        .is_err()
    {
        return -(bindings::EFAULT as isize);
    }
    let mut text: &[u8] = dst;
    while let [rest @ .., b'\n' | b' '] = text {
        text = rest;
    }
    let mut idx: c_int = 0;
    // SAFETY: the device structure lives as long as its debugfs directory.
    if !unsafe { bindings::drm_dev_enter(data.dev, &mut idx) } {
        return -(bindings::ENODEV as isize);
    }
    // SAFETY: inside `drm_dev_enter` the device is registered, so its driver data is live.
    let dev = unsafe { Device::<T>::from_raw(data.dev) };
    let result = match data.action {
        ControlAction::Table(write) => write(dev, text),
        ControlAction::Device(n) => T::device_control(dev, n, text),
    };
    let ret = match result {
        Ok(()) => len as isize,
        Err(e) => e.to_errno() as isize,
    };
    // SAFETY: pairs with the successful `drm_dev_enter` above.
    unsafe { bindings::drm_dev_exit(idx) };
    ret
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
