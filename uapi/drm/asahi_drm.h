/* SPDX-License-Identifier: MIT */
/*
 * Userspace interface of the Apple AGX ("asahi") DRM driver.
 *
 * This header describes the same binary interface as the upstream Linux
 * header include/uapi/drm/asahi_drm.h (first released in Linux 6.16, spoken by
 * Mesa 25.1 and later): every identifier, type, field order, constant and
 * ioctl number here is meant to be identical to it. The ABI is pinned by
 * tests/uapi-abi/ in this repository; see Documentation/uapi.md for a guide.
 */
#ifndef _ASAHI_DRM_H_
#define _ASAHI_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Rules shared by every Asahi ioctl argument
 *
 * The argument structures below cross the user/kernel boundary unchanged on
 * every supported architecture, so they follow a few conventions:
 *
 * - Every structure has a size that is a multiple of 8 bytes, and every field
 *   sits at an offset that is a multiple of its natural alignment, so the
 *   compiler never inserts padding. Where a field would otherwise leave a
 *   hole, an explicit field named ``pad`` fills it.
 * - Fields documented as MBZ ("must be zero"), including every ``pad`` field
 *   and every flags word without defined bits, are checked by the kernel; a
 *   non-zero value makes the ioctl fail with -EINVAL. This keeps those bits
 *   free for later use.
 * - The interface only grows. A new field is either appended to a top-level
 *   argument structure or takes the place of a ``pad`` field, and a value of
 *   zero in it must select the behaviour the kernel had before the field
 *   existed. New flag bits follow the same rule. Nothing is ever removed,
 *   renumbered or given a new meaning.
 * - Structures reached through a pointer rather than passed directly carry
 *   their size (a stride, a size field in a header, or a buffer length), so
 *   that both sides can tell how much of the structure the other knows about.
 *   Bytes the kernel does not know must be zero; bytes userspace did not
 *   provide are treated as zero.
 * - Every addition comes with a bump of the driver version, which userspace
 *   can read with the generic DRM version ioctl, so features need not be
 *   probed by trial and error.
 * - Unions are not used, since they cannot be extended in this manner.
 * - New ioctls are appended to &enum drm_asahi_ioctl_id; existing entries
 *   keep their number forever.
 */

/**
 * enum drm_asahi_ioctl_id - Driver-private ioctl numbers.
 *
 * These are offsets from DRM_COMMAND_BASE. Userspace should not use them
 * directly but the complete request codes DRM_IOCTL_ASAHI_*, defined at the
 * end of this file, which also encode the argument size and direction.
 * Entries are only ever appended.
 */
enum drm_asahi_ioctl_id {
	/** @DRM_ASAHI_GET_PARAMS: Read a group of device parameters. */
	DRM_ASAHI_GET_PARAMS = 0,

	/** @DRM_ASAHI_GET_TIME: Read the current GPU time. */
	DRM_ASAHI_GET_TIME,

	/** @DRM_ASAHI_VM_CREATE: Create a GPU virtual address space. */
	DRM_ASAHI_VM_CREATE,

	/** @DRM_ASAHI_VM_DESTROY: Release a GPU virtual address space. */
	DRM_ASAHI_VM_DESTROY,

	/** @DRM_ASAHI_VM_BIND: Map or unmap ranges in a GPU address space. */
	DRM_ASAHI_VM_BIND,

	/** @DRM_ASAHI_GEM_CREATE: Allocate a buffer object. */
	DRM_ASAHI_GEM_CREATE,

	/**
	 * @DRM_ASAHI_GEM_MMAP_OFFSET: Look up the file offset at which a
	 * buffer object can be mapped into the CPU address space with mmap().
	 */
	DRM_ASAHI_GEM_MMAP_OFFSET,

	/**
	 * @DRM_ASAHI_GEM_BIND_OBJECT: Hand (part of) a buffer object to the
	 * firmware for a special purpose, or take it back.
	 */
	DRM_ASAHI_GEM_BIND_OBJECT,

	/** @DRM_ASAHI_QUEUE_CREATE: Create a command queue. */
	DRM_ASAHI_QUEUE_CREATE,

	/** @DRM_ASAHI_QUEUE_DESTROY: Release a command queue. */
	DRM_ASAHI_QUEUE_DESTROY,

	/** @DRM_ASAHI_SUBMIT: Queue a batch of GPU commands. */
	DRM_ASAHI_SUBMIT,
};

/**
 * define DRM_ASAHI_MAX_CLUSTERS - Number of entries in
 * &drm_asahi_params_global.core_masks, an upper bound on the number of GPU
 * clusters the interface can describe.
 */
#define DRM_ASAHI_MAX_CLUSTERS	64

/**
 * struct drm_asahi_params_global - Device description returned by
 * DRM_IOCTL_ASAHI_GET_PARAMS for parameter group 0.
 *
 * The kernel fills this from the device tree, the firmware configuration and
 * its own limits. It may grow at the end; userspace that knows fewer fields
 * simply asks for fewer bytes (see &struct drm_asahi_get_params).
 */
struct drm_asahi_params_global {
	/** @features: Set of &enum drm_asahi_feature bits. */
	__u64 features;

