import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { configError, fixture } from './support.js';

const cwdDirectory = fixture('discovery/cwd');
const cwdFile = fixture('discovery/cwd/config.toml');
const environmentFile = fixture('discovery/from-env.toml');
const explicitFile = fixture('discovery/explicit.toml');

describe('config file discovery', () => {
  it('reads config.toml in cwd', () => {
    const { configFile, values, sources } = resolveConfig({ cwd: cwdDirectory, env: {} });
    expect(configFile).toBe(cwdFile);
    expect(values.userId).toBe(1111);
    expect(sources.userId).toBe(`file:${cwdFile}:2`);
  });

  it('reads no file when cwd has none', () => {
    const { configFile, sources } = resolveConfig({ cwd: fixture(), env: {} });
    expect(configFile).toBeUndefined();
    expect(sources.userId).toBe('default');
  });

  it('SANDBOX_IMAGE_CONFIG beats config.toml in cwd', () => {
    const { configFile, values } = resolveConfig({ cwd: cwdDirectory, env: { SANDBOX_IMAGE_CONFIG: environmentFile } });
    expect(configFile).toBe(environmentFile);
    expect(values.userId).toBe(2222);
  });

  it('SANDBOX_IMAGE_CONFIG is relative to cwd', () => {
    const { configFile } = resolveConfig({ cwd: fixture('discovery'), env: { SANDBOX_IMAGE_CONFIG: 'from-env.toml' } });
    expect(configFile).toBe(environmentFile);
  });

  it('configFile beats SANDBOX_IMAGE_CONFIG and cwd', () => {
    const { configFile, values } = resolveConfig({
      cwd: cwdDirectory,
      configFile: explicitFile,
      env: { SANDBOX_IMAGE_CONFIG: environmentFile },
    });
    expect(configFile).toBe(explicitFile);
    expect(values.userId).toBe(3333);
  });

  it('configFile false reads no file at all', () => {
    const { configFile, sources } = resolveConfig({
      cwd: cwdDirectory,
      configFile: false,
      env: { SANDBOX_IMAGE_CONFIG: environmentFile },
    });
    expect(configFile).toBeUndefined();
    expect(sources.userId).toBe('default');
  });

  it('rejects a missing configFile', () => {
    const missing = fixture('discovery/missing.toml');
    const error = configError(() => resolveConfig({ configFile: missing, env: {} }));
    expect(error.message).toContain(`Config file ${missing} (from the configFile option or --config) was not found`);
    expect(error.message).toContain('configFile: false');
    expect(error.message).toContain('--no-config');
    expect(error.details.source).toBe('the configFile option');
  });

  it('rejects a missing SANDBOX_IMAGE_CONFIG file', () => {
    const missing = fixture('discovery/missing.toml');
    const error = configError(() => resolveConfig({ cwd: cwdDirectory, env: { SANDBOX_IMAGE_CONFIG: missing } }));
    expect(error.message).toContain(`Config file ${missing} (from environment variable SANDBOX_IMAGE_CONFIG) was not found`);
    expect(error.message).toContain('unset SANDBOX_IMAGE_CONFIG');
    expect(error.details.source).toBe('env:SANDBOX_IMAGE_CONFIG');
  });
});
