/**
 * @module Tracee JSON events → vigil events, so replayed Tracee lines take the live path (wire
 * encoding, shard rings, both engines). Tracee names its syscall arguments after the C
 * prototypes (`pathname`, `argv`, `sockfd`) and renders flags as text; the event table uses
 * Falco's parameter names and numbers, so the events both tools share are mapped here. Events
 * vigil does not capture (Tracee's LSM-hook and derived events) are refused with a reason: the
 * replay reader counts them as unusable lines.
 */
import type { ArgValue, SockAddr, VigilEvent } from '../events/event.js';
import { eventByName, type FlagTable } from '../events/event-table.js';
import { renderFlags } from '../events/flags.js';
import type { TraceeEvent } from '../events/tracee-event.js';

/** Tracee event names that stand for one of vigil's events. */
const EVENT_ALIASES: Record<string, string> = {
  sched_process_exec: 'execve',
  sched_process_fork: 'clone',
  sched_process_exit: 'procexit',
};

/** Tracee argument name → event-table parameter name, per event (when they differ). */
const ARG_ALIASES: Record<string, Record<string, string>> = {
  execve: { pathname: 'filename', cmdpath: 'filename', envp: 'env' },
  execveat: { pathname: 'filename', envp: 'env' },
  open: { pathname: 'name' },
  openat: { pathname: 'name' },
  openat2: { pathname: 'name' },
  creat: { pathname: 'name' },
  connect: { sockfd: 'fd' },
  bind: { sockfd: 'fd' },
  listen: { sockfd: 'fd' },
  accept: { sockfd: 'fd' },
  accept4: { sockfd: 'fd' },
  unlink: { pathname: 'path' },
  unlinkat: { pathname: 'name' },
  mkdir: { pathname: 'path' },
  rmdir: { pathname: 'path' },
  chmod: { pathname: 'filename' },
  memfd_create: { name: 'name' },
  init_module: { len: 'length', param_values: 'uargs' },
  finit_module: { param_values: 'uargs' },
  mount: { source: 'dev', target: 'dir', filesystemtype: 'type', mountflags: 'flags' },
  procexit: { exit_code: 'status' },
};

const reverse = new Map<FlagTable, Map<string, number>>();

/** Flag text (`O_WRONLY|O_CREAT`, `PTRACE_ATTACH`) back to its number, through the same tables that render it. */
function parseFlags(table: FlagTable, text: string): number | undefined {
  let names = reverse.get(table);
  if (!names) {
    // Each name is learnt from the smallest value whose rendering adds it to the rendering of 0
    // (which names the zero-valued access mode or enum entry, e.g. O_RDONLY, PTRACE_TRACEME).
    const found = new Map<string, number>();
    const zero = renderFlags(table, 0).split('|');
    for (const name of zero) found.set(name, 0);
    const candidates = [...Array.from({ length: 1024 }, (_, i) => i), ...Array.from({ length: 22 }, (_, i) => 2 ** (i + 10))];
    for (const v of candidates) {
      const added = renderFlags(table, v).split('|').filter((n) => !zero.includes(n));
      if (added.length === 1 && !found.has(added[0]!)) found.set(added[0]!, v);
    }
    names = found;
    reverse.set(table, names);
  }
  let value = 0;
  for (const part of text.split('|')) {
    const v = names.get(part.trim());
    if (v === undefined) return /^-?\d+$/.test(part.trim()) ? value + Number(part) : undefined;
    value += v;
  }
  return value;
}

const FAMILIES: Record<string, number> = { AF_UNIX: 1, AF_LOCAL: 1, AF_INET: 2, AF_INET6: 10 };

function sockaddr(v: Record<string, unknown>): SockAddr {
  const family = FAMILIES[String(v['sa_family'])] ?? 0;
  if (family === 1) return { family, path: String(v['sun_path'] ?? '') };
  const addr = String(v[family === 10 ? 'sin6_addr' : 'sin_addr'] ?? '');
  const port = Number(v[family === 10 ? 'sin6_port' : 'sin_port'] ?? 0);
  return { family, addr, port };
}

function convertArg(value: unknown, kind: string, table: FlagTable | undefined): ArgValue | undefined {
  if (value === null || value === undefined) return undefined;
  switch (kind) {
    case 'str':
    case 'path':
    case 'relpath':
      return String(value);
    case 'strlist':
      return Array.isArray(value) ? value.map(String) : undefined;
    case 'sockaddr':
      return typeof value === 'object' && !Array.isArray(value) ? sockaddr(value as Record<string, unknown>) : undefined;
    case 'bytes':
      return typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
    default:
      if (typeof value === 'number') return value;
      if (typeof value === 'string') {
        if (/^0x[0-9a-f]+$/i.test(value)) return Number.parseInt(value, 16);
        if (/^-?\d+$/.test(value)) return Number(value);
        return table ? parseFlags(table, value) : undefined;
      }
      return typeof value === 'boolean' ? Number(value) : undefined;
  }
}

export function traceeToVigil(t: TraceeEvent): VigilEvent | string {
  const name = EVENT_ALIASES[t.eventName] ?? t.eventName;
  const def = eventByName(name);
  if (!def) return `event '${t.eventName}' is not one vigil captures`;
  const aliases = ARG_ALIASES[name] ?? {};
  const args: Record<string, ArgValue> = {};
  for (const a of t.args ?? []) {
    const paramName = aliases[a.name] ?? a.name;
    if (name === 'execve' || name === 'execveat') {
      if (a.name === 'argv' && Array.isArray(a.value)) {
        const argv = a.value.map(String);
        args['exe'] = argv[0] ?? '';
        args['args'] = argv.slice(1);
        continue;
      }
    }
    const param = def.params.find((p) => p.name === paramName);
    if (!param) continue;
    const v = convertArg(a.value, param.kind, param.table);
    if (v !== undefined) args[param.name] = v;
  }
  const containerId = t.containerId ?? '';
  return {
    id: def.id,
    name,
    ts: BigInt(Math.max(0, Math.trunc(t.timestamp ?? 0))),
    cpu: t.processorId ?? 0,
    pid: t.hostProcessId || t.processId || 0,
    tid: t.hostThreadId || t.threadId || t.hostProcessId || t.processId || 0,
    ppid: t.hostParentProcessId || t.parentProcessId || 0,
    vpid: t.processId ?? 0,
    vtid: t.threadId ?? 0,
    vppid: t.parentProcessId ?? 0,
    uid: t.userId ?? 0,
    gid: 0,
    loginuid: 0xffffffff,
    comm: (t.processName ?? '').slice(0, 15),
    tty: 0,
    mntns: t.mountNamespace ?? 0,
    pidns: t.pidNamespace ?? 0,
    cgroupId: 0,
    cgroup: containerId ? `/docker/${containerId}` : '',
    ret: t.returnValue ?? 0,
    args,
  };
}
