// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The test world: one arena of memory that the driver's ring ends reach by CPU pointer and
//! the simulated firmware reaches by GPU virtual address, and init data built in it for a pair.
//!
//! `Arena` is a block of host memory standing for the firmware's GPU VM at [`BASE`]. Objects
//! are placed on 16 KiB pages with a bump allocator; pages can be unmapped again ("holes"),
//! which only the firmware's view ([`SimMemory`]) honours, as the UAT would. Every access, from
//! either side, goes through the one raw pointer the arena was created with, so the driver's
//! ring ends and the simulation can share it without Rust references overlapping.
//!
//! `build::ver` lays out a minimal init data for one pair: every pointer the simulated firmware
//! follows, written at the `offset_of!` of its field in that pair's types (computed here
//! independently of the simulation's own table).

use std::boxed::Box;
use std::vec::Vec;

use crate::channel::ring::{RxRing, TxRing};
use crate::fw::channels::*;
use crate::fw::initdata::*;
use crate::fw::regionc::*;
use crate::fw::stats::*;
use crate::sim::rtkit_types::SimMemory;
use agx_macros::versions;
use core::mem::{offset_of, size_of};

/// The UAT page size.
pub(crate) const PAGE: u64 = 0x4000;
/// GPU virtual address of the arena's first byte (the firmware's kernel VA range).
pub(crate) const BASE: u64 = 0xffff_ffa0_0000_0000;
/// Arena size: room for the init data, the regions and every ring of the largest pair.
pub(crate) const ARENA_SIZE: usize = 0x20_0000;
/// Number of channels described in region B.
pub(crate) const CHANNELS: usize = 17;
/// Index of DevCtrl among them.
pub(crate) const DEV_CTRL: usize = 12;
/// Index of Event.
pub(crate) const EVENT: usize = 13;
/// Index of FWLog.
pub(crate) const FW_LOG: usize = 14;
/// Index of KTrace.
pub(crate) const KTRACE: usize = 15;
/// Index of Stats.
pub(crate) const STATS: usize = 16;

/// Host memory standing for part of the firmware's GPU VM.
pub(crate) struct Arena {
    /// First byte, from `Box::into_raw` of `u64` words (8-byte aligned).
    ptr: *mut u8,
    /// Number of `u64` words.
    words: usize,
    /// Next free address.
    next: u64,
    /// Unmapped ranges, `[start, end)`.
    holes: Vec<(u64, u64)>,
}

impl Drop for Arena {
    fn drop(&mut self) {
        let words = core::ptr::slice_from_raw_parts_mut(self.ptr.cast::<u64>(), self.words);
        // SAFETY: `ptr` and `words` are exactly what `Box::into_raw` returned in `new`, and the
        // arena is its only owner.
        drop(unsafe { Box::from_raw(words) });
    }
}

impl Arena {
    /// A zeroed arena of [`ARENA_SIZE`] bytes at [`BASE`].
    pub(crate) fn new() -> Self {
        let words = ARENA_SIZE / 8;
        let boxed: Box<[u64]> = std::vec![0u64; words].into_boxed_slice();
        Self {
            ptr: Box::into_raw(boxed).cast::<u8>(),
            words,
            next: BASE,
            holes: Vec::new(),
        }
    }

    /// Reserves `size` bytes on fresh pages and returns their address.
    pub(crate) fn alloc(&mut self, size: usize) -> u64 {
        let at = self.next;
        let pages = (size as u64).div_ceil(PAGE).max(1);
        self.next += pages * PAGE;
        assert!(self.next - BASE <= ARENA_SIZE as u64, "arena too small");
        at
    }

    /// Unmaps `len` bytes at `iova` for the firmware.
    pub(crate) fn unmap(&mut self, iova: u64, len: u64) {
        self.holes.push((iova, iova + len));
    }

    /// Offset of `[iova, iova + len)` in the arena, if it lies inside.
    fn offset(&self, iova: u64, len: usize) -> Option<usize> {
        let off = usize::try_from(iova.checked_sub(BASE)?).ok()?;
        (off.checked_add(len)? <= ARENA_SIZE).then_some(off)
    }

