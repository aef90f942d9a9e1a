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
 * Record layout: include/record.h. Parameter reading: include/syscall_spec.h.
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

char LICENSE[] SEC("license") = "GPL";

#define VIGIL_STR_MAX 4096
#define VIGIL_SOCKADDR_MAX 128
#define VIGIL_ARGV_PTRS 32

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

static __always_inline __u64 source_value(const struct vigil_enter *e, __u8 src, __s64 ret)
{
	switch (src) {
	case SRC_RET:
		return (__u64)ret;
	case SRC_CHILD_TID:
		return e->child_tid;
	case SRC_CHILD_PID:
		return e->child_pid;
	default:
		return src < 6 ? e->args[src] : 0;
	}
}

static __always_inline __u32 data_bound(__s64 ret, __u64 cap)
{
	if (ret <= 0 || !vigil_data_max)
		return 0;
	__u64 n = (__u64)ret < cap ? (__u64)ret : cap;
	return n < vigil_data_max ? (__u32)n : vigil_data_max;
}

static __always_inline void write_msghdr(struct vigil_writer *w, __u8 param, __u8 read, __u64 uptr, __s64 ret)
{
	struct user_msghdr msg;
	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)uptr))
		return;
	if (read == RD_MSG_NAME) {
		__u32 len = msg.msg_namelen < VIGIL_SOCKADDR_MAX ? msg.msg_namelen : VIGIL_SOCKADDR_MAX;
		w_user_bytes(w, param, VIGIL_ARG_SOCKADDR, msg.msg_name, len);
		return;
	}
	struct iovec iov;
	if (msg.msg_iovlen < 1 || bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov))
		return;
	w_user_bytes(w, param, VIGIL_ARG_BYTES, iov.iov_base, data_bound(ret, iov.iov_len));
}

/* The file behind fd in the current task's table, NULL when there is none. */
static __always_inline struct file *file_of_fd(__s64 fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

#define VIGIL_S_IFMT 0170000
#define VIGIL_S_IFSOCK 0140000
#define VIGIL_AF_INET 2
#define VIGIL_AF_INET6 10

/* The local end of the socket behind fd as a struct sockaddr_in/in6 (what getsockname would say). */
static __always_inline void write_sock_local(struct vigil_writer *w, __u8 param, __s64 fd)
{
	struct file *file = file_of_fd(fd);
	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & VIGIL_S_IFMT) != VIGIL_S_IFSOCK)
		return;
	struct socket *sock = BPF_CORE_READ(file, private_data);
	struct sock_common *sk = (struct sock_common *)BPF_CORE_READ(sock, sk);
	__u16 family = BPF_CORE_READ(sk, skc_family);
	__u16 port = BPF_CORE_READ(sk, skc_num);
	__u8 *out = w_payload(w);
	__u32 len = family == VIGIL_AF_INET ? 16 : 28;
	if (!out || (family != VIGIL_AF_INET && family != VIGIL_AF_INET6) || w_room(w) < 28)
		return;
	__builtin_memset(out, 0, 28);
	*(__u16 *)out = family;
	out[2] = port >> 8; /* sin_port is in network order */
	out[3] = port & 0xff;
	if (family == VIGIL_AF_INET)
		*(__u32 *)(out + 4) = BPF_CORE_READ(sk, skc_rcv_saddr);
	else
		BPF_CORE_READ_INTO(out + 8, sk, skc_v6_rcv_saddr);
	w_arg_header(w, param, VIGIL_ARG_SOCKADDR, len);
}

