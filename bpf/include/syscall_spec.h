/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How each captured syscall's parameters are read: one row per event id, one P(param, source, read, aux)
 * per parameter, `param` being the index in the event's params in src/events/event-table.ts (the comment
 * names it; test/events/wire.test.ts parses this file and checks every row against the table).
 * Exec, clone-family child ids and procexit need more than a table and are written in vigil.bpf.c.
 * x86_64 syscall numbers; 32-bit (ia32) syscalls are not captured (sys_enter skips TS_COMPAT tasks).
 */
#ifndef VIGIL_SYSCALL_SPEC_H
#define VIGIL_SYSCALL_SPEC_H

#include "record.h"

enum vigil_src {
	SRC_ARG0 = 0, SRC_ARG1, SRC_ARG2, SRC_ARG3, SRC_ARG4, SRC_ARG5,
	SRC_RET,       /* the syscall's return value */
	SRC_CHILD_TID, /* clone family: host tid of the child (sched_process_fork) */
	SRC_CHILD_PID, /* clone family: host tgid of the child */
};

enum vigil_read {
	RD_NONE = 0,
	RD_S32,           /* int argument, sign-extended → S64 */
	RD_S64,           /* → S64 */
	RD_U32,           /* → U64 */
	RD_U64,           /* → U64 */
	RD_NONNEG,        /* → U64, absent when negative (sizes taken from the return value) */
	RD_DEREF_U64,     /* u64 at user address (source + aux) → U64 (clone_args, open_how fields) */
	RD_STR,           /* user string → STR */
	RD_SOCKADDR,      /* user sockaddr, length in argument aux → SOCKADDR */
	RD_SOCKADDR_LPTR, /* user sockaddr, length at the user int* in argument aux → SOCKADDR */
	RD_MSG_NAME,      /* msghdr.msg_name → SOCKADDR */
	RD_BYTES_RET,     /* user buffer, min(return value, vigil_data_max) bytes → BYTES */
	RD_MSG_DATA,      /* first iovec of a msghdr, min(return value, iov_len, vigil_data_max) → BYTES */
	RD_SOCK_LOCAL,    /* local address of the socket behind the fd in source → SOCKADDR (AF_INET/6) */
	RD_FD_DEV,        /* device (kernel dev_t) of the file behind the fd in source → U64 */
	RD_FD_INO,        /* inode number of the file behind the fd in source → U64 */
};

#define VIGIL_SPEC_PARAMS 8
#define VIGIL_NR_MAX 512

struct vigil_param_spec {
	__u8 param;
	__u8 src;
	__u8 read;
	__u8 aux;
};

struct vigil_syscall_spec {
	__u8 nparams;
	struct vigil_param_spec p[VIGIL_SPEC_PARAMS];
};

#define P(param, src, read, aux) {param, src, read, aux}
#define ROW(n, ...) {n, {__VA_ARGS__}}

