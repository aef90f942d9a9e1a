import type { Readable } from 'node:stream';
import type { VigilEvent } from '../events/event.js';
import { StateTables, type AppliedEvent } from '../state/index.js';
import type { StateView } from '../state/types.js';
import { readScap, type ScapReadSummary } from './reader.js';
import { seedStateTables, withCaptureUsers } from './state.js';

export interface ScapReplayHandlers {
  /**
   * Called for each event after the state tables applied it and before `finish` (so a close still
   * sees its fd). `state` answers users from the capture's user list, the rest from `tables`.
   */
  onEvent(evt: VigilEvent, applied: AppliedEvent, state: StateView): void;
  /** Replay only these processes' events (plus every process-tree change): one shard's share, decoded alone. */
  wantsPid?(pid: number): boolean;
}

/**
 * Replays a capture through vigil's state tables the way libsinsp opens one: seed the tables from
 * the capture's process, fd and user lists, then apply every event. Rule engines hook `onEvent`.
 * Resolves with the read summary (its `error` names the byte offset of a corrupt or truncated
 * block); capture problems never reject, exceptions from `onEvent` do.
 */
export async function replayScap(source: string | Readable, handlers: ScapReplayHandlers, tables = new StateTables()): Promise<ScapReadSummary> {
  let state: StateView = tables;
  return readScap(source, {
    wantsPid: handlers.wantsPid?.bind(handlers),
    onSeed(seed) {
      seedStateTables(tables, seed);
      state = withCaptureUsers(tables, seed);
    },
    onContainer(info) {
      tables.containers.set(info);
    },
    onEvent(event) {
      const applied = tables.apply(event);
      handlers.onEvent(event, applied, state);
      tables.finish(event);
    },
  });
}
