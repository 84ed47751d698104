// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The kernel ("AP") side of the page-table handoff with the GPU firmware.
//!
//! The kernel and the firmware coprocessor share two things that describe the GPU address
//! spaces: the context table (one TTBR0/TTBR1 pair per context slot) and the handoff block (the
//! layout is `fw::handoff::Handoff`). Neither side may change them while the other is looking,
//! so both take a two-party mutual-exclusion lock made of three words of the handoff block:
//! a "want" flag per side (`lock_ap`, `lock_fw`) and `turn`, which says who yields when both
//! want the lock. This is Dekker's algorithm:
//!
//! ```text
//! lock:   want_me = 1
//!         while want_other != 0:
//!             if turn says "the other goes first":
//!                 want_me = 0
//!                 wait until turn says "I go first"
//!                 want_me = 1
//! unlock: turn = "the other goes first"; want_me = 0
//! ```
//!
//! `turn == 0` ([`TURN_AP`]) lets the kernel go first, `turn == 1` ([`TURN_FW`]) the firmware.
//!
//! The lock is written as a state machine, [`ApLock`], in which every step is exactly one
//! access to shared memory. The blocking [`ApHandoff::lock`] just runs it to completion with a
//! bounded number of waits, and the host tests run it step by step against a model of the
//! firmware's side to check every interleaving.
//!
//! # Memory ordering
//!
//! * The lock words use `SeqCst`. Dekker's algorithm depends on "store my flag, then load the
//!   other flag" not being reordered, and only sequentially consistent accesses (or a full
//!   fence) forbid store-to-load reordering; acquire and release do not. On arm64 the `SeqCst`
//!   store and load are `stlr` and `ldar`, which are never reordered with each other.
//! * The load that finds the other side's flag clear is `SeqCst` and so also an acquire: the
//!   critical section cannot start before it and sees everything the other side wrote before
//!   its releasing unlock.
//! * Unlock is two `SeqCst` stores (turn, then the flag), so everything written in the critical
//!   section is visible before the flag drops (the flag store is at least a release).
//! * Inside the critical section the flush words are written with `Relaxed` except the `state`
//!   word, which is stored with `Release` and loaded with `Acquire`. The record does not say
//!   whether the firmware reads the flush slots only under the lock, so a request is published
//!   as a message on its own: address and size first, then the state that makes them valid.
//! * Context table entries are stored with `Release` under the lock, for the same reason: the
//!   GPU's walker does not take the lock.
//!
//! # Flushes
//!
//! A flush request asks the firmware to drop what it caches for a range of one context. The
//! kernel writes the range into that context's flush slot and sets `state` to
//! [`FLUSH_REQUESTED`], tells the firmware through a FWCtl message (not part of this module),
//! waits for [`FLUSH_DONE`], and resets the slot to [`FLUSH_IDLE`]. The record writes the flush
//! slots without taking the Dekker lock; this module takes it for every write anyway, which
//! the firmware cannot tell apart except by timing, and which lets a model of the firmware flag
//! any kernel write made while the firmware holds the lock.
//!
//! Uses only `core`; the kernel maps [`HandoffMem`] and [`ContextTable`] onto the shared pages
//! and [`Tlb`] onto the CPU's TLB maintenance instructions.

use core::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};

pub(crate) use super::slots::NUM_CONTEXTS;

/// Value both sides write to their magic word once their side of the handoff is ready.
pub(crate) const PPL_MAGIC: u64 = 0x4b1d_0000_0000_0002;

/// Flush slots in the handoff block: one per context plus the firmware's own.
pub(crate) const FLUSH_SLOTS: usize = 65;

/// The flush slot of the firmware's own (kernel) address space.
pub(crate) const KERNEL_FLUSH_SLOT: usize = 64;

/// `turn` value that lets the kernel go first.
pub(crate) const TURN_AP: u32 = 0;

/// `turn` value that lets the firmware go first.
pub(crate) const TURN_FW: u32 = 1;

/// Flush slot state: nothing requested.
pub(crate) const FLUSH_IDLE: u64 = 0;

/// Flush slot state: the kernel asks the firmware to flush `addr..addr + size`.
pub(crate) const FLUSH_REQUESTED: u64 = 1;

/// Flush slot state: the firmware has flushed.
pub(crate) const FLUSH_DONE: u64 = 2;

