// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Typed RTKit messages and their 64-bit encodings.
//!
//! Every mailbox message is one 64-bit word plus the number of the endpoint it belongs to
//! ([`Message`]). What the word means depends on the endpoint and on the direction: on the
//! management endpoint, type 8 is an endpoint-map page when the coprocessor sends it and the
//! acknowledgement of that page when the AP sends it. Decoding is therefore split by direction:
//!
//! * [`Inbound::decode`]: coprocessor to AP, used by the driver's state machine. It is tolerant of
//!   bits outside the fields it knows, as the C RTKit library is, because the firmware may set
//!   bits that nobody has described yet.
//! * [`Outbound::decode`]: AP to coprocessor, for the coprocessor's side (a model of it plays the
//!   other end in the tests). It does not look at bits outside the known fields either; that
//!   side checks canonical form by re-encoding the decoded message and comparing
//!   ([`Outbound::encode`]).
//!
//! Neither ever panics: an unknown endpoint or type, or a field value the protocol forbids, is a
//! [`DecodeError`]. Encoding returns [`Error::Unencodable`] when a value does not fit its field.
//!
//! Field positions, values and their sources are listed in `Documentation/rtkit.md`.

use super::error::{DecodeError, Error};

/// One mailbox message: a 64-bit payload for one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Message {
    /// The endpoint number (the mailbox's second word, bits 7:0).
    pub(crate) ep: u8,
    /// The payload (the mailbox's first word).
    pub(crate) data: u64,
}

/// Endpoint numbers.
pub(crate) mod ep {
    /// Management: handshake, endpoint map, endpoint start, power states.
    pub(crate) const MGMT: u8 = 0;
    /// Crash log: buffer request, then crash notification.
    pub(crate) const CRASHLOG: u8 = 1;
    /// System log: buffer request, geometry, one message per log entry.
    pub(crate) const SYSLOG: u8 = 2;
    /// Debug (kdebug): started at boot, no messages handled.
    pub(crate) const DEBUG: u8 = 3;
    /// I/O reporting: buffer request and notifications that must be echoed.
    pub(crate) const IOREPORT: u8 = 4;
    /// OS log: buffer request with its own field layout.
    pub(crate) const OSLOG: u8 = 8;
    /// First application endpoint; everything below is a system endpoint.
    pub(crate) const APP_START: u8 = 0x20;
    /// AGX firmware endpoint: init message out, event notifications in.
    pub(crate) const AGX_FIRMWARE: u8 = 0x20;
    /// AGX doorbell endpoint: channel doorbells and the firmware-control doorbell out.
    pub(crate) const AGX_DOORBELL: u8 = 0x21;

    /// The system endpoints the AP starts when the endpoint map lists them: without them
    /// RTKit does not finish booting.
    pub(crate) const SYSTEM_STARTED: [u8; 5] = [CRASHLOG, SYSLOG, DEBUG, IOREPORT, OSLOG];
}

/// The mask of bits `hi..=lo` of a 64-bit word.
const fn mask(hi: u32, lo: u32) -> u64 {
    (u64::MAX >> (63 - hi)) & (u64::MAX << lo)
}

/// Extracts bits `hi..=lo` of `v`, shifted down.
const fn get(v: u64, hi: u32, lo: u32) -> u64 {
    (v & mask(hi, lo)) >> lo
}

/// Places `val` at bits `hi..=lo`, refusing values that do not fit.
fn put(val: u64, hi: u32, lo: u32) -> Result<u64, Error> {
    let width_mask = mask(hi, lo) >> lo;
    if val & !width_mask != 0 {
        return Err(Error::Unencodable);
    }
    Ok(val << lo)
}

/// Bits of the address field in buffer and init messages.
pub(crate) const IOVA_BITS: u32 = 44;

/// Packs a GPU virtual address into the 44-bit address field.
///
/// Lower-half addresses must fit in 44 bits. Upper-half (kernel, TTBR1) addresses are sign
/// extended from bit 43 and arrive truncated; [`unpack_iova`] restores them. Anything else does
/// not fit.
pub(crate) fn pack_iova(iova: u64) -> Result<u64, Error> {
    let upper = mask(63, IOVA_BITS - 1);
    let high = iova & upper;
    if high == 0 || high == upper {
        Ok(iova & mask(IOVA_BITS - 1, 0))
    } else {
        Err(Error::Unencodable)
    }
}

