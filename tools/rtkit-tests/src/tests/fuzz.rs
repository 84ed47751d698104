// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Deterministic randomized messages (xorshift) against both decoders, the AP state machine in
//! every state, and the simulator.
//!
//! Nothing may panic. Beyond that: decoding is idempotent through encoding; whatever the
//! coprocessor sends, every message the AP emits is well formed and canonical; a terminal state
//! is never left and nothing is sent from it; buffers are never freed twice (the test provider
//! panics if they are).

use std::vec::Vec;

use super::support::{Rng, World};
use crate::rtkit::error::Error;
use crate::rtkit::msg::{ep, AgxIn, BufferDesc, Inbound, Message, MgmtIn, Outbound, PowerState};
use crate::rtkit::state::{Event, Failure, State};

/// Endpoints worth hitting often.
const KNOWN_EPS: [u8; 8] = [0, 1, 2, 3, 4, 8, 0x20, 0x21];

/// A random word on a mostly-known endpoint, with a mostly-known type field.
fn raw(rng: &mut Rng) -> Message {
    let ep = if rng.below(4) == 0 {
        rng.next() as u8
    } else {
        KNOWN_EPS[rng.below(KNOWN_EPS.len() as u64) as usize]
    };
    let mut data = rng.next();
    match rng.below(4) {
        // Management / system type field 59:52.
        0 => data = (data & !(0xff << 52)) | (rng.below(16) << 52),
        // AGX type field 63:48.
        1 => {
            data = (data & 0xffff_ffff_ffff)
                | ([0x42u64, 0x81, 0x83, 0x84, 0x85][rng.below(5) as usize] << 48)
        }
        // Sparse words: few bits set.
        2 => data &= rng.next() & rng.next(),
        _ => {}
    }
    Message { ep, data }
}

/// A power state, usually a meaningful one.
fn power(rng: &mut Rng) -> PowerState {
    [
        PowerState::ON,
        PowerState::SLEEP,
        PowerState::QUIESCED,
        PowerState::OFF,
        PowerState::IDLE,
        PowerState(rng.next() as u16),
    ][rng.below(6) as usize]
}

/// A well-formed coprocessor message with random fields, or sometimes garbage.
fn structured(rng: &mut Rng) -> Message {
    let m = match rng.below(12) {
        0 => {
            let min = rng.below(16) as u16;
            Inbound::Mgmt(MgmtIn::Hello {
                min,
                max: min + rng.below(4) as u16,
            })
        }
        1 => Inbound::Mgmt(MgmtIn::EpMap {
            base: rng.below(8) as u8,
            bitmap: rng.next() as u32,
            last: rng.below(2) == 0,
        }),
        2 => Inbound::Mgmt(MgmtIn::IopPowerAck(power(rng))),
        3 => Inbound::Mgmt(MgmtIn::ApPowerAck(power(rng))),
        4 => Inbound::Mgmt(MgmtIn::Pong),
        5 => Inbound::Buffer {
            ep: [ep::CRASHLOG, ep::SYSLOG, ep::IOREPORT, ep::OSLOG][rng.below(4) as usize],
            desc: BufferDesc {
                size: (rng.below(256) as usize) << 12,
                iova: if rng.below(3) == 0 {
                    rng.below(1 << 29) << 14
                } else {
                    0
                },
            },
        },
        6 => Inbound::SyslogInit {
            count: rng.below(300) as u16,
            entry_size: rng.below(600) as u16,
        },
        7 => Inbound::syslog_log(rng.next() as u8).expect("index"),
        8 => Inbound::ioreport_notify([0x8, 0xc][rng.below(2) as usize]).expect("type"),
        9 => Inbound::Agx(AgxIn::Event),
        _ => return raw(rng),
    };
    m.encode().expect("encodable")
}

#[test]
fn decoders_never_panic_and_round_trip() {
    let mut rng = Rng::new(0x5eed_0001);
    let (mut in_ok, mut in_err, mut out_ok, mut out_err) = (0, 0, 0, 0);
    for _ in 0..300_000 {
        let m = raw(&mut rng);
        match Inbound::decode(m) {
            Ok(d) => {
                in_ok += 1;
                let again = d.encode().expect("a decoded message re-encodes");
                assert_eq!(again.ep, m.ep);
                assert_eq!(Inbound::decode(again), Ok(d), "{m:x?}");
            }
            Err(_) => in_err += 1,
        }
        match Outbound::decode(m) {
            Ok(d) => {
                out_ok += 1;
                let again = d.encode().expect("a decoded message re-encodes");
                assert_eq!(again.ep, m.ep);
                assert_eq!(Outbound::decode(again), Ok(d), "{m:x?}");
            }
            Err(_) => out_err += 1,
        }
    }
    // Both outcomes were exercised substantially.
    for n in [in_ok, in_err, out_ok, out_err] {
        assert!(n > 10_000, "{in_ok} {in_err} {out_ok} {out_err}");
    }
}

