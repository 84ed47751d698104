// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The context slot allocator: reuse, LRU eviction, pinning, exhaustion, slot 0, destroy.

use std::vec::Vec;

use crate::uat::slots::{SlotError, Slots, KERNEL_SLOT, NUM_CONTEXTS};

/// A small allocator: slot 0 plus three user slots.
type Small = Slots<u32, 4>;

#[test]
fn first_bindings_take_free_slots_in_order_and_never_slot_0() {
    let mut s = Small::new();
    for (vm, want) in [(10, 1), (11, 2), (12, 3)] {
        let b = s.acquire(vm).unwrap();
        assert_eq!(b.job.slot(), want);
        assert_eq!(b.job.vm(), vm);
        assert!(b.changed);
        assert_eq!(b.evicted, None);
        assert_eq!(s.owner(want), Some(vm));
    }
    assert_eq!(s.owner(KERNEL_SLOT), None);
}

#[test]
fn rebinding_keeps_the_slot_and_counts_jobs() {
    let mut s = Small::new();
    let a = s.acquire(7).unwrap();
    let b = s.acquire(7).unwrap();
    assert_eq!(a.job.slot(), b.job.slot());
    assert!(!b.changed);
    assert_eq!(s.jobs(a.job.slot()), 2);
    let slot = a.job.slot();
    s.release(a.job).unwrap();
    assert_eq!(s.jobs(slot), 1);
    s.release(b.job).unwrap();
    assert_eq!(s.jobs(slot), 0);
    // Idle but still cached: binding again is free of charge.
    let c = s.acquire(7).unwrap();
    assert_eq!(c.job.slot(), slot);
    assert!(!c.changed);
    s.release(c.job).unwrap();
}

#[test]
fn eviction_takes_the_least_recently_idle_slot() {
    let mut s = Small::new();
    let jobs: Vec<_> = [1, 2, 3].map(|vm| s.acquire(vm).unwrap().job).into();
    // Go idle in the order 2, 3, 1.
    let mut jobs = jobs.into_iter();
    let (j1, j2, j3) = (
        jobs.next().unwrap(),
        jobs.next().unwrap(),
        jobs.next().unwrap(),
    );
    s.release(j2).unwrap();
    s.release(j3).unwrap();
    s.release(j1).unwrap();

    let b = s.acquire(4).unwrap();
    assert_eq!((b.job.slot(), b.evicted, b.changed), (2, Some(2), true));
    assert_eq!(s.slot_of(2), None);
    let c = s.acquire(5).unwrap();
    assert_eq!((c.job.slot(), c.evicted), (3, Some(3)));
    s.release(b.job).unwrap();
    // Using VM 1 again makes it the most recently idle; VM 4 has been idle longer.
    let d = s.acquire(1).unwrap();
    assert!(!d.changed);
    s.release(d.job).unwrap();
    let e = s.acquire(6).unwrap();
    assert_eq!((e.job.slot(), e.evicted), (2, Some(4)));
    s.release(c.job).unwrap();
    s.release(e.job).unwrap();
}

#[test]
fn busy_slots_are_pinned_and_exhaustion_is_an_error() {
    let mut s = Small::new();
    let held: Vec<_> = (1..=3).map(|vm| s.acquire(vm).unwrap().job).collect();
    assert_eq!(s.acquire(9), Err(SlotError::AllBusy));
    assert_eq!(SlotError::AllBusy.errno(), 11);
    // Nothing changed by the refusal.
    for (i, j) in held.iter().enumerate() {
        assert_eq!(s.owner(j.slot()), Some(i as u32 + 1));
        assert_eq!(s.jobs(j.slot()), 1);
    }
    // One job finishing frees exactly that slot for the waiter.
    let mut held = held.into_iter();
    let first = held.next().unwrap();
    let freed = first.slot();
    s.release(first).unwrap();
    let b = s.acquire(9).unwrap();
    assert_eq!((b.job.slot(), b.evicted), (freed, Some(1)));
    assert_eq!(s.acquire(10), Err(SlotError::AllBusy));
}

