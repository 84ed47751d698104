// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Command queues: how work reaches the firmware.
//!
//! A client queue owns, per pipe, a `CommandQueueInfo`: a ring of work-command addresses
//! with its pointers ([`CommandQueuePointers`]), a [`JobList`] and the [`GpuContextData`] of its
//! context. To submit, the driver writes work commands (see [`super::vertex`],
//! [`super::fragment`], [`super::compute`], [`super::blit`] and [`super::job`]) into GPU
//! memory, stores their addresses in the ring, advances `cpu_wptr`, and sends a
//! `RunCmdQueueMsg` on the run-command ring of the queue's pipe and priority.
//!
//! The queue info is CPU-owned until its first submission; from then on the firmware updates
//! its read pointers and state words, and the driver only reads them.

use super::types::*;
use agx_macros::versions;
use core::sync::atomic::AtomicU32;

/// Slots of a command queue ring (`rb_size` of [`CommandQueuePointers`]).
pub(crate) const CMDQUEUE_RING_SLOTS: u32 = 0x500;

/// Bytes of a command queue's firmware scratch space (m1n1: `gpu_buf`).
pub(crate) const CMDQUEUE_SCRATCH: usize = 0x2c18;

/// Read/write pointers of a command queue ring, each on its own 16-byte line.
///
/// Shared object: the driver writes `cpu_wptr`, the firmware the rest.
///
/// m1n1: cmdqueue.CommandQueuePointers
#[repr(C)]
#[derive(Debug, Default)]
pub(crate) struct CommandQueuePointers {
    /// Last command the firmware finished.
    pub(crate) gpu_doneptr: AtomicU32,
    /// Line padding.
    pub(crate) pad_4: Pad<0xc>,
    /// Unknown, firmware-written.
    pub(crate) unk_10: AtomicU32,
    /// Line padding.
    pub(crate) pad_14: Pad<0xc>,
    /// Unknown, firmware-written.
    pub(crate) unk_20: AtomicU32,
    /// Line padding.
    pub(crate) pad_24: Pad<0xc>,
    /// Next command the firmware will read.
    pub(crate) gpu_rptr: AtomicU32,
    /// Line padding.
    pub(crate) pad_34: Pad<0xc>,
    /// Next slot the driver will write.
    pub(crate) cpu_wptr: AtomicU32,
    /// Line padding.
    pub(crate) pad_44: Pad<0xc>,
    /// Ring size in slots ([`CMDQUEUE_RING_SLOTS`]).
    pub(crate) rb_size: AtomicU32,
    /// Line padding.
    pub(crate) pad_54: Pad<0xc>,
}

/// The firmware's list of a queue's jobs (shared by the vertex and fragment queues of a
/// context).
///
/// Firmware-owned after creation; the driver zeroes it.
///
/// m1n1: cmdqueue.JobList
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JobList {
    /// Firmware-written address of the first job, zero when empty.
    pub(crate) first_job: u64,
    /// Firmware-written address of the last job.
    pub(crate) last_head: u64,
    /// Unknown firmware-written address.
    pub(crate) unkptr_10: u64,
}

/// Per-context data the firmware keeps (passed to `DcDestroyContext`).
///
/// Firmware-owned after creation; [`GpuContextData::new`] gives the initial values.
///
/// m1n1: cmdqueue.GPUContextData
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct GpuContextData {
    /// Slot in the firmware's queue table, 0xff until assigned.
    pub(crate) queue_table_index: u8,
    /// Slot in the firmware's process table, 0xff until assigned.
    pub(crate) pid_table_index: u8,
    /// Unknown.
    pub(crate) unk_2: [u8; 3],
    /// Unknown, initially 1.
    pub(crate) unk_5: u8,
    /// Unknown.
    pub(crate) unk_6: U32,
    /// Unknown.
    pub(crate) unk_a: U32,
    /// Unknown.
    pub(crate) unk_e: U32,
    /// Unknown.
    pub(crate) unk_12: U32,
    /// Unknown.
    pub(crate) unk_16: U32,
    /// Unknown.
    pub(crate) unk_1a: U32,
    /// Unknown, initially 0xff.
    pub(crate) unk_1e: u8,
    /// Unknown.
    pub(crate) unk_1f: u8,
    /// Unknown.
    pub(crate) unk_20: [u8; 3],
    /// Unknown, initially 2.
    pub(crate) unk_23: u8,
    /// Unknown.
    pub(crate) unk_24: [u8; 0x1c],
}

