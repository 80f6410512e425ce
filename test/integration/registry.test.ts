import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxImageManager, isSandboxImageError } from '../../src/index.js';
import type { DockerClient } from '../../src/engine/types.js';
import type { ProgressEvent } from '../../src/manager/progress.js';
import { createTestDocker, engineAvailable, removeRepository, testEngineKind } from '../support/engine.js';

/**
 * Engine A is the main Docker engine; engine B is a second dockerd with its own data root
 * (scripts/second-engine-up.sh). The registries come from scripts/registry-up.sh: an open one
 * on 127.0.0.1:5000 and one with basic auth on 127.0.0.1:5001.
 */
const OPEN_REGISTRY = '127.0.0.1:5000';
const AUTH_REGISTRY = '127.0.0.1:5001';
const AUTH_USER = 'sandbox-test';
const AUTH_PASSWORD = 'sandbox-test-password';
const BASE = 'debian:bookworm-slim';
const engineBSocket = process.env.SANDBOX_IMAGE_ENGINE_B_SOCKET ?? '/var/run/sandbox-image-engine-b.sock';
/** Engine B's plain TCP listener on loopback, standing in for a remote engine. */
const engineBTcp = process.env.SANDBOX_IMAGE_ENGINE_B_TCP ?? '127.0.0.1:23750';

const dockerA = createTestDocker();
const dockerB = new Dockerode({ socketPath: engineBSocket });

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

const registryStatus = async (registry: string) => (await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(3000) })).status;
const prerequisites = {
  'engine A is Docker': testEngineKind === 'docker',
  [`engine B answers at ${engineBSocket} (scripts/second-engine-up.sh)`]: engineAvailable && (await answers(() => dockerB.ping())),
  [`engine B answers at tcp://${engineBTcp} (scripts/second-engine-up.sh)`]: engineAvailable && (await answers(() => new Dockerode({ host: engineBTcp.split(':')[0], port: Number(engineBTcp.split(':')[1]) }).ping())),
  [`registry at ${OPEN_REGISTRY} answers (scripts/registry-up.sh)`]: (await answers(registryStatus.bind(undefined, OPEN_REGISTRY))),
  [`registry at ${AUTH_REGISTRY} asks for credentials (scripts/registry-up.sh)`]: (await registryStatus(AUTH_REGISTRY).catch(() => 0)) === 401,
};
const missing = Object.entries(prerequisites).filter(([, ok]) => !ok).map(([name]) => name);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const runnable = missing.length === 0 || (inCi && testEngineKind === 'docker');

/** Returns a repository on `registry` unique to this run. */
function uniqueRegistryRepository(registry: string, label: string): string {
  return `${registry}/sandbox-image-test-${label}-${randomBytes(4).toString('hex')}/sandbox`;
}

/** Returns a loopback port with nothing listening: bound once by the OS, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Wraps a client so that every method call is recorded by name. */
function countCalls(client: DockerClient): { client: DockerClient; calls: string[] } {
  const calls: string[] = [];
  const counted = new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: counted, calls };
}

function managerOn(docker: Dockerode, config: Record<string, unknown>, env: Record<string, string> = {}): SandboxImageManager {
  return new SandboxImageManager({ docker, configFile: false, config: { baseImage: BASE, ...config }, env });
}

/** Creates a manager on engine B whose client records its calls. */
function countedManagerOnB(config: Record<string, unknown>, env: Record<string, string> = {}): { manager: SandboxImageManager; calls: string[] } {
  const { client, calls } = countCalls(managerOn(dockerB, config, env).client);
  return { manager: new SandboxImageManager({ docker: client, configFile: false, config: { baseImage: BASE, ...config }, env }), calls };
}

function runOn(socket: string | undefined, image: string, ...command: string[]): string {
  const host = socket ? ['-H', `unix://${socket}`] : [];
  return execFileSync('docker', [...host, 'run', '--rm', '--network', 'none', image, ...command], { encoding: 'utf8' }).trim();
}

function authConfig(registry: string, user: string, password: string): Record<string, string> {
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { [registry]: { auth } } }) };
}

/** Makes engine B hold the same base image as engine A, with the same ID, so staleness checks compare real IDs. */
async function copyBaseToEngineB(): Promise<void> {
  const onA = await dockerA.getImage(BASE).inspect();
  const onB = await dockerB.getImage(BASE).inspect().catch(() => undefined);
  if (onB?.Id === onA.Id) return;
  const loaded = await dockerB.loadImage(await dockerA.getImage(BASE).get(), { quiet: true });
  await new Promise((resolve, reject) => dockerB.modem.followProgress(loaded, (error) => (error ? reject(error) : resolve(undefined))));
}

