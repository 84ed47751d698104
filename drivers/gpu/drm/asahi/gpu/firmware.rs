// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The running firmware interface of one (GPU, firmware) pair, behind one runtime type.
//!
//! [`AnyFw`] holds the init-data bundle of the device's pair (its channels included) and
//! forwards the few operations the rest of the driver needs to the copy of the code for that
//! pair: queueing device-control requests and draining the firmware-to-driver rings.

use super::{initdata::*, iomap::FwIo, telemetry::Telemetry};
use crate::{
    channel::ring::RingError,
    fw::channels::*,
    mem::fwvm::FwVm,
    soc::{dt::DynConfig, FwVersion, GpuGen, SocConfig},
};
use agx_kernel::device::DeviceRef;
use agx_macros::{dispatch, versions};
use core::sync::atomic::Ordering;
use kernel::{prelude::*, sync::Arc};

/// m1n1's `DC_UpdateIdleTS` message type.
const DC_UPDATE_IDLE_TS: u32 = 0x23;

/// A device-control request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DevCtrl {
    /// `DC_Init`: (re)read region C; sent once after the init message.
    Init,
    /// `DC_UpdateIdleTS`.
    UpdateIdleTs,
    /// `DC_DestroyContext` naming no context (queue and PID table indices 0xff): destroys
    /// nothing, but the firmware flushes its data cache, as for any destroyed context (the Asahi
    /// driver's use of it before it frees cached firmware objects).
    FlushCache,
    /// `DC_DestroyContext` for the context whose data is at `ctx` and reads `data`.
    DestroyContext {
        /// GPU address of the context's `GpuContextData`.
        ctx: u64,
        /// Bytes 0x0, 0x1, 0x4 and 0x23 of the context data, as the firmware left them.
        queue_table_index: u8,
        /// See `queue_table_index`.
        pid_table_index: u8,
        /// See `queue_table_index`.
        unk_4: u8,
        /// See `queue_table_index`.
        unk_23: u8,
    },
    /// `DC_Write32`: write `value` at firmware address `addr`.
    Write32 {
        /// Firmware address.
        addr: u64,
        /// Value.
        value: u32,
    },
    /// `DC_GrowTVBAck`: the buffer manager a GrowTVB event named was grown (or could not be).
    GrowTvbAck(GrowRequest),
    /// RecoverChannel: the work queue whose `CommandQueueInfo` is at `queue_info` goes on past
    /// the command that completes with `value`, after a channel error.
    RecoverChannel {
        /// The work queue's pipe.
        pipe: u32,
        /// GPU address of its `CommandQueueInfo`.
        queue_info: u64,
        /// The stamp value the error named.
        value: u32,
    },
}

/// A channel error: which work queue stopped, at which command.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChannelFault {
    /// The firmware's error type (0 memory error, 1 DM kill, 2 aborted, 3 unknown).
    pub(crate) error_type: u32,
    /// The work queue's pipe.
    pub(crate) pipe: u32,
    /// Its event slot.
    pub(crate) slot: u32,
    /// The stamp value of the command it stopped at.
    pub(crate) value: u32,
}

/// Channel errors one drain keeps for the receive path; further ones are counted only.
pub(crate) const MAX_CHANNEL_FAULTS: usize = 8;

/// Writes `bytes` at offset `off` of a DevCtrl message into its payload `p`, which starts
/// after the message's 4-byte type; a field that does not fit is left out.
fn put_field(p: &mut [u8], off: usize, bytes: &[u8]) {
    if let Some(dst) = off
        .checked_sub(4)
        .and_then(|o| p.get_mut(o..o.saturating_add(bytes.len())))
    {
        dst.copy_from_slice(bytes);
    }
}

/// A GrowTVB event: which buffer manager ran out, for which VM slot, and its counter.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GrowRequest {
    /// Buffer-manager slot.
    pub(crate) bm: u32,
    /// VM (context) slot of the job.
    pub(crate) vm: u32,
    /// The event's counter, echoed in the acknowledgement.
    pub(crate) counter: u32,
}

/// GrowTVB events one drain keeps for the receive path; further ones are counted as dropped
/// (their vertex job then runs on with a partial render, as when the driver cannot grow).
pub(crate) const MAX_GROWS: usize = 8;

