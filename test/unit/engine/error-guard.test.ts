import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type ErrorModule = typeof import('../../../src/index.js');

const root = resolve(import.meta.dirname, '../../..');
let outDir: string | undefined;
let esm: ErrorModule;
let cjs: ErrorModule;

/**
 * Returns the package's built copies: dist/ when `npm run build` made it (as in CI), else a fresh
 * tsup build of the library entry inside node_modules/.cache, where imports still resolve.
 */
function builtCopies(): { esmPath: string; cjsPath: string } {
  const dist = join(root, 'dist');
  if (existsSync(join(dist, 'index.js')) && existsSync(join(dist, 'index.cjs'))) {
    return { esmPath: join(dist, 'index.js'), cjsPath: join(dist, 'index.cjs') };
  }
  outDir = mkdtempSync(join(root, 'node_modules', '.cache', 'sandbox-image-guard-'));
  execFileSync('npx', ['tsup', 'src/index.ts', '--no-config', '--format', 'esm,cjs', '--target', 'node20', '--loader', '.sh=text', '--out-dir', outDir], {
    cwd: root,
    stdio: 'ignore',
  });
  return { esmPath: join(outDir, 'index.js'), cjsPath: join(outDir, 'index.cjs') };
}

beforeAll(async () => {
  const { esmPath, cjsPath } = builtCopies();
  esm = (await import(pathToFileURL(esmPath).href)) as ErrorModule;
  cjs = createRequire(import.meta.url)(cjsPath) as ErrorModule;
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('isSandboxImageError across copies', () => {
  it('loads two distinct classes', () => {
    expect(esm.SandboxImageError).not.toBe(cjs.SandboxImageError);
  });

  it('recognises a CJS error from ESM', () => {
    const error = new cjs.SandboxImageError('LOCK_TIMEOUT', 'waited too long');
    expect(error instanceof esm.SandboxImageError).toBe(false);
    expect(esm.isSandboxImageError(error)).toBe(true);
    expect(esm.isSandboxImageError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect(esm.isSandboxImageError(error, 'ABORTED')).toBe(false);
  });

  it('recognises an ESM error from CJS', () => {
    const thrown = (() => {
      try {
        esm.parseImageReference('Not A Reference');
      } catch (error) {
        return error;
      }
    })();
    expect(cjs.isSandboxImageError(thrown, 'INVALID_REFERENCE')).toBe(true);
  });

  it('rejects look-alikes', () => {
    const fake = Object.assign(new Error('x'), { name: 'SandboxImageError', code: 'ABORTED' });
    expect(esm.isSandboxImageError(fake)).toBe(false);
    expect(cjs.isSandboxImageError(fake)).toBe(false);
    expect(esm.isSandboxImageError(undefined)).toBe(false);
  });
});
