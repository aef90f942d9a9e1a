/**
 * @module The production pipeline: vigil's wire format (src/events), the state tables
 * (src/state), the Falco engine (src/falco) and the Tracee signatures (src/signatures). Each
 * worker loads it by URL; so does the rule manager, which compiles with the same code.
 *
 * Control records (the reload barrier) are wire records with event id 0, which the event table
 * never uses: a bare header whose pid slot carries the rule-set version.
 */
import { existsSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { extname, join } from 'node:path';
import type { Alert } from '../alerts/alert.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { decodeRecord, recordLength } from '../events/decode.js';
import { encodeEvent } from '../events/encode.js';
import { decodeTraceeJson } from '../events/tracee-json.js';
import { TraceeView } from '../events/tracee-view.js';
import { HDR, VIGIL_HEADER_SIZE, VIGIL_WIRE_VERSION } from '../events/wire.js';
import type { EvalContext } from '../falco/fields/field.js';
import { loadFalcoRules, type FalcoRuleset } from '../falco/index.js';
import { findingToAlert } from '../signatures/alert.js';
import { SignatureEngine, selectorsOf } from '../signatures/engine.js';
import { loadJsSignatures } from '../signatures/js-signature.js';
import { embeddedHelpers } from '../signatures/registry.js';
import { loadRegoCompiler } from '../signatures/rego-compiler.js';
import { compileRegoSignature } from '../signatures/rego-signature.js';
import { builtinSignatures } from '../signatures/builtin/index.js';
import { loadSignatures } from '../signatures/registry.js';
import type { Finding, Signature } from '../signatures/signature.js';
import { DockerMetadataSource, StateTables } from '../state/index.js';
import { containerFromJson, containerToJson } from '../scap/containers.js';
import { seedStateTables, withCaptureUsers } from '../scap/index.js';
import type { ContainerInfo } from '../state/types.js';
import { traceeToVigil } from '../daemon/tracee-to-vigil.js';
import { neededKernelEvents, signatureEvents } from './kernel-events.js';
import type { CompiledRules, CompileResult, Pipeline, RuleSetSpec, RuleSummary, ShardEvaluator, ShardOptions } from './pipeline.js';

interface Compiled extends CompiledRules {
  falco: FalcoRuleset;
  signatures: Signature[];
}

const DOCKER_SOCKET = '/var/run/docker.sock';
const TRACEE_PRIORITY = ['Informational', 'Notice', 'Warning', 'Error', 'Critical'];

async function loadSignatureSet(spec: RuleSetSpec, diagnostics: Diagnostic[]): Promise<Signature[]> {
  // Built-in Rego and TS signatures, then Rego sources from the rules directory (validated text,
  // possibly from the API), then JS modules found in the rules directory on disk.
  const builtins = await loadSignatures({});
  for (const problem of builtins.problems) diagnostics.push({ code: 'SIG_LOAD', severity: 'warning', message: problem });
  const signatures = builtins.signatures.length ? builtins.signatures : builtinSignatures();
  if (spec.rego.length > 0) {
    const compile = await loadRegoCompiler();
    if (!compile) {
      diagnostics.push({ code: 'SIG_LOAD', severity: 'error', message: 'the Rego engine is not available' });
    } else {
      const helpers = [embeddedHelpers(), ...spec.rego.filter((s) => s.name.endsWith('helpers.rego'))];
      for (const source of spec.rego.filter((s) => !s.name.endsWith('helpers.rego') && !s.name.endsWith('_test.rego'))) {
        const result = compileRegoSignature(compile, source, helpers);
        diagnostics.push(...result.diagnostics);
        if (result.signature) signatures.push(result.signature);
        else if (!result.diagnostics.some((d) => d.severity === 'error')) {
          diagnostics.push({ code: 'SIG_LOAD', severity: 'error', message: result.error ?? `${source.name}: not a signature` });
        }
      }
    }
  }
  if (spec.signatureDir) {
    let names: string[] = [];
    try {
      names = readdirSync(spec.signatureDir).filter((n) => ['.js', '.mjs'].includes(extname(n))).sort();
    } catch {
      // a missing rules directory was reported by the file reader
    }
    for (const name of names) {
      const loaded = await loadJsSignatures(join(spec.signatureDir, name));
      signatures.push(...loaded.signatures);
      for (const error of loaded.errors) diagnostics.push({ code: 'SIG_LOAD', severity: 'error', message: error });
    }
  }
  return signatures.filter((s) => !spec.disabled.includes(s.getMetadata().Name) && !spec.disabled.includes(s.getMetadata().ID));
}

async function compile(spec: RuleSetSpec): Promise<CompileResult> {
  const loaded = loadFalcoRules(spec.falco, { ruleMatching: spec.ruleMatching, version: spec.version, hostname: hostname() });
  const diagnostics = [...loaded.diagnostics];
  const signatures = await loadSignatureSet(spec, diagnostics);
  const summary: RuleSummary[] = [];
  if (loaded.ruleset) {
    for (const name of spec.disabled) loaded.ruleset.setEnabled(name, false);
    for (const r of loaded.ruleset.rules) {
      summary.push({ name: r.name, engine: 'falco', priority: priorityName(r.priority), enabled: loaded.ruleset.isEnabled(r.name), tags: [...r.tags], source: r.source });
    }
  }
  for (const s of signatures) {
    const m = s.getMetadata();
    const sev = typeof m.Properties?.['Severity'] === 'number' ? (m.Properties['Severity'] as number) : 2;
    summary.push({ name: m.Name, engine: 'tracee', id: m.ID, priority: TRACEE_PRIORITY[sev] ?? 'Warning', enabled: true, tags: m.Tags ?? [], source: 'tracee' });
  }
  if (!loaded.ruleset || diagnostics.some((d) => d.severity === 'error')) return { diagnostics, summary };
  const rules: Compiled = { version: spec.version, falco: loaded.ruleset, signatures };
  const ruleset = loaded.ruleset;
  const enabled = ruleset.rules.filter((r) => ruleset.isEnabled(r.name));
  return { rules, diagnostics, summary, kernelEvents: neededKernelEvents(enabled, selectorsOf(signatures)) };
}

const PRIORITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
function priorityName(n: number): string {
  return PRIORITY_NAMES[n] ?? 'Debug';
}

function createShard(options: ShardOptions): ShardEvaluator {
  // Container names and images come from the Docker API when its socket is there (not for a
  // capture: its containers ran on the machine that recorded it).
  const docker = !options.captureSeed && existsSync(DOCKER_SOCKET) ? new DockerMetadataSource({ socketPath: DOCKER_SOCKET }) : undefined;
  const state = new StateTables({
    maxThreads: options.maxThreads,
    maxContainers: options.maxContainers,
    procRoot: options.procRoot,
    ...(docker ? { containerMetadata: docker } : {}),
  });
  const view = new TraceeView();
  // One signature engine per compiled set; signatures keep per-process state, so they live as long as their set.
  let engineFor: Compiled | undefined;
  let engine: SignatureEngine | undefined;
  /** The vigil events whose Tracee view the running signatures can select. */
  let viewEvents: 'all' | Set<string> = 'all';
  let findings: Finding[] = [];
  const ctx: EvalContext = { evt: undefined as never, num: 0, thread: undefined, fd: undefined, state, epoch: 0 };
  let seeded = 0;
  return {
    seed() {
      if (options.captureSeed) {
        seeded = seedStateTables(state, options.captureSeed);
        ctx.state = withCaptureUsers(state, options.captureSeed);
        return;
      }
      try {
        seeded = state.seedFromProc(options.procRoot);
      } catch {
        seeded = 0;
      }
    },
    observe(evt) {
      state.apply(evt);
      state.finish(evt);
    },
    container(info) {
      state.containers.set(info);
    },
    evaluate(rules, evt, num) {
      const compiled = rules as Compiled;
      const applied = state.apply(evt);
      ctx.evt = evt;
      ctx.num = num;
      ctx.thread = applied.thread;
      ctx.fd = applied.fd;
      ctx.epoch++;
      const falcoAlerts = compiled.falco.evaluate(ctx);
      let out: readonly Alert[] = falcoAlerts;
      if (compiled.signatures.length > 0) {
        if (engineFor !== compiled) {
          engine?.complete();
          engineFor = compiled;
          engine = new SignatureEngine(compiled.signatures, { onFinding: (f) => findings.push(f) });
          viewEvents = signatureEvents(engine.selectedEvents());
        }
        // Only events a signature can select are converted; procexit always, as it ends the view's per-process state.
        if (viewEvents === 'all' || viewEvents.has(evt.name) || evt.name === 'procexit') for (const t of view.toTracee(evt)) engine!.dispatch(t);
        if (findings.length > 0) {
          const extra = findings.filter((f) => f.Event).map((f) => findingToAlert(f, { rulesetVersion: compiled.version, eventNum: num }));
          findings = [];
          out = [...falcoAlerts, ...extra];
        }
      }
      state.finish(evt);
      return out;
    },
    stats() {
      return { ...state.stats(), seeded };
    },
  };
}

/**
 * Records the sensor never writes, told apart by event ids no event-table entry has: 0 is the
 * reload barrier (its version in the PID field), 0xffff a container's metadata (its JSON after the header).
 */
const CONTROL_RECORD = 0;
const CONTAINER_RECORD = 0xffff;

/** A header carrying only its length, `eventId` and the wire version, then `payload`; returned with a view on it. */
function internalRecord(eventId: number, payload: Uint8Array = new Uint8Array(0)): { out: Uint8Array; view: DataView } {
  const out = new Uint8Array(VIGIL_HEADER_SIZE + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(HDR.LEN, out.length, true);
  view.setUint16(HDR.EVENT_ID, eventId, true);
  out[HDR.VERSION] = VIGIL_WIRE_VERSION;
  out.set(payload, VIGIL_HEADER_SIZE);
  return { out, view };
}

/** The event id of the record at `off`, or -1 when `len` cannot hold a header. */
function recordEventId(buf: Uint8Array, off: number, len: number): number {
  return len < VIGIL_HEADER_SIZE ? -1 : buf[off + HDR.EVENT_ID]! | (buf[off + HDR.EVENT_ID + 1]! << 8);
}

function encodeContainer(info: ContainerInfo): Uint8Array {
  return internalRecord(CONTAINER_RECORD, Buffer.from(containerToJson(info), 'utf8')).out;
}

function encodeControl(version: number): Uint8Array {
  const { out, view } = internalRecord(CONTROL_RECORD);
  view.setUint32(HDR.PID, version, true);
  return out;
}

export const pipeline: Pipeline = {
  recordLength(buf, off, avail) {
    if (avail < 4) return 0;
    // A length below the header's size is corrupt; skip 4 bytes at a time rather than stall the shard.
    return Math.max(4, recordLength(buf, off));
  },
  decodeRecord(buf, off) {
    const result = decodeRecord(buf, off);
    if (!result.ok) throw new Error(result.error);
    return result.event;
  },
  encodeEvent,
  encodeControl,
  controlVersion(buf, off, len) {
    if (recordEventId(buf, off, len) !== CONTROL_RECORD) return -1;
    return new DataView(buf.buffer, buf.byteOffset + off, len).getUint32(HDR.PID, true);
  },
  encodeContainer,
  containerOf(buf, off, len) {
    if (recordEventId(buf, off, len) !== CONTAINER_RECORD) return undefined;
    return containerFromJson(Buffer.from(buf.buffer, buf.byteOffset + off + VIGIL_HEADER_SIZE, len - VIGIL_HEADER_SIZE).toString('utf8'));
  },
  parseTraceeLine(line) {
    const decoded = decodeTraceeJson(line);
    if (!decoded.ok) return decoded.error;
    return traceeToVigil(decoded.event);
  },
  compile,
  createShard,
};
export default pipeline;