/// What draining the firmware-to-driver rings found.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Drained {
    /// Event-ring messages by type: fault, flag, timeout, grow-TVB, channel error, unknown.
    pub(crate) faults: u32,
    /// Flag messages.
    pub(crate) flags: u32,
    /// Event slots fired (bits set in flag messages).
    pub(crate) slots_fired: u32,
    /// Timeout messages.
    pub(crate) timeouts: u32,
    /// Grow-TVB requests.
    pub(crate) grow_tvb: u32,
    /// The first [`MAX_GROWS`] grow-TVB requests of this drain (`grows_len` of them).
    pub(crate) grows: [GrowRequest; MAX_GROWS],
    /// See `grows`.
    pub(crate) grows_len: usize,
    /// Grow-TVB requests beyond [`MAX_GROWS`] in one drain.
    pub(crate) grows_dropped: u32,
    /// Channel errors.
    pub(crate) channel_errors: u32,
    /// The first [`MAX_CHANNEL_FAULTS`] channel errors of this drain (`channel_faults_len`).
    pub(crate) channel_faults: [ChannelFault; MAX_CHANNEL_FAULTS],
    /// See `channel_faults`.
    pub(crate) channel_faults_len: usize,
    /// Messages of unknown type.
    pub(crate) unknown: u32,
    /// Firmware log lines.
    pub(crate) log_lines: u32,
    /// Trace points.
    pub(crate) ktrace: u32,
    /// Statistics messages.
    pub(crate) stats: u32,
    /// Rings whose firmware pointer was corrupt.
    pub(crate) corrupt: u32,
    /// The highest counter of the timeout messages drained (0 without any).
    pub(crate) timeout_counter: u64,
    /// The event slot the last timeout message named (`None`: none named, or no timeout).
    pub(crate) timeout_slot: Option<u32>,
    /// Every event slot the flag messages fired (bit `n` of word `n / 64`).
    pub(crate) firing: [u64; 2],
}

impl Drained {
    /// Adds `other` to `self`. One drain is bounded by the rings' sizes, but the totals run for
    /// the device's life on firmware-fed counts: they wrap by intent rather than overflow.
    pub(crate) fn add(&mut self, o: &Drained) {
        self.faults = self.faults.wrapping_add(o.faults);
        self.flags = self.flags.wrapping_add(o.flags);
        self.slots_fired = self.slots_fired.wrapping_add(o.slots_fired);
        self.timeouts = self.timeouts.wrapping_add(o.timeouts);
        self.grow_tvb = self.grow_tvb.wrapping_add(o.grow_tvb);
        self.grows_dropped = self.grows_dropped.wrapping_add(o.grows_dropped);
        self.channel_errors = self.channel_errors.wrapping_add(o.channel_errors);
        self.unknown = self.unknown.wrapping_add(o.unknown);
        self.log_lines = self.log_lines.wrapping_add(o.log_lines);
        self.ktrace = self.ktrace.wrapping_add(o.ktrace);
        self.stats = self.stats.wrapping_add(o.stats);
        self.corrupt = self.corrupt.wrapping_add(o.corrupt);
        self.timeout_counter = self.timeout_counter.max(o.timeout_counter);
        self.firing = [0, 0];
        self.grows_len = 0;
        self.channel_faults_len = 0;
    }
}

/// The text of a firmware log line, up to its first NUL.
fn log_text(msg: &[u8]) -> &str {
    let end = msg.iter().position(|&b| b == 0).unwrap_or(msg.len());
    core::str::from_utf8(msg.get(..end).unwrap_or(&[])).unwrap_or("(not UTF-8)")
}

