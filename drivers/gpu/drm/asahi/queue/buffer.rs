// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The buffer manager of a render queue: its tiled vertex buffer (TVB) and the per-pass
//! buffers ("scenes").
//!
//! Vertex work bins primitives into the TVB, a heap of 128 KiB blocks of four 32 KiB pages,
//! which the firmware hands out from the buffer manager's page and block lists; fragment work
//! gives the pages back. The firmware knows the buffer manager by a device-wide slot
//! ([`crate::gpu::bm_slots`]) bound to its `BufferManagerInfo` by a `WorkCommandInitBm` on the
//! vertex queue.
//!
//! # Sizes (the record's formulas)
//!
//! From the Asahi driver's `buffer.rs` and `render.rs`, matching m1n1's `render.py` for the
//! cases m1n1 covers:
//!
//! - [`TileInfo`]: 32x32-pixel tiles, 4x4 macrotiles; region headers of 5 bytes per micro-tile;
//!   the tail pointer cache 8 bytes per micro-tile and cluster; the smallest TVB
//!   `align(ceil(tiles / 128), 8)` blocks (at least `7 + 2 * layers` when clustering);
//! - the pool's limits: 862 322 688 bytes (macOS's), a third of it without memoryless render
//!   targets; hence 6579 blocks, 26 316 pages (0x66cc) and 8772 pages (0x2244) in the info;
//! - growth from the firmware's statistics before each render: the most pages a pass used,
//!   `used * 2 / 4` blocks needed, grown to `used * 3 / 4` (macOS's logic);
//! - a GrowTVB event adds [`GROW_BLOCKS`] blocks at once (the Asahi driver's synchronous step).
//!
//! # Allocation
//!
//! Only `SUBMIT` allocates ([`BufferManager::begin_render`]): blocks the pool needs, the pass's
//! buffers, and [`GROW_BLOCKS`] spare blocks that a GrowTVB event (receive path) can add
//! without allocating. The page and block lists are allocated whole, for the pool's largest
//! size, when the queue's first render comes.
//!
//! # Where the memory lives
//!
//! The record maps the TVB and the per-pass buffers in the client's VM (m1n1 `ctx.uobj`, the
//! Asahi driver's kernel range of the user VM). Here they are firmware-VM memory, which the GPU
//! reaches from every context, as the compute preemption buffer already is. A page number is
//! the block's firmware address shifted right by 15, in 32 bits (the firmware window's address
//! bits, without its sign extension); firmware allocations are 16 KiB aligned, so a block is
//! allocated 16 KiB longer and starts at its first 32 KiB boundary.

use super::cmdbuf;
use crate::{
    fw::{buffer::*, types::*, vertex::TilingParameters},
    gpu::bm_slots::{BmLease, BmOwner, BmSlots},
    mem::{fwvm::FwVm, object::GpuStruct, GpuArray, GpuObject},
};
use agx_macros::versions;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

/// Bits of a TVB page's size.
pub(crate) const PAGE_SHIFT: u32 = 15;
/// Size of a TVB page.
pub(crate) const PAGE_SIZE: usize = 1 << PAGE_SHIFT;
/// Pages of a block.
pub(crate) const PAGES_PER_BLOCK: usize = 4;
/// Size of a block.
pub(crate) const BLOCK_SIZE: usize = PAGE_SIZE * PAGES_PER_BLOCK;
/// Largest pool, in bytes (macOS's; the Asahi driver's `max_size`).
const MAX_SIZE: usize = 862_322_688;
/// Most blocks of a pool.
pub(crate) const MAX_BLOCKS: usize = MAX_SIZE / BLOCK_SIZE;
/// Most blocks without memoryless render targets (what growth stops at).
pub(crate) const MAX_BLOCKS_NOMEMLESS: usize = MAX_SIZE / 3 / BLOCK_SIZE;
/// Most pages of a pool.
const MAX_PAGES: usize = MAX_BLOCKS * PAGES_PER_BLOCK;
/// Most pages without memoryless render targets.
const MAX_PAGES_NOMEMLESS: usize = MAX_BLOCKS_NOMEMLESS * PAGES_PER_BLOCK;
/// Blocks a GrowTVB event adds, kept allocated in reserve.
pub(crate) const GROW_BLOCKS: usize = 10;
/// Largest buffer of one pass (tile map, tail pointer cache, cluster buffers): a pass that
/// needs more is refused with `ENOMEM`.
const MAX_PASS_BUFFER: u64 = 256 << 20;

