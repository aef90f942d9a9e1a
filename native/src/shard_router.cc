#include "shard_router.h"

#include <cstring>
#include <ctime>

extern "C" {
#include "record.h"
}

namespace vigil {

static_assert(sizeof(vigil_record_header) == VIGIL_HEADER_SIZE, "record.h header size");
static_assert(offsetof(vigil_record_header, ts) == 8, "record.h ts offset");

namespace {

uint32_t LoadIndex(const uint8_t* p) {
  return __atomic_load_n(reinterpret_cast<const uint32_t*>(p), __ATOMIC_ACQUIRE);
}

void StoreIndex(uint8_t* p, uint32_t v) {
  __atomic_store_n(reinterpret_cast<uint32_t*>(p), v, __ATOMIC_RELEASE);
}

// Copies n bytes into the ring storage at pos, wrapping at the end; returns the position after them.
uint32_t CopyIn(uint8_t* storage, uint32_t cap, uint32_t pos, const uint8_t* src, size_t n) {
  size_t first = std::min<size_t>(n, cap - pos);
  std::memcpy(storage + pos, src, first);
  std::memcpy(storage, src + first, n - first);
  return static_cast<uint32_t>((pos + n) % cap);
}

}  // namespace

ShardRouter::ShardRouter(std::vector<ShardRing> rings, int64_t boot_to_epoch_ns)
    : rings_(std::move(rings)),
      counters_(new Counters[rings_.size()]),
      boot_to_epoch_ns_(boot_to_epoch_ns),
      waiting_(rings_.size()) {}

// The design's shard key: the container for containerised processes, else the process.
size_t ShardRouter::ShardOf(const uint8_t* header) const {
  const auto* h = reinterpret_cast<const vigil_record_header*>(header);
  uint64_t key = (h->flags & VIGIL_F_CONTAINER) ? h->cgroup_id : h->pid;
  key *= 0x9E3779B97F4A7C15ull;  // Fibonacci hashing spreads consecutive pids
  return static_cast<size_t>((key >> 32) % rings_.size());
}

bool ShardRouter::TryWrite(size_t shard, const uint8_t* header, const uint8_t* rest, size_t rest_size) {
  ShardRing& ring = rings_[shard];
  uint32_t wr = LoadIndex(ring.base);
  uint32_t rd = LoadIndex(ring.base + 4);
  uint32_t cap = ring.storage;
  uint32_t used = (wr + cap - rd) % cap;
  size_t size = VIGIL_HEADER_SIZE + rest_size;
  if (size > cap - 1 - used) return false;
  uint8_t* storage = ring.base + 8;
  wr = CopyIn(storage, cap, wr, header, VIGIL_HEADER_SIZE);
  wr = CopyIn(storage, cap, wr, rest, rest_size);
  StoreIndex(ring.base, wr);  // publishes the whole record at once
  return true;
}

// A record waits behind its shard's barriers: written only once they are all in the ring.
void ShardRouter::Write(size_t shard, const uint8_t* header, const uint8_t* rest, size_t rest_size) {
  counters_[shard].routed.fetch_add(1, std::memory_order_relaxed);
  if (!FlushControls(shard) || !TryWrite(shard, header, rest, rest_size))
    counters_[shard].drops.fetch_add(1, std::memory_order_relaxed);
}

uint64_t ShardRouter::RequestControl(const uint8_t* record, size_t size) {
  std::lock_guard<std::mutex> guard(requests_mutex_);
  requests_.emplace_back(record, record + size);
  has_requests_.store(true, std::memory_order_release);
  return controls_requested_.fetch_add(1, std::memory_order_acq_rel) + 1;
}

// The barrier's header is stamped here, at its place in the stream: ts = now (epoch ns) and ret = the
// number of kernel records read before it (the stream position every ring shares).
void ShardRouter::TakeControlRequests() {
  if (!has_requests_.load(std::memory_order_acquire)) return;
  std::vector<std::vector<uint8_t>> taken;
  {
    std::lock_guard<std::mutex> guard(requests_mutex_);
    taken.swap(requests_);
    has_requests_.store(false, std::memory_order_release);
  }
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  for (auto& record : taken) {
    if (record.size() >= VIGIL_HEADER_SIZE) {
      auto* h = reinterpret_cast<vigil_record_header*>(record.data());
      h->ts = static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
      h->ret = static_cast<int64_t>(records_.load(std::memory_order_relaxed));
    }
    auto shared = std::make_shared<const std::vector<uint8_t>>(std::move(record));
    for (auto& queue : waiting_) queue.push_back(shared);
  }
}

bool ShardRouter::FlushControls(size_t shard) {
  auto& queue = waiting_[shard];
  while (!queue.empty()) {
    const std::vector<uint8_t>& record = *queue.front();
    if (record.size() < VIGIL_HEADER_SIZE) {
      queue.pop_front();  // refused at the JS boundary; never expected here
      continue;
    }
    if (!TryWrite(shard, record.data(), record.data() + VIGIL_HEADER_SIZE, record.size() - VIGIL_HEADER_SIZE)) return false;
    queue.pop_front();
    counters_[shard].controls.fetch_add(1, std::memory_order_release);
  }
  return true;
}

void ShardRouter::ServiceControls() {
  TakeControlRequests();
  for (size_t s = 0; s < rings_.size(); s++) FlushControls(s);
}

void ShardRouter::Route(const void* record, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(record);
  TakeControlRequests();  // a barrier asked for now goes in before this record
  records_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(size, std::memory_order_relaxed);
  if (size < VIGIL_HEADER_SIZE || reinterpret_cast<const vigil_record_header*>(bytes)->len != size) {
    malformed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // The kernel's ring is read-only here, so the header is patched in a copy: boot-time ns → epoch ns.
  alignas(8) uint8_t header[VIGIL_HEADER_SIZE];
  std::memcpy(header, bytes, VIGIL_HEADER_SIZE);
  auto* h = reinterpret_cast<vigil_record_header*>(header);
  h->ts += boot_to_epoch_ns_;
  const uint8_t* rest = bytes + VIGIL_HEADER_SIZE;
  size_t rest_size = size - VIGIL_HEADER_SIZE;
  if (h->flags & VIGIL_F_LIFECYCLE) {
    for (size_t s = 0; s < rings_.size(); s++) Write(s, header, rest, rest_size);
  } else {
    Write(ShardOf(header), header, rest, rest_size);
  }
}

}  // namespace vigil
