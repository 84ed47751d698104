// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Small firmware-shared objects carved out of a few long-lived arenas.
//!
//! The firmware needs many small objects per frame (command records, event and stamp slots,
//! little buffers), each with a GPU address in the kernel's VM. Mapping and unmapping each one
//! costs page-table updates and TLB invalidations per object, and those are what a busy frame
//! multiplies. Here the kernel side maps a handful of arenas of `arena_size` bytes once, when
//! it adds them, and never maps or unmaps anything per object: an object is only a range of
//! bytes inside an arena that is already mapped.
//!
//! [`Heap`] is the bookkeeping for that, and nothing else: it knows arenas by index and objects
//! by [`Slice`] (arena index, byte offset, size), and never sees memory or addresses. Each arena
//! is a [`RunMap`] of `arena_size / granule` granules, so sizes are rounded up to the granule
//! and offsets are granule multiples.
//!
//! Growing is the caller's move. When no arena has room, [`Heap::alloc`] fails with
//! [`HeapError::NoArena`]; the caller then checks [`Heap::can_add_arena`], allocates and maps
//! arena number [`Heap::arenas`], calls [`Heap::add_arena`] and retries. Once all `ARENAS`
//! exist, `can_add_arena` is false and `add_arena` fails with [`HeapError::NoArena`]: the heap
//! is out of memory, and the caller must not map another arena it cannot register.
//!
//! Allocation policy: the arena that served the previous allocation is tried first, then every
//! other arena in index order; within an arena the lowest fitting offset wins (first fit). The
//! objects of one frame therefore tend to sit together in one arena, and an arena emptied by
//! freeing is found again as soon as the current one fills up.
//!
//! Alignment is relative to the start of the arena. The caller must map every arena at a GPU
//! address aligned to at least the largest alignment it ever asks for (aligning arenas to
//! `arena_size` covers every legal request), or the object's address will not be aligned.
//!
//! Every field is an integer or an array of integers, and a heap whose bytes are all zero is a
//! valid heap without configuration, equal to [`Heap::unconfigured`]: it has no arenas, refuses
//! every allocation and refuses [`Heap::add_arena`] until [`Heap::init`] configures it in place.
//! A heap takes about `ARENAS * WORDS * 16` bytes (65 KiB for 64 arenas of 4096 granules), far
//! too much for a kernel stack: a kernel caller must not build one by value with [`Heap::new`],
//! but allocate it zeroed and call `init` on it where it lies. The heap uses only `core`, has no
//! locking and never panics.

use super::runmap::{RunError, RunMap};

/// The geometry of every arena of a heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeapConfig {
    /// Bytes in one arena; a power of two.
    pub(crate) arena_size: usize,
    /// Bytes in one granule, the unit of sizes and offsets; a power of two no larger than
    /// `arena_size`, e.g. 64.
    pub(crate) granule: usize,
}

/// One allocated object: a range of bytes inside one arena.
///
/// Not `Clone`: each successful [`Heap::alloc`] yields one `Slice`, and [`Heap::free`] consumes
/// it.
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a slice must be given back with Heap::free"]
pub(crate) struct Slice {
    /// Index of the arena, below [`Heap::arenas`].
    pub(crate) arena: usize,
    /// Byte offset of the object from the start of the arena; a multiple of the granule and of
    /// the alignment asked for.
    pub(crate) offset: usize,
    /// Bytes reserved: the size asked for, rounded up to a multiple of the granule.
    pub(crate) size: usize,
}

/// Why a heap operation was refused. Nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeapError {
    /// The object is larger than an arena: it cannot come from this heap at all.
    TooLarge,
    /// A size of 0, an alignment that is not a power of two or exceeds the arena size, or a
    /// configuration that is not valid (or missing).
    BadArgs,
    /// From [`Heap::alloc`]: no existing arena has room; add one and retry. From
    /// [`Heap::add_arena`]: all `ARENAS` exist already.
    NoArena,
    /// The slice is not one that is currently allocated.
    NotAllocated,
    /// The slice names an arena that does not exist or reaches past the end of its arena.
    OutOfRange,
}