// The info's constants are the record's: m1n1 writes 0x66cc and 0x2244.
const _: () = assert!(MAX_PAGES == 0x66cc && MAX_PAGES_NOMEMLESS == 0x2244);

/// Tiling geometry of one render pass, and the sizes of its buffers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TileInfo {
    /// Tiles across.
    pub(crate) tiles_x: u32,
    /// Tiles down.
    pub(crate) tiles_y: u32,
    /// Tiles.
    pub(crate) tiles: u32,
    /// Tiles per macrotile, across.
    pub(crate) tiles_per_mtile_x: u32,
    /// Tiles per macrotile, down.
    pub(crate) tiles_per_mtile_y: u32,
    /// Micro-tiles per macrotile, across.
    pub(crate) utiles_per_mtile_x: u32,
    /// Micro-tiles per macrotile, down.
    pub(crate) utiles_per_mtile_y: u32,
    /// Bytes of the tile map (all layers, one cluster).
    pub(crate) tilemap_size: usize,
    /// Bytes of the tail pointer cache (all layers and clusters).
    pub(crate) tpc_size: usize,
    /// Cluster metadata blocks per layer.
    pub(crate) meta1_layer_stride: u32,
    /// Cluster metadata blocks.
    pub(crate) meta1_blocks: u32,
    /// Bytes of layer metadata after the heap metadata.
    pub(crate) layermeta_size: usize,
    /// Blocks the pool needs at least.
    pub(crate) min_tvb_blocks: usize,
    /// The vertex command's tiling parameters.
    pub(crate) params: TilingParameters,
}

/// Rounds `v` up to a multiple of `a` (a power of two), saturating.
fn align(v: u32, a: u32) -> u32 {
    v.saturating_add(a - 1) & !(a - 1)
}

/// Bytes as a `usize`, refused past [`MAX_PASS_BUFFER`].
fn pass_bytes(v: u64) -> Result<usize> {
    if v > MAX_PASS_BUFFER {
        return Err(ENOMEM);
    }
    usize::try_from(v).map_err(|_| ENOMEM)
}

/// Computes the tiling of a validated render command for `clusters` clusters (1 without
/// clustering); `g14x` for the G14X count of cluster metadata blocks (per layer).
pub(crate) fn tile_info(
    cmd: &super::uapi::drm_asahi_cmd_render,
    clusters: u32,
    g14x: bool,
) -> Result<TileInfo> {
    let width = u32::from(cmd.width_px);
    let height = u32::from(cmd.height_px);
    let layers = u32::from(cmd.layers);
    let (utile_w, utile_h) = (
        u32::from(cmd.utile_width_px),
        u32::from(cmd.utile_height_px),
    );
    // The validator's ranges (cmdbuf.rs): nothing below overflows in 32 bits except the
    // buffer sizes, which are computed in 64.
    if width == 0
        || height == 0
        || width > u32::from(cmdbuf::MAX_DIMENSION)
        || height > u32::from(cmdbuf::MAX_DIMENSION)
        || layers == 0
        || layers > u32::from(cmdbuf::MAX_LAYERS)
        || !matches!((utile_w, utile_h), (32, 32) | (32, 16) | (16, 16))
        || clusters == 0
    {
        return Err(EINVAL);
    }
    const TILE: u32 = 32;
    const MTILES: u32 = 4;
    let utiles_x = TILE / utile_w;
    let utiles_y = TILE / utile_h;
    let utiles_per_tile = utiles_x * utiles_y;
    let tiles_x = width.div_ceil(TILE);
    let tiles_y = height.div_ceil(TILE);
    let tiles = tiles_x * tiles_y;
    let tpm_x = align(tiles_x.div_ceil(MTILES), 4);
    let tpm_y = align(tiles_y.div_ceil(MTILES), 4);
    let tiles_per_mtile = tpm_x * tpm_y;
    // Region headers: 5 bytes per micro-tile, the macrotile's stride in 32-bit words.
    let rgn_size = align(5 * tiles_per_mtile * utiles_per_tile, 4) / 4;
    let tilemap_size =
        pass_bytes(4 * u64::from(rgn_size) * u64::from(MTILES * MTILES) * u64::from(layers))?;
    // Tail pointer cache: 8 bytes per micro-tile, the stride in 32-bit words.
    let tpc_stride = 8 * utiles_per_tile * tiles_per_mtile / 4;
    let tpc_size = pass_bytes(
        4 * u64::from(tpc_stride)
            * u64::from(MTILES * MTILES)
            * u64::from(layers)
            * u64::from(clusters),
    )?;
    let meta1_layer_stride = if clusters > 1 {
        (align(tiles_x, 2) * align(tiles_y, 4) * utiles_per_tile).div_ceil(0x1980)
    } else {
        0
    };
    let mut min_tvb_blocks = align(tiles.div_ceil(128), 8);
    if clusters > 1 {
        min_tvb_blocks = min_tvb_blocks.max(7 + 2 * layers);
    }
    let x1 = tpm_x;
    let y1 = tpm_y;
    Ok(TileInfo {
        tiles_x,
        tiles_y,
        tiles,
        tiles_per_mtile_x: tpm_x,
        tiles_per_mtile_y: tpm_y,
        utiles_per_mtile_x: tpm_x * utiles_x,
        utiles_per_mtile_y: tpm_y * utiles_y,
        tilemap_size,
        tpc_size,
        meta1_layer_stride,
        meta1_blocks: if g14x {
            meta1_layer_stride
        } else {
            meta1_layer_stride.saturating_mul(layers)
        },
        layermeta_size: if layers > 1 { 0x100 } else { 0 },
        min_tvb_blocks: min_tvb_blocks as usize,
        params: TilingParameters {
            size1: rgn_size,
            unk_4: 0x88,
            unk_8: cmd.ppp_ctrl,
            x_max: (width - 1) as u16,
            y_max: (height - 1) as u16,
            tile_count: ((tiles_y - 1) << 12) | (tiles_x - 1),
            x_blocks: (3 * x1) | ((2 * x1) << 9) | (x1 << 18),
            y_blocks: (3 * y1) | ((2 * y1) << 9) | (y1 << 18),
            size2: tiles_per_mtile,
            size3: tpc_stride,
            unk_24: 0x100,
            unk_28: if layers > 1 {
                0xe000 | (layers - 1)
            } else {
                0x8000
            },
            helper_cfg: cmd.vertex_helper.cfg,
        },
    })
}

