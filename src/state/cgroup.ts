/**
 * Container ids from cgroup paths. Each runtime names the cgroup of a container its own way,
 * under cgroup v1 (one path per controller) and v2 (one unified path), with the cgroupfs or the
 * systemd driver:
 *
 *   docker      /docker/<64hex>                       /system.slice/docker-<64hex>.scope
 *   containerd  /kubepods/besteffort/pod<uid>/<64hex>  …/cri-containerd-<64hex>.scope   …:cri-containerd:<64hex>
 *   CRI-O       /kubepods/…/crio-<64hex>               …/crio-<64hex>.scope
 *   podman      /machine.slice/libpod-<64hex>.scope[/container]   /libpod_parent/libpod-<64hex>
 *
 * Monitor processes (`crio-conmon-…`, `libpod-conmon-…`) run on the host and are not containers.
 */

export interface CgroupContainer {
  /** The first 12 hex characters, as Falco prints container.id. */
  id: string;
  fullId: string;
  type: 'docker' | 'containerd' | 'cri-o' | 'podman';
}

export const HOST = 'host';

const HEX64 = '([0-9a-f]{64})';
const PATTERNS: readonly { re: RegExp; type: CgroupContainer['type'] }[] = [
  { re: new RegExp(`/docker-${HEX64}\\.scope(?:/|$)`), type: 'docker' },
  { re: new RegExp(`/docker/${HEX64}(?:/|$)`), type: 'docker' },
  { re: new RegExp(`cri-containerd[-:]${HEX64}(?:\\.scope)?(?:/|$)`), type: 'containerd' },
  { re: new RegExp(`/crio-${HEX64}(?:\\.scope)?(?:/|$)`), type: 'cri-o' },
  { re: new RegExp(`/libpod-${HEX64}(?:\\.scope)?(?:/|$)`), type: 'podman' },
  // cgroupfs-driver kubelet: the container's cgroup sits right below its pod's
  { re: new RegExp(`/kubepods[^:]*/pod[0-9a-f_-]+(?:\\.slice)?/${HEX64}(?:/|$)`), type: 'containerd' },
];

/** The container a cgroup path belongs to, or undefined for a host cgroup. */
export function containerOfCgroupPath(path: string): CgroupContainer | undefined {
  if (path.length < 64) return undefined;
  for (const { re, type } of PATTERNS) {
    const m = re.exec(path);
    if (m) return { id: m[1]!.slice(0, 12), fullId: m[1]!, type };
  }
  return undefined;
}

/**
 * The container of a process from the text of /proc/<pid>/cgroup (`hierarchy:controllers:path`
 * lines) or from a single cgroup path. '' when there is nothing to read (the id is unknown),
 * 'host' when no line names a container.
 */
export function parseContainerId(cgroup: string): { container: CgroupContainer | undefined; id: string } {
  if (cgroup.trim() === '') return { container: undefined, id: '' };
  for (const line of cgroup.split('\n')) {
    const path = line.includes(':') && !line.startsWith('/') ? line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1) : line;
    const container = containerOfCgroupPath(path.trim());
    if (container) return { container, id: container.id };
  }
  return { container: undefined, id: HOST };
}
