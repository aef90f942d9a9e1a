/* SPDX-License-Identifier: Apache-2.0 */
/*
 * THE vigil wire format: the one binary record layout shared by the BPF programs, the native addon,
 * the shard rings and src/events/wire.ts (which mirrors this file field by field and refuses to run
 * when VIGIL_WIRE_VERSION differs). Little-endian, no padding between fields, records not aligned.
 *
 *   record  = header (struct vigil_record_header, 104 bytes)
 *             cgroup path bytes (header.cgroup_len, no NUL)
 *             header.nargs × arg
 *   arg     = struct vigil_arg (4 bytes) then arg.len payload bytes
 *
 * Arg payloads by kind:
 *   VIGIL_ARG_S64       8 bytes, signed (fd, errno, int, pid, enum values)
 *   VIGIL_ARG_U64       8 bytes, unsigned (uint, uid, gid, mode, flags)
 *   VIGIL_ARG_STR       bytes without a NUL (paths, names)
 *   VIGIL_ARG_STRLIST   NUL-terminated strings back to back (argv, envp); the last may be cut short
 *   VIGIL_ARG_BYTES     raw bytes
 *   VIGIL_ARG_SOCKADDR  a struct sockaddr as the kernel/user passed it (family first, network order port)
 * arg.param is the index of the parameter in the event's params in src/events/event-table.ts.
 * Exec records from the kernel carry the whole argv (argv[0] first) in `args` and no `exe`, flagged
 * VIGIL_F_ARGV0; the decoder splits it. Parameters the sensor could not read are absent, never zero-filled.
 *
 * header.ts is CLOCK_BOOTTIME ns in the BPF ring buffer; the addon rewrites it to Unix-epoch ns when it
 * copies the record into a shard ring, so shard rings (and replayed records) always hold epoch ns.
 */
#ifndef VIGIL_RECORD_H
#define VIGIL_RECORD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define VIGIL_WIRE_VERSION 1

/* A record never exceeds this (the BPF side truncates arguments and sets VIGIL_F_TRUNCATED). */
#define VIGIL_RECORD_MAX 16384
#define VIGIL_CGROUP_PATH_MAX 256
#define VIGIL_COMM_LEN 16

enum vigil_record_flags {
	VIGIL_F_LIFECYCLE = 1, /* fork/exec/exit: the router copies it to every shard */
	VIGIL_F_CONTAINER = 2, /* cgroup path names a container: shard key = cgroup_id, else pid */
	VIGIL_F_TRUNCATED = 4, /* some argument was cut to fit VIGIL_RECORD_MAX or a configured bound */
	VIGIL_F_ARGV0 = 8,     /* exec: `args` holds the whole argv, argv[0] first, and there is no `exe` */
};

enum vigil_arg_kind {
	VIGIL_ARG_S64 = 1,
	VIGIL_ARG_U64 = 2,
	VIGIL_ARG_STR = 3,
	VIGIL_ARG_STRLIST = 4,
	VIGIL_ARG_BYTES = 5,
	VIGIL_ARG_SOCKADDR = 6,
};

struct vigil_record_header {
	__u32 len;        /*   0 whole record, header included */
	__u16 event_id;   /*   4 VIGIL_EVT_* */
	__u8 version;     /*   6 VIGIL_WIRE_VERSION */
	__u8 flags;       /*   7 enum vigil_record_flags */
	__u64 ts;         /*   8 see above */
	__s64 ret;        /*  16 syscall return value; 0 for procexit */
	__u64 cgroup_id;  /*  24 kernfs id of the cgroup whose path follows */
	__u32 pid;        /*  32 host tgid */
	__u32 tid;        /*  36 host tid */
	__u32 ppid;       /*  40 host tgid of the real parent */
	__u32 vpid;       /*  44 the same ids in the task's pid namespace */
	__u32 vtid;       /*  48 */
	__u32 vppid;      /*  52 0 when the parent is outside the namespace */
	__u32 uid;        /*  56 effective uid */
	__u32 gid;        /*  60 effective gid */
	__u32 loginuid;   /*  64 audit login uid, 0xffffffff when unset */
	__u32 tty;        /*  68 controlling tty dev_t (major << 20 | minor), 0 when none */
	__u32 mntns;      /*  72 mount namespace inode */
	__u32 pidns;      /*  76 pid namespace inode */
	__u32 cpu;        /*  80 */
	__u16 cgroup_len; /*  84 */
	__u8 nargs;       /*  86 */
	__u8 reserved;    /*  87 */
	char comm[VIGIL_COMM_LEN]; /* 88 NUL-padded */
};                        /* 104 */

