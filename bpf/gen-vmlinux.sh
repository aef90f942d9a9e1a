#!/usr/bin/env bash
# Writes vmlinux.h for the running kernel from its BTF, so the CO-RE object is built against real types
# (relocations make it portable to other kernels with BTF).
#   bpf/gen-vmlinux.sh OUT_FILE [BTF_FILE]
set -euo pipefail
out=${1:?usage: gen-vmlinux.sh OUT_FILE [BTF_FILE]}
btf=${2:-/sys/kernel/btf/vmlinux}
[[ -r "$btf" ]] || { echo "gen-vmlinux: $btf is missing: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)" >&2; exit 1; }
command -v bpftool >/dev/null || { echo "gen-vmlinux: bpftool is not installed" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
bpftool btf dump file "$btf" format c > "$out.tmp"
mv "$out.tmp" "$out"
