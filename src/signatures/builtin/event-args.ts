/**
 * Typed argument access for the TypeScript built-ins, with the errors a Go signature returns when an
 * argument is missing or has the wrong shape (the engine counts and reports them).
 */
import { traceeArg, type TraceeEvent } from '../../events/tracee-event.js';

export function requireArg(event: TraceeEvent, name: string): unknown {
  const arg = traceeArg(event, name);
  if (arg === undefined) throw new Error(`argument ${name} not found`);
  return arg.value;
}

export function requireInt(event: TraceeEvent, name: string): number {
  const value = requireArg(event, name);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`argument ${name}: not an integer: ${JSON.stringify(value)}`);
  return value;
}

/** A sockaddr argument as a string → string map (spec 1.3 keys: sa_family, sin_addr, sin_port, …). */
export function requireSockaddr(event: TraceeEvent, name: string): Record<string, string> {
  const value = requireArg(event, name);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`couldn't convert arg ${name} to addr`);
  return value as Record<string, string>;
}

/** The IP and port of an AF_INET/AF_INET6 address; empty strings for other families. */
export function ipAndPort(addr: Record<string, string>): { ip: string; port: string } {
  switch (addr.sa_family) {
    case 'AF_INET':
      return { ip: addr.sin_addr ?? '', port: addr.sin_port ?? '' };
    case 'AF_INET6':
      return { ip: addr.sin6_addr ?? '', port: addr.sin6_port ?? '' };
    default:
      return { ip: '', port: '' };
  }
}