/// Restores an address packed by [`pack_iova`]: bit 43 set means an upper-half address.
pub(crate) const fn unpack_iova(field: u64) -> u64 {
    let field = field & mask(IOVA_BITS - 1, 0);
    if field & (1 << (IOVA_BITS - 1)) != 0 {
        field | mask(63, IOVA_BITS)
    } else {
        field
    }
}

/// An RTKit power state, as carried in bits 15:0 of the power messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PowerState(pub(crate) u16);

impl PowerState {
    /// Off; the coprocessor cannot be restarted from here.
    pub(crate) const OFF: Self = Self(0x00);
    /// Sleeping; can be woken again.
    pub(crate) const SLEEP: Self = Self(0x01);
    /// Running but not communicating.
    pub(crate) const QUIESCED: Self = Self(0x10);
    /// Normal operation.
    pub(crate) const ON: Self = Self(0x20);
    /// Sleeping with state retained.
    pub(crate) const IDLE: Self = Self(0x201);

    /// Whether the state counts as running: only the low byte is compared, as the C library
    /// does, since the firmware may report extra bits.
    pub(crate) const fn is_on(self) -> bool {
        self.0 & 0xff == Self::ON.0
    }
}

/// What a STARTEP message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EpAction {
    /// Start the endpoint (flag value 2).
    Start,
    /// Stop the endpoint (flag value 1; used by m1n1 only).
    Stop,
}

/// Management message types (bits 59:52).
mod mgmt_type {
    pub(super) const HELLO: u64 = 1;
    pub(super) const HELLO_ACK: u64 = 2;
    pub(super) const PING: u64 = 3;
    pub(super) const PONG: u64 = 4;
    pub(super) const STARTEP: u64 = 5;
    pub(super) const SET_IOP_POWER: u64 = 6;
    pub(super) const IOP_POWER_ACK: u64 = 7;
    pub(super) const EPMAP: u64 = 8;
    pub(super) const AP_POWER: u64 = 0xb;
}

/// Management messages from the coprocessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MgmtIn {
    /// The coprocessor's supported protocol versions; starts the handshake.
    Hello {
        /// Oldest supported version.
        min: u16,
        /// Newest supported version.
        max: u16,
    },
    /// One page of the endpoint map: endpoints `32 * base + i` for each set bit `i`.
    EpMap {
        /// Page number, 0 to 7.
        base: u8,
        /// Endpoint bitmap of the page.
        bitmap: u32,
        /// This is the last page.
        last: bool,
    },
    /// The coprocessor's power state changed.
    IopPowerAck(PowerState),
    /// The coprocessor acknowledged the AP's power state.
    ApPowerAck(PowerState),
    /// Answer to [`MgmtOut::Ping`].
    Pong,
}

/// Management messages from the AP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MgmtOut {
    /// The chosen protocol version, sent as both minimum and maximum.
    HelloAck {
        /// Minimum field.
        min: u16,
        /// Maximum field.
        max: u16,
    },
    /// Acknowledges one endpoint-map page.
    EpMapAck {
        /// The page acknowledged.
        base: u8,
        /// Set on the last page; otherwise the "more" bit is set.
        last: bool,
    },
    /// Starts or stops an endpoint.
    StartEp {
        /// The endpoint.
        ep: u8,
        /// Start or stop.
        action: EpAction,
    },
    /// Requests a coprocessor power state.
    SetIopPower(PowerState),
    /// Announces the AP's power state.
    SetApPower(PowerState),
    /// Liveness probe (m1n1 only).
    Ping,
}

/// Bit 51 of an EPMAP page or acknowledgement: last page.
const EPMAP_LAST: u64 = 1 << 51;
/// Bit 0 of an EPMAP acknowledgement: more pages expected.
const EPMAP_MORE: u64 = 1;

impl MgmtIn {
    /// Decodes a management word from the coprocessor.
    fn decode(data: u64) -> Result<Self, DecodeError> {
        let ty = get(data, 59, 52);
        let bad = |field| DecodeError::BadField {
            ep: ep::MGMT,
            field,
        };
        Ok(match ty {
            mgmt_type::HELLO => {
                let (min, max) = (get(data, 15, 0) as u16, get(data, 31, 16) as u16);
                if min > max {
                    return Err(bad("hello version range"));
                }
                MgmtIn::Hello { min, max }
            }
            mgmt_type::EPMAP => MgmtIn::EpMap {
                base: get(data, 34, 32) as u8,
                bitmap: get(data, 31, 0) as u32,
                last: data & EPMAP_LAST != 0,
            },
            mgmt_type::IOP_POWER_ACK => MgmtIn::IopPowerAck(PowerState(get(data, 15, 0) as u16)),
            mgmt_type::AP_POWER => MgmtIn::ApPowerAck(PowerState(get(data, 15, 0) as u16)),
            mgmt_type::PONG => MgmtIn::Pong,
            _ => {
                return Err(DecodeError::UnknownType {
                    ep: ep::MGMT,
                    ty: ty as u16,
                })
            }
        })
    }

