/**
 * A Rego module as a Tracee signature (spec 2.1–2.3). The module is compiled with the helper modules
 * only. Metadata (`__rego_metadoc__`) and selectors (`tracee_selected_events`) are read once at load;
 * every event evaluates `data.<pkg>.tracee_match` with the event as `input`: `true` gives a finding with
 * null Data, an object gives a finding with that object as Data, anything else (undefined, false,
 * strings, …) gives nothing. An evaluation conflict throws, and the engine counts it for this signature.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { CompileRego, PreparedQuery, RegoProgram, RegoSource } from './rego-compiler.js';
import type {
  FindingHandler, Signature, SignatureEventSelector, SignatureMetadata, TraceeEnvelope,
} from './signature.js';

/** The package a module declares: the second word of its first `package` line (as tracee-rules reads it). */
export function regoPackageOf(text: string): string | undefined {
  return /^[ \t]*package[ \t]+([A-Za-z_][\w.]*)/m.exec(text)?.[1];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Set);
}

/** Case-insensitive lookup, as Go's JSON decoder fills SignatureMetadata from the metadoc object. */
function field(doc: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  for (const key of Object.keys(doc)) if (key.toLowerCase() === name) found = doc[key];
  return found;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function metadataFromMetadoc(doc: unknown): SignatureMetadata {
  const meta: SignatureMetadata = { ID: '', Version: '', Name: '', Description: '', Tags: null, Properties: null };
  if (!isObject(doc)) return meta;
  meta.ID = text(field(doc, 'id'));
  meta.Version = text(field(doc, 'version'));
  meta.Name = text(field(doc, 'name'));
  meta.Description = text(field(doc, 'description'));
  const tags = field(doc, 'tags');
  if (Array.isArray(tags)) meta.Tags = tags.filter((t): t is string => typeof t === 'string');
  const properties = field(doc, 'properties');
  if (isObject(properties)) meta.Properties = { ...properties };
  return meta;
}

export function selectorsFromRego(value: unknown): SignatureEventSelector[] {
  const items = value instanceof Set ? [...value] : Array.isArray(value) ? value : [];
  return items.filter(isObject).map((s) => ({
    Source: text(field(s, 'source')),
    Name: text(field(s, 'name')),
    Origin: text(field(s, 'origin')),
  }));
}

export class RegoSignature implements Signature {
  private readonly match: PreparedQuery;
  private readonly metadata: SignatureMetadata;
  private readonly selectors: SignatureEventSelector[];
  private callback: FindingHandler = () => {};

  constructor(program: RegoProgram, readonly packageName: string) {
    const base = `data.${packageName}`;
    this.match = program.prepare(`${base}.tracee_match`);
    this.metadata = metadataFromMetadoc(program.evaluate(`${base}.__rego_metadoc__`));
    this.selectors = selectorsFromRego(program.evaluate(`${base}.tracee_selected_events`, undefined, { sets: 'array' }));
  }

  init(callback: FindingHandler): void {
    this.callback = callback;
  }

  getMetadata(): SignatureMetadata {
    return this.metadata;
  }

  getSelectedEvents(): SignatureEventSelector[] {
    return this.selectors;
  }

  onEvent(event: TraceeEnvelope): void {
    const result = this.match(event.Payload);
    if (result === true) this.callback({ Data: null, Event: event, SigMetadata: this.metadata });
    else if (isObject(result)) this.callback({ Data: result, Event: event, SigMetadata: this.metadata });
  }

  onSignal(): void {}

  close(): void {}
}

export type RegoSignatureResult = { signature: RegoSignature; diagnostics: Diagnostic[] } | { signature?: undefined; diagnostics: Diagnostic[]; error: string };

/** Compile one signature module together with the helper modules (never with other signatures, spec 2.2). */
export function compileRegoSignature(compile: CompileRego, source: RegoSource, helpers: readonly RegoSource[]): RegoSignatureResult {
  const packageName = regoPackageOf(source.text);
  if (packageName === undefined) return { diagnostics: [], error: `${source.name}: no package declaration` };
  const { program, diagnostics } = compile([...helpers, source]);
  if (program === undefined || diagnostics.some((d) => d.severity === 'error')) {
    return { diagnostics, error: `${source.name}: does not compile` };
  }
  try {
    return { signature: new RegoSignature(program, packageName), diagnostics };
  } catch (e) {
    return { diagnostics, error: `${source.name}: ${(e as Error).message}` };
  }
}
