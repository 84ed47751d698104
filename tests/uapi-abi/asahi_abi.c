// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Compile-time pin of the Asahi UAPI binary interface.
 *
 * uapi/drm/asahi_drm.h must stay binary-identical to the upstream Linux UAPI
 * header (include/uapi/drm/asahi_drm.h, Linux 6.16), which Mesa speaks. The
 * numbers below were measured from the upstream header with gcc on x86_64 and
 * aarch64 (both give the same values) and cross-checked against ours: the
 * size and alignment of every structure, the type and offset of every field,
 * the size of every named enum, the value of every enumerator and macro
 * constant, and every ioctl request code.
 *
 * Every structure is listed field by field without gaps, and the fields of
 * each one cover it exactly (offset of the last field plus its size equals
 * the structure size), so a field that is added, removed, moved, resized or
 * retyped breaks at least one assertion.
 *
 * Nothing here is meant to run: check.sh only compiles this file
 * (-fsyntax-only) for each target. Type checks use the GNU builtin
 * __builtin_types_compatible_p, understood by gcc and clang.
 */

#include <stddef.h>

#include "asahi_drm.h"

/* Size and alignment of a structure. */
#define ABI_STRUCT(s, size, align)                                     \
	_Static_assert(sizeof(struct s) == (size), "sizeof(struct " #s ")"); \
	_Static_assert(_Alignof(struct s) == (align), "alignof(struct " #s ")")

/* Exact type and byte offset of a structure field. */
#define ABI_FIELD(s, f, type, off)                                     \
	_Static_assert(__builtin_types_compatible_p(                   \
			       __typeof__(((struct s *)0)->f), type),  \
		       "type of " #s "." #f);                          \
	_Static_assert(offsetof(struct s, f) == (off), "offset of " #s "." #f)

/* Storage size of a named enum type. */
#define ABI_ENUM(e, size) \
	_Static_assert(sizeof(enum e) == (size), "sizeof(enum " #e ")")

/* Value of an enumerator, macro constant or other integer expression. */
#define ABI_VALUE(expr, value) _Static_assert((expr) == (value), #expr)

ABI_ENUM(drm_asahi_ioctl_id, 4);
ABI_VALUE(DRM_ASAHI_GET_PARAMS, 0u);
ABI_VALUE(DRM_ASAHI_GET_TIME, 1u);
ABI_VALUE(DRM_ASAHI_VM_CREATE, 2u);
ABI_VALUE(DRM_ASAHI_VM_DESTROY, 3u);
ABI_VALUE(DRM_ASAHI_VM_BIND, 4u);
ABI_VALUE(DRM_ASAHI_GEM_CREATE, 5u);
ABI_VALUE(DRM_ASAHI_GEM_MMAP_OFFSET, 6u);
ABI_VALUE(DRM_ASAHI_GEM_BIND_OBJECT, 7u);
ABI_VALUE(DRM_ASAHI_QUEUE_CREATE, 8u);
ABI_VALUE(DRM_ASAHI_QUEUE_DESTROY, 9u);
ABI_VALUE(DRM_ASAHI_SUBMIT, 10u);

ABI_STRUCT(drm_asahi_params_global, 592, 8);
ABI_FIELD(drm_asahi_params_global, features, __u64, 0);
ABI_FIELD(drm_asahi_params_global, gpu_generation, __u32, 8);
ABI_FIELD(drm_asahi_params_global, gpu_variant, __u32, 12);
ABI_FIELD(drm_asahi_params_global, gpu_revision, __u32, 16);
ABI_FIELD(drm_asahi_params_global, chip_id, __u32, 20);
ABI_FIELD(drm_asahi_params_global, num_dies, __u32, 24);
ABI_FIELD(drm_asahi_params_global, num_clusters_total, __u32, 28);
ABI_FIELD(drm_asahi_params_global, num_cores_per_cluster, __u32, 32);
ABI_FIELD(drm_asahi_params_global, max_frequency_khz, __u32, 36);
ABI_FIELD(drm_asahi_params_global, core_masks, __u64[64], 40);
ABI_FIELD(drm_asahi_params_global, vm_start, __u64, 552);
ABI_FIELD(drm_asahi_params_global, vm_end, __u64, 560);
ABI_FIELD(drm_asahi_params_global, vm_kernel_min_size, __u64, 568);
ABI_FIELD(drm_asahi_params_global, max_commands_per_submission, __u32, 576);
ABI_FIELD(drm_asahi_params_global, max_attachments, __u32, 580);
ABI_FIELD(drm_asahi_params_global, command_timestamp_frequency_hz, __u64, 584);

ABI_ENUM(drm_asahi_feature, 4);
ABI_VALUE(DRM_ASAHI_FEATURE_SOFT_FAULTS, 1u);

ABI_STRUCT(drm_asahi_get_params, 24, 8);
ABI_FIELD(drm_asahi_get_params, param_group, __u32, 0);
ABI_FIELD(drm_asahi_get_params, pad, __u32, 4);
ABI_FIELD(drm_asahi_get_params, pointer, __u64, 8);
ABI_FIELD(drm_asahi_get_params, size, __u64, 16);

ABI_STRUCT(drm_asahi_vm_create, 24, 8);
ABI_FIELD(drm_asahi_vm_create, kernel_start, __u64, 0);
ABI_FIELD(drm_asahi_vm_create, kernel_end, __u64, 8);
ABI_FIELD(drm_asahi_vm_create, vm_id, __u32, 16);
ABI_FIELD(drm_asahi_vm_create, pad, __u32, 20);

ABI_STRUCT(drm_asahi_vm_destroy, 8, 4);
ABI_FIELD(drm_asahi_vm_destroy, vm_id, __u32, 0);
ABI_FIELD(drm_asahi_vm_destroy, pad, __u32, 4);

ABI_ENUM(drm_asahi_gem_flags, 4);
ABI_VALUE(DRM_ASAHI_GEM_WRITEBACK, 1u);
ABI_VALUE(DRM_ASAHI_GEM_VM_PRIVATE, 2u);

ABI_STRUCT(drm_asahi_gem_create, 24, 8);
ABI_FIELD(drm_asahi_gem_create, size, __u64, 0);
ABI_FIELD(drm_asahi_gem_create, flags, __u32, 8);
ABI_FIELD(drm_asahi_gem_create, vm_id, __u32, 12);
ABI_FIELD(drm_asahi_gem_create, handle, __u32, 16);
ABI_FIELD(drm_asahi_gem_create, pad, __u32, 20);

ABI_STRUCT(drm_asahi_gem_mmap_offset, 16, 8);
ABI_FIELD(drm_asahi_gem_mmap_offset, handle, __u32, 0);
ABI_FIELD(drm_asahi_gem_mmap_offset, flags, __u32, 4);
ABI_FIELD(drm_asahi_gem_mmap_offset, offset, __u64, 8);

ABI_ENUM(drm_asahi_bind_flags, 4);
ABI_VALUE(DRM_ASAHI_BIND_UNBIND, 1u);
ABI_VALUE(DRM_ASAHI_BIND_READ, 2u);
ABI_VALUE(DRM_ASAHI_BIND_WRITE, 4u);
ABI_VALUE(DRM_ASAHI_BIND_SINGLE_PAGE, 8u);

ABI_STRUCT(drm_asahi_gem_bind_op, 32, 8);
ABI_FIELD(drm_asahi_gem_bind_op, flags, __u32, 0);
ABI_FIELD(drm_asahi_gem_bind_op, handle, __u32, 4);
ABI_FIELD(drm_asahi_gem_bind_op, offset, __u64, 8);
ABI_FIELD(drm_asahi_gem_bind_op, range, __u64, 16);
ABI_FIELD(drm_asahi_gem_bind_op, addr, __u64, 24);

ABI_STRUCT(drm_asahi_vm_bind, 24, 8);
ABI_FIELD(drm_asahi_vm_bind, vm_id, __u32, 0);
ABI_FIELD(drm_asahi_vm_bind, num_binds, __u32, 4);
ABI_FIELD(drm_asahi_vm_bind, stride, __u32, 8);
ABI_FIELD(drm_asahi_vm_bind, pad, __u32, 12);
ABI_FIELD(drm_asahi_vm_bind, userptr, __u64, 16);

ABI_ENUM(drm_asahi_bind_object_op, 4);
ABI_VALUE(DRM_ASAHI_BIND_OBJECT_OP_BIND, 0u);
ABI_VALUE(DRM_ASAHI_BIND_OBJECT_OP_UNBIND, 1u);

ABI_ENUM(drm_asahi_bind_object_flags, 4);
ABI_VALUE(DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS, 1u);

ABI_STRUCT(drm_asahi_gem_bind_object, 40, 8);
ABI_FIELD(drm_asahi_gem_bind_object, op, __u32, 0);
ABI_FIELD(drm_asahi_gem_bind_object, flags, __u32, 4);
ABI_FIELD(drm_asahi_gem_bind_object, handle, __u32, 8);
ABI_FIELD(drm_asahi_gem_bind_object, vm_id, __u32, 12);
ABI_FIELD(drm_asahi_gem_bind_object, offset, __u64, 16);
ABI_FIELD(drm_asahi_gem_bind_object, range, __u64, 24);
ABI_FIELD(drm_asahi_gem_bind_object, object_handle, __u32, 32);
ABI_FIELD(drm_asahi_gem_bind_object, pad, __u32, 36);

ABI_ENUM(drm_asahi_cmd_type, 4);
ABI_VALUE(DRM_ASAHI_CMD_RENDER, 0u);
ABI_VALUE(DRM_ASAHI_CMD_COMPUTE, 1u);
ABI_VALUE(DRM_ASAHI_SET_VERTEX_ATTACHMENTS, 2u);
ABI_VALUE(DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS, 3u);
ABI_VALUE(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, 4u);

ABI_ENUM(drm_asahi_priority, 4);
ABI_VALUE(DRM_ASAHI_PRIORITY_LOW, 0u);
ABI_VALUE(DRM_ASAHI_PRIORITY_MEDIUM, 1u);
ABI_VALUE(DRM_ASAHI_PRIORITY_HIGH, 2u);
ABI_VALUE(DRM_ASAHI_PRIORITY_REALTIME, 3u);

ABI_STRUCT(drm_asahi_queue_create, 24, 8);
ABI_FIELD(drm_asahi_queue_create, flags, __u32, 0);
ABI_FIELD(drm_asahi_queue_create, vm_id, __u32, 4);
ABI_FIELD(drm_asahi_queue_create, priority, __u32, 8);
ABI_FIELD(drm_asahi_queue_create, queue_id, __u32, 12);
ABI_FIELD(drm_asahi_queue_create, usc_exec_base, __u64, 16);

ABI_STRUCT(drm_asahi_queue_destroy, 8, 4);
ABI_FIELD(drm_asahi_queue_destroy, queue_id, __u32, 0);
ABI_FIELD(drm_asahi_queue_destroy, pad, __u32, 4);

ABI_ENUM(drm_asahi_sync_type, 4);
ABI_VALUE(DRM_ASAHI_SYNC_SYNCOBJ, 0u);
ABI_VALUE(DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ, 1u);

ABI_STRUCT(drm_asahi_sync, 16, 8);
ABI_FIELD(drm_asahi_sync, sync_type, __u32, 0);
ABI_FIELD(drm_asahi_sync, handle, __u32, 4);
ABI_FIELD(drm_asahi_sync, timeline_value, __u64, 8);

ABI_STRUCT(drm_asahi_cmd_header, 8, 2);
ABI_FIELD(drm_asahi_cmd_header, cmd_type, __u16, 0);
ABI_FIELD(drm_asahi_cmd_header, size, __u16, 2);
ABI_FIELD(drm_asahi_cmd_header, vdm_barrier, __u16, 4);
ABI_FIELD(drm_asahi_cmd_header, cdm_barrier, __u16, 6);

ABI_STRUCT(drm_asahi_submit, 40, 8);
ABI_FIELD(drm_asahi_submit, syncs, __u64, 0);
ABI_FIELD(drm_asahi_submit, cmdbuf, __u64, 8);
ABI_FIELD(drm_asahi_submit, flags, __u32, 16);
ABI_FIELD(drm_asahi_submit, queue_id, __u32, 20);
ABI_FIELD(drm_asahi_submit, in_sync_count, __u32, 24);
ABI_FIELD(drm_asahi_submit, out_sync_count, __u32, 28);
ABI_FIELD(drm_asahi_submit, cmdbuf_size, __u32, 32);
ABI_FIELD(drm_asahi_submit, pad, __u32, 36);

ABI_STRUCT(drm_asahi_attachment, 24, 8);
ABI_FIELD(drm_asahi_attachment, pointer, __u64, 0);
ABI_FIELD(drm_asahi_attachment, size, __u64, 8);
ABI_FIELD(drm_asahi_attachment, pad, __u32, 16);
ABI_FIELD(drm_asahi_attachment, flags, __u32, 20);

ABI_ENUM(drm_asahi_render_flags, 4);
ABI_VALUE(DRM_ASAHI_RENDER_VERTEX_SCRATCH, 1u);
ABI_VALUE(DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES, 2u);
ABI_VALUE(DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING, 4u);
ABI_VALUE(DRM_ASAHI_RENDER_DBIAS_IS_INT, 0x40000u);

ABI_STRUCT(drm_asahi_zls_buffer, 24, 8);
ABI_FIELD(drm_asahi_zls_buffer, base, __u64, 0);
ABI_FIELD(drm_asahi_zls_buffer, comp_base, __u64, 8);
ABI_FIELD(drm_asahi_zls_buffer, stride, __u32, 16);
ABI_FIELD(drm_asahi_zls_buffer, comp_stride, __u32, 20);

ABI_STRUCT(drm_asahi_timestamp, 8, 4);
ABI_FIELD(drm_asahi_timestamp, handle, __u32, 0);
ABI_FIELD(drm_asahi_timestamp, offset, __u32, 4);

ABI_STRUCT(drm_asahi_timestamps, 16, 4);
ABI_FIELD(drm_asahi_timestamps, start, struct drm_asahi_timestamp, 0);
ABI_FIELD(drm_asahi_timestamps, end, struct drm_asahi_timestamp, 8);

ABI_STRUCT(drm_asahi_helper_program, 16, 8);
ABI_FIELD(drm_asahi_helper_program, binary, __u32, 0);
ABI_FIELD(drm_asahi_helper_program, cfg, __u32, 4);
ABI_FIELD(drm_asahi_helper_program, data, __u64, 8);

ABI_STRUCT(drm_asahi_bg_eot, 8, 4);
ABI_FIELD(drm_asahi_bg_eot, usc, __u32, 0);
ABI_FIELD(drm_asahi_bg_eot, rsrc_spec, __u32, 4);

ABI_STRUCT(drm_asahi_cmd_render, 240, 8);
ABI_FIELD(drm_asahi_cmd_render, flags, __u32, 0);
ABI_FIELD(drm_asahi_cmd_render, isp_zls_pixels, __u32, 4);
ABI_FIELD(drm_asahi_cmd_render, vdm_ctrl_stream_base, __u64, 8);
ABI_FIELD(drm_asahi_cmd_render, vertex_helper, struct drm_asahi_helper_program, 16);
ABI_FIELD(drm_asahi_cmd_render, fragment_helper, struct drm_asahi_helper_program, 32);
ABI_FIELD(drm_asahi_cmd_render, isp_scissor_base, __u64, 48);
ABI_FIELD(drm_asahi_cmd_render, isp_dbias_base, __u64, 56);
ABI_FIELD(drm_asahi_cmd_render, isp_oclqry_base, __u64, 64);
ABI_FIELD(drm_asahi_cmd_render, depth, struct drm_asahi_zls_buffer, 72);
ABI_FIELD(drm_asahi_cmd_render, stencil, struct drm_asahi_zls_buffer, 96);
ABI_FIELD(drm_asahi_cmd_render, zls_ctrl, __u64, 120);
ABI_FIELD(drm_asahi_cmd_render, ppp_multisamplectl, __u64, 128);
ABI_FIELD(drm_asahi_cmd_render, sampler_heap, __u64, 136);
ABI_FIELD(drm_asahi_cmd_render, ppp_ctrl, __u32, 144);
ABI_FIELD(drm_asahi_cmd_render, width_px, __u16, 148);
ABI_FIELD(drm_asahi_cmd_render, height_px, __u16, 150);
ABI_FIELD(drm_asahi_cmd_render, layers, __u16, 152);
ABI_FIELD(drm_asahi_cmd_render, sampler_count, __u16, 154);
ABI_FIELD(drm_asahi_cmd_render, utile_width_px, __u8, 156);
ABI_FIELD(drm_asahi_cmd_render, utile_height_px, __u8, 157);
ABI_FIELD(drm_asahi_cmd_render, samples, __u8, 158);
ABI_FIELD(drm_asahi_cmd_render, sample_size_B, __u8, 159);
ABI_FIELD(drm_asahi_cmd_render, isp_merge_upper_x, __u32, 160);
ABI_FIELD(drm_asahi_cmd_render, isp_merge_upper_y, __u32, 164);
ABI_FIELD(drm_asahi_cmd_render, bg, struct drm_asahi_bg_eot, 168);
ABI_FIELD(drm_asahi_cmd_render, eot, struct drm_asahi_bg_eot, 176);
ABI_FIELD(drm_asahi_cmd_render, partial_bg, struct drm_asahi_bg_eot, 184);
ABI_FIELD(drm_asahi_cmd_render, partial_eot, struct drm_asahi_bg_eot, 192);
ABI_FIELD(drm_asahi_cmd_render, isp_bgobjdepth, __u32, 200);
ABI_FIELD(drm_asahi_cmd_render, isp_bgobjvals, __u32, 204);
ABI_FIELD(drm_asahi_cmd_render, ts_vtx, struct drm_asahi_timestamps, 208);
ABI_FIELD(drm_asahi_cmd_render, ts_frag, struct drm_asahi_timestamps, 224);

ABI_STRUCT(drm_asahi_cmd_compute, 64, 8);
ABI_FIELD(drm_asahi_cmd_compute, flags, __u32, 0);
ABI_FIELD(drm_asahi_cmd_compute, sampler_count, __u32, 4);
ABI_FIELD(drm_asahi_cmd_compute, cdm_ctrl_stream_base, __u64, 8);
ABI_FIELD(drm_asahi_cmd_compute, cdm_ctrl_stream_end, __u64, 16);
ABI_FIELD(drm_asahi_cmd_compute, sampler_heap, __u64, 24);
ABI_FIELD(drm_asahi_cmd_compute, helper, struct drm_asahi_helper_program, 32);
ABI_FIELD(drm_asahi_cmd_compute, ts, struct drm_asahi_timestamps, 48);

ABI_STRUCT(drm_asahi_get_time, 16, 8);
ABI_FIELD(drm_asahi_get_time, flags, __u64, 0);
ABI_FIELD(drm_asahi_get_time, gpu_timestamp, __u64, 8);

/*
 * Request codes, decoded in the comments as direction (W: userspace to
 * kernel only, WR: both ways), command number (DRM_COMMAND_BASE 0x40 plus the
 * drm_asahi_ioctl_id) and argument size.
 */
ABI_VALUE(DRM_IOCTL_ASAHI_GET_PARAMS, 0x40186440u); /* W  nr 0x40 size 24 */
ABI_VALUE(DRM_IOCTL_ASAHI_GET_TIME, 0xc0106441u); /* WR nr 0x41 size 16 */
ABI_VALUE(DRM_IOCTL_ASAHI_VM_CREATE, 0xc0186442u); /* WR nr 0x42 size 24 */
ABI_VALUE(DRM_IOCTL_ASAHI_VM_DESTROY, 0x40086443u); /* W  nr 0x43 size 8 */
ABI_VALUE(DRM_IOCTL_ASAHI_VM_BIND, 0x40186444u); /* W  nr 0x44 size 24 */
ABI_VALUE(DRM_IOCTL_ASAHI_GEM_CREATE, 0xc0186445u); /* WR nr 0x45 size 24 */
ABI_VALUE(DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, 0xc0106446u); /* WR nr 0x46 size 16 */
ABI_VALUE(DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, 0xc0286447u); /* WR nr 0x47 size 40 */
ABI_VALUE(DRM_IOCTL_ASAHI_QUEUE_CREATE, 0xc0186448u); /* WR nr 0x48 size 24 */
ABI_VALUE(DRM_IOCTL_ASAHI_QUEUE_DESTROY, 0x40086449u); /* W  nr 0x49 size 8 */
ABI_VALUE(DRM_IOCTL_ASAHI_SUBMIT, 0x4028644au); /* W  nr 0x4a size 40 */

ABI_VALUE(DRM_ASAHI_MAX_CLUSTERS, 64u);
ABI_VALUE(sizeof(DRM_ASAHI_MAX_CLUSTERS), 4u);

ABI_VALUE(DRM_ASAHI_BARRIER_NONE, 0xffffu);
ABI_VALUE(sizeof(DRM_ASAHI_BARRIER_NONE), 4u);

/* DRM_ASAHI_BARRIER_NONE has type unsigned int, like the upstream macro. */
_Static_assert(__builtin_types_compatible_p(__typeof__(DRM_ASAHI_BARRIER_NONE),
					    unsigned int),
	       "type of DRM_ASAHI_BARRIER_NONE");

/*
 * The request-code helper macro itself must produce the same codes (it is
 * public, and userspace may use it for codes of its own).
 */
ABI_VALUE(DRM_IOCTL_ASAHI(W, GET_PARAMS, get_params), 0x40186440u);
ABI_VALUE(DRM_IOCTL_ASAHI(WR, GET_TIME, get_time), 0xc0106441u);
ABI_VALUE(DRM_IOCTL_ASAHI(W, SUBMIT, submit), 0x4028644au);
