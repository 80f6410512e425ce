import { SandboxImageError } from '../errors.js';

/**
 * Creates the `INVALID_REFERENCE` error for `input`: the message quotes the input, says which
 * part is wrong (`problem`, one or more sentences) and how to fix it.
 */
export function invalidReference(input: string, problem: string, fix: string): SandboxImageError {
  return new SandboxImageError(
    'INVALID_REFERENCE',
    `Invalid image reference ${JSON.stringify(input)}: ${problem}. ${fix}`,
    { details: { value: input } },
  );
}
