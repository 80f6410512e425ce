/**
 * What to do when the requested UID already belongs to another account in the base image:
 * `take-over` renames that account and its group of the same name to the sandbox user and
 * moves its home, `fail` fails the build naming the account, `remove` deletes the account.
 * In every case the sandbox user ends with exactly the requested UID.
 */
export type UidConflictPolicy = 'take-over' | 'fail' | 'remove';

/** Sudo rights of the sandbox user. */
export type SudoPolicy = 'nopasswd' | 'none';

/** A directory created in the image. */
export interface DirectoryEntry {
  /** Absolute path inside the image. */
  path: string;
  /**
   * Octal permission bits, such as `'0755'`.
   * @default '0755'
   */
  mode?: string;
  /**
   * Owner as `user[:group]` (names or numeric ids).
   * @default the sandbox user
   */
  owner?: string;
}

/** A file copied into the image through the build context. */
export interface FileEntry {
  /** Absolute destination path inside the image. */
  path: string;
  /** File content; exactly one of `content` and `source` is set (`loadFileSources` fills it from `source`). */
  content?: string | Uint8Array;
  /** Host path of the file to copy; exactly one of `content` and `source` is set. */
  source?: string;
  /**
   * Octal permission bits, such as `'0644'`.
   * @default '0644'
   */
  mode?: string;
  /**
   * Owner as `user[:group]`.
   * @default the sandbox user for paths under its home, else 'root:root'
   */
  owner?: string;
}

/** A file downloaded during the build and verified by its SHA-256 checksum. */
export interface DownloadEntry {
  /** `http://` or `https://` URL; the engine downloads it. */
  url: string;
  /** Expected SHA-256 of the file, 64 lowercase hexadecimal digits. */
  sha256: string;
  /** Absolute destination path inside the image. */
  path: string;
  /**
   * Octal permission bits.
   * @default '0644'
   */
  mode?: string;
  /**
   * Owner as `user[:group]`.
   * @default the sandbox user for paths under its home, else 'root:root'
   */
  owner?: string;
}

/**
 * An extra shell command run during the build, in order, after provisioning.
 * Steps are trusted input: the command runs as written.
 */
export interface StepEntry {
  /** Command run by `/bin/sh -c`, in the recipe's `workdir` with the recipe's `env`. */
  run: string;
  /**
   * Account that runs the command.
   * @default 'root'
   */
  user?: 'root' | 'sandbox';
}

/**
 * Everything that decides the content of a derived image, as pure data.
 * Built from a resolved config by `recipeFromConfig`; rendered by `renderSandboxDockerfile`.
 */
export interface SandboxRecipe {
  /** Validated base image reference, as given by the user. */
  baseImage: string;
  /** The sandbox user, or `undefined` when the image runs as root and no user is created (UID 0). */
  user:
    | {
        /** Account name, such as `sandbox`; `root` is rejected. */
        name: string;
        /** UID from 1 to 2147483647; the account ends with exactly this UID. */
        uid: number;
        /** GID of the primary group; a group of the user's name is made when no group has it. */
        gid: number;
        /** Home directory, owned by the user after the build. */
        home: string;
        /** Login shell; `/bin/sh` is used when it is not installed in the image. */
        shell: string;
        /** What happens when another account in the base image has `uid`. */
        uidConflict: UidConflictPolicy;
        /** Sudo rights; `nopasswd` installs sudo when missing and adds /etc/sudoers.d/sandbox-image (mode 0440). */
        sudo: SudoPolicy;
      }
    | undefined;
  /** Whether to install an OpenSSH server and prepare /var/run/sshd and the host keys. */
  ssh: boolean;
  /** Distribution packages, by their Debian names; provision.sh maps the names that differ per family. */
  packages: string[];
  /** Environment variables, set literally (`$NAME` is not expanded), before the steps run. */
  env: Record<string, string>;
  /** Working directory of the steps and of the image, owned by the user. */
  workdir: string;
  /** Directories created after the user. */
  directories: DirectoryEntry[];
  /** Files copied after the directories. */
  files: FileEntry[];
  /** Files downloaded by the engine after the files, and verified before the steps. */
  downloads: DownloadEntry[];
  /** Shell commands run last, in order. */
  steps: StepEntry[];
  /** Labels of the image; keys starting with `sandbox-image.` are reserved. */
  labels: Record<string, string>;
  /**
   * ENTRYPOINT of the image, in exec form. Setting it also clears the base image's CMD
   * (a Dockerfile rule), so set `cmd` too when the base's CMD should stay.
   * @default the base image's ENTRYPOINT
   */
  entrypoint?: string[];
  /**
   * CMD of the image, in exec form.
   * @default the base image's CMD
   */
  cmd?: string[];
  /** Platform such as `linux/arm64`, or `undefined` to build for the base image's platform. */
  platform: string | undefined;
}
