// The background thread that drains the BPF ring buffer into the shard router. It never calls JS per
// record; it reports only rare notices (a fatal poll error) through the callback it is given.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

struct ring_buffer;

namespace vigil {

class ShardRouter;

class Poller {
 public:
  using Notice = std::function<void(const std::string& kind, const std::string& message)>;

  // ring: a libbpf ring buffer whose sample callback context is router. Between drains (at least every
  // poll_timeout_ms) the poller also places requested barriers into the shard rings.
  Poller(ring_buffer* ring, ShardRouter* router, int poll_timeout_ms, Notice notice);
  ~Poller();

  void Start();
  // Stops the thread after one last drain, so every record the kernel committed is routed.
  void Stop();

 private:
  void Run();

  ring_buffer* ring_;
  ShardRouter* router_;
  int poll_timeout_ms_;
  Notice notice_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace vigil
