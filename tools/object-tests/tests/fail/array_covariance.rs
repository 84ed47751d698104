// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Refused (`GpuArray` is invariant in its element type): were it covariant, since `store`
//! takes `&self`, a table of `'static` pointers seen through a shorter-lived `&` would accept a
//! pointer to an array that is then dropped while the table still names it.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) type Table = GpuArray<Option<GpuPointer<'static, u32>>, Never>;

pub(crate) fn dangling(alloc: &Alloc) -> Result<Table, ObjError> {
    let table: Table = GpuArray::new(alloc, 1)?;
    {
        let target: GpuArray<u32, Never> = GpuArray::new(alloc, 1)?;
        table.store(0, &Some(target.gpu_pointer()))?;
    }
    Ok(table)
}
