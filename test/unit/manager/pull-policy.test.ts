import { afterEach, describe, expect, it } from 'vitest';
import { isSandboxImageError } from '../../../src/errors.js';
import { BASE_REFERENCE, createFakeSetup, type FakeSetup } from '../../support/fake-manager.js';

let setup: FakeSetup;
afterEach(() => setup.cleanup());

describe('pull policy', () => {
  it('missing pulls an absent base', async () => {
    setup = createFakeSetup({ withBase: false });
    setup.client.registry.set(BASE_REFERENCE, {});
    const events: string[] = [];
    const result = await setup.manager().ensure({ onProgress: (event) => events.push(event.type) });
    expect(result.built).toBe(true);
    expect(setup.client.count('pullImage')).toBe(1);
    expect(events).toEqual(expect.arrayContaining(['pull-started', 'pull-progress', 'pull-finished', 'build-started', 'build-finished']));
  });

  it('missing does not pull a present base', async () => {
    setup = createFakeSetup();
    await setup.manager().ensure();
    expect(setup.client.count('pullImage')).toBe(0);
  });

  it('missing reports a base the registry lacks', async () => {
    setup = createFakeSetup({ withBase: false });
    const error = await setup.manager().ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'BASE_IMAGE_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('debian:bookworm-slim');
    expect(setup.client.count('buildImage')).toBe(0);
  });

  it('never fails on an absent base without pulling', async () => {
    setup = createFakeSetup({ withBase: false });
    setup.client.registry.set(BASE_REFERENCE, {});
    const error = await setup.manager({ pull: 'never' }).ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'BASE_IMAGE_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('pull is "never"');
    expect(setup.client.count('pullImage')).toBe(0);
    expect(setup.client.count('buildImage')).toBe(0);
  });

  it('never builds from a present base', async () => {
    setup = createFakeSetup();
    const result = await setup.manager({ pull: 'never' }).ensure();
    expect(result.built).toBe(true);
    expect(setup.client.count('pullImage')).toBe(0);
  });

  it('always pulls a present base', async () => {
    setup = createFakeSetup();
    setup.client.registry.set(BASE_REFERENCE, {});
    await setup.manager({ pull: 'always' }).ensure();
    expect(setup.client.count('pullImage')).toBe(1);
  });

  it('always rebuilds when the pull moved the base', async () => {
    setup = createFakeSetup();
    const first = await setup.manager().ensure();
    setup.client.registry.set(BASE_REFERENCE, { labels: { upstream: 'newer' } });
    const second = await setup.manager({ pull: 'always' }).ensure();
    expect(setup.client.count('pullImage')).toBe(1);
    expect(second.built).toBe(true);
    expect(second.imageId).not.toBe(first.imageId);
  });

  it('always reuses when the pull kept the base', async () => {
    setup = createFakeSetup();
    const first = await setup.manager().ensure();
    const base = setup.client.lookup(BASE_REFERENCE)!;
    // A pull that finds the same image leaves the tag where it is.
    setup.client.pullImage = async (reference) => {
      setup.client.calls.push({ method: 'pullImage', target: reference });
      setup.client.tags.set(reference, base.id);
    };
    const second = await setup.manager({ pull: 'always' }).ensure();
    expect(setup.client.count('pullImage')).toBe(1);
    expect(second.built).toBe(false);
    expect(second.imageId).toBe(first.imageId);
  });

  it('reports a failed pull as PULL_FAILED', async () => {
    setup = createFakeSetup({ withBase: false });
    setup.client.registry.set(BASE_REFERENCE, {});
    const { SandboxImageError } = await import('../../../src/errors.js');
    setup.client.failNext('pullImage', new SandboxImageError('PULL_FAILED', 'registry unreachable', { details: { statusCode: 500 } }));
    const error = await setup.manager().ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'PULL_FAILED')).toBe(true);
  });
});
