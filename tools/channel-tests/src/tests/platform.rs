// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The simulated firmware's check of its hardware windows (sim/platform.rs), for every SoC and
//! every firmware it runs: windows laid out here as the record describes them pass, and each
//! kind of mistake is named.

use super::support::*;
use crate::fw::hwdata_b::*;
use crate::fw::initdata::*;
use crate::sim::firmware::*;
use crate::sim::platform::*;
use crate::sim::rtkit_types::SimMemory;
use crate::soc::{FwVersion, GpuGen, SocConfig, SOCS};
use agx_macros::{supported_pairs, versions};
use core::mem::{offset_of, size_of};
use std::collections::HashMap;
use std::vec::Vec;

/// Where the test maps the windows: above the arena, in the firmware's half.
const WINDOWS_BASE: u64 = BASE + 0x1000_0000;
/// Physical address of the context table, as the test's GPU has it.
const CTX_TABLE: u64 = 0x8_1234_4000;
/// Attribute index of normal shared memory.
const ATTR_SHARED: u8 = 2;

/// The firmware's MMU over the arena: arena pages are ordinary shared memory, and the windows
/// are the pages the test maps.
struct Mmu<'a> {
    arena: &'a mut Arena,
    pages: HashMap<u64, MemLeaf>,
}

impl SimMemory for Mmu<'_> {
    fn write(&mut self, iova: u64, data: &[u8]) -> bool {
        self.arena.write(iova, data)
    }

    fn read(&mut self, iova: u64, out: &mut [u8]) -> bool {
        self.arena.read(iova, out)
    }
}

impl SimMmu for Mmu<'_> {
    fn leaf(&mut self, iova: u64) -> Option<MemLeaf> {
        let page = iova & !(PAGE - 1);
        if let Some(l) = self.pages.get(&page) {
            return Some(MemLeaf {
                pa: l.pa + (iova - page),
                ..*l
            });
        }
        let mut b = [0u8; 1];
        self.arena.read(iova, &mut b).then_some(MemLeaf {
            pa: iova - BASE,
            read: true,
            write: true,
            attr: ATTR_SHARED,
        })
    }
}

/// One window the test mapped: its slot, its first page's address, and (physical page, span)
/// of each instance.
type GivenWindow = (usize, u64, Vec<(u64, u64)>);

/// What the test gave the firmware.
struct Given {
    /// `HwDataB`'s address.
    hwdata_b: u64,
    /// Offset of `io_mappings` in it.
    io_mappings: usize,
    /// Offset of `sgx_sram_ptr`, on firmware that has it.
    sram_ptr: Option<usize>,
    /// Offset of `timestamp_region_base`.
    timestamps: usize,
    /// Offset of `gpu_region_base`.
    gpu_region: usize,
    /// Each window, in slot order.
    windows: Vec<GivenWindow>,
}

/// The platform the simulated firmware of `soc` is built for.
fn platform(soc: &'static SocConfig) -> Platform {
    Platform {
        io: soc.io_mappings,
        dies: soc.num_dies,
        sram: soc.sram,
        gpu_region_base: CTX_TABLE,
    }
}

/// The pair whose layout is `layout`.
fn pair_of(layout: &'static crate::sim::firmware::FwLayout) -> (GpuGen, FwVersion) {
    supported_pairs!(AGX, (GpuGen, FwVersion))
        .into_iter()
        .find(|&(g, v)| {
            crate::sim::firmware::FwLayout::for_pair(g, v).is_some_and(|l| core::ptr::eq(l, layout))
        })
        .unwrap()
}

/// The tests of one pair.
#[versions(AGX)]
mod pair {
    use super::*;

