/**
 * @module Which shard an event belongs to (design: "shard routing keeps state local"): the
 * container's cgroup path for containerised processes, the process id otherwise. Process
 * life-cycle events go to every shard so each keeps the whole process tree, but only their owner
 * shard runs the rules on them; the others only update state. The replay reader routes with this
 * function and every worker checks ownership with it, so both always agree.
 */
import type { VigilEvent } from '../events/event.js';
import { eventById, eventByName } from '../events/event-table.js';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function isContainerCgroup(cgroup: string): boolean {
  return cgroup !== '' && cgroup !== '/';
}

export function shardOf(evt: VigilEvent, shards: number): number {
  if (shards <= 1) return 0;
  return isContainerCgroup(evt.cgroup) ? fnv1a(evt.cgroup) % shards : evt.pid % shards;
}

export function isLifecycle(evt: VigilEvent): boolean {
  return (eventById(evt.id)?.name === evt.name ? eventById(evt.id) : eventByName(evt.name))?.lifecycle === true;
}
