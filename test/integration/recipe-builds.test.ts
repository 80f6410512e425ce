import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxImageManager, isSandboxImageError, type SandboxConfigInput } from '../../src/index.js';
import { buildTestImage, removeImages, runInImage, shellInImage, testBuildNetwork } from '../fixtures/recipe/engine.js';
import { createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository } from '../support/engine.js';

const docker = createTestDocker();
const repository = uniqueRepository('recipe');
const helperImages: string[] = [];

/** Builds the derived image of `config` and returns its name. */
async function ensure(config: SandboxConfigInput): Promise<string> {
  const manager = new SandboxImageManager({ docker, configFile: false, config: { imageRepository: repository, buildNetwork: testBuildNetwork, ...config } });
  return (await manager.ensure()).imageName;
}

/**
 * Builds and returns the error of a build that must fail. The classic builder keeps the
 * images of the steps before the failure; those this build made (not cache hits) are removed.
 */
async function ensureFails(config: SandboxConfigInput): Promise<Error> {
  const manager = new SandboxImageManager({ docker, configFile: false, config: { imageRepository: repository, buildNetwork: testBuildNetwork, ...config } });
  const made: string[] = [];
  let cached = false;
  const error = await manager
    .ensure({
      onProgress: (event) => {
        if (event.type !== 'build-output') return;
        const step = / ---> ([0-9a-f]{12})$/.exec(event.line);
        if (step && !cached) made.push(step[1]!);
        cached = event.line.includes('Using cache');
      },
    })
    .then(
      (result) => new Error(`The build of ${result.imageName} succeeded.`),
      (caught: unknown) => caught as Error,
    );
  for (const id of made.reverse()) await docker.getImage(id).remove().catch(() => undefined);
  expect(isSandboxImageError(error, 'BUILD_FAILED'), String(error)).toBe(true);
  return error;
}

/** Tags a helper base image built from `dockerfile`; it is removed after the tests. */
async function helperImage(label: string, dockerfile: string, networkMode = 'none'): Promise<string> {
  const name = `${uniqueRepository(label)}:base`;
  helperImages.push(name);
  await buildTestImage(docker, name, dockerfile, [], networkMode);
  return name;
}

