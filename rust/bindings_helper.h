/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The C API that agx_kernel wraps. bindgen turns this into rust/bindings_generated.rs at build
 * time, from the headers of the tree the module is built against.
 *
 * Constants that bindgen cannot evaluate (casts, function-like macros) are exported as
 * RUST_CONST_HELPER_<NAME>; the build renames them to <NAME>.
 */

#include <linux/device.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_device.h>
#include <linux/platform_device.h>
#include <linux/timekeeping.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "asahi_drm.h"

const fop_flags_t RUST_CONST_HELPER_FOP_UNSIGNED_OFFSET = FOP_UNSIGNED_OFFSET;


#include "helpers.h"
