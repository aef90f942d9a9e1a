/**
 * TRC-13: a container connects to the Kubernetes API server. The API address is learnt per container
 * from KUBERNETES_SERVICE_HOST in the environment of its programs (execve envp, present when the
 * sensor records environments); a later connect to that address is reported with the IP.
 */
import { traceeArg } from '../../events/tracee-event.js';
import type { FindingHandler, Signature, SignatureEventSelector, SignatureMetadata, TraceeEnvelope } from '../signature.js';
import { requireSockaddr } from './event-args.js';

const METADATA: SignatureMetadata = {
  ID: 'TRC-13',
  Version: '0.1.0',
  Name: 'Kubernetes API server connection detected',
  Description: 'A process in a container connected to the Kubernetes API server.',
  Tags: ['container'],
  Properties: { Severity: 1, 'MITRE ATT&CK': 'Discovery: Cloud Service Discovery' },
};

const SERVICE_HOST = 'KUBERNETES_SERVICE_HOST=';

export class KubernetesApiConnection implements Signature {
  private callback: FindingHandler = () => {};
  private apiAddress = new Map<string, string>();

  init(callback: FindingHandler): void {
    this.callback = callback;
    this.apiAddress = new Map();
  }

  getMetadata(): SignatureMetadata {
    return METADATA;
  }

  getSelectedEvents(): SignatureEventSelector[] {
    return ['execve', 'security_socket_connect'].map((Name) => ({ Source: 'tracee', Name, Origin: 'container' }));
  }

  onEvent(envelope: TraceeEnvelope): void {
    const event = envelope.Payload;
    if (event.containerId === '') return;
    if (event.eventName === 'execve') {
      const envp = traceeArg(event, 'envp')?.value;
      if (!Array.isArray(envp)) return;
      for (const entry of envp) {
        if (typeof entry !== 'string' || !entry.includes(SERVICE_HOST)) continue;
        this.apiAddress.set(event.containerId, entry.slice(entry.indexOf('=') + 1).trim());
      }
    } else if (event.eventName === 'security_socket_connect') {
      const api = this.apiAddress.get(event.containerId);
      if (api === undefined) return;
      const addr = requireSockaddr(event, 'remote_addr');
      const ip = addr.sin_addr ?? addr.sin6_addr ?? '';
      if (ip === api) this.callback({ Data: { ip }, Event: envelope, SigMetadata: METADATA });
    }
  }

  onSignal(): void {}

  close(): void {}
}
