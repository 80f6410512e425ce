import { createHash } from 'node:crypto';
import { SandboxImageError } from '../errors.js';
import { canonicalBaseReference } from '../reference/derived-name.js';
import { parseImageReference } from '../reference/parse.js';
import { checkRecipe } from './check-recipe.js';
import { execForm, keyValuePairs } from './dockerfile-syntax.js';
import provisionScript from './provision.sh';
import type { SandboxRecipe } from './types.js';

/** A file of the build context, next to the Dockerfile. */
export interface ContextFile {
  /** Path relative to the context root. */
  path: string;
  content: string | Uint8Array;
  /** Permission bits, such as `0o644`; COPY keeps them. */
  mode: number;
}

/** The output of {@link renderSandboxDockerfile}. */
export interface RenderedRecipe {
  /** The Dockerfile text; it works with the classic builder and BuildKit. */
  dockerfile: string;
  /** Files of the build context besides the Dockerfile. */
  files: ContextFile[];
  /** Hex digest of the Dockerfile and every context file; part of the derived image name. */
  fingerprint: string;
  /** Labels written into the Dockerfile, including `sandbox-image.recipe` (the fingerprint). */
  labels: Record<string, string>;
}

/** Directory of the provisioning script and its values, inside the context and the image. */
const CONTEXT_DIRECTORY = '.sandbox-image';
const IMAGE_CONTEXT_PATH = `/tmp/${CONTEXT_DIRECTORY}`;

/** Prefix of the library's own labels. */
export const LABEL_PREFIX = 'sandbox-image.';

/**
 * Renders a recipe into a Dockerfile and its build context.
 *
 * Pure: the same recipe always gives the same output. Values travel as data files in the
 * context and are read by the provisioning script, so none of them becomes shell code;
 * Dockerfile arguments use the JSON exec form and ENV/LABEL values are escaped words.
 *
 * @throws {SandboxImageError} `INVALID_RECIPE` for an invalid value, or a file entry whose
 *   `source` was not loaded (call `loadFileSources` first).
 */
export function renderSandboxDockerfile(recipe: SandboxRecipe): RenderedRecipe {
  checkRecipe(recipe);
  const base = canonicalBaseReference(parseImageReference(recipe.baseImage));
  const files = contextFiles(recipe, base);
  const lastPhase = recipe.downloads.length > 0 ? 'finish' : 'provision';
  files.push(valueFile('last_phase', lastPhase));

  const user = recipe.user;
  const finalUser = user ? `${user.uid}:${user.gid}` : 'root';
  const lines = [
    `FROM ${base}`,
    'USER root',
    `COPY ${execForm(CONTEXT_DIRECTORY, IMAGE_CONTEXT_PATH)}`,
    `RUN ${execForm('/bin/sh', `${IMAGE_CONTEXT_PATH}/provision.sh`, 'provision')}`,
    ...recipe.files.map((entry, index) => `COPY --chown=${entry.owner ?? '0:0'} ${execForm(`files/${index}`, entry.path)}`),
    ...recipe.downloads.map((entry) => `ADD --chown=${entry.owner ?? '0:0'} ${execForm(entry.url, entry.path)}`),
    ...(recipe.downloads.length > 0 ? [`RUN ${execForm('/bin/sh', `${IMAGE_CONTEXT_PATH}/provision.sh`, 'finish')}`] : []),
    ...stepLines(recipe, finalUser),
    ...(Object.keys(recipe.env).length > 0 ? [`ENV ${keyValuePairs(recipe.env)}`] : []),
    `WORKDIR ${recipe.workdir}`,
    `USER ${finalUser}`,
  ];
  const body = lines.join('\n') + '\n';
  const fingerprint = fingerprintOf(body, files);

  const labels: Record<string, string> = {
    ...recipe.labels,
    [`${LABEL_PREFIX}recipe`]: fingerprint,
    [`${LABEL_PREFIX}base.ref`]: base,
    [`${LABEL_PREFIX}user`]: user ? user.name : 'root',
    [`${LABEL_PREFIX}uid`]: String(user ? user.uid : 0),
    [`${LABEL_PREFIX}gid`]: String(user ? user.gid : 0),
  };
  return { dockerfile: `${body}LABEL ${keyValuePairs(labels)}\n`, files, fingerprint, labels };
}

