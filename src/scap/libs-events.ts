import type { PpmCodecName } from './ppm-flags.js';

/**
 * The libs event ids vigil understands, with each event's parameters in the order of current
 * falcosecurity/libs (`driver/event_table.c`, and the savefile converter that appends enter
 * parameters onto exit events). Older ids whose parameters are a prefix of a newer layout are
 * listed too, so older captures read with the same code.
 *
 * A param is written `name:type[:codec]`:
 *   type  i64 | u64 | i32 | u32 | u16 | u8 | str | buf | addr (sockaddr) | tuple (socktuple) | dyn
 *   codec a PPM ↔ Linux translation, a key of PPM_CODECS (src/scap/ppm-flags.ts)
 */

export type ParamType = 'i64' | 'u64' | 'i32' | 'u32' | 'u16' | 'u8' | 'str' | 'buf' | 'addr' | 'tuple' | 'dyn';
export type ParamCodec = PpmCodecName;

export interface LibsParam {
  name: string;
  type: ParamType;
  codec?: ParamCodec;
}

export interface LibsEvent {
  /** libs event id. */
  id: number;
  /** vigil event name (src/events/event-table.ts). */
  vigil: string;
  /** enter events are only joined onto their exit; `single` events (procexit) have no pair. */
  dir: 'enter' | 'exit' | 'single';
  params: readonly LibsParam[];
  /** For exit events: the enter id whose params are joined in. */
  enterId?: number;
  /** For exit events: the enter event's params, joined in where the exit lacks them. */
  enterParams?: readonly LibsParam[];
  /**
   * Every param name the decoded event may carry (its own and its enter's), all undefined: decoded
   * values are spread from it, so every event of one type shares one object shape.
   */
  template: Readonly<Record<string, undefined>>;
  /** Clone family, exec, exit, set*id: the event changes the process tree every shard keeps. */
  changesThreads: boolean;
  /** Bytes per param length: 4 for libs' large-payload events, else 2. */
  lenSize: 2 | 4;
}

export const CLONE_EVENTS: ReadonlySet<string> = new Set(['clone', 'clone3', 'fork', 'vfork']);
export const EXEC_EVENTS: ReadonlySet<string> = new Set(['execve', 'execveat']);
const ID_EVENTS: ReadonlySet<string> = new Set(['setuid', 'setresuid', 'setgid', 'setresgid']);

function changesThreads(vigilName: string): boolean {
  return CLONE_EVENTS.has(vigilName) || EXEC_EVENTS.has(vigilName) || ID_EVENTS.has(vigilName) || vigilName === 'procexit';
}

function templateOf(...lists: (readonly LibsParam[])[]): Record<string, undefined> {
  return Object.fromEntries(lists.flat().map((p) => [p.name, undefined]));
}

/** What the writer emits for one vigil event: an enter/exit pair readable by sysdig 0.29.3 and current libs. */
export interface WriterPair {
  enter?: LibsEvent;
  exit: LibsEvent;
}

function params(list: readonly string[]): LibsParam[] {
  return list.map((spec) => {
    const [name, type, codec] = spec.split(':') as [string, ParamType, ParamCodec | undefined];
    return codec ? { name, type, codec } : { name, type };
  });
}

const EXEC_X = [
  'res:i64', 'exe:str', 'args:buf', 'tid:i64', 'pid:i64', 'ptid:i64', 'cwd:str', 'fdlimit:u64', 'pgft_maj:u64',
  'pgft_min:u64', 'vm_size:u32', 'vm_rss:u32', 'vm_swap:u32', 'comm:str', 'cgroups:buf', 'env:buf', 'tty:i32',
  'vpgid:i64', 'loginuid:i32', 'flags:u32', 'cap_inheritable:u64', 'cap_permitted:u64', 'cap_effective:u64',
  'exe_ino:u64', 'exe_ino_ctime:u64', 'exe_ino_mtime:u64', 'uid:u32', 'trusted_exepath:str', 'pgid:i64', 'gid:u32',
];
const CLONE_X = [
  'res:i64', 'exe:str', 'args:buf', 'tid:i64', 'pid:i64', 'ptid:i64', 'cwd:str', 'fdlimit:i64', 'pgft_maj:u64',
  'pgft_min:u64', 'vm_size:u32', 'vm_rss:u32', 'vm_swap:u32', 'comm:str', 'cgroups:buf', 'flags:u32:clone',
  'uid:u32', 'gid:u32', 'vtid:i64', 'vpid:i64', 'pidns_init_start_ts:u64',
];
const OPEN_E = ['dirfd:i64', 'name:str', 'flags:u32:open', 'mode:u32'];
const SEND_E = ['fd:i64', 'size:u32', 'tuple:tuple'];
const SEND_X = ['res:i64', 'data:buf', ...SEND_E];
const ACCEPT_X = ['fd:i64', 'tuple:tuple', 'queuepct:u8', 'queuelen:u32', 'queuemax:u32'];
const MMAP_E = ['addr:u64', 'length:u64', 'prot:u32:prot', 'flags:u32:mmap', 'fd:i64', 'offset:u64'];

