// SPDX-License-Identifier: GPL-2.0
/*
 * The vigil sensor: one object, five raw-tracepoint programs sharing the maps of include/maps.bpf.h.
 * (One object rather than one per hook: the programs share maps and the read-only spec tables, and a
 * single object loads and detaches as one unit.)
 *
 *   sys_enter            store the six syscall arguments of a captured syscall, keyed by tid
 *   sys_exit             join them with the return value: one record per completed syscall
 *   sched_process_fork   note the child's host ids for the parent's clone/fork record
 *   sched_process_exec   the exec record, read from the new image (argv from the new mm, exe path)
 *   sched_process_exit   the procexit record
 *
 * Record layout: include/record.h. Parameter reading: include/syscall_spec.h and params.bpf.h; exec
 * records: include/exec.bpf.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "record.h"
#include "maps.bpf.h"
#include "emit.bpf.h"
#include "task.bpf.h"
#include "syscall_spec.h"
#include "params.bpf.h"
#include "exec.bpf.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline int is_self(void)
{
	return vigil_self_tgid && (bpf_get_current_pid_tgid() >> 32) == vigil_self_tgid;
}

/* x86's TS_COMPAT: the task is in a 32-bit syscall, whose numbers mean other syscalls (not captured). */
#define VIGIL_TS_COMPAT 0x0002

static __always_inline int in_compat_syscall(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(task, thread_info.status) & VIGIL_TS_COMPAT;
}

static __always_inline __u32 event_of_nr(long nr)
{
	if (nr < 0 || nr >= VIGIL_NR_MAX)
		return 0;
	return vigil_nr_event[nr];
}

SEC("raw_tracepoint/sys_enter")
int vigil_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long nr = (long)ctx->args[1];
	__u32 event_id = event_of_nr(nr);
	if (!event_id || is_self() || !vigil_event_enabled(event_id) || in_compat_syscall())
		return 0;

	struct pt_regs regs;
	if (bpf_probe_read_kernel(&regs, sizeof(regs), (void *)ctx->args[0]))
		return 0;
	struct vigil_enter e = {
		.args = {regs.di, regs.si, regs.dx, regs.r10, regs.r8, regs.r9},
		.nr = (__u32)nr,
	};
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	if (bpf_map_update_elem(&vigil_enter_args, &tid, &e, BPF_ANY))
		vigil_count(VIGIL_CNT_ENTER_DROPS);
	return 0;
}

static __always_inline void emit_syscall(struct task_struct *task, struct vigil_enter *e, __u32 event_id, __s64 ret)
{
	if (event_id >= VIGIL_EVT_MAX)
		return;
	struct vigil_writer w;
	if (vigil_start(&w, event_id, ret))
		return;
	if (event_id >= VIGIL_EVT_CLONE && event_id <= VIGIL_EVT_VFORK)
		w.flags |= VIGIL_F_LIFECYCLE;
	vigil_write_params(&w, event_id, e, ret);
	w_send(&w);
}

SEC("raw_tracepoint/sys_exit")
int vigil_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = BPF_CORE_READ(regs, orig_ax);
	__u32 event_id = event_of_nr(nr);
	if (!event_id)
		return 0;
	struct vigil_enter *e = bpf_map_lookup_elem(&vigil_enter_args, &tid);
	if (!e)
		return 0;
	__s64 ret = (__s64)ctx->args[1];
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (event_id == VIGIL_EVT_EXECVE || event_id == VIGIL_EVT_EXECVEAT) {
		/* a successful exec was reported by sched_process_exec, which removed the entry */
		if (ret < 0)
			emit_failed_exec(task, e, event_id, ret);
	} else if (ret != 0 || event_id < VIGIL_EVT_CLONE || event_id > VIGIL_EVT_VFORK) {
		/* clone family: the child's own return (0) is not a second record of the same fork */
		emit_syscall(task, e, event_id, ret);
	}
	bpf_map_delete_elem(&vigil_enter_args, &tid);
	return 0;
}

