/**
 * Every failure the library reports is a {@link SandboxImageError} with a stable `code`.
 * Callers branch on `code`, never on message text.
 */
export type SandboxImageErrorCode =
  /** An image reference does not follow Docker's reference grammar. */
  | 'INVALID_REFERENCE'
  /** A configuration value (file, environment variable or code) is invalid. */
  | 'INVALID_CONFIG'
  /** A recipe value (user, package, file, download, step) is invalid. */
  | 'INVALID_RECIPE'
  /** No Docker-compatible engine responded at the resolved address. */
  | 'ENGINE_UNAVAILABLE'
  /** The engine returned an error that no more specific code covers. */
  | 'ENGINE_ERROR'
  /** The base image is not present locally and the pull policy forbids pulling it. */
  | 'BASE_IMAGE_NOT_FOUND'
  /** Pulling an image from its registry failed. */
  | 'PULL_FAILED'
  /** Pushing the derived image to its registry failed. */
  | 'PUSH_FAILED'
  /** The image build failed; `details` names the step, exit code and last output lines. */
  | 'BUILD_FAILED'
  /** The operation was cancelled through an AbortSignal or timed out. */
  | 'ABORTED'
  /** Waiting for another process's build lock took longer than allowed. */
  | 'LOCK_TIMEOUT';

/** Structured facts about a failure, for programs that handle it. */
export interface SandboxImageErrorDetails {
  /** The value that was rejected, such as a reference or a config value. */
  value?: unknown;
  /** Origin of the value: `file:<path>:<line>`, `env:<NAME>`, `override` or `default`. */
  source?: string;
  /** The config key or recipe field involved. */
  key?: string;
  /** The Engine API address that was tried. */
  address?: string;
  /** The HTTP status code the engine returned. */
  statusCode?: number;
  /** The Dockerfile instruction that failed, such as `RUN ["/bin/sh", "/.sandbox-image/provision.sh", "provision"]`. */
  step?: string;
  /** The exit code of the failing build step, when the engine reported one. */
  exitCode?: number;
  /** The last lines of output before a failure (build, pull or push). */
  outputTail?: string[];
  /** The image name involved. */
  image?: string;
  /** The registry host involved, such as `registry.example.com:5000`. */
  registry?: string;
}

const ERROR_BRAND = Symbol.for('sandbox-image.error');

/**
 * The one error class of the library.
 *
 * Its message states what failed, on which value, and what to do next. The `code` is stable
 * across versions; `details` carries the same facts as data.
 */
export class SandboxImageError extends Error {
  override readonly name = 'SandboxImageError';
  readonly code: SandboxImageErrorCode;
  readonly details: SandboxImageErrorDetails;

  constructor(
    code: SandboxImageErrorCode,
    message: string,
    options: { cause?: unknown; details?: SandboxImageErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
}

/**
 * Tells whether `value` is a {@link SandboxImageError}, optionally with the given `code`.
 *
 * Works across the ESM and CJS copies of this package, where `instanceof` does not,
 * because the brand is a `Symbol.for` key shared by every copy in the process.
 */
export function isSandboxImageError(
  value: unknown,
  code?: SandboxImageErrorCode,
): value is SandboxImageError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[ERROR_BRAND] !== true) return false;
  return code === undefined || (value as SandboxImageError).code === code;
}
