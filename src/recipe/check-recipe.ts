import { SandboxImageError } from '../errors.js';
import { parseImageReference } from '../reference/parse.js';
import type { SandboxRecipe } from './types.js';
import {
  checkAbsolutePath,
  checkAccountPath,
  checkArgument,
  checkDownloadUrl,
  checkEnvName,
  checkFilePath,
  checkId,
  checkLabelKey,
  checkMode,
  checkOwner,
  checkPackageName,
  checkPlatform,
  checkSha256,
  checkStepCommand,
  checkTextValue,
  checkUserName,
  checkWorkdir,
} from './validate.js';

function rejectIf(problem: string | undefined, field: string, value: unknown): void {
  if (!problem) return;
  throw new SandboxImageError(
    'INVALID_RECIPE',
    `Invalid recipe field ${field}: ${JSON.stringify(value)} ${problem}.`,
    { details: { key: field, value } },
  );
}

/**
 * Checks every value of a recipe before rendering, so that a recipe built in code gets the
 * same checks as one resolved from config.
 *
 * @throws {SandboxImageError} `INVALID_RECIPE` naming the field, the value and what is accepted.
 */
export function checkRecipe(recipe: SandboxRecipe): void {
  parseImageReference(recipe.baseImage);
  if (recipe.user) {
    rejectIf(checkUserName(recipe.user.name), 'user.name', recipe.user.name);
    rejectIf(recipe.user.name === 'root' ? 'is the superuser; set the UID to 0 to run as root, or choose another name' : undefined, 'user.name', recipe.user.name);
    rejectIf(checkId(recipe.user.uid), 'user.uid', recipe.user.uid);
    rejectIf(recipe.user.uid === 0 ? 'is 0; a recipe that runs as root has no user' : undefined, 'user.uid', recipe.user.uid);
    rejectIf(checkId(recipe.user.gid), 'user.gid', recipe.user.gid);
    rejectIf(checkAccountPath(recipe.user.home), 'user.home', recipe.user.home);
    rejectIf(recipe.user.home.replace(/\/+$/, '') === '' ? 'is the root directory, which would become the user\'s; use a directory such as /home/sandbox' : undefined, 'user.home', recipe.user.home);
    rejectIf(checkAccountPath(recipe.user.shell), 'user.shell', recipe.user.shell);
    const { uidConflict, sudo } = recipe.user;
    rejectIf(['take-over', 'fail', 'remove'].includes(uidConflict) ? undefined : 'is not "take-over", "fail" or "remove"', 'user.uidConflict', uidConflict);
    rejectIf(['nopasswd', 'none'].includes(sudo) ? undefined : 'is not "nopasswd" or "none"', 'user.sudo', sudo);
  }
  recipe.packages.forEach((name, index) => rejectIf(checkPackageName(name), `packages[${index}]`, name));
  for (const [name, value] of Object.entries(recipe.env)) {
    rejectIf(checkEnvName(name), 'env', name);
    rejectIf(checkTextValue(value), `env.${name}`, value);
  }
  for (const [key, value] of Object.entries(recipe.labels)) {
    rejectIf(checkLabelKey(key), 'labels', key);
    rejectIf(checkTextValue(value), `labels.${key}`, value);
  }
  rejectIf(checkWorkdir(recipe.workdir), 'workdir', recipe.workdir);
  if (recipe.platform !== undefined) rejectIf(checkPlatform(recipe.platform), 'platform', recipe.platform);
  recipe.entrypoint?.forEach((part, index) => rejectIf(checkArgument(part), `entrypoint[${index}]`, part));
  recipe.cmd?.forEach((part, index) => rejectIf(checkArgument(part), `cmd[${index}]`, part));
  checkEntries(recipe);
}

function checkEntries(recipe: SandboxRecipe): void {
  const checkModeAndOwner = (field: string, entry: { mode?: string; owner?: string }) => {
    if (entry.mode !== undefined) rejectIf(checkMode(entry.mode), `${field}.mode`, entry.mode);
    if (entry.owner !== undefined) rejectIf(checkOwner(entry.owner), `${field}.owner`, entry.owner);
  };
  recipe.directories.forEach((entry, index) => {
    rejectIf(checkAbsolutePath(entry.path), `directories[${index}].path`, entry.path);
    checkModeAndOwner(`directories[${index}]`, entry);
  });
  recipe.files.forEach((entry, index) => {
    rejectIf(checkFilePath(entry.path), `files[${index}].path`, entry.path);
    checkModeAndOwner(`files[${index}]`, entry);
  });
  recipe.downloads.forEach((entry, index) => {
    rejectIf(checkDownloadUrl(entry.url), `downloads[${index}].url`, entry.url);
    rejectIf(checkSha256(entry.sha256), `downloads[${index}].sha256`, entry.sha256);
    rejectIf(checkFilePath(entry.path), `downloads[${index}].path`, entry.path);
    checkModeAndOwner(`downloads[${index}]`, entry);
  });
  recipe.steps.forEach((entry, index) => {
    rejectIf(checkStepCommand(entry.run), `steps[${index}].run`, entry.run);
    const user = entry.user ?? 'root';
    rejectIf(user === 'root' || user === 'sandbox' ? undefined : 'is not "root" or "sandbox"', `steps[${index}].user`, user);
  });
}