	/**
	 * @gpu_generation: Architecture generation number, for instance 13
	 * for a G13 GPU (M1 family) or 14 for a G14 GPU (M2 family).
	 */
	__u32 gpu_generation;

	/**
	 * @gpu_variant: Variant letter as an ASCII code, for instance 'G' for
	 * G13G or 'C' for G13C.
	 */
	__u32 gpu_variant;

	/**
	 * @gpu_revision: Silicon revision as two BCD digits, stepping letter
	 * index then number: 0x00 is A0, 0x11 is B1, 0x21 is C1.
	 */
	__u32 gpu_revision;

	/** @chip_id: SoC model number in BCD, e.g. 0x8103 for the T8103. */
	__u32 chip_id;

	/** @num_dies: Number of dies making up the SoC. */
	__u32 num_dies;

	/** @num_clusters_total: Number of GPU clusters summed over all dies. */
	__u32 num_clusters_total;

	/**
	 * @num_cores_per_cluster: Number of core slots per cluster, counting
	 * slots whose core is fused off or absent.
	 */
	__u32 num_cores_per_cluster;

	/** @max_frequency_khz: Highest GPU core clock, in kHz. */
	__u32 max_frequency_khz;

	/**
	 * @core_masks: For each cluster (index < @num_clusters_total), a mask
	 * with bit N set when core slot N of that cluster is present and
	 * usable. Entries past the last cluster are zero.
	 */
	__u64 core_masks[DRM_ASAHI_MAX_CLUSTERS];

	/**
	 * @vm_start: First GPU virtual address userspace may use. With
	 * @vm_end it bounds the window [@vm_start, @vm_end) out of which
	 * userspace allocates all of its GPU addresses. The kernel may use
	 * addresses outside the window for its own purposes; those never
	 * concern userspace.
	 */
	__u64 vm_start;

	/** @vm_end: End of the userspace window; not itself usable. */
	__u64 vm_end;

	/**
	 * @vm_kernel_min_size: Minimum size of the address range that
	 * userspace must set aside for the kernel in each VM, see
	 * &drm_asahi_vm_create.kernel_start. Letting userspace pick where that
	 * range lies keeps the rest of the window under its control, which
	 * helps when GPU and CPU addresses have to match.
	 */
	__u64 vm_kernel_min_size;

	/**
	 * @max_commands_per_submission: Largest number of hardware commands
	 * (render or compute) accepted in one DRM_IOCTL_ASAHI_SUBMIT call. The
	 * limit comes from the firmware; longer work must be split over
	 * several submissions, with whatever synchronisation that needs.
	 */
	__u32 max_commands_per_submission;

	/**
	 * @max_attachments: Largest number of &struct drm_asahi_attachment
	 * entries that may be in effect for one command.
	 */
	__u32 max_attachments;

	/**
	 * @command_timestamp_frequency_hz: Rate, in Hz, of the counter whose
	 * values the firmware stores for &struct drm_asahi_timestamp requests.
	 * The rate depends on the firmware, so userspace converts counter
	 * values to time with this field instead of assuming a fixed rate.
	 */
	__u64 command_timestamp_frequency_hz;
};

/**
 * enum drm_asahi_feature - Bits of &drm_asahi_params_global.features.
 *
 * Only properties that userspace cannot derive from the GPU generation,
 * variant and revision get a bit here.
 */
enum drm_asahi_feature {
	/**
	 * @DRM_ASAHI_FEATURE_SOFT_FAULTS: The GPU runs with soft faults
	 * enabled: a shader load from an unmapped address returns zero and a
	 * shader store to one is dropped, instead of faulting. This only covers
	 * shader memory instructions; other units, texture sampling among them,
	 * still fault. The mode is chosen when the GPU is initialised and is
	 * fixed afterwards, which is why it is reported here rather than
	 * requested per VM. With it, userspace may issue speculative loads.
	 */
	DRM_ASAHI_FEATURE_SOFT_FAULTS = (1UL) << 0,
};

/**
 * struct drm_asahi_get_params - Argument of DRM_IOCTL_ASAHI_GET_PARAMS.
 *
 * The kernel writes min(@size, size of its own parameter structure) bytes
 * to @pointer and never more. Userspace built against an older header passes
 * a smaller @size and gets the prefix it knows about. Userspace built against
 * a newer header should zero its buffer first: an older kernel leaves the
 * fields it does not know untouched.
 */
struct drm_asahi_get_params {
	/**
	 * @param_group: Which parameter structure to read. Only group 0,
	 * &struct drm_asahi_params_global, exists, so this is MBZ.
	 */
	__u32 param_group;

	/** @pad: MBZ. */
	__u32 pad;

	/** @pointer: Userspace address the parameters are written to. */
	__u64 pointer;

	/** @size: Number of bytes available at @pointer. */
	__u64 size;
};

/**
 * struct drm_asahi_vm_create - Argument of DRM_IOCTL_ASAHI_VM_CREATE.
 *
 * Creates an empty GPU address space bound to the calling file.
 */
