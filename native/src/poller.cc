#include "poller.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

#include "shard_router.h"

namespace vigil {

Poller::Poller(ring_buffer* ring, ShardRouter* router, int poll_timeout_ms, Notice notice)
    : ring_(ring), router_(router), poll_timeout_ms_(poll_timeout_ms), notice_(std::move(notice)) {}

Poller::~Poller() { Stop(); }

void Poller::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Poller::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  thread_.join();
  ring_buffer__consume(ring_);
  router_->ServiceControls();
}

// The BPF side only wakes this thread once enough bytes are waiting (batched wake-ups), so a poll that
// times out is followed by a consume, which picks up records committed without a wake-up.
void Poller::Run() {
  while (!stopping_.load(std::memory_order_relaxed)) {
    int n = ring_buffer__poll(ring_, poll_timeout_ms_);
    router_->ServiceControls();
    if (n == -EINTR) continue;
    if (n < 0) {
      if (notice_) notice_("error", std::string("ring_buffer__poll: ") + std::strerror(-n));
      return;
    }
    ring_buffer__consume(ring_);
    router_->ServiceControls();
  }
}

}  // namespace vigil
