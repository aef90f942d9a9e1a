/**
 * @module The daemon's configuration: a YAML file in the style of falco.yaml, then `-o key=value`
 * overrides with dotted keys, then command-line flags. Unknown keys and values of the wrong type
 * are reported with their place, and the daemon refuses to start on them.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseDocument, parse as parseYamlValue } from 'yaml';
import { packagePath } from './module-url.js';

export type PriorityName =
  | 'emergency'
  | 'alert'
  | 'critical'
  | 'error'
  | 'warning'
  | 'notice'
  | 'informational'
  | 'debug';

export const PRIORITIES: readonly PriorityName[] = [
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'notice',
  'informational',
  'debug',
];

export interface WebhookConfig {
  enabled: boolean;
  url: string;
  /** Body template with `{{json}}`, `{{rule}}`, `{{priority}}`, `{{output}}` …; empty = the JSON alert. */
  template: string;
  content_type: string;
  retries: number;
  backoff_ms: number;
  timeout_ms: number;
  queue_size: number;
}

export interface VigilConfig {
  rules_files: string[];
  rules_dir: string;
  watch_rules: boolean;
  json_output: boolean;
  /** Minimum priority an alert needs to reach the outputs (Falco's `priority`). */
  priority: PriorityName;
  /** `first`: only the first matching rule per event alerts (Falco's rule_matching). */
  rule_matching: 'first' | 'all';
  stdout_output: { enabled: boolean };
  file_output: { enabled: boolean; filename: string; max_size_mb: number; max_files: number };
  webhook_output: WebhookConfig;
  rate_limit: { enabled: boolean; rate: number; burst: number };
  api: { enabled: boolean; listen: string; token: string; body_limit: number };
  sse: { replay_buffer: number; client_queue: number; heartbeat_ms: number };
  workers: number;
  /** Seconds a worker may hold unread records without progress, or leave a prepare unanswered, before it is restarted; 0 = never. */
  workers_stall_timeout: number;
  /** Seconds a worker may take to seed its state and compile the rules before it counts as hung and is restarted; 0 = never. */
  workers_start_timeout: number;
  /** Bytes per shard ring. */
  ring_size: number;
  /** `all_events`: keep every sensor event on instead of only those the rules and state tables need. */
  sensor: { all_events: boolean };
  state: { max_threads: number; max_fds_per_process: number; max_containers: number; proc_root: string };
  /** Replay input (`file:PATH`, `file:stdin`); empty = the live sensor. */
  input_tracee: string;
  /** Replay a Falco/sysdig capture (.scap, .scap.gz) instead of the sensor; empty = none. */
  input_scap: string;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function defaultConfig(): VigilConfig {
  return {
    rules_files: [packagePath('rules/vigil_rules.yaml')],
    rules_dir: '',
    watch_rules: false,
    json_output: false,
    priority: 'debug',
    rule_matching: 'all',
    stdout_output: { enabled: true },
    file_output: { enabled: false, filename: './vigil_alerts.log', max_size_mb: 100, max_files: 5 },
    webhook_output: {
      enabled: false,
      url: '',
      template: '',
      content_type: 'application/json',
      retries: 3,
      backoff_ms: 200,
      timeout_ms: 5000,
      queue_size: 1000,
    },
    rate_limit: { enabled: false, rate: 1, burst: 10 },
    api: { enabled: true, listen: '127.0.0.1:8765', token: '', body_limit: 1024 * 1024 },
    sse: { replay_buffer: 1000, client_queue: 4096, heartbeat_ms: 15000 },
    workers: 0,
    workers_stall_timeout: 15,
    workers_start_timeout: 120,
    ring_size: 8 * 1024 * 1024,
    sensor: { all_events: false },
    state: { max_threads: 32768, max_fds_per_process: 1024, max_containers: 1024, proc_root: '/proc' },
    input_tracee: '',
    input_scap: '',
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Where = (path: string) => string;

/** Merge `value` into `target` key by key, checking each against the default's type. */
function merge(target: Record<string, unknown>, value: unknown, path: string, where: Where, problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where(path)}${path || 'config'}: expected a mapping`);
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const full = path ? `${path}.${key}` : key;
    if (!(key in target)) {
      problems.push(`${where(full)}unknown key '${full}'`);
      continue;
    }
    const current = target[key];
    if (Array.isArray(current)) {
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) target[key] = v;
      else if (typeof v === 'string') target[key] = [v];
      else problems.push(`${where(full)}'${full}' must be a list of strings`);
    } else if (current !== null && typeof current === 'object') {
      merge(current as Record<string, unknown>, v, full, where, problems);
    } else if (typeof current === 'number') {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n === 'number' && Number.isFinite(n) && n >= 0) target[key] = n;
      else problems.push(`${where(full)}'${full}' must be a non-negative number`);
    } else if (typeof current === 'boolean') {
      if (typeof v === 'boolean') target[key] = v;
      else if (v === 'true' || v === 'false') target[key] = v === 'true';
      else problems.push(`${where(full)}'${full}' must be true or false`);
    } else {
      if (typeof v === 'string' || typeof v === 'number') target[key] = String(v);
      else problems.push(`${where(full)}'${full}' must be a string`);
    }
  }
}

function checkValues(config: VigilConfig, problems: string[]): void {
  config.priority = config.priority.toLowerCase() as PriorityName;
  if (!PRIORITIES.includes(config.priority)) problems.push(`'priority' must be one of ${PRIORITIES.join(', ')}`);
  if (config.rule_matching !== 'first' && config.rule_matching !== 'all') problems.push(`'rule_matching' must be first or all`);
  if (!parseListen(config.api.listen)) problems.push(`'api.listen' must be HOST:PORT, got '${config.api.listen}'`);
  if (config.webhook_output.enabled && !/^https?:\/\//.test(config.webhook_output.url)) {
    problems.push(`'webhook_output.url' must be an http(s) URL when the webhook output is enabled`);
  }
  if (config.ring_size < 64 * 1024) problems.push(`'ring_size' must be at least 65536 bytes`);
  if (!Number.isInteger(config.workers)) problems.push(`'workers' must be an integer`);
  if (config.input_scap && config.input_tracee) problems.push(`'input_scap' and 'input_tracee' cannot both be set`);
}

export function parseListen(listen: string): { host: string; port: number } | undefined {
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port };
}

/** Parse one YAML config text onto the defaults. */
export function parseConfig(text: string, name = 'config'): VigilConfig {
  const config = defaultConfig();
  const problems: string[] = [];
  const doc = parseDocument(text, { keepSourceTokens: false });
  for (const e of doc.errors) {
    problems.push(`${name}:${e.linePos?.[0]?.line ?? 0}:${e.linePos?.[0]?.col ?? 0}: ${e.message.split('\n')[0]}`);
  }
  if (problems.length === 0 && doc.contents !== null) {
    const where: Where = (path) => {
      // Point at the key of the offending entry (its value for lists).
      const keys = path.split('.');
      const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
      const pair = (parent as { items?: { key?: { value?: unknown; range?: [number, number] } }[] } | null)?.items?.find(
        (item) => item.key?.value === keys[keys.length - 1],
      );
      const offset = pair?.key?.range?.[0];
      if (offset === undefined) return `${name}: `;
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      return `${name}:${line}:${offset - before.lastIndexOf('\n')}: `;
    };
    merge(config as unknown as Record<string, unknown>, doc.toJS(), '', where, problems);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Apply `-o key=value` overrides: dotted keys, values parsed as YAML scalars or flow collections. */
export function applyOverrides(config: VigilConfig, overrides: readonly string[]): VigilConfig {
  const problems: string[] = [];
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) {
      problems.push(`-o ${override}: expected key=value`);
      continue;
    }
    const keys = override.slice(0, eq).split('.');
    let value: unknown;
    try {
      value = parseYamlValue(override.slice(eq + 1));
    } catch {
      value = override.slice(eq + 1);
    }
    let tree: unknown = value;
    for (let i = keys.length - 1; i >= 0; i--) tree = { [keys[i]!]: tree };
    merge(config as unknown as Record<string, unknown>, tree, '', () => `-o ${override}: `, problems);
  }
  checkValues(config, problems);
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export async function loadConfig(path: string | undefined, overrides: readonly string[]): Promise<VigilConfig> {
  const base = path === undefined ? defaultConfig() : parseConfig(await readFile(path, 'utf8'), path);
  return applyOverrides(base, overrides);
}

export function priorityNumber(name: string): number {
  const i = PRIORITIES.indexOf(name.toLowerCase() as PriorityName);
  return i < 0 ? PRIORITIES.length - 1 : i;
}
