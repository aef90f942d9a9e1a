/**
 * @module Alert renderings shared by the outputs: Falco's text line and JSON alert (from
 * src/falco/output), Tracee's `*** Detection ***` block, and vigil's own JSON form used by the
 * SSE stream and the webhook, which keeps every Alert property (version, event number, container).
 */
import type { Alert } from '../alerts/alert.js';
import { renderJsonAlert, renderTextAlert, writeJson } from '../falco/output/index.js';
import { formatData } from '../signatures/output/go-format.js';

export function renderTraceeBlock(alert: Alert): string {
  const time = new Date(Number(alert.ts / 1_000_000n)).toISOString().replace(/\.\d+Z$/, 'Z');
  const command = alert.processName ?? alert.fields['proc.name'] ?? '';
  return [
    '*** Detection ***',
    `Time: ${time}`,
    `Signature ID: ${alert.ruleId ?? ''}`,
    `Signature: ${alert.rule}`,
    `Data: ${formatData(alert.fields)}`,
    `Command: ${String(command)}`,
    `Hostname: ${alert.hostname}`,
  ].join('\n');
}

/** The stdout/file form: JSON lines with `json`, else Falco's line or Tracee's block by engine. */
export function renderAlert(alert: Alert, json: boolean): string {
  if (json) return renderJsonAlert(alert);
  return alert.engine === 'tracee' ? renderTraceeBlock(alert) : renderTextAlert(alert);
}

/** vigil's JSON alert (SSE, webhook `{{json}}`): every property, bigints as integers. */
export function alertToJson(alert: Alert): string {
  return writeJson({
    time: new Date(Number(alert.ts / 1_000_000n)).toISOString(),
    ...alert,
  });
}
