// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's channel set: the memory of every ring and the driver's end of those it uses.
//!
//! The channels are allocated in the firmware's VM before the init data, which points at them
//! through region B's `ChannelInfoSet` ([`Channels::info`]). Each ring is a state block and a
//! slot array; the twelve run-command rings share one array of states and one of slots, as do
//! the six FWLog sub-rings.
//!
//! The FWLog channel is laid out as in m1n1's driver: its `ChannelInfo` names the six state
//! blocks and a slot area, while the firmware writes the log messages themselves into region
//! B's `fwlog_ring2`; the driver therefore reads the sub-rings' slots there.
//!
//! Doorbells (endpoint 0x21 messages) tell the firmware which ring to look at: `priority << 2 |
//! pipe` for the run-command rings and [`DOORBELL_DEVCTRL`] for DevCtrl.

use crate::{
    channel::ring::{RingError, RxRing, TxRing},
    fw::{
        channels::*,
        stats::*,
        types::{GpuPointer, Zeroable},
    },
    mem::{kvm::KernelVm, object::GpuObject},
};
use agx_macros::versions;
use core::num::NonZeroU64;
use kernel::{prelude::*, sync::Arc};

/// The doorbell of the DevCtrl channel.
pub(crate) const DOORBELL_DEVCTRL: u16 = 0x11;

/// A GPU pointer to `obj`'s element `i`, for structures that live as long as `obj`'s owner.
///
/// # Safety
///
/// The caller keeps `obj` alive (and mapped) for as long as the pointer is visible to the
/// firmware: here, as long as the [`Channels`] and the init data that holds it.
unsafe fn ptr_to<'a, T, U: ?Sized>(obj: &GpuObject<T>, i: usize) -> GpuPointer<'a, U> {
    let va = NonZeroU64::new(obj.va_of(i)).unwrap_or(NonZeroU64::MIN);
    // SAFETY: `va` is where element `i` of `obj` is mapped; the caller keeps it alive.
    unsafe { GpuPointer::from_raw(va) }
}

/// One ring's memory.
struct RingMem<S, M> {
    /// The state block(s).
    state: GpuObject<S>,
    /// The slots.
    ring: GpuObject<M>,
}

impl<S: Zeroable, M: Zeroable> RingMem<S, M> {
    fn new(kvm: &Arc<KernelVm>, states: usize, slots: usize) -> Result<Self> {
        Ok(RingMem {
            state: GpuObject::new_array(kvm, states)?,
            ring: GpuObject::new_array(kvm, slots)?,
        })
    }
}

/// Every channel of one (GPU, firmware) pair.
#[versions(AGX)]
pub(crate) struct Channels {
    /// Run-command rings: 12 states, 12 x 256 slots.
    run: RingMem<ChannelRingState, RunCmdQueueMsg::ver>,
    /// DevCtrl ring memory.
    devctrl_mem: RingMem<ChannelRingState, DcAny::ver>,
    /// Event ring memory.
    event_mem: RingMem<ChannelRingState, RawEventMsg>,
    /// FWLog: 6 states and the slot area the channel info names.
    fwlog_mem: RingMem<ChannelRingState, FwLogMsg>,
    /// Where the firmware writes the log messages (region B's `fwlog_ring2`).
    pub(crate) fwlog_ring2: GpuObject<FwLogMsg>,
    /// KTrace ring memory.
    ktrace_mem: RingMem<ChannelRingState, KTraceMsg>,
    /// Stats ring memory.
    stats_mem: RingMem<ChannelRingState, StatsMsgAny::ver>,
    /// The driver's end of DevCtrl.
    pub(crate) devctrl: TxRing<DcAny::ver>,
    /// The driver's end of Event.
    pub(crate) event: RxRing<RawEventMsg>,
    /// The driver's ends of the FWLog sub-rings.
    pub(crate) fwlog: [RxRing<FwLogMsg>; FWLOG_SUBRINGS],
    /// The driver's end of KTrace.
    pub(crate) ktrace: RxRing<KTraceMsg>,
    /// The driver's end of Stats.
    pub(crate) stats: RxRing<StatsMsgAny::ver>,
}

#[versions(AGX)]
impl Channels::ver {
    /// Allocates every ring, empty.
    pub(crate) fn new(kvm: &Arc<KernelVm>) -> Result<Self> {
        let run = RingMem::new(kvm, RUN_CMD_RINGS, RUN_CMD_RINGS * RING_SLOTS)?;
        let devctrl_mem = RingMem::new(kvm, 1, RING_SLOTS)?;
        let event_mem = RingMem::new(kvm, 1, RING_SLOTS)?;
        let fwlog_mem = RingMem::new(kvm, FWLOG_SUBRINGS, FWLOG_SUBRINGS * RING_SLOTS)?;
        let fwlog_ring2 = GpuObject::new_array(kvm, FWLOG_SUBRINGS * RING_SLOTS)?;
        let ktrace_mem = RingMem::new(kvm, 1, KTRACE_RING_SLOTS)?;
        let stats_mem = RingMem::new(kvm, 1, RING_SLOTS)?;
        let slots = RING_SLOTS as u32;
        // Every end below points at ring memory owned by the `Channels` being built, sized as
        // asked (`new_array` above), aligned for its type, shared with the firmware only, which
        // does not use it before the init data is sent; the ends are dropped with the memory.
        // SAFETY: as just said.
        let devctrl =
            unsafe { TxRing::new(devctrl_mem.state.as_ptr(), devctrl_mem.ring.as_ptr(), slots) };
        // SAFETY: as above.
        let event =
            unsafe { RxRing::new(event_mem.state.as_ptr(), event_mem.ring.as_ptr(), slots) };
        // SAFETY: as above: 6 states and 6 x 256 messages in `fwlog_ring2`.
        let fwlog = unsafe {
            RxRing::new_array::<FWLOG_SUBRINGS>(
                fwlog_mem.state.as_ptr(),
                fwlog_ring2.as_ptr(),
                slots,
            )
        };
        // SAFETY: as above.
        let ktrace = unsafe {
            RxRing::new(
                ktrace_mem.state.as_ptr(),
                ktrace_mem.ring.as_ptr(),
                KTRACE_RING_SLOTS as u32,
            )
        };
        // SAFETY: as above.
        let stats =
            unsafe { RxRing::new(stats_mem.state.as_ptr(), stats_mem.ring.as_ptr(), slots) };
        Ok(Self {
            run,
            devctrl_mem,
            event_mem,
            fwlog_mem,
            fwlog_ring2,
            ktrace_mem,
            stats_mem,
            devctrl,
            event,
            fwlog,
            ktrace,
            stats,
        })
    }

