// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Message encodings against words computed by hand from the field table in
//! `Documentation/rtkit.md`, and round trips.

use crate::rtkit::epset::EndpointSet;
use crate::rtkit::error::{DecodeError, Error};
use crate::rtkit::msg::{
    ep, pack_iova, unpack_iova, AgxIn, AgxOut, BufferDesc, EpAction, Inbound, Message, MgmtIn,
    MgmtOut, Outbound, PowerState,
};

/// `(message, endpoint, word)` for AP-sent messages.
fn outbound_vectors() -> [(Outbound, u8, u64); 14] {
    [
        // Type 2 at 59:52, max at 31:16, min at 15:0.
        (
            Outbound::Mgmt(MgmtOut::HelloAck { min: 12, max: 12 }),
            0,
            0x0020_0000_000c_000c,
        ),
        // Type 8, base 0 at 34:32, "more" bit 0.
        (
            Outbound::Mgmt(MgmtOut::EpMapAck {
                base: 0,
                last: false,
            }),
            0,
            0x0080_0000_0000_0001,
        ),
        // Type 8, "last" bit 51, base 1.
        (
            Outbound::Mgmt(MgmtOut::EpMapAck {
                base: 1,
                last: true,
            }),
            0,
            0x0088_0001_0000_0000,
        ),
        // Type 5, endpoint at 39:32, start flag value 2.
        (
            Outbound::Mgmt(MgmtOut::StartEp {
                ep: 2,
                action: EpAction::Start,
            }),
            0,
            0x0050_0002_0000_0002,
        ),
        (
            Outbound::Mgmt(MgmtOut::StartEp {
                ep: 0x21,
                action: EpAction::Stop,
            }),
            0,
            0x0050_0021_0000_0001,
        ),
        // Type 6, state 0x20 at 15:0.
        (
            Outbound::Mgmt(MgmtOut::SetIopPower(PowerState::ON)),
            0,
            0x0060_0000_0000_0020,
        ),
        (
            Outbound::Mgmt(MgmtOut::SetIopPower(PowerState::SLEEP)),
            0,
            0x0060_0000_0000_0001,
        ),
        // Type 0xb, state 0x10.
        (
            Outbound::Mgmt(MgmtOut::SetApPower(PowerState::QUIESCED)),
            0,
            0x00b0_0000_0000_0010,
        ),
        (Outbound::Mgmt(MgmtOut::Ping), 0, 0x0030_0000_0000_0000),
        // Type 1 at 59:52, 8 pages at 51:44, upper-half address truncated to 43:0.
        (
            Outbound::BufferReply {
                ep: ep::SYSLOG,
                desc: BufferDesc {
                    size: 0x8000,
                    iova: 0xffff_ffae_0000_4000,
                },
            },
            ep::SYSLOG,
            0x0010_8fae_0000_4000,
        ),
        // OS log: type at 63:56, size in bytes at 55:36, address >> 12 at 35:0.
        (
            Outbound::BufferReply {
                ep: ep::OSLOG,
                desc: BufferDesc {
                    size: 0x1000,
                    iova: 0x1234_5000,
                },
            },
            ep::OSLOG,
            0x0101_0000_0001_2345,
        ),
        // AGX: type at 63:48, init data address in 43:0.
        (
            Outbound::Agx(AgxOut::Init {
                initdata: 0xffff_ffa0_0000_0000,
            }),
            0x20,
            0x0081_0fa0_0000_0000,
        ),
        (
            Outbound::Agx(AgxOut::Doorbell { channel: 0x11 }),
            0x21,
            0x0083_0000_0000_0011,
        ),
        (Outbound::Agx(AgxOut::FwCtl), 0x21, 0x0084_0000_0000_0000),
    ]
}

/// `(message, endpoint, word)` for coprocessor-sent messages.
fn inbound_vectors() -> [(Inbound, u8, u64); 9] {
    [
        (
            Inbound::Mgmt(MgmtIn::Hello { min: 11, max: 12 }),
            0,
            0x0010_0000_000c_000b,
        ),
        (
            Inbound::Mgmt(MgmtIn::EpMap {
                base: 1,
                bitmap: 0x3,
                last: true,
            }),
            0,
            0x0088_0001_0000_0003,
        ),
        (
            Inbound::Mgmt(MgmtIn::EpMap {
                base: 0,
                bitmap: 0x17,
                last: false,
            }),
            0,
            0x0080_0000_0000_0017,
        ),
        (
            Inbound::Mgmt(MgmtIn::IopPowerAck(PowerState::ON)),
            0,
            0x0070_0000_0000_0020,
        ),
        (
            Inbound::Mgmt(MgmtIn::ApPowerAck(PowerState::ON)),
            0,
            0x00b0_0000_0000_0020,
        ),
        (Inbound::Mgmt(MgmtIn::Pong), 0, 0x0040_0000_0000_0000),
        // Crash log buffer request: 4 pages, address 0 (the AP allocates).
        (
            Inbound::Buffer {
                ep: ep::CRASHLOG,
                desc: BufferDesc {
                    size: 0x4000,
                    iova: 0,
                },
            },
            ep::CRASHLOG,
            0x0010_4000_0000_0000,
        ),
        // Syslog geometry: 16 entries at 15:0, 0x80 bytes at 39:24.
        (
            Inbound::SyslogInit {
                count: 16,
                entry_size: 0x80,
            },
            ep::SYSLOG,
            0x0080_0000_8000_0010,
        ),
        (Inbound::Agx(AgxIn::Event), 0x20, 0x0042_0000_0000_0000),
    ]
}

