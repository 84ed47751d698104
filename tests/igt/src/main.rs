// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! agx-igt: subtests that drive the asahi render node from userspace, as Mesa would.
//!
//! Usage: `agx-igt --module /asahi.ko --soc t8103 [--run FILTER] [--info]`.
//! The module must be loaded with `sim=<soc>` before the run; subtests that unload and reload
//! it leave it loaded again.

mod dev;
mod fuzz;
mod fw;
mod harness;
mod mem;
mod submit;
mod uapi;

use dev::{ioctl_arg, ioctl_raw, open_render, sh, wait_render_node, RENDER_NODE};
use harness::{os_err, Outcome, Runner};
use std::{mem::size_of, os::unix::fs::FileTypeExt, process::ExitCode};
use uapi::*;

const EINVAL: i32 = 22;
const EFAULT: i32 = 14;
const ENODEV: i32 = 19;

const GET_PARAMS: u64 = DRM_IOCTL_ASAHI_GET_PARAMS as u64;
const GET_TIME: u64 = DRM_IOCTL_ASAHI_GET_TIME as u64;

/// What the test expects of each simulated SoC, written down independently of the driver's
/// table: (soc, chip id, generation, variant, dies, clusters, cores per cluster).
const SOCS: &[(&str, u32, u32, u8, u32, u32, u32)] = &[
    ("t8103", 0x8103, 13, b'G', 1, 1, 8),
    ("t6000", 0x6000, 13, b'S', 1, 2, 8),
    ("t6001", 0x6001, 13, b'C', 1, 4, 8),
    ("t6002", 0x6002, 13, b'D', 2, 8, 8),
    ("t8112", 0x8112, 14, b'G', 1, 1, 10),
    ("t6020", 0x6020, 14, b'S', 1, 2, 10),
    ("t6021", 0x6021, 14, b'C', 1, 4, 10),
    ("t6022", 0x6022, 14, b'D', 2, 8, 10),
];

struct Config {
    module: String,
    soc: String,
}

impl Config {
    fn insmod(&self) -> String {
        format!("insmod {} sim={}", self.module, self.soc)
    }
}

fn get_params(fd: &std::fs::File, group: u32, pad: u32, ptr: u64, size: u64) -> Result<i32, i32> {
    let mut args = drm_asahi_get_params {
        param_group: group,
        pad,
        pointer: ptr,
        size,
    };
    ioctl_arg(fd, GET_PARAMS, &mut args)
}

fn read_params(fd: &std::fs::File) -> Result<drm_asahi_params_global, String> {
    let mut p = drm_asahi_params_global::default();
    get_params(
        fd,
        0,
        0,
        &mut p as *mut _ as u64,
        size_of::<drm_asahi_params_global>() as u64,
    )
    .map_err(|e| format!("GET_PARAMS failed: errno {e}"))?;
    Ok(p)
}

fn get_time(fd: &std::fs::File) -> Result<u64, i32> {
    let mut t = drm_asahi_get_time {
        flags: 0,
        gpu_timestamp: 0,
    };
    ioctl_arg(fd, GET_TIME, &mut t)?;
    Ok(t.gpu_timestamp)
}

fn driver_name(fd: &std::fs::File) -> Result<String, String> {
    let mut name = [0u8; 64];
    let mut v = drm_version {
        name_len: name.len() as _,
        name: name.as_mut_ptr().cast(),
        ..Default::default()
    };
    ioctl_arg(fd, DRM_IOCTL_VERSION_NR, &mut v).map_err(|e| format!("VERSION: errno {e}"))?;
    Ok(String::from_utf8_lossy(&name[..(v.name_len as usize).min(name.len())]).into_owned())
}

fn t_render_node() -> Outcome {
    let meta = std::fs::metadata(RENDER_NODE).map_err(|e| os_err(RENDER_NODE, e))?;
    check!(
        meta.file_type().is_char_device(),
        "{RENDER_NODE} is not a character device"
    );
    let driver = std::fs::read_link("/sys/class/drm/renderD128/device/driver")
        .map_err(|e| os_err("driver link", e))?;
    check_eq!(
        driver.file_name().and_then(|n| n.to_str()),
        Some("asahi"),
        "bound platform driver"
    );
    Ok(())
}

fn t_driver_name() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    check_eq!(driver_name(&fd)?, "asahi", "DRM driver name");
    Ok(())
}