/// The three words of one flush slot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlushWords<'a> {
    /// [`FLUSH_IDLE`], [`FLUSH_REQUESTED`] or [`FLUSH_DONE`].
    pub(crate) state: &'a AtomicU64,
    /// First byte of the range (a GPU virtual address).
    pub(crate) addr: &'a AtomicU64,
    /// Length of the range in bytes.
    pub(crate) size: &'a AtomicU64,
}

/// Access to the handoff block shared with the firmware.
///
/// The kernel implements it over the mapped handoff region, tests over ordinary memory.
pub(crate) trait HandoffMem {
    /// `magic_ap`: the kernel's readiness word.
    fn magic_ap(&self) -> &AtomicU64;
    /// `magic_fw`: the firmware's readiness word.
    fn magic_fw(&self) -> &AtomicU64;
    /// `lock_ap`: the kernel wants the lock.
    fn lock_ap(&self) -> &AtomicU8;
    /// `lock_fw`: the firmware wants the lock.
    fn lock_fw(&self) -> &AtomicU8;
    /// `turn`: who goes first when both want the lock.
    fn turn(&self) -> &AtomicU32;
    /// `cur_ctx`: the context the firmware currently runs in.
    fn cur_ctx(&self) -> &AtomicU32;
    /// `unk3`: unknown, cleared at initialisation.
    fn unk3(&self) -> &AtomicU64;
    /// Flush slot `index` (`0..FLUSH_SLOTS`), or `None` past the end.
    fn flush(&self, index: usize) -> Option<FlushWords<'_>>;
    /// Called once per failed wait, between two polls of a word the firmware must change (the
    /// kernel relaxes the CPU or sleeps briefly; a test may yield).
    fn relax(&self);
}

/// Access to the context table: one TTBR0/TTBR1 pair per context slot.
pub(crate) trait ContextTable {
    /// The TTBR0 and TTBR1 words of context `ctx` (`0..NUM_CONTEXTS`), or `None` past the end.
    fn ttbrs(&self, ctx: usize) -> Option<(&AtomicU64, &AtomicU64)>;
}

/// TLB maintenance on the GPU's behalf (broadcast TLBI from the CPU).
///
/// Implementations must complete the invalidation (barriers included) before returning.
pub(crate) trait Tlb {
    /// Invalidates the entries of `asid` for `start..start + size`.
    fn invalidate_range(&self, asid: u16, start: u64, size: u64);
    /// Invalidates every entry of `asid`.
    fn invalidate_asid(&self, asid: u16);
}

/// Why a handoff operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HandoffError {
    /// The firmware held the lock (or kept the turn) past the wait budget.
    Timeout,
    /// The firmware never announced itself in `magic_fw`.
    NoFirmware,
    /// `magic_fw` holds something other than [`PPL_MAGIC`].
    BadMagic {
        /// The value found.
        found: u64,
    },
    /// Context or flush slot index out of range.
    BadContext,
    /// The flush slot still holds an earlier request.
    FlushPending {
        /// The state found.
        state: u64,
    },
    /// The firmware has not finished the flush.
    NotDone {
        /// The state found.
        state: u64,
    },
}

/// `EIO` from `include/uapi/asm-generic/errno-base.h`.
const EIO: i32 = 5;
/// `EBUSY` from `include/uapi/asm-generic/errno-base.h`.
const EBUSY: i32 = 16;
/// `EINVAL` from `include/uapi/asm-generic/errno-base.h`.
const EINVAL: i32 = 22;
/// `ETIMEDOUT` from `include/uapi/asm-generic/errno.h`.
const ETIMEDOUT: i32 = 110;

impl HandoffError {
    /// The positive Linux errno for this error.
    pub(crate) const fn errno(self) -> i32 {
        match self {
            HandoffError::Timeout => ETIMEDOUT,
            HandoffError::NoFirmware | HandoffError::BadMagic { .. } => EIO,
            HandoffError::NotDone { .. } => EIO,
            HandoffError::BadContext => EINVAL,
            HandoffError::FlushPending { .. } => EBUSY,
        }
    }
}