/** Marks the row the writer emits for its vigil event. */
const W = true;

/** [vigil name, enter id, exit id, enter params, exit params, writer row]. */
type Row = [string, number | null, number, readonly string[], readonly string[], typeof W?];

/**
 * Writer rows use ids Debian's sysdig 0.29.3 knows where one exists (it skips ids above its table,
 * and ignores params beyond its table's count, so the full current param list is written).
 * The reader knows every row.
 */
const ROWS: readonly Row[] = [
  ['execve', 292, 293, ['filename:str'], EXEC_X, W],
  ['execve', 288, 289, ['filename:str'], EXEC_X.slice(0, 17)],
  ['execve', 282, 283, [], EXEC_X.slice(0, 17)],
  ['execve', 230, 231, [], EXEC_X.slice(0, 16)],
  ['execveat', 330, 331, ['dirfd:i64', 'filename:str', 'at_flags:u32:execveat'], EXEC_X, W],
  ['clone', 222, 223, [], CLONE_X, W],
  ['fork', 224, 225, [], CLONE_X, W],
  ['vfork', 226, 227, [], CLONE_X, W],
  ['clone3', 334, 335, [], CLONE_X, W],
  ['procexit', null, 186, [], ['status:i64', 'ret:i64', 'sig:u8', 'core:u8', 'reaper_tid:i64'], W],
  ['open', 2, 3, ['name:str', 'flags:u32:open', 'mode:u32'], ['fd:i64', 'name:str', 'flags:u32:open', 'mode:u32', 'dev:u32', 'ino:u64'], W],
  ['openat', 306, 307, OPEN_E, ['fd:i64', ...OPEN_E, 'dev:u32', 'ino:u64'], W],
  ['openat', 102, 103, OPEN_E, ['fd:i64']],
  ['openat2', 326, 327, [...OPEN_E, 'resolve:u32:resolve'], ['fd:i64', ...OPEN_E, 'resolve:u32:resolve', 'dev:u32', 'ino:u64'], W],
  ['creat', 58, 59, ['name:str', 'mode:u32'], ['fd:i64', 'name:str', 'mode:u32', 'dev:u32', 'ino:u64'], W],
  ['close', 4, 5, ['fd:i64'], ['res:i64', 'fd:i64'], W],
  ['dup', 124, 125, ['oldfd:i64'], ['res:i64', 'oldfd:i64'], W],
  ['dup', 366, 367, ['oldfd:i64'], ['res:i64', 'oldfd:i64']],
  ['dup2', 362, 363, ['oldfd:i64', 'newfd:i64'], ['res:i64', 'oldfd:i64', 'newfd:i64'], W],
  ['dup3', 364, 365, ['oldfd:i64', 'newfd:i64', 'flags:u32:dup3'], ['res:i64', 'oldfd:i64', 'newfd:i64', 'flags:u32:dup3'], W],
  ['unlink', 300, 301, ['path:str'], ['res:i64', 'path:str'], W],
  ['unlink', 108, 109, ['path:str'], ['res:i64']],
  ['unlinkat', 302, 303, ['dirfd:i64', 'name:str'], ['res:i64', 'dirfd:i64', 'name:str', 'flags:u32'], W],
  ['unlinkat', 110, 111, ['dirfd:i64', 'name:str'], ['res:i64']],
  ['rename', 174, 175, [], ['res:i64', 'oldpath:str', 'newpath:str'], W],
  ['renameat', 176, 177, [], ['res:i64', 'olddirfd:i64', 'oldpath:str', 'newdirfd:i64', 'newpath:str'], W],
  ['renameat2', 318, 319, [], ['res:i64', 'olddirfd:i64', 'oldpath:str', 'newdirfd:i64', 'newpath:str', 'flags:u32'], W],
  ['mkdir', 276, 277, ['mode:u32'], ['res:i64', 'path:str', 'mode:u32'], W],
  ['mkdir', 98, 99, ['path:str', 'mode:u32'], ['res:i64']],
  ['mkdirat', 304, 305, [], ['res:i64', 'dirfd:i64', 'path:str', 'mode:u32'], W],
  ['rmdir', 278, 279, [], ['res:i64', 'path:str'], W],
  ['rmdir', 100, 101, ['path:str'], ['res:i64']],
  ['link', 308, 309, [], ['res:i64', 'oldpath:str', 'newpath:str'], W],
  ['link', 104, 105, ['oldpath:str', 'newpath:str'], ['res:i64']],
  ['linkat', 310, 311, [], ['res:i64', 'olddir:i64', 'oldpath:str', 'newdir:i64', 'newpath:str', 'flags:u32'], W],
  ['linkat', 106, 107, ['olddir:i64', 'oldpath:str', 'newdir:i64', 'newpath:str'], ['res:i64']],
  ['symlink', 178, 179, [], ['res:i64', 'target:str', 'linkpath:str'], W],
  ['symlinkat', 180, 181, [], ['res:i64', 'target:str', 'linkdirfd:i64', 'linkpath:str'], W],
  ['chmod', 314, 315, [], ['res:i64', 'filename:str', 'mode:u32'], W],
  ['fchmod', 316, 317, [], ['res:i64', 'fd:i64', 'mode:u32'], W],
  ['fchmodat', 312, 313, [], ['res:i64', 'dirfd:i64', 'filename:str', 'mode:u32'], W],
  ['memfd_create', 404, 405, [], ['fd:i64', 'name:str', 'flags:u32'], W],
  ['socket', 18, 19, ['domain:u32', 'type:u32', 'proto:u32'], ['fd:i64', 'domain:u32', 'type:u32', 'proto:u32'], W],
  ['connect', 22, 23, ['fd:i64', 'addr:addr'], ['res:i64', 'tuple:tuple', 'fd:i64', 'addr:addr'], W],
  ['accept', 246, 247, [], ACCEPT_X, W],
  ['accept', 26, 27, [], ACCEPT_X.slice(0, 3)],
  ['accept4', 248, 249, ['flags:i32'], [...ACCEPT_X, 'flags:i32'], W],
  ['accept4', 388, 389, ['flags:i32'], [...ACCEPT_X, 'flags:i32']],
  ['bind', 20, 21, ['fd:i64'], ['res:i64', 'addr:addr', 'fd:i64'], W],
  ['listen', 24, 25, ['fd:i64', 'backlog:u32'], ['res:i64', 'fd:i64', 'backlog:u32'], W],
  ['sendto', 30, 31, SEND_E, SEND_X, W],
  ['sendmsg', 48, 49, SEND_E, SEND_X, W],
  ['recvfrom', 34, 35, ['fd:i64', 'size:u32'], ['res:i64', 'data:buf', 'tuple:tuple', 'fd:i64', 'size:u32'], W],
  ['recvmsg', 52, 53, ['fd:i64'], ['res:i64', 'size:u32', 'data:buf', 'tuple:tuple', 'msgcontrol:buf', 'fd:i64'], W],
  ['ptrace', 168, 169, ['request:u16:ptrace', 'pid:i64'], ['res:i64', 'addr:dyn', 'data:dyn', 'request:u16:ptrace', 'pid:i64'], W],
  ['setuid', 198, 199, ['uid:u32'], ['res:i64', 'uid:u32'], W],
  ['setgid', 200, 201, ['gid:u32'], ['res:i64', 'gid:u32'], W],
  ['setresuid', 192, 193, ['ruid:u32', 'euid:u32', 'suid:u32'], ['res:i64', 'ruid:u32', 'euid:u32', 'suid:u32'], W],
  ['setresgid', 194, 195, ['rgid:u32', 'egid:u32', 'sgid:u32'], ['res:i64', 'rgid:u32', 'egid:u32', 'sgid:u32'], W],
  ['mmap', 160, 161, MMAP_E, ['res:u64', 'vm_size:u32', 'vm_rss:u32', 'vm_swap:u32', ...MMAP_E], W],
  ['mprotect', 328, 329, ['addr:u64', 'length:u64', 'prot:u32:prot'], ['res:i64', 'addr:u64', 'length:u64', 'prot:u32:prot'], W],
  ['init_module', 410, 411, [], ['res:i64', 'img:buf', 'length:u64', 'uargs:str'], W],
  ['finit_module', 412, 413, [], ['res:i64', 'fd:i64', 'uargs:str', 'flags:u32'], W],
  // sysdig 0.29.3 crashes rendering evt.res of the old dynamic-typed bpf exit, so the writer uses the new pair.
  ['bpf', 368, 369, ['cmd:i64'], ['res:i64', 'cmd:i32'], W],
  ['bpf', 296, 297, ['cmd:i64'], ['res:dyn']],
  ['mount', 256, 257, ['flags:u32'], ['res:i64', 'dev:str', 'dir:str', 'type:str', 'flags:u32'], W],
  ['umount2', 258, 259, ['flags:u32'], ['res:i64', 'name:str', 'flags:u32'], W],
  ['umount2', 390, 391, ['flags:u32'], ['res:i64', 'name:str', 'flags:u32']],
  ['setns', 240, 241, ['fd:i64', 'nstype:u32:clone'], ['res:i64', 'fd:i64', 'nstype:u32:clone'], W],
  ['unshare', 284, 285, ['flags:u32:clone'], ['res:i64', 'flags:u32:clone'], W],
  ['chroot', 266, 267, [], ['res:i64', 'path:str'], W],
  ['kill', 128, 129, ['pid:i64', 'sig:u8'], ['res:i64', 'pid:i64', 'sig:u8'], W],
  ['process_vm_writev', 422, 423, [], ['res:i64', 'pid:i64'], W],
];