static const struct vigil_syscall_spec vigil_specs[VIGIL_EVT_MAX] = {
	[VIGIL_EVT_CLONE] = ROW(3, P(0, SRC_ARG0, RD_U64, 0) /* flags */, P(1, SRC_CHILD_TID, RD_S64, 0) /* child_tid */, P(2, SRC_CHILD_PID, RD_S64, 0) /* child_pid */),
	[VIGIL_EVT_CLONE3] = ROW(3, P(0, SRC_ARG0, RD_DEREF_U64, 0) /* flags */, P(1, SRC_CHILD_TID, RD_S64, 0) /* child_tid */, P(2, SRC_CHILD_PID, RD_S64, 0) /* child_pid */),
	[VIGIL_EVT_FORK] = ROW(2, P(1, SRC_CHILD_TID, RD_S64, 0) /* child_tid */, P(2, SRC_CHILD_PID, RD_S64, 0) /* child_pid */),
	[VIGIL_EVT_VFORK] = ROW(2, P(1, SRC_CHILD_TID, RD_S64, 0) /* child_tid */, P(2, SRC_CHILD_PID, RD_S64, 0) /* child_pid */),
	[VIGIL_EVT_OPEN] = ROW(6, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_STR, 0) /* name */, P(2, SRC_ARG1, RD_U32, 0) /* flags */, P(3, SRC_ARG2, RD_U32, 0) /* mode */, P(4, SRC_RET, RD_FD_DEV, 0) /* dev */, P(5, SRC_RET, RD_FD_INO, 0) /* ino */),
	[VIGIL_EVT_OPENAT] = ROW(7, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* dirfd */, P(2, SRC_ARG1, RD_STR, 0) /* name */, P(3, SRC_ARG2, RD_U32, 0) /* flags */, P(4, SRC_ARG3, RD_U32, 0) /* mode */, P(5, SRC_RET, RD_FD_DEV, 0) /* dev */, P(6, SRC_RET, RD_FD_INO, 0) /* ino */),
	[VIGIL_EVT_OPENAT2] = ROW(8, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* dirfd */, P(2, SRC_ARG1, RD_STR, 0) /* name */, P(3, SRC_ARG2, RD_DEREF_U64, 0) /* flags */, P(4, SRC_ARG2, RD_DEREF_U64, 8) /* mode */, P(5, SRC_ARG2, RD_DEREF_U64, 16) /* resolve */, P(6, SRC_RET, RD_FD_DEV, 0) /* dev */, P(7, SRC_RET, RD_FD_INO, 0) /* ino */),
	[VIGIL_EVT_CREAT] = ROW(5, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_STR, 0) /* name */, P(2, SRC_ARG1, RD_U32, 0) /* mode */, P(3, SRC_RET, RD_FD_DEV, 0) /* dev */, P(4, SRC_RET, RD_FD_INO, 0) /* ino */),
	[VIGIL_EVT_CLOSE] = ROW(1, P(0, SRC_ARG0, RD_S32, 0) /* fd */),
	[VIGIL_EVT_DUP] = ROW(2, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* oldfd */),
	[VIGIL_EVT_DUP2] = ROW(3, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* oldfd */, P(2, SRC_ARG1, RD_S32, 0) /* newfd */),
	[VIGIL_EVT_DUP3] = ROW(4, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* oldfd */, P(2, SRC_ARG1, RD_S32, 0) /* newfd */, P(3, SRC_ARG2, RD_U32, 0) /* flags */),
	[VIGIL_EVT_UNLINK] = ROW(1, P(0, SRC_ARG0, RD_STR, 0) /* path */),
	[VIGIL_EVT_UNLINKAT] = ROW(3, P(0, SRC_ARG0, RD_S32, 0) /* dirfd */, P(1, SRC_ARG1, RD_STR, 0) /* name */, P(2, SRC_ARG2, RD_U32, 0) /* flags */),
	[VIGIL_EVT_RENAME] = ROW(2, P(0, SRC_ARG0, RD_STR, 0) /* oldpath */, P(1, SRC_ARG1, RD_STR, 0) /* newpath */),
	[VIGIL_EVT_RENAMEAT] = ROW(4, P(0, SRC_ARG0, RD_S32, 0) /* olddirfd */, P(1, SRC_ARG1, RD_STR, 0) /* oldpath */, P(2, SRC_ARG2, RD_S32, 0) /* newdirfd */, P(3, SRC_ARG3, RD_STR, 0) /* newpath */),
	[VIGIL_EVT_RENAMEAT2] = ROW(5, P(0, SRC_ARG0, RD_S32, 0) /* olddirfd */, P(1, SRC_ARG1, RD_STR, 0) /* oldpath */, P(2, SRC_ARG2, RD_S32, 0) /* newdirfd */, P(3, SRC_ARG3, RD_STR, 0) /* newpath */, P(4, SRC_ARG4, RD_U32, 0) /* flags */),
	[VIGIL_EVT_MKDIR] = ROW(2, P(0, SRC_ARG0, RD_STR, 0) /* path */, P(1, SRC_ARG1, RD_U32, 0) /* mode */),
	[VIGIL_EVT_MKDIRAT] = ROW(3, P(0, SRC_ARG0, RD_S32, 0) /* dirfd */, P(1, SRC_ARG1, RD_STR, 0) /* path */, P(2, SRC_ARG2, RD_U32, 0) /* mode */),
	[VIGIL_EVT_RMDIR] = ROW(1, P(0, SRC_ARG0, RD_STR, 0) /* path */),
	[VIGIL_EVT_LINK] = ROW(2, P(0, SRC_ARG0, RD_STR, 0) /* oldpath */, P(1, SRC_ARG1, RD_STR, 0) /* newpath */),
	[VIGIL_EVT_LINKAT] = ROW(5, P(0, SRC_ARG0, RD_S32, 0) /* olddir */, P(1, SRC_ARG1, RD_STR, 0) /* oldpath */, P(2, SRC_ARG2, RD_S32, 0) /* newdir */, P(3, SRC_ARG3, RD_STR, 0) /* newpath */, P(4, SRC_ARG4, RD_U32, 0) /* flags */),
	[VIGIL_EVT_SYMLINK] = ROW(2, P(0, SRC_ARG0, RD_STR, 0) /* target */, P(1, SRC_ARG1, RD_STR, 0) /* linkpath */),
	[VIGIL_EVT_SYMLINKAT] = ROW(3, P(0, SRC_ARG0, RD_STR, 0) /* target */, P(1, SRC_ARG1, RD_S32, 0) /* linkdirfd */, P(2, SRC_ARG2, RD_STR, 0) /* linkpath */),
	[VIGIL_EVT_CHMOD] = ROW(2, P(0, SRC_ARG0, RD_STR, 0) /* filename */, P(1, SRC_ARG1, RD_U32, 0) /* mode */),
	[VIGIL_EVT_FCHMOD] = ROW(2, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG1, RD_U32, 0) /* mode */),
	[VIGIL_EVT_FCHMODAT] = ROW(3, P(0, SRC_ARG0, RD_S32, 0) /* dirfd */, P(1, SRC_ARG1, RD_STR, 0) /* filename */, P(2, SRC_ARG2, RD_U32, 0) /* mode */),
	[VIGIL_EVT_MEMFD_CREATE] = ROW(3, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_STR, 0) /* name */, P(2, SRC_ARG1, RD_U32, 0) /* flags */),
	[VIGIL_EVT_SOCKET] = ROW(4, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* domain */, P(2, SRC_ARG1, RD_U32, 0) /* type */, P(3, SRC_ARG2, RD_S32, 0) /* proto */),
	[VIGIL_EVT_CONNECT] = ROW(3, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG1, RD_SOCKADDR, 2) /* addr */, P(2, SRC_ARG0, RD_SOCK_LOCAL, 0) /* local */),
	[VIGIL_EVT_ACCEPT] = ROW(4, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* listenfd */, P(2, SRC_ARG1, RD_SOCKADDR_LPTR, 2) /* addr */, P(3, SRC_RET, RD_SOCK_LOCAL, 0) /* local */),
	[VIGIL_EVT_ACCEPT4] = ROW(5, P(0, SRC_RET, RD_S64, 0) /* fd */, P(1, SRC_ARG0, RD_S32, 0) /* listenfd */, P(2, SRC_ARG1, RD_SOCKADDR_LPTR, 2) /* addr */, P(3, SRC_RET, RD_SOCK_LOCAL, 0) /* local */, P(4, SRC_ARG3, RD_U32, 0) /* flags */),
	[VIGIL_EVT_BIND] = ROW(2, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG1, RD_SOCKADDR, 2) /* addr */),
	[VIGIL_EVT_LISTEN] = ROW(2, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG1, RD_S32, 0) /* backlog */),
	[VIGIL_EVT_SENDTO] = ROW(4, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG2, RD_U64, 0) /* size */, P(2, SRC_ARG4, RD_SOCKADDR, 5) /* addr */, P(3, SRC_ARG1, RD_BYTES_RET, 0) /* data */),
	[VIGIL_EVT_SENDMSG] = ROW(4, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_RET, RD_NONNEG, 0) /* size */, P(2, SRC_ARG1, RD_MSG_NAME, 0) /* addr */, P(3, SRC_ARG1, RD_MSG_DATA, 0) /* data */),
	[VIGIL_EVT_RECVFROM] = ROW(4, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_RET, RD_NONNEG, 0) /* size */, P(2, SRC_ARG4, RD_SOCKADDR_LPTR, 5) /* addr */, P(3, SRC_ARG1, RD_BYTES_RET, 0) /* data */),
	[VIGIL_EVT_RECVMSG] = ROW(4, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_RET, RD_NONNEG, 0) /* size */, P(2, SRC_ARG1, RD_MSG_NAME, 0) /* addr */, P(3, SRC_ARG1, RD_MSG_DATA, 0) /* data */),
	[VIGIL_EVT_PTRACE] = ROW(4, P(0, SRC_ARG0, RD_S64, 0) /* request */, P(1, SRC_ARG1, RD_S32, 0) /* pid */, P(2, SRC_ARG2, RD_U64, 0) /* addr */, P(3, SRC_ARG3, RD_U64, 0) /* data */),
	[VIGIL_EVT_SETUID] = ROW(1, P(0, SRC_ARG0, RD_U32, 0) /* uid */),
	[VIGIL_EVT_SETGID] = ROW(1, P(0, SRC_ARG0, RD_U32, 0) /* gid */),
	[VIGIL_EVT_SETRESUID] = ROW(3, P(0, SRC_ARG0, RD_U32, 0) /* ruid */, P(1, SRC_ARG1, RD_U32, 0) /* euid */, P(2, SRC_ARG2, RD_U32, 0) /* suid */),
	[VIGIL_EVT_SETRESGID] = ROW(3, P(0, SRC_ARG0, RD_U32, 0) /* rgid */, P(1, SRC_ARG1, RD_U32, 0) /* egid */, P(2, SRC_ARG2, RD_U32, 0) /* sgid */),
	[VIGIL_EVT_MMAP] = ROW(6, P(0, SRC_ARG0, RD_U64, 0) /* addr */, P(1, SRC_ARG1, RD_U64, 0) /* length */, P(2, SRC_ARG2, RD_U32, 0) /* prot */, P(3, SRC_ARG3, RD_U32, 0) /* flags */, P(4, SRC_ARG4, RD_S32, 0) /* fd */, P(5, SRC_ARG5, RD_U64, 0) /* offset */),
	[VIGIL_EVT_MPROTECT] = ROW(3, P(0, SRC_ARG0, RD_U64, 0) /* addr */, P(1, SRC_ARG1, RD_U64, 0) /* length */, P(2, SRC_ARG2, RD_U32, 0) /* prot */),
	[VIGIL_EVT_INIT_MODULE] = ROW(2, P(0, SRC_ARG1, RD_U64, 0) /* length */, P(1, SRC_ARG2, RD_STR, 0) /* uargs */),
	[VIGIL_EVT_FINIT_MODULE] = ROW(3, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG1, RD_STR, 0) /* uargs */, P(2, SRC_ARG2, RD_U32, 0) /* flags */),
	[VIGIL_EVT_BPF] = ROW(1, P(0, SRC_ARG0, RD_S32, 0) /* cmd */),
	[VIGIL_EVT_MOUNT] = ROW(4, P(0, SRC_ARG0, RD_STR, 0) /* dev */, P(1, SRC_ARG1, RD_STR, 0) /* dir */, P(2, SRC_ARG2, RD_STR, 0) /* type */, P(3, SRC_ARG3, RD_U64, 0) /* flags */),
	[VIGIL_EVT_UMOUNT2] = ROW(2, P(0, SRC_ARG0, RD_STR, 0) /* name */, P(1, SRC_ARG1, RD_U32, 0) /* flags */),
	[VIGIL_EVT_SETNS] = ROW(2, P(0, SRC_ARG0, RD_S32, 0) /* fd */, P(1, SRC_ARG1, RD_U32, 0) /* nstype */),
	[VIGIL_EVT_UNSHARE] = ROW(1, P(0, SRC_ARG0, RD_U32, 0) /* flags */),
	[VIGIL_EVT_CHROOT] = ROW(1, P(0, SRC_ARG0, RD_STR, 0) /* path */),
	[VIGIL_EVT_KILL] = ROW(2, P(0, SRC_ARG0, RD_S32, 0) /* pid */, P(1, SRC_ARG1, RD_S32, 0) /* sig */),
	[VIGIL_EVT_PROCESS_VM_WRITEV] = ROW(4, P(0, SRC_ARG0, RD_S32, 0) /* pid */, P(1, SRC_ARG2, RD_U64, 0) /* liovcnt */, P(2, SRC_ARG4, RD_U64, 0) /* riovcnt */, P(3, SRC_ARG5, RD_U64, 0) /* flags */),
};

