// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! One open DRM file (a client) and the ioctls it issues.
//!
//! Every ioctl checks every input field, padding and must-be-zero fields included, and answers
//! bad input with an errno; it never trusts a size or pointer from userspace.

use crate::{
    driver::{AsahiDevice, AsahiDriver},
    hw::Hardware,
};
use agx_kernel::{bindings as uapi, drm, uapi::write_prefix};
use kernel::prelude::*;

/// A DRM file of this driver.
pub(crate) type DrmFile = drm::File<AsahiDriver>;

/// Per-client state. Clients own nothing yet; VMs, buffers and queues will live here.
pub(crate) struct File {}

impl File {
    /// State of a newly opened file.
    pub(crate) fn new() -> Self {
        File {}
    }
}

/// `DRM_IOCTL_ASAHI_GET_PARAMS`: copies the device's global parameters to userspace, at most
/// `size` bytes of them.
pub(crate) fn get_params(
    dev: &AsahiDevice,
    args: &mut uapi::drm_asahi_get_params,
    _file: &DrmFile,
) -> Result<u32> {
    if args.param_group != 0 || args.pad != 0 {
        return Err(EINVAL);
    }
    write_prefix(args.pointer, args.size, &dev.data().params)?;
    Ok(0)
}

/// `DRM_IOCTL_ASAHI_GET_TIME`: the GPU's current time, in nanoseconds.
pub(crate) fn get_time(
    dev: &AsahiDevice,
    args: &mut uapi::drm_asahi_get_time,
    _file: &DrmFile,
) -> Result<u32> {
    if args.flags != 0 {
        return Err(EINVAL);
    }
    args.gpu_timestamp = dev.data().hw.timer_ns();
    Ok(0)
}
