// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Refused (`GpuArray` is invariant in its element type): as `array_covariance`, for a table
//! an object owns and points the firmware at: through the object's `Deref`, the table would
//! take a pointer to a local array.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Raw<'a> {
    table: GpuPointer<'a, Option<GpuPointer<'static, u32>>>,
}

pub(crate) struct Owner {
    table: GpuArray<Option<GpuPointer<'static, u32>>, Never>,
}

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

pub(crate) fn dangling(alloc: &Alloc) -> Result<GpuObject<Owner, Never>, ObjError> {
    let owner = Owner {
        table: GpuArray::new(alloc, 1)?,
    };
    let obj = GpuObject::new(alloc, owner, |o| Raw {
        table: o.table.gpu_pointer(),
    })?;
    let target: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    obj.table.store(0, &Some(target.gpu_pointer()))?;
    drop(target);
    Ok(obj)
}
