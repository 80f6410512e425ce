import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxConfigInput } from '../../src/config/types.js';
import { SandboxImageManager } from '../../src/manager/manager.js';
import { FakeDockerClient } from './fake-docker-client.js';

/** The normalised reference of the default base image, as the manager inspects it. */
export const BASE_REFERENCE = 'docker.io/library/debian:bookworm-slim';

/** A fake engine with the default base image, and managers on it that share one lock directory. */
export interface FakeSetup {
  client: FakeDockerClient;
  lockDirectory: string;
  /** A new manager, standing in for a process of its own: it shares only the engine and the lock directory. */
  manager(config?: SandboxConfigInput): SandboxImageManager;
  cleanup(): void;
}

export function createFakeSetup(options: { withBase?: boolean } = {}): FakeSetup {
  const client = new FakeDockerClient();
  if (options.withBase !== false) client.addImage(BASE_REFERENCE);
  const lockDirectory = mkdtempSync(join(tmpdir(), 'sandbox-image-test-locks-'));
  return {
    client,
    lockDirectory,
    manager: (config = {}) =>
      new SandboxImageManager({ docker: client, configFile: false, env: {}, lockDirectory, config: { baseImage: 'debian:bookworm-slim', ...config } }),
    cleanup: () => rmSync(lockDirectory, { recursive: true, force: true }),
  };
}
