import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { recipeFromConfig } from '../../../src/recipe/from-config.js';
import { renderSandboxDockerfile } from '../../../src/recipe/render.js';
import { captureConfigLog, configError, fixture } from './support.js';

const guideDirectory = fixture('opendevin-guide');
const guideFile = fixture('opendevin-guide/config.toml');
const validDirectory = fixture('opendevin-valid');
const validFile = fixture('opendevin-valid/config.toml');

describe('the OpenDevin guide file', () => {
  it('rejects the non-ASCII image name', () => {
    const error = configError(() => resolveConfig({ cwd: guideDirectory, env: {} }));
    expect(error.message).toContain(`config file ${guideFile} line 5`);
    expect(error.message).toContain('config.toml');
    expect(error.message).toContain('[core] sandbox_container_image');
    expect(error.message).toContain('"image_personnalisée"');
    expect(error.message).toContain('not a valid image reference');
    expect(error.message).toContain('character "é" (U+00E9)');
    expect(error.message).toContain('ASCII');
    expect(error.message).not.toContain('..');
    expect(error.details.source).toBe(`file:${guideFile}:5`);
    expect(error.details.key).toBe('[core] sandbox_container_image');
    expect(error.details.value).toBe('image_personnalisée');
  });

  it('resolves every [core] key with a valid image', () => {
    const { values, sources, configFile } = resolveConfig({ cwd: validDirectory, env: {} });
    expect(configFile).toBe(validFile);
    expect(values.userId).toBe(1001);
    expect(sources.userId).toBe(`file:${validFile}:6`);
    expect(values.baseImage).toBe('debian:bookworm-slim');
    expect(sources.baseImage).toBe(`file:${validFile}:5`);
    expect(values.runAsUser).toBe(true);
    expect(sources.runAsUser).toBe(`file:${validFile}:4`);
    expect(values.persistSandbox).toBe(false);
    expect(sources.persistSandbox).toBe(`file:${validFile}:3`);
    expect(values.workspaceBase).toBe('./workspace');
    expect(sources.workspaceBase).toBe(`file:${validFile}:2`);
    expect(values.groupId).toBe(1001);
    expect(sources.groupId).toBe('default');
    expect(sources.userName).toBe('default');
  });
});

describe('precedence', () => {
  it('SANDBOX_USER_ID overrides the file', () => {
    const { values, sources } = resolveConfig({ cwd: validDirectory, env: { SANDBOX_USER_ID: '2000' } });
    expect(values.userId).toBe(2000);
    expect(sources.userId).toBe('env:SANDBOX_USER_ID');
    expect(sources.baseImage).toBe(`file:${validFile}:5`);
  });

  it('an override in code beats file and environment', () => {
    const { values, sources } = resolveConfig({ cwd: validDirectory, env: { SANDBOX_USER_ID: '2000' }, overrides: { userId: 3000 } });
    expect(values.userId).toBe(3000);
    expect(sources.userId).toBe('override');
    expect(sources.baseImage).toBe(`file:${validFile}:5`);
  });

  it('an undefined override keeps the lower source', () => {
    const { values, sources } = resolveConfig({ cwd: validDirectory, env: { SANDBOX_USER_ID: '2000' }, overrides: { userId: undefined } });
    expect(values.userId).toBe(2000);
    expect(sources.userId).toBe('env:SANDBOX_USER_ID');
  });

  it('an empty variable counts as unset', () => {
    const { values, sources } = resolveConfig({ cwd: validDirectory, env: { SANDBOX_USER_ID: '' } });
    expect(values.userId).toBe(1001);
    expect(sources.userId).toBe(`file:${validFile}:6`);
  });

  it('SANDBOX_<KEY> beats RUN_AS_DEVIN, with a debug line', () => {
    let resolved: ReturnType<typeof resolveConfig> | undefined;
    const lines = captureConfigLog(() => {
      resolved = resolveConfig({ configFile: false, env: { SANDBOX_RUN_AS_USER: 'no', RUN_AS_DEVIN: 'true' } });
    });
    expect(resolved!.values.runAsUser).toBe(false);
    expect(resolved!.sources.runAsUser).toBe('env:SANDBOX_RUN_AS_USER');
    expect(lines.some((line) => line.includes('RUN_AS_DEVIN is ignored because SANDBOX_RUN_AS_USER is set'))).toBe(true);
  });
});

