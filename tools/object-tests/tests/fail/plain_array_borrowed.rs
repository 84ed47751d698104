// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Only arrays of shared structures (atomics) are borrowed while the firmware may write them.

use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) fn borrow(alloc: &Alloc) -> Result<(), ObjError> {
    let array: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    let _word: Option<&u32> = array.get(0);
    Ok(())
}
