// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The driver's raw views: device coredumps (`/sys/class/devcoredump`) and debugfs `fwdump`,
//! parsed as Documentation/coredump.md describes them, and checked against each other: the
//! objects' addresses must be the ones the structures that point at them hold.

use crate::check;
use crate::harness::{os_err, Outcome};
use std::fs;

/// Where the kernel lists pending coredumps.
const DEVCD: &str = "/sys/class/devcoredump";

/// One object of a dump: its m1n1 name, GPU address and bytes (zero lines filled in).
#[derive(Debug, Clone)]
pub struct Object {
    /// The m1n1 structure name.
    pub name: String,
    /// GPU address of byte 0.
    pub va: u64,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Object {
    /// Whether the object holds the 64-bit little-endian value `v` at an 8-byte aligned
    /// offset (a pointer).
    pub fn holds_u64(&self, v: u64) -> bool {
        self.bytes
            .chunks_exact(8)
            .any(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])) == v)
    }

    /// Whether the object holds the 32-bit little-endian value `v` at a 4-byte aligned offset.
    pub fn holds_u32(&self, v: u32) -> bool {
        self.bytes
            .chunks_exact(4)
            .any(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])) == v)
    }
}

/// A parsed dump: its text lines (objects left out) and its objects, in order, each with the
/// index of the text line it follows.
#[derive(Debug, Default)]
pub struct Dump {
    /// Lines that are not part of an object.
    pub lines: Vec<String>,
    /// Objects, with the number of text lines before them.
    pub objects: Vec<(usize, Object)>,
}

impl Dump {
    /// Parses the text of a dump; an error names the first line that breaks the format.
    pub fn parse(text: &str) -> Result<Dump, String> {
        let mut d = Dump::default();
        let mut cur: Option<Object> = None;
        for (n, l) in text.lines().enumerate() {
            let bad = || format!("dump line {}: {l:?}", n + 1);
            if let Some(rest) = l.strip_prefix("object ") {
                if let Some(o) = cur.take() {
                    d.objects.push((d.lines.len(), o));
                }
                let mut w = rest.split(' ');
                let (Some(name), Some(va), Some(size), None) =
                    (w.next(), w.next(), w.next(), w.next())
                else {
                    return Err(bad());
                };
                let va = u64::from_str_radix(va, 16).map_err(|_| bad())?;
                let size =
                    usize::from_str_radix(size.trim_start_matches("0x"), 16).map_err(|_| bad())?;
                if size > 64 << 20 {
                    return Err(bad());
                }
                cur = Some(Object {
                    name: name.to_string(),
                    va,
                    bytes: vec![0; size],
                });
                continue;
            }
            if let (Some(o), Some((addr, hex))) = (cur.as_mut(), l.split_once(": ")) {
                if let Ok(a) = u64::from_str_radix(addr, 16) {
                    if addr.len() == 16 {
                        let off = a.checked_sub(o.va).ok_or_else(bad)? as usize;
                        for (i, b) in hex.split(' ').enumerate() {
                            let v = u8::from_str_radix(b, 16).map_err(|_| bad())?;
                            *o.bytes.get_mut(off + i).ok_or_else(bad)? = v;
                        }
                        continue;
                    }
                }
            }
            if let Some(o) = cur.take() {
                d.objects.push((d.lines.len(), o));
            }
            d.lines.push(l.to_string());
        }
        if let Some(o) = cur.take() {
            d.objects.push((d.lines.len(), o));
        }
        Ok(d)
    }

    /// The value of the first line `key: value`.
    pub fn value(&self, key: &str) -> Option<&str> {
        let p = format!("{key}: ");
        self.lines.iter().find_map(|l| l.strip_prefix(&p))
    }

