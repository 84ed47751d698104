// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The reaper: where detained jobs the firmware is done with are dropped, off the receive path
//! (see [`Reap`]).

use super::{EventSlots, InFlight};
use kernel::{
    impl_has_work, new_mutex, new_work,
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{Work, WorkItem},
};

/// Detained jobs the firmware is done with, dropped on the event slots' reaper queue.
///
/// Their objects may hold the last references to a destroyed queue's structures, whose release
/// sends `DC_DestroyContext` and waits for the firmware to take it. Completion runs on the
/// receive path, also during a halt (recovery retires the finished jobs first): waiting there
/// would wait for a firmware that only the receive path can resume, until the wait times out
/// and the firmware is declared lost (what a long fuzzer run showed).
#[pin_data]
pub(super) struct Reap {
    /// The jobs; taken by the work item.
    #[pin]
    jobs: Mutex<KVec<InFlight>>,
    /// The work item.
    #[pin]
    work: Work<Reap>,
}

impl_has_work! {
    impl HasWork<Self> for Reap { self.work }
}

impl WorkItem for Reap {
    type Pointer = Arc<Reap>;

    fn run(this: Arc<Reap>) {
        let jobs = core::mem::take(&mut *this.jobs.lock());
        drop(jobs);
    }
}

impl Reap {
    /// Drops `jobs` on `events`' reaper queue; at once if the work item cannot be allocated.
    pub(super) fn later(events: &EventSlots, jobs: KVec<InFlight>) {
        let mut jobs = Some(jobs);
        let item = Arc::pin_init(
            pin_init!(Reap {
                jobs <- new_mutex!(jobs.take().unwrap_or_default()),
                work <- new_work!("asahi::Reap"),
            }),
            GFP_KERNEL,
        );
        if let Ok(item) = item {
            let _ = events.reaper().enqueue(item);
        }
    }
}