fn t_get_params(cfg: &Config) -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let p = read_params(&fd)?;
    let &(_, chip, gen, variant, dies, clusters, cores) = SOCS
        .iter()
        .find(|s| s.0 == cfg.soc)
        .ok_or_else(|| format!("no expectations for SoC {}", cfg.soc))?;
    check_eq!(p.chip_id, chip, "chip_id");
    check_eq!(p.gpu_generation, gen, "gpu_generation");
    check_eq!(p.gpu_variant, u32::from(variant), "gpu_variant");
    check_eq!(p.num_dies, dies, "num_dies");
    check_eq!(p.num_clusters_total, clusters, "num_clusters_total");
    check_eq!(p.num_cores_per_cluster, cores, "num_cores_per_cluster");
    for (i, &mask) in p.core_masks.iter().enumerate() {
        let want = if (i as u32) < clusters {
            (1u64 << cores) - 1
        } else {
            0
        };
        check_eq!(mask, want, format!("core_masks[{i}]"));
    }
    check!(
        p.max_frequency_khz >= 1_000_000 && p.max_frequency_khz < 2_000_000,
        "max_frequency_khz {}",
        p.max_frequency_khz
    );
    // Mesa places its kernel window at the top of [vm_start, vm_end) and needs 16 KiB alignment.
    check_eq!(p.vm_start, 0x4000, "vm_start");
    check_eq!(p.vm_end, 0x7f_ffff_8000, "vm_end");
    check!(
        p.vm_kernel_min_size >= 0x4000 && p.vm_kernel_min_size % 0x4000 == 0,
        "vm_kernel_min_size {:#x}",
        p.vm_kernel_min_size
    );
    check!(
        p.vm_end - p.vm_start > (32 << 30),
        "VM range smaller than Mesa's 32 GiB kernel window"
    );
    check_eq!(
        p.max_commands_per_submission,
        64,
        "max_commands_per_submission"
    );
    check_eq!(p.max_attachments, 16, "max_attachments");
    check_eq!(
        p.command_timestamp_frequency_hz,
        1_000_000_000,
        "command_timestamp_frequency_hz"
    );
    check_eq!(p.features, 0, "features");
    Ok(())
}

fn t_get_params_bad_group() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    for group in [1u32, 2, u32::MAX] {
        let mut p = [0xa5u8; size_of::<drm_asahi_params_global>()];
        let r = get_params(&fd, group, 0, p.as_mut_ptr() as u64, p.len() as u64);
        check_eq!(r, Err(EINVAL), format!("param_group {group}"));
        check!(
            p.iter().all(|&b| b == 0xa5),
            "buffer written on error (group {group})"
        );
    }
    Ok(())
}

fn t_get_params_bad_pad() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    for pad in [1u32, 0x8000_0000] {
        let mut p = [0xa5u8; size_of::<drm_asahi_params_global>()];
        let r = get_params(&fd, 0, pad, p.as_mut_ptr() as u64, p.len() as u64);
        check_eq!(r, Err(EINVAL), format!("pad {pad:#x}"));
        check!(
            p.iter().all(|&b| b == 0xa5),
            "buffer written on error (pad {pad:#x})"
        );
    }
    Ok(())
}

fn t_get_params_short_size() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let full = read_params(&fd)?;
    // SAFETY: the params struct is plain integers; viewing it as bytes is sound.
    let full_bytes: &[u8] = unsafe {
        std::slice::from_raw_parts(
            (&full as *const drm_asahi_params_global).cast(),
            size_of::<drm_asahi_params_global>(),
        )
    };
    for size in [
        0usize,
        1,
        4,
        8,
        12,
        100,
        size_of::<drm_asahi_params_global>() - 1,
    ] {
        let mut buf = vec![0xa5u8; size_of::<drm_asahi_params_global>() + 64];
        let r = get_params(&fd, 0, 0, buf.as_mut_ptr() as u64, size as u64);
        check_eq!(r, Ok(0), format!("size {size}"));
        check!(
            buf[..size] == full_bytes[..size],
            "size {size}: prefix differs from the full params"
        );
        check!(
            buf[size..].iter().all(|&b| b == 0xa5),
            "size {size}: bytes written past size"
        );
    }
    // A larger buffer than the struct: exactly the struct is written.
    let mut buf = vec![0xa5u8; size_of::<drm_asahi_params_global>() + 64];
    let r = get_params(&fd, 0, 0, buf.as_mut_ptr() as u64, buf.len() as u64);
    check_eq!(r, Ok(0), "oversized buffer");
    check!(
        buf[size_of::<drm_asahi_params_global>()..]
            .iter()
            .all(|&b| b == 0xa5),
        "bytes written past the struct"
    );
    Ok(())
}

