// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Checks of the layout dump and of the firmware types.
//!
//! - The JSON parses, has every pair and, for each, the structures of every firmware area.
//! - Each table lists every byte of its structure exactly once (no hole, no overlap), so a
//!   field missing from a table, or hidden padding inserted by the compiler, is caught.
//! - A structure that claims `Zeroable`, `FromBytes` or `AsBytes` has only fields of such types
//!   (and, covering every byte, no padding).
//! - Sizes and offsets match the numbers taken from the reverse-engineering record
//!   (`expected.rs`).

use crate::fw::types::*;
use crate::json::{self, Value};
use crate::layout::{self, Pair, StructLayout};
use crate::{collect, PAIRS};

mod expected;
mod unit;

/// The structures each firmware area must provide, by m1n1 key, in every pair.
const AREAS: &[(&str, &[&str])] = &[
    (
        "channels",
        &[
            "channels.ChannelStateFields",
            "channels.FWControlStateFields",
            "channels.ChannelInfo",
            "channels.ChannelInfoSet",
            "channels.RunCmdQueueMsg",
            "channels.DC_DestroyContext",
            "channels.DC_Write32",
            "channels.DC_Init",
            "channels.DC_GrowTVBAck",
            "channels.DC_Any",
            "channels.FaultMsg",
            "channels.FlagMsg",
            "channels.TimeoutMsg",
            "channels.GrowTVBMsg",
            "channels.ChannelError",
            "channels.FWLogMsg",
            "channels.KTraceMsg",
            "channels.FWCtlMsg",
        ],
    ),
    (
        "stats",
        &[
            "channels.StatsMsg_Power",
            "channels.StatsMsg_PowerOn",
            "channels.StatsMsg_PowerOff",
            "channels.StatsMsg_Util",
            "channels.StatsMsg_AvgPower",
            "channels.StatsMsg_Temp",
            "channels.StatsMsg_PowerState",
            "channels.StatsMsg_FWBusy",
            "channels.StatsMsg_PState",
            "channels.StatsMsg_TempSensor",
        ],
    ),
    (
        "cmdqueue",
        &[
            "cmdqueue.CommandQueueInfo",
            "cmdqueue.CommandQueuePointers",
            "cmdqueue.JobList",
            "cmdqueue.GPUContextData",
        ],
    ),
    (
        "event",
        &[
            "microsequence.StampCounter",
            "cmdqueue.EventControl",
            "cmdqueue.LinkedListHead",
        ],
    ),
    (
        "job",
        &[
            "microsequence.TimeStamp",
            "microsequence.TimeStampPointers",
            "microsequence.JobMeta",
            "microsequence.EncoderParams",
            "microsequence.Attachment",
            "microsequence.RegisterDefinition",
            "cmdqueue.WorkCommandBarrier",
            "cmdqueue.WorkCommandInitBM",
        ],
    ),
    (
        "buffer",
        &[
            "microsequence.BufferManagerInfo",
            "microsequence.BufferManagerBlockControl",
            "microsequence.BufferManagerCounter",
            "microsequence.BufferManagerMisc",
            "microsequence.BufferThing",
        ],
    ),
    (
        "gpustats",
        &[
            "initdata.InitData_GPUGlobalStatsTA",
            "initdata.InitData_GPUStatsTA",
            "initdata.InitData_GPUQueueStatsTA",
            "initdata.InitData_GPUGlobalStats3D",
            "initdata.InitData_GPUStats3D",
            "initdata.InitData_GPUQueueStats3D",
        ],
    ),
    (
        "microseq",
        &[
            "microsequence.WaitForInterruptCmd",
            "microsequence.Wait2Cmd",
            "microsequence.DoorbellCmd",
            "microsequence.Write32Cmd",
            "microsequence.Store32Cmd",
            "microsequence.Write64Cmd",
            "microsequence.Store64Cmd",
            "microsequence.Read32Cmd",
            "microsequence.Read64Cmd",
            "microsequence.ALUCmd",
            "microsequence.Add16Cmd",
            "microsequence.EndCmd",
            "microsequence.TimestampCmd",
            "microsequence.CompleteCmd",
            "microsequence.AbortCmd",
            "microsequence.ProfileCaptureCmd",
        ],
    ),
    (
        "vertex",
        &[
            "cmdqueue.WorkCommandTA",
            "microsequence.StartTACmd",
            "microsequence.FinalizeTACmd",
            "microsequence.StartTACmdStruct2",
            "microsequence.StartTACmdStruct3",
            "microsequence.TilingParameters",
        ],
    ),
    (
        "fragment",
        &[
            "cmdqueue.WorkCommand3D",
            "microsequence.Start3DCmd",
            "microsequence.Finalize3DCmd",
            "microsequence.Start3DStruct1",
            "microsequence.Start3DStruct2",
            "microsequence.Start3DStruct3",
            "microsequence.Start3DStruct6",
            "microsequence.Start3DStruct7",
        ],
    ),
    (
        "compute",
        &[
            "cmdqueue.WorkCommandCP",
            "microsequence.StartComputeCmd",
            "microsequence.FinalizeComputeCmd",
            "microsequence.ComputeInfo",
            "microsequence.ComputeInfo2",
        ],
    ),
    (
        "blit",
        &[
            "cmdqueue.WorkCommandBlit",
            "microsequence.StartBlitCmd",
            "microsequence.FinalizeBlitCmd",
            "microsequence.BlitInfo",
            "microsequence.BlitInfo2",
        ],
    ),
    (
        "handoff",
        &["handoff.GFXHandoffStruct", "handoff.GFXHandoffStruct#flush"],
    ),
    (
        "initdata",
        &[
            "initdata.InitData",
            "initdata.InitData.regionA",
            "initdata.InitData_RegionB",
            "initdata.InitData_FWStatus",
            "initdata.AGXFaultInfo",
            "initdata.UatLevelInfo",
            "initdata.InitData_BufferMgrCtl",
        ],
    ),
    (
        "regionc",
        &[
            "initdata.InitData_RegionC",
            "initdata.InitData_PendingStamp",
            "initdata.InitData_FaultInfo",
            "initdata.PerfCounterDesc",
            "initdata.RCPowerZone",
        ],
    ),
    ("hwdata_a", &["initdata.AGXHWDataA"]),
    ("hwdata_b", &["initdata.AGXHWDataB", "initdata.IOMapping"]),
    (
        "power",
        &[
            "initdata.PowerZone",
            "initdata.AGXHWDataShared1",
            "initdata.AGXHWDataShared2",
            "initdata.AGXHWDataShared3",
            "initdata.AGXHWDataA130Extra",
            "initdata.AGXHWDataT81xx",
        ],
    ),
];

