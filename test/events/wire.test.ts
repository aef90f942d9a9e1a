// record.h is the one definition of the wire format; wire.ts mirrors it and syscall_spec.h reads
// parameters by their event-table index. These tests read the C headers and hold all three together.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EVENTS, eventById, type ParamDef } from '../../src/events/event-table.js';
import { X86_64_SYSCALLS } from '../../src/events/syscalls.js';
import * as wire from '../../src/events/wire.js';

const recordH = readFileSync(new URL('../../bpf/include/record.h', import.meta.url), 'utf8');
const specH = readFileSync(new URL('../../bpf/include/syscall_spec.h', import.meta.url), 'utf8');

function cConstant(name: string): number {
  const m = new RegExp(`(?:#define\\s+${name}\\s+|\\b${name}\\s*=\\s*)(\\d+)`).exec(recordH);
  assert.ok(m, `${name} not found in record.h`);
  return Number(m[1]);
}

test('wire.ts constants equal record.h', () => {
  const names = [
    'VIGIL_WIRE_VERSION', 'VIGIL_RECORD_MAX', 'VIGIL_CGROUP_PATH_MAX', 'VIGIL_COMM_LEN', 'VIGIL_HEADER_SIZE',
    'VIGIL_ARG_HEADER_SIZE', 'VIGIL_F_LIFECYCLE', 'VIGIL_F_CONTAINER', 'VIGIL_F_TRUNCATED', 'VIGIL_F_ARGV0',
    'VIGIL_ARG_S64', 'VIGIL_ARG_U64', 'VIGIL_ARG_STR', 'VIGIL_ARG_STRLIST', 'VIGIL_ARG_BYTES', 'VIGIL_ARG_SOCKADDR',
    'VIGIL_CNT_RINGBUF_DROPS', 'VIGIL_CNT_ENTER_DROPS', 'VIGIL_CNT_EMITTED',
  ] as const;
  for (const name of names) assert.equal(wire[name], cConstant(name), name);
});

test('header offsets equal the offsets written beside struct vigil_record_header fields', () => {
  const struct = /struct vigil_record_header \{([\s\S]*?)\};/.exec(recordH)![1]!;
  const fields = [...struct.matchAll(/\b(\w+)(?:\[\w+\])?;\s*\/\*\s*(\d+)/g)].map((m) => [m[1]!.toUpperCase(), Number(m[2])] as const);
  assert.equal(fields.length, Object.keys(wire.HDR).length);
  for (const [name, offset] of fields) assert.equal(wire.HDR[name as keyof typeof wire.HDR], offset, name);
});

test('VIGIL_EVT_* ids are the event table ids', () => {
  const ids = [...recordH.matchAll(/VIGIL_EVT_(\w+) = (\d+)/g)].filter((m) => m[1] !== 'MAX');
  assert.equal(ids.length, EVENTS.length);
  for (const [, name, id] of ids) assert.equal(eventById(Number(id))?.name, name!.toLowerCase(), `VIGIL_EVT_${name}`);
  assert.equal(cConstant('VIGIL_EVT_MAX'), EVENTS.length + 1);
});

const READ_KIND: Record<string, number> = {
  RD_S32: wire.VIGIL_ARG_S64, RD_S64: wire.VIGIL_ARG_S64, RD_U32: wire.VIGIL_ARG_U64, RD_U64: wire.VIGIL_ARG_U64,
  RD_NONNEG: wire.VIGIL_ARG_U64, RD_DEREF_U64: wire.VIGIL_ARG_U64, RD_STR: wire.VIGIL_ARG_STR,
  RD_SOCKADDR: wire.VIGIL_ARG_SOCKADDR, RD_SOCKADDR_LPTR: wire.VIGIL_ARG_SOCKADDR, RD_MSG_NAME: wire.VIGIL_ARG_SOCKADDR,
  RD_BYTES_RET: wire.VIGIL_ARG_BYTES, RD_MSG_DATA: wire.VIGIL_ARG_BYTES, RD_SOCK_LOCAL: wire.VIGIL_ARG_SOCKADDR,
  RD_FD_DEV: wire.VIGIL_ARG_U64, RD_FD_INO: wire.VIGIL_ARG_U64,
};

test('syscall_spec.h rows read each parameter at its event-table index, in a wire kind that carries it', () => {
  const rows = [...specH.matchAll(/\[VIGIL_EVT_(\w+)\] = ROW\((\d+), (.*)\),$/gm)];
  assert.ok(rows.length > 40);
  for (const [, evt, count, body] of rows) {
    const def = EVENTS.find((e) => e.name === evt!.toLowerCase());
    assert.ok(def, evt);
    const params = [...body!.matchAll(/P\((\d+), (\w+), (\w+), (\d+)\) \/\* (\w+) \*\//g)];
    assert.equal(params.length, Number(count), `${def.name}: ROW count`);
    for (const [, index, , read, , name] of params) {
      const param: ParamDef | undefined = def.params[Number(index)];
      assert.equal(param?.name, name, `${def.name} param #${index}`);
      assert.equal(READ_KIND[read!], wire.WIRE_KIND_OF[param!.kind], `${def.name}.${name}: ${read} for ${param!.kind}`);
    }
  }
});

test('syscall numbers in syscall_spec.h are the x86_64 numbers of each event syscall', () => {
  const mapped = new Map([...specH.matchAll(/\[(\d+)\] = VIGIL_EVT_(\w+)/g)].map((m) => [m[2]!.toLowerCase(), Number(m[1])]));
  for (const e of EVENTS) {
    if (!e.syscall) continue;
    assert.equal(mapped.get(e.name), X86_64_SYSCALLS[e.syscall as keyof typeof X86_64_SYSCALLS], e.name);
  }
});

test('checkWireVersion refuses another version', () => {
  assert.doesNotThrow(() => wire.checkWireVersion(wire.VIGIL_WIRE_VERSION));
  assert.throws(() => wire.checkWireVersion(wire.VIGIL_WIRE_VERSION + 1), wire.WireVersionError);
});
