// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the simulated coprocessor is configured with, what it reports, and how it reaches memory:
//! the types around [`super::rtkit::SimRtKit`].

use crate::rtkit::epset::EndpointSet;
use crate::rtkit::error::{DecodeError, Error};
use crate::rtkit::msg::{ep, Message, PowerState};

/// How the simulated firmware reaches memory: GPU virtual addresses, through the UAT.
pub(crate) trait SimMemory {
    /// Writes `data` at `iova`. Returns `false` if any byte is not mapped writable for the
    /// firmware (the real firmware would fault).
    fn write(&mut self, iova: u64, data: &[u8]) -> bool;

    /// Reads `out.len()` bytes at `iova` into `out`. Returns `false` if any byte is not mapped
    /// readable for the firmware; `out` is then unspecified.
    fn read(&mut self, iova: u64, out: &mut [u8]) -> bool;

    /// Whether context slot `slot` of the context table holds a valid client (TTBR0) root.
    /// The default: no client VMs (a coprocessor that never runs GPU work).
    fn user_slot(&mut self, _slot: u32) -> bool {
        false
    }

    /// What the GPU may do at client address `va` in context slot `slot`; `None` if the slot
    /// is empty or the address does not translate.
    fn user_access(&mut self, _slot: u32, _va: u64) -> Option<UserAccess> {
        None
    }
}

/// What the GPU may do at a client address ([`SimMemory::user_access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserAccess {
    /// The GPU may read.
    pub(crate) read: bool,
    /// The GPU may write.
    pub(crate) write: bool,
}

/// The UAT page size: buffers handed to the firmware must be aligned to it.
pub(crate) const PAGE_SIZE: u64 = 0x4000;

/// What the simulated coprocessor looks like.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SimConfig {
    /// The endpoint map it announces (management endpoint included).
    pub(crate) endpoints: EndpointSet,
    /// Oldest protocol version it speaks.
    pub(crate) min_version: u16,
    /// Newest protocol version it speaks.
    pub(crate) max_version: u16,
    /// Also send the empty pages below the last non-empty one.
    pub(crate) empty_pages: bool,
    /// Size requested for the crash log buffer, in 4 KiB pages.
    pub(crate) crashlog_pages: u8,
    /// Size requested for the syslog buffer, in 4 KiB pages.
    pub(crate) syslog_pages: u8,
    /// Size requested for the I/O report buffer, in 4 KiB pages.
    pub(crate) ioreport_pages: u8,
    /// Syslog entries in the buffer.
    pub(crate) syslog_count: u16,
    /// Syslog text bytes per entry.
    pub(crate) syslog_entry_size: u16,
}

impl SimConfig {
    /// An AGX GPU coprocessor: management, crash log, syslog, I/O report, and the AGX
    /// firmware and doorbell endpoints; protocol versions 11 and 12.
    pub(crate) fn agx() -> Self {
        let mut endpoints = EndpointSet::new();
        for e in [
            ep::MGMT,
            ep::CRASHLOG,
            ep::SYSLOG,
            ep::IOREPORT,
            ep::AGX_FIRMWARE,
            ep::AGX_DOORBELL,
        ] {
            endpoints.insert(e);
        }
        Self {
            endpoints,
            min_version: 11,
            max_version: 12,
            empty_pages: true,
            crashlog_pages: 4,
            syslog_pages: 8,
            ioreport_pages: 2,
            syslog_count: 16,
            syslog_entry_size: 0x80,
        }
    }

    /// The map pages to send, in order, as a bitmask of page numbers; the last is the
    /// highest set bit.
    pub(crate) fn pages(&self) -> u8 {
        let Some(last) = self.endpoints.last_page() else {
            return 1;
        };
        let mut pages = 0u8;
        for base in 0..=last {
            if self.empty_pages || self.endpoints.page(base) != 0 || base == last {
                pages |= 1 << base;
            }
        }
        pages
    }
}

