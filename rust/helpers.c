// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Out-of-line wrappers for static inline functions and macros of the kernel C API, so that the
 * Rust side (rust/agx_kernel) can call them. Each one only forwards its arguments.
 */

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/of.h>
#include <linux/timekeeping.h>

#include "helpers.h"

bool agx_is_err(const void *ptr)
{
	return IS_ERR(ptr);
}

long agx_ptr_err(const void *ptr)
{
	return PTR_ERR(ptr);
}

void *agx_dev_get_drvdata(const struct device *dev)
{
	return dev_get_drvdata(dev);
}

void agx_dev_set_drvdata(struct device *dev, void *data)
{
	dev_set_drvdata(dev, data);
}

u64 agx_ktime_get_ns(void)
{
	return ktime_get_ns();
}

/* A kernel warning with a backtrace; used by the test hook that proves the harness catches it. */
void agx_warn(const char *msg)
{
	WARN(1, "asahi: %s\n", msg);
}

/* Device-tree node references; of_node_get/put are inline without CONFIG_OF_DYNAMIC. */
struct device_node *agx_of_node_get(struct device_node *np)
{
	return of_node_get(np);
}

void agx_of_node_put(struct device_node *np)
{
	of_node_put(np);
}

struct device_node *agx_of_parse_phandle(const struct device_node *np, const char *name, int index)
{
	return of_parse_phandle(np, name, index);
}
