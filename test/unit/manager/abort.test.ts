import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxImageError, isSandboxImageError } from '../../../src/errors.js';
import { createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

let setup: FakeSetup;
beforeEach(() => {
  setup = createFakeSetup();
});
afterEach(() => setup.cleanup());

describe('cancellation and failures', () => {
  it('aborts a build through the signal', async () => {
    setup.client.buildDelayMs = 5_000;
    const manager = setup.manager();
    const controller = new AbortController();
    const call = manager.ensure({ signal: controller.signal }).catch((caught: unknown) => caught);
    await sleep(50);
    controller.abort();
    const error = await call;
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toContain('Cancelled');
    const plan = await manager.plan();
    expect(setup.client.tags.has(plan.imageName)).toBe(false);
    expect(setup.client.count('tagImage')).toBe(0);
  });

  it('aborts a build after timeoutMs', async () => {
    setup.client.buildDelayMs = 5_000;
    const manager = setup.manager({ timeoutMs: 100 });
    const started = Date.now();
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toContain('timeoutMs');
    expect((error as Error).message).toContain('--timeout SECONDS');
    expect(setup.client.count('tagImage')).toBe(0);
  });

  it('applies timeoutMs beside a caller signal', async () => {
    // A timeout signal that only AbortSignal.any() references can be garbage-collected before it
    // fires, so collect garbage during the build as a long build does.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const collector = setInterval(collectGarbage, 20);
    setup.client.buildDelayMs = 3_000;
    const manager = setup.manager({ timeoutMs: 200 });
    const started = Date.now();
    const error = await manager.ensure({ signal: new AbortController().signal }).catch((caught: unknown) => caught);
    clearInterval(collector);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect((error as Error).message).toContain('Timed out');
  });

  it('rejects an aborted signal before any call', async () => {
    const error = await setup.manager().ensure({ signal: AbortSignal.abort() }).catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    expect(setup.client.count('buildImage')).toBe(0);
  });

  it('tags nothing when the build fails', async () => {
    setup.client.failNext(
      'buildImage',
      new SandboxImageError('BUILD_FAILED', 'Build failed at step `RUN x`', { details: { step: 'RUN x', exitCode: 100, outputTail: ['E: Unable to locate package x'] } }),
    );
    const manager = setup.manager();
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    expect((error as SandboxImageError).details.exitCode).toBe(100);
    expect(setup.client.count('tagImage')).toBe(0);
    expect(setup.client.tags.has((await manager.plan()).imageName)).toBe(false);
  });

  it('rejects a built image without the recipe label', async () => {
    const other = setup.client.addImage('localhost/unrelated:tag');
    setup.client.buildImage = async () => other.id;
    const manager = setup.manager();
    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'BUILD_FAILED')).toBe(true);
    expect(setup.client.tags.has((await manager.plan()).imageName)).toBe(false);
  });

  it('passes ENGINE_UNAVAILABLE through', async () => {
    setup.client.failNext('inspectImage', new SandboxImageError('ENGINE_UNAVAILABLE', 'No container engine answered at unix:///fake/docker.sock'));
    const error = await setup.manager().ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ENGINE_UNAVAILABLE')).toBe(true);
  });
});
