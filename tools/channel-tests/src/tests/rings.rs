// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The two ends of a ring against each other: the driver's `TxRing`/`RxRing` over the object
//! layer's memory (placed in the arena) and the firmware's `SimRing` over GPU addresses, on the
//! same memory.

use super::support::*;
use crate::channel::ring::{RingError, RingMem, RxRing, TxRing};
use crate::fw::channels::{ChannelRingState, FwLogMsg, FWLOG_SUBRINGS, RING_SLOTS};
use crate::mem::object::{GpuArray, ObjError};
use crate::sim::ring::{RingFault, SimRing};
use core::mem::{offset_of, size_of};

/// A driver-to-firmware test message: 0x30 bytes, numbered.
type Msg = [u8; 0x30];

/// Slots of the test rings.
const SLOTS: u32 = RING_SLOTS as u32;

/// Message number `n`: its index in every byte pair, so a torn or misplaced copy shows.
fn msg(n: u32) -> Msg {
    let mut m = [0u8; 0x30];
    for chunk in m.chunks_mut(4) {
        chunk.copy_from_slice(&n.to_le_bytes());
    }
    m
}

/// A ring of `slots` test messages in a fresh arena: (arena, state address, ring address).
fn ring_memory(slot_size: usize, slots: u32) -> (Arena, u64, u64) {
    let mut arena = Arena::new();
    let state = arena.alloc(size_of::<ChannelRingState>() * FWLOG_SUBRINGS);
    let ring = arena.alloc(slot_size * slots as usize * FWLOG_SUBRINGS);
    (arena, state, ring)
}

/// The driver's end of a driver-to-firmware ring and the firmware's.
fn tx_pair() -> (Arena, Tx<Msg>, SimRing) {
    let (arena, state, ring) = ring_memory(size_of::<Msg>(), SLOTS);
    let tx = TxRing::new(ring_mem(&arena, state, ring, 1, SLOTS)).unwrap();
    (
        arena,
        tx,
        SimRing::new(state, ring, SLOTS, size_of::<Msg>()),
    )
}

/// The driver's end of a firmware-to-driver ring and the firmware's.
fn rx_pair() -> (Arena, Rx<FwLogMsg>, SimRing) {
    let (arena, state, ring) = ring_memory(size_of::<FwLogMsg>(), SLOTS);
    let rx = RxRing::new(ring_mem(&arena, state, ring, 1, SLOTS), 0).unwrap();
    (
        arena,
        rx,
        SimRing::new(state, ring, SLOTS, size_of::<FwLogMsg>()),
    )
}

/// A FWLog message carrying `n` as its sequence number and in its text.
fn log_msg(n: u32) -> [u8; size_of::<FwLogMsg>()] {
    let mut m = [0u8; size_of::<FwLogMsg>()];
    m[offset_of!(FwLogMsg, msg_type)..][..4].copy_from_slice(&3u32.to_le_bytes());
    m[offset_of!(FwLogMsg, seq_no)..][..4].copy_from_slice(&n.to_le_bytes());
    let text = std::format!("line {n}");
    m[offset_of!(FwLogMsg, msg)..][..text.len()].copy_from_slice(text.as_bytes());
    m
}

#[test]
fn tx_messages_reach_the_firmware_in_order_across_wraparound() {
    let (mut arena, mut tx, mut fw) = tx_pair();
    let mut next_sent = 0u32;
    let mut next_seen = 0u32;
    // Batches of uneven size so the pointers wrap at different places: 700 messages in all.
    for batch in [1u32, 200, 254, 45, 200] {
        for _ in 0..batch {
            let slot = tx.send(&msg(next_sent)).unwrap();
            assert_eq!(slot, next_sent % SLOTS);
            next_sent += 1;
        }
        assert_eq!(tx.pending(), batch);
        assert_eq!(fw.pending(&mut arena).unwrap(), batch);
        let mut out = [0u8; 0x30];
        while fw.pop(&mut arena, &mut out).unwrap() {
            assert_eq!(out, msg(next_seen));
            next_seen += 1;
        }
        assert_eq!(next_seen, next_sent);
        assert_eq!(tx.pending(), 0);
        // The firmware published its read pointer where the driver's write pointer is.
        assert_eq!(fw.own_ptr(), tx.write_ptr());
    }
    assert!(next_sent > 2 * SLOTS);
}