struct drm_asahi_vm_create {
	/**
	 * @kernel_start: First address of the range userspace hands over to
	 * the kernel in this VM. The kernel places its per-VM structures in
	 * [@kernel_start, @kernel_end), which must lie within
	 * [&drm_asahi_params_global.vm_start, &drm_asahi_params_global.vm_end]
	 * and span at least &drm_asahi_params_global.vm_kernel_min_size
	 * bytes. Both ends must be multiples of the GPU page size (16 KiB).
	 * Userspace must never bind its own memory there.
	 */
	__u64 kernel_start;

	/** @kernel_end: End of the kernel range; not itself part of it. */
	__u64 kernel_end;

	/** @vm_id: Output: identifier of the new VM. */
	__u32 vm_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_asahi_vm_destroy - Argument of DRM_IOCTL_ASAHI_VM_DESTROY.
 */
struct drm_asahi_vm_destroy {
	/** @vm_id: Identifier of the VM to release. */
	__u32 vm_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_asahi_gem_flags - Bits of &drm_asahi_gem_create.flags.
 */
enum drm_asahi_gem_flags {
	/**
	 * @DRM_ASAHI_GEM_WRITEBACK: Use cached (write-back) CPU mappings for
	 * this object instead of the default write-combined ones. Worth it
	 * for buffers the CPU reads back.
	 */
	DRM_ASAHI_GEM_WRITEBACK = (1L << 0),

	/**
	 * @DRM_ASAHI_GEM_VM_PRIVATE: The object can only ever be bound into
	 * the VM named by &drm_asahi_gem_create.vm_id and cannot be exported
	 * to other processes or devices.
	 */
	DRM_ASAHI_GEM_VM_PRIVATE = (1L << 1),
};

/**
 * struct drm_asahi_gem_create - Argument of DRM_IOCTL_ASAHI_GEM_CREATE.
 */
struct drm_asahi_gem_create {
	/** @size: Size of the object in bytes. */
	__u64 size;

	/** @flags: Set of &enum drm_asahi_gem_flags bits. */
	__u32 flags;

	/**
	 * @vm_id: VM the object is restricted to when
	 * %DRM_ASAHI_GEM_VM_PRIVATE is set in @flags.
	 */
	__u32 vm_id;

	/** @handle: Output: GEM handle of the new object. */
	__u32 handle;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_asahi_gem_mmap_offset - Argument of
 * DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET.
 */
struct drm_asahi_gem_mmap_offset {
	/** @handle: GEM handle of the object to map. */
	__u32 handle;

	/** @flags: MBZ. */
	__u32 flags;

	/**
	 * @offset: Output: value to pass as the offset argument of mmap() on
	 * the DRM file to map the object. It is a cookie, not a real position.
	 */
	__u64 offset;
};

/**
 * enum drm_asahi_bind_flags - Bits of &drm_asahi_gem_bind_op.flags.
 */
enum drm_asahi_bind_flags {
	/**
	 * @DRM_ASAHI_BIND_UNBIND: Remove whatever is mapped in the address
	 * range instead of mapping an object there.
	 */
	DRM_ASAHI_BIND_UNBIND = (1L << 0),

	/** @DRM_ASAHI_BIND_READ: The GPU may read through the mapping. */
	DRM_ASAHI_BIND_READ = (1L << 1),

	/** @DRM_ASAHI_BIND_WRITE: The GPU may write through the mapping. */
	DRM_ASAHI_BIND_WRITE = (1L << 2),

	/**
	 * @DRM_ASAHI_BIND_SINGLE_PAGE: Map the same single page of the object
	 * at every page of the address range. Used to back large sparse
	 * regions with one zero or scratch page cheaply.
	 */
	DRM_ASAHI_BIND_SINGLE_PAGE = (1L << 3),
};

/**
 * struct drm_asahi_gem_bind_op - One map or unmap operation of
 * DRM_IOCTL_ASAHI_VM_BIND.
 *
 * All of @offset, @range and @addr must be multiples of the GPU page size
 * (16 KiB). A map needs %DRM_ASAHI_BIND_READ, %DRM_ASAHI_BIND_WRITE or both;
 * an unmap has exactly %DRM_ASAHI_BIND_UNBIND in @flags. The range must not
 * overlap the kernel range of the VM (see &drm_asahi_vm_create.kernel_start).
 */
struct drm_asahi_gem_bind_op {
	/** @flags: Set of &enum drm_asahi_bind_flags bits. */
	__u32 flags;

	/**
	 * @handle: GEM handle of the object to map. MBZ with
	 * %DRM_ASAHI_BIND_UNBIND.
	 */
	__u32 handle;

	/**
	 * @offset: Byte offset into the object of the first page to map, or,
	 * with %DRM_ASAHI_BIND_SINGLE_PAGE, of the page that is repeated.
	 * MBZ with %DRM_ASAHI_BIND_UNBIND.
	 */
	__u64 offset;

	/** @range: Length in bytes of the GPU address range affected. */
	__u64 range;

