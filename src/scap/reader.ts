import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { ScapParser, type ScapError, type ScapHandlers, type ScapStats } from './parser.js';
import type { VigilEvent } from '../events/event.js';
import type { ContainerInfo } from '../state/types.js';
import type { StateSeed } from './seed.js';

export interface ScapReadSummary {
  seed: StateSeed;
  stats: ScapStats;
  /** Set when the capture is corrupt, truncated or unreadable; the events before it were delivered. */
  error?: ScapError;
}

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === GZIP_MAGIC[0] && chunk[1] === GZIP_MAGIC[1];
}

function summary(parser: ScapParser): ScapReadSummary {
  return parser.error ? { seed: parser.seed, stats: parser.stats, error: parser.error } : { seed: parser.seed, stats: parser.stats };
}

/** Reads a whole capture held in memory (plain or gzip). Never throws. */
export function readScapBuffer(data: Buffer, handlers: ScapHandlers): ScapReadSummary {
  const parser = new ScapParser(handlers);
  let bytes = data;
  if (isGzip(data)) {
    try {
      bytes = gunzipSync(data);
    } catch (err) {
      parser.error = { offset: 0, message: `gzip: ${(err as Error).message}` };
      return summary(parser);
    }
  }
  parser.push(bytes);
  parser.end();
  return summary(parser);
}

/** The chunks of `input`, gunzipped when its first bytes are the gzip magic. */
async function* decompressed(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  };
  if (!isGzip(first.value)) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(rest()), gunzip, () => {});
  yield* gunzip as AsyncIterable<Buffer>;
}

export type ScapItem =
  | { kind: 'seed'; seed: StateSeed }
  /** The events decoded from one read chunk, in capture order. */
  | { kind: 'events'; events: VigilEvent[] }
  /** Metadata of a container the capture announces mid-stream, between the events around it. */
  | { kind: 'container'; info: ContainerInfo }
  | { kind: 'error'; error: ScapError };

/**
 * Feeds the capture's chunks to `parser`, pausing after each chunk (the generator's yield); a read
 * error ends the capture as a parser error at the bytes read so far, never as a rejection.
 */
async function* feed(source: string | Readable, parser: ScapParser): AsyncGenerator<void> {
  const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  // A handler's exception thrown out of push() is the caller's, not a read error.
  let inHandlers = false;
  try {
    for await (const chunk of decompressed(input)) {
      inHandlers = true;
      parser.push(chunk);
      inHandlers = false;
      yield;
      if (parser.failed) break;
    }
  } catch (err) {
    if (inHandlers) throw err;
    if (!parser.failed) {
      const e = err as NodeJS.ErrnoException;
      const message = e.code === 'ENOENT' ? `cannot open ${String(source)}: no such file` : `read error: ${e.message}`;
      parser.error = { offset: parser.stats.bytes, message };
    }
  } finally {
    input.destroy();
  }
  parser.end();
}

/**
 * A capture as an async stream of items: the seed first, then events, then an `error` item if
 * the capture is corrupt, truncated or unreadable (never a rejection). Events arrive in batches,
 * one per read chunk, so there is no promise per event. The generator's return value is the summary.
 * `.scap.gz` (recognised by its magic bytes, whatever the name) is decompressed while streaming;
 * error offsets are offsets in the decompressed stream.
 */
export async function* scapItems(source: string | Readable): AsyncGenerator<ScapItem, ScapReadSummary> {
  const queue: ScapItem[] = [];
  let batch: VigilEvent[] = [];
  const parser = new ScapParser({
    onSeed: (seed) => queue.push({ kind: 'seed', seed }),
    onEvent: (event) => {
      if (batch.length === 0) queue.push({ kind: 'events', events: batch });
      batch.push(event);
    },
    onContainer: (info) => {
      queue.push({ kind: 'container', info });
      // Later events start a new batch, after this item.
      batch = [];
    },
  });
  const flush = (): ScapItem[] => {
    batch = [];
    return queue.splice(0);
  };
  for await (const _ of feed(source, parser)) yield* flush();
  yield* flush();
  if (parser.error) yield { kind: 'error', error: parser.error };
  return summary(parser);
}

/**
 * Streams a capture through callbacks, each event handed over as soon as it is decoded (no batch
 * keeps a chunk's events alive, so they die young); resolves with the summary. Capture problems
 * never reject (they are `error`); a handler's own exception does.
 */
export async function readScap(source: string | Readable, handlers: ScapHandlers): Promise<ScapReadSummary> {
  const parser = new ScapParser(handlers);
  for await (const _ of feed(source, parser)) {
    // Every event of the chunk has been handled.
  }
  return summary(parser);
}
