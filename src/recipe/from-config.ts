import type { SandboxConfig } from '../config/types.js';
import type { SandboxRecipe } from './types.js';

/**
 * Builds the recipe for a resolved config. The image runs as root, with no user created,
 * when `userId` is 0 or `runAsUser` is false.
 */
export function recipeFromConfig(config: Readonly<SandboxConfig>): SandboxRecipe {
  const runsAsRoot = config.userId === 0 || !config.runAsUser;
  return {
    baseImage: config.baseImage,
    user: runsAsRoot
      ? undefined
      : {
          name: config.userName,
          uid: config.userId,
          gid: config.groupId ?? config.userId,
          home: `/home/${config.userName}`,
          shell: '/bin/bash',
          uidConflict: config.uidConflict,
          sudo: config.sudo,
        },
    ssh: config.ssh,
    packages: [...config.packages],
    env: { ...config.env },
    workdir: config.workdir,
    directories: config.directories.map((entry) => ({ ...entry })),
    files: config.files.map((entry) => ({ ...entry })),
    downloads: config.downloads.map((entry) => ({ ...entry })),
    steps: config.steps.map((entry) => ({ ...entry })),
    labels: { ...config.labels },
    platform: config.platform,
  };
}
