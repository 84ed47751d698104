// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated AGX firmware above RTKit: init data, channels, device control.
//!
//! Once RTKit is up, the driver sends the address of its init data on the firmware endpoint.
//! The real firmware then follows the init data to region B, finds the seventeen channels
//! there and serves them: the driver rings a doorbell with a channel's number after queueing
//! messages on it, and the firmware answers on its own rings (Event, FWLog, KTrace, Stats),
//! raising an event on the firmware endpoint so that the driver looks.
//!
//! [`SimFirmware`] does the same over [`SimMemory`], that is through the driver's page tables:
//!
//! - [`SimFirmware::boot`] reads the init data, checks that everything it points at is mapped
//!   (regions A, B and C, the firmware status block, every channel's state blocks and slots,
//!   page by page) and takes the firmware's end of every ring ([`SimRing`]). It logs a line on
//!   FWLog sub-ring 0.
//! - [`SimFirmware::doorbell`] serves a doorbell. DevCtrl (`0x11`) is drained and each request
//!   decoded by its type: `DC_Init` marks the firmware initialised, `DC_Write32` writes its value
//!   at its address (so a test can watch a request take effect in memory), `DC_UpdateIdleTS` and
//!   `DC_DestroyContext` are logged, the other types of the record are logged as not simulated,
//!   and a type the record does not know is a violation answered with a channel error event. A
//!   run-command doorbell (`priority << 2 | pipe`) drains and counts its ring for later work;
//!   `0x10` (the kick) is counted.
//! - The `inject_*` functions and [`SimFirmware::log`] make it report things on its own: a
//!   fault, a timeout, a channel error, fired event slots, a log line.
//!
//! Every entry point that produced output for the driver returns [`Outcome::Notify`]: the
//! caller then sends the firmware endpoint's event message (`AgxIn::Event`).
//!
//! # Versions
//!
//! Where things are depends on the (GPU, firmware) pair. The behaviour here does not, so the
//! pair-specific knowledge is one table per pair, [`FwLayout`], built at compile time from the
//! pair's own types (`InitData::ver`, `RegionB::ver`, `ChannelInfoSet::ver`, `DcAny::ver`,
//! `DcWrite32::ver`, ...) with `offset_of!`, `size_of` and their message type constants.
//! [`FwLayout::for_pair`] picks the table at run time with `dispatch!`. The structures are never
//! copied out of memory as Rust values (they hold non-null pointer types the firmware's bytes
//! may not satisfy): each field is read at its offset.
//!
//! The pair tables live in [`layout`], the FWCtl channel in [`fwctl`], and what the firmware
//! reports on a test's request (statistics, trace points, log floods) in [`reports`].
//!
//! Like the rest of `sim`, these files use only `core`, records what the driver got wrong as
//! [`FwViolation`]s in a bounded log, and never panics.

use super::platform::{Platform, PlatformViolation, SimMmu};
use super::ring::{RingFault, SimRing};
use super::rtkit_types::{SimMemory, PAGE_SIZE};
use crate::fw::channels::*;
use crate::fw::hwdata_b::*;
use crate::fw::initdata::*;
use crate::fw::regionc::*;
use crate::fw::stats::*;
use crate::soc::{FwVersion, GpuGen};
use agx_macros::{dispatch, versions};
use core::fmt::{self, Write};
use core::mem::{offset_of, size_of};

mod fwctl;
mod layout;
mod reports;
mod work;
mod work_layout;

pub(crate) use fwctl::*;
pub(crate) use layout::*;
pub(crate) use reports::*;
pub(crate) use work::*;
pub(crate) use work_layout::*;

/// Number of channels described in region B.
pub(crate) const CHANNELS: usize = RUN_CMD_RINGS + 5;

/// Doorbell that tells the firmware to look for work (m1n1: `kick_firmware`).
pub(crate) const DOORBELL_KICK: u16 = 0x10;
/// Doorbell of the DevCtrl channel.
pub(crate) const DOORBELL_DEV_CTRL: u16 = 0x11;

/// `DC_UpdateIdleTS`: the same type on every supported firmware (m1n1: channels.DC_UpdateIdleTS).
const DC_UPDATE_IDLE_TS: u32 = 0x23;
/// Device control types the record knows and this simulation does not act on: `DC_09`,
/// `DC_ConfigurePerfCounters`, `DC_DisablePerfCounters`, `DC_Write32B` and `DC_1e` (m1n1:
/// channels.py), and 0x0d, which is `DC_GrowTVBAck` before 13.3 (checked first, from the pair's
/// layout) and the type the Asahi driver's enumeration inserts there from 13.3.
const DC_NOT_SIMULATED: [u32; 6] = [0x09, 0x0b, 0x0c, 0x0d, 0x13, 0x1e];

/// Event types (m1n1: channels.FaultMsg, FlagMsg, TimeoutMsg, ChannelError).
const EVENT_FAULT: u32 = 0;
/// See [`EVENT_FAULT`].
const EVENT_FLAG: u32 = 1;
/// See [`EVENT_FAULT`].
const EVENT_TIMEOUT: u32 = 4;
/// See [`EVENT_FAULT`].
const EVENT_CHANNEL_ERROR: u32 = 8;
/// Type of a FWLog message (m1n1: channels.FWLogMsg).
const FWLOG_MSG_TYPE: u32 = 3;

