/**
 * The Tracee input source of `vigil replay` (tracee-rules `--input-tracee`, spec 1.5): option parsing
 * and a reader of newline-delimited Tracee JSON that yields decoded events and, for lines that do not
 * decode, an error with the line number, so the caller counts them and goes on. Lines have no 64 KiB
 * limit (decision 4) but are bounded by `maxLineBytes`; a longer line is reported and skipped.
 */
import { createReadStream, existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { decodeTraceeJson } from '../events/tracee-json.js';
import type { TraceeEvent } from '../events/tracee-event.js';

export interface TraceeInputOptions {
  file: string; // a path, or 'stdin'
  format: 'json';
}

export const TRACEE_INPUT_HELP = `--input-tracee takes key:value pairs (repeat the flag or separate them with commas):
  file:PATH     read events from PATH (a path containing ':' cannot be given)
  file:stdin    read events from standard input
  format:json   newline-delimited JSON as written by tracee-ebpf -o format:json (gob is not supported)
example: vigil replay --input-tracee file:events.jsonl --input-tracee format:json
`;

/**
 * Parse the `--input-tracee` values (already split on commas). Gives the options, `help` when asked
 * for (print TRACEE_INPUT_HELP), or an error message.
 */
export function parseTraceeInput(values: readonly string[]): TraceeInputOptions | { help: true } | { error: string } {
  if (values.includes('help')) return { help: true };
  if (values.length === 0) return { error: 'no tracee input options specified' };
  let file: string | undefined;
  let format: string | undefined;
  for (const value of values) {
    const parts = value.split(':');
    if (parts.length !== 2) return { error: `invalid input-tracee option: ${value}` };
    const [key, v] = parts as [string, string];
    if (key === '' || v === '') return { error: `empty key or value passed: key: >${key}< value: >${v}<` };
    if (key === 'file') {
      if (v !== 'stdin' && !existsSync(v)) return { error: `invalid Tracee input file: ${v}` };
      file = v;
    } else if (key === 'format') {
      format = v.toUpperCase();
    } else {
      return { error: `invalid input-tracee option key: ${key}` };
    }
  }
  if (format === 'GOB') return { error: 'format:gob is not supported by vigil; run tracee-ebpf with -o format:json' };
  if (format !== undefined && format !== 'JSON') return { error: `invalid tracee input format specified: ${format}` };
  if (file === undefined) return { error: 'no tracee input file specified (file:PATH or file:stdin)' };
  if (format === undefined) return { error: 'could not set up input source: no format specified (format:json)' };
  return { file, format: 'json' };
}

export type TraceeInputItem =
  | { line: number; event: TraceeEvent; warnings: string[] }
  | { line: number; error: string };

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Split a byte stream into lines (LF, with an optional CR before it), bounded per line. */
async function* lines(stream: Readable, maxLineBytes: number): AsyncGenerator<{ line: number; text: string } | { line: number; tooLong: number }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;
  let number = 0;
  const finish = (tail: Buffer): { line: number; text: string } | { line: number; tooLong: number } => {
    number++;
    const size = pendingBytes + tail.length;
    if (skipping || size > maxLineBytes) {
      skipping = false;
      pending = [];
      pendingBytes = 0;
      return { line: number, tooLong: size };
    }
    let buf = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    return { line: number, text: buf.toString('utf8') };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      yield finish(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) skipping = true;
      if (!skipping) pending.push(Buffer.from(rest));
    }
  }
  if (pendingBytes > 0 || skipping) yield finish(Buffer.alloc(0));
}

/** Decoded events and per-line errors, in input order. Blank lines are skipped silently. */
export async function* readTraceeJson(stream: Readable, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<TraceeInputItem> {
  for await (const item of lines(stream, maxLineBytes)) {
    if ('tooLong' in item) {
      yield { line: item.line, error: `line of ${item.tooLong} bytes exceeds the ${maxLineBytes}-byte limit` };
      continue;
    }
    // A UTF-8 byte-order mark (files saved by some editors) is not part of the first event.
    const text = item.line === 1 && item.text.startsWith('\uFEFF') ? item.text.slice(1) : item.text;
    if (text.trim() === '') continue;
    const result = decodeTraceeJson(text);
    if (result.ok) yield { line: item.line, event: result.event, warnings: result.warnings };
    else yield { line: item.line, error: `invalid json in line: ${result.error}` };
  }
}

export function openTraceeInput(options: TraceeInputOptions, stdin: Readable = process.stdin): Readable {
  return options.file === 'stdin' ? stdin : createReadStream(options.file);
}
