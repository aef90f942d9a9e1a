#include "sensor.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <time.h>

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <mutex>

extern "C" {
#include "record.h"
}

namespace vigil {

namespace {

// libbpf reports through one global print callback; while an object loads, its warnings (which carry
// the verifier log) are collected here so a failed load can say why.
std::mutex log_mutex;
std::string libbpf_log;

int CollectLibbpfLog(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char line[1024];
  int n = vsnprintf(line, sizeof(line), format, args);
  if (libbpf_log.size() < (1u << 20)) libbpf_log.append(line);
  return n;
}

// The part of a verifier log that states the reason: its last lines before the END marker.
std::string VerifierReason(const std::string& log) {
  std::string body = log.substr(0, log.find("-- END PROG LOAD LOG --"));
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < body.size()) {
    size_t nl = body.find('\n', start);
    if (nl == std::string::npos) nl = body.size();
    if (nl > start) lines.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  std::string out;
  for (size_t i = lines.size() > 6 ? lines.size() - 6 : 0; i < lines.size(); i++) out += lines[i] + "\n";
  return out;
}

int64_t BootToEpochNs() {
  timespec real1, boot, real2;
  clock_gettime(CLOCK_REALTIME, &real1);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  clock_gettime(CLOCK_REALTIME, &real2);
  auto ns = [](const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; };
  return (ns(real1) + ns(real2)) / 2 - ns(boot);
}

std::string Errno(int err) { return std::strerror(err < 0 ? -err : err); }

// Sets a `const volatile` knob in the object's .rodata before load, found by name through BTF.
void SetRodataU32(bpf_object* obj, const char* name, uint32_t value) {
  bpf_map* rodata = nullptr;
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    const char* map_name = bpf_map__name(map);
    if (std::strstr(map_name, ".rodata")) rodata = map;
  }
  btf* types = bpf_object__btf(obj);
  int sec_id = types ? btf__find_by_name_kind(types, ".rodata", BTF_KIND_DATASEC) : -1;
  if (!rodata || sec_id < 0) throw SensorError("open", "the BPF object has no .rodata section with BTF");
  const btf_type* sec = btf__type_by_id(types, sec_id);
  const btf_var_secinfo* vars = btf_var_secinfos(sec);
  for (int i = 0; i < btf_vlen(sec); i++) {
    const btf_type* var = btf__type_by_id(types, vars[i].type);
    if (std::strcmp(btf__name_by_offset(types, var->name_off), name) != 0) continue;
    size_t size = 0;
    const auto* initial = static_cast<const uint8_t*>(bpf_map__initial_value(rodata, &size));
    if (!initial || vars[i].offset + sizeof(value) > size) break;
    std::vector<uint8_t> data(initial, initial + size);
    std::memcpy(data.data() + vars[i].offset, &value, sizeof(value));
    if (bpf_map__set_initial_value(rodata, data.data(), size)) break;
    return;
  }
  throw SensorError("open", std::string("the BPF object has no knob ") + name);
}

int HandleRecord(void* ctx, void* data, size_t size) {
  static_cast<ShardRouter*>(ctx)->Route(data, size);
  return 0;
}

}  // namespace

Sensor::Sensor(SensorOptions options, std::vector<ShardRing> rings, Poller::Notice notice)
    : options_(std::move(options)),
      router_(std::make_unique<ShardRouter>(std::move(rings), BootToEpochNs())),
      notice_(std::move(notice)) {}

Sensor::~Sensor() { Stop(); }

void Sensor::Open() {
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  object_ = bpf_object__open_file(options_.object_path.c_str(), &opts);
  if (!object_) {
    int err = errno;
    throw SensorError("open", "cannot open BPF object " + options_.object_path + ": " + Errno(err));
  }
  SetRodataU32(object_, "vigil_self_tgid", options_.self_tgid);
  SetRodataU32(object_, "vigil_argv_max", options_.argv_max);
  SetRodataU32(object_, "vigil_envp_max", options_.envp_max);
  SetRodataU32(object_, "vigil_data_max", options_.data_max);
  SetRodataU32(object_, "vigil_wakeup_bytes", options_.wakeup_bytes);
  bpf_map* events = bpf_object__find_map_by_name(object_, "vigil_events");
  if (!events) throw SensorError("open", "the BPF object has no vigil_events ring buffer");
  if (int err = bpf_map__set_max_entries(events, options_.ring_bytes))
    throw SensorError("open", "ring buffer size " + std::to_string(options_.ring_bytes) + ": " + Errno(err));
}

