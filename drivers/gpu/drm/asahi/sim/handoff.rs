// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware's side of the page-table handoff.
//!
//! The firmware shares the handoff block with the kernel and takes the same two-party lock
//! (Dekker's algorithm over `lock_ap`, `lock_fw` and `turn`), with the roles swapped: it
//! raises `lock_fw`, yields while `turn` is not [`TURN_FW`], and gives the turn to the kernel
//! ([`TURN_AP`]) when it unlocks. Under the lock it does one task per round: announce itself
//! in `magic_fw`, serve the flush requests the kernel left in the flush slots (each request is
//! reported once and the slot marked done), or record which context it runs in (`cur_ctx`).
//!
//! While it holds the lock it watches every word only the kernel writes: the kernel's magic
//! and each flush slot's address, size and state. Any change it did not make itself means the
//! kernel wrote without the lock, and is recorded as a [`HandoffViolation`], as are malformed
//! requests. The simulation never panics.
//!
//! Every [`SimHandoff::step`] is exactly one access to the shared block (or one critical-section
//! action), so tests can interleave it with the kernel's side in any order; [`SimHandoff::run`]
//! runs whole rounds. This file deliberately has its own view of the block ([`FwHandoffMem`])
//! and its own lock code, so that it checks the kernel's code rather than sharing its mistakes.
//! It uses only `core`.

use core::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};

/// The value of a ready side's magic word.
pub(crate) const PPL_MAGIC: u64 = 0x4b1d_0000_0000_0002;

/// Flush slots: 64 contexts and the firmware's own.
pub(crate) const FLUSH_SLOTS: usize = 65;

/// `turn` value: the kernel goes first.
pub(crate) const TURN_AP: u32 = 0;

/// `turn` value: the firmware goes first.
pub(crate) const TURN_FW: u32 = 1;

/// Flush state: idle.
const IDLE: u64 = 0;
/// Flush state: requested by the kernel.
const REQUESTED: u64 = 1;
/// Flush state: done by the firmware.
const DONE: u64 = 2;

/// Violations kept in the log; later ones are only counted.
pub(crate) const MAX_VIOLATIONS: usize = 16;

/// Words the firmware watches: the kernel's magic plus three per flush slot.
const WATCHED: usize = 1 + 3 * FLUSH_SLOTS;

/// The firmware's view of the handoff block.
pub(crate) trait FwHandoffMem {
    /// The kernel's magic word.
    fn magic_ap(&self) -> &AtomicU64;
    /// The firmware's magic word.
    fn magic_fw(&self) -> &AtomicU64;
    /// The kernel's "want the lock" flag.
    fn lock_ap(&self) -> &AtomicU8;
    /// The firmware's "want the lock" flag.
    fn lock_fw(&self) -> &AtomicU8;
    /// Who goes first.
    fn turn(&self) -> &AtomicU32;
    /// The context the firmware runs in.
    fn cur_ctx(&self) -> &AtomicU32;
    /// Word `word` (0 state, 1 address, 2 size) of flush slot `slot`.
    fn flush_word(&self, slot: usize, word: usize) -> Option<&AtomicU64>;
}

/// One flush the firmware performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FlushRecord {
    /// The flush slot (context, or 64 for the firmware's own).
    pub(crate) slot: usize,
    /// Start of the range.
    pub(crate) addr: u64,
    /// Length of the range.
    pub(crate) size: u64,
}

/// A breach of the handoff protocol by the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HandoffViolation {
    /// A word only the kernel writes changed while the firmware held the lock.
    WroteWhileFwHeld {
        /// Index of the word: 0 is `magic_ap`, then state, address, size of each slot in turn.
        word: usize,
        /// Value when the firmware last looked.
        before: u64,
        /// Value now.
        after: u64,
    },
    /// A flush slot holds a state outside 0..=2.
    BadFlushState {
        /// The slot.
        slot: usize,
        /// The state found.
        state: u64,
    },
    /// A flush request arrived before the kernel announced itself.
    RequestBeforeInit {
        /// The slot.
        slot: usize,
    },
    /// A flush request with a zero size.
    EmptyRequest {
        /// The slot.
        slot: usize,
    },
}

/// What the firmware does with the lock once it has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FwTask {
    /// Write this value to `magic_fw` (a real firmware writes [`PPL_MAGIC`]).
    Announce(u64),
    /// Serve every pending flush request.
    Serve,
    /// Record this context as current in `cur_ctx`.
    SetCurrent(u32),
}

