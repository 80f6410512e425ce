import { describe, expect, it } from 'vitest';
import { SandboxImageManager, isSandboxImageError, type SandboxImageError } from '../../src/index.js';
import { createTestDocker, engineAvailable, engineSkipReason, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();

describe(`manager engine errors`, () => {
  it('names the address when no engine answers', async () => {
    const address = `unix:///tmp/sandbox-image-test-${uniqueSuffix()}.sock`;
    const manager = new SandboxImageManager({ configFile: false, env: { DOCKER_HOST: address } });
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ENGINE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain(address);
    expect((error as SandboxImageError).details.address).toBe(address);
  });
});

describe.skipIf(!engineAvailable)(`manager base errors on ${testEngineKind} ${engineSkipReason}`, () => {
  it('reports a missing base under pull never', async () => {
    const base = `localhost/sandbox-image-test-missing-${uniqueSuffix()}:v`;
    const manager = new SandboxImageManager({ docker, configFile: false, env: {}, config: { baseImage: base, pull: 'never', imageRepository: uniqueRepository('errors') } });
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'BASE_IMAGE_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain(base);
    expect((error as Error).message).toContain('pull');
  });
});