/** Event types whose parameter lengths are u32 instead of u16 (libs' EF_LARGE_PAYLOAD). */
const LARGE_PAYLOAD_IDS: ReadonlySet<number> = new Set([322, 323, 324, 325, 402, 403]);

function lenSizeOf(id: number): 2 | 4 {
  return LARGE_PAYLOAD_IDS.has(id) ? 4 : 2;
}

/** Indexed by libs event id (all below 1024; a packed array, cheaper per event than a Map). */
const BY_ID: (LibsEvent | undefined)[] = Array.from({ length: 1024 }, () => undefined);
const WRITER = new Map<string, WriterPair>();

for (const [vigil, enterId, exitId, enterParams, exitParams, writer] of ROWS) {
  const enterList = params(enterParams);
  const exitList = params(exitParams);
  const common = (id: number) => ({ id, vigil, changesThreads: changesThreads(vigil), lenSize: lenSizeOf(id) });
  const enter: LibsEvent | undefined =
    enterId === null ? undefined : { ...common(enterId), dir: 'enter', params: enterList, template: templateOf(enterList) };
  const exit: LibsEvent = enter
    ? { ...common(exitId), dir: 'exit', params: exitList, enterId: enter.id, enterParams: enterList, template: templateOf(exitList, enterList) }
    : { ...common(exitId), dir: 'single', params: exitList, template: templateOf(exitList) };
  if (enter && !BY_ID[enter.id]) BY_ID[enter.id] = enter;
  BY_ID[exit.id] = exit;
  if (writer && !WRITER.has(vigil)) WRITER.set(vigil, { enter, exit });
}

