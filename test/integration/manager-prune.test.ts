import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager } from '../../src/index.js';
import { NO_PACKAGES, buildTestImage, createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('prune');
const otherRepository = `${repository}-other`;

function managerFor(imageRepository: string, value: string): SandboxImageManager {
  return new SandboxImageManager({ docker, configFile: false, env: {}, config: { ...NO_PACKAGES, imageRepository, env: { PRUNE_TEST: value } } });
}

async function exists(name: string): Promise<boolean> {
  return docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describe.skipIf(!engineAvailable)(`manager prune on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(async () => {
    await removeRepository(docker, repository);
    await removeRepository(docker, otherRepository);
  });

  it('keeps the newest derived image of a base and nothing else goes', async () => {
    const run = uniqueSuffix();
    const older = await managerFor(repository, `${run}-1`).ensure();
    // Image creation times have one-second resolution.
    await sleep(1_100);
    const newer = await managerFor(repository, `${run}-2`).ensure();
    const elsewhere = await managerFor(otherRepository, `${run}-3`).ensure();
    const lookalike = `${repository}:not-derived`;
    await buildTestImage(docker, `FROM docker.io/library/debian:bookworm-slim\nLABEL sandbox-image.test=${run}\n`, lookalike);

    // Other tests build derived images of the same base on this engine, so the prune stays in the test's repository.
    const preview = await managerFor(repository, `${run}-2`).prune({ keep: 1, dryRun: true, repository });
    expect(preview.removed.map((image) => image.id)).toEqual([older.imageId]);
    expect(await exists(older.imageName)).toBe(true);

    const result = await managerFor(repository, `${run}-2`).prune({ keep: 1, repository });
    expect(result.removed.map((image) => image.id)).toEqual([older.imageId]);
    expect(result.kept.map((image) => image.id)).toEqual([newer.imageId]);
    expect(result.failed).toEqual([]);

    expect(await exists(older.imageName)).toBe(false);
    expect(await exists(older.imageId)).toBe(false);
    expect(await exists(newer.imageName)).toBe(true);
    expect(await exists(elsewhere.imageName)).toBe(true);
    expect(await exists(lookalike)).toBe(true);
    expect(await exists('docker.io/library/debian:bookworm-slim')).toBe(true);
  });
});