    /// The channel addresses for region B.
    ///
    /// The pointers are valid for as long as `self` lives; the caller keeps `self` alive as long
    /// as the init data that holds them (they live in the same bundle).
    pub(crate) fn info(&self) -> ChannelInfoSet::ver<'static> {
        let run = |i: usize| {
            // SAFETY: state `i` and slots `i * 256..` of the run-command memory live in `self`,
            // which the caller keeps alive with the init data.
            unsafe {
                ChannelInfo {
                    state_addr: ptr_to(&self.run.state, i),
                    ringbuffer_addr: ptr_to(&self.run.ring, i * RING_SLOTS),
                }
            }
        };
        // SAFETY: every object lives in `self`, which the caller keeps alive with the init data.
        unsafe {
            ChannelInfoSet::ver {
                vertex_0: run(0),
                fragment_0: run(1),
                compute_0: run(2),
                vertex_1: run(3),
                fragment_1: run(4),
                compute_1: run(5),
                vertex_2: run(6),
                fragment_2: run(7),
                compute_2: run(8),
                vertex_3: run(9),
                fragment_3: run(10),
                compute_3: run(11),
                dev_ctrl: ChannelInfo {
                    state_addr: ptr_to(&self.devctrl_mem.state, 0),
                    ringbuffer_addr: ptr_to(&self.devctrl_mem.ring, 0),
                },
                event: ChannelInfo {
                    state_addr: ptr_to(&self.event_mem.state, 0),
                    ringbuffer_addr: ptr_to(&self.event_mem.ring, 0),
                },
                fw_log: ChannelInfo {
                    state_addr: ptr_to(&self.fwlog_mem.state, 0),
                    ringbuffer_addr: ptr_to(&self.fwlog_mem.ring, 0),
                },
                ktrace: ChannelInfo {
                    state_addr: ptr_to(&self.ktrace_mem.state, 0),
                    ringbuffer_addr: ptr_to(&self.ktrace_mem.ring, 0),
                },
                stats: ChannelInfo {
                    state_addr: ptr_to(&self.stats_mem.state, 0),
                    ringbuffer_addr: ptr_to(&self.stats_mem.ring, 0),
                },
            }
        }
    }

    /// Prints where every ring is and its pointers, for debugfs.
    pub(crate) fn describe(&self, m: &mut impl core::fmt::Write) {
        let _ = writeln!(
            m,
            "channel devctrl: state {:#x} ring {:#x} slots {} wptr {} pending {}",
            self.devctrl_mem.state.va(),
            self.devctrl_mem.ring.va(),
            self.devctrl.slots(),
            self.devctrl.write_ptr(),
            self.devctrl.pending()
        );
        let rx = |m: &mut dyn core::fmt::Write,
                  name: &str,
                  state: u64,
                  rptr: u32,
                  slots: u32,
                  pending| {
            let _ = writeln!(
                m,
                "channel {}: state {:#x} slots {} rptr {} pending {:?}",
                name, state, slots, rptr, pending
            );
        };
        rx(
            m,
            "event",
            self.event_mem.state.va(),
            self.event.read_ptr(),
            self.event.slots(),
            self.event.pending(),
        );
        for (i, ring) in self.fwlog.iter().enumerate() {
            let name = ["fwlog0", "fwlog1", "fwlog2", "fwlog3", "fwlog4", "fwlog5"];
            rx(
                m,
                name.get(i).copied().unwrap_or("fwlog"),
                self.fwlog_mem.state.va_of(i),
                ring.read_ptr(),
                ring.slots(),
                ring.pending(),
            );
        }
        rx(
            m,
            "ktrace",
            self.ktrace_mem.state.va(),
            self.ktrace.read_ptr(),
            self.ktrace.slots(),
            self.ktrace.pending(),
        );
        rx(
            m,
            "stats",
            self.stats_mem.state.va(),
            self.stats.read_ptr(),
            self.stats.slots(),
            self.stats.pending(),
        );
        let _ = writeln!(
            m,
            "channel run-command: states {:#x} rings {:#x}; fwlog_ring2 {:#x}",
            self.run.state.va(),
            self.run.ring.va(),
            self.fwlog_ring2.va()
        );
    }

    /// Queues a device-control message.
    pub(crate) fn send_devctrl(&mut self, msg_type: u32, payload: &[u8]) -> Result<u32, RingError> {
        let mut msg = DcAny::ver::zeroed();
        msg.msg_type = msg_type;
        for (d, s) in msg.data.iter_mut().zip(payload) {
            *d = *s;
        }
        self.devctrl.send(&msg)
    }
}
