import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: ESM and CJS with matching declaration files (.d.ts and .d.cts).
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    loader: { '.sh': 'text' },
  },
  {
    // The command-line program, an ESM file with a shebang.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    loader: { '.sh': 'text' },
    banner: { js: '#!/usr/bin/env node' },
  },
]);
