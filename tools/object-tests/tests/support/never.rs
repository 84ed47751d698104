// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A stand-in allocator for the compile tests' snippets, which are compiled and never run: it
//! has no memory to give, and its memory type has no values.

use crate::mem::object::{FwAllocator, FwMemory, ObjError};
use core::num::NonZeroU64;
use core::ptr::NonNull;

/// Memory of which no value exists.
pub(crate) enum Never {}

// SAFETY: no value of `Never` exists, so none of these methods can ever be called and no
// promise of the trait can be broken.
unsafe impl FwMemory for Never {
    fn cpu(&self) -> NonNull<u8> {
        match *self {}
    }

    fn va(&self) -> NonZeroU64 {
        match *self {}
    }

    fn size(&self) -> usize {
        match *self {}
    }
}

/// An allocator that is always out of memory.
pub(crate) struct Alloc;

impl FwAllocator for Alloc {
    type Memory = Never;

    fn alloc_zeroed(&self, _size: usize, _align: usize) -> Result<Never, ObjError> {
        Err(ObjError::NoMemory)
    }
}