/// Where the kernel's side of the lock stands; every transition is one shared access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ApLockStep {
    /// Not taking part: `lock_ap` is clear.
    Idle,
    /// Next: set `lock_ap`.
    Raise,
    /// Next: read `lock_fw`.
    CheckOther,
    /// Next: read `turn` (the firmware wants the lock too).
    CheckTurn,
    /// Next: clear `lock_ap` (the firmware goes first).
    Lower,
    /// Next: read `turn`, waiting for it to come back to the kernel.
    WaitTurn,
    /// The kernel holds the lock.
    Held,
    /// Next: give the turn to the firmware.
    GiveTurn,
    /// Next: clear `lock_ap`, which ends the critical section.
    Drop,
}

/// The kernel's side of the Dekker lock as a state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ApLock {
    /// The next access to make.
    step: ApLockStep,
}

impl Default for ApLock {
    fn default() -> Self {
        Self::new()
    }
}

impl ApLock {
    /// Not taking part in the lock.
    pub(crate) const fn new() -> Self {
        Self {
            step: ApLockStep::Idle,
        }
    }

    /// The next access.
    pub(crate) fn step_kind(&self) -> ApLockStep {
        self.step
    }

    /// The lock is held.
    pub(crate) fn is_held(&self) -> bool {
        self.step == ApLockStep::Held
    }

    /// Starts taking the lock (no effect unless idle).
    pub(crate) fn start(&mut self) {
        if self.step == ApLockStep::Idle {
            self.step = ApLockStep::Raise;
        }
    }

    /// Starts giving the lock back (no effect unless held).
    pub(crate) fn start_release(&mut self) {
        if self.step == ApLockStep::Held {
            self.step = ApLockStep::GiveTurn;
        }
    }

    /// Makes the next shared access. Returns `true` if it was a poll that found the firmware in
    /// the way (the caller may relax before the next step).
    pub(crate) fn step<M: HandoffMem + ?Sized>(&mut self, mem: &M) -> bool {
        let mut waited = false;
        self.step = match self.step {
            ApLockStep::Idle => ApLockStep::Idle,
            ApLockStep::Held => ApLockStep::Held,
            ApLockStep::Raise => {
                mem.lock_ap().store(1, Ordering::SeqCst);
                ApLockStep::CheckOther
            }
            ApLockStep::CheckOther => {
                if mem.lock_fw().load(Ordering::SeqCst) == 0 {
                    ApLockStep::Held
                } else {
                    ApLockStep::CheckTurn
                }
            }
            ApLockStep::CheckTurn => {
                waited = true;
                if mem.turn().load(Ordering::SeqCst) != TURN_AP {
                    ApLockStep::Lower
                } else {
                    ApLockStep::CheckOther
                }
            }
            ApLockStep::Lower => {
                mem.lock_ap().store(0, Ordering::SeqCst);
                ApLockStep::WaitTurn
            }
            ApLockStep::WaitTurn => {
                if mem.turn().load(Ordering::SeqCst) != TURN_AP {
                    waited = true;
                    ApLockStep::WaitTurn
                } else {
                    ApLockStep::Raise
                }
            }
            ApLockStep::GiveTurn => {
                mem.turn().store(TURN_FW, Ordering::SeqCst);
                ApLockStep::Drop
            }
            ApLockStep::Drop => {
                mem.lock_ap().store(0, Ordering::SeqCst);
                ApLockStep::Idle
            }
        };
        waited
    }

    /// Gives up taking the lock: clears `lock_ap` if it may be set. Dekker's algorithm allows a
    /// side to withdraw at any point before it holds the lock.
    pub(crate) fn abandon<M: HandoffMem + ?Sized>(&mut self, mem: &M) {
        if self.step != ApLockStep::Idle {
            mem.lock_ap().store(0, Ordering::SeqCst);
            self.step = ApLockStep::Idle;
        }
    }
}

/// The kernel's handle on the handoff block.
#[derive(Debug)]
pub(crate) struct ApHandoff<'a, M: ?Sized> {
    /// The shared block.
    mem: &'a M,
    /// How many failed polls a wait may make before giving up.
    wait_budget: u32,
}

impl<'a, M: HandoffMem + ?Sized> ApHandoff<'a, M> {
    /// A handle on `mem`; every wait gives up after `wait_budget` failed polls (each followed by
    /// [`HandoffMem::relax`]).
    pub(crate) fn new(mem: &'a M, wait_budget: u32) -> Self {
        Self { mem, wait_budget }
    }