/* x86_64 syscall number → event id (0 = not captured). */
static const __u8 vigil_nr_event[VIGIL_NR_MAX] = {
	[59] = VIGIL_EVT_EXECVE, [322] = VIGIL_EVT_EXECVEAT,
	[56] = VIGIL_EVT_CLONE, [435] = VIGIL_EVT_CLONE3, [57] = VIGIL_EVT_FORK, [58] = VIGIL_EVT_VFORK,
	[2] = VIGIL_EVT_OPEN, [257] = VIGIL_EVT_OPENAT, [437] = VIGIL_EVT_OPENAT2, [85] = VIGIL_EVT_CREAT,
	[3] = VIGIL_EVT_CLOSE, [32] = VIGIL_EVT_DUP, [33] = VIGIL_EVT_DUP2, [292] = VIGIL_EVT_DUP3,
	[87] = VIGIL_EVT_UNLINK, [263] = VIGIL_EVT_UNLINKAT,
	[82] = VIGIL_EVT_RENAME, [264] = VIGIL_EVT_RENAMEAT, [316] = VIGIL_EVT_RENAMEAT2,
	[83] = VIGIL_EVT_MKDIR, [258] = VIGIL_EVT_MKDIRAT, [84] = VIGIL_EVT_RMDIR,
	[86] = VIGIL_EVT_LINK, [265] = VIGIL_EVT_LINKAT, [88] = VIGIL_EVT_SYMLINK, [266] = VIGIL_EVT_SYMLINKAT,
	[90] = VIGIL_EVT_CHMOD, [91] = VIGIL_EVT_FCHMOD, [268] = VIGIL_EVT_FCHMODAT,
	[319] = VIGIL_EVT_MEMFD_CREATE,
	[41] = VIGIL_EVT_SOCKET, [42] = VIGIL_EVT_CONNECT, [43] = VIGIL_EVT_ACCEPT, [288] = VIGIL_EVT_ACCEPT4,
	[49] = VIGIL_EVT_BIND, [50] = VIGIL_EVT_LISTEN,
	[44] = VIGIL_EVT_SENDTO, [46] = VIGIL_EVT_SENDMSG, [45] = VIGIL_EVT_RECVFROM, [47] = VIGIL_EVT_RECVMSG,
	[101] = VIGIL_EVT_PTRACE, [105] = VIGIL_EVT_SETUID, [106] = VIGIL_EVT_SETGID,
	[117] = VIGIL_EVT_SETRESUID, [119] = VIGIL_EVT_SETRESGID,
	[9] = VIGIL_EVT_MMAP, [10] = VIGIL_EVT_MPROTECT,
	[175] = VIGIL_EVT_INIT_MODULE, [313] = VIGIL_EVT_FINIT_MODULE, [321] = VIGIL_EVT_BPF,
	[165] = VIGIL_EVT_MOUNT, [166] = VIGIL_EVT_UMOUNT2, [308] = VIGIL_EVT_SETNS, [272] = VIGIL_EVT_UNSHARE,
	[161] = VIGIL_EVT_CHROOT, [62] = VIGIL_EVT_KILL, [311] = VIGIL_EVT_PROCESS_VM_WRITEV,
};

#undef P
#undef ROW
#endif
