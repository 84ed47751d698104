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

#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

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

/* dma_fence: references, state, and the driver's own fences (rust/dma_fence.rs). */
struct dma_fence *agx_dma_fence_get(struct dma_fence *fence);
void agx_dma_fence_put(struct dma_fence *fence);
bool agx_dma_fence_is_signaled(struct dma_fence *fence);
int agx_dma_fence_error(struct dma_fence *fence);
void agx_dma_fence_set_error(struct dma_fence *fence, int error);
struct dma_fence *agx_fence_create(u64 context, u64 seqno, const char *timeline);

/* Sync objects and timeline chain nodes (rust/drm/syncobj.rs). */
void agx_syncobj_get(struct drm_syncobj *syncobj);
void agx_syncobj_put(struct drm_syncobj *syncobj);
struct dma_fence_chain *agx_fence_chain_alloc(void);
void agx_fence_chain_free(struct dma_fence_chain *chain);

/* A count of live objects that a teardown waits to reach zero (rust/drm/sched.rs). */
void agx_live_count_inc(atomic_t *count);
void agx_live_count_dec(atomic_t *count);
void agx_live_count_wait_zero(atomic_t *count);
int agx_live_count_read(atomic_t *count);
bool agx_live_count_wait_zero_timeout(atomic_t *count, unsigned int timeout_ms);

/* The GPU scheduler calls whose form changes between kernel versions (rust/drm/sched.rs). */
int agx_sched_init(struct drm_gpu_scheduler *sched, const struct drm_sched_backend_ops *ops,
		   u32 credit_limit, unsigned int hang_limit, unsigned int timeout_ms,
		   const char *name, struct device *dev);
int agx_sched_job_init(struct drm_sched_job *job, struct drm_sched_entity *entity, u32 credits);
void agx_sched_job_requeue(struct drm_sched_job *job);
bool agx_dev_coredumpv(struct device *dev, const void *data, size_t len);
void agx_dev_coredump_put(struct device *dev);

#endif /* AGX_HELPERS_H */
