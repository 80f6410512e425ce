// Type-checked against the installed package's declarations; never run.
import {
  SandboxImageManager,
  ensureSandboxImage,
  isSandboxImageError,
  type EnsureResult,
  type ProgressEvent,
  type SandboxConfigInput,
} from 'sandbox-image';

const config: SandboxConfigInput = { userId: 1001, packages: ['git'], rebuild: 'if-stale' };

export async function ensure(): Promise<string> {
  const onProgress = (event: ProgressEvent): void => {
    if (event.type === 'build-step') console.log(event.index, event.count, event.instruction);
  };
  try {
    const result: EnsureResult = await ensureSandboxImage({ baseImage: 'debian:bookworm-slim', config, onProgress });
    return result.imageName;
  } catch (error) {
    if (isSandboxImageError(error, 'BUILD_FAILED')) console.error(error.details.outputTail);
    throw error;
  }
}

export const manager = new SandboxImageManager({ configFile: false });

// @ts-expect-error userId is a number, so a string must be rejected by the declarations.
export const wrong: SandboxConfigInput = { userId: 'root' };