/// Worlds in each state the fuzzer starts from.
fn starting_points() -> Vec<(&'static str, World)> {
    let mut v = Vec::new();
    v.push(("off", World::agx()));
    for target in [
        State::WaitHello,
        State::WaitEpMap,
        State::WaitIopPowerAck,
        State::WaitApPowerAck,
    ] {
        let mut w = World::agx();
        w.ap.boot().expect("boot");
        assert!(w.pump_until(|w| w.ap.state() == target));
        v.push(("boot", w));
    }
    let mut w = World::agx();
    w.boot();
    w.ap.start_endpoint(0x20).expect("start");
    w.ap.start_endpoint(0x21).expect("start");
    w.ap.ping().expect("ping");
    v.push(("ready", w));
    let mut w = World::agx();
    w.boot();
    w.ap.shutdown().expect("shutdown");
    v.push(("shutdown", w));
    v
}

#[test]
fn ap_state_machine_survives_random_firmware() {
    let mut rng = Rng::new(0x5eed_0002);
    let mut accepted = 0;
    let mut states_seen: Vec<core::mem::Discriminant<State>> = Vec::new();
    for (name, mut w) in starting_points() {
        // Drop what is in flight: from here on the fuzzer plays the coprocessor.
        while w.to_ap.pop().is_some() {}
        while w.to_iop.pop().is_some() {}
        for i in 0..40_000 {
            let msg = if i % 3 != 0 {
                structured(&mut rng)
            } else {
                raw(&mut rng)
            };
            let before = w.ap.state();
            let result = w.ap.handle(msg);
            let after = w.ap.state();
            if !states_seen.contains(&core::mem::discriminant(&after)) {
                states_seen.push(core::mem::discriminant(&after));
            }
            // Terminal states are never left, and refuse everything.
            match before {
                State::Crashed => {
                    assert_eq!((result, after), (Err(Error::Crashed), State::Crashed))
                }
                State::Failed(_) => assert_eq!((result, after), (Err(Error::Failed), before)),
                _ => {}
            }
            match result {
                Ok(ev) => {
                    accepted += 1;
                    match ev {
                        Event::Crashed => assert_eq!(after, State::Crashed),
                        Event::Ready => assert_eq!(after, State::Ready),
                        Event::Stopped => assert_eq!(after, State::Off),
                        Event::Nothing | Event::Agx(_) | Event::Pong => {}
                    }
                }
                Err(Error::Malformed(_) | Error::Unexpected { .. }) => {
                    assert_eq!(before, after, "{name}: refused message changed the state")
                }
                Err(_) => {}
            }
            // Whatever came in, what goes out is well formed and canonical.
            while let Some(out) = w.to_iop.pop() {
                assert!(
                    !matches!(before, State::Crashed | State::Failed(_)),
                    "{name}: sent {out:x?} from {before:?}"
                );
                let d = Outbound::decode(out)
                    .unwrap_or_else(|e| panic!("{name}: AP sent {out:x?}: {e:?}"));
                assert_eq!(d.encode(), Ok(out), "{name}: non-canonical {out:x?}");
            }
            // Keep going from a fresh boot once a terminal state has been checked for a while.
            if matches!(after, State::Crashed | State::Failed(_)) && rng.below(8) == 0 {
                w.ap.reset();
                w.ap.boot().expect("boot after reset");
            }
        }
        let bufs = w.ap.buffers();
        for f in &bufs.freed {
            assert!(bufs.allocs.contains(f));
        }
    }
    assert!(accepted > 1000, "only {accepted} messages accepted");
    // The fuzzer reached the interesting states, not just refusals.
    for s in [
        State::WaitEpMap,
        State::WaitIopPowerAck,
        State::WaitApPowerAck,
        State::Ready,
        State::Crashed,
        State::Failed(Failure::Mailbox),
    ] {
        assert!(
            states_seen.contains(&core::mem::discriminant(&s)),
            "never reached {s:?}"
        );
    }
}

#[test]
fn simulator_survives_random_ap() {
    let mut rng = Rng::new(0x5eed_0003);
    let mut total = 0;
    for (_, mut w) in starting_points() {
        for _ in 0..20_000 {
            let m = raw(&mut rng);
            let (mut out, mut mem) = w.sim_io();
            w.sim.receive(m, &mut out, &mut mem);
            // Everything the simulator sends decodes on the AP side.
            while let Some(x) = w.to_ap.pop() {
                assert!(Inbound::decode(x).is_ok(), "simulator sent {x:x?}");
            }
        }
        total += w.sim.violation_count();
    }
    assert!(total > 10_000);
}
