/* SPDX-License-Identifier: Apache-2.0 */
/* Maps and load-time knobs of the sensor. User space (native/src/sensor.cc) sets the knobs before load. */
#ifndef VIGIL_MAPS_BPF_H
#define VIGIL_MAPS_BPF_H

#include "record.h"

/* Load-time knobs (rodata): changing them needs no recompilation, only a reload. */
const volatile __u32 vigil_self_tgid = 0;   /* the daemon's own process: never traced */
const volatile __u32 vigil_argv_max = 4096; /* bytes of argv kept per exec */
const volatile __u32 vigil_envp_max = 0;    /* bytes of envp kept per exec; 0 = no env */
const volatile __u32 vigil_data_max = 0;    /* bytes of send/recv payload kept; 0 = none */
/* Wake the reader only once this many bytes wait (batched wake-ups); it also drains on a short timer. */
const volatile __u32 vigil_wakeup_bytes = 65536;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by the loader (ring_bytes option) */
} vigil_events SEC(".maps");

/* Per-CPU so counting a lost record never contends; user space sums them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VIGIL_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} vigil_counters SEC(".maps");

/* Which event ids are wanted (value 1). Events no rule needs are switched off here, in the kernel. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VIGIL_EVT_MAX);
	__type(key, __u32);
	__type(value, __u32);
} vigil_enabled SEC(".maps");

/* Syscall arguments from sys_enter, keyed by tid, joined at sys_exit. */
struct vigil_enter {
	__u64 args[6];
	__u32 nr;
	__u32 child_tid; /* clone family: host ids of the new task, from sched_process_fork */
	__u32 child_pid;
	__u32 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct vigil_enter);
} vigil_enter_args SEC(".maps");

/*
 * Container cgroup paths by cgroup, so a record copies its path instead of walking the hierarchy. Keyed by
 * the cgroup's kernfs id (never reused within a hierarchy) and the hierarchy, so a path cannot go stale
 * unless a v1 cgroup directory is renamed.
 */
struct vigil_cgroup_key {
	__u64 kn_id;
	__u32 hierarchy_id;
	__u32 reserved;
};

struct vigil_cgroup_entry {
	__u16 len;
	__u8 container;
	__u8 reserved[5];
	__u8 path[VIGIL_CGROUP_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct vigil_cgroup_key);
	__type(value, struct vigil_cgroup_entry);
} vigil_cgroup_cache SEC(".maps");

/* The record under construction; twice VIGIL_RECORD_MAX so a masked offset plus a bounded read always fits. */
struct vigil_scratch {
	__u8 data[VIGIL_RECORD_MAX * 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_scratch);
} vigil_scratch_map SEC(".maps");

static __always_inline void vigil_count(__u32 counter)
{
	__u64 *value = bpf_map_lookup_elem(&vigil_counters, &counter);
	if (value)
		*value += 1;
}

static __always_inline int vigil_event_enabled(__u32 event_id)
{
	__u32 *on = bpf_map_lookup_elem(&vigil_enabled, &event_id);
	return on && *on;
}

#endif
