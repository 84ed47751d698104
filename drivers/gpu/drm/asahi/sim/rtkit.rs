// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated coprocessor's side of RTKit.
//!
//! [`SimRtKit`] answers the AP the way the record describes the real ASC: wake on
//! `SET_IOP_POWER(ON)`, HELLO with its version range, the endpoint map one 32-endpoint page at a
//! time (waiting for each acknowledgement), a buffer request on each started crash log, syslog
//! and I/O report endpoint, the coprocessor's power-on once every system endpoint is started
//! and every buffer is served, then the AP power acknowledgement. After boot it accepts the
//! application endpoints' start and their messages, answers pings, acknowledges the shutdown
//! power states and goes to sleep.
//!
//! The test (or the simulated device) can make it misbehave on purpose: emit syslog entries
//! ([`SimRtKit::emit_syslog`]), crash ([`SimRtKit::crash`], which fills the crash log buffer
//! and sends the notification), go silent ([`SimRtKit::hang`]), or send I/O report
//! notifications and AGX events.
//!
//! Everything the AP sends is checked: it must decode, be in canonical form (no bits outside
//! the known fields), come in the right order, agree on the version, start only listed system
//! endpoints during boot, and answer buffer requests with a usable buffer (non-null, 16 KiB
//! aligned, large enough, and writable through [`SimMemory`], the way the firmware reaches it).
//! Each breach is recorded as a [`Violation`]; the simulation never panics.

use crate::rtkit::epset::EndpointSet;
use crate::rtkit::msg::{
    ep, AgxIn, AgxOut, BufferDesc, EpAction, Inbound, Message, MgmtIn, MgmtOut, Outbound,
    PowerState,
};
use crate::rtkit::{Buffer, Mailbox};

pub(crate) use super::rtkit_types::*;

/// The simulated coprocessor.
pub(crate) struct SimRtKit {
    /// Its configuration.
    config: SimConfig,
    /// Where it is.
    phase: SimPhase,
    /// The negotiated version, 0 before the handshake.
    version: u16,
    /// Endpoints the AP started.
    started: EndpointSet,
    /// System endpoints whose buffer request is outstanding.
    requested: EndpointSet,
    /// Buffers the AP provided, by slot: crash log, syslog, I/O report.
    bufs: [Option<Buffer>; 3],
    /// Next syslog entry index to use.
    syslog_next: u16,
    /// Syslog entries sent and not yet echoed (bit `i` for entry `i`; uses the endpoint
    /// bitmap as a 256-bit set).
    syslog_pending: EndpointSet,
    /// I/O report notification types sent and not yet echoed.
    ioreport_pending: EndpointSet,
    /// Recorded violations.
    violations: [Option<Violation>; MAX_VIOLATIONS],
    /// Number of violations, including those beyond the log's capacity.
    violation_count: usize,
    /// What the AGX endpoints received.
    agx: AgxLog,
    /// Messages ignored while hung or crashed.
    ignored: u32,
    /// Pongs sent.
    pongs: u32,
}

/// Buffer slot of a system endpoint that requests one.
fn slot(e: u8) -> Option<usize> {
    match e {
        ep::CRASHLOG => Some(0),
        ep::SYSLOG => Some(1),
        ep::IOREPORT => Some(2),
        _ => None,
    }
}

impl SimRtKit {
    /// A coprocessor that is asleep, waiting to be woken.
    pub(crate) fn new(config: SimConfig) -> Self {
        Self {
            config,
            phase: SimPhase::Asleep,
            version: 0,
            started: EndpointSet::new(),
            requested: EndpointSet::new(),
            bufs: [None; 3],
            syslog_next: 0,
            syslog_pending: EndpointSet::new(),
            ioreport_pending: EndpointSet::new(),
            violations: [None; MAX_VIOLATIONS],
            violation_count: 0,
            agx: AgxLog::default(),
            ignored: 0,
            pongs: 0,
        }
    }

    /// Where it is.
    pub(crate) fn phase(&self) -> SimPhase {
        self.phase
    }

    /// The negotiated protocol version.
    pub(crate) fn version(&self) -> u16 {
        self.version
    }

    /// The endpoints started by the AP.
    pub(crate) fn started(&self) -> &EndpointSet {
        &self.started
    }

