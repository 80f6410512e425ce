import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSandboxDockerfile, type ContextFile } from '../../src/recipe/render.js';
import { buildTestImage, removeImages, runInImage } from '../fixtures/recipe/engine.js';
import { defaultRecipe } from '../unit/recipe/recipes.js';
import { createTestDocker, engineAvailable, engineSkipReason, testEngineKind, uniqueRepository } from '../support/engine.js';

// Only Debian bases exist offline, so provision.sh runs here in one Debian image with a
// fake /etc/os-release per family and stub package managers first on PATH; the real
// apt-get is hidden. The stubs record their arguments, and the account work runs for real.
const docker = createTestDocker();
const image = `${uniqueRepository('recipe-families')}:stubs`;

const STUB = `#!/bin/sh
printf '%s\\n' "$(basename "$0") $*" >>"$STUB_LOG"
`;

/** Runs provision.sh for one case: a fresh context copy, its os-release (or none) and its stubs. */
const RUN_CASE = `#!/bin/sh
set -u
name=$1
shift
mkdir -p "/cases/$name/bin"
for stub in "$@"; do ln -s /stub.sh "/cases/$name/bin/$stub"; done
cp -a /context "/cases/$name/context"
rm -f /etc/os-release /usr/lib/os-release
if [ -f "/os-release/$name" ]; then cp "/os-release/$name" /etc/os-release; fi
if [ -f "/setup/$name" ]; then sh "/setup/$name" "/cases/$name/context" || exit 1; fi
STUB_LOG=/cases/$name/calls PATH="/cases/$name/bin:$PATH" sh "/cases/$name/context/provision.sh" provision >"/cases/$name/output" 2>&1
echo "status=$?"
cat "/cases/$name/calls" 2>/dev/null
echo "uid=$(id -u sandbox 2>/dev/null)"
echo "sudoers=$(cat /etc/sudoers.d/sandbox-image 2>/dev/null)"
grep -hE '^(sandbox|ubuntu|users):' /etc/passwd /etc/group /etc/shadow /etc/gshadow | sed 's/^/account=/'
echo "home=$(ls /home) $(ls /home/sandbox 2>/dev/null | tr '\n' ' ')"
echo "output:"
cat "/cases/$name/output"
`;

const OS_RELEASE: Record<string, string> = {
  ubuntu: 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\n',
  alpine: 'NAME="Alpine Linux"\nID=alpine\nPRETTY_NAME="Alpine Linux v3.20"\n',
  fedora: 'NAME="Fedora Linux"\nID=fedora\nPRETTY_NAME="Fedora Linux 41 (Container Image)"\n',
  rocky: 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n',
  amazon: 'NAME="Amazon Linux"\nID="amzn"\nID_LIKE="centos rhel fedora"\n',
  opensuse: 'NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n',
  arch: "NAME='Arch Linux'\nID=arch\n",
  distroless: 'PRETTY_NAME="Distroless"\nID=debian\n',
  'take-over-without-shadow': 'ID=debian\n',
  'remove-without-shadow': 'ID=debian\n',
};

/** Makes account ubuntu at UID 1000 (in group users), then hides the shadow tools. */
const WITHOUT_SHADOW_TOOLS = `set -e
useradd --create-home --user-group --uid 1000 --shell /bin/bash ubuntu
usermod -a -G users ubuntu
touch /home/ubuntu/marker
for tool in useradd usermod userdel groupadd groupmod; do mv "/usr/sbin/$tool" "/usr/sbin/$tool.hidden"; done
`;
const SETUP: Record<string, string> = {
  'take-over-without-shadow': WITHOUT_SHADOW_TOOLS,
  'remove-without-shadow': `${WITHOUT_SHADOW_TOOLS}echo remove >"$1/values/uid_conflict"\n`,
};

const recipe = { ...defaultRecipe(), ssh: true, packages: ['git', 'openssh-client', 'dnsutils', 'python3'] };

function contextFiles(): ContextFile[] {
  const rendered = renderSandboxDockerfile(recipe);
  return [
    ...rendered.files.filter((file) => file.path.startsWith('.sandbox-image/')),
    { path: 'stub.sh', content: STUB, mode: 0o755 },
    { path: 'run-case.sh', content: RUN_CASE, mode: 0o755 },
    ...Object.entries(OS_RELEASE).map(([name, content]) => ({ path: `os-release/${name}`, content, mode: 0o644 })),
    ...Object.entries(SETUP).map(([name, content]) => ({ path: `setup/${name}`, content, mode: 0o644 })),
  ];
}

const DOCKERFILE = `FROM debian:bookworm-slim
COPY [".sandbox-image", "/context"]
COPY ["stub.sh", "run-case.sh", "/"]
COPY ["os-release", "/os-release"]
COPY ["setup", "/setup"]
RUN ["/bin/sh", "-c", "mv /usr/bin/apt-get /usr/bin/apt-get.hidden"]
`;

interface CaseResult {
  status: string;
  calls: string[];
  uid: string;
  sudoers: string;
  /** Lines of /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow for sandbox, ubuntu and users. */
  accounts: string[];
  /** The entries of /home, then those of /home/sandbox. */
  home: string;
  output: string;
}

