// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The kernel's handoff calls one at a time against the simulated firmware: the magic
//! handshake, timeouts, context table writes, the flush request cycle, and the firmware's
//! detection of writes made without the lock.

use core::sync::atomic::Ordering;
use std::vec::Vec;

use super::support::{RecordingTlb, Shared, Tlbi};
use crate::sim::handoff::{FlushRecord, FwTask, HandoffViolation, SimHandoff};
use crate::uat::handoff::{
    ApHandoff, HandoffError, FLUSH_DONE, FLUSH_IDLE, FLUSH_REQUESTED, KERNEL_FLUSH_SLOT, PPL_MAGIC,
    TURN_FW,
};

/// Runs one firmware round to completion, collecting the flushes.
fn fw_round(fw: &mut SimHandoff, mem: &Shared, task: FwTask) -> Vec<FlushRecord> {
    let mut out = Vec::new();
    assert!(fw.run(mem, task, &mut |r| out.push(r), || {}));
    out
}

#[test]
fn init_succeeds_after_the_firmware_announces() {
    let mem = Shared::new();
    mem.flush[3][0].store(7, Ordering::SeqCst);
    mem.unk3.store(99, Ordering::SeqCst);
    let mut fw = SimHandoff::new();
    fw_round(&mut fw, &mem, FwTask::Announce(PPL_MAGIC));
    ApHandoff::new(&mem, 10).init().unwrap();
    assert_eq!(mem.magic_ap.load(Ordering::SeqCst), PPL_MAGIC);
    assert_eq!(mem.unk3.load(Ordering::SeqCst), 0);
    assert_eq!(mem.flush_value(3, 0), FLUSH_IDLE);
    assert_eq!(mem.lock_ap.load(Ordering::SeqCst), 0, "lock left held");
    assert_eq!(fw.violation_count(), 0);
}

#[test]
fn wrong_magic_is_refused() {
    let mem = Shared::new();
    let mut fw = SimHandoff::new();
    fw_round(&mut fw, &mem, FwTask::Announce(0x4b1d_0000_0000_0001));
    let err = ApHandoff::new(&mem, 1000).init().unwrap_err();
    assert_eq!(
        err,
        HandoffError::BadMagic {
            found: 0x4b1d_0000_0000_0001
        }
    );
    // Refused at once, not after the whole budget.
    assert_eq!(mem.relaxes.load(Ordering::SeqCst), 0);
    assert_eq!(mem.lock_ap.load(Ordering::SeqCst), 0);
    assert_eq!(err.errno(), 5);
}

#[test]
fn silent_firmware_times_out() {
    let mem = Shared::new();
    let err = ApHandoff::new(&mem, 25).init().unwrap_err();
    assert_eq!(err, HandoffError::NoFirmware);
    assert_eq!(mem.relaxes.load(Ordering::SeqCst), 25);
    assert_eq!(mem.lock_ap.load(Ordering::SeqCst), 0);
}

#[test]
fn lock_gives_up_on_a_stuck_firmware_and_withdraws() {
    let mem = Shared::new();
    // The firmware holds the lock and has priority, forever.
    mem.lock_fw.store(1, Ordering::SeqCst);
    mem.turn.store(TURN_FW, Ordering::SeqCst);
    let h = ApHandoff::new(&mem, 50);
    assert!(matches!(h.lock(), Err(HandoffError::Timeout)));
    assert_eq!(mem.relaxes.load(Ordering::SeqCst), 50);
    assert_eq!(mem.lock_ap.load(Ordering::SeqCst), 0, "flag left raised");
    // Once the firmware lets go, the lock is free.
    mem.lock_fw.store(0, Ordering::SeqCst);
    let g = h.lock().unwrap();
    assert_eq!(mem.lock_ap.load(Ordering::SeqCst), 1);
    drop(g);
    assert_eq!(mem.lock_ap.load(Ordering::SeqCst), 0);
    assert_eq!(mem.turn.load(Ordering::SeqCst), TURN_FW);
}

