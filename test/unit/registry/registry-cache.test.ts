import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxConfigInput } from '../../../src/config/types.js';
import type { PushOptions, RegistryAuth, RemoteImageLookup } from '../../../src/engine/types.js';
import { SandboxImageError, isSandboxImageError } from '../../../src/errors.js';
import { LABELS } from '../../../src/manager/labels.js';
import { SandboxImageManager } from '../../../src/manager/manager.js';
import type { ProgressEvent } from '../../../src/manager/progress.js';
import { isRegistryRepository, registryOf } from '../../../src/manager/registry.js';
import { FakeDockerClient } from '../../support/fake-docker-client.js';
import { BASE_REFERENCE } from '../../support/fake-manager.js';

const REGISTRY = 'registry.example.com:5000';
const REPOSITORY = `${REGISTRY}/team/sandbox`;

/** A fake engine whose registry serves distribution lookups and receives pushes. */
class RegistryEngine extends FakeDockerClient {
  readonly lookups: string[] = [];
  readonly pushes: Array<{ name: string; auth: RegistryAuth | undefined }> = [];
  lookupFailure: Error | undefined;
  pushFailure: Error | undefined;

  async inspectRemoteImage(name: string): Promise<RemoteImageLookup> {
    this.lookups.push(name);
    if (this.lookupFailure) throw this.lookupFailure;
    return this.registry.has(name) ? { status: 'found', digest: 'sha256:feed' } : { status: 'missing' };
  }

  override async pushImage(name: string, options: PushOptions = {}): Promise<void> {
    await super.pushImage(name, options);
    if (this.pushFailure) throw this.pushFailure;
    this.pushes.push({ name, auth: options.auth });
    const local = this.lookup(name)!;
    this.registry.set(name, { labels: local.labels, architecture: local.architecture });
  }
}

function engineError(code: 'PULL_FAILED' | 'PUSH_FAILED', statusCode: number | undefined): SandboxImageError {
  return new SandboxImageError(code, `Failed: engine error${statusCode ? ` (HTTP ${statusCode})` : ''}`, {
    details: statusCode ? { statusCode } : {},
  });
}

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
}

/** Creates a manager on `client` with an empty Docker config directory, so no real credentials are read. */
function managerOn(client: FakeDockerClient, config: SandboxConfigInput = {}, env: Record<string, string> = {}): SandboxImageManager {
  const lockDirectory = temporaryDirectory('sandbox-image-registry-locks-');
  const dockerConfig = temporaryDirectory('sandbox-image-registry-docker-config-');
  return new SandboxImageManager({
    docker: client,
    configFile: false,
    lockDirectory,
    env: { DOCKER_CONFIG: dockerConfig, ...env },
    config: { baseImage: 'debian:bookworm-slim', imageRepository: REPOSITORY, ...config },
  });
}

/** Puts the image that `manager` would build into the fake registry, built from `baseId`. */
async function publish(client: FakeDockerClient, manager: SandboxImageManager, baseId: string, recipe?: string): Promise<string> {
  const plan = await manager.plan();
  client.registry.set(plan.imageName, { labels: { [LABELS.recipe]: recipe ?? plan.rendered.fingerprint, [LABELS.baseId]: baseId } });
  return plan.imageName;
}

function setup(): { client: RegistryEngine; baseId: string } {
  const client = new RegistryEngine();
  const base = client.addImage(BASE_REFERENCE);
  return { client, baseId: base.id };
}

describe('registryOf', () => {
  it.each([
    ['localhost/sandbox-image', undefined],
    ['team/sandbox', undefined],
    ['sandbox', undefined],
    ['localhost:5000/team/sandbox', 'localhost:5000'],
    ['127.0.0.1:5000/team/sandbox', '127.0.0.1:5000'],
    ['registry.example.com/team/sandbox', 'registry.example.com'],
    ['docker.io/team/sandbox', 'docker.io'],
    ['[::1]:5000/sandbox', '[::1]:5000'],
    ['my_registry.local/app', undefined],
  ])('%s', (repository, registry) => {
    expect(registryOf(repository)).toBe(registry);
    expect(isRegistryRepository(repository)).toBe(registry !== undefined);
  });
});