/**
 * Events that carry container metadata instead of a syscall: PPME_CONTAINER_E (228), the JSON
 * documents PPME_CONTAINER_JSON_E (272) and _2_E (324, large payload), and PPME_ASYNCEVENT_E (402,
 * large payload), which the container plugin sends with the name "container".
 */
export const CONTAINER_EVENT = 228;
export const CONTAINER_JSON_EVENT = 272;
export const CONTAINER_PLUGIN_EVENT = 402;
const CONTAINER_ROWS: [id: number, params: readonly string[]][] = [
  [CONTAINER_EVENT, ['id:str', 'type:u32', 'name:str', 'image:str']],
  [CONTAINER_JSON_EVENT, ['json:str']],
  [324, ['json:str']],
  [CONTAINER_PLUGIN_EVENT, ['plugin_id:u32', 'name:str', 'data:buf']],
];
const CONTAINER_EVENTS = new Map<number, LibsEvent>(CONTAINER_ROWS.map(([id, list]) => {
  const ps = params(list);
  return [id, { id, vigil: '', dir: 'single', params: ps, template: templateOf(ps), changesThreads: false, lenSize: lenSizeOf(id) }];
}));

export function containerEventById(id: number): LibsEvent | undefined {
  return CONTAINER_EVENTS.get(id);
}

export function libsEventById(id: number): LibsEvent | undefined {
  return BY_ID[id];
}

export function writerPairFor(vigilName: string): WriterPair | undefined {
  return WRITER.get(vigilName);
}

/** Every vigil event name the scap reader and writer map (for docs and tests). */
export const SCAP_MAPPED_EVENTS: readonly string[] = [...WRITER.keys()];
