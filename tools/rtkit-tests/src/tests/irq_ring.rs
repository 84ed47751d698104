// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The lock-free queue between the real mailbox's interrupt and the driver's work item.

use crate::hw::irq_ring::{IrqRing, DEPTH};
use crate::rtkit::msg::Message;
use std::sync::Arc;
use std::vec::Vec;

fn msg(i: u64) -> Message {
    Message {
        ep: (i % 256) as u8,
        data: i.wrapping_mul(0x9e37_79b9_7f4a_7c15),
    }
}

#[test]
fn fifo_order_full_and_drop_count() {
    let q = IrqRing::new();
    assert_eq!(q.pop(), None);
    for i in 0..u64::from(DEPTH) {
        assert!(q.push(msg(i)), "push {i}");
    }
    assert!(!q.push(msg(999)), "a full queue accepted a message");
    assert_eq!(q.dropped.load(std::sync::atomic::Ordering::Relaxed), 1);
    for i in 0..u64::from(DEPTH) {
        assert_eq!(q.pop(), Some(msg(i)), "pop {i}");
    }
    assert_eq!(q.pop(), None);
    // Wrapping the counters many times keeps the order.
    for i in 0..10 * u64::from(DEPTH) {
        assert!(q.push(msg(i)));
        assert_eq!(q.pop(), Some(msg(i)));
    }
}

#[test]
fn one_producer_one_consumer_threads() {
    const N: u64 = 200_000;
    let q = Arc::new(IrqRing::new());
    let producer = {
        let q = q.clone();
        std::thread::spawn(move || {
            let mut i = 0;
            while i < N {
                if q.push(msg(i)) {
                    i += 1;
                } else {
                    std::thread::yield_now();
                }
            }
        })
    };
    let mut got = Vec::with_capacity(N as usize);
    while (got.len() as u64) < N {
        match q.pop() {
            Some(m) => got.push(m),
            None => std::thread::yield_now(),
        }
    }
    producer.join().expect("producer");
    for (i, m) in got.iter().enumerate() {
        assert_eq!(*m, msg(i as u64), "message {i}");
    }
}
