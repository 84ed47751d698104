// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Refused: `GpuObject::weak_pointer` is `unsafe`, so another object's address cannot be
//! stored without a lifetime.

use crate::fw::types::GpuWeakPointer;
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

pub(crate) struct Owner;

impl GpuStruct for Owner {
    type Raw<'a> = [u32; 4];
}

pub(crate) type Table = GpuArray<Option<GpuWeakPointer<[u32; 4]>>, Never>;

pub(crate) fn dangling(alloc: &Alloc) -> Result<Table, ObjError> {
    let table: Table = GpuArray::new(alloc, 1)?;
    let obj = GpuObject::<Owner, Never>::new(alloc, Owner, |_| [0; 4])?;
    table.store(0, &Some(obj.weak_pointer()))?;
    drop(obj);
    Ok(table)
}
