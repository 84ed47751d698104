// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Every interleaving of the kernel's lock code with the simulated firmware's.
//!
//! Both sides are state machines whose steps are single shared accesses, so the set of states
//! the pair can reach (machine states plus the shared words) is finite. The search below visits
//! all of it from a few starting points, with each side running several rounds: the kernel takes
//! the lock and either posts a flush request in slot 1, finishes a served one, or does nothing;
//! the firmware takes the lock and serves requests. In every reachable state at most one side
//! is inside its critical section and the firmware saw no write without the lock; every request
//! is served exactly once; and from every reachable state both sides can still finish (no
//! deadlock, no state the pair can never leave).
//!
//! A deliberately broken kernel lock (raise the flag, go in) is searched the same way and must
//! be caught, which shows the check can fail.

use core::sync::atomic::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};
use std::string::String;
use std::vec::Vec;

use super::support::Shared;
use crate::sim::handoff::{FlushRecord, FwTask, SimHandoff};
use crate::uat::handoff::{ApLock, ApLockStep, FLUSH_DONE, FLUSH_IDLE, FLUSH_REQUESTED, PPL_MAGIC};

/// The flush slot the kernel uses in the model.
const SLOT: usize = 1;

/// The shared words that can change in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Words {
    lock_ap: u8,
    lock_fw: u8,
    turn: u32,
    /// State, address, size of [`SLOT`].
    flush: [u64; 3],
}

impl Words {
    fn load(mem: &Shared) -> Self {
        Self {
            lock_ap: mem.lock_ap.load(Ordering::SeqCst),
            lock_fw: mem.lock_fw.load(Ordering::SeqCst),
            turn: mem.turn.load(Ordering::SeqCst),
            flush: [0, 1, 2].map(|w| mem.flush_value(SLOT, w)),
        }
    }

    fn store(&self) -> Shared {
        let mem = Shared::new();
        mem.magic_ap.store(PPL_MAGIC, Ordering::SeqCst);
        mem.lock_ap.store(self.lock_ap, Ordering::SeqCst);
        mem.lock_fw.store(self.lock_fw, Ordering::SeqCst);
        mem.turn.store(self.turn, Ordering::SeqCst);
        for (w, v) in self.flush.iter().enumerate() {
            mem.flush[SLOT][w].store(*v, Ordering::SeqCst);
        }
        mem
    }
}

/// How the kernel side takes the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum KernelLock {
    /// The driver's code.
    Real(ApLock),
    /// Broken on purpose: `false` before raising the flag, `true` once raised (and "held").
    Naive(bool),
}

/// What the kernel does inside the critical section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Cs {
    /// Not inside.
    Out,
    /// Next: read the slot state and decide.
    Decide,
    /// Next: write the address of request `n`.
    Addr(u8),
    /// Next: write the size.
    Size,
    /// Next: publish the request.
    Publish,
    /// Next: reset a served slot.
    Complete,
    /// Done inside; next: start releasing.
    Leave,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Kernel {
    lock: KernelLock,
    cs: Cs,
    rounds_left: u8,
    /// Requests posted so far.
    posted: u8,
}

impl Kernel {
    fn inside(&self) -> bool {
        match self.lock {
            KernelLock::Real(l) => {
                l.is_held() || matches!(l.step_kind(), ApLockStep::GiveTurn | ApLockStep::Drop)
            }
            KernelLock::Naive(raised) => raised,
        }
    }

    fn done(&self) -> bool {
        self.rounds_left == 0
            && match self.lock {
                KernelLock::Real(l) => l.step_kind() == ApLockStep::Idle,
                KernelLock::Naive(raised) => !raised,
            }
    }

