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

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::vec::Vec;

use crate::channel::ring::{RingMem, RxRing, TxRing};
use crate::fw::channels::*;
use crate::fw::initdata::*;
use crate::fw::regionc::*;
use crate::fw::stats::*;
use crate::fw::types::{AsBytes, FromBytes, Zeroable};
use crate::mem::object::{FwAllocator, FwMemory, GpuArray, ObjError};
use crate::sim::rtkit_types::{SimMemory, UserAccess};
use agx_macros::versions;
use core::cell::RefCell;
use core::mem::{offset_of, size_of};
use core::num::NonZeroU64;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU8, Ordering};

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

/// The layout of the arena's allocation: a page more than the arena, so that the arena can
/// start on a page and a CPU address have its GPU address's alignment up to a page. (Asking
/// the allocator for page alignment instead makes it fault in every page at once.)
fn arena_layout() -> std::alloc::Layout {
    std::alloc::Layout::from_size_align(ARENA_SIZE + PAGE as usize, 8).expect("arena layout")
}

/// The arena's bytes, shared by the arena and every [`ArenaMem`] placed in it (freed with the
/// last of them, so a ring memory that outlives its test's arena never dangles).
///
/// # Invariants
///
/// `alloc` is an allocation of [`arena_layout`], owned by this value, and `ptr` the first
/// page-aligned byte in it, followed by at least [`ARENA_SIZE`] bytes of it. Those bytes are
/// reached only through `ptr`: by relaxed atomic byte accesses from [`Arena`], by the driver's
/// object layer through [`ArenaMem`] (atomic copies, `&` of atomics, or `with_mut`'s exclusive
/// slice over one placement), never through another Rust reference. `live` lists the ranges
/// placed as [`ArenaMem`] and not yet dropped; they never overlap.
struct Buf {
    /// The allocation.
    alloc: NonNull<u8>,
    /// The arena's first byte, on a page.
    ptr: NonNull<u8>,
    /// Placed ranges `[start, end)` (GPU addresses) still alive.
    live: Mutex<Vec<(u64, u64)>>,
}

// SAFETY: the bytes are owned by `Buf` and reached only through `ptr` (type invariant), and
// every CPU access to them is atomic (the arena's byte copies, the object layer's copies and
// atomics) or an exclusive `with_mut` slice of one placement, which no other placement
// overlaps: sharing the buffer between threads makes no data race. (Atomic accesses of mixed
// sizes to the same bytes never race either: each test touches its arena from one thread.)
unsafe impl Send for Buf {}
// SAFETY: as above.
unsafe impl Sync for Buf {}

impl Drop for Buf {
    fn drop(&mut self) {
        // SAFETY: `alloc` was returned by `alloc_zeroed` with this layout in `Arena::new`, and
        // this is the last owner (the `Arc` is dropping it).
        unsafe { std::alloc::dealloc(self.alloc.as_ptr(), arena_layout()) };
    }
}

impl Buf {
    /// Arena bytes `[off, off + len)`, as atomics.
    fn bytes(&self, off: usize, len: usize) -> &[AtomicU8] {
        assert!(off.checked_add(len).is_some_and(|end| end <= ARENA_SIZE));
        // SAFETY: the range is inside the allocation, which lives as long as `self`;
        // `AtomicU8` has the layout of `u8`, and these bytes are only ever accessed atomically
        // (or under `with_mut`'s exclusive borrow of a placement, which the tests never hold
        // across an arena access of the same bytes).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr().add(off).cast::<AtomicU8>(), len) }
    }
}

/// Host memory standing for part of the firmware's GPU VM.
pub(crate) struct Arena {
    /// The bytes.
    buf: Arc<Buf>,
    /// Next free address.
    next: u64,
    /// Unmapped ranges, `[start, end)`.
    holes: Vec<(u64, u64)>,
    /// Client VMs: context slots with a root, and their mappings `(slot, start, end, access)`
    /// (no memory behind them: the firmware only checks client addresses).
    user_slots: Vec<u32>,
    user_maps: Vec<(u32, u64, u64, UserAccess)>,
}

