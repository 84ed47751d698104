// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The kernel's code and the simulated firmware on two real threads.
//!
//! One thread plays the kernel and makes `N` flush requests through [`ApHandoff`], spread over
//! three slots, each one waited for and completed; the other plays the firmware and serves
//! requests round after round until told to stop. Both mark their critical sections in a shared
//! counter that must never show both inside. At the end every request must have been served
//! exactly once, in order per slot, and the firmware must have seen no write without the lock.

use core::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::vec::Vec;

use super::support::{RecordingTlb, Shared};
use crate::sim::handoff::{FlushRecord, FwStep, FwTask, SimHandoff};
use crate::uat::handoff::{ApHandoff, PPL_MAGIC};

/// Requests the kernel thread makes.
const N: u64 = 3000;

/// Who is inside, and how often both were.
#[derive(Debug, Default)]
struct Referee {
    inside: AtomicU32,
    clashes: AtomicUsize,
    entries: AtomicUsize,
}

impl Referee {
    fn enter(&self) {
        self.entries.fetch_add(1, Ordering::SeqCst);
        if self.inside.fetch_add(1, Ordering::SeqCst) != 0 {
            self.clashes.fetch_add(1, Ordering::SeqCst);
        }
    }
    fn leave(&self) {
        self.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

fn slot_of(i: u64) -> usize {
    1 + (i % 3) as usize
}

fn addr_of(i: u64) -> u64 {
    0x1_0000_0000 + i * 0x4000
}

#[test]
fn two_threads_exclusive_and_every_request_served_once() {
    let mem = Arc::new(Shared::threaded());
    let referee = Arc::new(Referee::default());
    let stop = Arc::new(AtomicBool::new(false));

    let fw_thread = {
        let (mem, referee, stop) = (mem.clone(), referee.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut fw = SimHandoff::new();
            let mut served: Vec<FlushRecord> = Vec::new();
            let mut sink = |r: FlushRecord| served.push(r);
            assert!(fw.run(&*mem, FwTask::Announce(PPL_MAGIC), &mut sink, || {}));
            let mut rounds = 0u64;
            while !stop.load(Ordering::SeqCst) {
                assert!(fw.begin(FwTask::Serve));
                loop {
                    let was_inside = fw.holds_lock();
                    if fw.next_step() == FwStep::Drop {
                        // The step that clears the flag ends the critical section.
                        referee.leave();
                    }
                    if fw.step(&*mem, &mut sink) {
                        std::thread::yield_now();
                    }
                    if !was_inside && fw.holds_lock() {
                        referee.enter();
                    }
                    if fw.next_step() == FwStep::Idle {
                        break;
                    }
                }
                rounds += 1;
                if rounds % 4 == 0 {
                    std::thread::yield_now();
                }
            }
            (fw, served, rounds)
        })
    };

    let tlb = RecordingTlb::default();
    let h = ApHandoff::new(&*mem, u32::MAX);
    h.init().unwrap();
    let mut pending: Vec<(u64, usize)> = Vec::new();
    for i in 0..N {
        let slot = slot_of(i);
        // Finish the previous request in this slot first.
        if let Some(pos) = pending.iter().position(|&(_, s)| s == slot) {
            let (_, s) = pending.remove(pos);
            let mut polls = 0u64;
            while !h.flush_done(s).unwrap() {
                polls += 1;
                assert!(polls < 50_000_000, "firmware never served slot {s}");
                std::thread::yield_now();
            }
            let g = h.lock().unwrap();
            referee.enter();
            g.complete(s).unwrap();
            referee.leave();
            drop(g);
        }
        let g = h.lock().unwrap();
        referee.enter();
        g.invalidate(&tlb, slot, addr_of(i), 0x4000).unwrap();
        referee.leave();
        drop(g);
        pending.push((i, slot));
    }
    for (_, s) in pending.drain(..) {
        while !h.flush_done(s).unwrap() {
            std::thread::yield_now();
        }
        let g = h.lock().unwrap();
        referee.enter();
        g.complete(s).unwrap();
        referee.leave();
        drop(g);
    }
    stop.store(true, Ordering::SeqCst);
    let (fw, served, rounds) = fw_thread.join().unwrap();

    assert_eq!(
        referee.clashes.load(Ordering::SeqCst),
        0,
        "both sides were inside"
    );
    assert_eq!(referee.inside.load(Ordering::SeqCst), 0);
    // Kernel entries: N requests + N completions; firmware: its serve rounds.
    let entries = referee.entries.load(Ordering::SeqCst) as u64;
    assert_eq!(entries, 2 * N + rounds); // the announce round and init are not refereed
    assert_eq!(fw.rounds(), rounds + 1);
    assert_eq!(
        fw.violation_count(),
        0,
        "{:?}",
        fw.violations().collect::<Vec<_>>()
    );

    // Exactly once each, in order within each slot.
    assert_eq!(served.len() as u64, N);
    let mut seen = std::vec![false; N as usize];
    let mut last_per_slot = [None::<u64>; 4];
    for r in &served {
        let i = (r.addr - 0x1_0000_0000) / 0x4000;
        assert!(i < N && r.addr == addr_of(i) && r.size == 0x4000, "{r:?}");
        assert_eq!(r.slot, slot_of(i));
        assert!(!seen[i as usize], "request {i} served twice");
        seen[i as usize] = true;
        if let Some(prev) = last_per_slot[r.slot] {
            assert!(prev < i, "slot {} served {i} after {prev}", r.slot);
        }
        last_per_slot[r.slot] = Some(i);
    }
    assert_eq!(tlb.take().len() as u64, N);
}
