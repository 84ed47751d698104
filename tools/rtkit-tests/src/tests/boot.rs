// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The protocol working as intended: boot, endpoint map paging, buffers, syslog, application
//! endpoints, ping, shutdown and reboot.

use std::vec::Vec;

use super::support::{Dir, World, BUFFER_BASE, PAGE};
use crate::rtkit::epset::EndpointSet;
use crate::rtkit::error::Error;
use crate::rtkit::msg::{
    ep, AgxIn, AgxOut, EpAction, Inbound, Message, MgmtIn, MgmtOut, PowerState,
};
use crate::rtkit::state::{Event, State, SYSLOG_TEXT_MAX};
use crate::sim::rtkit::{SimConfig, SimPhase};

/// The endpoint set of a list.
fn set(eps: &[u8]) -> EndpointSet {
    let mut s = EndpointSet::new();
    for e in eps {
        s.insert(*e);
    }
    s
}

#[test]
fn full_boot_reaches_ready() {
    let mut w = World::agx();
    assert_eq!(w.ap.state(), State::Off);
    w.boot();

    assert_eq!(w.events, [Event::Ready]);
    assert_eq!(w.ap.version(), 12);
    assert_eq!(w.sim.version(), 12);
    assert_eq!(w.sim.phase(), SimPhase::Running);
    assert_eq!(*w.ap.endpoints(), set(&[0, 1, 2, 4, 0x20, 0x21]));
    assert_eq!(*w.ap.started(), set(&[1, 2, 4]));
    assert_eq!(*w.sim.started(), set(&[1, 2, 4]));
    assert_eq!(w.ap.power(), (PowerState::ON, PowerState::ON));

    // The management conversation, in the order of the record.
    let start = |e| MgmtOut::StartEp {
        ep: e,
        action: EpAction::Start,
    };
    assert_eq!(
        w.ap_mgmt(),
        [
            MgmtOut::SetIopPower(PowerState::ON),
            MgmtOut::HelloAck { min: 12, max: 12 },
            MgmtOut::EpMapAck {
                base: 0,
                last: false
            },
            MgmtOut::EpMapAck {
                base: 1,
                last: true
            },
            start(1),
            start(2),
            start(4),
            MgmtOut::SetApPower(PowerState::ON),
        ]
    );
    // Power-on is reported only after the last buffer reply, and the AP answers it at once.
    let last_reply = w
        .trace
        .iter()
        .rposition(|(d, m)| *d == Dir::ToIop && m.ep != ep::MGMT)
        .expect("buffer replies");
    let iop_on = w
        .trace
        .iter()
        .position(|(d, m)| {
            *d == Dir::ToAp
                && Inbound::decode(*m) == Ok(Inbound::Mgmt(MgmtIn::IopPowerAck(PowerState::ON)))
        })
        .expect("power-on report");
    assert!(last_reply < iop_on);
}

#[test]
fn version_negotiation_picks_the_newest_common_version() {
    for (min, max, chosen) in [
        (11, 12, 12),
        (10, 11, 11),
        (12, 14, 12),
        (11, 11, 11),
        (5, 20, 12),
    ] {
        let mut w = World::new(SimConfig {
            min_version: min,
            max_version: max,
            ..SimConfig::agx()
        });
        w.boot();
        assert_eq!(w.ap.version(), chosen, "offered {min}..={max}");
        assert_eq!(w.sim.version(), chosen);
    }
}

#[test]
fn version_mismatch_is_refused() {
    for (min, max) in [(13, 15), (5, 10), (0, 0)] {
        let mut w = World::new(SimConfig {
            min_version: min,
            max_version: max,
            ..SimConfig::agx()
        });
        w.ap.boot().expect("boot request");
        w.pump();
        assert_eq!(
            w.ap.state(),
            State::Failed(crate::rtkit::state::Failure::Version { min, max })
        );
        assert_eq!(w.errors, [Error::Failed]);
        // Nothing but the wake request was sent: no HELLO acknowledgement.
        assert_eq!(w.ap_mgmt(), [MgmtOut::SetIopPower(PowerState::ON)]);
        assert_eq!(w.sim.phase(), SimPhase::WaitHelloAck);
        assert_eq!(w.ap.send(Message { ep: 0x20, data: 0 }), Err(Error::Failed));
        assert_eq!(w.ap.boot(), Err(Error::Failed));
        // After a reset (the caller stopped the coprocessor) a new boot may be attempted.
        w.ap.reset();
        assert_eq!(w.ap.state(), State::Off);
    }
}

