import type { SandboxRecipe } from '../../../src/recipe/types.js';

/** The recipe `recipeFromConfig` makes from the default config, for another base image. */
export function defaultRecipe(baseImage = 'debian:bookworm-slim'): SandboxRecipe {
  return {
    baseImage,
    user: { name: 'sandbox', uid: 1000, gid: 1000, home: '/home/sandbox', shell: '/bin/bash', uidConflict: 'take-over', sudo: 'nopasswd' },
    ssh: false,
    packages: [],
    env: {},
    workdir: '/workspace',
    directories: [],
    files: [],
    downloads: [],
    steps: [],
    labels: {},
    platform: undefined,
  };
}

/** A recipe that sets every option. */
export function fullRecipe(): SandboxRecipe {
  return {
    ...defaultRecipe('ubuntu:24.04'),
    user: { name: 'agent', uid: 1001, gid: 100, home: '/home/agent', shell: '/bin/bash', uidConflict: 'remove', sudo: 'nopasswd' },
    ssh: true,
    packages: ['git', 'python3-pip'],
    env: { LANG: 'C.UTF-8', GREETING: 'say "hi" to $USER \\ friends' },
    workdir: '/srv/work space',
    directories: [
      { path: '/opt/tools', mode: '0775', owner: 'agent:users' },
      { path: '/var/cache/agent' },
    ],
    files: [
      { path: '/etc/agent/config.toml', content: 'debug = true\n', mode: '0600', owner: 'agent' },
      { path: '/usr/local/bin/hello', content: '#!/bin/sh\necho hello\n', mode: '0755' },
    ],
    downloads: [
      {
        url: 'https://downloads.example.test/tool-1.2.tar.gz',
        sha256: 'a'.repeat(64),
        path: '/opt/tools/tool.tar.gz',
        mode: '0640',
        owner: '1001:100',
      },
    ],
    steps: [
      { run: 'tar -xzf /opt/tools/tool.tar.gz -C /opt/tools' },
      { run: 'git config --global user.name "Agent"', user: 'sandbox' },
      { run: 'pip install --user requests', user: 'sandbox' },
      { run: 'ldconfig' },
    ],
    labels: { 'org.opencontainers.image.title': 'agent sandbox', team: 'a$b' },
    entrypoint: ['/usr/bin/tini', '--'],
    cmd: ['bash', '-l'],
    platform: 'linux/amd64',
  };
}