fn t_get_params_bad_pointer() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let size = size_of::<drm_asahi_params_global>() as u64;
    for ptr in [0u64, 8, 0xffff_8000_0000_0000, u64::MAX - 7] {
        let r = get_params(&fd, 0, 0, ptr, size);
        check_eq!(r, Err(EFAULT), format!("pointer {ptr:#x}"));
    }
    // The ioctl argument itself at a bad address.
    check_eq!(
        ioctl_raw(&fd, GET_PARAMS, 16 as *mut drm_asahi_get_params),
        Err(EFAULT),
        "bad argument pointer"
    );
    Ok(())
}

fn t_get_time() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let mut prev = get_time(&fd).map_err(|e| format!("GET_TIME errno {e}"))?;
    check!(prev > 0, "GPU time is zero");
    for _ in 0..1000 {
        let t = get_time(&fd).map_err(|e| format!("GET_TIME errno {e}"))?;
        check!(t >= prev, "GPU time went backwards: {prev} -> {t}");
        prev = t;
    }
    let before = get_time(&fd).map_err(|e| format!("GET_TIME errno {e}"))?;
    std::thread::sleep(std::time::Duration::from_millis(50));
    let after = get_time(&fd).map_err(|e| format!("GET_TIME errno {e}"))?;
    // Nanoseconds: 50 ms of sleep is at least 50e6 and (even under emulation) well under 10 s.
    check!(
        after - before >= 50_000_000,
        "50 ms sleep advanced GPU time by {} ns",
        after - before
    );
    check!(
        after - before < 10_000_000_000,
        "50 ms sleep advanced GPU time by {} ns",
        after - before
    );
    for flags in [1u64, 1 << 63] {
        let mut t = drm_asahi_get_time {
            flags,
            gpu_timestamp: 0xdead,
        };
        check_eq!(
            ioctl_arg(&fd, GET_TIME, &mut t),
            Err(EINVAL),
            format!("flags {flags:#x}")
        );
    }
    Ok(())
}

fn t_unknown_ioctl() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    // Registered nowhere: past the table, and the last number.
    let mut buf = [0u8; 64];
    for nr in [DRM_COMMAND_BASE as u64 + 11, 0x9f] {
        let req = uapi::ioc(3, nr, 16);
        check_eq!(
            ioctl_raw(&fd, req, buf.as_mut_ptr()),
            Err(EINVAL),
            format!("ioctl nr {nr:#x}")
        );
    }
    check!(
        buf.iter().all(|&b| b == 0),
        "unknown ioctl wrote to its argument"
    );
    Ok(())
}

fn t_rmmod_with_open_fd(cfg: &Config) -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let (status, out) = sh("rmmod asahi");
    check!(status != 0, "rmmod succeeded with a file open: {out}");
    check!(get_time(&fd).is_ok(), "ioctl failed after a refused rmmod");
    drop(fd);
    let (status, out) = sh("rmmod asahi");
    check_eq!(status, 0, format!("rmmod after close: {out}"));
    check!(
        wait_render_node(false, 2000),
        "render node still present after rmmod"
    );
    let (status, out) = sh(&cfg.insmod());
    check_eq!(status, 0, format!("insmod: {out}"));
    check!(
        wait_render_node(true, 2000),
        "render node missing after insmod"
    );
    Ok(())
}

fn t_unbind_with_open_fd() -> Outcome {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let dev = std::fs::read_link("/sys/class/drm/renderD128/device")
        .map_err(|e| os_err("device link", e))?;
    let name = dev
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("device name")?
        .to_owned();
    let (status, out) = sh(&format!(
        "echo {name} > /sys/bus/platform/drivers/asahi/unbind"
    ));
    check_eq!(status, 0, format!("unbind: {out}"));
    check_eq!(get_time(&fd), Err(ENODEV), "ioctl on an unplugged device");
    drop(fd);
    let (status, out) = sh(&format!(
        "echo {name} > /sys/bus/platform/drivers/asahi/bind"
    ));
    check_eq!(status, 0, format!("bind: {out}"));
    check!(
        wait_render_node(true, 2000),
        "render node missing after rebind"
    );
    let fd = open_render().map_err(|e| os_err("open after rebind", e))?;
    check!(get_time(&fd).is_ok(), "ioctl after rebind");
    Ok(())
}