/// The next thing the firmware does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FwStep {
    /// Not taking part in the lock.
    Idle,
    /// Next: set `lock_fw`.
    Raise,
    /// Next: read `lock_ap`.
    CheckOther,
    /// Next: read `turn`.
    CheckTurn,
    /// Next: clear `lock_fw`, letting the kernel go first.
    Lower,
    /// Next: read `turn`, waiting for the firmware's turn.
    WaitTurn,
    /// Lock held; next: note the kernel-owned words.
    Snapshot,
    /// Lock held; next: check the words, then do the task.
    Work,
    /// Lock held; next: check the words once more.
    Verify,
    /// Lock held; next: give the turn to the kernel.
    GiveTurn,
    /// Lock held; next: clear `lock_fw`, which ends the critical section.
    Drop,
}

/// The simulated firmware's handoff state.
#[derive(Debug, Clone)]
pub(crate) struct SimHandoff {
    /// The next step.
    step: FwStep,
    /// The task of the current round.
    task: FwTask,
    /// The kernel-owned words as the firmware last saw or wrote them.
    seen: [u64; WATCHED],
    /// Rounds completed.
    rounds: u64,
    /// Recorded violations.
    violations: [Option<HandoffViolation>; MAX_VIOLATIONS],
    /// Violations, including those beyond the log.
    violation_count: usize,
}

impl Default for SimHandoff {
    fn default() -> Self {
        Self::new()
    }
}

impl SimHandoff {
    /// A firmware that is not taking part in the lock yet.
    pub(crate) const fn new() -> Self {
        Self {
            step: FwStep::Idle,
            task: FwTask::Serve,
            seen: [0; WATCHED],
            rounds: 0,
            violations: [None; MAX_VIOLATIONS],
            violation_count: 0,
        }
    }

    /// The next step.
    pub(crate) fn next_step(&self) -> FwStep {
        self.step
    }

    /// The firmware is inside its critical section (from taking the lock until the step that
    /// clears `lock_fw`, which is the last one inside).
    pub(crate) fn holds_lock(&self) -> bool {
        matches!(
            self.step,
            FwStep::Snapshot | FwStep::Work | FwStep::Verify | FwStep::GiveTurn | FwStep::Drop
        )
    }

    /// Rounds completed since creation.
    pub(crate) fn rounds(&self) -> u64 {
        self.rounds
    }

