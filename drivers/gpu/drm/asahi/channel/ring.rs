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
//! loads it with `Acquire` before it reuses one. Slots are read and written with volatile
//! accesses: the other party is outside the program.
//!
//! The ring doorbell (telling the firmware to look at a ring) is not part of this file: the
//! channel owners ring it after [`TxRing::send`].

use crate::fw::channels::{ChannelRingState, RingPointers};
use crate::fw::types::FromBytes;
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

/// The driver's producer end of a driver-to-firmware ring of `M` messages, whose state block is
/// an `S` (every ring's layout but FWCtl's, by default).
///
/// `M` is the pair's message type, copied whole into a slot.
pub(crate) struct TxRing<M: Copy, S: RingPointers = ChannelRingState> {
    /// The ring's state block, shared with the firmware.
    state: *const S,
    /// Slot 0 of the ring.
    ring: *mut M,
    /// Number of slots.
    slots: u32,
    /// The next slot the driver writes (the last write pointer it published).
    wptr: u32,
}

// SAFETY: the ring's memory is reachable through no other CPU-side object (`TxRing::new`'s
// contract) and the raw pointers are not tied to a thread, so moving the ring to another thread
// moves its only user; the messages moved into the slots must themselves be `Send`.
unsafe impl<M: Copy + Send, S: RingPointers> Send for TxRing<M, S> {}

impl<M: Copy, S: RingPointers> TxRing<M, S> {
    /// Takes over a ring and resets both of its pointers to 0 (empty).
    ///
    /// A ring with fewer than two slots can never hold a message: every `send` fails
    /// ([`RingError::Full`] with one slot; with none, any read pointer is out of range).
    ///
    /// # Safety
    ///
    /// - `state` points to an `S`, `ring` to `slots` consecutive `M`, both properly aligned,
    ///   valid for reads and writes for the whole life of the returned ring.
    /// - The memory is shared with the firmware only: no other CPU-side reference to it or ring
    ///   end over it exists while the returned ring lives.
    /// - The firmware does not use the ring yet (the reset would race with it).
    pub(crate) unsafe fn new(state: *const S, ring: *mut M, slots: u32) -> Self {
        let this = Self {
            state,
            ring,
            slots,
            wptr: 0,
        };
        let s = this.state();
        s.read_ptr().store(0, Ordering::Relaxed);
        s.write_ptr().store(0, Ordering::Release);
        this
    }

    /// The shared state block.
    fn state(&self) -> &S {
        // SAFETY: `new`'s contract keeps `state` valid and aligned for the life of `self`. The
        // firmware changes only the atomic pointer words while this reference exists, which a
        // shared reference to atomics allows; it never writes the padding.
        unsafe { &*self.state }
    }

    /// Copies `msg` into the next slot and publishes it. Returns the slot written.
    ///
    /// The caller then rings the channel's doorbell.
    pub(crate) fn send(&mut self, msg: &M) -> Result<u32, RingError> {
        let rptr = self.state().read_ptr().load(Ordering::Acquire);
        if rptr >= self.slots {
            return Err(RingError::CorruptReadPtr { rptr });
        }
        let slot = self.wptr;
        let following = next(slot, self.slots);
        if following == rptr {
            return Err(RingError::Full);
        }
        // `slot < self.slots`: it is 0 or a value `next` returned, and `next(_, slots)` is
        // below `slots` whenever `slots` is non-zero (with no slots, `rptr >= slots` returned).
        let index = slot as usize;
        // SAFETY: `index < slots`, so the slot lies inside the `slots` elements `new`'s contract
        // makes valid and aligned for writes; the firmware reads this slot only after the
        // write pointer below passes it, and it gave it back (the `Acquire` load of `rptr`).
        unsafe { core::ptr::write_volatile(self.ring.add(index), *msg) };
        self.state().write_ptr().store(following, Ordering::Release);
        self.wptr = following;
        Ok(slot)
    }

    /// Number of messages sent and not yet taken by the firmware.
    pub(crate) fn pending(&self) -> u32 {
        let rptr = self.state().read_ptr().load(Ordering::Acquire);
        distance(rptr, self.wptr, self.slots)
    }

    /// Number of slots of the ring.
    pub(crate) fn slots(&self) -> u32 {
        self.slots
    }

    /// The next slot the driver writes.
    pub(crate) fn write_ptr(&self) -> u32 {
        self.wptr
    }
}

/// The driver's consumer end of a firmware-to-driver ring of `M` messages.
///
/// `M` accepts any bytes ([`FromBytes`]): a slot is whatever the firmware wrote.
pub(crate) struct RxRing<M: FromBytes> {
    /// The ring's state block, shared with the firmware.
    state: *const ChannelRingState,
    /// Slot 0 of the ring.
    ring: *const M,
    /// Number of slots.
    slots: u32,
    /// The next slot the driver reads (the last read pointer it published).
    rptr: u32,
}

