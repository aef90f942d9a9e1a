import { imageFields, k8sFromLabels, mountsFromDocker } from '../state/docker-source.js';
import type { ContainerInfo } from '../state/types.js';
import { CONTAINER_EVENT, CONTAINER_PLUGIN_EVENT } from './libs-events.js';
import type { RawParam } from './params.js';

/**
 * Container metadata as captures carry it. libsinsp saves its container table as events: the old
 * PPME_CONTAINER_E (id, type, name, image), then one JSON document per container
 * (PPME_CONTAINER_JSON_E / _2_E), and with the container plugin an async event named "container"
 * holding the same document: {"container": {"id", "type", "name", "image", "imagerepo", …}}.
 */

/** libsinsp's container type numbers (its container_type enum), by position. */
const TYPES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

export function containerTypeName(type: number): string {
  return TYPES[type] ?? 'unknown';
}

function containerTypeNumber(type: string): number {
  const i = TYPES.indexOf(type);
  return i >= 0 ? i : 0xffff;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A 12-character id, as vigil and libsinsp name containers (a full 64-character id is cut). */
function shortId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

/** The metadata of the old fixed-field event. */
function containerFromFields(id: string, type: number, name: string, image: string): ContainerInfo {
  return { id: shortId(id), fullId: id, type: containerTypeName(type), ...(name ? { name } : {}), ...(image ? imageFields(image) : {}) };
}

/**
 * The metadata one container event carries, from its decoded params (libs-events.ts names them);
 * undefined when it carries none: another plugin's async event, or a broken document.
 */
export function containerFromEvent(id: number, v: Record<string, RawParam | undefined>): ContainerInfo | undefined {
  if (id === CONTAINER_EVENT) {
    return typeof v['id'] === 'string' && v['id'] !== '' ? containerFromFields(v['id'], Number(v['type'] ?? 0xffff), String(v['name'] ?? ''), String(v['image'] ?? '')) : undefined;
  }
  if (id === CONTAINER_PLUGIN_EVENT) {
    return v['name'] === 'container' && v['data'] instanceof Uint8Array ? containerFromJson(Buffer.from(v['data']).toString('utf8').replace(/\0+$/, '')) : undefined;
  }
  return typeof v['json'] === 'string' ? containerFromJson(v['json']) : undefined;
}

/** The metadata of one libsinsp container JSON document; undefined when it is not one. */
export function containerFromJson(json: string): ContainerInfo | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return undefined;
  }
  const c = (doc as { container?: Record<string, unknown> } | null)?.container;
  const id = text(c?.['id']);
  if (!c || !id) return undefined;
  const image = text(c['image']);
  const info: ContainerInfo = { id: shortId(id), fullId: text(c['full_id']) ?? id, type: containerTypeName(typeof c['type'] === 'number' ? c['type'] : 0xffff) };
  const name = text(c['name']);
  if (name) info.name = name;
  if (image) Object.assign(info, imageFields(image));
  // The document's own split of the image wins over parsing the reference.
  const repo = text(c['imagerepo']);
  if (repo) info.imageRepository = repo;
  const tag = text(c['imagetag']);
  if (tag) info.imageTag = tag;
  const digest = text(c['imagedigest']);
  if (digest) info.imageDigest = digest;
  const imageId = text(c['imageid']);
  if (imageId) info.imageId = imageId;
  if (typeof c['privileged'] === 'boolean') info.privileged = c['privileged'];
  if (typeof c['created_time'] === 'number' && c['created_time'] > 0) info.startTs = BigInt(Math.trunc(c['created_time'])) * 1_000_000_000n;
  const labels = c['labels'];
  if (labels && typeof labels === 'object' && !Array.isArray(labels)) {
    info.labels = Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'));
    Object.assign(info, k8sFromLabels(info.labels));
  }
  if (Array.isArray(c['Mounts'])) info.mounts = mountsFromDocker(c['Mounts']);
  return info;
}

/** The JSON document libsinsp reads back for `info`. */
export function containerToJson(info: ContainerInfo): string {
  const c: Record<string, unknown> = {
    id: info.id,
    full_id: info.fullId,
    type: containerTypeNumber(info.type),
    name: info.name ?? '',
    image: info.image ?? '',
    imageid: info.imageId ?? '',
    imagerepo: info.imageRepository ?? '',
    imagetag: info.imageTag ?? '',
    imagedigest: info.imageDigest ?? '',
    privileged: info.privileged === true,
    Mounts: (info.mounts ?? []).map((m) => ({ Source: m.source, Destination: m.dest, Mode: m.mode, RW: m.rw, Propagation: m.propagation })),
    labels: info.labels ?? {},
  };
  if (info.startTs !== undefined) c['created_time'] = Number(info.startTs / 1_000_000_000n);
  return JSON.stringify({ container: c });
}
