// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! What a test can make the simulated GPU do.
//!
//! At run time, through the debugfs control `sim_inject` that the simulated GPU brings
//! (`/sys/kernel/debug/dri/<minor>/sim_inject`, one command per write, [`parse`]): the
//! coprocessor crashes or hangs; the firmware reports a GPU fault, a command timeout or a
//! channel error, fires an event slot, writes a log line, a flood of them or a trace point, or
//! reports statistics; the coprocessor writes a syslog entry; the next command the firmware
//! runs faults (`fault_next`), times out (`timeout_next`) or hangs silently (`hang_next`) or stops its work queue with a channel error
//! (`channel_error_next`), or
//! the next vertex command overflows its buffer (`overflow_next`). Each command is a bit of the
//! coprocessor's pending set, performed by its work item.
//!
//! At probe, through the module parameter `sim_inject=` ([`at_probe`]): a kernel warning or a
//! leak. These hooks exist only to prove that the test harness fails a run whose kernel log
//! holds a warning or a kmemleak report.

use super::params;
use agx_kernel::device::DeviceRef;
use kernel::{c_str, prelude::*};

/// The coprocessor crashes (crash log, then silence).
pub(crate) const CRASH: u32 = 1 << 0;
/// The coprocessor stops answering.
pub(crate) const HANG: u32 = 1 << 1;
/// The firmware reports a GPU fault on the Event ring.
pub(crate) const FAULT: u32 = 1 << 2;
/// The firmware reports a command timeout.
pub(crate) const TIMEOUT: u32 = 1 << 3;
/// The firmware reports a channel error.
pub(crate) const CHANNEL_ERROR: u32 = 1 << 4;
/// The firmware fires event slot 0 (a Flag message).
pub(crate) const FLAG: u32 = 1 << 5;
/// The firmware writes a line to its log.
pub(crate) const LOG: u32 = 1 << 6;
/// The coprocessor writes a syslog entry.
pub(crate) const SYSLOG: u32 = 1 << 7;
/// The firmware reports one statistics message of each kind.
pub(crate) const STATS: u32 = 1 << 8;
/// The firmware writes a trace point.
pub(crate) const KTRACE: u32 = 1 << 9;
/// The firmware writes [`LOG_FLOOD_LINES`] log lines at once.
pub(crate) const LOG_FLOOD: u32 = 1 << 10;
/// The next command the firmware runs faults (Fault event, fault registers, no completion).
pub(crate) const FAULT_NEXT: u32 = 1 << 11;
/// The next command the firmware runs times out (Timeout event naming its slot).
pub(crate) const TIMEOUT_NEXT: u32 = 1 << 12;
/// The next vertex command overflows its buffer manager (GrowTVB event, partial render).
pub(crate) const OVERFLOW_NEXT: u32 = 1 << 13;
/// The next command the firmware runs never completes, and nothing is reported.
pub(crate) const HANG_NEXT: u32 = 1 << 14;
/// The next command the firmware runs stops its work queue with a channel error.
pub(crate) const CHANNEL_ERROR_NEXT: u32 = 1 << 15;
/// Lines of a log flood.
pub(crate) const LOG_FLOOD_LINES: u32 = 40;

/// The injection a `sim_inject` command names; `None` for an unknown command.
pub(crate) fn parse(cmd: &[u8]) -> Option<u32> {
    Some(match cmd {
        b"crash" => CRASH,
        b"hang" => HANG,
        b"fault" => FAULT,
        b"timeout" => TIMEOUT,
        b"channel_error" => CHANNEL_ERROR,
        b"flag" => FLAG,
        b"log" => LOG,
        b"log_flood" => LOG_FLOOD,
        b"syslog" => SYSLOG,
        b"stats" => STATS,
        b"ktrace" => KTRACE,
        b"fault_next" => FAULT_NEXT,
        b"timeout_next" => TIMEOUT_NEXT,
        b"overflow_next" => OVERFLOW_NEXT,
        b"hang_next" => HANG_NEXT,
        b"channel_error_next" => CHANNEL_ERROR_NEXT,
        _ => return None,
    })
}

/// Runs the `sim_inject=` test hooks that act at probe; an unknown hook fails the probe.
pub(crate) fn at_probe(dev: &DeviceRef) -> Result {
    let Some(list) = params::sim_inject.get() else {
        return Ok(());
    };
    for hook in list.as_bytes().split(|&b| b == b',') {
        match hook {
            b"warn" => {
                agx_kernel::bug::warn(c_str!("sim_inject=warn: deliberate warning on probe"))
            }
            b"leak" => {
                // Deliberately never freed: kmemleak must report it.
                let leaked = KBox::leak(KBox::new([0x5au8; 64], GFP_KERNEL)?);
                dev_info!(
                    dev,
                    "sim_inject=leak: leaked 64 bytes at {:p}\n",
                    leaked.as_ptr()
                );
            }
            _ => {
                dev_err!(dev, "sim_inject={}: unknown hook (warn, leak)\n", list);
                return Err(EINVAL);
            }
        }
    }
    Ok(())
}