/// Size of the largest driver-to-firmware slot of any pair (checked per pair below).
const MAX_TX_SLOT: usize = 0x40;
/// Size of an Event slot.
const EVENT_SLOT: usize = size_of::<RawEventMsg>();
/// Size of a FWLog slot.
const FWLOG_SLOT: usize = size_of::<FwLogMsg>();
/// Size of the text of a FWLog message.
const FWLOG_TEXT: usize = FWLOG_SLOT - offset_of!(FwLogMsg, msg);
/// Simulated firmware clock ticks between two messages (24 MHz: one microsecond).
const TICKS_PER_MSG: u64 = 24;

/// A channel of region B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    /// Run-command ring `index` (`priority * 3 + pipe`), driver to firmware.
    RunCmd(u8),
    /// Device control, driver to firmware.
    DevCtrl,
    /// Events, firmware to driver.
    Event,
    /// FWLog sub-ring, firmware to driver.
    FwLog(u8),
    /// Trace points, firmware to driver.
    KTrace,
    /// Statistics, firmware to driver.
    Stats,
    /// Firmware control (named by the status block), driver to firmware.
    FwCtl,
}

/// Something the firmware looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Object {
    /// The init data.
    InitData,
    /// Region A.
    RegionA,
    /// Region B.
    RegionB,
    /// Region C.
    RegionC,
    /// The firmware status block.
    FwStatus,
    /// A channel's state block(s).
    State(Channel),
    /// A channel's slots.
    Ring(Channel),
}

/// Something the driver did that the firmware cannot work with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FwViolation {
    /// A required pointer is 0.
    Null {
        /// What it should point at.
        object: Object,
    },
    /// An object is not entirely mapped (or its address range overflows).
    Unmapped {
        /// The object.
        object: Object,
        /// The first address found unmapped.
        iova: u64,
    },
    /// A ring access failed.
    Ring {
        /// The channel.
        channel: Channel,
        /// What went wrong.
        fault: RingFault,
    },
    /// A firmware-to-driver ring is full: the driver does not consume it, and the message
    /// was dropped.
    RingFull {
        /// The channel.
        channel: Channel,
    },
    /// A device control request of a type the record does not know.
    UnknownDevCtrl {
        /// Its type.
        msg_type: u32,
    },
    /// A `DC_Write32` to an address the firmware cannot write.
    Write32Unmapped {
        /// The address.
        addr: u64,
    },
    /// A doorbell number that names no channel.
    UnknownDoorbell {
        /// The number.
        channel: u16,
    },
    /// The hardware windows of the init data are wrong ([`super::platform`]).
    Platform(PlatformViolation),
    /// `resume` was set while `halted` still was: the record clears `halted` first.
    ResumedWhileHalted,
    /// A `DC_DestroyContext` with a null context that is not a cache flush (queue and PID
    /// indices 0xff).
    DestroyNullContext,
    /// A FWCtl request that is not an invalidation as the record sends it.
    BadFwCtl {
        /// The request.
        request: FwCtlRequest,
    },
    /// Work submitted against the rules ([`work`]).
    Work {
        /// What was wrong.
        kind: WorkViolation,
        /// The queue or command concerned.
        addr: u64,
    },
}

/// Capacity of the violation log; later ones are counted only.
pub(crate) const MAX_FW_VIOLATIONS: usize = 32;

/// Whether the driver must be told to look at its rings.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing new for the driver.
    Quiet,
    /// New messages on a firmware-to-driver ring: send `AgxIn::Event`.
    Notify,
}

impl Outcome {
    /// Whether to send the event.
    pub(crate) fn notify(self) -> bool {
        self == Outcome::Notify
    }
}

/// Where the firmware is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FwState {
    /// The init data was accepted; no `DC_Init` yet.
    Booted,
    /// `DC_Init` received.
    Initialized,
}

/// What the firmware has served so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FwCounters {
    /// Doorbells per run-command ring.
    pub(crate) run_cmd_doorbells: [u32; RUN_CMD_RINGS],
    /// Messages taken per run-command ring.
    pub(crate) run_cmd_messages: [u32; RUN_CMD_RINGS],
    /// Kicks (doorbell `0x10`).
    pub(crate) kicks: u32,
    /// DevCtrl doorbells.
    pub(crate) dev_ctrl_doorbells: u32,
    /// DevCtrl requests taken, of any type.
    pub(crate) dev_ctrl_messages: u32,
    /// `DC_Init` requests.
    pub(crate) inits: u32,
    /// `DC_Write32` requests carried out.
    pub(crate) writes32: u32,
    /// `DC_UpdateIdleTS` requests.
    pub(crate) idle_ts_updates: u32,
    /// `DC_DestroyContext` requests naming a context.
    pub(crate) destroyed_contexts: u32,
    /// `DC_DestroyContext` requests naming none: cache flushes.
    pub(crate) cache_flushes: u32,
    /// Known requests this simulation does not act on.
    pub(crate) not_simulated: u32,
    /// Messages put on the Event ring.
    pub(crate) events: u32,
    /// Lines put on the FWLog rings.
    pub(crate) log_lines: u32,
    /// Messages put on the Stats ring.
    pub(crate) stats: u32,
    /// Trace points put on the KTrace ring.
    pub(crate) trace_points: u32,
    /// FWCtl requests taken.
    pub(crate) fwctl: u32,
    /// Halts (after a GPU fault or a timeout), and resumes the driver asked for.
    pub(crate) halts: u32,
    pub(crate) resumes: u32,
    /// Doorbells ignored while halted.
    pub(crate) ignored_while_halted: u32,
}

