/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an exec record says about the executable file itself: where it lives (a memfd, the upper or a
 * lower layer of an overlay mount), whether the process's user could write it, and its inode times.
 * Read at sched_process_exec from the new image's mm->exe_file, as libs sets its PPM_EXE_* flags.
 */
#ifndef VIGIL_EXE_BPF_H
#define VIGIL_EXE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

/* The same bits as src/events/flags.ts (EXE_*) and libs' PPM_EXE_*. */
#define VIGIL_EXE_WRITABLE 1
#define VIGIL_EXE_UPPER_LAYER 2
#define VIGIL_EXE_FROM_MEMFD 4
#define VIGIL_EXE_LOWER_LAYER 8

#define VIGIL_OVERLAYFS_MAGIC 0x794c7630
#define VIGIL_SB_RDONLY 1
#define VIGIL_CAP_DAC_OVERRIDE 1
#define VIGIL_S_IWUSR 00200
#define VIGIL_S_IWGRP 00020
#define VIGIL_S_IWOTH 00002

/* The inode time fields before 6.11 (seconds and nanoseconds in one timespec64): 6.6 and 6.7 renamed
 * i_ctime and i_mtime to __i_ctime and __i_mtime, and 6.11 split them into _sec and _nsec fields. */
struct inode___pre66 {
	struct timespec64 i_ctime;
	struct timespec64 i_mtime;
};
struct inode___pre611 {
	struct timespec64 __i_ctime;
	struct timespec64 __i_mtime;
};
/* Overlay kept in a module has no ovl_inode in vmlinux BTF; its __upperdentry follows vfs_inode. */
struct ovl_inode___vigil {
	struct inode vfs_inode;
	struct dentry *__upperdentry;
};

/* Multigrain timestamps (6.13) keep a flag in the top bit of i_ctime_nsec; nanoseconds fit in 30 bits. */
#define VIGIL_NSEC_MASK 0x3fffffff

static __always_inline __u64 ts_ns(__s64 sec, __s64 nsec)
{
	return sec < 0 ? 0 : (__u64)sec * 1000000000ULL + (__u64)(nsec & VIGIL_NSEC_MASK);
}

/* The inode's ctime (x = c) or mtime (x = m) in ns, from whichever of the three layouts the kernel has. */
#define VIGIL_INODE_TIME_NS(inode, x)                                                                              \
	(bpf_core_field_exists((inode)->i_##x##time_sec)                                                          \
		 ? ts_ns(BPF_CORE_READ(inode, i_##x##time_sec), BPF_CORE_READ(inode, i_##x##time_nsec))           \
	 : bpf_core_field_exists(((struct inode___pre611 *)(inode))->__i_##x##time)                               \
		 ? ts_ns(BPF_CORE_READ((struct inode___pre611 *)(inode), __i_##x##time.tv_sec),                    \
			 BPF_CORE_READ((struct inode___pre611 *)(inode), __i_##x##time.tv_nsec))                  \
		 : ts_ns(BPF_CORE_READ((struct inode___pre66 *)(inode), i_##x##time.tv_sec),                       \
			 BPF_CORE_READ((struct inode___pre66 *)(inode), i_##x##time.tv_nsec)))

/* A memfd's file is named "memfd:NAME" (what fexecve of a memfd runs). */
static __always_inline int is_memfd(struct file *exe)
{
	char name[6] = {};
	bpf_probe_read_kernel(name, sizeof(name), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
	return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' && name[5] == ':';
}

/* On overlayfs: the upper layer when the inode has an upper dentry (written or copied up in the container). */
static __always_inline __u32 overlay_layer(struct inode *inode)
{
	if (BPF_CORE_READ(inode, i_sb, s_magic) != VIGIL_OVERLAYFS_MAGIC)
		return 0;
	struct dentry *upper = NULL;
	if (bpf_core_type_exists(struct ovl_inode)) {
		struct ovl_inode *oi = (void *)inode - bpf_core_field_offset(struct ovl_inode, vfs_inode);
		upper = BPF_CORE_READ(oi, __upperdentry);
	} else {
		bpf_probe_read_kernel(&upper, sizeof(upper), (void *)inode + bpf_core_type_size(struct inode));
	}
	return upper ? VIGIL_EXE_UPPER_LAYER : VIGIL_EXE_LOWER_LAYER;
}

/* Could the process's user write the file: the DAC check on the mode bits (supplementary groups not
 * considered), CAP_DAC_OVERRIDE for everything, and never on a read-only mount or filesystem. */
static __always_inline __u32 writable(struct task_struct *task, struct file *exe, struct inode *inode)
{
	if ((BPF_CORE_READ(inode, i_sb, s_flags) & VIGIL_SB_RDONLY) != 0)
		return 0;
	struct vfsmount *mnt = BPF_CORE_READ(exe, f_path.mnt);
	if ((BPF_CORE_READ(mnt, mnt_flags) & MNT_READONLY) != 0)
		return 0;
	const struct cred *cred = BPF_CORE_READ(task, cred);
	if (BPF_CORE_READ(cred, cap_effective.val) & (1ULL << VIGIL_CAP_DAC_OVERRIDE))
		return VIGIL_EXE_WRITABLE;
	__u32 mode = BPF_CORE_READ(inode, i_mode);
	__u32 bit = BPF_CORE_READ(cred, fsuid.val) == BPF_CORE_READ(inode, i_uid.val)   ? VIGIL_S_IWUSR
		    : BPF_CORE_READ(cred, fsgid.val) == BPF_CORE_READ(inode, i_gid.val) ? VIGIL_S_IWGRP
											: VIGIL_S_IWOTH;
	return (mode & bit) ? VIGIL_EXE_WRITABLE : 0;
}

static __always_inline __u32 exe_flags(struct task_struct *task, struct file *exe)
{
	struct inode *inode = BPF_CORE_READ(exe, f_inode);
	if (!inode)
		return 0;
	return (is_memfd(exe) ? VIGIL_EXE_FROM_MEMFD : 0) | overlay_layer(inode) | writable(task, exe, inode);
}

#endif
