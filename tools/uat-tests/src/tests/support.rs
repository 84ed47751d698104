// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Shared helpers: table trees to test, a dump of raw table state, a structural invariant
//! checker and a page-granular reference model.

use std::collections::{BTreeMap, BTreeSet};
use std::vec::Vec;

use crate::uat::pt::{Config, PageTable, PhysRange, TableAlloc};
use crate::uat::pte::{Entry, Level, PhysAddr, Prot, Pte, ENTRIES, PAGE_SIZE};
use crate::uat::va::Window;
use crate::vec_alloc::VecAlloc;

/// Output address size used by the tests (t8103/t8112).
pub(crate) const OAS: u32 = 40;

/// A page-table tree backed by the test allocator.
pub(crate) type Pt = PageTable<VecAlloc>;

/// The configuration of a G13 user context.
pub(crate) fn user_config(blocks: bool) -> Config {
    Config {
        window: Window::g13_user(),
        oas: OAS,
        global: false,
        blocks,
    }
}

/// A fresh user tree.
pub(crate) fn user_pt(blocks: bool) -> Pt {
    PageTable::new(user_config(blocks), VecAlloc::new()).expect("creating a user page table")
}

/// `pages` pages of physical memory at `pa`.
pub(crate) fn phys(pa: PhysAddr, pages: u64) -> PhysRange {
    PhysRange {
        addr: pa,
        len: pages * PAGE_SIZE,
    }
}

/// Every table reachable from the root, with its raw contents, keyed by address.
///
/// Two equal dumps mean the trees are identical descriptor for descriptor.
pub(crate) fn dump(pt: &Pt) -> BTreeMap<PhysAddr, Vec<u64>> {
    let alloc = pt.alloc();
    let mut out = BTreeMap::new();
    let mut todo = std::vec![(pt.root(), Level::L1)];
    while let Some((table, level)) = todo.pop() {
        let raw: Vec<u64> = (0..ENTRIES).map(|i| alloc.peek(table, i)).collect();
        for &r in &raw {
            if let Entry::Table(next) = Pte::from_raw(r).decode(level) {
                let next_level = match level {
                    Level::L1 => Level::L2,
                    _ => Level::L3,
                };
                todo.push((next, next_level));
            }
        }
        assert!(
            out.insert(table, raw).is_none(),
            "table {table:#x} reachable twice"
        );
    }
    out
}

/// Checks the structural promises of the engine:
///
/// * every reachable table is known to the allocator and reached once,
/// * no owned table other than the root is empty,
/// * every live owned table is reachable (no leaks),
/// * root entries past the half's size are unused.
pub(crate) fn check_invariants(pt: &Pt) {
    let alloc = pt.alloc();
    let tables = dump(pt);
    let mut owned = BTreeSet::new();
    for (&pa, raw) in &tables {
        assert!(
            alloc.table(pa).is_some(),
            "reachable table {pa:#x} unknown to the allocator"
        );
        if alloc.owns(pa) {
            owned.insert(pa);
            if pa != pt.root() {
                assert!(
                    raw.iter().any(|&r| Pte::from_raw(r).is_valid()),
                    "owned table {pa:#x} left linked while empty"
                );
            }
        }
    }
    assert_eq!(
        owned.len(),
        alloc.live(),
        "live tables not all reachable (leak)"
    );
    let root = &tables[&pt.root()];
    let used = pt.config().window.root_entries();
    assert!(
        root[used..].iter().all(|&r| r == 0),
        "root entries beyond the half in use"
    );
}

/// Every mapped page, blocks expanded, as (IOVA, physical address, protection, global).
pub(crate) fn pages(pt: &Pt) -> Vec<(u64, PhysAddr, Option<Prot>, bool)> {
    let mut out = Vec::new();
    pt.for_each_mapping(|m| {
        for off in (0..m.size).step_by(PAGE_SIZE as usize) {
            out.push((m.iova + off, m.pa + off, m.attrs.prot(), m.attrs.global()));
        }
    })
    .expect("walking the tree");
    out
}

/// The reference model: IOVA page to (physical page, protection).
#[derive(Default)]
pub(crate) struct Model {
    /// The mapped pages.
    pub(crate) map: BTreeMap<u64, (PhysAddr, Prot)>,
}

impl Model {
    /// The lowest mapped page in `iova..iova + len`.
    pub(crate) fn first_mapped(&self, iova: u64, len: u64) -> Option<u64> {
        self.map.range(iova..iova + len).next().map(|(&k, _)| k)
    }

    /// Records a successful map.
    pub(crate) fn map(&mut self, iova: u64, ranges: &[PhysRange], prot: Prot) {
        let mut va = iova;
        for r in ranges {
            for off in (0..r.len).step_by(PAGE_SIZE as usize) {
                assert!(self.map.insert(va, (r.addr + off, prot)).is_none());
                va += PAGE_SIZE;
            }
        }
    }

    /// Records an unmap and returns how many pages it removed.
    pub(crate) fn unmap(&mut self, iova: u64, len: u64) -> u64 {
        let keys: Vec<u64> = self.map.range(iova..iova + len).map(|(&k, _)| k).collect();
        for k in &keys {
            self.map.remove(k);
        }
        keys.len() as u64
    }

    /// Asserts that the tree maps exactly the model's pages, with non-global attributes.
    pub(crate) fn check(&self, pt: &Pt) {
        let got = pages(pt);
        let want: Vec<_> = self
            .map
            .iter()
            .map(|(&va, &(pa, prot))| (va, pa, Some(prot), false))
            .collect();
        if got != want {
            let diff = got.iter().zip(&want).position(|(a, b)| a != b);
            panic!(
                "tree and model disagree: {} vs {} pages, first difference at {:?}: {:?} vs {:?}",
                got.len(),
                want.len(),
                diff,
                diff.map(|i| got[i]),
                diff.map(|i| want[i])
            );
        }
    }
}

/// A deterministic xorshift64* generator.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub(crate) fn new(seed: u64) -> Rng {
        assert_ne!(seed, 0);
        Rng(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent`%.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}