describe('registry cache in ensure', () => {
  it('pulls a fresh registry image', async () => {
    const { client, baseId } = setup();
    const manager = managerOn(client);
    const imageName = await publish(client, manager, baseId);

    const events: ProgressEvent[] = [];
    const result = await manager.ensure({ onProgress: (event) => events.push(event) });
    expect(result.pulled).toBe(true);
    expect(result.built).toBe(false);
    expect(result.baseImageId).toBe(baseId);
    expect(client.lookups).toEqual([imageName]);
    expect(client.count('pullImage')).toBe(1);
    expect(client.count('buildImage')).toBe(0);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['pull-started', 'pull-progress', 'pull-finished']));
  });

  it('reuses the pulled image next time', async () => {
    const { client, baseId } = setup();
    const manager = managerOn(client);
    await publish(client, manager, baseId);
    await manager.ensure();

    const again = await manager.ensure();
    expect(again.pulled).toBe(false);
    expect(again.built).toBe(false);
    expect(client.lookups).toHaveLength(1);
  });

  it('builds and pushes a missing tag', async () => {
    const { client } = setup();
    const manager = managerOn(client, { push: true });

    const result = await manager.ensure();
    expect(result.built).toBe(true);
    expect(result.pulled).toBe(false);
    expect(client.pushes.map((push) => push.name)).toEqual([result.imageName]);
  });

  it('builds a missing tag without pushing', async () => {
    const { client } = setup();
    const result = await managerOn(client).ensure();
    expect(result.built).toBe(true);
    expect(client.count('pushImage')).toBe(0);
  });

  it('rebuilds a pulled image of another base', async () => {
    const { client } = setup();
    const manager = managerOn(client);
    await publish(client, manager, 'sha256:0000000000000000000000000000000000000000000000000000000000000000');

    const events: ProgressEvent[] = [];
    const result = await manager.ensure({ onProgress: (event) => events.push(event) });
    expect(result.built).toBe(true);
    expect(result.pulled).toBe(false);
    expect(client.count('pullImage')).toBe(1);
    expect(events.some((event) => event.type === 'stale')).toBe(true);
  });

  it('rebuilds a pulled image of another recipe', async () => {
    const { client, baseId } = setup();
    const manager = managerOn(client);
    await publish(client, manager, baseId, 'another-recipe');

    const result = await manager.ensure();
    expect(result.built).toBe(true);
    expect(result.pulled).toBe(false);
  });

  it('skips the registry under rebuild always', async () => {
    const { client, baseId } = setup();
    const manager = managerOn(client, { rebuild: 'always' });
    await publish(client, manager, baseId);

    const result = await manager.ensure();
    expect(result.built).toBe(true);
    expect(client.lookups).toEqual([]);
  });

  it('skips the registry for a local repository', async () => {
    const { client } = setup();
    const result = await managerOn(client, { imageRepository: 'localhost/sandbox-image' }).ensure();
    expect(result.built).toBe(true);
    expect(client.lookups).toEqual([]);
    expect(client.count('pullImage')).toBe(0);
  });

  it('rejects push to a local repository', async () => {
    const { client } = setup();
    const manager = managerOn(client, { imageRepository: 'localhost/sandbox-image', push: true });

    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as SandboxImageError).details.key).toBe('imageRepository');
    expect(client.count('buildImage')).toBe(0);
  });

  it.each([401, 500])('lookup HTTP %i: PULL_FAILED, no build', async (statusCode) => {
    const { client } = setup();
    client.lookupFailure = engineError('PULL_FAILED', statusCode);

    const error = await managerOn(client).ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'PULL_FAILED')).toBe(true);
    const failure = error as SandboxImageError;
    expect(failure.details.registry).toBe(REGISTRY);
    expect(failure.details.statusCode).toBe(statusCode);
    expect(failure.message).toContain(`Registry ${REGISTRY}`);
    expect(client.count('buildImage')).toBe(0);
  });

  it('names rejected credentials by status', async () => {
    const { client } = setup();
    client.lookupFailure = engineError('PULL_FAILED', 401);
    const error = (await managerOn(client).ensure().catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain('rejected the credentials (HTTP 401)');
  });

  it('passes engine failures through', async () => {
    const { client } = setup();
    client.lookupFailure = new SandboxImageError('ENGINE_UNAVAILABLE', 'No container engine responded');
    const error = await managerOn(client).ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'ENGINE_UNAVAILABLE')).toBe(true);
  });

  it('push on: failed lookup builds, push reports', async () => {
    const { client } = setup();
    client.lookupFailure = engineError('PULL_FAILED', 500);
    client.pushFailure = engineError('PUSH_FAILED', undefined);
    const manager = managerOn(client, { push: true });
    const plan = await manager.plan();

    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'PUSH_FAILED')).toBe(true);
    const failure = error as SandboxImageError;
    expect(failure.details.registry).toBe(REGISTRY);
    expect(failure.details.image).toBe(plan.imageName);
    expect(failure.message).toContain('stays tagged locally');
    expect(client.count('buildImage')).toBe(1);
    expect(client.lookup(plan.imageName)).toBeDefined();
  });

  it('failed pull after a found lookup: PULL_FAILED', async () => {
    const { client, baseId } = setup();
    const manager = managerOn(client);
    await publish(client, manager, baseId);
    client.failNext('pullImage', engineError('PULL_FAILED', 500));

    const error = await manager.ensure().catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'PULL_FAILED')).toBe(true);
    expect((error as SandboxImageError).details.registry).toBe(REGISTRY);
  });

  it('sends credentials from DOCKER_AUTH_CONFIG', async () => {
    const { client } = setup();
    const auth = Buffer.from('ci:secret').toString('base64');
    const env = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { [`https://${REGISTRY}`]: { auth } } }) };
    await managerOn(client, { push: true }, env).ensure();
    expect(client.pushes[0]?.auth).toEqual({ username: 'ci', password: 'secret', serveraddress: REGISTRY });
  });
});

