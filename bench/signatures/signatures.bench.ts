/**
 * Tracee signatures over a mixed Tracee event corpus (tinybench), one thread:
 * - engine: all default signatures through the engine (dispatch by selector, every signature that selects
 *   an event runs it), µs per corpus event and events/s;
 * - one row per signature: its match evaluation (`onEvent`: for Rego, the prepared `tracee_match` query,
 *   the finding callback on a match) over the corpus events it selects, µs per selected event. The events
 *   are already Tracee events, so the VigilEvent → Tracee conversion is not in these rows;
 * - view: that conversion alone (src/events/tracee-view.ts), µs per VigilEvent.
 * Each task runs in several rounds; the table gives the minimum and the median of the rounds' means, and
 * the load average of the machine before and after (the VM is shared, so medians move with the load).
 * Run: node --import tsx bench/signatures/signatures.bench.ts [rounds]
 */
import { cpus, loadavg } from 'node:os';
import { Bench } from 'tinybench';
import { TraceeView } from '../../src/events/tracee-view.js';
import { SignatureEngine } from '../../src/signatures/engine.js';
import { loadSignatures } from '../../src/signatures/registry.js';
import { selectedBy, traceeCorpus, vigilCorpus } from './corpus.js';

/** Tracee's figure for one signature in Go (issue 3's anchor), µs per event. */
const GO_ANCHOR_US = 0.64;
const ROUNDS = Number(process.argv[2] ?? 7);

const corpus = traceeCorpus();
const { signatures, problems } = await loadSignatures();
if (problems.length > 0) throw new Error(problems.join('\n'));

let findings = 0;
const engine = new SignatureEngine(signatures, { onFinding: () => { findings++; }, onError: (r) => { throw r.error; } });
for (const e of corpus) engine.dispatch(e);
const findingsPerPass = findings;
const view = new TraceeView({ hostName: 'bench' });
const vigilEvents = vigilCorpus();

interface Task { name: string; events: number; run: () => void }
const tasks: Task[] = [
  { name: 'engine: all default signatures', events: corpus.length, run: () => { for (let k = 0; k < corpus.length; k++) engine.dispatch(corpus[k]!); } },
  { name: 'view: VigilEvent → Tracee events', events: vigilEvents.length, run: () => { for (let k = 0; k < vigilEvents.length; k++) view.toTracee(vigilEvents[k]!); } },
];
for (const sig of signatures) {
  const events = selectedBy(sig, corpus);
  sig.init(() => {});
  tasks.push({ name: sig.getMetadata().ID, events: events.length, run: () => { for (let k = 0; k < events.length; k++) sig.onEvent(events[k]!); } });
}

const loadBefore = loadavg()[0]!;
const perRound = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: 300, warmupTime: 100 });
  for (const t of tasks) bench.add(t.name, t.run);
  await bench.run();
  for (const task of bench.tasks) {
    const r = task.result;
    const period = r && 'period' in r ? r.period : NaN;
    const t = tasks.find((x) => x.name === task.name)!;
    perRound.get(t.name)!.push((period * 1000) / t.events);
  }
}
const loadAfter = loadavg()[0]!;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const rows = tasks.map((t) => {
  const us = perRound.get(t.name)!;
  const med = median(us);
  const perSignature = !t.name.startsWith('engine') && !t.name.startsWith('view');
  return {
    task: t.name,
    events: t.events,
    'min µs/event': Math.min(...us).toFixed(3),
    'median µs/event': med.toFixed(3),
    'events/s (median)': Math.round(1e6 / med).toLocaleString('en-US'),
    ...(perSignature ? { 'vs Go 0.64 µs': `${(med / GO_ANCHOR_US).toFixed(2)}×` } : {}),
  };
});
console.log(`corpus: ${corpus.length} Tracee events (${new Set(corpus.map((e) => e.eventName)).size} event names), ${vigilEvents.length} vigil events for the view, ${signatures.length} signatures, ${findingsPerPass} findings in one pass`);
console.log(`${ROUNDS} rounds; load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} cores`);
console.table(rows);
