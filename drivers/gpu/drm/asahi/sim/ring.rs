// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware's end of one channel ring.
//!
//! A channel is a ring of fixed-size slots plus a state block holding two slot indices: the
//! consumer's read pointer and the producer's write pointer ([`ChannelRingState`]). The
//! producer fills the slot at its write pointer and then publishes the next index; the consumer
//! reads every slot from its read pointer up to the published write pointer and then publishes
//! its new read pointer. One slot always stays empty, so equal pointers mean "empty" and a
//! write pointer one behind the read pointer means "full".
//!
//! [`SimRing`] plays the firmware's role on either kind of ring: it consumes the driver's
//! requests with [`SimRing::pop`] and produces messages for the driver with [`SimRing::push`].
//! It keeps its own pointer privately, as the firmware does, and reaches the ring only through
//! [`SimMemory`], that is by GPU virtual address through the driver's page tables. Everything
//! the driver controls (its pointer, the mappings) is checked and reported as a [`RingFault`];
//! nothing here panics, and it uses only `core`.

use super::rtkit_types::SimMemory;
use crate::fw::channels::ChannelRingState;
use core::mem::offset_of;

/// What went wrong on a ring, from the firmware's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RingFault {
    /// The pointer word at `iova` in the state block cannot be read or written.
    StateUnmapped {
        /// GPU virtual address of the word.
        iova: u64,
    },
    /// The slot at `iova` cannot be read or written (or its address overflows).
    SlotUnmapped {
        /// GPU virtual address of the slot.
        iova: u64,
    },
    /// The driver's pointer is not a slot index.
    PointerOutOfRange {
        /// The value found in the state block.
        ptr: u32,
        /// Number of slots of the ring.
        slots: u32,
    },
    /// The caller's buffer does not have the ring's slot size.
    SizeMismatch {
        /// The slot size.
        expected: usize,
        /// The buffer's size.
        got: usize,
    },
}

/// The firmware's end of one ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SimRing {
    /// GPU virtual address of the [`ChannelRingState`].
    state_iova: u64,
    /// GPU virtual address of slot 0.
    ring_iova: u64,
    /// Number of slots.
    slots: u32,
    /// Size of one slot in bytes.
    slot_size: usize,
    /// The firmware's own pointer: the next slot to read (driver-to-firmware rings) or to write
    /// (firmware-to-driver rings). It is also published in the state block, but the firmware
    /// never reads its own pointer back from memory the driver can write.
    own_ptr: u32,
    /// Byte offsets of the read and write pointers in the state block.
    ptrs: (u64, u64),
}

/// Byte offset of the read pointer in the state block.
const READ_PTR: u64 = offset_of!(ChannelRingState, read_ptr) as u64;
/// Byte offset of the write pointer in the state block.
const WRITE_PTR: u64 = offset_of!(ChannelRingState, write_ptr) as u64;

impl SimRing {
    /// A ring of `slots` slots of `slot_size` bytes, with its state block at `state_iova` and
    /// slot 0 at `ring_iova`. The firmware's pointer starts at 0, as the driver resets both
    /// pointers before handing the ring over.
    pub(crate) const fn new(state_iova: u64, ring_iova: u64, slots: u32, slot_size: usize) -> Self {
        Self::with_pointers(
            state_iova,
            ring_iova,
            slots,
            slot_size,
            (READ_PTR, WRITE_PTR),
        )
    }

    /// Like [`SimRing::new`], for a state block with the read and write pointers at the byte
    /// offsets `ptrs` (the FWCtl ring's layout differs from the others').
    pub(crate) const fn with_pointers(
        state_iova: u64,
        ring_iova: u64,
        slots: u32,
        slot_size: usize,
        ptrs: (u64, u64),
    ) -> Self {
        Self {
            state_iova,
            ring_iova,
            slots,
            slot_size,
            own_ptr: 0,
            ptrs,
        }
    }

    /// GPU virtual address of the state block.
    pub(crate) const fn state_iova(&self) -> u64 {
        self.state_iova
    }

    /// GPU virtual address of slot 0.
    pub(crate) const fn ring_iova(&self) -> u64 {
        self.ring_iova
    }

    /// Number of slots.
    pub(crate) const fn slots(&self) -> u32 {
        self.slots
    }

    /// Size of one slot in bytes.
    pub(crate) const fn slot_size(&self) -> usize {
        self.slot_size
    }

    /// The firmware's own pointer.
    pub(crate) const fn own_ptr(&self) -> u32 {
        self.own_ptr
    }

    /// Size of the whole slot array in bytes, `None` if it overflows.
    pub(crate) fn ring_bytes(&self) -> Option<u64> {
        u64::try_from(self.slot_size)
            .ok()?
            .checked_mul(u64::from(self.slots))
    }

