import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceeEvent } from '../../../src/events/tracee-event.js';
import { KubernetesApiConnection } from '../../../src/signatures/builtin/k8s-api-connection.js';
import { envelopeOf, type Finding } from '../../../src/signatures/signature.js';
import { inContainer, inet, traceeEvent } from '../../fixtures/tracee-events.js';

function feed(events: TraceeEvent[]): Finding[] {
  const sig = new KubernetesApiConnection();
  const findings: Finding[] = [];
  sig.init((f) => findings.push(f));
  for (const e of events) sig.onEvent(envelopeOf(e, 'container'));
  return findings;
}

const exec = (envp: string[] | null, cid?: string) => inContainer(traceeEvent('execve', { envp: ['const char*const*', envp] }), cid);
const connect = (ip: string, cid?: string) => inContainer(traceeEvent('security_socket_connect', { sockfd: ['int', 3], remote_addr: ['struct sockaddr*', inet(ip, 443)] }), cid);

describe('TRC-13 Kubernetes API connection', () => {
  it('selects execve and connect in containers', () => {
    assert.deepEqual(new KubernetesApiConnection().getSelectedEvents(), [
      { Source: 'tracee', Name: 'execve', Origin: 'container' },
      { Source: 'tracee', Name: 'security_socket_connect', Origin: 'container' },
    ]);
  });

  it('reports a connect to the API address learnt from the environment', () => {
    const findings = feed([exec(['PATH=/bin', 'KUBERNETES_SERVICE_HOST= 10.96.0.1 ']), connect('10.96.0.1')]);
    assert.deepEqual(findings.map((f) => f.Data), [{ ip: '10.96.0.1' }]);
    assert.equal(findings[0]!.SigMetadata.ID, 'TRC-13');
  });

  it('does not report other addresses, other containers, or host events', () => {
    assert.equal(feed([exec(['KUBERNETES_SERVICE_HOST=10.96.0.1']), connect('10.0.0.9')]).length, 0);
    assert.equal(feed([exec(['KUBERNETES_SERVICE_HOST=10.96.0.1'], 'a'.repeat(64)), connect('10.96.0.1', 'b'.repeat(64))]).length, 0);
    const hostExec = traceeEvent('execve', { envp: ['const char*const*', ['KUBERNETES_SERVICE_HOST=10.96.0.1']] });
    const hostConnect = traceeEvent('security_socket_connect', { sockfd: ['int', 3], remote_addr: ['struct sockaddr*', inet('10.96.0.1', 443)] });
    assert.equal(feed([hostExec, hostConnect]).length, 0);
  });

  it('ignores an execve without environment (null envp does not crash)', () => {
    assert.equal(feed([exec(null), connect('10.96.0.1')]).length, 0);
  });

  it('works for IPv6 API addresses', () => {
    assert.equal(feed([exec(['KUBERNETES_SERVICE_HOST=fd00::1']), connect('fd00::1')]).length, 1);
  });
});