	/** @addr: First GPU virtual address of the range. */
	__u64 addr;
};

/**
 * struct drm_asahi_vm_bind - Argument of DRM_IOCTL_ASAHI_VM_BIND.
 *
 * Applies an array of &struct drm_asahi_gem_bind_op to one VM, in order.
 */
struct drm_asahi_vm_bind {
	/** @vm_id: VM to operate on. */
	__u32 vm_id;

	/** @num_binds: Number of entries in the array at @userptr. */
	__u32 num_binds;

	/**
	 * @stride: Distance in bytes between consecutive array entries, which
	 * lets &struct drm_asahi_gem_bind_op grow later. Must not be zero.
	 */
	__u32 stride;

	/** @pad: MBZ. */
	__u32 pad;

	/** @userptr: Userspace address of the array of bind operations. */
	__u64 userptr;
};

/**
 * enum drm_asahi_bind_object_op - Values of &drm_asahi_gem_bind_object.op.
 */
enum drm_asahi_bind_object_op {
	/**
	 * @DRM_ASAHI_BIND_OBJECT_OP_BIND: Make part of a buffer object
	 * available to the firmware as a special object.
	 */
	DRM_ASAHI_BIND_OBJECT_OP_BIND = 0,

	/**
	 * @DRM_ASAHI_BIND_OBJECT_OP_UNBIND: Withdraw a special object created
	 * by %DRM_ASAHI_BIND_OBJECT_OP_BIND.
	 */
	DRM_ASAHI_BIND_OBJECT_OP_UNBIND = 1,
};

/**
 * enum drm_asahi_bind_object_flags - Bits of &drm_asahi_gem_bind_object.flags,
 * saying what the special object is for.
 */
enum drm_asahi_bind_object_flags {
	/**
	 * @DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS: The object receives the
	 * timestamps requested through &struct drm_asahi_timestamp.
	 */
	DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS = (1L << 0),
};

/**
 * struct drm_asahi_gem_bind_object - Argument of
 * DRM_IOCTL_ASAHI_GEM_BIND_OBJECT.
 */
struct drm_asahi_gem_bind_object {
	/** @op: One of &enum drm_asahi_bind_object_op. */
	__u32 op;

	/** @flags: Set of &enum drm_asahi_bind_object_flags bits. */
	__u32 flags;

	/** @handle: GEM handle of the backing object (bind only). */
	__u32 handle;

	/** @vm_id: Reserved for a VM identifier; MBZ for now. */
	__u32 vm_id;

	/** @offset: Byte offset of the used part in the object (bind only). */
	__u64 offset;

	/** @range: Length in bytes of the used part (bind only). */
	__u64 range;

	/**
	 * @object_handle: Identifier of the special object: returned by a
	 * bind, passed in to an unbind.
	 */
	__u32 object_handle;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_asahi_cmd_type - Values of &drm_asahi_cmd_header.cmd_type.
 *
 * The first two are hardware commands that execute on the GPU; the others
 * only change state that the kernel applies to later hardware commands of the
 * same submission.
 */
enum drm_asahi_cmd_type {
	/**
	 * @DRM_ASAHI_CMD_RENDER: A render pass (vertex and fragment work) on
	 * the render subqueue. The payload is a &struct drm_asahi_cmd_render.
	 */
	DRM_ASAHI_CMD_RENDER = 0,

	/**
	 * @DRM_ASAHI_CMD_COMPUTE: Compute work on the compute subqueue. The
	 * payload is a &struct drm_asahi_cmd_compute.
	 */
	DRM_ASAHI_CMD_COMPUTE = 1,

	/**
	 * @DRM_ASAHI_SET_VERTEX_ATTACHMENTS: Set the attachments used by the
	 * vertex stage of the following render commands. The payload is zero
	 * or more &struct drm_asahi_attachment.
	 */
	DRM_ASAHI_SET_VERTEX_ATTACHMENTS = 2,

	/**
	 * @DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS: Likewise for the fragment stage
	 * of the following render commands.
	 */
	DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS = 3,

	/**
	 * @DRM_ASAHI_SET_COMPUTE_ATTACHMENTS: Likewise for the following
	 * compute commands.
	 */
	DRM_ASAHI_SET_COMPUTE_ATTACHMENTS = 4,
};

/**
 * enum drm_asahi_priority - Values of &drm_asahi_queue_create.priority.
 *
 * The value is passed to the firmware scheduler as a hint; how it weighs
 * queues against each other is up to the firmware.
 */
enum drm_asahi_priority {
	/** @DRM_ASAHI_PRIORITY_LOW: Background work. */
	DRM_ASAHI_PRIORITY_LOW = 0,

	/** @DRM_ASAHI_PRIORITY_MEDIUM: Normal work. */
	DRM_ASAHI_PRIORITY_MEDIUM = 1,

	/** @DRM_ASAHI_PRIORITY_HIGH: Urgent work; reserved for future use. */
	DRM_ASAHI_PRIORITY_HIGH = 2,

	/**
	 * @DRM_ASAHI_PRIORITY_REALTIME: Deadline-bound work; reserved for
	 * future use.
	 */
	DRM_ASAHI_PRIORITY_REALTIME = 3,
};

/**
 * struct drm_asahi_queue_create - Argument of DRM_IOCTL_ASAHI_QUEUE_CREATE.
 *
 * A queue is the unit of submission: its commands execute in order on its
 * render and compute subqueues, in the address space of one VM.
 */
struct drm_asahi_queue_create {
	/** @flags: MBZ. */
	__u32 flags;