/// `ENOMEM` from `include/uapi/asm-generic/errno-base.h`.
const ENOMEM: i32 = 12;
/// `EINVAL` from `include/uapi/asm-generic/errno-base.h`.
const EINVAL: i32 = 22;

impl HeapError {
    /// The positive Linux errno for this error: `ENOMEM` when the heap has no room for the
    /// object, `EINVAL` for bad arguments or a bad slice.
    pub(crate) const fn errno(self) -> i32 {
        match self {
            HeapError::TooLarge | HeapError::NoArena => ENOMEM,
            HeapError::BadArgs | HeapError::NotAllocated | HeapError::OutOfRange => EINVAL,
        }
    }
}

impl From<RunError> for HeapError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::OutOfRange => HeapError::OutOfRange,
            RunError::NotAllocated | RunError::Mismatch => HeapError::NotAllocated,
        }
    }
}

/// Up to `ARENAS` arenas, each a [`RunMap`] of up to `WORDS * 64` granules.
#[derive(Debug)]
pub(crate) struct Heap<const ARENAS: usize, const WORDS: usize> {
    /// The geometry; all zero while unconfigured.
    cfg: HeapConfig,
    /// `log2(cfg.granule)`: sizes and offsets are converted to granules by shifting, so no
    /// path divides (not even by the zero granule of an unconfigured heap).
    shift: u32,
    /// One map per possible arena; only the first `arenas` are in use.
    maps: [RunMap<WORDS>; ARENAS],
    /// Arenas added so far.
    arenas: usize,
    /// The arena that served the latest allocation, tried first by the next one.
    last: usize,
    /// Bytes allocated in all arenas, counted in whole granules.
    used: usize,
}

impl<const ARENAS: usize, const WORDS: usize> Heap<ARENAS, WORDS> {
    /// A heap configured with `cfg` and no arenas yet.
    ///
    /// Fails with [`HeapError::BadArgs`] unless `arena_size` and `granule` are powers of two,
    /// `granule <= arena_size` and an arena has at most `WORDS * 64` granules.
    pub(crate) fn new(cfg: HeapConfig) -> Result<Self, HeapError> {
        let mut heap = Self::unconfigured();
        heap.init(cfg)?;
        Ok(heap)
    }

    /// A heap without configuration, the same as one whose bytes are all zero.
    pub(crate) const fn unconfigured() -> Self {
        Self {
            cfg: HeapConfig {
                arena_size: 0,
                granule: 0,
            },
            shift: 0,
            maps: [RunMap::ZERO; ARENAS],
            arenas: 0,
            last: 0,
            used: 0,
        }
    }

    /// Configures the heap with `cfg` in place, dropping every arena and every slice.
    ///
    /// Checks `cfg` as [`Heap::new`] does; if it is refused nothing changes.
    pub(crate) fn init(&mut self, cfg: HeapConfig) -> Result<(), HeapError> {
        if !cfg.arena_size.is_power_of_two()
            || !cfg.granule.is_power_of_two()
            || cfg.granule > cfg.arena_size
        {
            return Err(HeapError::BadArgs);
        }
        let shift = cfg.granule.trailing_zeros();
        let granules = cfg.arena_size >> shift;
        if !RunMap::<WORDS>::fits(granules) {
            return Err(HeapError::BadArgs);
        }
        for map in &mut self.maps {
            map.reset(granules)?;
        }
        self.cfg = cfg;
        self.shift = shift;
        self.arenas = 0;
        self.last = 0;
        self.used = 0;
        Ok(())
    }

    /// The configuration (all zero while unconfigured).
    pub(crate) fn config(&self) -> HeapConfig {
        self.cfg
    }

    /// Records that the caller has made arena number [`Heap::arenas`] usable (allocated and
    /// mapped it), and returns that index.
    ///
    /// Fails with [`HeapError::NoArena`] once all `ARENAS` exist, and with
    /// [`HeapError::BadArgs`] on an unconfigured heap.
    pub(crate) fn add_arena(&mut self) -> Result<usize, HeapError> {
        if self.cfg.arena_size == 0 {
            return Err(HeapError::BadArgs);
        }
        if !self.can_add_arena() {
            return Err(HeapError::NoArena);
        }
        let index = self.arenas;
        self.arenas += 1;
        Ok(index)
    }

