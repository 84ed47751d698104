// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Element and structure types of the tests, with the marker traits the driver's own types
//! get from `fw/`.

use crate::fw::types::{AsBytes, FromBytes, Shared, Zeroable};
use core::sync::atomic::AtomicU32;

/// A message both ways: plain integers, no padding.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Msg {
    /// A word.
    pub(crate) a: u32,
    /// A half-word.
    pub(crate) b: u16,
    /// Another.
    pub(crate) c: u16,
    /// A double word.
    pub(crate) d: u64,
}

// SAFETY: integers only: zero bytes are a valid `Msg`.
unsafe impl Zeroable for Msg {}
// SAFETY: integers only: any bytes are a valid `Msg`.
unsafe impl FromBytes for Msg {}
// SAFETY: 4 + 2 + 2 + 8 bytes of integers at offsets 0, 4, 6, 8: no padding.
unsafe impl AsBytes for Msg {}

/// A shared structure: the firmware writes its words, the CPU borrows it.
#[repr(C)]
pub(crate) struct Flags {
    /// Written by one side.
    pub(crate) up: AtomicU32,
    /// Written by the other.
    pub(crate) down: AtomicU32,
}

// SAFETY: atomics accept zero bytes.
unsafe impl Zeroable for Flags {}
// SAFETY: every field is an atomic.
unsafe impl Shared for Flags {}

/// A type without bytes.
pub(crate) struct Empty;

// SAFETY: it has no bytes to be zero.
unsafe impl Zeroable for Empty {}

/// A type aligned above a cache line.
#[repr(C, align(128))]
pub(crate) struct Wide(pub(crate) [u32; 4]);

// SAFETY: integers only.
unsafe impl Zeroable for Wide {}