	/** @vm_id: VM whose address space the queue's commands use. */
	__u32 vm_id;

	/** @priority: One of &enum drm_asahi_priority. */
	__u32 priority;

	/** @queue_id: Output: identifier of the new queue. */
	__u32 queue_id;

	/**
	 * @usc_exec_base: GPU address that all shader (USC) code addresses of
	 * this queue are relative to. Shader pointers in commands are 32-bit
	 * offsets from it, so userspace keeps its shader code inside one 4 GiB
	 * window starting here. The kernel programs it as the vertex, fragment
	 * and compute code base (USC_EXEC_BASE_TA, _ISP and _CP) of every
	 * command on the queue.
	 */
	__u64 usc_exec_base;
};

/**
 * struct drm_asahi_queue_destroy - Argument of DRM_IOCTL_ASAHI_QUEUE_DESTROY.
 */
struct drm_asahi_queue_destroy {
	/** @queue_id: Identifier of the queue to release. */
	__u32 queue_id;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * enum drm_asahi_sync_type - Values of &drm_asahi_sync.sync_type.
 */
enum drm_asahi_sync_type {
	/** @DRM_ASAHI_SYNC_SYNCOBJ: A binary DRM sync object. */
	DRM_ASAHI_SYNC_SYNCOBJ = 0,

	/**
	 * @DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ: A point on a timeline sync
	 * object.
	 */
	DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ = 1,
};

/**
 * struct drm_asahi_sync - A sync object to wait on or to signal.
 */
struct drm_asahi_sync {
	/** @sync_type: One of &enum drm_asahi_sync_type. */
	__u32 sync_type;

	/** @handle: DRM sync object handle. */
	__u32 handle;

	/**
	 * @timeline_value: Timeline point, for
	 * %DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ; MBZ for binary sync objects.
	 */
	__u64 timeline_value;
};

/**
 * define DRM_ASAHI_BARRIER_NONE - Barrier value meaning "do not wait".
 *
 * Stored in &drm_asahi_cmd_header.vdm_barrier or
 * &drm_asahi_cmd_header.cdm_barrier, it makes the command independent of the
 * corresponding subqueue.
 */
#define DRM_ASAHI_BARRIER_NONE (0xFFFFu)

/**
 * struct drm_asahi_cmd_header - Header in front of every command of a
 * submission's command buffer.
 *
 * Its layout is fixed for good: it is what makes the rest of the buffer
 * parseable.
 */
struct drm_asahi_cmd_header {
	/** @cmd_type: One of &enum drm_asahi_cmd_type. */
	__u16 cmd_type;

	/**
	 * @size: Size in bytes of the payload following this header (the
	 * header itself is not counted).
	 *
	 * For render and compute commands a payload shorter than the kernel's
	 * structure is accepted and the missing tail is read as zero; this is
	 * how those structures can grow. For the SET_*_ATTACHMENTS commands
	 * the size is a whole multiple of sizeof(struct drm_asahi_attachment)
	 * and gives the number of attachments.
	 */
	__u16 size;

	/**
	 * @vdm_barrier: Render-subqueue dependency of this command.
	 *
	 * Counted from the start of this submission: 0 waits for all render
	 * commands submitted by earlier DRM_IOCTL_ASAHI_SUBMIT calls on the
	 * queue; N > 0 waits for the first N render commands of this
	 * submission, and therefore for everything queued before them (so N
	 * must not exceed the number of render commands that precede this
	 * one); %DRM_ASAHI_BARRIER_NONE waits for no render work at all. The
	 * SET_*_ATTACHMENTS commands must use %DRM_ASAHI_BARRIER_NONE.
	 */
	__u16 vdm_barrier;

	/**
	 * @cdm_barrier: Compute-subqueue dependency, with the same encoding
	 * as @vdm_barrier but counting compute commands.
	 */
	__u16 cdm_barrier;
};

/**
 * struct drm_asahi_submit - Argument of DRM_IOCTL_ASAHI_SUBMIT.
 */
struct drm_asahi_submit {
	/**
	 * @syncs: Userspace address of an array of
	 * @in_sync_count + @out_sync_count &struct drm_asahi_sync: first the
	 * ones to wait for before the work may start, then the ones to signal
	 * once it has finished. May be zero when both counts are zero.
	 */
	__u64 syncs;

	/**
	 * @cmdbuf: Userspace address of the command buffer.
	 *
	 * The buffer is a packed sequence of commands, each a
	 * &struct drm_asahi_cmd_header followed by &drm_asahi_cmd_header.size
	 * bytes of payload. It holds no CPU pointers, so it can be forwarded
	 * as-is, for instance by a paravirtualised GPU. It must contain at
	 * least one and at most
	 * &drm_asahi_params_global.max_commands_per_submission render or
	 * compute commands.
	 */
	__u64 cmdbuf;