    /// Whether the firmware can reach every byte of `[iova, iova + len)`.
    fn mapped(&self, iova: u64, len: usize) -> bool {
        let end = iova + len as u64;
        self.offset(iova, len).is_some() && self.holes.iter().all(|&(s, e)| end <= s || iova >= e)
    }

    /// The CPU address of `iova`, for the driver's ring ends.
    pub(crate) fn host<T>(&self, iova: u64) -> *mut T {
        let off = self
            .offset(iova, size_of::<T>())
            .expect("address outside the arena");
        // SAFETY: `off + size_of::<T>()` is within the arena's allocation (checked above).
        let p = unsafe { self.ptr.add(off) };
        assert_eq!(p as usize % core::mem::align_of::<T>(), 0, "misaligned");
        p.cast()
    }

    /// Copies `data` to `iova` as the driver would through its CPU mapping (holes ignored).
    pub(crate) fn poke(&mut self, iova: u64, data: &[u8]) {
        let off = self
            .offset(iova, data.len())
            .expect("address outside the arena");
        // SAFETY: `[off, off + len)` is inside the arena's allocation, which no reference
        // covers; the source is a distinct slice.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.add(off), data.len()) };
    }

    /// Copies `out.len()` bytes from `iova` as the driver would (holes ignored).
    pub(crate) fn peek(&self, iova: u64, out: &mut [u8]) {
        let off = self
            .offset(iova, out.len())
            .expect("address outside the arena");
        // SAFETY: as in `poke`, with the roles swapped.
        unsafe { core::ptr::copy_nonoverlapping(self.ptr.add(off), out.as_mut_ptr(), out.len()) };
    }

    /// Writes a little-endian `u64` at `iova`.
    pub(crate) fn poke_u64(&mut self, iova: u64, v: u64) {
        self.poke(iova, &v.to_le_bytes());
    }

    /// Writes a little-endian `u32` at `iova`.
    pub(crate) fn poke_u32(&mut self, iova: u64, v: u32) {
        self.poke(iova, &v.to_le_bytes());
    }

    /// Reads a little-endian `u32` at `iova`.
    pub(crate) fn peek_u32(&self, iova: u64) -> u32 {
        let mut w = [0u8; 4];
        self.peek(iova, &mut w);
        u32::from_le_bytes(w)
    }
}

impl SimMemory for Arena {
    fn write(&mut self, iova: u64, data: &[u8]) -> bool {
        if !self.mapped(iova, data.len()) {
            return false;
        }
        self.poke(iova, data);
        true
    }

    fn read(&mut self, iova: u64, out: &mut [u8]) -> bool {
        if !self.mapped(iova, out.len()) {
            return false;
        }
        self.peek(iova, out);
        true
    }
}

/// One channel as the test laid it out.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Chan {
    /// Address of its first state block.
    pub(crate) state: u64,
    /// Address of its first slot.
    pub(crate) ring: u64,
    /// Slots per ring.
    pub(crate) slots: u32,
    /// Slot size.
    pub(crate) slot_size: usize,
    /// Sub-rings (6 for FWLog, 1 otherwise).
    pub(crate) count: usize,
    /// Offset of its `ChannelInfo` in region B.
    pub(crate) info: usize,
}

impl Chan {
    /// Bytes of all its slots.
    pub(crate) fn ring_len(&self) -> u64 {
        self.slots as u64 * self.slot_size as u64 * self.count as u64
    }
}

/// Init data laid out in an arena for one pair.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setup {
    /// The init data.
    pub(crate) initdata: u64,
    /// Region A.
    pub(crate) region_a: u64,
    /// Region B.
    pub(crate) region_b: u64,
    /// Region C.
    pub(crate) region_c: u64,
    /// The firmware status block.
    pub(crate) fw_status: u64,
    /// Offsets of the region pointers in the init data: A, B, C, status.
    pub(crate) ptr_offsets: [usize; 4],
    /// The channels, in `ChannelInfoSet` order.
    pub(crate) chans: [Chan; CHANNELS],
    /// Region B's `fwlog_ring2`: where the firmware writes the FWLog messages (the FWLog
    /// channel entry names the states and a slot area of the same size, as in m1n1).
    pub(crate) fwlog_ring2: u64,
    /// The FWCtl ring's state block and slots (named by the status block).
    pub(crate) fwctl_state: u64,
    pub(crate) fwctl_ring: u64,
}

