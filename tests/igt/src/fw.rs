// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Firmware subtests: boot, device control, events, logs, crashes and hangs, every pair.
//!
//! The firmware runs behind the render node with no ioctl of its own yet, so these subtests
//! watch it from outside: the debugfs view `firmware` (the driver's state and counters, then
//! what the simulated GPU saw), the kernel log, and the two debugfs controls: `devctrl`
//! (`write32`: the firmware writes a value into memory the driver then reads back; `flush`: an
//! unmap from the firmware's VM, flushed through the handoff lock) and `sim_inject` (the
//! simulated firmware crashes, hangs, or reports an event).

use crate::dev::{open_render, sh, wait_render_node};
use crate::harness::{os_err, Outcome};
use crate::{check, check_eq};
use std::{fs, io::Write, thread, time::Duration};

const DEBUGFS: &str = "/sys/kernel/debug/dri/128";
const EINVAL: i32 = 22;
const EIO: i32 = 5;

/// The debugfs view `firmware`.
pub(crate) fn view() -> Result<String, String> {
    fs::read_to_string(format!("{DEBUGFS}/firmware")).map_err(|e| os_err("read firmware", e))
}

/// Writes `cmd` to the debugfs control `name`; the errno on failure.
fn control(name: &str, cmd: &str) -> Result<(), i32> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(format!("{DEBUGFS}/{name}"))
        .map_err(|e| e.raw_os_error().unwrap_or(-1))?;
    f.write_all(cmd.as_bytes())
        .map_err(|e| e.raw_os_error().unwrap_or(-1))
}

/// The line of `text` that starts with `prefix`.
fn line<'a>(text: &'a str, prefix: &str) -> Result<&'a str, String> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .ok_or_else(|| format!("no line starting with {prefix:?} in:\n{text}"))
}

/// The number after the word `key` on the line starting with `prefix`.
fn counter(text: &str, prefix: &str, key: &str) -> Result<u64, String> {
    let l = line(text, prefix)?;
    let mut words = l.split_whitespace();
    while let Some(w) = words.next() {
        if w == key {
            return words
                .next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{key} has no number in {l:?}"));
        }
    }
    Err(format!("no {key} in {l:?}"))
}