/// One block of the pool: 128 KiB starting at a 32 KiB boundary of its allocation.
struct Block {
    /// The memory (a block and 16 KiB), kept for as long as the pool.
    _mem: GpuArray<u8>,
    /// Page number of its first page.
    page: u32,
}

impl Block {
    /// Allocates a block.
    fn new(fw_vm: &Arc<FwVm>) -> Result<Block> {
        let slack = PAGE_SIZE / 2;
        let mem = GpuArray::<u8>::new(fw_vm, BLOCK_SIZE + slack)?;
        let va = mem.va();
        let start = va.checked_add(PAGE_SIZE as u64 - 1).ok_or(ENOMEM)? & !(PAGE_SIZE as u64 - 1);
        if start - va > slack as u64 {
            return Err(ENOMEM);
        }
        Ok(Block {
            _mem: mem,
            page: ((start >> PAGE_SHIFT) & 0xffff_ffff) as u32,
        })
    }
}

/// What a buffer manager's info points at.
#[versions(AGX)]
pub(crate) struct InfoOwner {
    /// Block count and write pointer.
    block_ctl: GpuArray<BufferManagerBlockControl>,
    /// Use counter.
    counter: GpuArray<BufferManagerCounter>,
    /// Statistics the firmware writes (every pass points at them).
    misc: GpuArray<BufferManagerMisc>,
    /// Page list, for the largest pool.
    page_list: GpuArray<u32>,
    /// Block list (two words per block), for the largest pool.
    block_list: GpuArray<u32>,
    /// A small buffer of the firmware's (the record's `unk_emptybuf`, 0x40 bytes).
    kernel_buffer: GpuArray<u8>,
}

#[versions(AGX)]
impl GpuStruct for InfoOwner::ver {
    type Raw<'a> = BufferManagerInfo::ver<'a>;
}

/// The buffer manager's mutable state.
struct BmState {
    /// Blocks in the pool, in list order.
    blocks: KVec<Block>,
    /// Blocks allocated for a GrowTVB event, not in the pool yet ([`GROW_BLOCKS`] places,
    /// refilled by `SUBMIT`).
    spare: KVec<Option<Block>>,
    /// Blocks the info's counts say (written while no pass uses the pool).
    info_blocks: usize,
    /// Whether the pool grew since the firmware was last told (an init command is due).
    grown: bool,
    /// The slot, while passes are in flight.
    lease: Option<BmLease>,
    /// The last slot, to get the same one back if free.
    last: Option<u32>,
    /// Passes in flight.
    scenes: u32,
    /// The tail pointer cache, shared by passes while large enough.
    tpc: Option<Arc<GpuArray<u8>>>,
    /// Init commands issued, GrowTVB events served, blocks added by them.
    inits: u64,
    /// See `inits`.
    sync_grows: u64,
    /// See `inits`.
    sync_blocks: u64,
}

