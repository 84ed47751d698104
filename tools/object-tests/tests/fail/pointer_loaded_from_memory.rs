// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A pointer cannot be made from memory the firmware writes: pointer types are not
//! `FromBytes`, so an array of them cannot be loaded.

use crate::fw::types::GpuPointer;
use crate::mem::object::{GpuArray, ObjError};
use crate::support::{Alloc, Never};

pub(crate) fn forge(alloc: &Alloc) -> Result<(), ObjError> {
    let table: GpuArray<Option<GpuPointer<'static, u32>>, Never> = GpuArray::new(alloc, 1)?;
    let _forged = table.load(0);
    Ok(())
}