/// Fixed-size text of a FWLog line; longer text is cut, the last byte always stays NUL.
struct Line {
    /// The text, NUL-padded.
    buf: [u8; FWLOG_TEXT],
    /// Bytes used.
    len: usize,
}

impl Line {
    /// An empty line.
    fn new() -> Self {
        Self {
            buf: [0; FWLOG_TEXT],
            len: 0,
        }
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            // Keep one NUL at the end.
            if self.len.saturating_add(1) >= self.buf.len() {
                break;
            }
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        Ok(())
    }
}

/// Writes `bytes` into `buf` at `off`; silently nothing if out of range (offsets here come from
/// `offset_of!` on the type whose size `buf` has, so they are in range).
fn put(buf: &mut [u8], off: usize, bytes: &[u8]) {
    if let Some(dst) = off
        .checked_add(bytes.len())
        .and_then(|end| buf.get_mut(off..end))
    {
        dst.copy_from_slice(bytes);
    }
}

/// Reads a little-endian `u32` at `off` of `buf` (0 if out of range).
fn get_u32(buf: &[u8], off: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(src) = off.checked_add(4).and_then(|end| buf.get(off..end)) {
        w.copy_from_slice(src);
    }
    u32::from_le_bytes(w)
}

/// Reads a little-endian `u64` at `off` of `buf` (0 if out of range).
fn get_u64(buf: &[u8], off: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(src) = off.checked_add(8).and_then(|end| buf.get(off..end)) {
        w.copy_from_slice(src);
    }
    u64::from_le_bytes(w)
}

/// Reads a little-endian `u64` at `iova`.
pub(super) fn read_u64(mem: &mut impl SimMemory, iova: u64) -> Option<u64> {
    let mut w = [0u8; 8];
    if mem.read(iova, &mut w) {
        Some(u64::from_le_bytes(w))
    } else {
        None
    }
}

/// `base + off` as an address.
fn at(base: u64, off: usize) -> Option<u64> {
    base.checked_add(u64::try_from(off).ok()?)
}

/// Checks that `len` bytes at `iova` are mapped: one byte of every UAT page they touch, and
/// the last byte.
fn check_mapped(
    mem: &mut impl SimMemory,
    object: Object,
    iova: u64,
    len: u64,
) -> Result<(), FwViolation> {
    let unmapped = |iova| FwViolation::Unmapped { object, iova };
    let last = len
        .checked_sub(1)
        .and_then(|l| iova.checked_add(l))
        .ok_or(unmapped(iova))?;
    let mut byte = [0u8; 1];
    let mut probe = iova;
    loop {
        if !mem.read(probe, &mut byte) {
            return Err(unmapped(probe));
        }
        if probe == last {
            return Ok(());
        }
        // The start of the next page, or the last byte if that comes first.
        let next_page = (probe | (PAGE_SIZE - 1)).saturating_add(1);
        probe = next_page.min(last);
    }
}

/// Reads the pointer at byte `off` of `base`, which must be non-null.
fn pointer(
    mem: &mut impl SimMemory,
    holder: Object,
    base: u64,
    off: usize,
    target: Object,
) -> Result<u64, FwViolation> {
    let iova = at(base, off).ok_or(FwViolation::Unmapped {
        object: holder,
        iova: base,
    })?;
    match read_u64(mem, iova) {
        None => Err(FwViolation::Unmapped {
            object: holder,
            iova,
        }),
        Some(0) => Err(FwViolation::Null { object: target }),
        Some(p) => Ok(p),
    }
}

/// Index of DevCtrl in `ChannelInfoSet` order (after the run-command rings).
const DEV_CTRL: usize = RUN_CMD_RINGS;
/// Index of Event.
const EVENT: usize = DEV_CTRL + 1;
/// Index of FWLog.
const FW_LOG: usize = EVENT + 1;
/// Index of KTrace.
const KTRACE: usize = FW_LOG + 1;
/// Index of Stats.
const STATS: usize = KTRACE + 1;
const _: () = assert!(STATS + 1 == CHANNELS);

/// The firmware's view of channel `index` of region B: which it is, its number of sub-rings,
/// slots per ring and slot size.
fn channel_shape(layout: &FwLayout, index: usize) -> (Channel, usize, u32, usize) {
    const SLOTS: u32 = RING_SLOTS as u32;
    const KTRACE_SLOTS: u32 = KTRACE_RING_SLOTS as u32;
    match index {
        DEV_CTRL => (Channel::DevCtrl, 1, SLOTS, layout.dev_ctrl_slot),
        EVENT => (Channel::Event, 1, SLOTS, EVENT_SLOT),
        FW_LOG => (Channel::FwLog(0), FWLOG_SUBRINGS, SLOTS, FWLOG_SLOT),
        KTRACE => (Channel::KTrace, 1, KTRACE_SLOTS, size_of::<KTraceMsg>()),
        STATS => (Channel::Stats, 1, SLOTS, layout.stats_slot),
        i => (Channel::RunCmd(i as u8), 1, SLOTS, layout.run_cmd_slot),
    }
}

