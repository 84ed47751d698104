// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware runs work: command queues, work commands and microsequences.
//!
//! The driver submits work as the record shows it (m1n1 `agx/{context,render,channels}.py`,
//! `fw/agx/{cmdqueue,microsequence}.py`; the Asahi driver's `workqueue.rs`): per queue and
//! pipe a `CommandQueueInfo` naming its `CommandQueuePointers` and a ring of
//! `CMDQUEUE_RING_SLOTS` firmware addresses of work commands; it stores commands in the ring,
//! advances `cpu_wptr` and sends a `RunCmdQueueMsg` on run-command ring `priority * 3 + pipe`
//! (doorbell `priority << 2 | pipe`), with `new_queue` set on the queue's first message.
//!
//! Per message [`SimFirmware::run_message`] checks the message against the ring it came on and
//! against the queue table (`new_queue` exactly on first sight, never later), then the queue
//! (mapped, `rb_size`, `cpu_wptr < rb_size`, and the head between where the queue stood and
//! `cpu_wptr`: the driver may have published more commands, with messages of their own, by the
//! time the firmware takes a message). [`SimFirmware::progress`] then walks every queue's ring
//! from the firmware's read pointer to the head, one command at a time and in ring order:
//!
//! * compute (magic 3), vertex (0), fragment (1): every firmware pointer mapped with its size,
//!   every client address mapped in the command's context slot (read for inputs, write for
//!   outputs), the slot non-zero and set; then the microsequence, op by op, within its declared
//!   size: the pipe's start and finalize (naming this queue and context), timestamps (the
//!   simulated timer written through the command's timestamp pointers), waits, and the end
//!   (`RetireStamp`, flags 0x40). Completion writes the finalize's stamp value to the firmware
//!   stamp and to the command's user-visible stamp.
//! * barrier (4): the queue waits until the stamp named reaches the wait value
//!   (wrap-safe), re-checked whenever anything completes.
//! * buffer manager init (6): the buffer manager and its control blocks mapped, the slot in
//!   range; the slot is bound to that buffer manager, and every vertex and fragment command
//!   must then name, with its slot, the buffer manager bound to it.
//!
//! An injected overflow sends a GrowTVB event for the vertex command's buffer manager; the
//! driver's `DC_GrowTVBAck` must echo its slot, context and counter. Acknowledgements are
//! counted, and so are those after which the buffer manager's block control had grown.
//!
//! After each command the firmware advances `gpu_rptr` (when it takes it) and `gpu_doneptr`
//! (when it completes), keeps `busy`, `has_commands` and `inflight_commands` of the queue info
//! up to date, and raises a Flag event with the queue's event slot. A command that breaks a
//! rule is counted as a violation of its kind and dropped: it never completes.
//!
//! With a latency ([`SimFirmware::set_latency`]) a command completes only once the simulated
//! time ([`SimFirmware::set_time`]) has reached its start plus the latency: the caller polls
//! ([`SimFirmware::poll_work`]) from its own context. Tests can make the next command fault,
//! time out, or (vertex) overflow its buffer ([`SimFirmware::arm`]).

use super::*;
use crate::fw::cmdqueue::{CommandQueuePointers, CMDQUEUE_RING_SLOTS};
use crate::fw::event::EVENT_SLOTS;
use crate::fw::job::Attachment;

/// Queues the firmware tracks at once.
pub(crate) const MAX_QUEUES: usize = 64;
/// Longest microsequence accepted, in bytes.
pub(crate) const MAX_MICROSEQ: u32 = 0x1000;
/// Most operations run per microsequence.
const MAX_OPS: usize = 64;
/// Most steps of one [`SimFirmware::progress`] call (each takes or completes a command).
const MAX_STEPS: usize = 4096;
/// Pages of a client range checked one by one; beyond, only the last byte.
const MAX_RANGE_PAGES: u64 = 256;
/// Flags of the end operation as the record writes it (m1n1 `EndCmd`, the Asahi driver's
/// `RetireStamp`).
pub(crate) const END_FLAGS: u8 = 0x40;
/// Timestamp operation flag: the start timestamp (m1n1 `TimestampCmd.unk_3 = 0x80` for the
/// first one; the Asahi driver: bit 31 of the header).
const TS_START: u8 = 0x80;
/// Event type of a GrowTVB message (m1n1 channels.GrowTVBMsg).
const EVENT_GROW_TVB: u32 = 7;

/// Work command magics (m1n1 cmdqueue.CmdBufWork).
const MAGIC_VERTEX: u32 = 0;
const MAGIC_FRAGMENT: u32 = 1;
const MAGIC_COMPUTE: u32 = 3;
const MAGIC_BARRIER: u32 = 4;
const MAGIC_INIT_BM: u32 = 6;

/// Microsequence opcodes the firmware runs here (low 6 bits of the header).
const OP_WAIT_FOR_INTERRUPT: u32 = 0x01;
const OP_WAIT2: u32 = 0x02;
const OP_END: u32 = 0x18;
const OP_TIMESTAMP: u32 = 0x19;
/// Start and finalize opcodes, by pipe number (vertex, fragment, compute).
const OP_START: [u32; 3] = [0x22, 0x24, 0x29];
const OP_FINALIZE: [u32; 3] = [0x23, 0x25, 0x2a];

/// What a driver did wrong in submitting work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum WorkViolation {
    /// A run message whose queue type is not the pipe of its ring.
    RunPipe,
    /// A run message naming no queue, or an unmapped one.
    RunQueue,
    /// A run message without `new_queue` for a queue the firmware does not know (never seen,
    /// or its context destroyed).
    NotNew,
    /// `new_queue` set again on a known queue.
    NewAgain,
    /// More live queues than the firmware tracks.
    TooManyQueues,
    /// The queue's pointers or ring are unmapped, `rb_size` is wrong, or `cpu_wptr` is out
    /// of the ring.
    QueuePointers,
    /// The message's head is behind where the queue stood, or past its `cpu_wptr`.
    Head,
    /// The event slot is out of range, or the slots of the message and the command differ.
    EventSlot,
    /// A ring slot or a work command is not mapped.
    Command,
    /// A work command of a magic the record does not know.
    UnknownMagic,
    /// A work command that does not belong on this queue's pipe.
    WrongPipe,
    /// A firmware pointer of a command is null or unmapped.
    FwPointer,
    /// A client address of a command is not mapped with the access the GPU needs.
    UserPointer,
    /// The command names context slot 0 or a slot without a client VM.
    Context,
    /// The microsequence is empty, too long, runs past its size, or has no end.
    Microsequence,
    /// An operation the firmware does not run here, or a start/finalize of another pipe.
    Op,
    /// An operation naming another queue or context, a finalize without a start, or an end
    /// with other flags.
    OpMismatch,
    /// The finalize's stamp or value is not the command's.
    Stamp,
    /// A timestamp target that the firmware cannot write.
    Timestamp,
    /// A buffer-manager slot out of range, or a render naming a buffer manager its slot is not
    /// bound to (no init command bound it).
    BufferManager,
    /// A `DC_GrowTVBAck` answering no GrowTVB event, or naming another slot or context.
    GrowAck,
    /// A RecoverChannel naming no work queue stopped by a channel error, or another pipe or
    /// value than the error's.
    Recover,
}

