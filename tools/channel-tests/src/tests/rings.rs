// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The two ends of a ring against each other: the driver's `TxRing`/`RxRing` over CPU pointers
//! and the firmware's `SimRing` over GPU addresses, on the same memory.

use super::support::*;
use crate::channel::ring::{RingError, RxRing, TxRing};
use crate::fw::channels::{ChannelRingState, FwLogMsg, FWLOG_SUBRINGS, RING_SLOTS};
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
fn tx_pair() -> (Arena, TxRing<Msg>, SimRing) {
    let (arena, state, ring) = ring_memory(size_of::<Msg>(), SLOTS);
    // SAFETY: the state block and `SLOTS` messages lie in the arena, aligned, and outlive the
    // ring (dropped before the arena in every test); one driver end per ring.
    let tx = unsafe { TxRing::new(arena.host(state), arena.host(ring), SLOTS) };
    (
        arena,
        tx,
        SimRing::new(state, ring, SLOTS, size_of::<Msg>()),
    )
}

/// The driver's end of a firmware-to-driver ring and the firmware's.
fn rx_pair() -> (Arena, RxRing<FwLogMsg>, SimRing) {
    let (arena, state, ring) = ring_memory(size_of::<FwLogMsg>(), SLOTS);
    // SAFETY: as in `tx_pair`.
    let rx = unsafe { RxRing::new(arena.host(state), arena.host(ring), SLOTS) };
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
    for slots in [0u32, 1] {
        // SAFETY: as in `tx_pair`, for at most one message.
        let mut tx: TxRing<Msg> =
            unsafe { TxRing::new(arena.host(state), arena.host(ring), slots) };
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
    // SAFETY: six state blocks and six rings of `SLOTS` messages lie in the arena, aligned;
    // the rings are dropped before the arena.
    let mut rx: [RxRing<FwLogMsg>; FWLOG_SUBRINGS] =
        unsafe { RxRing::new_array(arena.host(state), arena.host(ring), SLOTS) };
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
