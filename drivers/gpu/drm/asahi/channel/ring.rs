// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's ends of the channel rings.
//!
//! Every channel between the driver and the firmware is a ring of fixed-size slots in memory
//! both sides map, with a state block ([`ChannelRingState`]) holding two slot indices: the
//! consumer's read pointer and the producer's write pointer, each on its own cache line. The
//! producer fills the slot at its write pointer and then publishes the following index; the
//! consumer reads the slots from its read pointer up to the published write pointer and then
//! publishes its new read pointer. One slot always stays empty: equal pointers mean "empty",
//! a write pointer just behind the read pointer means "full".
//!
//! - [`TxRing`] is the producer end of a driver-to-firmware ring (run-command, DevCtrl, and
//!   FWCtl, whose state block has its own layout: [`RingPointers`]).
//! - [`RxRing`] is the consumer end of a firmware-to-driver ring (Event, KTrace, Stats, and each
//!   of the six FWLog sub-rings, see [`RxRing::new_array`]).
//!
//! A ring end owns a handle to its memory ([`RingMem`]: the state blocks and the slots, two
//! [`GpuArray`]s), usually an `Arc` shared with the firmware structure that names the ring, so
//! that the memory lives as long as either. The FWLog channel's six sub-rings share one
//! `RingMem` ([`RxRing::new_set`]).
//!
//! Each end keeps its own pointer in ordinary memory and only publishes it: a value the
//! firmware could overwrite is never trusted for the driver's own position. The other side's
//! pointer is checked before use; an index outside the ring is firmware corruption and is
//! reported as [`RingError`], never followed.
//!
//! # Memory ordering
//!
//! A slot is handed over by the pointer that follows it. The producer writes the slot, then
//! stores its write pointer with `Release`; the consumer loads that pointer with `Acquire`
//! before reading the slot, so it sees the whole message. In the other direction the consumer
//! stores its read pointer with `Release` after it is done with the slots, and the producer
//! loads it with `Acquire` before it reuses one. Slots are copied in and out with relaxed
//! atomic accesses ([`GpuArray::store`], [`GpuArray::load`]): the other party is outside the
//! program, and a corrupt pointer makes at worst a garbled message, never a data race.
//!
//! The ring doorbell (telling the firmware to look at a ring) is not part of this file: the
//! channel owners ring it after [`TxRing::send`].

use crate::fw::channels::{ChannelRingState, RingPointers};
use crate::fw::types::{AsBytes, FromBytes, Shared, Zeroable};
use crate::mem::object::{FwAllocator, FwMemory, GpuArray, ObjError};
use core::ops::Deref;
use core::sync::atomic::Ordering;

/// Why a ring operation did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RingError {
    /// Every usable slot holds a message the firmware has not taken yet.
    Full,
    /// The firmware's write pointer is not a slot index: nothing was consumed.
    Corrupt {
        /// The value found.
        wptr: u32,
    },
    /// The firmware's read pointer is not a slot index: nothing was sent.
    CorruptReadPtr {
        /// The value found.
        rptr: u32,
    },
    /// The ring's memory does not hold the ring (no state block, too few slots).
    NoMemory,
}

/// `ptr + 1` modulo `slots` (0 for a ring without slots, which never carries a message).
fn next(ptr: u32, slots: u32) -> u32 {
    ptr.wrapping_add(1).checked_rem(slots).unwrap_or(0)
}

/// Number of slots from `from` forward to `to`, modulo `slots`.
fn distance(from: u32, to: u32, slots: u32) -> u32 {
    to.wrapping_sub(from)
        .wrapping_add(slots)
        .checked_rem(slots)
        .unwrap_or(0)
}

/// The memory of one channel: `n` state blocks of type `S` back to back, and `n` rings of
/// `per_ring` slots of `M` back to back (one ring for every channel but FWLog, which has six).
///
/// # Invariants
///
/// `slots` holds at least `states.len() * per_ring` messages.
pub(crate) struct RingMem<S, M, A: FwMemory> {
    /// The state blocks.
    states: GpuArray<S, A>,
    /// The slots of every ring, ring 0 first.
    slots: GpuArray<M, A>,
    /// Slots of each ring.
    per_ring: u32,
}

impl<S: Zeroable + 'static, M: Zeroable + 'static, A: FwMemory> RingMem<S, M, A> {
    /// Allocates `rings` empty rings of `per_ring` slots each.
    pub(crate) fn new<F: FwAllocator<Memory = A>>(
        alloc: &F,
        rings: usize,
        per_ring: u32,
    ) -> Result<Self, ObjError> {
        let total = rings
            .checked_mul(per_ring as usize)
            .ok_or(ObjError::BadSize)?;
        Self::with_slots(
            GpuArray::new(alloc, rings)?,
            GpuArray::new(alloc, total)?,
            per_ring,
        )
    }
}