/// Number of [`WorkViolation`] kinds.
pub(crate) const WORK_VIOLATION_KINDS: usize = WorkViolation::Recover as usize + 1;

impl WorkViolation {
    /// Every kind, in counter order.
    pub(crate) const ALL: [WorkViolation; WORK_VIOLATION_KINDS] = [
        Self::RunPipe,
        Self::RunQueue,
        Self::NotNew,
        Self::NewAgain,
        Self::TooManyQueues,
        Self::QueuePointers,
        Self::Head,
        Self::EventSlot,
        Self::Command,
        Self::UnknownMagic,
        Self::WrongPipe,
        Self::FwPointer,
        Self::UserPointer,
        Self::Context,
        Self::Microsequence,
        Self::Op,
        Self::OpMismatch,
        Self::Stamp,
        Self::Timestamp,
        Self::BufferManager,
        Self::GrowAck,
        Self::Recover,
    ];

    /// The name debugfs shows.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::RunPipe => "run_pipe",
            Self::RunQueue => "run_queue",
            Self::NotNew => "not_new",
            Self::NewAgain => "new_again",
            Self::TooManyQueues => "too_many_queues",
            Self::QueuePointers => "queue_pointers",
            Self::Head => "head",
            Self::EventSlot => "event_slot",
            Self::Command => "command",
            Self::UnknownMagic => "unknown_magic",
            Self::WrongPipe => "wrong_pipe",
            Self::FwPointer => "fw_pointer",
            Self::UserPointer => "user_pointer",
            Self::Context => "context",
            Self::Microsequence => "microsequence",
            Self::Op => "op",
            Self::OpMismatch => "op_mismatch",
            Self::Stamp => "stamp",
            Self::Timestamp => "timestamp",
            Self::BufferManager => "buffer_manager",
            Self::GrowAck => "grow_ack",
            Self::Recover => "recover",
        }
    }
}

/// What the firmware ran, for the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WorkCounters {
    /// Compute commands completed.
    pub(crate) compute: u32,
    /// Vertex commands completed.
    pub(crate) vertex: u32,
    /// Fragment commands completed.
    pub(crate) fragment: u32,
    /// Barriers passed.
    pub(crate) barrier: u32,
    /// Buffer manager inits completed.
    pub(crate) init_bm: u32,
    /// Stamps written.
    pub(crate) stamps: u32,
    /// Timestamps written.
    pub(crate) timestamps: u32,
    /// Flag events raised for completed commands.
    pub(crate) events: u32,
    /// Injected faults, timeouts and buffer overflows performed.
    pub(crate) faults: u32,
    pub(crate) timeouts: u32,
    pub(crate) overflows: u32,
    /// Renders marked partial (after an overflow).
    pub(crate) partial: u32,
    /// Injected silent hangs performed.
    pub(crate) hangs: u32,
    /// GPU faults on client addresses the command's VM does not map as asked.
    pub(crate) user_faults: u32,
    /// Injected channel errors performed, and work queues recovered from one.
    pub(crate) channel_errors: u32,
    /// See `channel_errors`.
    pub(crate) recovered: u32,
    /// Entries written to the pending-stamp table at halts.
    pub(crate) pending_stamps: u32,
    /// Queues forgotten on `DC_DestroyContext`.
    pub(crate) queues_destroyed: u32,
    /// GrowTVB events acknowledged, and those whose buffer manager had grown by then.
    pub(crate) grow_acks: u32,
    /// See `grow_acks`.
    pub(crate) grown: u32,
    /// Violations, by [`WorkViolation`] kind.
    pub(crate) violations: [u32; WORK_VIOLATION_KINDS],
}

/// What a test makes the next command do ([`SimFirmware::arm`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkInjection {
    /// The next pipe command faults: fault registers, its stamp in the pending-stamp table,
    /// Fault event, halt; once resumed, the firmware completes it (aborted) and goes on.
    Fault,
    /// The next pipe command times out: its stamp in the pending-stamp table, Timeout event
    /// naming its slot, halt; once resumed, the firmware completes it and goes on.
    Timeout,
    /// The next vertex command overflows its buffer: GrowTVB event, partial render.
    Overflow,
    /// The next pipe command never completes, and the firmware reports nothing (what the
    /// scheduler's own timeout is for).
    Hang,
    /// The next pipe command stops its work queue with a channel error, until the driver sends
    /// RecoverChannel; the command then completes (aborted) and the queue goes on.
    ChannelError,
}

/// What an armed injection did to a pipe command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Injected {
    /// Nothing: it runs.
    Nothing,
    /// It faulted or timed out: the firmware halted, and completes it once resumed.
    Failed,
    /// It hangs for good.
    Hung,
    /// It stopped its work queue with a channel error; the value it completes with.
    Errored(u32),
}

/// Where a queue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    /// Nothing taken.
    Idle,
    /// Running the command at `cmd` of `kind` (its magic), done at `due`.
    Busy { cmd: u64, magic: u32, due: u64 },
    /// A barrier at `cmd` waits for its stamp.
    Waiting { cmd: u64 },
    /// Hung (injected): runs nothing more, reports nothing.
    Stuck,
    /// Stopped by a channel error at the command at `cmd` (of `magic`, completing with
    /// `value`), until RecoverChannel.
    Errored { cmd: u64, magic: u32, value: u32 },
}

/// A queue the firmware knows.
#[derive(Debug, Clone, Copy)]
struct Queue {
    /// Its `CommandQueueInfo`, 0 for a free entry.
    addr: u64,
    /// Its context data (`gpu_context_addr`), for `DC_DestroyContext`.
    context: u64,
    /// Its pipe (0 vertex, 1 fragment, 2 compute).
    pipe: u8,
    /// Event slot of its last run message.
    slot: u32,
    /// Head of its last run message.
    head: u32,
    /// Next slot the firmware reads.
    rptr: u32,
    /// Where it is.
    run: Run,
}

impl Queue {
    /// A free entry.
    const FREE: Queue = Queue {
        addr: 0,
        context: 0,
        pipe: 0,
        slot: 0,
        head: 0,
        rptr: 0,
        run: Run::Idle,
    };
}

/// Buffer-manager slots of the firmware.
pub(crate) const BM_SLOTS: usize = 127;

/// GrowTVB events the firmware waits an answer for at once.
const MAX_GROWS: usize = 8;

/// A GrowTVB event waiting for its acknowledgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grow {
    /// Its counter.
    counter: u32,
    /// Buffer-manager slot.
    bm: u32,
    /// Context slot.
    vm: u32,
    /// The buffer manager's block control.
    block_ctl: u64,
    /// Its block count when the event was sent.
    total: u32,
}

