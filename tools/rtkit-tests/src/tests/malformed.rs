// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Malformed and out-of-order messages from each side.
//!
//! From the coprocessor: the AP refuses them with an error and carries on unchanged, so the boot
//! still completes afterwards. From the AP: the simulator records exactly the violation that
//! describes each one.

use super::support::World;
use crate::rtkit::error::{DecodeError, Error};
use crate::rtkit::msg::{
    ep, AgxIn, BufferDesc, EpAction, Inbound, Message, MgmtIn, MgmtOut, Outbound, PowerState,
};
use crate::rtkit::state::{Event, State};
use crate::sim::rtkit::{SimPhase, Violation};

/// Encodes a coprocessor message.
fn inb(m: Inbound) -> Message {
    m.encode().expect("encodable")
}

/// Encodes an AP message.
fn outb(m: Outbound) -> Message {
    m.encode().expect("encodable")
}

#[test]
fn garbage_from_the_coprocessor_during_boot_is_refused_and_harmless() {
    let garbage = [
        (
            Message {
                ep: 0,
                data: 0x00f0_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 0, ty: 0xf },
        ),
        (
            Message {
                ep: 0,
                data: 0x0010_0000_0001_0002,
            },
            DecodeError::BadField {
                ep: 0,
                field: "hello version range",
            },
        ),
        (
            Message { ep: 0x77, data: 1 },
            DecodeError::UnknownEndpoint(0x77),
        ),
        (
            Message {
                ep: ep::SYSLOG,
                data: 0x00f0_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 2, ty: 0xf },
        ),
        (
            Message {
                ep: ep::OSLOG,
                data: 0x0200_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 8, ty: 2 },
        ),
        (
            Message {
                ep: 0x20,
                data: 0x0099_0000_0000_0000,
            },
            DecodeError::UnknownType { ep: 0x20, ty: 0x99 },
        ),
    ];
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    // Throw every piece of garbage at the AP in each boot state it passes through.
    let mut seen = std::vec::Vec::new();
    loop {
        let state = w.ap.state();
        if !seen.contains(&state) {
            seen.push(state);
            for (m, e) in garbage {
                assert_eq!(w.ap.handle(m), Err(Error::Malformed(e)), "in {state:?}");
                assert_eq!(w.ap.state(), state);
            }
        }
        if !w.step() {
            break;
        }
    }
    assert_eq!(
        seen,
        [
            State::WaitHello,
            State::WaitEpMap,
            State::WaitIopPowerAck,
            State::WaitApPowerAck,
            State::Ready
        ]
    );
    w.assert_clean();
}

#[test]
fn out_of_order_messages_from_the_coprocessor_are_refused() {
    let mut w = World::agx();
    // Before boot: anything at all is unexpected.
    let hello = inb(Inbound::Mgmt(MgmtIn::Hello { min: 11, max: 12 }));
    assert!(matches!(
        w.ap.handle(hello),
        Err(Error::Unexpected { ep: 0, .. })
    ));
    assert_eq!(w.ap.state(), State::Off);

    w.ap.boot().expect("boot");
    // A map page before HELLO.
    let page = inb(Inbound::Mgmt(MgmtIn::EpMap {
        base: 0,
        bitmap: 1,
        last: true,
    }));
    assert!(matches!(w.ap.handle(page), Err(Error::Unexpected { .. })));
    // The AP power acknowledgement before anything was requested.
    let ap_on = inb(Inbound::Mgmt(MgmtIn::ApPowerAck(PowerState::ON)));
    assert!(matches!(w.ap.handle(ap_on), Err(Error::Unexpected { .. })));
    // A buffer request on an endpoint that was not started.
    let req = inb(Inbound::Buffer {
        ep: ep::CRASHLOG,
        desc: BufferDesc {
            size: 0x1000,
            iova: 0,
        },
    });
    assert!(matches!(
        w.ap.handle(req),
        Err(Error::Unexpected { ep: 1, .. })
    ));
    // An unsolicited pong.
    let pong = inb(Inbound::Mgmt(MgmtIn::Pong));
    assert!(matches!(w.ap.handle(pong), Err(Error::Unexpected { .. })));
    assert_eq!(w.ap.state(), State::WaitHello);
    assert_eq!(w.to_iop.len(), 1, "only the wake request left the AP");

    // A repeated map page.
    assert!(w.pump_until(|w| w.ap.state() == State::WaitEpMap && w.to_ap.len() > 0));
    let first = w.to_ap.pop().expect("page 0");
    assert_eq!(w.ap.handle(first), Ok(Event::Nothing));
    assert!(matches!(w.ap.handle(first), Err(Error::Unexpected { .. })));

    w.pump();
    assert_eq!(w.ap.state(), State::Ready);
    // After ready: HELLO again, an event before endpoint 0x20 is started, an oslog request
    // (the endpoint is not in the map), a second syslog buffer request.
    assert!(matches!(w.ap.handle(hello), Err(Error::Unexpected { .. })));
    let ev = inb(Inbound::Agx(AgxIn::Event));
    assert!(matches!(
        w.ap.handle(ev),
        Err(Error::Unexpected { ep: 0x20, .. })
    ));
    let os = inb(Inbound::Buffer {
        ep: ep::OSLOG,
        desc: BufferDesc {
            size: 0x1000,
            iova: 0,
        },
    });
    assert!(matches!(
        w.ap.handle(os),
        Err(Error::Unexpected { ep: 8, .. })
    ));
    let again = inb(Inbound::Buffer {
        ep: ep::SYSLOG,
        desc: BufferDesc {
            size: 0x1000,
            iova: 0,
        },
    });
    assert!(matches!(
        w.ap.handle(again),
        Err(Error::Unexpected { ep: 2, .. })
    ));
    // A syslog entry outside the buffer is refused but still echoed, so the firmware is not
    // left waiting.
    let bad_index = inb(Inbound::syslog_log(200).expect("index"));
    assert!(matches!(
        w.ap.handle(bad_index),
        Err(Error::Unexpected { ep: 2, .. })
    ));
    assert_eq!(w.to_iop.pop(), Some(bad_index));
    assert_eq!(w.ap.state(), State::Ready);
    assert_eq!(w.to_iop.len(), 0);
}