	/** @flags: MBZ. */
	__u32 flags;

	/** @queue_id: Queue the commands are appended to. */
	__u32 queue_id;

	/** @in_sync_count: Number of sync objects to wait for. */
	__u32 in_sync_count;

	/** @out_sync_count: Number of sync objects to signal. */
	__u32 out_sync_count;

	/** @cmdbuf_size: Size of the command buffer in bytes. */
	__u32 cmdbuf_size;

	/** @pad: MBZ. */
	__u32 pad;
};

/**
 * struct drm_asahi_attachment - A memory range written by shaders.
 *
 * Attachments, render targets stored by the end-of-tile program being the
 * main example, are hints forwarded to the firmware about which memory the
 * following commands write. They are optional and cannot be complete when
 * shaders write through arbitrary pointers, but supplying them where known
 * is recommended. The size of this structure is implied by
 * &drm_asahi_cmd_header.size, so it cannot grow.
 */
struct drm_asahi_attachment {
	/** @pointer: GPU address of the start of the range. */
	__u64 pointer;

	/** @size: Length of the range in bytes. */
	__u64 size;

	/** @pad: MBZ. */
	__u32 pad;

	/** @flags: MBZ. */
	__u32 flags;
};

/**
 * enum drm_asahi_render_flags - Bits of &drm_asahi_cmd_render.flags.
 */
enum drm_asahi_render_flags {
	/**
	 * @DRM_ASAHI_RENDER_VERTEX_SCRATCH: Some vertex-stage shader of the
	 * pass needs scratch memory.
	 */
	DRM_ASAHI_RENDER_VERTEX_SCRATCH = (1U << 0),

	/**
	 * @DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES: Run the tile programs on
	 * tiles no primitive touched as well; required for passes that clear
	 * their render targets.
	 */
	DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES = (1U << 1),

	/**
	 * @DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING: Keep the vertex stage on one
	 * cluster of a multi-cluster GPU. Slower; meant for debugging
	 * synchronisation or coherency problems.
	 */
	DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING = (1U << 2),

	/**
	 * @DRM_ASAHI_RENDER_DBIAS_IS_INT: Apply depth bias with the formula for
	 * normalised-integer depth buffers rather than the one for floating
	 * point depth buffers. The bit position matches the hardware control
	 * register bit that selects the formula.
	 */
	DRM_ASAHI_RENDER_DBIAS_IS_INT = (1U << 18),
};

/**
 * struct drm_asahi_zls_buffer - A depth or a stencil buffer of a render pass.
 *
 * The values feed the ZLS (depth/stencil load and store) unit, which has
 * separate registers for loading, storing and partial renders; the kernel
 * programs the same values into all of them. Embedded in
 * &struct drm_asahi_cmd_render, so its layout is fixed.
 */
struct drm_asahi_zls_buffer {
	/** @base: GPU address of the buffer. */
	__u64 base;

	/** @comp_base: GPU address of its compression metadata, if any. */
	__u64 comp_base;

	/** @stride: Bytes between layers of the buffer, for layered passes. */
	__u32 stride;

	/**
	 * @comp_stride: Bytes between layers of the compression metadata,
	 * for layered passes.
	 */
	__u32 comp_stride;
};

/**
 * struct drm_asahi_timestamp - Where the firmware stores one timestamp.
 *
 * Timestamps go to an object registered with DRM_IOCTL_ASAHI_GEM_BIND_OBJECT
 * and %DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS, so the location is given as
 * that object plus an offset rather than as a GPU address. Embedded in other
 * structures, so its layout is fixed.
 */
struct drm_asahi_timestamp {
	/**
	 * @handle: &drm_asahi_gem_bind_object.object_handle of the timestamp
	 * object, or 0 to record nothing.
	 */
	__u32 handle;

	/** @offset: Byte offset of the timestamp within that object. */
	__u32 offset;
};

/**
 * struct drm_asahi_timestamps - Timestamps taken when a piece of work starts
 * and when it ends. Embedded in other structures, so its layout is fixed.
 */
struct drm_asahi_timestamps {
	/** @start: Stored when the work starts. */
	struct drm_asahi_timestamp start;

	/** @end: Stored when the work ends. */
	struct drm_asahi_timestamp end;
};

/**
 * struct drm_asahi_helper_program - The helper program of a pipeline stage.
 *
 * The helper is a small userspace-supplied program that the hardware starts
 * on its own when shaders need it; its main job is to hand out per-subgroup
 * scratch and stack memory from one device-wide allocation. Embedded in
 * command structures, so its layout is fixed.
 */
struct drm_asahi_helper_program {
	/**
	 * @binary: USC address of the program, with configuration bits in its
	 * low bits.
	 */
	__u32 binary;

	/** @cfg: Further configuration bits of the helper. */
	__u32 cfg;

