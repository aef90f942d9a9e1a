/* SPDX-License-Identifier: GPL-2.0 */
/* Exec records: from the new image at sched_process_exec, or from the caller's pointers when exec failed. */
#ifndef VIGIL_EXEC_BPF_H
#define VIGIL_EXEC_BPF_H

#include "exe.bpf.h"
#include "params.bpf.h"
#include "task.bpf.h"

/* The parameter indexes of EXEC_PARAMS in event-table.ts; execveat has dirfd first, so its are +1. */
enum exec_param {
	EXEC_ARGS = 1, EXEC_ENV = 2, EXEC_CWD = 3, EXEC_COMM = 4, EXEC_TRUSTED_EXEPATH = 5, EXEC_FILENAME = 6,
	EXEC_FLAGS = 7, EXEC_UID = 8, EXEC_GID = 9, EXEC_LOGINUID = 10, EXEC_TTY = 11, EXEC_PGID = 12,
	EXEC_SID = 13, EXEC_CAP_INHERITABLE = 14, EXEC_CAP_PERMITTED = 15, EXEC_CAP_EFFECTIVE = 16, EXEC_EXE_INO = 17,
	EXEC_EXE_INO_CTIME = 18, EXEC_EXE_INO_MTIME = 19,
};

/* Parameters an exec record has whether or not the exec succeeded. */
__noinline int vigil_exec_common(struct vigil_writer *w, __u64 task_ptr, __u32 base, __u64 dirfd)
{
	struct task_struct *task = (struct task_struct *)task_ptr;
	struct vigil_record_header *h = (struct vigil_record_header *)scratch();
	if (!w || !h)
		return 0;
	if (base)
		w_u64(w, 0, VIGIL_ARG_S64, (__u64)(__s64)(__s32)dirfd);
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

	if (!vigil_event_enabled(event_id) || vigil_start(&w, event_id, 0))
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
	struct inode *inode = BPF_CORE_READ(exe, f_inode);
	w_u64(&w, base + EXEC_EXE_INO, VIGIL_ARG_U64, BPF_CORE_READ(inode, i_ino));
	w_u64(&w, base + EXEC_EXE_INO_CTIME, VIGIL_ARG_U64, VIGIL_INODE_TIME_NS(inode, c));
	w_u64(&w, base + EXEC_EXE_INO_MTIME, VIGIL_ARG_U64, VIGIL_INODE_TIME_NS(inode, m));
	/* The executable's PPM_EXE_* flags (execveat's own AT_* flags argument is not kept, as in libs' exit event). */
	w_u64(&w, base + EXEC_FLAGS, VIGIL_ARG_U64, exe_flags(task, exe));
	if (!e)
		e = &none;
	vigil_exec_common(&w, (__u64)task, base, e->args[0]);
	w_send(&w);
}

/* A failed exec, at sys_exit: the old image is still there, so the user pointers are good. */
static __always_inline void emit_failed_exec(struct task_struct *task, struct vigil_enter *e, __u32 event_id, __s64 ret)
{
	__u8 base = event_id == VIGIL_EVT_EXECVEAT;
	struct vigil_writer w;
	if (vigil_start(&w, event_id, ret))
		return;
	w.flags |= VIGIL_F_LIFECYCLE | VIGIL_F_ARGV0;
	w_str(&w, base + EXEC_FILENAME, (void *)e->args[base], VIGIL_STR_MAX, 1);
	vigil_user_strlist(&w, base + EXEC_ARGS, e->args[base + 1], vigil_argv_max);
	if (vigil_envp_max)
		vigil_user_strlist(&w, base + EXEC_ENV, e->args[base + 2], vigil_envp_max);
	vigil_exec_common(&w, (__u64)task, base, e->args[0]);
	w_send(&w);
}

#endif
