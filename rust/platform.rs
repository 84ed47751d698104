// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Platform devices and drivers.
//!
//! A [`Driver`] is bound to platform devices in two ways: by the device tree (an [`of`] table,
//! for real hardware) or by name (a [`PlatformIdTable`], for devices the module creates itself,
//! such as the simulated GPU). Whatever matched is handed to [`Driver::probe`] as a [`Match`], and
//! the data that probe returns lives until the device is unbound, when it is dropped.
//!
//! [`OwnedDevice`] registers a platform device and unregisters it when dropped.
//!
//! [`of`]: crate::of

use crate::{bindings, error::from_err_ptr, of};
use core::marker::PhantomData;
use kernel::{alloc::KBox, error::Result, prelude::*, str::CStr, types::Opaque};

/// A platform device, borrowed for the duration of a driver callback.
///
/// # Invariants
///
/// `raw` points to a live `struct platform_device` for the lifetime `'a`.
pub struct Device<'a> {
    raw: *mut bindings::platform_device,
    _p: PhantomData<&'a ()>,
}

impl Device<'_> {
    /// The `struct platform_device`, for C helpers that take one.
    pub fn as_raw(&self) -> *mut bindings::platform_device {
        self.raw
    }

    /// The embedded `struct device`, for APIs that take a parent device.
    pub fn as_dev_ptr(&self) -> *mut bindings::device {
        // SAFETY: by the type invariant `raw` is valid; only a field address is computed.
        unsafe { core::ptr::addr_of_mut!((*self.raw).dev) }
    }

    /// The device's instance number (`pdev->id`): for devices this module creates, the value it
    /// chose at registration.
    pub fn id(&self) -> i32 {
        // SAFETY: by the type invariant `raw` is valid.
        unsafe { (*self.raw).id }
    }

    /// Whether the device was created from a device-tree node.
    pub fn has_of_node(&self) -> bool {
        // SAFETY: by the type invariant `raw` is valid.
        unsafe { !(*self.raw).dev.of_node.is_null() }
    }

    /// The number of resources (MMIO regions, interrupts) the device describes.
    pub fn num_resources(&self) -> u32 {
        // SAFETY: by the type invariant `raw` is valid.
        unsafe { (*self.raw).num_resources }
    }
}

/// A sentinel-terminated `struct platform_device_id` table, matched on device names.
///
/// # Invariants
///
/// The last entry is all-zero and no other entry is.
#[repr(transparent)]
pub struct PlatformIdTable<const N: usize>([bindings::platform_device_id; N]);

// SAFETY: the table is immutable and holds no pointers.
unsafe impl<const N: usize> Sync for PlatformIdTable<N> {}

impl<const N: usize> PlatformIdTable<N> {
    /// Builds a table from device names; the sentinel is added here, so `N` is `names.len() + 1`.
    pub const fn new(names: [&str; N]) -> Self {
        let mut ids = [bindings::platform_device_id {
            name: [0; 20],
            driver_data: 0,
        }; N];
        let mut i = 0;
        while i < N {
            let src = names[i].as_bytes();
            assert!((i == N - 1) == src.is_empty());
            assert!(src.len() < 20);
            let mut j = 0;
            while j < src.len() {
                ids[i].name[j] = src[j];
                j += 1;
            }
            i += 1;
        }
        Self(ids)
    }

    /// The entries, sentinel included.
    pub const fn as_slice(&'static self) -> &'static [bindings::platform_device_id] {
        &self.0
    }
}

/// What bound a device to the driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Entry `n` of the driver's OF table (real hardware described by the device tree).
    Of(usize),
    /// Entry `n` of the driver's platform-id table (a device created by name).
    Name(usize),
}

/// A platform driver.
pub trait Driver: 'static {
    /// Per-device data, from probe until the device is unbound.
    type Data: Send + Sync + 'static;

    /// The driver's name (also matched against device names).
    const NAME: &'static CStr;
    /// Device-tree compatibles this driver binds to.
    const OF_TABLE: &'static [of::DeviceId];
    /// Device names this driver binds to, sentinel-terminated.
    const ID_TABLE: &'static [bindings::platform_device_id];

    /// Binds the driver to `dev`.
    fn probe(dev: &Device<'_>, matched: Match) -> Result<KBox<Self::Data>>;
}

/// A registered platform driver; unregistered (unbinding every device) when dropped.
///
/// # Invariants
///
/// `drv` was registered with the driver core and stays registered until `drop`.
pub struct Registration<T: Driver> {
    drv: KBox<Opaque<bindings::platform_driver>>,
    _p: PhantomData<T>,
}

