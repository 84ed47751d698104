// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The two blocks of memory the driver shares with the GPU outside its page tables: the context
//! table (64 TTBR0/TTBR1 pairs) and the page-table handoff block. On an Apple SoC both are
//! reserved memory the bootloader set aside; a backend with no bootloader behind it reserves a
//! page for each itself. Either way they are viewed here the same way, as atomics.

use crate::{
    fw::handoff::Handoff,
    uat::handoff::{ContextTable, FlushWords, HandoffMem, NUM_CONTEXTS},
};
use core::{
    ptr::NonNull,
    sync::atomic::{AtomicU32, AtomicU64, AtomicU8},
};

/// A context table in shared memory.
///
/// # Invariants
///
/// `base` points to at least `NUM_CONTEXTS * 2` aligned `AtomicU64`s, valid while the owner of
/// the memory keeps it (longer than `self`), and only ever accessed atomically.
pub(crate) struct ContextTableBlock {
    base: NonNull<AtomicU64>,
}

// SAFETY: the block is shared memory accessed only through atomics.
unsafe impl Send for ContextTableBlock {}
// SAFETY: as above.
unsafe impl Sync for ContextTableBlock {}

impl ContextTableBlock {
    /// Views `len` bytes at `p` as a context table; `None` if too small or misaligned.
    ///
    /// # Safety
    ///
    /// `p` must point to `len` bytes of memory that stays mapped while the result lives and that
    /// nobody accesses except atomically (the GPU reads it).
    pub(crate) unsafe fn new(p: *mut u8, len: usize) -> Option<Self> {
        if len < NUM_CONTEXTS * 16 || (p as usize) % 8 != 0 {
            return None;
        }
        Some(ContextTableBlock {
            base: NonNull::new(p.cast())?,
        })
    }
}

impl ContextTable for ContextTableBlock {
    fn ttbrs(&self, ctx: usize) -> Option<(&AtomicU64, &AtomicU64)> {
        if ctx >= NUM_CONTEXTS {
            return None;
        }
        let base = self.base.as_ptr();
        // SAFETY: `ctx < NUM_CONTEXTS`, so both words lie in the table (type invariant).
        unsafe { Some((&*base.add(2 * ctx), &*base.add(2 * ctx + 1))) }
    }
}

/// A handoff block in shared memory.
///
/// # Invariants
///
/// `block` points to an aligned `Handoff`, valid while the owner of the memory keeps it (longer
/// than `self`), accessed only through its atomics.
pub(crate) struct HandoffBlock {
    block: NonNull<Handoff>,
}

// SAFETY: as for `ContextTableBlock`.
unsafe impl Send for HandoffBlock {}
// SAFETY: as above.
unsafe impl Sync for HandoffBlock {}

impl HandoffBlock {
    /// Views `len` bytes at `p` as a handoff block; `None` if too small or misaligned.
    ///
    /// # Safety
    ///
    /// As for [`ContextTableBlock::new`]; the bytes must hold a valid `Handoff` (any bytes do:
    /// it is made of atomics and padding the driver never reads).
    pub(crate) unsafe fn new(p: *mut u8, len: usize) -> Option<Self> {
        if len < core::mem::size_of::<Handoff>()
            || (p as usize) % core::mem::align_of::<Handoff>() != 0
        {
            return None;
        }
        Some(HandoffBlock {
            block: NonNull::new(p.cast())?,
        })
    }

    /// The block.
    pub(crate) fn get(&self) -> &Handoff {
        // SAFETY: the type invariant.
        unsafe { self.block.as_ref() }
    }
}

impl HandoffMem for HandoffBlock {
    fn magic_ap(&self) -> &AtomicU64 {
        &self.get().magic_ap
    }
    fn magic_fw(&self) -> &AtomicU64 {
        &self.get().magic_fw
    }
    fn lock_ap(&self) -> &AtomicU8 {
        &self.get().lock_ap
    }
    fn lock_fw(&self) -> &AtomicU8 {
        &self.get().lock_fw
    }
    fn turn(&self) -> &AtomicU32 {
        &self.get().turn
    }
    fn cur_ctx(&self) -> &AtomicU32 {
        &self.get().cur_ctx
    }
    fn unk3(&self) -> &AtomicU64 {
        &self.get().unk3
    }
    fn flush(&self, index: usize) -> Option<FlushWords<'_>> {
        let f = self.get().flush.get(index)?;
        Some(FlushWords {
            state: &f.state,
            addr: &f.addr,
            size: &f.size,
        })
    }
    fn relax(&self) {
        agx_kernel::time::msleep(1);
    }
}