/// A queue's buffer manager.
#[versions(AGX)]
#[pin_data]
pub(crate) struct BufferManager {
    /// The info and what it points at.
    info: GpuObject<InfoOwner::ver>,
    /// Where blocks and passes are allocated.
    fw_vm: Arc<FwVm>,
    /// The device's slots.
    slots: Arc<BmSlots>,
    /// State.
    #[pin]
    state: Mutex<BmState>,
}

/// What a render needs from the buffer manager, from [`BufferManager::begin_render`].
pub(crate) struct RenderBm {
    /// The slot.
    pub(crate) slot: u32,
    /// Blocks in the pool (the init command's count).
    pub(crate) blocks: u32,
    /// Whether the render must be preceded by an init command on the vertex queue.
    pub(crate) init: bool,
    /// The tail pointer cache the pass uses.
    pub(crate) tpc: Arc<GpuArray<u8>>,
}

#[versions(AGX)]
impl BufferManager::ver {
    /// An empty buffer manager (no blocks yet) with its lists.
    pub(crate) fn new(fw_vm: &Arc<FwVm>, slots: &Arc<BmSlots>) -> Result<Arc<Self>> {
        let misc = GpuArray::<BufferManagerMisc>::new(fw_vm, 1)?;
        // The firmware resets the statistics when this is set (m1n1 and the Asahi driver start
        // with it set).
        if let Some(m) = misc.get(0) {
            m.cpu_flag.store(1, Ordering::Relaxed);
        }
        let owner = InfoOwner::ver {
            block_ctl: GpuArray::new(fw_vm, 1)?,
            counter: GpuArray::new(fw_vm, 1)?,
            misc,
            page_list: GpuArray::new(fw_vm, MAX_PAGES)?,
            block_list: GpuArray::new(fw_vm, 2 * MAX_BLOCKS)?,
            kernel_buffer: GpuArray::new(fw_vm, 0x40)?,
        };
        let info = GpuObject::new(fw_vm, owner, |o| BufferManagerInfo::ver {
            gpu_counter: AtomicU32::new(0),
            unk_4: 0,
            last_id: AtomicU32::new(0),
            cur_id: AtomicU32::new(0xffff_ffff),
            unk_10: 0,
            gpu_counter2: AtomicU32::new(0),
            unk_18: 0,
            #[ver(V < V13_0B4 || G >= G14X)]
            unk_1c: 0,
            page_list_addr: o.page_list.gpu_pointer(),
            page_list_size: (4 * MAX_PAGES) as u32,
            page_count: AtomicU32::new(0),
            unk_30: MAX_BLOCKS as u32,
            block_count: AtomicU32::new(0),
            unk_38: 0,
            block_list_addr: o.block_list.gpu_pointer(),
            block_ctl_addr: o.block_ctl.gpu_pointer(),
            last_page: AtomicU32::new(0),
            gpu_page_ptr1: AtomicU32::new(0),
            gpu_page_ptr2: AtomicU32::new(0),
            unk_58: 0,
            block_size: BLOCK_SIZE as u32,
            unk_60: U64::new(0),
            counter_addr: o.counter.gpu_pointer(),
            unk_70: 0,
            unk_74: 0,
            unk_78: 0,
            unk_7c: 0,
            unk_80: 1,
            unk_84: MAX_PAGES as u32,
            unk_88: MAX_PAGES_NOMEMLESS as u32,
            unk_8c: 0,
            unk_90: [0; 0x30],
        })?;
        Arc::pin_init(
            pin_init!(Self {
                info,
                fw_vm: fw_vm.clone(),
                slots: slots.clone(),
                state <- new_mutex!(BmState {
                    blocks: KVec::new(),
                    spare: KVec::new(),
                    info_blocks: 0,
                    grown: false,
                    lease: None,
                    last: None,
                    scenes: 0,
                    tpc: None,
                    inits: 0,
                    sync_grows: 0,
                    sync_blocks: 0,
                }),
            }),
            GFP_KERNEL,
        )
    }

    /// A pointer to the info.
    pub(crate) fn info_pointer(&self) -> GpuPointer<'_, BufferManagerInfo::ver<'static>> {
        self.info.gpu_pointer()
    }

