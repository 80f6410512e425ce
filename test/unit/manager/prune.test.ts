import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../src/engine/types.js';
import { LABELS } from '../../../src/manager/labels.js';
import { selectPrunable } from '../../../src/manager/prune.js';
import { createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

function summary(id: string, created: number, labels: Record<string, string>, repoTags: string[] = []): ImageSummary {
  return { id, created, labels: { [LABELS.recipe]: 'r', ...labels }, repoTags, size: 1 };
}

describe('selectPrunable', () => {
  const now = 10_000_000;
  const images = [
    summary('c', 9_000, { [LABELS.baseRef]: 'a', [LABELS.repository]: 'localhost/one' }),
    summary('b', 8_000, { [LABELS.baseRef]: 'a', [LABELS.repository]: 'localhost/one' }),
    summary('x', 7_500, { [LABELS.baseRef]: 'other' }, ['localhost/one:x']),
    summary('a', 7_000, { [LABELS.baseRef]: 'a', [LABELS.repository]: 'localhost/one' }),
    summary('z', 6_000, { [LABELS.baseRef]: 'a', [LABELS.repository]: 'localhost/two' }),
  ];

  it('keeps the newest per base', () => {
    const { remove, keep } = selectPrunable(images, { keep: 1 }, now);
    expect(keep.map((image) => image.id)).toEqual(['c', 'x']);
    expect(remove.map((image) => image.id)).toEqual(['b', 'a', 'z']);
  });

  it('stays inside the repository', () => {
    const { remove, keep } = selectPrunable(images, { keep: 1, repository: 'localhost/one' }, now);
    expect(keep.map((image) => image.id)).toEqual(['c', 'x']);
    expect(remove.map((image) => image.id)).toEqual(['b', 'a']);
  });

  it('spares images newer than olderThan', () => {
    const { remove } = selectPrunable(images, { keep: 0, olderThan: 2_500_000 }, now);
    expect(remove.map((image) => image.id)).toEqual(['x', 'a', 'z']);
  });
});

describe('manager prune', () => {
  let setup: FakeSetup;
  beforeEach(() => {
    setup = createFakeSetup();
  });
  afterEach(() => setup.cleanup());

  it('removes older images of its repository only', async () => {
    const repository = 'localhost/prune-test';
    const old = await setup.manager({ imageRepository: repository, env: { N: '1' } }).ensure();
    const newest = await setup.manager({ imageRepository: repository, env: { N: '2' } }).ensure();
    const elsewhere = await setup.manager({ imageRepository: 'localhost/elsewhere' }).ensure();
    const stranger = setup.client.addImage(`${repository}-lookalike:1`, { labels: { 'sandbox-image.other': 'x' } });

    const dryRun = await setup.manager().prune({ keep: 1, dryRun: true, repository });
    expect(dryRun.removed.map((image) => image.id)).toEqual([old.imageId]);
    expect(setup.client.lookup(old.imageId)).toBeDefined();

    const result = await setup.manager().prune({ keep: 1, repository });
    expect(result.removed.map((image) => image.id)).toEqual([old.imageId]);
    expect(result.kept.map((image) => image.id)).toEqual([newest.imageId]);
    expect(setup.client.lookup(old.imageId)).toBeUndefined();
    expect(setup.client.lookup(newest.imageName)).toBeDefined();
    expect(setup.client.lookup(elsewhere.imageName)).toBeDefined();
    expect(setup.client.lookup(stranger.id)).toBeDefined();
  });

  it('spans every repository by default', async () => {
    const first = await setup.manager({ imageRepository: 'localhost/one' }).ensure();
    const second = await setup.manager({ imageRepository: 'localhost/two' }).ensure();
    const result = await setup.manager().prune({ keep: 1 });
    expect(result.kept.map((image) => image.id)).toEqual([second.imageId]);
    expect(result.removed.map((image) => image.id)).toEqual([first.imageId]);
  });

  it('keeps foreign tags by default', async () => {
    const old = await setup.manager({ env: { N: '1' } }).ensure();
    await setup.manager({ env: { N: '2' } }).ensure();
    await setup.client.tagImage(old.imageId, 'localhost/my-app', 'v1');
    await setup.manager().prune({ keep: 1 });
    expect(setup.client.lookup('localhost/my-app:v1')?.id).toBe(old.imageId);
    expect(setup.client.tags.has(old.imageName)).toBe(false);
  });

  it('keeps tags in other repositories', async () => {
    const repository = 'localhost/prune-test';
    const old = await setup.manager({ imageRepository: repository, env: { N: '1' } }).ensure();
    await setup.manager({ imageRepository: repository, env: { N: '2' } }).ensure();
    await setup.client.tagImage(old.imageId, 'localhost/my-app', 'v1');

    await setup.manager().prune({ keep: 1, repository });
    expect(setup.client.lookup('localhost/my-app:v1')?.id).toBe(old.imageId);
    expect(setup.client.tags.has(old.imageName)).toBe(false);
  });
});