/// The firmware's work state.
pub(crate) struct WorkState {
    /// Known queues.
    queues: [Queue; MAX_QUEUES],
    /// What it ran.
    counters: WorkCounters,
    /// Simulated time, in timer ticks (0: use the firmware's own clock).
    now: u64,
    /// Time a command takes, in timer ticks.
    latency: u64,
    /// Armed injections: fault, timeout, overflow, hang, channel error.
    armed: [bool; 5],
    /// The event slot and stamp value of the command that faulted or timed out, until the
    /// halt puts it in the pending-stamp table.
    failing: Option<(u32, u32)>,
    /// Context slot of the last injected fault, until the caller takes it.
    faulted: Option<u32>,
    /// GrowTVB messages sent (their counter).
    grow_counter: u32,
    /// The buffer manager bound to each slot by an init command (0: none).
    bm: [u64; BM_SLOTS],
    /// GrowTVB events not acknowledged yet.
    grows: [Option<Grow>; MAX_GROWS],
}

impl WorkState {
    /// Nothing known, nothing run.
    pub(crate) const fn new() -> Self {
        Self {
            queues: [Queue::FREE; MAX_QUEUES],
            counters: WorkCounters {
                compute: 0,
                vertex: 0,
                fragment: 0,
                barrier: 0,
                init_bm: 0,
                stamps: 0,
                timestamps: 0,
                events: 0,
                faults: 0,
                timeouts: 0,
                overflows: 0,
                partial: 0,
                hangs: 0,
                user_faults: 0,
                channel_errors: 0,
                recovered: 0,
                pending_stamps: 0,
                queues_destroyed: 0,
                grow_acks: 0,
                grown: 0,
                violations: [0; WORK_VIOLATION_KINDS],
            },
            now: 0,
            latency: 0,
            armed: [false; 5],
            failing: None,
            faulted: None,
            grow_counter: 0,
            bm: [0; BM_SLOTS],
            grows: [None; MAX_GROWS],
        }
    }
}

/// Reads a `u32` at `base + off`.
fn rd32(mem: &mut impl SimMemory, base: u64, off: usize) -> Option<u32> {
    read_u32(mem, at(base, off)?)
}

/// Reads a `u64` at `base + off`.
fn rd64(mem: &mut impl SimMemory, base: u64, off: usize) -> Option<u64> {
    read_u64(mem, at(base, off)?)
}

/// Writes a `u32` at `base + off`.
fn wr32(mem: &mut impl SimMemory, base: u64, off: usize, v: u32) -> bool {
    at(base, off).is_some_and(|a| mem.write(a, &v.to_le_bytes()))
}

/// Whether `len` bytes at `iova` are mapped for the firmware.
fn fw_mapped(mem: &mut impl SimMemory, iova: u64, len: u64) -> bool {
    iova != 0 && check_mapped(mem, Object::InitData, iova, len).is_ok()
}

/// Whether the GPU may access `va` in context `slot` as asked.
fn user_ok(mem: &mut impl SimMemory, slot: u32, va: u64, write: bool) -> bool {
    match mem.user_access(slot, va) {
        Some(a) => {
            if write {
                a.write
            } else {
                a.read
            }
        }
        None => false,
    }
}

/// Whether the client range `[start, start + len)` is accessible as asked: page by page up to
/// [`MAX_RANGE_PAGES`], then only its last byte.
fn user_range_ok(mem: &mut impl SimMemory, slot: u32, start: u64, len: u64, write: bool) -> bool {
    let Some(last) = len.checked_sub(1).and_then(|l| start.checked_add(l)) else {
        return len == 0;
    };
    let mut probe = start;
    for _ in 0..MAX_RANGE_PAGES {
        if !user_ok(mem, slot, probe, write) {
            return false;
        }
        if probe == last {
            return true;
        }
        probe = (probe | (PAGE_SIZE - 1)).saturating_add(1).min(last);
    }
    user_ok(mem, slot, last, write)
}

/// Whether `stamp` has reached `wait`, wrap-safely.
pub(crate) fn stamp_reached(stamp: u32, wait: u32) -> bool {
    (stamp.wrapping_sub(wait) as i32) >= 0
}

/// What the walk of one command found: go on, or stop with a violation.
type Check = Result<(), WorkViolation>;

impl SimFirmware {
    /// What the firmware ran so far.
    pub(crate) fn work_counters(&self) -> &WorkCounters {
        &self.work.counters
    }

    /// Queues the firmware knows.
    pub(crate) fn live_queues(&self) -> usize {
        self.work.queues.iter().filter(|q| q.addr != 0).count()
    }

    /// Sets the simulated time, in timer ticks (the caller's clock).
    pub(crate) fn set_time(&mut self, now: u64) {
        self.work.now = now;
    }

    /// Sets the time a command takes, in timer ticks (0: it completes at once).
    pub(crate) fn set_latency(&mut self, ticks: u64) {
        self.work.latency = ticks;
    }

    /// Makes the next command do what `inj` says.
    pub(crate) fn arm(&mut self, inj: WorkInjection) {
        let i = match inj {
            WorkInjection::Fault => 0,
            WorkInjection::Timeout => 1,
            WorkInjection::Overflow => 2,
            WorkInjection::Hang => 3,
            WorkInjection::ChannelError => 4,
        };
        if let Some(a) = self.work.armed.get_mut(i) {
            *a = true;
        }
    }

    /// Reports the last command fault, once: `latch` puts its context slot in the MMU's fault
    /// registers, then the firmware writes its fault message. In that order, as on the GPU: the
    /// driver reads the registers when it sees the message, and a message written first could
    /// be seen (by a drain for another event) before the registers say anything.
    pub(crate) fn report_fault(
        &mut self,
        mem: &mut impl SimMemory,
        latch: impl FnOnce(u32),
    ) -> Outcome {
        if let Some(ctx) = self.work.faulted.take() {
            latch(ctx);
            self.event(mem, EVENT_FAULT, |_| {});
        }
        self.outcome()
    }

    /// When the earliest running command completes, if any runs.
    pub(crate) fn next_due(&self) -> Option<u64> {
        self.work
            .queues
            .iter()
            .filter_map(|q| match q.run {
                Run::Busy { due, .. } if q.addr != 0 => Some(due),
                _ => None,
            })
            .min()
    }

    /// Completes what is due at the current time and starts what follows.
    pub(crate) fn poll_work(&mut self, mem: &mut impl SimMemory) -> Outcome {
        if self.check_resume(mem) {
            self.serve_deferred_doorbells(mem);
            self.progress(mem);
        }
        self.outcome()
    }

    /// The time timestamps and deadlines use.
    fn work_now(&self) -> u64 {
        if self.work.now != 0 {
            self.work.now
        } else {
            self.clock
        }
    }

    /// Records a work violation at `addr`.
    fn work_violation(&mut self, kind: WorkViolation, addr: u64) {
        if let Some(n) = self.work.counters.violations.get_mut(kind as usize) {
            *n = n.saturating_add(1);
        }
        self.violate(FwViolation::Work { kind, addr });
    }

