/**
 * What both rule engines produce and every output consumes. A Falco rule match and a Tracee
 * signature finding are both alerts; `source` tells them apart.
 */
export type AlertEngine = 'falco' | 'tracee';

export interface Alert {
  engine: AlertEngine;
  /** Rule name (Falco) or signature name (Tracee). */
  rule: string;
  /** Tracee signature id (TRC-2 …); undefined for Falco. */
  ruleId?: string;
  /** Falco priority name (`Critical`, `Informational` …); Tracee severities map onto them. */
  priority: string;
  /** Numeric priority 0 (Emergency) … 7 (Debug). */
  priorityNum: number;
  /** Falco event source (`syscall`) or `tracee`. */
  source: string;
  tags: string[];
  /** Event time, ns since epoch. */
  ts: bigint;
  /** The formatted output text (without time and priority). */
  output: string;
  /** Typed field values (Falco output_fields) or the finding's Data (Tracee). */
  fields: Record<string, unknown>;
  containerId?: string;
  containerImage?: string;
  /** Name (comm) of the process the event came from: Tracee's `Command:` line. */
  processName?: string;
  hostname: string;
  /** Rule-set version that produced the alert. */
  rulesetVersion: number;
  /** Sequence number of the event that produced it (evt.num). */
  eventNum: number;
}
