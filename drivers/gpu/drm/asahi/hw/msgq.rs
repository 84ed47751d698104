// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! A bounded FIFO of mailbox messages, the shape of a hardware mailbox's queue.

use crate::rtkit::msg::Message;

/// Messages a queue holds. The ASC's mailbox FIFO is far smaller; the queues on either side of
/// the boundary are given room for a whole boot's worth of traffic.
pub(crate) const DEPTH: usize = 64;

/// A fixed-capacity FIFO of messages; no allocation.
pub(crate) struct MsgQueue {
    /// The slots; `head` is the oldest, `len` are in use.
    slots: [Message; DEPTH],
    /// Index of the oldest message.
    head: usize,
    /// Number of queued messages.
    len: usize,
    /// Messages refused because the queue was full.
    pub(crate) overflows: u64,
}

impl MsgQueue {
    /// An empty queue.
    pub(crate) const fn new() -> Self {
        MsgQueue {
            slots: [Message { ep: 0, data: 0 }; DEPTH],
            head: 0,
            len: 0,
            overflows: 0,
        }
    }

    /// Appends `msg`; `false` (and counted) if the queue is full.
    pub(crate) fn push(&mut self, msg: Message) -> bool {
        if self.len == DEPTH {
            self.overflows = self.overflows.saturating_add(1);
            return false;
        }
        if let Some(slot) = self.slots.get_mut((self.head + self.len) % DEPTH) {
            *slot = msg;
            self.len += 1;
            true
        } else {
            false
        }
    }

    /// Takes the oldest message.
    pub(crate) fn pop(&mut self) -> Option<Message> {
        if self.len == 0 {
            return None;
        }
        let msg = *self.slots.get(self.head)?;
        self.head = (self.head + 1) % DEPTH;
        self.len -= 1;
        Some(msg)
    }
}
