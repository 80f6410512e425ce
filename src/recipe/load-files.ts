import { readFile } from 'node:fs/promises';
import { SandboxImageError } from '../errors.js';
import type { SandboxRecipe } from './types.js';

/**
 * Returns a copy of the recipe whose `files` entries with a host `source` carry its content,
 * so that rendering stays pure and the content is part of the fingerprint.
 *
 * @throws {SandboxImageError} `INVALID_RECIPE` when a source file cannot be read.
 */
export async function loadFileSources(recipe: SandboxRecipe): Promise<SandboxRecipe> {
  const files = await Promise.all(
    recipe.files.map(async (entry, index) => {
      if (entry.content !== undefined || entry.source === undefined) return entry;
      try {
        return { ...entry, content: new Uint8Array(await readFile(entry.source)) };
      } catch (error) {
        throw new SandboxImageError(
          'INVALID_RECIPE',
          `Recipe file ${entry.path} could not read its source ${entry.source}: ${(error as Error).message}. Fix the source path.`,
          { cause: error, details: { key: `files[${index}].source`, value: entry.source } },
        );
      }
    }),
  );
  return { ...recipe, files };
}
