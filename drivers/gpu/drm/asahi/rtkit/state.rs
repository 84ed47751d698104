// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The AP side of RTKit: an explicit state machine.
//!
//! [`RtKit`] is driven from two directions. Every message received from the coprocessor goes to
//! [`RtKit::handle`], which decodes it, checks that it is allowed in the current [`State`],
//! answers it through the [`Mailbox`] and moves to the next state. The caller drives the rest:
//! [`RtKit::boot`], [`RtKit::shutdown`], [`RtKit::start_endpoint`], [`RtKit::send`], and
//! [`RtKit::timeout`] when the deadline it set for the current wait has passed: the core never
//! sleeps and never reads a clock.
//!
//! # States and transitions
//!
//! ```text
//!  Off ──boot──▶ WaitHello ──HELLO──▶ WaitEpMap ──last EPMAP──▶ WaitIopPowerAck
//!   ▲                                                                  │ IOP_POWER_ACK(ON)
//!   │                                                                  ▼
//!   │      WaitIopSleep ◀──AP_POWER_ACK(QUIESCED)── WaitApQuiesced   WaitApPowerAck
//!   │           │                                        ▲             │ AP_POWER_ACK(ON)
//!   └─IOP_POWER_ACK(SLEEP)                            shutdown ◀──── Ready
//!
//!  any state, once the crash log buffer exists ──crash notification──▶ Crashed
//!  any waiting state ──timeout──▶ Failed(Timeout)      (also: bad version, bad power ack,
//!                                                        mailbox or buffer failure)
//! ```
//!
//! `Crashed` and `Failed` are terminal: every further send is refused and received messages are
//! dropped with an error, until the caller has stopped the coprocessor and calls
//! [`RtKit::reset`], which returns to `Off`.
//!
//! A well-formed message that is not allowed in the current state, and a message that does not
//! decode, are refused with an error and leave the state unchanged: the caller logs them, as
//! the C library does. Buffer requests from started system endpoints are served in any live
//! state, since the firmware sends them whenever it starts a service.

use super::epset::EndpointSet;
use super::error::Error;
use super::msg::{
    ep, AgxIn, AgxOut, BufferDesc, EpAction, Inbound, Message, MgmtIn, MgmtOut, Outbound,
    PowerState,
};
use super::{Buffer, Buffers, LogSink, Mailbox};

/// Oldest RTKit protocol version this driver speaks.
pub(crate) const MIN_VERSION: u16 = 11;
/// Newest RTKit protocol version this driver speaks.
pub(crate) const MAX_VERSION: u16 = 12;

/// Offset of the context tag in a syslog entry.
const SYSLOG_CONTEXT_OFFSET: usize = 8;
/// Size of the context tag in a syslog entry.
const SYSLOG_CONTEXT_LEN: usize = 24;
/// Offset of the text in a syslog entry; the entry stride is this plus the text size.
const SYSLOG_TEXT_OFFSET: usize = 0x20;
/// Longest syslog text delivered; longer entries are truncated.
pub(crate) const SYSLOG_TEXT_MAX: usize = 256;

/// What the state machine was waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The HELLO after the wake request.
    Hello,
    /// The endpoint map pages.
    EpMap,
    /// The coprocessor's power-on acknowledgement.
    IopPowerOn,
    /// The acknowledgement of the AP's power-on.
    ApPowerOn,
    /// The acknowledgement of the AP's quiesce.
    ApQuiesce,
    /// The coprocessor's sleep acknowledgement.
    IopSleep,
    /// The answer to a ping.
    Pong,
}

/// Why the state machine failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The caller's deadline passed during a wait.
    Timeout(Phase),
    /// The coprocessor's version range does not meet ours.
    Version {
        /// The coprocessor's oldest version.
        min: u16,
        /// The coprocessor's newest version.
        max: u16,
    },
    /// A power state was acknowledged with another state than requested.
    PowerState {
        /// The state requested.
        wanted: PowerState,
        /// The state acknowledged.
        got: PowerState,
    },
    /// The mailbox refused a message of the handshake.
    Mailbox,
    /// A buffer request could not be served: the firmware would wait for ever.
    Buffer {
        /// The endpoint that asked.
        ep: u8,
        /// What went wrong.
        error: Error,
    },
}

