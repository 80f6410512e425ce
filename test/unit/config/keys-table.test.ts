import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, type KeyDefinition } from '../../../src/config/keys.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { SandboxConfig } from '../../../src/config/types.js';
import { configError } from './support.js';

/**
 * Test cases for one key. `toml` contains TOML value literals, `env` environment strings and
 * `code` values given in code. Each invalid case carries a pattern that its message must
 * match, which states what is accepted.
 */
interface KeyCases {
  toml: { valid: [literal: string, expected: unknown][]; invalid: [literal: string, accepted: RegExp][] };
  env: { valid: [text: string, expected: unknown][]; invalid: [text: string, accepted: RegExp][] };
  code: { valid: [value: unknown, expected: unknown][]; invalid: [value: unknown, accepted: RegExp][] };
}

const SHA = 'a'.repeat(64);
const BOOLEAN_ACCEPTED = /accepted values are true, false, 1, 0, yes, no \(in any case\)/;
const ID_ACCEPTED = /accepted values are integers from 0 to 2147483647/;
const USER_NAME_ACCEPTED = /use a lowercase letter or `_` first, then lowercase letters, digits, `_` or `-`, at most 32 characters/;

function booleanCases(): KeyCases {
  const words: [string, boolean][] = [
    ['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['no', false],
    ['TRUE', true], ['False', false], ['YES', true], ['No', false], ['yEs', true], ['nO', false],
  ];
  return {
    toml: {
      valid: [['true', true], ['false', false], ...words.map(([word, value]): [string, boolean] => [JSON.stringify(word), value])],
      invalid: [['"maybe"', BOOLEAN_ACCEPTED], ['1', BOOLEAN_ACCEPTED], ['""', BOOLEAN_ACCEPTED], ['"on"', BOOLEAN_ACCEPTED], ['"2"', BOOLEAN_ACCEPTED]],
    },
    env: { valid: words, invalid: [['maybe', BOOLEAN_ACCEPTED], ['on', BOOLEAN_ACCEPTED], ['y', BOOLEAN_ACCEPTED], ['2', BOOLEAN_ACCEPTED], ['-1', BOOLEAN_ACCEPTED]] },
    code: { valid: [[true, true], [false, false], ['no', false]], invalid: [[1, BOOLEAN_ACCEPTED], [null, BOOLEAN_ACCEPTED]] },
  };
}

function idCases(): KeyCases {
  return {
    toml: {
      valid: [['0', 0], ['1', 1], ['1001', 1001], ['"1001"', 1001], ['"0"', 0], ['2147483647', 2147483647], ['"2147483647"', 2147483647], ['0x3E9', 1001]],
      invalid: [['-1', ID_ACCEPTED], ['2147483648', ID_ACCEPTED], ['"2147483648"', ID_ACCEPTED], ['1.5', ID_ACCEPTED], ['"abc"', ID_ACCEPTED], ['"-1"', ID_ACCEPTED], ['"1e3"', ID_ACCEPTED], ['true', ID_ACCEPTED], ['""', ID_ACCEPTED]],
    },
    env: {
      valid: [['0', 0], ['1001', 1001], ['2147483647', 2147483647], [' 42 ', 42]],
      invalid: [['2147483648', ID_ACCEPTED], ['-1', ID_ACCEPTED], ['abc', ID_ACCEPTED], ['1.0', ID_ACCEPTED], ['0x10', ID_ACCEPTED], [' ', ID_ACCEPTED]],
    },
    code: { valid: [[0, 0], [2147483647, 2147483647], ['1001', 1001]], invalid: [[-1, ID_ACCEPTED], [2147483648, ID_ACCEPTED], [1.5, ID_ACCEPTED], [Number.NaN, ID_ACCEPTED]] },
  };
}

function choiceCases(choices: string[]): KeyCases {
  const accepted = new RegExp(`accepted values are ${choices.map((choice) => `"${choice}"`).join(', ')}`);
  return {
    toml: { valid: choices.map((choice) => [JSON.stringify(choice), choice]), invalid: [['"sometimes"', accepted], [JSON.stringify(choices[0]!.toUpperCase()), accepted], ['true', accepted]] },
    env: { valid: choices.map((choice) => [choice, choice]), invalid: [['sometimes', accepted], [` ${choices[0]}`, accepted]] },
    code: { valid: [[choices[1], choices[1]]], invalid: [['sometimes', accepted]] },
  };
}

function durationCases(): KeyCases {
  const accepted = /accepted values are integers from 0 to 9007199254740991/;
  return {
    toml: { valid: [['0', 0], ['60000', 60000], ['"1500"', 1500]], invalid: [['-1', accepted], ['1.5', accepted], ['"soon"', accepted]] },
    env: { valid: [['0', 0], ['120000', 120000]], invalid: [['-5', accepted], ['1e3', accepted], ['10s', accepted]] },
    code: { valid: [[30000, 30000]], invalid: [[-1, accepted], [0.5, accepted]] },
  };
}

const NAME_32 = `a${'b'.repeat(31)}`;

/** One entry per option; a key added to CONFIG_KEYS without an entry here fails the coverage test. */
const CASES: Record<keyof SandboxConfig, KeyCases> = {
  baseImage: {
    toml: {
      valid: [['"ubuntu:24.04"', 'ubuntu:24.04'], ['"python"', 'python'], [`"localhost:5000/team/img@sha256:${SHA}"`, `localhost:5000/team/img@sha256:${SHA}`]],
      invalid: [['"image_personnalisée"', /not a valid image reference: character "é" \(U\+00E9\)/], ['"Ubuntu:24.04"', /not a valid image reference/], ['""', /not a valid image reference: the reference is empty/], ['5', /a string is expected/]],
    },
    env: { valid: [['python:3.12', 'python:3.12']], invalid: [['docker://ubuntu', /not a valid image reference: a URL scheme/], ['ubuntu:', /not a valid image reference/]] },
    code: { valid: [['debian:bookworm', 'debian:bookworm']], invalid: [['Bad Image', /not a valid image reference/], [42, /a string is expected/]] },
  },
  imageRepository: {
    toml: {
      valid: [['"localhost:5000/team/sandbox"', 'localhost:5000/team/sandbox'], ['"sandbox"', 'sandbox']],
      invalid: [['"localhost/sandbox:tag"', /a repository without tag or digest is expected/], ['"Team/Sandbox"', /not a valid image reference/]],
    },
    env: { valid: [['localhost/mine', 'localhost/mine']], invalid: [['localhost/mine:v1', /a repository without tag or digest is expected/]] },
    code: { valid: [['localhost/x', 'localhost/x']], invalid: [['x@sha256:' + SHA, /a repository without tag or digest is expected/]] },
  },
  userName: {
    toml: {
      valid: [['"dev"', 'dev'], ['"_svc"', '_svc'], ['"a-b_c1"', 'a-b_c1'], [`"${NAME_32}"`, NAME_32], ['"openhands"', 'openhands']],
      invalid: [
        ['"Dev"', USER_NAME_ACCEPTED], ['"1abc"', USER_NAME_ACCEPTED], ['"-dev"', USER_NAME_ACCEPTED], ['"a.b"', USER_NAME_ACCEPTED],
        [`"${NAME_32}c"`, USER_NAME_ACCEPTED], ['""', USER_NAME_ACCEPTED], ['"dev$"', USER_NAME_ACCEPTED], ['"dév"', USER_NAME_ACCEPTED],
        ['"a b"', USER_NAME_ACCEPTED], ['"root"', /"root" is reserved. Set user_id to 0/], ['7', /a string is expected/],
      ],
    },
    env: { valid: [['agent', 'agent']], invalid: [['Agent', USER_NAME_ACCEPTED], ['root', /"root" is reserved/]] },
    code: { valid: [['worker', 'worker']], invalid: [['user;rm', USER_NAME_ACCEPTED]] },
  },
  userId: idCases(),
  groupId: idCases(),
  runAsUser: booleanCases(),
  sudo: choiceCases(['nopasswd', 'none']),
  ssh: booleanCases(),
  packages: {
    toml: {
      valid: [['["git", "curl"]', ['git', 'curl']], ['[]', []], ['["python3=3.11.2-1", "g++"]', ['python3=3.11.2-1', 'g++']]],
      invalid: [['"git"', /an array of strings is expected/], ['["git; rm -rf /"]', /package "git; rm -rf \/" is not a valid package name/], ['[1]', /an array of strings is expected/]],
    },
    env: {
      valid: [['git, curl', ['git', 'curl']], ['["vim"]', ['vim']], ['git,,curl,', ['git', 'curl']]],
      invalid: [['git;rm', /not a valid package name/], ['[1]', /an array of strings is expected/], ['["unclosed', /the JSON is invalid/]],
    },
    code: { valid: [[['jq'], ['jq']]], invalid: [['jq', /an array of strings is expected/]] },
  },
  env: {
    toml: {
      valid: [['{ LANG = "C.UTF-8", EMPTY = "" }', { LANG: 'C.UTF-8', EMPTY: '' }], ['{}', {}]],
      invalid: [['{ "1X" = "y" }', /name "1X" is not a valid environment variable name/], ['{ A = 1 }', /a table of strings is expected/], ['{ A = "x\\ny" }', /the value of "A" contains a newline/], ['["A=1"]', /a table of strings is expected/]],
    },
    env: {
      valid: [['A=1,B=x=y', { A: '1', B: 'x=y' }], ['{"A":"1"}', { A: '1' }]],
      invalid: [['novalue', /entry "novalue" is not of the form NAME=VALUE/], ['A=a,b', /entry "b" is not of the form NAME=VALUE; for a value that contains a comma, use the JSON form/], ['{bad', /the JSON is invalid/], ['{"A":1}', /a table of strings is expected/]],
    },
    code: { valid: [[{ PATH_EXTRA: '/opt/bin' }, { PATH_EXTRA: '/opt/bin' }]], invalid: [[{ 'BAD-NAME': 'x' }, /not a valid environment variable name/]] },
  },
  workdir: {
    toml: { valid: [['"/work"', '/work'], ['"/etc/app"', '/etc/app']], invalid: [['"work"', /is not an absolute path/], ['"/a/../b"', /contains a `\.` or `\.\.` component/], ['"/"', /is a system directory/], ['"/etc"', /is a system directory/]] },
    env: { valid: [['/srv/app', '/srv/app']], invalid: [['relative/dir', /is not an absolute path/]] },
    code: { valid: [['/home/dev', '/home/dev']], invalid: [['', /is not an absolute path/]] },
  },
  pull: choiceCases(['missing', 'always', 'never']),
  rebuild: choiceCases(['if-stale', 'never', 'always']),
  platform: {
    toml: {
      valid: [['"linux/amd64"', 'linux/amd64'], ['"linux/arm64/v8"', 'linux/arm64/v8'], ['""', undefined]],
      invalid: [['"linux"', /is not a platform; write `os\/architecture\[\/variant\]`/], ['"Linux/AMD64"', /is not a platform/]],
    },
    env: { valid: [['linux/arm/v7', 'linux/arm/v7']], invalid: [['amd64', /is not a platform/]] },
    code: { valid: [['linux/amd64', 'linux/amd64'], ['', undefined]], invalid: [['linux amd64', /is not a platform/]] },
  },
  uidConflict: choiceCases(['take-over', 'fail', 'remove']),
  push: booleanCases(),
  directories: {
    toml: {
      valid: [['[{ path = "/data", mode = "0700", owner = "dev:dev" }]', [{ path: '/data', mode: '0700', owner: 'dev:dev' }]]],
      invalid: [
        ['[{ path = "data" }]', /entry 1 field "path" value "data" is not an absolute path/],
        ['[{ path = "/d", mode = 755 }]', /entry 1 field "mode" must be a string; write it in quotes, such as "0644"/],
        ['[{ pth = "/d" }]', /entry 1 has unknown field "pth"; did you mean "path"\?/],
        ['[{ mode = "0755" }]', /entry 1 is missing the required field "path"/],
      ],
    },
    env: { valid: [['[{"path":"/cache"}]', [{ path: '/cache' }]]], invalid: [['/cache', /the JSON is invalid/], ['{"path":"/c"}', /a JSON array of objects is expected/]] },
    code: { valid: [[[{ path: '/x' }], [{ path: '/x' }]]], invalid: [[[{ path: '/x', mode: '999' }], /is not an octal mode/]] },
  },
  files: {
    toml: {
      valid: [['[{ path = "/etc/motd", content = "hi", mode = "0644" }]', [{ path: '/etc/motd', content: 'hi', mode: '0644' }]]],
      invalid: [
        ['[{ path = "/etc/motd" }]', /entry 1 must set exactly one of "content" and "source"/],
        ['[{ path = "/a", content = "x", source = "y" }]', /entry 1 must set exactly one of "content" and "source"/],
        ['[{ path = "/a", content = "x", owner = "Bad User" }]', /is not a valid owner/],
      ],
    },
    env: { valid: [['[{"path":"/a","content":"x"}]', [{ path: '/a', content: 'x' }]]], invalid: [['[{"path":"/a"}]', /exactly one of "content" and "source"/]] },
    code: { valid: [[[{ path: '/a', content: 'x' }], [{ path: '/a', content: 'x' }]]], invalid: [[[{ path: 'a', content: 'x' }], /is not an absolute path/]] },
  },
  downloads: {
    toml: {
      valid: [[`[{ url = "https://example.com/tool", sha256 = "${SHA}", path = "/usr/local/bin/tool" }]`, [{ url: 'https://example.com/tool', sha256: SHA, path: '/usr/local/bin/tool' }]]],
      invalid: [
        [`[{ url = "ftp://example.com/tool", sha256 = "${SHA}", path = "/t" }]`, /is not an http:\/\/ or https:\/\/ URL/],
        ['[{ url = "https://example.com/tool", sha256 = "abc", path = "/t" }]', /is not a SHA-256 checksum; write 64 lowercase hexadecimal digits/],
        [`[{ url = "https://example.com/tool", path = "/t" }]`, /missing the required field "sha256"/],
      ],
    },
    env: {
      valid: [[`[{"url":"http://127.0.0.1:8080/f","sha256":"${SHA}","path":"/f"}]`, [{ url: 'http://127.0.0.1:8080/f', sha256: SHA, path: '/f' }]]],
      invalid: [['[{"url":"x"}]', /is not a valid URL/]],
    },
    code: { valid: [[[{ url: 'https://example.com/a', sha256: SHA, path: '/a' }], [{ url: 'https://example.com/a', sha256: SHA, path: '/a' }]]], invalid: [[[{ url: 'https://example.com/a', sha256: SHA.toUpperCase(), path: '/a' }], /is not a SHA-256 checksum/]] },
  },
  steps: {
    toml: {
      valid: [['[{ run = "echo hi" }, { run = "id", user = "sandbox" }]', [{ run: 'echo hi' }, { run: 'id', user: 'sandbox' }]]],
      invalid: [['[{ run = "" }]', /entry 1 field "run" value "" is empty/], ['[{ run = "id", user = "admin" }]', /is not "root" or "sandbox"/], ['[{ command = "id" }]', /unknown field "command"/]],
    },
    env: { valid: [['[{"run":"true"}]', [{ run: 'true' }]]], invalid: [['echo hi', /the JSON is invalid/]] },
    code: { valid: [[[{ run: 'make' }], [{ run: 'make' }]]], invalid: [[[{ run: '   ' }], /is empty/]] },
  },
  labels: {
    toml: {
      valid: [['{ team = "agents", "org.opencontainers.image.title" = "x" }', { team: 'agents', 'org.opencontainers.image.title': 'x' }]],
      invalid: [['{ "sandbox-image.base" = "x" }', /uses the prefix `sandbox-image\.`/], ['{ "-x" = "y" }', /is not a valid label key/]],
    },
    env: { valid: [['team=agents', { team: 'agents' }]], invalid: [['=x', /is not of the form NAME=VALUE/]] },
    code: { valid: [[{ a: 'b' }, { a: 'b' }]], invalid: [[{ a: 'line\nbreak' }, /contains a newline/]] },
  },
  workspaceBase: {
    toml: { valid: [['"./workspace"', './workspace'], ['"/srv/work"', '/srv/work']], invalid: [['5', /a string is expected/], ['false', /a string is expected/]] },
    env: { valid: [['/tmp/ws', '/tmp/ws']], invalid: [] },
    code: { valid: [['ws', 'ws']], invalid: [[1, /a string is expected/]] },
  },
  persistSandbox: booleanCases(),
  buildNetwork: {
    toml: { valid: [['"host"', 'host'], ['"my-net"', 'my-net'], ['""', undefined]], invalid: [['"bad net"', /is not a network name/], ['1', /a string is expected/]] },
    env: { valid: [['none', 'none']], invalid: [['-net', /is not a network name/]] },
    code: { valid: [['bridge', 'bridge']], invalid: [['a/b', /is not a network name/]] },
  },
  timeoutMs: durationCases(),
  lockTimeoutMs: durationCases(),
};

const directory = mkdtempSync(join(tmpdir(), 'sandbox-image-config-keys-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let fileCount = 0;

/** Writes `[table]` with one `key = literal` line (line 2) and returns the file's path. */
function writeToml(table: string, key: string, literal: string): string {
  fileCount += 1;
  const path = join(directory, `case-${fileCount}.toml`);
  writeFileSync(path, `[${table}]\n${key} = ${literal}\n`);
  return path;
}

function label(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

describe('CONFIG_KEYS coverage', () => {
  it('has test cases for every key', () => {
    const missing = CONFIG_KEYS.map((definition) => definition.option).filter((option) => !(option in CASES));
    expect(missing, 'keys without test cases in CASES').toEqual([]);
  });

  it('has no test cases for removed keys', () => {
    const options = new Set<string>(CONFIG_KEYS.map((definition) => definition.option));
    expect(Object.keys(CASES).filter((option) => !options.has(option))).toEqual([]);
  });

  it('names every [sandbox] key SANDBOX_<KEY> first', () => {
    for (const definition of CONFIG_KEYS) {
      expect(definition.env[0], definition.option).toBe(`SANDBOX_${definition.toml.toUpperCase()}`);
    }
  });

  it('reads the OpenDevin variables', () => {
    const names = CONFIG_KEYS.flatMap((definition) => definition.env);
    for (const name of ['SANDBOX_CONTAINER_IMAGE', 'SANDBOX_USER_ID', 'RUN_AS_DEVIN', 'PERSIST_SANDBOX', 'WORKSPACE_BASE']) {
      expect(names, name).toContain(name);
    }
  });

  it('uses each TOML key, alias and variable once', () => {
    const tomlKeys = CONFIG_KEYS.flatMap((definition) => [`sandbox.${definition.toml}`, ...definition.aliases.map((alias) => `${alias.table}.${alias.key}`)]);
    const variables = CONFIG_KEYS.flatMap((definition) => definition.env);
    expect(new Set(tomlKeys).size).toBe(tomlKeys.length);
    expect(new Set(variables).size).toBe(variables.length);
  });

  it('gives every key a docs type, default and description', () => {
    for (const definition of CONFIG_KEYS) {
      expect(definition.type.length, definition.option).toBeGreaterThan(0);
      expect(definition.defaultText.length, definition.option).toBeGreaterThan(0);
      expect(definition.description.length, definition.option).toBeGreaterThan(0);
    }
  });
});

/** Lists every place a key can be written in a file: its `[sandbox]` key, then each alias. */
function fileSpellings(definition: KeyDefinition): { table: string; key: string }[] {
  return [{ table: 'sandbox', key: definition.toml }, ...definition.aliases];
}

describe.each(CONFIG_KEYS.map((definition) => [definition.option, definition] as const))('key %s', (option, definition) => {
  const cases = CASES[option];

  it('has valid and invalid cases', () => {
    expect(cases, `no test cases for ${option}`).toBeDefined();
    expect(cases.toml.valid.length).toBeGreaterThan(0);
    expect(cases.toml.invalid.length).toBeGreaterThan(0);
    expect(cases.env.valid.length).toBeGreaterThan(0);
    expect(cases.code.valid.length).toBeGreaterThan(0);
  });

  it('defaults when unset', () => {
    const { sources } = resolveConfig({ configFile: false, env: {} });
    expect(sources[option]).toBe('default');
  });

  for (const spelling of fileSpellings(definition)) {
    const where = `[${spelling.table}] ${spelling.key}`;

    it.each(cases.toml.valid)(`${where} = %s is valid`, (literal, expected) => {
      const path = writeToml(spelling.table, spelling.key, literal);
      const { values, sources } = resolveConfig({ configFile: path, env: {} });
      expect(values[option]).toEqual(expected);
      expect(sources[option]).toBe(`file:${path}:2`);
    });

    it.each(cases.toml.invalid)(`${where} = %s is invalid`, (literal, accepted) => {
      const path = writeToml(spelling.table, spelling.key, literal);
      const error = configError(() => resolveConfig({ configFile: path, env: {} }));
      expect(error.message).toContain(`for ${where} in config file ${path} line 2: `);
      expect(error.message).toMatch(accepted);
      expect(error.details.source).toBe(`file:${path}:2`);
      expect(error.details.key).toBe(where);
    });
  }

  for (const name of definition.env) {
    it.each(cases.env.valid)(`${name}=%s is valid`, (text, expected) => {
      const { values, sources } = resolveConfig({ configFile: false, env: { [name]: text } });
      expect(values[option]).toEqual(expected);
      expect(sources[option]).toBe(`env:${name}`);
    });

    it.each(cases.env.invalid.length > 0 ? cases.env.invalid : [])(`${name}=%s is invalid`, (text, accepted) => {
      const error = configError(() => resolveConfig({ configFile: false, env: { [name]: text } }));
      expect(error.message).toContain(`in environment variable ${name} (key ${definition.toml}): `);
      expect(error.message).toMatch(accepted);
      expect(error.details.source).toBe(`env:${name}`);
    });
  }

  it.each(cases.code.valid.map(([value, expected]) => [label(value), value, expected] as const))('code %s is valid', (_, value, expected) => {
    const { values, sources } = resolveConfig({ configFile: false, env: {}, overrides: { [option]: value } });
    expect(values[option]).toEqual(expected);
    expect(sources[option]).toBe('override');
  });

  it.each(cases.code.invalid.map(([value, accepted]) => [label(value), value, accepted] as const))('code %s is invalid', (_, value, accepted) => {
    const error = configError(() => resolveConfig({ configFile: false, env: {}, overrides: { [option]: value } }));
    expect(error.message).toContain(`for option ${option} in the options passed in code: `);
    expect(error.message).toMatch(accepted);
    expect(error.details.source).toBe('override');
  });
});
