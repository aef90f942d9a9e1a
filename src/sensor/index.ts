export { Sensor, ringProducer, type SensorOptions, type SensorStats } from './sensor.js';
export { ShardReader, createShardRing } from './shard-reader.js';
export { SensorStartError, type SensorErrorCode } from './errors.js';
export { preflight, currentPreflightInput, type PreflightInput } from './preflight.js';
export { DEFAULT_ADDON_PATH, DEFAULT_OBJECT_PATH } from './addon.js';
