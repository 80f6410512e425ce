import { SandboxImageError, isSandboxImageError, type SandboxImageErrorCode } from '../errors.js';

/** Socket error codes that mean the engine cannot be reached at its address. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'EPERM',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
]);

interface LowLevelError {
  code?: unknown;
  statusCode?: unknown;
  json?: { message?: unknown } | null;
  reason?: unknown;
  name?: unknown;
  message?: unknown;
}

/** Returns the HTTP status of an Engine API error, as dockerode reports it, else `undefined`. */
export function statusCodeOf(error: unknown): number | undefined {
  const statusCode = (error as LowLevelError | undefined)?.statusCode;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

/** Returns the engine's own message for an HTTP error (the JSON body's `message`), else the error's message. */
export function engineMessageOf(error: unknown): string {
  const low = error as LowLevelError | undefined;
  const fromBody = low?.json && typeof low.json.message === 'string' ? low.json.message : undefined;
  if (fromBody) return fromBody;
  return typeof low?.message === 'string' ? low.message.replace(/^\(HTTP code \d+\)\s*/, '') : String(error);
}

/** Hint printed with every `ENGINE_UNAVAILABLE` error. */
export const START_ENGINE_HINT =
  'Start a Docker-compatible engine (Docker Engine, Docker Desktop, or `podman system service`), ' +
  'or point DOCKER_HOST at one; on Debian-like Linux, scripts/engine-up.sh in the sandbox-image repository installs and starts Docker';

/**
 * Converts an error from dockerode into a `SandboxImageError`. The decision uses the abort
 * signal, the socket error code and the HTTP status, never the message text.
 */
export function toEngineError(
  error: unknown,
  context: { address: string; operation: string; code: SandboxImageErrorCode; signal?: AbortSignal | undefined; image?: string },
): SandboxImageError {
  if (isSandboxImageError(error)) return error;
  if (context.signal?.aborted) return abortedError(context.operation, context.signal, error);
  const low = error as LowLevelError | undefined;
  if (low?.name === 'AbortError') return abortedError(context.operation, context.signal, error);
  if (typeof low?.code === 'string' && UNREACHABLE_CODES.has(low.code) && statusCodeOf(error) === undefined) {
    return new SandboxImageError(
      'ENGINE_UNAVAILABLE',
      `No container engine answered at ${context.address} (${low.code}) while trying to ${context.operation}. ${START_ENGINE_HINT}.`,
      { cause: error, details: { address: context.address } },
    );
  }
  const statusCode = statusCodeOf(error);
  return new SandboxImageError(
    context.code,
    `Failed to ${context.operation}: ${engineMessageOf(error)}` + (statusCode ? ` (HTTP ${statusCode} from ${context.address})` : ''),
    { cause: error, details: { address: context.address, statusCode, image: context.image } },
  );
}

export function abortedError(operation: string, signal: AbortSignal | undefined, cause?: unknown): SandboxImageError {
  const reason: unknown = signal?.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new SandboxImageError(
    'ABORTED',
    timedOut ? `Timed out while trying to ${operation}. Raise the limit (timeoutMs in code, timeout_ms in config.toml, SANDBOX_TIMEOUT_MS, or --timeout SECONDS), or set it to 0 for no limit.` : `Cancelled while trying to ${operation}.`,
    { cause: reason ?? cause },
  );
}