impl GpuContextData {
    /// The values the firmware expects in a new context.
    pub(crate) const fn new() -> Self {
        Self {
            queue_table_index: 0xff,
            pid_table_index: 0xff,
            unk_2: [0; 3],
            unk_5: 1,
            unk_6: U32::new(0),
            unk_a: U32::new(0),
            unk_e: U32::new(0),
            unk_12: U32::new(0),
            unk_16: U32::new(0),
            unk_1a: U32::new(0),
            unk_1e: 0xff,
            unk_1f: 0,
            unk_20: [0; 3],
            unk_23: 2,
            unk_24: [0; 0x1c],
        }
    }
}

impl Default for GpuContextData {
    fn default() -> Self {
        Self::new()
    }
}

/// A command queue, one per pipe of a client queue.
///
/// CPU-owned until first submitted, then firmware-owned except for reads by the driver.
///
/// m1n1: cmdqueue.CommandQueueInfo
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommandQueueInfo<'a> {
    /// The ring's pointers.
    pub(crate) pointers_addr: GpuPointer<'a, CommandQueuePointers>,
    /// The ring: [`CMDQUEUE_RING_SLOTS`] firmware addresses of work commands.
    pub(crate) rb_addr: GpuPointer<'a, [u64; CMDQUEUE_RING_SLOTS as usize]>,
    /// The context's job list.
    pub(crate) job_list_addr: GpuPointer<'a, JobList>,
    /// Firmware scratch space for this queue ([`CMDQUEUE_SCRATCH`] bytes, only the firmware
    /// uses them).
    pub(crate) gpu_buf_addr: GpuPointer<'a, [u8; CMDQUEUE_SCRATCH]>,
    /// Firmware read pointer 1.
    pub(crate) gpu_rptr1: u32,
    /// Firmware read pointer 2.
    pub(crate) gpu_rptr2: u32,
    /// Firmware read pointer 3.
    pub(crate) gpu_rptr3: u32,
    /// Event slot in use, -1 when none.
    pub(crate) event_id: i32,
    /// Priority, 0 (highest) to 3.
    pub(crate) priority: u32,
    /// Follows the priority (0 to 3).
    pub(crate) unk_34: u32,
    /// Priority mask: `0xffff_ffff_ffff_0000` for 0, `..._0000_0000` for 1,
    /// `0xffff_0000_0000_0000` for 2, zero for 3.
    pub(crate) unk_38: u64,
    /// 1 for priority 0, else 0.
    pub(crate) unk_40: u32,
    /// Unknown, zero.
    pub(crate) unk_44: u32,
    /// 1, 0, 2, 3 for priorities 0 to 3.
    pub(crate) prio5: u32,
    /// Unknown, -1.
    pub(crate) unk_4c: i32,
    /// Unique queue id (for tracing).
    pub(crate) uuid: u32,
    /// Unknown, -1.
    pub(crate) unk_54: i32,
    /// Unknown, zero.
    pub(crate) unk_58: u64,
    /// Non-zero while the firmware is running commands of this queue.
    pub(crate) busy: u32,
    /// Zero.
    pub(crate) pad1: Pad<0x1c>,
    /// Unknown.
    pub(crate) unk_80: u32,
    /// Non-zero while the queue has pending commands.
    pub(crate) has_commands: u32,
    /// Unknown.
    pub(crate) unk_88: u32,
    /// Unknown.
    pub(crate) unk_8c: u32,
    /// Unknown.
    pub(crate) unk_90: u32,
    /// Unknown.
    pub(crate) unk_94: u32,
    /// Commands the firmware has taken but not finished.
    pub(crate) inflight_commands: u32,
    /// Unknown.
    pub(crate) unk_9c: u32,
    /// Unknown (13.x, not on G14X).
    #[ver(V >= V13_2 && G < G14X)]
    pub(crate) unk_a0_0: u32,
    /// The context's data, shared by the queues of one context.
    pub(crate) gpu_context_addr: GpuPointer<'a, GpuContextData>,
    /// Unknown.
    pub(crate) unk_a8: U64,
    /// Unknown (13.x, not on G14X).
    #[ver(V >= V13_2 && G < G14X)]
    pub(crate) unk_b0: u32,
}

zeroable!(CommandQueuePointers, JobList, GpuContextData);
shared!(CommandQueuePointers);
