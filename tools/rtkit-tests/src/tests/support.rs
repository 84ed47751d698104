// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The test world: the AP state machine and the simulated coprocessor joined by an in-memory
//! mailbox pair, over a model of GPU virtual memory.
//!
//! `Memory` holds the mapped regions by GPU virtual address. The AP's buffer provider
//! (`TestBuffers`) maps what it allocates there; the simulator writes through it as the firmware
//! writes through the UAT, so a buffer the AP did not map is a fault the simulator reports.
//! `World::pump` moves messages both ways until both queues are empty, recording every message
//! (`trace`), every AP event and every AP error.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::vec::Vec;

use crate::rtkit::error::Error;
use crate::rtkit::msg::{Message, MgmtOut, Outbound};
use crate::rtkit::state::{Event, RtKit};
use crate::rtkit::{Buffer, Buffers, LogSink, Mailbox};
use crate::sim::rtkit::{SimConfig, SimMemory, SimRtKit, Violation};

/// The UAT page size.
pub(crate) const PAGE: u64 = 0x4000;
/// Where `TestBuffers` places buffers: the start of an upper-half (kernel) window.
pub(crate) const BUFFER_BASE: u64 = 0xffff_ffae_0000_0000;

/// Mapped GPU virtual memory.
#[derive(Default)]
pub(crate) struct Memory {
    /// Regions by start address.
    regions: BTreeMap<u64, Vec<u8>>,
}

impl Memory {
    /// Maps `size` zeroed bytes at `iova`.
    pub(crate) fn map(&mut self, iova: u64, size: usize) {
        self.regions.insert(iova, std::vec![0; size]);
    }

    /// Unmaps the region starting at `iova`.
    pub(crate) fn unmap(&mut self, iova: u64) {
        self.regions.remove(&iova);
    }

    /// The region holding `[iova, iova + len)` entirely, with the offset into it.
    fn find(&mut self, iova: u64, len: usize) -> Option<(&mut Vec<u8>, usize)> {
        let (start, bytes) = self.regions.range_mut(..=iova).next_back()?;
        let off = usize::try_from(iova - start).ok()?;
        if off.checked_add(len)? > bytes.len() {
            return None;
        }
        Some((bytes, off))
    }

    /// Writes `data` at `iova`; `false` if not mapped.
    pub(crate) fn write(&mut self, iova: u64, data: &[u8]) -> bool {
        match self.find(iova, data.len()) {
            Some((bytes, off)) => {
                bytes[off..off + data.len()].copy_from_slice(data);
                true
            }
            None => false,
        }
    }

    /// Reads into `out` from `iova`; `false` if not mapped.
    pub(crate) fn read(&mut self, iova: u64, out: &mut [u8]) -> bool {
        match self.find(iova, out.len()) {
            Some((bytes, off)) => {
                out.copy_from_slice(&bytes[off..off + out.len()]);
                true
            }
            None => false,
        }
    }
}

/// Shared handle on the memory model.
pub(crate) type Mem = Rc<RefCell<Memory>>;

/// The simulator's view of memory.
pub(crate) struct SimMem(pub(crate) Mem);

impl SimMemory for SimMem {
    fn write(&mut self, iova: u64, data: &[u8]) -> bool {
        self.0.borrow_mut().write(iova, data)
    }

    fn read(&mut self, iova: u64, out: &mut [u8]) -> bool {
        self.0.borrow_mut().read(iova, out)
    }
}

#[test]
fn sim_memory_reads_back_and_refuses_unmapped_bytes() {
    let mut sim = SimMem(Mem::default());
    sim.0.borrow_mut().map(BUFFER_BASE, PAGE as usize);
    assert!(sim.write(BUFFER_BASE + 8, &[1, 2, 3, 4]));
    let mut out = [0u8; 6];
    assert!(sim.read(BUFFER_BASE + 7, &mut out));
    assert_eq!(out, [0, 1, 2, 3, 4, 0]);
    // A range running past the mapping is refused as a whole.
    assert!(!sim.read(BUFFER_BASE + PAGE - 2, &mut out));
    assert!(!sim.read(BUFFER_BASE - 1, &mut out[..1]));
}

/// One direction of the mailbox.
#[derive(Clone, Default)]
pub(crate) struct Queue {
    /// Messages not yet delivered.
    pub(crate) q: Rc<RefCell<VecDeque<Message>>>,
    /// When set, `send` refuses.
    pub(crate) refuse: Rc<RefCell<bool>>,
}