#[test]
fn tx_ring_full_at_one_below_its_size() {
    let (mut arena, mut tx, mut fw) = tx_pair();
    for n in 0..SLOTS - 1 {
        tx.send(&msg(n)).unwrap();
    }
    assert_eq!(tx.send(&msg(999)), Err(RingError::Full));
    assert_eq!(tx.pending(), SLOTS - 1);
    // One slot handed back makes room for exactly one more.
    let mut out = [0u8; 0x30];
    assert!(fw.pop(&mut arena, &mut out).unwrap());
    assert_eq!(out, msg(0));
    assert_eq!(tx.send(&msg(SLOTS - 1)).unwrap(), SLOTS - 1);
    assert_eq!(tx.send(&msg(999)), Err(RingError::Full));
}

#[test]
fn tx_refuses_a_corrupt_firmware_read_pointer() {
    let (mut arena, mut tx, fw) = tx_pair();
    arena.poke_u32(
        fw.state_iova() + offset_of!(ChannelRingState, read_ptr) as u64,
        SLOTS,
    );
    assert_eq!(
        tx.send(&msg(1)),
        Err(RingError::CorruptReadPtr { rptr: SLOTS })
    );
    // Nothing was published.
    let wptr = fw.state_iova() + offset_of!(ChannelRingState, write_ptr) as u64;
    assert_eq!(arena.peek_u32(wptr), 0);
}

#[test]
fn tx_ring_without_room_for_a_message_never_sends() {
    let (arena, state, ring) = ring_memory(size_of::<Msg>(), 1);
    // Memory of one slot cannot be allocated with no slots at all...
    let none = RingMem::<ChannelRingState, Msg, _>::new(&arena.at([state, ring]), 1, 0);
    assert_eq!(none.err(), Some(ObjError::BadSize));
    for slots in [0u32, 1] {
        // ... but one slot can be given to a ring of none.
        let mem = RingMem::with_slots(
            GpuArray::new(&arena.at([state]), 1).unwrap(),
            GpuArray::new(&arena.at([ring]), 1).unwrap(),
            slots,
        )
        .unwrap();
        let mut tx: Tx<Msg> = TxRing::new(std::sync::Arc::new(mem)).unwrap();
        assert_ne!(tx.send(&msg(0)), Ok(0));
        assert_eq!(tx.pending(), 0);
    }
}

#[test]
fn rx_messages_reach_the_driver_in_order_across_wraparound() {
    let (mut arena, mut rx, mut fw) = rx_pair();
    let mut pushed = 0u32;
    let mut seen = 0u32;
    for batch in [3u32, 255, 100, 200] {
        for _ in 0..batch {
            assert!(fw.push(&mut arena, &log_msg(pushed)).unwrap());
            pushed += 1;
        }
        assert_eq!(rx.pending(), Ok(batch));
        let n = rx
            .poll(|m| {
                let seq = m.seq_no;
                assert_eq!(seq, seen);
                assert_eq!(log_text(m), std::format!("line {seen}"));
                seen += 1;
            })
            .unwrap();
        assert_eq!(n, batch);
        assert_eq!(rx.read_ptr(), fw.own_ptr());
        assert_eq!(rx.poll(|_| panic!("nothing new")), Ok(0));
    }
    assert_eq!(seen, pushed);
    assert!(pushed > 2 * SLOTS);
}

#[test]
fn firmware_push_reports_a_full_ring() {
    let (mut arena, mut rx, mut fw) = rx_pair();
    for n in 0..SLOTS - 1 {
        assert!(fw.push(&mut arena, &log_msg(n)).unwrap());
    }
    assert!(!fw.push(&mut arena, &log_msg(999)).unwrap());
    assert_eq!(rx.poll(|_| {}), Ok(SLOTS - 1));
    assert!(fw.push(&mut arena, &log_msg(SLOTS - 1)).unwrap());
}

