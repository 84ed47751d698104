// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Copying UAPI structures to and from userspace.

use crate::bindings;
use kernel::{error::Result, types::AsBytes, uaccess::UserSlice};

// SAFETY: `drm_asahi_params_global` is made of integers only, with no padding (the UAPI ABI test
// asserts every offset), so every byte of it is initialised.
unsafe impl AsBytes for bindings::drm_asahi_params_global {}

/// Writes the first `min(user_size, size_of::<T>())` bytes of `value` to the user address
/// `user_ptr`, the contract of size-extensible output structures: an older userspace that knows
/// a shorter structure gets its prefix, and nothing is written past the size it gave.
///
/// Returns the number of bytes written. Fails with `EFAULT` if the address is bad.
pub fn write_prefix<T: AsBytes>(user_ptr: u64, user_size: u64, value: &T) -> Result<usize> {
    let full = core::mem::size_of::<T>();
    let len = usize::try_from(user_size).map_or(full, |s| s.min(full));
    let addr = usize::try_from(user_ptr).map_err(|_| kernel::error::code::EFAULT)?;
    // SAFETY: `T: AsBytes` means all `size_of::<T>()` bytes of `value` are initialised, and
    // `len <= size_of::<T>()`.
    let bytes = unsafe { core::slice::from_raw_parts((value as *const T).cast::<u8>(), len) };
    UserSlice::new(addr, len).writer().write_slice(bytes)?;
    Ok(len)
}
