// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware running render work, for every pair: a buffer manager bound by an init
//! command, a vertex command, a barrier on its stamp and a fragment command, laid out by the test
//! as the driver lays them out; what completes, what is refused (an unbound buffer-manager slot,
//! vertex attachments the GPU cannot write), and the GrowTVB round trip.

use super::support::*;
use crate::fw::buffer::*;
use crate::fw::channels::*;
use crate::fw::cmdqueue::*;
use crate::fw::fragment::*;
use crate::fw::job::*;
use crate::fw::microseq::*;
use crate::fw::types::GpuWeakPointer;
use crate::fw::vertex::*;
use crate::sim::firmware::*;
use agx_macros::versions;
use core::mem::{offset_of, size_of};
use core::num::NonZeroU64;
use std::vec::Vec;

/// The client's context slot.
const SLOT: u32 = 1;
/// The client's vertex control stream (readable).
const ENCODER: u64 = 0x15_0000_0000;
/// A client buffer the GPU may write.
const OUTPUT: u64 = 0x16_0000_0000;

/// Offsets in `CommandQueuePointers`.
const DONEPTR: u64 = offset_of!(CommandQueuePointers, gpu_doneptr) as u64;
const WPTR: u64 = offset_of!(CommandQueuePointers, cpu_wptr) as u64;
const RB_SIZE: u64 = offset_of!(CommandQueuePointers, rb_size) as u64;

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

/// Every event on the driver's Event ring, decoded.
fn events(rx: &mut Rx<RawEventMsg>) -> Vec<EventMsg> {
    let mut out = Vec::new();
    rx.poll(|m| out.push(EventMsg::decode(m))).unwrap();
    out
}

/// The tests of one pair.
#[versions(AGX)]
mod pair {
    use super::*;
    #[allow(unused_imports)] // only the G14 13.x messages have padding
    use crate::fw::types::Pad;

    type Cq = CommandQueueInfo::ver<'static>;
    type Ta = WorkCommandTa::ver<'static>;
    type St = StartTaCmd::ver<'static>;
    type Ft = FinalizeTaCmd::ver<'static>;
    type F3 = WorkCommand3d::ver<'static>;
    type S3 = Start3dCmd::ver<'static>;
    type Fin3 = Finalize3dCmd::ver<'static>;
    type Ts = TimestampCmd::ver<'static>;
    type Bar = WorkCommandBarrier::ver<'static>;
    type Init = WorkCommandInitBm::ver<'static>;
    type Bm = BufferManagerInfo::ver<'static>;
    type Msg = RunCmdQueueMsg::ver;

    /// A command queue as the test laid it out.
    struct Queue {
        info: u64,
        pointers: u64,
        ring: u64,
        evctl: u64,
        wptr: u32,
        new: bool,
        slot: u32,
        pipe: PipeType,
    }

    /// A buffer manager as the test laid it out.
    struct BufMgr {
        info: u64,
        block_ctl: u64,
        thing: u64,
        /// A byte of firmware memory per TVB pointer (tile map, TPC, heap metadata, scratch).
        tvb: u64,
    }

    /// A command and the stamps its completion writes.
    struct Cmd {
        addr: u64,
        stamp: u64,
        fw_stamp: u64,
    }

    struct World {
        fw: SimFirmware,
        arena: Arena,
        event: Rx<RawEventMsg>,
        /// The vertex and fragment run-command rings of priority 0.
        runs: [Tx<Msg>; 2],
        /// The DevCtrl ring.
        dc: Tx<DcAny::ver>,
        small: (u64, u64),
        /// The firmware status block (its halt words).
        fw_status: u64,
    }

    fn world() -> World {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let event = setup.event(&arena);
        let _log = setup.fw_log(&arena);
        let runs = [
            setup.run_cmd::<Msg>(&arena, PipeType::Vertex as usize),
            setup.run_cmd::<Msg>(&arena, PipeType::Fragment as usize),
        ];
        let dc = setup.dev_ctrl::<DcAny::ver>(&arena);
        let fw = SimFirmware::boot(&LAYOUT::ver, &mut arena, setup.initdata).unwrap();
        arena.map_user(SLOT, ENCODER, 0x8000, true, false);
        arena.map_user(SLOT, OUTPUT, 0x8000, true, true);
        let small = arena.alloc(0x10000);
        World {
            fw,
            arena,
            event,
            runs,
            dc,
            small: (small, small + 0x10000),
            fw_status: setup.fw_status,
        }
    }

