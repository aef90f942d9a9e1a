/**
 * The shapes of vigil's state tables, shared by the tables (src/state), the Falco field extractors
 * (src/falco/fields), the Tracee signatures, the .scap seeding and the workers' /proc seeding.
 */

export type FdType =
  | 'file'
  | 'directory'
  | 'ipv4'
  | 'ipv6'
  | 'unix'
  | 'pipe'
  | 'event'
  | 'signalfd'
  | 'eventpoll'
  | 'inotify'
  | 'timerfd'
  | 'netlink'
  | 'bpf'
  | 'userfaultfd'
  | 'io_uring'
  | 'memfd'
  | 'pidfd'
  | 'unknown';

export interface FdInfo {
  num: number;
  type: FdType;
  /** Normalised absolute path for files; `cip:cport->sip:sport` for inet sockets; path for unix sockets. */
  name: string;
  /** The path as the process passed it (before resolution against dirfd/cwd). */
  nameRaw: string;
  /** open(2) flags the fd was created with (0 when unknown). */
  openFlags: number;
  dev?: number;
  ino?: number;
  /** Sockets: 'tcp' | 'udp' | 'icmp' | 'raw'. */
  l4proto?: string;
  /** Sockets: client and server ends; client = the connecting side. */
  cip?: string;
  cport?: number;
  sip?: string;
  sport?: number;
  /** Sockets: true once connected/accepted. */
  connected?: boolean;
  /** Sockets: the socket family number (AF_*). */
  family?: number;
  /** true when the last event changed the name (e.g. a connect filled in the tuple). */
  nameChanged?: boolean;
}

/** A per-process fd table; threads of one process share it. */
export interface FdTableView {
  get(fd: number): FdInfo | undefined;
  entries(): IterableIterator<FdInfo>;
  readonly size: number;
}

export interface ThreadInfo {
  tid: number;
  /** Thread group id (the process id). */
  pid: number;
  /** Parent process id (host). Follows reparenting. */
  ptid: number;
  vtid: number;
  vpid: number;
  sid: number;
  vpgid: number;
  /** Kernel comm, at most 15 characters. `<NA>` for a thread synthesised from an unknown tid. */
  comm: string;
  /** argv[0] as passed to execve. */
  exe: string;
  /** Trusted executable path (kernel), else /proc/PID/exe. */
  exepath: string;
  /** argv[1..]. */
  args: string[];
  env: string[];
  cwd: string;
  tty: number;
  uid: number;
  gid: number;
  loginuid: number;
  capInheritable: bigint;
  capPermitted: bigint;
  capEffective: bigint;
  /** execve flags (EXE_WRITABLE, EXE_UPPER_LAYER, EXE_FROM_MEMFD …) of the image's exec. */
  execFlags: number;
  exeIno: number;
  exeInoCtime: bigint;
  exeInoMtime: bigint;
  /** Clone (process start) time, ns since epoch; 0n when unknown. */
  cloneTs: bigint;
  /** Container id (12 hex chars) or 'host'; '' when it could not be read. */
  containerId: string;
  cgroup: string;
  mntns: number;
  pidns: number;
  fds: FdTableView;
}

export interface ContainerInfo {
  /** 12-character id, or 'host'. */
  id: string;
  fullId: string;
  /** docker | containerd | cri-o | podman | host */
  type: string;
  name?: string;
  image?: string;
  imageRepository?: string;
  imageTag?: string;
  imageDigest?: string;
  imageId?: string;
  privileged?: boolean;
  /** Container start time, ns since epoch. */
  startTs?: bigint;
  labels?: Record<string, string>;
  mounts?: { source: string; dest: string; mode: string; rw: boolean; propagation: string }[];
  k8sNamespace?: string;
  k8sPodName?: string;
  k8sPodUid?: string;
}

export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  home: string;
  shell: string;
}

export interface GroupInfo {
  gid: number;
  name: string;
}

/** What field extractors may ask of the state tables. */
export interface StateView {
  thread(tid: number): ThreadInfo | undefined;
  container(id: string): ContainerInfo | undefined;
  /** Users and groups as seen inside the given container ('host' for the host's databases). */
  user(uid: number, containerId: string): UserInfo | undefined;
  group(gid: number, containerId: string): GroupInfo | undefined;
}
