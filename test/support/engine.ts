import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { resolveEngineAddress } from '../../src/engine/address.js';

/**
 * The engine integration tests run against: Docker by default, or Podman's Docker-compatible
 * API when SANDBOX_IMAGE_TEST_ENGINE=podman (socket from SANDBOX_IMAGE_PODMAN_SOCKET).
 */
export const testEngineKind = process.env.SANDBOX_IMAGE_TEST_ENGINE === 'podman' ? 'podman' : 'docker';

export function createTestDocker(): Dockerode {
  if (testEngineKind === 'podman') {
    return new Dockerode({ socketPath: process.env.SANDBOX_IMAGE_PODMAN_SOCKET ?? '/run/sandbox-image-podman.sock' });
  }
  return new Dockerode(resolveEngineAddress().options);
}

/** Whether the test engine answers; set by the global setup in SANDBOX_IMAGE_ENGINE_AVAILABLE. */
export const engineAvailable = process.env.SANDBOX_IMAGE_ENGINE_AVAILABLE === '1';

/** Why integration tests are skipped, for the skip message. */
export const engineSkipReason = process.env.SANDBOX_IMAGE_ENGINE_SKIP_REASON ?? '';

/** A repository unique to one test, so parallel tests never share derived images. */
export function uniqueRepository(label: string): string {
  return `localhost/sandbox-image-test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Removes every image whose tags start with `repository:`; images are matched by name only. */
export async function removeRepository(docker: Dockerode, repository: string): Promise<void> {
  const images = await docker.listImages({ filters: JSON.stringify({ reference: [`${repository}`] }) });
  for (const image of images) {
    for (const tag of image.RepoTags ?? []) {
      if (tag.startsWith(`${repository}:`)) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  }
}