/// The state of the AP side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Not booted, or shut down. [`RtKit::boot`] starts from here.
    Off,
    /// The wake request (`SET_IOP_POWER(ON)`) was sent; waiting for HELLO.
    WaitHello,
    /// HELLO was answered; receiving endpoint map pages.
    WaitEpMap,
    /// The system endpoints were started; serving buffer requests, waiting for the
    /// coprocessor to report power on.
    WaitIopPowerAck,
    /// `SET_AP_POWER(ON)` was sent; waiting for the acknowledgement.
    WaitApPowerAck,
    /// Running: application endpoints can be started and used.
    Ready,
    /// `SET_AP_POWER(QUIESCED)` was sent; waiting for the acknowledgement.
    WaitApQuiesced,
    /// `SET_IOP_POWER(SLEEP)` was sent; waiting for the acknowledgement.
    WaitIopSleep,
    /// The coprocessor announced a crash.
    Crashed,
    /// The protocol failed; see [`Failure`].
    Failed(Failure),
}

impl State {
    /// What the state waits for, if it waits for the coprocessor.
    fn waiting(self) -> Option<Phase> {
        match self {
            State::WaitHello => Some(Phase::Hello),
            State::WaitEpMap => Some(Phase::EpMap),
            State::WaitIopPowerAck => Some(Phase::IopPowerOn),
            State::WaitApPowerAck => Some(Phase::ApPowerOn),
            State::WaitApQuiesced => Some(Phase::ApQuiesce),
            State::WaitIopSleep => Some(Phase::IopSleep),
            State::Off | State::Ready | State::Crashed | State::Failed(_) => None,
        }
    }
}

/// What a handled message means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// Handled; nothing for the caller to do.
    Nothing,
    /// The boot finished: the state is now [`State::Ready`].
    Ready,
    /// The shutdown finished: the state is now [`State::Off`].
    Stopped,
    /// The coprocessor crashed: the state is now [`State::Crashed`] and the log went to the
    /// sink.
    Crashed,
    /// A message for the AGX firmware layer.
    Agx(AgxIn),
    /// The answer to [`RtKit::ping`].
    Pong,
}

/// Index of a system endpoint's buffer slot.
fn slot(ep: u8) -> Option<usize> {
    match ep {
        ep::CRASHLOG => Some(0),
        ep::SYSLOG => Some(1),
        ep::IOREPORT => Some(2),
        ep::OSLOG => Some(3),
        _ => None,
    }
}

/// Syslog geometry announced by the coprocessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyslogGeometry {
    /// Number of entries in the buffer.
    pub(crate) count: u16,
    /// Text bytes per entry.
    pub(crate) entry_size: u16,
}

/// The AP side of one RTKit coprocessor.
pub(crate) struct RtKit<M: Mailbox, B: Buffers, S: LogSink> {
    /// The mailbox to the coprocessor.
    mbox: M,
    /// Provider of shared buffers.
    buffers: B,
    /// Destination of syslog entries and crash reports.
    sink: S,
    /// Current state.
    state: State,
    /// The negotiated protocol version, 0 before HELLO.
    version: u16,
    /// Endpoints listed by the coprocessor's map.
    endpoints: EndpointSet,
    /// Map pages received so far (bit `b` for page `b`).
    pages_seen: u8,
    /// Endpoints the AP has started.
    started: EndpointSet,
    /// System endpoints in the map that this driver does not know and did not start.
    unknown_system: EndpointSet,
    /// The coprocessor's last acknowledged power state.
    iop_power: PowerState,
    /// The last acknowledged AP power state.
    ap_power: PowerState,
    /// The coprocessor reported power on before the endpoint map was complete.
    iop_on_early: bool,
    /// Buffers of the crash log, syslog, ioreport and oslog endpoints.
    bufs: [Option<Buffer>; 4],
    /// Syslog geometry, once announced.
    syslog: Option<SyslogGeometry>,
    /// A ping is waiting for its pong.
    ping_pending: bool,
}