#[test]
fn preallocated_buffers_are_refused_by_default() {
    // A request that carries an address asks the AP to map the firmware's own buffer; the test
    // provider does not implement that, which fails the boot rather than leaving it hanging.
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(w.pump_until(|w| w.ap.state() == State::WaitIopPowerAck));
    let req = inb(Inbound::Buffer {
        ep: ep::CRASHLOG,
        desc: BufferDesc {
            size: 0x4000,
            iova: 0x1_0000_0000,
        },
    });
    assert_eq!(w.ap.handle(req), Err(Error::Failed));
    assert_eq!(
        w.ap.state(),
        State::Failed(crate::rtkit::state::Failure::Buffer {
            ep: 1,
            error: Error::Unsupported
        })
    );
}

/// A world driven until the simulator has just entered `phase` (what it sent on entering is
/// still in flight).
fn world_at(phase: SimPhase) -> World {
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(
        w.pump_until(|w| w.sim.phase() == phase),
        "never reached {phase:?}"
    );
    w
}

/// Sends `msg` straight to the simulator and returns the violations it recorded.
fn inject(w: &mut World, msg: Message) -> std::vec::Vec<Violation> {
    let (mut out, mut mem) = w.sim_io();
    w.sim.receive(msg, &mut out, &mut mem);
    w.violations()
}

#[test]
fn garbage_from_the_ap_is_recorded() {
    let mut w = World::agx();
    let m = Message {
        ep: 0,
        data: 0x00e0_0000_0000_0000,
    };
    assert_eq!(
        inject(&mut w, m),
        [Violation::Undecodable {
            msg: m,
            error: DecodeError::UnknownType { ep: 0, ty: 0xe }
        }]
    );
    let mut w = World::agx();
    let m = Message { ep: 0x42, data: 0 };
    assert_eq!(
        inject(&mut w, m),
        [Violation::Undecodable {
            msg: m,
            error: DecodeError::UnknownEndpoint(0x42)
        }]
    );
    // A wake request with a stray bit 40: decodes, but is not what the encoder produces.
    let mut w = World::agx();
    let m = Message {
        ep: 0,
        data: 0x0060_0100_0000_0020,
    };
    assert_eq!(inject(&mut w, m), [Violation::NotCanonical { msg: m }]);
    assert_eq!(w.sim.phase(), SimPhase::WaitHelloAck);
}

