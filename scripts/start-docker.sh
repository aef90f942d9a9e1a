#!/usr/bin/env bash
# Starts dockerd when it is not running (CI machines start no services) and builds the test image
# `vigil-test:latest` from busybox-static, since images cannot be pulled here.
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "start-docker: not root, Docker tests will be skipped" >&2; exit 0; }
command -v dockerd >/dev/null || { echo "start-docker: dockerd not installed" >&2; exit 1; }

if ! docker info >/dev/null 2>&1; then
  mkdir -p /var/log
  nohup dockerd >/var/log/vigil-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "start-docker: dockerd did not start; see /var/log/vigil-dockerd.log" >&2; tail -20 /var/log/vigil-dockerd.log >&2; exit 1; }
fi

if ! docker image inspect vigil-test:latest >/dev/null 2>&1; then
  root=$(mktemp -d)
  mkdir -p "$root"/{bin,tmp,etc,proc,sys,dev}
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["/bin/sh"]' - vigil-test:latest >/dev/null
  rm -rf "$root"
fi
echo "start-docker: dockerd running, image vigil-test:latest ready"