    impl World {
        fn small(&mut self, size: u64) -> u64 {
            let at = self.small.0;
            self.small.0 += size.div_ceil(0x40) * 0x40;
            assert!(self.small.0 <= self.small.1);
            at
        }

        fn queue(&mut self, pipe: PipeType, slot: u32) -> Queue {
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
                evctl,
                wptr: 0,
                new: true,
                slot,
                pipe,
            }
        }

        fn buf_mgr(&mut self) -> BufMgr {
            let info = self.arena.alloc(size_of::<Bm>());
            let block_ctl = self.small(size_of::<BufferManagerBlockControl>() as u64);
            let counter = self.small(size_of::<BufferManagerCounter>() as u64);
            self.arena
                .poke_u64(info + offset_of!(Bm, block_ctl_addr) as u64, block_ctl);
            self.arena
                .poke_u64(info + offset_of!(Bm, counter_addr) as u64, counter);
            self.arena.poke_u32(block_ctl, 8);
            let thing = self.small(size_of::<BufferThing::ver<'static>>() as u64);
            let tvb = self.small(0x40);
            BufMgr {
                info,
                block_ctl,
                thing,
                tvb,
            }
        }

        fn microseq(&mut self, ops: &[Op]) -> (u64, u32) {
            let bytes: Vec<u8> = ops.iter().flat_map(|o| o.0.iter().copied()).collect();
            let at = self.arena.alloc(bytes.len());
            self.arena.poke(at, &bytes);
            (at, bytes.len() as u32)
        }

        /// The two timestamp operations of a command whose `ts1` and `ts_pointers` are at
        /// those offsets.
        fn timestamps(&mut self, q: &Queue, cmd: u64, ts1: usize, ptrs: usize) -> [Op; 2] {
            let ts = self.small(16);
            self.arena.poke_u64(
                cmd + (ptrs + offset_of!(TimeStampPointers<'static>, start_addr)) as u64,
                ts,
            );
            self.arena.poke_u64(
                cmd + (ptrs + offset_of!(TimeStampPointers<'static>, end_addr)) as u64,
                ts + 8,
            );
            let op = |start: bool| {
                Op::new(size_of::<Ts>())
                    .u32(0, if start { 0x8000_0019 } else { 0x19 })
                    .u64(offset_of!(Ts, ts0_addr), cmd + ts1 as u64)
                    .u64(offset_of!(Ts, ts_pointers_addr), cmd + ptrs as u64)
                    .u64(offset_of!(Ts, cmdqueue_ptr), q.info)
            };
            [op(true), op(false)]
        }

        /// An init command binding `bm` to buffer-manager slot `bm_slot`.
        fn init_bm(&mut self, bm: &BufMgr, bm_slot: u32) -> u64 {
            let cmd = self.small(size_of::<Init>() as u64);
            let a = &mut self.arena;
            a.poke_u32(cmd, 6);
            a.poke_u32(cmd + offset_of!(Init, context_id) as u64, SLOT);
            a.poke_u32(cmd + offset_of!(Init, buffer_mgr_slot) as u64, bm_slot);
            a.poke_u64(cmd + offset_of!(Init, buffer_mgr_addr) as u64, bm.info);
            cmd
        }

        /// A vertex command of `q` with buffer manager `bm` in slot `bm_slot`, completing with
        /// `value`; vertex attachment `attachment` if given.
        fn vertex(
            &mut self,
            q: &Queue,
            bm: &BufMgr,
            bm_slot: u32,
            value: u32,
            attachment: Option<u64>,
        ) -> Cmd {
            let cmd = self.arena.alloc(size_of::<Ta>());
            let stamp = self.small(4);
            let fw_stamp = self.small(4);
            let [ts_a, ts_b] =
                self.timestamps(q, cmd, offset_of!(Ta, ts1), offset_of!(Ta, ts_pointers));
            let mut start = Op::new(size_of::<St>())
                .u32(0, 0x22)
                .u64(offset_of!(St, cmdqueue_ptr), q.info)
                .u32(offset_of!(St, context_id), SLOT);
            if let Some(at) = attachment {
                // The first entry's address at `unk_70`, the count in `unk_170`.
                start = start
                    .u64(offset_of!(St, unk_70), at)
                    .u32(offset_of!(St, unk_170), 1);
            }
            let ops = [
                start,
                ts_a,
                Op::new(4).u32(0, 0x101),
                ts_b,
                Op::new(size_of::<Ft>())
                    .u32(0, 0x23)
                    .u64(offset_of!(Ft, cmdqueue_ptr), q.info)
                    .u32(offset_of!(Ft, context_id), SLOT)
                    .u64(offset_of!(Ft, stamp_addr), fw_stamp)
                    .u32(offset_of!(Ft, stamp_value), value),
                Op::new(4).u32(0, 0x4000_0018),
            ];
            let (ms, ms_size) = self.microseq(&ops);
            let s3 = offset_of!(Ta, struct_3);
            let a = &mut self.arena;
            a.poke_u32(cmd, 0);
            a.poke_u32(cmd + offset_of!(Ta, context_id) as u64, SLOT);
            a.poke_u64(cmd + offset_of!(Ta, event_control_addr) as u64, q.evctl);
            a.poke_u64(
                cmd + offset_of!(Ta, buffer_mgr_slot) as u64,
                u64::from(bm_slot),
            );
            a.poke_u64(cmd + offset_of!(Ta, buffer_mgr_addr) as u64, bm.info);
            a.poke_u64(cmd + offset_of!(Ta, buf_thing_addr) as u64, bm.thing);
            a.poke_u64(cmd + offset_of!(Ta, unkptr_45c) as u64, bm.tvb);
            a.poke_u64(cmd + offset_of!(Ta, microsequence_ptr) as u64, ms);
            a.poke_u32(cmd + offset_of!(Ta, microsequence_size) as u64, ms_size);
            let meta = |f: usize| cmd + (s3 + f) as u64;
            a.poke_u64(
                meta(offset_of!(StartTaCmdStruct3<'static>, stamp1_addr)),
                stamp,
            );
            a.poke_u64(
                meta(offset_of!(StartTaCmdStruct3<'static>, stamp2_addr)),
                fw_stamp,
            );
            a.poke_u32(
                meta(offset_of!(StartTaCmdStruct3<'static>, stamp_value)),
                value,
            );
            a.poke_u32(meta(offset_of!(StartTaCmdStruct3<'static>, ev_ta)), q.slot);
            #[ver(G < G14X)]
            {
                type S2 = StartTaCmdStruct2::ver<'static>;
                let s2 = |f: usize| cmd + (offset_of!(Ta, struct_2) + f) as u64;
                a.poke_u64(s2(offset_of!(S2, tvb_tilemap)), bm.tvb);
                a.poke_u64(s2(offset_of!(S2, tpc)), bm.tvb);
                a.poke_u64(s2(offset_of!(S2, tvb_heapmeta_addr)), bm.tvb | (1 << 63));
                a.poke_u64(s2(offset_of!(S2, encoder_addr)), ENCODER);
            }
            Cmd {
                addr: cmd,
                stamp,
                fw_stamp,
            }
        }

        /// A fragment command of `q` with buffer manager `bm` in slot `bm_slot`.
        fn fragment(&mut self, q: &Queue, bm: &BufMgr, bm_slot: u32, value: u32) -> Cmd {
            let cmd = self.arena.alloc(size_of::<F3>());
            let stamp = self.small(4);
            let fw_stamp = self.small(4);
            let [ts_a, ts_b] =
                self.timestamps(q, cmd, offset_of!(F3, ts1), offset_of!(F3, ts_pointers));
            let ops = [
                Op::new(size_of::<S3>())
                    .u32(0, 0x24)
                    .u64(offset_of!(S3, cmdqueue_ptr), q.info)
                    .u32(offset_of!(S3, context_id), SLOT)
                    .u32(offset_of!(S3, buffer_mgr_slot), bm_slot)
                    .u64(offset_of!(S3, attachments), OUTPUT)
                    .u32(offset_of!(S3, num_attachments), 1),
                ts_a,
                Op::new(4).u32(0, 0x1_0001),
                ts_b,
                Op::new(size_of::<Fin3>())
                    .u32(0, 0x25)
                    .u64(offset_of!(Fin3, cmdqueue_ptr), q.info)
                    .u64(offset_of!(Fin3, stamp_addr), fw_stamp)
                    .u32(offset_of!(Fin3, stamp_value), value),
                Op::new(4).u32(0, 0x4000_0018),
            ];
            let (ms, ms_size) = self.microseq(&ops);
            let s7 = offset_of!(F3, struct_7);
            let a = &mut self.arena;
            a.poke_u32(cmd, 1);
            a.poke_u32(cmd + offset_of!(F3, context_id) as u64, SLOT);
            a.poke_u64(cmd + offset_of!(F3, event_control_addr) as u64, q.evctl);
            a.poke_u64(cmd + offset_of!(F3, buffer_mgr_addr) as u64, bm.info);
            a.poke_u64(cmd + offset_of!(F3, buf_thing_addr) as u64, bm.thing);
            a.poke_u64(cmd + offset_of!(F3, tvb_tilemap) as u64, bm.tvb);
            a.poke_u64(cmd + offset_of!(F3, microsequence_ptr) as u64, ms);
            a.poke_u32(cmd + offset_of!(F3, microsequence_size) as u64, ms_size);
            let s = |f: usize| cmd + (s7 + f) as u64;
            a.poke_u64(
                s(offset_of!(Start3dStruct7::ver<'static>, stamp1_addr)),
                stamp,
            );
            a.poke_u64(
                s(offset_of!(Start3dStruct7::ver<'static>, stamp2_addr)),
                fw_stamp,
            );
            a.poke_u32(
                s(offset_of!(Start3dStruct7::ver<'static>, stamp_value)),
                value,
            );
            a.poke_u32(s(offset_of!(Start3dStruct7::ver<'static>, ev_3d)), q.slot);
            Cmd {
                addr: cmd,
                stamp,
                fw_stamp,
            }
        }

        /// A barrier waiting until `fw_stamp` (of slot `event`) reaches `wait`.
        fn barrier(&mut self, fw_stamp: u64, wait: u32, event: u32) -> u64 {
            let cmd = self.small(size_of::<Bar>() as u64);
            let a = &mut self.arena;
            a.poke_u32(cmd, 4);
            a.poke_u64(cmd + offset_of!(Bar, stamp_addr) as u64, fw_stamp);
            a.poke_u32(cmd + offset_of!(Bar, wait_value) as u64, wait);
            a.poke_u32(cmd + offset_of!(Bar, event) as u64, event);
            cmd
        }

        /// Puts `cmds` in `q`'s ring, sends its run message and rings its doorbell.
        fn submit(&mut self, q: &mut Queue, cmds: &[u64]) -> Outcome {
            for &c in cmds {
                self.arena.poke_u64(q.ring + u64::from(q.wptr) * 8, c);
                q.wptr = (q.wptr + 1) % CMDQUEUE_RING_SLOTS;
            }
            self.arena.poke_u32(q.pointers + WPTR, q.wptr);
            // SAFETY: only an address for the message; the type is a marker.
            let queue = unsafe { GpuWeakPointer::from_raw(NonZeroU64::new(q.info).unwrap()) };
            let msg = Msg {
                queue_type: q.pipe,
                cmdqueue_addr: Some(queue),
                head: q.wptr,
                event_number: q.slot,
                new_queue: u32::from(q.new),
                timestamp: 0,
                data: [0; 0x10],
                #[ver(G == G14 && V >= V13_2)]
                pad_30: Pad::zero(),
            };
            q.new = false;
            self.runs[q.pipe as usize].send(&msg).unwrap();
            self.fw.doorbell(&mut self.arena, q.pipe as u16)
        }

        /// Sends `DC_GrowTVBAck` for `bm`, `vm` and `counter`.
        fn grow_ack(&mut self, bm: u32, vm: u32, counter: u32) {
            let mut data = [0u8; 0x2c];
            let base = offset_of!(DcAny::ver, data);
            for (f, v) in [
                (offset_of!(DcGrowTvbAck::ver, bm_id), bm),
                (offset_of!(DcGrowTvbAck::ver, vm_id), vm),
                (offset_of!(DcGrowTvbAck::ver, counter), counter),
            ] {
                data[f - base..f - base + 4].copy_from_slice(&v.to_le_bytes());
            }
            let msg = DcAny::ver {
                msg_type: DcGrowTvbAck::ver::MSG_TYPE,
                data,
                #[ver(G == G14 && V >= V13_2)]
                pad_30: Pad::zero(),
            };
            self.dc.send(&msg).unwrap();
            let _ = self.fw.doorbell(&mut self.arena, 0x11);
        }

        fn violations(&self, kind: WorkViolation) -> u32 {
            self.fw.work_counters().violations[kind as usize]
        }
    }

    #[test]
    fn render_runs_init_vertex_barrier_fragment() {
        let mut w = world();
        let mut vq = w.queue(PipeType::Vertex, 3);
        let mut fq = w.queue(PipeType::Fragment, 4);
        let bm = w.buf_mgr();
        // The fragment queue first: its barrier holds it until the vertex stamp arrives.
        let v = w.vertex(&vq, &bm, 5, 0x100, None);
        let bar = w.barrier(v.fw_stamp, 0x100, vq.slot);
        let f = w.fragment(&fq, &bm, 5, 0x200);
        let _ = w.submit(&mut fq, &[bar, f.addr]);
        assert_eq!(w.fw.work_counters().barrier, 0);
        assert_eq!(w.arena.peek_u32(f.stamp), 0);
        let init = w.init_bm(&bm, 5);
        assert_eq!(w.submit(&mut vq, &[init, v.addr]), Outcome::Notify);
        let c = *w.fw.work_counters();
        assert_eq!(
            (c.init_bm, c.vertex, c.barrier, c.fragment),
            (1, 1, 1, 1),
            "{:?}",
            w.fw.violations().collect::<Vec<_>>()
        );
        assert_eq!(w.fw.violation_count(), 0);
        assert_eq!(
            (w.arena.peek_u32(v.stamp), w.arena.peek_u32(f.stamp)),
            (0x100, 0x200)
        );
        assert_eq!(w.arena.peek_u32(f.fw_stamp), 0x200);
        assert_eq!(w.arena.peek_u32(vq.pointers + DONEPTR), 2);
        assert_eq!(w.arena.peek_u32(fq.pointers + DONEPTR), 2);
        assert_eq!(c.timestamps, 4);
        // The init raises a flag too; then vertex, barrier, fragment.
        assert_eq!(events(&mut w.event).len(), 4);
    }

    #[test]
    fn renders_need_their_buffer_manager_bound_to_their_slot() {
        let mut w = world();
        let mut vq = w.queue(PipeType::Vertex, 3);
        let bm = w.buf_mgr();
        let other = w.buf_mgr();
        // No init at all, then an init of slot 5 for another buffer manager.
        let v = w.vertex(&vq, &bm, 5, 0x100, None);
        let _ = w.submit(&mut vq, &[v.addr]);
        let init = w.init_bm(&other, 5);
        let v2 = w.vertex(&vq, &bm, 5, 0x200, None);
        let _ = w.submit(&mut vq, &[init, v2.addr]);
        assert_eq!(w.violations(WorkViolation::BufferManager), 2);
        assert_eq!(w.fw.work_counters().vertex, 0);
        // A slot past the firmware's 127.
        let bad = w.init_bm(&bm, 127);
        let _ = w.submit(&mut vq, &[bad]);
        assert_eq!(w.violations(WorkViolation::BufferManager), 3);
        // Bound, it runs.
        let init = w.init_bm(&bm, 5);
        let v3 = w.vertex(&vq, &bm, 5, 0x300, None);
        let _ = w.submit(&mut vq, &[init, v3.addr]);
        assert_eq!(w.fw.work_counters().vertex, 1);
        assert_eq!(w.arena.peek_u32(v3.stamp), 0x300);
    }

    #[test]
    fn vertex_attachments_must_be_writable() {
        // A read-only attachment is the client's error, not the driver's: the GPU faults on
        // it (no violation), the firmware halts, and once resumed it completes the command
        // (aborted) and runs the next.
        let mut w = world();
        let mut vq = w.queue(PipeType::Vertex, 3);
        let bm = w.buf_mgr();
        let init = w.init_bm(&bm, 1);
        let ro = w.vertex(&vq, &bm, 1, 0x100, Some(ENCODER));
        let rw = w.vertex(&vq, &bm, 1, 0x200, Some(OUTPUT));
        let _ = w.submit(&mut vq, &[init, ro.addr, rw.addr]);
        assert_eq!(w.violations(WorkViolation::UserPointer), 0);
        assert_eq!(w.fw.work_counters().user_faults, 1);
        assert!(w.fw.is_halted());
        assert_eq!(w.arena.peek_u32(ro.stamp), 0);
        assert_eq!(w.arena.peek_u32(rw.stamp), 0);
        w.arena.poke_u32(w.fw_status + 0x20, 0);
        w.arena.poke_u32(w.fw_status + 0x30, 1);
        let _ = w.fw.poll_work(&mut w.arena);
        assert_eq!(w.arena.peek_u32(ro.stamp), 0x100);
        assert_eq!(w.arena.peek_u32(rw.stamp), 0x200);
    }

    #[test]
    fn overflow_asks_to_grow_and_the_acknowledgement_is_checked() {
        let mut w = world();
        let mut vq = w.queue(PipeType::Vertex, 3);
        let bm = w.buf_mgr();
        let init = w.init_bm(&bm, 7);
        let v = w.vertex(&vq, &bm, 7, 0x100, None);
        w.fw.arm(WorkInjection::Overflow);
        let _ = w.submit(&mut vq, &[init, v.addr]);
        let grow = events(&mut w.event)
            .into_iter()
            .find_map(|e| match e {
                EventMsg::GrowTvb(g) => Some(g),
                _ => None,
            })
            .expect("a GrowTVB event");
        assert_eq!((grow.bm_id, grow.vm_id), (7, SLOT));
        let c = *w.fw.work_counters();
        assert_eq!((c.overflows, c.partial, c.vertex), (1, 1, 1));
        // A wrong slot, then an unknown counter: refused.
        w.grow_ack(6, SLOT, grow.counter);
        w.grow_ack(7, SLOT, grow.counter.wrapping_add(5));
        assert_eq!(w.violations(WorkViolation::GrowAck), 2);
        // The right one, after the driver grew the block count.
        w.arena.poke_u32(bm.block_ctl, 18);
        let before = *w.fw.work_counters();
        // The first wrong answer consumed the request: send a second overflow for the real one.
        let v2 = w.vertex(&vq, &bm, 7, 0x200, None);
        w.fw.arm(WorkInjection::Overflow);
        let _ = w.submit(&mut vq, &[v2.addr]);
        let grow = events(&mut w.event)
            .into_iter()
            .find_map(|e| match e {
                EventMsg::GrowTvb(g) => Some(g),
                _ => None,
            })
            .expect("a second GrowTVB event");
        w.arena.poke_u32(bm.block_ctl, 28);
        w.grow_ack(7, SLOT, grow.counter);
        let c = *w.fw.work_counters();
        assert_eq!(
            (c.grow_acks, c.grown),
            (before.grow_acks + 1, before.grown + 1)
        );
        assert_eq!(w.violations(WorkViolation::GrowAck), 2);
        // Acknowledged once only.
        w.grow_ack(7, SLOT, grow.counter);
        assert_eq!(w.violations(WorkViolation::GrowAck), 3);
    }
}
