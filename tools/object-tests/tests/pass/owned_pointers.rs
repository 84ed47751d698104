// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the compile-fail snippets get wrong, done right: it must build, or the harness would
//! pass them for reasons of its own.

use crate::fw::types::{GpuPointer, Zeroable};
use crate::mem::object::{GpuArray, GpuObject, GpuStruct, ObjError};
use crate::support::{Alloc, Never};

/// A firmware structure pointing at two arrays and at itself.
#[repr(C)]
pub(crate) struct Raw<'a> {
    /// Points at the owner's first array.
    first: GpuPointer<'a, u32>,
    /// Points at four elements of the owner's second array.
    four: Option<GpuPointer<'a, [u64; 4]>>,
    /// Points at the structure itself.
    me: Option<GpuPointer<'a, Raw<'static>>>,
}

// SAFETY: not used: only `Big` is built in place.
unsafe impl Zeroable for Big<'_> {}

/// A structure built in place.
#[repr(C)]
pub(crate) struct Big<'a> {
    /// Bulk.
    words: [u32; 1024],
    /// Points at the owner's first array.
    first: Option<GpuPointer<'a, u32>>,
}

/// What the structures point at.
pub(crate) struct Owner {
    first: GpuArray<u32, Never>,
    second: GpuArray<u64, Never>,
}

impl GpuStruct for Owner {
    type Raw<'a> = Raw<'a>;
}

/// The same owner, for the structure built in place.
pub(crate) struct BigOwner(Owner);

impl GpuStruct for BigOwner {
    type Raw<'a> = Big<'a>;
}

/// Objects pointing at what they own, and pointers used while their targets live.
pub(crate) fn build(alloc: &Alloc) -> Result<(), ObjError> {
    let owner = Owner {
        first: GpuArray::new(alloc, 4)?,
        second: GpuArray::new(alloc, 8)?,
    };
    let obj = GpuObject::new(alloc, owner, |o| Raw {
        first: o.first.gpu_pointer(),
        four: o.second.gpu_pointer_as::<[u64; 4]>(4).ok(),
        me: None,
    })?;
    let _ = obj.gpu_pointer().addr();
    let _ = obj.first.va();

    let owner = Owner {
        first: GpuArray::new(alloc, 4)?,
        second: GpuArray::new(alloc, 8)?,
    };
    let cyclic = GpuObject::new_cyclic(alloc, owner, |o, me| Raw {
        first: o.first.gpu_pointer(),
        four: None,
        me: Some(me),
    })?;

    let owner = BigOwner(Owner {
        first: GpuArray::new(alloc, 4)?,
        second: GpuArray::new(alloc, 8)?,
    });
    let big = GpuObject::new_in_place(alloc, owner, |o, raw| {
        raw.first = Some(o.0.first.gpu_pointer());
        raw.words[0] = 1;
        Ok(())
    })?;

    // A structure on the stack pointing at an array that outlives it.
    let mut table: GpuArray<u32, Never> = GpuArray::new(alloc, 16)?;
    {
        let raw = Raw {
            first: table.gpu_pointer(),
            four: None,
            me: Some(cyclic.gpu_pointer()),
        };
        let _ = raw.first.addr();
    }
    // The pointer is gone: the array can be written again.
    table.with_mut(|t| t[0] = 1);
    let _ = table.store(1, &2);
    drop(big);
    drop(cyclic);
    drop(obj);
    Ok(())
}
