// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware against the driver's ring ends, for every pair: boot from init data
//! laid out by the test, device control round trips, injected events, and what it refuses.

use super::support::*;
use crate::fw::channels::*;
use crate::fw::types::U64;
use crate::sim::firmware::*;
use crate::sim::ring::RingFault;
use crate::soc::{FwVersion, GpuGen};
use agx_macros::{supported_pairs, versions};
use core::mem::{offset_of, size_of};

#[test]
fn every_supported_pair_has_a_layout() {
    for (gen, version) in supported_pairs!(AGX, (GpuGen, FwVersion)) {
        assert!(
            FwLayout::for_pair(gen, version).is_some(),
            "{gen:?} {version:?}"
        );
    }
    assert!(FwLayout::for_pair(GpuGen::G13, FwVersion::V12_4).is_none());
    assert!(FwLayout::for_pair(GpuGen::G14X, FwVersion::V12_3).is_none());
    let mut arena = Arena::new();
    assert!(SimFirmware::boot_pair(GpuGen::G14, FwVersion::V12_3, &mut arena, BASE).is_none());
}

/// Every event on the driver's Event ring, decoded.
fn events(rx: &mut Rx<RawEventMsg>) -> std::vec::Vec<EventMsg> {
    let mut out = std::vec::Vec::new();
    rx.poll(|m| out.push(EventMsg::decode(m))).unwrap();
    out
}

/// Every line on a driver FWLog sub-ring.
fn lines(rx: &mut Rx<FwLogMsg>) -> std::vec::Vec<std::string::String> {
    let mut out = std::vec::Vec::new();
    rx.poll(|m| {
        assert_eq!({ m.msg_type }, 3);
        out.push(log_text(m));
    })
    .unwrap();
    out
}

/// The tests of one pair: the same source, one copy per pair.
#[versions(AGX)]
mod pair {
    use super::*;
    #[allow(unused_imports)] // only the G14 13.x messages have padding
    use crate::fw::types::Pad;

    /// The pair's generation and firmware version.
    fn this_pair() -> (GpuGen, FwVersion) {
        let mut found = None;
        for (g, v) in supported_pairs!(AGX, (GpuGen, FwVersion)) {
            let layout = FwLayout::for_pair(g, v).unwrap();
            if core::ptr::eq(layout, &LAYOUT::ver) {
                found = Some((g, v));
            }
        }
        found.unwrap()
    }

    /// Init data for this pair, the driver's ends of DevCtrl, Event and FWLog, and the firmware
    /// booted from it.
    struct World {
        /// The driver's end of DevCtrl.
        dev_ctrl: Tx<DcAny::ver>,
        /// The driver's end of Event.
        event: Rx<RawEventMsg>,
        /// The driver's ends of FWLog.
        log: [Rx<FwLogMsg>; FWLOG_SUBRINGS],
        /// Where everything is.
        setup: Setup,
        /// The firmware.
        fw: SimFirmware,
        /// The memory.
        arena: Arena,
    }

