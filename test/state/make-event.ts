/**
 * Builds VigilEvents for state and field tests: a name, the header fields that matter to the
 * test, and params by their event-table names. Everything else gets a plain default.
 */
import { eventByName } from '../../src/events/event-table.js';
import { NO_LOGINUID, type ArgValue, type VigilEvent } from '../../src/events/event.js';
import { FIELD_REGISTRY } from '../../src/falco/fields/registry.js';
import type { EvalContext, FieldValue } from '../../src/falco/fields/field.js';
import type { StateTables } from '../../src/state/index.js';

let clock = 1_700_000_000_000_000_000n;

export function makeEvent(name: string, header: Partial<Omit<VigilEvent, 'args'>> = {}, args: Record<string, ArgValue> = {}): VigilEvent {
  const def = eventByName(name);
  if (!def) throw new Error(`no event ${name}`);
  const pid = header.pid ?? 100;
  const tid = header.tid ?? pid;
  clock += 1000n;
  return {
    id: def.id,
    name,
    ts: clock,
    cpu: 0,
    pid,
    tid,
    ppid: 1,
    vpid: pid,
    vtid: tid,
    vppid: 1,
    uid: 0,
    gid: 0,
    loginuid: NO_LOGINUID,
    comm: 'test',
    tty: 0,
    mntns: 4026531840,
    pidns: 4026531836,
    cgroupId: 0,
    cgroup: '/user.slice',
    ret: 0,
    ...header,
    args,
  };
}

let num = 0;

/** Reads one field (`proc.aname[2]` style) of an event whose state is already applied. */
export function readField(ctx: EvalContext, text: string): FieldValue | undefined {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(text)!;
  const [, field, arg] = m as unknown as [string, string, string | undefined];
  const def = FIELD_REGISTRY.resolve(field, arg);
  if (typeof def === 'string') throw new Error(def);
  const extract = def.bind(arg);
  if (typeof extract === 'string') throw new Error(extract);
  return extract(ctx);
}

/**
 * Runs an event the way a worker does: apply it to the tables, read the fields (as compiled
 * rules would), then finish it (a close removes its fd, a procexit its thread).
 */
export function evaluate(state: StateTables, evt: VigilEvent, fields: readonly string[] = []): Record<string, FieldValue | undefined> {
  const { thread, fd } = state.apply(evt);
  num++;
  const ctx: EvalContext = { evt, num, thread, fd, state, epoch: num };
  const out: Record<string, FieldValue | undefined> = {};
  for (const f of fields) out[f] = readField(ctx, f);
  state.finish(evt);
  return out;
}
