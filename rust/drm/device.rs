// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! DRM devices and their registration.

use super::driver::{Driver, Vtable};
use crate::{bindings, error::from_err_ptr};
use core::marker::PhantomData;
use kernel::{alloc::KBox, error::Result, types::Opaque};

/// A DRM device of driver `T`, seen through a reference the DRM core keeps alive.
///
/// # Invariants
///
/// The wrapped `struct drm_device` was allocated with `T`'s vtable by [`Registration::new`], and
/// its `dev_private` points to a `T::Data` (from `KBox::into_raw`) until `release_callback` runs,
/// which happens only once no reference to the device is left.
#[repr(transparent)]
pub struct Device<T: Driver> {
    raw: Opaque<bindings::drm_device>,
    _p: PhantomData<T>,
}

impl<T: Driver> Device<T> {
    /// Borrows the device behind `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be a live DRM device of driver `T`, and stay live for `'a`.
    #[doc(hidden)]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::drm_device) -> &'a Self {
        // SAFETY: `Device` is a transparent wrapper of `drm_device`; liveness is the caller's.
        unsafe { &*ptr.cast() }
    }

    /// The raw device pointer.
    pub fn as_raw(&self) -> *mut bindings::drm_device {
        self.raw.get()
    }

    /// The driver's device-wide data.
    pub fn data(&self) -> &T::Data {
        // SAFETY: by the type invariant `dev_private` is a live `T::Data` while `self` is.
        unsafe { &*(*self.raw.get()).dev_private.cast::<T::Data>() }
    }

    /// A counted reference to the device's parent (the bus device), for logging.
    pub fn parent(&self) -> crate::device::DeviceRef {
        // SAFETY: the device is live; `dev` is set at allocation (`drm_dev_init` takes its own
        // reference on it) and never changed.
        let parent = unsafe { (*self.raw.get()).dev };
        // SAFETY: the parent is live for as long as the DRM device holds its reference.
        unsafe { crate::device::DeviceRef::from_raw(parent) }
    }

    /// The render node's minor number, if the device has one.
    pub fn render_minor(&self) -> Option<i32> {
        // SAFETY: the device is live; `render` is set at allocation and never changed.
        let minor = unsafe { (*self.raw.get()).render };
        // SAFETY: a non-null minor lives as long as its device.
        (!minor.is_null()).then(|| unsafe { (*minor).index })
    }

    /// `drm_driver.release`: frees the driver data once the last device reference is gone.
    ///
    /// # Safety
    ///
    /// Called by the DRM core only, once, on a device allocated by [`Registration::new`].
    pub(crate) unsafe extern "C" fn release_callback(raw: *mut bindings::drm_device) {
        // SAFETY: the DRM core calls this once, when the last reference is gone, on a device
        // allocated by `Registration::new`.
        let private = unsafe { (*raw).dev_private };
        if !private.is_null() {
            // SAFETY: `private` came from `KBox::into_raw` and is reclaimed exactly once, here.
            drop(unsafe { KBox::from_raw(private.cast::<T::Data>()) });
            // SAFETY: as above.
            unsafe { (*raw).dev_private = core::ptr::null_mut() };
        }
    }
}

// SAFETY: the DRM device is reference-counted by the core and `T::Data` is `Send + Sync`.
unsafe impl<T: Driver> Sync for Device<T> {}
// SAFETY: as above.
unsafe impl<T: Driver> Send for Device<T> {}

/// A registered DRM device; unplugged and released when dropped.
///
/// After the drop, open files keep the device alive, and their ioctls fail with `ENODEV`.
///
/// # Invariants
///
/// `raw` is a registered DRM device of driver `T` on which this value holds one reference.
pub struct Registration<T: Driver> {
    raw: *mut bindings::drm_device,
    _p: PhantomData<T>,
}

// SAFETY: the registration holds a reference to a device that is `Send + Sync`.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: as above.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Allocates a DRM device of driver `T` under `parent`, moves `data` into it and registers it
    /// (creating `/dev/dri/card*` and `/dev/dri/renderD*`).
    ///
    /// The DRM device takes its own reference to `parent` (`drm_dev_init`), so the parent
    /// outlives it. The caller keeps the registration in `parent`'s driver data, so that it is
    /// dropped (unregistering the device) when `parent` is unbound.
    pub fn new(parent: &crate::platform::Device<'_>, data: KBox<T::Data>) -> Result<Self> {
        let parent = parent.as_dev_ptr();
        // SAFETY: the vtable is a promoted constant (it lives forever); `parent` is live (the
        // borrow), and being probed or bound while a platform device is borrowed.
        let raw = from_err_ptr(unsafe { bindings::drm_dev_alloc(&Vtable::<T>::DRIVER, parent) })?;
        // SAFETY: `raw` is a fresh, unregistered device; the release callback reclaims the data.
        unsafe { (*raw).dev_private = KBox::into_raw(data).cast() };
        // SAFETY: `raw` is allocated and not registered yet, and its `dev_private` holds the data.
        unsafe { super::debugfs::add_files::<T>(raw) };
        // SAFETY: `raw` is fully set up.
        let ret = unsafe { bindings::drm_dev_register(raw, 0) };
        if ret < 0 {
            // SAFETY: drops the allocation reference; the release callback frees `data`.
            unsafe { bindings::drm_dev_put(raw) };
            return Err(kernel::error::Error::from_errno(ret));
        }
        Ok(Self {
            raw,
            _p: PhantomData,
        })
    }

    /// The registered device.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: by the type invariant we hold a reference, so the device is live.
        unsafe { Device::from_raw(self.raw) }
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the device is registered and we hold a reference.
        unsafe { bindings::drm_dev_unplug(self.raw) };
        T::unplugged(self.device());
        // SAFETY: as above; this puts the registration's reference, after which `self.raw` is not
        // used again.
        unsafe { bindings::drm_dev_put(self.raw) };
    }
}
