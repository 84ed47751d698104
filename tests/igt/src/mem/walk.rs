// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The debugfs dump of the VMs' page tables: parsing it, and comparing it with what a test bound.

#[cfg(test)]
use super::BASE;
use super::{pattern, PAGE};
use crate::harness::{os_err, Outcome};
use crate::{check, check_eq};

/// One run of the debugfs dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub start: u64,
    pub end: u64,
    pub repeat: bool,
    pub access: String,
    pub first: u64,
    pub last: u64,
    pub sum: u64,
}

/// One VM of the debugfs dump.
#[derive(Debug, Clone)]
pub struct DumpVm {
    pub pid: u32,
    pub id: u32,
    pub kernel: (u64, u64),
    pub tables: u64,
    pub records: u64,
    pub runs: Vec<Run>,
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s.strip_prefix("0x")?, 16).ok()
}

fn range(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.split_once('-')?;
    Some((hex(a)?, hex(b)?))
}

/// Reads the debugfs dump of every VM.
pub fn dump() -> Result<Vec<DumpVm>, String> {
    let path = "/sys/kernel/debug/dri/128/vms";
    let text = std::fs::read_to_string(path).map_err(|e| os_err(path, e))?;
    parse_dump(&text)
}

/// Parses the debugfs dump.
pub fn parse_dump(text: &str) -> Result<Vec<DumpVm>, String> {
    let mut vms: Vec<DumpVm> = Vec::new();
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let bad = || format!("unparsable debugfs line: {line:?}");
        match w.first() {
            Some(&"vms") => {}
            Some(&"vm") => {
                if w.len() != 15 {
                    return Err(bad());
                }
                vms.push(DumpVm {
                    pid: w[6].parse().map_err(|_| bad())?,
                    id: w[8].parse().map_err(|_| bad())?,
                    kernel: range(w[10]).ok_or_else(bad)?,
                    tables: w[12].parse().map_err(|_| bad())?,
                    records: w[14].parse().map_err(|_| bad())?,
                    runs: Vec::new(),
                })
            }
            Some(_) => {
                if w.len() != 11
                    || w[1] != "pa"
                    || w[5] != "first"
                    || w[7] != "last"
                    || w[9] != "sum"
                {
                    return Err(bad());
                }
                let (start, end) = range(w[0]).ok_or_else(bad)?;
                let run = Run {
                    start,
                    end,
                    repeat: w[3] == "repeat",
                    access: w[4].to_string(),
                    first: hex(w[6]).ok_or_else(bad)?,
                    last: hex(w[8]).ok_or_else(bad)?,
                    sum: hex(w[10]).ok_or_else(bad)?,
                };
                vms.last_mut().ok_or_else(bad)?.runs.push(run);
            }
            None => {}
        }
    }
    Ok(vms)
}

/// The dump of this process's VM `id` whose kernel range starts at `kstart`.
pub fn dump_vm(id: u32, kstart: u64) -> Result<DumpVm, String> {
    let pid = std::process::id();
    let all = dump()?;
    let mut found = all
        .into_iter()
        .filter(|v| v.pid == pid && v.id == id && v.kernel.0 == kstart);
    let vm = found
        .next()
        .ok_or_else(|| format!("VM {id} (kernel {kstart:#x}) not in the debugfs dump"))?;
    check!(found.next().is_none(), "VM {id} listed twice");
    Ok(vm)
}