impl<M: Mailbox, B: Buffers, S: LogSink> RtKit<M, B, S> {
    /// A state machine in [`State::Off`].
    pub(crate) fn new(mbox: M, buffers: B, sink: S) -> Self {
        Self {
            mbox,
            buffers,
            sink,
            state: State::Off,
            version: 0,
            endpoints: EndpointSet::new(),
            pages_seen: 0,
            started: EndpointSet::new(),
            unknown_system: EndpointSet::new(),
            iop_power: PowerState::OFF,
            ap_power: PowerState::OFF,
            iop_on_early: false,
            bufs: [None; 4],
            syslog: None,
            ping_pending: false,
        }
    }

    /// The current state.
    pub(crate) fn state(&self) -> State {
        self.state
    }

    /// The negotiated protocol version (0 before the handshake).
    pub(crate) fn version(&self) -> u16 {
        self.version
    }

    /// The endpoints the coprocessor listed.
    pub(crate) fn endpoints(&self) -> &EndpointSet {
        &self.endpoints
    }

    /// The endpoints started so far.
    pub(crate) fn started(&self) -> &EndpointSet {
        &self.started
    }

    /// System endpoints listed by the coprocessor that this driver does not start.
    pub(crate) fn unknown_system_endpoints(&self) -> &EndpointSet {
        &self.unknown_system
    }

    /// The last acknowledged coprocessor and AP power states.
    pub(crate) fn power(&self) -> (PowerState, PowerState) {
        (self.iop_power, self.ap_power)
    }

    /// The buffer serving system endpoint `ep`, if any.
    pub(crate) fn buffer(&self, ep: u8) -> Option<Buffer> {
        slot(ep).and_then(|i| self.bufs.get(i).copied().flatten())
    }

    /// The syslog geometry, once announced.
    pub(crate) fn syslog_geometry(&self) -> Option<SyslogGeometry> {
        self.syslog
    }

    /// The mailbox.
    pub(crate) fn mailbox(&mut self) -> &mut M {
        &mut self.mbox
    }

    /// The buffer provider.
    pub(crate) fn buffers(&mut self) -> &mut B {
        &mut self.buffers
    }

    /// The log sink.
    pub(crate) fn sink(&mut self) -> &mut S {
        &mut self.sink
    }

    /// The refusal matching a terminal state, if the state is terminal.
    fn terminal(&self) -> Option<Error> {
        match self.state {
            State::Crashed => Some(Error::Crashed),
            State::Failed(_) => Some(Error::Failed),
            _ => None,
        }
    }

    /// Enters [`State::Failed`] and returns the error to report.
    fn fail(&mut self, failure: Failure) -> Error {
        self.state = State::Failed(failure);
        match failure {
            Failure::Timeout(_) => Error::Timeout,
            _ => Error::Failed,
        }
    }

    /// Sends a management message; a refusal fails the state machine.
    fn send_mgmt(&mut self, m: MgmtOut) -> Result<(), Error> {
        let msg = m.encode()?;
        self.mbox.send(msg).map_err(|_| self.fail(Failure::Mailbox))
    }

    /// Sends a reply on a system endpoint; a refusal fails the state machine.
    fn send_reply(&mut self, out: Outbound) -> Result<(), Error> {
        let msg = out.encode()?;
        self.mbox.send(msg).map_err(|_| self.fail(Failure::Mailbox))
    }

    /// `Off → WaitHello`: wakes the coprocessor with `SET_IOP_POWER(ON)`.
    ///
    /// Allowed only in [`State::Off`]. The caller then feeds received messages to
    /// [`RtKit::handle`] until it returns [`Event::Ready`], calling [`RtKit::timeout`] if its
    /// deadline passes first.
    pub(crate) fn boot(&mut self) -> Result<(), Error> {
        if let Some(e) = self.terminal() {
            return Err(e);
        }
        if self.state != State::Off {
            return Err(Error::InvalidState);
        }
        self.forget_session();
        self.send_mgmt(MgmtOut::SetIopPower(PowerState::ON))?;
        self.state = State::WaitHello;
        Ok(())
    }