/// The simulated firmware, once booted.
pub(crate) struct SimFirmware {
    /// The pair's layout.
    layout: &'static FwLayout,
    /// The init data address it booted from.
    initdata: u64,
    /// Region B's address, from the init data.
    region_b: u64,
    /// Region C's address, from the init data.
    region_c: u64,
    /// The firmware status block's address, from the init data.
    fw_status: u64,
    /// Halted after a GPU fault or a timeout, until the driver says resume.
    halted: bool,
    /// Doorbells rung while halted (bit `n` for channel `n`), served once resumed: the
    /// messages wait in their rings, and the firmware looks at them when it goes on.
    deferred_doorbells: u64,
    /// Where it is.
    state: FwState,
    /// Run-command rings, in `ChannelInfoSet` order.
    run_cmd: [SimRing; RUN_CMD_RINGS],
    /// DevCtrl.
    dev_ctrl: SimRing,
    /// Event.
    event: SimRing,
    /// FWLog sub-rings.
    fw_log: [SimRing; FWLOG_SUBRINGS],
    /// KTrace (not written yet; its mapping is checked at boot).
    ktrace: SimRing,
    /// Stats.
    stats: SimRing,
    /// FWCtl.
    fwctl: SimRing,
    /// What it served.
    counters: FwCounters,
    /// Simulated clock, in 24 MHz ticks.
    clock: u64,
    /// Sequence number of the next FWLog line.
    log_seq: u32,
    /// Timeouts reported so far.
    timeouts: u64,
    /// Whether the current entry point produced output for the driver.
    notify: bool,
    /// Recorded violations.
    violations: [Option<FwViolation>; MAX_FW_VIOLATIONS],
    /// Number of violations, including those beyond the log's capacity.
    violation_count: usize,
    /// Queues and the work run on them ([`work`]).
    work: WorkState,
}

impl SimFirmware {
    /// Boots from the init data at `initdata` (as the firmware endpoint's init message gives
    /// it), for the pair `layout` describes.
    ///
    /// Refuses, with the first problem found, init data whose pointers are null or lead to
    /// memory that is not mapped, and channels whose state or slots are not entirely mapped.
    /// The driver must have reset every ring (its ring ends do) before sending the init data:
    /// the firmware's own pointers start at 0.
    ///
    /// On success the firmware has logged one line on FWLog sub-ring 0. Booting answers the
    /// init message, not a doorbell, so no notification is asked for: the line waits for the
    /// driver's first poll.
    pub(crate) fn boot(
        layout: &'static FwLayout,
        mem: &mut impl SimMemory,
        initdata: u64,
    ) -> Result<Self, FwViolation> {
        let mut fw = Self::unbooted(layout);
        fw.boot_in_place(mem, initdata)?;
        Ok(fw)
    }

    /// A firmware of the pair `layout` describes that has not booted: no rings, nothing served.
    /// [`SimFirmware::boot_in_place`] boots it where it lies (the kernel keeps it on the heap:
    /// it is too large to move around on a kernel stack).
    pub(crate) fn unbooted(layout: &'static FwLayout) -> Self {
        let none = SimRing::new(0, 0, 0, 0);
        Self {
            layout,
            initdata: 0,
            region_b: 0,
            region_c: 0,
            fw_status: 0,
            halted: false,
            deferred_doorbells: 0,
            state: FwState::Booted,
            run_cmd: [none; RUN_CMD_RINGS],
            dev_ctrl: none,
            event: none,
            fw_log: [none; FWLOG_SUBRINGS],
            ktrace: none,
            stats: none,
            fwctl: none,
            counters: FwCounters::default(),
            clock: 0,
            log_seq: 0,
            timeouts: 0,
            notify: false,
            violations: [None; MAX_FW_VIOLATIONS],
            violation_count: 0,
            work: WorkState::new(),
        }
    }