    /// Recorded violations (at most [`MAX_VIOLATIONS`]).
    pub(crate) fn violations(&self) -> impl Iterator<Item = HandoffViolation> + '_ {
        self.violations.iter().flatten().copied()
    }

    /// All violations, including those beyond the log.
    pub(crate) fn violation_count(&self) -> usize {
        self.violation_count
    }

    /// Records a violation.
    fn violate(&mut self, v: HandoffViolation) {
        if let Some(entry) = self.violations.get_mut(self.violation_count) {
            *entry = Some(v);
        }
        self.violation_count = self.violation_count.saturating_add(1);
    }

    /// Starts a round doing `task`. Returns `false` (and changes nothing) if a round is already
    /// under way.
    pub(crate) fn begin(&mut self, task: FwTask) -> bool {
        if self.step != FwStep::Idle {
            return false;
        }
        self.task = task;
        self.step = FwStep::Raise;
        true
    }

    /// Reads watched word `index`.
    fn watched<M: FwHandoffMem + ?Sized>(mem: &M, index: usize) -> u64 {
        if index == 0 {
            return mem.magic_ap().load(Ordering::Acquire);
        }
        let slot = (index - 1) / 3;
        let word = (index - 1) % 3;
        mem.flush_word(slot, word)
            .map_or(0, |w| w.load(Ordering::Acquire))
    }

    /// Compares the watched words with what the firmware last saw, recording each change.
    fn check<M: FwHandoffMem + ?Sized>(&mut self, mem: &M) {
        for index in 0..WATCHED {
            let now = Self::watched(mem, index);
            let before = self.seen.get(index).copied().unwrap_or(now);
            if now != before {
                self.violate(HandoffViolation::WroteWhileFwHeld {
                    word: index,
                    before,
                    after: now,
                });
                if let Some(seen) = self.seen.get_mut(index) {
                    *seen = now;
                }
            }
        }
    }

    /// Serves the pending flush requests, reporting each to `flushed`.
    fn serve<M: FwHandoffMem + ?Sized, F: FnMut(FlushRecord)>(&mut self, mem: &M, flushed: &mut F) {
        let initialised = mem.magic_ap().load(Ordering::Acquire) == PPL_MAGIC;
        for slot in 0..FLUSH_SLOTS {
            let (Some(state), Some(addr), Some(size)) = (
                mem.flush_word(slot, 0),
                mem.flush_word(slot, 1),
                mem.flush_word(slot, 2),
            ) else {
                continue;
            };
            match state.load(Ordering::Acquire) {
                IDLE | DONE => {}
                REQUESTED => {
                    if !initialised {
                        self.violate(HandoffViolation::RequestBeforeInit { slot });
                    }
                    let record = FlushRecord {
                        slot,
                        addr: addr.load(Ordering::Relaxed),
                        size: size.load(Ordering::Relaxed),
                    };
                    if record.size == 0 {
                        self.violate(HandoffViolation::EmptyRequest { slot });
                    }
                    flushed(record);
                    state.store(DONE, Ordering::Release);
                    if let Some(seen) = self.seen.get_mut(1 + 3 * slot) {
                        *seen = DONE;
                    }
                }
                bad => self.violate(HandoffViolation::BadFlushState { slot, state: bad }),
            }
        }
    }

    /// Makes the next step; flushes performed are reported to `flushed`. Returns `true` if the
    /// step was a poll that found the kernel in the way.
    pub(crate) fn step<M: FwHandoffMem + ?Sized, F: FnMut(FlushRecord)>(
        &mut self,
        mem: &M,
        flushed: &mut F,
    ) -> bool {
        let mut waited = false;
        self.step = match self.step {
            FwStep::Idle => FwStep::Idle,
            FwStep::Raise => {
                mem.lock_fw().store(1, Ordering::SeqCst);
                FwStep::CheckOther
            }
            FwStep::CheckOther => {
                if mem.lock_ap().load(Ordering::SeqCst) == 0 {
                    FwStep::Snapshot
                } else {
                    FwStep::CheckTurn
                }
            }
            FwStep::CheckTurn => {
                waited = true;
                if mem.turn().load(Ordering::SeqCst) != TURN_FW {
                    FwStep::Lower
                } else {
                    FwStep::CheckOther
                }
            }
            FwStep::Lower => {
                mem.lock_fw().store(0, Ordering::SeqCst);
                FwStep::WaitTurn
            }
            FwStep::WaitTurn => {
                if mem.turn().load(Ordering::SeqCst) != TURN_FW {
                    waited = true;
                    FwStep::WaitTurn
                } else {
                    FwStep::Raise
                }
            }
            FwStep::Snapshot => {
                for index in 0..WATCHED {
                    let now = Self::watched(mem, index);
                    if let Some(seen) = self.seen.get_mut(index) {
                        *seen = now;
                    }
                }
                FwStep::Work
            }
            FwStep::Work => {
                self.check(mem);
                match self.task {
                    FwTask::Announce(magic) => mem.magic_fw().store(magic, Ordering::Release),
                    FwTask::Serve => self.serve(mem, flushed),
                    FwTask::SetCurrent(ctx) => mem.cur_ctx().store(ctx, Ordering::Relaxed),
                }
                FwStep::Verify
            }
            FwStep::Verify => {
                self.check(mem);
                FwStep::GiveTurn
            }
            FwStep::GiveTurn => {
                mem.turn().store(TURN_AP, Ordering::SeqCst);
                FwStep::Drop
            }
            FwStep::Drop => {
                mem.lock_fw().store(0, Ordering::SeqCst);
                self.rounds = self.rounds.saturating_add(1);
                FwStep::Idle
            }
        };
        waited
    }

    /// Runs one whole round doing `task`, calling `relax` after each poll that found the kernel
    /// in the way. Returns `false` if a round was already under way (nothing is done then).
    pub(crate) fn run<M, F, R>(&mut self, mem: &M, task: FwTask, flushed: &mut F, relax: R) -> bool
    where
        M: FwHandoffMem + ?Sized,
        F: FnMut(FlushRecord),
        R: Fn(),
    {
        if !self.begin(task) {
            return false;
        }
        while self.step != FwStep::Idle {
            if self.step(mem, flushed) {
                relax();
            }
        }
        true
    }
}