struct vigil_arg {
	__u8 param; /* index into the event's params */
	__u8 kind;  /* enum vigil_arg_kind */
	__u16 len;  /* payload bytes */
};

#define VIGIL_HEADER_SIZE 104
#define VIGIL_ARG_HEADER_SIZE 4

/* Wire event ids = ids of src/events/event-table.ts (test/events/wire.test.ts checks they agree). */
enum vigil_event_id {
	VIGIL_EVT_EXECVE = 1,
	VIGIL_EVT_EXECVEAT = 2,
	VIGIL_EVT_CLONE = 3,
	VIGIL_EVT_CLONE3 = 4,
	VIGIL_EVT_FORK = 5,
	VIGIL_EVT_VFORK = 6,
	VIGIL_EVT_PROCEXIT = 7,
	VIGIL_EVT_OPEN = 8,
	VIGIL_EVT_OPENAT = 9,
	VIGIL_EVT_OPENAT2 = 10,
	VIGIL_EVT_CREAT = 11,
	VIGIL_EVT_CLOSE = 12,
	VIGIL_EVT_DUP = 13,
	VIGIL_EVT_DUP2 = 14,
	VIGIL_EVT_DUP3 = 15,
	VIGIL_EVT_UNLINK = 16,
	VIGIL_EVT_UNLINKAT = 17,
	VIGIL_EVT_RENAME = 18,
	VIGIL_EVT_RENAMEAT = 19,
	VIGIL_EVT_RENAMEAT2 = 20,
	VIGIL_EVT_MKDIR = 21,
	VIGIL_EVT_MKDIRAT = 22,
	VIGIL_EVT_RMDIR = 23,
	VIGIL_EVT_LINK = 24,
	VIGIL_EVT_LINKAT = 25,
	VIGIL_EVT_SYMLINK = 26,
	VIGIL_EVT_SYMLINKAT = 27,
	VIGIL_EVT_CHMOD = 28,
	VIGIL_EVT_FCHMOD = 29,
	VIGIL_EVT_FCHMODAT = 30,
	VIGIL_EVT_MEMFD_CREATE = 31,
	VIGIL_EVT_SOCKET = 32,
	VIGIL_EVT_CONNECT = 33,
	VIGIL_EVT_ACCEPT = 34,
	VIGIL_EVT_ACCEPT4 = 35,
	VIGIL_EVT_BIND = 36,
	VIGIL_EVT_LISTEN = 37,
	VIGIL_EVT_SENDTO = 38,
	VIGIL_EVT_SENDMSG = 39,
	VIGIL_EVT_RECVFROM = 40,
	VIGIL_EVT_RECVMSG = 41,
	VIGIL_EVT_PTRACE = 42,
	VIGIL_EVT_SETUID = 43,
	VIGIL_EVT_SETGID = 44,
	VIGIL_EVT_SETRESUID = 45,
	VIGIL_EVT_SETRESGID = 46,
	VIGIL_EVT_MMAP = 47,
	VIGIL_EVT_MPROTECT = 48,
	VIGIL_EVT_INIT_MODULE = 49,
	VIGIL_EVT_FINIT_MODULE = 50,
	VIGIL_EVT_BPF = 51,
	VIGIL_EVT_MOUNT = 52,
	VIGIL_EVT_UMOUNT2 = 53,
	VIGIL_EVT_SETNS = 54,
	VIGIL_EVT_UNSHARE = 55,
	VIGIL_EVT_CHROOT = 56,
	VIGIL_EVT_KILL = 57,
	VIGIL_EVT_PROCESS_VM_WRITEV = 58,
	VIGIL_EVT_MAX = 59, /* one past the last id; sizes the enable map */
};

/* Per-CPU counters (map vigil_counters), index = enum vigil_counter. */
enum vigil_counter {
	VIGIL_CNT_RINGBUF_DROPS = 0, /* records that could not be written to the BPF ring buffer */
	VIGIL_CNT_ENTER_DROPS = 1,   /* syscall entries that could not be stored (enter map full) */
	VIGIL_CNT_EMITTED = 2,       /* records written to the BPF ring buffer */
	VIGIL_CNT_MAX = 3,
};

#endif /* VIGIL_RECORD_H */
