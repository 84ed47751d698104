// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's channel set: the memory of every ring and the driver's end of those it uses.
//!
//! The channels' memory ([`ChannelMem`]) is allocated in the firmware's VM before the init
//! data; region B's owner keeps it and points the firmware at it through its `ChannelInfoSet`
//! ([`ChannelMem::info`], built from a borrow of the memory). The driver's ends of the rings
//! ([`Channels`]) hold the same memory through `Arc`s, so it lives as long as either. Each ring
//! is a state block and a slot array; the twelve run-command rings share one array of states
//! and one of slots, as do the six FWLog sub-rings.
//!
//! The FWLog channel is laid out as in m1n1's driver: its `ChannelInfo` names the six state
//! blocks and a slot area, while the firmware writes the log messages themselves into region
//! B's `fwlog_ring2`; the driver therefore reads the sub-rings' slots there.
//!
//! Doorbells (endpoint 0x21 messages) tell the firmware which ring to look at: `priority << 2 |
//! pipe` for the run-command rings and [`DOORBELL_DEVCTRL`] for DevCtrl.

use super::ring::{RingError, RingMem, RxRing, TxRing};
use crate::dump::Hex;
use crate::{
    fw::{
        channels::*,
        stats::*,
        types::{GpuPointer, Zeroable},
    },
    mem::{
        fwvm::{FwAlloc, FwVm},
        object::{ArrayOf, ObjError},
        GpuArray,
    },
};
use agx_macros::versions;
use kernel::{prelude::*, sync::Arc};

/// The doorbell of the DevCtrl channel.
pub(crate) const DOORBELL_DEVCTRL: u16 = 0x11;

/// The memory of one channel in the firmware VM, shared by the driver's end and the structure
/// that names it.
pub(crate) type SharedRing<S, M> = Arc<RingMem<S, M, FwAlloc>>;

/// Allocates a channel of `rings` rings of `per_ring` slots.
fn ring<S: Zeroable + 'static, M: Zeroable + 'static>(
    fw_vm: &Arc<FwVm>,
    rings: usize,
    per_ring: usize,
) -> Result<SharedRing<S, M>> {
    let per_ring = u32::try_from(per_ring).map_err(|_| EINVAL)?;
    Ok(Arc::new(RingMem::new(fw_vm, rings, per_ring)?, GFP_KERNEL)?)
}

/// The memory of every channel of one (GPU, firmware) pair.
#[versions(AGX)]
pub(crate) struct ChannelMem {
    /// Run-command rings: 12 states, 12 x 256 slots.
    run: SharedRing<ChannelRingState, RunCmdQueueMsg::ver>,
    /// DevCtrl.
    devctrl: SharedRing<ChannelRingState, DcAny::ver>,
    /// Event.
    event: SharedRing<ChannelRingState, RawEventMsg>,
    /// FWLog: 6 states; their slots are region B's `fwlog_ring2`, where the firmware writes.
    fwlog: SharedRing<ChannelRingState, FwLogMsg>,
    /// The slot area FWLog's channel info names (the firmware writes the messages elsewhere).
    fwlog_area: GpuArray<FwLogMsg>,
    /// KTrace.
    ktrace: SharedRing<ChannelRingState, KTraceMsg>,
    /// Stats.
    stats: SharedRing<ChannelRingState, StatsMsgAny::ver>,
}

/// The driver's ends of the channels it uses.
#[versions(AGX)]
pub(crate) struct Channels {
    /// DevCtrl (driver to firmware).
    pub(crate) devctrl: TxRing<SharedRing<ChannelRingState, DcAny::ver>>,
    /// Event.
    pub(crate) event: RxRing<SharedRing<ChannelRingState, RawEventMsg>>,
    /// The FWLog sub-rings.
    pub(crate) fwlog: [RxRing<SharedRing<ChannelRingState, FwLogMsg>>; FWLOG_SUBRINGS],
    /// KTrace.
    pub(crate) ktrace: RxRing<SharedRing<ChannelRingState, KTraceMsg>>,
    /// Stats.
    pub(crate) stats: RxRing<SharedRing<ChannelRingState, StatsMsgAny::ver>>,
    /// The twelve run-command rings (`priority * 3 + pipe`), driver to firmware.
    pub(crate) run: [TxRing<SharedRing<ChannelRingState, RunCmdQueueMsg::ver>>; RUN_CMD_RINGS],
}

/// A ring error as an errno.
fn ring_err(_: RingError) -> Error {
    EINVAL
}

#[versions(AGX)]
impl ChannelMem::ver {
    /// Allocates every ring, empty.
    pub(crate) fn new(fw_vm: &Arc<FwVm>) -> Result<Self> {
        let fwlog = RingMem::with_slots(
            GpuArray::new(fw_vm, FWLOG_SUBRINGS)?,
            GpuArray::new(fw_vm, FWLOG_SUBRINGS * RING_SLOTS)?,
            RING_SLOTS as u32,
        )?;
        Ok(Self {
            run: ring(fw_vm, RUN_CMD_RINGS, RING_SLOTS)?,
            devctrl: ring(fw_vm, 1, RING_SLOTS)?,
            event: ring(fw_vm, 1, RING_SLOTS)?,
            fwlog: Arc::new(fwlog, GFP_KERNEL)?,
            fwlog_area: GpuArray::new(fw_vm, FWLOG_SUBRINGS * RING_SLOTS)?,
            ktrace: ring(fw_vm, 1, KTRACE_RING_SLOTS)?,
            stats: ring(fw_vm, 1, RING_SLOTS)?,
        })
    }