describe('booleans and their errors', () => {
  it('persist_sandbox="false" is false', () => {
    const file = fixture('persist-string.toml');
    const { values, sources } = resolveConfig({ configFile: file, env: {} });
    expect(values.persistSandbox).toBe(false);
    expect(sources.persistSandbox).toBe(`file:${file}:2`);
  });

  it('RUN_AS_DEVIN=maybe names variable and accepted values', () => {
    const error = configError(() => resolveConfig({ configFile: false, env: { RUN_AS_DEVIN: 'maybe' } }));
    expect(error.message).toContain('environment variable RUN_AS_DEVIN');
    expect(error.message).toContain('"maybe"');
    expect(error.message).toContain('accepted values are true, false, 1, 0, yes, no');
    expect(error.details.source).toBe('env:RUN_AS_DEVIN');
  });
});

describe('unknown keys', () => {
  it('suggests sandbox_user_id for sandbox_user_di', () => {
    const file = fixture('core-typo.toml');
    const error = configError(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.message).toContain('[core] sandbox_user_di');
    expect(error.message).toContain(`config file ${file} line 3`);
    expect(error.message).toContain('Did you mean sandbox_user_id?');
    expect(error.details.source).toBe(`file:${file}:3`);
  });

  it('suggests user_name for a typo in [sandbox]', () => {
    const file = fixture('sandbox-typo.toml');
    const error = configError(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.message).toContain('Unknown key [sandbox] user_nmae');
    expect(error.message).toContain('line 2');
    expect(error.message).toContain('Did you mean user_name?');
  });

  it('lists the known keys when nothing is close', () => {
    const file = fixture('sandbox-unknown.toml');
    const error = configError(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.message).toContain('Unknown key [sandbox] colour');
    expect(error.message).toContain('line 3');
    expect(error.message).toContain('Known keys are base_image,');
  });

  it('rejects an unknown option in code', () => {
    const error = configError(() => resolveConfig({ configFile: false, env: {}, overrides: { userNmae: 'dev' } as never }));
    expect(error.message).toContain('Unknown option "userNmae" in the options passed in code');
    expect(error.message).toContain('Did you mean userName?');
    expect(error.details.source).toBe('override');
  });

  it('rejects a [sandbox] that is not a table', () => {
    const file = fixture('sandbox-not-table.toml');
    const error = configError(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.message).toContain('sandbox must be a table');
    expect(error.message).toContain(`config file ${file} line 1`);
  });

  it('rejects a [sandbox] that is a date', () => {
    const file = fixture('sandbox-date.toml');
    const error = configError(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.message).toContain('sandbox must be a table');
  });
});

describe('UID 0', () => {
  it('SANDBOX_USER_ID=0 runs as root with no user', () => {
    const { values, sources } = resolveConfig({ configFile: false, env: { SANDBOX_USER_ID: '0' } });
    expect(values.userId).toBe(0);
    expect(sources.userId).toBe('env:SANDBOX_USER_ID');
    const recipe = recipeFromConfig(values);
    expect(recipe.user).toBeUndefined();
    const userLines = renderSandboxDockerfile(recipe).dockerfile.split('\n').filter((line) => line.startsWith('USER '));
    expect(userLines.at(-1)).toBe('USER root');
  });

  it('run_as_devin = false runs as root with no user', () => {
    const { values } = resolveConfig({ cwd: validDirectory, env: { RUN_AS_DEVIN: 'false' } });
    expect(values.userId).toBe(1001);
    expect(recipeFromConfig(values).user).toBeUndefined();
  });

  it('guide file creates user 1001', () => {
    const { values } = resolveConfig({ cwd: validDirectory, env: {} });
    expect(recipeFromConfig(values).user).toMatchObject({ name: 'sandbox', uid: 1001, gid: 1001 });
  });
});

describe('malformed TOML', () => {
  it('reports file, line and column', () => {
    const file = fixture('malformed.toml');
    const error = configError(() => resolveConfig({ configFile: file, env: {} }));
    expect(error.message).toContain(`Config file ${file} is not valid TOML at line 3, column 24`);
    expect(error.details.source).toBe(`file:${file}:3`);
  });
});

