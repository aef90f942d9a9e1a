/**
 * @module What every alert output implements. `write` never blocks or throws: an output that
 * cannot keep up queues within its bound and counts what it drops.
 */
import type { Alert } from '../alerts/alert.js';

export interface OutputStats {
  written: number;
  dropped: number;
  errors: number;
}

export interface Output {
  readonly name: string;
  write(alert: Alert): void;
  /** Resolves once everything accepted so far has been delivered (or given up on). */
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): OutputStats;
}