describe.skipIf(!engineAvailable)(`recipe builds on ${testEngineKind} ${engineSkipReason}`, () => {
  afterAll(async () => {
    await removeRepository(docker, repository);
    await removeImages(docker, helperImages);
  });

  describe('from debian:bookworm-slim with every option', () => {
    const hostile = `a "b" 'c' $HOME \${X} $(id) \`id\` \\ # d 日本 😀 \\`;
    const filePath = `/opt/we ird/$x 'q' "d" \\b #1 é.txt`;
    let image: string;

    beforeAll(async () => {
      image = await ensure({
        baseImage: 'debian:bookworm-slim',
        userId: 1234,
        groupId: 2345,
        env: { HOSTILE: hostile, PLAIN: 'yes' },
        labels: { 'test.hostile': hostile },
        directories: [{ path: '/srv/data', mode: '0750' }, { path: '/srv/shared', mode: '1777', owner: 'root:root' }],
        files: [
          { path: filePath, content: 'weird\n', mode: '0640', owner: 'sandbox' },
          { path: '/usr/local/bin/hello', content: '#!/bin/sh\necho "hello $1"\n', mode: '0755' },
        ],
        steps: [
          { run: 'hello root > /srv/by-root && printf "%s" "$HOSTILE" > /srv/env-seen' },
          { run: 'id -un > "$HOME/by-user" && pwd > "$HOME/step-directory"', user: 'sandbox' },
        ],
      });
    });

    it('has the requested UID and GID', async () => {
      expect(await shellInImage(docker, image, 'id -u; id -g; id -un')).toBe('1234\n2345\nsandbox');
    });

    it('grants passwordless sudo', async () => {
      expect(await shellInImage(docker, image, 'sudo -n id -u 2>/dev/null')).toBe('0');
      expect(await shellInImage(docker, image, 'stat -c %a /etc/sudoers.d/sandbox-image', '0')).toBe('440');
    });

    it('gives home and workspace to the user', async () => {
      expect(await shellInImage(docker, image, 'stat -c "%u:%g %n" /home/sandbox /workspace; pwd')).toBe(
        '1234:2345 /home/sandbox\n1234:2345 /workspace\n/workspace',
      );
    });

    it('keeps environment values and labels exact', async () => {
      const details = await docker.getImage(image).inspect();
      expect(details.Config.Env).toContain(`HOSTILE=${hostile}`);
      expect(details.Config.Labels['test.hostile']).toBe(hostile);
      expect(await shellInImage(docker, image, 'printf "%s" "$HOSTILE"')).toBe(hostile.trim());
      expect(await shellInImage(docker, image, 'cat /srv/env-seen')).toBe(hostile.trim());
    });

    it('creates directories with mode and owner', async () => {
      expect(await shellInImage(docker, image, 'stat -c "%a %U:%G" /srv/data /srv/shared')).toBe('750 sandbox:sandbox\n1777 root:root');
    });

    it('copies files with mode and owner', async () => {
      const quoted = `'${filePath.replace(/'/g, `'\\''`)}'`;
      expect(await shellInImage(docker, image, `stat -c "%a %U:%G" ${quoted} /usr/local/bin/hello; cat ${quoted}`)).toBe(
        '640 sandbox:sandbox\n755 root:root\nweird',
      );
    });

    it('runs steps as root and as the user', async () => {
      expect(await shellInImage(docker, image, 'stat -c %U /srv/by-root; cat /srv/by-root ~/by-user ~/step-directory; stat -c %U ~/by-user')).toBe(
        'root\nhello root\nsandbox\n/workspace\nsandbox',
      );
    });

    it('ends as the sandbox user without the build context', async () => {
      const details = await docker.getImage(image).inspect();
      expect(details.Config.User).toBe('1234:2345');
      expect(await shellInImage(docker, image, 'ls -A /.sandbox-image 2>&1 || echo gone')).toContain('gone');
    });
  });

  describe('from a base whose UID 1000 is taken by ubuntu', () => {
    let base: string;
    beforeAll(async () => {
      base = await helperImage(
        'recipe-ubuntu-base',
        'FROM debian:bookworm-slim\nRUN ["useradd", "--create-home", "--user-group", "--uid", "1000", "--shell", "/bin/bash", "ubuntu"]\n',
      );
    });

    it('takes the account over by default', async () => {
      const image = await ensure({ baseImage: base });
      expect(await shellInImage(docker, image, 'id -u; id -g; id -un; id -gn')).toBe('1000\n1000\nsandbox\nsandbox');
      expect(await shellInImage(docker, image, 'getent passwd ubuntu || echo none; ls -A /home; ls -A ~ | grep -c bashrc')).toBe('none\nsandbox\n1');
      expect(await shellInImage(docker, image, 'sudo -n id -un 2>/dev/null')).toBe('root');
    });

    it('fails naming ubuntu with uidConflict fail', async () => {
      const error = await ensureFails({ baseImage: base, uidConflict: 'fail' });
      expect(error.message).toContain("UID 1000 already belongs to account 'ubuntu'");
    });

    it('removes the account with uidConflict remove', async () => {
      const image = await ensure({ baseImage: base, uidConflict: 'remove', sudo: 'none' });
      expect(await shellInImage(docker, image, 'id -u; id -un; getent passwd ubuntu || echo none; getent group 1000')).toBe(
        '1000\nsandbox\nnone\nsandbox:x:1000:',
      );
    });
  });

  describe('from a busybox-only base', () => {
    let base: string;
    beforeAll(async () => {
      // Two tagged builds rather than one multi-stage build, whose builder stage would stay untagged.
      const rootfs = await helperImage(
        'recipe-busybox-rootfs',
        [
          'FROM debian:bookworm-slim',
          'RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends busybox-static >/dev/null \\',
          ' && mkdir -p /rootfs/bin /rootfs/etc /rootfs/root && cp /bin/busybox /rootfs/bin/busybox \\',
          ' && for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "/rootfs/bin/$applet"; done \\',
          " && printf 'root:x:0:0:root:/root:/bin/sh\\n' > /rootfs/etc/passwd \\",
          " && printf 'root:x:0:\\n' > /rootfs/etc/group && printf 'root:*::0:::::\\n' > /rootfs/etc/shadow",
          '',
        ].join('\n'),
        testBuildNetwork ?? 'default',
      );
      base = await helperImage('recipe-busybox-base', `FROM scratch\nCOPY --from=${rootfs} /rootfs /\nCMD ["sh"]\n`);
    });

    it('has no package manager', async () => {
      expect(await shellInImage(docker, base, 'ls /bin | grep -cE "^(apt-get|apk|dnf|yum|zypper|pacman)$" || true')).toBe('0');
    });

    it('builds a recipe without packages', async () => {
      const image = await ensure({ baseImage: base, sudo: 'none' });
      expect(await shellInImage(docker, image, 'id -u; id -g; id -un; stat -c %u /home/sandbox /workspace')).toBe('1000\n1000\nsandbox\n1000\n1000');
      expect(await shellInImage(docker, image, 'grep sandbox /etc/passwd /etc/group /etc/shadow')).toBe(
        '/etc/passwd:sandbox:x:1000:1000::/home/sandbox:/bin/sh\n/etc/group:sandbox:x:1000:\n/etc/shadow:sandbox:!:::::::',
      );
    });

    it('fails for packages naming the managers', async () => {
      const error = await ensureFails({ baseImage: base, sudo: 'none', packages: ['git'] });
      expect(error.message).toContain(`no package manager found in ${base} (unknown family;`);
      expect(error.message).toContain('looked for: apt-get apk dnf microdnf yum zypper pacman');
      expect(error.message).toContain('cannot be installed: git');
    });
  });

  describe('from a base whose USER is not root', () => {
    it('ends as the sandbox user and keeps ENTRYPOINT and CMD', async () => {
      const base = await helperImage(
        'recipe-nonroot-base',
        [
          'FROM debian:bookworm-slim',
          'RUN ["useradd", "--create-home", "--uid", "1500", "app"]',
          'USER app',
          'WORKDIR /home/app',
          'ENTRYPOINT ["/bin/echo", "entry"]',
          'CMD ["from-cmd"]',
          '',
        ].join('\n'),
      );
      const image = await ensure({ baseImage: base, sudo: 'none' });
      const details = await docker.getImage(image).inspect();
      expect(details.Config.Entrypoint).toEqual(['/bin/echo', 'entry']);
      expect(details.Config.Cmd).toEqual(['from-cmd']);
      expect(details.Config.User).toBe('1000:1000');
      expect((await runInImage(docker, image, [])).output.trim()).toBe('entry from-cmd');
      expect(await shellInImage(docker, image, 'id -un; pwd')).toBe('sandbox\n/workspace');
    });
  });

  describe('with a download from a local server', () => {
    const payload = Buffer.from('#!/bin/sh\necho downloaded\n');
    const sha256 = createHash('sha256').update(payload).digest('hex');
    let server: Server;
    let url: string;

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url !== '/tool.sh') return response.writeHead(404).end();
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(payload);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tool.sh`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fails the build on a wrong sha256', async () => {
      const wrong = 'f'.repeat(64);
      const error = await ensureFails({ baseImage: 'debian:bookworm-slim', sudo: 'none', downloads: [{ url, sha256: wrong, path: '/opt/tool.sh' }] });
      expect(error.message).toContain(`checksum mismatch for ${url}: expected sha256 ${wrong}, got ${sha256}`);
    });

    it('installs the file with mode and owner', async () => {
      const image = await ensure({
        baseImage: 'debian:bookworm-slim',
        sudo: 'none',
        downloads: [{ url, sha256, path: '/opt/bin/tool.sh', mode: '0750', owner: 'sandbox:sandbox' }],
      });
      expect(await shellInImage(docker, image, 'stat -c "%a %U:%G" /opt/bin/tool.sh; /opt/bin/tool.sh')).toBe('750 sandbox:sandbox\ndownloaded');
    });
  });
});