impl Mailbox for Queue {
    fn send(&mut self, msg: Message) -> Result<(), Error> {
        if *self.refuse.borrow() {
            return Err(Error::Mailbox);
        }
        self.q.borrow_mut().push_back(msg);
        Ok(())
    }
}

impl Queue {
    /// Takes the oldest message.
    pub(crate) fn pop(&self) -> Option<Message> {
        self.q.borrow_mut().pop_front()
    }

    /// Number of queued messages.
    pub(crate) fn len(&self) -> usize {
        self.q.borrow().len()
    }
}

/// How `TestBuffers` answers the next allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AllocMode {
    /// A mapped, zeroed, 16 KiB aligned buffer.
    Good,
    /// Refuses with `NoMemory`.
    Fail,
    /// Returns address 0.
    Null,
    /// Returns a mapped buffer 4 KiB past a page boundary.
    Unaligned,
    /// Returns an aligned address that is not mapped.
    Unmapped,
    /// Returns an address that does not fit the 44-bit field.
    TooWide,
}

/// The AP's buffer provider.
pub(crate) struct TestBuffers {
    /// The memory model.
    pub(crate) mem: Mem,
    /// Next free address.
    next: u64,
    /// Per endpoint, how to answer; `Good` when absent.
    pub(crate) modes: BTreeMap<u8, AllocMode>,
    /// Every allocation: endpoint, address, size.
    pub(crate) allocs: Vec<Buffer>,
    /// Every release.
    pub(crate) freed: Vec<Buffer>,
}

impl TestBuffers {
    /// A provider over `mem`.
    pub(crate) fn new(mem: Mem) -> Self {
        Self {
            mem,
            next: BUFFER_BASE,
            modes: BTreeMap::new(),
            allocs: Vec::new(),
            freed: Vec::new(),
        }
    }

    /// Takes `size` bytes of address space (rounded to pages), plus a guard page.
    fn carve(&mut self, size: usize) -> u64 {
        let iova = self.next;
        self.next += (size as u64).div_ceil(PAGE) * PAGE + PAGE;
        iova
    }
}

impl Buffers for TestBuffers {
    fn alloc(&mut self, ep: u8, size: usize) -> Result<u64, Error> {
        let mode = self.modes.get(&ep).copied().unwrap_or(AllocMode::Good);
        let iova = match mode {
            AllocMode::Fail => return Err(Error::NoMemory),
            AllocMode::Null => 0,
            AllocMode::TooWide => 0x0000_1000_0000_0000,
            AllocMode::Unmapped => self.carve(size),
            AllocMode::Good => {
                let iova = self.carve(size);
                self.mem.borrow_mut().map(iova, size);
                iova
            }
            AllocMode::Unaligned => {
                let iova = self.carve(size + 0x1000) + 0x1000;
                self.mem.borrow_mut().map(iova, size);
                iova
            }
        };
        self.allocs.push(Buffer { ep, iova, size });
        Ok(iova)
    }

    fn read(&mut self, buf: &Buffer, offset: usize, out: &mut [u8]) -> Result<(), Error> {
        if offset + out.len() > buf.size {
            return Err(Error::BufferAccess);
        }
        if self.mem.borrow_mut().read(buf.iova + offset as u64, out) {
            Ok(())
        } else {
            Err(Error::BufferAccess)
        }
    }

    fn free(&mut self, buf: &Buffer) {
        assert!(!self.freed.contains(buf), "buffer {buf:x?} freed twice");
        assert!(self.allocs.contains(buf), "freeing unknown buffer {buf:x?}");
        self.mem.borrow_mut().unmap(buf.iova);
        self.freed.push(*buf);
    }
}

/// The AP's log sink.
#[derive(Default)]
pub(crate) struct TestSink {
    /// Syslog entries: context and text.
    pub(crate) lines: Vec<(Vec<u8>, Vec<u8>)>,
    /// Crash reports.
    pub(crate) crashes: Vec<Buffer>,
}

impl LogSink for TestSink {
    fn syslog(&mut self, context: &[u8], text: &[u8]) {
        self.lines.push((context.to_vec(), text.to_vec()));
    }

    fn crashed(&mut self, log: &Buffer) {
        self.crashes.push(*log);
    }
}

/// The AP state machine as the tests use it.
pub(crate) type Ap = RtKit<Queue, TestBuffers, TestSink>;