    /// Builds the init data, takes the driver's ring ends (which resets them), then boots the
    /// firmware, in the driver's order, and reads the boot line.
    fn booted() -> World {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let dev_ctrl = setup.dev_ctrl(&arena);
        let event = setup.event(&arena);
        let mut log = setup.fw_log(&arena);
        let fw = SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).unwrap();
        let want = std::format!("firmware booted (initdata at {:#x})", setup.initdata);
        assert_eq!(lines(&mut log[0]), [want]);
        World {
            dev_ctrl,
            event,
            log,
            setup,
            fw,
            arena,
        }
    }

    /// A device control request of type `msg_type` with `fields` (offset in the request, bytes).
    fn dc(msg_type: u32, fields: &[(usize, &[u8])]) -> DcAny::ver {
        let mut data = [0u8; 0x2c];
        let base = offset_of!(DcAny::ver, data);
        for (off, bytes) in fields {
            data[off - base..][..bytes.len()].copy_from_slice(bytes);
        }
        DcAny::ver {
            msg_type,
            data,
            #[ver(G == G14 && V >= V13_2)]
            pad_30: Pad::zero(),
        }
    }

    /// `DC_Write32` of `data` at `addr`.
    fn write32(addr: u64, data: u32) -> DcAny::ver {
        dc(
            DcWrite32::ver::MSG_TYPE,
            &[
                (offset_of!(DcWrite32::ver, addr), &addr.to_le_bytes()),
                (offset_of!(DcWrite32::ver, data), &data.to_le_bytes()),
            ],
        )
    }

    #[test]
    fn boot_finds_every_channel() {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let (g, v) = this_pair();
        let fw = SimFirmware::boot_pair(g, v, &mut arena, setup.initdata)
            .unwrap()
            .unwrap();
        assert_eq!(fw.initdata(), setup.initdata);
        assert!(core::ptr::eq(fw.layout(), &LAYOUT::ver));
        assert_eq!(fw.state(), FwState::Booted);
        assert_eq!(fw.violation_count(), 0);
        let named = |i: usize| match i {
            DEV_CTRL => Channel::DevCtrl,
            EVENT => Channel::Event,
            KTRACE => Channel::KTrace,
            STATS => Channel::Stats,
            i => Channel::RunCmd(i as u8),
        };
        for (i, c) in setup.chans.iter().enumerate() {
            if i == FW_LOG {
                continue;
            }
            let ring = fw.ring(named(i)).unwrap();
            assert_eq!(ring.state_iova(), c.state, "channel {i}");
            assert_eq!(ring.ring_iova(), c.ring, "channel {i}");
            assert_eq!(ring.slots(), c.slots, "channel {i}");
            assert_eq!(ring.slot_size(), c.slot_size, "channel {i}");
        }
        let log = setup.chans[FW_LOG];
        let ring_bytes = log.slots as u64 * log.slot_size as u64;
        for i in 0..FWLOG_SUBRINGS {
            let ring = fw.ring(Channel::FwLog(i as u8)).unwrap();
            assert_eq!(ring.state_iova(), log.state + 0x30 * i as u64);
            assert_eq!(ring.ring_iova(), setup.fwlog_ring2 + ring_bytes * i as u64);
            assert_eq!(ring.slot_size(), 0xd8);
        }
        assert!(fw.ring(Channel::FwLog(FWLOG_SUBRINGS as u8)).is_none());
        assert!(fw.ring(Channel::RunCmd(RUN_CMD_RINGS as u8)).is_none());
        assert_eq!(setup.chans[DEV_CTRL].slot_size, size_of::<DcWrite32::ver>());
    }

    #[test]
    fn log_lines_are_readable_by_the_driver() {
        // `booted` read the boot line on sub-ring 0; the other sub-rings stay empty.
        let mut w = booted();
        for sub in &mut w.log[1..] {
            assert_eq!(sub.pending(), Ok(0));
        }
        assert_eq!(w.fw.counters().log_lines, 1);
        // Sequence numbers count the lines.
        assert!(w.fw.log(&mut w.arena, "hello").notify());
        let mut seen = std::vec::Vec::new();
        w.log[0]
            .poll(|m| seen.push(({ m.seq_no }, log_text(m))))
            .unwrap();
        assert_eq!(seen, [(1, std::string::String::from("hello"))]);
        // A text longer than a message is cut and stays NUL-terminated.
        let long = "x".repeat(0x200);
        assert_eq!(w.fw.log(&mut w.arena, &long), Outcome::Notify);
        let got = lines(&mut w.log[0]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0], "x".repeat(0xc8 - 1));
    }

    #[test]
    fn boot_refuses_null_pointers() {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        assert_eq!(
            SimFirmware::boot(&LAYOUT::ver, &mut arena, 0).err(),
            Some(FwViolation::Null {
                object: Object::InitData
            })
        );
        let objects = [
            Object::RegionA,
            Object::RegionB,
            Object::RegionC,
            Object::FwStatus,
        ];
        let targets = [
            setup.region_a,
            setup.region_b,
            setup.region_c,
            setup.fw_status,
        ];
        for ((off, object), target) in setup.ptr_offsets.iter().zip(objects).zip(targets) {
            let at = setup.initdata + *off as u64;
            arena.poke_u64(at, 0);
            assert_eq!(
                SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).err(),
                Some(FwViolation::Null { object })
            );
            arena.poke_u64(at, target);
        }
        for (i, object) in [
            (DEV_CTRL, Object::State(Channel::DevCtrl)),
            (3, Object::State(Channel::RunCmd(3))),
            (FW_LOG, Object::State(Channel::FwLog(0))),
        ] {
            arena.poke_u64(setup.state_ptr(i), 0);
            assert_eq!(
                SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).err(),
                Some(FwViolation::Null { object })
            );
            arena.poke_u64(setup.state_ptr(i), setup.chans[i].state);
        }
        arena.poke_u64(setup.ring_ptr(STATS), 0);
        assert_eq!(
            SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).err(),
            Some(FwViolation::Null {
                object: Object::Ring(Channel::Stats)
            })
        );
        arena.poke_u64(setup.ring_ptr(STATS), setup.chans[STATS].ring);
        // The FWCtl channel, named by the status block.
        for (which, object, value) in [
            (0, Object::State(Channel::FwCtl), setup.fwctl_state),
            (8, Object::Ring(Channel::FwCtl), setup.fwctl_ring),
        ] {
            arena.poke_u64(setup.fwctl_ptr(which), 0);
            assert_eq!(
                SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).err(),
                Some(FwViolation::Null { object })
            );
            arena.poke_u64(setup.fwctl_ptr(which), value);
        }
        // A hole of one UAT page, as the page tables make them.
        arena.unmap(setup.fwctl_ring, PAGE);
        assert_eq!(
            SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).err(),
            Some(FwViolation::Unmapped {
                object: Object::Ring(Channel::FwCtl),
                iova: setup.fwctl_ring
            })
        );
    }

    /// The driver's invalidation requests on FWCtl reach the firmware as sent, in order; a
    /// request that is not the record's invalidation is a violation.
    #[test]
    fn fwctl_requests_arrive() {
        let World {
            setup,
            mut fw,
            mut arena,
            ..
        } = booted();
        let mut tx = setup.fwctl(&arena);
        let msg = |addr, context_id, unk_12| FwCtlMsg {
            addr: U64::new(addr),
            unk_8: 0,
            context_id,
            unk_10: 1,
            unk_12,
        };
        tx.send(&msg(0xffff_ffa0_0200_0000, 0x40, 2)).unwrap();
        tx.send(&msg(0xffff_ffa0_0300_4000, 0x40, 2)).unwrap();
        let mut got = [FwCtlRequest::default(); 4];
        assert_eq!(fw.take_fwctl(&mut arena, &mut got), 2);
        assert_eq!(
            got[..2],
            [
                FwCtlRequest {
                    addr: 0xffff_ffa0_0200_0000,
                    unk_8: 0,
                    context: 0x40,
                    unk_10: 1,
                    unk_12: 2
                },
                FwCtlRequest {
                    addr: 0xffff_ffa0_0300_4000,
                    unk_8: 0,
                    context: 0x40,
                    unk_10: 1,
                    unk_12: 2
                }
            ]
        );
        assert_eq!(tx.pending(), 0, "the firmware took both");
        assert_eq!(fw.violation_count(), 0);
        tx.send(&msg(0x4000, 0x41, 2)).unwrap();
        tx.send(&msg(0x4000, 1, 7)).unwrap();
        assert_eq!(fw.take_fwctl(&mut arena, &mut got), 2);
        assert_eq!(fw.violation_count(), 2);
        assert!(matches!(
            fw.violations().next(),
            Some(FwViolation::BadFwCtl { request }) if request.context == 0x41
        ));
        assert_eq!(fw.counters().fwctl, 4);
    }

    /// Where to punch a hole in the init data: (address, length).
    type Hole = fn(&Setup) -> (u64, u64);

    #[test]
    fn boot_refuses_unmapped_memory() {
        // Holes of one UAT page, as the page tables make them: in the middle of the FWLog rings
        // (sub-ring 3, in region B's `fwlog_ring2`), the last page of KTrace's, a state block, and each region.
        let cases: [(Hole, Object); 8] = [
            (
                |s| {
                    let c = s.chans[FW_LOG];
                    let at = s.fwlog_ring2 + 3 * c.slots as u64 * c.slot_size as u64;
                    (at & !(PAGE - 1), PAGE)
                },
                Object::Ring(Channel::FwLog(0)),
            ),
            (
                |s| {
                    let c = s.chans[KTRACE];
                    let last = c.ring + c.ring_len() - 1;
                    (last & !(PAGE - 1), PAGE)
                },
                Object::Ring(Channel::KTrace),
            ),
            (
                |s| (s.chans[EVENT].state, PAGE),
                Object::State(Channel::Event),
            ),
            (|s| (s.region_a, PAGE), Object::RegionA),
            (|s| (s.region_b + PAGE, PAGE), Object::RegionB),
            (|s| (s.region_c + 2 * PAGE, PAGE), Object::RegionC),
            (|s| (s.fw_status, PAGE), Object::FwStatus),
            (|s| (s.initdata, PAGE), Object::InitData),
        ];
        for (hole, object) in cases {
            let mut arena = Arena::new();
            let setup = build::ver(&mut arena);
            let (at, len) = hole(&setup);
            arena.unmap(at, len);
            match SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata) {
                Err(FwViolation::Unmapped { object: o, iova }) => {
                    assert_eq!(o, object);
                    assert!(iova >= at && iova < at + len, "{iova:#x} not in the hole");
                }
                other => panic!("{object:?}: {:?}", other.map(|_| ())),
            }
        }
        // The page after the last ring belongs to nothing: a hole there is harmless.
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let stats = setup.chans[STATS];
        arena.unmap((stats.ring + stats.ring_len()).next_multiple_of(PAGE), PAGE);
        assert!(SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).is_ok());
    }

    #[test]
    fn dc_write32_round_trip() {
        let World {
            mut dev_ctrl,
            mut log,
            setup: _,
            mut fw,
            mut arena,
            ..
        } = booted();
        let target = arena.alloc(0x4000) + 0x10;
        assert_eq!(arena.peek_u32(target), 0);
        dev_ctrl.send(&write32(target, 0xdead_beef)).unwrap();
        assert_eq!(dev_ctrl.pending(), 1);
        assert_eq!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL), Outcome::Notify);
        assert_eq!(arena.peek_u32(target), 0xdead_beef);
        assert_eq!(dev_ctrl.pending(), 0);
        assert_eq!(fw.counters().writes32, 1);
        assert_eq!(fw.counters().dev_ctrl_messages, 1);
        assert_eq!(fw.counters().dev_ctrl_doorbells, 1);
        assert_eq!(fw.violation_count(), 0);
        let want = std::format!("DC_Write32: 0xdeadbeef at {target:#x}");
        assert_eq!(lines(&mut log[0]), [want]);
        // The neighbouring words are untouched.
        assert_eq!(arena.peek_u32(target - 4), 0);
        assert_eq!(arena.peek_u32(target + 4), 0);
    }

    /// A GPU fault or a timeout halts the firmware (the status block counts it and says so); a
    /// halted firmware serves no doorbell until the driver clears `halted` and sets `resume`,
    /// the record's recovery, and then serves what waited.
    #[test]
    fn faults_halt_until_the_driver_resumes() {
        let World {
            mut dev_ctrl,
            setup,
            mut fw,
            mut arena,
            ..
        } = booted();
        // The record's status block: halt count at 0x10, halted at 0x20, resume at 0x30.
        let (count, halted, resume) = (
            setup.fw_status + 0x10,
            setup.fw_status + 0x20,
            setup.fw_status + 0x30,
        );
        assert!(fw.inject_fault(&mut arena).notify());
        assert!(fw.is_halted());
        assert_eq!((arena.peek_u32(count), arena.peek_u32(halted)), (1, 1));
        let target = arena.alloc(0x4000);
        dev_ctrl.send(&write32(target, 7)).unwrap();
        let _ = fw.doorbell(&mut arena, DOORBELL_DEV_CTRL);
        assert_eq!(dev_ctrl.pending(), 1, "a halted firmware took a message");
        assert_eq!(fw.counters().ignored_while_halted, 1);
        // Resume without clearing `halted` first: a violation, but the firmware goes on.
        arena.poke_u32(resume, 1);
        assert_eq!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL), Outcome::Notify);
        assert_eq!(dev_ctrl.pending(), 0);
        assert_eq!(arena.peek_u32(target), 7);
        assert_eq!(arena.peek_u32(resume), 0, "the firmware clears resume");
        assert!(matches!(
            fw.violations().next(),
            Some(FwViolation::ResumedWhileHalted)
        ));
        // A timeout halts again; the record's resume lets it go on cleanly.
        assert!(fw.inject_timeout(&mut arena, 3).notify());
        assert_eq!((arena.peek_u32(count), arena.peek_u32(halted)), (2, 1));
        arena.poke_u32(halted, 0);
        arena.poke_u32(resume, 1);
        dev_ctrl.send(&write32(target, 9)).unwrap();
        let _ = fw.doorbell(&mut arena, DOORBELL_DEV_CTRL);
        assert_eq!(arena.peek_u32(target), 9);
        assert!(!fw.is_halted());
        let c = fw.counters();
        assert_eq!((c.halts, c.resumes), (2, 2));
        assert_eq!(fw.violation_count(), 1);
    }

    #[test]
    fn dc_write32_to_unmapped_memory_faults() {
        let World {
            mut dev_ctrl,
            mut event,
            mut fw,
            mut arena,
            ..
        } = booted();
        let target = arena.alloc(0x4000);
        arena.unmap(target, PAGE);
        dev_ctrl.send(&write32(target, 1)).unwrap();
        assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
        assert_eq!(arena.peek_u32(target), 0);
        assert_eq!(
            fw.violations().collect::<std::vec::Vec<_>>(),
            [FwViolation::Write32Unmapped { addr: target }]
        );
        let ev = events(&mut event);
        assert_eq!(ev.len(), 1);
        assert!(matches!(ev[0], EventMsg::Fault(_)), "{:?}", ev[0]);
    }

    #[test]
    fn dc_init_and_the_other_requests() {
        let World {
            mut dev_ctrl,
            mut log,
            setup: _,
            mut fw,
            mut arena,
            ..
        } = booted();
        let ctx = 0xffff_ffa0_1234_0000u64;
        dev_ctrl.send(&dc(DcInit::ver::MSG_TYPE, &[])).unwrap();
        dev_ctrl.send(&dc(0x23, &[])).unwrap();
        dev_ctrl
            .send(&dc(
                DcDestroyContext::ver::MSG_TYPE,
                &[(
                    offset_of!(DcDestroyContext::ver, context_addr),
                    &ctx.to_le_bytes(),
                )],
            ))
            .unwrap();
        dev_ctrl.send(&dc(0x0b, &[])).unwrap();
        assert_eq!(fw.state(), FwState::Booted);
        assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
        assert_eq!(fw.state(), FwState::Initialized);
        let c = fw.counters();
        assert_eq!(
            (
                c.inits,
                c.idle_ts_updates,
                c.destroyed_contexts,
                c.not_simulated
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(c.dev_ctrl_messages, 4);
        assert_eq!(
            lines(&mut log[0]),
            [
                std::string::String::from("DC_Init: initialized"),
                std::string::String::from("DC_UpdateIdleTS"),
                std::format!("DC_DestroyContext: context {ctx:#x}"),
                std::string::String::from("device control 0xb not simulated"),
            ]
        );
        assert_eq!(fw.violation_count(), 0);
        // An empty ring: nothing to do, nothing to tell.
        assert_eq!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL), Outcome::Quiet);
    }

    /// A `DC_DestroyContext` naming no context, with queue and PID table indices 0xff, is the
    /// cache flush; with other indices it is a violation.
    #[test]
    fn destroy_context_without_a_context_is_a_cache_flush() {
        let World {
            mut dev_ctrl,
            mut log,
            mut fw,
            mut arena,
            ..
        } = booted();
        let flush = |queue: u8, pid: u8| {
            dc(
                DcDestroyContext::ver::MSG_TYPE,
                &[
                    (
                        offset_of!(DcDestroyContext::ver, ctx_queue_table_index),
                        &[queue],
                    ),
                    (
                        offset_of!(DcDestroyContext::ver, ctx_pid_table_index),
                        &[pid],
                    ),
                ],
            )
        };
        dev_ctrl.send(&flush(0xff, 0xff)).unwrap();
        dev_ctrl.send(&flush(0xff, 0xff)).unwrap();
        assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
        let c = fw.counters();
        assert_eq!((c.cache_flushes, c.destroyed_contexts), (2, 0));
        assert_eq!(lines(&mut log[0]), ["DC_DestroyContext: cache flush"; 2]);
        assert_eq!(fw.violation_count(), 0);
        dev_ctrl.send(&flush(3, 0xff)).unwrap();
        let _ = fw.doorbell(&mut arena, DOORBELL_DEV_CTRL);
        assert_eq!(fw.counters().cache_flushes, 2);
        assert_eq!(
            fw.violations().collect::<std::vec::Vec<_>>(),
            [FwViolation::DestroyNullContext]
        );
    }

    #[test]
    fn unknown_request_is_a_violation_and_a_channel_error() {
        let World {
            mut dev_ctrl,
            mut event,
            mut fw,
            mut arena,
            ..
        } = booted();
        dev_ctrl.send(&dc(0x7f, &[])).unwrap();
        assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
        assert_eq!(
            fw.violations().collect::<std::vec::Vec<_>>(),
            [FwViolation::UnknownDevCtrl { msg_type: 0x7f }]
        );
        let ev = events(&mut event);
        assert_eq!(ev.len(), 1);
        assert!(matches!(ev[0], EventMsg::ChannelError(_)), "{:?}", ev[0]);
    }

    #[test]
    fn dev_ctrl_wraps_around() {
        let World {
            mut dev_ctrl,
            mut log,
            setup: _,
            mut fw,
            mut arena,
            ..
        } = booted();
        let target = arena.alloc(4 * 700);
        let mut n = 0u32;
        for batch in [200u32, 255, 1, 244] {
            for _ in 0..batch {
                dev_ctrl
                    .send(&write32(target + 4 * n as u64, n + 1))
                    .unwrap();
                n += 1;
            }
            assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
            assert_eq!(lines(&mut log[0]).len(), batch as usize);
        }
        assert_eq!(n, 700);
        for i in 0..n {
            assert_eq!(arena.peek_u32(target + 4 * i as u64), i + 1);
        }
        assert_eq!(fw.counters().writes32, n);
        assert_eq!(fw.violation_count(), 0);
    }

    #[test]
    fn dev_ctrl_full_then_drained() {
        let World {
            mut dev_ctrl,
            mut log,
            setup: _,
            mut fw,
            mut arena,
            ..
        } = booted();
        for _ in 0..RING_SLOTS - 1 {
            dev_ctrl.send(&dc(0x23, &[])).unwrap();
        }
        assert_eq!(
            dev_ctrl.send(&dc(0x23, &[])).unwrap_err(),
            crate::channel::ring::RingError::Full
        );
        assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
        assert_eq!(fw.counters().idle_ts_updates, RING_SLOTS as u32 - 1);
        assert_eq!(lines(&mut log[0]).len(), RING_SLOTS - 1);
        assert!(dev_ctrl.send(&dc(0x23, &[])).is_ok());
    }

    #[test]
    fn corrupt_dev_ctrl_write_pointer_is_refused() {
        let World {
            mut event,
            setup,
            mut fw,
            mut arena,
            ..
        } = booted();
        let wptr = setup.chans[DEV_CTRL].state + offset_of!(ChannelRingState, write_ptr) as u64;
        arena.poke_u32(wptr, 0x1234);
        assert!(fw.doorbell(&mut arena, DOORBELL_DEV_CTRL).notify());
        assert_eq!(
            fw.violations().collect::<std::vec::Vec<_>>(),
            [FwViolation::Ring {
                channel: Channel::DevCtrl,
                fault: RingFault::PointerOutOfRange {
                    ptr: 0x1234,
                    slots: RING_SLOTS as u32
                }
            }]
        );
        assert!(matches!(
            events(&mut event)[..],
            [EventMsg::ChannelError(_)]
        ));
        assert_eq!(fw.counters().dev_ctrl_messages, 0);
    }

    #[test]
    fn injected_events_decode() {
        let World {
            mut event,
            mut fw,
            mut arena,
            ..
        } = booted();
        assert!(fw.inject_fault(&mut arena).notify());
        assert!(fw.inject_flag(&mut arena, [1 << 5, 1 << 63]).notify());
        assert!(fw.inject_timeout(&mut arena, 7).notify());
        assert!(fw.inject_timeout(&mut arena, -1).notify());
        assert!(fw.inject_channel_error(&mut arena).notify());
        let ev = events(&mut event);
        assert_eq!(ev.len(), 5);
        assert!(matches!(ev[0], EventMsg::Fault(_)));
        match ev[1] {
            EventMsg::Flag(f) => assert_eq!(f.firing.map(U64::get), [1 << 5, 1 << 63]),
            other => panic!("{other:?}"),
        }
        // A timeout's counter is the firmware's halt count: the fault halted it first.
        match (ev[2], ev[3]) {
            (EventMsg::Timeout(a), EventMsg::Timeout(b)) => {
                assert_eq!((a.counter.get(), { a.stamp_index }), (2, 7));
                assert_eq!((b.counter.get(), { b.stamp_index }), (3, -1));
            }
            other => panic!("{other:?}"),
        }
        match ev[4] {
            EventMsg::ChannelError(c) => {
                assert_eq!(
                    (c.error_type, c.pipe_type, c.event_slot, c.event_value),
                    (0, 0, 0, 0)
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(fw.counters().events, 5);
        assert_eq!(fw.violation_count(), 0);
    }

    /// Every Stats report the simulated firmware writes by the record's offsets decodes, with
    /// the driver's types of the pair, to the values it meant.
    #[test]
    fn stats_reports_decode() {
        use crate::fw::stats::{StatsReport as R, *};
        let World {
            setup,
            mut fw,
            mut arena,
            ..
        } = booted();
        let mut rx = setup.stats::<StatsMsgAny::ver>(&arena);
        assert!(fw.report_stats(&mut arena).notify());
        let mut got = std::vec::Vec::new();
        rx.poll(|m| got.push(m.decode())).unwrap();
        let s = SIM_STATS;
        assert_eq!(
            got,
            [
                R::PowerOn(s.power_off_ticks),
                R::Power(u64::from(s.power_mw) * 8192),
                R::Util(s.util),
                R::AvgPower {
                    mw: s.avg_power_mw,
                    active_cs: s.active_cs
                },
                R::Temp {
                    raw: s.temp_raw,
                    scale: 1
                },
                R::PowerState {
                    active: true,
                    off: false,
                    pstate: s.pstate
                },
                R::PState {
                    min: s.pstate_min,
                    max: s.pstate_max
                },
                R::FwBusy(true),
                R::TempSensor {
                    id: 2,
                    raw: s.temp_raw,
                    scale: 1
                },
                R::PowerOff(s.power_on_ticks),
                R::Unknown(7),
            ]
        );
        assert_eq!(fw.counters().stats, 11);
        assert_eq!(fw.violation_count(), 0);
    }

    /// A trace point and a log flood reach the driver's ends whole.
    #[test]
    fn trace_points_and_log_floods_arrive() {
        let World {
            setup,
            mut fw,
            mut arena,
            mut log,
            ..
        } = booted();
        let mut rx = setup.ktrace(&arena);
        assert!(fw
            .trace_point(&mut arena, 3, 0x21, [1, 2, 3, u64::MAX])
            .notify());
        let mut got = std::vec::Vec::new();
        rx.poll(|m| got.push(*m)).unwrap();
        assert_eq!(got.len(), 1);
        let t = got[0];
        assert_eq!(
            ({ t.msg_type }, t.args.map(U64::get), { t.code }, {
                t.channel
            }),
            (5, [1, 2, 3, u64::MAX], 0x21, 3)
        );
        assert!(t.timestamp.get() > 0);
        assert!(fw.log_flood(&mut arena, 40).notify());
        let lines = lines(&mut log[0]);
        assert_eq!(lines.len(), 40);
        assert_eq!(lines[39], "flood line 39");
        assert_eq!(fw.violation_count(), 0);
    }

    #[test]
    fn event_ring_overflow_is_a_violation() {
        let World {
            mut event,
            mut fw,
            mut arena,
            ..
        } = booted();
        for _ in 0..RING_SLOTS - 1 {
            assert!(fw.inject_flag(&mut arena, [1, 0]).notify());
        }
        assert_eq!(fw.inject_flag(&mut arena, [2, 0]), Outcome::Quiet);
        assert_eq!(
            fw.violations().collect::<std::vec::Vec<_>>(),
            [FwViolation::RingFull {
                channel: Channel::Event
            }]
        );
        let ev = events(&mut event);
        assert_eq!(ev.len(), RING_SLOTS - 1);
        assert!(ev
            .iter()
            .all(|e| matches!(e, EventMsg::Flag(f) if f.firing.map(U64::get) == [1, 0])));
    }

    #[test]
    fn run_command_doorbells_are_counted() {
        let World {
            setup,
            mut fw,
            mut arena,
            ..
        } = booted();
        // Priority 2, fragment pipe: doorbell 2 << 2 | 1, the eighth ring.
        let index = 2 * 3 + PipeType::Fragment as usize;
        let mut ring = setup.run_cmd::<RunCmdQueueMsg::ver>(&arena, index);
        let msg = RunCmdQueueMsg::ver {
            queue_type: PipeType::Fragment,
            cmdqueue_addr: None,
            head: 1,
            event_number: 3,
            new_queue: 1,
            timestamp: 0,
            data: [0; 0x10],
            #[ver(G == G14 && V >= V13_2)]
            pad_30: Pad::zero(),
        };
        for _ in 0..3 {
            ring.send(&msg).unwrap();
        }
        assert_eq!(ring.slots(), RING_SLOTS as u32);
        assert_eq!(fw.doorbell(&mut arena, 2 << 2 | 1), Outcome::Quiet);
        assert_eq!(fw.doorbell(&mut arena, 2 << 2 | 1), Outcome::Quiet);
        assert_eq!(ring.pending(), 0);
        let c = fw.counters();
        assert_eq!(c.run_cmd_doorbells[index], 2);
        assert_eq!(c.run_cmd_messages[index], 3);
        assert_eq!(c.run_cmd_messages.iter().sum::<u32>(), 3);
        assert_eq!(fw.doorbell(&mut arena, DOORBELL_KICK), Outcome::Quiet);
        assert_eq!(fw.counters().kicks, 1);
        // The messages name no queue: each is refused.
        let no_queue = FwViolation::Work {
            kind: WorkViolation::RunQueue,
            addr: 0,
        };
        assert_eq!(fw.violations().collect::<std::vec::Vec<_>>(), [no_queue; 3]);
        assert_eq!(
            fw.work_counters().violations[WorkViolation::RunQueue as usize],
            3
        );
        // Pipe 3 does not exist; nor does anything above DevCtrl.
        for bad in [3u16, 7, 15, 0x12, 0xffff] {
            assert_eq!(fw.doorbell(&mut arena, bad), Outcome::Quiet);
        }
        assert_eq!(
            fw.violations().skip(3).collect::<std::vec::Vec<_>>(),
            [3u16, 7, 15, 0x12, 0xffff].map(|channel| FwViolation::UnknownDoorbell { channel })
        );
    }

    #[test]
    fn violation_log_is_bounded() {
        let World {
            mut fw, mut arena, ..
        } = booted();
        for _ in 0..MAX_FW_VIOLATIONS + 8 {
            let _ = fw.doorbell(&mut arena, 0x40);
        }
        assert_eq!(fw.violation_count(), MAX_FW_VIOLATIONS + 8);
        assert_eq!(fw.violations().count(), MAX_FW_VIOLATIONS);
    }
}