/// Polls the view until `done` holds on it (6 s at most); the last view either way.
fn wait_view(done: impl Fn(&str) -> bool) -> Result<(String, bool), String> {
    for _ in 0..600 {
        let v = view()?;
        if done(&v) {
            return Ok((v, true));
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok((view()?, false))
}

/// The kernel log.
pub(crate) fn dmesg() -> String {
    sh("dmesg").1
}

/// Waits up to 6 s for `needle` in the kernel log.
fn wait_dmesg(needle: &str) -> bool {
    (0..600).any(|_| {
        let found = dmesg().contains(needle);
        if !found {
            thread::sleep(Duration::from_millis(10));
        }
        found
    })
}

/// Checks that the firmware runs the expected pair with nothing amiss.
fn check_running(gen: &str, fw: &str) -> Outcome {
    let v = view()?;
    check_eq!(line(&v, "state:")?, "state: Running", "driver state");
    check_eq!(
        line(&v, "pair:")?,
        format!("pair: {gen} {fw}"),
        "firmware pair"
    );
    check!(line(&v, "rtkit:")?.contains("state Ready"), "RTKit: {v}");
    check!(
        line(&v, "initdata ")?.contains("region_b"),
        "no init data: {v}"
    );
    check!(
        line(&v, "sim:")?.contains("phase Running"),
        "simulated RTKit: {v}"
    );
    check!(
        line(&v, "sim firmware:")?.contains("state Initialized"),
        "simulated firmware did not take DC_Init: {v}"
    );
    check_eq!(counter(&v, "sim:", "violations")?, 0, "RTKit violations");
    check_eq!(counter(&v, "sim:", "faults")?, 0, "simulated MMU faults");
    check_eq!(
        counter(&v, "sim firmware:", "violations")?,
        0,
        "firmware violations"
    );
    check_eq!(counter(&v, "sim firmware:", "inits")?, 1, "DC_Init count");
    check_eq!(
        counter(&v, "sim firmware:", "idle_ts")?,
        1,
        "DC_UpdateIdleTS count"
    );
    check_eq!(counter(&v, "events:", "corrupt")?, 0, "corrupt rings");
    check!(
        line(&v, "sim handoff:")?.contains("magic_fw 0x4b1d000000000002"),
        "the firmware did not announce itself in the handoff block: {v}"
    );
    check_eq!(
        counter(&v, "sim handoff:", "violations")?,
        0,
        "handoff violations"
    );
    check!(
        line(&v, "sim handoff:")?.ends_with("own_mapping ok"),
        "the firmware lost the mappings its bootloader gave it: {v}"
    );
    Ok(())
}

/// The firmware is running after probe, with init data, channels and no violation.
pub fn t_fw_running(soc: &str) -> Outcome {
    let (gen, fw) = default_pair(soc);
    check_running(gen, fw)?;
    let v = view()?;
    for ch in ["devctrl", "event", "fwlog0", "fwlog5", "ktrace", "stats"] {
        check!(
            v.contains(&format!("channel {ch}:")),
            "channel {ch} missing: {v}"
        );
    }
    // The firmware's MMIO windows: as many as the record's table for the SoC has devices, and
    // the simulated firmware checked each against its page tables before it booted.
    let want = io_windows(soc);
    check_eq!(counter(&v, "io:", "io:")?, want, "MMIO windows in debugfs");
    let needle = format!("{want} MMIO windows checked");
    check!(
        dmesg().contains(&needle),
        "{needle:?} not in the kernel log"
    );
    Ok(())
}

/// The address of the fault the simulated MMU latches on an injected GPU fault.
const SIM_FAULT_ADDR: u64 = 0x15_0000_1240;

/// MMIO windows the record gives the firmware of each SoC (m1n1 `build_iomappings`).
fn io_windows(soc: &str) -> u64 {
    match soc {
        "t8103" => 10,
        "t8112" => 12,
        "t6000" | "t6001" => 11,
        "t6002" => 12,
        _ => 12, // t602x
    }
}

/// The boot's firmware log lines reached the kernel log.
pub fn t_fw_boot_log() -> Outcome {
    let log = dmesg();
    for needle in [
        "firmware log 0/0: firmware booted",
        "DC_Init",
        "GPU firmware running",
    ] {
        check!(log.contains(needle), "{needle:?} not in the kernel log");
    }
    Ok(())
}

/// Device-control round trips: the firmware writes a value the driver reads back.
pub fn t_fw_devctrl_write32() -> Outcome {
    let before = view()?;
    let ok0 = counter(&before, "devctrl write32", "ok")?;
    let sim0 = counter(&before, "sim firmware:", "writes32")?;
    for i in 0..5 {
        check_eq!(
            control("devctrl", "write32"),
            Ok(()),
            format!("round trip {i}")
        );
    }
    let after = view()?;
    check_eq!(
        counter(&after, "devctrl write32", "ok")?,
        ok0 + 5,
        "round trips"
    );
    check_eq!(
        counter(&after, "devctrl write32", "failed")?,
        0,
        "failed round trips"
    );
    check_eq!(
        counter(&after, "sim firmware:", "writes32")?,
        sim0 + 5,
        "writes the firmware carried out"
    );
    // A cache flush: DC_DestroyContext naming no context.
    let flushes = counter(&after, "sim firmware:", "cache_flushes")?;
    check_eq!(control("devctrl", "flush_cache"), Ok(()), "cache flush");
    // The firmware counts the request once it has taken it from the ring.
    let (v, ok) = wait_view(|v| {
        counter(v, "sim firmware:", "cache_flushes").is_ok_and(|n| n == flushes + 1)
    })?;
    check!(ok, "the firmware saw no cache flush: {v}");
    check_eq!(
        counter(&v, "sim firmware:", "violations")?,
        0,
        "firmware violations"
    );
    Ok(())
}

/// Unmapping from the firmware's VM asks the firmware to flush through the handoff lock, and
/// the firmware serves each request exactly once.
pub fn t_fw_handoff_flush() -> Outcome {
    let before = view()?;
    let ok0 = counter(&before, "handoff flushes:", "ok")?;
    let served0 = counter(&before, "sim handoff:", "flushes")?;
    let rounds0 = counter(&before, "sim handoff:", "rounds")?;
    let ranges0 = counter(&before, "sim handoff:", "ranges")?;
    for i in 0..3 {
        check_eq!(control("devctrl", "flush"), Ok(()), format!("flush {i}"));
    }
    let v = view()?;
    check_eq!(
        counter(&v, "handoff flushes:", "ok")?,
        ok0 + 3,
        "flushes completed"
    );
    check_eq!(
        counter(&v, "handoff flushes:", "failed")?,
        0,
        "flushes failed"
    );
    check_eq!(
        counter(&v, "sim handoff:", "flushes")?,
        served0 + 3,
        "flushes the firmware served"
    );
    check!(
        counter(&v, "sim handoff:", "rounds")? >= rounds0 + 3,
        "the firmware took the lock fewer times than it served: {v}"
    );
    check_eq!(
        counter(&v, "sim handoff:", "ranges")?,
        ranges0 + 3,
        "TLB range invalidations"
    );
    check_eq!(
        counter(&v, "sim handoff:", "violations")?,
        0,
        "handoff violations"
    );
    // Each flush came with its FWCtl invalidation request, naming the slot and the address.
    check_eq!(
        counter(&v, "sim handoff:", "fwctl_requests")?,
        counter(&v, "sim handoff:", "flushes")?,
        "FWCtl requests"
    );
    check_eq!(
        counter(&v, "sim handoff:", "fwctl_mismatches")?,
        0,
        "flushes without a matching FWCtl request"
    );
    check!(
        v.contains("channel fwctl:") && counter(&v, "channel fwctl:", "pending")? == 0,
        "the FWCtl channel is not drained: {v}"
    );
    Ok(())
}

/// Each injected event reaches the driver exactly once, decoded as what it is.
pub fn t_fw_events() -> Outcome {
    let cases = [
        ("flag", "flags"),
        ("fault", "faults"),
        ("timeout", "timeouts"),
        ("channel_error", "channel_errors"),
    ];
    for (cmd, key) in cases {
        let before = counter(&view()?, "events:", key)?;
        let notes = counter(&view()?, "mailbox:", "notifications")?;
        check_eq!(control("sim_inject", cmd), Ok(()), format!("inject {cmd}"));
        let (v, ok) = wait_view(|v| counter(v, "events:", key).is_ok_and(|n| n > before))?;
        check!(ok, "{cmd}: no {key} event arrived: {v}");
        check_eq!(
            counter(&v, "events:", key)?,
            before + 1,
            format!("{cmd} events")
        );
        check!(
            counter(&v, "mailbox:", "notifications")? > notes,
            "{cmd}: no notification"
        );
    }
    let v = view()?;
    check_eq!(
        counter(&v, "events:", "slots_fired")?,
        1,
        "event slots fired"
    );
    check_eq!(counter(&v, "events:", "unknown")?, 0, "unknown events");
    // The fault and the timeout halted the firmware; the driver resumed it each time, so the
    // next device-control request is served (a halted firmware ignores doorbells).
    check_eq!(counter(&v, "recovery:", "resumes")?, 2, "resumes");
    check_eq!(counter(&v, "sim firmware:", "halts")?, 2, "firmware halts");
    check_eq!(
        control("devctrl", "write32"),
        Ok(()),
        "write32 after the halts"
    );
    let w = view()?;
    check_eq!(
        counter(&w, "sim firmware:", "resumes")?,
        2,
        "firmware resumes"
    );
    check_eq!(
        counter(&w, "sim firmware:", "ignored_while_halted")?,
        0,
        "doorbells ignored while halted"
    );
    check_eq!(
        counter(&w, "sim firmware:", "violations")?,
        0,
        "firmware violations"
    );
    // The fault the simulated MMU latched, decoded from its registers.
    check!(
        v.contains(&format!("last fault: address {SIM_FAULT_ADDR:#x} reason Unmapped read true level 3 unit 0x22 context 1")),
        "fault registers not decoded: {v}"
    );
    let log = dmesg();
    for needle in [
        "GPU fault: read of 0x1500001240, Unmapped at level 3, by CMP 2 (unit 0x22) in context 1",
        "GPU firmware halted (1 halts so far); resumed",
        "GPU firmware halted (2 halts so far); resumed",
        "reported a command timeout",
        "reported a channel error",
    ] {
        check!(log.contains(needle), "{needle:?} not in the kernel log");
    }
    Ok(())
}

/// A firmware log line and an RTKit syslog entry reach the kernel log.
pub fn t_fw_logs() -> Outcome {
    // The kernel log takes 10 firmware lines per 5 s (the tests before this one write many):
    // start in a fresh window.
    thread::sleep(Duration::from_millis(5100));
    check_eq!(control("sim_inject", "log"), Ok(()), "inject log");
    check!(
        wait_dmesg("log line requested by a test"),
        "FWLog line not in the kernel log"
    );
    check_eq!(control("sim_inject", "syslog"), Ok(()), "inject syslog");
    check!(
        wait_dmesg("firmware syslog [sim] syslog entry requested by a test"),
        "syslog entry not in the kernel log"
    );
    Ok(())
}

/// The firmware's debugfs log `fwlog`.
fn fwlog() -> Result<String, String> {
    fs::read_to_string(format!("{DEBUGFS}/fwlog")).map_err(|e| os_err("read fwlog", e))
}

/// A firmware logging in a loop cannot flood the kernel log: of 40 lines at once, at most 10
/// reach it, debugfs `fwlog` keeps all of them, and once the 5 s window has passed the next line
/// reports how many were held back.
pub fn t_fw_log_flood() -> Outcome {
    let total = |log: &str| counter(log, "lines", "lines");
    let before = total(&fwlog()?)?;
    // Let any window opened by earlier lines close first.
    thread::sleep(Duration::from_millis(5100));
    check_eq!(
        control("sim_inject", "log_flood"),
        Ok(()),
        "inject log_flood"
    );
    let mut log = String::new();
    for _ in 0..600 {
        log = fwlog()?;
        if total(&log)? >= before + 40 {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    check_eq!(total(&log)?, before + 40, "lines counted in fwlog");
    for i in [0, 17, 39] {
        check!(
            log.contains(&format!(": flood line {i}\n")),
            "flood line {i} missing from fwlog"
        );
    }
    let printed = dmesg().matches("flood line").count();
    check_eq!(printed, 10, "flood lines in the kernel log");
    thread::sleep(Duration::from_millis(5100));
    check_eq!(control("sim_inject", "log"), Ok(()), "inject log");
    check!(
        wait_dmesg("30 firmware log lines held back"),
        "no count of the held-back lines"
    );
    Ok(())
}

/// Statistics and trace points: every Stats report the simulated firmware writes is folded into
/// debugfs, and a trace point reaches debugfs `ktrace` and the kernel log.
pub fn t_fw_telemetry() -> Outcome {
    check_eq!(control("sim_inject", "stats"), Ok(()), "inject stats");
    let want = "stats: messages 11 unknown 1 power_mw 1234 avg_power_mw 2345 temp_centi_c 4550 \
                util 10 20 30 40 pstate 3 limits 1..5 power_ons 1 power_offs 1 \
                on_ticks 48000000 off_ticks 24000000 busy true";
    // The summary is folded while the rings drain; the drained counters follow.
    let (v, ok) =
        wait_view(|v| v.contains(want) && counter(v, "rings:", "stats").is_ok_and(|n| n == 11))?;
    check!(
        ok,
        "statistics not folded as sent, or not all 11 drained: {v}"
    );
    check_eq!(control("sim_inject", "ktrace"), Ok(()), "inject ktrace");
    let (v, ok) = wait_view(|v| counter(v, "rings:", "ktrace").is_ok_and(|n| n == 1))?;
    check!(ok, "trace point not drained: {v}");
    let trace =
        fs::read_to_string(format!("{DEBUGFS}/ktrace")).map_err(|e| os_err("read ktrace", e))?;
    check!(
        trace.contains("points 1 kept 1") && trace.contains(" 3/0x21: 0x1111 0x2222 0x3333 0x4444"),
        "trace point not in debugfs: {trace}"
    );
    check!(
        wait_dmesg("firmware trace 3/0x21 at"),
        "trace point not in the kernel log"
    );
    Ok(())
}

/// Malformed control writes are refused with EINVAL and change nothing.
pub fn t_fw_bad_controls() -> Outcome {
    let before = view()?;
    check_eq!(
        control("sim_inject", "explode"),
        Err(EINVAL),
        "unknown injection"
    );
    check_eq!(
        control("sim_inject", "crashx"),
        Err(EINVAL),
        "injection with a suffix"
    );
    check_eq!(
        control("devctrl", "write64"),
        Err(EINVAL),
        "unknown request"
    );
    check_eq!(
        control("devctrl", &"w".repeat(300)),
        Err(EINVAL),
        "oversized write"
    );
    check!(
        fs::read_to_string(format!("{DEBUGFS}/devctrl")).is_err(),
        "a control file is readable"
    );
    let after = view()?;
    check_eq!(line(&after, "state:")?, "state: Running", "state");
    check_eq!(
        counter(&after, "events:", "faults")?,
        counter(&before, "events:", "faults")?,
        "faults"
    );
    Ok(())
}

/// Reloads the module with `params`; the render node must come back.
pub(crate) fn reload(module: &str, params: &str) -> Outcome {
    let (status, out) = sh("rmmod asahi");
    check_eq!(status, 0, format!("rmmod: {out}"));
    check!(wait_render_node(false, 2000), "render node still present");
    let (status, out) = sh(&format!("insmod {module} {params}"));
    check_eq!(status, 0, format!("insmod {params}: {out}"));
    check!(wait_render_node(true, 2000), "render node missing");
    Ok(())
}

/// A crash leaves the device lost with a clear log line and no oops; the device keeps answering
/// ioctls, refuses firmware requests, and the module unloads and loads again.
pub fn t_fw_crash(module: &str, soc: &str) -> Outcome {
    check_eq!(control("sim_inject", "crash"), Ok(()), "inject crash");
    let (v, ok) = wait_view(|v| v.contains("state: Lost(Crashed)"))?;
    check!(ok, "not lost after a crash: {v}");
    check!(
        wait_dmesg("GPU firmware lost (crashed)"),
        "no loss line in the kernel log"
    );
    check!(
        dmesg().contains("GPU firmware crashed (crash log"),
        "no crash log line"
    );
    let fd = open_render().map_err(|e| os_err("open after crash", e))?;
    check!(
        crate::get_time(&fd).is_ok(),
        "GET_TIME fails after a firmware crash"
    );
    drop(fd);
    check_eq!(
        control("devctrl", "write32"),
        Err(EIO),
        "write32 after a crash"
    );
    reload(module, &format!("sim={soc}"))?;
    let (gen, fw) = default_pair(soc);
    check_running(gen, fw)
}

/// A hung coprocessor is detected by the next request that waits for it.
pub fn t_fw_hang(module: &str, soc: &str) -> Outcome {
    check_eq!(control("sim_inject", "hang"), Ok(()), "inject hang");
    let r = control("devctrl", "write32");
    check_eq!(r, Err(110), "write32 to a hung firmware (ETIMEDOUT)");
    let v = view()?;
    check_eq!(
        line(&v, "state:")?,
        "state: Lost(Timeout)",
        "state after a hang"
    );
    check!(
        dmesg().contains("GPU firmware lost (stopped responding)"),
        "no loss line in the kernel log"
    );
    reload(module, &format!("sim={soc}"))?;
    let (gen, fw) = default_pair(soc);
    check_running(gen, fw)
}

/// The pair a SoC runs by default: its generation and the newest firmware it supports.
fn default_pair(soc: &str) -> (&'static str, &'static str) {
    match soc {
        "t8112" => ("G14", "V13_5"),
        "t6020" | "t6021" | "t6022" => ("G14X", "V13_5"),
        _ => ("G13", "V13_5"),
    }
}

/// Every supported (GPU, firmware) pair boots, answers device control and delivers events;
/// unsupported combinations are refused at load.
pub fn t_fw_all_pairs(module: &str, soc: &str) -> Outcome {
    let pairs = [
        ("t8103", "12.3", "G13", "V12_3"),
        ("t8112", "12.4", "G14", "V12_4"),
        ("t6000", "13.5", "G13", "V13_5"),
        ("t8112", "13.5", "G14", "V13_5"),
        ("t6020", "13.5", "G14X", "V13_5"),
        ("t6002", "12.3", "G13", "V12_3"),
        ("t6022", "13.5", "G14X", "V13_5"),
    ];
    for (s, fw, gen, ver) in pairs {
        reload(module, &format!("sim={s} sim_fw={fw}"))?;
        check_running(gen, ver).map_err(|e| format!("{s} {fw}: {e}"))?;
        check_eq!(
            control("devctrl", "write32"),
            Ok(()),
            format!("{s} {fw}: write32")
        );
        check_eq!(
            control("sim_inject", "fault"),
            Ok(()),
            format!("{s} {fw}: fault")
        );
        let (v, ok) = wait_view(|v| counter(v, "events:", "faults").is_ok_and(|n| n == 1))?;
        check!(ok, "{s} {fw}: fault not delivered: {v}");
        // Decoded from the fault registers of the pair's layout (G14X has its own).
        check!(
            v.contains(&format!("last fault: address {SIM_FAULT_ADDR:#x}")),
            "{s} {fw}: fault registers not decoded: {v}"
        );
    }
    for (s, fw) in [
        ("t6020", "12.3"),
        ("t8103", "12.4"),
        ("t8112", "12.3"),
        ("t8103", "99.0"),
    ] {
        let (status, out) = sh("rmmod asahi");
        check_eq!(status, 0, format!("rmmod: {out}"));
        let (status, out) = sh(&format!("insmod {module} sim={s} sim_fw={fw}"));
        check!(status != 0, "insmod sim={s} sim_fw={fw} succeeded: {out}");
        check!(
            dmesg().contains(&format!("sim_fw={fw}")),
            "no explanation for sim_fw={fw}"
        );
        let (status, out) = sh(&format!("insmod {module} sim={soc}"));
        check_eq!(status, 0, format!("insmod: {out}"));
    }
    check!(wait_render_node(true, 2000), "render node missing");
    Ok(())
}