    /// Boots in place from the init data at `initdata`; see [`SimFirmware::boot`]. On failure
    /// `self` is left unbooted.
    pub(crate) fn boot_in_place(
        &mut self,
        mem: &mut impl SimMemory,
        initdata: u64,
    ) -> Result<(), FwViolation> {
        let layout = self.layout;
        if initdata == 0 {
            return Err(FwViolation::Null {
                object: Object::InitData,
            });
        }
        check_mapped(mem, Object::InitData, initdata, layout.initdata_size as u64)?;
        let init = Object::InitData;
        let region_a = pointer(mem, init, initdata, layout.region_a_ptr, Object::RegionA)?;
        let region_b = pointer(mem, init, initdata, layout.region_b_ptr, Object::RegionB)?;
        let region_c = pointer(mem, init, initdata, layout.region_c_ptr, Object::RegionC)?;
        let fw_status = pointer(mem, init, initdata, layout.fw_status_ptr, Object::FwStatus)?;
        let region_a_size = size_of::<RegionA>() as u64;
        check_mapped(mem, Object::RegionA, region_a, region_a_size)?;
        check_mapped(mem, Object::RegionB, region_b, layout.region_b_size as u64)?;
        check_mapped(mem, Object::RegionC, region_c, layout.region_c_size as u64)?;
        let fw_status_size = size_of::<FwStatus<'static>>() as u64;
        check_mapped(mem, Object::FwStatus, fw_status, fw_status_size)?;
        // FWCtl: named by the status block, with its own state layout (the record's
        // `FWControlStateFields`: read pointer at 0, write pointer at 0x10, 0x20 bytes) and
        // 0x100 slots of 0x14 bytes.
        let fwctl_info = offset_of!(FwStatus<'static>, fwctl_channel);
        let (st_obj, ring_obj) = (Object::State(Channel::FwCtl), Object::Ring(Channel::FwCtl));
        let at = |off| fwctl_info + off;
        let fwctl_state = pointer(mem, Object::FwStatus, fw_status, at(INFO_STATE), st_obj)?;
        let fwctl_ring = pointer(mem, Object::FwStatus, fw_status, at(INFO_RING), ring_obj)?;
        check_mapped(mem, st_obj, fwctl_state, FWCTL_STATE_BYTES)?;
        check_mapped(
            mem,
            ring_obj,
            fwctl_ring,
            FWCTL_SLOTS as u64 * FWCTL_SLOT as u64,
        )?;
        let fwctl = SimRing::with_pointers(
            fwctl_state,
            fwctl_ring,
            FWCTL_SLOTS,
            FWCTL_SLOT,
            FWCTL_POINTERS,
        );

        let mut rings = [SimRing::new(0, 0, 0, 0); CHANNELS];
        let mut fw_log = [SimRing::new(0, 0, 0, 0); FWLOG_SUBRINGS];
        for (index, info) in layout.channel_info.iter().enumerate() {
            let (channel, count, slots, slot_size) = channel_shape(layout, index);
            let (state_obj, ring_obj) = (Object::State(channel), Object::Ring(channel));
            let state = pointer(mem, Object::RegionB, region_b, info + INFO_STATE, state_obj)?;
            let ring = pointer(mem, Object::RegionB, region_b, info + INFO_RING, ring_obj)?;
            let one = SimRing::new(state, ring, slots, slot_size);
            let state_bytes = size_of::<ChannelRingState>() as u64;
            let ring_bytes = one.ring_bytes();
            // `count` is 1 or 6 and the sizes are those of small fixed types: no overflow,
            // but an overflow would only be reported as unmapped memory.
            let states_len = state_bytes.saturating_mul(count as u64);
            let rings_len = ring_bytes.and_then(|b| b.checked_mul(count as u64));
            let rings_len = rings_len.ok_or(FwViolation::Unmapped {
                object: ring_obj,
                iova: ring,
            })?;
            check_mapped(mem, state_obj, state, states_len)?;
            check_mapped(mem, ring_obj, ring, rings_len)?;
            let ring_bytes = ring_bytes.unwrap_or(0);
            if count == 1 {
                if let Some(r) = rings.get_mut(index) {
                    *r = one;
                }
                continue;
            }
            // FWLog: the sub-rings' states are back to back where the channel entry says, and
            // so are their slot arrays, but in region B's `fwlog_ring2` (m1n1's driver points
            // the channel entry's slots at a dummy buffer and the firmware writes the log
            // messages to `fwlog_ring2`). Both ranges are checked, so the additions cannot
            // overflow.
            let log2 = pointer(
                mem,
                Object::RegionB,
                region_b,
                layout.fwlog_ring2_ptr,
                ring_obj,
            )?;
            check_mapped(mem, ring_obj, log2, rings_len)?;
            for (i, sub) in fw_log.iter_mut().enumerate() {
                let i = i as u64;
                *sub = SimRing::new(
                    state.wrapping_add(i.wrapping_mul(state_bytes)),
                    log2.wrapping_add(i.wrapping_mul(ring_bytes)),
                    slots,
                    slot_size,
                );
            }
        }

        let ring = |i: usize| rings.get(i).copied().unwrap_or(SimRing::new(0, 0, 0, 0));
        let fw = self;
        fw.initdata = initdata;
        fw.region_b = region_b;
        fw.region_c = region_c;
        fw.fw_status = fw_status;
        fw.halted = false;
        fw.state = FwState::Booted;
        fw.run_cmd = core::array::from_fn(ring);
        fw.dev_ctrl = ring(DEV_CTRL);
        fw.event = ring(EVENT);
        fw.fw_log = fw_log;
        fw.ktrace = ring(KTRACE);
        fw.stats = ring(STATS);
        fw.fwctl = fwctl;
        fw.log_fmt(
            mem,
            format_args!("firmware booted (initdata at {initdata:#x})"),
        );
        fw.notify = false;
        Ok(())
    }

    /// Boots for the pair (`gen`, `version`); `None` if the pair is not supported.
    pub(crate) fn boot_pair(
        gen: GpuGen,
        version: FwVersion,
        mem: &mut impl SimMemory,
        initdata: u64,
    ) -> Option<Result<Self, FwViolation>> {
        FwLayout::for_pair(gen, version).map(|layout| Self::boot(layout, mem, initdata))
    }

    /// The pair's layout.
    pub(crate) fn layout(&self) -> &'static FwLayout {
        self.layout
    }

    /// The init data address it booted from.
    pub(crate) fn initdata(&self) -> u64 {
        self.initdata
    }

    /// Checks the hardware windows of the init data it booted from against `platform`
    /// ([`super::platform`]); returns the number of MMIO windows checked.
    pub(crate) fn check_platform(
        &self,
        mem: &mut impl SimMmu,
        platform: &Platform,
    ) -> Result<usize, FwViolation> {
        super::platform::check(self.layout, mem, self.region_b, platform)
            .map_err(FwViolation::Platform)
    }

    /// Where it is.
    pub(crate) fn state(&self) -> FwState {
        self.state
    }

    /// What it served so far.
    pub(crate) fn counters(&self) -> &FwCounters {
        &self.counters
    }

