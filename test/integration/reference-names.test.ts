import { afterAll, describe, expect, it } from 'vitest';
import { ensureSandboxImage } from '../../src/index.js';
import { createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('names');

function ensureFrom(baseImage: string) {
  return ensureSandboxImage({ baseImage, docker, configFile: false, config: { imageRepository: repository } });
}

describe.skipIf(!engineAvailable)(`reference names on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(() => removeRepository(docker, repository));

  it('reuses the image for an equivalent base reference', async () => {
    const first = await ensureFrom('debian:bookworm-slim');
    expect(first.built).toBe(true);
    expect(first.baseImage).toBe('docker.io/library/debian:bookworm-slim');

    const second = await ensureFrom('docker.io/library/debian:bookworm-slim');
    expect(second.built).toBe(false);
    expect(second.pulled).toBe(false);
    expect(second.imageName).toBe(first.imageName);
    expect(second.imageId).toBe(first.imageId);

    for (const equivalent of ['index.docker.io/library/debian:bookworm-slim', 'docker.io/debian:bookworm-slim']) {
      const again = await ensureFrom(equivalent);
      expect(again.built).toBe(false);
      expect(again.imageName).toBe(first.imageName);
      expect(again.imageId).toBe(first.imageId);
    }
  });
});