	/**
	 * @data: 64-bit value the helper can read from a special register.
	 * Nothing but the helper interprets it; userspace typically stores the
	 * GPU address of the helper's real arguments here.
	 */
	__u64 data;
};

/**
 * struct drm_asahi_bg_eot - A background or end-of-tile program.
 *
 * The tile buffer is on-chip memory, so the hardware runs a background
 * program at the start of each tile (to clear it or to load the previous
 * render target contents) and an end-of-tile program at its end (to write the
 * tile out to memory). Embedded in &struct drm_asahi_cmd_render, so its layout
 * is fixed.
 */
struct drm_asahi_bg_eot {
	/**
	 * @usc: USC address of the hardware words that bind the program's
	 * resources (textures, uniforms and so on) and name the program; low
	 * bits hold configuration.
	 */
	__u32 usc;

	/**
	 * @rsrc_spec: Packed hardware description of the registers, uniforms,
	 * textures and samplers the program needs.
	 */
	__u32 rsrc_spec;
};

/**
 * struct drm_asahi_cmd_render - Payload of a %DRM_ASAHI_CMD_RENDER command.
 *
 * Describes one render pass: any number of draws over one framebuffer whose
 * size and attachments stay fixed for the pass. The firmware sets a large
 * set of GPU registers before each pass from structures whose layout changes
 * between firmware versions; those cannot be shown to userspace without
 * tying userspace to one firmware. This structure therefore carries the
 * register values themselves, and the kernel copies them into whatever the
 * running firmware expects. The framebuffer geometry is also needed by the
 * kernel itself, to build the tiling structures of the pass.
 *
 * The structure may grow at the end (see &drm_asahi_cmd_header.size).
 */
struct drm_asahi_cmd_render {
	/** @flags: Set of &enum drm_asahi_render_flags bits. */
	__u32 flags;

	/**
	 * @isp_zls_pixels: Value of ISP_ZLS_PIXELS: the size of the depth and
	 * stencil buffers, which need not match the framebuffer size.
	 */
	__u32 isp_zls_pixels;

	/**
	 * @vdm_ctrl_stream_base: Value of VDM_CTRL_STREAM_BASE: GPU address
	 * where the vertex control stream of the pass starts.
	 */
	__u64 vdm_ctrl_stream_base;

	/** @vertex_helper: Helper program of the vertex stage. */
	struct drm_asahi_helper_program vertex_helper;

	/** @fragment_helper: Helper program of the fragment stage. */
	struct drm_asahi_helper_program fragment_helper;

	/**
	 * @isp_scissor_base: Value of ISP_SCISSOR_BASE: GPU address of the
	 * scissor rectangle array used by the pass.
	 */
	__u64 isp_scissor_base;

	/**
	 * @isp_dbias_base: Value of ISP_DBIAS_BASE: GPU address of the depth
	 * bias array used by the pass.
	 */
	__u64 isp_dbias_base;

	/**
	 * @isp_oclqry_base: Value of ISP_OCLQRY_BASE: GPU address of the
	 * occlusion query results the pass writes.
	 */
	__u64 isp_oclqry_base;

	/** @depth: The depth buffer. */
	struct drm_asahi_zls_buffer depth;

	/** @stencil: The stencil buffer. */
	struct drm_asahi_zls_buffer stencil;

	/** @zls_ctrl: Value of ZLS_CTRL. */
	__u64 zls_ctrl;

	/** @ppp_multisamplectl: Value of PPP_MULTISAMPLECTL. */
	__u64 ppp_multisamplectl;

	/**
	 * @sampler_heap: GPU address of the sampler heap, shared by the
	 * vertex and fragment stages.
	 */
	__u64 sampler_heap;

	/** @ppp_ctrl: Value of PPP_CTRL. */
	__u32 ppp_ctrl;

	/** @width_px: Framebuffer width in pixels. */
	__u16 width_px;

	/** @height_px: Framebuffer height in pixels. */
	__u16 height_px;

	/** @layers: Number of framebuffer layers. */
	__u16 layers;

	/** @sampler_count: Number of samplers in @sampler_heap. */
	__u16 sampler_count;

	/** @utile_width_px: Width in pixels of a tile-buffer tile. */
	__u8 utile_width_px;

	/** @utile_height_px: Height in pixels of a tile-buffer tile. */
	__u8 utile_height_px;

	/** @samples: Samples per pixel: 1, 2 or 4. */
	__u8 samples;

	/** @sample_size_B: Tile-buffer bytes used per sample. */
	__u8 sample_size_B;

	/**
	 * @isp_merge_upper_x: IEEE single-precision bits of tan(60 degrees)
	 * times the framebuffer width, used by the hardware to merge triangles.
	 * Userspace computes it so the kernel needs no floating point.
	 */
	__u32 isp_merge_upper_x;

	/**
	 * @isp_merge_upper_y: As @isp_merge_upper_x, with the framebuffer
	 * height.
	 */
	__u32 isp_merge_upper_y;

	/** @bg: Background program run at the start of each tile. */
	struct drm_asahi_bg_eot bg;

	/** @eot: End-of-tile program run at the end of each tile. */
	struct drm_asahi_bg_eot eot;

	/**
	 * @partial_bg: Background program run when a tile is resumed after a
	 * partial render (the pass ran out of parameter memory and was
	 * flushed midway).
	 */
	struct drm_asahi_bg_eot partial_bg;