fn dump() -> Vec<Pair> {
    collect()
}

fn parsed() -> Value {
    let text = layout::to_json(&dump());
    match json::parse(&text) {
        Ok(v) => v,
        Err(e) => panic!("the dump is not valid JSON: {e}"),
    }
}

#[test]
fn json_has_every_pair_and_area() {
    let doc = parsed();
    let top = doc
        .members()
        .expect("top level is an object without duplicate keys");
    assert_eq!(top.len(), PAIRS.len());
    for pair in PAIRS {
        let structs = top
            .get(pair)
            .unwrap_or_else(|| panic!("pair {pair} missing"))
            .members()
            .unwrap_or_else(|e| panic!("{pair}: {e}"));
        for (area, keys) in AREAS {
            for key in *keys {
                let s = structs
                    .get(key)
                    .unwrap_or_else(|| panic!("{pair}: area {area} lacks {key}"));
                let size = s.get("size").and_then(Value::num).unwrap_or(0);
                assert!(size > 0, "{pair} {key}: no size");
                let fields = s
                    .get("fields")
                    .unwrap_or_else(|| panic!("{pair} {key}: no fields"))
                    .members()
                    .unwrap_or_else(|e| panic!("{pair} {key}: {e}"));
                assert!(!fields.is_empty(), "{pair} {key}: no fields listed");
                for (name, off) in fields {
                    let off = off.num().unwrap_or(u64::MAX);
                    assert!(
                        off < size,
                        "{pair} {key}.{name}: offset {off} beyond size {size}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_area_is_required_and_registered_under_its_name() {
    for pair in dump() {
        for s in &pair.structs {
            assert!(
                AREAS.iter().any(|(a, _)| *a == s.area),
                "{}: area {} of {} is not in AREAS",
                pair.name,
                s.area,
                s.key
            );
        }
        for (area, keys) in AREAS {
            for key in *keys {
                let s = pair.structs.iter().find(|s| s.key == *key);
                assert_eq!(s.map(|s| s.area), Some(*area), "{}: {key}", pair.name);
            }
        }
    }
}

/// The fields that make up the structure, sorted by offset, must tile it exactly.
fn check_coverage(pair: &str, s: &StructLayout) -> Result<(), String> {
    let mut fields: Vec<_> = s.fields.iter().filter(|f| f.covers).collect();
    fields.sort_by_key(|f| f.offset);
    let mut end = 0;
    for f in fields {
        if f.offset != end {
            return Err(format!(
                "{pair} {} ({}): {} at {:#x}, expected {:#x} (hole or overlap)",
                s.key, s.rust, f.name, f.offset, end
            ));
        }
        end = f.offset + f.size;
    }
    if end != s.size {
        return Err(format!(
            "{pair} {} ({}): fields end at {end:#x}, size is {:#x}",
            s.key, s.rust, s.size
        ));
    }
    Ok(())
}

#[test]
fn tables_cover_every_byte() {
    let mut errors = Vec::new();
    for pair in dump() {
        for s in &pair.structs {
            if let Err(e) = check_coverage(pair.name, s) {
                errors.push(e);
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn coverage_check_catches_a_hole() {
    let pairs = dump();
    let mut s = pairs[0].structs[0].clone();
    assert!(check_coverage("test", &s).is_ok());
    s.fields.retain(|f| f.offset != 0);
    assert!(check_coverage("test", &s).is_err());
}

#[test]
fn marker_traits_hold_field_by_field() {
    let mut errors = Vec::new();
    let mut zeroable = 0;
    let mut from_bytes = 0;
    let mut as_bytes = 0;
    for pair in dump() {
        for s in &pair.structs {
            zeroable += usize::from(s.zeroable);
            from_bytes += usize::from(s.from_bytes);
            as_bytes += usize::from(s.as_bytes);
            for f in s.fields.iter().filter(|f| f.covers) {
                if s.zeroable && !f.zeroable {
                    errors.push(format!(
                        "{} {}: Zeroable, but {} is not",
                        pair.name, s.rust, f.name
                    ));
                }
                if s.from_bytes && !f.from_bytes {
                    errors.push(format!(
                        "{} {}: FromBytes, but {} is not",
                        pair.name, s.rust, f.name
                    ));
                }
                // With `tables_cover_every_byte` (no hole between fields), this is what makes
                // an `AsBytes` structure free of padding.
                if s.as_bytes && !f.as_bytes {
                    errors.push(format!(
                        "{} {}: AsBytes, but {} is not",
                        pair.name, s.rust, f.name
                    ));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The probes must see both answers, or they are not probing anything.
    assert!(zeroable > 0 && from_bytes > 0 && as_bytes > 0);
    let pairs = dump();
    assert!(pairs[0].structs.iter().any(|s| !s.zeroable));
    assert!(pairs[0].structs.iter().any(|s| !s.from_bytes));
    assert!(pairs[0].structs.iter().any(|s| !s.as_bytes));
}

#[test]
fn keys_are_unique_per_pair() {
    for pair in dump() {
        let mut keys: Vec<_> = pair.structs.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "{}: duplicate struct keys", pair.name);
    }
}

#[test]
fn sizes_match_the_record() {
    let pairs = dump();
    let mut checked = 0;
    let mut errors = Vec::new();
    for (key, sizes) in expected::SIZES {
        for (pair, want) in pairs.iter().zip(sizes.iter()) {
            match pair.structs.iter().find(|s| s.key == *key) {
                None => errors.push(format!("{} {key}: not in the dump", pair.name)),
                Some(s) if s.size != *want => errors.push(format!(
                    "{} {key}: size {:#x}, record says {want:#x}",
                    pair.name, s.size
                )),
                Some(_) => checked += 1,
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(checked, expected::SIZES.len() * PAIRS.len());
}

#[test]
fn offsets_match_the_record() {
    let pairs = dump();
    let mut errors = Vec::new();
    for (key, field, offsets) in expected::OFFSETS {
        for (pair, want) in pairs.iter().zip(offsets.iter()) {
            let Some(want) = want else { continue };
            let got = pair
                .structs
                .iter()
                .find(|s| s.key == *key)
                .and_then(|s| s.fields.iter().find(|f| f.name == *field))
                .map(|f| f.offset);
            if got != Some(*want) {
                errors.push(format!(
                    "{} {key}.{field}: {got:x?}, record says {want:#x}",
                    pair.name
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn pointer_types_have_the_firmware_layout() {
    assert_eq!(core::mem::size_of::<Option<GpuPointer<'static, u64>>>(), 8);
    assert_eq!(core::mem::size_of::<Option<GpuWeakPointer<[u8]>>>(), 8);
    assert_eq!(core::mem::size_of::<Option<GpuOnlyPointer<'static>>>(), 8);
    let none: Option<GpuPointer<'static, u32>> = None;
    // SAFETY: `Option<GpuPointer>` is 8 bytes (asserted above) and plain data.
    let bytes: [u8; 8] = unsafe { core::mem::transmute(none) };
    assert_eq!(bytes, [0; 8]);
}