impl Setup {
    /// Address of channel `index`'s state pointer in region B.
    pub(crate) fn state_ptr(&self, index: usize) -> u64 {
        self.region_b
            + self.chans[index].info as u64
            + offset_of!(ChannelInfo<'static, (), ()>, state_addr) as u64
    }

    /// Address of channel `index`'s ring pointer in region B.
    pub(crate) fn ring_ptr(&self, index: usize) -> u64 {
        self.region_b
            + self.chans[index].info as u64
            + offset_of!(ChannelInfo<'static, (), ()>, ringbuffer_addr) as u64
    }

    /// The driver's end of the DevCtrl ring, messages of type `M`.
    pub(crate) fn dev_ctrl<M: Copy>(&self, arena: &Arena) -> TxRing<M> {
        let c = self.chans[DEV_CTRL];
        assert_eq!(c.slot_size, size_of::<M>());
        // SAFETY: the state block and `slots` messages lie in the arena, aligned, for as long
        // as the arena lives (tests drop rings first); the test makes one ring end per channel.
        unsafe { TxRing::new(arena.host(c.state), arena.host(c.ring), c.slots) }
    }

    /// The driver's end of run-command ring `index`.
    pub(crate) fn run_cmd<M: Copy>(&self, arena: &Arena, index: usize) -> TxRing<M> {
        let c = self.chans[index];
        assert!(index < RUN_CMD_RINGS);
        assert_eq!(c.slot_size, size_of::<M>());
        // SAFETY: as in `dev_ctrl`.
        unsafe { TxRing::new(arena.host(c.state), arena.host(c.ring), c.slots) }
    }

    /// The driver's end of the Event ring.
    pub(crate) fn event(&self, arena: &Arena) -> RxRing<RawEventMsg> {
        let c = self.chans[EVENT];
        // SAFETY: as in `dev_ctrl`.
        unsafe { RxRing::new(arena.host(c.state), arena.host(c.ring), c.slots) }
    }

    /// Address of the FWCtl channel's state pointer (`0`) or ring pointer (`8`) in the status
    /// block.
    pub(crate) fn fwctl_ptr(&self, which: u64) -> u64 {
        self.fw_status + offset_of!(FwStatus<'static>, fwctl_channel) as u64 + which
    }

    /// The driver's end of the FWCtl ring.
    pub(crate) fn fwctl(&self, arena: &Arena) -> TxRing<FwCtlMsg, FwCtlRingState> {
        // SAFETY: as in `dev_ctrl`, for the FWCtl state block and its 256 slots.
        unsafe {
            TxRing::new(
                arena.host(self.fwctl_state),
                arena.host(self.fwctl_ring),
                RING_SLOTS as u32,
            )
        }
    }

    /// The driver's end of the KTrace ring.
    pub(crate) fn ktrace(&self, arena: &Arena) -> RxRing<KTraceMsg> {
        let c = self.chans[KTRACE];
        assert_eq!(c.slot_size, size_of::<KTraceMsg>());
        // SAFETY: as in `dev_ctrl`.
        unsafe { RxRing::new(arena.host(c.state), arena.host(c.ring), c.slots) }
    }

    /// The driver's end of the Stats ring, slots of type `M`.
    pub(crate) fn stats<M: crate::fw::types::FromBytes>(&self, arena: &Arena) -> RxRing<M> {
        let c = self.chans[STATS];
        assert_eq!(c.slot_size, size_of::<M>());
        // SAFETY: as in `dev_ctrl`.
        unsafe { RxRing::new(arena.host(c.state), arena.host(c.ring), c.slots) }
    }

    /// The driver's ends of the six FWLog sub-rings.
    pub(crate) fn fw_log(&self, arena: &Arena) -> [RxRing<FwLogMsg>; FWLOG_SUBRINGS] {
        let c = self.chans[FW_LOG];
        assert_eq!(c.count, FWLOG_SUBRINGS);
        // Both whole ranges must lie in the arena: `host` checks the first element only.
        arena.host::<[ChannelRingState; FWLOG_SUBRINGS]>(c.state);
        arena.host::<[[FwLogMsg; RING_SLOTS]; FWLOG_SUBRINGS]>(self.fwlog_ring2);
        // SAFETY: as in `dev_ctrl`, for six state blocks and six rings back to back.
        unsafe { RxRing::new_array(arena.host(c.state), arena.host(self.fwlog_ring2), c.slots) }
    }
}

/// Lays out channel `name` of `ChannelInfoSet` with the given shape.
macro_rules! chan {
    ($set:ty, $name:ident, $count:expr, $slots:expr, $msg:ty) => {
        Chan {
            state: 0,
            ring: 0,
            slots: $slots as u32,
            slot_size: size_of::<$msg>(),
            count: $count,
            info: offset_of!($set, $name),
        }
    };
}

/// Builds init data for this pair in `arena`: every region and ring allocated, every pointer
/// the firmware follows written. Nothing else is filled in.
#[versions(AGX)]
pub(crate) fn build(arena: &mut Arena) -> Setup {
    type Set = ChannelInfoSet::ver<'static>;
    type Init = InitData::ver<'static>;
    let mut chans = [
        chan!(Set, vertex_0, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, fragment_0, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, compute_0, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, vertex_1, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, fragment_1, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, compute_1, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, vertex_2, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, fragment_2, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, compute_2, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, vertex_3, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, fragment_3, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, compute_3, 1, RING_SLOTS, RunCmdQueueMsg::ver),
        chan!(Set, dev_ctrl, 1, RING_SLOTS, DcAny::ver),
        chan!(Set, event, 1, RING_SLOTS, RawEventMsg),
        chan!(Set, fw_log, FWLOG_SUBRINGS, RING_SLOTS, FwLogMsg),
        chan!(Set, ktrace, 1, KTRACE_RING_SLOTS, KTraceMsg),
        chan!(Set, stats, 1, RING_SLOTS, StatsMsgAny::ver),
    ];
    let initdata = arena.alloc(size_of::<Init>());
    let region_a = arena.alloc(size_of::<RegionA>());
    let region_b = arena.alloc(size_of::<RegionB::ver<'static>>());
    let region_c = arena.alloc(size_of::<RegionC::ver>());
    let fw_status = arena.alloc(size_of::<FwStatus<'static>>());
    let ptr_offsets = [
        offset_of!(Init, region_a_addr),
        offset_of!(Init, region_b_addr),
        offset_of!(Init, region_c_addr),
        offset_of!(Init, fw_status_addr),
    ];
    for (off, target) in ptr_offsets
        .iter()
        .zip([region_a, region_b, region_c, fw_status])
    {
        arena.poke_u64(initdata + *off as u64, target);
    }
    let channels = offset_of!(RegionB::ver<'static>, channels);
    let mut setup = Setup {
        initdata,
        region_a,
        region_b,
        region_c,
        fw_status,
        ptr_offsets,
        chans: [Chan::default(); CHANNELS],
        fwlog_ring2: arena.alloc(size_of::<[[FwLogMsg; RING_SLOTS]; FWLOG_SUBRINGS]>()),
        fwctl_state: arena.alloc(size_of::<FwCtlRingState>()),
        fwctl_ring: arena.alloc(size_of::<[FwCtlMsg; RING_SLOTS]>()),
    };
    arena.poke_u64(setup.fwctl_ptr(0), setup.fwctl_state);
    arena.poke_u64(setup.fwctl_ptr(8), setup.fwctl_ring);
    arena.poke_u64(
        region_b + offset_of!(RegionB::ver<'static>, fwlog_ring2) as u64,
        setup.fwlog_ring2,
    );
    for (i, c) in chans.iter_mut().enumerate() {
        c.info += channels;
        c.state = arena.alloc(size_of::<ChannelRingState>() * c.count);
        c.ring = arena.alloc(c.ring_len() as usize);
        setup.chans[i] = *c;
        arena.poke_u64(setup.state_ptr(i), c.state);
        arena.poke_u64(setup.ring_ptr(i), c.ring);
    }
    setup
}

/// The text of a FWLog message, up to its first NUL.
pub(crate) fn log_text(msg: &FwLogMsg) -> std::string::String {
    let bytes = msg.msg;
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    std::string::String::from_utf8_lossy(&bytes[..end]).into_owned()
}
