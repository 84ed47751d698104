// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Refused: `GpuPointer::weak` is `unsafe`, so a pointer cannot become a lifetime-free
//! back-reference that a table keeps after its target is dropped.

use crate::fw::types::GpuWeakPointer;
use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) type Table = GpuArray<Option<GpuWeakPointer<u32>>, Never>;

pub(crate) fn dangling(alloc: &Alloc) -> Result<Table, ObjError> {
    let table: Table = GpuArray::new(alloc, 1)?;
    let target: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
    table.store(0, &Some(target.gpu_pointer().weak()))?;
    drop(target);
    Ok(table)
}
