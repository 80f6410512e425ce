import type { TestProject } from 'vitest/node';
import { availabilityVariable } from '../support/engine.js';
import Dockerode from 'dockerode';
import { resolveEngineAddress } from '../../src/engine/address.js';

/** Returns the engine a project tests: its `SANDBOX_IMAGE_TEST_ENGINE` env value, else Docker. */
function engineOf(project: TestProject): 'docker' | 'podman' {
  return project.config.env?.SANDBOX_IMAGE_TEST_ENGINE === 'podman' ? 'podman' : 'docker';
}

function clientFor(kind: 'docker' | 'podman'): Dockerode {
  if (kind === 'podman') return new Dockerode({ socketPath: process.env.SANDBOX_IMAGE_PODMAN_SOCKET ?? '/run/sandbox-image-podman.sock' });
  return new Dockerode(resolveEngineAddress().options);
}

/**
 * Checks once per project that its engine responds to a ping. In CI (CI=true) a missing engine fails the
 * run, because integration tests must not be skipped there; elsewhere the tests are skipped
 * with the reason.
 */
export default async function setup(project: TestProject): Promise<void> {
  const kind = engineOf(project);
  const variable = availabilityVariable(kind);
  try {
    await clientFor(kind).ping();
    process.env[variable] = '1';
  } catch (error) {
    const script = kind === 'podman' ? 'scripts/podman-up.sh' : 'scripts/engine-up.sh';
    const reason = `no ${kind} engine answered (${(error as Error).message}); run ${script}`;
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`Integration tests need a ${kind} engine in CI: ${reason}.`);
    }
    process.env[variable] = '0';
    process.env[`${variable}_SKIP_REASON`] = reason;
    console.warn(`Skipping ${kind} integration tests: ${reason}.`);
  }
}
