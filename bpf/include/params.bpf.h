/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a syscall's parameters at sys_exit, as the rows of syscall_spec.h say: raw values, user strings
 * and buffers, socket addresses (user sockaddrs, msghdrs, and the local end of a socket found through the
 * fd table), and the device and inode behind an fd.
 */
#ifndef VIGIL_PARAMS_BPF_H
#define VIGIL_PARAMS_BPF_H

#include "emit.bpf.h"
#include "syscall_spec.h"

#define VIGIL_STR_MAX 4096
#define VIGIL_SOCKADDR_MAX 128
#define VIGIL_ARGV_PTRS 32

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

#endif