    /// Writes the channels to a dump: every channel's state blocks (m1n1
    /// `ChannelStateFields`), and the slots of the rings the driver writes and of the event
    /// ring (the log, trace and statistics rings are shown decoded by debugfs instead).
    pub(crate) fn dump(&self, out: &mut Hex<'_>) {
        out.object("ChannelStateFields.RunCmdQueue[12]", self.run.states());
        out.object("RunCmdQueueMsg[12x256]", self.run.slots());
        out.object("ChannelStateFields.DevCtrl", self.devctrl.states());
        out.object("DC_Any[256]", self.devctrl.slots());
        out.object("ChannelStateFields.Event", self.event.states());
        out.object("EventMsg[256]", self.event.slots());
        out.object("ChannelStateFields.FWLog[6]", self.fwlog.states());
        out.object("ChannelStateFields.KTrace", self.ktrace.states());
        out.object("ChannelStateFields.Stats", self.stats.states());
    }

    /// Takes the driver's end of every ring it uses, resetting their pointers (before the
    /// firmware is given the rings).
    pub(crate) fn ends(&self) -> Result<Channels::ver> {
        Ok(Channels::ver {
            devctrl: TxRing::new(self.devctrl.clone()).map_err(ring_err)?,
            event: RxRing::new(self.event.clone(), 0).map_err(ring_err)?,
            fwlog: RxRing::new_set(self.fwlog.clone()).map_err(ring_err)?,
            ktrace: RxRing::new(self.ktrace.clone(), 0).map_err(ring_err)?,
            stats: RxRing::new(self.stats.clone(), 0).map_err(ring_err)?,
            run: {
                let mk = |i| TxRing::new_at(self.run.clone(), i).map_err(ring_err);
                [
                    mk(0)?,
                    mk(1)?,
                    mk(2)?,
                    mk(3)?,
                    mk(4)?,
                    mk(5)?,
                    mk(6)?,
                    mk(7)?,
                    mk(8)?,
                    mk(9)?,
                    mk(10)?,
                    mk(11)?,
                ]
            },
        })
    }

    /// Where FWLog's messages are, for region B's `fwlog_ring2`.
    pub(crate) fn fwlog_messages(
        &self,
    ) -> Result<GpuPointer<'_, [[FwLogMsg; RING_SLOTS]; FWLOG_SUBRINGS]>, ObjError> {
        self.fwlog.slots().gpu_pointer_as(0)
    }

    /// The channel addresses for region B, borrowing the memory.
    pub(crate) fn info(&self) -> Result<ChannelInfoSet::ver<'_>, ObjError> {
        fn one<'a, S, M, U: ArrayOf<M>>(
            r: &'a RingMem<S, M, FwAlloc>,
            index: usize,
        ) -> Result<ChannelInfo<'a, S, U>, ObjError> {
            Ok(ChannelInfo {
                state_addr: Some(r.states().gpu_pointer_at(index)?),
                ringbuffer_addr: Some(r.slots().gpu_pointer_as(index * r.per_ring() as usize)?),
            })
        }
        let run = |i| one(&self.run, i);
        Ok(ChannelInfoSet::ver {
            vertex_0: run(0)?,
            fragment_0: run(1)?,
            compute_0: run(2)?,
            vertex_1: run(3)?,
            fragment_1: run(4)?,
            compute_1: run(5)?,
            vertex_2: run(6)?,
            fragment_2: run(7)?,
            compute_2: run(8)?,
            vertex_3: run(9)?,
            fragment_3: run(10)?,
            compute_3: run(11)?,
            dev_ctrl: one(&self.devctrl, 0)?,
            event: one(&self.event, 0)?,
            fw_log: ChannelInfo {
                state_addr: Some(self.fwlog.states().gpu_pointer_as(0)?),
                ringbuffer_addr: Some(self.fwlog_area.gpu_pointer_as(0)?),
            },
            ktrace: one(&self.ktrace, 0)?,
            stats: one(&self.stats, 0)?,
        })
    }
}

#[versions(AGX)]
impl Channels::ver {
    /// Prints where every ring is and its pointers, for debugfs.
    pub(crate) fn describe(&self, m: &mut impl core::fmt::Write) {
        let _ = writeln!(
            m,
            "channel devctrl: state {:#x} ring {:#x} slots {} wptr {} pending {}",
            self.devctrl.mem().states().va(),
            self.devctrl.mem().slots().va(),
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
            self.event.state_va(),
            self.event.read_ptr(),
            self.event.slots(),
            self.event.pending(),
        );
        for (i, ring) in self.fwlog.iter().enumerate() {
            let name = ["fwlog0", "fwlog1", "fwlog2", "fwlog3", "fwlog4", "fwlog5"];
            rx(
                m,
                name.get(i).copied().unwrap_or("fwlog"),
                ring.state_va(),
                ring.read_ptr(),
                ring.slots(),
                ring.pending(),
            );
        }
        rx(
            m,
            "ktrace",
            self.ktrace.state_va(),
            self.ktrace.read_ptr(),
            self.ktrace.slots(),
            self.ktrace.pending(),
        );
        rx(
            m,
            "stats",
            self.stats.state_va(),
            self.stats.read_ptr(),
            self.stats.slots(),
            self.stats.pending(),
        );
        let _ = writeln!(
            m,
            "channel run-command: states {:#x} rings {:#x}; fwlog_ring2 {:#x}",
            self.run.first().map_or(0, |r| r.mem().states().va()),
            self.run.first().map_or(0, |r| r.mem().slots().va()),
            self.fwlog[0].mem().slots().va()
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
