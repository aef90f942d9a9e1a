import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseTraceeInput, readTraceeJson, type TraceeInputItem } from '../../src/signatures/input.js';

async function read(chunks: string[], max?: number): Promise<TraceeInputItem[]> {
  const out: TraceeInputItem[] = [];
  for await (const item of readTraceeJson(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out.push(item);
  return out;
}

describe('--input-tracee options', () => {
  it('accepts file and format pairs', () => {
    assert.deepEqual(parseTraceeInput(['file:stdin', 'format:JSON']), { file: 'stdin', format: 'json' });
    assert.deepEqual(parseTraceeInput(['format:json', `file:${import.meta.filename}`]), { file: import.meta.filename, format: 'json' });
  });

  it('rejects what tracee-rules rejects, and format without file', () => {
    const error = (v: string[]) => (parseTraceeInput(v) as { error: string }).error;
    assert.equal(error([]), 'no tracee input options specified');
    assert.equal(error(['file:/no/such/file', 'format:json']), 'invalid Tracee input file: /no/such/file');
    assert.equal(error(['file:stdin', 'format:xml']), 'invalid tracee input format specified: XML');
    assert.match(error(['file:stdin', 'format:gob']), /gob is not supported/);
    assert.equal(error(['file:a:b']), 'invalid input-tracee option: file:a:b');
    assert.equal(error(['file:']), 'empty key or value passed: key: >file< value: ><');
    assert.equal(error(['color:red']), 'invalid input-tracee option key: color');
    assert.match(error(['format:json']), /no tracee input file/);
    assert.match(error(['file:stdin']), /could not set up input source/);
  });
});

describe('readTraceeJson', () => {
  it('yields events and numbered errors across chunk boundaries, CRLF and blank lines', async () => {
    const items = await read(['{"eventName":"a","eventId":"1"}\r\n\nnot js', 'on\n{"eventName":', '"b"}']);
    assert.equal(items.length, 3);
    assert.equal((items[0] as { event: { eventName: string } }).event.eventName, 'a');
    assert.equal(items[1]!.line, 3);
    assert.match((items[1] as { error: string }).error, /invalid json/);
    assert.equal(items[2]!.line, 4);
    assert.equal((items[2] as { event: { eventName: string } }).event.eventName, 'b');
    const bom = await read(['\uFEFF{"eventName":"c"}\n']);
    assert.equal((bom[0] as { event: { eventName: string } }).event.eventName, 'c');
  });

  it('reads lines longer than 64 KiB, and reports lines over the limit and goes on', async () => {
    const long = JSON.stringify({ eventName: 'x', processName: 'p'.repeat(100_000) });
    const items = await read([`${long}\n`, `${'y'.repeat(50)}`, `${'y'.repeat(50)}\n{"eventName":"z"}\n`], 200_000);
    assert.equal((items[0] as { event: { processName: string } }).event.processName.length, 100_000);
    const small = await read([`${'y'.repeat(300)}\n{"eventName":"z"}\n`, 'q'.repeat(150), 'q'.repeat(150)], 256);
    assert.match((small[0] as { error: string }).error, /300 bytes exceeds the 256-byte limit/);
    assert.equal((small[1] as { event: { eventName: string } }).event.eventName, 'z');
    assert.match((small[2] as { error: string }).error, /exceeds/);
    assert.equal(items.length, 3);
  });
});
