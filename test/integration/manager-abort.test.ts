import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager, isSandboxImageError } from '../../src/index.js';
import { NO_PACKAGES, containersWithMarker, createTestDocker, derivedImagesOf, engineAvailable, engineSkipReason, removeRepository, slowStep, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('abort');

/** Polls `condition` every 200 ms until it holds; returns whether it did within `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(200);
  }
  return condition();
}

describe.skipIf(!engineAvailable)(`manager cancellation on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(() => removeRepository(docker, repository));

  it('aborts mid-build, leaves nothing, and builds on the next call', async () => {
    const marker = uniqueSuffix();
    const manager = new SandboxImageManager({ docker, configFile: false, env: {}, config: { ...NO_PACKAGES, imageRepository: repository, steps: [slowStep(6, marker)] } });
    const plan = await manager.plan();
    const controller = new AbortController();
    let stepStarted = false;
    const call = manager
      .ensure({
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type === 'build-step' && event.instruction.includes(marker)) stepStarted = true;
        },
      })
      .catch((caught: unknown) => caught);
    expect(await eventually(() => stepStarted, 60_000)).toBe(true);
    await sleep(1_000);
    expect(containersWithMarker(marker).length).toBeGreaterThan(0);

    const abortedAt = Date.now();
    controller.abort();
    const error = await call;
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
    expect(await manager.client.inspectImage(plan.imageName)).toBeUndefined();
    expect(await eventually(() => containersWithMarker(marker).length === 0, 20_000)).toBe(true);

    const next = await manager.ensure();
    expect(next.built).toBe(true);
    expect(next.imageName).toBe(plan.imageName);
    expect(await derivedImagesOf(docker, repository)).toEqual([next.imageId]);
  });

  it('aborts after timeoutMs', async () => {
    const marker = uniqueSuffix();
    const manager = new SandboxImageManager({ docker, configFile: false, env: {}, config: { ...NO_PACKAGES, imageRepository: repository, timeoutMs: 1_500, steps: [slowStep(20, marker)] } });
    const plan = await manager.plan();
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toContain('timeoutMs');
    expect(await manager.client.inspectImage(plan.imageName)).toBeUndefined();
    expect(await eventually(() => containersWithMarker(marker).length === 0, 30_000)).toBe(true);
  });
});
