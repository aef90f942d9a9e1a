import type { ContainerInfo } from '../../state/types.js';
import { globMatcher } from '../operators/glob.js';
import { plain, withArg, type FieldClass } from './define.js';
import { pidnsInitStart } from './proc.js';
import type { EvalContext, Extractor, FieldValue } from './field.js';

/**
 * container.* and k8s.*: metadata of the container the thread runs in (container id from its
 * cgroup; the rest from the container runtime, asynchronously). Host threads have container.id
 * and container.name `host`; other fields have no value on the host and until metadata arrives.
 */

type Mount = NonNullable<ContainerInfo['mounts']>[number];

const HOST = 'host';

function containerOf(ctx: EvalContext): ContainerInfo | undefined {
  const id = ctx.thread?.containerId;
  return id ? ctx.state.container(id) : undefined;
}

/** A container-only fact: no value on the host. */
function meta(read: (c: ContainerInfo, ctx: EvalContext) => FieldValue | undefined): Extractor {
  return (ctx) => {
    const c = containerOf(ctx);
    return c && c.id !== HOST ? read(c, ctx) : undefined;
  };
}

/**
 * A mount picked by index, or by a path (glob) matched against the *other* end: mount.dest[KEY]
 * matches KEY against mount sources, the others against destinations.
 */
function mountField(name: string, desc: string, keyOn: 'source' | 'dest', read: (m: Mount) => FieldValue): ReturnType<typeof withArg> {
  return withArg(name, name.endsWith('rdwr') ? 'bool' : 'charbuf', 'C', desc, 'key-required', (arg) => {
    const key = arg!;
    let pick: (mounts: readonly Mount[]) => Mount | undefined;
    if (/^\d+$/.test(key)) pick = (mounts) => mounts[Number(key)];
    else {
      // the key is an fnmatch glob (`/proc*`), matched like the `glob` operator does
      const matches = globMatcher(key, false);
      pick = (mounts) => mounts.find((m) => matches(m[keyOn]));
    }
    return meta((c) => {
      const m = c.mounts ? pick(c.mounts) : undefined;
      return m ? read(m) : undefined;
    });
  });
}

const startOf = (c: ContainerInfo, ctx: EvalContext): bigint | undefined => c.startTs ?? (ctx.thread ? pidnsInitStart(ctx.thread, ctx) : undefined);

const renderMount = (m: Mount): string => `${m.source}:${m.dest}:${m.mode}:${m.rw}:${m.propagation}`;
const renderLabels = (labels: Record<string, string> | undefined): string | undefined =>
  labels ? Object.entries(labels).map(([k, v]) => `${k}:${v}`).join(', ') : undefined;

const k8sLabels = (c: ContainerInfo): Record<string, string> | undefined => {
  if (!c.labels || !c.k8sPodName) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.labels)) if (!k.startsWith('io.kubernetes.')) out[k] = v;
  return out;
};

export const CONTAINER_FIELDS: FieldClass = {
  name: 'container',
  desc: 'Container fields: the container of the thread, from its cgroup and the container runtime.',
  fields: [
    plain('container.id', 'charbuf', 'C', "container id (12 hex characters), 'host' for host processes", (ctx) => ctx.thread?.containerId || undefined),
    plain('container.full_id', 'charbuf', 'C', "full container id, 'host' for host processes", (ctx) => containerOf(ctx)?.fullId),
    plain('container.name', 'charbuf', 'C', "container name, 'host' for host processes", (ctx) => containerOf(ctx)?.name),
    plain('container.type', 'charbuf', 'C', 'container runtime: docker, containerd, cri-o, podman or host', (ctx) => containerOf(ctx)?.type),
    plain('container.image', 'charbuf', 'C', 'image as the container was created from (repository:tag)', meta((c) => c.image)),
    plain('container.image.id', 'charbuf', 'C', 'image id (12 hex characters)', meta((c) => c.imageId)),
    plain('container.image.repository', 'charbuf', 'C', 'image repository (docker.io/falcosecurity/falco style)', meta((c) => c.imageRepository)),
    plain('container.image.tag', 'charbuf', 'C', 'image tag', meta((c) => c.imageTag)),
    plain('container.image.digest', 'charbuf', 'C', 'image digest', meta((c) => c.imageDigest)),
    plain('container.privileged', 'bool', 'C', 'true for a privileged container', meta((c) => c.privileged)),
    plain('container.start_ts', 'abstime', 'C', 'container start time in ns since the epoch (from the runtime, else the start of its pid namespace init)', meta(startOf)),
    plain('container.duration', 'reltime', 'C', 'nanoseconds since the container started', meta((c, ctx) => {
      const start = startOf(c, ctx);
      return start ? Number(ctx.evt.ts - start) : undefined;
    })),
    plain('container.mounts', 'charbuf', 'C', 'mounts as source:dest:mode:rdwr:propagation, space separated', meta((c) => c.mounts?.map(renderMount).join(' '))),
    mountField('container.mount', 'one mount as source:dest:mode:rdwr:propagation, by index or source path (glob)', 'source', renderMount),
    mountField('container.mount.source', 'source of a mount, by index or destination path (glob)', 'dest', (m) => m.source),
    mountField('container.mount.dest', 'destination of a mount, by index or source path (glob)', 'source', (m) => m.dest),
    mountField('container.mount.mode', 'mode of a mount, by index or source path (glob)', 'source', (m) => m.mode),
    mountField('container.mount.rdwr', 'true for a read-write mount, by index or source path (glob)', 'source', (m) => m.rw),
    mountField('container.mount.propagation', 'propagation of a mount, by index or source path (glob)', 'source', (m) => m.propagation),
    withArg('container.label', 'charbuf', 'C', 'value of a container label, by key', 'key-required', (arg) => meta((c) => c.labels?.[arg!])),
    plain('container.labels', 'charbuf', 'C', 'container labels as key:value, comma separated', meta((c) => renderLabels(c.labels))),
    plain('container.info', 'charbuf', 'C', 'container summary for outputs; empty since the container plugin (use container.id, container.name)', () => '', { deprecated: true }),
    plain('k8s.ns.name', 'charbuf', 'K', 'Kubernetes namespace of the pod (from the container runtime labels)', meta((c) => c.k8sNamespace)),
    plain('k8s.pod.name', 'charbuf', 'K', 'Kubernetes pod name', meta((c) => c.k8sPodName)),
    plain('k8s.pod.uid', 'charbuf', 'K', 'Kubernetes pod uid', meta((c) => c.k8sPodUid)),
    plain('k8s.pod.id', 'charbuf', 'K', 'Kubernetes pod uid (older name of k8s.pod.uid)', meta((c) => c.k8sPodUid)),
    withArg('k8s.pod.label', 'charbuf', 'K', 'value of a pod label, by key', 'key-required', (arg) => meta((c) => k8sLabels(c)?.[arg!])),
    plain('k8s.pod.labels', 'charbuf', 'K', 'pod labels as key:value, comma separated', meta((c) => renderLabels(k8sLabels(c)))),
  ],
};
