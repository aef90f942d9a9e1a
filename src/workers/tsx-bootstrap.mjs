// Source mode only (tests and `tsx`): on Node 20 worker threads do not get the tsx hooks that
// `--import tsx` installed in the main thread, so register them before loading the TS worker.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./shard.worker.ts');
export default worker.default;
