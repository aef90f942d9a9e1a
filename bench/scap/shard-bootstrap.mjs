// Node 20 worker threads do not inherit the tsx hooks of `--import tsx`: register them, then load the TS worker.
import { register } from 'tsx/esm/api';

register();
await import('./shard.worker.ts');
