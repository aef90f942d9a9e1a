/**
 * The benchmark's shard of a process. The generated stories' busy processes are all pid 201 + 1000·i
 * (odd): pid % 2 would give one shard everything, so the pid is hashed (high bits of a
 * multiplicative hash) before taking the modulo.
 */
export const shardOf = (pid: number, shards: number): number => (Math.imul(pid, 0x9e3779b1) >>> 16) % shards;