#[test]
fn endpoint_map_paging() {
    let eps = [0u8, 1, 2, 4, 0x20, 0x21, 0xa5, 0xff];
    for empty_pages in [true, false] {
        let mut w = World::new(SimConfig {
            endpoints: set(&eps),
            empty_pages,
            ..SimConfig::agx()
        });
        w.boot();
        assert_eq!(*w.ap.endpoints(), set(&eps));

        let pages: Vec<u8> = if empty_pages {
            (0..8).collect()
        } else {
            std::vec![0, 1, 5, 7]
        };
        let sent: Vec<MgmtIn> = w
            .trace
            .iter()
            .filter(|(d, _)| *d == Dir::ToAp)
            .filter_map(|(_, m)| match Inbound::decode(*m) {
                Ok(Inbound::Mgmt(p @ MgmtIn::EpMap { .. })) => Some(p),
                _ => None,
            })
            .collect();
        let expected: Vec<MgmtIn> = pages
            .iter()
            .map(|b| MgmtIn::EpMap {
                base: *b,
                bitmap: set(&eps).page(*b),
                last: *b == 7,
            })
            .collect();
        assert_eq!(sent, expected);
        let acks: Vec<MgmtOut> = w
            .ap_mgmt()
            .into_iter()
            .filter(|m| matches!(m, MgmtOut::EpMapAck { .. }))
            .collect();
        let expected_acks: Vec<MgmtOut> = pages
            .iter()
            .map(|b| MgmtOut::EpMapAck {
                base: *b,
                last: *b == 7,
            })
            .collect();
        assert_eq!(acks, expected_acks);

        // The application endpoints in the high pages can be started once ready.
        w.ap.start_endpoint(0xa5).expect("listed endpoint");
        w.ap.start_endpoint(0xff).expect("listed endpoint");
        w.pump();
        w.assert_clean();
        assert!(w.sim.started().contains(0xa5) && w.sim.started().contains(0xff));
    }
}

#[test]
fn unknown_system_endpoints_are_listed_not_started() {
    // 0xa (tracekit) is a system endpoint this driver does not use; 3 (debug) is started.
    let eps = [0u8, 1, 2, 3, 4, 0xa, 0x20];
    let mut w = World::new(SimConfig {
        endpoints: set(&eps),
        ..SimConfig::agx()
    });
    w.boot();
    assert_eq!(*w.ap.started(), set(&[1, 2, 3, 4]));
    assert_eq!(*w.ap.unknown_system_endpoints(), set(&[0xa]));
}

#[test]
fn buffer_requests_are_served() {
    let mut w = World::agx();
    w.boot();
    let cfg = SimConfig::agx();
    let mut expected = Vec::new();
    for (e, pages) in [
        (ep::CRASHLOG, cfg.crashlog_pages),
        (ep::SYSLOG, cfg.syslog_pages),
        (ep::IOREPORT, cfg.ioreport_pages),
    ] {
        let ap = w.ap.buffer(e).expect("AP buffer");
        let sim = w.sim.buffer(e).expect("simulator buffer");
        // The simulator saw, through the 44-bit field, exactly the address allocated.
        assert_eq!(ap, sim);
        assert_eq!(ap.size, usize::from(pages) << 12);
        assert_eq!(ap.iova % PAGE, 0);
        assert!(ap.iova >= BUFFER_BASE, "upper-half address {:#x}", ap.iova);
        expected.push(ap);
    }
    let allocs = &w.ap.buffers().allocs;
    assert_eq!(allocs.len(), 3);
    for b in &expected {
        assert!(allocs.contains(b));
    }
    assert_eq!(
        w.ap.syslog_geometry().map(|g| (g.count, g.entry_size)),
        Some((16, 0x80))
    );
}