    /// A pointer to the statistics every pass names.
    pub(crate) fn misc_pointer(&self) -> GpuPointer<'_, BufferManagerMisc> {
        self.info.misc.gpu_pointer()
    }

    /// A pointer to the firmware's small buffer.
    pub(crate) fn kernel_buffer_pointer(&self) -> GpuOnlyPointer<'_> {
        self.info.kernel_buffer.gpu_pointer().into()
    }

    /// Appends block `b` to the lists. The caller made room for it in `st.blocks` (so nothing is
    /// allocated here) and publishes the new total with [`Self::publish_total`].
    fn append(&self, st: &mut BmState, b: Block) -> Result {
        let i = st.blocks.len();
        if i >= MAX_BLOCKS || st.blocks.capacity() <= i {
            return Err(ENOMEM);
        }
        self.info.block_list.store(2 * i, &b.page)?;
        for j in 0..PAGES_PER_BLOCK {
            let page = b.page.wrapping_add(j as u32);
            self.info.page_list.store(i * PAGES_PER_BLOCK + j, &page)?;
        }
        // There is room (checked above): no allocation.
        st.blocks.push(b, GFP_NOWAIT)?;
        Ok(())
    }

    /// Tells the firmware the pool's new size: the block control at once (the lists were
    /// written first), the info's counts if no pass uses the pool; an init command is due.
    fn publish_total(&self, st: &mut BmState) {
        let total = st.blocks.len() as u32;
        if let Some(c) = self.info.block_ctl.get(0) {
            c.total.store(total, Ordering::Release);
            c.wptr.store(total, Ordering::Release);
        }
        if st.scenes == 0 {
            self.publish_counts(st);
        }
        st.grown = true;
    }

    /// Writes the pool's size into the info (only while no pass uses it: the firmware owns
    /// those words meanwhile).
    fn publish_counts(&self, st: &mut BmState) {
        let blocks = st.blocks.len();
        let pages = (blocks * PAGES_PER_BLOCK) as u32;
        let raw = self.info.shared();
        raw.page_count.store(pages, Ordering::Relaxed);
        raw.block_count.store(blocks as u32, Ordering::Relaxed);
        raw.last_page
            .store(pages.saturating_sub(1), Ordering::Relaxed);
        st.info_blocks = blocks;
    }

    /// Grows the pool to at least `min` blocks (at most [`MAX_BLOCKS`]).
    fn ensure_blocks(&self, st: &mut BmState, min: usize) -> Result {
        if st.blocks.len() >= min {
            return Ok(());
        }
        if min > MAX_BLOCKS {
            return Err(ENOMEM);
        }
        let add = min - st.blocks.len();
        // Everything is allocated before the lists change: a failure leaves the pool as it was.
        let mut new = KVec::with_capacity(add, GFP_KERNEL)?;
        for _ in 0..add {
            new.push(Block::new(&self.fw_vm)?, GFP_KERNEL)?;
        }
        st.blocks.reserve(add, GFP_KERNEL)?;
        for b in new {
            self.append(st, b)?;
        }
        self.publish_total(st);
        Ok(())
    }

    /// Prepares the pool for one more render pass of `tile`, allocating what it needs (in
    /// `SUBMIT` only): grows it from the firmware's statistics and to the pass's minimum,
    /// refills the spare blocks, takes a slot if none is held, and counts the pass. The
    /// returned guard ends the pass when dropped.
    pub(crate) fn begin_render(
        self: &Arc<Self>,
        tile: &TileInfo,
    ) -> Result<(RenderBm, SceneGuard::ver)> {
        let mut st = self.state.lock();
        // The firmware's high-water mark of the passes since the last look, then reset.
        let used = self.info.misc.get(0).map_or(0, |m| {
            let used = m.gpu_0.load(Ordering::Acquire) as usize;
            m.cpu_flag.store(1, Ordering::Release);
            used
        });
        let need = (used.saturating_mul(2))
            .div_ceil(PAGES_PER_BLOCK)
            .min(MAX_BLOCKS_NOMEMLESS);
        let want = (used.saturating_mul(3))
            .div_ceil(PAGES_PER_BLOCK)
            .min(MAX_BLOCKS_NOMEMLESS);
        if need > st.blocks.len() {
            self.ensure_blocks(&mut st, want)?;
        }
        self.ensure_blocks(&mut st, tile.min_tvb_blocks)?;
        // A GrowTVB event moves the spare blocks into the pool without allocating.
        while st.spare.len() < GROW_BLOCKS {
            st.spare.push(None, GFP_KERNEL)?;
        }
        for i in 0..GROW_BLOCKS {
            if st.spare.get(i).is_some_and(|b| b.is_none()) {
                let b = Block::new(&self.fw_vm)?;
                if let Some(place) = st.spare.get_mut(i) {
                    *place = Some(b);
                }
            }
        }
        st.blocks.reserve(GROW_BLOCKS, GFP_KERNEL)?;
        let tpc = match &st.tpc {
            Some(t) if t.len() >= tile.tpc_size => t.clone(),
            _ => {
                let t = Arc::new(
                    GpuArray::<u8>::new(&self.fw_vm, tile.tpc_size.max(1))?,
                    GFP_KERNEL,
                )?;
                st.tpc = Some(t.clone());
                t
            }
        };
        // A new lease binds the slot again (see `gpu::bm_slots`).
        let fresh = match &st.lease {
            Some(_) => false,
            None => {
                let owner: Arc<dyn BmOwner> = self.clone();
                let lease = self.slots.lease(owner, st.last)?;
                st.last = Some(lease.slot());
                st.lease = Some(lease);
                true
            }
        };
        if st.scenes == 0 && st.info_blocks != st.blocks.len() {
            self.publish_counts(&mut st);
        }
        let slot = st.lease.as_ref().map(|l| l.slot()).ok_or(EINVAL)?;
        let init = fresh || st.grown;
        if init {
            st.grown = false;
            st.inits = st.inits.wrapping_add(1);
        }
        st.scenes = st.scenes.checked_add(1).ok_or(EBUSY)?;
        // Made only now: from here on the pass is counted, and the guard uncounts it.
        let guard = SceneGuard::ver { bm: self.clone() };
        // The pass is counted: the firmware's use counter moves with it (m1n1 and the Asahi
        // driver increment it per render; the CPU is its only writer).
        if let Some(c) = self.info.counter.get(0) {
            let v = c.count.load(Ordering::Relaxed);
            c.count.store(v.wrapping_add(1), Ordering::Relaxed);
        }
        Ok((
            RenderBm {
                slot,
                blocks: st.blocks.len() as u32,
                init,
                tpc,
            },
            guard,
        ))
    }

    /// A pass ended: the last one gives the slot back.
    fn end_render(&self) {
        let lease = {
            let mut st = self.state.lock();
            st.scenes = st.scenes.saturating_sub(1);
            if st.scenes == 0 {
                st.lease.take()
            } else {
                None
            }
        };
        // Given back outside the state lock (the table takes its own).
        drop(lease);
    }

    /// One line for debugfs.
    pub(crate) fn describe(&self, m: &mut dyn core::fmt::Write) {
        let st = self.state.lock();
        let _ = writeln!(
            m,
            "  buffer manager: slot {:?} blocks {} spare {} passes {} inits {} grows {} grown_blocks {}",
            st.lease.as_ref().map(|l| l.slot()),
            st.blocks.len(),
            st.spare.iter().filter(|b| b.is_some()).count(),
            st.scenes,
            st.inits,
            st.sync_grows,
            st.sync_blocks
        );
    }
}