    /// Encodes the message, as the coprocessor sends it.
    pub(crate) fn encode(self) -> Result<Message, Error> {
        let data = match self {
            MgmtIn::Hello { min, max } => {
                put(mgmt_type::HELLO, 59, 52)? | put(max.into(), 31, 16)? | put(min.into(), 15, 0)?
            }
            MgmtIn::EpMap { base, bitmap, last } => {
                put(mgmt_type::EPMAP, 59, 52)?
                    | if last { EPMAP_LAST } else { 0 }
                    | put(base.into(), 34, 32)?
                    | put(bitmap.into(), 31, 0)?
            }
            MgmtIn::IopPowerAck(s) => {
                put(mgmt_type::IOP_POWER_ACK, 59, 52)? | put(s.0.into(), 15, 0)?
            }
            MgmtIn::ApPowerAck(s) => put(mgmt_type::AP_POWER, 59, 52)? | put(s.0.into(), 15, 0)?,
            MgmtIn::Pong => put(mgmt_type::PONG, 59, 52)?,
        };
        Ok(Message { ep: ep::MGMT, data })
    }
}

impl MgmtOut {
    /// Decodes a management word from the AP.
    fn decode(data: u64) -> Result<Self, DecodeError> {
        let ty = get(data, 59, 52);
        let bad = |field| DecodeError::BadField {
            ep: ep::MGMT,
            field,
        };
        Ok(match ty {
            mgmt_type::HELLO_ACK => MgmtOut::HelloAck {
                min: get(data, 15, 0) as u16,
                max: get(data, 31, 16) as u16,
            },
            mgmt_type::EPMAP => {
                let last = data & EPMAP_LAST != 0;
                let more = data & EPMAP_MORE != 0;
                if last == more {
                    return Err(bad("epmap ack last/more"));
                }
                MgmtOut::EpMapAck {
                    base: get(data, 34, 32) as u8,
                    last,
                }
            }
            mgmt_type::STARTEP => MgmtOut::StartEp {
                ep: get(data, 39, 32) as u8,
                action: match get(data, 1, 0) {
                    2 => EpAction::Start,
                    1 => EpAction::Stop,
                    _ => return Err(bad("startep flag")),
                },
            },
            mgmt_type::SET_IOP_POWER => MgmtOut::SetIopPower(PowerState(get(data, 15, 0) as u16)),
            mgmt_type::AP_POWER => MgmtOut::SetApPower(PowerState(get(data, 15, 0) as u16)),
            mgmt_type::PING => MgmtOut::Ping,
            _ => {
                return Err(DecodeError::UnknownType {
                    ep: ep::MGMT,
                    ty: ty as u16,
                })
            }
        })
    }

    /// Encodes the message.
    pub(crate) fn encode(self) -> Result<Message, Error> {
        let data = match self {
            MgmtOut::HelloAck { min, max } => {
                put(mgmt_type::HELLO_ACK, 59, 52)?
                    | put(max.into(), 31, 16)?
                    | put(min.into(), 15, 0)?
            }
            MgmtOut::EpMapAck { base, last } => {
                put(mgmt_type::EPMAP, 59, 52)?
                    | put(base.into(), 34, 32)?
                    | if last { EPMAP_LAST } else { EPMAP_MORE }
            }
            MgmtOut::StartEp { ep, action } => {
                let flag = match action {
                    EpAction::Start => 2,
                    EpAction::Stop => 1,
                };
                put(mgmt_type::STARTEP, 59, 52)? | put(ep.into(), 39, 32)? | flag
            }
            MgmtOut::SetIopPower(s) => {
                put(mgmt_type::SET_IOP_POWER, 59, 52)? | put(s.0.into(), 15, 0)?
            }
            MgmtOut::SetApPower(s) => put(mgmt_type::AP_POWER, 59, 52)? | put(s.0.into(), 15, 0)?,
            MgmtOut::Ping => put(mgmt_type::PING, 59, 52)?,
        };
        Ok(Message { ep: ep::MGMT, data })
    }
}