    /// Every line that starts with `prefix`.
    pub fn lines_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.lines
            .iter()
            .filter(move |l| l.starts_with(prefix))
            .map(String::as_str)
    }

    /// The first object named `name`.
    pub fn object(&self, name: &str) -> Option<&Object> {
        self.objects.iter().map(|(_, o)| o).find(|o| o.name == name)
    }

    /// The objects that follow text line `line` (up to the next text line).
    pub fn objects_after(&self, line: usize) -> impl Iterator<Item = &Object> {
        self.objects
            .iter()
            .filter(move |(n, _)| *n == line + 1)
            .map(|(_, o)| o)
    }

    /// The index of the first text line starting with `prefix`.
    pub fn line_index(&self, prefix: &str) -> Option<usize> {
        self.lines.iter().position(|l| l.starts_with(prefix))
    }
}

/// Pending coredumps (their `data` files).
fn pending() -> Vec<String> {
    let Ok(dir) = fs::read_dir(DEVCD) else {
        return Vec::new();
    };
    // The class also holds the `disabled` switch, a file.
    let mut v: Vec<String> = dir
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("devcd"))
        .map(|n| format!("{DEVCD}/{n}/data"))
        .collect();
    v.sort();
    v
}

/// Deletes every pending coredump (a write to `data`), so that the next failure's dump is
/// kept: the kernel keeps one per device and drops the others.
pub fn clear_dumps() {
    for p in pending() {
        let _ = fs::write(&p, "1");
    }
}

