import type { DirectoryEntry, DownloadEntry, FileEntry, StepEntry } from '../recipe/types.js';
import {
  checkAbsolutePath,
  checkDownloadUrl,
  checkMode,
  checkOwner,
  checkSha256,
  checkStepCommand,
} from '../recipe/validate.js';
import { CoercionProblem } from './coerce.js';
import { suggestName } from './suggest.js';

type FieldCheck = (value: string) => string | undefined;

interface FieldSpec {
  required: boolean;
  check?: FieldCheck;
  /** Whether a `Uint8Array` is accepted too, as file content given in code is. */
  bytes?: boolean;
}

/**
 * Validates one table of an array (such as one `[[sandbox.files]]` entry) against its
 * fields: every field is a string, required ones are present, unknown ones are rejected
 * with a suggestion.
 */
function parseEntry(entry: Record<string, unknown>, index: number, fields: Record<string, FieldSpec>): Record<string, string | Uint8Array> {
  const result: Record<string, string | Uint8Array> = {};
  for (const [field, value] of Object.entries(entry)) {
    const spec = fields[field];
    if (!spec) {
      const suggestion = suggestName(field, Object.keys(fields));
      throw new CoercionProblem(
        `entry ${index + 1} has unknown field ${JSON.stringify(field)}` +
          (suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : `; known fields are ${Object.keys(fields).join(', ')}`),
      );
    }
    if (spec.bytes && value instanceof Uint8Array) {
      result[field] = value;
      continue;
    }
    if (typeof value !== 'string') {
      const hint = field === 'mode' ? '; write it in quotes, such as "0644"' : '';
      throw new CoercionProblem(`entry ${index + 1} field ${JSON.stringify(field)} must be a string${hint}`);
    }
    const problem = spec.check?.(value);
    if (problem) throw new CoercionProblem(`entry ${index + 1} field ${JSON.stringify(field)} value ${JSON.stringify(value)} ${problem}`);
    result[field] = value;
  }
  for (const [field, spec] of Object.entries(fields)) {
    if (spec.required && result[field] === undefined) {
      throw new CoercionProblem(`entry ${index + 1} is missing the required field ${JSON.stringify(field)}`);
    }
  }
  return result;
}

const MODE_AND_OWNER: Record<string, FieldSpec> = {
  mode: { required: false, check: checkMode },
  owner: { required: false, check: checkOwner },
};

export function parseDirectories(entries: Record<string, unknown>[]): DirectoryEntry[] {
  return entries.map((entry, index) =>
    parseEntry(entry, index, { path: { required: true, check: checkAbsolutePath }, ...MODE_AND_OWNER }) as unknown as DirectoryEntry,
  );
}

export function parseFiles(entries: Record<string, unknown>[]): FileEntry[] {
  return entries.map((entry, index) => {
    const file = parseEntry(entry, index, {
      path: { required: true, check: checkAbsolutePath },
      content: { required: false, bytes: true },
      source: { required: false },
      ...MODE_AND_OWNER,
    });
    if ((file.content === undefined) === (file.source === undefined)) {
      throw new CoercionProblem(`entry ${index + 1} must set exactly one of "content" and "source"`);
    }
    return file as unknown as FileEntry;
  });
}

export function parseDownloads(entries: Record<string, unknown>[]): DownloadEntry[] {
  return entries.map((entry, index) =>
    parseEntry(entry, index, {
      url: { required: true, check: checkDownloadUrl },
      sha256: { required: true, check: checkSha256 },
      path: { required: true, check: checkAbsolutePath },
      ...MODE_AND_OWNER,
    }) as unknown as DownloadEntry,
  );
}

export function parseSteps(entries: Record<string, unknown>[]): StepEntry[] {
  return entries.map((entry, index) => {
    const step = parseEntry(entry, index, {
      run: { required: true, check: checkStepCommand },
      user: {
        required: false,
        check: (value) => (value === 'root' || value === 'sandbox' ? undefined : 'is not "root" or "sandbox"'),
      },
    });
    return step as unknown as StepEntry;
  });
}