describe('registry cache without a lookup endpoint', () => {
  it('pulls when the tag exists', async () => {
    const client = new FakeDockerClient();
    const base = client.addImage(BASE_REFERENCE);
    const manager = managerOn(client);
    await publish(client, manager, base.id);

    const result = await manager.ensure();
    expect(result.pulled).toBe(true);
    expect(client.count('buildImage')).toBe(0);
  });

  it('builds when the pull finds nothing', async () => {
    const client = new FakeDockerClient();
    client.addImage(BASE_REFERENCE);
    const result = await managerOn(client).ensure();
    expect(result.built).toBe(true);
    expect(client.count('pullImage')).toBe(1);
  });

  it('builds when the pull fails without a status', async () => {
    const client = new FakeDockerClient();
    client.addImage(BASE_REFERENCE);
    client.failNext('pullImage', engineError('PULL_FAILED', undefined));
    const result = await managerOn(client).ensure();
    expect(result.built).toBe(true);
  });
});

describe('manager.push', () => {
  it('pushes a local image', async () => {
    const { client } = setup();
    const manager = managerOn(client);
    const built = await managerOn(client, { imageRepository: REPOSITORY, rebuild: 'always' }).ensure();

    const events: ProgressEvent[] = [];
    await manager.push(built.imageName, { onProgress: (event) => events.push(event) });
    expect(client.pushes.map((push) => push.name)).toEqual([built.imageName]);
    expect(events.map((event) => event.type)).toEqual(['push-started', 'push-finished']);
  });

  it('rejects a missing local image', async () => {
    const { client } = setup();
    const error = await managerOn(client).push(`${REPOSITORY}:absent`).catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'PUSH_FAILED')).toBe(true);
    expect((error as SandboxImageError).details.registry).toBe(REGISTRY);
    expect(client.count('pushImage')).toBe(0);
  });

  it('rejects a localhost repository', async () => {
    const { client } = setup();
    const error = await managerOn(client).push('localhost/sandbox-image:tag').catch((caught: unknown) => caught);
    expect(isSandboxImageError(error, 'PUSH_FAILED')).toBe(true);
    expect(client.count('pushImage')).toBe(0);
  });
});
