import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager } from '../../src/index.js';
import { readChildEvents, runEnsureChild } from '../support/child-process.js';
import { NO_PACKAGES, containersWithMarker, createTestDocker, derivedImagesOf, engineAvailable, engineSkipReason, removeRepository, slowStep, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('lock-kill');
const workDirectory = mkdtempSync(join(tmpdir(), 'sandbox-image-test-lock-kill-'));

/** Polls `condition` every 100 ms until it holds, or fails after `timeoutMs`. */
async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(100);
  }
}

describe.skipIf(!engineAvailable)(`manager lock takeover on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(async () => {
    await removeRepository(docker, repository);
    rmSync(workDirectory, { recursive: true, force: true });
  });

  it('finishes within 30 s after the lock holder is killed', async () => {
    const marker = uniqueSuffix();
    const config = { ...NO_PACKAGES, imageRepository: repository, steps: [slowStep(5, marker)] };
    const holderEvents = join(workDirectory, 'holder.jsonl');
    const waiterEvents = join(workDirectory, 'waiter.jsonl');

    const holder = runEnsureChild(config, holderEvents);
    await waitFor(
      'the holder to start the slow step',
      () => readChildEvents(holderEvents).some((event) => event.type === 'build-step' && event.instruction.includes(marker)),
      60_000,
    );

    const waiterChild = runEnsureChild(config, waiterEvents);
    const manager = new SandboxImageManager({ docker, configFile: false, env: {}, config });
    const waiting: string[] = [];
    const inProcess = [manager.ensure({ onProgress: (event) => waiting.push(event.type) }), manager.ensure()];
    await waitFor('the waiters to wait for the lock', () => waiting.includes('waiting-for-lock') && readChildEvents(waiterEvents).some((event) => event.type === 'waiting-for-lock'), 30_000);

    holder.process.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await holder.outcome).toBeUndefined();

    const results = await Promise.all(inProcess);
    const childOutcome = await waiterChild.outcome;
    const elapsed = Date.now() - killedAt;
    console.info(`${testEngineKind}: the waiters finished ${elapsed} ms after the lock holder was killed`);
    expect(elapsed).toBeLessThan(30_000);

    expect(childOutcome?.ok).toBe(true);
    const imageIds = new Set(results.map((result) => result.imageId));
    if (childOutcome?.ok) imageIds.add(childOutcome.result.imageId);
    expect(imageIds.size).toBe(1);

    const tagged = await docker.listImages({ filters: JSON.stringify({ reference: [repository] }) });
    expect(tagged.map((image) => image.Id)).toEqual([...imageIds]);
    expect(await derivedImagesOf(docker, repository)).toEqual([...imageIds]);
    await waitFor('the killed build container to go', () => containersWithMarker(marker).length === 0, 30_000);
  });
});
