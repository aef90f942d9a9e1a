/** Runs the state tables inside a worker thread, as a shard worker does, and reports back. */
import { parentPort } from 'node:worker_threads';
import { StateTables } from '../../src/state/index.js';
import { makeEvent } from './make-event.js';

const state = new StateTables({ maxThreads: 100_000 });
const seeded = state.seedFromProc();
state.apply(makeEvent('execve', { pid: 4_000_001, ppid: 1, comm: 'probe' }, { exe: '/bin/probe', comm: 'probe' }));
const parent = state.thread(state.thread(4_000_001)!.ptid);
parentPort!.postMessage({ seeded, parentComm: parent?.comm, stats: state.stats() });