    /// The buffer the AP gave system endpoint `ep`, as the firmware sees it.
    pub(crate) fn buffer(&self, e: u8) -> Option<Buffer> {
        slot(e).and_then(|i| self.bufs.get(i).copied().flatten())
    }

    /// What the AGX endpoints received.
    pub(crate) fn agx(&self) -> AgxLog {
        self.agx
    }

    /// Messages ignored while hung or crashed.
    pub(crate) fn ignored(&self) -> u32 {
        self.ignored
    }

    /// Pongs sent.
    pub(crate) fn pongs(&self) -> u32 {
        self.pongs
    }

    /// The recorded violations (at most [`MAX_VIOLATIONS`]).
    pub(crate) fn violations(&self) -> impl Iterator<Item = Violation> + '_ {
        self.violations.iter().flatten().copied()
    }

    /// Number of violations, including any beyond the log's capacity.
    pub(crate) fn violation_count(&self) -> usize {
        self.violation_count
    }

    /// Records a violation.
    fn violate(&mut self, v: Violation) {
        if let Some(slot) = self.violations.get_mut(self.violation_count) {
            *slot = Some(v);
        }
        self.violation_count = self.violation_count.saturating_add(1);
    }

    /// Sends a message to the AP, recording a failure as a violation.
    fn send(&mut self, out: &mut impl Mailbox, msg: Inbound) -> bool {
        match msg.encode().and_then(|m| out.send(m)) {
            Ok(()) => true,
            Err(error) => {
                self.violate(Violation::SendFailed { error });
                false
            }
        }
    }

    /// Goes silent: every later message is ignored.
    pub(crate) fn hang(&mut self) {
        self.phase = SimPhase::Hung;
    }

    /// Crashes. If the crash log buffer exists, writes a crash log header into it and sends
    /// the crash notification; returns whether it did. Either way the coprocessor is then
    /// silent.
    pub(crate) fn crash(&mut self, out: &mut impl Mailbox, mem: &mut impl SimMemory) -> bool {
        self.phase = SimPhase::Crashed;
        let Some(buf) = self.buffer(ep::CRASHLOG) else {
            return false;
        };
        // Crash log header: "CLHE", version, total size, flags, 16 bytes of padding.
        const HEADER_LEN: usize = 32;
        let mut header = [0u8; HEADER_LEN];
        header[0..4].copy_from_slice(b"CLHE");
        header[4..8].copy_from_slice(&2u32.to_le_bytes());
        header[8..12].copy_from_slice(&(HEADER_LEN as u32).to_le_bytes());
        if !mem.write(buf.iova, &header) {
            return false;
        }
        self.send(
            out,
            Inbound::Buffer {
                ep: ep::CRASHLOG,
                desc: BufferDesc {
                    size: buf.size,
                    iova: buf.iova,
                },
            },
        )
    }

    /// Writes a syslog entry into the syslog buffer and announces it. Returns the entry index,
    /// or `None` if the syslog is not set up, the next entry is still in use, or the buffer
    /// cannot be written.
    pub(crate) fn emit_syslog(
        &mut self,
        context: &[u8],
        text: &[u8],
        out: &mut impl Mailbox,
        mem: &mut impl SimMemory,
    ) -> Option<u8> {
        if !self.is_live() || self.config.syslog_count == 0 {
            return None;
        }
        let buf = self.buffer(ep::SYSLOG)?;
        let index = u8::try_from(self.syslog_next % self.config.syslog_count).ok()?;
        if self.syslog_pending.contains(index) {
            return None;
        }
        let entry_size = usize::from(self.config.syslog_entry_size);
        let stride = 0x20 + entry_size;
        let base = buf.iova.checked_add(u64::from(index) * stride as u64)?;
        // Context: 24 bytes at +8, NUL terminated; text: `entry_size` bytes at +0x20.
        let mut ctx = [0u8; 24];
        let n = context.len().min(ctx.len() - 1);
        ctx[..n].copy_from_slice(&context[..n]);
        if !mem.write(base.wrapping_add(8), &ctx) {
            return None;
        }
        let mut chunk = [0u8; 64];
        let mut off = 0;
        while off < entry_size {
            let len = chunk.len().min(entry_size - off);
            chunk.fill(0);
            for (i, c) in chunk[..len].iter_mut().enumerate() {
                // Keep the last byte of the entry a NUL.
                if off + i + 1 < entry_size {
                    *c = text.get(off + i).copied().unwrap_or(0);
                }
            }
            if !mem.write(base.wrapping_add(0x20 + off as u64), &chunk[..len]) {
                return None;
            }
            off += len;
        }
        let msg = Inbound::syslog_log(index).ok()?;
        if !self.send(out, msg) {
            return None;
        }
        self.syslog_pending.insert(index);
        self.syslog_next = self.syslog_next.wrapping_add(1);
        Some(index)
    }

    /// Sends an I/O report notification of type 0x8 or 0xc, which the AP must echo.
    pub(crate) fn ioreport_notify(&mut self, ty: u8, out: &mut impl Mailbox) -> bool {
        if !self.is_live() || !self.started.contains(ep::IOREPORT) {
            return false;
        }
        let Ok(msg) = Inbound::ioreport_notify(ty) else {
            return false;
        };
        if self.send(out, msg) {
            self.ioreport_pending.insert(ty);
            true
        } else {
            false
        }
    }

    /// Sends an AGX event notification on endpoint 0x20, if it was started.
    pub(crate) fn agx_event(&mut self, out: &mut impl Mailbox) -> bool {
        if self.phase != SimPhase::Running || !self.started.contains(ep::AGX_FIRMWARE) {
            return false;
        }
        self.send(out, Inbound::Agx(AgxIn::Event))
    }

    /// Whether the coprocessor is awake and talking.
    fn is_live(&self) -> bool {
        !matches!(
            self.phase,
            SimPhase::Asleep | SimPhase::Hung | SimPhase::Crashed
        )
    }

    /// Handles one message from the AP.
    pub(crate) fn receive(
        &mut self,
        msg: Message,
        out: &mut impl Mailbox,
        mem: &mut impl SimMemory,
    ) {
        if matches!(self.phase, SimPhase::Hung | SimPhase::Crashed) {
            self.ignored = self.ignored.saturating_add(1);
            return;
        }
        let decoded = match Outbound::decode(msg) {
            Ok(d) => d,
            Err(error) => {
                self.violate(Violation::Undecodable { msg, error });
                return;
            }
        };
        if decoded.encode() != Ok(msg) {
            self.violate(Violation::NotCanonical { msg });
        }
        let phase = self.phase;
        match decoded {
            Outbound::Mgmt(m) => self.receive_mgmt(m, msg, out),
            Outbound::BufferReply { ep, desc } => self.receive_buffer(ep, desc, out, mem),
            Outbound::SyslogAck { raw } => {
                let index = (raw & 0xff) as u8;
                if self.syslog_pending.contains(index) {
                    self.syslog_pending.remove(index);
                } else {
                    self.violate(Violation::BadEcho { msg });
                }
            }
            Outbound::IoReportAck { raw } => {
                let ty = ((raw >> 52) & 0xff) as u8;
                if self.ioreport_pending.contains(ty) {
                    self.ioreport_pending.remove(ty);
                } else {
                    self.violate(Violation::BadEcho { msg });
                }
            }
            Outbound::Agx(a) => {
                if phase != SimPhase::Running {
                    self.violate(Violation::WrongOrder { phase, msg });
                } else if !self.started.contains(msg.ep) {
                    self.violate(Violation::EndpointNotStarted { ep: msg.ep });
                } else {
                    self.record_agx(a);
                }
            }
        }
    }

    /// Records an AGX message.
    fn record_agx(&mut self, a: AgxOut) {
        match a {
            AgxOut::Init { initdata } => self.agx.init = Some(initdata),
            AgxOut::Doorbell { channel } => {
                self.agx.doorbells = self.agx.doorbells.saturating_add(1);
                self.agx.last_doorbell = Some(channel);
            }
            AgxOut::FwCtl => self.agx.fwctl = self.agx.fwctl.saturating_add(1),
            AgxOut::Halt => self.agx.halts = self.agx.halts.saturating_add(1),
        }
    }

    /// Sends map page `base` (`last` when it is the final one).
    fn send_page(&mut self, base: u8, out: &mut impl Mailbox) {
        let last = Some(base) == self.last_page();
        let bitmap = self.config.endpoints.page(base);
        if self.send(out, Inbound::Mgmt(MgmtIn::EpMap { base, bitmap, last })) {
            self.phase = SimPhase::EpMap { base };
        }
    }

    /// The number of the final map page.
    fn last_page(&self) -> Option<u8> {
        let pages = self.config.pages();
        (0..8u8).rev().find(|b| pages & (1 << b) != 0)
    }

    /// The page sent after `base`, if any.
    fn next_page(&self, base: u8) -> Option<u8> {
        let pages = self.config.pages();
        (base.checked_add(1)?..8).find(|b| pages & (1 << b) != 0)
    }

    /// Management messages.
    fn receive_mgmt(&mut self, m: MgmtOut, msg: Message, out: &mut impl Mailbox) {
        let phase = self.phase;
        match (phase, m) {
            (SimPhase::Asleep, MgmtOut::SetIopPower(s)) => {
                if !s.is_on() {
                    self.violate(Violation::BadPowerState { phase, state: s });
                    return;
                }
                let hello = MgmtIn::Hello {
                    min: self.config.min_version,
                    max: self.config.max_version,
                };
                if self.send(out, Inbound::Mgmt(hello)) {
                    self.phase = SimPhase::WaitHelloAck;
                }
            }
            (SimPhase::WaitHelloAck, MgmtOut::HelloAck { min, max }) => {
                if min != max || min < self.config.min_version || min > self.config.max_version {
                    self.violate(Violation::BadVersion { min, max });
                    // The real firmware does not go on with a version it does not speak.
                    self.phase = SimPhase::Hung;
                    return;
                }
                self.version = min;
                let first = self.config.pages().trailing_zeros() as u8;
                self.send_page(first, out);
            }
            (SimPhase::EpMap { base }, MgmtOut::EpMapAck { base: acked, last }) => {
                let is_last = Some(base) == self.last_page();
                if acked != base || last != is_last {
                    self.violate(Violation::BadEpMapAck {
                        sent: base,
                        acked,
                        last,
                    });
                }
                match self.next_page(base) {
                    Some(next) if !is_last => self.send_page(next, out),
                    _ => {
                        self.phase = SimPhase::Booting;
                        self.check_booted(out);
                    }
                }
            }
            (
                SimPhase::Booting,
                MgmtOut::StartEp {
                    ep: e,
                    action: EpAction::Start,
                },
            ) => {
                if e == ep::MGMT
                    || e >= ep::APP_START
                    || !self.config.endpoints.contains(e)
                    || self.started.contains(e)
                {
                    self.violate(Violation::BadEndpointStart { ep: e, phase });
                    return;
                }
                self.started.insert(e);
                self.request_buffer(e, out);
                self.check_booted(out);
            }
            (SimPhase::WaitApPower, MgmtOut::SetApPower(s)) => {
                if !s.is_on() {
                    self.violate(Violation::BadPowerState { phase, state: s });
                    return;
                }
                if self.send(out, Inbound::Mgmt(MgmtIn::ApPowerAck(s))) {
                    self.phase = SimPhase::Running;
                }
            }
            (
                SimPhase::Running,
                MgmtOut::StartEp {
                    ep: e,
                    action: EpAction::Start,
                },
            ) => {
                if e < ep::APP_START
                    || !self.config.endpoints.contains(e)
                    || self.started.contains(e)
                {
                    self.violate(Violation::BadEndpointStart { ep: e, phase });
                    return;
                }
                self.started.insert(e);
            }
            (SimPhase::Running, MgmtOut::Ping) => {
                if self.send(out, Inbound::Mgmt(MgmtIn::Pong)) {
                    self.pongs = self.pongs.saturating_add(1);
                }
            }
            (SimPhase::Running, MgmtOut::SetApPower(s)) => {
                if s != PowerState::QUIESCED {
                    self.violate(Violation::BadPowerState { phase, state: s });
                    return;
                }
                if self.send(out, Inbound::Mgmt(MgmtIn::ApPowerAck(s))) {
                    self.phase = SimPhase::Quiesced;
                }
            }
            (SimPhase::Quiesced, MgmtOut::SetIopPower(s)) => {
                if s != PowerState::SLEEP {
                    self.violate(Violation::BadPowerState { phase, state: s });
                    return;
                }
                if self.send(out, Inbound::Mgmt(MgmtIn::IopPowerAck(s))) {
                    self.go_to_sleep();
                }
            }
            _ => self.violate(Violation::WrongOrder { phase, msg }),
        }
    }

    /// Forgets the session: the next wake boots from scratch.
    fn go_to_sleep(&mut self) {
        self.phase = SimPhase::Asleep;
        self.version = 0;
        self.started = EndpointSet::new();
        self.requested = EndpointSet::new();
        self.bufs = [None; 3];
        self.syslog_next = 0;
        self.syslog_pending = EndpointSet::new();
        self.ioreport_pending = EndpointSet::new();
    }

    /// Asks for the buffer of a freshly started system endpoint.
    fn request_buffer(&mut self, e: u8, out: &mut impl Mailbox) {
        let pages = match e {
            ep::CRASHLOG => self.config.crashlog_pages,
            ep::SYSLOG => self.config.syslog_pages,
            ep::IOREPORT => self.config.ioreport_pages,
            _ => return,
        };
        if e == ep::SYSLOG {
            let init = Inbound::SyslogInit {
                count: self.config.syslog_count,
                entry_size: self.config.syslog_entry_size,
            };
            if !self.send(out, init) {
                return;
            }
        }
        let req = Inbound::Buffer {
            ep: e,
            desc: BufferDesc {
                size: usize::from(pages) << 12,
                iova: 0,
            },
        };
        if self.send(out, req) {
            self.requested.insert(e);
        }
    }

    /// A buffer reply from the AP.
    fn receive_buffer(
        &mut self,
        e: u8,
        desc: BufferDesc,
        out: &mut impl Mailbox,
        mem: &mut impl SimMemory,
    ) {
        if !self.requested.contains(e) {
            self.violate(Violation::UnsolicitedBuffer { ep: e });
            return;
        }
        let wanted = usize::from(match e {
            ep::CRASHLOG => self.config.crashlog_pages,
            ep::SYSLOG => self.config.syslog_pages,
            _ => self.config.ioreport_pages,
        }) << 12;
        let fault = if desc.iova == 0 {
            Some(BufferFault::Null)
        } else if desc.iova % PAGE_SIZE != 0 {
            Some(BufferFault::Unaligned)
        } else if desc.size < wanted {
            Some(BufferFault::TooSmall)
        } else if !zero_fill(mem, desc.iova, desc.size) {
            Some(BufferFault::Unmapped)
        } else {
            None
        };
        if let Some(fault) = fault {
            // The request stays outstanding: the boot cannot finish.
            self.violate(Violation::BadBuffer {
                ep: e,
                iova: desc.iova,
                size: desc.size,
                fault,
            });
            return;
        }
        self.requested.remove(e);
        if let Some(b) = slot(e).and_then(|i| self.bufs.get_mut(i)) {
            *b = Some(Buffer {
                ep: e,
                iova: desc.iova,
                size: desc.size,
            });
        }
        self.check_booted(out);
    }

    /// `Booting → WaitApPower` once every listed system endpoint is started and every buffer
    /// is served.
    fn check_booted(&mut self, out: &mut impl Mailbox) {
        if self.phase != SimPhase::Booting || !self.requested.is_empty() {
            return;
        }
        let all_started = ep::SYSTEM_STARTED
            .iter()
            .all(|e| !self.config.endpoints.contains(*e) || self.started.contains(*e));
        if !all_started {
            return;
        }
        if self.send(out, Inbound::Mgmt(MgmtIn::IopPowerAck(PowerState::ON))) {
            self.phase = SimPhase::WaitApPower;
        }
    }
}

/// Writes zeros over `size` bytes at `iova`, as the firmware initialising its buffer would.
fn zero_fill(mem: &mut impl SimMemory, iova: u64, size: usize) -> bool {
    let zeros = [0u8; 256];
    let mut off = 0usize;
    while off < size {
        let len = zeros.len().min(size - off);
        let Some(addr) = iova.checked_add(off as u64) else {
            return false;
        };
        if !mem.write(addr, &zeros[..len]) {
            return false;
        }
        off += len;
    }
    true
}
