import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager } from '../../src/index.js';
import { NO_PACKAGES, buildTestImage, createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('stale');
// A base tag owned by this test: other tests use debian:bookworm-slim on the same engine at once.
const baseRepository = `localhost/sandbox-image-test-base-${uniqueSuffix()}`;
const baseTag = `${baseRepository}:v`;

function managerWith(rebuild: 'if-stale' | 'never'): SandboxImageManager {
  return new SandboxImageManager({ docker, configFile: false, env: {}, config: { ...NO_PACKAGES, baseImage: baseTag, imageRepository: repository, rebuild, pull: 'never' } });
}

describe.skipIf(!engineAvailable)(`manager staleness on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(async () => {
    await removeRepository(docker, repository);
    await removeRepository(docker, baseRepository);
  });

  it('rebuilds under if-stale after the base tag moved, and reuses under never', async () => {
    const firstBaseId = await buildTestImage(docker, `FROM docker.io/library/debian:bookworm-slim\nRUN echo ${uniqueSuffix()} > /base-version\n`, baseTag);
    const first = await managerWith('if-stale').ensure();
    expect(first.built).toBe(true);
    expect(first.baseImageId).toBe(firstBaseId);

    // Move the test's own base tag to a different image, as a `docker pull` of a newer base does.
    const movedBaseId = await buildTestImage(docker, `FROM ${baseTag}\nRUN echo moved > /moved\n`, baseTag);
    expect(movedBaseId).not.toBe(firstBaseId);

    const inspected = await managerWith('if-stale').inspect();
    expect(inspected.fresh).toBe(false);
    expect(inspected.reason).toContain(movedBaseId);

    const kept = await managerWith('never').ensure();
    expect(kept.built).toBe(false);
    expect(kept.imageId).toBe(first.imageId);

    const rebuilt = await managerWith('if-stale').ensure();
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.imageName).toBe(first.imageName);
    expect(rebuilt.imageId).not.toBe(first.imageId);
    expect(rebuilt.baseImageId).toBe(movedBaseId);
    const tagged = await docker.getImage(first.imageName).inspect();
    expect(tagged.Id).toBe(rebuilt.imageId);

    const again = await managerWith('if-stale').ensure();
    expect(again.built).toBe(false);
    expect(again.imageId).toBe(rebuilt.imageId);
  });
});
