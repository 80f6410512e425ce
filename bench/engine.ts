import Dockerode from 'dockerode';
import { resolveEngineAddress } from '../src/engine/address.js';
import { DockerodeClient } from '../src/engine/dockerode-client.js';
import type { DockerClient } from '../src/engine/types.js';

/** Creates a dockerode instance for the engine the library would find. */
export function createDockerode(): Dockerode {
  return new Dockerode(resolveEngineAddress().options);
}

/** Creates a library client for the engine the library would find, on its own connection pool. */
export function createLibraryClient(): DockerClient {
  const resolved = resolveEngineAddress();
  return new DockerodeClient(new Dockerode(resolved.options), resolved.address);
}

/** Size in bytes of a local image, all layers included. */
export async function imageSize(docker: Dockerode, name: string): Promise<number> {
  const info = await docker.getImage(name).inspect();
  return info.Size;
}

