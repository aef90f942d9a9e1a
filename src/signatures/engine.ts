/**
 * The signature engine (tracee-rules v0.7 `engine.go`, spec 3.2–3.3, 1.6), run synchronously: each
 * event goes to the signatures indexed under its exact {name, origin}, then {name, *}, {*, origin},
 * {*, *}, in load order within each key. Unlike upstream, a signature that selected one event through
 * two overlapping selectors gets it once (decision 3), and findings come out in a deterministic order.
 * A signature that throws is counted and reported through `onError`; it keeps its place and all others
 * go on. At end of input `complete()` sends SignalSourceComplete and closes every signature.
 */
import { originOf, type TraceeEvent } from '../events/tracee-event.js';
import {
  envelopeOf, SOURCE_COMPLETE,
  type Finding, type FindingHandler, type Signature, type SignatureEventSelector, type SignatureMetadata, type TraceeEnvelope,
} from './signature.js';

export type SignaturePhase = 'getMetadata' | 'getSelectedEvents' | 'init' | 'onEvent' | 'onSignal' | 'close';

export interface SignatureErrorReport {
  /** Signature id, or the load label when its metadata could not be read. */
  signature: string;
  phase: SignaturePhase;
  error: unknown;
  /** How many errors this signature has produced so far, this one included. */
  count: number;
}

export interface EngineOptions {
  onFinding: FindingHandler;
  onError?: (report: SignatureErrorReport) => void;
}

interface Loaded {
  signature: Signature;
  metadata: SignatureMetadata;
  selectors: SignatureEventSelector[];
  errors: number;
  /** Number of the last event delivered, so overlapping selectors deliver once. */
  lastDelivered: number;
}

const ANY = '*';

/** The signatures of one event-name key, by selector origin. */
interface OriginSlots {
  host: Loaded[];
  container: Loaded[];
  any: Loaded[];
}

const newSlots = (): OriginSlots => ({ host: [], container: [], any: [] });

/** A signature's selectors, checked (JS signatures are not type-checked); throws what the signature throws. */
function readSelectors(signature: Signature): SignatureEventSelector[] {
  const selectors = signature.getSelectedEvents();
  if (!Array.isArray(selectors)) throw new Error(`selected events are not an array: ${String(selectors)}`);
  return selectors.filter((s) => typeof s === 'object' && s !== null);
}

/**
 * The selectors an engine would dispatch on, read without building one (no init() call): a
 * signature whose selectors throw or are not an array is left out, as the engine leaves it out.
 */
export function selectorsOf(signatures: readonly Signature[]): SignatureEventSelector[] {
  return signatures.flatMap((signature) => {
    try {
      return readSelectors(signature);
    } catch {
      return [];
    }
  });
}

export class SignatureEngine {
  private readonly loaded: Loaded[] = [];
  /** Selector index: exact names, and the `*` name; within each, exact origins and `*`. No per-event key strings. */
  private readonly byName = new Map<string, OriginSlots>();
  private readonly anyName = newSlots();
  private readonly onFinding: FindingHandler;
  private readonly onError: (report: SignatureErrorReport) => void;
  private eventCount = 0;
  private detectionCount = 0;
  private completed = false;

  constructor(signatures: readonly Signature[], options: EngineOptions) {
    this.onFinding = options.onFinding;
    this.onError = options.onError ?? (() => {});
    const seen = new Set<Signature>();
    signatures.forEach((signature, i) => {
      if (seen.has(signature)) return;
      seen.add(signature);
      this.add(signature, `signature #${i + 1}`);
    });
    for (const entry of this.loaded) {
      this.guard(entry, 'init', () => entry.signature.init((finding) => this.report(finding)));
    }
  }

  private add(signature: Signature, label: string): void {
    let metadata: SignatureMetadata | undefined;
    let selectors: SignatureEventSelector[] | undefined;
    try {
      metadata = signature.getMetadata();
      // JS signatures are not type-checked: a non-object here must not break the engine.
      if (typeof metadata !== 'object' || metadata === null) throw new Error(`metadata is not an object: ${String(metadata)}`);
    } catch (error) {
      this.onError({ signature: label, phase: 'getMetadata', error, count: 1 });
      return;
    }
    try {
      selectors = readSelectors(signature);
    } catch (error) {
      this.onError({ signature: metadata.ID || label, phase: 'getSelectedEvents', error, count: 1 });
      return;
    }
    const entry: Loaded = { signature, metadata, selectors, errors: 0, lastDelivered: 0 };
    this.loaded.push(entry);
    for (const selector of selectors) {
      if (selector.Source !== 'tracee') continue;
      const name = selector.Name || ANY;
      const origin = selector.Origin || ANY;
      // Origins other than host, container and * can never match an event.
      if (origin !== ANY && origin !== 'host' && origin !== 'container') continue;
      let slots = name === ANY ? this.anyName : this.byName.get(name);
      if (slots === undefined) this.byName.set(name, (slots = newSlots()));
      const list = slots[origin === ANY ? 'any' : origin];
      if (!list.includes(entry)) list.push(entry);
    }
  }

  private report(finding: Finding): void {
    this.detectionCount++;
    this.onFinding(finding);
  }

  private guard(entry: Loaded, phase: SignaturePhase, action: () => void): void {
    try {
      action();
    } catch (error) {
      entry.errors++;
      this.onError({ signature: entry.metadata.ID, phase, error, count: entry.errors });
    }
  }

  /** Run one event through every signature that selected it. */
  dispatch(event: TraceeEvent): void {
    const number = ++this.eventCount;
    const origin = originOf(event);
    const named = this.byName.get(event.eventName);
    if (named === undefined && this.anyName[origin].length === 0 && this.anyName.any.length === 0) return;
    const envelope = envelopeOf(event, origin);
    if (named !== undefined) {
      this.deliver(named[origin], envelope, number);
      this.deliver(named.any, envelope, number);
    }
    this.deliver(this.anyName[origin], envelope, number);
    this.deliver(this.anyName.any, envelope, number);
  }

  private deliver(list: Loaded[], envelope: TraceeEnvelope, number: number): void {
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      if (entry.lastDelivered === number) continue;
      entry.lastDelivered = number;
      try {
        entry.signature.onEvent(envelope);
      } catch (error) {
        entry.errors++;
        this.onError({ signature: entry.metadata.ID, phase: 'onEvent', error, count: entry.errors });
      }
    }
  }

  /** End of input: SignalSourceComplete to every signature selecting tracee events, then close all. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    for (const entry of this.loaded) {
      if (entry.selectors.some((s) => s.Source === 'tracee')) this.guard(entry, 'onSignal', () => entry.signature.onSignal(SOURCE_COMPLETE));
    }
    for (const entry of this.loaded) this.guard(entry, 'close', () => entry.signature.close());
  }

  /** Metadata of the indexed signatures, in load order. */
  signatures(): SignatureMetadata[] {
    return this.loaded.map((e) => e.metadata);
  }

  /** The selectors of every indexed signature (what `--list-events` prints). */
  selectedEvents(): SignatureEventSelector[] {
    return this.loaded.flatMap((e) => e.selectors);
  }

  stats(): { events: number; detections: number; errors: Record<string, number> } {
    const errors: Record<string, number> = {};
    for (const e of this.loaded) if (e.errors > 0) errors[e.metadata.ID] = e.errors;
    return { events: this.eventCount, detections: this.detectionCount, errors };
  }
}
