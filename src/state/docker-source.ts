import { request } from 'node:http';
import type { CgroupContainer } from './cgroup.js';
import type { ContainerMetadataSource } from './containers.js';
import type { ContainerInfo } from './types.js';

/**
 * Container metadata from the Docker engine API (`GET /containers/<id>/json` over the unix
 * socket). Podman serves the same API on its own socket, so one source type covers both.
 */

export interface DockerSourceOptions {
  socketPath?: string;
  timeoutMs?: number;
}

export class DockerMetadataSource implements ContainerMetadataSource {
  private readonly socketPath: string;
  private readonly timeoutMs: number;

  constructor(options: DockerSourceOptions = {}) {
    this.socketPath = options.socketPath ?? '/var/run/docker.sock';
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  async lookup(container: CgroupContainer): Promise<Partial<ContainerInfo> | undefined> {
    const body = await this.get(`/containers/${container.fullId}/json`);
    if (body === undefined) return undefined;
    try {
      return containerInfoFromInspect(JSON.parse(body));
    } catch {
      return undefined;
    }
  }

  private get(path: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const req = request({ socketPath: this.socketPath, path, method: 'GET', timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(res.statusCode === 200 ? Buffer.concat(chunks).toString('utf8') : undefined));
        res.on('error', () => resolve(undefined));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
      req.end();
    });
  }
}

/** Splits an image reference into repository, tag and digest (`reg:5000/a/b:1.2@sha256:…`). */
export function parseImageRef(image: string): { repository: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  const out: { repository: string; tag?: string; digest?: string } = { repository: rest };
  if (colon > rest.lastIndexOf('/')) {
    out.repository = rest.slice(0, colon);
    out.tag = rest.slice(colon + 1);
  }
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** The ContainerInfo image fields of an image reference, for every runtime source. */
export function imageFields(image: string): Pick<ContainerInfo, 'image' | 'imageRepository' | 'imageTag' | 'imageDigest'> {
  const ref = parseImageRef(image);
  const out: Pick<ContainerInfo, 'image' | 'imageRepository' | 'imageTag' | 'imageDigest'> = { image, imageRepository: ref.repository };
  if (ref.tag !== undefined) out.imageTag = ref.tag;
  if (ref.digest !== undefined) out.imageDigest = ref.digest;
  return out;
}

/** The pod a container belongs to, from the labels the kubelet gives it. */
export function k8sFromLabels(labels: Record<string, string>): Pick<ContainerInfo, 'k8sNamespace' | 'k8sPodName' | 'k8sPodUid'> {
  const out: Pick<ContainerInfo, 'k8sNamespace' | 'k8sPodName' | 'k8sPodUid'> = {};
  if (labels['io.kubernetes.pod.namespace']) out.k8sNamespace = labels['io.kubernetes.pod.namespace'];
  if (labels['io.kubernetes.pod.name']) out.k8sPodName = labels['io.kubernetes.pod.name'];
  if (labels['io.kubernetes.pod.uid']) out.k8sPodUid = labels['io.kubernetes.pod.uid'];
  return out;
}

interface InspectJson {
  Name?: string;
  Image?: string;
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  HostConfig?: { Privileged?: boolean };
  State?: { StartedAt?: string };
  Mounts?: { Source?: string; Destination?: string; Mode?: string; RW?: boolean; Propagation?: string }[];
}

/** The fields of ContainerInfo a `docker inspect` document gives. */
export function containerInfoFromInspect(doc: InspectJson): Partial<ContainerInfo> {
  const info: Partial<ContainerInfo> = {};
  if (doc.Name) info.name = doc.Name.replace(/^\//, '');
  const image = doc.Config?.Image;
  if (image) Object.assign(info, imageFields(image));
  if (doc.Image) info.imageId = doc.Image.replace(/^sha256:/, '').slice(0, 12);
  info.privileged = doc.HostConfig?.Privileged === true;
  const started = doc.State?.StartedAt ? isoToNs(doc.State.StartedAt) : undefined;
  if (started !== undefined) info.startTs = started;
  const labels = doc.Config?.Labels ?? {};
  info.labels = { ...labels };
  Object.assign(info, k8sFromLabels(labels));
  info.mounts = mountsFromDocker(doc.Mounts);
  return info;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Mounts as Docker's inspect document lists them (libsinsp's container JSON uses the same keys). */
export function mountsFromDocker(mounts: unknown): NonNullable<ContainerInfo['mounts']> {
  if (!Array.isArray(mounts)) return [];
  return mounts.filter((m): m is Record<string, unknown> => !!m && typeof m === 'object').map((m) => ({
    source: text(m['Source']),
    dest: text(m['Destination']),
    mode: text(m['Mode']),
    rw: m['RW'] === true,
    propagation: text(m['Propagation']),
  }));
}

/** RFC 3339 with up to 9 fractional digits → ns since the epoch (Date keeps only ms). */
export function isoToNs(iso: string): bigint | undefined {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms) || ms <= 0) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}