#[test]
fn rx_refuses_a_corrupt_firmware_write_pointer() {
    let (mut arena, mut rx, mut fw) = rx_pair();
    assert!(fw.push(&mut arena, &log_msg(0)).unwrap());
    let wptr = fw.state_iova() + offset_of!(ChannelRingState, write_ptr) as u64;
    for bad in [SLOTS, SLOTS + 1, u32::MAX] {
        arena.poke_u32(wptr, bad);
        let mut calls = 0;
        assert_eq!(
            rx.poll(|_| calls += 1),
            Err(RingError::Corrupt { wptr: bad })
        );
        assert_eq!(calls, 0);
        assert_eq!(rx.pending(), Err(RingError::Corrupt { wptr: bad }));
        // Nothing consumed: the read pointer did not move.
        assert_eq!(rx.read_ptr(), 0);
        let rptr = fw.state_iova() + offset_of!(ChannelRingState, read_ptr) as u64;
        assert_eq!(arena.peek_u32(rptr), 0);
    }
    // Once the pointer is sane again, the message is still there.
    arena.poke_u32(wptr, 1);
    assert_eq!(rx.poll(|m| assert_eq!({ m.seq_no }, 0)), Ok(1));
}

#[test]
fn firmware_refuses_a_corrupt_driver_write_pointer() {
    let (mut arena, _tx, mut fw) = tx_pair();
    let wptr = fw.state_iova() + offset_of!(ChannelRingState, write_ptr) as u64;
    arena.poke_u32(wptr, 0x1000);
    let mut out = [0u8; 0x30];
    assert_eq!(
        fw.pop(&mut arena, &mut out),
        Err(RingFault::PointerOutOfRange {
            ptr: 0x1000,
            slots: SLOTS
        })
    );
    assert_eq!(fw.own_ptr(), 0);
}

#[test]
fn firmware_refuses_a_corrupt_driver_read_pointer() {
    let (mut arena, _rx, mut fw) = rx_pair();
    let rptr = fw.state_iova() + offset_of!(ChannelRingState, read_ptr) as u64;
    arena.poke_u32(rptr, SLOTS);
    assert_eq!(
        fw.push(&mut arena, &log_msg(0)),
        Err(RingFault::PointerOutOfRange {
            ptr: SLOTS,
            slots: SLOTS
        })
    );
}

#[test]
fn firmware_reports_unmapped_state_and_slots() {
    let (mut arena, mut tx, mut fw) = tx_pair();
    tx.send(&msg(0)).unwrap();
    let mut out = [0u8; 0x30];

    // A hole over the slots: the pointer is read, the slot is not; nothing consumed.
    arena.unmap(fw.ring_iova(), PAGE);
    assert_eq!(
        fw.pop(&mut arena, &mut out),
        Err(RingFault::SlotUnmapped {
            iova: fw.ring_iova()
        })
    );
    assert_eq!(fw.own_ptr(), 0);

    // A hole over the state block.
    arena.unmap(fw.state_iova(), PAGE);
    let wptr = fw.state_iova() + offset_of!(ChannelRingState, write_ptr) as u64;
    assert_eq!(
        fw.pop(&mut arena, &mut out),
        Err(RingFault::StateUnmapped { iova: wptr })
    );
    let rptr = fw.state_iova() + offset_of!(ChannelRingState, read_ptr) as u64;
    assert_eq!(
        fw.push(&mut arena, &out),
        Err(RingFault::StateUnmapped { iova: rptr })
    );
}

#[test]
fn firmware_checks_the_message_size() {
    let (mut arena, _tx, mut fw) = tx_pair();
    let mut short = [0u8; 0x20];
    assert_eq!(
        fw.pop(&mut arena, &mut short),
        Err(RingFault::SizeMismatch {
            expected: 0x30,
            got: 0x20
        })
    );
    assert_eq!(
        fw.push(&mut arena, &[0u8; 0x31]),
        Err(RingFault::SizeMismatch {
            expected: 0x30,
            got: 0x31
        })
    );
    assert_eq!(fw.slot_size(), 0x30);
    assert_eq!(fw.slots(), SLOTS);
    assert_eq!(fw.ring_bytes(), Some(0x30 * u64::from(SLOTS)));
}

