export { SandboxImageError, isSandboxImageError } from './errors.js';
export type { SandboxImageErrorCode, SandboxImageErrorDetails } from './errors.js';

export { parseImageReference } from './reference/parse.js';
export type { ImageReference } from './reference/parse.js';
export { getNewImageName, DEFAULT_IMAGE_REPOSITORY } from './reference/derived-name.js';
export type { DerivedNameOptions } from './reference/derived-name.js';

export { resolveConfig } from './config/resolve.js';
export type { ResolveConfigOptions } from './config/resolve.js';
export { CONFIG_KEYS, CONFIG_FILE_ENV } from './config/keys.js';
export type { KeyAlias, KeyDefinition } from './config/keys.js';
export type {
  ConfigSource,
  PullPolicy,
  RebuildPolicy,
  ResolvedConfig,
  SandboxConfig,
  SandboxConfigInput,
} from './config/types.js';

export { renderSandboxDockerfile } from './recipe/render.js';
export type { ContextFile, RenderedRecipe } from './recipe/render.js';
export { recipeFromConfig } from './recipe/from-config.js';
export { loadFileSources } from './recipe/load-files.js';
export type {
  DirectoryEntry,
  DownloadEntry,
  FileEntry,
  SandboxRecipe,
  StepEntry,
  SudoPolicy,
  UidConflictPolicy,
} from './recipe/types.js';

export type {
  BuildOptions,
  DockerClient,
  EngineEvent,
  ImageDetails,
  ImageSummary,
  PullOptions,
  PushOptions,
  RegistryAuth,
  RemoteImageLookup,
} from './engine/types.js';
export { resolveEngineAddress } from './engine/address.js';
export type { EngineAddress } from './engine/address.js';

export { SandboxImageManager } from './manager/manager.js';
export type { EnsureOptions, EnsurePlan, EnsureResult, InspectResult, SandboxImageManagerOptions } from './manager/manager.js';
export type { EngineInput } from './manager/engine-client.js';
export type { ProgressEvent, ProgressListener } from './manager/progress.js';
export type { PruneOptions, PruneResult } from './manager/prune.js';
export { LABELS } from './manager/labels.js';

export { ensureSandboxImage } from './ensure.js';
export type { EnsureSandboxImageOptions } from './ensure.js';
export { VERSION } from './version.js';
