#!/usr/bin/env node
// `npm install` hook: builds the BPF object (bpf/, make) and the Node-API addon (native/, node-gyp).
// Machines without clang, bpftool, libbpf or kernel BTF still get a working install: this prints what is
// missing and exits 0, and the daemon then reports the sensor as unavailable (replay still works).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function has(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

function skip(reason) {
  console.warn(`vigil: skipping the eBPF sensor build: ${reason}.`);
  console.warn('vigil: the daemon will report the sensor as unavailable; run `bash scripts/setup.sh` to install what it needs.');
  process.exit(0);
}

if (process.platform !== 'linux') skip('the sensor needs Linux');
if (process.env.VIGIL_SKIP_NATIVE === '1') skip('VIGIL_SKIP_NATIVE=1');
if (!has('clang')) skip('clang is not installed');
if (!has('make')) skip('make is not installed');
if (!has('bpftool', ['version'])) skip('bpftool is not installed');
if (!existsSync('/usr/include/bpf/libbpf.h')) skip('libbpf-dev is not installed (no /usr/include/bpf/libbpf.h)');
if (!existsSync('/sys/kernel/btf/vmlinux')) skip('this kernel has no BTF (/sys/kernel/btf/vmlinux)');

function run(step, cmd, args, cwd) {
  console.log(`vigil: ${step}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`vigil: ${step} failed (exit ${r.status ?? r.signal}); the sensor will be unavailable.`);
    process.exit(0);
  }
}

run('building the BPF object (bpf/.output/vigil.bpf.o)', 'make', ['-C', join(root, 'bpf')], root);
const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
// Debian's nodejs ships its headers in /usr/include/node: use them rather than downloading any.
const nodedir = existsSync('/usr/include/node/node_api.h') ? ['--nodedir=/usr'] : [];
run('building the addon (native/build/Release/vigil_sensor.node)', process.execPath, [gyp, 'rebuild', ...nodedir], join(root, 'native'));
