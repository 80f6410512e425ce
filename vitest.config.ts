import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Shell scripts are imported as text, as tsup's `.sh` text loader does in the build.
const shellScriptAsText = {
  name: 'shell-script-as-text',
  load(id: string) {
    if (!id.endsWith('.sh')) return undefined;
    return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
  },
};

export default defineConfig({
  plugins: [shellScriptAsText],
  test: {
    projects: [
      {
        plugins: [shellScriptAsText],
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        plugins: [shellScriptAsText],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
      {
        // The manager and ensure suites again, against Podman's Docker-compatible API service
        // (scripts/podman-up.sh). The engine helpers in test/support/engine.ts read the variable.
        plugins: [shellScriptAsText],
        test: {
          name: 'integration-podman',
          include: ['test/integration/manager*.test.ts', 'test/integration/ensure.test.ts'],
          env: { SANDBOX_IMAGE_TEST_ENGINE: 'podman' },
          testTimeout: 600_000,
          hookTimeout: 600_000,
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
      {
        // Packs the package and installs the tarball into a fresh project; needs npm, no engine.
        plugins: [shellScriptAsText],
        test: { name: 'pack', include: ['test/pack/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000 },
      },
    ],
  },
});
