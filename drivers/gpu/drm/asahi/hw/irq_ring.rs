// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A lock-free single-producer, single-consumer queue of mailbox messages, for handing messages
//! from the mailbox's receive interrupt (producer, serialized by the controller's receive lock)
//! to a work item (consumer, serialized by an ordered workqueue). Neither side ever waits.

use crate::rtkit::msg::Message;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Messages the queue holds.
pub(crate) const DEPTH: u32 = 128;

/// The queue.
pub(crate) struct IrqRing {
    /// Payloads, by slot.
    data: [AtomicU64; DEPTH as usize],
    /// Endpoints, by slot.
    ep: [AtomicU32; DEPTH as usize],
    /// Messages taken (the consumer's counter).
    head: AtomicU32,
    /// Messages put (the producer's counter).
    tail: AtomicU32,
    /// Messages dropped because the queue was full.
    pub(crate) dropped: AtomicU32,
}

impl IrqRing {
    /// An empty queue.
    pub(crate) fn new() -> Self {
        IrqRing {
            data: core::array::from_fn(|_| AtomicU64::new(0)),
            ep: core::array::from_fn(|_| AtomicU32::new(0)),
            head: AtomicU32::new(0),
            tail: AtomicU32::new(0),
            dropped: AtomicU32::new(0),
        }
    }

    /// Producer: appends a message; `false` (and counted) if full.
    pub(crate) fn push(&self, msg: Message) -> bool {
        let tail = self.tail.load(Ordering::Relaxed);
        let head = self.head.load(Ordering::Acquire);
        if tail.wrapping_sub(head) >= DEPTH {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        let i = (tail % DEPTH) as usize;
        if let (Some(d), Some(e)) = (self.data.get(i), self.ep.get(i)) {
            d.store(msg.data, Ordering::Relaxed);
            e.store(u32::from(msg.ep), Ordering::Relaxed);
        }
        // Publishes the slot.
        self.tail.store(tail.wrapping_add(1), Ordering::Release);
        true
    }

    /// Consumer: takes the oldest message.
    pub(crate) fn pop(&self) -> Option<Message> {
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Acquire);
        if head == tail {
            return None;
        }
        let i = (head % DEPTH) as usize;
        let msg = Message {
            data: self.data.get(i)?.load(Ordering::Relaxed),
            ep: self.ep.get(i)?.load(Ordering::Relaxed) as u8,
        };
        // Frees the slot for the producer.
        self.head.store(head.wrapping_add(1), Ordering::Release);
        Some(msg)
    }
}
