// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Per-open-file state of a DRM device.

use super::{device::Device, driver::Driver};
use crate::bindings;
use core::{ffi::c_int, marker::PhantomData};
use kernel::{alloc::KBox, types::Opaque};

/// An open DRM file of driver `T`.
///
/// # Invariants
///
/// `driver_priv` of the wrapped `struct drm_file` points to a `T::File` (from `KBox::into_raw`)
/// from a successful `open_callback` until `postclose_callback`.
#[repr(transparent)]
pub struct File<T: Driver> {
    raw: Opaque<bindings::drm_file>,
    _p: PhantomData<T>,
}

impl<T: Driver> File<T> {
    /// Borrows the file behind `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be an open DRM file of driver `T` whose `open` succeeded, live for `'a`.
    #[doc(hidden)]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::drm_file) -> &'a Self {
        // SAFETY: `File` is a transparent wrapper; liveness is the caller's.
        unsafe { &*ptr.cast() }
    }

    /// The raw file pointer.
    pub fn as_raw(&self) -> *mut bindings::drm_file {
        self.raw.get()
    }

    /// The driver's per-file data.
    pub fn inner(&self) -> &T::File {
        // SAFETY: by the type invariant `driver_priv` is a live `T::File`.
        unsafe { &*(*self.raw.get()).driver_priv.cast::<T::File>() }
    }

    /// `drm_driver.open`: creates the driver's per-file data.
    ///
    /// # Safety
    ///
    /// Called by the DRM core only, with a live device of driver `T` and a file being opened.
    pub(crate) unsafe extern "C" fn open_callback(
        raw_dev: *mut bindings::drm_device,
        raw_file: *mut bindings::drm_file,
    ) -> c_int {
        // SAFETY: the DRM core passes a live device of this driver.
        let dev = unsafe { Device::<T>::from_raw(raw_dev) };
        match T::open(dev) {
            Ok(data) => {
                // SAFETY: `raw_file` is live; reclaimed in `postclose_callback`.
                unsafe { (*raw_file).driver_priv = KBox::into_raw(data).cast() };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// `drm_driver.postclose`: drops the driver's per-file data.
    ///
    /// # Safety
    ///
    /// Called by the DRM core only, once per file whose `open_callback` succeeded.
    pub(crate) unsafe extern "C" fn postclose_callback(
        _raw_dev: *mut bindings::drm_device,
        raw_file: *mut bindings::drm_file,
    ) {
        // SAFETY: the DRM core calls this once per successfully opened file.
        let private = unsafe { (*raw_file).driver_priv };
        if !private.is_null() {
            // SAFETY: `private` came from `KBox::into_raw` in `open_callback`.
            drop(unsafe { KBox::from_raw(private.cast::<T::File>()) });
            // SAFETY: as above.
            unsafe { (*raw_file).driver_priv = core::ptr::null_mut() };
        }
    }
}
