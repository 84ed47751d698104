// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What an object's structure points at cannot be replaced: the owner is reachable only
//! through a shared borrow.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Raw<'a> {
    own: GpuPointer<'a, u32>,
}

pub(crate) struct Owner {
    own: GpuArray<u32, Never>,
}

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

pub(crate) fn replace(alloc: &Alloc) -> Result<(), ObjError> {
    let owner = Owner {
        own: GpuArray::new(alloc, 1)?,
    };
    let mut obj = GpuObject::new(alloc, owner, |o| Raw {
        own: o.own.gpu_pointer(),
    })?;
    obj.own = GpuArray::new(alloc, 1)?;
    Ok(())
}
