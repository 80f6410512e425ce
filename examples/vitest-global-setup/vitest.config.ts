import { defineConfig } from 'vitest/config';

// Test files run in parallel workers; the global setup runs once, before all of them.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 60_000,
    // The first run may build the image; later runs reuse it in about a second.
    hookTimeout: 600_000,
  },
});