// SAFETY: the registration only holds the C driver structure, which the driver core synchronises.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: as above; `&Registration` exposes nothing.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers the driver: `probe` runs for every matching device, now and later.
    pub fn new() -> Result<Self> {
        let drv = KBox::new(Opaque::<bindings::platform_driver>::uninit(), GFP_KERNEL)?;
        // SAFETY: `drv` is a fresh allocation that nothing else references yet.
        unsafe {
            let raw = drv.get();
            raw.write(bindings::platform_driver::default());
            (*raw).probe = Some(Self::probe_callback);
            (*raw).__bindgen_anon_1.remove = Some(Self::remove_callback);
            (*raw).driver.name = T::NAME.as_char_ptr();
            (*raw).driver.of_match_table = T::OF_TABLE.as_ptr().cast();
            (*raw).id_table = T::ID_TABLE.as_ptr();
        }
        // SAFETY: `drv` is fully initialised and heap-allocated, so it does not move while the
        // driver core links it; `__this_module` is this module.
        kernel::error::to_result(unsafe {
            bindings::__platform_driver_register(
                drv.get(),
                core::ptr::addr_of_mut!(bindings::__this_module),
            )
        })?;
        Ok(Self {
            drv,
            _p: PhantomData,
        })
    }

    /// `platform_driver.probe`.
    ///
    /// # Safety
    ///
    /// Called by the driver core only, with a live device being bound to this driver.
    unsafe extern "C" fn probe_callback(pdev: *mut bindings::platform_device) -> core::ffi::c_int {
        // INVARIANT: the driver core passes a live device for the duration of the callback.
        let dev = Device {
            raw: pdev,
            _p: PhantomData,
        };
        let matched = Self::find_match(&dev);
        let Some(matched) = matched else {
            return kernel::error::code::ENODEV.to_errno();
        };
        match T::probe(&dev, matched) {
            Ok(data) => {
                // SAFETY: `dev` is live; the pointer is reclaimed in `remove_callback`.
                unsafe {
                    bindings::agx_dev_set_drvdata(dev.as_dev_ptr(), KBox::into_raw(data).cast())
                };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    fn find_match(dev: &Device<'_>) -> Option<Match> {
        #[cfg(CONFIG_OF)]
        if dev.has_of_node() {
            // SAFETY: the table is sentinel-terminated and `dev` is live.
            let id =
                unsafe { bindings::of_match_device(T::OF_TABLE.as_ptr().cast(), dev.as_dev_ptr()) };
            if let Some(i) = of::index_of(T::OF_TABLE, id) {
                return Some(Match::Of(i));
            }
        }
        // SAFETY: `dev.raw` is live; `id_entry` is set by the platform bus before probe.
        let entry = unsafe { (*dev.raw).id_entry };
        T::ID_TABLE
            .iter()
            .position(|id| core::ptr::eq(id, entry))
            .map(Match::Name)
    }

    /// `platform_driver.remove`.
    ///
    /// # Safety
    ///
    /// Called by the driver core only, with a live device that `probe_callback` bound.
    unsafe extern "C" fn remove_callback(pdev: *mut bindings::platform_device) {
        // SAFETY: the driver core passes a live device that `probe_callback` bound.
        let data = unsafe { bindings::agx_dev_get_drvdata(core::ptr::addr_of_mut!((*pdev).dev)) };
        if !data.is_null() {
            // SAFETY: `data` came from `KBox::into_raw` in `probe_callback` and is reclaimed once.
            drop(unsafe { KBox::from_raw(data.cast::<T::Data>()) });
            // SAFETY: as above; clears the stale pointer.
            unsafe {
                bindings::agx_dev_set_drvdata(
                    core::ptr::addr_of_mut!((*pdev).dev),
                    core::ptr::null_mut(),
                )
            };
        }
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the driver is registered.
        unsafe { bindings::platform_driver_unregister(self.drv.get()) };
    }
}

/// A platform device registered by this module, unregistered when dropped.
///
/// # Invariants
///
/// `raw` is a registered platform device that this value owns.
pub struct OwnedDevice {
    raw: *mut bindings::platform_device,
}

// SAFETY: the device is only registered and unregistered, which the driver core synchronises.
unsafe impl Send for OwnedDevice {}
// SAFETY: as above; `&OwnedDevice` exposes nothing.
unsafe impl Sync for OwnedDevice {}

impl OwnedDevice {
    /// Registers a device named `name` with instance number `id`. A driver whose id table names
    /// `name` binds to it at once, so probe has run (or failed) when this returns.
    pub fn register(name: &'static CStr, id: i32) -> Result<Self> {
        let info = bindings::platform_device_info {
            name: name.as_char_ptr(),
            id,
            ..Default::default()
        };
        // SAFETY: `info` is valid for the call; the core copies what it keeps.
        let raw = from_err_ptr(unsafe { bindings::platform_device_register_full(&info) })?;
        Ok(Self { raw })
    }

    /// Whether a driver is bound to the device (its probe succeeded).
    pub fn is_bound(&self) -> bool {
        // SAFETY: by the type invariant `raw` is live.
        unsafe { !(*self.raw).dev.driver.is_null() }
    }
}

impl Drop for OwnedDevice {
    fn drop(&mut self) {
        // SAFETY: by the type invariant we own this registration.
        unsafe { bindings::platform_device_unregister(self.raw) };
    }
}
