// Worker entry: node's worker threads do not inherit the tsx loader, so register it here first.
import { register } from 'tsx/esm/api';

register();
await import('./state-in-worker.ts');
