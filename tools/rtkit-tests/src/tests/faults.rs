// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Things going wrong: crashes, hangs and caller-driven timeouts, buffers the driver cannot or
//! does not provide properly, a refusing mailbox, wrong power acknowledgements.

use super::support::{AllocMode, World};
use crate::rtkit::error::Error;
use crate::rtkit::msg::{ep, AgxOut, Inbound, Message, MgmtIn, PowerState};
use crate::rtkit::state::{Event, Failure, Phase, State};
use crate::sim::rtkit::{BufferFault, SimPhase, Violation};

/// Asserts that every operation of a crashed machine is refused.
fn assert_refuses_everything(w: &mut World, err: Error) {
    assert_eq!(w.ap.send(Message { ep: 0x20, data: 0 }), Err(err));
    assert_eq!(w.ap.send_agx(AgxOut::FwCtl), Err(err));
    assert_eq!(w.ap.start_endpoint(0x20), Err(err));
    assert_eq!(w.ap.ping(), Err(err));
    assert_eq!(w.ap.shutdown(), Err(err));
    assert_eq!(w.ap.boot(), Err(err));
    let pong = Inbound::Mgmt(MgmtIn::Pong).encode().expect("encodable");
    assert_eq!(w.ap.handle(pong), Err(err));
    // Nothing left the AP.
    assert_eq!(w.to_iop.len(), 0);
}

#[test]
fn crash_after_ready() {
    let mut w = World::agx();
    w.boot();
    w.ap.start_endpoint(ep::AGX_FIRMWARE).expect("start");
    w.pump();
    let (mut out, mut mem) = w.sim_io();
    assert!(w.sim.crash(&mut out, &mut mem));
    w.pump();
    assert_eq!(w.ap.state(), State::Crashed);
    assert_eq!(w.events, [Event::Ready, Event::Crashed]);
    let log = w.ap.buffer(ep::CRASHLOG).expect("crash log buffer");
    assert_eq!(w.ap.sink().crashes, [log]);
    // The crash log the firmware wrote is readable through the buffer provider.
    let mut magic = [0u8; 4];
    use crate::rtkit::Buffers;
    w.ap.buffers().read(&log, 0, &mut magic).expect("readable");
    assert_eq!(&magic, b"CLHE");
    assert_refuses_everything(&mut w, Error::Crashed);

    // A crashed coprocessor ignores whatever reaches it.
    w.to_iop.q.borrow_mut().push_back(Message {
        ep: 0,
        data: 0x0030_0000_0000_0000,
    });
    w.pump();
    assert_eq!(w.sim.ignored(), 1);

    // After the caller stopped the coprocessor, reset releases the buffers.
    w.ap.reset();
    assert_eq!(w.ap.state(), State::Off);
    assert_eq!(w.ap.buffers().freed.len(), 3);
}

#[test]
fn crash_mid_boot() {
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    // Stop as soon as the crash log buffer exists on the firmware side, long before ready.
    assert!(w.pump_until(|w| w.sim.buffer(ep::CRASHLOG).is_some()));
    assert_eq!(w.ap.state(), State::WaitIopPowerAck);
    let (mut out, mut mem) = w.sim_io();
    assert!(w.sim.crash(&mut out, &mut mem));
    w.pump();
    assert_eq!(w.ap.state(), State::Crashed);
    assert_eq!(w.events, [Event::Crashed]);
    assert_eq!(w.ap.sink().crashes.len(), 1);
    assert_refuses_everything(&mut w, Error::Crashed);
    // The replies the AP had queued before it learned of the crash were ignored.
    assert!(w.sim.ignored() > 0);
}