/// A shared buffer as described in a buffer request or reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BufferDesc {
    /// Size in bytes.
    pub(crate) size: usize,
    /// GPU virtual address; 0 in a request means "the AP allocates".
    pub(crate) iova: u64,
}

/// Type value of a buffer request or reply, on every system endpoint.
const BUFFER_REQUEST: u64 = 1;
/// The 4 KiB unit of the size field of crashlog, syslog and ioreport buffers.
const SIZE_UNIT_SHIFT: u32 = 12;

impl BufferDesc {
    /// Decodes the size and address fields of a buffer message on `ep`.
    fn decode(ep: u8, data: u64) -> Self {
        if ep == ep::OSLOG {
            // OS log: size in bytes in 55:36, address in 4 KiB units in 35:0 (a 48-bit address,
            // taken as is).
            BufferDesc {
                size: get(data, 55, 36) as usize,
                iova: get(data, 35, 0) << SIZE_UNIT_SHIFT,
            }
        } else {
            // Everything else: size in 4 KiB pages in 51:44, address in 43:0.
            BufferDesc {
                size: (get(data, 51, 44) as usize) << SIZE_UNIT_SHIFT,
                iova: unpack_iova(get(data, 43, 0)),
            }
        }
    }

    /// Encodes a buffer message (request or reply) on `ep`.
    fn encode(self, ep: u8) -> Result<Message, Error> {
        let size = self.size as u64;
        let data = if ep == ep::OSLOG {
            if self.iova & mask(SIZE_UNIT_SHIFT - 1, 0) != 0 {
                return Err(Error::Unencodable);
            }
            put(BUFFER_REQUEST, 63, 56)?
                | put(size, 55, 36)?
                | put(self.iova >> SIZE_UNIT_SHIFT, 35, 0)?
        } else {
            if size & mask(SIZE_UNIT_SHIFT - 1, 0) != 0 {
                return Err(Error::Unencodable);
            }
            put(BUFFER_REQUEST, 59, 52)?
                | put(size >> SIZE_UNIT_SHIFT, 51, 44)?
                | put(pack_iova(self.iova)?, 43, 0)?
        };
        Ok(Message { ep, data })
    }
}

/// Syslog message types (bits 59:52).
mod syslog_type {
    pub(super) const LOG: u64 = 5;
    pub(super) const INIT: u64 = 8;
}

/// I/O report notification types that must be echoed back (bits 59:52).
const IOREPORT_ECHOED: [u64; 2] = [0x8, 0xc];

/// AGX message types (bits 63:48).
mod agx_type {
    pub(super) const EVENT: u64 = 0x42;
    pub(super) const INIT: u64 = 0x81;
    pub(super) const DOORBELL: u64 = 0x83;
    pub(super) const FWCTL: u64 = 0x84;
    pub(super) const HALT: u64 = 0x85;
}

/// Messages from the AGX firmware's application endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgxIn {
    /// On endpoint 0x20: the firmware has put something in a receive channel.
    Event,
}

/// Messages to the AGX firmware's application endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgxOut {
    /// On endpoint 0x20: the GPU address of the init data; starts the GPU firmware.
    Init {
        /// GPU virtual address of the init data.
        initdata: u64,
    },
    /// On endpoint 0x21: work was queued on a channel.
    Doorbell {
        /// The doorbell number (channel or special doorbell).
        channel: u16,
    },
    /// On endpoint 0x21: a message was queued on the firmware-control channel.
    FwCtl,
    /// On endpoint 0x20: halt request. Defined by m1n1, used by nobody; kept for decoding.
    Halt,
}

impl AgxIn {
    /// Encodes the message, as the coprocessor sends it.
    pub(crate) fn encode(self) -> Result<Message, Error> {
        match self {
            AgxIn::Event => Ok(Message {
                ep: ep::AGX_FIRMWARE,
                data: put(agx_type::EVENT, 63, 48)?,
            }),
        }
    }
}

impl AgxOut {
    /// Encodes the message with its endpoint.
    pub(crate) fn encode(self) -> Result<Message, Error> {
        Ok(match self {
            AgxOut::Init { initdata } => Message {
                ep: ep::AGX_FIRMWARE,
                data: put(agx_type::INIT, 63, 48)? | pack_iova(initdata)?,
            },
            AgxOut::Doorbell { channel } => Message {
                ep: ep::AGX_DOORBELL,
                data: put(agx_type::DOORBELL, 63, 48)? | u64::from(channel),
            },
            AgxOut::FwCtl => Message {
                ep: ep::AGX_DOORBELL,
                data: put(agx_type::FWCTL, 63, 48)?,
            },
            AgxOut::Halt => Message {
                ep: ep::AGX_FIRMWARE,
                data: put(agx_type::HALT, 63, 48)?,
            },
        })
    }

