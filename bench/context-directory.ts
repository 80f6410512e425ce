import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RenderedRecipe } from '../src/recipe/render.js';

/** Creates an empty temporary directory for one benchmark artefact. */
export function makeTemporaryDirectory(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sandbox-image-bench-${prefix}-`));
}

/**
 * Writes a rendered recipe as a `docker build` context: the Dockerfile and every context
 * file with its mode, the same bytes the library sends to the Engine API.
 */
export async function writeBuildContext(rendered: RenderedRecipe, prefix: string): Promise<string> {
  const directory = await makeTemporaryDirectory(prefix);
  await writeFile(join(directory, 'Dockerfile'), rendered.dockerfile);
  for (const file of rendered.files) {
    const path = join(directory, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    await chmod(path, file.mode);
  }
  return directory;
}

/** Writes a context whose only file is the given Dockerfile. */
export async function writeDockerfileContext(dockerfile: string, prefix: string): Promise<string> {
  const directory = await makeTemporaryDirectory(prefix);
  await writeFile(join(directory, 'Dockerfile'), dockerfile);
  return directory;
}