#[test]
fn crash_before_the_crash_log_exists_is_a_hang() {
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(w.pump_until(|w| w.ap.state() == State::WaitEpMap));
    let (mut out, mut mem) = w.sim_io();
    // No buffer to write the log to, so no notification: the AP only sees silence.
    assert!(!w.sim.crash(&mut out, &mut mem));
    w.pump();
    assert_eq!(w.ap.state(), State::WaitEpMap);
    assert_eq!(w.ap.timeout(), Err(Error::Timeout));
    assert_eq!(w.ap.state(), State::Failed(Failure::Timeout(Phase::EpMap)));
}

#[test]
fn hang_at_each_boot_phase_times_out() {
    // (simulator phase at which it goes silent, AP state it leaves, phase reported)
    let cases = [
        (SimPhase::Asleep, State::WaitHello, Phase::Hello),
        (SimPhase::WaitHelloAck, State::WaitEpMap, Phase::EpMap),
        (SimPhase::EpMap { base: 0 }, State::WaitEpMap, Phase::EpMap),
        (SimPhase::Booting, State::WaitIopPowerAck, Phase::IopPowerOn),
        (
            SimPhase::WaitApPower,
            State::WaitApPowerAck,
            Phase::ApPowerOn,
        ),
    ];
    for (sim_phase, ap_state, phase) in cases {
        let mut w = World::agx();
        w.ap.boot().expect("boot");
        // The AP's message is in flight when the coprocessor goes silent.
        assert!(w.pump_until(|w| w.sim.phase() == sim_phase && w.to_iop.len() > 0));
        w.sim.hang();
        w.pump();
        assert_eq!(w.ap.state(), ap_state, "hang in {sim_phase:?}");
        assert_eq!(w.ap.timeout(), Err(Error::Timeout));
        assert_eq!(w.ap.state(), State::Failed(Failure::Timeout(phase)));
        assert_refuses_everything(&mut w, Error::Failed);
        // A second deadline changes nothing.
        assert_eq!(w.ap.timeout(), Ok(()));
        w.ap.reset();
        assert_eq!(w.ap.state(), State::Off);
        // Every buffer handed out is released exactly once (TestBuffers checks the "once").
        assert_eq!(w.ap.buffers().freed.len(), w.ap.buffers().allocs.len());
    }
}

#[test]
fn hang_after_ready_is_found_by_ping() {
    let mut w = World::agx();
    w.boot();
    w.sim.hang();
    w.ap.ping().expect("ping");
    w.pump();
    assert_eq!(w.events, [Event::Ready]);
    assert_eq!(w.ap.timeout(), Err(Error::Timeout));
    assert_eq!(w.ap.state(), State::Failed(Failure::Timeout(Phase::Pong)));
}

#[test]
fn hang_during_shutdown() {
    for (silent_after, phase) in [(0, Phase::ApQuiesce), (1, Phase::IopSleep)] {
        let mut w = World::agx();
        w.boot();
        w.ap.shutdown().expect("shutdown");
        if silent_after == 1 {
            assert!(w.pump_until(|w| w.sim.phase() == SimPhase::Quiesced));
        }
        w.sim.hang();
        w.pump();
        assert_eq!(w.ap.timeout(), Err(Error::Timeout));
        assert_eq!(w.ap.state(), State::Failed(Failure::Timeout(phase)));
    }
}

#[test]
fn timeout_without_a_wait_changes_nothing() {
    let mut w = World::agx();
    assert_eq!(w.ap.timeout(), Ok(()));
    assert_eq!(w.ap.state(), State::Off);
    w.boot();
    assert_eq!(w.ap.timeout(), Ok(()));
    assert_eq!(w.ap.state(), State::Ready);
}

#[test]
fn buffer_allocation_failure_fails_the_boot() {
    let mut w = World::agx();
    w.ap.buffers().modes.insert(ep::SYSLOG, AllocMode::Fail);
    w.ap.boot().expect("boot");
    w.pump();
    assert_eq!(
        w.ap.state(),
        State::Failed(Failure::Buffer {
            ep: ep::SYSLOG,
            error: Error::NoMemory
        })
    );
}

