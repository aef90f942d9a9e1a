#!/usr/bin/env bash
# Installs everything vigil needs on a Debian machine and builds it.
#   bash scripts/setup.sh          system packages for the sensor, npm install (addon, BPF object, TypeScript)
#   bash scripts/setup.sh --test   also what the tests need: Docker (started), sysdig, busybox for the test image
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

packages=(clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool make g++ pkg-config python3)
if $want_test; then
  packages+=(docker.io busybox-static sysdig iproute2 procps)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -d node_modules ]] || [[ package.json -nt node_modules/.package-lock.json ]]; then
  npm install --no-audit --no-fund
else
  npm run build
fi

if $want_test; then
  bash scripts/start-docker.sh
fi