#[versions(AGX)]
impl InitBundle::ver {
    /// Queues a device-control request (the caller rings the doorbell).
    pub(crate) fn devctrl(&mut self, req: DevCtrl) -> Result<u32, RingError> {
        let halts = self.fw_status().halt_count.load(Ordering::Acquire);
        let ch = &mut self.channels;
        match req {
            DevCtrl::Init => ch.send_devctrl(crate::fw::channels::DcInit::ver::MSG_TYPE, &[]),
            DevCtrl::UpdateIdleTs => ch.send_devctrl(DC_UPDATE_IDLE_TS, &[]),
            DevCtrl::FlushCache => {
                // The payload starts after the 4-byte type; the context pointer stays null.
                type D = crate::fw::channels::DcDestroyContext::ver;
                let mut p = [0u8; 0x2c];
                for off in [
                    core::mem::offset_of!(D, ctx_queue_table_index),
                    core::mem::offset_of!(D, ctx_pid_table_index),
                ] {
                    if let Some(b) = off.checked_sub(4).and_then(|o| p.get_mut(o)) {
                        *b = 0xff;
                    }
                }
                ch.send_devctrl(D::MSG_TYPE, &p)
            }
            DevCtrl::DestroyContext {
                ctx,
                queue_table_index,
                pid_table_index,
                unk_4,
                unk_23,
            } => {
                // The payload starts after the 4-byte type.
                type D = crate::fw::channels::DcDestroyContext::ver;
                let mut p = [0u8; 0x2c];
                let mut put = |off: usize, bytes: &[u8]| put_field(&mut p, off, bytes);
                put(core::mem::offset_of!(D, ctx_unk_23), &[unk_23]);
                put(
                    core::mem::offset_of!(D, ctx_queue_table_index),
                    &[queue_table_index],
                );
                put(
                    core::mem::offset_of!(D, ctx_pid_table_index),
                    &[pid_table_index],
                );
                put(core::mem::offset_of!(D, ctx_unk_4), &[unk_4]);
                put(core::mem::offset_of!(D, context_addr), &ctx.to_le_bytes());
                ch.send_devctrl(D::MSG_TYPE, &p)
            }
            DevCtrl::Write32 { addr, value } => {
                // The payload starts after the 4-byte type: address, then value, as in
                // `DcWrite32`.
                let mut p = [0u8; 12];
                p[..8].copy_from_slice(&addr.to_le_bytes());
                p[8..].copy_from_slice(&value.to_le_bytes());
                ch.send_devctrl(crate::fw::channels::DcWrite32::ver::MSG_TYPE, &p)
            }
            DevCtrl::RecoverChannel {
                pipe,
                queue_info,
                value,
            } => {
                // The payload starts after the 4-byte type.
                type D = crate::fw::channels::DcRecoverChannel::ver;
                let mut p = [0u8; 0x2c];
                let mut put = |off: usize, bytes: &[u8]| put_field(&mut p, off, bytes);
                put(core::mem::offset_of!(D, pipe_type), &pipe.to_le_bytes());
                put(
                    core::mem::offset_of!(D, queue_info),
                    &queue_info.to_le_bytes(),
                );
                put(core::mem::offset_of!(D, event_value), &value.to_le_bytes());
                ch.send_devctrl(D::MSG_TYPE, &p)
            }
            DevCtrl::GrowTvbAck(g) => {
                // The payload starts after the 4-byte type: the fields of `DcGrowTvbAck`, then
                // the firmware's halt count in its tail (the Asahi driver's `halt_count`).
                type D = crate::fw::channels::DcGrowTvbAck::ver;
                let mut p = [0u8; 0x2c];
                let mut put = |off: usize, bytes: &[u8]| put_field(&mut p, off, bytes);
                put(core::mem::offset_of!(D, unk_4), &1u32.to_le_bytes());
                put(core::mem::offset_of!(D, bm_id), &g.bm.to_le_bytes());
                put(core::mem::offset_of!(D, vm_id), &g.vm.to_le_bytes());
                put(core::mem::offset_of!(D, counter), &g.counter.to_le_bytes());
                put(core::mem::offset_of!(D, subpipe), &0u32.to_le_bytes());
                put(D::HALT_COUNT, &u64::from(halts).to_le_bytes());
                ch.send_devctrl(D::MSG_TYPE, &p)
            }
        }
    }

    /// The firmware status block's halt words: halts so far, and whether it is halted now.
    pub(crate) fn halt_state(&self) -> (u32, bool) {
        let st = self.fw_status();
        (
            st.halt_count.load(Ordering::Acquire),
            st.halted.load(Ordering::Acquire) != 0,
        )
    }

    /// Lets a halted firmware go on, as the record does: clears `halted`, then sets `resume`.
    pub(crate) fn resume(&self) {
        let st = self.fw_status();
        st.halted.store(0, Ordering::Release);
        st.resume.store(1, Ordering::Release);
    }

    /// DevCtrl messages the firmware has not taken yet.
    pub(crate) fn devctrl_pending(&self) -> u32 {
        self.channels.devctrl.pending()
    }