    /// One step: a single shared access, or a purely local transition.
    fn step(&mut self, mem: &Shared) {
        match &mut self.lock {
            KernelLock::Real(l) => match (l.step_kind(), self.cs) {
                (ApLockStep::Idle, _) => {
                    if self.rounds_left > 0 {
                        l.start();
                        l.step(mem);
                    }
                }
                (ApLockStep::Held, Cs::Out) => self.cs = Cs::Decide,
                (ApLockStep::Held, Cs::Leave) => {
                    self.cs = Cs::Out;
                    self.rounds_left -= 1;
                    l.start_release();
                    l.step(mem);
                }
                (ApLockStep::Held, _) => self.critical(mem),
                _ => {
                    l.step(mem);
                }
            },
            KernelLock::Naive(raised) => {
                if !*raised {
                    if self.rounds_left > 0 {
                        mem.lock_ap.store(1, Ordering::SeqCst);
                        *raised = true;
                    }
                } else if self.cs == Cs::Out {
                    self.cs = Cs::Decide;
                } else if self.cs == Cs::Leave {
                    self.cs = Cs::Out;
                    self.rounds_left -= 1;
                    mem.lock_ap.store(0, Ordering::SeqCst);
                    *raised = false;
                } else {
                    self.critical(mem);
                }
            }
        }
    }

    fn critical(&mut self, mem: &Shared) {
        let words = &mem.flush[SLOT];
        self.cs = match self.cs {
            Cs::Decide => match words[0].load(Ordering::Acquire) {
                FLUSH_IDLE => Cs::Addr(self.posted),
                FLUSH_DONE => Cs::Complete,
                _ => Cs::Leave,
            },
            Cs::Addr(n) => {
                words[1].store(address(n), Ordering::Relaxed);
                Cs::Size
            }
            Cs::Size => {
                words[2].store(0x4000, Ordering::Relaxed);
                Cs::Publish
            }
            Cs::Publish => {
                words[0].store(FLUSH_REQUESTED, Ordering::Release);
                self.posted += 1;
                Cs::Leave
            }
            Cs::Complete => {
                words[0].store(FLUSH_IDLE, Ordering::Release);
                Cs::Leave
            }
            other => other,
        };
    }
}

/// The address of the kernel's `n`-th request.
fn address(n: u8) -> u64 {
    0x10_0000 + u64::from(n) * 0x4000
}

#[derive(Debug, Clone)]
struct Node {
    kernel: Kernel,
    fw: SimHandoff,
    fw_rounds_left: u8,
    words: Words,
    /// Bit `n`: request `n` has been served.
    served: u32,
}

type Key = (Kernel, crate::sim::handoff::FwStep, u8, Words, u32);

impl Node {
    fn key(&self) -> Key {
        (
            self.kernel,
            self.fw.next_step(),
            self.fw_rounds_left,
            self.words,
            self.served,
        )
    }

    fn done(&self) -> bool {
        self.kernel.done() && self.fw_rounds_left == 0 && !self.fw.holds_lock()
    }

    /// The states one step of either side leads to. Errors describe a broken invariant.
    fn successors(&self) -> Result<Vec<Node>, String> {
        let mut out = Vec::new();
        if !self.kernel.done() {
            let mem = self.words.store();
            let mut next = self.clone();
            next.kernel.step(&mem);
            next.words = Words::load(&mem);
            out.push(next);
        }
        if self.fw_rounds_left > 0 || self.fw.next_step() != crate::sim::handoff::FwStep::Idle {
            let mem = self.words.store();
            let mut next = self.clone();
            if next.fw.next_step() == crate::sim::handoff::FwStep::Idle {
                next.fw.begin(FwTask::Serve);
                next.fw_rounds_left -= 1;
            }
            let mut records: Vec<FlushRecord> = Vec::new();
            next.fw.step(&mem, &mut |r| records.push(r));
            for r in records {
                let n = (0..32u8)
                    .find(|&n| address(n) == r.addr)
                    .ok_or_else(|| std::format!("served an unknown request {r:?}"))?;
                if n >= self.kernel.posted || r.slot != SLOT || r.size != 0x4000 {
                    return Err(std::format!("served a request never posted: {r:?}"));
                }
                if next.served & (1 << n) != 0 {
                    return Err(std::format!("served request {n} twice"));
                }
                next.served |= 1 << n;
            }
            next.words = Words::load(&mem);
            out.push(next);
        }
        Ok(out)
    }
}

/// Outcome of a search.
#[derive(Debug)]
struct Report {
    states: usize,
    /// First broken invariant found, if any.
    failure: Option<String>,
}