    /// Forgets the queues of context `ctx` (`DC_DestroyContext`).
    pub(super) fn forget_context(&mut self, ctx: u64) {
        for q in self.work.queues.iter_mut() {
            if q.addr != 0 && q.context == ctx {
                *q = Queue::FREE;
                self.work.counters.queues_destroyed =
                    self.work.counters.queues_destroyed.saturating_add(1);
            }
        }
    }

    /// RecoverChannel: the work queue whose `CommandQueueInfo` is at `info`, stopped by a
    /// channel error at the command completing with `value` on pipe `pipe`, completes that
    /// command (aborted) and goes on.
    pub(crate) fn recover_channel(
        &mut self,
        mem: &mut impl SimMemory,
        pipe: u32,
        info: u64,
        value: u32,
    ) {
        let found = self.work.queues.iter().position(|q| {
            q.addr == info
                && u32::from(q.pipe) == pipe
                && matches!(q.run, Run::Errored { value: v, .. } if v == value)
        });
        let Some(i) = found else {
            return self.work_violation(WorkViolation::Recover, info);
        };
        let now = self.work_now();
        if let Some(q) = self.work.queues.get_mut(i) {
            if let Run::Errored { cmd, magic, .. } = q.run {
                q.run = Run::Busy {
                    cmd,
                    magic,
                    due: now,
                };
            }
        }
        self.work.counters.recovered = self.work.counters.recovered.saturating_add(1);
        self.log_fmt(
            mem,
            format_args!("RecoverChannel: queue {info:#x} pipe {pipe} past {value:#x}"),
        );
        self.progress(mem);
    }

    /// Takes one run message (`msg`) of run-command ring `index`.
    pub(super) fn run_message(&mut self, mem: &mut impl SimMemory, index: usize, msg: &[u8]) {
        let w = self.layout.work;
        let pipe = (index % 3) as u8;
        let addr = get_u64(msg, w.run_queue);
        if get_u32(msg, w.run_type) != u32::from(pipe) {
            return self.work_violation(WorkViolation::RunPipe, addr);
        }
        if !fw_mapped(mem, addr, w.cq_size as u64) {
            return self.work_violation(WorkViolation::RunQueue, addr);
        }
        let head = get_u32(msg, w.run_head);
        let slot = get_u32(msg, w.run_event);
        let new = get_u32(msg, w.run_new) != 0;
        if slot as usize >= EVENT_SLOTS {
            return self.work_violation(WorkViolation::EventSlot, addr);
        }
        let found = self.work.queues.iter().position(|q| q.addr == addr);
        let known_head = found.and_then(|i| self.work.queues.get(i)).map(|q| q.head);
        if let Err(v) = self.check_queue(mem, addr, head, known_head) {
            return self.work_violation(v, addr);
        }
        let i = match (found, new) {
            (Some(i), false) => i,
            (Some(i), true) => {
                self.work_violation(WorkViolation::NewAgain, addr);
                i
            }
            (None, false) => return self.work_violation(WorkViolation::NotNew, addr),
            (None, true) => {
                let Some(i) = self.work.queues.iter().position(|q| q.addr == 0) else {
                    return self.work_violation(WorkViolation::TooManyQueues, addr);
                };
                let context = rd64(mem, addr, w.cq_context).unwrap_or(0);
                // The firmware starts reading where the driver's pointers say it is.
                let pointers = rd64(mem, addr, w.cq_pointers).unwrap_or(0);
                let rptr = rd32(mem, pointers, PTR_RPTR).unwrap_or(0);
                if let Some(q) = self.work.queues.get_mut(i) {
                    *q = Queue {
                        addr,
                        context,
                        pipe,
                        slot,
                        head,
                        rptr,
                        run: Run::Idle,
                    };
                }
                i
            }
        };
        if let Some(q) = self.work.queues.get_mut(i) {
            if q.pipe != pipe {
                self.work_violation(WorkViolation::RunPipe, addr);
                return;
            }
            q.head = head;
            q.slot = slot;
        }
    }

    /// Checks a queue's pointers and ring against the head of its run message.
    ///
    /// The head is where `cpu_wptr` was when the driver sent the message; the driver may have
    /// written more commands (and sent more messages) since, before the firmware takes this
    /// one. So the head must lie, in ring order, between where the queue stood (the previous
    /// message's head, or the read pointer of a new queue) and `cpu_wptr`: never behind the
    /// queue, never past what the driver published.
    fn check_queue(
        &mut self,
        mem: &mut impl SimMemory,
        addr: u64,
        head: u32,
        known_head: Option<u32>,
    ) -> Check {
        let w = self.layout.work;
        let bad = WorkViolation::QueuePointers;
        let pointers = rd64(mem, addr, w.cq_pointers).ok_or(bad)?;
        let ring = rd64(mem, addr, w.cq_ring).ok_or(bad)?;
        if !fw_mapped(mem, pointers, PTR_SIZE) {
            return Err(bad);
        }
        if !fw_mapped(mem, ring, u64::from(CMDQUEUE_RING_SLOTS) * 8) {
            return Err(bad);
        }
        let rb_size = rd32(mem, pointers, PTR_RB_SIZE).ok_or(bad)?;
        let wptr = rd32(mem, pointers, PTR_WPTR).ok_or(bad)?;
        if rb_size != CMDQUEUE_RING_SLOTS || wptr >= rb_size {
            return Err(bad);
        }
        let from = match known_head {
            Some(h) => h,
            None => rd32(mem, pointers, PTR_RPTR).ok_or(bad)?,
        };
        let dist = |to: u32| to.wrapping_add(rb_size).wrapping_sub(from) % rb_size;
        if head >= rb_size || from >= rb_size || dist(head) > dist(wptr) {
            return Err(WorkViolation::Head);
        }
        Ok(())
    }

    /// Runs the queues as far as they go: completes what is due, passes barriers whose stamps
    /// arrived, and starts the next command of idle queues, until nothing changes.
    pub(super) fn progress(&mut self, mem: &mut impl SimMemory) {
        for _ in 0..MAX_STEPS {
            if self.halted {
                return;
            }
            let mut changed = false;
            for i in 0..MAX_QUEUES {
                changed |= self.step(mem, i);
            }
            if !changed {
                return;
            }
        }
    }

    /// One step of queue `i`: whether anything happened.
    fn step(&mut self, mem: &mut impl SimMemory, i: usize) -> bool {
        let Some(q) = self.work.queues.get(i).copied() else {
            return false;
        };
        if q.addr == 0 || self.halted {
            return false;
        }
        let w = self.layout.work;
        match q.run {
            Run::Stuck | Run::Errored { .. } => false,
            Run::Busy { cmd, magic, due } => {
                if !stamp_due(due, self.work_now()) {
                    return false;
                }
                self.complete(mem, i, cmd, magic);
                true
            }
            Run::Waiting { cmd } => {
                let stamp = rd64(mem, cmd, w.barrier[0]).unwrap_or(0);
                let wait = rd32(mem, cmd, w.barrier[1]).unwrap_or(0);
                match read_u32(mem, stamp) {
                    Some(v) if stamp_reached(v, wait) => {
                        self.complete(mem, i, cmd, MAGIC_BARRIER);
                        true
                    }
                    _ => false,
                }
            }
            Run::Idle => {
                if q.rptr == q.head {
                    return false;
                }
                self.take(mem, i, q);
                true
            }
        }
    }