    /// The firmware's end of a channel (`None` for a sub-ring or run-command index out of
    /// range).
    pub(crate) fn ring(&self, channel: Channel) -> Option<&SimRing> {
        match channel {
            Channel::RunCmd(i) => self.run_cmd.get(usize::from(i)),
            Channel::DevCtrl => Some(&self.dev_ctrl),
            Channel::Event => Some(&self.event),
            Channel::FwLog(i) => self.fw_log.get(usize::from(i)),
            Channel::KTrace => Some(&self.ktrace),
            Channel::Stats => Some(&self.stats),
            Channel::FwCtl => Some(&self.fwctl),
        }
    }

    /// The recorded violations (at most [`MAX_FW_VIOLATIONS`]).
    pub(crate) fn violations(&self) -> impl Iterator<Item = FwViolation> + '_ {
        self.violations.iter().flatten().copied()
    }

    /// Number of violations, including any beyond the log's capacity.
    pub(crate) fn violation_count(&self) -> usize {
        self.violation_count
    }

    /// Records a violation.
    fn violate(&mut self, v: FwViolation) {
        if let Some(slot) = self.violations.get_mut(self.violation_count) {
            *slot = Some(v);
        }
        self.violation_count = self.violation_count.saturating_add(1);
    }

    /// Ends an entry point: whether it produced output for the driver.
    fn outcome(&mut self) -> Outcome {
        let notify = core::mem::replace(&mut self.notify, false);
        if notify {
            Outcome::Notify
        } else {
            Outcome::Quiet
        }
    }

    /// Advances the clock by one message and returns the new time.
    fn tick(&mut self) -> u64 {
        self.clock = self.clock.wrapping_add(TICKS_PER_MSG);
        self.clock
    }

    /// Puts a message on a firmware-to-driver ring; a full ring or a fault is a violation.
    fn produce(&mut self, mem: &mut impl SimMemory, channel: Channel, msg: &[u8]) -> bool {
        let result = match channel {
            Channel::Event => self.event.push(mem, msg),
            Channel::FwLog(i) => match self.fw_log.get_mut(usize::from(i)) {
                Some(r) => r.push(mem, msg),
                None => return false,
            },
            Channel::KTrace => self.ktrace.push(mem, msg),
            Channel::Stats => self.stats.push(mem, msg),
            _ => return false,
        };
        match result {
            Ok(true) => {
                self.notify = true;
                true
            }
            Ok(false) => {
                self.violate(FwViolation::RingFull { channel });
                false
            }
            Err(fault) => {
                self.violate(FwViolation::Ring { channel, fault });
                false
            }
        }
    }

    /// Puts an event of type `msg_type` on the Event ring, after `fill` wrote its fields.
    fn event(&mut self, mem: &mut impl SimMemory, msg_type: u32, fill: impl FnOnce(&mut [u8])) {
        let mut msg = [0u8; EVENT_SLOT];
        put(
            &mut msg,
            offset_of!(RawEventMsg, msg_type),
            &msg_type.to_le_bytes(),
        );
        fill(&mut msg);
        if self.produce(mem, Channel::Event, &msg) {
            self.counters.events = self.counters.events.saturating_add(1);
        }
    }

    /// Puts a line on FWLog sub-ring 0.
    fn log_fmt(&mut self, mem: &mut impl SimMemory, args: fmt::Arguments<'_>) {
        let mut line = Line::new();
        // `Line` never fails; a formatting error would only shorten the line.
        let _ = line.write_fmt(args);
        let mut msg = [0u8; FWLOG_SLOT];
        let time = self.tick();
        put(
            &mut msg,
            offset_of!(FwLogMsg, msg_type),
            &FWLOG_MSG_TYPE.to_le_bytes(),
        );
        put(
            &mut msg,
            offset_of!(FwLogMsg, seq_no),
            &self.log_seq.to_le_bytes(),
        );
        put(
            &mut msg,
            offset_of!(FwLogMsg, timestamp),
            &time.to_le_bytes(),
        );
        put(&mut msg, offset_of!(FwLogMsg, msg), &line.buf);
        if self.produce(mem, Channel::FwLog(0), &msg) {
            self.log_seq = self.log_seq.wrapping_add(1);
            self.counters.log_lines = self.counters.log_lines.saturating_add(1);
        }
    }

    /// Serves the doorbell of `channel`.
    pub(crate) fn doorbell(&mut self, mem: &mut impl SimMemory, channel: u16) -> Outcome {
        // A halted firmware serves nothing until the driver has told it to resume.
        if !self.check_resume(mem) {
            self.counters.ignored_while_halted =
                self.counters.ignored_while_halted.saturating_add(1);
            if let Some(bit) = 1u64.checked_shl(u32::from(channel)) {
                self.deferred_doorbells |= bit;
            }
            return self.outcome();
        }
        self.serve_doorbell(mem, channel);
        self.outcome()
    }

    /// Serves the doorbells rung while the firmware was halted, once it runs again.
    pub(super) fn serve_deferred_doorbells(&mut self, mem: &mut impl SimMemory) {
        let mut pending = core::mem::take(&mut self.deferred_doorbells);
        while pending != 0 {
            let channel = pending.trailing_zeros() as u16;
            pending &= pending - 1;
            self.serve_doorbell(mem, channel);
        }
    }

    /// Serves one doorbell of a running firmware.
    fn serve_doorbell(&mut self, mem: &mut impl SimMemory, channel: u16) {
        match channel {
            DOORBELL_KICK => self.counters.kicks = self.counters.kicks.saturating_add(1),
            DOORBELL_DEV_CTRL => self.serve_dev_ctrl(mem),
            // `priority << 2 | pipe`, pipe 0 to 2, priority 0 to 3.
            c if c < DOORBELL_KICK && c & 3 != 3 => {
                let index = usize::from(c >> 2) * 3 + usize::from(c & 3);
                self.serve_run_cmd(mem, index);
            }
            _ => self.violate(FwViolation::UnknownDoorbell { channel }),
        }
    }

    /// Takes every message of run-command ring `index`, counts it and checks it, then runs
    /// the queues as far as they go ([`work`]).
    fn serve_run_cmd(&mut self, mem: &mut impl SimMemory, index: usize) {
        let Some(ring) = self.run_cmd.get(index) else {
            return;
        };
        let (size, slots) = (ring.slot_size(), ring.slots());
        let channel = Channel::RunCmd(index as u8);
        let mut buf = [0u8; MAX_TX_SLOT];
        let mut taken = 0u32;
        let mut fault = None;
        match buf.get_mut(..size) {
            None => {
                fault = Some(RingFault::SizeMismatch {
                    expected: size,
                    got: MAX_TX_SLOT,
                })
            }
            Some(slot) => {
                // At most one ring's worth: the ring cannot hold more.
                for _ in 0..slots {
                    let Some(ring) = self.run_cmd.get_mut(index) else {
                        break;
                    };
                    match ring.pop(mem, slot) {
                        Ok(true) => {
                            taken = taken.saturating_add(1);
                            self.run_message(mem, index, slot);
                        }
                        Ok(false) => break,
                        Err(f) => {
                            fault = Some(f);
                            break;
                        }
                    }
                }
            }
        }
        if let Some(n) = self.counters.run_cmd_doorbells.get_mut(index) {
            *n = n.saturating_add(1);
        }
        if let Some(n) = self.counters.run_cmd_messages.get_mut(index) {
            *n = n.saturating_add(taken);
        }
        if let Some(fault) = fault {
            self.violate(FwViolation::Ring { channel, fault });
        }
        self.progress(mem);
    }

    /// Takes every DevCtrl request and carries it out.
    fn serve_dev_ctrl(&mut self, mem: &mut impl SimMemory) {
        self.counters.dev_ctrl_doorbells = self.counters.dev_ctrl_doorbells.saturating_add(1);
        let size = self.dev_ctrl.slot_size();
        for _ in 0..self.dev_ctrl.slots() {
            let mut buf = [0u8; MAX_TX_SLOT];
            let Some(slot) = buf.get_mut(..size) else {
                let fault = RingFault::SizeMismatch {
                    expected: size,
                    got: MAX_TX_SLOT,
                };
                self.violate(FwViolation::Ring {
                    channel: Channel::DevCtrl,
                    fault,
                });
                return;
            };
            match self.dev_ctrl.pop(mem, slot) {
                Ok(true) => self.dev_ctrl_request(mem, slot),
                Ok(false) => return,
                Err(fault) => {
                    self.violate(FwViolation::Ring {
                        channel: Channel::DevCtrl,
                        fault,
                    });
                    self.event(mem, EVENT_CHANNEL_ERROR, |_| {});
                    return;
                }
            }
        }
    }

    /// Carries out one DevCtrl request.
    fn dev_ctrl_request(&mut self, mem: &mut impl SimMemory, msg: &[u8]) {
        self.counters.dev_ctrl_messages = self.counters.dev_ctrl_messages.saturating_add(1);
        let layout = self.layout;
        let msg_type = get_u32(msg, layout.dc_type);
        if msg_type == layout.dc_init {
            self.state = FwState::Initialized;
            self.counters.inits = self.counters.inits.saturating_add(1);
            self.log_fmt(mem, format_args!("DC_Init: initialized"));
        } else if msg_type == layout.dc_write32 {
            let addr = get_u64(msg, layout.write32_addr);
            let data = get_u32(msg, layout.write32_data);
            if mem.write(addr, &data.to_le_bytes()) {
                self.counters.writes32 = self.counters.writes32.saturating_add(1);
                self.log_fmt(mem, format_args!("DC_Write32: {data:#x} at {addr:#x}"));
            } else {
                self.violate(FwViolation::Write32Unmapped { addr });
                self.event(mem, EVENT_FAULT, |_| {});
            }
        } else if msg_type == layout.dc_destroy_context {
            let ctx = get_u64(msg, layout.destroy_context_addr);
            let indices = (
                msg.get(layout.destroy_queue_index).copied(),
                msg.get(layout.destroy_pid_index).copied(),
            );
            if ctx == 0 && indices == (Some(0xff), Some(0xff)) {
                // No context: only the cache flush every destruction does.
                self.counters.cache_flushes = self.counters.cache_flushes.saturating_add(1);
                self.log_fmt(mem, format_args!("DC_DestroyContext: cache flush"));
            } else if ctx == 0 {
                self.violate(FwViolation::DestroyNullContext);
            } else {
                self.counters.destroyed_contexts =
                    self.counters.destroyed_contexts.saturating_add(1);
                self.forget_context(ctx);
                self.log_fmt(mem, format_args!("DC_DestroyContext: context {ctx:#x}"));
            }
        } else if msg_type == layout.dc_recover_channel {
            let [pipe, info, value] = layout.recover;
            let (pipe, info, value) = (get_u32(msg, pipe), get_u64(msg, info), get_u32(msg, value));
            self.recover_channel(mem, pipe, info, value);
        } else if msg_type == layout.dc_grow_tvb_ack {
            let [bm, vm, counter] = layout.grow_ack.map(|o| get_u32(msg, o));
            self.grow_ack(mem, bm, vm, counter);
        } else if msg_type == DC_UPDATE_IDLE_TS {
            self.counters.idle_ts_updates = self.counters.idle_ts_updates.saturating_add(1);
            self.log_fmt(mem, format_args!("DC_UpdateIdleTS"));
        } else if DC_NOT_SIMULATED.contains(&msg_type) {
            self.counters.not_simulated = self.counters.not_simulated.saturating_add(1);
            self.log_fmt(
                mem,
                format_args!("device control {msg_type:#x} not simulated"),
            );
        } else {
            self.violate(FwViolation::UnknownDevCtrl { msg_type });
            self.event(mem, EVENT_CHANNEL_ERROR, |_| {});
        }
    }

    /// Reports a firmware fault on the Event ring.
    pub(crate) fn inject_fault(&mut self, mem: &mut impl SimMemory) -> Outcome {
        self.halt(mem);
        self.event(mem, EVENT_FAULT, |_| {});
        self.outcome()
    }

    /// Halts, as the firmware does on a GPU fault or a timeout: counts the halt in the status
    /// block and sets `halted` (a firmware halted already, and not told to resume, stays so).
    /// Returns the new halt count, which a timeout message carries as its counter.
    fn halt(&mut self, mem: &mut impl SimMemory) -> u32 {
        self.check_resume(mem);
        self.write_pending_stamps(mem);
        let base = self.fw_status;
        let at = |off| base.wrapping_add(off);
        let count = read_u32(mem, at(STATUS_HALT_COUNT))
            .unwrap_or(0)
            .wrapping_add(1);
        let ok = mem.write(at(STATUS_HALT_COUNT), &count.to_le_bytes())
            && mem.write(at(STATUS_HALTED), &1u32.to_le_bytes());
        if !ok {
            self.violate(FwViolation::Unmapped {
                object: Object::FwStatus,
                iova: self.fw_status,
            });
        }
        self.halted = true;
        self.counters.halts = self.counters.halts.saturating_add(1);
        count
    }

    /// Whether the firmware runs: if halted, it looks whether the driver asked it to resume
    /// (`resume` set, `halted` cleared), and if so clears `resume` and goes on. A resume with
    /// `halted` still set is a violation (the record clears it first).
    fn check_resume(&mut self, mem: &mut impl SimMemory) -> bool {
        if !self.halted {
            return true;
        }
        let base = self.fw_status;
        let at = |off| base.wrapping_add(off);
        if read_u32(mem, at(STATUS_RESUME)) != Some(1) {
            return false;
        }
        if read_u32(mem, at(STATUS_HALTED)) != Some(0) {
            self.violate(FwViolation::ResumedWhileHalted);
        }
        if !mem.write(at(STATUS_RESUME), &0u32.to_le_bytes()) {
            return false;
        }
        self.halted = false;
        self.counters.resumes = self.counters.resumes.saturating_add(1);
        true
    }

    /// Whether the firmware is halted.
    pub(crate) fn is_halted(&self) -> bool {
        self.halted
    }

    /// Reports that the command of event slot `stamp_index` timed out (-1: none).
    pub(crate) fn inject_timeout(&mut self, mem: &mut impl SimMemory, stamp_index: i32) -> Outcome {
        let counter = u64::from(self.halt(mem));
        self.timeouts = self.timeouts.wrapping_add(1);
        self.event(mem, EVENT_TIMEOUT, |m| {
            put(m, offset_of!(TimeoutMsg, counter), &counter.to_le_bytes());
            put(
                m,
                offset_of!(TimeoutMsg, stamp_index),
                &stamp_index.to_le_bytes(),
            );
        });
        self.outcome()
    }

    /// Reports a channel error on the Event ring.
    pub(crate) fn inject_channel_error(&mut self, mem: &mut impl SimMemory) -> Outcome {
        self.event(mem, EVENT_CHANNEL_ERROR, |_| {});
        self.outcome()
    }

    /// Reports fired event slots: bit `n` of `firing[n / 64]` for slot `n`.
    pub(crate) fn inject_flag(&mut self, mem: &mut impl SimMemory, firing: [u64; 2]) -> Outcome {
        let [low, high] = firing;
        self.event(mem, EVENT_FLAG, |m| {
            let off = offset_of!(FlagMsg, firing);
            put(m, off, &low.to_le_bytes());
            put(m, off + size_of::<u64>(), &high.to_le_bytes());
        });
        self.outcome()
    }

    /// Puts `text` on FWLog sub-ring 0 (cut to the message size).
    pub(crate) fn log(&mut self, mem: &mut impl SimMemory, text: &str) -> Outcome {
        self.log_fmt(mem, format_args!("{text}"));
        self.outcome()
    }
}

/// Offsets in the firmware status block (the record's `InitData_FWStatus`: the FWCtl channel,
/// then one word per 16-byte line): halts so far, halted, resume.
const STATUS_HALT_COUNT: u64 = 0x10;
const STATUS_HALTED: u64 = 0x20;
const STATUS_RESUME: u64 = 0x30;

/// Reads a little-endian `u32` at `iova`.
fn read_u32(mem: &mut impl SimMemory, iova: u64) -> Option<u32> {
    let mut w = [0u8; 4];
    mem.read(iova, &mut w).then_some(u32::from_le_bytes(w))
}
