import type { ContainerMetadataSource } from './containers.js';
import { DockerMetadataSource } from './docker-source.js';
import { OciBundleMetadataSource } from './oci-source.js';

/**
 * The metadata source for a live host, by runtime: Docker's engine API for docker containers,
 * Podman's Docker-compatible API for podman ones, and the OCI bundles on disk for containerd and
 * CRI-O (falling back to Docker's API, which also knows dockershim-era Kubernetes containers).
 */
export interface RuntimeSockets {
  docker?: string;
  podman?: string;
  /** Prefix of the runtimes' state directories ('' on a live host). */
  root?: string;
}

export function createRuntimeMetadataSource(options: RuntimeSockets = {}): ContainerMetadataSource {
  const docker = new DockerMetadataSource({ socketPath: options.docker ?? '/var/run/docker.sock' });
  const podman = new DockerMetadataSource({ socketPath: options.podman ?? '/run/podman/podman.sock' });
  const bundles = new OciBundleMetadataSource({ root: options.root ?? '' });
  return {
    async lookup(container) {
      if (container.type === 'docker') return docker.lookup(container);
      if (container.type === 'podman') return podman.lookup(container);
      return (await bundles.lookup(container)) ?? docker.lookup(container);
    },
  };
}
