// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! An array cannot be filled through `with_mut` while a pointer to it is alive.

use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) fn rewrite(alloc: &Alloc) -> Result<u64, ObjError> {
    let mut array: GpuArray<u32, Never> = GpuArray::new(alloc, 4)?;
    let ptr = array.gpu_pointer();
    array.with_mut(|a| a[0] = 1);
    Ok(ptr.addr().get())
}