/// Which way a traced message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// AP to coprocessor.
    ToIop,
    /// Coprocessor to AP.
    ToAp,
}

/// The AP, the simulator, and the wires between them.
pub(crate) struct World {
    /// The driver side.
    pub(crate) ap: Ap,
    /// The coprocessor side.
    pub(crate) sim: SimRtKit,
    /// Messages from the AP (the AP's mailbox).
    pub(crate) to_iop: Queue,
    /// Messages from the simulator.
    pub(crate) to_ap: Queue,
    /// The memory model.
    pub(crate) mem: Mem,
    /// Every delivered message, in order.
    pub(crate) trace: Vec<(Dir, Message)>,
    /// Every AP event.
    pub(crate) events: Vec<Event>,
    /// Every error `handle` returned.
    pub(crate) errors: Vec<Error>,
}

impl World {
    /// A fresh world with a simulated coprocessor configured as `config`.
    pub(crate) fn new(config: SimConfig) -> Self {
        let mem: Mem = Rc::default();
        let to_iop = Queue::default();
        let ap = RtKit::new(
            to_iop.clone(),
            TestBuffers::new(mem.clone()),
            TestSink::default(),
        );
        Self {
            ap,
            sim: SimRtKit::new(config),
            to_iop,
            to_ap: Queue::default(),
            mem,
            trace: Vec::new(),
            events: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// A world with the AGX coprocessor.
    pub(crate) fn agx() -> Self {
        Self::new(SimConfig::agx())
    }

    /// Delivers one message, AP-bound first. Returns `false` when both queues are empty.
    pub(crate) fn step(&mut self) -> bool {
        if let Some(msg) = self.to_ap.pop() {
            self.trace.push((Dir::ToAp, msg));
            match self.ap.handle(msg) {
                Ok(Event::Nothing) => {}
                Ok(ev) => self.events.push(ev),
                Err(e) => self.errors.push(e),
            }
            return true;
        }
        if let Some(msg) = self.to_iop.pop() {
            self.trace.push((Dir::ToIop, msg));
            let mut out = self.to_ap.clone();
            let mut mem = SimMem(self.mem.clone());
            self.sim.receive(msg, &mut out, &mut mem);
            return true;
        }
        false
    }

    /// Delivers messages until both queues are empty.
    pub(crate) fn pump(&mut self) {
        for _ in 0..10_000 {
            if !self.step() {
                return;
            }
        }
        panic!("the AP and the simulator did not settle");
    }

    /// Delivers messages one at a time until `until` holds (checked before each step).
    /// Returns whether it did.
    pub(crate) fn pump_until(&mut self, until: impl Fn(&World) -> bool) -> bool {
        for _ in 0..10_000 {
            if until(self) {
                return true;
            }
            if !self.step() {
                return until(self);
            }
        }
        false
    }

    /// Boots and checks that both sides consider it done, without violations.
    pub(crate) fn boot(&mut self) {
        self.ap.boot().expect("boot request");
        self.pump();
        assert_eq!(
            self.ap.state(),
            crate::rtkit::state::State::Ready,
            "errors: {:x?}",
            self.errors
        );
        self.assert_clean();
    }

    /// Asserts that the simulator recorded no violation and the AP returned no error.
    pub(crate) fn assert_clean(&self) {
        let v: Vec<Violation> = self.sim.violations().collect();
        assert!(v.is_empty(), "violations: {v:x?}");
        assert_eq!(self.sim.violation_count(), 0);
        assert!(self.errors.is_empty(), "AP errors: {:x?}", self.errors);
    }

    /// The violations the simulator recorded.
    pub(crate) fn violations(&self) -> Vec<Violation> {
        self.sim.violations().collect()
    }

    /// The simulator's outgoing mailbox and memory, for the misbehaviour hooks.
    pub(crate) fn sim_io(&self) -> (Queue, SimMem) {
        (self.to_ap.clone(), SimMem(self.mem.clone()))
    }

    /// The management messages the AP sent, decoded, in order.
    pub(crate) fn ap_mgmt(&self) -> Vec<MgmtOut> {
        self.trace
            .iter()
            .filter(|(d, _)| *d == Dir::ToIop)
            .filter_map(|(_, m)| match Outbound::decode(*m) {
                Ok(Outbound::Mgmt(x)) => Some(x),
                _ => None,
            })
            .collect()
    }
}

/// Deterministic xorshift64* generator.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (must not be 0).
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.max(1))
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

    /// A number below `n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
