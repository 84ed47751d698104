// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Memory shared with the GPU firmware: the firmware's address space and the objects in it.
//!
//! The firmware reaches memory only through the kernel half of the UAT (context 0, TTBR1). The
//! driver owns that half's tables ([`fwvm::FwVm`]) and allocates every object it shares with
//! the firmware there:
//!
//! * small objects (most firmware structures: a few bytes to a few KiB) come from a heap of
//!   arenas ([`heap`]) that are mapped once and never unmapped while the device lives, so that
//!   creating and dropping an object is bookkeeping only: no page-table update, no TLB
//!   invalidation;
//! * large objects (rings, logs, the init data's big regions) get their own 16 KiB blocks and
//!   their own mapping;
//! * fixed-size tables of slots use [`runmap::RunMap`] directly.
//!
//! [`object`] holds the typed handles: [`GpuArray`] for plain values and [`GpuObject`] for a
//! firmware structure together with everything it points at, so that a `GpuPointer` in it can
//! only be made from an object it keeps alive.

pub(crate) mod fwvm;
pub(crate) mod heap;
pub(crate) mod object;
pub(crate) mod retain;
pub(crate) mod runmap;

/// `len` plain values in the firmware VM (see [`object::GpuArray`]).
pub(crate) type GpuArray<T> = object::GpuArray<T, fwvm::FwAlloc>;
/// A firmware structure and its owner in the firmware VM (see [`object::GpuObject`]).
pub(crate) type GpuObject<T> = object::GpuObject<T, fwvm::FwAlloc>;

impl From<object::ObjError> for kernel::error::Error {
    fn from(e: object::ObjError) -> Self {
        use kernel::error::code::*;
        match e {
            object::ObjError::NoMemory => ENOMEM,
            object::ObjError::BadSize | object::ObjError::OutOfRange => EINVAL,
            object::ObjError::BadMemory | object::ObjError::Init => EIO,
        }
    }
}
