import { createHash } from 'node:crypto';
import { SandboxImageError } from '../errors.js';
import { canonicalBaseReference } from '../reference/derived-name.js';
import { parseImageReference } from '../reference/parse.js';
import { checkRecipe } from './check-recipe.js';
import { MAX_LINE_BYTES, execForm, expandedExecForm, keyValueInstruction, quoteWord } from './dockerfile-syntax.js';
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

/** Directory of the provisioning script and its values, in the context and in the image. */
const CONTEXT_DIRECTORY = '.sandbox-image';
/** At the root, so that copying the context creates no directory of the base image, such as /tmp. */
const IMAGE_CONTEXT_PATH = `/${CONTEXT_DIRECTORY}`;
const PROVISION_SCRIPT = `${IMAGE_CONTEXT_PATH}/provision.sh`;

/** Prefix of the library's own labels. */
export const LABEL_PREFIX = 'sandbox-image.';

/** One instruction of the Dockerfile and the recipe field its length depends on. */
interface Instruction {
  text: string;
  field: string;
}

/**
 * Renders a recipe into a Dockerfile and its build context.
 *
 * Pure: the same recipe always gives the same output. Values travel as data files in the
 * context and are read by the provisioning script, so none of them becomes shell code.
 * Dockerfile arguments use the JSON exec form, escaped where the builder expands words,
 * and ENV/LABEL/WORKDIR values are escaped double-quoted words. The Dockerfile has no
 * `# syntax=` line and no BuildKit-only flag, so the classic builder reads it.
 *
 * @throws {SandboxImageError} `INVALID_RECIPE` for an invalid value, for a value that makes
 *   a Dockerfile line longer than the parser reads, or for a file entry whose `source` was
 *   not loaded (call `loadFileSources` first).
 */
export function renderSandboxDockerfile(recipe: SandboxRecipe): RenderedRecipe {
  checkRecipe(recipe);
  const base = canonicalBaseReference(parseImageReference(recipe.baseImage));
  const files = contextFiles(recipe, base);
  const instructions = bodyInstructions(recipe, base);
  const body = instructions.map((instruction) => `${instruction.text}\n`).join('');
  const fingerprint = fingerprintOf(body, files);

  const user = recipe.user;
  const labels: Record<string, string> = {
    ...recipe.labels,
    [`${LABEL_PREFIX}recipe`]: fingerprint,
    [`${LABEL_PREFIX}base.ref`]: base,
    [`${LABEL_PREFIX}user`]: user ? user.name : 'root',
    [`${LABEL_PREFIX}uid`]: String(user ? user.uid : 0),
    [`${LABEL_PREFIX}gid`]: String(user ? user.gid : 0),
  };
  const labelInstruction = { text: keyValueInstruction('LABEL', labels), field: 'labels' };
  checkLineLengths([...instructions, labelInstruction]);
  return { dockerfile: `${body}${labelInstruction.text}\n`, files, fingerprint, labels };
}

/**
 * Lists the instructions before LABEL, in build order: provisioning (packages, user, sudo, sshd,
 * directories) in one layer, files, downloads and their verification, then ENV and WORKDIR,
 * so that the steps see both, then the steps, the final user and ENTRYPOINT/CMD.
 */
/**
 * Returns the owner of a file or download without one: the sandbox user for paths under its
 * home, because COPY and ADD also give that owner to the parent directories they create
 * (such as `~/.config`), and root elsewhere.
 */
function defaultOwner(recipe: SandboxRecipe, path: string): string {
  const user = recipe.user;
  if (user && path.startsWith(`${user.home}/`)) return `${user.uid}:${user.gid}`;
  return '0:0';
}

function bodyInstructions(recipe: SandboxRecipe, base: string): Instruction[] {
  const user = recipe.user;
  const finalUser = user ? `${user.uid}:${user.gid}` : 'root';
  const instructions: Instruction[] = [
    { text: `FROM ${base}`, field: 'baseImage' },
    // Bases whose USER is another account still provision as root.
    { text: 'USER root', field: 'user' },
    { text: `COPY ${expandedExecForm(CONTEXT_DIRECTORY, IMAGE_CONTEXT_PATH)}`, field: 'user' },
    { text: `RUN ${execForm('/bin/sh', PROVISION_SCRIPT, 'provision')}`, field: 'user' },
  ];
  // NOTE: Podman 4.3 (buildah 1.28) failed to COPY to a destination with a non-ASCII
  // character such as `é` in a manual check; Docker Engine 20.10 copies it.
  recipe.files.forEach((entry, index) => {
    const copy = `COPY --chown=${entry.owner ?? defaultOwner(recipe, entry.path)} ${expandedExecForm(`files/${index}`, entry.path)}`;
    instructions.push({ text: copy, field: `files[${index}].path` });
  });
  // NOTE: ADD stores a download with mode 0600, so the chmod of the finish step copies the
  // file into one more layer, and a download takes its size twice in the image.
  recipe.downloads.forEach((entry, index) => {
    const add = `ADD --chown=${entry.owner ?? defaultOwner(recipe, entry.path)} ${expandedExecForm(entry.url, entry.path)}`;
    instructions.push({ text: add, field: `downloads[${index}]` });
  });
  if (recipe.downloads.length > 0) {
    instructions.push({ text: `RUN ${execForm('/bin/sh', PROVISION_SCRIPT, 'finish')}`, field: 'downloads' });
  }
  if (Object.keys(recipe.env).length > 0) instructions.push({ text: keyValueInstruction('ENV', recipe.env), field: 'env' });
  instructions.push({ text: `WORKDIR ${quoteWord(recipe.workdir)}`, field: 'workdir' });
  instructions.push(...stepInstructions(recipe, finalUser));
  instructions.push({ text: `USER ${finalUser}`, field: 'user' });
  if (recipe.entrypoint) instructions.push({ text: `ENTRYPOINT ${execForm(...recipe.entrypoint)}`, field: 'entrypoint' });
  if (recipe.cmd) instructions.push({ text: `CMD ${execForm(...recipe.cmd)}`, field: 'cmd' });
  return instructions;
}

function stepInstructions(recipe: SandboxRecipe, finalUser: string): Instruction[] {
  const instructions: Instruction[] = [];
  let current = 'root';
  recipe.steps.forEach((step, index) => {
    const stepUser = step.user === 'sandbox' ? finalUser : 'root';
    if (stepUser !== current) instructions.push({ text: `USER ${stepUser}`, field: `steps[${index}].user` });
    current = stepUser;
    instructions.push({ text: `RUN ${execForm('/bin/sh', '-c', step.run)}`, field: `steps[${index}].run` });
  });
  return instructions;
}

/** Rejects a physical line longer than {@link MAX_LINE_BYTES}, which the Dockerfile parser cannot read. */
function checkLineLengths(instructions: Instruction[]): void {
  for (const instruction of instructions) {
    for (const line of instruction.text.split('\n')) {
      const bytes = Buffer.byteLength(line, 'utf8');
      if (bytes <= MAX_LINE_BYTES) continue;
      throw new SandboxImageError(
        'INVALID_RECIPE',
        `Invalid recipe field ${instruction.field}: its value makes a Dockerfile line of ${bytes} bytes, ` +
          `but the Dockerfile parser reads lines of at most ${MAX_LINE_BYTES} bytes. ` +
          'Shorten the value, or move long content into a file entry or a script file.',
        { details: { key: instruction.field } },
      );
    }
  }
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
    valueFile('last_phase', recipe.downloads.length > 0 ? 'finish' : 'provision'),
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