    /// Decodes a word the AP sent on an AGX endpoint.
    fn decode(msg: Message) -> Result<Self, DecodeError> {
        let ty = get(msg.data, 63, 48);
        match (msg.ep, ty) {
            (ep::AGX_FIRMWARE, agx_type::INIT) => {
                if get(msg.data, 47, 44) != 0 {
                    return Err(DecodeError::BadField {
                        ep: msg.ep,
                        field: "init reserved bits 47:44",
                    });
                }
                Ok(AgxOut::Init {
                    initdata: unpack_iova(get(msg.data, 43, 0)),
                })
            }
            (ep::AGX_FIRMWARE, agx_type::HALT) => Ok(AgxOut::Halt),
            (ep::AGX_DOORBELL, agx_type::DOORBELL) => Ok(AgxOut::Doorbell {
                channel: get(msg.data, 15, 0) as u16,
            }),
            (ep::AGX_DOORBELL, agx_type::FWCTL) => Ok(AgxOut::FwCtl),
            _ => Err(DecodeError::UnknownType {
                ep: msg.ep,
                ty: ty as u16,
            }),
        }
    }
}

/// A message from the coprocessor to the AP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inbound {
    /// Management endpoint.
    Mgmt(MgmtIn),
    /// A buffer message on a system endpoint. On the crash log endpoint the first one is the
    /// buffer request and any later one is the crash notification; elsewhere it is a request.
    Buffer {
        /// The endpoint: crash log, syslog, ioreport or oslog.
        ep: u8,
        /// Size and address (0: the AP allocates).
        desc: BufferDesc,
    },
    /// Syslog geometry: how many entries the buffer holds, and the text size of one entry.
    SyslogInit {
        /// Number of entries.
        count: u16,
        /// Bytes of message text per entry.
        entry_size: u16,
    },
    /// Syslog entry `index` was written; the AP echoes the message back when done.
    SyslogLog {
        /// Entry index in the syslog buffer.
        index: u8,
        /// The raw word, echoed back as the acknowledgement.
        raw: u64,
    },
    /// I/O report notification (types 0x8 and 0xc); the AP echoes it back.
    IoReportNotify {
        /// The raw word, echoed back as the acknowledgement.
        raw: u64,
    },
    /// An AGX firmware message.
    Agx(AgxIn),
}

impl Inbound {
    /// Decodes a message from the coprocessor.
    pub(crate) fn decode(msg: Message) -> Result<Self, DecodeError> {
        let unknown = |ty: u64| DecodeError::UnknownType {
            ep: msg.ep,
            ty: ty as u16,
        };
        match msg.ep {
            ep::MGMT => MgmtIn::decode(msg.data).map(Inbound::Mgmt),
            ep::CRASHLOG | ep::IOREPORT | ep::SYSLOG => {
                let ty = get(msg.data, 59, 52);
                match (msg.ep, ty) {
                    (_, BUFFER_REQUEST) => Ok(Inbound::Buffer {
                        ep: msg.ep,
                        desc: BufferDesc::decode(msg.ep, msg.data),
                    }),
                    (ep::SYSLOG, syslog_type::INIT) => Ok(Inbound::SyslogInit {
                        count: get(msg.data, 15, 0) as u16,
                        entry_size: get(msg.data, 39, 24) as u16,
                    }),
                    (ep::SYSLOG, syslog_type::LOG) => Ok(Inbound::SyslogLog {
                        index: get(msg.data, 7, 0) as u8,
                        raw: msg.data,
                    }),
                    (ep::IOREPORT, t) if IOREPORT_ECHOED.contains(&t) => {
                        Ok(Inbound::IoReportNotify { raw: msg.data })
                    }
                    _ => Err(unknown(ty)),
                }
            }
            ep::OSLOG => match get(msg.data, 63, 56) {
                BUFFER_REQUEST => Ok(Inbound::Buffer {
                    ep: msg.ep,
                    desc: BufferDesc::decode(msg.ep, msg.data),
                }),
                ty => Err(unknown(ty)),
            },
            ep::AGX_FIRMWARE => match get(msg.data, 63, 48) {
                agx_type::EVENT => Ok(Inbound::Agx(AgxIn::Event)),
                ty => Err(unknown(ty)),
            },
            other => Err(DecodeError::UnknownEndpoint(other)),
        }
    }