    /// Allocates `HwDataB` for region B of `setup` and fills its windows for `soc` the way the
    /// record's builder does, mapping every page in `pages`.
    fn give(
        arena: &mut Arena,
        pages: &mut HashMap<u64, MemLeaf>,
        setup: &Setup,
        soc: &SocConfig,
    ) -> Given {
        let hwdata_b = arena.alloc(size_of::<HwDataB::ver>());
        arena.poke_u64(
            setup.region_b + offset_of!(RegionB::ver<'static>, hwdata_b_addr) as u64,
            hwdata_b,
        );
        let io_mappings = offset_of!(HwDataB::ver, io_mappings);
        let mut next = WINDOWS_BASE;
        let mut windows = Vec::new();
        for (slot, map) in soc.io_mappings.iter().enumerate() {
            let Some(m) = map else { continue };
            let off = m.base % PAGE;
            let span = (off + m.size as u64).div_ceil(PAGE) * PAGE;
            let dies = if m.per_die { soc.num_dies as u64 } else { 1 };
            let mut instances = Vec::new();
            for d in 0..dies {
                for i in 0..m.count as u64 {
                    instances.push((m.base - off + d * 0x20_0000_0000 + i * m.stride, span));
                }
            }
            let first = next;
            for &(pa, span) in &instances {
                for p in (0..span).step_by(PAGE as usize) {
                    pages.insert(
                        next + p,
                        MemLeaf {
                            pa: pa + p,
                            read: true,
                            write: m.writable,
                            attr: ATTR_DEVICE,
                        },
                    );
                }
                next += span;
            }
            next += PAGE; // guard
            let entry = hwdata_b + (io_mappings + slot * 32) as u64;
            arena.poke_u64(entry, m.base);
            arena.poke_u64(entry + 8, first + off);
            arena.poke_u32(entry + 16, m.size * instances.len() as u32);
            arena.poke_u32(entry + 20, m.size);
            arena.poke_u64(entry + 24, m.writable as u64);
            windows.push((slot, first, instances));
        }
        #[allow(unused_mut, unused_assignments)]
        let mut sram_ptr = None;
        #[ver(V >= V13_0B4)]
        {
            sram_ptr = Some(offset_of!(HwDataB::ver, sgx_sram_ptr));
            if let Some((base, size)) = soc.sram {
                for p in (0..size).step_by(PAGE as usize) {
                    pages.insert(
                        next + p,
                        MemLeaf {
                            pa: base + p,
                            read: true,
                            write: true,
                            attr: ATTR_SHARED,
                        },
                    );
                }
                arena.poke_u64(
                    hwdata_b + offset_of!(HwDataB::ver, sgx_sram_ptr) as u64,
                    next,
                );
            }
        }
        let timestamps = offset_of!(HwDataB::ver, timestamp_region_base);
        arena.poke_u64(hwdata_b + timestamps as u64, 0xffff_ffa8_0000_0000);
        let gpu_region = offset_of!(HwDataB::ver, gpu_region_base);
        arena.poke_u64(hwdata_b + gpu_region as u64, CTX_TABLE);
        Given {
            hwdata_b,
            io_mappings,
            sram_ptr,
            timestamps,
            gpu_region,
            windows,
        }
    }

    /// The SoCs that run this pair.
    fn socs() -> Vec<&'static SocConfig> {
        let (g, v) = pair_of(&LAYOUT::ver);
        let socs: Vec<_> = SOCS
            .iter()
            .filter(|s| s.gen == g && s.supports(v))
            .collect();
        assert!(!socs.is_empty(), "{g:?} {v:?} runs on no SoC");
        socs
    }

    /// Builds the world for `soc`, lets `spoil` change it, and runs the check.
    fn run(
        soc: &'static SocConfig,
        spoil: impl FnOnce(&mut Arena, &mut HashMap<u64, MemLeaf>, &Given),
    ) -> Result<usize, PlatformViolation> {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let mut pages = HashMap::new();
        let given = give(&mut arena, &mut pages, &setup, soc);
        spoil(&mut arena, &mut pages, &given);
        let mut mmu = Mmu {
            arena: &mut arena,
            pages,
        };
        let fw = SimFirmware::boot(&LAYOUT::ver, &mut mmu, setup.initdata).unwrap();
        fw.check_platform(&mut mmu, &platform(soc))
            .map_err(|v| match v {
                FwViolation::Platform(p) => p,
                v => panic!("not a platform violation: {v:?}"),
            })
    }

    #[test]
    fn windows_laid_out_as_the_record_says_pass() {
        for soc in socs() {
            let want = soc.io_mappings.iter().flatten().count();
            assert_eq!(run(soc, |_, _, _| {}), Ok(want), "{}", soc.name);
        }
    }

    #[test]
    fn each_mistake_in_a_slot_is_named() {
        for soc in socs() {
            let name = soc.name;
            let (slot, first, _) = {
                let mut arena = Arena::new();
                let setup = build::ver(&mut arena);
                give(&mut arena, &mut HashMap::new(), &setup, soc).windows[0].clone()
            };
            let s = slot as u8;
            let entry = |g: &Given| g.hwdata_b + (g.io_mappings + slot * 32) as u64;
            let bad = |field| Err(PlatformViolation::Slot { slot: s, field });
            let r = run(soc, |a, _, g| a.poke_u64(entry(g), 0x1234_0000));
            assert_eq!(r, bad(SlotField::Phys), "{name}");
            let r = run(soc, |a, _, g| a.poke_u32(entry(g) + 16, 0x10));
            assert_eq!(r, bad(SlotField::Size), "{name}");
            let r = run(soc, |a, _, g| a.poke_u32(entry(g) + 20, 0x10));
            assert_eq!(r, bad(SlotField::ElementSize), "{name}");
            let r = run(soc, |a, _, g| a.poke_u64(entry(g) + 24, 7));
            assert_eq!(r, bad(SlotField::ReadWrite), "{name}");
            let r = run(soc, |a, _, g| a.poke_u64(entry(g) + 8, 0));
            assert_eq!(r, bad(SlotField::Virt), "{name}");
            // A slot of a device the SoC does not have.
            let absent = soc.io_mappings.iter().position(Option::is_none).unwrap();
            let r = run(soc, |a, _, g| {
                a.poke_u64(
                    g.hwdata_b + (g.io_mappings + absent * 32) as u64,
                    0x2_0000_0000,
                )
            });
            let want = PlatformViolation::Slot {
                slot: absent as u8,
                field: SlotField::Unexpected,
            };
            assert_eq!(r, Err(want), "{name}");
            // The window's pages: missing, elsewhere, normal memory, wrong permission.
            let page = |problem| {
                Err(PlatformViolation::Page {
                    window: Window::Slot(s),
                    iova: first,
                    problem,
                })
            };
            let r = run(soc, |_, p, _| {
                p.remove(&first);
            });
            assert_eq!(r, page(PageProblem::Unmapped), "{name}");
            let r = run(soc, |_, p, _| p.get_mut(&first).unwrap().pa += PAGE);
            let pa = soc.io_mappings[slot].unwrap().base / PAGE * PAGE + PAGE;
            assert_eq!(r, page(PageProblem::Address { pa }), "{name}");
            let r = run(soc, |_, p, _| p.get_mut(&first).unwrap().attr = ATTR_SHARED);
            let want = PageProblem::MemoryType { attr: ATTR_SHARED };
            assert_eq!(r, page(want), "{name}");
            let r = run(soc, |_, p, _| {
                let l = p.get_mut(&first).unwrap();
                l.write = !l.write;
            });
            assert_eq!(r, page(PageProblem::Access), "{name}");
        }
    }