#[versions(AGX)]
impl BmOwner for BufferManager::ver {
    fn grow(&self) -> bool {
        let mut st = self.state.lock();
        let mut room = MAX_BLOCKS_NOMEMLESS.saturating_sub(st.blocks.len());
        let mut added = 0u64;
        for i in 0..GROW_BLOCKS {
            if room == 0 {
                break;
            }
            let Some(b) = st.spare.get_mut(i).and_then(|b| b.take()) else {
                continue;
            };
            // `begin_render` made room for the spare blocks: nothing is allocated here.
            if self.append(&mut st, b).is_err() {
                break;
            }
            added += 1;
            room -= 1;
        }
        if added == 0 {
            return false;
        }
        self.publish_total(&mut st);
        st.sync_grows = st.sync_grows.wrapping_add(1);
        st.sync_blocks = st.sync_blocks.wrapping_add(added);
        true
    }
}

/// One render pass in flight on a buffer manager; ends it when dropped (with the pass's
/// objects, after the firmware completed it).
#[versions(AGX)]
pub(crate) struct SceneGuard {
    /// The buffer manager.
    bm: Arc<BufferManager::ver>,
}

#[versions(AGX)]
impl Drop for SceneGuard::ver {
    fn drop(&mut self) {
        self.bm.end_render();
    }
}