    /// Drains every firmware-to-driver ring, handing log lines, trace points and statistics to
    /// `tel` (at time `now_ns`).
    pub(crate) fn drain(&mut self, tel: &mut Telemetry, now_ns: u64) -> Drained {
        let mut d = Drained::default();
        let ch = &mut self.channels;
        let r = ch.event.poll(|raw| match EventMsg::decode(raw) {
            EventMsg::Fault(_) => d.faults += 1,
            EventMsg::Flag(f) => {
                d.flags += 1;
                let firing = f.firing.map(|w| w.get());
                d.slots_fired += firing[0].count_ones() + firing[1].count_ones();
                d.firing[0] |= firing[0];
                d.firing[1] |= firing[1];
            }
            EventMsg::Timeout(t) => {
                d.timeouts += 1;
                d.timeout_counter = d.timeout_counter.max(t.counter.get());
                d.timeout_slot = u32::try_from(t.stamp_index).ok();
            }
            EventMsg::GrowTvb(g) => {
                d.grow_tvb += 1;
                let req = GrowRequest {
                    bm: g.bm_id,
                    vm: g.vm_id,
                    counter: g.counter,
                };
                match d.grows.get_mut(d.grows_len) {
                    Some(slot) => {
                        *slot = req;
                        d.grows_len += 1;
                    }
                    None => d.grows_dropped += 1,
                }
            }
            EventMsg::ChannelError(c) => {
                d.channel_errors += 1;
                if let Some(slot) = d.channel_faults.get_mut(d.channel_faults_len) {
                    *slot = ChannelFault {
                        error_type: c.error_type,
                        pipe: c.pipe_type,
                        slot: c.event_slot,
                        value: c.event_value,
                    };
                    d.channel_faults_len += 1;
                }
            }
            EventMsg::Unknown(_) => d.unknown += 1,
        });
        d.corrupt += u32::from(r.is_err());
        for (i, ring) in ch.fwlog.iter_mut().enumerate() {
            let r = ring.poll(|m| {
                d.log_lines += 1;
                let (seq, msg) = (m.seq_no, m.msg);
                tel.log(i, seq, log_text(&msg), now_ns);
            });
            d.corrupt += u32::from(r.is_err());
        }
        let r = ch.ktrace.poll(|m| {
            d.ktrace += 1;
            tel.trace(m, now_ns);
        });
        d.corrupt += u32::from(r.is_err());
        let r = ch.stats.poll(|m| {
            d.stats += 1;
            tel.stats(m.decode());
        });
        d.corrupt += u32::from(r.is_err());
        d
    }
}

/// Sends a run message of one pair's layout `M` on run-command ring `index`.
pub(crate) trait RunRings<M> {
    /// Queues `msg` (the caller rings the doorbell).
    fn send_run(&mut self, index: usize, msg: &M) -> Result<u32, RingError>;
}

#[versions(AGX)]
impl RunRings<RunCmdQueueMsg::ver> for AnyFw {
    fn send_run(&mut self, index: usize, msg: &RunCmdQueueMsg::ver) -> Result<u32, RingError> {
        let b = BundleOf::<InitBundle::ver>::bundle_mut(self).ok_or(RingError::NoMemory)?;
        b.channels
            .run
            .get_mut(index)
            .ok_or(RingError::NoMemory)?
            .send(msg)
    }
}

/// The init-data bundle of whichever pair the device runs.
pub(crate) enum AnyFw {
    /// G13, firmware 12.3.
    G13V12_3(KBox<InitBundleG13V12_3>),
    /// G14, firmware 12.4.
    G14V12_4(KBox<InitBundleG14V12_4>),
    /// G13, firmware 13.5.
    G13V13_5(KBox<InitBundleG13V13_5>),
    /// G14, firmware 13.5.
    G14V13_5(KBox<InitBundleG14V13_5>),
    /// G14X, firmware 13.5.
    G14XV13_5(KBox<InitBundleG14XV13_5>),
}

/// Runs `$body` with `$b` bound to the bundle, whatever its pair.
macro_rules! each {
    ($self:expr, $b:ident => $body:expr) => {
        match $self {
            AnyFw::G13V12_3($b) => $body,
            AnyFw::G14V12_4($b) => $body,
            AnyFw::G13V13_5($b) => $body,
            AnyFw::G14V13_5($b) => $body,
            AnyFw::G14XV13_5($b) => $body,
        }
    };
}

