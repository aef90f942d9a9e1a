{
  "targets": [
    {
      "target_name": "vigil_sensor",
      "sources": ["src/addon.cc", "src/sensor.cc", "src/poller.cc", "src/shard_router.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "../bpf/include"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++20", "-O2", "-Wall", "-Wextra", "-fexceptions"],
      "libraries": ["-lbpf", "-lelf", "-lz"]
    }
  ]
}