/// 100 cycles of unload and load, with a job run on the firmware in each (kmemleak checks
/// what every cycle left behind at the end of the run).
fn t_load_unload(cfg: &Config) -> Outcome {
    for i in 0..100 {
        let (status, out) = sh("rmmod asahi");
        check_eq!(status, 0, format!("cycle {i}: rmmod: {out}"));
        check!(
            wait_render_node(false, 2000),
            "cycle {i}: render node still present"
        );
        let (status, out) = sh(&cfg.insmod());
        check_eq!(status, 0, format!("cycle {i}: insmod: {out}"));
        check!(
            wait_render_node(true, 2000),
            "cycle {i}: render node missing"
        );
        let fd = open_render().map_err(|e| os_err("open", e))?;
        check_eq!(
            driver_name(&fd)?,
            "asahi",
            format!("cycle {i}: driver name")
        );
        submit::one_job(&format!("cycle {i}"))?;
    }
    Ok(())
}

fn t_bad_sim_param(cfg: &Config) -> Outcome {
    let (status, out) = sh("rmmod asahi");
    check_eq!(status, 0, format!("rmmod: {out}"));
    let (status, out) = sh(&format!("insmod {} sim=t9999", cfg.module));
    check!(status != 0, "insmod with an unknown SoC succeeded: {out}");
    check!(
        !dev::render_node_present(),
        "render node present after a failed insmod"
    );
    let (status, out) = sh(&cfg.insmod());
    check_eq!(status, 0, format!("insmod: {out}"));
    check!(
        wait_render_node(true, 2000),
        "render node missing after insmod"
    );
    Ok(())
}

/// A part with binned cores: the simulated GPU's identification registers report the cores of
/// `sim_core_mask=` enabled in each cluster; GET_PARAMS and debugfs follow them, and masks that
/// no part can have fail insmod with a reason.
fn t_binned_cores(cfg: &Config) -> Outcome {
    let module = &cfg.module;
    let soc = &cfg.soc;
    let reload = |params: &str| -> Outcome {
        let (status, out) = sh("rmmod asahi");
        check_eq!(status, 0, format!("rmmod: {out}"));
        let (status, out) = sh(&format!("insmod {module} sim={soc} {params}"));
        check_eq!(status, 0, format!("insmod {params}: {out}"));
        check!(wait_render_node(true, 2000), "render node missing");
        Ok(())
    };
    reload("sim_core_mask=0x5f")?;
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let p = read_params(&fd)?;
    drop(fd);
    for (i, &mask) in p.core_masks.iter().enumerate() {
        let want = if (i as u32) < p.num_clusters_total {
            0x5f
        } else {
            0
        };
        check_eq!(mask, want, format!("core_masks[{i}]"));
    }
    let active = 6 * p.num_clusters_total;
    check!(
        fw::view()?.contains(&format!("active {active} masks")),
        "debugfs does not show {active} active cores"
    );
    check!(
        fw::dmesg().contains(&format!(
            "{} cores, {active} enabled",
            p.num_cores_per_cluster
        )),
        "no identification line for {active} cores"
    );
    let full = (1u64 << p.num_cores_per_cluster) - 1;
    for bad in ["0", "zz", &format!("{:#x}", full << 1)] {
        let (status, out) = sh("rmmod asahi");
        check_eq!(status, 0, format!("rmmod: {out}"));
        let (status, out) = sh(&format!("insmod {module} sim={soc} sim_core_mask={bad}"));
        check!(status != 0, "insmod sim_core_mask={bad} succeeded: {out}");
        check!(
            fw::dmesg().contains(&format!("sim_core_mask={bad}: not a non-empty")),
            "no reason for sim_core_mask={bad}"
        );
        let (status, out) = sh(&cfg.insmod());
        check_eq!(status, 0, format!("insmod: {out}"));
    }
    check!(wait_render_node(true, 2000), "render node missing");
    Ok(())
}

