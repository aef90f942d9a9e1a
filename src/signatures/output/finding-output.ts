/**
 * How findings are printed: the default `*** Detection ***` block (spec 4.1), one JSON object per
 * finding, and the data a custom `--output-template` sees. Templates get the Finding with Go field names
 * (`.Data`, `.SigMetadata.Name`, `.Event.Headers.Origin`, `.Event.Payload.ProcessName`), and also
 * `.Context.X` (the v0.6 name of the payload, decision 8).
 */
import type { TraceeArgument, TraceeEvent } from '../../events/tracee-event.js';
import type { Finding, SignatureMetadata } from '../signature.js';
import { formatData, formatGoTime, goJson, GoStruct, GoTime, NIL_MAP } from './go-format.js';
import { parseGoTemplate, type Template } from './go-template.js';
import { TEMPLATE_FUNCTIONS } from './template-functions.js';

function argumentView(arg: TraceeArgument): GoStruct {
  return new GoStruct({ Name: arg.name, Type: arg.type, Value: arg.value }, () => arg);
}

/** trace.Event with its Go field names; toJson gives tracee's JSON form (camelCase keys). */
export function traceeEventView(e: TraceeEvent): GoStruct {
  return new GoStruct({
    Timestamp: e.timestamp, ProcessorID: e.processorId, ProcessID: e.processId, ThreadID: e.threadId,
    ParentProcessID: e.parentProcessId, HostProcessID: e.hostProcessId, HostThreadID: e.hostThreadId,
    HostParentProcessID: e.hostParentProcessId, UserID: e.userId, MountNS: e.mountNamespace, PIDNS: e.pidNamespace,
    ProcessName: e.processName, HostName: e.hostName, ContainerID: e.containerId, EventID: Number(e.eventId),
    EventName: e.eventName, ArgsNum: e.argsNum, ReturnValue: e.returnValue, StackAddresses: e.stackAddresses,
    Args: e.args === null ? null : e.args.map(argumentView),
  }, () => e);
}

function metadataView(m: SignatureMetadata): GoStruct {
  return new GoStruct({ ...m }, () => m);
}

/** The value a template executes on. */
export function findingView(finding: Finding): GoStruct {
  const payload = finding.Event === null ? null : traceeEventView(finding.Event.Payload);
  const headers = finding.Event === null ? null : new GoStruct({ ...finding.Event.Headers }, () => finding.Event!.Headers);
  const event = finding.Event === null ? null
    : new GoStruct({ Headers: headers, Payload: payload }, () => ({ Headers: headers, Payload: payload }));
  const metadata = metadataView(finding.SigMetadata);
  const fields = { Data: finding.Data ?? NIL_MAP, Event: event, SigMetadata: metadata, Context: payload };
  return new GoStruct(fields, () => ({ Data: finding.Data, Event: event, SigMetadata: metadata }));
}

/** The default block; `now` is the time of printing (upstream prints wall-clock time, not the event's). */
export function renderDetection(finding: Finding, now: Date = new Date()): string {
  const event = finding.Event!.Payload;
  return `\n*** Detection ***\nTime: ${formatGoTime(new GoTime(now, 'UTC'), '2006-01-02T15:04:05Z')}\n`
    + `Signature ID: ${finding.SigMetadata.ID}\nSignature: ${finding.SigMetadata.Name}\n`
    + `Data: ${formatData(finding.Data)}\nCommand: ${event.processName}\nHostname: ${event.hostName}\n`;
}

/** One finding as one JSON line ({Data, Event: {Headers, Payload}, SigMetadata}, Go encoding). */
export function renderFindingJson(finding: Finding): string {
  return `${goJson(findingView(finding))}\n`;
}

/** Parse an output template (its name is the file's base name, as upstream). Throws TemplateError. */
export function compileOutputTemplate(name: string, text: string): (finding: Finding) => string {
  const template: Template = parseGoTemplate(name, text, TEMPLATE_FUNCTIONS);
  return (finding) => template.execute(findingView(finding));
}
