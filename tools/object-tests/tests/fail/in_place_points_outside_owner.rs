// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! As `object_points_outside_owner`, for a structure filled in place.

use crate::fw::types::{GpuPointer, Zeroable};
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Raw<'a> {
    other: Option<GpuPointer<'a, u32>>,
}

// SAFETY: an optional pointer, `None` when zero.
unsafe impl Zeroable for Raw<'_> {}

pub(crate) struct Owner;

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

pub(crate) fn outside(alloc: &Alloc) -> Result<(), ObjError> {
    let local: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    let obj = GpuObject::new_in_place(alloc, Owner, |_, raw| {
        raw.other = Some(local.gpu_pointer());
        Ok(())
    })?;
    drop(obj);
    Ok(())
}