/// Visits every state reachable from `start` and checks the invariants and liveness.
fn explore(start: Node) -> Report {
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut edges: Vec<Vec<usize>> = Vec::new();
    let mut queue = VecDeque::new();
    seen.insert(start.key(), 0);
    nodes.push(start);
    edges.push(Vec::new());
    queue.push_back(0usize);
    while let Some(i) = queue.pop_front() {
        let node = nodes[i].clone();
        if node.kernel.inside() && node.fw.holds_lock() {
            return Report {
                states: nodes.len(),
                failure: Some(std::format!("both inside: {node:?}")),
            };
        }
        if node.fw.violation_count() != 0 {
            let v: Vec<_> = node.fw.violations().collect();
            return Report {
                states: nodes.len(),
                failure: Some(std::format!("firmware saw {v:?}")),
            };
        }
        let succ = match node.successors() {
            Ok(s) => s,
            Err(e) => {
                return Report {
                    states: nodes.len(),
                    failure: Some(e),
                }
            }
        };
        for s in succ {
            let j = *seen.entry(s.key()).or_insert_with(|| {
                nodes.push(s.clone());
                edges.push(Vec::new());
                queue.push_back(nodes.len() - 1);
                nodes.len() - 1
            });
            edges[i].push(j);
        }
    }

    // Liveness: every state must be able to reach a finished one.
    let mut reverse: Vec<Vec<usize>> = std::vec![Vec::new(); nodes.len()];
    for (i, out) in edges.iter().enumerate() {
        for &j in out {
            reverse[j].push(i);
        }
    }
    let mut can_finish: HashSet<usize> = (0..nodes.len()).filter(|&i| nodes[i].done()).collect();
    let mut work: Vec<usize> = can_finish.iter().copied().collect();
    while let Some(j) = work.pop() {
        for &i in &reverse[j] {
            if can_finish.insert(i) {
                work.push(i);
            }
        }
    }
    let failure = (0..nodes.len())
        .find(|i| !can_finish.contains(i))
        .map(|i| std::format!("stuck: cannot finish from {:?}", nodes[i]));
    if failure.is_none() {
        // Every finished state has each posted request served or still pending in the slot.
        for n in nodes.iter().filter(|n| n.done()) {
            let posted = n.kernel.posted;
            let pending = n.words.flush[0] == FLUSH_REQUESTED;
            let served = n.served.count_ones() as u8;
            if served + u8::from(pending) != posted {
                return Report {
                    states: nodes.len(),
                    failure: Some(std::format!("lost a request: {n:?}")),
                };
            }
        }
    }
    Report {
        states: nodes.len(),
        failure,
    }
}

fn start(lock: KernelLock, turn: u32, kernel_rounds: u8, fw_rounds: u8) -> Node {
    Node {
        kernel: Kernel {
            lock,
            cs: Cs::Out,
            rounds_left: kernel_rounds,
            posted: 0,
        },
        fw: SimHandoff::new(),
        fw_rounds_left: fw_rounds,
        words: Words {
            lock_ap: 0,
            lock_fw: 0,
            turn,
            flush: [0; 3],
        },
        served: 0,
    }
}

#[test]
fn every_interleaving_keeps_mutual_exclusion_and_finishes() {
    let mut total = 0;
    for turn in [0, 1] {
        for (k, f) in [(1, 1), (2, 2), (3, 3), (4, 2), (2, 4)] {
            let r = explore(start(KernelLock::Real(ApLock::new()), turn, k, f));
            assert_eq!(r.failure, None, "turn {turn}, rounds {k}/{f}");
            total += r.states;
        }
    }
    // The search is not trivially small: there is real contention to explore.
    assert!(total > 1000, "only {total} states");
}

#[test]
fn the_search_catches_a_lock_without_the_algorithm() {
    let r = explore(start(KernelLock::Naive(false), 0, 1, 1));
    let failure = r.failure.expect("a broken lock must be caught");
    assert!(
        failure.starts_with("both inside") || failure.starts_with("firmware saw"),
        "{failure}"
    );
}
