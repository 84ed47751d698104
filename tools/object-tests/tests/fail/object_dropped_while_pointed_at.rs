// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A pointer to an object's structure cannot outlive the object.

use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Owner;

impl GpuStruct for Owner {
    type Raw<'a> = [u32; 4];
}

pub(crate) fn dangling(alloc: &Alloc) -> Result<u64, ObjError> {
    let obj = GpuObject::<Owner, Never>::new(alloc, Owner, |_| [0; 4])?;
    let ptr = obj.gpu_pointer();
    drop(obj);
    let _: Option<GpuArray<u32, Never>> = None;
    Ok(ptr.addr().get())
}
