/** The facts about a local image that the library uses. */
export interface ImageDetails {
  /** Image ID, `sha256:<hex>`. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
  os: string;
  architecture: string;
  variant: string | undefined;
  /** ISO 8601 creation time. */
  created: string;
  /** Size in bytes. */
  size: number;
}

/** One entry of an image listing. */
export interface ImageSummary {
  id: string;
  repoTags: string[];
  labels: Record<string, string>;
  /** Creation time, in seconds since the epoch. */
  created: number;
  size: number;
}

/** Credentials for one registry, in the Engine API's `X-Registry-Auth` form. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress: string;
}

/**
 * Progress reported by the engine while it pulls, builds or pushes. A `build-output` line
 * contains what a terminal would show: no colors or other escape sequences, and only the text
 * after its last carriage return.
 */
export type EngineEvent =
  | { type: 'pull-progress'; image: string; layer: string | undefined; status: string; current: number | undefined; total: number | undefined }
  | { type: 'push-progress'; image: string; layer: string | undefined; status: string; current: number | undefined; total: number | undefined }
  | { type: 'build-step'; index: number; count: number; instruction: string }
  | { type: 'build-output'; line: string };

/** The outcome of a registry lookup through the engine. */
export type RemoteImageLookup =
  | { status: 'found'; digest: string }
  | { status: 'missing' }
  /** The engine has no distribution endpoint (Podman's Docker-compatible API); the caller tries a pull instead. */
  | { status: 'unsupported' };

export interface PullOptions {
  platform?: string | undefined;
  auth?: RegistryAuth | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: EngineEvent) => void) | undefined;
}

export interface BuildOptions {
  /** A tar archive of the build context, with `Dockerfile` at its root. */
  context: Uint8Array;
  labels: Record<string, string>;
  platform?: string | undefined;
  networkMode?: string | undefined;
  /** Build every step afresh instead of reusing the engine's layer cache. */
  noCache?: boolean | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: EngineEvent) => void) | undefined;
}

export interface PushOptions {
  auth?: RegistryAuth | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: EngineEvent) => void) | undefined;
}

/**
 * The Engine API operations the library needs, in front of dockerode. Unit tests use an
 * in-memory fake of this interface; everything above it never imports dockerode.
 *
 * Every method rejects with a `SandboxImageError`: `ENGINE_UNAVAILABLE` when the engine
 * cannot be reached, `ABORTED` when the signal fires, and an operation-specific code for
 * errors the engine reports.
 */
export interface DockerClient {
  /** The address in use, such as `unix:///var/run/docker.sock`, for messages. */
  readonly address: string;
  ping(signal?: AbortSignal): Promise<void>;
  /** Returns `undefined` when no local image has that name or ID. */
  inspectImage(nameOrId: string, signal?: AbortSignal): Promise<ImageDetails | undefined>;
  pullImage(reference: string, options?: PullOptions): Promise<void>;
  /** Builds an untagged image and returns its ID; a failed build leaves no tag. */
  buildImage(options: BuildOptions): Promise<string>;
  tagImage(imageId: string, repository: string, tag: string): Promise<void>;
  pushImage(name: string, options?: PushOptions): Promise<void>;
  /** Lists images whose labels match every `key` or `key=value` filter. */
  listImages(labelFilters: string[]): Promise<ImageSummary[]>;
  removeImage(nameOrId: string, options?: { force?: boolean }): Promise<void>;
  /**
   * Asks the registry, through the engine's distribution endpoint, whether a tag exists.
   * Rejects with `PULL_FAILED` and the engine's HTTP status when the registry cannot be
   * reached or rejects the credentials.
   */
  inspectRemoteImage?(name: string, auth?: RegistryAuth, signal?: AbortSignal): Promise<RemoteImageLookup>;
}