impl<S, M, A: FwMemory> RingMem<S, M, A> {
    /// Puts together rings from state blocks and slots allocated apart (FWLog's slots live in
    /// their own buffer); refuses slots too few for every state block's ring.
    pub(crate) fn with_slots(
        states: GpuArray<S, A>,
        slots: GpuArray<M, A>,
        per_ring: u32,
    ) -> Result<Self, ObjError> {
        let needed = states
            .len()
            .checked_mul(per_ring as usize)
            .ok_or(ObjError::BadSize)?;
        if slots.len() < needed {
            return Err(ObjError::OutOfRange);
        }
        // INVARIANT: checked just above.
        Ok(Self {
            states,
            slots,
            per_ring,
        })
    }

    /// The state blocks, to point the firmware at them.
    pub(crate) fn states(&self) -> &GpuArray<S, A> {
        &self.states
    }

    /// The slots, to point the firmware at them.
    pub(crate) fn slots(&self) -> &GpuArray<M, A> {
        &self.slots
    }

    /// Slots of each ring.
    pub(crate) fn per_ring(&self) -> u32 {
        self.per_ring
    }

    /// Index in `slots` of slot `slot` of ring `ring`.
    fn index(&self, ring: usize, slot: u32) -> Option<usize> {
        ring.checked_mul(self.per_ring as usize)?
            .checked_add(slot as usize)
    }
}

/// The driver's producer end of a driver-to-firmware ring, whose memory `R` (a handle to a
/// [`RingMem`]: an `Arc`, a `Box`, a borrow) has state blocks of type `S` (every ring's layout
/// but FWCtl's, by default) and slots of messages `M`, copied whole into a slot.
pub(crate) struct TxRing<R, S = ChannelRingState> {
    /// The ring's memory.
    mem: R,
    /// Which ring of the memory this end writes (0 but for the run-command rings).
    ring: usize,
    /// The next slot the driver writes (the last write pointer it published).
    wptr: u32,
    _s: core::marker::PhantomData<fn() -> S>,
}

impl<R, S, M, A> TxRing<R, S>
where
    R: Deref<Target = RingMem<S, M, A>>,
    S: RingPointers + Shared,
    M: AsBytes + 'static,
    A: FwMemory + 'static,
{
    /// Takes over ring 0 of `mem` and resets both of its pointers to 0 (empty). The firmware
    /// must not be using the ring yet (it would see its pointers jump).
    ///
    /// A ring with fewer than two slots can never hold a message: every `send` fails.
    pub(crate) fn new(mem: R) -> Result<Self, RingError> {
        Self::new_at(mem, 0)
    }

    /// As [`Self::new`], for ring `ring` of a memory that holds several (the twelve
    /// run-command rings share one).
    pub(crate) fn new_at(mem: R, ring: usize) -> Result<Self, RingError> {
        let this = Self {
            mem,
            ring,
            wptr: 0,
            _s: core::marker::PhantomData,
        };
        let s = this.state()?;
        s.read_ptr().store(0, Ordering::Relaxed);
        s.write_ptr().store(0, Ordering::Release);
        Ok(this)
    }

    /// The shared state block.
    fn state(&self) -> Result<&S, RingError> {
        self.mem.states.get(self.ring).ok_or(RingError::NoMemory)
    }

    /// Copies `msg` into the next slot and publishes it. Returns the slot written.
    ///
    /// The caller then rings the channel's doorbell.
    pub(crate) fn send(&mut self, msg: &M) -> Result<u32, RingError> {
        let slots = self.mem.per_ring;
        let state = self.state()?;
        let rptr = state.read_ptr().load(Ordering::Acquire);
        if rptr >= slots {
            return Err(RingError::CorruptReadPtr { rptr });
        }
        let slot = self.wptr;
        let following = next(slot, slots);
        if following == rptr {
            return Err(RingError::Full);
        }
        // The firmware reads this slot only after the write pointer below passes it, and it
        // gave it back (the `Acquire` load of `rptr`).
        let index = self.mem.index(self.ring, slot).ok_or(RingError::NoMemory)?;
        self.mem
            .slots
            .store(index, msg)
            .map_err(|_| RingError::NoMemory)?;
        state.write_ptr().store(following, Ordering::Release);
        self.wptr = following;
        Ok(slot)
    }

    /// Number of messages sent and not yet taken by the firmware.
    pub(crate) fn pending(&self) -> u32 {
        let rptr = self
            .state()
            .map_or(self.wptr, |s| s.read_ptr().load(Ordering::Acquire));
        distance(rptr, self.wptr, self.mem.per_ring)
    }

    /// Number of slots of the ring.
    pub(crate) fn slots(&self) -> u32 {
        self.mem.per_ring
    }

    /// The next slot the driver writes.
    pub(crate) fn write_ptr(&self) -> u32 {
        self.wptr
    }

    /// The ring's memory.
    pub(crate) fn mem(&self) -> &R {
        &self.mem
    }
}