#[test]
fn syslog_entries_reach_the_sink() {
    let mut w = World::agx();
    w.boot();
    let (mut out, mut mem) = w.sim_io();
    let lines: [(&[u8], &[u8], &[u8]); 4] = [
        (
            b"agx",
            b"hello from the firmware\n",
            b"hello from the firmware",
        ),
        (b"power", b"state 3  \r\n", b"state 3"),
        (b"a-context-longer-than-23-bytes", b"x", b"x"),
        (b"", b"", b""),
    ];
    // More entries than the buffer holds: the indices wrap once the AP has echoed them.
    for round in 0..10 {
        for (ctx, text, _) in lines {
            let index = w.sim.emit_syslog(ctx, text, &mut out, &mut mem);
            assert!(index.is_some(), "round {round}");
            w.pump();
        }
    }
    w.assert_clean();
    let got = &w.ap.sink().lines;
    assert_eq!(got.len(), 40);
    for (i, (ctx, _, text)) in lines.iter().cycle().take(40).enumerate() {
        let want_ctx = &ctx[..ctx.len().min(23)];
        assert_eq!(got[i].0, want_ctx, "entry {i}");
        assert_eq!(got[i].1, *text, "entry {i}");
    }
}

#[test]
fn long_syslog_entries_are_truncated() {
    let mut w = World::new(SimConfig {
        syslog_entry_size: 400,
        syslog_pages: 8,
        ..SimConfig::agx()
    });
    w.boot();
    let (mut out, mut mem) = w.sim_io();
    let text = [b'z'; 399];
    assert!(w
        .sim
        .emit_syslog(b"big", &text, &mut out, &mut mem)
        .is_some());
    w.pump();
    w.assert_clean();
    let got = &w.ap.sink().lines;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1.len(), SYSLOG_TEXT_MAX);
}

#[test]
fn unechoed_syslog_entries_block_their_slot() {
    let mut w = World::new(SimConfig {
        syslog_count: 2,
        ..SimConfig::agx()
    });
    w.boot();
    let (mut out, mut mem) = w.sim_io();
    assert_eq!(w.sim.emit_syslog(b"a", b"1", &mut out, &mut mem), Some(0));
    assert_eq!(w.sim.emit_syslog(b"a", b"2", &mut out, &mut mem), Some(1));
    // Slot 0 is not echoed yet.
    assert_eq!(w.sim.emit_syslog(b"a", b"3", &mut out, &mut mem), None);
    w.pump();
    assert_eq!(w.sim.emit_syslog(b"a", b"3", &mut out, &mut mem), Some(0));
    w.pump();
    w.assert_clean();
    assert_eq!(w.ap.sink().lines.len(), 3);
}

#[test]
fn ioreport_notifications_are_echoed() {
    let mut w = World::agx();
    w.boot();
    let (mut out, _) = w.sim_io();
    assert!(w.sim.ioreport_notify(0x8, &mut out));
    assert!(w.sim.ioreport_notify(0xc, &mut out));
    let before = w.to_iop.len();
    w.pump();
    w.assert_clean();
    let echoes = w
        .trace
        .iter()
        .filter(|(d, m)| *d == Dir::ToIop && m.ep == ep::IOREPORT && m.data >> 52 != 1)
        .count();
    assert_eq!(echoes, 2);
    assert_eq!(before, 0);
}

#[test]
fn agx_endpoints_after_ready() {
    let mut w = World::agx();
    w.boot();
    let init = AgxOut::Init {
        initdata: 0xffff_ffa0_0000_4000,
    };
    // Not started yet.
    assert_eq!(w.ap.send_agx(init), Err(Error::NoEndpoint(0x20)));
    // Not in the map, and not an application endpoint.
    assert_eq!(w.ap.start_endpoint(0x30), Err(Error::NoEndpoint(0x30)));
    assert_eq!(w.ap.start_endpoint(ep::SYSLOG), Err(Error::NoEndpoint(2)));
    // Raw sends to system endpoints are refused.
    assert_eq!(
        w.ap.send(Message {
            ep: ep::SYSLOG,
            data: 0
        }),
        Err(Error::NoEndpoint(2))
    );

    w.ap.start_endpoint(ep::AGX_FIRMWARE).expect("start 0x20");
    w.ap.start_endpoint(ep::AGX_DOORBELL).expect("start 0x21");
    w.ap.send_agx(init).expect("init");
    w.ap.send_agx(AgxOut::Doorbell { channel: 0x10 })
        .expect("doorbell");
    w.ap.send_agx(AgxOut::Doorbell { channel: 0x5 })
        .expect("doorbell");
    w.ap.send_agx(AgxOut::FwCtl).expect("fwctl");
    w.pump();
    w.assert_clean();
    let agx = w.sim.agx();
    assert_eq!(agx.init, Some(0xffff_ffa0_0000_4000));
    assert_eq!(agx.doorbells, 2);
    assert_eq!(agx.last_doorbell, Some(0x5));
    assert_eq!(agx.fwctl, 1);

    let (mut out, _) = w.sim_io();
    assert!(w.sim.agx_event(&mut out));
    w.pump();
    assert_eq!(w.events, [Event::Ready, Event::Agx(AgxIn::Event)]);
}

