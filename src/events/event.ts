/**
 * The event model both rule engines read. One VigilEvent is one completed syscall (or life-cycle
 * record), decoded from the wire format (src/events/decode.ts) whether it came from the kernel
 * sensor, a Tracee JSON line or a .scap capture.
 */

export interface SockAddr {
  /** AF_INET = 2, AF_INET6 = 10, AF_UNIX = 1; 0 when unknown. */
  family: number;
  /** Dotted IPv4 or textual IPv6. */
  addr?: string;
  port?: number;
  /** AF_UNIX path (abstract sockets start with '@'). */
  path?: string;
}

export type ArgValue = number | string | readonly string[] | Uint8Array | SockAddr | null;

export interface VigilEvent {
  /** Event id in src/events/event-table.ts. */
  id: number;
  /** Event name (`execve`, `openat`, …); equal to eventById(id).name. */
  name: string;
  /** Nanoseconds since the Unix epoch. bigint because ns epochs exceed 2^53. */
  ts: bigint;
  cpu: number;
  /** Host pid (tgid), tid and parent pid. */
  pid: number;
  tid: number;
  ppid: number;
  /** The same ids inside the task's pid namespace. */
  vpid: number;
  vtid: number;
  vppid: number;
  uid: number;
  gid: number;
  /** Audit login uid; 4294967295 (-1) when unset. */
  loginuid: number;
  /** Task comm (at most 15 characters). */
  comm: string;
  /** Controlling tty device number, 0 when none. */
  tty: number;
  mntns: number;
  pidns: number;
  cgroupId: number;
  /** The cgroup path that identifies a container (e.g. `/docker/<64 hex>`), `/` or '' on the host. */
  cgroup: string;
  /** Syscall return value (negative errno on failure). */
  ret: number;
  /** Parameters by their event-table names. Missing params are absent, not null. */
  args: Record<string, ArgValue>;
}

/** Sentinel for "no loginuid" used by the kernel (u32 -1). */
export const NO_LOGINUID = 0xffffffff;
/** AT_FDCWD as passed in dirfd parameters. */
export const AT_FDCWD = -100;
