import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager, ensureSandboxImage, isSandboxImageError } from '../../src/index.js';
import { countingClient, createTestDocker, engineAvailable, engineSkipReason, removeRepository, runInImage, testEngineKind, uniqueRepository } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('ensure');

describe.skipIf(!engineAvailable)(`ensureSandboxImage on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(() => removeRepository(docker, repository));

  it('builds debian:bookworm-slim, then reuses it', async () => {
    const first = await ensureSandboxImage({ baseImage: 'debian:bookworm-slim', docker, configFile: false, config: { imageRepository: repository } });
    expect(first.built).toBe(true);
    expect(first.imageName.startsWith(`${repository}:`)).toBe(true);
    expect(runInImage(first.imageName, 'id', '-u')).toBe('1000');
    expect(runInImage(first.imageName, 'id', '-un')).toBe('sandbox');
    expect(() => runInImage(first.imageName, 'sudo', '-n', 'true')).not.toThrow();

    const calls: string[] = [];
    const manager = new SandboxImageManager({ docker, configFile: false, config: { imageRepository: repository } });
    const counted = countingClient(manager.client, calls);
    const second = await new SandboxImageManager({ docker: counted, configFile: false, config: { imageRepository: repository } }).ensure();
    expect(second.built).toBe(false);
    expect(second.imageId).toBe(first.imageId);
    expect(calls).not.toContain('buildImage');
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it('rejects a missing package with apt output and no tag', async () => {
    const config = { imageRepository: repository, packages: ['no-such-package-xyz'] };
    const manager = new SandboxImageManager({ docker, configFile: false, config });
    const plan = await manager.plan();
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    expect((error as Error).message).toContain('Unable to locate package no-such-package-xyz');
    expect(await manager.client.inspectImage(plan.imageName)).toBeUndefined();
  });
});
