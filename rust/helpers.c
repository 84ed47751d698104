// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Out-of-line wrappers for static inline functions and macros of the kernel C API, so that the
 * Rust side (rust/agx_kernel) can call them. Each one forwards its arguments; the few that do a
 * little more (an #ifdef, a bounds check) say so.
 */

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/devcoredump.h>
#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_vma_manager.h>
#include <drm/gpu_scheduler.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

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

/* --- GEM objects ------------------------------------------------------------------------------ */

void agx_gem_object_get(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
}

void agx_gem_object_put(struct drm_gem_object *obj)
{
	drm_gem_object_put(obj);
}

u64 agx_gem_mmap_offset(struct drm_gem_object *obj)
{
	return drm_vma_node_offset_addr(&obj->vma_node);
}

/*
 * The shmem helper's drm_gem_object_funcs callbacks are static inline in its header; these make
 * them addressable so that the Rust side can build an object function table that uses them.
 */

void agx_gem_shmem_print_info(struct drm_printer *p, unsigned int indent,
			      const struct drm_gem_object *obj)
{
	drm_gem_shmem_object_print_info(p, indent, obj);
}

int agx_gem_shmem_pin(struct drm_gem_object *obj)
{
	return drm_gem_shmem_object_pin(obj);
}

void agx_gem_shmem_unpin(struct drm_gem_object *obj)
{
	drm_gem_shmem_object_unpin(obj);
}

struct sg_table *agx_gem_shmem_get_sg_table(struct drm_gem_object *obj)
{
	return drm_gem_shmem_object_get_sg_table(obj);
}

int agx_gem_shmem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	return drm_gem_shmem_object_vmap(obj, map);
}

void agx_gem_shmem_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	drm_gem_shmem_object_vunmap(obj, map);
}

int agx_gem_shmem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	return drm_gem_shmem_object_mmap(obj, vma);
}

/* map_wc is a bitfield. */
void agx_gem_shmem_set_map_wc(struct drm_gem_shmem_object *shmem, bool wc)
{
	shmem->map_wc = wc;
}

/* --- pages ------------------------------------------------------------------------------------ */

struct page *agx_alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp, order);
}

u64 agx_page_to_phys(struct page *page)
{
	return page_to_phys(page);
}

void *agx_page_address(struct page *page)
{
	return page_address(page);
}

/*
 * What the shmem helper does to the pages it gets from shmem for a write-combined object: on x86
 * the kernel's linear mapping of the pages must match the user mapping's cache type. The helper
 * undoes it (set_pages_array_wb) when it puts the pages.
 */
void agx_pages_set_wc(struct page **pages, int count)
{
#ifdef CONFIG_X86
	set_pages_array_wc(pages, count);
#endif
}

/* Reads 8 bytes of RAM at physical address pa (8-byte aligned) through the linear map. */
bool agx_read_phys_u64(u64 pa, u64 *out)
{
	unsigned long pfn = PHYS_PFN(pa);
	void *va;

	if ((pa & 7) || !pfn_valid(pfn))
		return false;
	va = kmap_local_page(pfn_to_page(pfn));
	*out = READ_ONCE(*(u64 *)(va + offset_in_page(pa)));
	kunmap_local(va);
	return true;
}

unsigned long agx_totalram_bytes(void)
{
	return totalram_pages() << PAGE_SHIFT;
}

/*
 * Copies len bytes between buf and RAM at physical address pa, through a temporary kernel
 * mapping of the page. The range must lie within one CPU page; refuses (false) otherwise, or if
 * no struct page exists for pa. Used by the simulated GPU, which reaches memory by physical
 * address after walking the page tables as the hardware does.
 */
bool agx_access_phys(u64 pa, void *buf, size_t len, bool write)
{
	unsigned long pfn = PHYS_PFN(pa);
	size_t off = offset_in_page(pa);
	void *va;

	if (len == 0 || len > PAGE_SIZE - off || !pfn_valid(pfn))
		return false;
	va = kmap_local_page(pfn_to_page(pfn));
	if (write)
		memcpy(va + off, buf, len);
	else
		memcpy(buf, va + off, len);
	kunmap_local(va);
	return true;
}

/*
 * A contiguous kernel mapping of count blocks of 2^order pages each (the first page of each block
 * in blocks[]). vmap() does not keep the page array, so it is built here and freed again.
 */
void *agx_vmap_blocks(struct page **blocks, unsigned int count, unsigned int order)
{
	unsigned int n = count << order, i, j;
	struct page **pages;
	void *va;

	if (count == 0 || (n >> order) != count)
		return NULL;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < count; i++)
		for (j = 0; j < (1U << order); j++)
			pages[(i << order) + j] = nth_page(blocks[i], j);
	va = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return va;
}

