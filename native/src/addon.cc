// Module init and the JS face of the sensor: new Sensor(options) → start() / stop() / stats() /
// setEnabled(ids) / insertControl(record). Records never cross into JS here; they go to the shard rings the caller passed in.
#include <napi.h>

#include "sensor.h"

extern "C" {
#include "record.h"
}

namespace {

uint32_t U32Option(const Napi::Object& o, const char* key, uint32_t fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : fallback;
}

Napi::Array ToArray(Napi::Env env, const std::vector<uint64_t>& values) {
  Napi::Array out = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) out.Set(i, Napi::Number::New(env, static_cast<double>(values[i])));
  return out;
}

class SensorWrap : public Napi::ObjectWrap<SensorWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Sensor",
                       {InstanceMethod("start", &SensorWrap::Start), InstanceMethod("stop", &SensorWrap::Stop),
                        InstanceMethod("stats", &SensorWrap::Stats),
                        InstanceMethod("setEnabled", &SensorWrap::SetEnabled),
                        InstanceMethod("insertControl", &SensorWrap::InsertControl)});
  }

  explicit SensorWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SensorWrap>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "Sensor(options): options object expected");
    Napi::Object o = info[0].As<Napi::Object>();
    vigil::SensorOptions options;
    options.object_path = o.Get("objectPath").ToString().Utf8Value();
    options.self_tgid = U32Option(o, "selfTgid", 0);
    options.argv_max = U32Option(o, "argvMax", options.argv_max);
    options.envp_max = U32Option(o, "envpMax", options.envp_max);
    options.data_max = U32Option(o, "dataMax", options.data_max);
    options.wakeup_bytes = U32Option(o, "wakeupBytes", options.wakeup_bytes);
    options.ring_bytes = U32Option(o, "ringBytes", options.ring_bytes);
    options.poll_timeout_ms = static_cast<int>(U32Option(o, "pollTimeoutMs", options.poll_timeout_ms));
    options.enabled = Ids(o.Get("enabled"));

    // Shard rings: Uint8Array views over SharedArrayBuffers made by ringbuf.js (whole buffer).
    Napi::Value shards = o.Get("shards");
    if (!shards.IsArray() || shards.As<Napi::Array>().Length() == 0)
      throw Napi::TypeError::New(env, "options.shards: a non-empty array of Uint8Array views is required");
    std::vector<vigil::ShardRing> rings;
    Napi::Array list = shards.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      Napi::Value v = list.Get(i);
      if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
        throw Napi::TypeError::New(env, "options.shards[" + std::to_string(i) + "] must be a Uint8Array");
      Napi::Uint8Array view = v.As<Napi::Uint8Array>();
      if (view.ByteLength() < 8 + VIGIL_HEADER_SIZE + 1 || view.ByteOffset() != 0)
        throw Napi::RangeError::New(env, "options.shards[" + std::to_string(i) + "] is too small or not a whole buffer");
      rings.push_back({view.Data(), static_cast<uint32_t>(view.ByteLength() - 8)});
      keep_alive_.push_back(Napi::Persistent(view.As<Napi::Object>()));
    }

    Napi::Value on_notice = o.Get("onNotice");
    vigil::Poller::Notice notice;
    if (on_notice.IsFunction()) {
      notices_ = Napi::ThreadSafeFunction::New(env, on_notice.As<Napi::Function>(), "vigil-sensor-notice", 0, 1);
      notices_.Unref(env);  // a notice channel must not keep the process alive
      has_notices_ = true;
      notice = [tsfn = notices_](const std::string& kind, const std::string& message) mutable {
        auto* payload = new std::pair<std::string, std::string>(kind, message);
        tsfn.NonBlockingCall(payload, [](Napi::Env env, Napi::Function fn, std::pair<std::string, std::string>* p) {
          fn.Call({Napi::String::New(env, p->first), Napi::String::New(env, p->second)});
          delete p;
        });
      };
    }
    sensor_ = std::make_unique<vigil::Sensor>(std::move(options), std::move(rings), std::move(notice));
  }

  // Nothing here touches JS: at environment teardown node has already finalized the notice channel.
  ~SensorWrap() override { sensor_.reset(); }

 private:
  static std::vector<uint32_t> Ids(Napi::Value v) {
    std::vector<uint32_t> ids;
    if (!v.IsArray()) return ids;
    Napi::Array a = v.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) ids.push_back(a.Get(i).As<Napi::Number>().Uint32Value());
    return ids;
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    if (stopped_) throw Napi::Error::New(info.Env(), "a stopped sensor cannot start again: create a new one");
    try {
      sensor_->Start();
    } catch (const vigil::SensorError& e) {
      Napi::Error error = Napi::Error::New(info.Env(), e.what());
      error.Set("code", Napi::String::New(info.Env(), e.code()));
      throw error;
    }
    return info.Env().Undefined();
  }

  // The poller is joined by Sensor::Stop, so nothing can send a notice any more: the channel is closed.
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    sensor_->Stop();
    stopped_ = true;
    if (has_notices_) notices_.Release();
    has_notices_ = false;
    return info.Env().Undefined();
  }

  Napi::Value SetEnabled(const Napi::CallbackInfo& info) {
    try {
      sensor_->SetEnabled(Ids(info[0]));
    } catch (const vigil::SensorError& e) {
      throw Napi::Error::New(info.Env(), e.what());
    }
    return info.Env().Undefined();
  }

  // Queues a control record (a whole wire record) for the poller thread, which writes it into every
  // shard ring between two kernel records. Returns its ticket: it is in every ring once each entry of
  // stats().controlsWritten has reached the ticket.
  Napi::Value InsertControl(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!sensor_->running()) throw Napi::Error::New(env, "insertControl: the sensor is not running");
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      throw Napi::TypeError::New(env, "insertControl(record): a Uint8Array is required");
    Napi::Uint8Array record = info[0].As<Napi::Uint8Array>();
    if (record.ByteLength() < VIGIL_HEADER_SIZE || record.ByteLength() > VIGIL_RECORD_MAX ||
        reinterpret_cast<const vigil_record_header*>(record.Data())->len != record.ByteLength())
      throw Napi::RangeError::New(env, "insertControl(record): not a whole wire record");
    uint64_t ticket = sensor_->RequestControl(record.Data(), record.ByteLength());
    return Napi::Number::New(env, static_cast<double>(ticket));
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const vigil::ShardRouter& router = sensor_->router();
    vigil::KernelCounters k = sensor_->ReadKernelCounters();
    std::vector<uint64_t> routed, drops, controls;
    for (size_t s = 0; s < router.shard_count(); s++) {
      routed.push_back(router.routed(s));
      drops.push_back(router.drops(s));
      controls.push_back(router.controls_written(s));
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("running", Napi::Boolean::New(env, sensor_->running()));
    out.Set("recordsRead", Napi::Number::New(env, static_cast<double>(router.records())));
    out.Set("bytesRead", Napi::Number::New(env, static_cast<double>(router.bytes())));
    out.Set("malformed", Napi::Number::New(env, static_cast<double>(router.malformed())));
    out.Set("kernelDropsPerCpu", ToArray(env, k.ringbuf_drops));
    out.Set("enterDropsPerCpu", ToArray(env, k.enter_drops));
    out.Set("emittedPerCpu", ToArray(env, k.emitted));
    out.Set("shardRouted", ToArray(env, routed));
    out.Set("shardDrops", ToArray(env, drops));
    out.Set("controlsRequested", Napi::Number::New(env, static_cast<double>(router.controls_requested())));
    out.Set("controlsWritten", ToArray(env, controls));
    return out;
  }

  std::unique_ptr<vigil::Sensor> sensor_;
  std::vector<Napi::ObjectReference> keep_alive_;
  Napi::ThreadSafeFunction notices_;
  bool has_notices_ = false;
  bool stopped_ = false;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Sensor", SensorWrap::Define(env));
  exports.Set("wireVersion", Napi::Number::New(env, VIGIL_WIRE_VERSION));
  return exports;
}

}  // namespace

NODE_API_MODULE(vigil_sensor, Init)
