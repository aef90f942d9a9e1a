/**
 * The Tracee signature interface (tracee v0.7 `types/detect`, spec 3.1) in TypeScript. Built-in
 * signatures, Rego signatures and user JS modules from the rules directory all implement it, and the
 * engine (engine.ts) only talks to this interface.
 */
import type { TraceeEvent, TraceeOrigin } from '../events/tracee-event.js';

export interface SignatureMetadata {
  ID: string;
  Version: string;
  Name: string;
  Description: string;
  Tags: string[] | null;
  Properties: Record<string, unknown> | null;
}

/** `Name`/`Origin` empty or `*` mean "any"; `Source` must be `tracee` to ever match. */
export interface SignatureEventSelector {
  Source: string;
  Name: string;
  Origin: string;
}

/** The envelope of spec 1.4 around the causal event (`.Event.Headers`, `.Event.Payload` in templates). */
export interface TraceeEnvelope {
  Headers: { ContentType: string; Origin: string };
  Payload: TraceeEvent;
}

export interface Finding {
  /** Null for boolean matches, printed as `map[]`. */
  Data: Record<string, unknown> | null;
  /** Null when a signature reports from onSignal without an event (such findings are not printed). */
  Event: TraceeEnvelope | null;
  SigMetadata: SignatureMetadata;
}

export type FindingHandler = (finding: Finding) => void;

/** The only signal: end of the input source (its value is `tracee`). */
export interface SignalSourceComplete {
  kind: 'sourceComplete';
  source: string;
}
export type Signal = SignalSourceComplete;

/**
 * A signature. Methods may throw: the engine counts and reports the error and keeps the signature and
 * every other one running (a Go signature returning an error is the same case).
 */
export interface Signature {
  init(callback: FindingHandler): void;
  getMetadata(): SignatureMetadata;
  getSelectedEvents(): SignatureEventSelector[];
  onEvent(event: TraceeEnvelope): void;
  onSignal(signal: Signal): void;
  close(): void;
}

export function envelopeOf(event: TraceeEvent, origin: TraceeOrigin): TraceeEnvelope {
  return { Headers: { ContentType: `tracee/event-${event.eventName}`, Origin: `tracee/${origin}` }, Payload: event };
}

export const SOURCE_COMPLETE: SignalSourceComplete = { kind: 'sourceComplete', source: 'tracee' };