function stepLines(recipe: SandboxRecipe, finalUser: string): string[] {
  const lines: string[] = [];
  let current = 'root';
  for (const step of recipe.steps) {
    const wanted = step.user === 'sandbox' ? finalUser : 'root';
    if (wanted !== current) lines.push(`USER ${wanted}`);
    current = wanted;
    lines.push(`RUN ${execForm('/bin/sh', '-c', step.run)}`);
  }
  if (current !== 'root') lines.push('USER root');
  return lines;
}

function valueFile(name: string, value: string): ContextFile {
  return { path: `${CONTEXT_DIRECTORY}/values/${name}`, content: `${value}\n`, mode: 0o644 };
}

function contextFiles(recipe: SandboxRecipe, base: string): ContextFile[] {
  const user = recipe.user;
  const files: ContextFile[] = [
    { path: `${CONTEXT_DIRECTORY}/provision.sh`, content: provisionScript, mode: 0o755 },
    valueFile('base', base),
    valueFile('create_user', user ? '1' : '0'),
    valueFile('user_name', user?.name ?? 'root'),
    valueFile('uid', String(user?.uid ?? 0)),
    valueFile('gid', String(user?.gid ?? 0)),
    valueFile('home', user?.home ?? '/root'),
    valueFile('shell', user?.shell ?? '/bin/sh'),
    valueFile('uid_conflict', user?.uidConflict ?? 'take-over'),
    valueFile('sudo', user?.sudo ?? 'none'),
    valueFile('ssh', recipe.ssh ? '1' : '0'),
    valueFile('workdir', recipe.workdir),
    { path: `${CONTEXT_DIRECTORY}/values/packages`, content: recipe.packages.map((name) => `${name}\n`).join(''), mode: 0o644 },
  ];
  const defaultOwner = user ? `${user.uid}:${user.gid}` : '0:0';
  recipe.directories.forEach((entry, index) => {
    const directory = `${CONTEXT_DIRECTORY}/directories/${index}`;
    files.push({ path: `${directory}/path`, content: `${entry.path}\n`, mode: 0o644 });
    files.push({ path: `${directory}/mode`, content: `${entry.mode ?? '0755'}\n`, mode: 0o644 });
    files.push({ path: `${directory}/owner`, content: `${entry.owner ?? defaultOwner}\n`, mode: 0o644 });
  });
  recipe.downloads.forEach((entry, index) => {
    const directory = `${CONTEXT_DIRECTORY}/downloads/${index}`;
    files.push({ path: `${directory}/path`, content: `${entry.path}\n`, mode: 0o644 });
    files.push({ path: `${directory}/url`, content: `${entry.url}\n`, mode: 0o644 });
    files.push({ path: `${directory}/sha256`, content: `${entry.sha256}\n`, mode: 0o644 });
    files.push({ path: `${directory}/mode`, content: `${entry.mode ?? '0644'}\n`, mode: 0o644 });
  });
  recipe.files.forEach((entry, index) => {
    if (entry.content === undefined) {
      throw new SandboxImageError(
        'INVALID_RECIPE',
        `Recipe file ${entry.path} names source ${JSON.stringify(entry.source)} whose content was not loaded. ` +
          'Call loadFileSources(recipe) before rendering, or set content.',
        { details: { key: `files[${index}]`, value: entry.source } },
      );
    }
    files.push({ path: `files/${index}`, content: entry.content, mode: Number.parseInt(entry.mode ?? '0644', 8) });
  });
  return files;
}

function fingerprintOf(body: string, files: ContextFile[]): string {
  const hash = createHash('sha256').update(body);
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`\u0000${file.path}\u0000${file.mode}\u0000`);
    hash.update(file.content);
  }
  return hash.digest('hex').slice(0, 32);
}
