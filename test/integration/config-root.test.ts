import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxImageManager } from '../../src/index.js';
import { createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('config-root');
const validDirectory = fileURLToPath(new URL('../fixtures/config/opendevin-valid/', import.meta.url));

function runInImage(image: string, ...command: string[]): string {
  return execFileSync('docker', ['run', '--rm', image, ...command], { encoding: 'utf8' }).trim();
}

describe.skipIf(!engineAvailable)(`config-driven builds on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(() => removeRepository(docker, repository));

  it('SANDBOX_USER_ID=0 builds an image that runs as root', async () => {
    const manager = new SandboxImageManager({
      docker,
      configFile: false,
      env: { SANDBOX_USER_ID: '0', SANDBOX_IMAGE_REPOSITORY: repository },
    });
    const plan = await manager.plan();
    expect(plan.resolved.sources.userId).toBe('env:SANDBOX_USER_ID');
    expect(plan.config.userId).toBe(0);

    const result = await manager.ensure();
    expect(result.built).toBe(true);
    expect(runInImage(result.imageName, 'id', '-u')).toBe('0');
    expect(runInImage(result.imageName, 'id', '-un')).toBe('root');
    expect(() => runInImage(result.imageName, 'getent', 'passwd', 'sandbox')).toThrow();
    expect(() => runInImage(result.imageName, 'getent', 'passwd', '1000')).toThrow();
  });

  it('guide config.toml builds UID 1001', async () => {
    const manager = new SandboxImageManager({ docker, cwd: validDirectory, env: {}, config: { imageRepository: repository } });
    const plan = await manager.plan();
    expect(plan.resolved.configFile).toBe(`${validDirectory}config.toml`);
    expect(plan.resolved.sources.userId).toBe(`file:${validDirectory}config.toml:6`);

    const result = await manager.ensure();
    expect(runInImage(result.imageName, 'id', '-u')).toBe('1001');
    expect(runInImage(result.imageName, 'id', '-un')).toBe('sandbox');
  });
});
