import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSandboxImageError } from '../../../src/errors.js';
import { SingleFlight } from '../../../src/manager/single-flight.js';
import { createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

let setup: FakeSetup;
beforeEach(() => {
  setup = createFakeSetup();
});
afterEach(() => setup.cleanup());

describe('single-flight ensure', () => {
  it('shares one build among eight calls', async () => {
    setup.client.buildDelayMs = 50;
    const manager = setup.manager();
    const results = await Promise.all(Array.from({ length: 8 }, () => manager.ensure()));
    expect(setup.client.count('buildImage')).toBe(1);
    expect(new Set(results.map((result) => result.imageId)).size).toBe(1);
    expect(results.filter((result) => result.built)).toHaveLength(1);
  });

  it('sends build events to joined callers', async () => {
    setup.client.holdBuilds();
    const manager = setup.manager();
    const first = manager.ensure();
    await sleep(20);
    const joinedEvents: string[] = [];
    const second = manager.ensure({ onProgress: (event) => joinedEvents.push(event.type) });
    await sleep(20);
    setup.client.releaseBuilds();
    await Promise.all([first, second]);
    expect(joinedEvents).toContain('build-finished');
    expect(joinedEvents.filter((type) => type === 'finished')).toHaveLength(1);
  });

  it('builds distinct names in parallel', async () => {
    setup.client.holdBuilds();
    const manager = setup.manager();
    const plain = manager.ensure();
    const withPackage = manager.ensure({ config: { packages: ['curl'] } });
    await sleep(50);
    expect(setup.client.count('buildImage')).toBe(2);
    setup.client.releaseBuilds();
    const [a, b] = await Promise.all([plain, withPackage]);
    expect(a.imageName).not.toBe(b.imageName);
  });

  it('keeps building while one caller stays', async () => {
    setup.client.holdBuilds();
    const manager = setup.manager();
    const controller = new AbortController();
    const leaving = manager.ensure({ signal: controller.signal });
    const staying = manager.ensure();
    await sleep(20);
    controller.abort();
    const error = await leaving.catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    setup.client.releaseBuilds();
    const result = await staying;
    expect(result.imageId).toMatch(/^sha256:/);
    expect(setup.client.count('buildImage')).toBe(1);
  });

  it('stops the build when every caller aborts', async () => {
    setup.client.holdBuilds();
    const manager = setup.manager();
    const controllers = [new AbortController(), new AbortController()];
    const calls = controllers.map((controller) => manager.ensure({ signal: controller.signal }).catch((caught: unknown) => caught));
    await sleep(20);
    for (const controller of controllers) controller.abort();
    const errors = await Promise.all(calls);
    for (const error of errors) expect(isSandboxImageError(error, 'ABORTED')).toBe(true);
    const plan = await manager.plan();
    expect(setup.client.tags.has(plan.imageName)).toBe(false);

    setup.client.releaseBuilds();
    const next = await manager.ensure();
    expect(next.built).toBe(true);
  });
});

describe('SingleFlight', () => {
  const abortError = () => new Error('aborted');

  it('starts a new task after one settles', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    const task = async () => ++runs;
    await flights.run('key', task, {}, abortError).promise;
    const second = flights.run('key', task, {}, abortError);
    expect(second.joined).toBe(false);
    expect(await second.promise).toBe(2);
  });

  it('passes a rejection to every caller', async () => {
    const flights = new SingleFlight<number>();
    const failing = async () => {
      await sleep(10);
      throw new Error('build failed');
    };
    const first = flights.run('key', failing, {}, abortError);
    const second = flights.run('key', failing, {}, abortError);
    expect(second.joined).toBe(true);
    await expect(first.promise).rejects.toThrow('build failed');
    await expect(second.promise).rejects.toThrow('build failed');
  });

  it('aborts the shared signal only for the last caller', async () => {
    const flights = new SingleFlight<string>();
    let sharedSignal: AbortSignal | undefined;
    const task = ({ signal }: { signal: AbortSignal }) => {
      sharedSignal = signal;
      return new Promise<string>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('stopped')));
        setTimeout(() => resolve('done'), 200);
      });
    };
    const one = new AbortController();
    const two = new AbortController();
    const first = flights.run('key', task, { signal: one.signal }, abortError).promise.catch((error: Error) => error.message);
    const second = flights.run('key', task, { signal: two.signal }, abortError).promise.catch((error: Error) => error.message);
    one.abort();
    expect(await first).toBe('aborted');
    expect(sharedSignal?.aborted).toBe(false);
    two.abort();
    expect(await second).toBe('aborted');
    expect(sharedSignal?.aborted).toBe(true);
  });
});
