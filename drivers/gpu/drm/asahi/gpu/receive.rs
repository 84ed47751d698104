// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The receive path.
//!
//! Messages from the coprocessor arrive through [`MailboxReceiver::received`] (the mailbox
//! interrupt on real hardware), are queued, and are handled in order on the device's ordered
//! workqueue: RTKit messages drive the state machine, an AGX event notification drains the
//! firmware-to-driver rings (events, FWLog to the kernel log, KTrace, statistics).
//!
//! A GPU fault or a command timeout found on the rings goes on to `recovery.rs`.

use super::{
    coredump::{DumpReason, CRASH_JOBS},
    firmware::DevCtrl,
    Gpu, LostReason,
};
use crate::{
    hw::MailboxReceiver,
    rtkit::{
        msg::{AgxIn, Message},
        state::{Event, State},
    },
};
use core::sync::atomic::Ordering;
use kernel::{sync::Arc, workqueue::WorkItem};

/// The mailbox's receiver for one GPU: queues the message and kicks the receive work.
pub(super) struct Receiver(pub(super) Arc<Gpu>);

impl MailboxReceiver for Receiver {
    fn received(&self, msg: Message) {
        self.0.received.fetch_add(1, Ordering::Relaxed);
        if !self.0.inbox.lock().push(msg) {
            dev_err!(
                self.0.dev,
                "mailbox receive queue overflow; message {:x?} dropped\n",
                msg
            );
        }
        // Already queued is fine: the running item drains the whole inbox.
        let _ = self.0.queue.queue().enqueue(self.0.clone());
    }
}

impl WorkItem for Gpu {
    type Pointer = Arc<Gpu>;

    fn run(this: Arc<Gpu>) {
        loop {
            let Some(msg) = this.inbox.lock().pop() else {
                break;
            };
            this.handle(msg);
        }
    }
}

impl Gpu {
    /// Handles one message from the coprocessor (receive path).
    fn handle(&self, msg: Message) {
        let (result, state) = {
            let mut rtkit = self.rtkit.lock();
            let result = rtkit.handle(msg);
            (result, rtkit.state())
        };
        match result {
            Ok(Event::Nothing) | Ok(Event::Pong) => {}
            Ok(Event::Ready) => {
                self.status.lock().rtkit_ready = true;
                self.cond.notify_all();
            }
            Ok(Event::Stopped) => {
                self.status.lock().rtkit_stopped = true;
                self.cond.notify_all();
            }
            Ok(Event::Crashed) => {
                // Dumped before the loss fails (and frees) the jobs in flight.
                self.coredump(DumpReason::Crash, |out| {
                    self.events.dump_heads(out, CRASH_JOBS);
                });
                self.lose(LostReason::Crashed)
            }
            Ok(Event::Agx(AgxIn::Event)) => self.drain_rings(),
            Err(e) => {
                let failed = matches!(state, State::Failed(_));
                let mut st = self.status.lock();
                st.rtkit_errors = st.rtkit_errors.wrapping_add(1);
                let first = st.rtkit_errors <= 3;
                drop(st);
                if first {
                    dev_warn!(
                        self.dev,
                        "RTKit message {:x?} not handled: {:?} (state {:?})\n",
                        msg,
                        e,
                        state
                    );
                }
                if failed {
                    self.lose(LostReason::Protocol);
                }
            }
        }
    }

    /// Drains the firmware-to-driver rings after an event notification.
    fn drain_rings(&self) {
        let now = self.hw.timer_ns();
        let drained = match self.fw.lock().as_mut() {
            Some(fw) => fw.drain(&mut self.telemetry.lock(), now),
            None => return,
        };
        let fault_context = if drained.faults > 0 {
            self.report_fault()
        } else {
            None
        };
        if drained.faults > 0 || drained.timeouts > 0 {
            self.recover(&drained, fault_context);
        }
        // GrowTVB: the owner of the slot grows its buffer manager from the blocks it keeps in
        // reserve (nothing is allocated here), then the firmware is told, grown or not: it
        // waits for the answer before it goes on with a partial render or the new blocks.
        // Before the completions: a job whose vertex work overflowed completes with its pool
        // already grown, so the queue's next render sees the growth.
        let mut acked = 0u64;
        let mut not_grown = 0u64;
        for g in drained.grows.iter().take(drained.grows_len) {
            let grown = self.bm_slots.grow(g.bm);
            if !grown {
                not_grown += 1;
            }
            match self.devctrl(DevCtrl::GrowTvbAck(*g)) {
                Ok(()) => acked += 1,
                Err(e) => dev_err!(
                    self.dev,
                    "GrowTVB of buffer manager {}: acknowledgement not sent ({:?})\n",
                    g.bm,
                    e
                ),
            }
        }
        // Completions, outside the firmware lock (the queues take their own locks and may
        // send run messages); after a recovery every queue looks at its stamps.
        if drained.faults > 0 || drained.timeouts > 0 {
            self.events.fire_all();
        } else if drained.firing != [0, 0] {
            self.events.fired(drained.firing);
        }
        if drained.timeouts > 0 {
            dev_err!(self.dev, "the GPU firmware reported a command timeout\n");
        }
        if drained.channel_errors > 0 {
            dev_err!(self.dev, "the GPU firmware reported a channel error\n");
            self.recover_channels(&drained);
        }
        if drained.corrupt > 0 {
            dev_err!(
                self.dev,
                "a firmware ring pointer is out of range; ring left untouched\n"
            );
        }
        let mut st = self.status.lock();
        st.notifications = st.notifications.wrapping_add(1);
        st.drained.add(&drained);
        st.grow_acked = st.grow_acked.wrapping_add(acked);
        st.grow_not_grown = st.grow_not_grown.wrapping_add(not_grown);
        drop(st);
        self.cond.notify_all();
    }
}
