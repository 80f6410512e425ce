import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LABELS } from '../../../src/manager/labels.js';
import { BASE_REFERENCE, createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

let setup: FakeSetup;
beforeEach(() => {
  setup = createFakeSetup();
});
afterEach(() => setup.cleanup());

describe('ensure cache', () => {
  it('builds once, then reuses with two inspects', async () => {
    const first = await setup.manager().ensure();
    expect(first.built).toBe(true);
    expect(setup.client.count('buildImage')).toBe(1);
    expect(setup.client.tags.get(first.imageName)).toBe(first.imageId);

    setup.client.calls.length = 0;
    const second = await setup.manager().ensure();
    expect(second.built).toBe(false);
    expect(second.imageId).toBe(first.imageId);
    expect(setup.client.calls.map((call) => call.method)).toEqual(['inspectImage', 'inspectImage']);
    expect(setup.client.calls.map((call) => call.target)).toEqual([first.imageName, BASE_REFERENCE]);
  });

  it('labels the image with the cache key', async () => {
    const result = await setup.manager({ userId: 1234 }).ensure();
    const labels = setup.client.lookup(result.imageId)!.labels;
    const base = setup.client.lookup(BASE_REFERENCE)!;
    expect(labels[LABELS.baseId]).toBe(base.id);
    expect(labels[LABELS.baseRef]).toBe(BASE_REFERENCE);
    expect(labels[LABELS.platform]).toBe('linux/amd64');
    expect(labels[LABELS.uid]).toBe('1234');
    expect(labels[LABELS.user]).toBe('sandbox');
    expect(labels[LABELS.repository]).toBe('localhost/sandbox-image');
    expect(labels[LABELS.version]).toMatch(/^\d+\.\d+\.\d+/);
    expect(labels[LABELS.recipe]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('records the base repo digest', async () => {
    setup.client.addImage(BASE_REFERENCE, { repoDigests: ['other/image@sha256:1111', 'debian@sha256:2222'] });
    const result = await setup.manager().ensure();
    expect(setup.client.lookup(result.imageId)!.labels[LABELS.baseDigest]).toBe('sha256:2222');
  });

  it('names and builds a changed recipe anew', async () => {
    const plain = await setup.manager().ensure();
    const withPackage = await setup.manager({ packages: ['curl'] }).ensure();
    expect(withPackage.imageName).not.toBe(plain.imageName);
    expect(withPackage.built).toBe(true);
    expect(setup.client.count('buildImage')).toBe(2);
  });

  it('puts a configured platform in the name', async () => {
    const plain = await setup.manager().plan();
    const arm = await setup.manager({ platform: 'linux/arm64' }).plan();
    expect(arm.imageName).not.toBe(plain.imageName);
    await setup.manager({ platform: 'linux/arm64' }).ensure();
    expect(setup.client.builds[0]!.platform).toBe('linux/arm64');
    expect(setup.client.builds[0]!.labels[LABELS.platform]).toBe('linux/arm64');
  });

  it('builds for the base platform by default', async () => {
    setup.client.addImage(BASE_REFERENCE, { architecture: 'arm64' });
    await setup.manager().ensure();
    expect(setup.client.builds[0]!.platform).toBeUndefined();
    expect(setup.client.builds[0]!.labels[LABELS.platform]).toBe('linux/arm64');
  });
});

describe('rebuild policy', () => {
  it('if-stale rebuilds after the base tag moved', async () => {
    const first = await setup.manager().ensure();
    const movedBase = setup.client.addImage(BASE_REFERENCE, { labels: { moved: 'yes' } });

    const stale = await setup.manager().inspect();
    expect(stale.fresh).toBe(false);
    expect(stale.reason).toContain(movedBase.id);

    const events: string[] = [];
    const second = await setup.manager().ensure({ onProgress: (event) => events.push(event.type) });
    expect(second.built).toBe(true);
    expect(second.imageName).toBe(first.imageName);
    expect(second.imageId).not.toBe(first.imageId);
    expect(second.baseImageId).toBe(movedBase.id);
    expect(setup.client.tags.get(first.imageName)).toBe(second.imageId);
    expect(events).toContain('stale');
  });

  it('never reuses the image after the base moved', async () => {
    const first = await setup.manager({ rebuild: 'never' }).ensure();
    setup.client.addImage(BASE_REFERENCE, { labels: { moved: 'yes' } });
    setup.client.calls.length = 0;
    const second = await setup.manager({ rebuild: 'never' }).ensure();
    expect(second.built).toBe(false);
    expect(second.imageId).toBe(first.imageId);
    expect(setup.client.calls.map((call) => call.method)).toEqual(['inspectImage']);
  });

  it('always rebuilds without the layer cache', async () => {
    const first = await setup.manager().ensure();
    const second = await setup.manager({ rebuild: 'always' }).ensure();
    expect(second.built).toBe(true);
    expect(second.imageName).toBe(first.imageName);
    expect(setup.client.count('buildImage')).toBe(2);
    expect(setup.client.builds[1]!.noCache).toBe(true);
  });

  it('if-stale reuses when the base is gone', async () => {
    const first = await setup.manager().ensure();
    setup.client.tags.delete(BASE_REFERENCE);
    const second = await setup.manager().ensure();
    expect(second.built).toBe(false);
    expect(second.imageId).toBe(first.imageId);
  });

  it('inspect reports a missing image', async () => {
    const result = await setup.manager().inspect();
    expect(result.image).toBeUndefined();
    expect(result.fresh).toBe(false);
    expect(setup.client.count('buildImage')).toBe(0);
  });
});