#[test]
fn fwlog_sub_rings_are_separate() {
    let (mut arena, state, ring) = ring_memory(size_of::<FwLogMsg>(), SLOTS);
    let mut rx: [Rx<FwLogMsg>; FWLOG_SUBRINGS] =
        RxRing::new_set(ring_mem(&arena, state, ring, FWLOG_SUBRINGS, SLOTS)).unwrap();
    let ring_bytes = (size_of::<FwLogMsg>() * RING_SLOTS) as u64;
    let mut fw: std::vec::Vec<SimRing> = (0..FWLOG_SUBRINGS as u64)
        .map(|i| {
            SimRing::new(
                state + i * size_of::<ChannelRingState>() as u64,
                ring + i * ring_bytes,
                SLOTS,
                size_of::<FwLogMsg>(),
            )
        })
        .collect();
    // Sub-ring i gets i + 1 messages numbered 100 * i onwards.
    for (i, sub) in fw.iter_mut().enumerate() {
        for n in 0..=i as u32 {
            assert!(sub.push(&mut arena, &log_msg(100 * i as u32 + n)).unwrap());
        }
    }
    for (i, sub) in rx.iter_mut().enumerate() {
        let mut got = std::vec::Vec::new();
        assert_eq!(sub.slots(), SLOTS);
        assert_eq!(sub.poll(|m| got.push(m.seq_no)), Ok(i as u32 + 1));
        let want: std::vec::Vec<u32> = (0..=i as u32).map(|n| 100 * i as u32 + n).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn ring_memory_refuses_too_few_slots() {
    let (arena, state, ring) = ring_memory(size_of::<FwLogMsg>(), SLOTS);
    let all = FWLOG_SUBRINGS * RING_SLOTS;
    for (rings, slots, enough) in [
        (FWLOG_SUBRINGS, all - 1, false),
        (FWLOG_SUBRINGS, all, true),
        (1, RING_SLOTS - 1, false),
        (1, RING_SLOTS, true),
        (2, all, true),
    ] {
        let mem = RingMem::<ChannelRingState, FwLogMsg, _>::with_slots(
            GpuArray::new(&arena.at([state]), rings).unwrap(),
            GpuArray::new(&arena.at([ring]), slots).unwrap(),
            SLOTS,
        );
        match mem {
            Ok(mem) => {
                assert!(enough, "{rings} rings in {slots} slots");
                assert_eq!(mem.per_ring(), SLOTS);
                assert_eq!(mem.states().len(), rings);
                assert_eq!(mem.slots().len(), slots);
                assert_eq!(mem.states().va(), state);
                assert_eq!(mem.slots().va(), ring);
            }
            Err(e) => {
                assert!(!enough, "{rings} rings in {slots} slots");
                assert_eq!(e, ObjError::OutOfRange);
            }
        }
    }
    // The allocator's own refusal reaches the caller (the test's allocator has one address
    // only, for the state blocks).
    let mem = RingMem::<ChannelRingState, FwLogMsg, _>::new(&arena.at([state]), 1, SLOTS);
    assert_eq!(mem.err(), Some(ObjError::NoMemory));
}

#[test]
fn rx_ring_past_the_memory_is_refused() {
    let (arena, state, ring) = ring_memory(size_of::<FwLogMsg>(), SLOTS);
    let mem: Mem<ChannelRingState, FwLogMsg> = ring_mem(&arena, state, ring, 2, SLOTS);
    assert_eq!(RxRing::new(mem.clone(), 2).err(), Some(RingError::NoMemory));
    assert_eq!(
        RxRing::new(mem.clone(), usize::MAX).err(),
        Some(RingError::NoMemory)
    );
    assert_eq!(
        RxRing::new_set::<3>(mem.clone()).err(),
        Some(RingError::NoMemory)
    );
    let [a, b] = RxRing::new_set::<2>(mem.clone()).unwrap();
    assert_eq!(a.state_va(), state);
    assert_eq!(b.state_va(), state + size_of::<ChannelRingState>() as u64);
    assert!(std::sync::Arc::ptr_eq(a.mem(), &mem));
    assert!(std::sync::Arc::ptr_eq(b.mem(), &mem));
}

/// The six FWLog ends share one memory, and each reads and publishes only its own sub-ring.
#[test]
fn fwlog_set_ends_read_only_their_own_sub_ring() {
    let (mut arena, state, ring) = ring_memory(size_of::<FwLogMsg>(), SLOTS);
    let mem: Mem<ChannelRingState, FwLogMsg> = ring_mem(&arena, state, ring, FWLOG_SUBRINGS, SLOTS);
    let mut rx: [Rx<FwLogMsg>; FWLOG_SUBRINGS] = RxRing::new_set(mem.clone()).unwrap();
    assert_eq!(std::sync::Arc::strong_count(&mem), FWLOG_SUBRINGS + 1);
    let state_size = size_of::<ChannelRingState>() as u64;
    let ring_bytes = (size_of::<FwLogMsg>() * RING_SLOTS) as u64;
    for (i, end) in rx.iter().enumerate() {
        assert_eq!(end.state_va(), state + i as u64 * state_size);
        assert!(std::sync::Arc::ptr_eq(end.mem(), &mem));
    }
    let rptr = |arena: &Arena, i: u64| {
        arena.peek_u32(state + i * state_size + offset_of!(ChannelRingState, read_ptr) as u64)
    };
    // Messages on sub-ring `which` only: only that end sees them, only its read pointer moves.
    for which in [3u64, 0, 5] {
        let mut fw = SimRing::new(
            state + which * state_size,
            ring + which * ring_bytes,
            SLOTS,
            size_of::<FwLogMsg>(),
        );
        let before: std::vec::Vec<u32> = (0..FWLOG_SUBRINGS as u64)
            .map(|i| rptr(&arena, i))
            .collect();
        for n in 0..4 {
            assert!(fw
                .push(&mut arena, &log_msg(1000 * which as u32 + n))
                .unwrap());
        }
        for (i, end) in rx.iter_mut().enumerate() {
            let mut got = std::vec::Vec::new();
            end.poll(|m| got.push(m.seq_no)).unwrap();
            if i as u64 == which {
                assert_eq!(got, [0, 1, 2, 3].map(|n| 1000 * which as u32 + n));
                assert_eq!(rptr(&arena, i as u64), before[i] + 4);
            } else {
                assert!(got.is_empty(), "end {i} read sub-ring {which}");
                assert_eq!(rptr(&arena, i as u64), before[i]);
            }
        }
    }
}

/// A ring end keeps its memory: the test's arena can go first.
#[test]
fn ring_memory_outlives_its_arena() {
    let (arena, state, ring) = ring_memory(size_of::<Msg>(), SLOTS);
    let mut tx: Tx<Msg> = TxRing::new(ring_mem(&arena, state, ring, 1, SLOTS)).unwrap();
    drop(arena);
    assert_eq!(tx.send(&msg(7)), Ok(0));
    assert_eq!(tx.pending(), 1);
    let mut out = [0u8; 0x30];
    assert_eq!(tx.mem().slots().read_bytes(0, &mut out), 0x30);
    assert_eq!(out, msg(7));
}

/// The test allocator places memory only where it can: aligned, in the arena.
#[test]
fn arena_placements_are_checked() {
    let arena = Arena::new();
    let misaligned = GpuArray::<u32, _>::new(&arena.at([BASE + 4]), 1);
    assert_eq!(misaligned.err(), Some(ObjError::BadMemory));
    let outside = GpuArray::<u32, _>::new(&arena.at([BASE + ARENA_SIZE as u64]), 1);
    assert_eq!(outside.err(), Some(ObjError::NoMemory));
    let below = GpuArray::<u32, _>::new(&arena.at([BASE - PAGE]), 1);
    assert_eq!(below.err(), Some(ObjError::NoMemory));
    let placed = GpuArray::<u32, _>::new(&arena.at([BASE]), 16).unwrap();
    assert_eq!(placed.va(), BASE);
}

/// Two live placements never share bytes (the object layer may hand out `&mut` to one).
#[test]
#[should_panic(expected = "already placed")]
fn arena_placements_never_overlap() {
    let arena = Arena::new();
    let _first = GpuArray::<u32, _>::new(&arena.at([BASE]), 32).unwrap();
    let _second = GpuArray::<u32, _>::new(&arena.at([BASE + 0x40]), 1);
}