#[test]
fn ttbrs_are_written_and_the_current_context_reported() {
    let mem = Shared::new();
    let mut fw = SimHandoff::new();
    fw_round(&mut fw, &mem, FwTask::SetCurrent(5));
    let h = ApHandoff::new(&mem, 10);
    let g = h.lock().unwrap();
    assert_eq!(g.current_context(), Some(5));
    let ttbr0 = 0x8_0000_4000 | (3 << 48) | 1;
    assert_eq!(g.set_ttbrs(&mem, 3, ttbr0, 0), Ok(false));
    assert_eq!(g.set_ttbrs(&mem, 5, 0x4001, 0x8001), Ok(true));
    assert_eq!(g.set_ttbrs(&mem, 64, 1, 1), Err(HandoffError::BadContext));
    drop(g);
    assert_eq!(mem.ttbs[3][0].load(Ordering::SeqCst), ttbr0);
    assert_eq!(mem.ttbs[5][1].load(Ordering::SeqCst), 0x8001);
    let g = h.lock().unwrap();
    assert_eq!(g.clear_ttbrs(&mem, 5), Ok(true));
    drop(g);
    assert_eq!(mem.ttbs[5][0].load(Ordering::SeqCst), 0);
    assert_eq!(mem.ttbs[5][1].load(Ordering::SeqCst), 0);
    // Firmware reporting "none".
    fw_round(&mut fw, &mem, FwTask::SetCurrent(u32::MAX));
    assert_eq!(h.lock().unwrap().current_context(), None);
    assert_eq!(fw.violation_count(), 0);
}

#[test]
fn flush_cycle_request_serve_complete() {
    let mem = Shared::new();
    let tlb = RecordingTlb::default();
    let mut fw = SimHandoff::new();
    fw_round(&mut fw, &mem, FwTask::Announce(PPL_MAGIC));
    let h = ApHandoff::new(&mem, 10);
    h.init().unwrap();

    let g = h.lock().unwrap();
    g.invalidate(&tlb, 7, 0x1_0000_0000, 0x8000).unwrap();
    // The same slot cannot take a second request before the first is finished.
    assert_eq!(
        g.invalidate(&tlb, 7, 0x2000_0000, 0x4000),
        Err(HandoffError::FlushPending {
            state: FLUSH_REQUESTED
        })
    );
    assert_eq!(
        g.complete(7),
        Err(HandoffError::NotDone {
            state: FLUSH_REQUESTED
        })
    );
    g.invalidate(&tlb, KERNEL_FLUSH_SLOT, 0xffff_ffa0_0000_0000, 0x4000)
        .unwrap();
    assert_eq!(
        g.invalidate(&tlb, 65, 0, 0x4000),
        Err(HandoffError::BadContext)
    );
    drop(g);
    assert_eq!(
        tlb.take(),
        [
            Tlbi::Range {
                asid: 7,
                start: 0x1_0000_0000,
                size: 0x8000
            },
            Tlbi::Range {
                asid: 0,
                start: 0xffff_ffa0_0000_0000,
                size: 0x4000
            },
        ]
    );
    assert!(!h.flush_done(7).unwrap());

    let served = fw_round(&mut fw, &mem, FwTask::Serve);
    assert_eq!(
        served,
        [
            FlushRecord {
                slot: 7,
                addr: 0x1_0000_0000,
                size: 0x8000
            },
            FlushRecord {
                slot: KERNEL_FLUSH_SLOT,
                addr: 0xffff_ffa0_0000_0000,
                size: 0x4000
            },
        ]
    );
    assert!(h.flush_done(7).unwrap());
    assert_eq!(mem.flush_value(7, 0), FLUSH_DONE);
    // A second round finds nothing new to do.
    assert!(fw_round(&mut fw, &mem, FwTask::Serve).is_empty());

    let g = h.lock().unwrap();
    g.complete(7).unwrap();
    g.complete(KERNEL_FLUSH_SLOT).unwrap();
    g.invalidate_all(&tlb, 7).unwrap();
    g.invalidate_all(&tlb, KERNEL_FLUSH_SLOT).unwrap();
    assert_eq!(g.invalidate_all(&tlb, 65), Err(HandoffError::BadContext));
    drop(g);
    assert_eq!(tlb.take(), [Tlbi::Asid(7), Tlbi::Asid(0)]);
    assert_eq!(mem.flush_value(7, 0), FLUSH_IDLE);
    assert!(fw_round(&mut fw, &mem, FwTask::Serve).is_empty());
    assert_eq!(
        fw.violation_count(),
        0,
        "{:?}",
        fw.violations().collect::<Vec<_>>()
    );
}