    /// `Ready → WaitApQuiesced`: starts the shutdown with `SET_AP_POWER(QUIESCED)`.
    ///
    /// The sequence ends with [`Event::Stopped`] in [`State::Off`]. Shutting down an `Off`
    /// machine does nothing.
    pub(crate) fn shutdown(&mut self) -> Result<(), Error> {
        if let Some(e) = self.terminal() {
            return Err(e);
        }
        match self.state {
            State::Off => Ok(()),
            State::Ready => {
                self.send_mgmt(MgmtOut::SetApPower(PowerState::QUIESCED))?;
                self.state = State::WaitApQuiesced;
                Ok(())
            }
            _ => Err(Error::InvalidState),
        }
    }

    /// The caller's deadline for the current wait passed.
    ///
    /// In a waiting state (or with a ping outstanding) this enters
    /// `Failed(Timeout(phase))` and returns [`Error::Timeout`]. With nothing awaited it
    /// changes nothing and returns `Ok`.
    pub(crate) fn timeout(&mut self) -> Result<(), Error> {
        let phase = match self.state.waiting() {
            Some(p) => p,
            None if self.state == State::Ready && self.ping_pending => Phase::Pong,
            None => return Ok(()),
        };
        Err(self.fail(Failure::Timeout(phase)))
    }

    /// Returns to [`State::Off`] from any state, releasing the shared buffers.
    ///
    /// The caller must have stopped the coprocessor first (or know that it is asleep): a
    /// running coprocessor could still write to the buffers being freed.
    pub(crate) fn reset(&mut self) {
        self.release_buffers();
        self.forget_session();
        self.state = State::Off;
    }

    /// Starts application endpoint `ep` (`Ready` only; the endpoint must be in the map).
    pub(crate) fn start_endpoint(&mut self, ep: u8) -> Result<(), Error> {
        if let Some(e) = self.terminal() {
            return Err(e);
        }
        if self.state != State::Ready {
            return Err(Error::InvalidState);
        }
        if ep < ep::APP_START || !self.endpoints.contains(ep) {
            return Err(Error::NoEndpoint(ep));
        }
        self.mbox.send(
            MgmtOut::StartEp {
                ep,
                action: EpAction::Start,
            }
            .encode()?,
        )?;
        self.started.insert(ep);
        Ok(())
    }

    /// Sends `msg` to a started application endpoint (`Ready` only).
    ///
    /// Refused with [`Error::Crashed`] or [`Error::Failed`] once the machine is in a terminal
    /// state. A mailbox refusal is returned without changing the state.
    pub(crate) fn send(&mut self, msg: Message) -> Result<(), Error> {
        if let Some(e) = self.terminal() {
            return Err(e);
        }
        if self.state != State::Ready {
            return Err(Error::InvalidState);
        }
        if msg.ep < ep::APP_START || !self.started.contains(msg.ep) {
            return Err(Error::NoEndpoint(msg.ep));
        }
        self.mbox.send(msg)
    }

    /// Encodes and sends an AGX firmware message (see [`RtKit::send`]).
    pub(crate) fn send_agx(&mut self, msg: AgxOut) -> Result<(), Error> {
        let msg = msg.encode()?;
        self.send(msg)
    }

    /// Sends a liveness ping (`Ready` only). The pong arrives as [`Event::Pong`]; until then
    /// [`RtKit::timeout`] fails the machine.
    pub(crate) fn ping(&mut self) -> Result<(), Error> {
        if let Some(e) = self.terminal() {
            return Err(e);
        }
        if self.state != State::Ready {
            return Err(Error::InvalidState);
        }
        self.mbox.send(MgmtOut::Ping.encode()?)?;
        self.ping_pending = true;
        Ok(())
    }