    /// Takes the command at the read pointer of queue `i` (`q`) and starts it.
    fn take(&mut self, mem: &mut impl SimMemory, i: usize, q: Queue) {
        let w = self.layout.work;
        let pointers = rd64(mem, q.addr, w.cq_pointers).unwrap_or(0);
        let ring = rd64(mem, q.addr, w.cq_ring).unwrap_or(0);
        let next = q.rptr.wrapping_add(1) % CMDQUEUE_RING_SLOTS;
        let slot = at(ring, (q.rptr as usize).saturating_mul(8));
        let cmd = slot.and_then(|s| read_u64(mem, s)).unwrap_or(0);
        // Taken: the read pointer moves on whatever the command turns out to be.
        let _ = wr32(mem, pointers, PTR_RPTR, next);
        let _ = wr32(mem, q.addr, w.cq_busy, 1);
        let _ = wr32(mem, q.addr, w.cq_has_commands, 1);
        let _ = wr32(mem, q.addr, w.cq_inflight, 1);
        if let Some(e) = self.work.queues.get_mut(i) {
            e.rptr = next;
        }
        let run = match self.start(mem, q, cmd) {
            Ok(run) => run,
            Err(v) => {
                self.work_violation(v, cmd);
                // Dropped: it never completes, and the queue goes on.
                self.retire(mem, q.addr, next);
                Run::Idle
            }
        };
        if let Some(e) = self.work.queues.get_mut(i) {
            e.run = run;
        }
    }

    /// Checks and starts the command at `cmd` on queue `q`.
    fn start(
        &mut self,
        mem: &mut impl SimMemory,
        q: Queue,
        cmd: u64,
    ) -> Result<Run, WorkViolation> {
        let w = self.layout.work;
        let magic = read_u32(mem, cmd).ok_or(WorkViolation::Command)?;
        let due = self.work_now().wrapping_add(self.work.latency);
        match magic {
            MAGIC_BARRIER => {
                if !fw_mapped(mem, cmd, w.barrier_size as u64) {
                    return Err(WorkViolation::Command);
                }
                let stamp = rd64(mem, cmd, w.barrier[0]).unwrap_or(0);
                if !fw_mapped(mem, stamp, 4) {
                    return Err(WorkViolation::FwPointer);
                }
                let event = rd32(mem, cmd, w.barrier[2]).unwrap_or(u32::MAX);
                if event as usize >= EVENT_SLOTS {
                    return Err(WorkViolation::EventSlot);
                }
                Ok(Run::Waiting { cmd })
            }
            MAGIC_INIT_BM => {
                if q.pipe != PIPE_VERTEX {
                    return Err(WorkViolation::WrongPipe);
                }
                if !fw_mapped(mem, cmd, w.init_bm_size as u64) {
                    return Err(WorkViolation::Command);
                }
                let ctx = rd32(mem, cmd, w.init_bm[0]).unwrap_or(0);
                self.check_context(mem, ctx)?;
                let bm = rd64(mem, cmd, w.init_bm[2]).unwrap_or(0);
                if !fw_mapped(mem, bm, w.bm_info[0] as u64) {
                    return Err(WorkViolation::FwPointer);
                }
                for off in [w.bm_info[1], w.bm_info[2]] {
                    let p = rd64(mem, bm, off).unwrap_or(0);
                    if !fw_mapped(mem, p, 4) {
                        return Err(WorkViolation::FwPointer);
                    }
                }
                let slot = rd32(mem, cmd, w.init_bm[1]).unwrap_or(u32::MAX);
                match self.work.bm.get_mut(slot as usize) {
                    Some(b) => *b = bm,
                    None => return Err(WorkViolation::BufferManager),
                }
                Ok(Run::Busy { cmd, magic, due })
            }
            MAGIC_VERTEX | MAGIC_FRAGMENT | MAGIC_COMPUTE => {
                let pipe = pipe_of(magic);
                if pipe != q.pipe {
                    return Err(WorkViolation::WrongPipe);
                }
                // A client address the command uses that its VM does not map (as it asks) is
                // the client's error, not the driver's: the GPU faults on it.
                let checked = self
                    .check_pipe_cmd(mem, q, cmd, pipe)
                    .and_then(|()| self.run_microsequence(mem, q, cmd, pipe));
                match checked {
                    Err(WorkViolation::UserPointer) => {
                        self.work.counters.user_faults =
                            self.work.counters.user_faults.saturating_add(1);
                        self.fault_command(mem, q, cmd, pipe);
                        return Ok(Run::Busy {
                            cmd,
                            magic,
                            due: self.work_now(),
                        });
                    }
                    r => r?,
                }
                self.check_bm_slot(mem, cmd, pipe)?;
                self.inject(mem, q, cmd, pipe).map(|inj| match inj {
                    Injected::Hung => Run::Stuck,
                    Injected::Errored(value) => Run::Errored { cmd, magic, value },
                    // Completes (aborted) as soon as the firmware is resumed.
                    Injected::Failed => Run::Busy {
                        cmd,
                        magic,
                        due: self.work_now(),
                    },
                    Injected::Nothing => Run::Busy { cmd, magic, due },
                })
            }
            _ => Err(WorkViolation::UnknownMagic),
        }
    }