async function runCase(name: string, ...stubs: string[]): Promise<CaseResult> {
  const { output } = await runInImage(docker, image, ['/run-case.sh', name, ...stubs]);
  const [report = '', provisionOutput = ''] = output.split('\noutput:\n');
  const lines = report.split('\n');
  const field = (key: string) => lines.find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1) ?? '';
  const calls = lines.filter((line) => !/^(status|uid|sudoers|account|home)=/.test(line) && line.length > 0);
  const accounts = lines.filter((line) => line.startsWith('account=')).map((line) => line.slice('account='.length));
  return { status: field('status'), calls, uid: field('uid'), sudoers: field('sudoers'), accounts, home: field('home').trim(), output: provisionOutput };
}

const APT_INSTALL = 'install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-unsafe-io -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';

describe.skipIf(!engineAvailable)(`provision.sh per distribution family on ${testEngineKind} ${engineSkipReason}`, () => {
  beforeAll(() => buildTestImage(docker, image, DOCKERFILE, contextFiles(), 'none'));
  afterAll(() => removeImages(docker, [image]));

  it('uses apt-get on Ubuntu', async () => {
    const result = await runCase('ubuntu', 'apt-get', 'apk');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual([
      'apt-get -qq -o Acquire::Languages=none -o Acquire::GzipIndexes=true update',
      `apt-get ${APT_INSTALL} git openssh-client dnsutils python3 sudo openssh-server`,
      'apt-get clean',
    ]);
    expect(result.uid).toBe('1000');
    expect(result.sudoers).toBe('sandbox ALL=(ALL:ALL) NOPASSWD:ALL');
  });

  it('uses apk on Alpine', async () => {
    const result = await runCase('alpine', 'apk', 'dnf');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual(['apk add --no-cache git openssh-client bind-tools python3 sudo openssh-server']);
    expect(result.uid).toBe('1000');
  });

  it('prefers dnf on Fedora', async () => {
    const result = await runCase('fedora', 'dnf', 'microdnf', 'yum');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual([
      'dnf install -y --setopt=install_weak_deps=False --setopt=tsflags=nodocs git openssh-clients bind-utils python3 sudo openssh-server',
      'dnf clean all',
    ]);
  });

  it('uses microdnf on minimal Rocky', async () => {
    const result = await runCase('rocky', 'microdnf');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual([
      'microdnf install -y --nodocs --setopt=install_weak_deps=0 git openssh-clients bind-utils python3 sudo openssh-server',
      'microdnf clean all',
    ]);
  });

  it('uses yum on Amazon Linux', async () => {
    const result = await runCase('amazon', 'yum');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual([
      'yum install -y --setopt=tsflags=nodocs git openssh-clients bind-utils python3 sudo openssh-server',
      'yum clean all',
    ]);
  });

  it('uses zypper on openSUSE', async () => {
    const result = await runCase('opensuse', 'zypper');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual([
      'zypper --non-interactive install --no-recommends git openssh-clients bind-utils python3 sudo openssh-server',
      'zypper clean --all',
    ]);
  });

  it('maps the ssh server to openssh on Arch', async () => {
    const result = await runCase('arch', 'pacman');
    expect(result.status, result.output).toBe('0');
    // openssh-client and openssh-server are both `openssh` there, installed once.
    expect(result.calls).toEqual(['pacman -Syu --noconfirm --needed git openssh bind python sudo']);
  });

  it('finds a manager without os-release', async () => {
    const result = await runCase('unknown', 'zypper', 'pacman');
    expect(result.status, result.output).toBe('0');
    expect(result.calls).toEqual([
      'zypper --non-interactive install --no-recommends git openssh-client dnsutils python3 sudo openssh-server',
      'zypper clean --all',
    ]);
  });

  it("fails when the family's manager is missing", async () => {
    const result = await runCase('distroless', 'apk');
    expect(result.status).toBe('1');
    expect(result.calls).toEqual([]);
    expect(result.output).toContain('no package manager found in docker.io/library/debian:bookworm-slim (debian family; looked for: apt-get)');
    expect(result.output).toContain('git openssh-client dnsutils python3 sudo openssh-server');
  });

  it('takes over an account without shadow tools', async () => {
    const result = await runCase('take-over-without-shadow', 'apt-get');
    expect(result.status, result.output).toBe('0');
    expect(result.accounts.map((line) => line.replace(/^(sandbox:!):\d+:/, '$1:<days>:'))).toEqual([
      'sandbox:x:1000:1000::/home/sandbox:/bin/bash',
      'users:x:100:sandbox',
      'sandbox:x:1000:',
      'sandbox:!:<days>:0:99999:7:::',
      'users:*::sandbox',
      'sandbox:!::',
    ]);
    expect(result.home).toBe('sandbox marker');
    expect(result.uid).toBe('1000');
  });

  it('removes an account without shadow tools', async () => {
    const result = await runCase('remove-without-shadow', 'apt-get');
    expect(result.status, result.output).toBe('0');
    expect(result.accounts).toEqual([
      'sandbox:x:1000:1000::/home/sandbox:/bin/bash',
      'users:x:100:',
      'sandbox:x:1000:',
      'sandbox:!:::::::',
      'users:*::',
      'sandbox:!::',
    ]);
    expect(result.output).toContain('removing account ubuntu');
    expect(result.uid).toBe('1000');
  });
});