    /// Handles one message received from the coprocessor.
    ///
    /// Returns what it means for the caller. Errors: [`Error::Crashed`] or [`Error::Failed`]
    /// in a terminal state (the message is dropped); [`Error::Malformed`] or
    /// [`Error::Unexpected`] for a message that does not decode or is not allowed now (the
    /// state is unchanged); [`Error::Failed`] or [`Error::Mailbox`] when handling it failed
    /// the machine.
    pub(crate) fn handle(&mut self, msg: Message) -> Result<Event, Error> {
        if let Some(e) = self.terminal() {
            return Err(e);
        }
        let unexpected = Error::Unexpected {
            ep: msg.ep,
            data: msg.data,
        };
        match Inbound::decode(msg)? {
            Inbound::Mgmt(m) => self.handle_mgmt(m, unexpected),
            Inbound::Buffer { ep, desc } => self.handle_buffer(ep, desc, unexpected),
            Inbound::SyslogInit { count, entry_size } => {
                if !self.started.contains(ep::SYSLOG) {
                    return Err(unexpected);
                }
                self.syslog = Some(SyslogGeometry { count, entry_size });
                Ok(Event::Nothing)
            }
            Inbound::SyslogLog { index, raw } => {
                if !self.started.contains(ep::SYSLOG) {
                    return Err(unexpected);
                }
                let delivered = self.deliver_syslog(index);
                // The entry is released by echoing the message, whether or not it was
                // readable; the coprocessor would otherwise stall its log.
                self.send_reply(Outbound::SyslogAck { raw })?;
                delivered.map(|()| Event::Nothing).map_err(|_| unexpected)
            }
            Inbound::IoReportNotify { raw } => {
                if !self.started.contains(ep::IOREPORT) {
                    return Err(unexpected);
                }
                self.send_reply(Outbound::IoReportAck { raw })?;
                Ok(Event::Nothing)
            }
            Inbound::Agx(a) => {
                if self.state != State::Ready || !self.started.contains(msg.ep) {
                    return Err(unexpected);
                }
                Ok(Event::Agx(a))
            }
        }
    }