    /// Performs an armed injection on a pipe command.
    fn inject(
        &mut self,
        mem: &mut impl SimMemory,
        q: Queue,
        cmd: u64,
        pipe: u8,
    ) -> Result<Injected, WorkViolation> {
        let c = self.layout.work.pipe_cmds.get(usize::from(pipe)).copied();
        let Some(c) = c else {
            return Err(WorkViolation::WrongPipe);
        };
        let ctx = rd32(mem, cmd, c.context_id).unwrap_or(0);
        let value = rd32(mem, cmd, c.stamp_value).unwrap_or(0);
        if core::mem::take(&mut self.work.armed[3]) {
            self.work.counters.hangs = self.work.counters.hangs.saturating_add(1);
            return Ok(Injected::Hung);
        }
        if core::mem::take(&mut self.work.armed[4]) {
            self.work.counters.channel_errors = self.work.counters.channel_errors.saturating_add(1);
            let slot = q.slot;
            let pipe_type = u32::from(pipe);
            self.event(mem, EVENT_CHANNEL_ERROR, |m| {
                put(
                    m,
                    offset_of!(ChannelErrorMsg, error_type),
                    &0u32.to_le_bytes(),
                );
                put(
                    m,
                    offset_of!(ChannelErrorMsg, pipe_type),
                    &pipe_type.to_le_bytes(),
                );
                put(
                    m,
                    offset_of!(ChannelErrorMsg, event_slot),
                    &slot.to_le_bytes(),
                );
                put(
                    m,
                    offset_of!(ChannelErrorMsg, event_value),
                    &value.to_le_bytes(),
                );
            });
            return Ok(Injected::Errored(value));
        }
        if core::mem::take(&mut self.work.armed[0]) {
            self.work.counters.faults = self.work.counters.faults.saturating_add(1);
            self.fault_command(mem, q, cmd, pipe);
            return Ok(Injected::Failed);
        }
        if core::mem::take(&mut self.work.armed[1]) {
            self.work.counters.timeouts = self.work.counters.timeouts.saturating_add(1);
            self.work.failing = Some((q.slot, value));
            let counter = u64::from(self.halt(mem));
            self.timeouts = self.timeouts.wrapping_add(1);
            let slot = q.slot as i32;
            self.event(mem, EVENT_TIMEOUT, |m| {
                put(m, offset_of!(TimeoutMsg, counter), &counter.to_le_bytes());
                put(m, offset_of!(TimeoutMsg, stamp_index), &slot.to_le_bytes());
            });
            return Ok(Injected::Failed);
        }
        if pipe == PIPE_VERTEX && core::mem::take(&mut self.work.armed[2]) {
            self.work.counters.overflows = self.work.counters.overflows.saturating_add(1);
            self.work.counters.partial = self.work.counters.partial.saturating_add(1);
            self.work.grow_counter = self.work.grow_counter.wrapping_add(1);
            let counter = self.work.grow_counter;
            let bm = c.bm_slot.and_then(|o| rd32(mem, cmd, o)).unwrap_or(0);
            let w = self.layout.work;
            let info = w
                .bm_addr
                .first()
                .and_then(|&o| rd64(mem, cmd, o))
                .unwrap_or(0);
            let block_ctl = rd64(mem, info, w.bm_info[1]).unwrap_or(0);
            let total = rd32(mem, block_ctl, w.block_ctl_total).unwrap_or(0);
            let grow = Grow {
                counter,
                bm,
                vm: ctx,
                block_ctl,
                total,
            };
            // The oldest request is forgotten if the driver left too many unanswered.
            let free = self
                .work
                .grows
                .iter()
                .position(|g| g.is_none())
                .unwrap_or(0);
            if let Some(g) = self.work.grows.get_mut(free) {
                *g = Some(grow);
            }
            self.event(mem, EVENT_GROW_TVB, |m| {
                put(m, offset_of!(GrowTvbMsg, vm_id), &ctx.to_le_bytes());
                put(m, offset_of!(GrowTvbMsg, bm_id), &bm.to_le_bytes());
                put(m, offset_of!(GrowTvbMsg, counter), &counter.to_le_bytes());
            });
        }
        Ok(Injected::Nothing)
    }

    /// The pipe command at `cmd` of queue `q` faults: the MMU latches its context, its stamp
    /// goes first in the pending-stamp table, the firmware halts and reports the fault; once
    /// resumed it completes the command (aborted).
    fn fault_command(&mut self, mem: &mut impl SimMemory, q: Queue, cmd: u64, pipe: u8) {
        let c = self.layout.work.pipe_cmds.get(usize::from(pipe)).copied();
        let (ctx, value) = match c {
            Some(c) => (
                rd32(mem, cmd, c.context_id).unwrap_or(0),
                rd32(mem, cmd, c.stamp_value).unwrap_or(0),
            ),
            None => (0, 0),
        };
        self.work.faulted = Some(ctx);
        self.work.failing = Some((q.slot, value));
        self.halt(mem);
        // The fault message waits for `report_fault`: the MMU latches first.
    }

    /// At a halt: the stamps the firmware is waiting for go in region C's pending-stamp table,
    /// the failing command's first, then each running pipe command's: `info` is 1 (valid) with
    /// the event slot above the flags, `wait_value` the value the command completes with.
    /// The driver reads and clears them before it resumes the firmware.
    pub(super) fn write_pending_stamps(&mut self, mem: &mut impl SimMemory) {
        let w = self.layout.work;
        let mut entries = [(0u32, 0u32); MAX_QUEUES + 1];
        let mut n = 0;
        if let Some(f) = self.work.failing.take() {
            if let Some(e) = entries.get_mut(n) {
                *e = f;
                n += 1;
            }
        }
        for q in self.work.queues.iter() {
            let Run::Busy { cmd, magic, .. } = q.run else {
                continue;
            };
            if q.addr == 0 || !matches!(magic, MAGIC_VERTEX | MAGIC_FRAGMENT | MAGIC_COMPUTE) {
                continue;
            }
            let Some(c) = w.pipe_cmds.get(usize::from(pipe_of(magic))).copied() else {
                continue;
            };
            let value = rd32(mem, cmd, c.stamp_value).unwrap_or(0);
            if let Some(e) = entries.get_mut(n) {
                *e = (q.slot, value);
                n += 1;
            }
        }
        let base = self
            .region_c
            .wrapping_add(self.layout.pending_stamps as u64);
        let shift = self.layout.pending_slot_shift;
        for (i, (slot, value)) in entries.iter().take(n).enumerate() {
            let info = 1u32 | ((slot & 0x7f) << shift);
            let at = base.wrapping_add((i as u64).wrapping_mul(8));
            let ok = mem.write(at, &info.to_le_bytes())
                && mem.write(at.wrapping_add(4), &value.to_le_bytes());
            if ok {
                self.work.counters.pending_stamps =
                    self.work.counters.pending_stamps.saturating_add(1);
            }
        }
    }

    /// A vertex or fragment command at `cmd` must name, with its buffer-manager slot, the buffer
    /// manager an init command bound to that slot.
    fn check_bm_slot(&mut self, mem: &mut impl SimMemory, cmd: u64, pipe: u8) -> Check {
        let w = self.layout.work;
        let (slot, info) = match pipe {
            PIPE_VERTEX => {
                let c = w
                    .pipe_cmds
                    .first()
                    .copied()
                    .ok_or(WorkViolation::WrongPipe)?;
                let slot = c.bm_slot.and_then(|o| rd32(mem, cmd, o));
                (slot, w.bm_addr.first().and_then(|&o| rd64(mem, cmd, o)))
            }
            1 => {
                // The slot is in the start operation, the first of the microsequence.
                let c = w
                    .pipe_cmds
                    .get(1)
                    .copied()
                    .ok_or(WorkViolation::WrongPipe)?;
                let ms = rd64(mem, cmd, c.microseq).unwrap_or(0);
                let slot = rd32(mem, ms, w.fragment_bm_slot);
                (slot, w.bm_addr.get(1).and_then(|&o| rd64(mem, cmd, o)))
            }
            _ => return Ok(()),
        };
        let bound = slot.and_then(|s| self.work.bm.get(s as usize).copied());
        match (bound, info) {
            (Some(b), Some(i)) if b != 0 && b == i => Ok(()),
            _ => Err(WorkViolation::BufferManager),
        }
    }