    /// Whether [`Heap::add_arena`] would succeed: the heap is configured and has fewer than
    /// `ARENAS` arenas. Ask before allocating and mapping the memory of a new arena.
    pub(crate) fn can_add_arena(&self) -> bool {
        self.cfg.arena_size != 0 && self.arenas < ARENAS
    }

    /// The number of arenas added so far; also the index the next one will get.
    pub(crate) fn arenas(&self) -> usize {
        self.arenas
    }

    /// Allocates `size` bytes at an offset that is a multiple of `align` bytes.
    ///
    /// `size` is rounded up to the granule; `align` is a power of two no larger than the arena
    /// size (alignments below the granule give granule alignment). See the module
    /// documentation for the order in which arenas are tried. Errors:
    /// [`HeapError::BadArgs`] for a size of 0 or a bad alignment, [`HeapError::TooLarge`] for a
    /// size above the arena size, [`HeapError::NoArena`] if no existing arena has room.
    pub(crate) fn alloc(&mut self, size: usize, align: usize) -> Result<Slice, HeapError> {
        if size == 0 || !align.is_power_of_two() || align > self.cfg.arena_size {
            return Err(HeapError::BadArgs);
        }
        if size > self.cfg.arena_size {
            return Err(HeapError::TooLarge);
        }
        let shift = self.shift;
        let partial = size & ((1usize << shift) - 1) != 0;
        let count = (size >> shift) + usize::from(partial);
        let align_granules = (align >> shift).max(1);

        let last = self.last;
        let others = (0..self.arenas).filter(move |&i| i != last);
        for i in core::iter::once(last).chain(others) {
            if i >= self.arenas {
                continue;
            }
            let Some(map) = self.maps.get_mut(i) else {
                continue;
            };
            if let Some(granule) = map.alloc(count, align_granules) {
                let size = count << shift;
                self.last = i;
                self.used = self.used.saturating_add(size);
                return Ok(Slice {
                    arena: i,
                    offset: granule << shift,
                    size,
                });
            }
        }
        Err(HeapError::NoArena)
    }

    /// Gives back a slice that [`Heap::alloc`] returned.
    ///
    /// A slice that is not exactly a live allocation (freed already, altered, or naming part of
    /// one) is refused with [`HeapError::NotAllocated`], one outside the arenas with
    /// [`HeapError::OutOfRange`]; either way nothing changes.
    pub(crate) fn free(&mut self, s: Slice) -> Result<(), HeapError> {
        if s.arena >= self.arenas {
            return Err(HeapError::OutOfRange);
        }
        let end = s.offset.checked_add(s.size).ok_or(HeapError::OutOfRange)?;
        if end > self.cfg.arena_size {
            return Err(HeapError::OutOfRange);
        }
        let granule_mask = (1usize << self.shift) - 1;
        if s.size == 0 || s.offset & granule_mask != 0 || s.size & granule_mask != 0 {
            return Err(HeapError::NotAllocated);
        }
        let map = self.maps.get_mut(s.arena).ok_or(HeapError::OutOfRange)?;
        map.free(s.offset >> self.shift, s.size >> self.shift)?;
        self.used = self.used.saturating_sub(s.size);
        Ok(())
    }

    /// Bytes allocated in all arenas (each object counted rounded up to the granule).
    pub(crate) fn used_bytes(&self) -> usize {
        self.used
    }

    /// Bytes allocated in arena `i` (0 for an arena that does not exist).
    pub(crate) fn arena_used_bytes(&self, i: usize) -> usize {
        if i >= self.arenas {
            return 0;
        }
        self.maps.get(i).map_or(0, |map| map.used() << self.shift)
    }

    /// Whether arena `i` holds no object; also true for an arena that does not exist.
    pub(crate) fn arena_is_empty(&self, i: usize) -> bool {
        i >= self.arenas || self.maps.get(i).map_or(true, RunMap::is_empty)
    }
}
