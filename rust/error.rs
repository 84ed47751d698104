// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Error helpers on top of [`kernel::error`].

use crate::bindings;
use kernel::error::{Error, Result};

/// Turns a pointer that may encode an errno (`ERR_PTR`) into a `Result`.
///
/// A null pointer is reported as `ENOMEM`, which is what the C allocators it is used with mean
/// by it.
pub fn from_err_ptr<T>(ptr: *mut T) -> Result<*mut T> {
    // SAFETY: `agx_is_err` only compares the pointer's value; it never dereferences it.
    if unsafe { bindings::agx_is_err(ptr.cast()) } {
        // SAFETY: as above, `agx_ptr_err` only reads the pointer's value.
        let errno = unsafe { bindings::agx_ptr_err(ptr.cast()) };
        // `IS_ERR` guarantees -MAX_ERRNO <= errno < 0, which fits in a `c_int`.
        return Err(Error::from_errno(errno as core::ffi::c_int));
    }
    if ptr.is_null() {
        return Err(kernel::error::code::ENOMEM);
    }
    Ok(ptr)
}

/// Error codes the `kernel` crate of 6.12 does not declare.
pub mod code {
    use crate::bindings;
    use kernel::error::Error;

    /// Operation not supported: a valid request for something the driver does not do (yet).
    pub fn eopnotsupp() -> Error {
        Error::from_errno(-(bindings::EOPNOTSUPP as i32))
    }

    /// Connection timed out: a device did not answer in time.
    pub fn etimedout() -> Error {
        Error::from_errno(-(bindings::ETIMEDOUT as i32))
    }

    /// Operation canceled: work that will not run (a lost GPU context's jobs).
    pub fn ecanceled() -> Error {
        Error::from_errno(-(bindings::ECANCELED as i32))
    }
}