static __always_inline void write_param(struct vigil_writer *w, const struct vigil_param_spec *ps,
					const struct vigil_enter *e, __s64 ret)
{
	__u64 v = source_value(e, ps->src, ret);
	__u64 deref = 0;
	int len = 0;

	switch (ps->read) {
	case RD_S32:
		w_u64(w, ps->param, VIGIL_ARG_S64, (__u64)(__s64)(__s32)v);
		break;
	case RD_S64:
		w_u64(w, ps->param, VIGIL_ARG_S64, v);
		break;
	case RD_U32:
		w_u64(w, ps->param, VIGIL_ARG_U64, (__u32)v);
		break;
	case RD_U64:
		w_u64(w, ps->param, VIGIL_ARG_U64, v);
		break;
	case RD_NONNEG:
		if ((__s64)v >= 0)
			w_u64(w, ps->param, VIGIL_ARG_U64, v);
		break;
	case RD_DEREF_U64:
		if (!bpf_probe_read_user(&deref, sizeof(deref), (void *)(v + ps->aux)))
			w_u64(w, ps->param, VIGIL_ARG_U64, deref);
		break;
	case RD_STR:
		w_str(w, ps->param, (const void *)v, VIGIL_STR_MAX, 1);
		break;
	case RD_SOCKADDR:
		len = (int)source_value(e, ps->aux, ret);
		if (len > 0)
			w_user_bytes(w, ps->param, VIGIL_ARG_SOCKADDR, (const void *)v,
				     len < VIGIL_SOCKADDR_MAX ? len : VIGIL_SOCKADDR_MAX);
		break;
	case RD_SOCKADDR_LPTR:
		if (ret >= 0 && !bpf_probe_read_user(&len, sizeof(len), (void *)source_value(e, ps->aux, ret)) && len > 0)
			w_user_bytes(w, ps->param, VIGIL_ARG_SOCKADDR, (const void *)v,
				     len < VIGIL_SOCKADDR_MAX ? len : VIGIL_SOCKADDR_MAX);
		break;
	case RD_MSG_NAME:
	case RD_MSG_DATA:
		write_msghdr(w, ps->param, ps->read, v, ret);
		break;
	case RD_BYTES_RET:
		w_user_bytes(w, ps->param, VIGIL_ARG_BYTES, (const void *)v, data_bound(ret, VIGIL_RECORD_MAX));
		break;
	case RD_SOCK_LOCAL:
		write_sock_local(w, ps->param, (__s64)v);
		break;
	case RD_FD_DEV:
	case RD_FD_INO: {
		struct file *file = file_of_fd((__s64)v);
		if (!file)
			break;
		struct inode *inode = BPF_CORE_READ(file, f_inode);
		w_u64(w, ps->param, VIGIL_ARG_U64, ps->read == RD_FD_DEV ? BPF_CORE_READ(inode, i_sb, s_dev) : BPF_CORE_READ(inode, i_ino));
		break;
	}
	}
}

/* All table-driven parameters of one syscall record (global: verified once, not per caller). */
__noinline int vigil_write_params(struct vigil_writer *w, __u32 event_id, struct vigil_enter *e, __s64 ret)
{
	__u64 idx = event_id;
	vigil_opaque(idx);
	if (!w || !e || idx >= VIGIL_EVT_MAX)
		return 0;
	const struct vigil_syscall_spec *spec = &vigil_specs[idx];
	for (int i = 0; i < VIGIL_SPEC_PARAMS; i++) {
		if (i >= spec->nparams)
			break;
		write_param(w, &spec->p[i], e, ret);
	}
	return 0;
}

/* argv/envp from user pointers (a failed exec, whose new image never existed): NUL-terminated strings. */
__noinline int vigil_user_strlist(struct vigil_writer *w, __u32 param, __u64 uargv_ptr, __u32 max)
{
	const char *const *uargv = (const char *const *)uargv_ptr;
	if (!w)
		return 0;
	__u32 size = w_bound(w, max);
	__u32 len = 0;
	__u8 *buf = scratch();
	if (!uargv || size == 0 || !buf)
		return 0;
	for (int i = 0; i < VIGIL_ARGV_PTRS; i++) {
		const char *arg = NULL;
		if (bpf_probe_read_user(&arg, sizeof(arg), &uargv[i]) || !arg)
			break;
		if (len + 2 > size) {
			w->flags |= VIGIL_F_TRUNCATED;
			break;
		}
		__u32 room = masked(size - len);
		long n = bpf_probe_read_user_str(buf + masked(w->off + VIGIL_ARG_HEADER_SIZE + len), room, arg);
		if (n <= 0)
			break;
		len += n;
	}
	w_arg_header(w, param, VIGIL_ARG_STRLIST, (__u16)len);
	return 0;
}

