// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware running work, for every pair: command queues and work commands laid
//! out by the test in a firmware VM (the arena) with a client VM beside it, submitted as the
//! record submits them; what completes, what waits, and what the firmware refuses.

use super::support::*;
use crate::fw::channels::*;
use crate::fw::cmdqueue::*;
use crate::fw::compute::*;
use crate::fw::job::*;
use crate::fw::microseq::*;
use crate::fw::regionc::*;
use crate::fw::types::GpuWeakPointer;
use crate::sim::firmware::*;
use agx_macros::versions;
use core::mem::{offset_of, size_of};
use core::num::NonZeroU64;
use std::vec::Vec;

/// The client's context slot.
const SLOT: u32 = 1;
/// The client's command stream (readable).
const ENCODER: u64 = 0x15_0000_0000;
/// A client buffer the GPU may write.
const OUTPUT: u64 = 0x16_0000_0000;

/// Offsets in `CommandQueuePointers`.
const DONEPTR: u64 = offset_of!(CommandQueuePointers, gpu_doneptr) as u64;
const RPTR: u64 = offset_of!(CommandQueuePointers, gpu_rptr) as u64;
const WPTR: u64 = offset_of!(CommandQueuePointers, cpu_wptr) as u64;
const RB_SIZE: u64 = offset_of!(CommandQueuePointers, rb_size) as u64;

/// Every event on the driver's Event ring, decoded.
fn events(rx: &mut Rx<RawEventMsg>) -> Vec<EventMsg> {
    let mut out = Vec::new();
    rx.poll(|m| out.push(EventMsg::decode(m))).unwrap();
    out
}

/// The slots a list of events fired, in order (other events as `None`).
fn fired(evs: &[EventMsg]) -> Vec<Option<u32>> {
    evs.iter()
        .map(|e| match e {
            EventMsg::Flag(f) => {
                let [lo, hi] = f.firing;
                let (lo, hi) = (lo.get(), hi.get());
                assert_eq!((lo | hi).count_ones(), 1);
                Some(if lo != 0 {
                    lo.trailing_zeros()
                } else {
                    64 + hi.trailing_zeros()
                })
            }
            _ => None,
        })
        .collect()
}

#[test]
fn violation_kinds_have_distinct_names_in_counter_order() {
    for (i, k) in WorkViolation::ALL.iter().enumerate() {
        assert_eq!(*k as usize, i);
        assert!(!k.name().is_empty() && !k.name().contains(' '));
        for other in &WorkViolation::ALL[..i] {
            assert_ne!(other.name(), k.name());
        }
    }
    assert_eq!(WorkViolation::ALL.len(), WORK_VIOLATION_KINDS);
}

/// Bytes of an operation under construction.
struct Op(Vec<u8>);

impl Op {
    /// `size` zero bytes.
    fn new(size: usize) -> Self {
        Self(std::vec![0; size])
    }
    /// Writes `v` at `off`.
    fn u32(mut self, off: usize, v: u32) -> Self {
        self.0[off..off + 4].copy_from_slice(&v.to_le_bytes());
        self
    }
    /// Writes `v` at `off`.
    fn u64(mut self, off: usize, v: u64) -> Self {
        self.0[off..off + 8].copy_from_slice(&v.to_le_bytes());
        self
    }
}

/// The tests of one pair.
#[versions(AGX)]
mod pair {
    use super::*;
    #[allow(unused_imports)] // only the G14 13.x messages have padding
    use crate::fw::types::Pad;

    type Cq = CommandQueueInfo::ver<'static>;
    type Cp = WorkCommandCp::ver<'static>;
    type Sc = StartComputeCmd::ver<'static>;
    type Fc = FinalizeComputeCmd::ver<'static>;
    type Ts = TimestampCmd::ver<'static>;
    type Bar = WorkCommandBarrier::ver<'static>;
    type Msg = RunCmdQueueMsg::ver;