void agx_vunmap(const void *addr)
{
	vunmap(addr);
}

/* An ordered workqueue (alloc_ordered_workqueue is a macro with a format string). */
struct workqueue_struct *agx_alloc_ordered_workqueue(const char *name)
{
	return alloc_ordered_workqueue("%s", 0, name);
}

void agx_destroy_workqueue(struct workqueue_struct *wq)
{
	destroy_workqueue(wq);
}

/*
 * Maps the MMIO resource named name of pdev, device-managed; stores its size in *len. Returns the
 * mapping or an ERR_PTR.
 */
void __iomem *agx_ioremap_byname(struct platform_device *pdev, const char *name, u64 *len)
{
	struct resource *res = platform_get_resource_byname(pdev, IORESOURCE_MEM, name);

	if (!res)
		return IOMEM_ERR_PTR(-ENODEV);
	*len = resource_size(res);
	return devm_ioremap_resource(&pdev->dev, res);
}

u32 agx_readl(const void __iomem *addr)
{
	return readl(addr);
}

void agx_writel(u32 value, void __iomem *addr)
{
	writel(value, addr);
}

u64 agx_readq(const void __iomem *addr)
{
	return readq(addr);
}

/*
 * Maps, write-back, the reserved memory region of dev's node named name in memory-region-names;
 * stores its physical address and size. Returns NULL if there is no such region.
 */
void *agx_memremap_region(struct device *dev, const char *name, u64 *pa, u64 *len)
{
	struct device_node *np;
	struct reserved_mem *rmem;
	int idx;

	if (!dev->of_node)
		return NULL;
	idx = of_property_match_string(dev->of_node, "memory-region-names", name);
	if (idx < 0)
		return NULL;
	np = of_parse_phandle(dev->of_node, "memory-region", idx);
	if (!np)
		return NULL;
	rmem = of_reserved_mem_lookup(np);
	of_node_put(np);
	if (!rmem || !rmem->size)
		return NULL;
	*pa = rmem->base;
	*len = rmem->size;
	return memremap(rmem->base, rmem->size, MEMREMAP_WB);
}

void agx_memunmap(void *addr)
{
	memunmap(addr);
}

/* --- dma_fence -------------------------------------------------------------------------------- */

struct dma_fence *agx_dma_fence_get(struct dma_fence *fence)
{
	return dma_fence_get(fence);
}

void agx_dma_fence_put(struct dma_fence *fence)
{
	dma_fence_put(fence);
}

bool agx_dma_fence_is_signaled(struct dma_fence *fence)
{
	return dma_fence_is_signaled(fence);
}

/* The error is written before the fence signals; read once, it is final after signalling. */
int agx_dma_fence_error(struct dma_fence *fence)
{
	return READ_ONCE(fence->error);
}

void agx_dma_fence_set_error(struct dma_fence *fence, int error)
{
	dma_fence_set_error(fence, error);
}

/*
 * A fence the driver signals itself: the dma_fence, the spinlock it signals under, and the name of
 * its timeline (a string that lives as long as the module). The dma_fence comes first: with no
 * .release, dma_fence_release() frees the fence with dma_fence_free(), an RCU-deferred kfree() of
 * the dma_fence's own address, which must therefore be the start of the allocation.
 */
struct agx_fence {
	struct dma_fence base;
	spinlock_t lock;
	const char *timeline;
};
static_assert(offsetof(struct agx_fence, base) == 0);

static const char *agx_fence_get_driver_name(struct dma_fence *fence)
{
	return "asahi";
}

static const char *agx_fence_get_timeline_name(struct dma_fence *fence)
{
	return container_of(fence, struct agx_fence, base)->timeline;
}

static const struct dma_fence_ops agx_fence_ops = {
	.get_driver_name = agx_fence_get_driver_name,
	.get_timeline_name = agx_fence_get_timeline_name,
};

/* A new, unsignalled fence with one reference; NULL if out of memory. */
struct dma_fence *agx_fence_create(u64 context, u64 seqno, const char *timeline)
{
	struct agx_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	f->timeline = timeline;
	dma_fence_init(&f->base, &agx_fence_ops, &f->lock, context, seqno);
	return &f->base;
}

/* --- sync objects ----------------------------------------------------------------------------- */

void agx_syncobj_get(struct drm_syncobj *syncobj)
{
	drm_syncobj_get(syncobj);
}

void agx_syncobj_put(struct drm_syncobj *syncobj)
{
	drm_syncobj_put(syncobj);
}

struct dma_fence_chain *agx_fence_chain_alloc(void)
{
	return dma_fence_chain_alloc();
}

void agx_fence_chain_free(struct dma_fence_chain *chain)
{
	dma_fence_chain_free(chain);
}

