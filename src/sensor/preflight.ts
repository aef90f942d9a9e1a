/**
 * Start-up checks run before anything is loaded, so each missing prerequisite gets its own clear error
 * instead of a libbpf errno.
 */
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { SensorStartError } from './errors.js';

/** bpf_loop (5.17) is the newest kernel feature the BPF object relies on. */
export const MIN_KERNEL: readonly [number, number] = [5, 17];

const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

export interface PreflightInput {
  platform: string;
  kernelRelease: string;
  uid: number;
  /** CapEff from /proc/self/status (hex), '' if unknown. */
  capEff: string;
  btfPath: string;
  objectPath: string;
  addonPath: string;
  exists: (path: string) => boolean;
}

export function currentPreflightInput(objectPath: string, addonPath: string): PreflightInput {
  let capEff = '';
  try {
    capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  } catch {
    // not Linux: the platform check reports it
  }
  return {
    platform: process.platform,
    kernelRelease: release(),
    uid: process.getuid?.() ?? -1,
    capEff,
    btfPath: '/sys/kernel/btf/vmlinux',
    objectPath,
    addonPath,
    exists: existsSync,
  };
}

export function parseKernelRelease(text: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Throws SensorStartError for the first prerequisite that is missing. */
export function preflight(input: PreflightInput): void {
  if (input.platform !== 'linux') throw new SensorStartError('unsupported-platform', `the eBPF sensor needs Linux, not ${input.platform}`);
  const version = parseKernelRelease(input.kernelRelease);
  if (version && (version[0] < MIN_KERNEL[0] || (version[0] === MIN_KERNEL[0] && version[1] < MIN_KERNEL[1]))) {
    throw new SensorStartError('kernel-too-old', `kernel ${input.kernelRelease} is too old: the sensor needs Linux ${MIN_KERNEL.join('.')} or newer (bpf_loop, BPF ring buffer)`);
  }
  if (input.uid !== 0) {
    const caps = input.capEff ? BigInt(`0x${input.capEff}`) : 0n;
    const missing = [
      ...((caps >> CAP_BPF) & 1n ? [] : ['CAP_BPF']),
      ...((caps >> CAP_PERFMON) & 1n ? [] : ['CAP_PERFMON']),
    ];
    if (missing.length) throw new SensorStartError('permission', `not root and missing ${missing.join(' and ')}: run vigil as root or grant CAP_BPF and CAP_PERFMON`);
  }
  if (!input.exists(input.btfPath)) {
    throw new SensorStartError('no-btf', `${input.btfPath} is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y is needed for CO-RE)`);
  }
  if (!input.exists(input.objectPath)) {
    throw new SensorStartError('object-missing', `BPF object ${input.objectPath} is missing: build it with \`make -C bpf\` (or \`npm install\`)`);
  }
  if (!input.exists(input.addonPath)) {
    throw new SensorStartError('addon-missing', `native addon ${input.addonPath} is missing: build it with \`npm install\` (needs clang, libbpf-dev, make, g++)`);
  }
}
