import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSandboxImageError } from '../../../src/errors.js';
import { acquireBuildLock, buildLockPath, type BuildLock, type BuildLockOptions } from '../../../src/manager/lock.js';
import type { ProgressEvent } from '../../../src/manager/progress.js';
import { createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

describe('build lock between managers', () => {
  let setup: FakeSetup;
  beforeEach(() => {
    setup = createFakeSetup();
  });
  afterEach(() => setup.cleanup());

  it('makes a second manager wait and re-inspect', async () => {
    setup.client.holdBuilds();
    const owner = setup.manager().ensure();
    await sleep(50);
    const waiterEvents: ProgressEvent[] = [];
    const waiter = setup.manager().ensure({ onProgress: (event) => waiterEvents.push(event) });
    await sleep(400);
    expect(waiterEvents.map((event) => event.type)).toContain('waiting-for-lock');
    setup.client.releaseBuilds();

    const [built, reused] = await Promise.all([owner, waiter]);
    expect(setup.client.count('buildImage')).toBe(1);
    expect(built.built).toBe(true);
    expect(reused.built).toBe(false);
    expect(reused.imageId).toBe(built.imageId);
    expect(waiterEvents.map((event) => event.type)).toContain('cache-hit');
  });

  it('lets distinct images hold their own locks', () => {
    const a = buildLockPath('unix:///a.sock', 'localhost/x:one', setup.lockDirectory);
    const b = buildLockPath('unix:///a.sock', 'localhost/x:two', setup.lockDirectory);
    const c = buildLockPath('unix:///b.sock', 'localhost/x:one', setup.lockDirectory);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

/** Takes a lock that no `stopWaiting` check can end, so it is always held on return. */
async function holdLock(path: string, options: BuildLockOptions): Promise<BuildLock> {
  const lock = await acquireBuildLock(path, options);
  if (!lock) throw new Error(`lock ${path} was not taken`);
  return lock;
}

describe('acquireBuildLock', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sandbox-image-test-lock-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('takes over a stale lock at once', async () => {
    const path = join(directory, 'image');
    mkdirSync(`${path}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, longAgo, longAgo);
    const started = Date.now();
    const lock = await holdLock(path, { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    await lock.release();
  });

  it('times out behind a live holder', async () => {
    const path = join(directory, 'image');
    const holder = await holdLock(path, { timeoutMs: 0 });
    const error = await acquireBuildLock(path, { timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain('lockTimeoutMs');
    await holder.release();
  });

  it('stops waiting when aborted', async () => {
    const path = join(directory, 'image');
    const holder = await holdLock(path, { timeoutMs: 0 });
    const controller = new AbortController();
    const waiting = acquireBuildLock(path, { timeoutMs: 0, signal: controller.signal }).catch((caught: unknown) => caught);
    await sleep(100);
    controller.abort();
    expect(isSandboxImageError(await waiting, 'ABORTED')).toBe(true);
    await holder.release();
  });

  it('hands over after release', async () => {
    const path = join(directory, 'image');
    const holder = await holdLock(path, { timeoutMs: 0 });
    let waited = false;
    const next = holdLock(path, { timeoutMs: 5_000, onWait: () => (waited = true) });
    await sleep(100);
    await holder.release();
    const lock = await next;
    expect(waited).toBe(true);
    await lock.release();
  });

  it('stops waiting when the check succeeds', async () => {
    const path = join(directory, 'image');
    const holder = await holdLock(path, { timeoutMs: 0 });
    let checks = 0;
    const started = Date.now();
    const result = await acquireBuildLock(path, { timeoutMs: 5_000, stopWaiting: async () => ++checks >= 2 });
    expect(result).toBeUndefined();
    expect(checks).toBe(2);
    expect(Date.now() - started).toBeLessThan(2_000);
    await holder.release();
  });

  it('reports LOCK_TIMEOUT from ensure', async () => {
    const setup = createFakeSetup();
    try {
      const manager = setup.manager({ lockTimeoutMs: 300 });
      const plan = await manager.plan();
      const holder = await holdLock(buildLockPath(setup.client.address, plan.imageName, setup.lockDirectory), { timeoutMs: 0 });
      const error = await manager.ensure().catch((caught: unknown) => caught);
      expect(isSandboxImageError(error, 'LOCK_TIMEOUT')).toBe(true);
      expect(setup.client.count('buildImage')).toBe(0);
      await holder.release();
    } finally {
      setup.cleanup();
    }
  });
});
