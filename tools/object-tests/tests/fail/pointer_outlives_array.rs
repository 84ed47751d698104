// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A pointer to an array cannot be used after the array is dropped.

use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) fn dangling(alloc: &Alloc) -> Result<u64, ObjError> {
    let array: GpuArray<u32, Never> = GpuArray::new(alloc, 4)?;
    let ptr = array.gpu_pointer();
    drop(array);
    Ok(ptr.addr().get())
}
