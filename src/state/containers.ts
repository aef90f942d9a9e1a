import { LRUCache } from 'lru-cache';
import { HOST, parseContainerId, type CgroupContainer } from './cgroup.js';
import type { ContainerInfo } from './types.js';

/**
 * The container table: one entry per container id seen in cgroups, filled in asynchronously by
 * a runtime metadata source (Docker engine API, or metadata injected by tests and replay).
 * Lookups never wait: until metadata arrives a container has only id, fullId and type, so
 * container.image.* and friends have no value (as with Falco's container plugin).
 */

/** Where container metadata comes from; tests and replay inject their own. */
export interface ContainerMetadataSource {
  /** Metadata of a container, or undefined when the runtime does not know it (yet). Must not throw. */
  lookup(container: CgroupContainer): Promise<Partial<ContainerInfo> | undefined>;
}

export interface ContainerTableOptions {
  maxContainers?: number;
  source?: ContainerMetadataSource | undefined;
  /** How many times a lookup that found nothing is retried (a container is inspectable only once created). */
  retries?: number;
  retryDelayMs?: number;
}

const HOST_INFO: ContainerInfo = Object.freeze({ id: HOST, fullId: HOST, type: 'host', name: HOST });

interface Lookup {
  attempts: number;
  nextTry: number;
  inFlight: boolean;
  done: boolean;
}

export class ContainerTable {
  private readonly containers: LRUCache<string, ContainerInfo>;
  private readonly lookups = new Map<string, Lookup>();
  private readonly idByCgroup = new Map<string, string>();
  private readonly source: ContainerMetadataSource | undefined;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private evictionCount = 0;
  private pendingLookups = new Set<Promise<void>>();

  constructor(options: ContainerTableOptions = {}) {
    this.source = options.source;
    this.retries = options.retries ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.containers = new LRUCache<string, ContainerInfo>({
      max: options.maxContainers ?? 4096,
      dispose: (_v, key, reason) => {
        this.lookups.delete(key);
        if (reason === 'evict') this.evictionCount++;
      },
    });
  }

  get size(): number {
    return this.containers.size;
  }

  get evictions(): number {
    return this.evictionCount;
  }

  /** The container id of a cgroup path (or /proc/<pid>/cgroup text), registering new containers. */
  idOf(cgroup: string): string {
    let id = this.idByCgroup.get(cgroup);
    if (id !== undefined) return id;
    const parsed = parseContainerId(cgroup);
    id = parsed.id;
    if (parsed.container) this.register(parsed.container);
    // cgroup strings repeat per container; a bounded memo keeps parsing off the hot path
    if (this.idByCgroup.size >= 16384) this.idByCgroup.clear();
    this.idByCgroup.set(cgroup, id);
    return id;
  }

  /** Known metadata of a container ('host' for the host); starts a due metadata retry. */
  get(id: string): ContainerInfo | undefined {
    if (id === HOST) return HOST_INFO;
    const info = this.containers.get(id);
    if (info) this.maybeLookup(info);
    return info;
  }

  /** Records metadata directly (replay, tests, seeding); it wins over what a lookup returns later. */
  set(info: ContainerInfo): void {
    this.containers.set(info.id, info);
    this.lookups.set(info.id, { attempts: 0, nextTry: 0, inFlight: false, done: true });
  }

  /** Settles when every lookup started so far has finished (tests, orderly shutdown). */
  async settled(): Promise<void> {
    while (this.pendingLookups.size > 0) await Promise.all([...this.pendingLookups]);
  }

  register(container: CgroupContainer): ContainerInfo {
    let info = this.containers.get(container.id);
    if (!info) {
      info = { id: container.id, fullId: container.fullId, type: container.type };
      this.containers.set(info.id, info);
      this.maybeLookup(info);
    }
    return info;
  }

  private maybeLookup(info: ContainerInfo): void {
    if (!this.source) return;
    let state = this.lookups.get(info.id);
    if (!state) this.lookups.set(info.id, (state = { attempts: 0, nextTry: 0, inFlight: false, done: false }));
    if (state.done || state.inFlight || state.attempts > this.retries) return;
    const now = Date.now();
    if (now < state.nextTry) return;
    state.inFlight = true;
    state.attempts++;
    const container: CgroupContainer = { id: info.id, fullId: info.fullId, type: info.type as CgroupContainer['type'] };
    const task = this.source
      .lookup(container)
      .catch(() => undefined)
      .then((meta) => {
        state.inFlight = false;
        if (meta) {
          state.done = true;
          const current = this.containers.get(info.id);
          if (current) Object.assign(current, meta, { id: info.id, fullId: info.fullId, type: info.type });
        } else {
          state.nextTry = Date.now() + this.retryDelayMs * state.attempts;
        }
      })
      .finally(() => this.pendingLookups.delete(task));
    this.pendingLookups.add(task);
  }
}