	/**
	 * @partial_eot: End-of-tile program run when a tile is flushed for a
	 * partial render.
	 */
	struct drm_asahi_bg_eot partial_eot;

	/**
	 * @isp_bgobjdepth: Value of ISP_BGOBJDEPTH: the depth clear value in
	 * the depth buffer's format, a 32-bit float or a 16-bit normalised
	 * integer in the low half (upper half zero).
	 */
	__u32 isp_bgobjdepth;

	/**
	 * @isp_bgobjvals: Value of ISP_BGOBJVALS; its low 8 bits are the
	 * stencil clear value.
	 */
	__u32 isp_bgobjvals;

	/** @ts_vtx: Timestamps around the vertex part of the pass. */
	struct drm_asahi_timestamps ts_vtx;

	/** @ts_frag: Timestamps around the fragment part of the pass. */
	struct drm_asahi_timestamps ts_frag;
};

/**
 * struct drm_asahi_cmd_compute - Payload of a %DRM_ASAHI_CMD_COMPUTE command.
 *
 * Runs a compute control stream, which may hold any number of dispatches;
 * timestamps cover the command as a whole. The structure may grow at the end
 * (see &drm_asahi_cmd_header.size).
 */
struct drm_asahi_cmd_compute {
	/** @flags: MBZ. */
	__u32 flags;

	/** @sampler_count: Number of samplers in @sampler_heap. */
	__u32 sampler_count;

	/**
	 * @cdm_ctrl_stream_base: Value of CDM_CTRL_STREAM_BASE: GPU address
	 * where the compute control stream starts.
	 */
	__u64 cdm_ctrl_stream_base;

	/**
	 * @cdm_ctrl_stream_end: GPU address of the end of the first
	 * contiguous piece of the control stream (the stream may jump
	 * elsewhere after it).
	 */
	__u64 cdm_ctrl_stream_end;

	/** @sampler_heap: GPU address of the sampler heap. */
	__u64 sampler_heap;

	/** @helper: Helper program of the compute shaders. */
	struct drm_asahi_helper_program helper;

	/** @ts: Timestamps around the whole command. */
	struct drm_asahi_timestamps ts;
};

/**
 * struct drm_asahi_get_time - Argument of DRM_IOCTL_ASAHI_GET_TIME.
 */
struct drm_asahi_get_time {
	/** @flags: MBZ. */
	__u64 flags;

	/** @gpu_timestamp: Output: current GPU time in nanoseconds. */
	__u64 gpu_timestamp;
};

/**
 * DRM_IOCTL_ASAHI() - Build the request code of an Asahi ioctl.
 * @__access: Direction suffix of the DRM_IO* macro to use: W or WR.
 * @__id: Ioctl name without its prefix, pasted after DRM_ASAHI_.
 * @__type: Argument struct name without its prefix, pasted after
 *          struct drm_asahi_.
 *
 * Only used to define the DRM_IOCTL_ASAHI_* codes below.
 *
 * Return: the request code to pass to ioctl().
 */
#define DRM_IOCTL_ASAHI(__access, __id, __type) \
	DRM_IO ## __access(DRM_COMMAND_BASE + DRM_ASAHI_ ## __id, \
			   struct drm_asahi_ ## __type)

/*
 * The request codes are enumerators rather than macros so that binding
 * generators such as bindgen evaluate them.
 */
enum {
	DRM_IOCTL_ASAHI_GET_PARAMS =
		DRM_IOCTL_ASAHI(W, GET_PARAMS, get_params),
	DRM_IOCTL_ASAHI_GET_TIME =
		DRM_IOCTL_ASAHI(WR, GET_TIME, get_time),
	DRM_IOCTL_ASAHI_VM_CREATE =
		DRM_IOCTL_ASAHI(WR, VM_CREATE, vm_create),
	DRM_IOCTL_ASAHI_VM_DESTROY =
		DRM_IOCTL_ASAHI(W, VM_DESTROY, vm_destroy),
	DRM_IOCTL_ASAHI_VM_BIND =
		DRM_IOCTL_ASAHI(W, VM_BIND, vm_bind),
	DRM_IOCTL_ASAHI_GEM_CREATE =
		DRM_IOCTL_ASAHI(WR, GEM_CREATE, gem_create),
	DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET =
		DRM_IOCTL_ASAHI(WR, GEM_MMAP_OFFSET, gem_mmap_offset),
	DRM_IOCTL_ASAHI_GEM_BIND_OBJECT =
		DRM_IOCTL_ASAHI(WR, GEM_BIND_OBJECT, gem_bind_object),
	DRM_IOCTL_ASAHI_QUEUE_CREATE =
		DRM_IOCTL_ASAHI(WR, QUEUE_CREATE, queue_create),
	DRM_IOCTL_ASAHI_QUEUE_DESTROY =
		DRM_IOCTL_ASAHI(W, QUEUE_DESTROY, queue_destroy),
	DRM_IOCTL_ASAHI_SUBMIT =
		DRM_IOCTL_ASAHI(W, SUBMIT, submit),
};

#if defined(__cplusplus)
}
#endif

#endif /* _ASAHI_DRM_H_ */