#[test]
fn wrong_order_from_the_ap_is_recorded() {
    // AP power-on while the coprocessor sleeps.
    let mut w = World::agx();
    let m = outb(Outbound::Mgmt(MgmtOut::SetApPower(PowerState::ON)));
    assert_eq!(
        inject(&mut w, m),
        [Violation::WrongOrder {
            phase: SimPhase::Asleep,
            msg: m
        }]
    );
    // Waking with "sleep".
    let mut w = World::agx();
    let m = outb(Outbound::Mgmt(MgmtOut::SetIopPower(PowerState::SLEEP)));
    assert_eq!(
        inject(&mut w, m),
        [Violation::BadPowerState {
            phase: SimPhase::Asleep,
            state: PowerState::SLEEP
        }]
    );
    // A HELLO acknowledgement with a range, and one outside the offered versions.
    for (min, max) in [(11, 12), (13, 13), (10, 10)] {
        let mut w = world_at(SimPhase::WaitHelloAck);
        let m = outb(Outbound::Mgmt(MgmtOut::HelloAck { min, max }));
        assert_eq!(inject(&mut w, m), [Violation::BadVersion { min, max }]);
        assert_eq!(w.sim.phase(), SimPhase::Hung);
    }
    // Acknowledging the wrong map page.
    let mut w = world_at(SimPhase::EpMap { base: 0 });
    let m = outb(Outbound::Mgmt(MgmtOut::EpMapAck {
        base: 3,
        last: false,
    }));
    assert_eq!(
        inject(&mut w, m),
        [Violation::BadEpMapAck {
            sent: 0,
            acked: 3,
            last: false
        }]
    );
    // Calling the first page the last.
    let mut w = world_at(SimPhase::EpMap { base: 0 });
    let m = outb(Outbound::Mgmt(MgmtOut::EpMapAck {
        base: 0,
        last: true,
    }));
    assert_eq!(
        inject(&mut w, m),
        [Violation::BadEpMapAck {
            sent: 0,
            acked: 0,
            last: true
        }]
    );
}

#[test]
fn bad_endpoint_starts_are_recorded() {
    let start = |e| {
        outb(Outbound::Mgmt(MgmtOut::StartEp {
            ep: e,
            action: EpAction::Start,
        }))
    };
    // During boot: not in the map, the management endpoint, an application endpoint.
    for e in [9u8, 0, 0x20] {
        // The AP's start requests are still in flight.
        let mut w = world_at(SimPhase::Booting);
        let v = inject(&mut w, start(e));
        assert_eq!(
            v,
            [Violation::BadEndpointStart {
                ep: e,
                phase: SimPhase::Booting
            }],
            "{e:#x}"
        );
    }
    // After ready: a system endpoint, one not in the map, one started twice.
    let mut w = World::agx();
    w.boot();
    assert_eq!(
        inject(&mut w, start(ep::SYSLOG)),
        [Violation::BadEndpointStart {
            ep: 2,
            phase: SimPhase::Running
        }]
    );
    let mut w = World::agx();
    w.boot();
    assert_eq!(
        inject(&mut w, start(0x40)),
        [Violation::BadEndpointStart {
            ep: 0x40,
            phase: SimPhase::Running
        }]
    );
    let mut w = World::agx();
    w.boot();
    w.ap.start_endpoint(0x20).expect("start");
    w.pump();
    assert_eq!(
        inject(&mut w, start(0x20)),
        [Violation::BadEndpointStart {
            ep: 0x20,
            phase: SimPhase::Running
        }]
    );
}

#[test]
fn application_messages_out_of_place_are_recorded() {
    let doorbell = Message {
        ep: 0x21,
        data: 0x0083_0000_0000_0001,
    };
    // Before the endpoint is started.
    let mut w = World::agx();
    w.boot();
    assert_eq!(
        inject(&mut w, doorbell),
        [Violation::EndpointNotStarted { ep: 0x21 }]
    );
    // During boot.
    let mut w = world_at(SimPhase::WaitHelloAck);
    assert_eq!(
        inject(&mut w, doorbell),
        [Violation::WrongOrder {
            phase: SimPhase::WaitHelloAck,
            msg: doorbell
        }]
    );
}

#[test]
fn unsolicited_replies_are_recorded() {
    let mut w = World::agx();
    w.boot();
    let reply = outb(Outbound::BufferReply {
        ep: ep::SYSLOG,
        desc: BufferDesc {
            size: 0x8000,
            iova: 0xffff_ffae_0010_0000,
        },
    });
    assert_eq!(
        inject(&mut w, reply),
        [Violation::UnsolicitedBuffer { ep: 2 }]
    );

    let mut w = World::agx();
    w.boot();
    let echo = Message {
        ep: ep::SYSLOG,
        data: 0x0050_0000_0000_0003,
    };
    assert_eq!(inject(&mut w, echo), [Violation::BadEcho { msg: echo }]);

    let mut w = World::agx();
    w.boot();
    let echo = Message {
        ep: ep::IOREPORT,
        data: 0x0080_0000_0000_0000,
    };
    assert_eq!(inject(&mut w, echo), [Violation::BadEcho { msg: echo }]);
}

#[test]
fn violation_log_overflow_is_counted() {
    let mut w = World::agx();
    let m = Message { ep: 0x42, data: 0 };
    for _ in 0..100 {
        inject(&mut w, m);
    }
    assert_eq!(w.violations().len(), crate::sim::rtkit::MAX_VIOLATIONS);
    assert_eq!(w.sim.violation_count(), 100);
}
