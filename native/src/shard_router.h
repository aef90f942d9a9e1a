// Routes each record to one shard ring (or all of them, for process life-cycle records) and writes it
// there as-is. Shard rings are SharedArrayBuffers laid out as ringbuf.js 0.4 lays out a
// RingBuffer<Uint8Array>: u32 write index, u32 read index, then the storage; indexes count bytes
// modulo the storage size, and one byte stays free so that full and empty differ.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
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

  // Control records (the rule manager's reload barrier). RequestControl may be called from any thread:
  // it only queues the record and raises a flag; the poller thread places it into every ring between two
  // kernel records (ServiceControls, and Route before each record). Returns the request's ticket (1, 2, …).
  // A barrier is never lost: where a ring is full it waits at the head of that shard's queue, and
  // every later record for that shard is dropped (counted, as a full ring drops it anyway) until it fits,
  // so it keeps its one stream position in every ring.
  uint64_t RequestControl(const uint8_t* record, size_t size);
  // Poller thread: takes new requests and writes waiting barriers that now fit.
  void ServiceControls();

  size_t shard_count() const { return rings_.size(); }
  uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  uint64_t malformed() const { return malformed_.load(std::memory_order_relaxed); }
  uint64_t routed(size_t shard) const { return counters_[shard].routed.load(std::memory_order_relaxed); }
  uint64_t drops(size_t shard) const { return counters_[shard].drops.load(std::memory_order_relaxed); }
  uint64_t controls_requested() const { return controls_requested_.load(std::memory_order_acquire); }
  // Barriers written into this shard's ring; a ticket t is in every ring once each shard reached t.
  uint64_t controls_written(size_t shard) const { return counters_[shard].controls.load(std::memory_order_acquire); }

 private:
  struct Counters {
    std::atomic<uint64_t> routed{0};
    std::atomic<uint64_t> drops{0};
    std::atomic<uint64_t> controls{0};
  };

  size_t ShardOf(const uint8_t* header) const;
  void Write(size_t shard, const uint8_t* header, const uint8_t* rest, size_t rest_size);
  bool TryWrite(size_t shard, const uint8_t* header, const uint8_t* rest, size_t rest_size);
  void TakeControlRequests();
  bool FlushControls(size_t shard);

  std::vector<ShardRing> rings_;
  std::unique_ptr<Counters[]> counters_;
  int64_t boot_to_epoch_ns_;
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> malformed_{0};

  // Requests from other threads, guarded by requests_mutex_; has_requests_ lets the poller skip the lock.
  std::mutex requests_mutex_;
  std::vector<std::vector<uint8_t>> requests_;
  std::atomic<bool> has_requests_{false};
  std::atomic<uint64_t> controls_requested_{0};
  // Poller thread only: per shard, the barriers not yet in its ring, oldest first.
  std::vector<std::deque<std::shared_ptr<const std::vector<uint8_t>>>> waiting_;
};

}  // namespace vigil
