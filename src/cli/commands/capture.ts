/**
 * `vigil capture -w FILE.scap [--duration S]`: live events from the eBPF sensor written as a scap
 * capture that sysdig and Falco read (`sysdig -r FILE`, `falco -e FILE`). A `.gz` name is gzipped.
 * The capture opens with a snapshot of /proc (processes, their fds), /etc/passwd and /etc/group,
 * the machine and its interfaces, as libscap's own captures do, then the running containers'
 * metadata (name, image, labels) from their runtimes, as libsinsp saves its container table.
 * Stops after --duration seconds or on Ctrl-C / SIGTERM, then prints what was written and what was lost.
 */
import { readFileSync } from 'node:fs';
import { cpus, hostname, networkInterfaces, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { atMost } from '../../daemon/wait.js';
import { decodeRecord } from '../../events/decode.js';
import { ContainerTable, HOST, parseGroup, parsePasswd } from '../../state/index.js';
import type { ContainerMetadataSource } from '../../state/containers.js';
import { readProcThreads } from '../../state/proc-seed.js';
import { createRuntimeMetadataSource } from '../../state/runtime-source.js';
import type { ContainerInfo } from '../../state/types.js';
import { fromThreadInfo, ScapWriter, type CaptureSnapshot, type InterfaceInfo } from '../../scap/index.js';

const USAGE = `usage: vigil capture -w FILE.scap [--duration SECONDS]

  -w, --write FILE      the capture to write (FILE.scap.gz is gzip-compressed)
  --duration SECONDS    stop after this long (default: until Ctrl-C)
`;

const POLL_MS = 10;

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** How long the snapshot waits for container runtimes to describe their containers. */
const METADATA_WAIT_MS = 3000;

/** What libscap writes before the events: processes with fds, users, machine, interfaces, and the containers. */
export async function liveSnapshot(procRoot = '/proc', etcRoot = '/etc', metadata: ContainerMetadataSource = createRuntimeMetadataSource()): Promise<CaptureSnapshot> {
  const containers = new ContainerTable({ source: metadata, retries: 0 });
  const threads = readProcThreads(procRoot, { containerIdOf: (cgroup) => (cgroup === '' ? HOST : containers.idOf(cgroup)) });
  // A runtime that does not answer in time leaves its containers with ids only.
  await atMost(containers.settled(), METADATA_WAIT_MS);
  const ids = [...new Set(threads.map((t) => t.containerId))].filter((id) => id !== HOST && id !== '');
  const fds = threads.filter((t) => t.tid === t.pid).flatMap((t) => [...t.fds.entries()].map((fd) => ({ pid: t.pid, fd })));
  const interfaces: InterfaceInfo[] = Object.entries(networkInterfaces()).flatMap(([name, addrs]) =>
    (addrs ?? []).filter((a) => a.family === 'IPv4').map((a) => ({ name, family: 2 as const, addr: a.address, netmask: a.netmask })));
  return {
    machine: { numCpus: cpus().length, memoryBytes: totalmem(), maxEventSize: 65536, hostname: hostname() },
    interfaces,
    threads: threads.map(fromThreadInfo),
    fds,
    users: [...parsePasswd(readText(`${etcRoot}/passwd`)).values()],
    groups: [...parseGroup(readText(`${etcRoot}/group`)).values()],
    containers: ids.map((id) => containers.get(id)).filter((c): c is ContainerInfo => c !== undefined),
  };
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { write: { type: 'string', short: 'w' }, duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    process.stderr.write(`vigil capture: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = values.write;
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (!file || (duration !== undefined && !(duration > 0))) {
    process.stderr.write(`vigil capture: ${file ? '--duration needs a positive number of seconds' : '-w FILE is required'}\n${USAGE}`);
    return 2;
  }

  let sensorModule: typeof import('../../sensor/index.js');
  try {
    sensorModule = await import('../../sensor/index.js');
  } catch (err) {
    process.stderr.write(`vigil capture: the eBPF sensor is not available: ${(err as Error).message.split('\n')[0]}\n`);
    return 1;
  }
  const sensor = new sensorModule.Sensor({ shards: 1, envpMax: 1024 });
  let rings: SharedArrayBuffer[];
  try {
    rings = sensor.start();
  } catch (err) {
    process.stderr.write(`vigil capture: cannot start the sensor: ${(err as Error).message}\n`);
    return 1;
  }
  const writer = ScapWriter.open(file, await liveSnapshot());
  const reader = new sensorModule.ShardReader(rings[0]!);
  let badRecords = 0;
  const drain = (): void => {
    reader.drain((bytes, offset) => {
      const decoded = decodeRecord(bytes, offset);
      if (decoded.ok) writer.write(decoded.event);
      else badRecords++;
    });
  };
  const timer = setInterval(drain, POLL_MS);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (duration !== undefined) setTimeout(stop, duration * 1000).unref();
  });
  clearInterval(timer);
  sensor.stop();
  drain();
  await writer.close();
  const stats = sensor.stats();
  process.stderr.write(
    `vigil capture: ${writer.events} events written to ${file}` +
      ` (${writer.skipped} of types scap has no id for, ${badRecords} undecodable records, ${stats?.kernelDrops ?? 0} dropped in the kernel)\n`,
  );
  return 0;
}
