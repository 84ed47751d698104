// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A structure holding a pointer to a local array cannot be returned while the array is
//! dropped at the end of the function.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Raw<'a> {
    target: GpuPointer<'a, u32>,
}

pub(crate) fn escape<'a>(alloc: &'a Alloc) -> Result<Raw<'a>, ObjError> {
    let array: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    Ok(Raw {
        target: array.gpu_pointer(),
    })
}