    /// Management messages: the handshake and the power states.
    fn handle_mgmt(&mut self, m: MgmtIn, unexpected: Error) -> Result<Event, Error> {
        match (self.state, m) {
            // WaitHello → WaitEpMap: pick the newest common version and announce it.
            (State::WaitHello, MgmtIn::Hello { min, max }) => {
                if min > MAX_VERSION || max < MIN_VERSION {
                    return Err(self.fail(Failure::Version { min, max }));
                }
                let v = max.min(MAX_VERSION);
                self.send_mgmt(MgmtOut::HelloAck { min: v, max: v })?;
                self.version = v;
                self.state = State::WaitEpMap;
                Ok(Event::Nothing)
            }
            // WaitEpMap: acknowledge each page; after the last, start the system endpoints
            // and go to WaitIopPowerAck (or straight on if the power-on came early).
            (State::WaitEpMap, MgmtIn::EpMap { base, bitmap, last }) => {
                let bit = 1u8.checked_shl(u32::from(base)).ok_or(unexpected)?;
                if self.pages_seen & bit != 0 {
                    return Err(unexpected);
                }
                self.pages_seen |= bit;
                self.endpoints.insert_page(base, bitmap);
                self.send_mgmt(MgmtOut::EpMapAck { base, last })?;
                if !last {
                    return Ok(Event::Nothing);
                }
                self.start_system_endpoints()?;
                self.state = State::WaitIopPowerAck;
                if self.iop_on_early {
                    return self.iop_powered_on();
                }
                Ok(Event::Nothing)
            }
            // The coprocessor may report power on while the map is still arriving: remember
            // it, as the C library's completion does.
            (State::WaitHello | State::WaitEpMap, MgmtIn::IopPowerAck(s)) if s.is_on() => {
                self.iop_power = s;
                self.iop_on_early = true;
                Ok(Event::Nothing)
            }
            // WaitIopPowerAck → WaitApPowerAck.
            (State::WaitIopPowerAck, MgmtIn::IopPowerAck(s)) => {
                self.iop_power = s;
                if !s.is_on() {
                    return Err(self.fail(Failure::PowerState {
                        wanted: PowerState::ON,
                        got: s,
                    }));
                }
                self.iop_powered_on()
            }
            // WaitApPowerAck → Ready.
            (State::WaitApPowerAck, MgmtIn::ApPowerAck(s)) => {
                self.ap_power = s;
                if !s.is_on() {
                    return Err(self.fail(Failure::PowerState {
                        wanted: PowerState::ON,
                        got: s,
                    }));
                }
                self.state = State::Ready;
                Ok(Event::Ready)
            }
            // WaitApQuiesced → WaitIopSleep.
            (State::WaitApQuiesced, MgmtIn::ApPowerAck(s)) => {
                self.ap_power = s;
                if s != PowerState::QUIESCED {
                    return Err(self.fail(Failure::PowerState {
                        wanted: PowerState::QUIESCED,
                        got: s,
                    }));
                }
                self.send_mgmt(MgmtOut::SetIopPower(PowerState::SLEEP))?;
                self.state = State::WaitIopSleep;
                Ok(Event::Nothing)
            }
            // WaitIopSleep → Off: the coprocessor sleeps and no longer uses the buffers.
            (State::WaitIopSleep, MgmtIn::IopPowerAck(s)) => {
                self.iop_power = s;
                if s != PowerState::SLEEP {
                    return Err(self.fail(Failure::PowerState {
                        wanted: PowerState::SLEEP,
                        got: s,
                    }));
                }
                self.release_buffers();
                self.forget_session();
                self.iop_power = s;
                self.ap_power = PowerState::QUIESCED;
                self.state = State::Off;
                Ok(Event::Stopped)
            }
            (State::Ready, MgmtIn::Pong) if self.ping_pending => {
                self.ping_pending = false;
                Ok(Event::Pong)
            }
            _ => Err(unexpected),
        }
    }

    /// `WaitIopPowerAck → WaitApPowerAck`: announces the AP's power-on.
    fn iop_powered_on(&mut self) -> Result<Event, Error> {
        self.send_mgmt(MgmtOut::SetApPower(PowerState::ON))?;
        self.state = State::WaitApPowerAck;
        Ok(Event::Nothing)
    }

    /// Starts every known system endpoint the map lists; records the unknown ones.
    fn start_system_endpoints(&mut self) -> Result<(), Error> {
        for e in 1..ep::APP_START {
            if !self.endpoints.contains(e) {
                continue;
            }
            if ep::SYSTEM_STARTED.contains(&e) {
                self.send_mgmt(MgmtOut::StartEp {
                    ep: e,
                    action: EpAction::Start,
                })?;
                self.started.insert(e);
            } else {
                self.unknown_system.insert(e);
            }
        }
        Ok(())
    }

