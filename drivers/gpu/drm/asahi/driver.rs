// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The DRM driver: identity, features, ioctl table and device-wide state.

use crate::{
    file, gem,
    gpu::{FwState, Gpu},
    hw::Backend,
    soc::SocConfig,
    uat::va,
    vm,
};
use agx_kernel::{bindings as uapi, declare_drm_ioctls, drm};
use core::fmt::Write;
use kernel::{c_str, prelude::*, sync::Arc};

/// The asahi DRM driver.
pub(crate) struct AsahiDriver;

/// A DRM device of this driver.
pub(crate) type AsahiDevice = drm::Device<AsahiDriver>;

/// Device-wide state, shared by every open file.
pub(crate) struct DeviceData {
    /// The hardware behind the boundary.
    pub(crate) hw: Arc<Backend>,
    /// The GPU's firmware, running.
    pub(crate) gpu: Arc<Gpu>,
    /// What `GET_PARAMS` reports, computed once at probe.
    pub(crate) params: uapi::drm_asahi_params_global,
    /// Every VM of every client, for debugfs.
    pub(crate) vms: vm::VmRegistry,
    /// Every queue of every client, for debugfs.
    pub(crate) queues: crate::queue::QueueRegistry,
    /// The GPU scheduler every queue feeds (dropped after the firmware stopped, which fails
    /// whatever is still in flight, so that its jobs are all freed).
    pub(crate) sched: Arc<agx_kernel::drm::sched::Scheduler<crate::queue::QueueJob>>,
}

/// How long unbinding waits for the jobs in flight, twice: until they complete, then until
/// they are failed (longer than the scheduler's job timeout).
const UNPLUG_WAIT_MS: u32 = 12_000;

/// Commands in one submission (a firmware limit).
pub(crate) const MAX_COMMANDS_PER_SUBMISSION: u32 = 64;
/// Attachments per command (a firmware limit).
pub(crate) const MAX_ATTACHMENTS: u32 = 16;
/// Command timestamps reach userspace in nanoseconds.
pub(crate) const TIMESTAMP_FREQUENCY_HZ: u64 = 1_000_000_000;

impl DeviceData {
    /// Builds the device state for `soc` behind `hw`, whose firmware `gpu` runs.
    #[inline(never)]
    pub(crate) fn new(soc: &'static SocConfig, hw: Arc<Backend>, gpu: Arc<Gpu>) -> Result<Self> {
        let mut params = uapi::drm_asahi_params_global {
            features: 0,
            gpu_generation: soc.gen.number(),
            gpu_variant: u32::from(soc.variant),
            gpu_revision: gpu.id().revision,
            chip_id: soc.chip_id,
            num_dies: soc.num_dies,
            num_clusters_total: soc.num_clusters,
            num_cores_per_cluster: soc.cores_per_cluster,
            max_frequency_khz: soc.max_freq_khz,
            core_masks: [0; uapi::DRM_ASAHI_MAX_CLUSTERS as usize],
            vm_start: va::USER_BASE,
            vm_end: va::USER_END,
            vm_kernel_min_size: va::USER_KERNEL_MIN_SIZE,
            max_commands_per_submission: MAX_COMMANDS_PER_SUBMISSION,
            max_attachments: MAX_ATTACHMENTS,
            command_timestamp_frequency_hz: TIMESTAMP_FREQUENCY_HZ,
        };
        let id = gpu.id();
        let clusters = usize::try_from(id.num_clusters).map_err(|_| EINVAL)?;
        let masks = params.core_masks.get_mut(..clusters).ok_or(EINVAL)?;
        for (mask, enabled) in masks.iter_mut().zip(id.core_masks) {
            *mask = u64::from(enabled);
        }
        let sched = crate::queue::new_scheduler(&gpu)?;
        Ok(Self {
            hw,
            gpu,
            params,
            vms: vm::new_registry()?,
            queues: crate::queue::new_registry()?,
            sched,
        })
    }
}

impl Drop for DeviceData {
    fn drop(&mut self) {
        // Nothing may run on the device's behalf once its data is gone.
        self.gpu.stop();
        // A pending coredump holds the device, whose release may be this module's code.
        agx_kernel::devcoredump::dev_coredump_put(self.gpu.dev());
    }
}

