/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every record says about the task: ids in both pid namespaces, credentials, tty, namespaces and
 * the cgroup path that identifies a container, all read from the kernel at event time (so a process
 * that lives one millisecond is still attributed), plus the bounded path walks used by exec records.
 */
#ifndef VIGIL_TASK_BPF_H
#define VIGIL_TASK_BPF_H

#include "emit.bpf.h"

#define VIGIL_PATH_DEPTH 16   /* components kept by a dentry walk (deeper paths keep their tail) */
#define VIGIL_CGROUP_DEPTH 10 /* cgroup nesting levels walked */
#define VIGIL_NAME_MAX 256

static __always_inline __u32 masked(__u32 v)
{
	vigil_opaque(v);
	return v & VIGIL_OFF_MASK;
}

/* kernfs_node lost `parent` for the RCU-protected `__parent` in 6.15. */
struct kernfs_node___pre615 {
	struct kernfs_node *parent;
};

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___pre615 *)kn, parent);
}

/* Writes "/" + name at scratch[pos], at most room bytes; returns the bytes written. A global
 * subprogram: its result reaches the caller as an unknown number, which keeps the verifier from
 * following every possible length of every component. */
__noinline int vigil_put_component(__u32 pos, __u32 room, __u64 name_ptr)
{
	__u8 *buf = scratch();
	if (!buf || room < 2)
		return 0;
	__u32 size = room > VIGIL_NAME_MAX ? VIGIL_NAME_MAX - 1 : room - 1;
	vigil_opaque(size);
	size &= VIGIL_NAME_MAX - 1;
	if (size == 0)
		return 0;
	buf[masked(pos)] = '/';
	long r = bpf_probe_read_kernel_str(buf + masked(pos + 1), size, (const void *)name_ptr);
	return r > 1 ? r : 1; /* r counts the NUL, which the '/' before the next name replaces */
}

/*
 * A path being collected leaf-first and written root-first. The walks run under bpf_loop, whose
 * callback the verifier checks once, instead of following every iteration of an unrolled loop.
 */
struct vigil_path_ctx {
	__u64 names[VIGIL_PATH_DEPTH];
	__u32 n;
	__u32 start; /* scratch offset the path is written at */
	__u32 len;
	__u32 max;
	__u64 node; /* dentry or kernfs_node being walked */
	__u64 vfsmnt;
	__u64 root_dentry;
	__u64 root_mnt;
	__u32 pseudo; /* the walk ended at a dentry of no mounted tree (memfd, anonymous file) */
};

static long write_component_cb(__u32 k, struct vigil_path_ctx *c)
{
	int i = (int)c->n - 1 - (int)k;
	if (i < 0 || i >= VIGIL_PATH_DEPTH || c->len + 2 >= c->max)
		return 1;
	c->len += vigil_put_component(c->start + c->len, c->max - c->len, c->names[i]) & (VIGIL_NAME_MAX * 2 - 1);
	return 0;
}

/* Writes "/" + names[n-1] + "/" + … + names[0] at scratch[start..], at most max bytes; returns the length. */
static __always_inline __u32 write_components(__u8 *buf, struct vigil_path_ctx *c, __u32 start, __u32 max)
{
	c->start = start;
	c->len = 0;
	c->max = max;
	bpf_loop(VIGIL_PATH_DEPTH, write_component_cb, c, 0);
	if (c->len == 0) {
		buf[masked(start)] = '/';
		c->len = 1;
	}
	return c->len;
}

/* 1 when x > limit, for x, limit < 2^31, without a branch (clang turns comparisons into jumps,
 * and every jump in a loop multiplies the states the verifier walks). */
static __always_inline __u32 above_bits(__u32 x, __u32 limit)
{
	return (__u32)((__s32)limit - (__s32)x) >> 31;
}

/*
 * A container runtime names the leaf cgroup after the 64-hex container id: "<id>" (docker, cgroupfs
 * driver) or "<runtime>-<id>.scope" (systemd driver: docker-, cri-containerd-, crio-, libpod-).
 */
static __always_inline int leaf_names_container(const char *leaf_name)
{
	__u8 *buf = scratch();
	if (!buf)
		return 0;
	/* the spare tail of the scratch buffer: records never reach it */
	__u8 *leaf = buf + VIGIL_RECORD_MAX * 2 - 128;
	long n = bpf_probe_read_kernel_str(leaf, 128, leaf_name);
	if (n <= 64)
		return 0;
	__u32 len = n - 1, first;
	if (len == 64)
		first = 0;
	else if (len >= 70 && len < 128 && leaf[(len - 6) & 127] == '.')
		first = len - 70;
	else
		return 0;
	__u32 bad = 0;
	for (int i = 0; i < 64; i++) {
		__u32 c = leaf[(first + i) & 127];
		bad |= above_bits((c - '0') & 0xff, 9) & above_bits((c - 'a') & 0xff, 5);
	}
	return !bad;
}