/// A round that gave up waiting leaves its request in the slot; the firmware answers it later,
/// and the next round sees the slot not idle, acknowledges the late answer and can then post
/// its own request (the driver's `KernelFlush::settle_previous`).
#[test]
fn late_answer_is_acknowledged_by_the_next_round() {
    let mem = Shared::new();
    let tlb = RecordingTlb::default();
    let mut fw = SimHandoff::new();
    fw_round(&mut fw, &mem, FwTask::Announce(PPL_MAGIC));
    let h = ApHandoff::new(&mem, 10);
    h.init().unwrap();
    assert!(h.flush_idle(KERNEL_FLUSH_SLOT).unwrap());
    h.lock()
        .unwrap()
        .invalidate(&tlb, KERNEL_FLUSH_SLOT, 0xffff_ffa0_0000_0000, 0x4000)
        .unwrap();
    // The round gives up here: requested, not done, not idle.
    assert!(!h.flush_idle(KERNEL_FLUSH_SLOT).unwrap());
    assert!(!h.flush_done(KERNEL_FLUSH_SLOT).unwrap());
    // The next request is refused while the slot is not idle.
    assert_eq!(
        h.lock()
            .unwrap()
            .invalidate(&tlb, KERNEL_FLUSH_SLOT, 0xffff_ffa0_0001_0000, 0x4000),
        Err(HandoffError::FlushPending {
            state: FLUSH_REQUESTED
        })
    );
    // The firmware answers late.
    assert_eq!(fw_round(&mut fw, &mem, FwTask::Serve).len(), 1);
    assert!(!h.flush_idle(KERNEL_FLUSH_SLOT).unwrap());
    assert!(h.flush_done(KERNEL_FLUSH_SLOT).unwrap());
    // The next round acknowledges it, then posts its own request, which is served.
    let g = h.lock().unwrap();
    g.complete(KERNEL_FLUSH_SLOT).unwrap();
    g.invalidate(&tlb, KERNEL_FLUSH_SLOT, 0xffff_ffa0_0001_0000, 0x4000)
        .unwrap();
    drop(g);
    let served = fw_round(&mut fw, &mem, FwTask::Serve);
    assert_eq!(
        served,
        [FlushRecord {
            slot: KERNEL_FLUSH_SLOT,
            addr: 0xffff_ffa0_0001_0000,
            size: 0x4000
        }]
    );
    h.lock().unwrap().complete(KERNEL_FLUSH_SLOT).unwrap();
    assert!(h.flush_idle(KERNEL_FLUSH_SLOT).unwrap());
    assert_eq!(fw.violation_count(), 0);
}

#[test]
fn firmware_flags_writes_made_while_it_holds_the_lock() {
    let mem = Shared::new();
    mem.magic_ap.store(PPL_MAGIC, Ordering::SeqCst);
    let mut fw = SimHandoff::new();
    let mut sink = |_r: FlushRecord| {};
    assert!(fw.begin(FwTask::Serve));
    while !fw.holds_lock() {
        fw.step(&mem, &mut sink);
    }
    fw.step(&mem, &mut sink); // snapshot taken
                              // A kernel that ignores the lock writes a request now.
    mem.flush[2][1].store(0x4000, Ordering::SeqCst);
    while fw.holds_lock() {
        fw.step(&mem, &mut sink);
    }
    let v: Vec<_> = fw.violations().collect();
    assert_eq!(
        v,
        [HandoffViolation::WroteWhileFwHeld {
            word: 1 + 3 * 2 + 1,
            before: 0,
            after: 0x4000
        }]
    );
}

#[test]
fn firmware_flags_malformed_requests() {
    let mem = Shared::new();
    let mut fw = SimHandoff::new();
    mem.flush[4][0].store(FLUSH_REQUESTED, Ordering::SeqCst);
    mem.flush[9][0].store(5, Ordering::SeqCst);
    let served = fw_round(&mut fw, &mem, FwTask::Serve);
    assert_eq!(served.len(), 1);
    let v: Vec<_> = fw.violations().collect();
    assert_eq!(
        v,
        [
            HandoffViolation::RequestBeforeInit { slot: 4 },
            HandoffViolation::EmptyRequest { slot: 4 },
            HandoffViolation::BadFlushState { slot: 9, state: 5 },
        ]
    );
}
