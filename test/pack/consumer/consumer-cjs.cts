// Type-checked as CommonJS against the package's .d.cts declarations; never run.
import library = require('sandbox-image');

export const ensure: typeof library.ensureSandboxImage = library.ensureSandboxImage;
export const code: library.SandboxImageErrorCode = 'ENGINE_UNAVAILABLE';
