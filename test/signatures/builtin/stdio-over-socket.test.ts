import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceeEvent } from '../../../src/events/tracee-event.js';
import { StdioOverSocket } from '../../../src/signatures/builtin/stdio-over-socket.js';
import { envelopeOf, type Finding } from '../../../src/signatures/signature.js';
import { inet, traceeEvent } from '../../fixtures/tracee-events.js';

function feed(events: TraceeEvent[]): Finding[] {
  const sig = new StdioOverSocket();
  const findings: Finding[] = [];
  sig.init((f) => findings.push(f));
  for (const e of events) sig.onEvent(envelopeOf(e, 'host'));
  return findings;
}

const connect = (fd: number, addr: Record<string, string>, pid = 100) =>
  traceeEvent('security_socket_connect', { sockfd: ['int', fd], remote_addr: ['struct sockaddr*', addr] }, { processId: pid });
const dup2 = (oldfd: number, newfd: number, pid = 100) => traceeEvent('dup2', { oldfd: ['int', oldfd], newfd: ['int', newfd] }, { processId: pid });

describe('TRC-1 stdio over socket', () => {
  it('selects the connect, dup, close and exit events', () => {
    assert.deepEqual(new StdioOverSocket().getSelectedEvents().map((s) => s.Name),
      ['security_socket_connect', 'dup', 'dup2', 'dup3', 'close', 'sched_process_exit']);
  });

  it('reports a connect on fd 0-2 at once', () => {
    const [f] = feed([connect(0, inet('10.0.0.1', 53))]);
    assert.deepEqual(f!.Data, { ip: '10.0.0.1', port: '53', fd: 0 });
    assert.equal(f!.SigMetadata.ID, 'TRC-1');
  });

  it('reports a socket duplicated onto stdin/stdout/stderr (dup2, dup3, dup)', () => {
    assert.deepEqual(feed([connect(3, inet('10.0.0.1', 4444)), dup2(3, 0)]).map((f) => f.Data), [{ ip: '10.0.0.1', port: '4444', fd: 0 }]);
    const dup3 = traceeEvent('dup3', { oldfd: ['int', 3], newfd: ['int', 2], flags: ['int', 0] });
    assert.equal(feed([connect(3, inet('fe80::1', 443)), dup3]).length, 1);
    const dup = traceeEvent('dup', { oldfd: ['int', 3] }, { returnValue: 1 });
    assert.deepEqual(feed([connect(3, inet('10.0.0.2', 80)), dup]).map((f) => f.Data), [{ ip: '10.0.0.2', port: '80', fd: 1 }]);
  });

  it('does not report dups to other fds, other processes, closed or exited sockets', () => {
    assert.equal(feed([connect(3, inet('10.0.0.1', 1)), dup2(3, 5)]).length, 0);
    assert.equal(feed([connect(3, inet('10.0.0.1', 1)), dup2(3, 0, 200)]).length, 0);
    assert.equal(feed([connect(3, inet('10.0.0.1', 1)), traceeEvent('close', { fd: ['int', 3] }), dup2(3, 0)]).length, 0);
    assert.equal(feed([connect(3, inet('10.0.0.1', 1)), traceeEvent('sched_process_exit', {}), dup2(3, 0)]).length, 0);
  });

  it('does not remember unix sockets', () => {
    assert.equal(feed([connect(3, { sa_family: 'AF_UNIX', sun_path: '/run/x.sock' }), dup2(3, 0)]).length, 0);
  });

  it('throws (and so is counted by the engine) on missing or malformed arguments', () => {
    assert.throws(() => feed([traceeEvent('security_socket_connect', { sockfd: ['int', 3] })]), /remote_addr not found/);
    assert.throws(() => feed([traceeEvent('security_socket_connect', { sockfd: ['int', 3], remote_addr: ['struct sockaddr*', 'x'] })]), /couldn't convert/);
    assert.throws(() => feed([connect(3, inet('10.0.0.1', 1)), traceeEvent('dup2', { oldfd: ['int', 3] })]), /newfd not found/);
  });
});
