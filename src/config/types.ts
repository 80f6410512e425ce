import type {
  DirectoryEntry,
  DownloadEntry,
  FileEntry,
  StepEntry,
  SudoPolicy,
  UidConflictPolicy,
} from '../recipe/types.js';

/** When to pull the base image. */
export type PullPolicy = 'missing' | 'always' | 'never';

/** When to rebuild a derived image that already exists. */
export type RebuildPolicy = 'if-stale' | 'never' | 'always';

/**
 * The resolved configuration. Each option's TSDoc names its TOML key, environment variables
 * and default; docs/configuration.md lists the same facts in one table.
 */
export interface SandboxConfig {
  /**
   * Base image to derive the sandbox image from.
   * TOML `[sandbox] base_image` (aliases `[sandbox] base_container_image`,
   * `[core] sandbox_base_container_image`, `[core] sandbox_container_image`).
   * @default 'debian:bookworm-slim'
   */
  baseImage: string;
  /**
   * Repository of derived images, without tag.
   * @default 'localhost/sandbox-image'
   */
  imageRepository: string;
  /**
   * Name of the sandbox user.
   * @default 'sandbox'
   */
  userName: string;
  /**
   * UID of the sandbox user; 0 runs as root and creates no user.
   * TOML `[sandbox] user_id` (alias `[core] sandbox_user_id`).
   * @default 1000
   */
  userId: number;
  /**
   * GID of the sandbox user's primary group.
   * @default the UID
   */
  groupId: number | undefined;
  /**
   * Whether the image's final user is the sandbox user; `false` runs as root.
   * TOML `[sandbox] run_as_user` (aliases `[core] run_as_openhands`, `[core] run_as_devin`).
   * @default true
   */
  runAsUser: boolean;
  /**
   * Sudo rights of the sandbox user.
   * @default 'nopasswd'
   */
  sudo: SudoPolicy;
  /**
   * Install an OpenSSH server (`/var/run/sshd` ready, mode 0755).
   * @default false
   */
  ssh: boolean;
  /**
   * Extra distribution packages to install.
   * @default []
   */
  packages: string[];
  /**
   * Environment variables set in the image.
   * @default {}
   */
  env: Record<string, string>;
  /**
   * Working directory of the image, owned by the sandbox user.
   * @default '/workspace'
   */
  workdir: string;
  /**
   * Pull policy for the base image.
   * @default 'missing'
   */
  pull: PullPolicy;
  /**
   * Rebuild policy for an existing derived image.
   * @default 'if-stale'
   */
  rebuild: RebuildPolicy;
  /**
   * Platform to build for, such as `linux/amd64`.
   * @default the base image's platform
   */
  platform: string | undefined;
  /**
   * Policy for a UID that already belongs to another account in the base image.
   * @default 'take-over'
   */
  uidConflict: UidConflictPolicy;
  /**
   * Push the derived image to its repository after a build.
   * @default false
   */
  push: boolean;
  /**
   * Directories created in the image.
   * @default []
   */
  directories: DirectoryEntry[];
  /**
   * Files copied into the image.
   * @default []
   */
  files: FileEntry[];
  /**
   * Files downloaded during the build and verified by SHA-256.
   * @default []
   */
  downloads: DownloadEntry[];
  /**
   * Extra shell commands run during the build (trusted input).
   * @default []
   */
  steps: StepEntry[];
  /**
   * Extra labels on the derived image.
   * @default {}
   */
  labels: Record<string, string>;
  /**
   * Host directory mounted as the workspace by the host application; kept for it, unused here.
   * TOML `[sandbox] workspace_base` (alias `[core] workspace_base`).
   * @default undefined
   */
  workspaceBase: string | undefined;
  /**
   * Whether the host application keeps sandboxes between sessions; kept for it, unused here.
   * @default false
   */
  persistSandbox: boolean;
  /**
   * Network mode of build containers, such as `host`, for downloads from a server on the host.
   * @default the engine's default network
   */
  buildNetwork: string | undefined;
  /**
   * Maximum time for one `ensure`, in milliseconds; 0 means no limit.
   * @default 0
   */
  timeoutMs: number;
  /**
   * Maximum time to wait for another process's build of the same image, in milliseconds.
   * @default 1800000 (30 minutes)
   */
  lockTimeoutMs: number;
}

/** Options given in code: any subset of {@link SandboxConfig}. */
export type SandboxConfigInput = Partial<SandboxConfig>;

/**
 * Origin of a resolved value: `default`, `file:<path>:<line>`, `env:<NAME>` or `override`.
 */
export type ConfigSource = 'default' | 'override' | `file:${string}` | `env:${string}`;

/** The result of `resolveConfig`: frozen values and the source of each. */
export interface ResolvedConfig {
  readonly values: Readonly<SandboxConfig>;
  readonly sources: Readonly<Record<keyof SandboxConfig, ConfigSource>>;
  /** The config file that was read, or `undefined` when none was. */
  readonly configFile: string | undefined;
}
