/**
 * @module vigil state tables: processes (with ancestry), per-process fds, containers and users,
 * kept current by the event stream and read by the Falco fields and the signatures. One
 * StateTables lives in each shard worker; it needs nothing from the main thread.
 */
import type { VigilEvent } from '../events/event.js';
import { eventById } from '../events/event-table.js';
import { HOST } from './cgroup.js';
import { ContainerTable, type ContainerMetadataSource } from './containers.js';
import { applyFdEvent, closeFd } from './fd-events.js';
import { ProcessTable } from './process-table.js';
import { readProcThreads } from './proc-seed.js';
import type { ContainerInfo, FdInfo, GroupInfo, StateView, ThreadInfo, UserInfo } from './types.js';
import { UserTable } from './users.js';

export type * from './types.js';
export { FdTable } from './fd-table.js';
export { ProcessTable, fdTableOf } from './process-table.js';
export * from './ancestry.js';
export { ContainerTable, type ContainerMetadataSource } from './containers.js';
export { DockerMetadataSource, containerInfoFromInspect, parseImageRef } from './docker-source.js';
export { OciBundleMetadataSource, containerInfoFromOciConfig } from './oci-source.js';
export { createRuntimeMetadataSource, type RuntimeSockets } from './runtime-source.js';
export { parseContainerId, containerOfCgroupPath, HOST, type CgroupContainer } from './cgroup.js';
export { UserTable, parsePasswd, parseGroup } from './users.js';
export { type SocketFdInfo } from './fd-events.js';
export { resolvePath } from './paths.js';

export interface StateTablesOptions {
  maxThreads?: number;
  maxContainers?: number;
  /**
   * Container runtime metadata; none by default (then container.name, image … have no value).
   * A live worker passes createRuntimeMetadataSource(); replay and tests inject their own.
   */
  containerMetadata?: ContainerMetadataSource;
  /** Root of the host's passwd/group ('/'). */
  hostRoot?: string;
  /** Where /proc is, for container user databases ('/proc'). */
  procRoot?: string;
}

export interface AppliedEvent {
  thread: ThreadInfo;
  fd: FdInfo | undefined;
}

export interface StateStats {
  threads: number;
  threadEvictions: number;
  containers: number;
  containerEvictions: number;
  userDatabases: number;
}

export class StateTables implements StateView {
  readonly processes: ProcessTable;
  readonly containers: ContainerTable;
  readonly users: UserTable;
  /** A host pid per container, to read the container's own /etc/passwd through /proc/<pid>/root. */
  private readonly pidInContainer = new Map<string, number>();
  private readonly procRoot: string;

  constructor(options: StateTablesOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.containers = new ContainerTable({ maxContainers: options.maxContainers, source: options.containerMetadata });
    // An event's cgroup is '' on the host (src/events/event.ts), unlike an unreadable /proc cgroup file.
    this.processes = new ProcessTable({ maxThreads: options.maxThreads, containerIdOf: (cgroup) => (cgroup === '' ? HOST : this.containers.idOf(cgroup)) });
    this.users = new UserTable({
      hostRoot: options.hostRoot ?? '/',
      containerRoot: (id) => {
        const pid = this.pidInContainer.get(id);
        return pid === undefined ? undefined : `${this.procRoot}/${pid}/root`;
      },
    });
  }

  /** Before the rules see the event: update the tables, return what the event is about. */
  apply(evt: VigilEvent): AppliedEvent {
    const thread = this.processes.apply(evt);
    // The latest exec'd process of a container is the likeliest to still be alive to read its /etc through.
    const id = thread.containerId;
    if (id !== '' && id !== HOST && (evt.name === 'execve' || evt.name === 'execveat' || !this.pidInContainer.has(id))) {
      if (this.pidInContainer.size >= 4096 && !this.pidInContainer.has(id)) this.pidInContainer.clear();
      this.pidInContainer.set(id, thread.pid);
    }
    const fd = eventById(evt.id)?.fd ? applyFdEvent(evt, thread) : undefined;
    return { thread, fd };
  }

  /** After the rules saw the event: removals that must not hide state from that event. */
  finish(evt: VigilEvent): void {
    if (evt.name === 'close') {
      const thread = this.processes.get(evt.tid);
      if (thread) closeFd(evt, thread);
    } else if (evt.name === 'procexit') {
      this.processes.exit(evt);
    }
  }

  /** Adds every running process of `root` (a /proc mount) with ancestry, fds and containers. */
  seedFromProc(root = '/proc'): number {
    const threads = readProcThreads(root, { containerIdOf: (text) => this.containers.idOf(text) });
    for (const t of threads) {
      this.processes.add(t);
      if (t.containerId !== '' && t.containerId !== 'host' && !this.pidInContainer.has(t.containerId)) {
        this.pidInContainer.set(t.containerId, t.pid);
      }
    }
    return threads.length;
  }

  stats(): StateStats {
    return {
      threads: this.processes.size,
      threadEvictions: this.processes.evictions,
      containers: this.containers.size,
      containerEvictions: this.containers.evictions,
      userDatabases: this.users.size,
    };
  }

  thread(tid: number): ThreadInfo | undefined {
    return this.processes.get(tid);
  }

  container(id: string): ContainerInfo | undefined {
    return this.containers.get(id);
  }

  user(uid: number, containerId: string): UserInfo | undefined {
    return this.users.user(uid, containerId);
  }

  group(gid: number, containerId: string): GroupInfo | undefined {
    return this.users.group(gid, containerId);
  }
}
