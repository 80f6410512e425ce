import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager } from '../../src/index.js';
import { readChildEvents, runEnsureChild } from '../support/child-process.js';
import { NO_PACKAGES, createTestDocker, derivedImagesOf, engineAvailable, engineSkipReason, removeRepository, slowStep, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('concurrency');
const workDirectory = mkdtempSync(join(tmpdir(), 'sandbox-image-test-concurrency-'));

describe.skipIf(!engineAvailable)(`manager concurrency on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(async () => {
    await removeRepository(docker, repository);
    rmSync(workDirectory, { recursive: true, force: true });
  });

  it('builds once for 8 calls and 4 processes', async () => {
    // The step makes the build last long enough for the children to start while it runs.
    const config = { ...NO_PACKAGES, imageRepository: repository, steps: [slowStep(8, uniqueSuffix())] };
    const eventFile = join(workDirectory, 'child-events.jsonl');
    const children = Array.from({ length: 4 }, () => runEnsureChild(config, eventFile));

    const manager = new SandboxImageManager({ docker, configFile: false, env: {}, config });
    const results = await Promise.all(Array.from({ length: 8 }, () => manager.ensure()));
    const outcomes = await Promise.all(children.map((child) => child.outcome));

    // Joined callers in this process receive the one build's events too, so builds here are
    // counted by result. Each child has a single caller, so its build-started events count.
    const childEvents = readChildEvents(eventFile);
    const childBuilds = childEvents.filter((event) => event.type === 'build-started');
    const inProcessBuilds = results.filter((result) => result.built);
    if (inProcessBuilds.length + childBuilds.length !== 1) {
      console.log(`builds in this process: ${inProcessBuilds.length}; children's debug output:\n${readFileSync(`${eventFile}.stderr`, 'utf8')}`);
    }
    expect(inProcessBuilds.length + childBuilds.length).toBe(1);

    const imageIds = new Set(results.map((result) => result.imageId));
    for (const outcome of outcomes) {
      expect(outcome?.ok).toBe(true);
      if (outcome?.ok) imageIds.add(outcome.result.imageId);
    }
    expect(imageIds.size).toBe(1);
    expect(await derivedImagesOf(docker, repository)).toEqual([...imageIds]);

    // The children ran while the build held the lock: they waited and then found the image.
    expect(childEvents.some((event) => event.type === 'waiting-for-lock')).toBe(true);
  });
});
