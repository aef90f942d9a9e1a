// Routes each record to one shard ring (or all of them, for process life-cycle records) and writes it
// there as-is. Shard rings are SharedArrayBuffers laid out as ringbuf.js 0.4 lays out a
// RingBuffer<Uint8Array>: u32 write index, u32 read index, then the storage; indexes count bytes
// modulo the storage size, and one byte stays free so that full and empty differ.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace vigil {

struct ShardRing {
  uint8_t* base;     // start of the SharedArrayBuffer (write index)
  uint32_t storage;  // bytes of storage after the two indexes
};

class ShardRouter {
 public:
  ShardRouter(std::vector<ShardRing> rings, int64_t boot_to_epoch_ns);

  // Called on the poller thread only. Never blocks: a full ring counts a drop for that shard.
  void Route(const void* record, size_t size);

  size_t shard_count() const { return rings_.size(); }
  uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  uint64_t malformed() const { return malformed_.load(std::memory_order_relaxed); }
  uint64_t routed(size_t shard) const { return counters_[shard].routed.load(std::memory_order_relaxed); }
  uint64_t drops(size_t shard) const { return counters_[shard].drops.load(std::memory_order_relaxed); }

 private:
  struct Counters {
    std::atomic<uint64_t> routed{0};
    std::atomic<uint64_t> drops{0};
  };

  size_t ShardOf(const uint8_t* header) const;
  void Write(size_t shard, const uint8_t* header, const uint8_t* rest, size_t rest_size);

  std::vector<ShardRing> rings_;
  std::unique_ptr<Counters[]> counters_;
  int64_t boot_to_epoch_ns_;
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> malformed_{0};
};

}  // namespace vigil
