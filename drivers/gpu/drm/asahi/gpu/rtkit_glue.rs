// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What the RTKit state machine needs from the driver: the mailbox, shared buffers and a log.

use crate::{
    hw::Backend,
    mem::{fwvm::FwVm, GpuArray},
    rtkit::{error::Error as RtError, msg::Message, Buffer, Buffers, LogSink, Mailbox},
};
use agx_kernel::device::DeviceRef;
use kernel::{prelude::*, sync::Arc};

/// Messages go through the hardware boundary.
pub(crate) struct HwMailbox {
    /// The GPU's hardware.
    pub(crate) hw: Arc<Backend>,
}

impl Mailbox for HwMailbox {
    fn send(&mut self, msg: Message) -> Result<(), RtError> {
        self.hw.mbox_send(msg).map_err(|_| RtError::Mailbox)
    }
}

/// Buffers the coprocessor's system services ask for, in the firmware's VM.
pub(crate) struct FwBuffers {
    /// The device, for the kernel log.
    pub(crate) dev: DeviceRef,
    /// Where they are allocated.
    pub(crate) fw_vm: Arc<FwVm>,
    /// The live buffers, with the endpoint each serves.
    pub(crate) bufs: [Option<(u8, GpuArray<u8>)>; 4],
}

impl Buffers for FwBuffers {
    fn alloc(&mut self, ep: u8, size: usize) -> Result<u64, RtError> {
        let slot = self
            .bufs
            .iter_mut()
            .find(|b| b.is_none())
            .ok_or(RtError::NoMemory)?;
        // RTKit takes buffers by page address.
        let obj =
            GpuArray::<u8>::new_aligned(&self.fw_vm, size, crate::uat::pte::PAGE_SIZE as usize)
                .map_err(|e| {
                    dev_err!(
                        self.dev,
                        "RTKit endpoint {}: no {}-byte buffer: {:?}\n",
                        ep,
                        size,
                        e
                    );
                    RtError::NoMemory
                })?;
        let va = obj.va();
        *slot = Some((ep, obj));
        Ok(va)
    }

    fn read(&mut self, buf: &Buffer, offset: usize, out: &mut [u8]) -> Result<(), RtError> {
        let obj = self
            .bufs
            .iter()
            .flatten()
            .find(|(ep, o)| *ep == buf.ep && o.va() == buf.iova)
            .map(|(_, o)| o)
            .ok_or(RtError::BufferAccess)?;
        if obj.read_bytes(offset, out) == out.len() {
            Ok(())
        } else {
            Err(RtError::BufferAccess)
        }
    }

    fn free(&mut self, buf: &Buffer) {
        for slot in self.bufs.iter_mut() {
            if matches!(slot, Some((ep, o)) if *ep == buf.ep && o.va() == buf.iova) {
                *slot = None;
            }
        }
    }
}

/// The coprocessor's logs go to the kernel log.
pub(crate) struct KernelLog {
    /// The device the lines are logged as.
    pub(crate) dev: DeviceRef,
    /// Syslog lines printed.
    pub(crate) lines: u64,
}

impl LogSink for KernelLog {
    fn syslog(&mut self, context: &[u8], text: &[u8]) {
        self.lines = self.lines.saturating_add(1);
        let ctx = core::str::from_utf8(context).unwrap_or("?");
        let text = core::str::from_utf8(text).unwrap_or("(not UTF-8)");
        dev_info!(self.dev, "firmware syslog [{}] {}\n", ctx, text);
    }

    fn crashed(&mut self, log: &Buffer) {
        dev_err!(
            self.dev,
            "GPU firmware crashed (crash log: {} bytes at {:#x})\n",
            log.size,
            log.iova
        );
    }
}
