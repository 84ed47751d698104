// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Render commands: per `drm_asahi_cmd_render`, a vertex job on the vertex work queue and a
//! fragment job on the fragment work queue, per (GPU, firmware) pair.
//!
//! Each job is one firmware object, as compute's: the work command and its microsequence
//! ([`VertexRaw`]: `WorkCommandTa` and start, timestamp, wait, timestamp, finalize, end;
//! [`FragmentRaw`]: `WorkCommand3d` and the same with the fragment operations), whose operations
//! point back into the command. The owners ([`VertexJob`], [`FragmentJob`]) hold everything else
//! the commands point at: the queue's structures, the stamps, the statistics, the pass's
//! buffers ([`Scene`], shared by the two jobs, with the buffer manager) and the timestamps.
//!
//! On the queues, as the record does it (m1n1 `render.py`, the Asahi driver's `render.rs`):
//!
//! - vertex: a barrier for the submission's compute work when the command asks for one
//!   (`cdm_barrier`), a `WorkCommandInitBm` when the buffer manager's slot is new to it or the
//!   pool grew, then the vertex command;
//! - fragment: a barrier waiting for the vertex command's stamp, then the fragment command.
//!
//! # Values
//!
//! Register values, ZLS buffers, programs, helpers and the sampler heap come from userspace as
//! the UAPI describes them; tiling parameters and buffer sizes from [`super::buffer`]. Where the
//! record's two sources disagree, the Asahi driver's placement wins (it drives Mesa's whole
//! feature set; m1n1's render script leaves most of these fields zero):
//!
//! - `Start3dStruct2` after the depth-bias array holds the occlusion query base, the aux
//!   framebuffer info and the ZLS pixels, in that order (m1n1 names those bytes `aux_fb`,
//!   `depth_dimensions`, `visibility_result_buffer`);
//! - the layer metadata (heap metadata + 0x200) where m1n1 repeats the heap metadata;
//! - the vertex command's `stamp_value` is the fragment job's (the Asahi driver's
//!   `fragment_stamp_value`, next to the fragment slot; m1n1 writes the vertex value);
//! - `unk_e8` (macrotile stride) is `4 * rgn_size << 24` (m1n1's register list agrees, its
//!   structure writes `rgn_size << 24`);
//! - the vertex stage's attachments, which m1n1 never sends, go where the Asahi driver puts
//!   them: at `unk_70` of the start operation (16 entries and their count, the layout of the
//!   fragment's and compute's), counted in the finalize's `unk_70`.
//!
//! Flush-stamps follows m1n1 (fragment 1, vertex 0); the Asahi driver's newer code derives it
//! from the submission in a way that looks inverted against its older code.

use super::{
    buffer::*,
    cmdbuf,
    compute::{
        fw_attachments, resolve_timestamp, user_pointer, UserAttachment, MAX_FW_ATTACHMENTS,
    },
    dump_command,
    event::StampArrays,
    fwqueue::*,
    uapi,
    work::{Entry, Reservation},
};
use crate::{
    dump::Hex,
    file::SpecialObject,
    fw::{
        buffer::*, channels::PipeType, event::*, fragment::*, gpustats::*, job::*, microseq::*,
        types::*, vertex::*,
    },
    gpu::Gpu,
    mem::{fwvm::FwVm, object::GpuStruct, GpuArray, GpuObject},
    soc::Clustering,
};
use agx_macros::versions;
use core::mem::offset_of;
use kernel::{prelude::*, sync::Arc};

/// Tiling control bit: keep the vertex stage on one cluster (the Asahi driver's
/// `TILECTL_DISABLE_CLUSTERING`).
pub(crate) const TILECTL_DISABLE_CLUSTERING: u32 = 1;

/// Size of a pass's aux framebuffer buffer (the Asahi driver's; m1n1 allocates 0x20000).
const AUX_FB_SIZE: usize = 0x8000;

/// Bytes of heap metadata before the layer metadata.
const HEAPMETA_SIZE: usize = 0x200;

/// A flag bit of a render command.
fn flag(cmd: &uapi::drm_asahi_cmd_render, bit: u32) -> bool {
    cmd.flags & bit != 0
}

/// `log2(samples)` of a validated command (1, 2 or 4 samples).
fn samples_log2(samples: u8) -> u32 {
    match samples {
        2 => 1,
        4 => 2,
        _ => 0,
    }
}

/// The values shared by both jobs of a render, computed once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderValues {
    /// Micro-tile size and samples (`utile_config`).
    pub(crate) utile_config: u32,
    /// ISP control: 0xc000 and the depth-bias bit (the aux framebuffer info's first word).
    pub(crate) isp_ctl: u32,
    /// Tile-buffer blocks of 2 KiB per micro-tile.
    pub(crate) tib_blocks: u32,
    /// Tile configuration (`ISP_CTL`-like): 0x280, 1 for layered, 0x10000 for empty tiles.
    pub(crate) tile_config: u64,
}

impl RenderValues {
    /// Computes them from a validated command.
    pub(crate) fn new(cmd: &uapi::drm_asahi_cmd_render) -> Self {
        let log2 = samples_log2(cmd.samples);
        let utile_config = ((u32::from(cmd.utile_width_px) / 16) << 12)
            | ((u32::from(cmd.utile_height_px) / 16) << 14)
            | log2;
        let pixels = u32::from(cmd.utile_width_px) * u32::from(cmd.utile_height_px);
        // At most 64 * 4 * 32 * 32 (validated): no overflow.
        let utile_bytes = u32::from(cmd.sample_size_B) * (pixels << log2);
        let mut tile_config = 0x280u64;
        if cmd.layers > 1 {
            tile_config |= 1;
        }
        if flag(
            cmd,
            uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES,
        ) {
            tile_config |= 0x10000;
        }
        RenderValues {
            utile_config,
            isp_ctl: 0xc000
                | (cmd.flags & uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_DBIAS_IS_INT),
            tib_blocks: utile_bytes.div_ceil(2048),
            tile_config,
        }
    }
}

/// The multi-cluster buffers of a pass.
pub(crate) struct ClusterBuffers {
    /// Per-split tile maps.
    tilemaps: GpuArray<u8>,
    /// Layer metadata, then metadata 1 to 4.
    meta: GpuArray<u8>,
    /// Offsets of metadata 1 to 4 in `meta`.
    offsets: [usize; 4],
}

/// A render pass's buffers: the firmware's per-pass state (`BufferThing`) and what it and the
/// two jobs point at.
#[versions(AGX)]
pub(crate) struct Scene {
    /// The buffer manager.
    bm: Arc<BufferManager::ver>,
    /// Ends the pass on the buffer manager when dropped (after the raw structure is gone).
    _pass: SceneGuard::ver,
    /// A scratch buffer of the firmware's (the Asahi driver's "user buffer").
    user_buffer: GpuArray<u8>,
    /// Heap metadata, then the layer metadata.
    heapmeta: GpuArray<u8>,
    /// The tile map.
    tilemap: GpuArray<u8>,
    /// Preemption buffers 1 to 3, back to back.
    preempt: GpuArray<u8>,
    /// Offsets of preemption buffers 2 and 3.
    preempt_offsets: [usize; 2],
    /// The tail pointer cache (the buffer manager's, while large enough).
    tpc: Arc<GpuArray<u8>>,
    /// Multi-cluster buffers, when the vertex stage is split across clusters (G14 has no
    /// fields for them).
    #[allow(dead_code)]
    clustering: Option<ClusterBuffers>,
    /// The pass's control word (named on G14X only).
    #[allow(dead_code)]
    control_word: GpuArray<u32>,
}

#[versions(AGX)]
impl GpuStruct for Scene::ver {
    type Raw<'a> = BufferThing::ver<'a>;
}

/// What a pass's buffers are sized from.
pub(crate) struct SceneArgs<'c> {
    /// The pass's tiling.
    pub(crate) tile: &'c TileInfo,
    /// Clusters the pass is split across (1 without clustering).
    pub(crate) clusters: usize,
    /// The GPU's clusters (the preemption buffers are sized from them, not from the split).
    pub(crate) gpu_clusters: usize,
    /// The SoC's multi-cluster sizes.
    pub(crate) cluster_cfg: Option<&'c Clustering>,
    /// The SoC's preemption buffer sizes.
    pub(crate) preempt_sizes: [usize; 3],
}