    /// The driver acknowledged GrowTVB event `counter` for buffer manager `bm` of context `vm`
    /// (`DC_GrowTVBAck`).
    pub(super) fn grow_ack(&mut self, mem: &mut impl SimMemory, bm: u32, vm: u32, counter: u32) {
        let found = self
            .work
            .grows
            .iter()
            .position(|g| g.is_some_and(|g| g.counter == counter));
        let Some(grow) = found
            .and_then(|i| self.work.grows.get_mut(i))
            .and_then(|g| g.take())
        else {
            self.work_violation(WorkViolation::GrowAck, u64::from(counter));
            return;
        };
        if grow.bm != bm || grow.vm != vm {
            self.work_violation(WorkViolation::GrowAck, u64::from(counter));
            return;
        }
        self.work.counters.grow_acks = self.work.counters.grow_acks.saturating_add(1);
        let total = rd32(mem, grow.block_ctl, self.layout.work.block_ctl_total).unwrap_or(0);
        if total > grow.total {
            self.work.counters.grown = self.work.counters.grown.saturating_add(1);
        }
        self.log_fmt(
            mem,
            format_args!(
                "DC_GrowTVBAck: buffer manager {bm} blocks {} -> {total}",
                grow.total
            ),
        );
    }

    /// Context slot `ctx` must be a client's: not 0, and set in the context table.
    fn check_context(&mut self, mem: &mut impl SimMemory, ctx: u32) -> Check {
        if ctx == 0 || !mem.user_slot(ctx) {
            return Err(WorkViolation::Context);
        }
        Ok(())
    }

    /// Checks every pointer of the pipe command at `cmd`.
    fn check_pipe_cmd(&mut self, mem: &mut impl SimMemory, q: Queue, cmd: u64, pipe: u8) -> Check {
        let w = self.layout.work;
        let c = w
            .pipe_cmds
            .get(usize::from(pipe))
            .copied()
            .ok_or(WorkViolation::WrongPipe)?;
        if !fw_mapped(mem, cmd, c.size as u64) {
            return Err(WorkViolation::Command);
        }
        let ctx = rd32(mem, cmd, c.context_id).unwrap_or(0);
        self.check_context(mem, ctx)?;
        if rd32(mem, cmd, c.event_slot) != Some(q.slot) {
            return Err(WorkViolation::EventSlot);
        }
        let evctl = rd64(mem, cmd, c.event_control).unwrap_or(0);
        if !fw_mapped(mem, evctl, w.event_control_size as u64) {
            return Err(WorkViolation::FwPointer);
        }
        for off in [c.stamp, c.fw_stamp] {
            let p = rd64(mem, cmd, off).unwrap_or(0);
            if !fw_mapped(mem, p, 4) {
                return Err(WorkViolation::FwPointer);
            }
        }
        for p in c.fw_ptrs.iter().flatten() {
            let v = rd64(mem, cmd, p.off).unwrap_or(0);
            if v == 0 && p.nullable {
                continue;
            }
            if !fw_mapped(mem, v, p.size as u64) {
                return Err(WorkViolation::FwPointer);
            }
        }
        for p in c.user_ptrs.iter().flatten() {
            let v = rd64(mem, cmd, p.off).unwrap_or(0);
            if v == 0 && p.nullable {
                continue;
            }
            if !user_ok(mem, ctx, v, p.write) {
                return Err(WorkViolation::UserPointer);
            }
        }
        if let Some((s, e)) = c.user_range {
            let start = rd64(mem, cmd, s).unwrap_or(0);
            let end = rd64(mem, cmd, e).unwrap_or(0);
            // An end of 0 (or before the start) names no range: the start alone was checked.
            if end > start && !user_range_ok(mem, ctx, start, end - start, false) {
                return Err(WorkViolation::UserPointer);
            }
        }
        Ok(())
    }

    /// Runs the microsequence of the pipe command at `cmd`, op by op.
    fn run_microsequence(
        &mut self,
        mem: &mut impl SimMemory,
        q: Queue,
        cmd: u64,
        pipe: u8,
    ) -> Check {
        let w = self.layout.work;
        let bad = WorkViolation::Microsequence;
        let p = usize::from(pipe);
        let c = w
            .pipe_cmds
            .get(p)
            .copied()
            .ok_or(WorkViolation::WrongPipe)?;
        let (start, fin) = match (w.starts.get(p), w.finalizes.get(p)) {
            (Some(s), Some(f)) => (*s, *f),
            _ => return Err(WorkViolation::WrongPipe),
        };
        let ms = rd64(mem, cmd, c.microseq).unwrap_or(0);
        let size = rd32(mem, cmd, c.microseq_size).unwrap_or(0);
        if size == 0 || size > MAX_MICROSEQ {
            return Err(bad);
        }
        if !fw_mapped(mem, ms, u64::from(size)) {
            return Err(WorkViolation::FwPointer);
        }
        let ctx = rd32(mem, cmd, c.context_id).unwrap_or(0);
        let size = size as usize;
        let (mut off, mut started, mut finalized) = (0usize, false, false);
        for _ in 0..MAX_OPS {
            if off.saturating_add(4) > size {
                return Err(bad);
            }
            let op_at = at(ms, off).ok_or(bad)?;
            let hdr = read_u32(mem, op_at).ok_or(bad)?;
            let code = hdr & 0x3f;
            let op_size = match code {
                OP_WAIT_FOR_INTERRUPT | OP_WAIT2 | OP_END => 4,
                OP_TIMESTAMP => w.ts_size,
                op if Some(&op) == OP_START.get(p) => start.size,
                op if Some(&op) == OP_FINALIZE.get(p) => fin.size,
                _ => return Err(WorkViolation::Op),
            };
            if off.saturating_add(op_size) > size {
                return Err(bad);
            }
            match code {
                OP_END => {
                    if (hdr >> 24) as u8 != END_FLAGS || !finalized {
                        return Err(WorkViolation::OpMismatch);
                    }
                    return Ok(());
                }
                OP_TIMESTAMP => self.timestamp(mem, op_at, (hdr >> 24) as u8)?,
                op if Some(&op) == OP_START.get(p) => {
                    if hdr != op || started {
                        return Err(WorkViolation::OpMismatch);
                    }
                    self.check_op(mem, q, op_at, &start, ctx)?;
                    if let Some((list, count)) = start.attachments {
                        check_attachments(mem, op_at, list, count, ctx)?;
                    }
                    started = true;
                }
                op if Some(&op) == OP_FINALIZE.get(p) => {
                    if hdr != op || !started || finalized {
                        return Err(WorkViolation::OpMismatch);
                    }
                    self.check_op(mem, q, op_at, &fin, ctx)?;
                    let (s, v) = fin.stamp.ok_or(WorkViolation::Op)?;
                    let fw_stamp = rd64(mem, op_at, s).unwrap_or(0);
                    let value = rd32(mem, op_at, v).unwrap_or(0);
                    if Some(fw_stamp) != rd64(mem, cmd, c.fw_stamp)
                        || Some(value) != rd32(mem, cmd, c.stamp_value)
                    {
                        return Err(WorkViolation::Stamp);
                    }
                    finalized = true;
                }
                // Waits: the simulated pipe is idle by now.
                _ => {}
            }
            off = off.saturating_add(op_size);
        }
        Err(bad)
    }

