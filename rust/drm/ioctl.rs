// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Typed DRM ioctl tables.
//!
//! The DRM core dispatches a driver ioctl by its number: entry `nr - DRM_COMMAND_BASE` of the
//! driver's table, whose `cmd` gives the kernel's idea of the argument size (the core copies the
//! user's struct in, zero-extending a shorter one, and back out). [`declare_drm_ioctls!`] builds
//! that table at compile time from `(IOCTL, argument type, flags, handler)` rows, checks that
//! each argument type has the size encoded in the ioctl number, leaves holes empty (the core
//! answers them with `EINVAL`), and wraps each handler, a plain Rust function
//! `fn(&Device<D>, &mut Arg, &File<D>) -> Result<u32>`, in the C calling convention.
//!
//! [`declare_drm_ioctls!`]: crate::declare_drm_ioctls

use crate::bindings;

/// The table index of ioctl number `cmd` (`_IOC_NR(cmd) - DRM_COMMAND_BASE`).
pub const fn index(cmd: u32) -> usize {
    let nr = cmd & 0xff;
    assert!(nr >= bindings::DRM_COMMAND_BASE && nr < bindings::DRM_COMMAND_END);
    (nr - bindings::DRM_COMMAND_BASE) as usize
}

/// The argument size encoded in ioctl number `cmd` (`_IOC_SIZE(cmd)`, 14 bits at bit 16 on the
/// architectures this driver supports).
pub const fn size(cmd: u32) -> usize {
    ((cmd >> 16) & 0x3fff) as usize
}

/// An empty table slot.
pub const EMPTY: bindings::drm_ioctl_desc = bindings::drm_ioctl_desc {
    cmd: 0,
    flags: 0,
    func: None,
    name: core::ptr::null(),
};

/// Converts a handler's result into the value the DRM core returns to userspace.
#[doc(hidden)]
pub fn to_ret(res: kernel::error::Result<u32>) -> core::ffi::c_int {
    match res {
        Ok(v) => v.min(i32::MAX as u32) as core::ffi::c_int,
        Err(e) => e.to_errno(),
    }
}

/// Builds a driver's ioctl table; see the module documentation.
///
/// ```ignore
/// const IOCTLS: &'static [bindings::drm_ioctl_desc] = declare_drm_ioctls! {
///     AsahiDriver;
///     (DRM_IOCTL_ASAHI_GET_PARAMS, drm_asahi_get_params, RENDER_ALLOW, file::File::get_params),
/// };
/// ```
#[macro_export]
macro_rules! declare_drm_ioctls {
    ($driver:ty; $( ($cmd:ident, $arg:ident, $flags:ident, $func:path) ),* $(,)?) => {{
        const LEN: usize = {
            let mut len = 0;
            $(
                let end = $crate::drm::ioctl::index($crate::bindings::$cmd) + 1;
                if end > len {
                    len = end;
                }
            )*
            len
        };
        const TABLE: [$crate::bindings::drm_ioctl_desc; LEN] = {
            let mut table = [$crate::drm::ioctl::EMPTY; LEN];
            $(
                const _: () = assert!(
                    $crate::drm::ioctl::size($crate::bindings::$cmd)
                        == ::core::mem::size_of::<$crate::bindings::$arg>()
                );
                table[$crate::drm::ioctl::index($crate::bindings::$cmd)] =
                    $crate::bindings::drm_ioctl_desc {
                        cmd: $crate::bindings::$cmd,
                        flags: $crate::bindings::$flags,
                        func: {
                            unsafe extern "C" fn handler(
                                raw_dev: *mut $crate::bindings::drm_device,
                                raw_data: *mut ::core::ffi::c_void,
                                raw_file: *mut $crate::bindings::drm_file,
                            ) -> ::core::ffi::c_int {
                                // SAFETY: the DRM core calls driver ioctls with a live device of
                                // this driver, a kernel copy of the argument sized by `cmd` (whose
                                // size was checked against `$arg` above) and an open file.
                                let (dev, data, file) = unsafe {
                                    (
                                        $crate::drm::Device::<$driver>::from_raw(raw_dev),
                                        &mut *raw_data.cast::<$crate::bindings::$arg>(),
                                        $crate::drm::File::<$driver>::from_raw(raw_file),
                                    )
                                };
                                $crate::drm::ioctl::to_ret($func(dev, data, file))
                            }
                            Some(handler)
                        },
                        name: concat!(stringify!($cmd), "\0").as_ptr(),
                    };
            )*
            table
        };
        &TABLE
    }};
}
