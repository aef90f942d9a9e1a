/**
 * @module The kernel events a rule set needs, so the daemon can switch every other event off in the
 * sensor (design: "events that no loaded rule needs are switched off in the kernel"). A rule set
 * needs the event types of its enabled Falco rules, the vigil events whose Tracee view gives an
 * event a signature selects (src/events/tracee-view.ts), and the events the state tables live on.
 * Anything that cannot be narrowed (a Falco rule that constrains no event type, a signature
 * selecting every event or a name vigil does not know) needs every event.
 */
import { EVENTS, eventByName, type EventDef } from '../events/event-table.js';
import { vigilEventsFor } from '../events/tracee-view.js';
import type { SignatureEventSelector } from '../signatures/signature.js';

/** Event names in the event table's order, or every event. */
export type KernelEvents = 'all' | readonly string[];

const names = (filter: (e: EventDef) => boolean): readonly string[] => EVENTS.filter(filter).map((e) => e.name);

/**
 * The events the state tables (src/state) apply, whatever the rules ask for.
 * - `processes`, always on: the process life cycle (clone family, execve/execveat, procexit). Every
 *   rule reads process facts (proc.name, ancestry, container) and every shard's process table is
 *   built from these records; without them threads would be synthesised from headers, nameless.
 *   setuid and friends need no record: each event header carries the current ids.
 * - `fdTables`, on when a needed event reads an fd table (it is about an fd, or resolves a path
 *   against a directory fd): the events that add, remove or name fds (open family, creat, dup
 *   family, socket, accept family, memfd_create, close, connect, bind). sendto/sendmsg/recvfrom/
 *   recvmsg only re-aim unconnected datagram sockets and come on only when a rule needs them.
 */
export const STATE_EVENTS = {
  processes: names((e) => e.lifecycle === true),
  fdTables: names((e) => e.fd === 'creates' || e.fd === 'destroys' || e.name === 'connect' || e.name === 'bind'),
} as const;

/** What the Falco side contributes: the event types of each enabled rule. */
export interface EventTypedRule {
  eventTypes: 'all' | ReadonlySet<string>;
}

const ORIGINS = new Set(['', '*', 'host', 'container']);

function readsFdTable(def: EventDef): boolean {
  return def.fd !== undefined || def.params.some((p) => p.kind === 'relpath');
}

/** The vigil events whose Tracee view can give an event these selectors select ('all' when one cannot be narrowed). */
export function signatureEvents(selectors: readonly SignatureEventSelector[]): 'all' | Set<string> {
  const needed = new Set<string>();
  for (const selector of selectors) {
    // The signature engine delivers only tracee events, and only to these origins.
    if (selector.Source !== 'tracee' || !ORIGINS.has(selector.Origin ?? '')) continue;
    const name = selector.Name || '*';
    const producers = name === '*' ? undefined : vigilEventsFor(name);
    if (!producers) return 'all';
    for (const p of producers) needed.add(p);
  }
  return needed;
}

/** The kernel events a rule set with these enabled Falco rules and signature selectors needs. */
export function neededKernelEvents(enabledRules: Iterable<EventTypedRule>, selectors: readonly SignatureEventSelector[]): KernelEvents {
  const needed = new Set<string>();
  for (const rule of enabledRules) {
    if (rule.eventTypes === 'all') return 'all';
    // Types outside the event table (write, container …) are never produced by the sensor.
    for (const name of rule.eventTypes) if (eventByName(name)) needed.add(name);
  }
  const forSignatures = signatureEvents(selectors);
  if (forSignatures === 'all') return 'all';
  for (const name of forSignatures) needed.add(name);
  if ([...needed].some((n) => readsFdTable(eventByName(n)!))) for (const n of STATE_EVENTS.fdTables) needed.add(n);
  for (const n of STATE_EVENTS.processes) needed.add(n);
  return names((e) => needed.has(e.name));
}

/** Both sets at once (the window of a reload, when the old and the new rule set each need theirs). */
export function unionKernelEvents(a: KernelEvents, b: KernelEvents): KernelEvents {
  if (a === 'all' || b === 'all') return 'all';
  const both = new Set([...a, ...b]);
  return names((e) => both.has(e.name));
}