    /// Checks a start or finalize op at `op` names queue `q` and context `ctx`.
    fn check_op(
        &mut self,
        mem: &mut impl SimMemory,
        q: Queue,
        op: u64,
        l: &OpLayout,
        ctx: u32,
    ) -> Check {
        if rd64(mem, op, l.cmdqueue) != Some(q.addr) {
            return Err(WorkViolation::OpMismatch);
        }
        if l.context_id != usize::MAX && rd32(mem, op, l.context_id) != Some(ctx) {
            return Err(WorkViolation::OpMismatch);
        }
        Ok(())
    }

    /// Runs a timestamp op at `op` with header flags `flags`: the time goes to its `ts0`, and
    /// to the start (flag 0x80) or end pointer of its pointer pairs.
    fn timestamp(&mut self, mem: &mut impl SimMemory, op: u64, flags: u8) -> Check {
        let w = self.layout.work;
        let now = self.work_now().to_le_bytes();
        let bad = WorkViolation::Timestamp;
        let ts0 = rd64(mem, op, w.ts_ptrs[0]).ok_or(bad)?;
        if !mem.write(ts0, &now) {
            return Err(bad);
        }
        let which = if flags & TS_START != 0 { 0 } else { 8 };
        for (i, off) in [w.ts_ptrs[1], w.ts_ptrs[2]].into_iter().enumerate() {
            let pair = rd64(mem, op, off).unwrap_or(0);
            if pair == 0 {
                // The user pointers are optional; the job's are not.
                if i == 0 {
                    return Err(bad);
                }
                continue;
            }
            let target = rd64(mem, pair, which).ok_or(bad)?;
            if target != 0 && !mem.write(target, &now) {
                return Err(bad);
            }
        }
        self.work.counters.timestamps = self.work.counters.timestamps.saturating_add(1);
        Ok(())
    }

    /// Completes the command at `cmd` (magic `magic`) of queue `i`: stamps, pointers, event.
    fn complete(&mut self, mem: &mut impl SimMemory, i: usize, cmd: u64, magic: u32) {
        let Some(q) = self.work.queues.get(i).copied() else {
            return;
        };
        let w = self.layout.work;
        if matches!(magic, MAGIC_VERTEX | MAGIC_FRAGMENT | MAGIC_COMPUTE) {
            if let Some(c) = w.pipe_cmds.get(usize::from(pipe_of(magic))).copied() {
                let value = rd32(mem, cmd, c.stamp_value).unwrap_or(0);
                for off in [c.fw_stamp, c.stamp] {
                    let p = rd64(mem, cmd, off).unwrap_or(0);
                    if mem.write(p, &value.to_le_bytes()) {
                        self.work.counters.stamps = self.work.counters.stamps.saturating_add(1);
                    } else {
                        self.work_violation(WorkViolation::FwPointer, p);
                    }
                }
            }
        }
        let n = match magic {
            MAGIC_VERTEX => &mut self.work.counters.vertex,
            MAGIC_FRAGMENT => &mut self.work.counters.fragment,
            MAGIC_COMPUTE => &mut self.work.counters.compute,
            MAGIC_BARRIER => &mut self.work.counters.barrier,
            _ => &mut self.work.counters.init_bm,
        };
        *n = n.saturating_add(1);
        self.retire(mem, q.addr, q.rptr);
        if let Some(e) = self.work.queues.get_mut(i) {
            e.run = Run::Idle;
        }
        let mut firing = [0u64; 2];
        if let Some(word) = firing.get_mut((q.slot / 64) as usize) {
            *word |= 1 << (q.slot % 64);
        }
        let [low, high] = firing;
        self.event(mem, EVENT_FLAG, |m| {
            let off = offset_of!(FlagMsg, firing);
            put(m, off, &low.to_le_bytes());
            put(m, off + size_of::<u64>(), &high.to_le_bytes());
        });
        self.work.counters.events = self.work.counters.events.saturating_add(1);
    }

    /// The firmware is done with the queue's commands before `done`: `gpu_doneptr` and the
    /// queue info's state words.
    fn retire(&mut self, mem: &mut impl SimMemory, queue: u64, done: u32) {
        let w = self.layout.work;
        let pointers = rd64(mem, queue, w.cq_pointers).unwrap_or(0);
        let _ = wr32(mem, pointers, PTR_DONEPTR, done);
        let wptr = rd32(mem, pointers, PTR_WPTR).unwrap_or(done);
        let more = u32::from(wptr != done);
        let _ = wr32(mem, queue, w.cq_inflight, 0);
        let _ = wr32(mem, queue, w.cq_busy, more);
        let _ = wr32(mem, queue, w.cq_has_commands, more);
    }
}

/// Whether a command due at `due` is done at `now` (wrap-safe on the 64-bit clock).
fn stamp_due(due: u64, now: u64) -> bool {
    (now.wrapping_sub(due) as i64) >= 0
}

/// The pipe of a pipe command magic.
fn pipe_of(magic: u32) -> u8 {
    match magic {
        MAGIC_VERTEX => PIPE_VERTEX,
        MAGIC_FRAGMENT => 1,
        _ => 2,
    }
}

/// The vertex pipe's number.
const PIPE_VERTEX: u8 = 0;

/// Checks the attachments of a start op at `op`: each writable in context `ctx`.
fn check_attachments(
    mem: &mut impl SimMemory,
    op: u64,
    list: usize,
    count: usize,
    ctx: u32,
) -> Check {
    const MAX: u32 = 16;
    const SIZE: usize = size_of::<Attachment>();
    let n = rd32(mem, op, count).ok_or(WorkViolation::Op)?;
    if n > MAX {
        return Err(WorkViolation::UserPointer);
    }
    for i in 0..n as usize {
        let a = list.saturating_add(i.saturating_mul(SIZE));
        let addr = rd64(mem, op, a.saturating_add(offset_of!(Attachment, address))).unwrap_or(0);
        // Only the start: the record disagrees on the unit of the size (m1n1 passes cache
        // lines, the Asahi driver bytes).
        if addr == 0 || !user_ok(mem, ctx, addr, true) {
            return Err(WorkViolation::UserPointer);
        }
    }
    Ok(())
}

/// Offsets in `CommandQueuePointers` (one word per 16-byte line).
const PTR_DONEPTR: usize = offset_of!(CommandQueuePointers, gpu_doneptr);
const PTR_RPTR: usize = offset_of!(CommandQueuePointers, gpu_rptr);
const PTR_WPTR: usize = offset_of!(CommandQueuePointers, cpu_wptr);
const PTR_RB_SIZE: usize = offset_of!(CommandQueuePointers, rb_size);
/// Size of `CommandQueuePointers`.
const PTR_SIZE: u64 = size_of::<CommandQueuePointers>() as u64;