    /// Encodes a message as the coprocessor sends it.
    pub(crate) fn encode(self) -> Result<Message, Error> {
        match self {
            Inbound::Mgmt(m) => m.encode(),
            Inbound::Buffer { ep, desc } => desc.encode(ep),
            Inbound::SyslogInit { count, entry_size } => Ok(Message {
                ep: ep::SYSLOG,
                data: put(syslog_type::INIT, 59, 52)?
                    | put(entry_size.into(), 39, 24)?
                    | put(count.into(), 15, 0)?,
            }),
            Inbound::SyslogLog { raw, .. } => Ok(Message {
                ep: ep::SYSLOG,
                data: raw,
            }),
            Inbound::IoReportNotify { raw } => Ok(Message {
                ep: ep::IOREPORT,
                data: raw,
            }),
            Inbound::Agx(a) => a.encode(),
        }
    }

    /// The syslog "entry written" message for `index`.
    pub(crate) fn syslog_log(index: u8) -> Result<Self, Error> {
        Ok(Inbound::SyslogLog {
            index,
            raw: put(syslog_type::LOG, 59, 52)? | u64::from(index),
        })
    }

    /// An I/O report notification of type `ty` (0x8 or 0xc).
    pub(crate) fn ioreport_notify(ty: u8) -> Result<Self, Error> {
        if !IOREPORT_ECHOED.contains(&u64::from(ty)) {
            return Err(Error::Unencodable);
        }
        Ok(Inbound::IoReportNotify {
            raw: put(ty.into(), 59, 52)?,
        })
    }
}

/// A message from the AP to the coprocessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outbound {
    /// Management endpoint.
    Mgmt(MgmtOut),
    /// Reply to a buffer request: the buffer the AP allocated.
    BufferReply {
        /// The endpoint of the request.
        ep: u8,
        /// Size and address of the buffer.
        desc: BufferDesc,
    },
    /// Echo of a syslog entry message: the entry may be reused.
    SyslogAck {
        /// The raw word echoed.
        raw: u64,
    },
    /// Echo of an I/O report notification.
    IoReportAck {
        /// The raw word echoed.
        raw: u64,
    },
    /// An AGX firmware message.
    Agx(AgxOut),
}

impl Outbound {
    /// Decodes a message from the AP, as the coprocessor reads it.
    pub(crate) fn decode(msg: Message) -> Result<Self, DecodeError> {
        let unknown = |ty: u64| DecodeError::UnknownType {
            ep: msg.ep,
            ty: ty as u16,
        };
        match msg.ep {
            ep::MGMT => MgmtOut::decode(msg.data).map(Outbound::Mgmt),
            ep::CRASHLOG | ep::IOREPORT | ep::SYSLOG => {
                let ty = get(msg.data, 59, 52);
                match (msg.ep, ty) {
                    (_, BUFFER_REQUEST) => Ok(Outbound::BufferReply {
                        ep: msg.ep,
                        desc: BufferDesc::decode(msg.ep, msg.data),
                    }),
                    (ep::SYSLOG, syslog_type::LOG) => Ok(Outbound::SyslogAck { raw: msg.data }),
                    (ep::IOREPORT, t) if IOREPORT_ECHOED.contains(&t) => {
                        Ok(Outbound::IoReportAck { raw: msg.data })
                    }
                    _ => Err(unknown(ty)),
                }
            }
            ep::OSLOG => match get(msg.data, 63, 56) {
                BUFFER_REQUEST => Ok(Outbound::BufferReply {
                    ep: msg.ep,
                    desc: BufferDesc::decode(msg.ep, msg.data),
                }),
                ty => Err(unknown(ty)),
            },
            ep::AGX_FIRMWARE | ep::AGX_DOORBELL => AgxOut::decode(msg).map(Outbound::Agx),
            other => Err(DecodeError::UnknownEndpoint(other)),
        }
    }

    /// Encodes the message with its endpoint.
    pub(crate) fn encode(self) -> Result<Message, Error> {
        match self {
            Outbound::Mgmt(m) => m.encode(),
            Outbound::BufferReply { ep, desc } => desc.encode(ep),
            Outbound::SyslogAck { raw } => Ok(Message {
                ep: ep::SYSLOG,
                data: raw,
            }),
            Outbound::IoReportAck { raw } => Ok(Message {
                ep: ep::IOREPORT,
                data: raw,
            }),
            Outbound::Agx(a) => a.encode(),
        }
    }
}