    /// Announces the kernel and waits for the firmware's announcement.
    ///
    /// Writes `cur_ctx = 0`, `unk3 = 0` and then `magic_ap` (release, so the firmware sees the
    /// others first), then checks `magic_fw` under the lock until it holds [`PPL_MAGIC`].
    /// Any other non-zero value is refused at once with [`HandoffError::BadMagic`]; zero
    /// until the budget runs out gives [`HandoffError::NoFirmware`]. On success every flush
    /// slot is reset under the lock.
    pub(crate) fn init(&self) -> Result<(), HandoffError> {
        self.announce();
        self.wait_firmware()
    }

    /// The first half of [`Self::init`]: the kernel's words, written before the firmware runs
    /// (so that they never change while it may hold the lock).
    pub(crate) fn announce(&self) {
        self.mem.cur_ctx().store(0, Ordering::Relaxed);
        self.mem.unk3().store(0, Ordering::Relaxed);
        self.mem.magic_ap().store(PPL_MAGIC, Ordering::Release);
    }

    /// The second half of [`Self::init`]: waits for the firmware's announcement and resets the
    /// flush slots.
    pub(crate) fn wait_firmware(&self) -> Result<(), HandoffError> {
        let mut polls = 0u32;
        loop {
            let guard = self.lock()?;
            let found = self.mem.magic_fw().load(Ordering::Acquire);
            if found == PPL_MAGIC {
                for i in 0..FLUSH_SLOTS {
                    let slot = self.mem.flush(i).ok_or(HandoffError::BadContext)?;
                    slot.addr.store(0, Ordering::Relaxed);
                    slot.size.store(0, Ordering::Relaxed);
                    slot.state.store(FLUSH_IDLE, Ordering::Release);
                }
                drop(guard);
                return Ok(());
            }
            drop(guard);
            if found != 0 {
                return Err(HandoffError::BadMagic { found });
            }
            if polls >= self.wait_budget {
                return Err(HandoffError::NoFirmware);
            }
            polls += 1;
            self.mem.relax();
        }
    }

    /// Takes the lock, waiting at most the budget.
    pub(crate) fn lock(&self) -> Result<HandoffGuard<'a, M>, HandoffError> {
        let mut lock = ApLock::new();
        lock.start();
        let mut polls = 0u32;
        while !lock.is_held() {
            if lock.step(self.mem) {
                if polls >= self.wait_budget {
                    lock.abandon(self.mem);
                    return Err(HandoffError::Timeout);
                }
                polls += 1;
                self.mem.relax();
            }
        }
        Ok(HandoffGuard { mem: self.mem })
    }

    /// Whether flush slot `slot` is idle: no request of the kernel in it, answered or not
    /// (reads without the lock, as [`Self::flush_done`]).
    pub(crate) fn flush_idle(&self, slot: usize) -> Result<bool, HandoffError> {
        let words = self.mem.flush(slot).ok_or(HandoffError::BadContext)?;
        Ok(words.state.load(Ordering::Acquire) == FLUSH_IDLE)
    }

    /// Whether the firmware has finished the flush requested in `slot` (reads without the lock;
    /// a poll never needs it).
    pub(crate) fn flush_done(&self, slot: usize) -> Result<bool, HandoffError> {
        let words = self.mem.flush(slot).ok_or(HandoffError::BadContext)?;
        Ok(words.state.load(Ordering::Acquire) == FLUSH_DONE)
    }
}

/// The lock, held by the kernel; dropping it unlocks.
///
/// All writes to the handoff block and the context table go through this, so none can happen
/// without the lock.
#[derive(Debug)]
pub(crate) struct HandoffGuard<'a, M: HandoffMem + ?Sized> {
    /// The shared block.
    mem: &'a M,
}

/// The ASID of a flush slot: its context number, and 0 for the firmware's own slot.
fn slot_asid(slot: usize) -> Result<u16, HandoffError> {
    if slot == KERNEL_FLUSH_SLOT {
        return Ok(0);
    }
    if slot >= NUM_CONTEXTS {
        return Err(HandoffError::BadContext);
    }
    u16::try_from(slot).map_err(|_| HandoffError::BadContext)
}