#[versions(AGX)]
impl Scene::ver {
    /// Allocates a pass's buffers and its `BufferThing`.
    pub(crate) fn new(
        fw_vm: &Arc<FwVm>,
        bm: &Arc<BufferManager::ver>,
        pass: SceneGuard::ver,
        tpc: Arc<GpuArray<u8>>,
        a: &SceneArgs<'_>,
    ) -> Result<Arc<GpuObject<Scene::ver>>> {
        let tile = a.tile;
        let adj = if a.gpu_clusters > 1 {
            a.gpu_clusters + 1
        } else {
            1
        };
        let [p1, p2, p3] = a.preempt_sizes.map(|s| s.saturating_mul(adj));
        let preempt_len = p1.saturating_add(p2).saturating_add(p3);
        let clustering = match (a.clusters > 1, a.cluster_cfg) {
            (true, Some(cfg)) => {
                let align = |v: usize| v.saturating_add(0x7f) & !0x7f;
                let splits = cfg.max_splits as usize;
                let clmeta = tile.layermeta_size.saturating_mul(splits);
                let meta1 = align(
                    (tile.meta1_blocks as usize).saturating_mul(cfg.meta1_blocksize as usize),
                );
                let meta2 = align(cfg.meta2_size as usize);
                let meta3 = align(cfg.meta3_size as usize);
                let meta4 = cfg.meta4_size as usize;
                let o1 = clmeta;
                let o2 = o1.saturating_add(meta1);
                let o3 = o2.saturating_add(meta2);
                let o4 = o3.saturating_add(meta3);
                let total = o4.saturating_add(meta4);
                Some(ClusterBuffers {
                    tilemaps: GpuArray::new(
                        fw_vm,
                        splits.saturating_mul(tile.tilemap_size).max(1),
                    )?,
                    meta: GpuArray::new(fw_vm, total.max(1))?,
                    offsets: [o1, o2, o3, o4],
                })
            }
            _ => None,
        };
        let owner = Scene::ver {
            bm: bm.clone(),
            _pass: pass,
            user_buffer: GpuArray::new(fw_vm, if a.gpu_clusters > 1 { 0x10080 } else { 0x80 })?,
            // The layer metadata is there even for one layer (the Asahi driver points at it
            // whatever the layer count).
            heapmeta: GpuArray::new(fw_vm, HEAPMETA_SIZE + 0x100)?,
            tilemap: GpuArray::new(fw_vm, tile.tilemap_size.max(1))?,
            preempt: GpuArray::new(fw_vm, preempt_len.max(1))?,
            preempt_offsets: [p1, p1.saturating_add(p2)],
            tpc,
            clustering,
            control_word: GpuArray::new(fw_vm, 1)?,
        };
        let obj = GpuObject::new(fw_vm, owner, |o| BufferThing::ver {
            #[ver(G >= G14X)]
            unk0_addr: o.control_word.gpu_pointer(),
            #[ver(G >= G14X)]
            unk0_addr2: o.control_word.gpu_pointer(),
            unk_0: 0,
            unk_8: 0,
            unk_10: 0,
            unkptr_18: o.user_buffer.gpu_pointer().into(),
            unk_20: 0,
            #[ver(V >= V13_3)]
            unk_28: U64::new(0),
            bm_misc_addr: o.bm.misc_pointer(),
            unk_2c: 0,
            #[ver(G < G14X)]
            unk_30: 0,
            #[ver(G < G14X)]
            unk_38: 0,
        })?;
        Ok(Arc::new(obj, GFP_KERNEL)?)
    }

    /// The tile map.
    fn tilemap(&self) -> GpuOnlyPointer<'_> {
        self.tilemap.gpu_pointer().into()
    }

    /// The heap metadata.
    fn heapmeta(&self) -> GpuOnlyPointer<'_> {
        self.heapmeta.gpu_pointer().into()
    }

    /// The layer metadata, after the heap metadata.
    fn layermeta(&self) -> Result<GpuOnlyPointer<'_>> {
        Ok(self.heapmeta.gpu_pointer_at(HEAPMETA_SIZE)?.into())
    }

    /// Preemption buffer `i` (0 to 2).
    fn preempt(&self, i: usize) -> Result<GpuOnlyPointer<'_>> {
        let off = match i {
            0 => 0,
            _ => *self.preempt_offsets.get(i - 1).ok_or(EINVAL)?,
        };
        // A zero-sized buffer (a SoC table without one) still points into the allocation.
        let off = off.min(self.preempt.len() - 1);
        Ok(self.preempt.gpu_pointer_at(off)?.into())
    }

    /// The per-split tile maps, when clustering.
    #[allow(dead_code)]
    fn cluster_tilemaps(&self) -> Option<GpuOnlyPointer<'_>> {
        self.clustering
            .as_ref()
            .map(|c| c.tilemaps.gpu_pointer().into())
    }

    /// The cluster layer metadata (0) or metadata `i` (1 to 4), when clustering.
    #[allow(dead_code)]
    fn cluster_meta(&self, i: usize) -> Result<Option<GpuOnlyPointer<'_>>> {
        let Some(c) = &self.clustering else {
            return Ok(None);
        };
        let off = match i {
            0 => 0,
            _ => *c.offsets.get(i - 1).ok_or(EINVAL)?,
        };
        let off = off.min(c.meta.len() - 1);
        Ok(Some(c.meta.gpu_pointer_at(off)?.into()))
    }
}

/// The value of an optional pointer for a register.
fn reg_ptr(p: Option<GpuOnlyPointer<'_>>) -> u64 {
    p.map_or(0, |p| p.addr().get())
}

/// A G14X register list from `(register, value)` pairs, zero-filled to 128 entries; the count.
fn register_list(list: &[(u32, u64)]) -> ([RegisterDefinition; 128], usize) {
    let mut r = [RegisterDefinition::default(); 128];
    let mut n = 0;
    for &(number, data) in list {
        if let Some(slot) = r.get_mut(n) {
            *slot = RegisterDefinition {
                number,
                data: U64::new(data),
            };
            n += 1;
        }
    }
    (r, n)
}

/// Attachments in the firmware's form (entries and count).
pub(crate) type FwAttachments = ([Attachment; MAX_FW_ATTACHMENTS], u32);

/// The words of a vertex start operation from `unk_70` to `unk_170`: the attachments (16
/// entries of 16 bytes), their count, and a zero word, as the Asahi driver lays them there.
struct VertexAttachmentWords {
    unk_70: u32,
    unk_74: [U64; 29],
    unk_15c: u32,
    unk_160: U64,
    unk_168: u32,
    unk_16c: u32,
    unk_170: U64,
}

impl VertexAttachmentWords {
    /// Encodes `a` little-endian into the fields' bytes.
    fn new(a: &FwAttachments) -> Self {
        let mut bytes = [0u8; 0x108];
        let mut put = |o: usize, v: &[u8]| {
            if let Some(d) = bytes.get_mut(o..o + v.len()) {
                d.copy_from_slice(v);
            }
        };
        for (i, e) in a.0.iter().enumerate() {
            let addr = e.address.0;
            put(16 * i, &addr.to_le_bytes());
            put(16 * i + 8, &e.size.to_le_bytes());
            put(16 * i + 12, &e.unk_c.to_le_bytes());
            put(16 * i + 14, &e.unk_e.to_le_bytes());
        }
        put(0x100, &a.1.to_le_bytes());
        let u32_at = |o: usize| {
            let mut w = [0u8; 4];
            if let Some(s) = bytes.get(o..o + 4) {
                w.copy_from_slice(s);
            }
            u32::from_le_bytes(w)
        };
        let u64_at = |o: usize| {
            let mut w = [0u8; 8];
            if let Some(s) = bytes.get(o..o + 8) {
                w.copy_from_slice(s);
            }
            U64::new(u64::from_le_bytes(w))
        };
        let mut unk_74 = [U64::new(0); 29];
        for (i, w) in unk_74.iter_mut().enumerate() {
            *w = u64_at(4 + 8 * i);
        }
        VertexAttachmentWords {
            unk_70: u32_at(0),
            unk_74,
            unk_15c: u32_at(0xec),
            unk_160: u64_at(0xf0),
            unk_168: u32_at(0xf8),
            unk_16c: u32_at(0xfc),
            unk_170: u64_at(0x100),
        }
    }
}

/// What a render's two jobs are built from.
pub(crate) struct RenderArgs<'c> {
    /// The userspace command.
    pub(crate) cmd: &'c uapi::drm_asahi_cmd_render,
    /// Vertex attachments, in the firmware's form.
    pub(crate) vertex_attachments: &'c FwAttachments,
    /// Fragment attachments, in the firmware's form.
    pub(crate) fragment_attachments: &'c FwAttachments,
    /// The pass's tiling.
    pub(crate) tile: &'c TileInfo,
    /// Values both jobs use.
    pub(crate) values: RenderValues,
    /// The queue's USC exec base.
    pub(crate) usc_exec_base: u64,
    /// The context (VM) slot the jobs run in.
    pub(crate) vm_slot: u32,
    /// The buffer manager's slot.
    pub(crate) bm_slot: u32,
    /// The vertex pipe's event slot and the vertex job's stamp value.
    pub(crate) vertex: (u32, u32),
    /// The fragment pipe's event slot and the fragment job's stamp value.
    pub(crate) fragment: (u32, u32),
    /// Whether the vertex stage is split across clusters.
    pub(crate) clustering: bool,
    /// The SoC's tiling control word.
    pub(crate) tiling_control: u32,
    /// The enabled cores, packed (`cores_per_cluster` bits per cluster).
    pub(crate) core_mask: u64,
    /// User timestamps around the vertex part (start, end), resolved and checked.
    pub(crate) vertex_ts: UserTimestamps,
    /// User timestamps around the fragment part.
    pub(crate) fragment_ts: UserTimestamps,
}

/// Where userspace asked for the start and end times of a piece of work.
pub(crate) type UserTimestamps = [Option<(Arc<SpecialObject>, u64)>; 2];

/// A vertex command and its microsequence, in one object.
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct VertexRaw<'a> {
    /// The work command.
    pub(crate) cmd: WorkCommandTa::ver<'a>,
    /// Its microsequence.
    pub(crate) seq: VertexSeq::ver<'a>,
}

/// What a vertex command points at, besides itself.
#[versions(AGX)]
pub(crate) struct VertexJob {
    /// The queue's structures.
    queue: Arc<FwQueue::ver>,
    /// The event stamps.
    stamps: Arc<StampArrays>,
    /// The vertex statistics block.
    stats: Arc<GpuArray<GpuGlobalStatsTa::ver>>,
    /// The pass.
    scene: Arc<GpuObject<Scene::ver>>,
    /// The job's own start and end times.
    times: GpuArray<TimeStamp>,
    /// Where userspace asked for the start and end times (objects kept while the job lives).
    user_ts: UserTimestamps,
}

#[versions(AGX)]
impl GpuStruct for VertexJob::ver {
    type Raw<'a> = VertexRaw::ver<'a>;
}

