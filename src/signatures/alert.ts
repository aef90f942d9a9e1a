/**
 * A finding as a vigil Alert (src/alerts/alert.ts), the form every output and the daemon's alert bus
 * take. Tracee severities 0–4 map onto Falco priorities: 0 Informational, 1 Notice, 2 Warning,
 * 3 Error, 4 Critical; a signature without a numeric Severity is a Warning.
 */
import type { Alert } from '../alerts/alert.js';
import { formatData } from './output/go-format.js';
import type { Finding } from './signature.js';

const PRIORITIES: readonly [name: string, num: number][] = [
  ['Informational', 6], ['Notice', 5], ['Warning', 4], ['Error', 3], ['Critical', 2],
];

function severityOf(finding: Finding): number {
  const severity = finding.SigMetadata.Properties?.Severity;
  return typeof severity === 'number' && Number.isInteger(severity) ? Math.min(4, Math.max(0, severity)) : 2;
}

export function findingToAlert(finding: Finding, context: { rulesetVersion: number; eventNum: number }): Alert {
  const event = finding.Event?.Payload;
  const [priority, priorityNum] = PRIORITIES[severityOf(finding)]!;
  const alert: Alert = {
    engine: 'tracee',
    rule: finding.SigMetadata.Name,
    ruleId: finding.SigMetadata.ID,
    priority,
    priorityNum,
    source: 'tracee',
    tags: finding.SigMetadata.Tags ?? [],
    ts: BigInt(event?.timestamp ?? 0),
    output: `${finding.SigMetadata.Name}: ${formatData(finding.Data)} (command=${event?.processName ?? ''} pid=${event?.hostProcessId ?? 0})`,
    fields: finding.Data ?? {},
    hostname: event?.hostName ?? '',
    rulesetVersion: context.rulesetVersion,
    eventNum: context.eventNum,
  };
  if (event !== undefined && event.containerId !== '') alert.containerId = event.containerId;
  if (event?.processName) alert.processName = event.processName;
  return alert;
}