void Sensor::Load() {
  std::lock_guard<std::mutex> guard(log_mutex);
  libbpf_log.clear();
  libbpf_print_fn_t previous = libbpf_set_print(CollectLibbpfLog);
  int err = bpf_object__load(object_);
  libbpf_set_print(previous);
  if (err) {
    std::string why = err == -EPERM ? "permission denied (needs root or CAP_BPF + CAP_PERFMON)" : Errno(err);
    throw SensorError(err == -EPERM ? "permission" : "load",
                      "loading the BPF object failed: " + why + "\nverifier: " + VerifierReason(libbpf_log));
  }
}

void Sensor::Attach() {
  bpf_program* prog;
  bpf_object__for_each_program(prog, object_) {
    bpf_link* link = bpf_program__attach(prog);
    if (!link) {
      int err = errno;
      throw SensorError("attach", std::string("attaching ") + bpf_program__name(prog) + ": " + Errno(err));
    }
    links_.push_back(link);
  }
}

void Sensor::Start() {
  if (object_) return;
  try {
    Open();
    Load();
    SetEnabled(options_.enabled);
    int fd = bpf_object__find_map_fd_by_name(object_, "vigil_events");
    ring_ = ring_buffer__new(fd, HandleRecord, router_.get(), nullptr);
    if (!ring_) throw SensorError("ringbuf", "ring_buffer__new: " + Errno(errno));
    Attach();
  } catch (...) {
    Stop();
    throw;
  }
  poller_ = std::make_unique<Poller>(ring_, router_.get(), options_.poll_timeout_ms, notice_);
  poller_->Start();
}

// Detach first so nothing new is produced, then drain what the kernel already committed, then free
// the ring and close the object (which closes every program and map fd it holds).
void Sensor::Stop() {
  for (bpf_link* link : links_) bpf_link__destroy(link);
  links_.clear();
  if (poller_) poller_->Stop();
  poller_.reset();
  if (object_ && bpf_object__find_map_fd_by_name(object_, "vigil_counters") >= 0) last_counters_ = ReadKernelCounters();
  if (ring_) ring_buffer__free(ring_);
  ring_ = nullptr;
  if (object_) bpf_object__close(object_);
  object_ = nullptr;
}

void Sensor::SetEnabled(const std::vector<uint32_t>& event_ids) {
  options_.enabled = event_ids;
  if (!object_) return;
  int fd = bpf_object__find_map_fd_by_name(object_, "vigil_enabled");
  for (uint32_t id = 1; id < VIGIL_EVT_MAX; id++) {
    uint32_t on = 0;
    for (uint32_t wanted : event_ids) on |= wanted == id;
    if (bpf_map_update_elem(fd, &id, &on, BPF_ANY))
      throw SensorError("enable", "updating vigil_enabled: " + Errno(errno));
  }
}

KernelCounters Sensor::ReadKernelCounters() const {
  if (!object_) return last_counters_;
  KernelCounters out;
  int cpus = libbpf_num_possible_cpus();
  int fd = bpf_object__find_map_fd_by_name(object_, "vigil_counters");
  std::vector<uint64_t> values(cpus > 0 ? cpus : 1);
  std::vector<uint64_t>* targets[VIGIL_CNT_MAX] = {&out.ringbuf_drops, &out.enter_drops, &out.emitted};
  for (uint32_t key = 0; key < VIGIL_CNT_MAX; key++) {
    std::fill(values.begin(), values.end(), 0);
    bpf_map_lookup_elem(fd, &key, values.data());
    *targets[key] = values;
  }
  return out;
}

}  // namespace vigil
