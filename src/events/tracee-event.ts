/**
 * The Tracee event (tracee v0.7 `trace.Event`) as vigil's signature engine sees it: every one of the 20
 * fields present under its camelCase JSON key, `eventId` as a decimal string, zero values filled in.
 * This is also exactly the `input` document Rego signatures read (spec 2.4), so the decoder
 * (tracee-json.ts) and the VigilEvent view (tracee-view.ts) both produce this shape and nothing else.
 */

export interface TraceeArgument {
  name: string;
  type: string;
  value: unknown;
}

export interface TraceeEvent {
  /** Epoch ns. A JS number: values above 2^53 lose their last digits (sub-microsecond). */
  timestamp: number;
  processorId: number;
  processId: number;
  threadId: number;
  parentProcessId: number;
  hostProcessId: number;
  hostThreadId: number;
  hostParentProcessId: number;
  userId: number;
  mountNamespace: number;
  pidNamespace: number;
  processName: string;
  hostName: string;
  containerId: string;
  eventId: string;
  eventName: string;
  argsNum: number;
  returnValue: number;
  stackAddresses: number[] | null;
  args: TraceeArgument[] | null;
}

export type TraceeOrigin = 'host' | 'container';

/** Spec 1.4: a containerised event has a container id, or a pid that differs from its host pid. */
export function originOf(event: TraceeEvent): TraceeOrigin {
  return event.containerId !== '' || event.processId !== event.hostProcessId ? 'container' : 'host';
}

/** The first argument with that name (Go helpers' GetTraceeArgumentByName), or undefined. */
export function traceeArg(event: TraceeEvent, name: string): TraceeArgument | undefined {
  const args = event.args;
  if (args === null) return undefined;
  for (let i = 0; i < args.length; i++) if (args[i]!.name === name) return args[i];
  return undefined;
}

/** An event with every field at its zero value; decoders and tests start from it. */
export function emptyTraceeEvent(): TraceeEvent {
  return {
    timestamp: 0, processorId: 0, processId: 0, threadId: 0, parentProcessId: 0, hostProcessId: 0,
    hostThreadId: 0, hostParentProcessId: 0, userId: 0, mountNamespace: 0, pidNamespace: 0,
    processName: '', hostName: '', containerId: '', eventId: '0', eventName: '', argsNum: 0,
    returnValue: 0, stackAddresses: null, args: null,
  };
}