/* The parameter indexes of EXEC_PARAMS in event-table.ts; execveat has dirfd first, so its are +1. */
enum exec_param {
	EXEC_ARGS = 1, EXEC_ENV = 2, EXEC_CWD = 3, EXEC_COMM = 4, EXEC_TRUSTED_EXEPATH = 5, EXEC_FILENAME = 6,
	EXEC_FLAGS = 7, EXEC_UID = 8, EXEC_GID = 9, EXEC_LOGINUID = 10, EXEC_TTY = 11, EXEC_PGID = 12,
	EXEC_SID = 13, EXEC_CAP_INHERITABLE = 14, EXEC_CAP_PERMITTED = 15, EXEC_CAP_EFFECTIVE = 16, EXEC_EXE_INO = 17,
};

/* Parameters an exec record has whether or not the exec succeeded. */
__noinline int vigil_exec_common(struct vigil_writer *w, __u64 task_ptr, __u32 base, __u64 dirfd, __u64 flags)
{
	struct task_struct *task = (struct task_struct *)task_ptr;
	struct vigil_record_header *h = (struct vigil_record_header *)scratch();
	if (!w || !h)
		return 0;
	if (base) {
		w_u64(w, 0, VIGIL_ARG_S64, (__u64)(__s64)(__s32)dirfd);
		w_u64(w, base + EXEC_FLAGS, VIGIL_ARG_U64, (__u32)flags);
	}
	vigil_dentry_path(w, base + EXEC_CWD, task_ptr, (__u64)BPF_CORE_READ(task, fs, pwd.dentry),
			  (__u64)BPF_CORE_READ(task, fs, pwd.mnt));
	w_str(w, base + EXEC_COMM, h->comm, VIGIL_COMM_LEN, 0);
	w_u64(w, base + EXEC_UID, VIGIL_ARG_U64, h->uid);
	w_u64(w, base + EXEC_GID, VIGIL_ARG_U64, h->gid);
	w_u64(w, base + EXEC_LOGINUID, VIGIL_ARG_U64, h->loginuid);
	w_u64(w, base + EXEC_TTY, VIGIL_ARG_U64, h->tty);
	w_u64(w, base + EXEC_PGID, VIGIL_ARG_S64, BPF_CORE_READ(task, signal, pids[PIDTYPE_PGID], numbers[0].nr));
	w_u64(w, base + EXEC_SID, VIGIL_ARG_S64, BPF_CORE_READ(task, signal, pids[PIDTYPE_SID], numbers[0].nr));
	w_u64(w, base + EXEC_CAP_INHERITABLE, VIGIL_ARG_U64, BPF_CORE_READ(task, cred, cap_inheritable.val));
	w_u64(w, base + EXEC_CAP_PERMITTED, VIGIL_ARG_U64, BPF_CORE_READ(task, cred, cap_permitted.val));
	w_u64(w, base + EXEC_CAP_EFFECTIVE, VIGIL_ARG_U64, BPF_CORE_READ(task, cred, cap_effective.val));
	return 0;
}

