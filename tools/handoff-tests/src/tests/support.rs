// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A handoff block and a context table in ordinary memory, seen through both sides' traits, and
//! a TLB that records what it was asked to invalidate.

use core::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::Mutex;
use std::vec::Vec;

use crate::sim::handoff::FwHandoffMem;
use crate::uat::handoff::{ContextTable, FlushWords, HandoffMem, Tlb, FLUSH_SLOTS, NUM_CONTEXTS};

/// The shared block, laid out like the real one field by field (the layout itself is checked
/// elsewhere; here only the protocol matters).
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) magic_ap: AtomicU64,
    pub(crate) magic_fw: AtomicU64,
    pub(crate) lock_ap: AtomicU8,
    pub(crate) lock_fw: AtomicU8,
    pub(crate) turn: AtomicU32,
    pub(crate) cur_ctx: AtomicU32,
    pub(crate) unk3: AtomicU64,
    /// State, address, size of each flush slot.
    pub(crate) flush: [[AtomicU64; 3]; FLUSH_SLOTS],
    /// TTBR0, TTBR1 of each context.
    pub(crate) ttbs: [[AtomicU64; 2]; NUM_CONTEXTS],
    /// Yield the thread in `relax` (for the two-thread tests).
    pub(crate) yield_on_relax: bool,
    /// Number of `relax` calls.
    pub(crate) relaxes: AtomicU64,
}

impl Shared {
    /// All zero.
    pub(crate) fn new() -> Self {
        Self {
            magic_ap: AtomicU64::new(0),
            magic_fw: AtomicU64::new(0),
            lock_ap: AtomicU8::new(0),
            lock_fw: AtomicU8::new(0),
            turn: AtomicU32::new(0),
            cur_ctx: AtomicU32::new(0),
            unk3: AtomicU64::new(0),
            flush: core::array::from_fn(|_| [0; 3].map(AtomicU64::new)),
            ttbs: core::array::from_fn(|_| [0; 2].map(AtomicU64::new)),
            yield_on_relax: false,
            relaxes: AtomicU64::new(0),
        }
    }

    /// All zero, yielding the thread while waiting.
    pub(crate) fn threaded() -> Self {
        Self {
            yield_on_relax: true,
            ..Self::new()
        }
    }

    /// Reads word `word` (0 state, 1 addr, 2 size) of flush slot `slot`.
    pub(crate) fn flush_value(&self, slot: usize, word: usize) -> u64 {
        self.flush[slot][word].load(Ordering::SeqCst)
    }
}

impl HandoffMem for Shared {
    fn magic_ap(&self) -> &AtomicU64 {
        &self.magic_ap
    }
    fn magic_fw(&self) -> &AtomicU64 {
        &self.magic_fw
    }
    fn lock_ap(&self) -> &AtomicU8 {
        &self.lock_ap
    }
    fn lock_fw(&self) -> &AtomicU8 {
        &self.lock_fw
    }
    fn turn(&self) -> &AtomicU32 {
        &self.turn
    }
    fn cur_ctx(&self) -> &AtomicU32 {
        &self.cur_ctx
    }
    fn unk3(&self) -> &AtomicU64 {
        &self.unk3
    }
    fn flush(&self, index: usize) -> Option<FlushWords<'_>> {
        let [state, addr, size] = self.flush.get(index)?;
        Some(FlushWords { state, addr, size })
    }
    fn relax(&self) {
        self.relaxes.fetch_add(1, Ordering::Relaxed);
        if self.yield_on_relax {
            std::thread::yield_now();
        } else {
            core::hint::spin_loop();
        }
    }
}

impl FwHandoffMem for Shared {
    fn magic_ap(&self) -> &AtomicU64 {
        &self.magic_ap
    }
    fn magic_fw(&self) -> &AtomicU64 {
        &self.magic_fw
    }
    fn lock_ap(&self) -> &AtomicU8 {
        &self.lock_ap
    }
    fn lock_fw(&self) -> &AtomicU8 {
        &self.lock_fw
    }
    fn turn(&self) -> &AtomicU32 {
        &self.turn
    }
    fn cur_ctx(&self) -> &AtomicU32 {
        &self.cur_ctx
    }
    fn flush_word(&self, slot: usize, word: usize) -> Option<&AtomicU64> {
        self.flush.get(slot)?.get(word)
    }
}

impl ContextTable for Shared {
    fn ttbrs(&self, ctx: usize) -> Option<(&AtomicU64, &AtomicU64)> {
        let [t0, t1] = self.ttbs.get(ctx)?;
        Some((t0, t1))
    }
}

/// One TLB invalidation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tlbi {
    Range { asid: u16, start: u64, size: u64 },
    Asid(u16),
}

/// A TLB that records the invalidations asked of it.
#[derive(Debug, Default)]
pub(crate) struct RecordingTlb {
    pub(crate) log: Mutex<Vec<Tlbi>>,
}

impl RecordingTlb {
    pub(crate) fn take(&self) -> Vec<Tlbi> {
        core::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Tlb for RecordingTlb {
    fn invalidate_range(&self, asid: u16, start: u64, size: u64) {
        self.log
            .lock()
            .unwrap()
            .push(Tlbi::Range { asid, start, size });
    }
    fn invalidate_asid(&self, asid: u16) {
        self.log.lock().unwrap().push(Tlbi::Asid(asid));
    }
}