/*
 * The cgroup whose path identifies a container: on cgroup v1 (or hybrid) hosts the pids, cpuset or
 * memory controller's hierarchy (runtimes create /docker/<id> there), on pure v2 the unified cgroup.
 * hierarchy_id 0 is the v2 root, so a controller found there means "no v1 hierarchy for it".
 */
static __always_inline struct cgroup *container_cgroup(struct task_struct *task)
{
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	int ids[3] = {-1, -1, -1};
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, pids_cgrp_id))
		ids[0] = bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuset_cgrp_id))
		ids[1] = bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id);
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		ids[2] = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	for (int i = 0; i < 3; i++) {
		int id = ids[i];
		if (id < 0 || id >= 16)
			continue;
		struct cgroup_subsys_state *css = BPF_CORE_READ(cset, subsys[id]);
		struct cgroup *cg = BPF_CORE_READ(css, cgroup);
		if (cg && BPF_CORE_READ(cg, root, hierarchy_id) != 0)
			return cg;
	}
	return BPF_CORE_READ(cset, dfl_cgrp);
}

static long kn_step_cb(__u32 i, struct vigil_path_ctx *c)
{
	struct kernfs_node *kn = (struct kernfs_node *)c->node;
	struct kernfs_node *parent = kn_parent(kn);
	if (!parent || c->n >= VIGIL_PATH_DEPTH)
		return 1; /* the hierarchy's root has no name worth printing */
	c->names[c->n & (VIGIL_PATH_DEPTH - 1)] = (__u64)BPF_CORE_READ(kn, name);
	c->n++;
	c->node = (__u64)parent;
	return 0;
}

/* Appends the current task's container cgroup path right after the header (before any argument); a global
 * subprogram, so the verifier checks its walk once rather than in every caller. */
__noinline int vigil_write_cgroup(struct vigil_writer *w)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u8 *buf = scratch();
	if (!w || !buf)
		return 0;
	struct vigil_record_header *h = (struct vigil_record_header *)buf;
	struct cgroup *cg = container_cgroup(task);
	struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
	struct vigil_cgroup_key key = {.kn_id = BPF_CORE_READ(kn, id), .hierarchy_id = BPF_CORE_READ(cg, root, hierarchy_id)};
	__u32 off = VIGIL_HEADER_SIZE, len;

	h->cgroup_id = key.kn_id;
	struct vigil_cgroup_entry *cached = bpf_map_lookup_elem(&vigil_cgroup_cache, &key);
	if (cached) {
		len = cached->len;
		if (len > VIGIL_CGROUP_PATH_MAX)
			len = VIGIL_CGROUP_PATH_MAX;
		bpf_probe_read_kernel(buf + off, VIGIL_CGROUP_PATH_MAX, cached->path);
		if (cached->container)
			w->flags |= VIGIL_F_CONTAINER;
	} else {
		struct vigil_path_ctx c = {.node = (__u64)kn};
		bpf_loop(VIGIL_CGROUP_DEPTH, kn_step_cb, &c, 0);
		len = write_components(buf, &c, off, VIGIL_CGROUP_PATH_MAX);
		int container = c.n && leaf_names_container((const char *)c.names[0]);
		if (container)
			w->flags |= VIGIL_F_CONTAINER;
		/* the entry is assembled in the scratch buffer's spare tail, clear of the record and the leaf name */
		struct vigil_cgroup_entry *entry = (struct vigil_cgroup_entry *)(buf + VIGIL_RECORD_MAX * 2 - 512);
		entry->len = len;
		entry->container = container;
		bpf_probe_read_kernel(entry->path, VIGIL_CGROUP_PATH_MAX, buf + off);
		bpf_map_update_elem(&vigil_cgroup_cache, &key, entry, BPF_ANY);
	}
	h->cgroup_len = len;
	w->off = off + len;
	return 0;
}

static __always_inline __u32 pid_nr_at(struct pid *pid, __u32 level)
{
	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;
	return BPF_CORE_READ(pid, numbers[level].nr);
}

/* Controlling tty as a kernel dev_t. task is a BTF pointer: plain loads, no helper calls. */
static __always_inline __u32 task_tty(struct task_struct *task)
{
	struct tty_struct *tty = task->signal->tty;
	if (!tty)
		return 0;
	return ((__u32)tty->driver->major << 20) | (__u32)(tty->driver->minor_start + tty->index);
}

