import { createTestDocker, testEngineKind } from '../support/engine.js';

/**
 * Checks once that the test engine answers. In CI (CI=true) a missing engine fails the run,
 * because integration tests must not be skipped there; elsewhere the tests are skipped with
 * the reason.
 */
export default async function setup(): Promise<void> {
  try {
    await createTestDocker().ping();
    process.env.SANDBOX_IMAGE_ENGINE_AVAILABLE = '1';
  } catch (error) {
    const reason = `no ${testEngineKind} engine answered (${(error as Error).message}); run scripts/engine-up.sh`;
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`Integration tests need a container engine in CI: ${reason}.`);
    }
    process.env.SANDBOX_IMAGE_ENGINE_AVAILABLE = '0';
    process.env.SANDBOX_IMAGE_ENGINE_SKIP_REASON = reason;
    console.warn(`Skipping integration tests: ${reason}.`);
  }
}
