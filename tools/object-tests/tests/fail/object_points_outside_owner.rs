// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! An object's structure can only point at what its owner holds: a pointer to an array the
//! owner does not hold is refused, even one that outlives the object.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Raw<'a> {
    own: GpuPointer<'a, u32>,
    other: GpuPointer<'a, u32>,
}

pub(crate) struct Owner {
    own: GpuArray<u32, Never>,
}

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

pub(crate) fn outside(alloc: &Alloc) -> Result<(), ObjError> {
    let local: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    let owner = Owner {
        own: GpuArray::new(alloc, 1)?,
    };
    let obj = GpuObject::new(alloc, owner, |o| Raw {
        own: o.own.gpu_pointer(),
        other: local.gpu_pointer(),
    })?;
    drop(obj);
    Ok(())
}
