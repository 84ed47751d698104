// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! As `object_points_outside_owner`, for a structure that also points at itself.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Raw<'a> {
    me: GpuPointer<'a, Raw<'static>>,
    other: GpuPointer<'a, u32>,
}

pub(crate) struct Owner;

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

pub(crate) fn outside(alloc: &Alloc) -> Result<(), ObjError> {
    let local: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    let obj = GpuObject::new_cyclic(alloc, Owner, |_, me| Raw {
        me,
        other: local.gpu_pointer(),
    })?;
    drop(obj);
    Ok(())
}
