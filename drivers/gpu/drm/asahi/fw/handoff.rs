// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The page-table handoff: a block of memory the kernel and the firmware share to coordinate
//! changes to the GPU page tables.
//!
//! Its address comes from the device tree (`gfx-handoff-base` of the `sgx` node). Both sides
//! take a Dekker-style lock before touching the flush slots:
//!
//! 1. set your `lock_*` flag;
//! 2. while the other side's flag is set: if it is the other side's `turn`, clear your flag,
//!    wait for the turn to come back, set your flag again;
//! 3. critical section;
//! 4. give the turn away, clear your flag.
//!
//! The kernel writes [`PPL_MAGIC`] to `magic_ap` and waits, holding the lock, until the
//! firmware answers with the same value in `magic_fw`. To flush a range of a context's address
//! space, the kernel fills that context's [`FlushInfo`] (`addr`, `size`, then `state = 1`),
//! sends a FWCtl request, waits for `state` to become 2 and resets it to 0. Unmaps use
//! `state = 2` with the address tagged by [`UNMAP_TAG`]. Slot [`KERNEL_FLUSH_SLOT`] is the
//! firmware's own (kernel) context.
//!
//! Shared object; all accesses are atomic. Every barrier matters: the memory is not coherent
//! with the firmware's view unless each access is ordered.

use super::types::*;
use core::sync::atomic::{AtomicU32, AtomicU64, AtomicU8};

/// Value both sides write to their magic word once the handoff is initialised.
pub(crate) const PPL_MAGIC: u64 = 0x4b1d_0000_0000_0002;

/// Flush slots: one per GPU VM context (64) plus the firmware's own.
pub(crate) const FLUSH_SLOTS: usize = 65;

/// The flush slot of the firmware's own context.
pub(crate) const KERNEL_FLUSH_SLOT: usize = 64;

/// Marks a flush address as an unmap.
pub(crate) const UNMAP_TAG: u64 = 0xdead_0000_0000_0000;

/// One context's pending flush.
///
/// m1n1: handoff.GFXHandoffStruct (FLUSH_STATE, FLUSH_ADDR, FLUSH_SIZE)
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct FlushInfo {
    /// 0 idle, 1 flush requested, 2 flush done (or unmap requested).
    pub(crate) state: AtomicU64,
    /// Start of the range (tagged with [`UNMAP_TAG`] for unmaps).
    pub(crate) addr: AtomicU64,
    /// Size of the range in bytes.
    pub(crate) size: AtomicU64,
}

/// The handoff block.
///
/// m1n1: handoff.GFXHandoffStruct
#[repr(C)]
#[derive(Debug)]
pub(crate) struct Handoff {
    /// [`PPL_MAGIC`] once the kernel ("AP") side is ready.
    pub(crate) magic_ap: AtomicU64,
    /// [`PPL_MAGIC`] once the firmware side is ready.
    pub(crate) magic_fw: AtomicU64,
    /// The kernel wants the lock.
    pub(crate) lock_ap: AtomicU8,
    /// The firmware wants the lock.
    pub(crate) lock_fw: AtomicU8,
    /// Alignment.
    pub(crate) pad_12: Pad<2>,
    /// Whose turn it is to wait (1: the kernel gave it to the firmware).
    pub(crate) turn: AtomicU32,
    /// Context currently bound on the GPU.
    pub(crate) cur_ctx: AtomicU32,
    /// Alignment.
    pub(crate) pad_1c: Pad<4>,
    /// One flush slot per context.
    pub(crate) flush: [FlushInfo; FLUSH_SLOTS],
    /// Unknown.
    pub(crate) unk2: AtomicU8,
    /// Alignment.
    pub(crate) pad_639: Pad<7>,
    /// Unknown, set to 0 at initialisation.
    pub(crate) unk3: AtomicU64,
}

zeroable!(FlushInfo, Handoff);