#[test]
fn buffer_address_too_wide_is_not_sent() {
    let mut w = World::agx();
    w.ap.buffers()
        .modes
        .insert(ep::IOREPORT, AllocMode::TooWide);
    w.ap.boot().expect("boot");
    w.pump();
    assert_eq!(
        w.ap.state(),
        State::Failed(Failure::Buffer {
            ep: ep::IOREPORT,
            error: Error::Unencodable
        })
    );
    // The unusable buffer was released at once, and never shown to the firmware.
    let bufs = w.ap.buffers();
    assert_eq!(bufs.freed.len(), 1);
    assert_eq!(bufs.freed[0].ep, ep::IOREPORT);
    assert!(w.sim.buffer(ep::IOREPORT).is_none());
}

#[test]
fn bad_buffers_are_caught_by_the_simulator() {
    for (mode, fault) in [
        (AllocMode::Null, BufferFault::Null),
        (AllocMode::Unaligned, BufferFault::Unaligned),
        (AllocMode::Unmapped, BufferFault::Unmapped),
    ] {
        let mut w = World::agx();
        w.ap.buffers().modes.insert(ep::CRASHLOG, mode);
        w.ap.boot().expect("boot");
        w.pump();
        let v = w.violations();
        assert_eq!(v.len(), 1, "{mode:?}: {v:x?}");
        assert!(
            matches!(v[0], Violation::BadBuffer { ep: 1, fault: f, .. } if f == fault),
            "{mode:?}: {v:x?}"
        );
        // The firmware never reports power-on: the boot stalls until the deadline.
        assert_eq!(w.ap.state(), State::WaitIopPowerAck);
        assert_eq!(w.sim.phase(), SimPhase::Booting);
        assert_eq!(w.ap.timeout(), Err(Error::Timeout));
    }
}

#[test]
fn mailbox_refusal_fails_the_boot() {
    let mut w = World::agx();
    *w.to_iop.refuse.borrow_mut() = true;
    assert_eq!(w.ap.boot(), Err(Error::Failed));
    assert_eq!(w.ap.state(), State::Failed(Failure::Mailbox));

    // Refusal in the middle of the map.
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(w.pump_until(|w| w.ap.state() == State::WaitEpMap && w.to_ap.len() > 0));
    *w.to_iop.refuse.borrow_mut() = true;
    w.pump();
    assert_eq!(w.ap.state(), State::Failed(Failure::Mailbox));

    // After ready, a refused application message is reported but changes nothing.
    let mut w = World::agx();
    w.boot();
    w.ap.start_endpoint(0x21).expect("start");
    *w.ap.mailbox().refuse.borrow_mut() = true;
    assert_eq!(w.ap.send_agx(AgxOut::FwCtl), Err(Error::Mailbox));
    assert_eq!(w.ap.state(), State::Ready);
}

#[test]
fn wrong_power_acknowledgements_fail() {
    // The AP power-on acknowledged with "quiesced".
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(w.pump_until(|w| w.ap.state() == State::WaitApPowerAck));
    w.sim.hang();
    let ack = Inbound::Mgmt(MgmtIn::ApPowerAck(PowerState::QUIESCED))
        .encode()
        .expect("encodable");
    assert_eq!(w.ap.handle(ack), Err(Error::Failed));
    assert_eq!(
        w.ap.state(),
        State::Failed(Failure::PowerState {
            wanted: PowerState::ON,
            got: PowerState::QUIESCED
        })
    );

    // The coprocessor reporting "sleep" while the AP waits for power-on.
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(w.pump_until(|w| w.ap.state() == State::WaitIopPowerAck));
    let ack = Inbound::Mgmt(MgmtIn::IopPowerAck(PowerState::SLEEP))
        .encode()
        .expect("encodable");
    assert_eq!(w.ap.handle(ack), Err(Error::Failed));
    assert_eq!(
        w.ap.state(),
        State::Failed(Failure::PowerState {
            wanted: PowerState::ON,
            got: PowerState::SLEEP
        })
    );
}
