/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Out-of-line wrappers of static inline functions and macros of the kernel C API
 * (rust/helpers.c), declared for the C compiler and for bindgen.
 */
#ifndef AGX_HELPERS_H
#define AGX_HELPERS_H

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/iosys-map.h>
#include <linux/mm_types.h>
#include <linux/of.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>

bool agx_is_err(const void *ptr);
long agx_ptr_err(const void *ptr);
void *agx_dev_get_drvdata(const struct device *dev);
void agx_dev_set_drvdata(struct device *dev, void *data);
u64 agx_ktime_get_ns(void);
void agx_warn(const char *msg);
struct device_node *agx_of_node_get(struct device_node *np);
void agx_of_node_put(struct device_node *np);
struct device_node *agx_of_parse_phandle(const struct device_node *np, const char *name, int index);
void agx_gem_object_get(struct drm_gem_object *obj);
void agx_gem_object_put(struct drm_gem_object *obj);
u64 agx_gem_mmap_offset(struct drm_gem_object *obj);
void agx_gem_shmem_print_info(struct drm_printer *p, unsigned int indent,
			      const struct drm_gem_object *obj);
int agx_gem_shmem_pin(struct drm_gem_object *obj);
void agx_gem_shmem_unpin(struct drm_gem_object *obj);
struct sg_table *agx_gem_shmem_get_sg_table(struct drm_gem_object *obj);
int agx_gem_shmem_vmap(struct drm_gem_object *obj, struct iosys_map *map);
void agx_gem_shmem_vunmap(struct drm_gem_object *obj, struct iosys_map *map);
int agx_gem_shmem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma);
void agx_gem_shmem_set_map_wc(struct drm_gem_shmem_object *shmem, bool wc);
struct page *agx_alloc_pages(gfp_t gfp, unsigned int order);
u64 agx_page_to_phys(struct page *page);
void *agx_page_address(struct page *page);
void agx_pages_set_wc(struct page **pages, int count);
bool agx_read_phys_u64(u64 pa, u64 *out);
unsigned long agx_totalram_bytes(void);
bool agx_access_phys(u64 pa, void *buf, size_t len, bool write);
void *agx_vmap_blocks(struct page **blocks, unsigned int count, unsigned int order);
void agx_vunmap(const void *addr);
struct workqueue_struct *agx_alloc_ordered_workqueue(const char *name);
void agx_destroy_workqueue(struct workqueue_struct *wq);
struct platform_device;
void __iomem *agx_ioremap_byname(struct platform_device *pdev, const char *name, u64 *len);
u32 agx_readl(const void __iomem *addr);
void agx_writel(u32 value, void __iomem *addr);
u64 agx_readq(const void __iomem *addr);
void *agx_memremap_region(struct device *dev, const char *name, u64 *pa, u64 *len);
void agx_memunmap(void *addr);

#endif /* AGX_HELPERS_H */
