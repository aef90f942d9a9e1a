/**
 * @module scap: Falco/sysdig capture files (.scap, .scap.gz). `readScap` streams a capture into
 * VigilEvents (exit-only model) and a `StateSeed` for the state tables; `ScapWriter` writes
 * VigilEvents plus a process/fd/user snapshot as a capture sysdig 0.29.3 and current libs read.
 */
export { readScap, readScapBuffer, scapItems, type ScapItem, type ScapReadSummary } from './reader.js';
export { seedStateTables, withCaptureUsers } from './state.js';
export { replayScap, type ScapReplayHandlers } from './replay.js';
export { ScapWriter, encodeScap, encodeScapHeader, type CaptureSnapshot } from './writer.js';
export { ScapParser, type ScapError, type ScapHandlers, type ScapStats } from './parser.js';
export {
  emptySeed, toThreadInfo, fromThreadInfo, fdsByProcess, containerCgroup,
  type StateSeed, type SeedThread, type SeedFd, type MachineInfo, type InterfaceInfo,
} from './seed.js';
export { SCAP_MAPPED_EVENTS } from './libs-events.js';