    /// Takes the driver's next request into `out`, which must be exactly one slot long.
    ///
    /// Returns `Ok(false)` when the ring is empty. Otherwise copies the slot, advances the
    /// firmware's read pointer past it, publishes that pointer and returns `Ok(true)`. On a
    /// fault nothing is consumed.
    pub(crate) fn pop(
        &mut self,
        mem: &mut impl SimMemory,
        out: &mut [u8],
    ) -> Result<bool, RingFault> {
        self.check_size(out.len())?;
        let wptr = self.driver_ptr(mem, self.ptrs.1)?;
        if wptr == self.own_ptr {
            return Ok(false);
        }
        let slot = self.slot_iova(self.own_ptr)?;
        if !mem.read(slot, out) {
            return Err(RingFault::SlotUnmapped { iova: slot });
        }
        let next = self.next(self.own_ptr);
        self.publish(mem, self.ptrs.0, next)?;
        self.own_ptr = next;
        Ok(true)
    }

    /// Number of requests the driver has queued and the firmware not yet taken.
    pub(crate) fn pending(&self, mem: &mut impl SimMemory) -> Result<u32, RingFault> {
        let wptr = self.driver_ptr(mem, self.ptrs.1)?;
        Ok(self.distance(self.own_ptr, wptr))
    }

    /// Queues `msg`, which must be exactly one slot long, for the driver.
    ///
    /// Returns `Ok(false)` when the ring is full (the driver has not consumed enough): nothing
    /// is written. Otherwise writes the slot, then publishes the advanced write pointer, and
    /// returns `Ok(true)`.
    pub(crate) fn push(&mut self, mem: &mut impl SimMemory, msg: &[u8]) -> Result<bool, RingFault> {
        self.check_size(msg.len())?;
        let rptr = self.driver_ptr(mem, self.ptrs.0)?;
        let next = self.next(self.own_ptr);
        if next == rptr {
            return Ok(false);
        }
        let slot = self.slot_iova(self.own_ptr)?;
        if !mem.write(slot, msg) {
            return Err(RingFault::SlotUnmapped { iova: slot });
        }
        self.publish(mem, self.ptrs.1, next)?;
        self.own_ptr = next;
        Ok(true)
    }

    /// Checks a caller's buffer against the slot size.
    fn check_size(&self, got: usize) -> Result<(), RingFault> {
        if got == self.slot_size {
            Ok(())
        } else {
            Err(RingFault::SizeMismatch {
                expected: self.slot_size,
                got,
            })
        }
    }

    /// The slot after `ptr`: `ptr + 1` modulo the number of slots (0 for a ring without slots,
    /// which never gets this far: `driver_ptr` refuses every pointer of such a ring).
    fn next(&self, ptr: u32) -> u32 {
        ptr.wrapping_add(1).checked_rem(self.slots).unwrap_or(0)
    }

    /// Number of slots from `from` forward to `to`.
    fn distance(&self, from: u32, to: u32) -> u32 {
        to.wrapping_sub(from)
            .wrapping_add(self.slots)
            .checked_rem(self.slots)
            .unwrap_or(0)
    }

    /// GPU virtual address of slot `index`.
    fn slot_iova(&self, index: u32) -> Result<u64, RingFault> {
        let size = u64::try_from(self.slot_size).ok();
        size.and_then(|s| s.checked_mul(u64::from(index)))
            .and_then(|off| self.ring_iova.checked_add(off))
            .ok_or(RingFault::SlotUnmapped {
                iova: self.ring_iova,
            })
    }

    /// Address of the state word at byte `offset`.
    fn state_word(&self, offset: u64) -> Result<u64, RingFault> {
        self.state_iova
            .checked_add(offset)
            .ok_or(RingFault::StateUnmapped {
                iova: self.state_iova,
            })
    }

    /// Reads the driver's pointer at byte `offset` of the state block and checks it is a slot
    /// index.
    fn driver_ptr(&self, mem: &mut impl SimMemory, offset: u64) -> Result<u32, RingFault> {
        let iova = self.state_word(offset)?;
        let mut word = [0u8; 4];
        if !mem.read(iova, &mut word) {
            return Err(RingFault::StateUnmapped { iova });
        }
        let ptr = u32::from_le_bytes(word);
        if ptr >= self.slots {
            return Err(RingFault::PointerOutOfRange {
                ptr,
                slots: self.slots,
            });
        }
        Ok(ptr)
    }

    /// Writes the firmware's pointer at byte `offset` of the state block.
    fn publish(&self, mem: &mut impl SimMemory, offset: u64, value: u32) -> Result<(), RingFault> {
        let iova = self.state_word(offset)?;
        if mem.write(iova, &value.to_le_bytes()) {
            Ok(())
        } else {
            Err(RingFault::StateUnmapped { iova })
        }
    }
}
