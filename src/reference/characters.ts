import { invalidReference } from './invalid-reference.js';

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;
const PRINTABLE_ASCII = /^[\x21-\x7e]$/;
/** An image ID without its `sha256:` prefix; `ParseNormalizedNamed` rejects it as a name. */
const IMAGE_ID = /^[a-f0-9]{64}$/;

/**
 * Rejects inputs that cannot be a reference as a whole: the empty string, a URL, a character
 * outside printable ASCII (named with its code point and position), and a bare image ID.
 */
export function checkWholeInput(input: string): void {
  if (input.length === 0) {
    throw invalidReference(input, 'the reference is empty', 'Name an image such as `debian:bookworm-slim`.');
  }
  if (URL_SCHEME.test(input)) {
    throw invalidReference(
      input,
      'a URL scheme is not part of an image reference',
      'Remove the scheme and write `registry.example.com/team/image:tag`.',
    );
  }
  checkCharacters(input);
  if (IMAGE_ID.test(input)) {
    throw invalidReference(
      input,
      'a 64-character hexadecimal string is an image ID, not a repository name',
      'Pass the repository name and tag (for example `ubuntu:24.04`) instead of the ID.',
    );
  }
}

function checkCharacters(input: string): void {
  const characters = [...input];
  const index = characters.findIndex((character) => !PRINTABLE_ASCII.test(character));
  if (index === -1) return;

  const character = characters[index]!;
  const codePoint = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  const marked = `${characters.slice(0, index).join('')}[${character}]${characters.slice(index + 1).join('')}`;
  throw invalidReference(
    input,
    `character ${JSON.stringify(character)} (U+${codePoint}) at position ${index + 1} (${marked}) is not allowed. ` +
      'References contain only ASCII letters, digits and the separators `.` `_` `-` `/` `:` `@`',
    asciiFix(input),
  );
}

/** Suggests the input with accents removed when that leaves only printable ASCII. */
function asciiFix(input: string): string {
  const stripped = input.normalize('NFD').replace(/\p{M}/gu, '');
  if ([...stripped].every((character) => PRINTABLE_ASCII.test(character))) {
    return `Rename the image with ASCII characters only, such as ${JSON.stringify(stripped)}.`;
  }
  return 'Rename the image with ASCII characters only.';
}
