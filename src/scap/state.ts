import { FdTable, HOST, type StateTables } from '../state/index.js';
import type { ContainerInfo, GroupInfo, StateView, ThreadInfo, UserInfo } from '../state/types.js';
import { toThreadInfo, type StateSeed } from './seed.js';

/**
 * The adapter between a capture's seed and vigil's state tables, as libsinsp does on opening a
 * capture: the capture's container metadata fills the container table (ahead of the threads, so
 * it wins over a runtime lookup), every listed thread enters the process table (threads of one
 * process share one fd table holding the listed fds) and the capture's user list answers user.* lookups.
 */
export function seedStateTables(tables: StateTables, seed: StateSeed): number {
  for (const info of seed.containers) tables.containers.set(info);
  const fdTables = new Map<number, FdTable>();
  const fdTableFor = (pid: number): FdTable => {
    let table = fdTables.get(pid);
    if (!table) {
      table = new FdTable();
      fdTables.set(pid, table);
    }
    return table;
  };
  for (const { pid, fd } of seed.fds) fdTableFor(pid).set(fd);
  for (const t of seed.threads) {
    const thread: ThreadInfo = toThreadInfo(t, fdTableFor(t.pid));
    thread.containerId = t.cgroup === '' || t.cgroup === '/' ? HOST : tables.containers.idOf(t.cgroup);
    tables.processes.add(thread);
  }
  return seed.threads.length;
}

/**
 * A StateView that answers users and groups from the capture (the machine that recorded it),
 * and everything else from the live tables. libsinsp uses a capture's user list the same way.
 */
export function withCaptureUsers(state: StateView, seed: StateSeed): StateView {
  if (seed.users.length === 0 && seed.groups.length === 0) return state;
  const users = new Map<number, UserInfo>(seed.users.map((u) => [u.uid, u]));
  const groups = new Map<number, GroupInfo>(seed.groups.map((g) => [g.gid, g]));
  return {
    thread: (tid: number): ThreadInfo | undefined => state.thread(tid),
    container: (id: string): ContainerInfo | undefined => state.container(id),
    user: (uid: number, containerId: string): UserInfo | undefined => users.get(uid) ?? state.user(uid, containerId),
    group: (gid: number, containerId: string): GroupInfo | undefined => groups.get(gid) ?? state.group(gid, containerId),
  };
}
