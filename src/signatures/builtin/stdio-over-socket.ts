/**
 * TRC-1: a process connects a socket to a remote address and then has that socket as its standard
 * input, output or error (connect on fd 0–2, or dup/dup2/dup3 of the socket onto 0–2): the shape of a
 * reverse shell. State: namespace pid → socket fd → remote address, forgotten on close and exit.
 */
import type { TraceeEvent } from '../../events/tracee-event.js';
import type { FindingHandler, Signature, SignatureEventSelector, SignatureMetadata, TraceeEnvelope } from '../signature.js';
import { ipAndPort, requireInt, requireSockaddr } from './event-args.js';

const METADATA: SignatureMetadata = {
  ID: 'TRC-1',
  Version: '0.1.0',
  Name: 'Standard Input/Output Over Socket',
  Description: 'A process redirected its standard input, output or error to a network socket, as reverse shells do.',
  Tags: ['linux', 'container'],
  Properties: { Severity: 3, 'MITRE ATT&CK': 'Persistence: Server Software Component' },
};

const EVENTS = ['security_socket_connect', 'dup', 'dup2', 'dup3', 'close', 'sched_process_exit'];

interface Remote { ip: string; port: string }

function isStdio(fd: number): boolean {
  return fd >= 0 && fd <= 2;
}

export class StdioOverSocket implements Signature {
  private callback: FindingHandler = () => {};
  private sockets = new Map<number, Map<number, Remote>>();

  init(callback: FindingHandler): void {
    this.callback = callback;
    this.sockets = new Map();
  }

  getMetadata(): SignatureMetadata {
    return METADATA;
  }

  getSelectedEvents(): SignatureEventSelector[] {
    return EVENTS.map((Name) => ({ Source: 'tracee', Name, Origin: '*' }));
  }

  onEvent(envelope: TraceeEnvelope): void {
    const event = envelope.Payload;
    switch (event.eventName) {
      case 'security_socket_connect':
        return this.onConnect(envelope);
      case 'dup':
        return this.onDup(envelope, event.returnValue);
      case 'dup2':
      case 'dup3':
        return this.onDup(envelope, requireInt(event, 'newfd'));
      case 'close':
        this.sockets.get(event.processId)?.delete(requireInt(event, 'fd'));
        return;
      case 'sched_process_exit':
        this.sockets.delete(event.processId);
        return;
    }
  }

  private onConnect(envelope: TraceeEnvelope): void {
    const event = envelope.Payload;
    const remote = ipAndPort(requireSockaddr(event, 'remote_addr'));
    const fd = requireInt(event, 'sockfd');
    if (isStdio(fd)) this.emit(envelope, remote, fd);
    let fds = this.sockets.get(event.processId);
    if (fds === undefined) this.sockets.set(event.processId, (fds = new Map()));
    if (remote.ip !== '' && remote.port !== '') fds.set(fd, remote);
  }

  private onDup(envelope: TraceeEnvelope, target: number): void {
    const event: TraceeEvent = envelope.Payload;
    const fds = this.sockets.get(event.processId);
    if (fds === undefined) return;
    const remote = fds.get(requireInt(event, 'oldfd'));
    if (remote !== undefined && isStdio(target)) this.emit(envelope, remote, target);
  }

  private emit(envelope: TraceeEnvelope, remote: Remote, fd: number): void {
    this.callback({ Data: { ip: remote.ip, port: remote.port, fd }, Event: envelope, SigMetadata: METADATA });
  }

  onSignal(): void {}

  close(): void {}
}