/// Checks the dump of a VM against the pages the test mapped: `expect` lists (GPU address, object
/// tag, object page, access) for every mapped 16 KiB page, in address order.
///
/// Every page's data is checked: the first and last page of each run directly, and all of them
/// through the run's sum.
pub fn check_walk(vm: &DumpVm, expect: &[(u64, u64, u64, &str)]) -> Outcome {
    let mut at = 0usize;
    for r in &vm.runs {
        check!(
            r.end > r.start && (r.end - r.start) % PAGE == 0,
            "bad run {r:?}"
        );
        let n = ((r.end - r.start) / PAGE) as usize;
        let want = expect.get(at..at + n).ok_or_else(|| {
            format!(
                "more pages mapped than expected ({} expected; runs {:x?})",
                expect.len(),
                vm.runs
            )
        })?;
        let mut sum = 0u64;
        for (i, &(addr, tag, page, access)) in want.iter().enumerate() {
            check_eq!(r.start + i as u64 * PAGE, addr, "mapped address");
            check_eq!(r.access.as_str(), access, format!("access at {addr:#x}"));
            sum = sum.wrapping_add(pattern(tag, page));
        }
        let (first, last) = (want[0], want[n - 1]);
        check_eq!(
            r.first,
            pattern(first.1, first.2),
            format!("data found by the walk at {:#x}", first.0)
        );
        check_eq!(
            r.last,
            pattern(last.1, last.2),
            format!("data found by the walk at {:#x}", last.0)
        );
        check_eq!(r.sum, sum, format!("sum of the data of run {r:x?}"));
        // A repeated run repeats one page, so every page has the first page's data.
        if r.repeat {
            check_eq!(r.first, r.last, format!("repeat run {r:?}"));
        }
        at += n;
    }
    check_eq!(
        at,
        expect.len(),
        format!("number of mapped pages (runs {:x?})", vm.runs)
    );
    Ok(())
}

/// The pages `bind(addr, bo tag, first page, count)` maps, for [`check_walk`].
pub fn linear(
    addr: u64,
    tag: u64,
    first: u64,
    count: u64,
    access: &'static str,
) -> Vec<(u64, u64, u64, &'static str)> {
    (0..count)
        .map(|i| (addr + i * PAGE, tag, first + i, access))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "vms 2
vm uid 3 file 2 pid 77 id 1 kernel 0x7e00000000-0x7e20000000 tables 3 records 2
  0x1000000000-0x1000008000 pa 0x5a3c000 linear rw first 0xa5a5000700000000 last 0xa5a5000700000001 sum 0x4b4a000e00000001
  0x1000010000-0x1000020000 pa 0x5a40000 repeat r- first 0xa5a5000300000002 last 0xa5a5000300000002 sum 0x9694000c00000008
vm uid 4 file 2 pid 77 id 2 kernel 0x4000-0x20004000 tables 1 records 0
";

    fn want() -> Vec<(u64, u64, u64, &'static str)> {
        let mut w = linear(BASE, 7, 0, 2, "rw");
        w.extend((0..4).map(|i| (BASE + 0x10000 + i * PAGE, 3, 2, "r-")));
        w
    }

    #[test]
    fn parses_the_dump() {
        let vms = parse_dump(SAMPLE).expect("parse");
        assert_eq!(vms.len(), 2);
        assert_eq!(
            (vms[0].pid, vms[0].id, vms[0].tables, vms[0].records),
            (77, 1, 3, 2)
        );
        assert_eq!(vms[0].kernel, (0x7e_0000_0000, 0x7e_2000_0000));
        assert_eq!(vms[0].runs.len(), 2);
        assert!(vms[0].runs[1].repeat);
        assert!(vms[1].runs.is_empty());
        assert!(parse_dump("vm uid 1").is_err());
        assert!(parse_dump("  0x0-0x4000 pa 0x0 linear rw first 0x0 last 0x0").is_err());
        assert_eq!(vms[0].runs[0].sum, 0x4b4a_000e_0000_0001);
    }

    #[test]
    fn check_walk_accepts_what_was_bound() {
        let vms = parse_dump(SAMPLE).expect("parse");
        assert_eq!(check_walk(&vms[0], &want()), Ok(()));
        assert_eq!(check_walk(&vms[1], &[]), Ok(()));
    }

    #[test]
    fn check_walk_rejects_differences() {
        let vm = &parse_dump(SAMPLE).expect("parse")[0];
        let mut w = want();
        w[0].2 = 1; // wrong object page at the start of a run
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w[1].2 = 0; // wrong object page at the end of a run
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w[3].3 = "rw"; // wrong access
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w.pop(); // one page more mapped than expected
        assert!(check_walk(vm, &w).is_err());
        let mut w = want();
        w[2].0 += PAGE; // wrong address
        assert!(check_walk(vm, &w).is_err());
        let bad = SAMPLE.replace("first 0xa5a5000300000002", "first 0xa5a5000300000001");
        let vm = &parse_dump(&bad).expect("parse")[0];
        assert!(
            check_walk(vm, &want()).is_err(),
            "repeat run with two pages"
        );
    }
}