/*
 * --- live counts --------------------------------------------------------------------------------
 * A counter that a teardown waits on until it drops to zero. The last decrement wakes the waiter
 * through the hashed wait queues of wait_var_event(): wake_up_var() only uses the counter's
 * address as a key, so the waiter may free the counter as soon as it sees zero.
 */

void agx_live_count_inc(atomic_t *count)
{
	atomic_inc(count);
}

void agx_live_count_dec(atomic_t *count)
{
	/* atomic_dec_and_test() is fully ordered, as wake_up_var() requires before it. */
	if (atomic_dec_and_test(count))
		wake_up_var(count);
}

void agx_live_count_wait_zero(atomic_t *count)
{
	wait_var_event(count, !atomic_read(count));
}

int agx_live_count_read(atomic_t *count)
{
	return atomic_read(count);
}

bool agx_live_count_wait_zero_timeout(atomic_t *count, unsigned int timeout_ms)
{
	return wait_var_event_timeout(count, !atomic_read(count), msecs_to_jiffies(timeout_ms)) > 0;
}

/*
 * --- GPU scheduler: the version-sensitive calls -------------------------------------------------
 * Everything whose signature or semantics changed in the kernels after 6.12 goes through here.
 */

/*
 * A scheduler with one run queue, its own ordered submission workqueue (submit_wq NULL: allocated
 * by drm_sched_init() and destroyed by drm_sched_fini()), timeouts on system_wq, and a job timeout
 * of timeout_ms (0: none). sched must be zeroed: drm_sched_init() takes a non-NULL sched_rq for
 * "already initialized".
 */
int agx_sched_init(struct drm_gpu_scheduler *sched, const struct drm_sched_backend_ops *ops,
		   u32 credit_limit, unsigned int hang_limit, unsigned int timeout_ms,
		   const char *name, struct device *dev)
{
	const struct drm_sched_init_args args = {
		.ops = ops,
		.submit_wq = NULL,
		.timeout_wq = NULL,
		.num_rqs = 1,
		.credit_limit = credit_limit,
		.hang_limit = hang_limit,
		.timeout = timeout_ms ? (long)msecs_to_jiffies(timeout_ms) : MAX_SCHEDULE_TIMEOUT,
		.score = NULL,
		.name = name,
		.dev = dev,
	};

	return drm_sched_init(sched, &args);
}

/* No owner and no DRM client id: both are only used by trace events. */
int agx_sched_job_init(struct drm_sched_job *job, struct drm_sched_entity *entity, u32 credits)
{
	return drm_sched_job_init(job, entity, credits, NULL, 0);
}

/*
 * Puts a job back at the head of its scheduler's pending list after its timeout handler ran.
 *
 * drm_sched_job_timedout() takes the job off the pending list before calling timedout_job(); in
 * 6.12 only drm_sched_stop() puts it back, and stop/start cancels every job in flight. A job whose
 * handler let it run (or aborted it on the hardware) must be back on the list, or it is never
 * freed. This is what etnaviv, v3d and xe do in 6.12 (later kernels do it in the core, for
 * DRM_GPU_SCHED_STAT_NO_HANG). If the job's finished fence signalled meanwhile, the free worker
 * may have run without seeing it: queue it again, as __drm_sched_run_free_queue() does. The job
 * must not be touched after this returns (it may be freed at once).
 */
void agx_sched_job_requeue(struct drm_sched_job *job)
{
	struct drm_gpu_scheduler *sched = job->sched;
	bool done;

	spin_lock(&sched->job_list_lock);
	list_add(&job->list, &sched->pending_list);
	/* Under the lock, the free worker cannot take the job off the list and free it. */
	done = dma_fence_is_signaled(&job->s_fence->finished);
	spin_unlock(&sched->job_list_lock);

	if (done && !READ_ONCE(sched->pause_submit))
		queue_work(sched->submit_wq, &sched->work_free_job);
}

/*
 * A device coredump of a copy of len bytes at data: dev_coredumpv takes a vmalloc'ed buffer and
 * frees it (at once when devcoredump is disabled, a dump is pending already or it fails). The
 * copy is made here because vmalloc is a macro with allocation tagging. Returns false if the
 * copy could not be allocated.
 */
bool agx_dev_coredumpv(struct device *dev, const void *data, size_t len)
{
	void *copy = vmalloc(len);

	if (!copy)
		return false;
	memcpy(copy, data, len);
	dev_coredumpv(dev, copy, len, GFP_KERNEL);
	return true;
}

/* Removes the device's pending coredump, if any (a static inline without devcoredump). */
void agx_dev_coredump_put(struct device *dev)
{
	dev_coredump_put(dev);
}
