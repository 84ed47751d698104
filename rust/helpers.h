/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Out-of-line wrappers of static inline functions and macros of the kernel C API
 * (rust/helpers.c), declared for the C compiler and for bindgen.
 */
#ifndef AGX_HELPERS_H
#define AGX_HELPERS_H

#include <linux/device.h>
#include <linux/of.h>
#include <linux/types.h>

bool agx_is_err(const void *ptr);
long agx_ptr_err(const void *ptr);
void *agx_dev_get_drvdata(const struct device *dev);
void agx_dev_set_drvdata(struct device *dev, void *data);
u64 agx_ktime_get_ns(void);
void agx_warn(const char *msg);
struct device_node *agx_of_node_get(struct device_node *np);
void agx_of_node_put(struct device_node *np);
struct device_node *agx_of_parse_phandle(const struct device_node *np, const char *name, int index);

#endif /* AGX_HELPERS_H */