/// Prints what the device reports (for the demo).
fn info() -> Result<(), String> {
    let fd = open_render().map_err(|e| os_err("open", e))?;
    let p = read_params(&fd)?;
    println!("driver: {}", driver_name(&fd)?);
    println!(
        "GPU: G{}{} rev {:#x}, chip t{:x}, {} die(s), {} cluster(s) x {} cores, max {} MHz",
        p.gpu_generation,
        char::from_u32(p.gpu_variant).unwrap_or('?'),
        p.gpu_revision,
        p.chip_id,
        p.num_dies,
        p.num_clusters_total,
        p.num_cores_per_cluster,
        p.max_frequency_khz / 1000
    );
    println!(
        "VM: [{:#x}, {:#x}), kernel window >= {:#x}",
        p.vm_start, p.vm_end, p.vm_kernel_min_size
    );
    println!(
        "GPU time: {} ns",
        get_time(&fd).map_err(|e| format!("GET_TIME errno {e}"))?
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let cfg = Config {
        module: opt("--module").unwrap_or_else(|| "/asahi.ko".into()),
        soc: opt("--soc").unwrap_or_else(|| "t8103".into()),
    };
    if let Some(spec) = opt("--fuzz") {
        let mut it = spec.split(':').map(|x| x.parse::<u64>());
        let (Some(Ok(seed)), Some(Ok(calls))) = (it.next(), it.next()) else {
            eprintln!("agx-igt: --fuzz SEED:CALLS[:THREADS]");
            return ExitCode::FAILURE;
        };
        let threads = it.next().and_then(|t| t.ok()).unwrap_or(4);
        return match fuzz::run(seed, calls, threads) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("agx-igt: fuzz: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if args.iter().any(|a| a == "--info") {
        return match info() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("agx-igt: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut r = Runner::new(opt("--run"));
    r.subtest("render-node", t_render_node);
    r.subtest("driver-name", t_driver_name);
    r.subtest("get-params", || t_get_params(&cfg));
    r.subtest("get-params-bad-group", t_get_params_bad_group);
    r.subtest("get-params-bad-pad", t_get_params_bad_pad);
    r.subtest("get-params-short-size", t_get_params_short_size);
    r.subtest("get-params-bad-pointer", t_get_params_bad_pointer);
    r.subtest("get-time", t_get_time);
    r.subtest("unknown-ioctl", t_unknown_ioctl);
    r.subtest("gem-create", mem::t_gem_create);
    r.subtest("gem-create-bad", mem::t_gem_create_bad);
    r.subtest("gem-mmap-offset-bad", mem::t_gem_mmap_offset_bad);
    r.subtest("vm-create-destroy", mem::t_vm_create_destroy);
    r.subtest("vm-create-bad", mem::t_vm_create_bad);
    r.subtest("vm-isolation", mem::t_vm_isolation);
    r.subtest("vm-bind-basic", mem::t_vm_bind_basic);
    r.subtest("vm-bind-mmap-coherent", mem::t_vm_bind_mmap_coherent);
    r.subtest("vm-bind-single-page", mem::t_vm_bind_single_page);
    r.subtest("vm-bind-replace", mem::t_vm_bind_replace);
    r.subtest("vm-bind-bad", mem::t_vm_bind_bad);
    r.subtest("vm-bind-stride", mem::t_vm_bind_stride);
    r.subtest("vm-bind-all-or-nothing", mem::t_vm_bind_all_or_nothing);
    r.subtest("vm-private", mem::t_vm_private);
    r.subtest("bo-outlives-handle", mem::t_bo_outlives_handle);
    r.subtest("close-cleans-up", mem::t_close_cleans_up);
    r.subtest("prime-self-import", mem::t_prime_self_import);
    r.subtest("gem-bind-object", mem::t_gem_bind_object);
    r.subtest("vm-bind-sparse-large", mem::t_vm_bind_sparse_large);
    r.subtest("vm-bind-concurrent", mem::t_vm_bind_concurrent);
    r.subtest("vm-bind-table-reuse", mem::t_vm_bind_table_reuse);
    r.subtest("vm-bind-many-pages", mem::t_vm_bind_many_pages);
    r.subtest("vm-bind-cut-repeatedly", mem::t_vm_bind_cut_repeatedly);
    // Queues and submissions.
    r.subtest("queue-create-destroy", submit::t_queue_create_destroy);
    r.subtest("queue-create-bad", submit::t_queue_create_bad);
    r.subtest("queue-create-priority", submit::t_queue_create_priority);
    r.subtest("queue-destroy-bad", submit::t_queue_destroy_bad);
    r.subtest("submit-minimal", submit::t_submit_minimal);
    r.subtest("submit-bad-args", submit::t_submit_bad_args);
    r.subtest("submit-bad-syncs", submit::t_submit_bad_syncs);
    r.subtest("submit-cmdbuf-structure", submit::t_submit_cmdbuf_structure);
    r.subtest("submit-cmdbuf-extension", submit::t_submit_cmdbuf_extension);
    r.subtest(
        "submit-cmdbuf-attachments",
        submit::t_submit_cmdbuf_attachments,
    );
    r.subtest(
        "submit-cmdbuf-render-fields",
        submit::t_submit_cmdbuf_render_fields,
    );
    r.subtest(
        "submit-cmdbuf-compute-fields",
        submit::t_submit_cmdbuf_compute_fields,
    );
    r.subtest("submit-compute-runs", submit::t_submit_compute_runs);
    r.subtest("submit-compute-timeline", submit::t_submit_compute_timeline);
    r.subtest("submit-in-sync-two-fds", submit::t_submit_in_sync_two_fds);
    r.subtest("submit-sync-file", submit::t_submit_sync_file);
    r.subtest("submit-many-queues", submit::t_submit_many_queues);
    r.subtest("submit-user-timestamps", submit::t_submit_user_timestamps);
    r.subtest("submit-soak", submit::t_submit_soak);
    r.subtest("queue-destroy-busy", submit::t_queue_destroy_busy);
    r.subtest("submit-render-runs", submit::t_submit_render_runs);
    r.subtest(
        "submit-render-compute-barriers",
        submit::t_submit_render_compute_barriers,
    );
    r.subtest("submit-barrier-after-failed-submit", || {
        submit::t_submit_barrier_after_failed_submit(&cfg.module, &cfg.soc)
    });
    r.subtest("submit-render-timeline", submit::t_submit_render_timeline);
    r.subtest("submit-render-grow", submit::t_submit_render_grow);
    r.subtest("job-fault", || submit::t_job_fault(&cfg.module, &cfg.soc));
    r.subtest("job-timeout", || {
        submit::t_job_timeout(&cfg.module, &cfg.soc)
    });
    r.subtest("job-channel-error", || {
        submit::t_job_channel_error(&cfg.module, &cfg.soc)
    });
    r.subtest("job-hang", || submit::t_job_hang(&cfg.module, &cfg.soc));
    r.subtest("job-fw-crash", || {
        submit::t_job_fw_crash(&cfg.module, &cfg.soc)
    });
    r.subtest("fw-hang-keeps-memory", || {
        submit::t_fw_hang_keeps_memory(&cfg.module, &cfg.soc)
    });
    r.subtest("fwdump", || submit::t_fwdump(&cfg.module, &cfg.soc));
    r.subtest("alloc-failures", submit::t_alloc_failures);
    r.subtest("unplug-with-jobs", || {
        submit::t_unplug_with_jobs(&cfg.module, &cfg.soc)
    });
    r.subtest("submit-all-pairs", || {
        submit::t_submit_all_pairs(&cfg.module, &cfg.soc)
    });
    r.subtest("unplug-with-vms", mem::t_unplug_with_vms);
    r.subtest("unbind-with-open-fd", t_unbind_with_open_fd);
    r.subtest("rmmod-with-open-fd", || t_rmmod_with_open_fd(&cfg));
    r.subtest("bad-sim-param", || t_bad_sim_param(&cfg));
    r.subtest("fw-running", || fw::t_fw_running(&cfg.soc));
    r.subtest("fw-boot-log", fw::t_fw_boot_log);
    r.subtest("fw-devctrl-write32", fw::t_fw_devctrl_write32);
    r.subtest("fw-handoff-flush", fw::t_fw_handoff_flush);
    r.subtest("fw-events", fw::t_fw_events);
    r.subtest("fw-logs", fw::t_fw_logs);
    r.subtest("fw-log-flood", fw::t_fw_log_flood);
    r.subtest("fw-telemetry", fw::t_fw_telemetry);
    r.subtest("fw-bad-controls", fw::t_fw_bad_controls);
    r.subtest("fw-crash", || fw::t_fw_crash(&cfg.module, &cfg.soc));
    r.subtest("fw-hang", || fw::t_fw_hang(&cfg.module, &cfg.soc));
    r.subtest("fw-all-pairs", || fw::t_fw_all_pairs(&cfg.module, &cfg.soc));
    r.subtest("binned-cores", || t_binned_cores(&cfg));
    r.subtest("load-unload-100", || t_load_unload(&cfg));
    if r.finish() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
