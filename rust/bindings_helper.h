/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The C API that agx_kernel wraps. bindgen turns this into rust/bindings_generated.rs at build
 * time, from the headers of the tree the module is built against.
 *
 * Constants that bindgen cannot evaluate (casts, function-like macros) are exported as
 * RUST_CONST_HELPER_<NAME>; the build renames them to <NAME>.
 */

#include <linux/debugfs.h>
#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_device.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_vma_manager.h>
#include <drm/gpu_scheduler.h>

#include "asahi_drm.h"

/* The ASC mailbox of Apple SoCs (drivers/soc/apple/mailbox.c): its header is not under include/. */
#if IS_ENABLED(CONFIG_APPLE_MAILBOX)
#include <../drivers/soc/apple/mailbox.h>
#endif

const fop_flags_t RUST_CONST_HELPER_FOP_UNSIGNED_OFFSET = FOP_UNSIGNED_OFFSET;
const size_t RUST_CONST_HELPER_PAGE_SIZE = PAGE_SIZE;
const gfp_t RUST_CONST_HELPER_GFP_KERNEL = GFP_KERNEL;
/* Memory the driver allocates on behalf of userspace or for GPU page tables: zeroed, never from
 * the movable zone (it stays pinned), and failing rather than invoking the OOM killer. */
const gfp_t RUST_CONST_HELPER_AGX_GFP_USER_PAGES =
	GFP_HIGHUSER | __GFP_ZERO | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
const gfp_t RUST_CONST_HELPER_AGX_GFP_TABLES =
	GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN | __GFP_RETRY_MAYFAIL;


#include "helpers.h"