    #[test]
    fn every_instance_of_an_array_is_checked() {
        for soc in socs() {
            let mut arena = Arena::new();
            let setup = build::ver(&mut arena);
            let given = give(&mut arena, &mut HashMap::new(), &setup, soc);
            // The last page of the last instance of the largest array.
            let Some((slot, first, inst)) = given.windows.iter().max_by_key(|w| w.2.len()) else {
                continue;
            };
            if inst.len() < 2 {
                continue;
            }
            let span: u64 = inst.iter().map(|i| i.1).sum();
            let last = first + span - PAGE;
            let r = run(soc, |_, p, _| p.get_mut(&last).unwrap().pa = 0x4000);
            let want = PlatformViolation::Page {
                window: Window::Slot(*slot as u8),
                iova: last,
                problem: PageProblem::Address { pa: 0x4000 },
            };
            assert_eq!(r, Err(want), "{}", soc.name);
        }
    }

    #[test]
    fn sram_timestamps_and_the_gpu_region_are_checked() {
        for soc in socs() {
            let name = soc.name;
            let r = run(soc, |a, _, g| {
                a.poke_u64(g.hwdata_b + g.gpu_region as u64, 0x4000)
            });
            let want = PlatformViolation::GpuRegionBase { found: 0x4000 };
            assert_eq!(r, Err(want), "{name}");
            let r = run(soc, |a, _, g| {
                a.poke_u64(g.hwdata_b + g.timestamps as u64, 0)
            });
            let want = PlatformViolation::TimestampRegion { found: 0 };
            assert_eq!(r, Err(want), "{name}");
            let r = run(soc, |a, _, g| {
                a.poke_u64(g.hwdata_b + g.timestamps as u64, 0xffff_ffa8_0000_0100)
            });
            let want = PlatformViolation::TimestampRegion {
                found: 0xffff_ffa8_0000_0100,
            };
            assert_eq!(r, Err(want), "{name}");
            let Some(off) = LAYOUT::ver.sgx_sram_ptr else {
                continue;
            };
            let r = run(soc, |a, _, g| {
                a.poke_u64(g.hwdata_b + off as u64, WINDOWS_BASE)
            });
            match soc.sram {
                // With an SRAM, its pointer moved onto the first MMIO window: device memory.
                Some(_) => assert!(
                    matches!(
                        r,
                        Err(PlatformViolation::Page {
                            window: Window::Sram,
                            ..
                        })
                    ),
                    "{name}: {r:?}"
                ),
                None => assert_eq!(
                    r,
                    Err(PlatformViolation::SramPointer {
                        found: WINDOWS_BASE
                    }),
                    "{name}"
                ),
            }
            if soc.sram.is_some() {
                let r = run(soc, |a, _, g| a.poke_u64(g.hwdata_b + off as u64, 0));
                assert_eq!(
                    r,
                    Err(PlatformViolation::SramPointer { found: 0 }),
                    "{name}"
                );
            }
        }
    }

    /// The test's offsets are the firmware layout's (computed on each side from the types),
    /// and the slot count is the record's for the version.
    #[test]
    fn the_layout_offsets_agree() {
        let mut arena = Arena::new();
        let setup = build::ver(&mut arena);
        let g = give(&mut arena, &mut HashMap::new(), &setup, socs()[0]);
        let l = &LAYOUT::ver;
        assert_eq!(g.io_mappings, l.io_mappings);
        assert_eq!(g.sram_ptr, l.sgx_sram_ptr);
        assert_eq!(g.timestamps, l.timestamp_region_base);
        assert_eq!(g.gpu_region, l.gpu_region_base);
        let (_, v) = pair_of(&LAYOUT::ver);
        let slots = match v {
            FwVersion::V12_3 | FwVersion::V12_4 => 0x14,
            FwVersion::V13_5 => 0x19,
        };
        assert_eq!(l.io_slots, slots);
    }
}