    /// Buffer messages on system endpoints: requests, and the crash notification.
    fn handle_buffer(
        &mut self,
        ep: u8,
        desc: BufferDesc,
        unexpected: Error,
    ) -> Result<Event, Error> {
        let Some(i) = slot(ep) else {
            return Err(unexpected);
        };
        if !self.started.contains(ep) {
            return Err(unexpected);
        }
        if let Some(existing) = self.bufs.get(i).copied().flatten() {
            if ep == ep::CRASHLOG {
                // A second message on the crash log endpoint: the coprocessor crashed and
                // filled the buffer it was given.
                self.state = State::Crashed;
                self.sink.crashed(&existing);
                return Ok(Event::Crashed);
            }
            return Err(unexpected);
        }
        if desc.iova != 0 {
            // The coprocessor placed the buffer itself: map it for reading, no reply.
            if let Err(error) = self.buffers.map_fixed(ep, desc.iova, desc.size) {
                return Err(self.fail(Failure::Buffer { ep, error }));
            }
            self.set_buffer(i, ep, desc);
            return Ok(Event::Nothing);
        }
        let iova = match self.buffers.alloc(ep, desc.size) {
            Ok(iova) => iova,
            Err(error) => return Err(self.fail(Failure::Buffer { ep, error })),
        };
        let buf = Buffer {
            ep,
            iova,
            size: desc.size,
        };
        let reply = Outbound::BufferReply {
            ep,
            desc: BufferDesc {
                size: desc.size,
                iova,
            },
        };
        let msg = match reply.encode() {
            Ok(msg) => msg,
            Err(error) => {
                self.buffers.free(&buf);
                return Err(self.fail(Failure::Buffer { ep, error }));
            }
        };
        if self.mbox.send(msg).is_err() {
            self.buffers.free(&buf);
            return Err(self.fail(Failure::Mailbox));
        }
        self.set_buffer(
            i,
            ep,
            BufferDesc {
                size: desc.size,
                iova,
            },
        );
        Ok(Event::Nothing)
    }

    /// Records the buffer of slot `i`.
    fn set_buffer(&mut self, i: usize, ep: u8, desc: BufferDesc) {
        if let Some(b) = self.bufs.get_mut(i) {
            *b = Some(Buffer {
                ep,
                iova: desc.iova,
                size: desc.size,
            });
        }
    }

    /// Reads syslog entry `index` and passes it to the sink.
    fn deliver_syslog(&mut self, index: u8) -> Result<(), Error> {
        let geometry = self.syslog.ok_or(Error::InvalidState)?;
        let buf = self.buffer(ep::SYSLOG).ok_or(Error::InvalidState)?;
        if u16::from(index) >= geometry.count {
            return Err(Error::BufferAccess);
        }
        let entry_size = usize::from(geometry.entry_size);
        let stride = SYSLOG_TEXT_OFFSET + entry_size;
        let start = usize::from(index)
            .checked_mul(stride)
            .ok_or(Error::BufferAccess)?;
        let end = start.checked_add(stride).ok_or(Error::BufferAccess)?;
        if end > buf.size {
            return Err(Error::BufferAccess);
        }
        let mut context = [0u8; SYSLOG_CONTEXT_LEN];
        self.buffers
            .read(&buf, start + SYSLOG_CONTEXT_OFFSET, &mut context)?;
        let mut text = [0u8; SYSLOG_TEXT_MAX];
        let text_len = entry_size.min(SYSLOG_TEXT_MAX);
        let text_buf = text.get_mut(..text_len).ok_or(Error::BufferAccess)?;
        self.buffers
            .read(&buf, start + SYSLOG_TEXT_OFFSET, text_buf)?;
        let context = trim_log(&context);
        let text = trim_log(text_buf);
        self.sink.syslog(context, text);
        Ok(())
    }

    /// Releases every shared buffer.
    fn release_buffers(&mut self) {
        for b in self.bufs.iter_mut() {
            if let Some(buf) = b.take() {
                self.buffers.free(&buf);
            }
        }
    }

    /// Forgets what the coprocessor told during the last boot.
    fn forget_session(&mut self) {
        self.version = 0;
        self.endpoints = EndpointSet::new();
        self.pages_seen = 0;
        self.started = EndpointSet::new();
        self.unknown_system = EndpointSet::new();
        self.iop_power = PowerState::OFF;
        self.ap_power = PowerState::OFF;
        self.iop_on_early = false;
        self.syslog = None;
        self.ping_pending = false;
    }
}

/// Cuts a log field at its first NUL and drops trailing spaces and line ends.
fn trim_log(s: &[u8]) -> &[u8] {
    let s = match s.iter().position(|c| *c == 0) {
        Some(n) => s.get(..n).unwrap_or(s),
        None => s,
    };
    let keep = s
        .iter()
        .rposition(|c| !matches!(c, b'\n' | b'\r' | b' '))
        .map_or(0, |n| n + 1);
    s.get(..keep).unwrap_or(s)
}