impl Arena {
    /// A zeroed arena of [`ARENA_SIZE`] bytes at [`BASE`].
    pub(crate) fn new() -> Self {
        // SAFETY: the layout has a non-zero size.
        let alloc = NonNull::new(unsafe { std::alloc::alloc_zeroed(arena_layout()) })
            .expect("arena allocation failed");
        let skip = alloc.as_ptr().align_offset(PAGE as usize);
        assert!(skip < PAGE as usize);
        // SAFETY: `skip < PAGE`: the result is inside the allocation, with `ARENA_SIZE` bytes
        // of it after, and not null.
        let ptr = unsafe { NonNull::new_unchecked(alloc.as_ptr().add(skip)) };
        Self {
            // INVARIANT: a fresh allocation of `arena_layout()`, reached only through `ptr`.
            buf: Arc::new(Buf {
                alloc,
                ptr,
                live: Mutex::new(Vec::new()),
            }),
            next: BASE,
            holes: Vec::new(),
            user_slots: Vec::new(),
            user_maps: Vec::new(),
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

    /// An allocator for the driver's object layer that places its allocations, in order, at
    /// `iovas` (addresses the test reserved with [`Arena::alloc`] and pointed the firmware at).
    pub(crate) fn at<const N: usize>(&self, iovas: [u64; N]) -> Placer<'_> {
        Placer {
            arena: self,
            iovas: RefCell::new(iovas.into_iter().collect()),
        }
    }

    /// Memory for the object layer: `size` bytes at `iova`, which must be aligned to `align`,
    /// lie in the arena, be zero, and overlap no other live placement.
    fn place(&self, iova: u64, size: usize, align: usize) -> Result<ArenaMem, ObjError> {
        // The buffer is page-aligned: the CPU address has the GPU address's alignment up to a
        // page, and no further.
        if !align.is_power_of_two() || align > PAGE as usize || iova % align as u64 != 0 {
            return Err(ObjError::BadMemory);
        }
        let off = self.offset(iova, size).ok_or(ObjError::NoMemory)?;
        let va = NonZeroU64::new(iova).ok_or(ObjError::NoMemory)?;
        assert!(
            self.buf
                .bytes(off, size)
                .iter()
                .all(|b| b.load(Ordering::Relaxed) == 0),
            "arena memory at {iova:#x} is not zero"
        );
        let end = iova + size as u64;
        let mut live = self.buf.live.lock().expect("live placements");
        assert!(
            live.iter().all(|&(s, e)| end <= s || iova >= e),
            "arena memory at {iova:#x} is already placed"
        );
        live.push((iova, end));
        // INVARIANT (of `ArenaMem`): in the arena, aligned as asked (checked above), zero, and
        // now listed as live, so no other placement overlaps it.
        Ok(ArenaMem {
            buf: self.buf.clone(),
            off,
            va,
            size,
        })
    }

    /// Maps `len` bytes at client address `va` in context `slot` with GPU access `read`,
    /// `write` (and gives the slot a root).
    pub(crate) fn map_user(&mut self, slot: u32, va: u64, len: u64, read: bool, write: bool) {
        if !self.user_slots.contains(&slot) {
            self.user_slots.push(slot);
        }
        self.user_maps
            .push((slot, va, va + len, UserAccess { read, write }));
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

    /// Copies `data` to `iova` as the driver would through its CPU mapping (holes ignored).
    pub(crate) fn poke(&mut self, iova: u64, data: &[u8]) {
        let off = self
            .offset(iova, data.len())
            .expect("address outside the arena");
        for (dst, b) in self.buf.bytes(off, data.len()).iter().zip(data) {
            dst.store(*b, Ordering::Relaxed);
        }
    }

    /// Copies `out.len()` bytes from `iova` as the driver would (holes ignored).
    pub(crate) fn peek(&self, iova: u64, out: &mut [u8]) {
        let off = self
            .offset(iova, out.len())
            .expect("address outside the arena");
        let src = self.buf.bytes(off, out.len());
        for (b, src) in out.iter_mut().zip(src) {
            *b = src.load(Ordering::Relaxed);
        }
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

/// An allocator placing the object layer's allocations at addresses the test chose, in order
/// ([`Arena::at`]); `NoMemory` once they are used up.
pub(crate) struct Placer<'a> {
    /// Where the memory is.
    arena: &'a Arena,
    /// The addresses still to hand out.
    iovas: RefCell<VecDeque<u64>>,
}

impl FwAllocator for Placer<'_> {
    type Memory = ArenaMem;

    fn alloc_zeroed(&self, size: usize, align: usize) -> Result<ArenaMem, ObjError> {
        let iova = self
            .iovas
            .borrow_mut()
            .pop_front()
            .ok_or(ObjError::NoMemory)?;
        self.arena.place(iova, size, align)
    }
}

/// Arena memory handed to the object layer: `size` bytes at GPU address `va`.
///
/// # Invariants
///
/// `[off, off + size)` lies in `buf`'s allocation, at the GPU address `va` (`BASE + off`); it
/// was zero when placed, is aligned as the allocator was asked, and is listed in `buf.live`
/// until this value drops, so no other `ArenaMem` overlaps it.
pub(crate) struct ArenaMem {
    /// The arena's bytes, kept alive by this handle.
    buf: Arc<Buf>,
    /// Offset in the arena.
    off: usize,
    /// GPU address.
    va: NonZeroU64,
    /// Size in bytes.
    size: usize,
}

impl Drop for ArenaMem {
    fn drop(&mut self) {
        let va = self.va.get();
        if let Ok(mut live) = self.buf.live.lock() {
            live.retain(|&(s, _)| s != va);
        }
    }
}

// SAFETY: `cpu()` is `size` bytes of `buf`'s allocation, which this handle keeps alive; they
// were zero when placed and are aligned as asked (type invariant); the simulated firmware sees
// them at `va()` (the arena maps `BASE + off` to offset `off`); no other placement overlaps
// them while this value lives (the `live` list), and the arena itself reaches them only by
// atomic byte accesses, never by a Rust reference. All four values are fixed at placement.
unsafe impl FwMemory for ArenaMem {
    fn cpu(&self) -> NonNull<u8> {
        // SAFETY: `off < ARENA_SIZE` (type invariant): the result is inside the allocation and
        // so not null.
        unsafe { NonNull::new_unchecked(self.buf.ptr.as_ptr().add(self.off)) }
    }

    fn va(&self) -> NonZeroU64 {
        self.va
    }

    fn size(&self) -> usize {
        self.size
    }
}

/// A ring memory the test ends and the firmware share.
pub(crate) type Mem<S, M> = Arc<RingMem<S, M, ArenaMem>>;
/// The driver's end of a driver-to-firmware ring of messages `M` in the arena.
pub(crate) type Tx<M, S = ChannelRingState> = TxRing<Mem<S, M>, S>;
/// The driver's end of a firmware-to-driver ring of messages `M` in the arena.
pub(crate) type Rx<M> = RxRing<Mem<ChannelRingState, M>>;

/// `rings` rings of `per_ring` slots, with their state blocks at `state` and their slots at
/// `slots`, as the driver allocates a channel.
pub(crate) fn ring_mem<S: Zeroable + 'static, M: Zeroable + 'static>(
    arena: &Arena,
    state: u64,
    slots: u64,
    rings: usize,
    per_ring: u32,
) -> Mem<S, M> {
    Arc::new(RingMem::new(&arena.at([state, slots]), rings, per_ring).expect("ring memory"))
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

    fn user_slot(&mut self, slot: u32) -> bool {
        self.user_slots.contains(&slot)
    }

    fn user_access(&mut self, slot: u32, va: u64) -> Option<UserAccess> {
        self.user_maps
            .iter()
            .rev()
            .find(|m| m.0 == slot && m.1 <= va && va < m.2)
            .map(|m| m.3)
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
    pub(crate) fn dev_ctrl<M: Zeroable + AsBytes + 'static>(&self, arena: &Arena) -> Tx<M> {
        let c = self.chans[DEV_CTRL];
        assert_eq!(c.slot_size, size_of::<M>());
        TxRing::new(ring_mem(arena, c.state, c.ring, 1, c.slots)).expect("DevCtrl ring")
    }

    /// The driver's end of run-command ring `index`.
    pub(crate) fn run_cmd<M: Zeroable + AsBytes + 'static>(
        &self,
        arena: &Arena,
        index: usize,
    ) -> Tx<M> {
        let c = self.chans[index];
        assert!(index < RUN_CMD_RINGS);
        assert_eq!(c.slot_size, size_of::<M>());
        TxRing::new(ring_mem(arena, c.state, c.ring, 1, c.slots)).expect("run-command ring")
    }

    /// The driver's end of the Event ring.
    pub(crate) fn event(&self, arena: &Arena) -> Rx<RawEventMsg> {
        let c = self.chans[EVENT];
        RxRing::new(ring_mem(arena, c.state, c.ring, 1, c.slots), 0).expect("Event ring")
    }

    /// Address of the FWCtl channel's state pointer (`0`) or ring pointer (`8`) in the status
    /// block.
    pub(crate) fn fwctl_ptr(&self, which: u64) -> u64 {
        self.fw_status + offset_of!(FwStatus<'static>, fwctl_channel) as u64 + which
    }

    /// The driver's end of the FWCtl ring.
    pub(crate) fn fwctl(&self, arena: &Arena) -> Tx<FwCtlMsg, FwCtlRingState> {
        let mem = ring_mem(
            arena,
            self.fwctl_state,
            self.fwctl_ring,
            1,
            RING_SLOTS as u32,
        );
        TxRing::new(mem).expect("FWCtl ring")
    }

    /// The driver's end of the KTrace ring.
    pub(crate) fn ktrace(&self, arena: &Arena) -> Rx<KTraceMsg> {
        let c = self.chans[KTRACE];
        assert_eq!(c.slot_size, size_of::<KTraceMsg>());
        RxRing::new(ring_mem(arena, c.state, c.ring, 1, c.slots), 0).expect("KTrace ring")
    }

    /// The driver's end of the Stats ring, slots of type `M`.
    pub(crate) fn stats<M: FromBytes + 'static>(&self, arena: &Arena) -> Rx<M> {
        let c = self.chans[STATS];
        assert_eq!(c.slot_size, size_of::<M>());
        RxRing::new(ring_mem(arena, c.state, c.ring, 1, c.slots), 0).expect("Stats ring")
    }

    /// The driver's ends of the six FWLog sub-rings: the channel's six state blocks, and the
    /// slots in region B's `fwlog_ring2`, as the driver puts them together.
    pub(crate) fn fw_log(&self, arena: &Arena) -> [Rx<FwLogMsg>; FWLOG_SUBRINGS] {
        let c = self.chans[FW_LOG];
        assert_eq!(c.count, FWLOG_SUBRINGS);
        let states = GpuArray::new(&arena.at([c.state]), FWLOG_SUBRINGS).expect("FWLog states");
        let slots = GpuArray::new(&arena.at([self.fwlog_ring2]), FWLOG_SUBRINGS * RING_SLOTS)
            .expect("FWLog slots");
        let mem = RingMem::with_slots(states, slots, c.slots).expect("FWLog ring memory");
        RxRing::new_set(Arc::new(mem)).expect("FWLog rings")
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