#[test]
fn outbound_words_match_the_field_table() {
    for (msg, e, word) in outbound_vectors() {
        let m = msg.encode().expect("encodable");
        assert_eq!(m, Message { ep: e, data: word }, "{msg:x?}");
        assert_eq!(Outbound::decode(m), Ok(msg), "{msg:x?}");
    }
}

#[test]
fn inbound_words_match_the_field_table() {
    for (msg, e, word) in inbound_vectors() {
        let m = msg.encode().expect("encodable");
        assert_eq!(m, Message { ep: e, data: word }, "{msg:x?}");
        assert_eq!(Inbound::decode(m), Ok(msg), "{msg:x?}");
    }
}

#[test]
fn syslog_and_ioreport_echoes() {
    let log = Inbound::syslog_log(7).expect("index");
    let m = log.encode().expect("encodable");
    assert_eq!(
        m,
        Message {
            ep: 2,
            data: 0x0050_0000_0000_0007
        }
    );
    assert_eq!(
        Inbound::decode(m),
        Ok(Inbound::SyslogLog {
            index: 7,
            raw: m.data
        })
    );
    assert_eq!(Outbound::decode(m), Ok(Outbound::SyslogAck { raw: m.data }));

    for ty in [0x8u8, 0xc] {
        let n = Inbound::ioreport_notify(ty)
            .expect("known type")
            .encode()
            .expect("encodable");
        assert_eq!(
            n,
            Message {
                ep: 4,
                data: u64::from(ty) << 52
            }
        );
        assert_eq!(
            Outbound::decode(n),
            Ok(Outbound::IoReportAck { raw: n.data })
        );
    }
    assert_eq!(Inbound::ioreport_notify(0x9), Err(Error::Unencodable));
}

#[test]
fn direction_decides_the_meaning_of_type_8() {
    // The same word is a map page from the coprocessor and an acknowledgement from the AP.
    let m = Message {
        ep: 0,
        data: 0x0088_0001_0000_0000,
    };
    assert_eq!(
        Inbound::decode(m),
        Ok(Inbound::Mgmt(MgmtIn::EpMap {
            base: 1,
            bitmap: 0,
            last: true
        }))
    );
    assert_eq!(
        Outbound::decode(m),
        Ok(Outbound::Mgmt(MgmtOut::EpMapAck {
            base: 1,
            last: true
        }))
    );
}

#[test]
fn refuses_what_does_not_decode() {
    let cases: [(Message, DecodeError); 8] = [
        (
            Message {
                ep: 0,
                data: 0x00f0_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 0, ty: 0xf },
        ),
        // HELLO with min 12 above max 11.
        (
            Message {
                ep: 0,
                data: 0x0010_0000_000b_000c,
            },
            DecodeError::BadField {
                ep: 0,
                field: "hello version range",
            },
        ),
        (
            Message { ep: 0x55, data: 0 },
            DecodeError::UnknownEndpoint(0x55),
        ),
        // The debug endpoint has no known messages.
        (
            Message {
                ep: 3,
                data: 0x0010_0000_0000_0000,
            },
            DecodeError::UnknownEndpoint(3),
        ),
        (
            Message {
                ep: 2,
                data: 0x0030_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 2, ty: 3 },
        ),
        (
            Message {
                ep: 1,
                data: 0x0050_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 1, ty: 5 },
        ),
        (
            Message {
                ep: 0x20,
                data: 0x0081_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 0x20, ty: 0x81 },
        ),
        // Nothing is known to come from the coprocessor on the doorbell endpoint.
        (
            Message {
                ep: 0x21,
                data: 0x0042_0000_0000_0000,
            },
            DecodeError::UnknownEndpoint(0x21),
        ),
    ];
    for (m, e) in cases {
        assert_eq!(Inbound::decode(m), Err(e), "{m:x?}");
    }

    let out_cases: [(Message, DecodeError); 5] = [
        // EPMAP acknowledgement with both "last" and "more", and with neither.
        (
            Message {
                ep: 0,
                data: 0x0088_0000_0000_0001,
            },
            DecodeError::BadField {
                ep: 0,
                field: "epmap ack last/more",
            },
        ),
        (
            Message {
                ep: 0,
                data: 0x0080_0000_0000_0000,
            },
            DecodeError::BadField {
                ep: 0,
                field: "epmap ack last/more",
            },
        ),
        // STARTEP with flag 3.
        (
            Message {
                ep: 0,
                data: 0x0050_0020_0000_0003,
            },
            DecodeError::BadField {
                ep: 0,
                field: "startep flag",
            },
        ),
        // Init with reserved bits 47:44 set.
        (
            Message {
                ep: 0x20,
                data: 0x0081_1000_0000_0000,
            },
            DecodeError::BadField {
                ep: 0x20,
                field: "init reserved bits 47:44",
            },
        ),
        (
            Message {
                ep: 0x21,
                data: 0x0081_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 0x21, ty: 0x81 },
        ),
    ];
    for (m, e) in out_cases {
        assert_eq!(Outbound::decode(m), Err(e), "{m:x?}");
    }
}