/*
 * Starts a record for the current task: header fields and cgroup path. Returns 0 when the record can be
 * built. The task is read through its BTF pointer (direct loads, checked by the verifier) rather than one
 * probe-read helper call per field: this runs for every record.
 */
__noinline int vigil_start(struct vigil_writer *w, __u32 event_id, __s64 ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u8 *buf = scratch();
	if (!w || !buf)
		return -1;
	w_begin(w);
	struct vigil_record_header *h = (struct vigil_record_header *)buf;
	struct pid *tpid = task->thread_pid;
	__u32 level = tpid->level;
	struct task_struct *parent = task->real_parent;

	h->event_id = event_id;
	h->flags = 0;
	h->reserved = 0;
	h->ts = bpf_ktime_get_boot_ns();
	h->ret = ret;
	h->pid = task->tgid;
	h->tid = task->pid;
	h->ppid = parent->tgid;
	/* numbers[level] has a variable index, which BTF loads cannot take: those stay probe reads */
	h->vtid = pid_nr_at(tpid, level);
	h->vpid = pid_nr_at(task->group_leader->thread_pid, level);
	h->vppid = pid_nr_at(parent->group_leader->thread_pid, level);
	h->uid = task->cred->euid.val;
	h->gid = task->cred->egid.val;
	h->loginuid = bpf_core_field_exists(task->loginuid) ? task->loginuid.val : 0xffffffff;
	h->tty = task_tty(task);
	h->mntns = task->nsproxy->mnt_ns->ns.inum;
	h->pidns = BPF_CORE_READ(tpid, numbers[level].ns, ns.inum);
	h->cpu = bpf_get_smp_processor_id();
	h->nargs = 0;
	bpf_get_current_comm(&h->comm, sizeof(h->comm));
	vigil_write_cgroup(w);
	return 0;
}

static long dentry_step_cb(__u32 i, struct vigil_path_ctx *c)
{
	struct dentry *dentry = (struct dentry *)c->node;
	struct vfsmount *vfsmnt = (struct vfsmount *)c->vfsmnt;
	if (!dentry || c->n >= VIGIL_PATH_DEPTH || (c->node == c->root_dentry && c->vfsmnt == c->root_mnt))
		return 1;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == parent && dentry != BPF_CORE_READ(vfsmnt, mnt_root)) {
		/* d_path names these "/<name> (deleted)" (simple_dname); so do we */
		c->names[c->n & (VIGIL_PATH_DEPTH - 1)] = (__u64)BPF_CORE_READ(dentry, d_name.name);
		c->n++;
		c->pseudo = 1;
		return 1;
	}
	if (dentry == BPF_CORE_READ(vfsmnt, mnt_root) || dentry == parent) {
		struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
		if (up == mnt)
			return 1; /* the top of the mount tree */
		c->node = (__u64)BPF_CORE_READ(mnt, mnt_mountpoint);
		c->vfsmnt = (__u64)&up->mnt;
		return 0;
	}
	c->names[c->n & (VIGIL_PATH_DEPTH - 1)] = (__u64)BPF_CORE_READ(dentry, d_name.name);
	c->n++;
	c->node = (__u64)parent;
	return 0;
}

/*
 * Appends the path of (dentry, vfsmount) as seen from the task's root (so a container process sees
 * container paths), crossing mount points; bpf_d_path would do this but is not allowed on tracepoints.
 */
__noinline int vigil_dentry_path(struct vigil_writer *w, __u32 param, __u64 task_ptr, __u64 dentry_ptr, __u64 vfsmnt_ptr)
{
	struct task_struct *task = (struct task_struct *)task_ptr;
	__u8 *buf = scratch();
	if (!w || !buf || !dentry_ptr)
		return 0;
	struct vigil_path_ctx c = {
		.node = dentry_ptr,
		.vfsmnt = vfsmnt_ptr,
		.root_dentry = (__u64)BPF_CORE_READ(task, fs, root.dentry),
		.root_mnt = (__u64)BPF_CORE_READ(task, fs, root.mnt),
	};
	bpf_loop(VIGIL_PATH_DEPTH * 2, dentry_step_cb, &c, 0);
	__u32 room = w_bound(w, VIGIL_PATH_DEPTH * VIGIL_NAME_MAX);
	if (room < 2)
		return 0;
	__u32 start = w->off + VIGIL_ARG_HEADER_SIZE;
	__u32 len = write_components(buf, &c, start, room);
	const char deleted[] = " (deleted)";
	if (c.pseudo && len + sizeof(deleted) < room) {
		for (int i = 0; i < sizeof(deleted) - 1; i++)
			buf[masked(start + len + i)] = deleted[i];
		len += sizeof(deleted) - 1;
	}
	w_arg_header(w, param, VIGIL_ARG_STR, (__u16)len);
	return 0;
}

#endif