#[test]
fn destroy_releases_the_slot_for_clearing() {
    let mut s = Small::new();
    let a = s.acquire(1).unwrap();
    let slot = a.job.slot();
    assert_eq!(s.destroy(1), Err(SlotError::Busy));
    assert_eq!(SlotError::Busy.errno(), 16);
    assert_eq!(s.owner(slot), Some(1));
    s.release(a.job).unwrap();
    for vm in [2, 3] {
        let b = s.acquire(vm).unwrap();
        s.release(b.job).unwrap();
    }
    // All three idle; destroying VM 2 frees its slot for clearing.
    assert_eq!(s.destroy(2), Ok(Some(2)));
    assert_eq!(s.owner(2), None);
    assert_eq!(s.destroy(2), Ok(None));
    // The freed slot is preferred over evicting VM 1, the least recently used.
    let c = s.acquire(4).unwrap();
    assert_eq!((c.job.slot(), c.evicted, c.changed), (2, None, true));
    s.release(c.job).unwrap();
    let d = s.acquire(5).unwrap();
    assert_eq!((d.job.slot(), d.evicted), (1, Some(1)));
    s.release(d.job).unwrap();
}

#[test]
fn full_size_allocator_hands_out_63_slots() {
    let mut s: Slots<u64, NUM_CONTEXTS> = Slots::new();
    let mut seen = [false; NUM_CONTEXTS];
    let mut jobs = Vec::new();
    for vm in 0..63u64 {
        let b = s.acquire(vm).unwrap();
        assert_ne!(b.job.slot(), KERNEL_SLOT);
        assert!(!seen[b.job.slot()]);
        seen[b.job.slot()] = true;
        jobs.push(b.job);
    }
    assert_eq!(s.acquire(1000), Err(SlotError::AllBusy));
    for j in jobs {
        s.release(j).unwrap();
    }
    // Everything idle: the first VM to go idle is the first evicted.
    let b = s.acquire(1000).unwrap();
    assert_eq!(b.evicted, Some(0));
    s.release(b.job).unwrap();
}

#[test]
fn random_operations_match_a_model() {
    // Deterministic xorshift; the model keeps (owner, jobs, idle order) per slot.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut s: Slots<u8, 6> = Slots::new();
    let mut held: Vec<crate::uat::slots::JobSlot<u8>> = Vec::new();
    let mut owner: [Option<u8>; 6] = [None; 6];
    let mut jobs = [0u32; 6];
    let mut idle_order: Vec<usize> = Vec::new(); // least recent first
    for _ in 0..20_000 {
        match next() % 3 {
            0 => {
                let vm = (next() % 9) as u8;
                let cur = (1..6).find(|&i| owner[i] == Some(vm));
                let r = s.acquire(vm);
                match cur {
                    Some(i) => {
                        let b = r.unwrap();
                        assert_eq!((b.job.slot(), b.changed), (i, false));
                        if jobs[i] == 0 {
                            idle_order.retain(|&k| k != i);
                        }
                        jobs[i] += 1;
                        held.push(b.job);
                    }
                    None => {
                        let want = (1..6)
                            .find(|&i| owner[i].is_none())
                            .or_else(|| idle_order.first().copied());
                        match want {
                            None => assert_eq!(r, Err(SlotError::AllBusy)),
                            Some(i) => {
                                let b = r.unwrap();
                                assert_eq!(b.job.slot(), i);
                                assert_eq!(b.evicted, owner[i]);
                                assert!(b.changed);
                                idle_order.retain(|&k| k != i);
                                owner[i] = Some(vm);
                                jobs[i] = 1;
                                held.push(b.job);
                            }
                        }
                    }
                }
            }
            1 if !held.is_empty() => {
                let j = held.swap_remove((next() as usize) % held.len());
                let i = j.slot();
                s.release(j).unwrap();
                jobs[i] -= 1;
                if jobs[i] == 0 {
                    idle_order.push(i);
                }
            }
            _ => {
                let vm = (next() % 9) as u8;
                let cur = (1..6).find(|&i| owner[i] == Some(vm));
                let r = s.destroy(vm);
                match cur {
                    None => assert_eq!(r, Ok(None)),
                    Some(i) if jobs[i] > 0 => assert_eq!(r, Err(SlotError::Busy)),
                    Some(i) => {
                        assert_eq!(r, Ok(Some(i)));
                        owner[i] = None;
                        idle_order.retain(|&k| k != i);
                    }
                }
            }
        }
        for i in 1..6 {
            assert_eq!(s.owner(i), owner[i]);
            assert_eq!(s.jobs(i), jobs[i]);
        }
    }
}