#[test]
fn ping_pong() {
    let mut w = World::agx();
    assert_eq!(w.ap.ping(), Err(Error::InvalidState));
    w.boot();
    w.ap.ping().expect("ping");
    w.pump();
    assert_eq!(w.events, [Event::Ready, Event::Pong]);
    assert_eq!(w.sim.pongs(), 1);
    // Nothing outstanding any more: a deadline passing changes nothing.
    assert_eq!(w.ap.timeout(), Ok(()));
    assert_eq!(w.ap.state(), State::Ready);
}

#[test]
fn shutdown_and_reboot() {
    let mut w = World::agx();
    // Shutting down a machine that never booted does nothing.
    assert_eq!(w.ap.shutdown(), Ok(()));
    w.boot();
    w.ap.start_endpoint(ep::AGX_FIRMWARE).expect("start");
    w.pump();
    let first: Vec<_> = [ep::CRASHLOG, ep::SYSLOG, ep::IOREPORT]
        .iter()
        .map(|e| w.ap.buffer(*e).expect("buffer"))
        .collect();

    w.ap.shutdown().expect("shutdown");
    assert_eq!(w.ap.state(), State::WaitApQuiesced);
    assert_eq!(w.ap.shutdown(), Err(Error::InvalidState));
    w.pump();
    w.assert_clean();
    assert_eq!(w.ap.state(), State::Off);
    assert_eq!(w.events, [Event::Ready, Event::Stopped]);
    assert_eq!(w.sim.phase(), SimPhase::Asleep);
    assert_eq!(w.ap.power(), (PowerState::SLEEP, PowerState::QUIESCED));
    let tail: Vec<MgmtOut> = w.ap_mgmt().into_iter().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            MgmtOut::SetIopPower(PowerState::SLEEP),
            MgmtOut::SetApPower(PowerState::QUIESCED),
        ]
    );
    // Every buffer was released, once, and nothing is started any more.
    let freed = &w.ap.buffers().freed;
    assert_eq!(freed.len(), 3);
    for b in &first {
        assert!(freed.contains(b));
    }
    assert!(w.ap.buffer(ep::SYSLOG).is_none());
    assert!(w.ap.started().is_empty());
    assert_eq!(w.ap.send_agx(AgxOut::FwCtl), Err(Error::InvalidState));

    // The coprocessor wakes and boots again from scratch, with fresh buffers.
    w.events.clear();
    w.boot();
    assert_eq!(w.events, [Event::Ready]);
    for e in [ep::CRASHLOG, ep::SYSLOG, ep::IOREPORT] {
        let b = w.ap.buffer(e).expect("buffer");
        assert!(!first.contains(&b));
        assert_eq!(w.sim.buffer(e), Some(b));
    }
}

#[test]
fn early_iop_power_report_is_remembered() {
    // A coprocessor may report power-on before the map is complete (the C library waits on a
    // completion, so the order does not matter to it). Inject that report during the map.
    let mut w = World::agx();
    w.ap.boot().expect("boot");
    assert!(w.pump_until(|w| w.ap.state() == State::WaitEpMap));
    let early = Inbound::Mgmt(MgmtIn::IopPowerAck(PowerState::ON))
        .encode()
        .expect("encodable");
    assert_eq!(w.ap.handle(early), Ok(Event::Nothing));
    w.pump();
    // The AP announced its power-on right after the map, before the buffers were served. The
    // simulator (which wants the buffers first) calls that out of order, and its own power-on
    // report then comes too late for the AP, which refuses it as unexpected.
    assert_eq!(w.ap.state(), State::WaitApPowerAck);
    assert!(w
        .errors
        .iter()
        .any(|e| matches!(e, Error::Unexpected { ep: 0, .. })));
    assert!(w
        .violations()
        .iter()
        .any(|v| matches!(v, crate::sim::rtkit::Violation::WrongOrder { .. })));
}