SEC("raw_tracepoint/sched_process_fork")
int vigil_sched_process_fork(struct bpf_raw_tracepoint_args *ctx)
{
	if (is_self())
		return 0;
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vigil_enter *e = bpf_map_lookup_elem(&vigil_enter_args, &tid);
	if (!e)
		return 0;
	e->child_tid = BPF_CORE_READ(child, pid);
	e->child_pid = BPF_CORE_READ(child, tgid);
	return 0;
}

SEC("raw_tracepoint/sched_process_exec")
int vigil_sched_process_exec(struct bpf_raw_tracepoint_args *ctx)
{
	if (is_self())
		return 0;
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	/* the tid the exec started on: a non-leader thread that execs takes over the leader's tid */
	__u32 old_tid = (__u32)ctx->args[1];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	struct vigil_enter *e = bpf_map_lookup_elem(&vigil_enter_args, &old_tid);
	emit_exec(task, bprm, e);
	if (e)
		bpf_map_delete_elem(&vigil_enter_args, &old_tid);
	return 0;
}

/* Ancestors a subreaper search climbs at most (a bound for the verifier; the kernel's own walk is
 * unbounded, so an orphan whose nearest subreaper is further up is reported to the ns reaper). */
#define VIGIL_SUBREAPER_DEPTH 16

/* A group that still has a thread not past do_exit's `live` decrement can take children. */
static __always_inline int group_alive(struct signal_struct *sig)
{
	return BPF_CORE_READ(sig, live.counter) > 0;
}

/* The nearest ancestor that made itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER) and still
 * has a live thread, looked for as the kernel does: only when the exiting group has such an ancestor
 * (signal->has_child_subreaper), and only among ancestors of the exiting task's own pid namespace
 * (same pid level; a task that setns()'d in may have parents outside it). 0 when there is none. */
static __always_inline __u32 subreaper_of(struct task_struct *task, struct task_struct *ns_reaper, __u32 level)
{
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	if (!BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper))
		return 0;
	struct task_struct *t = BPF_CORE_READ(task, real_parent);
	for (int i = 0; i < VIGIL_SUBREAPER_DEPTH; i++) {
		/* the ns reaper ends the walk (it takes the orphans anyway), as does the idle task (pid 0) */
		if (!t || t == ns_reaper || BPF_CORE_READ(t, pid) == 0 || BPF_CORE_READ(t, thread_pid, level) != level)
			return 0;
		sig = BPF_CORE_READ(t, signal);
		if (BPF_CORE_READ_BITFIELD_PROBED(sig, is_child_subreaper) && group_alive(sig))
			return BPF_CORE_READ(t, tgid);
		t = BPF_CORE_READ(t, real_parent);
	}
	return 0;
}

/* The process that inherits the exiting task's children, as the kernel's exit path chooses it:
 * another live thread of the group, else the nearest child-subreaper ancestor, else the pid
 * namespace's reaper. Read before exit_notify() reparents, so this is a prediction of the same rule. */
static __always_inline __u32 reaper_of(struct task_struct *task)
{
	if (group_alive(BPF_CORE_READ(task, signal)))
		return BPF_CORE_READ(task, tgid);
	struct pid *tpid = BPF_CORE_READ(task, thread_pid);
	__u32 level = BPF_CORE_READ(tpid, level);
	struct pid_namespace *ns = BPF_CORE_READ(tpid, numbers[level].ns);
	struct task_struct *ns_reaper = BPF_CORE_READ(ns, child_reaper);
	__u32 subreaper = subreaper_of(task, ns_reaper, level);
	return subreaper ? subreaper : BPF_CORE_READ(ns_reaper, pid);
}

SEC("raw_tracepoint/sched_process_exit")
int vigil_sched_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vigil_writer w;

	bpf_map_delete_elem(&vigil_enter_args, &tid);
	if (is_self() || !vigil_event_enabled(VIGIL_EVT_PROCEXIT))
		return 0;
	if (vigil_start(&w, VIGIL_EVT_PROCEXIT, 0))
		return 0;
	w.flags |= VIGIL_F_LIFECYCLE;
	w_u64(&w, 0, VIGIL_ARG_S64, (__u64)(__s64)BPF_CORE_READ(task, exit_code));
	w_u64(&w, 1, VIGIL_ARG_S64, reaper_of(task));
	w_send(&w);
	return 0;
}
