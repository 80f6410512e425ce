import { describe, expect, it } from 'vitest';
import { isSandboxImageError } from '../../../src/errors.js';
import { renderSandboxDockerfile } from '../../../src/recipe/render.js';
import { defaultRecipe, fullRecipe } from './recipes.js';

/** The Dockerfile without its LABEL instruction, whose fingerprint changes with the script. */
function body(dockerfile: string): string {
  return dockerfile.slice(0, dockerfile.indexOf('LABEL '));
}

describe('renderSandboxDockerfile per distribution family', () => {
  // The Dockerfile is the same for every family: provision.sh picks the package manager from
  // /etc/os-release inside the image, never from the image name.
  it('renders debian:bookworm-slim', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('debian:bookworm-slim')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/debian:bookworm-slim
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders ubuntu:24.04', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('ubuntu:24.04')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/ubuntu:24.04
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders alpine:3.20', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('alpine:3.20')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/alpine:3.20
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders fedora:41', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('fedora:41')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/fedora:41
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders rockylinux:9-minimal', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('rockylinux:9-minimal')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/rockylinux:9-minimal
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders opensuse/tumbleweed', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('opensuse/tumbleweed')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/opensuse/tumbleweed:latest
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders archlinux:latest', () => {
    expect(body(renderSandboxDockerfile(defaultRecipe('archlinux:latest')).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/archlinux:latest
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER 1000:1000
      "
    `);
  });

  it('renders a root recipe without user', () => {
    const recipe = { ...defaultRecipe('alpine:3.20'), user: undefined };
    expect(body(renderSandboxDockerfile(recipe).dockerfile)).toMatchInlineSnapshot(`
      "FROM docker.io/library/alpine:3.20
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      WORKDIR "/workspace"
      USER root
      "
    `);
  });
});

describe('renderSandboxDockerfile with every option', () => {
  const rendered = renderSandboxDockerfile(fullRecipe());

  it('renders the Dockerfile', () => {
    expect(rendered.dockerfile.replace(rendered.fingerprint, '<fingerprint>')).toMatchInlineSnapshot(`
      "FROM docker.io/library/ubuntu:24.04
      USER root
      COPY [".sandbox-image", "/.sandbox-image"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]
      COPY --chown=agent ["files/0", "/etc/agent/config.toml"]
      COPY --chown=0:0 ["files/1", "/usr/local/bin/hello"]
      ADD --chown=1001:100 ["https://downloads.example.test/tool-1.2.tar.gz", "/opt/tools/tool.tar.gz"]
      RUN ["/bin/sh", "/.sandbox-image/provision.sh", "finish"]
      ENV LANG="C.UTF-8" \\
          GREETING="say \\"hi\\" to \\$USER \\\\ friends"
      WORKDIR "/srv/work space"
      RUN ["/bin/sh", "-c", "tar -xzf /opt/tools/tool.tar.gz -C /opt/tools"]
      USER 1001:100
      RUN ["/bin/sh", "-c", "git config --global user.name \\"Agent\\""]
      RUN ["/bin/sh", "-c", "pip install --user requests"]
      USER root
      RUN ["/bin/sh", "-c", "ldconfig"]
      USER 1001:100
      ENTRYPOINT ["/usr/bin/tini", "--"]
      CMD ["bash", "-l"]
      LABEL org.opencontainers.image.title="agent sandbox" \\
            team="a\\$b" \\
            sandbox-image.recipe="<fingerprint>" \\
            sandbox-image.base.ref="docker.io/library/ubuntu:24.04" \\
            sandbox-image.user="agent" \\
            sandbox-image.uid="1001" \\
            sandbox-image.gid="100"
      "
    `);
  });

  it('puts every value in a context file', () => {
    const listing = rendered.files
      .filter((file) => file.path !== '.sandbox-image/provision.sh')
      .map((file) => `${file.path} ${file.mode.toString(8)} ${JSON.stringify(String(file.content))}`);
    expect(listing.join('\n')).toMatchInlineSnapshot(`
      ".sandbox-image/values/base 644 "docker.io/library/ubuntu:24.04\\n"
      .sandbox-image/values/create_user 644 "1\\n"
      .sandbox-image/values/user_name 644 "agent\\n"
      .sandbox-image/values/uid 644 "1001\\n"
      .sandbox-image/values/gid 644 "100\\n"
      .sandbox-image/values/home 644 "/home/agent\\n"
      .sandbox-image/values/shell 644 "/bin/bash\\n"
      .sandbox-image/values/uid_conflict 644 "remove\\n"
      .sandbox-image/values/sudo 644 "nopasswd\\n"
      .sandbox-image/values/ssh 644 "1\\n"
      .sandbox-image/values/workdir 644 "/srv/work space\\n"
      .sandbox-image/values/last_phase 644 "finish\\n"
      .sandbox-image/values/packages 644 "git\\npython3-pip\\n"
      .sandbox-image/directories/0/path 644 "/opt/tools\\n"
      .sandbox-image/directories/0/mode 644 "0775\\n"
      .sandbox-image/directories/0/owner 644 "agent:users\\n"
      .sandbox-image/directories/1/path 644 "/var/cache/agent\\n"
      .sandbox-image/directories/1/mode 644 "0755\\n"
      .sandbox-image/directories/1/owner 644 "1001:100\\n"
      .sandbox-image/downloads/0/path 644 "/opt/tools/tool.tar.gz\\n"
      .sandbox-image/downloads/0/url 644 "https://downloads.example.test/tool-1.2.tar.gz\\n"
      .sandbox-image/downloads/0/sha256 644 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\n"
      .sandbox-image/downloads/0/mode 644 "0640\\n"
      files/0 600 "debug = true\\n"
      files/1 755 "#!/bin/sh\\necho hello\\n""
    `);
  });

  it('ships the provisioning script as an executable', () => {
    const script = rendered.files.find((file) => file.path === '.sandbox-image/provision.sh');
    expect(script?.mode).toBe(0o755);
    expect(String(script?.content)).toMatch(/^#!\/bin\/sh\n/);
  });

  it('labels the image with its fingerprint', () => {
    expect(rendered.labels['sandbox-image.recipe']).toBe(rendered.fingerprint);
    expect(rendered.labels['sandbox-image.uid']).toBe('1001');
    expect(rendered.labels.team).toBe('a$b');
  });
});

describe('renderSandboxDockerfile output', () => {
  it('is the same for the same recipe', () => {
    expect(renderSandboxDockerfile(fullRecipe())).toEqual(renderSandboxDockerfile(fullRecipe()));
  });

  it('changes its fingerprint with a file mode', () => {
    const recipe = fullRecipe();
    const changed = fullRecipe();
    changed.files[0]!.mode = '0640';
    expect(renderSandboxDockerfile(changed).fingerprint).not.toBe(renderSandboxDockerfile(recipe).fingerprint);
  });

  it('has no syntax line or BuildKit-only flag', () => {
    const { dockerfile } = renderSandboxDockerfile(fullRecipe());
    expect(dockerfile).not.toMatch(/^#/m);
    expect(dockerfile).not.toMatch(/--mount|--chmod|--link|<</);
  });

  it('rejects a line longer than the parser reads', () => {
    const recipe = { ...defaultRecipe(), steps: [{ run: `echo ${'x'.repeat(70_000)}` }] };
    const error = (() => {
      try {
        renderSandboxDockerfile(recipe);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isSandboxImageError(error, 'INVALID_RECIPE')).toBe(true);
    expect((error as Error).message).toContain('steps[0].run');
    expect((error as Error).message).toContain('65535');
  });

  it('splits many variables over lines', () => {
    const env = Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`VARIABLE_${index}`, 'v'.repeat(40)]));
    const { dockerfile } = renderSandboxDockerfile({ ...defaultRecipe(), env });
    expect(dockerfile.split('\n').every((line) => line.length < 100)).toBe(true);
  });
});

describe('file owner defaults', () => {
  it('gives home files to the user', () => {
    const recipe = defaultRecipe();
    recipe.files = [
      { path: `${recipe.user!.home}/.config/tool/settings`, content: 'a' },
      { path: '/etc/tool.conf', content: 'b' },
      { path: `${recipe.user!.home}/x`, content: 'c', owner: '0:0' },
    ];
    const lines = renderSandboxDockerfile(recipe).dockerfile.split('\n').filter((line) => line.startsWith('COPY --chown'));
    expect(lines[0]).toContain(`--chown=${recipe.user!.uid}:${recipe.user!.gid} `);
    expect(lines[1]).toContain('--chown=0:0 ');
    expect(lines[2]).toContain('--chown=0:0 ');
  });

  it('gives root everything without a user', () => {
    const recipe = defaultRecipe();
    recipe.user = undefined;
    recipe.files = [{ path: '/home/sandbox/file', content: 'a' }];
    expect(renderSandboxDockerfile(recipe).dockerfile).toContain('COPY --chown=0:0 ');
  });
});
