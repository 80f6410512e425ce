import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager, type SandboxConfigInput } from '../../src/index.js';
import { LABELS } from '../../src/manager/labels.js';
import { NO_PACKAGES, countingClient, createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository, uniqueSuffix } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('recipe');
// A value of this run only, so the first build is a real one and not a cached image of another run.
const runValue = uniqueSuffix();

/** A recipe change that needs no package manager: one more build step. */
const changedRecipe: SandboxConfigInput = { steps: [{ run: 'touch /recipe-changed', user: 'root' }] };

function managerWith(config: SandboxConfigInput): SandboxImageManager {
  return new SandboxImageManager({ docker, configFile: false, env: {}, config: { ...NO_PACKAGES, imageRepository: repository, env: { RUN: runValue }, ...config } });
}

describe.skipIf(!engineAvailable)(`manager recipe keys on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(() => removeRepository(docker, repository));

  it('builds a changed recipe and reuses an unchanged one', async () => {
    const plain = await managerWith({}).ensure();
    expect(plain.built).toBe(true);

    // A step of the recipe changes; an extra package changes the recipe the same way but costs an apt-get run.
    const changed = await managerWith(changedRecipe).ensure();
    expect(changed.built).toBe(true);
    expect(changed.imageName).not.toBe(plain.imageName);
    expect(changed.imageId).not.toBe(plain.imageId);

    for (const expected of [plain, changed]) {
      const calls: string[] = [];
      const config = expected === plain ? {} : changedRecipe;
      const counted = countingClient(managerWith(config).client, calls);
      const again = await new SandboxImageManager({ docker: counted, configFile: false, env: {}, config: { ...NO_PACKAGES, imageRepository: repository, env: { RUN: runValue }, ...config } }).ensure();
      expect(again.built).toBe(false);
      expect(again.imageName).toBe(expected.imageName);
      expect(again.imageId).toBe(expected.imageId);
      expect(calls).not.toContain('buildImage');
      expect(calls.length).toBeLessThanOrEqual(2);
    }
  });

  it('labels the image with its cache key', async () => {
    const manager = managerWith({});
    const result = await manager.ensure();
    const image = await docker.getImage(result.imageName).inspect();
    const base = await docker.getImage('docker.io/library/debian:bookworm-slim').inspect();
    const labels = image.Config.Labels ?? {};
    expect(labels[LABELS.recipe]).toBe((await manager.plan()).rendered.fingerprint);
    expect(labels[LABELS.baseRef]).toBe('docker.io/library/debian:bookworm-slim');
    expect(labels[LABELS.baseId]).toBe(base.Id);
    expect(labels[LABELS.platform]).toBe(`${base.Os}/${base.Architecture}`);
    expect(labels[LABELS.uid]).toBe('1000');
    expect(labels[LABELS.repository]).toBe(repository);
    expect(result.imageId).toBe(image.Id);
  });
});
