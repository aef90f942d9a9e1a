// Loads the sensor's BPF object (CO-RE, libbpf), sets its load-time knobs, attaches its programs, and
// owns everything it created, so Stop() leaves no program, link or map behind.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "poller.h"
#include "shard_router.h"

struct bpf_object;
struct bpf_link;
struct ring_buffer;

namespace vigil {

struct SensorOptions {
  std::string object_path;
  uint32_t self_tgid = 0;
  uint32_t argv_max = 4096;
  uint32_t envp_max = 0;
  uint32_t data_max = 0;
  uint32_t wakeup_bytes = 65536;
  uint32_t ring_bytes = 16u << 20;  // power of two, multiple of the page size
  int poll_timeout_ms = 10;
  std::vector<uint32_t> enabled;  // event ids switched on in the kernel; the rest are off
};

// A start-up failure. code names the step ("open", "load", "attach", …); message says why, and for
// "load" ends with the verifier's own reason.
class SensorError : public std::runtime_error {
 public:
  SensorError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct KernelCounters {
  std::vector<uint64_t> ringbuf_drops;  // per CPU
  std::vector<uint64_t> enter_drops;    // per CPU
  std::vector<uint64_t> emitted;        // per CPU
};

class Sensor {
 public:
  Sensor(SensorOptions options, std::vector<ShardRing> rings, Poller::Notice notice);
  ~Sensor();

  void Start();
  void Stop();
  bool running() const { return object_ != nullptr; }
  void SetEnabled(const std::vector<uint32_t>& event_ids);
  KernelCounters ReadKernelCounters() const;
  const ShardRouter& router() const { return *router_; }
  // Any thread; see ShardRouter::RequestControl. Only honoured while running (the poller places it).
  uint64_t RequestControl(const uint8_t* record, size_t size) { return router_->RequestControl(record, size); }

 private:
  void Open();
  void Load();
  void Attach();

  SensorOptions options_;
  std::unique_ptr<ShardRouter> router_;
  Poller::Notice notice_;
  bpf_object* object_ = nullptr;
  std::vector<bpf_link*> links_;
  ring_buffer* ring_ = nullptr;
  std::unique_ptr<Poller> poller_;
  KernelCounters last_counters_;  // kept after Stop() so final stats stay readable
};

}  // namespace vigil