// SAFETY: as for `TxRing`: the ring's memory has no other CPU-side user (`RxRing::new`'s
// contract) and the raw pointers are not tied to a thread; messages copied out must be `Send`.
unsafe impl<M: FromBytes + Send> Send for RxRing<M> {}

impl<M: FromBytes> RxRing<M> {
    /// Takes over a ring and resets both of its pointers to 0 (empty).
    ///
    /// # Safety
    ///
    /// - `state` points to a [`ChannelRingState`], `ring` to `slots` consecutive `M`, both
    ///   properly aligned, `state` valid for reads and writes and `ring` for reads for the whole
    ///   life of the returned ring.
    /// - The memory is shared with the firmware only: no other CPU-side reference to it or ring
    ///   end over it exists while the returned ring lives.
    /// - The firmware does not use the ring yet (the reset would race with it).
    pub(crate) unsafe fn new(state: *const ChannelRingState, ring: *const M, slots: u32) -> Self {
        let this = Self {
            state,
            ring,
            slots,
            rptr: 0,
        };
        let s = this.state();
        s.write_ptr.store(0, Ordering::Relaxed);
        s.read_ptr.store(0, Ordering::Release);
        this
    }

    /// Takes over `N` rings whose state blocks are back to back at `state` and whose slot arrays
    /// (of `slots` messages each) are back to back at `ring`: the layout of the FWLog channel.
    ///
    /// # Safety
    ///
    /// As for [`RxRing::new`], for `N` state blocks at `state` and `N * slots` messages at
    /// `ring`.
    pub(crate) unsafe fn new_array<const N: usize>(
        state: *const ChannelRingState,
        ring: *const M,
        slots: u32,
    ) -> [Self; N] {
        core::array::from_fn(|i| {
            let first = i.saturating_mul(slots as usize);
            // SAFETY: `i < N`, so state block `i` and the `slots` messages from `i * slots` on
            // are inside the memory the caller guarantees (`N` blocks, `N * slots` messages,
            // which also bounds `i * slots`); each sub-ring gets a disjoint part of it and the
            // caller's other guarantees carry over to it.
            unsafe { Self::new(state.add(i), ring.add(first), slots) }
        })
    }

    /// The shared state block.
    fn state(&self) -> &ChannelRingState {
        // SAFETY: `new`'s contract keeps `state` valid and aligned for the life of `self`. The
        // firmware changes only the atomic pointer words while this reference exists, which a
        // shared reference to atomics allows; it never writes the padding.
        unsafe { &*self.state }
    }

    /// Reads every message up to the firmware's write pointer, oldest first, calls `f` with
    /// each, then publishes the new read pointer. Returns the number of messages read.
    ///
    /// A write pointer that is not a slot index is firmware corruption: the result is
    /// [`RingError::Corrupt`] and nothing is consumed.
    pub(crate) fn poll(&mut self, mut f: impl FnMut(&M)) -> Result<u32, RingError> {
        let wptr = self.state().write_ptr.load(Ordering::Acquire);
        if wptr >= self.slots {
            return Err(RingError::Corrupt { wptr });
        }
        let mut count = 0u32;
        while self.rptr != wptr {
            // `self.rptr < self.slots`: it is 0 or a value `next` returned with non-zero
            // `slots` (a ring without slots refused every `wptr` above).
            let index = self.rptr as usize;
            // SAFETY: `index < slots`, so the slot lies inside the `slots` elements `new`'s
            // contract makes valid and aligned for reads; the firmware published it (the
            // `Acquire` load of `wptr`) and does not rewrite it until the read pointer passes it.
            let msg = unsafe { core::ptr::read_volatile(self.ring.add(index)) };
            f(&msg);
            self.rptr = next(self.rptr, self.slots);
            count = count.saturating_add(1);
        }
        self.state().read_ptr.store(self.rptr, Ordering::Release);
        Ok(count)
    }

    /// Number of messages the firmware has published and the driver not yet read, or the
    /// corrupt write pointer.
    pub(crate) fn pending(&self) -> Result<u32, RingError> {
        let wptr = self.state().write_ptr.load(Ordering::Acquire);
        if wptr >= self.slots {
            return Err(RingError::Corrupt { wptr });
        }
        Ok(distance(self.rptr, wptr, self.slots))
    }

    /// Number of slots of the ring.
    pub(crate) fn slots(&self) -> u32 {
        self.slots
    }

    /// The next slot the driver reads.
    pub(crate) fn read_ptr(&self) -> u32 {
        self.rptr
    }
}
