/** Why the sensor could not start: one code per start-up check, a message that says what to do. */
export type SensorErrorCode =
  | 'unsupported-platform'
  | 'kernel-too-old'
  | 'permission'
  | 'no-btf'
  | 'object-missing'
  | 'addon-missing'
  | 'wire-version'
  | 'verifier'
  | 'attach'
  | 'sensor';

export class SensorStartError extends Error {
  override name = 'SensorStartError';
  constructor(
    readonly code: SensorErrorCode,
    message: string,
  ) {
    super(message);
  }
}
