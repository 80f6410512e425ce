/** What to do when the requested UID already belongs to another account in the base image. */
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
   * @default 'root:root'
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
   * @default 'root:root'
   */
  owner?: string;
}

/**
 * An extra shell command run during the build, in order, after provisioning.
 * Steps are trusted input: the command runs as written.
 */
export interface StepEntry {
  /** Command run by `/bin/sh -c`. */
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
  /** `undefined` when the image runs as root and no user is created (UID 0). */
  user:
    | {
        name: string;
        uid: number;
        gid: number;
        home: string;
        shell: string;
        uidConflict: UidConflictPolicy;
        sudo: SudoPolicy;
      }
    | undefined;
  ssh: boolean;
  packages: string[];
  env: Record<string, string>;
  workdir: string;
  directories: DirectoryEntry[];
  files: FileEntry[];
  downloads: DownloadEntry[];
  steps: StepEntry[];
  labels: Record<string, string>;
  /** Platform such as `linux/arm64`, or `undefined` to build for the base image's platform. */
  platform: string | undefined;
}