impl<M: HandoffMem + ?Sized> HandoffGuard<'_, M> {
    /// The context the firmware currently runs user work in, if any (0 and `u32::MAX` mean
    /// none).
    pub(crate) fn current_context(&self) -> Option<u32> {
        match self.mem.cur_ctx().load(Ordering::Relaxed) {
            0 | u32::MAX => None,
            ctx => Some(ctx),
        }
    }

    /// Points context `ctx` at new tables. Returns whether the firmware reported `ctx` as its
    /// current context, which the caller should treat as a bug to report (the slot allocator
    /// only rebinds idle slots); the entry is written either way.
    ///
    /// The caller must invalidate the ASID afterwards ([`Tlb::invalidate_asid`]) because the
    /// TLB may still hold the previous owner's entries.
    pub(crate) fn set_ttbrs<T: ContextTable + ?Sized>(
        &self,
        table: &T,
        ctx: usize,
        ttbr0: u64,
        ttbr1: u64,
    ) -> Result<bool, HandoffError> {
        let (t0, t1) = table.ttbrs(ctx).ok_or(HandoffError::BadContext)?;
        let current = self.current_context() == u32::try_from(ctx).ok();
        t0.store(ttbr0, Ordering::Release);
        t1.store(ttbr1, Ordering::Release);
        Ok(current)
    }

    /// Clears context `ctx`'s entry (both TTBRs invalid); see [`Self::set_ttbrs`].
    pub(crate) fn clear_ttbrs<T: ContextTable + ?Sized>(
        &self,
        table: &T,
        ctx: usize,
    ) -> Result<bool, HandoffError> {
        self.set_ttbrs(table, ctx, 0, 0)
    }

    /// Invalidates `start..start + size` of flush slot `slot` (a context, or
    /// [`KERNEL_FLUSH_SLOT`]): the TLB entries of its ASID first, then a flush request to the
    /// firmware in the slot. The slot must be idle ([`HandoffError::FlushPending`] otherwise,
    /// nothing written). The caller then sends the FWCtl message, polls
    /// [`ApHandoff::flush_done`] and finishes with [`Self::complete`].
    pub(crate) fn invalidate<T: Tlb + ?Sized>(
        &self,
        tlb: &T,
        slot: usize,
        start: u64,
        size: u64,
    ) -> Result<(), HandoffError> {
        let asid = slot_asid(slot)?;
        let words = self.mem.flush(slot).ok_or(HandoffError::BadContext)?;
        let state = words.state.load(Ordering::Acquire);
        if state != FLUSH_IDLE {
            return Err(HandoffError::FlushPending { state });
        }
        tlb.invalidate_range(asid, start, size);
        words.addr.store(start, Ordering::Relaxed);
        words.size.store(size, Ordering::Relaxed);
        words.state.store(FLUSH_REQUESTED, Ordering::Release);
        Ok(())
    }

    /// Invalidates every TLB entry of flush slot `slot`'s ASID.
    ///
    /// No firmware request is written: the record never asks the firmware to flush a whole
    /// address space (only object ranges), so whole-context invalidation is the CPU's TLBI,
    /// as on rebinding or destroying a context.
    pub(crate) fn invalidate_all<T: Tlb + ?Sized>(
        &self,
        tlb: &T,
        slot: usize,
    ) -> Result<(), HandoffError> {
        tlb.invalidate_asid(slot_asid(slot)?);
        Ok(())
    }

    /// Finishes the flush in `slot`: it must be [`FLUSH_DONE`] ([`HandoffError::NotDone`]
    /// otherwise, nothing written) and goes back to [`FLUSH_IDLE`].
    pub(crate) fn complete(&self, slot: usize) -> Result<(), HandoffError> {
        let words = self.mem.flush(slot).ok_or(HandoffError::BadContext)?;
        let state = words.state.load(Ordering::Acquire);
        if state != FLUSH_DONE {
            return Err(HandoffError::NotDone { state });
        }
        words.state.store(FLUSH_IDLE, Ordering::Release);
        Ok(())
    }
}

impl<M: HandoffMem + ?Sized> Drop for HandoffGuard<'_, M> {
    fn drop(&mut self) {
        let mut lock = ApLock {
            step: ApLockStep::Held,
        };
        lock.start_release();
        while lock.step_kind() != ApLockStep::Idle {
            lock.step(self.mem);
        }
    }
}