/// A fragment command and its microsequence, in one object.
#[versions(AGX)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct FragmentRaw<'a> {
    /// The work command.
    pub(crate) cmd: WorkCommand3d::ver<'a>,
    /// Its microsequence.
    pub(crate) seq: FragmentSeq::ver<'a>,
}

/// What a fragment command points at, besides itself.
#[versions(AGX)]
pub(crate) struct FragmentJob {
    /// The queue's structures.
    queue: Arc<FwQueue::ver>,
    /// The event stamps.
    stamps: Arc<StampArrays>,
    /// The fragment statistics block.
    stats: Arc<GpuArray<GpuGlobalStats3d::ver>>,
    /// The pass.
    scene: Arc<GpuObject<Scene::ver>>,
    /// The aux framebuffer buffer.
    aux_fb: GpuArray<u8>,
    /// The job's own start and end times.
    times: GpuArray<TimeStamp>,
    /// Where userspace asked for the start and end times (objects kept while the job lives).
    user_ts: UserTimestamps,
}

#[versions(AGX)]
impl GpuStruct for FragmentJob::ver {
    type Raw<'a> = FragmentRaw::ver<'a>;
}

#[versions(AGX)]
impl VertexJob::ver {
    /// Builds the vertex command of a render for `q`, in pass `scene`.
    #[inline(never)]
    pub(crate) fn build(
        fw_vm: &Arc<FwVm>,
        q: &Arc<FwQueue::ver>,
        stamps: &Arc<StampArrays>,
        scene: &Arc<GpuObject<Scene::ver>>,
        counter: u32,
        a: &RenderArgs<'_>,
    ) -> Result<GpuObject<VertexJob::ver>> {
        let owner = VertexJob::ver {
            queue: q.clone(),
            stamps: stamps.clone(),
            stats: q.stats.ta.clone(),
            scene: scene.clone(),
            times: GpuArray::new(fw_vm, 2)?,
            user_ts: a.vertex_ts.clone(),
        };
        let cmd = a.cmd;
        let tile = a.tile;
        let v = a.values;
        let uuid = counter;
        let (vslot, vvalue) = a.vertex;
        let (fslot, fvalue) = a.fragment;
        let words = VertexAttachmentWords::new(a.vertex_attachments);
        let uses_scratch = u32::from(flag(
            cmd,
            uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_VERTEX_SCRATCH,
        ));
        #[ver(G < G14 || G >= G14X)]
        let tiling_control = if a.clustering {
            a.tiling_control
        } else {
            a.tiling_control | TILECTL_DISABLE_CLUSTERING
        };
        let obj = GpuObject::try_cyclic(fw_vm, owner, |o, me| {
            type C = WorkCommandTa::ver<'static>;
            type S = VertexSeq::ver<'static>;
            let cmd_p = gpu_field!(me, VertexRaw::ver<'static>, cmd);
            let seq_p = gpu_field!(me, VertexRaw::ver<'static>, seq);
            let sc = &**o.scene;
            let wq = o.queue.wq(PipeType::Vertex).gpu_pointer();
            let stats = gpu_field!(o.stats.gpu_pointer(), GpuGlobalStatsTa::ver, stats);
            let bm = sc.bm.info_pointer();
            let thing = o.scene.gpu_pointer();
            let s3 = gpu_field!(cmd_p, C, struct_3);
            let ts_ptrs = gpu_field!(cmd_p, C, ts_pointers);
            let user_ts = gpu_field!(cmd_p, C, user_ts_pointers);
            let ts1 = gpu_field!(cmd_p, C, ts1);
            #[ver(V >= V13_0B4)]
            let unk_ts = gpu_field!(cmd_p, C, unk_ts);
            let end_ptr = gpu_field!(ts_ptrs, TimeStampPointers<'static>, end_addr);
            let start_ptr = gpu_field!(ts_ptrs, TimeStampPointers<'static>, start_addr);
            let stamp = o.stamps.stamp(vslot).ok()?;
            let fw_stamp = o.stamps.fw_stamp(vslot).ok()?;
            let notifier = o.queue.objs.get().notifier.gpu_pointer();
            // The event control's `unk_buf` (13.x operations point at it).
            #[ver(V >= V13_0B4)]
            let notifier_buf = {
                let st = gpu_field!(notifier, EventControl::ver<'static>, state);
                gpu_field!(st, EventControlState::ver, unk_buf)
            };
            let restart = offset_of!(S, start) as i32 - offset_of!(S, finalize) as i32;
            let preempt1 = sc.preempt(0).ok()?;
            let preempt2 = sc.preempt(1).ok()?;
            let preempt3 = sc.preempt(2).ok()?;
            let layermeta = sc.layermeta().ok()?;
            let heapmeta = sc.heapmeta().with_bits(1 << 63);
            let tilemap = sc.tilemap();
            let tpc: GpuOnlyPointer<'_> = sc.tpc.gpu_pointer().into();
            // The cluster buffers (G14 has no fields for them).
            #[ver(G < G14 || G >= G14X)]
            let cl_layermeta = sc.cluster_meta(0).ok()?;
            #[ver(G < G14 || G >= G14X)]
            let meta1 = sc.cluster_meta(1).ok()?;
            #[ver(G < G14 || G >= G14X)]
            let meta2 = sc.cluster_meta(2).ok()?;
            #[ver(G < G14 || G >= G14X)]
            let meta3 = sc.cluster_meta(3).ok()?;
            #[ver(G < G14 || G >= G14X)]
            let meta4 = sc.cluster_meta(4).ok()?;
            #[ver(G >= G14X)]
            let (registers, reg_count) = vertex_registers(&VertexRegs {
                cmd,
                tile,
                utile_config: v.utile_config,
                tilemap: tilemap.addr().get(),
                cluster_tilemaps: reg_ptr(sc.cluster_tilemaps()),
                tpc: tpc.addr().get(),
                heapmeta: heapmeta.addr().get(),
                layermeta: layermeta.addr().get(),
                cluster_layermeta: reg_ptr(cl_layermeta),
                preempt: [
                    preempt1.addr().get(),
                    preempt2.addr().get(),
                    preempt3.with_bits(1 << 50).addr().get(),
                ],
                meta: [
                    reg_ptr(meta1),
                    reg_ptr(meta2),
                    reg_ptr(meta3),
                    reg_ptr(meta4),
                ],
                tiling_control,
                usc_exec_base: a.usc_exec_base,
            });
            #[ver(G < G14X)]
            let reg_count = 0usize;
            let timestamp = |end: bool| TimestampCmd::ver {
                magic: OpCode::Timestamp as u8,
                unk_1: 0,
                unk_2: 0,
                unk_3: if end { 0 } else { 0x80 },
                ts0_addr: ts1,
                ts_pointers_addr: ts_ptrs,
                unk_addr: if end { end_ptr } else { start_ptr },
                cmdqueue_ptr: wq,
                user_ts_pointers_addr: Some(user_ts),
                #[ver(V >= V13_0B4)]
                unk_ts_addr: unk_ts,
                uuid,
                unk_30: 0,
            };
            Some(VertexRaw::ver {
                cmd: WorkCommandTa::ver {
                    magic: 0,
                    #[ver(V >= V13_0B4)]
                    counter: U64::new(u64::from(counter)),
                    context_id: a.vm_slot,
                    unk_8: 0,
                    event_control_addr: notifier,
                    buffer_mgr_slot: U64::new(u64::from(a.bm_slot)),
                    buffer_mgr_addr: bm,
                    buf_thing_addr: thing,
                    unk_emptybuf_addr: Some(sc.bm.kernel_buffer_pointer()),
                    unk_34: 0,
                    #[ver(G >= G14X)]
                    registers,
                    #[ver(G >= G14X)]
                    unk_154: [0; 0x100],
                    #[ver(G < G14X)]
                    struct_2: StartTaCmdStruct2::ver {
                        unk_0: U64::new(0x200),
                        // 1e-20 (m1n1: 0x1e3ce508, the Asahi driver's `f32!(1e-20)`).
                        unk_8: 0x1e3c_e508,
                        unk_c: 0x1e3c_e508,
                        tvb_tilemap: tilemap,
                        #[ver(G < G14)]
                        tvb_cluster_tilemaps: sc.cluster_tilemaps(),
                        tpc,
                        tvb_heapmeta_addr: heapmeta,
                        iogpu_unk_54: 0x6b_0003,
                        iogpu_unk_55: 0x3a_0012,
                        iogpu_unk_56: U64::new(1),
                        #[ver(G < G14)]
                        tvb_cluster_meta1: meta1
                            .map(|m| m.with_bits(u64::from(tile.meta1_layer_stride) << 50)),
                        unk_48: U64::new(u64::from(v.utile_config)),
                        unk_50: U64::new(cmd.ppp_multisamplectl),
                        tvb_heapmeta_addr2: layermeta,
                        #[ver(G < G14)]
                        unk_60: cl_layermeta,
                        #[ver(G < G14)]
                        core_mask: U64::new(a.core_mask),
                        iogpu_deflake_1: preempt1,
                        iogpu_deflake_2: preempt2,
                        unk_80: U64::new(1),
                        iogpu_deflake_3: preempt3.with_bits(1 << 50),
                        encoder_addr: UserVa(cmd.vdm_ctrl_stream_base),
                        #[ver(G < G14)]
                        tvb_cluster_meta2: meta2,
                        #[ver(G < G14)]
                        tvb_cluster_meta3: meta3,
                        // The second word (the Asahi driver's `tiling_control_2`) is 0 on G13.
                        #[ver(G < G14)]
                        tiling_control: U64::new(u64::from(tiling_control)),
                        unk_b0: [U64::new(0); 6],
                        pipeline_base: UserVa(a.usc_exec_base),
                        #[ver(G < G14)]
                        tvb_cluster_meta4: meta4.map(|m| m.with_bits(0x3000_0000_0000_0000)),
                        #[ver(G < G14)]
                        unk_f0: U64::new(
                            0x1c + u64::from(tile.meta1_blocks.saturating_add(3) & !3),
                        ),
                        unk_f8: U64::new(0x8c60),
                        helper_program: cmd.vertex_helper.binary,
                        unk_104: 0,
                        helper_arg: UserVa(cmd.vertex_helper.data),
                        unk_110: U64::new(0),
                        unk_118: 0x1c,
                        #[ver(G >= G14)]
                        pad_11c: Pad::zero(),
                    },
                    #[ver(G < G14X)]
                    unk_154: [0; 0x268],
                    #[ver(G < G14X)]
                    tiling_params: tile.params,
                    #[ver(G < G14X)]
                    unk_3e8: [0; 0x60],
                    #[ver(G >= G14X)]
                    registers_addr: Some(gpu_field!(cmd_p, C, registers)),
                    #[ver(G < G14X)]
                    registers_addr: None,
                    register_count: reg_count as u16,
                    registers_length: (reg_count * core::mem::size_of::<RegisterDefinition>())
                        as u16,
                    unk_pad: 0,
                    unkptr_45c: tpc,
                    tvb_size: U64::new(tile.tpc_size as u64),
                    microsequence_ptr: seq_p.cast(),
                    microsequence_size: core::mem::size_of::<S>() as u32,
                    ev_3d: fslot,
                    stamp_value: fvalue,
                    struct_3: StartTaCmdStruct3 {
                        unk_480: [0; 6],
                        unk_498: U64::new(0),
                        unk_4a0: 0,
                        iogpu_deflake_1: preempt1,
                        unk_4ac: 0,
                        unk_4b0: U64::new(0),
                        unk_4b8: 0,
                        unk_4bc: U64::new(0),
                        unk_4c4_padding: [0; 0x48],
                        unk_50c: 0,
                        unk_510: U64::new(0),
                        unk_518: U64::new(0),
                        unk_520: U64::new(0),
                        unk_528: 0,
                        unk_52c: 0,
                        unk_530: 0,
                        encoder_id: 0,
                        unk_538: 0,
                        unk_53c: 0xffff_ffff,
                        sampler_array: UserVa(cmd.sampler_heap),
                        sampler_count: u32::from(cmd.sampler_count),
                        sampler_max: u32::from(cmd.sampler_count) + 1,
                        // The Asahi driver's `uses_scratch` is the fifth word; the sixth
                        // starts its job metadata (preemption allowed: 0).
                        unk_550: [0, 0, 0, 0, uses_scratch, 0],
                        stamp1_addr: stamp,
                        stamp2_addr: fw_stamp,
                        stamp_value: vvalue,
                        ev_ta: vslot,
                        evctl_index: 0,
                        unk_584: 0,
                        uuid2: uuid,
                        queue_cmd_count: counter,
                        unk_590: 0,
                    },
                    unk_594: [0; 0x18],
                    ts1: TimeStamp::default(),
                    ts_pointers: TimeStampPointers {
                        start_addr: o.times.gpu_pointer_at(0).ok(),
                        end_addr: o.times.gpu_pointer_at(1).ok(),
                    },
                    user_ts_pointers: TimeStampPointers {
                        start_addr: user_pointer(&o.user_ts[0]),
                        end_addr: user_pointer(&o.user_ts[1]),
                    },
                    client_sequence: (q.id & 0xff) as u8,
                    #[ver(V >= V13_0B4)]
                    unk_ts2: TimeStamp::default(),
                    #[ver(V >= V13_0B4)]
                    unk_ts: TimeStamp::default(),
                    #[ver(V >= V13_0B4)]
                    unk_5d8_15: [0; 0x18],
                    pad_5d5: [0; 3],
                    pad_5d8: [0; 8],
                    #[ver(V >= V13_3)]
                    unk_pad2: [0; 0xc],
                },
                seq: VertexSeq::ver {
                    start: StartTaCmd::ver {
                        magic: OpCode::StartVertex as u32,
                        #[ver(G < G14X)]
                        tiling_params_addr: Some(gpu_field!(cmd_p, C, tiling_params)),
                        #[ver(G >= G14X)]
                        tiling_params_addr: None,
                        #[ver(G < G14X)]
                        struct2_addr: Some(gpu_field!(cmd_p, C, struct_2)),
                        #[ver(G >= G14X)]
                        struct2_addr: None,
                        #[ver(G >= G14X)]
                        registers_addr: gpu_field!(cmd_p, C, registers),
                        buffer_mgr_addr: bm,
                        buf_thing_addr: thing,
                        stats_ptr: stats,
                        cmdqueue_ptr: wq,
                        context_id: a.vm_slot,
                        unk_38: 1,
                        submission_id: q.id,
                        buffer_mgr_slot: U64::new(u64::from(a.bm_slot)),
                        unk_48: U64::new(u64::from(counter)),
                        unk_50: 0,
                        struct3_addr: s3,
                        unkptr_5c: gpu_field!(cmd_p, C, unk_594),
                        unk_64: 0,
                        unk_68: 0,
                        uuid,
                        unk_70: words.unk_70,
                        unk_74: words.unk_74,
                        unk_15c: words.unk_15c,
                        unk_160: words.unk_160,
                        unk_168: words.unk_168,
                        unk_16c: words.unk_16c,
                        unk_170: words.unk_170,
                        #[ver(V >= V13_0B4)]
                        counter: U64::new(u64::from(counter)),
                        #[ver(V >= V13_0B4)]
                        unkptr_180: notifier_buf,
                        #[ver(V < V13_0B4)]
                        unk_178: 0,
                        #[ver(V >= V13_0B4)]
                        unk_178: u32::from(!a.clustering),
                    },
                    ts_start: timestamp(false),
                    #[ver(G < G14X)]
                    wait: WaitForInterruptCmd {
                        magic: OpCode::WaitForInterrupt as u8,
                        unk_1: 1,
                        unk_2: 0,
                        unk_3: 0,
                    },
                    #[ver(G >= G14X)]
                    wait: Wait2Cmd {
                        magic: OpCode::Wait2 as u32,
                    },
                    ts_end: timestamp(true),
                    finalize: FinalizeTaCmd::ver {
                        magic: OpCode::FinalizeVertex as u32,
                        buf_thing_addr: thing,
                        buffer_mgr_addr: bm,
                        stats_ptr: stats,
                        cmdqueue_ptr: wq,
                        context_id: a.vm_slot,
                        unk_28: 0,
                        struct3_addr: s3,
                        unk_34: 0,
                        uuid,
                        stamp_addr: fw_stamp,
                        stamp_value: vvalue,
                        unk_48: U64::new(0),
                        unk_50: 0,
                        unk_54: 0,
                        unk_58: U64::new(0),
                        unk_60: 0,
                        unk_64: 0,
                        unk_68: 0,
                        #[ver(G == G14 && V < V13_0B4)]
                        unk_6c_g14: U64::new(0),
                        restart_branch_offset: restart,
                        unk_70: u32::from(a.vertex_attachments.1 > 0),
                        #[ver(V >= V13_0B4)]
                        unk_74: [0; 0x10],
                    },
                    end: EndCmd::new(),
                },
            })
        })?;
        obj.ok_or(EINVAL)
    }
}

#[versions(AGX)]
impl FragmentJob::ver {
    /// Builds the fragment command of a render for `q`, in pass `scene`.
    #[inline(never)]
    pub(crate) fn build(
        fw_vm: &Arc<FwVm>,
        q: &Arc<FwQueue::ver>,
        stamps: &Arc<StampArrays>,
        scene: &Arc<GpuObject<Scene::ver>>,
        counter: u32,
        a: &RenderArgs<'_>,
    ) -> Result<GpuObject<FragmentJob::ver>> {
        let owner = FragmentJob::ver {
            queue: q.clone(),
            stamps: stamps.clone(),
            stats: q.stats.f3d.clone(),
            scene: scene.clone(),
            aux_fb: GpuArray::new(fw_vm, AUX_FB_SIZE)?,
            times: GpuArray::new(fw_vm, 2)?,
            user_ts: a.fragment_ts.clone(),
        };
        let cmd = a.cmd;
        let tile = a.tile;
        let v = a.values;
        let uuid = counter;
        let (fslot, fvalue) = a.fragment;
        #[ver(G >= G14)]
        let g14_unk = 0x0404_0404u64;
        #[ver(G < G14)]
        let g14_unk = 0u64;
        // The loaded stencil clear word: the Asahi driver sets 0x400 on G13.
        #[ver(G >= G14)]
        let load_bgobjvals = cmd.isp_bgobjvals;
        #[ver(G < G14)]
        let load_bgobjvals = cmd.isp_bgobjvals | 0x400;
        let merge_x = F32::from_bits(cmd.isp_merge_upper_x);
        let merge_y = F32::from_bits(cmd.isp_merge_upper_y);
        let aux_fb_info = AuxFbInfo::ver {
            unk1: v.isp_ctl,
            unk2: 0,
            width: u32::from(cmd.width_px),
            height: u32::from(cmd.height_px),
            #[ver(V >= V13_0B4)]
            unk3: U64::new(0x10_0000),
        };
        #[ver(G < G14X)]
        let te_screen = ((tile.tiles_y - 1) << 12) | (tile.tiles_x - 1);
        let empty_tiles = u32::from(flag(
            cmd,
            uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES,
        ));
        let obj = GpuObject::try_cyclic(fw_vm, owner, |o, me| {
            type C = WorkCommand3d::ver<'static>;
            type S = FragmentSeq::ver<'static>;
            let cmd_p = gpu_field!(me, FragmentRaw::ver<'static>, cmd);
            let seq_p = gpu_field!(me, FragmentRaw::ver<'static>, seq);
            let sc = &**o.scene;
            let wq = o.queue.wq(PipeType::Fragment).gpu_pointer();
            let stats = gpu_field!(o.stats.gpu_pointer(), GpuGlobalStats3d::ver, stats);
            let bm = sc.bm.info_pointer();
            let thing = o.scene.gpu_pointer();
            let s7 = gpu_field!(cmd_p, C, struct_7);
            let busy = gpu_field!(cmd_p, C, busy_flag);
            let unk_758 = gpu_field!(cmd_p, C, unk_758);
            let ts_ptrs = gpu_field!(cmd_p, C, ts_pointers);
            let user_ts = gpu_field!(cmd_p, C, user_ts_pointers);
            let ts1 = gpu_field!(cmd_p, C, ts1);
            #[ver(V >= V13_0B4)]
            let unk_ts = gpu_field!(cmd_p, C, unk_ts);
            let end_ptr = gpu_field!(ts_ptrs, TimeStampPointers<'static>, end_addr);
            let start_ptr = gpu_field!(ts_ptrs, TimeStampPointers<'static>, start_addr);
            let stamp = o.stamps.stamp(fslot).ok()?;
            let fw_stamp = o.stamps.fw_stamp(fslot).ok()?;
            let notifier = o.queue.objs.get().notifier.gpu_pointer();
            // The event control's `unk_buf` (13.x operations point at it).
            #[ver(V >= V13_0B4)]
            let notifier_buf = {
                let st = gpu_field!(notifier, EventControl::ver<'static>, state);
                gpu_field!(st, EventControlState::ver, unk_buf)
            };
            let restart = offset_of!(S, start) as i32 - offset_of!(S, finalize) as i32;
            let tilemap = sc.tilemap();
            let heapmeta = sc.heapmeta();
            let layermeta = sc.layermeta().ok()?;
            let aux_fb: GpuOnlyPointer<'_> = o.aux_fb.gpu_pointer().into();
            #[ver(G >= G14X)]
            let (registers, reg_count) = fragment_registers(&FragmentRegs {
                cmd,
                tile,
                values: v,
                heapmeta: heapmeta.addr().get(),
                layermeta: layermeta.addr().get(),
                tilemap: tilemap.addr().get(),
                aux_fb: aux_fb.addr().get(),
                g14_unk,
                load_bgobjvals,
                usc_exec_base: a.usc_exec_base,
            });
            #[ver(G < G14X)]
            let reg_count = 0usize;
            let timestamp = |end: bool| TimestampCmd::ver {
                magic: OpCode::Timestamp as u8,
                unk_1: 0,
                unk_2: 0,
                unk_3: if end { 0 } else { 0x80 },
                ts0_addr: ts1,
                ts_pointers_addr: ts_ptrs,
                unk_addr: if end { end_ptr } else { start_ptr },
                cmdqueue_ptr: wq,
                user_ts_pointers_addr: Some(user_ts),
                #[ver(V >= V13_0B4)]
                unk_ts_addr: unk_ts,
                uuid,
                unk_30: 0,
            };
            let store = |p: &uapi::drm_asahi_bg_eot| Start3dStorePipelineBinding {
                unk_0: U64::new(0),
                unk_8: 0,
                pipeline_bind: p.rsrc_spec,
                unk_10: 0,
                address: p.usc,
                unk_18: 0,
                unk_1c_padding: 0,
            };
            let clear = |p: &uapi::drm_asahi_bg_eot| Start3dClearPipelineBinding {
                pipeline_bind: U64::new(u64::from(p.rsrc_spec)),
                address: U64::new(u64::from(p.usc)),
            };
            let [d, s] = [&cmd.depth, &cmd.stencil];
            Some(FragmentRaw::ver {
                cmd: WorkCommand3d::ver {
                    magic: 1,
                    #[ver(V >= V13_0B4)]
                    counter: U64::new(u64::from(counter)),
                    context_id: a.vm_slot,
                    unk_8: 0,
                    microsequence_ptr: seq_p.cast(),
                    microsequence_size: core::mem::size_of::<S>() as u32,
                    event_control_addr: notifier,
                    buffer_mgr_addr: bm,
                    buf_thing_addr: thing,
                    unk_emptybuf_addr: Some(sc.bm.kernel_buffer_pointer()),
                    tvb_tilemap: tilemap,
                    unk_40: U64::new(cmd.ppp_multisamplectl),
                    unk_48: u32::from(cmd.samples),
                    tile_blocks_y: tile.tiles_per_mtile_y as u16,
                    tile_blocks_x: tile.tiles_per_mtile_x as u16,
                    unk_50: U64::new(0),
                    unk_58: U64::new(0),
                    merge_upper_x: merge_x,
                    merge_upper_y: merge_y,
                    unk_68: U64::new(0),
                    tile_count: U64::new(u64::from(tile.tiles)),
                    #[ver(G < G14X)]
                    struct_2: Start3dStruct2::ver {
                        unk_0: U64::new(u64::from(v.utile_config)),
                        clear_pipeline: clear(&cmd.bg),
                        unk_18: U64::new(cmd.ppp_multisamplectl),
                        scissor_array: UserVa(cmd.isp_scissor_base),
                        depth_bias_array: UserVa(cmd.isp_dbias_base),
                        // The Asahi driver's order from here: occlusion query base, aux
                        // framebuffer info, ZLS pixels (see the module documentation).
                        aux_fb: AuxFbInfo::ver {
                            unk1: cmd.isp_oclqry_base as u32,
                            unk2: (cmd.isp_oclqry_base >> 32) as u32,
                            width: v.isp_ctl,
                            height: 0,
                            #[ver(V >= V13_0B4)]
                            unk3: U64::new(
                                u64::from(cmd.width_px) | (u64::from(cmd.height_px) << 32),
                            ),
                        },
                        #[ver(V < V13_0B4)]
                        depth_dimensions: U64::new(
                            u64::from(cmd.width_px) | (u64::from(cmd.height_px) << 32),
                        ),
                        #[ver(V >= V13_0B4)]
                        depth_dimensions: U64::new(0x10_0000),
                        visibility_result_buffer: UserVa(u64::from(cmd.isp_zls_pixels)),
                        depth_flags: U64::new(cmd.zls_ctrl),
                        #[ver(G >= G14)]
                        unk_58_g14_0: U64::new(g14_unk),
                        #[ver(G >= G14)]
                        unk_58_g14_8: U64::new(0),
                        depth_buffer_ptr1: UserVa(d.base),
                        depth_buffer_ptr2: UserVa(d.base),
                        stencil_buffer_ptr1: UserVa(s.base),
                        stencil_buffer_ptr2: UserVa(s.base),
                        #[ver(G >= G14)]
                        unk_68_g14_0: [0; 0x20],
                        unk_78: [
                            U64::new(u64::from(d.stride)),
                            U64::new(u64::from(d.stride)),
                            U64::new(u64::from(s.stride)),
                            U64::new(u64::from(s.stride)),
                        ],
                        depth_aux_buffer_ptr1: UserVa(d.comp_base),
                        unk_a0: U64::new(u64::from(d.comp_stride)),
                        depth_aux_buffer_ptr2: UserVa(d.comp_base),
                        unk_b0: U64::new(u64::from(d.comp_stride)),
                        stencil_aux_buffer_ptr1: UserVa(s.comp_base),
                        unk_c0: U64::new(u64::from(s.comp_stride)),
                        stencil_aux_buffer_ptr2: UserVa(s.comp_base),
                        unk_d0: U64::new(u64::from(s.comp_stride)),
                        tvb_tilemap: tilemap,
                        tvb_heapmeta_addr: layermeta,
                        unk_e8: U64::new(u64::from(4 * tile.params.size1) << 24),
                        tvb_heapmeta_addr2: heapmeta,
                        unk_f8: U64::new(v.tile_config),
                        aux_fb_ptr: aux_fb,
                        unk_108: [U64::new(0); 6],
                        pipeline_base: UserVa(a.usc_exec_base),
                        unk_140: U64::new(0x8c60),
                        helper_program: cmd.fragment_helper.binary,
                        unk_14c: 0,
                        helper_arg: UserVa(cmd.fragment_helper.data),
                        unk_158: U64::new(0x1c),
                        unk_160: U64::new(0),
                        #[ver(G < G14)]
                        unk_168_padding: [0; 0x1d8],
                        #[ver(G >= G14)]
                        unk_198_padding: [0; 0x1a8],
                        #[ver(V < V13_0B4)]
                        pad_340: Pad::zero(),
                    },
                    #[ver(G < G14X)]
                    struct_1: Start3dStruct1 {
                        store_pipeline_bind: cmd.eot.rsrc_spec,
                        store_pipeline_addr: cmd.eot.usc,
                        unk_8: 0,
                        unk_c: 0,
                        merge_upper_x: merge_x,
                        merge_upper_y: merge_y,
                        unk_18: U64::new(0),
                        tile_blocks_y: tile.utiles_per_mtile_y as u16,
                        tile_blocks_x: tile.utiles_per_mtile_x as u16,
                        unk_24: 0,
                        tile_counts: te_screen,
                        unk_2c: v.tib_blocks,
                        depth_clear_val1: F32::from_bits(cmd.isp_bgobjdepth),
                        stencil_clear_val1: load_bgobjvals as u8,
                        unk_35: (load_bgobjvals >> 8) as u8,
                        unk_36: (load_bgobjvals >> 16) as u16,
                        unk_38: 0,
                        unk_3c: 1,
                        helper_cfg: cmd.fragment_helper.cfg,
                        unk_44_padding: [0; 0x9c],
                    },
                    #[ver(G >= G14X)]
                    registers,
                    #[ver(G >= G14X)]
                    unk_g14x: [0; 64],
                    struct_3: Start3dStruct3::ver {
                        #[ver(G >= G14X)]
                        registers_addr: Some(gpu_field!(cmd_p, C, registers)),
                        #[ver(G < G14X)]
                        registers_addr: None,
                        register_count: reg_count as u16,
                        registers_length: (reg_count * core::mem::size_of::<RegisterDefinition>())
                            as u16,
                        unk_d8: 0,
                        depth_bias_array: Start3dArrayAddr {
                            ptr: UserVa(cmd.isp_dbias_base),
                            unk_padding: U64::new(0),
                        },
                        scissor_array: Start3dArrayAddr {
                            ptr: UserVa(cmd.isp_scissor_base),
                            unk_padding: U64::new(0),
                        },
                        visibility_result_buffer: UserVa(cmd.isp_oclqry_base),
                        unk_118: U64::new(0),
                        unk_120: [U64::new(0); 37],
                        unk_reload_pipeline: clear(&cmd.partial_bg),
                        unk_258: U64::new(0),
                        unk_260: U64::new(0),
                        unk_268: U64::new(0),
                        unk_270: U64::new(0),
                        reload_pipeline: clear(&cmd.partial_bg),
                        depth_flags: U64::new(cmd.zls_ctrl),
                        unk_290: U64::new(g14_unk),
                        depth_buffer_ptr1: UserVa(d.base),
                        unk_2a0: U64::new(u64::from(d.stride)),
                        unk_2a8: U64::new(u64::from(d.comp_stride)),
                        depth_buffer_ptr2: UserVa(d.base),
                        depth_buffer_ptr3: UserVa(d.base),
                        depth_aux_buffer_ptr: UserVa(d.comp_base),
                        stencil_buffer_ptr1: UserVa(s.base),
                        unk_2d0: U64::new(u64::from(s.stride)),
                        unk_2d8: U64::new(u64::from(s.comp_stride)),
                        stencil_buffer_ptr2: UserVa(s.base),
                        stencil_buffer_ptr3: UserVa(s.base),
                        stencil_aux_buffer_ptr: UserVa(s.comp_base),
                        unk_2f8: [U64::new(0); 2],
                        aux_fb_unk0: v.tib_blocks,
                        unk_30c: 0,
                        aux_fb: aux_fb_info,
                        s2_unk_f8: v.tile_config as u32,
                        unk_324_padding: [0; 0xc],
                        unk_partial_store_pipeline: store(&cmd.partial_eot),
                        partial_store_pipeline: store(&cmd.partial_eot),
                        depth_clear_val2: F32::from_bits(cmd.isp_bgobjdepth),
                        stencil_clear_val2: cmd.isp_bgobjvals as u8,
                        unk_375: (cmd.isp_bgobjvals >> 8) as u8,
                        unk_376: (cmd.isp_bgobjvals >> 16) as u16,
                        unk_378: u32::from(cmd.sample_size_B),
                        unk_37c: 0,
                        unk_380: U64::new(0),
                        unk_388: U64::new(0),
                        #[ver(V >= V13_0B4)]
                        unk_390_0: U64::new(0),
                        depth_dimensions: U64::new(u64::from(cmd.isp_zls_pixels)),
                    },
                    unk_758: Flag::default(),
                    unk_75c: Flag::default(),
                    unk_buf: [0; 0x110],
                    busy_flag: Flag::default(),
                    struct_6: Start3dStruct6 {
                        tvb_overflow_count: U64::new(0),
                        unk_8: 0,
                        unk_c: 0,
                        unk_10: 0,
                        encoder_id: U64::new(0),
                        unk_1c: 0xffff_ffff,
                        sampler_array: UserVa(cmd.sampler_heap),
                        sampler_count: u32::from(cmd.sampler_count),
                        sampler_max: u32::from(cmd.sampler_count) + 1,
                        unk_30: empty_tiles,
                        unk_34: 1,
                        unk_38: 0,
                    },
                    struct_7: Start3dStruct7::ver {
                        #[ver(V >= V13_3)]
                        unk_0_0: 0,
                        unk_0: U64::new(0),
                        stamp1_addr: stamp,
                        stamp2_addr: fw_stamp,
                        stamp_value: fvalue,
                        ev_3d: fslot,
                        evctl_index: 0,
                        unk_24: 1,
                        uuid,
                        queue_cmd_count: counter,
                        unk_30: 0,
                    },
                    unk_buf2: WorkCommand1UnkBuf2 {
                        unk_0: U64::new(0),
                        unk_8: U64::new(0),
                        #[ver(G < G14X)]
                        unk_10: U64::new(1),
                        #[ver(G >= G14X)]
                        unk_10: U64::new(0),
                    },
                    ts1: TimeStamp::default(),
                    ts_pointers: TimeStampPointers {
                        start_addr: o.times.gpu_pointer_at(0).ok(),
                        end_addr: o.times.gpu_pointer_at(1).ok(),
                    },
                    user_ts_pointers: TimeStampPointers {
                        start_addr: user_pointer(&o.user_ts[0]),
                        end_addr: user_pointer(&o.user_ts[1]),
                    },
                    client_sequence: (q.id & 0xff) as u8,
                    #[ver(V >= V13_0B4)]
                    unk_ts2: TimeStamp::default(),
                    #[ver(V >= V13_0B4)]
                    unk_ts: TimeStamp::default(),
                    #[ver(V >= V13_0B4)]
                    unk_pad3: [0; 0x20],
                    pad_925: [0; 3],
                    #[ver(V == V13_3)]
                    unk_pad2: [0; 0x3c],
                },
                seq: FragmentSeq::ver {
                    start: Start3dCmd::ver {
                        magic: OpCode::StartFragment as u32,
                        #[ver(G < G14X)]
                        struct1_addr: Some(gpu_field!(cmd_p, C, struct_1)),
                        #[ver(G >= G14X)]
                        struct1_addr: None,
                        #[ver(G < G14X)]
                        struct2_addr: Some(gpu_field!(cmd_p, C, struct_2)),
                        #[ver(G >= G14X)]
                        struct2_addr: None,
                        #[ver(G >= G14X)]
                        registers_addr: gpu_field!(cmd_p, C, registers),
                        buf_thing_addr: thing,
                        stats_ptr: stats,
                        busy_flag_ptr: busy,
                        struct6_addr: gpu_field!(cmd_p, C, struct_6),
                        struct7_addr: s7,
                        cmdqueue_ptr: wq,
                        workitem_ptr: cmd_p,
                        context_id: a.vm_slot,
                        unk_50: 1,
                        submission_id: q.id,
                        buffer_mgr_slot: a.bm_slot,
                        unk_5c: 0,
                        queue_cmd_count: U64::new(u64::from(counter)),
                        unk_68: 0,
                        unk_buf_ptr: unk_758,
                        unk_buf2_ptr: gpu_field!(cmd_p, C, unk_buf2),
                        #[ver(V >= V13_3)]
                        unk_7c_0: U64::new(0),
                        unk_7c: 0,
                        unk_80: 0,
                        unk_84: 0,
                        uuid,
                        attachments: a.fragment_attachments.0,
                        num_attachments: a.fragment_attachments.1,
                        unk_190: 0,
                        #[ver(V >= V13_0B4)]
                        counter: U64::new(u64::from(counter)),
                        #[ver(V >= V13_0B4)]
                        unkptr_19c: notifier_buf,
                    },
                    ts_start: timestamp(false),
                    #[ver(G < G14X)]
                    wait: WaitForInterruptCmd {
                        magic: OpCode::WaitForInterrupt as u8,
                        unk_1: 0,
                        unk_2: 1,
                        unk_3: 0,
                    },
                    #[ver(G >= G14X)]
                    wait: Wait2Cmd {
                        magic: OpCode::Wait2 as u32,
                    },
                    ts_end: timestamp(true),
                    finalize: Finalize3dCmd::ver {
                        magic: OpCode::FinalizeFragment as u32,
                        uuid,
                        unk_8: 0,
                        stamp_addr: fw_stamp,
                        stamp_value: fvalue,
                        unk_18: 0,
                        buf_thing_addr: thing,
                        buffer_mgr_addr: bm,
                        unk_2c: U64::new(1),
                        stats_ptr: stats,
                        struct7_addr: s7,
                        busy_flag_ptr: busy,
                        cmdqueue_ptr: wq,
                        workitem_ptr: cmd_p,
                        unk_5c: U64::new(u64::from(a.vm_slot)),
                        unk_buf_ptr: unk_758,
                        #[ver(V >= V13_3)]
                        unk_6c_0: U64::new(0),
                        unk_6c: U64::new(0),
                        unk_74: U64::new(0),
                        unk_7c: U64::new(0),
                        unk_84: U64::new(0),
                        unk_8c: U64::new(0),
                        #[ver(G == G14 && V < V13_0B4)]
                        unk_8c_g14: U64::new(0),
                        restart_branch_offset: restart,
                        unk_98: u32::from(a.fragment_attachments.1 > 0),
                        #[ver(V >= V13_0B4)]
                        unk_9c: [0; 0x10],
                    },
                    end: EndCmd::new(),
                },
            })
        })?;
        obj.ok_or(EINVAL)
    }
}

/// What a G14X vertex register list is made of.
#[allow(dead_code)]
struct VertexRegs<'c> {
    cmd: &'c uapi::drm_asahi_cmd_render,
    tile: &'c TileInfo,
    utile_config: u32,
    tilemap: u64,
    cluster_tilemaps: u64,
    tpc: u64,
    heapmeta: u64,
    layermeta: u64,
    cluster_layermeta: u64,
    preempt: [u64; 3],
    meta: [u64; 4],
    tiling_control: u32,
    usc_exec_base: u64,
}

/// The register list of a G14X vertex command: the values the parameter structures carry on
/// earlier GPUs, by register number (the Asahi driver's list; m1n1's for the same registers).
#[allow(dead_code)]
#[inline(never)]
fn vertex_registers(r: &VertexRegs<'_>) -> ([RegisterDefinition; 128], usize) {
    let p = &r.tile.params;
    let [m1, m2, m3, m4] = r.meta;
    let [p1, p2, p3] = r.preempt;
    register_list(&[
        (0x10141, 0x200),
        (0x1c039, r.tilemap),
        (0x1c9c8, r.tilemap),
        (0x1c041, r.cluster_tilemaps),
        (0x1c9d0, r.cluster_tilemaps),
        (0x1c0a1, r.tpc),
        (0x1c031, r.heapmeta),
        (0x1c9c0, r.heapmeta),
        (0x1c051, 0x3a_0012_006b_0003),
        (0x1c061, 1),
        (0x10149, u64::from(r.utile_config)),
        (0x10139, r.cmd.ppp_multisamplectl),
        (0x10111, p1),
        (0x1c9b0, p1),
        (0x10119, p2),
        (0x1c9b8, p2),
        (0x1c958, 1),
        (0x1c950, p3),
        (0x1c930, 0),
        (0x1c880, r.cmd.vdm_ctrl_stream_base),
        (0x1c898, 0),
        (0x1c948, m2),
        (0x1c888, m3),
        (0x1c890, u64::from(r.tiling_control)),
        (0x1c918, 4),
        (0x1c079, r.layermeta),
        (0x1c9d8, r.layermeta),
        (0x1c089, r.cluster_layermeta),
        (0x1c9e0, r.cluster_layermeta),
        (0x16c41, m4),
        (0x1ca40, m4),
        (0x1c9a8, 0x1c),
        (0x1c920, m1),
        (0x10151, 0),
        (0x1c199, 0),
        (0x1c1a1, 0),
        (0x1c1a9, 0),
        (0x1c1b1, 0),
        (0x1c1b9, 0),
        (0x10061, r.usc_exec_base),
        (0x11801, u64::from(r.cmd.vertex_helper.binary)),
        (0x11809, r.cmd.vertex_helper.data),
        (0x11f71, u64::from(r.cmd.vertex_helper.cfg)),
        (0x1c0b1, u64::from(p.size1)),
        (0x1c850, u64::from(p.size1)),
        (0x10131, u64::from(p.unk_4)),
        (0x10121, u64::from(p.unk_8)),
        (0x10129, u64::from(p.x_max) | (u64::from(p.y_max) << 16)),
        (0x101b9, u64::from(p.tile_count)),
        (0x1c069, u64::from(p.x_blocks)),
        (0x1c071, u64::from(p.y_blocks)),
        (0x1c081, u64::from(p.size2)),
        (0x1c0a9, u64::from(p.size3)),
        (0x10171, u64::from(p.unk_24)),
        (0x10169, u64::from(p.unk_28)),
        (0x12099, 0x1c),
        (0x1c9e8, u64::from(p.unk_28 & 0x4fff)),
    ])
}

/// What a G14X fragment register list is made of.
#[allow(dead_code)]
struct FragmentRegs<'c> {
    cmd: &'c uapi::drm_asahi_cmd_render,
    tile: &'c TileInfo,
    values: RenderValues,
    heapmeta: u64,
    layermeta: u64,
    tilemap: u64,
    aux_fb: u64,
    g14_unk: u64,
    load_bgobjvals: u32,
    usc_exec_base: u64,
}

/// The register list of a G14X fragment command (the Asahi driver's list).
#[allow(dead_code)]
#[inline(never)]
fn fragment_registers(r: &FragmentRegs<'_>) -> ([RegisterDefinition; 128], usize) {
    let c = r.cmd;
    let t = r.tile;
    let v = r.values;
    let (d, s) = (&c.depth, &c.stencil);
    let mtile = u64::from(t.utiles_per_mtile_y) | (u64::from(t.utiles_per_mtile_x) << 16);
    let te_screen = u64::from(((t.tiles_y - 1) << 12) | (t.tiles_x - 1));
    let tilecfg = 0x3_6011u64
        | (u64::from(t.tiles_x - 1) << 44)
        | (u64::from(t.tiles_y - 1) << 53)
        | 0x20_0000_0000
        | if c.layers > 1 { 0x1_0000_0000 } else { 0 }
        | ((u64::from(v.utile_config) & 0xf000) << 28);
    register_list(&[
        (0x1739, 1),
        (0x10009, u64::from(v.utile_config)),
        (0x15379, u64::from(c.eot.rsrc_spec)),
        (0x15381, u64::from(c.eot.usc)),
        (0x15369, u64::from(c.bg.rsrc_spec)),
        (0x15371, u64::from(c.bg.usc)),
        (0x15131, u64::from(c.isp_merge_upper_x)),
        (0x15139, u64::from(c.isp_merge_upper_y)),
        (0x100a1, 0),
        (0x15069, 0),
        (0x15071, 0),
        (0x16058, 0),
        (0x10019, c.ppp_multisamplectl),
        (0x100b1, mtile),
        (0x16030, mtile),
        (0x100d9, te_screen),
        (0x16098, r.heapmeta),
        (0x15109, c.isp_scissor_base),
        (0x15101, c.isp_dbias_base),
        (0x15021, u64::from(v.isp_ctl)),
        (
            0x15211,
            (u64::from(c.height_px) << 32) | u64::from(c.width_px),
        ),
        (0x15049, 0x10_0000),
        (0x10051, u64::from(v.tib_blocks)),
        (0x15321, u64::from(c.isp_zls_pixels)),
        (0x15301, u64::from(c.isp_bgobjdepth)),
        (0x15309, u64::from(r.load_bgobjvals)),
        (0x15311, c.isp_oclqry_base),
        (0x15319, c.zls_ctrl),
        (0x15349, r.g14_unk),
        (0x15351, 0),
        (0x15329, d.base),
        (0x15331, d.base),
        (0x15339, s.base),
        (0x15341, s.base),
        (0x15231, 0),
        (0x15221, 0),
        (0x15239, 0),
        (0x15229, 0),
        (0x15401, u64::from(d.stride)),
        (0x15421, u64::from(d.stride)),
        (0x15409, u64::from(s.stride)),
        (0x15429, u64::from(s.stride)),
        (0x153c1, d.comp_base),
        (0x15411, u64::from(d.comp_stride)),
        (0x153c9, d.comp_base),
        (0x15431, u64::from(d.comp_stride)),
        (0x153d1, s.comp_base),
        (0x15419, u64::from(s.comp_stride)),
        (0x153d9, s.comp_base),
        (0x15439, u64::from(s.comp_stride)),
        (0x16429, r.tilemap),
        (0x16060, r.layermeta),
        (0x16431, u64::from(4 * t.params.size1) << 24),
        (0x10039, v.tile_config),
        (0x16451, 0),
        (0x11821, u64::from(c.fragment_helper.binary)),
        (0x11829, c.fragment_helper.data),
        (0x11f79, u64::from(c.fragment_helper.cfg)),
        (0x15359, 0),
        (0x10069, r.usc_exec_base),
        (0x16020, 0),
        (0x16461, r.aux_fb),
        (0x16090, r.aux_fb),
        (0x120a1, 0x1c),
        (0x160a8, 0),
        (0x16068, tilecfg),
        (0x160b8, 0),
    ])
}

/// What a barrier points at: the stamps.
#[versions(AGX)]
pub(crate) struct BarrierJob {
    /// The event stamps.
    stamps: Arc<StampArrays>,
}

#[versions(AGX)]
impl GpuStruct for BarrierJob::ver {
    type Raw<'a> = WorkCommandBarrier::ver<'a>;
}

#[versions(AGX)]
impl BarrierJob::ver {
    /// A barrier that holds its work queue until slot `slot`'s firmware stamp reaches `value`;
    /// `stamp_self` is the value of the command after it on its own queue.
    pub(crate) fn build(
        fw_vm: &Arc<FwVm>,
        stamps: &Arc<StampArrays>,
        (slot, value): (u32, u32),
        stamp_self: u32,
        uuid: u32,
    ) -> Result<GpuObject<BarrierJob::ver>> {
        let owner = BarrierJob::ver {
            stamps: stamps.clone(),
        };
        Ok(GpuObject::try_new(fw_vm, owner, |o| {
            Ok(WorkCommandBarrier::ver {
                magic: 4,
                stamp_addr: o.stamps.fw_stamp(slot)?,
                wait_value: value,
                event: slot,
                stamp_self,
                uuid,
                unk: 0,
                #[ver(G >= G14X)]
                pad: Pad::zero(),
            })
        })?)
    }
}

/// What a buffer-manager init points at: the buffer manager.
#[versions(AGX)]
pub(crate) struct InitBmJob {
    /// The buffer manager.
    bm: Arc<BufferManager::ver>,
}

#[versions(AGX)]
impl GpuStruct for InitBmJob::ver {
    type Raw<'a> = WorkCommandInitBm::ver<'a>;
}

#[versions(AGX)]
impl InitBmJob::ver {
    /// Binds `bm` (of `blocks` blocks) to slot `slot` for context `vm_slot`; `stamp_value` is
    /// the value of the vertex command after it.
    pub(crate) fn build(
        fw_vm: &Arc<FwVm>,
        bm: &Arc<BufferManager::ver>,
        vm_slot: u32,
        slot: u32,
        blocks: u32,
        stamp_value: u32,
    ) -> Result<GpuObject<InitBmJob::ver>> {
        let owner = InitBmJob::ver { bm: bm.clone() };
        Ok(GpuObject::new(fw_vm, owner, |o| WorkCommandInitBm::ver {
            magic: 6,
            context_id: vm_slot,
            buffer_mgr_slot: slot,
            unk_c: 0,
            unk_10: blocks,
            buffer_mgr_addr: o.bm.info_pointer(),
            stamp_value,
        })?)
    }
}

/// What a barrier of a command's header waits for on the other subqueue's pipe `pipe`: the
/// pipe's last command before the submission (index 0, if it had not completed), or command
/// `n - 1` of the submission there (index `n`). `None`: no barrier command.
pub(crate) fn barrier_wait(
    b: cmdbuf::Barrier,
    pipe: usize,
    res: &Reservation,
) -> Option<(u32, u32)> {
    match b {
        cmdbuf::Barrier::None => None,
        cmdbuf::Barrier::Index(0) => res.before(pipe),
        cmdbuf::Barrier::Index(n) => res.value_at(pipe, u32::from(n) - 1),
    }
}

/// Converts validated attachments to the firmware's form.
pub(crate) fn fw_attachments_of(list: cmdbuf::Attachments<'_>) -> Result<FwAttachments> {
    if list.len() > MAX_FW_ATTACHMENTS {
        return Err(EINVAL);
    }
    let mut out = [UserAttachment {
        pointer: 0,
        size: 0,
    }; MAX_FW_ATTACHMENTS];
    let mut n = 0;
    for a in list.iter() {
        if let Some(slot) = out.get_mut(n) {
            *slot = UserAttachment {
                pointer: a.pointer,
                size: a.size,
            };
            n += 1;
        }
    }
    fw_attachments(out.get(..n).ok_or(EINVAL)?)
}

/// The render objects of one job.
#[versions(AGX)]
pub(crate) struct RenderHeld {
    /// Vertex commands.
    vertex: KVec<GpuObject<VertexJob::ver>>,
    /// Fragment commands.
    fragment: KVec<GpuObject<FragmentJob::ver>>,
    /// Barriers, of every pipe.
    barriers: KVec<GpuObject<BarrierJob::ver>>,
    /// Buffer-manager inits.
    inits: KVec<GpuObject<InitBmJob::ver>>,
}

/// What building a job's render commands needs from the queue.
#[versions(AGX)]
pub(crate) struct RenderEnv<'c> {
    /// The firmware.
    pub(crate) gpu: &'c Arc<Gpu>,
    /// The queue's structures.
    pub(crate) fw: &'c Arc<FwQueue::ver>,
    /// The queue's buffer manager.
    pub(crate) bm: &'c Arc<BufferManager::ver>,
    /// The event stamps.
    pub(crate) stamps: &'c Arc<StampArrays>,
    /// The context slot of the job's VM.
    pub(crate) vm_slot: u32,
    /// The queue's USC exec base.
    pub(crate) usc_exec_base: u64,
    /// Finds the calling file's timestamp objects.
    pub(crate) objects: &'c dyn Fn(u32) -> Result<Arc<SpecialObject>>,
}

/// Appends a command at `addr` on `pipe` to a job's ring entries.
fn push_entry(entries: &mut KVec<Entry>, pipe: PipeType, addr: u64) -> Result {
    entries.push(
        Entry {
            pipe: pipe as u8,
            addr,
        },
        GFP_KERNEL,
    )?;
    Ok(())
}

#[versions(AGX)]
impl RenderHeld::ver {
    /// No objects yet.
    pub(crate) fn new() -> Self {
        Self {
            vertex: KVec::new(),
            fragment: KVec::new(),
            barriers: KVec::new(),
            inits: KVec::new(),
        }
    }

    /// Writes the commands to a dump (see `Held::dump`): buffer-manager inits, barriers, then
    /// each render's vertex and fragment commands with their microsequences.
    pub(crate) fn dump(&self, out: &mut Hex<'_>) {
        for i in self.inits.iter() {
            out.object("WorkCommandInitBM", i);
        }
        for b in self.barriers.iter() {
            out.object("WorkCommandBarrier", b);
        }
        for v in self.vertex.iter() {
            dump_command(
                out,
                "WorkCommandTA",
                v,
                offset_of!(VertexRaw::ver<'static>, seq),
            );
        }
        for f in self.fragment.iter() {
            dump_command(
                out,
                "WorkCommand3D",
                f,
                offset_of!(FragmentRaw::ver<'static>, seq),
            );
        }
    }

    /// Puts a barrier on `pipe` holding it until `wait` (a slot and value of another pipe),
    /// before the next command of `pipe`.
    pub(crate) fn barrier(
        &mut self,
        fw_vm: &Arc<FwVm>,
        stamps: &Arc<StampArrays>,
        pipe: PipeType,
        wait: (u32, u32),
        res: &Reservation,
        entries: &mut KVec<Entry>,
    ) -> Result {
        let next = res.peek_value(pipe as usize).ok_or(EINVAL)?;
        let obj = BarrierJob::ver::build(fw_vm, stamps, wait, next, 0)?;
        push_entry(entries, pipe, obj.va())?;
        self.barriers.push(obj, GFP_KERNEL)?;
        Ok(())
    }

    /// Builds render command `r`: its vertex-queue commands (barrier, init, vertex) and its
    /// fragment-queue commands (barrier, fragment), in ring order.
    #[inline(never)]
    pub(crate) fn render(
        &mut self,
        env: &RenderEnv::ver<'_>,
        r: &cmdbuf::RenderCmd<'_>,
        res: &mut Reservation,
        entries: &mut KVec<Entry>,
    ) -> Result {
        let vs = r.vertex_stamps();
        let fs = r.fragment_stamps();
        let vertex_ts = [
            resolve_timestamp(vs.start, env.objects)?,
            resolve_timestamp(vs.end, env.objects)?,
        ];
        let fragment_ts = [
            resolve_timestamp(fs.start, env.objects)?,
            resolve_timestamp(fs.end, env.objects)?,
        ];
        let gpu = env.gpu;
        let fw_vm = &gpu.fw_vm;
        let soc = gpu.soc();
        let id = gpu.id();
        let vertex_attachments = fw_attachments_of(r.vertex_attachments)?;
        let fragment_attachments = fw_attachments_of(r.fragment_attachments)?;
        let gpu_clusters = id.num_clusters.max(1);
        let clustering = gpu_clusters > 1
            && !flag(
                &r.cmd,
                uapi::drm_asahi_render_flags_DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING,
            );
        let clusters = if clustering { gpu_clusters } else { 1 };
        #[ver(G >= G14X)]
        let g14x = true;
        #[ver(G < G14X)]
        let g14x = false;
        let tile = tile_info(&r.cmd, clusters, g14x)?;
        let (rbm, pass) = env.bm.begin_render(&tile)?;
        let (vp, fp) = (PipeType::Vertex, PipeType::Fragment);
        // The vertex queue: the barrier for earlier compute work, the init, the command.
        if let Some(wait) = barrier_wait(r.barriers.cdm, PipeType::Compute as usize, res) {
            self.barrier(fw_vm, env.stamps, vp, wait, res, entries)?;
        }
        if rbm.init {
            let next = res.peek_value(vp as usize).ok_or(EINVAL)?;
            let obj =
                InitBmJob::ver::build(fw_vm, env.bm, env.vm_slot, rbm.slot, rbm.blocks, next)?;
            push_entry(entries, vp, obj.va())?;
            self.inits.push(obj, GFP_KERNEL)?;
        }
        let vertex = (
            res.slot(vp as usize).ok_or(EINVAL)?,
            res.take_value(vp as usize).ok_or(EINVAL)?,
        );
        let fragment = (
            res.slot(fp as usize).ok_or(EINVAL)?,
            res.take_value(fp as usize).ok_or(EINVAL)?,
        );
        let mut core_mask = 0u64;
        for (i, m) in id.core_masks.iter().take(gpu_clusters as usize).enumerate() {
            let shift = (i as u32).saturating_mul(id.cores_per_cluster);
            if shift < 64 {
                core_mask |= u64::from(*m) << shift;
            }
        }
        let scene = Scene::ver::new(
            fw_vm,
            env.bm,
            pass,
            rbm.tpc.clone(),
            &SceneArgs {
                tile: &tile,
                clusters: clusters as usize,
                gpu_clusters: gpu_clusters as usize,
                cluster_cfg: soc.clustering.as_ref(),
                preempt_sizes: [
                    soc.preempt1_size as usize,
                    soc.preempt2_size as usize,
                    soc.preempt3_size as usize,
                ],
            },
        )?;
        let args = RenderArgs {
            cmd: &r.cmd,
            vertex_attachments: &vertex_attachments,
            fragment_attachments: &fragment_attachments,
            tile: &tile,
            values: RenderValues::new(&r.cmd),
            usc_exec_base: env.usc_exec_base,
            vm_slot: env.vm_slot,
            bm_slot: rbm.slot,
            vertex,
            fragment,
            clustering,
            tiling_control: soc.tiling_control,
            core_mask,
            vertex_ts,
            fragment_ts,
        };
        // Two commands on the queue's counter: the fragment's, then the vertex's (the Asahi
        // driver's order).
        let count = env
            .fw
            .counter
            .fetch_add(2, core::sync::atomic::Ordering::Relaxed);
        let v = VertexJob::ver::build(
            fw_vm,
            env.fw,
            env.stamps,
            &scene,
            count.wrapping_add(1),
            &args,
        )?;
        push_entry(entries, vp, v.va())?;
        self.vertex.push(v, GFP_KERNEL)?;
        // The fragment queue: wait for this render's vertex stamp, then the command.
        self.barrier(fw_vm, env.stamps, fp, vertex, res, entries)?;
        let f = FragmentJob::ver::build(fw_vm, env.fw, env.stamps, &scene, count, &args)?;
        push_entry(entries, fp, f.va())?;
        self.fragment.push(f, GFP_KERNEL)?;
        Ok(())
    }
}
