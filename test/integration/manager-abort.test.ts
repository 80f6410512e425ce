import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager, isSandboxImageError, type SandboxConfigInput } from '../../src/index.js';
import {
  NO_PACKAGES,
  buildTestImage,
  containersWithMarker,
  createTestDocker,
  derivedImagesOf,
  engineAvailable,
  engineSkipReason,
  removeRepository,
  slowStep,
  testEngineKind,
  uniqueRepository,
  uniqueSuffix,
} from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('abort');
const baseRepositories: string[] = [];

/** Polls `condition` every 200 ms until it holds; returns whether it did within `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(200);
  }
  return condition();
}

/**
 * Creates a manager building from a base owned by this test, named after `marker`, so that Podman's
 * build container (named after its base image) carries the marker as Docker's does.
 */
async function managerWithMarker(marker: string, config: SandboxConfigInput): Promise<SandboxImageManager> {
  const baseRepository = `localhost/sandbox-image-test-abort-base-${marker}`;
  baseRepositories.push(baseRepository);
  await buildTestImage(docker, `FROM docker.io/library/debian:bookworm-slim\nLABEL sandbox-image.test=${marker}\n`, `${baseRepository}:v`);
  return new SandboxImageManager({
    docker,
    configFile: false,
    env: {},
    config: { ...NO_PACKAGES, baseImage: `${baseRepository}:v`, pull: 'never', imageRepository: repository, ...config },
  });
}

describe.skipIf(!engineAvailable)(`manager cancellation on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(async () => {
    await removeRepository(docker, repository);
    for (const baseRepository of baseRepositories) await removeRepository(docker, baseRepository);
  });

  it('aborts mid-build, leaves nothing, and builds on the next call', async () => {
    const marker = uniqueSuffix();
    const manager = await managerWithMarker(marker, { steps: [slowStep(6, marker)] });
    const plan = await manager.plan();
    const controller = new AbortController();
    let stepStarted = false;
    const call = manager
      .ensure({
        signal: controller.signal,
        onProgress: (event) => {
          // The FROM step names the marked base too; the slow step is the RUN that names the marker.
          if (event.type === 'build-step' && event.instruction.startsWith('RUN') && event.instruction.includes(marker)) stepStarted = true;
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
    // Docker stops the build when the client disconnects. Podman 4.3 runs the step to its
    // end and then removes the container, so the wait covers the rest of the 6 s step.
    expect(await eventually(() => containersWithMarker(marker).length === 0, 20_000)).toBe(true);

    const next = await manager.ensure();
    expect(next.built).toBe(true);
    expect(next.imageName).toBe(plan.imageName);
    const derived = await derivedImagesOf(docker, repository);
    expect(derived).toContain(next.imageId);
    // NOTE: Podman 4.3 finishes the abandoned build and keeps its untagged image.
    if (testEngineKind === 'docker') expect(derived).toEqual([next.imageId]);
  });

  it('aborts after timeoutMs', async () => {
    const marker = uniqueSuffix();
    const manager = await managerWithMarker(marker, { timeoutMs: 1_500, steps: [slowStep(10, marker)] });
    const plan = await manager.plan();
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toContain('timeoutMs');
    expect(await manager.client.inspectImage(plan.imageName)).toBeUndefined();
    expect(await eventually(() => containersWithMarker(marker).length === 0, 30_000)).toBe(true);
  });
});