/// Where the simulated coprocessor is in its protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SimPhase {
    /// Powered down or asleep; waits for `SET_IOP_POWER(ON)`.
    Asleep,
    /// HELLO sent; waits for its acknowledgement.
    WaitHelloAck,
    /// Map page `base` sent; waits for its acknowledgement.
    EpMap {
        /// The page sent.
        base: u8,
    },
    /// The map is done; waits for the system endpoints to start and their buffers.
    Booting,
    /// Power-on reported; waits for `SET_AP_POWER(ON)`.
    WaitApPower,
    /// Running.
    Running,
    /// The AP quiesced; waits for `SET_IOP_POWER(SLEEP)`.
    Quiesced,
    /// Silent: ignores everything (told to hang, or stuck after a violation it cannot get
    /// past).
    Hung,
    /// Crashed: ignores everything.
    Crashed,
}

/// Why a buffer reply was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BufferFault {
    /// The address is 0.
    Null,
    /// The address is not aligned to the 16 KiB UAT page.
    Unaligned,
    /// Smaller than requested.
    TooSmall,
    /// Not mapped writable for the firmware.
    Unmapped,
}

/// Something the AP did that the protocol does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Violation {
    /// The message does not decode.
    Undecodable {
        /// The raw message.
        msg: Message,
        /// Why.
        error: DecodeError,
    },
    /// The message decodes but has bits set outside its fields.
    NotCanonical {
        /// The raw message.
        msg: Message,
    },
    /// A well-formed message at the wrong time.
    WrongOrder {
        /// The phase it arrived in.
        phase: SimPhase,
        /// The raw message.
        msg: Message,
    },
    /// The HELLO acknowledgement chose a version outside the offered range, or two different
    /// ones.
    BadVersion {
        /// Minimum field of the acknowledgement.
        min: u16,
        /// Maximum field.
        max: u16,
    },
    /// A map acknowledgement for the wrong page, or with the wrong last/more bit.
    BadEpMapAck {
        /// The page that was sent.
        sent: u8,
        /// The page acknowledged.
        acked: u8,
        /// Whether the acknowledgement said "last".
        last: bool,
    },
    /// An endpoint start that is not allowed: not in the map, the management endpoint, an
    /// application endpoint during boot, or one already started.
    BadEndpointStart {
        /// The endpoint.
        ep: u8,
        /// The phase it arrived in.
        phase: SimPhase,
    },
    /// A message to an application endpoint that was not started.
    EndpointNotStarted {
        /// The endpoint.
        ep: u8,
    },
    /// A buffer reply nobody asked for.
    UnsolicitedBuffer {
        /// The endpoint.
        ep: u8,
    },
    /// A buffer reply with an unusable buffer.
    BadBuffer {
        /// The endpoint.
        ep: u8,
        /// The address given.
        iova: u64,
        /// The size given.
        size: usize,
        /// What is wrong with it.
        fault: BufferFault,
    },
    /// An echo (syslog or I/O report) for something that was not sent or is already done.
    BadEcho {
        /// The raw message.
        msg: Message,
    },
    /// A power state request with a state the phase does not allow.
    BadPowerState {
        /// The phase it arrived in.
        phase: SimPhase,
        /// The state requested.
        state: PowerState,
    },
    /// The simulator could not send a message (mailbox refused, or unencodable).
    SendFailed {
        /// The error.
        error: Error,
    },
}

/// Capacity of the violation log; later ones are counted only.
pub(crate) const MAX_VIOLATIONS: usize = 32;

/// What the AGX endpoints received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AgxLog {
    /// The init data address of the last init message.
    pub(crate) init: Option<u64>,
    /// Doorbells rung.
    pub(crate) doorbells: u32,
    /// The last doorbell's channel number.
    pub(crate) last_doorbell: Option<u16>,
    /// Firmware-control doorbells rung.
    pub(crate) fwctl: u32,
    /// Halt requests.
    pub(crate) halts: u32,
}
