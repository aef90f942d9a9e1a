import { readFile } from 'node:fs/promises';
import type { CgroupContainer } from './cgroup.js';
import type { ContainerMetadataSource } from './containers.js';
import { imageFields } from './docker-source.js';
import type { ContainerInfo } from './types.js';

/**
 * Container metadata from the OCI bundle a runtime leaves on disk (`config.json`), for
 * containerd and CRI-O, which serve no Docker-style API. Kubernetes puts the pod, namespace,
 * container and image names in the bundle's annotations, under CRI-specific keys.
 */

export interface OciSourceOptions {
  /** Prefix for the runtime state directories (tests point it at a fake tree). */
  root?: string;
  /** containerd namespaces whose task bundles are searched. */
  containerdNamespaces?: readonly string[];
}

interface OciConfig {
  annotations?: Record<string, string>;
  mounts?: { destination?: string; source?: string; options?: string[] }[];
  process?: { capabilities?: { bounding?: string[] } };
  linux?: { maskedPaths?: string[] };
}

/** Annotation keys for the same facts: containerd's CRI plugin first, then CRI-O's. */
const KEYS = {
  name: ['io.kubernetes.cri.container-name', 'io.kubernetes.container.name'],
  image: ['io.kubernetes.cri.image-name', 'io.kubernetes.cri-o.ImageName'],
  podName: ['io.kubernetes.cri.sandbox-name', 'io.kubernetes.pod.name'],
  namespace: ['io.kubernetes.cri.sandbox-namespace', 'io.kubernetes.pod.namespace'],
  podUid: ['io.kubernetes.cri.sandbox-uid', 'io.kubernetes.pod.uid'],
} as const;

export class OciBundleMetadataSource implements ContainerMetadataSource {
  private readonly root: string;
  private readonly namespaces: readonly string[];

  constructor(options: OciSourceOptions = {}) {
    this.root = (options.root ?? '').replace(/\/$/, '');
    this.namespaces = options.containerdNamespaces ?? ['k8s.io', 'moby', 'default'];
  }

  async lookup(container: CgroupContainer): Promise<Partial<ContainerInfo> | undefined> {
    for (const path of this.bundlePaths(container)) {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      try {
        return containerInfoFromOciConfig(JSON.parse(text) as OciConfig);
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  private bundlePaths(c: CgroupContainer): string[] {
    const crio = `${this.root}/run/containers/storage/overlay-containers/${c.fullId}/userdata/config.json`;
    const containerd = this.namespaces.map((ns) => `${this.root}/run/containerd/io.containerd.runtime.v2.task/${ns}/${c.fullId}/config.json`);
    return c.type === 'cri-o' ? [crio, ...containerd] : [...containerd, crio];
  }
}

function pick(annotations: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const k of keys) if (annotations[k]) return annotations[k];
  return undefined;
}

/**
 * What an OCI config tells. Privileged is inferred as the runtimes set it up: every capability
 * in the bounding set (CAP_SYS_ADMIN among them) and no masked /proc paths.
 */
export function containerInfoFromOciConfig(config: OciConfig): Partial<ContainerInfo> {
  const a = config.annotations ?? {};
  const info: Partial<ContainerInfo> = { labels: { ...a } };
  const name = pick(a, KEYS.name);
  if (name) info.name = name;
  const image = pick(a, KEYS.image);
  if (image) Object.assign(info, imageFields(image));
  const ns = pick(a, KEYS.namespace);
  if (ns) info.k8sNamespace = ns;
  const pod = pick(a, KEYS.podName);
  if (pod) info.k8sPodName = pod;
  const uid = pick(a, KEYS.podUid);
  if (uid) info.k8sPodUid = uid;
  const bounding = config.process?.capabilities?.bounding ?? [];
  info.privileged = bounding.includes('CAP_SYS_ADMIN') && (config.linux?.maskedPaths ?? []).length === 0;
  info.mounts = (config.mounts ?? []).map((m) => {
    const options = m.options ?? [];
    const propagation = options.find((o) => /^r?(private|shared|slave|unbindable)$/.test(o)) ?? '';
    return { source: m.source ?? '', dest: m.destination ?? '', mode: options.includes('ro') ? 'ro' : '', rw: !options.includes('ro'), propagation };
  });
  return info;
}