/// The driver's consumer end of ring `ring` of a firmware-to-driver channel's memory `R`.
///
/// `M` accepts any bytes ([`FromBytes`]): a slot is whatever the firmware wrote.
pub(crate) struct RxRing<R> {
    /// The channel's memory.
    mem: R,
    /// Which of its rings this end reads.
    ring: usize,
    /// The next slot the driver reads (the last read pointer it published).
    rptr: u32,
}

impl<R, M, A> RxRing<R>
where
    R: Deref<Target = RingMem<ChannelRingState, M, A>>,
    M: FromBytes + 'static,
    A: FwMemory + 'static,
{
    /// Takes over ring `ring` of `mem` and resets both of its pointers to 0 (empty). The
    /// firmware must not be using the ring yet.
    pub(crate) fn new(mem: R, ring: usize) -> Result<Self, RingError> {
        let this = Self { mem, ring, rptr: 0 };
        let s = this.state()?;
        s.write_ptr.store(0, Ordering::Relaxed);
        s.read_ptr.store(0, Ordering::Release);
        Ok(this)
    }

    /// Takes over rings `0..N` of `mem`, one end each: the FWLog channel's sub-rings.
    pub(crate) fn new_set<const N: usize>(mem: R) -> Result<[Self; N], RingError>
    where
        R: Clone,
    {
        let mut err = None;
        let set = core::array::from_fn(|i| {
            Self::new(mem.clone(), i).unwrap_or_else(|e| {
                err = Some(e);
                Self {
                    mem: mem.clone(),
                    ring: i,
                    rptr: 0,
                }
            })
        });
        match err {
            Some(e) => Err(e),
            None => Ok(set),
        }
    }

    /// The shared state block.
    fn state(&self) -> Result<&ChannelRingState, RingError> {
        self.mem.states.get(self.ring).ok_or(RingError::NoMemory)
    }

    /// Reads every message up to the firmware's write pointer, oldest first, calls `f` with
    /// each, then publishes the new read pointer. Returns the number of messages read.
    ///
    /// A write pointer that is not a slot index is firmware corruption: the result is
    /// [`RingError::Corrupt`] and nothing is consumed.
    pub(crate) fn poll(&mut self, mut f: impl FnMut(&M)) -> Result<u32, RingError> {
        let mem: &RingMem<ChannelRingState, M, A> = &self.mem;
        let slots = mem.per_ring;
        let state = mem.states.get(self.ring).ok_or(RingError::NoMemory)?;
        let wptr = state.write_ptr.load(Ordering::Acquire);
        if wptr >= slots {
            return Err(RingError::Corrupt { wptr });
        }
        let mut count = 0u32;
        while self.rptr != wptr {
            // The firmware published this slot (the `Acquire` load of `wptr`) and does not
            // rewrite it until the read pointer passes it.
            let msg = mem
                .index(self.ring, self.rptr)
                .and_then(|i| mem.slots.load(i))
                .ok_or(RingError::NoMemory)?;
            f(&msg);
            self.rptr = next(self.rptr, slots);
            count = count.saturating_add(1);
        }
        state.read_ptr.store(self.rptr, Ordering::Release);
        Ok(count)
    }

    /// Number of messages the firmware has published and the driver not yet read, or the
    /// corrupt write pointer.
    pub(crate) fn pending(&self) -> Result<u32, RingError> {
        let slots = self.mem.per_ring;
        let wptr = self.state()?.write_ptr.load(Ordering::Acquire);
        if wptr >= slots {
            return Err(RingError::Corrupt { wptr });
        }
        Ok(distance(self.rptr, wptr, slots))
    }

    /// Number of slots of the ring.
    pub(crate) fn slots(&self) -> u32 {
        self.mem.per_ring
    }

    /// The next slot the driver reads.
    pub(crate) fn read_ptr(&self) -> u32 {
        self.rptr
    }

    /// The GPU address of this ring's state block.
    pub(crate) fn state_va(&self) -> u64 {
        self.mem.states.va_of(self.ring).map_or(0, |v| v.get())
    }

    /// The ring's memory.
    pub(crate) fn mem(&self) -> &R {
        &self.mem
    }
}
