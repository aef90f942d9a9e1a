/** vigil's TypeScript built-in signatures (the stateful ones); the stateless ones are the .rego files here. */
import type { Signature } from '../signature.js';
import { KubernetesApiConnection } from './k8s-api-connection.js';
import { StdioOverSocket } from './stdio-over-socket.js';

export { KubernetesApiConnection, StdioOverSocket };

/** Fresh instances, in load order (TRC-1, TRC-13 first, as upstream's Go plugin). */
export function builtinSignatures(): Signature[] {
  return [new StdioOverSocket(), new KubernetesApiConnection()];
}