describe('OpenHands files', () => {
  it('reads [sandbox] base_container_image and user_id', () => {
    const file = fixture('openhands.toml');
    const { values, sources } = resolveConfig({ configFile: file, env: {} });
    expect(values.baseImage).toBe('python:3.12');
    expect(sources.baseImage).toBe(`file:${file}:7`);
    expect(values.userId).toBe(1234);
    expect(sources.userId).toBe(`file:${file}:8`);
    expect(values.runAsUser).toBe(true);
    expect(sources.runAsUser).toBe(`file:${file}:3`);
  });
});

describe('aliases', () => {
  it('the [sandbox] key beats its [core] alias, with a debug line', () => {
    const file = fixture('alias-and-key.toml');
    let resolved: ReturnType<typeof resolveConfig> | undefined;
    const lines = captureConfigLog(() => {
      resolved = resolveConfig({ configFile: file, env: {} });
    });
    expect(resolved!.values.baseImage).toBe('ubuntu:24.04');
    expect(resolved!.sources.baseImage).toBe(`file:${file}:6`);
    expect(resolved!.values.userId).toBe(1001);
    expect(resolved!.sources.userId).toBe(`file:${file}:3`);
    expect(lines.some((line) => line.includes('[core] sandbox_container_image is ignored because [sandbox] base_image is set'))).toBe(true);
  });
});

describe('aliases of one key', () => {
  it('the earlier alias wins, with a debug line', () => {
    const file = fixture('two-aliases.toml');
    let resolved: ReturnType<typeof resolveConfig> | undefined;
    const lines = captureConfigLog(() => {
      resolved = resolveConfig({ configFile: file, env: {} });
    });
    expect(resolved!.values.baseImage).toBe('python:3.12');
    expect(resolved!.sources.baseImage).toBe(`file:${file}:7`);
    expect(resolved!.values.runAsUser).toBe(true);
    expect(resolved!.sources.runAsUser).toBe(`file:${file}:4`);
    expect(lines.some((line) => line.includes('[core] sandbox_container_image is ignored because [sandbox] base_container_image is set'))).toBe(true);
    expect(lines.some((line) => line.includes('[core] run_as_devin is ignored because [core] run_as_openhands is set'))).toBe(true);
  });
});

describe('the resolved config', () => {
  it('is frozen to the leaves', () => {
    const resolved = resolveConfig({ configFile: fixture('full.toml'), env: {} });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.values)).toBe(true);
    expect(Object.isFrozen(resolved.sources)).toBe(true);
    expect(Object.isFrozen(resolved.values.packages)).toBe(true);
    expect(Object.isFrozen(resolved.values.env)).toBe(true);
    expect(Object.isFrozen(resolved.values.files[0])).toBe(true);
    expect(() => {
      (resolved.values as { userId: number }).userId = 1;
    }).toThrow(TypeError);
    expect(() => (resolved.values.packages as string[]).push('vim')).toThrow(TypeError);
  });

  it('does not freeze objects the caller passed', () => {
    const packages = ['git'];
    const env = { A: '1' };
    resolveConfig({ configFile: false, env: {}, overrides: { packages, env } });
    expect(Object.isFrozen(packages)).toBe(false);
    expect(Object.isFrozen(env)).toBe(false);
  });

  it('accepts file content as bytes from code', () => {
    const content = new Uint8Array([1, 2, 3]);
    const { values } = resolveConfig({ configFile: false, env: {}, overrides: { files: [{ path: '/bin/tool', content }] } });
    expect(values.files[0]!.content).toBe(content);
  });

  it('resolves file sources next to the config file', () => {
    const { values } = resolveConfig({ configFile: fixture('full.toml'), env: {} });
    expect(values.files[0]!.source).toBe(fixture('motd.txt'));
  });

  it('resolves file sources from the environment against cwd', () => {
    const env = { SANDBOX_FILES: '[{"path":"/etc/motd","source":"motd.txt"}]' };
    const { values, sources } = resolveConfig({ cwd: fixture(), configFile: false, env });
    expect(values.files[0]!.source).toBe(fixture('motd.txt'));
    expect(sources.files).toBe('env:SANDBOX_FILES');
  });

  it('lists values and sources in table order', () => {
    const resolved = resolveConfig({ cwd: validDirectory, env: {} });
    expect(Object.keys(resolved.sources)[0]).toBe('baseImage');
    expect(Object.keys(resolved.values)).toEqual(Object.keys(resolved.sources));
  });
});