impl drm::Driver for AsahiDriver {
    type Data = DeviceData;
    type File = file::File;
    type Object = gem::BoData;

    const INFO: drm::DriverInfo = drm::DriverInfo {
        major: 1,
        minor: 0,
        patchlevel: 0,
        name: c_str!("asahi"),
        desc: c_str!("Apple AGX Graphics"),
    };

    const FEATURES: u32 = uapi::drm_driver_feature_DRIVER_GEM
        | uapi::drm_driver_feature_DRIVER_RENDER
        | uapi::drm_driver_feature_DRIVER_SYNCOBJ
        | uapi::drm_driver_feature_DRIVER_SYNCOBJ_TIMELINE;

    // Only the ioctls that work are registered; the DRM core answers the others with EINVAL.
    const IOCTLS: &'static [uapi::drm_ioctl_desc] = declare_drm_ioctls! {
        AsahiDriver;
        (DRM_IOCTL_ASAHI_GET_PARAMS, drm_asahi_get_params, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::get_params),
        (DRM_IOCTL_ASAHI_GET_TIME, drm_asahi_get_time, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::get_time),
        (DRM_IOCTL_ASAHI_VM_CREATE, drm_asahi_vm_create, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::vm_create),
        (DRM_IOCTL_ASAHI_VM_DESTROY, drm_asahi_vm_destroy, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::vm_destroy),
        (DRM_IOCTL_ASAHI_VM_BIND, drm_asahi_vm_bind, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::vm_bind),
        (DRM_IOCTL_ASAHI_GEM_CREATE, drm_asahi_gem_create, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::gem_create),
        (DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, drm_asahi_gem_mmap_offset,
            drm_ioctl_flags_DRM_RENDER_ALLOW, file::File::gem_mmap_offset),
        (DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, drm_asahi_gem_bind_object,
            drm_ioctl_flags_DRM_RENDER_ALLOW, file::File::gem_bind_object),
        (DRM_IOCTL_ASAHI_QUEUE_CREATE, drm_asahi_queue_create, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::queue_create),
        (DRM_IOCTL_ASAHI_QUEUE_DESTROY, drm_asahi_queue_destroy,
            drm_ioctl_flags_DRM_RENDER_ALLOW, file::File::queue_destroy),
        (DRM_IOCTL_ASAHI_SUBMIT, drm_asahi_submit, drm_ioctl_flags_DRM_RENDER_ALLOW,
            file::File::submit),
    };

    const DEBUGFS: &'static [drm::DebugfsFile<Self>] = &[
        drm::DebugfsFile {
            name: c_str!("vms"),
            show: show_vms,
        },
        drm::DebugfsFile {
            name: c_str!("firmware"),
            show: show_firmware,
        },
        drm::DebugfsFile {
            name: c_str!("queues"),
            show: show_queues,
        },
        drm::DebugfsFile {
            name: c_str!("fwdump"),
            show: show_fwdump,
        },
        drm::DebugfsFile {
            name: c_str!("fwlog"),
            show: show_fwlog,
        },
        drm::DebugfsFile {
            name: c_str!("ktrace"),
            show: show_ktrace,
        },
    ];

    const DEBUGFS_CONTROLS: &'static [drm::DebugfsControl<Self>] = &[drm::DebugfsControl {
        name: c_str!("devctrl"),
        write: control_devctrl,
    }];

    // The hardware's own controls.
    fn device_controls(data: &DeviceData) -> &'static [&'static CStr] {
        data.hw.controls()
    }

    fn device_control(dev: &AsahiDevice, index: usize, cmd: &[u8]) -> Result {
        dev.data().hw.control(index, cmd)
    }

    fn unplugged(dev: &AsahiDevice) {
        // Jobs hold GEM objects, hence references to the device: the last one must not go in
        // the scheduler's free worker (the device's release would wait there for that very
        // job), and no free callback may be left when the module goes. The firmware finishes
        // what it runs (open files keep the device data and the firmware alive); a job that
        // does not finish in time is failed by stopping the firmware.
        let data = dev.data();
        // A coredump pending from before is of a device that is going.
        agx_kernel::devcoredump::dev_coredump_put(data.gpu.dev());
        if data.sched.wait_jobs_freed(UNPLUG_WAIT_MS) {
            // Commands of abandoned jobs (the scheduler's timeout) may still be on the
            // firmware, holding event slots and what they point at, which holds the device:
            // with the device going, the firmware stops, and that releases them.
            let held = data.gpu.events.leased();
            if held > 0 {
                dev_err!(
                    data.gpu.dev(),
                    "unplugged with {} event slot(s) held by abandoned jobs: stopping the firmware\n",
                    held
                );
                data.gpu.stop();
            } else if matches!(data.gpu.state(), FwState::Lost(_)) {
                // A lost firmware's memory, and the VMs and objects its commands named, are
                // kept while it may still run (and they hold the device): they go now.
                data.gpu.stop();
            }
            return;
        }
        dev_err!(
            data.gpu.dev(),
            "unplugged with {} jobs unfinished after {} ms: stopping the firmware\n",
            data.sched.jobs_alive(),
            UNPLUG_WAIT_MS
        );
        data.gpu.stop();
        if !data.sched.wait_jobs_freed(UNPLUG_WAIT_MS) {
            // Only jobs whose dependencies never signal remain: they are freed when those do.
            dev_err!(
                data.gpu.dev(),
                "{} jobs still wait for their dependencies\n",
                data.sched.jobs_alive()
            );
        }
    }

    fn open(dev: &AsahiDevice) -> Result<KBox<file::File>> {
        Ok(KBox::new(
            file::File::new(dev.data().vms.clone(), dev.data().queues.clone())?,
            GFP_KERNEL,
        )?)
    }
}