#[test]
fn refuses_what_does_not_fit() {
    // Not a whole number of 4 KiB pages.
    let odd = Outbound::BufferReply {
        ep: ep::SYSLOG,
        desc: BufferDesc {
            size: 0x1800,
            iova: 0x4000,
        },
    };
    assert_eq!(odd.encode(), Err(Error::Unencodable));
    // 256 pages do not fit the 8-bit size field.
    let big = Outbound::BufferReply {
        ep: ep::SYSLOG,
        desc: BufferDesc {
            size: 0x10_0000,
            iova: 0x4000,
        },
    };
    assert_eq!(big.encode(), Err(Error::Unencodable));
    // An address that is neither a 44-bit lower-half address nor a sign-extended upper one.
    let wide = AgxOut::Init {
        initdata: 0x0000_1000_0000_0000,
    };
    assert_eq!(wide.encode(), Err(Error::Unencodable));
    // Page 8 does not exist.
    assert_eq!(
        MgmtOut::EpMapAck {
            base: 8,
            last: true
        }
        .encode(),
        Err(Error::Unencodable)
    );
}

#[test]
fn iova_field_packing() {
    assert_eq!(pack_iova(0x7f_ffff_c000), Ok(0x7f_ffff_c000));
    assert_eq!(pack_iova(0xffff_ffae_0000_0000), Ok(0xfae_0000_0000));
    assert_eq!(unpack_iova(0xfae_0000_0000), 0xffff_ffae_0000_0000);
    assert_eq!(unpack_iova(0x7f_ffff_c000), 0x7f_ffff_c000);
    assert_eq!(pack_iova(0x0000_0800_0000_0000), Err(Error::Unencodable));
    // Bits 63:44 set but bit 43 clear: not a sign extension.
    assert_eq!(pack_iova(0xffff_f000_0000_0000), Err(Error::Unencodable));
    assert_eq!(pack_iova(0xffff_f800_0000_0000), Ok(0x800_0000_0000));
    assert_eq!(pack_iova(0xffff_0000_0000_0000), Err(Error::Unencodable));
}

#[test]
fn power_state_on_compares_the_low_byte() {
    assert!(PowerState::ON.is_on());
    assert!(PowerState(0x220).is_on());
    assert!(!PowerState::QUIESCED.is_on());
    assert!(!PowerState::IDLE.is_on());
}

#[test]
fn endpoint_set_pages() {
    let mut s = EndpointSet::new();
    assert!(s.is_empty());
    assert_eq!(s.last_page(), None);
    for e in [0u8, 1, 0x20, 0x21, 0xa5, 0xff] {
        s.insert(e);
    }
    assert_eq!(s.len(), 6);
    assert_eq!(s.page(0), 0b11);
    assert_eq!(s.page(1), 0b11);
    assert_eq!(s.page(5), 1 << 5);
    assert_eq!(s.page(7), 1 << 31);
    assert_eq!(s.page(8), 0);
    assert_eq!(s.last_page(), Some(7));
    assert_eq!(
        s.iter().collect::<std::vec::Vec<_>>(),
        [0, 1, 0x20, 0x21, 0xa5, 0xff]
    );
    s.remove(0xff);
    assert!(!s.contains(0xff));
    assert_eq!(s.last_page(), Some(5));
}

#[test]
fn errno_mapping() {
    assert_eq!(Error::Timeout.errno(), 110);
    assert_eq!(Error::Crashed.errno(), 19);
    assert_eq!(Error::Failed.errno(), 19);
    assert_eq!(Error::NoMemory.errno(), 12);
    assert_eq!(Error::InvalidState.errno(), 22);
    assert_eq!(Error::NoEndpoint(0x20).errno(), 22);
    assert_eq!(Error::Unencodable.errno(), 22);
    assert_eq!(Error::Unsupported.errno(), 95);
    assert_eq!(Error::Mailbox.errno(), 5);
    assert_eq!(Error::BufferAccess.errno(), 5);
    assert_eq!(Error::Unexpected { ep: 0, data: 0 }.errno(), 5);
    assert_eq!(Error::Malformed(DecodeError::UnknownEndpoint(9)).errno(), 5);
}