/* A successful exec, at sched_process_exec: everything is read from the new image, not the old pointers. */
static __always_inline void emit_exec(struct task_struct *task, struct linux_binprm *bprm, const struct vigil_enter *e)
{
	struct vigil_enter none = {};
	__u32 event_id = e && e->nr == 322 ? VIGIL_EVT_EXECVEAT : VIGIL_EVT_EXECVE;
	__u8 base = event_id == VIGIL_EVT_EXECVEAT;
	struct vigil_writer w;

	if (!vigil_event_enabled(event_id) || vigil_start(&w, (__u64)task, event_id, 0))
		return;
	w.flags |= VIGIL_F_LIFECYCLE | VIGIL_F_ARGV0;

	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 arg_start = BPF_CORE_READ(mm, arg_start), arg_end = BPF_CORE_READ(mm, arg_end);
	__u64 env_start = BPF_CORE_READ(mm, env_start), env_end = BPF_CORE_READ(mm, env_end);
	__u32 argv_len = arg_end - arg_start, env_len = env_end - env_start;
	if (argv_len > vigil_argv_max) {
		argv_len = vigil_argv_max;
		w.flags |= VIGIL_F_TRUNCATED;
	}
	w_user_bytes(&w, base + EXEC_ARGS, VIGIL_ARG_STRLIST, (void *)arg_start, argv_len);
	if (vigil_envp_max) {
		if (env_len > vigil_envp_max) {
			env_len = vigil_envp_max;
			w.flags |= VIGIL_F_TRUNCATED;
		}
		w_user_bytes(&w, base + EXEC_ENV, VIGIL_ARG_STRLIST, (void *)env_start, env_len);
	}
	w_str(&w, base + EXEC_FILENAME, BPF_CORE_READ(bprm, filename), VIGIL_STR_MAX, 0);
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	vigil_dentry_path(&w, base + EXEC_TRUSTED_EXEPATH, (__u64)task, (__u64)BPF_CORE_READ(exe, f_path.dentry),
			  (__u64)BPF_CORE_READ(exe, f_path.mnt));
	w_u64(&w, base + EXEC_EXE_INO, VIGIL_ARG_U64, BPF_CORE_READ(exe, f_inode, i_ino));
	if (!e)
		e = &none;
	vigil_exec_common(&w, (__u64)task, base, e->args[0], e->args[4]);
	w_send(&w);
}

/* A failed exec, at sys_exit: the old image is still there, so the user pointers are good. */
static __always_inline void emit_failed_exec(struct task_struct *task, struct vigil_enter *e, __u32 event_id, __s64 ret)
{
	__u8 base = event_id == VIGIL_EVT_EXECVEAT;
	struct vigil_writer w;
	if (vigil_start(&w, (__u64)task, event_id, ret))
		return;
	w.flags |= VIGIL_F_LIFECYCLE | VIGIL_F_ARGV0;
	w_str(&w, base + EXEC_FILENAME, (void *)e->args[base], VIGIL_STR_MAX, 1);
	vigil_user_strlist(&w, base + EXEC_ARGS, e->args[base + 1], vigil_argv_max);
	if (vigil_envp_max)
		vigil_user_strlist(&w, base + EXEC_ENV, e->args[base + 2], vigil_envp_max);
	vigil_exec_common(&w, (__u64)task, base, e->args[0], e->args[4]);
	w_send(&w);
}

static __always_inline void emit_syscall(struct task_struct *task, struct vigil_enter *e, __u32 event_id, __s64 ret)
{
	if (event_id >= VIGIL_EVT_MAX)
		return;
	struct vigil_writer w;
	if (vigil_start(&w, (__u64)task, event_id, ret))
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

/* The task that inherits the exiting task's children: another live thread of its group, else the
 * pid namespace's reaper (a child_subreaper ancestor is not looked for). */
static __always_inline __u32 reaper_of(struct task_struct *task)
{
	if (BPF_CORE_READ(task, signal, live.counter) > 0)
		return BPF_CORE_READ(task, tgid);
	struct pid *tpid = BPF_CORE_READ(task, thread_pid);
	__u32 level = BPF_CORE_READ(tpid, level);
	struct pid_namespace *ns = BPF_CORE_READ(tpid, numbers[level].ns);
	return BPF_CORE_READ(ns, child_reaper, pid);
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
	if (vigil_start(&w, (__u64)task, VIGIL_EVT_PROCEXIT, 0))
		return 0;
	w.flags |= VIGIL_F_LIFECYCLE;
	w_u64(&w, 0, VIGIL_ARG_S64, (__u64)(__s64)BPF_CORE_READ(task, exit_code));
	w_u64(&w, 1, VIGIL_ARG_S64, reaper_of(task));
	w_send(&w);
	return 0;
}