async function tagsInRegistry(registry: string, repository: string, headers: Record<string, string> = {}): Promise<string[]> {
  const path = repository.slice(registry.length + 1);
  const response = await fetch(`http://${registry}/v2/${path}/tags/list`, { headers });
  if (response.status === 404) return [];
  return ((await response.json()) as { tags?: string[] }).tags ?? [];
}

/** Builds a one-label image from the base on the engine at `socket` (the main engine when undefined) and returns its ID. */
function buildLabelledImage(socket: string | undefined, name: string, variant: string): string {
  const host = socket ? ['-H', `unix://${socket}`] : [];
  const dockerfile = `FROM ${BASE}\nLABEL sandbox-image-test.variant=${variant}\n`;
  return execFileSync('docker', [...host, 'build', '-q', '-t', name, '-'], { input: dockerfile, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

// Only the first test uses the default recipe. The others set `sudo: 'none'`, so their
// recipe installs no package and their builds need no package mirror.
describe.skipIf(!runnable)('registry as a shared cache between engines', () => {
  const repositories: string[] = [];
  const repository = (registry: string, label: string) => {
    const name = uniqueRegistryRepository(registry, label);
    repositories.push(name);
    return name;
  };

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`The registry tests need: ${missing.join('; ')}.`);
    await copyBaseToEngineB();
  });

  afterAll(async () => {
    for (const name of repositories) {
      await removeRepository(dockerA, name);
      await removeRepository(dockerB, name);
    }
  });

  it('engine B pulls what engine A pushed', async () => {
    const config = { imageRepository: repository(OPEN_REGISTRY, 'shared'), push: true };

    const events: ProgressEvent[] = [];
    const onA = await managerOn(dockerA, config).ensure({ onProgress: (event) => events.push(event) });
    expect(onA.built).toBe(true);
    expect(onA.pulled).toBe(false);
    expect(events.map((event) => event.type)).toContain('push-finished');
    expect(await tagsInRegistry(OPEN_REGISTRY, config.imageRepository)).toEqual([onA.imageName.split(':').at(-1)]);

    const { manager, calls } = countedManagerOnB({ ...config, push: false });
    const pullEvents: ProgressEvent[] = [];
    const onB = await manager.ensure({ onProgress: (event) => pullEvents.push(event) });
    expect(onB.pulled).toBe(true);
    expect(onB.built).toBe(false);
    expect(onB.imageName).toBe(onA.imageName);
    expect(onB.imageId).toBe(onA.imageId);
    expect(onB.baseImageId).toBe(onA.baseImageId);
    expect(calls).not.toContain('buildImage');
    expect(calls).toContain('inspectRemoteImage');
    expect(pullEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['pull-started', 'pull-progress', 'pull-finished']));
    expect(runOn(engineBSocket, onB.imageName, 'id', '-un')).toBe('sandbox');

    const again = await countedManagerOnB(config).manager.ensure();
    expect(again.pulled).toBe(false);
    expect(again.built).toBe(false);
    expect(again.imageId).toBe(onA.imageId);
  });

  it('remote engine from DOCKER_HOST pulls', async () => {
    const imageRepository = repository(OPEN_REGISTRY, 'remote');
    const onA = await managerOn(dockerA, { imageRepository, sudo: 'none', push: true }).ensure();
    expect(onA.built).toBe(true);

    const remote = new SandboxImageManager({ configFile: false, config: { baseImage: BASE, imageRepository, sudo: 'none' }, env: { DOCKER_HOST: `tcp://${engineBTcp}` } });
    expect(remote.client.address).toContain(engineBTcp);
    const onB = await remote.ensure();
    expect(onB.pulled).toBe(true);
    expect(onB.built).toBe(false);
    expect(onB.imageId).toBe(onA.imageId);
    expect(runOn(engineBSocket, onB.imageName, 'id', '-un')).toBe('sandbox');
  });

  it('rebuilds a pulled image of another base', async () => {
    const baseName = `sandbox-image-test-base-${randomBytes(4).toString('hex')}:1`;
    repositories.push(baseName.split(':')[0]!);
    const baseOnA = buildLabelledImage(undefined, baseName, 'a');
    const baseOnB = buildLabelledImage(engineBSocket, baseName, 'b');
    expect(baseOnB).not.toBe(baseOnA);
    const imageRepository = repository(OPEN_REGISTRY, 'stale');

    // Without sudo the recipe installs no package, so engine B, whose containers have no route out, can build it.
    const config = { baseImage: baseName, imageRepository, sudo: 'none' };
    const onA = await managerOn(dockerA, { ...config, push: true }).ensure();
    expect(onA.built).toBe(true);
    expect(onA.baseImageId).toBe(baseOnA);

    const { manager, calls } = countedManagerOnB(config);
    const events: ProgressEvent[] = [];
    const onB = await manager.ensure({ onProgress: (event) => events.push(event) });
    expect(onB.pulled).toBe(false);
    expect(onB.built).toBe(true);
    expect(onB.baseImageId).toBe(baseOnB);
    expect(onB.imageName).toBe(onA.imageName);
    expect(calls).toContain('pullImage');
    expect(calls).toContain('buildImage');
    const stale = events.find((event) => event.type === 'stale');
    expect(stale).toBeDefined();
    expect((stale as { reason: string }).reason).toContain(baseOnB);
  });

  it('unreachable registry: PULL_FAILED on B', async () => {
    const registry = `127.0.0.1:${await closedPort()}`;
    const { manager, calls } = countedManagerOnB({ imageRepository: repository(registry, 'down') });

    const error = await rejection(manager.ensure());
    expect(isSandboxImageError(error, 'PULL_FAILED')).toBe(true);
    const failure = error as Error & { details: Record<string, unknown> };
    expect(failure.details.registry).toBe(registry);
    expect(failure.details.statusCode).toBe(500);
    expect(failure.message).toContain(registry);
    expect(calls).not.toContain('buildImage');
  });

  it('unreachable registry: PUSH_FAILED on A, image kept', async () => {
    const registry = `127.0.0.1:${await closedPort()}`;
    const manager = managerOn(dockerA, { imageRepository: repository(registry, 'down'), sudo: 'none', push: true });
    const plan = await manager.plan();

    const error = await rejection(manager.ensure());
    expect(isSandboxImageError(error, 'PUSH_FAILED')).toBe(true);
    const failure = error as Error & { details: Record<string, unknown> };
    expect(failure.details.registry).toBe(registry);
    expect(failure.message).toContain(registry);
    expect(failure.details.image).toBe(plan.imageName);
    expect(await manager.client.inspectImage(plan.imageName)).toBeDefined();
    expect(runOn(undefined, plan.imageName, 'id', '-un')).toBe('sandbox');
  });

  it('rejected credentials: PULL_FAILED 401 on B', async () => {
    const env = authConfig(AUTH_REGISTRY, AUTH_USER, 'wrong-password');
    const { manager, calls } = countedManagerOnB({ imageRepository: repository(AUTH_REGISTRY, 'denied') }, env);

    const error = await rejection(manager.ensure());
    expect(isSandboxImageError(error, 'PULL_FAILED')).toBe(true);
    const failure = error as Error & { details: Record<string, unknown> };
    expect(failure.details.registry).toBe(AUTH_REGISTRY);
    expect(failure.details.statusCode).toBe(401);
    expect(failure.message).toContain(AUTH_REGISTRY);
    expect(failure.message).not.toContain('wrong-password');
    expect(calls).not.toContain('buildImage');
  });

  it('rejected credentials: PUSH_FAILED on A, image kept', async () => {
    const env = authConfig(AUTH_REGISTRY, AUTH_USER, 'wrong-password');
    const manager = managerOn(dockerA, { imageRepository: repository(AUTH_REGISTRY, 'denied'), sudo: 'none', push: true }, env);
    const plan = await manager.plan();

    const error = await rejection(manager.ensure());
    expect(isSandboxImageError(error, 'PUSH_FAILED')).toBe(true);
    const failure = error as Error & { details: Record<string, unknown> };
    expect(failure.details.registry).toBe(AUTH_REGISTRY);
    expect(failure.message).not.toContain('wrong-password');
    expect(runOn(undefined, plan.imageName, 'id', '-un')).toBe('sandbox');
  });

  it('valid credentials: push from A, pull on B', async () => {
    const env = authConfig(AUTH_REGISTRY, AUTH_USER, AUTH_PASSWORD);
    const imageRepository = repository(AUTH_REGISTRY, 'allowed');

    const onA = await managerOn(dockerA, { imageRepository, sudo: 'none', push: true }, env).ensure();
    expect(onA.built).toBe(true);
    const basic = `Basic ${Buffer.from(`${AUTH_USER}:${AUTH_PASSWORD}`).toString('base64')}`;
    expect(await tagsInRegistry(AUTH_REGISTRY, imageRepository, { authorization: basic })).toHaveLength(1);

    const { manager, calls } = countedManagerOnB({ imageRepository, sudo: 'none' }, env);
    const onB = await manager.ensure();
    expect(onB.pulled).toBe(true);
    expect(onB.imageId).toBe(onA.imageId);
    expect(calls).not.toContain('buildImage');
  });

  it('explicit push of a missing image fails', async () => {
    const name = `${repository(OPEN_REGISTRY, 'absent')}:no-such-tag`;
    const error = await rejection(managerOn(dockerA, {}).push(name));
    expect(isSandboxImageError(error, 'PUSH_FAILED')).toBe(true);
    expect((error as Error & { details: Record<string, unknown> }).details.registry).toBe(OPEN_REGISTRY);
  });
});