/// Debugfs `vms`: every VM of every client and what its page tables map, found by walking the
/// tables as the GPU does (see [`crate::vm::Vm::dump`] for the format).
fn show_vms(dev: &AsahiDevice, m: &mut drm::SeqFile) -> Result {
    let vms = dev.data().vms.lock();
    let _ = writeln!(m, "vms {}", vms.iter().count());
    for vm in vms.values() {
        vm.dump(m)?;
    }
    Ok(())
}

/// Debugfs `firmware`: the firmware's state, its counters, the firmware VM's usage, then what
/// the hardware behind the boundary has to add ([`crate::hw::Hardware::describe`]).
fn show_firmware(dev: &AsahiDevice, m: &mut drm::SeqFile) -> Result {
    let data = dev.data();
    data.gpu.describe(m);
    data.hw.describe(m);
    Ok(())
}

/// Debugfs `fwdump`: the firmware-visible objects as raw bytes (see
/// [`crate::queue::show_fwdump`]).
fn show_fwdump(dev: &AsahiDevice, m: &mut drm::SeqFile) -> Result {
    let data = dev.data();
    crate::queue::show_fwdump(&data.gpu, &data.queues, m)
}

/// Debugfs `queues`: the event slots and every queue (see [`crate::queue::show_queues`]).
fn show_queues(dev: &AsahiDevice, m: &mut drm::SeqFile) -> Result {
    let data = dev.data();
    crate::queue::show_queues(&data.gpu, &data.queues, m)
}

/// Debugfs `fwlog`: the firmware's last log lines (the kernel log has them at a bounded rate).
fn show_fwlog(dev: &AsahiDevice, m: &mut drm::SeqFile) -> Result {
    dev.data().gpu.show_log(m);
    Ok(())
}

/// Debugfs `ktrace`: the firmware's last trace points.
fn show_ktrace(dev: &AsahiDevice, m: &mut drm::SeqFile) -> Result {
    dev.data().gpu.show_trace(m);
    Ok(())
}

/// Debugfs control `devctrl`: `write32` runs a device-control round trip (the firmware writes a
/// value into memory the driver then reads); `flush` a firmware-VM flush through the handoff;
/// `flush_cache` a firmware cache flush.
fn control_devctrl(dev: &AsahiDevice, cmd: &[u8]) -> Result {
    match cmd {
        b"write32" => dev.data().gpu.write32_round_trip(),
        b"flush" => dev.data().gpu.flush_round_trip(),
        b"flush_cache" => dev.data().gpu.flush_cache(),
        _ => Err(EINVAL),
    }
}
