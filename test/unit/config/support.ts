import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { expect } from 'vitest';
import { isSandboxImageError, type SandboxImageError } from '../../../src/errors.js';
import { log } from '../../../src/log.js';

/** Absolute path of a file or directory under test/fixtures/config. */
export function fixture(name = ''): string {
  return fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
}

/** Runs `action`, expects it to throw `INVALID_CONFIG`, and returns the error. */
export function configError(action: () => unknown): SandboxImageError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an INVALID_CONFIG error, but nothing was thrown').toBeDefined();
  expect(isSandboxImageError(caught, 'INVALID_CONFIG'), `expected INVALID_CONFIG, got ${String(caught)}`).toBe(true);
  return caught as SandboxImageError;
}

/** Runs `action` with the `sandbox-image:config` debug stream captured, and returns its lines. */
export function captureConfigLog(action: () => unknown): string[] {
  const lines: string[] = [];
  const { enabled, log: output } = log.config;
  log.config.enabled = true;
  log.config.log = (...args: unknown[]) => lines.push(format(...args));
  try {
    action();
  } finally {
    log.config.enabled = enabled;
    log.config.log = output;
  }
  return lines;
}
