import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import type { VigilEvent } from '../events/event.js';
import type { FdInfo } from '../state/types.js';
import {
  encodeContainerEvent, encodeFdList, encodeInterfaces, encodeMachineInfo, encodeSectionHeader, encodeThreads, encodeUsers,
  ScapEventEncoder, type CaptureSnapshot,
} from './encode.js';

export type { CaptureSnapshot } from './encode.js';

/** The header blocks of a capture: section header, machine, interfaces, users, processes, fds, then the container events. */
export function encodeScapHeader(snapshot: CaptureSnapshot): Buffer {
  const parts = [encodeSectionHeader()];
  if (snapshot.machine) parts.push(encodeMachineInfo(snapshot.machine));
  if (snapshot.interfaces?.length) parts.push(encodeInterfaces(snapshot.interfaces));
  if (snapshot.users?.length || snapshot.groups?.length) parts.push(encodeUsers(snapshot.users ?? [], snapshot.groups ?? []));
  parts.push(encodeThreads(snapshot.threads));
  const byPid = new Map<number, FdInfo[]>();
  for (const { pid, fd } of snapshot.fds) byPid.set(pid, [...(byPid.get(pid) ?? []), fd]);
  for (const [pid, fds] of byPid) parts.push(encodeFdList(pid, fds));
  for (const info of snapshot.containers ?? []) parts.push(encodeContainerEvent(info));
  return Buffer.concat(parts);
}

/** A whole capture in memory (tests, fixtures). */
export function encodeScap(snapshot: CaptureSnapshot, events: Iterable<VigilEvent>): Buffer {
  const encoder = new ScapEventEncoder(snapshot.threads);
  const parts = [encodeScapHeader(snapshot)];
  for (const evt of events) {
    const b = encoder.encode(evt);
    if (b) parts.push(b);
  }
  return Buffer.concat(parts);
}

/**
 * Streams a capture to a file (`.gz` names are gzip-compressed). Create with `ScapWriter.open`,
 * `write()` events as they come (back-pressure is absorbed by the stream), then `close()`.
 */
export class ScapWriter {
  private readonly encoder: ScapEventEncoder;
  events = 0;

  private constructor(private readonly out: WriteStream | Gzip, private readonly file: WriteStream, snapshot: CaptureSnapshot) {
    this.encoder = new ScapEventEncoder(snapshot.threads);
    out.write(encodeScapHeader(snapshot));
  }

  static open(path: string, snapshot: CaptureSnapshot): ScapWriter {
    const file = createWriteStream(path);
    if (!path.endsWith('.gz')) return new ScapWriter(file, file, snapshot);
    const gzip = createGzip();
    gzip.pipe(file);
    return new ScapWriter(gzip, file, snapshot);
  }

  /** Events vigil has no libs mapping for are left out and counted. */
  get skipped(): number {
    return this.encoder.skipped;
  }

  write(evt: VigilEvent): void {
    const b = this.encoder.encode(evt);
    if (!b) return;
    this.out.write(b);
    this.events++;
  }

  async close(): Promise<void> {
    this.out.end();
    if (!this.file.closed) await once(this.file, 'close');
  }
}