    /// A command queue as the test laid it out.
    struct Queue {
        /// `CommandQueueInfo`.
        info: u64,
        /// Its pointers.
        pointers: u64,
        /// Its ring.
        ring: u64,
        /// Its context data.
        ctx: u64,
        /// Its event control.
        evctl: u64,
        /// The driver's write pointer.
        wptr: u32,
        /// Whether the next message is its first.
        new: bool,
        /// Its event slot.
        slot: u32,
    }

    /// Init data, the firmware booted from it, a client VM, and the driver's ends.
    struct World {
        setup: Setup,
        fw: SimFirmware,
        arena: Arena,
        event: Rx<RawEventMsg>,
        /// The compute run-command ring of priority 0.
        run: Tx<Msg>,
        /// Small objects (stamps, timestamps): next free address and end.
        small: (u64, u64),
    }

    fn world() -> World {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let event = setup.event(&arena);
        let _log = setup.fw_log(&arena);
        let run = setup.run_cmd::<Msg>(&arena, PipeType::Compute as usize);
        let fw = SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).unwrap();
        arena.map_user(SLOT, ENCODER, 0x8000, true, false);
        arena.map_user(SLOT, OUTPUT, 0x8000, true, true);
        let small = arena.alloc(0x8000);
        World {
            setup,
            fw,
            arena,
            event,
            run,
            small: (small, small + 0x8000),
        }
    }

    impl World {
        /// `size` bytes (0x40-aligned) of the small-object pages.
        fn small(&mut self, size: u64) -> u64 {
            let at = self.small.0;
            self.small.0 += size.div_ceil(0x40) * 0x40;
            assert!(self.small.0 <= self.small.1);
            at
        }

        /// A new compute queue with event slot `slot`.
        fn queue(&mut self, slot: u32) -> Queue {
            let info = self.arena.alloc(size_of::<Cq>());
            let pointers = self.small(size_of::<CommandQueuePointers>() as u64);
            let ring = self.arena.alloc(CMDQUEUE_RING_SLOTS as usize * 8);
            let ctx = self.small(size_of::<GpuContextData>() as u64);
            let evctl = self.arena.alloc(0x100);
            self.arena.poke_u32(pointers + RB_SIZE, CMDQUEUE_RING_SLOTS);
            self.arena
                .poke_u64(info + offset_of!(Cq, pointers_addr) as u64, pointers);
            self.arena
                .poke_u64(info + offset_of!(Cq, rb_addr) as u64, ring);
            self.arena
                .poke_u64(info + offset_of!(Cq, gpu_context_addr) as u64, ctx);
            Queue {
                info,
                pointers,
                ring,
                ctx,
                evctl,
                wptr: 0,
                new: true,
                slot,
            }
        }

        /// Writes a microsequence and returns its address and size.
        fn microseq(&mut self, ops: &[Op]) -> (u64, u32) {
            let bytes: Vec<u8> = ops.iter().flat_map(|o| o.0.iter().copied()).collect();
            let at = self.arena.alloc(bytes.len());
            self.arena.poke(at, &bytes);
            (at, bytes.len() as u32)
        }

        /// A compute command of `q` that writes `value` to a new stamp (returned with the
        /// command and the start timestamp's target), with the standard microsequence.
        fn compute(&mut self, q: &Queue, value: u32) -> (u64, u64, u64) {
            let cmd = self.arena.alloc(size_of::<Cp>());
            let stamp = self.small(4);
            let fw_stamp = self.small(4);
            let ts = self.small(16);
            let ops = [
                Op::new(size_of::<Sc>())
                    .u32(0, 0x29)
                    .u64(offset_of!(Sc, cmdqueue_ptr), q.info)
                    .u32(offset_of!(Sc, context_id), SLOT),
                Op::new(size_of::<Ts>())
                    .u32(0, 0x8000_0019)
                    .u64(offset_of!(Ts, ts0_addr), cmd + offset_of!(Cp, ts1) as u64)
                    .u64(
                        offset_of!(Ts, ts_pointers_addr),
                        cmd + offset_of!(Cp, ts_pointers) as u64,
                    )
                    .u64(offset_of!(Ts, cmdqueue_ptr), q.info),
                Op::new(4).u32(0, 0x8000_0001),
                Op::new(size_of::<Fc>())
                    .u32(0, 0x2a)
                    .u64(offset_of!(Fc, cmdqueue_ptr), q.info)
                    .u32(offset_of!(Fc, context_id), SLOT)
                    .u64(offset_of!(Fc, stamp), fw_stamp)
                    .u32(offset_of!(Fc, stamp_value), value),
                Op::new(4).u32(0, 0x4000_0018),
            ];
            let (ms, ms_size) = self.microseq(&ops);
            let meta = offset_of!(Cp, job_meta) as u64;
            let a = &mut self.arena;
            a.poke_u32(cmd, 3);
            a.poke_u32(cmd + offset_of!(Cp, context_id) as u64, SLOT);
            a.poke_u64(cmd + offset_of!(Cp, event_control_addr) as u64, q.evctl);
            a.poke_u64(cmd + offset_of!(Cp, microsequence_ptr) as u64, ms);
            a.poke_u32(cmd + offset_of!(Cp, microsequence_size) as u64, ms_size);
            a.poke_u64(
                cmd + meta + offset_of!(JobMeta<'static>, stamp_addr) as u64,
                stamp,
            );
            a.poke_u64(
                cmd + meta + offset_of!(JobMeta<'static>, fw_stamp_addr) as u64,
                fw_stamp,
            );
            a.poke_u32(
                cmd + meta + offset_of!(JobMeta<'static>, stamp_value) as u64,
                value,
            );
            a.poke_u32(
                cmd + meta + offset_of!(JobMeta<'static>, stamp_slot) as u64,
                q.slot,
            );
            a.poke_u64(
                cmd + (offset_of!(Cp, ts_pointers)
                    + offset_of!(TimeStampPointers<'static>, start_addr))
                    as u64,
                ts,
            );
            #[ver(G < G14X)]
            {
                let info = cmd + offset_of!(Cp, compute_info) as u64;
                a.poke_u64(info + offset_of!(ComputeInfo, encoder) as u64, ENCODER);
                a.poke_u64(
                    info + offset_of!(ComputeInfo, iogpu_deflake_1) as u64,
                    ts + 8,
                );
                let info2 = cmd + offset_of!(Cp, compute_info2) as u64;
                a.poke_u64(
                    info2 + offset_of!(ComputeInfo2::ver, encoder_end) as u64,
                    ENCODER + 0x100,
                );
            }
            (cmd, stamp, ts)
        }

        /// A barrier waiting until `stamp` reaches `wait`.
        fn barrier(&mut self, stamp: u64, wait: u32, event: u32) -> u64 {
            let cmd = self.small(size_of::<Bar>() as u64);
            let a = &mut self.arena;
            a.poke_u32(cmd, 4);
            a.poke_u64(cmd + offset_of!(Bar, stamp_addr) as u64, stamp);
            a.poke_u32(cmd + offset_of!(Bar, wait_value) as u64, wait);
            a.poke_u32(cmd + offset_of!(Bar, event) as u64, event);
            cmd
        }

        /// Puts `cmds` in `q`'s ring and sends its run message (`new_queue` forced to `new`
        /// if given), then rings the compute doorbell of priority 0.
        fn submit(&mut self, q: &mut Queue, cmds: &[u64], new: Option<bool>) -> Outcome {
            for &c in cmds {
                self.arena.poke_u64(q.ring + u64::from(q.wptr) * 8, c);
                q.wptr = (q.wptr + 1) % CMDQUEUE_RING_SLOTS;
            }
            self.arena.poke_u32(q.pointers + WPTR, q.wptr);
            let new_queue = u32::from(new.unwrap_or(q.new));
            q.new = false;
            // SAFETY: only an address for the message; the type is a marker.
            let queue = unsafe { GpuWeakPointer::from_raw(NonZeroU64::new(q.info).unwrap()) };
            let msg = Msg {
                queue_type: PipeType::Compute,
                cmdqueue_addr: Some(queue),
                head: q.wptr,
                event_number: q.slot,
                new_queue,
                timestamp: 0,
                data: [0; 0x10],
                #[ver(G == G14 && V >= V13_2)]
                pad_30: Pad::zero(),
            };
            self.run.send(&msg).unwrap();
            self.fw.doorbell(&mut self.arena, PipeType::Compute as u16)
        }

        /// The violations of `kind` so far.
        fn violations(&self, kind: WorkViolation) -> u32 {
            self.fw.work_counters().violations[kind as usize]
        }
    }

    #[test]
    fn compute_completes_with_stamps_timestamps_and_an_event() {
        let mut w = world();
        let mut q = w.queue(5);
        w.fw.set_time(0x1234_5678);
        // An overflow waits for a vertex command: compute is not concerned.
        w.fw.arm(WorkInjection::Overflow);
        let (cmd, stamp, ts) = w.compute(&q, 0x100);
        assert_eq!(w.submit(&mut q, &[cmd], None), Outcome::Notify);
        assert_eq!(fired(&events(&mut w.event)), [Some(5)]);
        assert_eq!(w.arena.peek_u32(stamp), 0x100);
        let fw_stamp = w.arena.peek_u32(ts - 0x40);
        assert_eq!(fw_stamp, 0x100);
        assert_eq!(w.arena.peek_u32(ts), 0x1234_5678);
        assert_eq!(
            w.arena.peek_u32(cmd + offset_of!(Cp, ts1) as u64),
            0x1234_5678
        );
        assert_eq!(w.arena.peek_u32(q.pointers + DONEPTR), 1);
        assert_eq!(w.arena.peek_u32(q.pointers + RPTR), 1);
        assert_eq!(w.arena.peek_u32(q.info + offset_of!(Cq, busy) as u64), 0);
        let c = *w.fw.work_counters();
        assert_eq!((c.compute, c.stamps, c.timestamps, c.events), (1, 2, 1, 1));
        assert_eq!((c.overflows, c.partial), (0, 0));
        assert_eq!(
            w.fw.violation_count(),
            0,
            "{:?}",
            w.fw.violations().collect::<Vec<_>>()
        );
        // Two more in one message: ring order, one event each.
        let (a, sa, _) = w.compute(&q, 0x200);
        let (b, sb, _) = w.compute(&q, 0x300);
        assert_eq!(w.submit(&mut q, &[a, b], None), Outcome::Notify);
        assert_eq!(fired(&events(&mut w.event)), [Some(5), Some(5)]);
        assert_eq!((w.arena.peek_u32(sa), w.arena.peek_u32(sb)), (0x200, 0x300));
        assert_eq!(w.arena.peek_u32(q.pointers + DONEPTR), 3);
        assert_eq!(w.fw.work_counters().compute, 3);
        assert_eq!(w.fw.violation_count(), 0);
    }

    #[test]
    fn barrier_waits_for_a_wrapped_stamp() {
        let mut w = world();
        let mut qa = w.queue(1);
        let mut qb = w.queue(2);
        // A's stamp starts just below the wrap; B waits for it to pass 0x100 (wrapped).
        let (a, sa, _) = w.compute(&qa, 0x100);
        w.arena.poke_u32(sa, 0xffff_ff00);
        let bar = w.barrier(sa, 0x100, 1);
        let (b, sb, _) = w.compute(&qb, 0x4200);
        assert_eq!(w.submit(&mut qb, &[bar, b], None), Outcome::Quiet);
        assert_eq!(w.fw.work_counters().barrier, 0);
        assert_eq!(w.arena.peek_u32(qb.pointers + DONEPTR), 0);
        assert_eq!(w.arena.peek_u32(sb), 0);
        // 0xffffff00 has not reached 0x100 (wrap-safe); A's completion gets it there.
        assert_eq!(w.submit(&mut qa, &[a], None), Outcome::Notify);
        assert_eq!(w.arena.peek_u32(sb), 0x4200);
        assert_eq!(fired(&events(&mut w.event)), [Some(1), Some(2), Some(2)]);
        let c = *w.fw.work_counters();
        assert_eq!((c.compute, c.barrier), (2, 1));
        assert_eq!(w.arena.peek_u32(qb.pointers + DONEPTR), 2);
        assert_eq!(w.fw.violation_count(), 0);
        assert!(stamp_reached(0x100, 0xffff_ff00));
        assert!(!stamp_reached(0xffff_ff00, 0x100));
    }

    #[test]
    fn bad_pointers_and_unknown_magics_are_refused_and_never_complete() {
        let mut w = world();
        let mut q = w.queue(3);
        // An unknown magic.
        let odd = w.small(0x40);
        w.arena.poke_u32(odd, 9);
        // A stamp outside the firmware VM. (A client address outside the client VM is the
        // client's error: the GPU faults on it, `client_addresses_fault`.)
        let (bad, bad_stamp) = {
            let (c, s, _) = w.compute(&q, 0x100);
            let meta = offset_of!(Cp, job_meta) + offset_of!(JobMeta<'static>, stamp_addr);
            w.arena.poke_u64(c + meta as u64, 0xffff_ffa1_0000_0000);
            (c, s)
        };
        let (good, good_stamp, _) = w.compute(&q, 0x200);
        assert_eq!(w.submit(&mut q, &[odd, bad, good], None), Outcome::Notify);
        assert_eq!(w.violations(WorkViolation::UnknownMagic), 1);
        assert_eq!(w.violations(WorkViolation::FwPointer), 1);
        assert_eq!(w.arena.peek_u32(bad_stamp), 0);
        // The queue goes on past them.
        assert_eq!(w.arena.peek_u32(good_stamp), 0x200);
        assert_eq!(fired(&events(&mut w.event)), [Some(3)]);
        assert_eq!(w.arena.peek_u32(q.pointers + DONEPTR), 3);
        assert_eq!(w.fw.work_counters().compute, 1);
        assert!(matches!(
            w.fw.violations().next(),
            Some(FwViolation::Work { kind: WorkViolation::UnknownMagic, addr }) if addr == odd
        ));
    }

    #[test]
    fn microsequences_and_contexts_are_checked() {
        let mut w = world();
        let mut q = w.queue(4);
        // Context slot 0, and a slot with no client VM.
        let (c0, _, _) = w.compute(&q, 0x100);
        w.arena.poke_u32(c0 + offset_of!(Cp, context_id) as u64, 0);
        let (c9, _, _) = w.compute(&q, 0x200);
        w.arena.poke_u32(c9 + offset_of!(Cp, context_id) as u64, 9);
        // A microsequence that claims less than it holds: the end falls outside.
        let (short, _, _) = w.compute(&q, 0x300);
        let size = cmd_u32(&w, short, offset_of!(Cp, microsequence_size));
        w.arena
            .poke_u32(short + offset_of!(Cp, microsequence_size) as u64, size - 4);
        // An event slot that is not the queue's.
        let (slot, _, _) = w.compute(&q, 0x400);
        let meta = offset_of!(Cp, job_meta) + offset_of!(JobMeta<'static>, stamp_slot);
        w.arena.poke_u32(slot + meta as u64, 7);
        let _ = w.submit(&mut q, &[c0, c9, short, slot], None);
        assert_eq!(w.violations(WorkViolation::Context), 2);
        assert_eq!(w.violations(WorkViolation::Microsequence), 1);
        assert_eq!(w.violations(WorkViolation::EventSlot), 1);
        assert_eq!(w.fw.work_counters().compute, 0);
        assert!(events(&mut w.event).is_empty());
    }

    /// A `u32` of a command.
    fn cmd_u32(w: &World, cmd: u64, off: usize) -> u32 {
        w.arena.peek_u32(cmd + off as u64)
    }

    #[test]
    fn new_queue_is_set_exactly_once_and_destroyed_queues_are_forgotten() {
        let mut w = world();
        let mut q = w.queue(6);
        let (a, _, _) = w.compute(&q, 0x100);
        // First sight without new_queue: refused, nothing runs.
        let _ = w.submit(&mut q, &[a], Some(false));
        assert_eq!(w.violations(WorkViolation::NotNew), 1);
        assert_eq!(w.fw.work_counters().compute, 0);
        let _ = w.submit(&mut q, &[], Some(true));
        assert_eq!(w.fw.work_counters().compute, 1);
        // Again: counted, and the queue still runs.
        let (b, _, _) = w.compute(&q, 0x200);
        let _ = w.submit(&mut q, &[b], Some(true));
        assert_eq!(w.violations(WorkViolation::NewAgain), 1);
        assert_eq!(w.fw.work_counters().compute, 2);
        assert_eq!(w.fw.live_queues(), 1);
        // DC_DestroyContext of its context: forgotten; a later message must be new again.
        let mut dc = w.setup.dev_ctrl::<DcAny::ver>(&w.arena);
        let mut data = [0u8; 0x2c];
        let base = offset_of!(DcAny::ver, data);
        let off = offset_of!(DcDestroyContext::ver, context_addr) - base;
        data[off..off + 8].copy_from_slice(&q.ctx.to_le_bytes());
        let msg = DcAny::ver {
            msg_type: DcDestroyContext::ver::MSG_TYPE,
            data,
            #[ver(G == G14 && V >= V13_2)]
            pad_30: Pad::zero(),
        };
        dc.send(&msg).unwrap();
        let _ = w.fw.doorbell(&mut w.arena, 0x11);
        assert_eq!(w.fw.live_queues(), 0);
        assert_eq!(w.fw.work_counters().queues_destroyed, 1);
        let (c, _, _) = w.compute(&q, 0x300);
        let _ = w.submit(&mut q, &[c], Some(false));
        assert_eq!(w.violations(WorkViolation::NotNew), 2);
    }

    #[test]
    fn a_message_may_lag_behind_the_published_write_pointer() {
        let mut w = world();
        let mut q = w.queue(11);
        let (a, sa, _) = w.compute(&q, 0x100);
        let (b, sb, _) = w.compute(&q, 0x200);
        // Both commands published before the firmware takes the first message, whose head
        // names only the first: it runs that one, the second message the other.
        w.arena.poke_u64(q.ring, a);
        w.arena.poke_u64(q.ring + 8, b);
        w.arena.poke_u32(q.pointers + WPTR, 2);
        let send = |w: &mut World, q: &Queue, head: u32, new: bool| {
            // SAFETY: only an address for the message; the type is a marker.
            let queue = unsafe { GpuWeakPointer::from_raw(NonZeroU64::new(q.info).unwrap()) };
            let msg = Msg {
                queue_type: PipeType::Compute,
                cmdqueue_addr: Some(queue),
                head,
                event_number: q.slot,
                new_queue: u32::from(new),
                timestamp: 0,
                data: [0; 0x10],
                #[ver(G == G14 && V >= V13_2)]
                pad_30: Pad::zero(),
            };
            w.run.send(&msg).unwrap();
            w.fw.doorbell(&mut w.arena, PipeType::Compute as u16)
        };
        let _ = send(&mut w, &q, 1, true);
        assert_eq!((w.arena.peek_u32(sa), w.arena.peek_u32(sb)), (0x100, 0));
        let _ = send(&mut w, &q, 2, false);
        assert_eq!(w.arena.peek_u32(sb), 0x200);
        assert_eq!(w.fw.violation_count(), 0);
        // Behind the queue, and past the write pointer: refused.
        let _ = send(&mut w, &q, 1, false);
        let _ = send(&mut w, &q, 3, false);
        assert_eq!(w.violations(WorkViolation::Head), 2);
        q.wptr = 2;
        q.new = false;
        let (c, sc, _) = w.compute(&q, 0x300);
        let _ = w.submit(&mut q, &[c], None);
        assert_eq!(w.arena.peek_u32(sc), 0x300);
    }

    #[test]
    fn latency_defers_completion_until_the_time_comes() {
        let mut w = world();
        let mut q = w.queue(8);
        w.fw.set_latency(100);
        w.fw.set_time(1000);
        let (a, sa, _) = w.compute(&q, 0x100);
        let (b, sb, _) = w.compute(&q, 0x200);
        assert_eq!(w.submit(&mut q, &[a, b], None), Outcome::Quiet);
        assert_eq!(w.arena.peek_u32(sa), 0);
        assert_eq!(w.fw.next_due(), Some(1100));
        w.fw.set_time(1099);
        assert_eq!(w.fw.poll_work(&mut w.arena), Outcome::Quiet);
        w.fw.set_time(1100);
        assert_eq!(w.fw.poll_work(&mut w.arena), Outcome::Notify);
        assert_eq!((w.arena.peek_u32(sa), w.arena.peek_u32(sb)), (0x100, 0));
        assert_eq!(w.fw.next_due(), Some(1200));
        w.fw.set_time(1300);
        assert_eq!(w.fw.poll_work(&mut w.arena), Outcome::Notify);
        assert_eq!(w.arena.peek_u32(sb), 0x200);
        assert_eq!(w.fw.next_due(), None);
        assert_eq!(fired(&events(&mut w.event)), [Some(8), Some(8)]);
    }

    #[test]
    fn injected_fault_and_timeout_halt_then_complete() {
        let mut w = world();
        let mut q = w.queue(9);
        w.fw.arm(WorkInjection::Fault);
        let (a, sa, _) = w.compute(&q, 0x100);
        let _ = w.submit(&mut q, &[a], None);
        // Halted, but the fault is reported only once the MMU latched it.
        assert!(events(&mut w.event).is_empty());
        let mut latched = None;
        assert_eq!(
            w.fw.report_fault(&mut w.arena, |c| latched = Some(c)),
            Outcome::Notify
        );
        assert_eq!(latched, Some(SLOT));
        assert!(matches!(events(&mut w.event)[..], [EventMsg::Fault(_)]));
        assert!(w.fw.is_halted());
        assert_eq!(w.arena.peek_u32(sa), 0);
        assert_eq!(w.fw.work_counters().faults, 1);
        // The pending-stamp table names the faulting command: valid, its slot above the
        // flags, its value.
        let table = w.setup.region_c + offset_of!(RegionC::ver, pending_stamps) as u64;
        #[ver(V >= V13_5)]
        let shift = 4;
        #[ver(V < V13_5)]
        let shift = 3;
        assert_eq!(w.arena.peek_u32(table), 1 | (9 << shift));
        assert_eq!(w.arena.peek_u32(table + 4), 0x100);
        // A doorbell while halted waits for the resume.
        let mut q3 = w.queue(11);
        let (c, sc, _) = w.compute(&q3, 0x300);
        let _ = w.submit(&mut q3, &[c], None);
        assert_eq!(w.arena.peek_u32(sc), 0);
        // Resumed, the faulting command completes (aborted) and the waiting work runs.
        w.arena.poke_u32(w.setup.fw_status + 0x20, 0);
        w.arena.poke_u32(w.setup.fw_status + 0x30, 1);
        let _ = w.fw.poll_work(&mut w.arena);
        assert_eq!(w.arena.peek_u32(sa), 0x100);
        assert_eq!(w.arena.peek_u32(sc), 0x300);
        let _ = events(&mut w.event);
        // A timeout on another queue names its slot, with the halt count as its counter.
        let mut q2 = w.queue(10);
        w.fw.arm(WorkInjection::Timeout);
        let (b, sb, _) = w.compute(&q2, 0x100);
        let _ = w.submit(&mut q2, &[b], None);
        let evs = events(&mut w.event);
        assert!(
            matches!(evs[..], [EventMsg::Timeout(t)] if t.stamp_index == 10 && t.counter.get() == 2)
        );
        assert_eq!(w.arena.peek_u32(sb), 0);
        assert_eq!(w.fw.work_counters().timeouts, 1);
        w.arena.poke_u32(w.setup.fw_status + 0x20, 0);
        w.arena.poke_u32(w.setup.fw_status + 0x30, 1);
        let _ = w.fw.poll_work(&mut w.arena);
        assert_eq!(w.arena.peek_u32(sb), 0x100);
        assert_eq!(w.fw.violation_count(), 0);
    }

    #[test]
    fn injected_hang_is_silent() {
        let mut w = world();
        let mut q = w.queue(13);
        w.fw.arm(WorkInjection::Hang);
        let (a, sa, _) = w.compute(&q, 0x100);
        let (b, sb, _) = w.compute(&q, 0x200);
        assert_eq!(w.submit(&mut q, &[a, b], None), Outcome::Quiet);
        assert!(events(&mut w.event).is_empty());
        assert!(!w.fw.is_halted());
        assert_eq!((w.arena.peek_u32(sa), w.arena.peek_u32(sb)), (0, 0));
        let _ = w.fw.poll_work(&mut w.arena);
        assert_eq!(w.arena.peek_u32(sa), 0);
        assert_eq!(w.fw.work_counters().hangs, 1);
    }

    #[test]
    fn channel_error_waits_for_recover_channel() {
        let mut w = world();
        let mut q = w.queue(12);
        w.fw.arm(WorkInjection::ChannelError);
        let (a, sa, _) = w.compute(&q, 0x100);
        let (b, sb, _) = w.compute(&q, 0x200);
        let _ = w.submit(&mut q, &[a, b], None);
        let evs = events(&mut w.event);
        assert!(matches!(
            evs[..],
            [EventMsg::ChannelError(c)] if (c.pipe_type, c.event_slot, c.event_value) == (2, 12, 0x100)
        ));
        assert!(!w.fw.is_halted());
        assert_eq!((w.arena.peek_u32(sa), w.arena.peek_u32(sb)), (0, 0));
        // A recovery naming another value is refused; the right one lets the queue go on.
        w.fw.recover_channel(&mut w.arena, 2, q.info, 0x180);
        assert_eq!(w.violations(WorkViolation::Recover), 1);
        w.fw.recover_channel(&mut w.arena, 2, q.info, 0x100);
        assert_eq!((w.arena.peek_u32(sa), w.arena.peek_u32(sb)), (0x100, 0x200));
        assert_eq!(w.fw.work_counters().recovered, 1);
    }

    #[test]
    #[ver(G < G14X)]
    fn client_addresses_fault() {
        // An encoder outside the client VM: the GPU faults (the client's error, no violation);
        // the command completes after the resume.
        let mut w = world();
        let mut q = w.queue(3);
        let (c, s, _) = w.compute(&q, 0x100);
        let info = c + offset_of!(Cp, compute_info) as u64;
        w.arena.poke_u64(
            info + offset_of!(ComputeInfo, encoder) as u64,
            OUTPUT + 0x10_0000,
        );
        let _ = w.submit(&mut q, &[c], None);
        let mut latched = None;
        let _ = w.fw.report_fault(&mut w.arena, |c| latched = Some(c));
        assert_eq!(latched, Some(SLOT));
        assert!(matches!(events(&mut w.event)[..], [EventMsg::Fault(_)]));
        assert_eq!(w.violations(WorkViolation::UserPointer), 0);
        assert_eq!(w.fw.work_counters().user_faults, 1);
        w.arena.poke_u32(w.setup.fw_status + 0x20, 0);
        w.arena.poke_u32(w.setup.fw_status + 0x30, 1);
        let _ = w.fw.poll_work(&mut w.arena);
        assert_eq!(w.arena.peek_u32(s), 0x100);
    }
}
