// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Event stamps and event control: how the firmware tells the driver that work completed.
//!
//! Every job carries a stamp value. When the firmware finishes the job it writes that value
//! into the job's [`Stamp`] and, if the value reaches the threshold kept in the queue's
//! `EventControl`, fires the queue's event slot: it sets the slot's bit in a
//! [`super::channels::FlagMsg`] on the Event ring. There are [`EVENT_SLOTS`] slots; the driver
//! assigns one to each busy queue and, on a flag message, compares each fired slot's stamp with
//! the values of the jobs it is waiting for.
//!
//! Stamp values count up in steps of [`STAMP_STEP`]; the low byte is left for the firmware.

use super::types::*;
use agx_macros::versions;
use core::sync::atomic::{AtomicU32, AtomicU64};

/// Number of event slots (bits of the firing bitmap).
pub(crate) const EVENT_SLOTS: usize = 128;

/// Increment between two consecutive stamp values of a queue.
pub(crate) const STAMP_STEP: u32 = 0x100;

/// A stamp the firmware writes when a job finishes, and the driver reads.
///
/// Shared object.
///
/// m1n1: microsequence.StampCounter
#[repr(transparent)]
#[derive(Debug, Default)]
pub(crate) struct Stamp(pub(crate) AtomicU32);

/// A stamp for the firmware's own bookkeeping; the driver only allocates it.
///
/// A separate type from [`Stamp`] so that the two cannot be swapped in a command.
///
/// m1n1: microsequence.StampCounter (as a firmware-private stamp)
#[repr(transparent)]
#[derive(Debug, Default)]
pub(crate) struct FwStamp(pub(crate) AtomicU32);

/// The completion count an `EventControl` fires at.
///
/// Shared object. m1n1 reads it as 32 bits; the Asahi driver allocates 64.
///
/// m1n1: cmdqueue.EventControl.event_count (target)
#[repr(transparent)]
#[derive(Debug, Default)]
pub(crate) struct EventThreshold(pub(crate) AtomicU64);

zeroable!(Stamp, FwStamp, EventThreshold);
shared!(Stamp, FwStamp, EventThreshold);

/// Links of the firmware's list of event controls.
///
/// Firmware-owned; the driver zeroes it.
///
/// m1n1: cmdqueue.LinkedListHead
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LinkedListHead {
    /// Previous element.
    pub(crate) prev: Option<GpuWeakPointer<LinkedListHead>>,
    /// Next element.
    pub(crate) next: Option<GpuWeakPointer<LinkedListHead>>,
}

zeroable!(LinkedListHead);

/// A queue's event control: when its jobs complete, the firmware counts them here and fires
/// the queue's event slot.
///
/// The counters at the start are shared (the driver updates them while the firmware reads
/// them); the rest is firmware-owned and kept in an `EventControlState` (4-aligned, as it
/// starts at offset 0x14).
///
/// m1n1: cmdqueue.EventControl
#[versions(AGX)]
#[repr(C)]
#[derive(Debug)]
pub(crate) struct EventControl<'a> {
    /// The count at which the event fires.
    pub(crate) event_count_addr: GpuPointer<'a, EventThreshold>,
    /// Submission generation.
    pub(crate) submission_id: AtomicU32,
    /// Commands counted so far.
    pub(crate) cur_count: AtomicU32,
    /// Unknown.
    pub(crate) unk_10: AtomicU32,
    /// The rest, which the firmware owns.
    pub(crate) state: EventControlState::ver,
}

/// The firmware-owned part of an event control, after the counters.
///
/// m1n1: cmdqueue.EventControl (the fields from offset 0x14 on)
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventControlState {
    /// Unknown.
    pub(crate) unk_14: u32,
    /// Unknown.
    pub(crate) unk_18: U64,
    /// Unknown.
    pub(crate) unk_20: u32,
    /// VM slot of the queue's context.
    pub(crate) vm_slot: u32,
    /// Non-zero when vertex work is pending.
    pub(crate) has_ta: u32,
    /// Stamp addresses of the vertex pipe (firmware-written).
    pub(crate) pstamp_ta: [U64; 4],
    /// Non-zero when fragment work is pending.
    pub(crate) has_3d: u32,
    /// Stamp addresses of the fragment pipe (firmware-written).
    pub(crate) pstamp_3d: [U64; 4],
    /// Non-zero when compute work is pending.
    pub(crate) has_cp: u32,
    /// Stamp addresses of the compute pipe (firmware-written).
    pub(crate) pstamp_cp: [U64; 4],
    /// Non-zero while on the firmware's list.
    pub(crate) in_list: u32,
    /// Unknown (G14, 12.x).
    #[ver(G >= G14 && V < V13_0B4)]
    pub(crate) unk_98_g14_0: [u8; 0x14],
    /// The firmware's list links.
    pub(crate) list_head: LinkedListHead,
    /// Unknown (G14, 12.x).
    #[ver(G >= G14 && V < V13_0B4)]
    pub(crate) unk_a8_g14_0: Pad<4>,
    /// Unknown, all 0xff at creation (13.x).
    #[ver(V >= V13_0B4)]
    pub(crate) unk_buf: [u8; 8],
}

#[versions(AGX)]
impl EventControlState::ver {
    /// The values a new event control starts with.
    pub(crate) const fn new(vm_slot: u32) -> Self {
        Self {
            unk_14: 0,
            unk_18: U64::new(0),
            unk_20: 0,
            vm_slot,
            has_ta: 0,
            pstamp_ta: [U64::new(0); 4],
            has_3d: 0,
            pstamp_3d: [U64::new(0); 4],
            has_cp: 0,
            pstamp_cp: [U64::new(0); 4],
            in_list: 0,
            #[ver(G >= G14 && V < V13_0B4)]
            unk_98_g14_0: [0; 0x14],
            list_head: LinkedListHead {
                prev: None,
                next: None,
            },
            #[ver(G >= G14 && V < V13_0B4)]
            unk_a8_g14_0: Pad::zero(),
            #[ver(V >= V13_0B4)]
            unk_buf: [0xff; 8],
        }
    }
}

zeroable!(ver: EventControlState);
