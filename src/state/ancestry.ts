import type { ThreadInfo } from './types.js';

/**
 * Walks up the process tree through any thread lookup (the process table, or a StateView for
 * field extractors). A thread's parent is the main thread (tid = pid) of its `ptid`; every walk
 * stops after MAX_ANCESTOR_DEPTH steps, so corrupted parentage (a loop) cannot hang it.
 */

export const MAX_ANCESTOR_DEPTH = 256;

export type ThreadLookup = (tid: number) => ThreadInfo | undefined;

export function parentOf(lookup: ThreadLookup, thread: ThreadInfo): ThreadInfo | undefined {
  if (thread.ptid <= 0 || thread.ptid === thread.pid) return undefined;
  return lookup(thread.ptid);
}

/** The n-th ancestor: 0 = the thread itself, 1 = its parent … undefined past the known tree. */
export function ancestorAt(lookup: ThreadLookup, thread: ThreadInfo, n: number): ThreadInfo | undefined {
  if (n > MAX_ANCESTOR_DEPTH) return undefined;
  let cur: ThreadInfo | undefined = thread;
  for (let i = 0; i < n && cur; i++) cur = parentOf(lookup, cur);
  return cur;
}

/** Every known ancestor, parent first (the thread itself excluded). */
export function ancestorsOf(lookup: ThreadLookup, thread: ThreadInfo): ThreadInfo[] {
  const out: ThreadInfo[] = [];
  let cur = parentOf(lookup, thread);
  while (cur && out.length < MAX_ANCESTOR_DEPTH && cur.pid !== thread.pid) {
    out.push(cur);
    cur = parentOf(lookup, cur);
  }
  return out;
}

/**
 * The session leader: the process whose pid is the session id, else the eldest ancestor in the
 * same session. Undefined when the session id is unknown (0: a thread synthesised from an event).
 */
export function sessionLeaderOf(lookup: ThreadLookup, thread: ThreadInfo): ThreadInfo | undefined {
  if (thread.sid <= 0) return undefined;
  if (thread.sid === thread.pid || thread.sid === thread.vpid) return thread;
  let leader = thread;
  let cur = parentOf(lookup, thread);
  for (let depth = 0; cur && depth < MAX_ANCESTOR_DEPTH; depth++) {
    if (cur.sid !== thread.sid) break;
    leader = cur;
    if (cur.pid === thread.sid || cur.vpid === thread.sid) break;
    cur = parentOf(lookup, cur);
  }
  return leader;
}

/** The process group leader: the thread itself or the ancestor whose vpid is the thread's vpgid. */
export function groupLeaderOf(lookup: ThreadLookup, thread: ThreadInfo): ThreadInfo | undefined {
  let cur: ThreadInfo | undefined = thread;
  for (let depth = 0; cur && depth < MAX_ANCESTOR_DEPTH; depth++) {
    if (cur.vpid === thread.vpgid) return cur;
    cur = parentOf(lookup, cur);
  }
  return undefined;
}

/** The init (vpid 1) of the thread's pid namespace: the thread itself or an ancestor in the same namespace. */
export function pidnsInitOf(lookup: ThreadLookup, thread: ThreadInfo): ThreadInfo | undefined {
  if (thread.vpid === 1) return thread;
  for (const a of ancestorsOf(lookup, thread)) if (a.vpid === 1 && a.pidns === thread.pidns) return a;
  return undefined;
}