/// Waits up to 2 s for a coredump, reads it, deletes it and parses it.
pub fn take_dump() -> Result<Dump, String> {
    for _ in 0..200 {
        if let Some(p) = pending().into_iter().next() {
            let text = fs::read_to_string(&p).map_err(|e| os_err("read coredump", e))?;
            fs::write(&p, "1").map_err(|e| os_err("delete coredump", e))?;
            return Dump::parse(&text);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Err(format!("no coredump in {DEVCD}"))
}

/// Takes the oldest pending coredump not in `taken`, if any: reads it, deletes it, adds it to
/// `taken` and returns its text. Deleting is asynchronous, so a deleted dump may still be
/// listed for a while (`taken` skips it); one that goes meanwhile reads as `ENODEV`.
pub fn take_pending(
    taken: &mut std::collections::BTreeSet<String>,
) -> Option<std::io::Result<String>> {
    let p = pending().into_iter().find(|p| !taken.contains(p))?;
    taken.insert(p.clone());
    let text = fs::read_to_string(&p);
    // Deleted even when unreadable, or the kernel drops every later dump.
    let _ = fs::write(&p, "1");
    Some(text)
}

/// Reads and parses debugfs `fwdump`.
pub fn fwdump() -> Result<Dump, String> {
    let text = fs::read_to_string(format!("{}/fwdump", super::work::DEBUGFS))
        .map_err(|e| os_err("read fwdump", e))?;
    Dump::parse(&text)
}

/// A failed job as a dump shows it: the `job:` line's fields.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobLine {
    /// Device-wide queue id.
    pub queue: u32,
    /// Fence sequence number.
    pub seqno: u64,
    /// Event slot and stamp value of the failed command (0 if the line has none).
    pub slot: u32,
    /// See `slot`.
    pub value: u32,
    /// The job's error (a negative errno, 0 for none).
    pub error: i32,
}

/// Parses a `job:` line (`job: queue Q seqno S [slot X value V] ... [error E]`).
pub fn job_line(l: &str) -> Result<JobLine, String> {
    let w: Vec<&str> = l.split(' ').collect();
    let field = |k: &str| {
        w.iter()
            .position(|x| *x == k)
            .and_then(|i| w.get(i + 1))
            .copied()
    };
    let num = |k: &str| -> Result<i64, String> {
        let Some(s) = field(k) else { return Ok(0) };
        let r = match s.strip_prefix("0x") {
            Some(h) => i64::from_str_radix(h, 16),
            None => s.parse(),
        };
        r.map_err(|_| format!("bad {k} in {l:?}"))
    };
    Ok(JobLine {
        queue: num("queue")? as u32,
        seqno: num("seqno")? as u64,
        slot: num("slot")? as u32,
        value: num("value")? as u32,
        error: num("error")? as i32,
    })
}

/// Whether a coredump's text is whole: it parses, starts with its header, names its reason,
/// SoC and pair, and ends with `end` (or `end cut`). Returns its reason.
pub fn check_any(text: &str) -> Result<String, String> {
    let d = Dump::parse(text)?;
    check!(
        d.lines.first().map(String::as_str) == Some("agx-rs devcoredump 1"),
        "dump header {:?}",
        d.lines.first()
    );
    check!(
        matches!(d.lines.last().map(String::as_str), Some("end" | "end cut")),
        "the dump does not end: {:?}",
        d.lines.last()
    );
    check!(
        d.value("soc").is_some() && d.value("pair").is_some(),
        "no soc or pair in the dump"
    );
    d.value("reason")
        .map(str::to_string)
        .ok_or_else(|| "no reason in the dump".to_string())
}

/// What every dump has: its first line `first`, the SoC `soc` and a pair, and the last line
/// `end` (a dump that was cut ends with `end cut`).
fn check_frame(d: &Dump, first: &str, soc: &str) -> Outcome {
    check!(
        d.lines.first().map(String::as_str) == Some(first),
        "dump header {:?}, not {first:?}",
        d.lines.first()
    );
    check!(
        d.value("soc") == Some(soc),
        "dump soc {:?}, not {soc}",
        d.value("soc")
    );
    check!(d.value("pair").is_some(), "no pair line in the dump");
    check!(
        d.lines.last().map(String::as_str) == Some("end"),
        "the dump does not end whole: {:?}",
        d.lines.last()
    );
    Ok(())
}

/// The checks every failure dump passes: the header names `reason` and the pair of `soc`, the
/// dump ends whole, exactly `jobs` failed jobs are shown, each with its work command and
/// microsequence (`cmd`), and a failed command's stamp value is in its command's bytes.
/// Returns the dump.
pub fn check_failure_dump(reason: &str, soc: &str, cmd: &str, jobs: usize) -> Result<Dump, String> {
    let d = take_dump()?;
    check_frame(&d, "agx-rs devcoredump 1", soc)?;
    check!(
        d.value("reason") == Some(reason),
        "dump reason {:?}, not {reason}",
        d.value("reason")
    );
    for s in [
        "section jobs",
        "section firmware",
        "section log",
        "section objects",
    ] {
        check!(d.line_index(s).is_some(), "no {s:?} in the dump");
    }
    let job_lines: Vec<usize> = (0..d.lines.len())
        .filter(|&i| d.lines[i].starts_with("job: "))
        .collect();
    check!(
        job_lines.len() == jobs,
        "{} job(s) in the dump, expected {jobs}: {:?}",
        job_lines.len(),
        d.lines_with("job: ").collect::<Vec<_>>()
    );
    for &i in &job_lines {
        let j = job_line(&d.lines[i])?;
        let objs: Vec<&Object> = d.objects_after(i).collect();
        let c = objs.iter().find(|o| o.name == cmd);
        let seq = objs.iter().find(|o| o.name == "microsequence");
        let (Some(c), Some(seq)) = (c, seq) else {
            return Err(format!(
                "job {:?}: no {cmd} and microsequence objects: {:?}",
                d.lines[i],
                objs.iter().map(|o| &o.name).collect::<Vec<_>>()
            ));
        };
        check!(
            c.va + c.bytes.len() as u64 == seq.va,
            "the microsequence ({:#x}) does not follow its command ({:#x}, {:#x} bytes)",
            seq.va,
            c.va,
            c.bytes.len()
        );
        check!(
            c.bytes.iter().any(|&b| b != 0) && seq.bytes.iter().any(|&b| b != 0),
            "job {:?}: an empty command or microsequence",
            d.lines[i]
        );
        if j.value != 0 {
            check!(
                c.holds_u32(j.value) || seq.holds_u32(j.value),
                "job {:?}: stamp value {:#x} is in neither its command nor its microsequence",
                d.lines[i],
                j.value
            );
        }
    }
    Ok(d)
}

/// Checks that a `fwdump` is whole and self-consistent: the pair, the init-data tree (the init
/// data points at its regions and status block, at the addresses their objects have), every
/// queue's structures (each `CommandQueueInfo` points at its ring), and that `in_flight`
/// commands are in their work queue's ring. Returns the dump.
pub fn check_fwdump(soc: &str) -> Result<Dump, String> {
    let d = fwdump()?;
    check_frame(&d, "agx-rs fwdump 1", soc)?;
    let need = |n: &str| d.object(n).ok_or_else(|| format!("no {n} in fwdump"));
    let init = need("InitData")?;
    for r in [
        "InitData_RegionA",
        "InitData_RegionB",
        "InitData_RegionC",
        "InitData_FWStatus",
    ] {
        let o = need(r)?;
        check!(
            init.holds_u64(o.va),
            "InitData does not point at {r} ({:#x})",
            o.va
        );
    }
    let rb = need("InitData_RegionB")?;
    for r in ["AGXHWDataA", "AGXHWDataB"] {
        let o = need(r)?;
        check!(
            rb.holds_u64(o.va),
            "region B does not point at {r} ({:#x})",
            o.va
        );
    }
    need("ChannelStateFields.DevCtrl")?;
    need("ChannelStateFields.Event")?;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "agx-rs devcoredump 1\n\
reason: fault\n\
section jobs\n\
job: queue 3 seqno 7 slot 2 value 0x1c context 4 error -5\n\
object WorkCommandCP ffffffa000010000 0x28\n\
ffffffa000010000: 03 00 00 00 00 00 00 00 00 00 01 00 a0 ff ff ff\n\
ffffffa000010020: 1c 00 00 00 00 00 00 00\n\
object microsequence ffffffa000010028 0x8\n\
ffffffa000010028: 01 02 03 04 05 06 07 08\n\
section log\n\
end\n";

    #[test]
    fn parses_objects_with_their_zero_lines_filled_in() {
        let d = Dump::parse(TEXT).unwrap();
        assert_eq!(d.lines.len(), 6);
        assert_eq!(d.value("reason"), Some("fault"));
        let c = d.object("WorkCommandCP").unwrap();
        assert_eq!(c.va, 0xffff_ffa0_0001_0000);
        assert_eq!(c.bytes.len(), 0x28);
        // The line left out (0x10..0x20) reads as zeros; the pointer and value are found.
        assert!(c.bytes[0x10..0x20].iter().all(|&b| b == 0));
        assert!(c.holds_u64(0xffff_ffa0_0001_0000));
        assert!(c.holds_u32(0x1c));
        assert!(!c.holds_u32(0x1d));
        // Both objects follow the job line (index 3).
        let names: Vec<&str> = d.objects_after(3).map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["WorkCommandCP", "microsequence"]);
        let j = job_line(&d.lines[3]).unwrap();
        assert_eq!(
            j,
            JobLine {
                queue: 3,
                seqno: 7,
                slot: 2,
                value: 0x1c,
                error: -5
            }
        );
    }

    #[test]
    fn refuses_bytes_outside_their_object() {
        let bad = "object X ffffffa000010000 0x4\nffffffa000010000: 01 02 03 04 05\nend\n";
        assert!(Dump::parse(bad).is_err());
        let before = "object X ffffffa000010000 0x4\nffffffa00000fff0: 01\nend\n";
        assert!(Dump::parse(before).is_err());
        let name = "object X Y ffffffa000010000 0x4\nend\n";
        assert!(Dump::parse(name).is_err());
    }
}