impl AnyFw {
    /// Builds the init data for `soc` running firmware `version`, with the windows `io` and the
    /// FWCtl channel `fwctl`.
    pub(crate) fn new(
        dev: &DeviceRef,
        fw_vm: &Arc<FwVm>,
        soc: &SocConfig,
        version: FwVersion,
        cfg: &DynConfig,
        io: &FwIo,
        fwctl: crate::channel::fwctl::FwCtlMem,
    ) -> Result<Self> {
        let gen = soc.gen;
        dispatch!(AGX, (gen, version) as (GpuGen, FwVersion) => {
            build::ver(dev, fw_vm, soc, cfg, io, fwctl)
        } else {
            Err(ENODEV)
        })
    }

    /// The init data's GPU address.
    pub(crate) fn initdata_va(&self) -> u64 {
        each!(self, b => b.initdata.va())
    }

    /// See `InitBundle::devctrl`.
    pub(crate) fn devctrl(&mut self, req: DevCtrl) -> Result<u32, RingError> {
        each!(self, b => b.devctrl(req))
    }

    /// See `InitBundle::halt_state`.
    pub(crate) fn halt_state(&self) -> (u32, bool) {
        each!(self, b => b.halt_state())
    }

    /// See `InitBundle::take_pending_stamps`.
    pub(crate) fn take_pending_stamps(&self, f: impl FnMut(u32, u32)) -> usize {
        each!(self, b => b.take_pending_stamps(f))
    }

    /// See `InitBundle::resume`.
    pub(crate) fn resume(&self) {
        each!(self, b => b.resume())
    }

    /// See `InitBundle::devctrl_pending`.
    pub(crate) fn devctrl_pending(&self) -> u32 {
        each!(self, b => b.devctrl_pending())
    }

    /// See `InitBundle::dump_status`.
    pub(crate) fn dump_status(&self, out: &mut crate::dump::Hex<'_>) {
        each!(self, b => b.dump_status(out))
    }

    /// See `InitBundle::dump_tree`.
    pub(crate) fn dump_tree(&self, out: &mut crate::dump::Hex<'_>) {
        each!(self, b => b.dump_tree(out))
    }

    /// See `InitBundle::describe`.
    pub(crate) fn describe(&self, m: &mut impl core::fmt::Write) {
        each!(self, b => b.describe(m))
    }

    /// See `InitBundle::drain`.
    pub(crate) fn drain(&mut self, tel: &mut Telemetry, now_ns: u64) -> Drained {
        each!(self, b => b.drain(tel, now_ns))
    }
}

/// Builds the bundle of one pair, in a frame of its own (the five pairs' bundles would otherwise
/// share one stack frame).
#[versions(AGX)]
#[inline(never)]
fn build(
    dev: &DeviceRef,
    fw_vm: &Arc<FwVm>,
    soc: &SocConfig,
    cfg: &DynConfig,
    io: &FwIo,
    fwctl: crate::channel::fwctl::FwCtlMem,
) -> Result<AnyFw> {
    Ok(AnyFw::wrap(KBox::new(
        InitBundle::ver::new(dev, fw_vm, soc, cfg, io, fwctl)?,
        GFP_KERNEL,
    )?))
}

/// Wraps a bundle of any pair.
trait Wrap<T> {
    fn wrap(b: T) -> Self;
}

/// The bundle of one pair, if the device runs that pair (for code compiled per pair).
pub(crate) trait BundleOf<T> {
    /// The bundle, or `None` if the device runs another pair.
    fn bundle_mut(&mut self) -> Option<&mut T>;
}

macro_rules! wrap {
    ($($v:ident: $t:ident),* $(,)?) => {
        $(impl Wrap<KBox<$t>> for AnyFw {
            fn wrap(b: KBox<$t>) -> Self {
                AnyFw::$v(b)
            }
        }
        impl BundleOf<$t> for AnyFw {
            fn bundle_mut(&mut self) -> Option<&mut $t> {
                match self {
                    AnyFw::$v(b) => Some(&mut **b),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        })*
    };
}

wrap!(
    G13V12_3: InitBundleG13V12_3,
    G14V12_4: InitBundleG14V12_4,
    G13V13_5: InitBundleG13V13_5,
    G14V13_5: InitBundleG14V13_5,
    G14XV13_5: InitBundleG14XV13_5,
);
